// ONNX import (Debian's libonnx, protobuf): a float model with its weights from the initializers. The graph
// is validated, then read node by node (sim/onnx/importer.hpp and its files by topic): Conv, Gemm/MatMul,
// BatchNormalization (folded where exact, else an affine layer), Relu/Clip, pools (ceil_mode,
// count_include_pad), ReduceMean, Add/Mul (broadcast; by a constant: affine), Sub/Div by a constant, Concat,
// Slice/Split (channels), Pad, Sigmoid/HardSigmoid/HardSwish (SiLU and HardSwish fused from x * gate(x)),
// Flatten/Reshape/Transpose (a channel shuffle), Dropout/Identity, shape arithmetic on constants, and a final
// Softmax/LogSoftmax (ignored: the network ends at the logits). Layout: ONNX is NCHW, the IR is HWC; conv
// weights become [out][ky][kx][in] and a fully connected layer after Flatten gets its weights permuted to the
// HWC flatten order. Anything else is one InputError naming the node, its op type and the file (README
// "Network formats").
#pragma once
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct OnnxModel {
  FloatModel model;                // inputs empty; set them before running
  std::string input;               // the graph input (IR tensor of the same name)
  std::string output;              // the IR tensor holding the graph output
  bool output_is_spatial = false;  // the graph output is N x C x H x W (else row-major: N x F, N x T x D)
  bool input_is_spatial = false;   // the graph input is N x C x H x W (else row-major: N x F, N x T x D)
  std::vector<int64_t> input_dims, output_dims;  // the ONNX dims after the batch axis
};

// Throws InputError "path: ..." naming the node or initializer on any problem (tests/README.md "Input
// limits").
OnnxModel load_onnx(const std::string& path);
// `bytes` are released once parsed (a large export's file and its parsed message need not coexist).
OnnxModel parse_onnx(std::string bytes, const std::string& origin);

// A float TensorProto file (.pb): dims and values in ONNX (row-major NCHW) order.
struct OnnxTensor {
  std::vector<int64_t> dims;
  std::vector<float> values;
};
OnnxTensor load_onnx_tensor(const std::string& path);
OnnxTensor parse_onnx_tensor(const std::string& bytes, const std::string& origin);
// Empty if `t` fits the model's input (N x C x H x W or N x F, N at most kMaxInferBatch), else why not.
std::string onnx_input_problem(const OnnxModel& model, const OnnxTensor& t);
// Writes a float TensorProto (throws InputError if the file cannot be written).
void save_onnx_tensor(const OnnxTensor& t, const std::string& path);

// Runs the model on every batch element of `input` (N x C x H x W or N x F) and returns the output in ONNX
// layout. quantized: the integer golden path (quantized with `config`, calibrated on this input),
// dequantized.
OnnxTensor infer(const OnnxModel& model, const OnnxTensor& input, bool quantized, const QuantConfig& config);

// Batch element n of an N x C x H x W (or N x F) tensor as an IR tensor (HWC, or 1 x 1 x F).
FloatTensor onnx_to_hwc(const OnnxTensor& t, int64_t n);
// Batch element n of the model's input tensor as the IR input (HWC of a spatial input; a row-major input's
// values in order).
FloatTensor onnx_to_input(const OnnxModel& m, const OnnxTensor& t, int64_t n);
// An IR tensor back to the flat ONNX order (CHW, or F).
std::vector<float> hwc_to_onnx(const FloatTensor& t, bool spatial);

}  // namespace deepchip::sim
