// The ONNX importer's graph reader (internal to load_onnx, sim/onnx/import.hpp): reads the graph node by
// node into the IR, every protobuf read through OnnxReader's checks. Its operators live by topic:
//   import.cpp         the graph, its input, the node dispatch and the layers' bookkeeping;
//   import_linear.cpp  Conv, Gemm/MatMul, BatchNormalization and the window attributes;
//   import_vector.cpp  Relu/Clip, pools, Add, Mul, Concat, Sigmoid/HardSigmoid/HardSwish, Pad;
//   import_layout.cpp  Flatten/Reshape, Transpose, Slice, Split, Gather, Squeeze/Unsqueeze: views;
//   import_sequence.cpp  tensors of tokens (transformers): views made contiguous, linear layers over the
//                           last axis, MatMul of two activations, constants added;
//   import_transformer.cpp  LayerNorm and GELU fused from their decomposed forms, Softmax, Concat and
//                           Pad of tokens.
#pragma once
#include <onnx/onnx_pb.h>

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/onnx/graph_reader.hpp"
#include "sim/onnx/import.hpp"

namespace deepchip::sim {

// How an ONNX tensor lives in the IR. Three forms:
// - spatial (dims empty, !flat): ONNX N x C x H x W over the IR tensor's HWC memory (CNNs);
// - flat (dims empty, flat): a 2-D N x F; `nchw` records the C, H, W it was flattened from;
// - a strided view (dims set): ONNX dims whose element (i_0, ..) is the IR tensor's element
//   offset + sum i_k * strides_k (HWC memory order). Reshape, Transpose, Slice and Gather make views without
//   moving data; a consumer that needs a row-major ("contiguous") tensor gets a gather layer only when the
//   view is not one already. Tensors of tokens (transformers) are contiguous views.
struct TensorInfo {
  std::string ir;       // IR tensor (layer output or network input)
  Shape shape;          // HWC
  bool flat = false;    // a 2-D N x F view; `nchw` records the C, H, W it was flattened from
  Shape nchw{1, 1, 1};  // height, width, channels of the spatial tensor before Flatten
  std::vector<int64_t> dims, strides;
  int64_t offset = 0;
  // A scalar factor not yet applied: its one reader, a matmul of two activations, scales its product.
  double pending_scale = 1.0;
  bool is_view() const { return !dims.empty(); }
};

constexpr int kMaxNodes = 4 * kMaxLayers;  // graph nodes (Relu, Flatten, ... fold into layers)
constexpr int64_t kMaxWindow = 1024;       // kernel, stride, dilation and padding values

class OnnxImporter : private OnnxGraphReader {
 public:
  explicit OnnxImporter(std::string origin) : OnnxGraphReader(std::move(origin)) {}
  OnnxModel run(std::string bytes);

 private:
  // import.cpp
  std::vector<int64_t> activation_dims(const std::string& name) const override;
  // A tensor of the IR by its ONNX name (`use` names the reader in the error); tensor() refuses a view.
  const TensorInfo& any_tensor(const std::string& name, const std::string& use) const;
  const TensorInfo& tensor(const std::string& name, const std::string& use) const;
  // Input `index` of `n` as an activation (not a constant, not a view).
  const TensorInfo& activation(const onnx::NodeProto& n, int index, const std::string& use) const;
  void read_input(const onnx::GraphProto& g);
  Layer& add_layer(Layer l, const std::string& onnx_out, const TensorInfo& in,
                   const std::vector<TensorInfo>& more_inputs = {});
  std::string unique_name(const std::string& base);
  std::string layer_name(const onnx::NodeProto& n);
  void node(const onnx::NodeProto& n, bool last);
  void alias(const onnx::NodeProto& n);
  // The one node reading `tensor` (no graph output either) if it is an `op`, else null (for fusions).
  const onnx::NodeProto* sole_reader(const std::string& tensor, const std::string& op) const;
  // True if input `index` of `n` is an activation held as a view (a tensor of tokens).
  bool is_view_input(const onnx::NodeProto& n, int index) const;

  // import_linear.cpp
  std::array<int, 4> window(const onnx::NodeProto& n, Layer& l, const Shape& in);
  static void ceil_mode_padding(int in, int kernel, int stride, int dil, int lead, int& trail);
  void conv(const onnx::NodeProto& n);
  void fully_connected(const onnx::NodeProto& n);
  void batch_norm(const onnx::NodeProto& n);
  void fold_batch_norm(const onnx::NodeProto& n, const Layer& conv);

  // import_vector.cpp
  void relu(const onnx::NodeProto& n, float clip_max = std::numeric_limits<float>::infinity());
  void clip(const onnx::NodeProto& n);
  void pool(const onnx::NodeProto& n);
  void reduce_mean(const onnx::NodeProto& n);
  void binary(const onnx::NodeProto& n);  // Add, Mul, Sub, Div
  void affine_constant(const onnx::NodeProto& n);
  // Scale and shift of x op k for each constant value (Add, Sub either way, Mul, Div by k).
  FloatParams affine_params(const onnx::NodeProto& n, const std::vector<float>& values,
                            bool constant_first) const;
  bool fuse_gated_function(const onnx::NodeProto& n, const std::string& x, const std::string& gate);
  void concat(const onnx::NodeProto& n);
  void lookup(const onnx::NodeProto& n);
  void pad(const onnx::NodeProto& n);
  // Adds a layer whose output keeps the flat view of its input (elementwise layers on N x F tensors).
  void add_elementwise_layer(const Layer& l, const onnx::NodeProto& n, const TensorInfo& in,
                             const std::vector<TensorInfo>& more = {});

  // import_layout.cpp
  std::vector<int64_t> reshape_target(const onnx::NodeProto& n, const std::vector<int64_t>& from) const;
  void flatten(const onnx::NodeProto& n);
  void reshape(const onnx::NodeProto& n);
  void reshape_view(const onnx::NodeProto& n, TensorInfo view, const std::vector<int64_t>& dims);
  bool channel_shuffle(const onnx::NodeProto& n, const TensorInfo& view, const std::vector<int64_t>& dims);
  void transpose(const onnx::NodeProto& n);
  void slice(const onnx::NodeProto& n);
  void split(const onnx::NodeProto& n);
  void split_view(const onnx::NodeProto& n);
  std::vector<int64_t> split_sizes(const onnx::NodeProto& n, int64_t extent, const std::string& unit) const;
  TensorInfo slice_view(const onnx::NodeProto& n, TensorInfo view, int64_t axis, int64_t begin, int64_t end,
                        int64_t step);
  void channel_slice(const onnx::NodeProto& n, const std::string& out, const TensorInfo& in, int64_t begin,
                     int64_t count);
  void gather(const onnx::NodeProto& n);
  void squeeze(const onnx::NodeProto& n);

  // import_sequence.cpp
  // The view of any tensor (a spatial one: N x C x H x W over HWC memory); stores a view that is exactly a
  // spatial tensor as one (a Conv may read it).
  TensorInfo as_view(const TensorInfo& t, const onnx::NodeProto& n) const;
  void store_view(const std::string& name, TensorInfo view);
  // Input 0 of `n`, if a 4-D view that is not a map already, gathered into an H x W x C map.
  void spatial_input(const onnx::NodeProto& n);
  // The view as a row-major tensor (a gather layer if it is not one); `exact`: its IR shape is also the
  // canonical one of its dims (batch x rows x last axis), which a matmul needs.
  TensorInfo contiguous(const onnx::NodeProto& n, const TensorInfo& view, bool exact = false);
  TensorInfo gather_layer(const onnx::NodeProto& n, const TensorInfo& view, const std::vector<int64_t>& dims);
  void sequence_linear(const onnx::NodeProto& n);
  void sequence_matmul(const onnx::NodeProto& n);
  void sequence_binary(const onnx::NodeProto& n);
  void sequence_affine(const onnx::NodeProto& n, bool constant_first);
  std::vector<float> broadcast_constant(const onnx::NodeProto& n, const std::vector<float>& values,
                                        std::vector<int64_t> kd, const std::vector<int64_t>& dims) const;
  bool fold_bias(const onnx::NodeProto& n, const TensorInfo& in, const std::vector<float>& values);
  bool fold_product_scale(const onnx::NodeProto& n, const TensorInfo& in, const std::vector<float>& values);
  void sequence_unary(const onnx::NodeProto& n, Layer l);
  void softmax(const onnx::NodeProto& n);
  bool layer_norm(const onnx::NodeProto& n);
  bool gelu(const onnx::NodeProto& n);
  bool gelu_tanh(const onnx::NodeProto& n);
  void add_gelu(const onnx::NodeProto& n, const std::string& x, const std::string& out, Function f);
  void causal_mask(const onnx::NodeProto& n);
  bool is_causal_mask(const onnx::NodeProto& n, int mask_index, bool fill_where_true,
                      const std::vector<int64_t>& scores_dims);
  void sequence_concat(const onnx::NodeProto& n);
  void sequence_pad(const onnx::NodeProto& n);
  void add_sequence_layer(Layer l, const std::string& onnx_out, const TensorInfo& in,
                          const std::vector<int64_t>& out_dims, const std::vector<TensorInfo>& more = {});

  Network net_;
  OnnxModel result_;
  std::map<std::string, TensorInfo> tensors_;
  std::map<std::string, size_t> producer_;  // tensor -> the layer whose output it is (after fusions)
  std::map<std::string, size_t> linear_;    // tensor -> the conv/FC whose output it is with nothing applied
  std::map<std::string, int> consumers_;
  std::set<std::string> used_names_;
  std::map<std::string, std::vector<const onnx::NodeProto*>> readers_;  // tensor -> the nodes reading it
  std::set<const onnx::NodeProto*> fused_;  // nodes a fusion has already read (skipped)
  std::set<std::string> causal_scores_;     // attention scores a causal mask hides the future keys of
};

}  // namespace deepchip::sim
