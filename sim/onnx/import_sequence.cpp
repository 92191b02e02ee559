// Tensors of tokens (transformers): views made contiguous, linear layers over the last axis, MatMul of two
// activations, residual Adds, constants added (biases, positional embeddings, masks). A contiguous view of
// dims d lives in an IR tensor whose channels are the last axis; its canonical IR shape is (product of the
// leading dims) x d[-2] x d[-1] (sim/README.md "Network formats").
#include <algorithm>
#include <cmath>

#include "sim/onnx/importer.hpp"

namespace deepchip::sim {

namespace {

Shape canonical_shape(const std::vector<int64_t>& dims) {
  const size_t r = dims.size();
  int64_t lead = 1;
  for (size_t k = 0; k + 2 < r; ++k) lead *= dims[k];
  return Shape{static_cast<int>(lead), static_cast<int>(r >= 2 ? dims[r - 2] : 1),
               static_cast<int>(dims[r - 1])};
}

// The view reads the IR tensor's whole memory in order.
bool is_row_major(const TensorInfo& v) {
  if (v.offset != 0 || count_of(v.dims) != v.shape.elements()) return false;
  int64_t stride = 1;
  for (size_t k = v.dims.size(); k-- > 0;) {
    if (v.dims[k] > 1 && v.strides[k] != stride) return false;
    stride *= v.dims[k];
  }
  return true;
}

// Dims with leading ones removed (ONNX broadcasting aligns trailing axes).
std::vector<int64_t> without_leading_ones(std::vector<int64_t> dims) {
  while (dims.size() > 1 && dims.front() == 1) dims.erase(dims.begin());
  return dims;
}

}  // namespace

TensorInfo OnnxImporter::as_view(const TensorInfo& t, const onnx::NodeProto& n) const {
  if (t.is_view()) return t;
  TensorInfo v = t;
  const Shape s = t.shape;
  if (t.flat) {
    if (!(t.nchw.height == 1 && t.nchw.width == 1))
      fail(n, "a flattened map larger than 1 x 1 is read in CHW order, which no view of HWC memory is");
    v.dims = {1, s.elements()};
    v.strides = {s.elements(), 1};
  } else {
    v.dims = {1, s.channels, s.height, s.width};
    v.strides = {s.elements(), 1, int64_t{s.width} * s.channels, s.channels};
  }
  v.flat = false;
  v.offset = 0;
  return v;
}

void OnnxImporter::store_view(const std::string& name, TensorInfo v) {
  const auto& d = v.dims;
  if (d.size() == 4 && d[0] == 1 && v.offset == 0 &&
      v.shape == Shape{static_cast<int>(d[2]), static_cast<int>(d[3]), static_cast<int>(d[1])} &&
      (d[1] == 1 || v.strides[1] == 1) && (d[2] == 1 || v.strides[2] == d[3] * d[1]) &&
      (d[3] == 1 || v.strides[3] == d[1])) {
    v.dims.clear();  // N x C x H x W over HWC memory: a spatial tensor (a Conv may read it)
    v.strides.clear();
  }
  tensors_[name] = v;
}

void OnnxImporter::spatial_input(const onnx::NodeProto& n) {
  if (!is_view_input(n, 0)) return;
  const TensorInfo v = tensors_.at(input(n, 0));
  if (v.dims.size() != 4 || v.dims[0] != 1) return;  // the operator names the problem
  TensorInfo hwc = v;                                // N x C x H x W read in H, W, C order: the map's memory
  hwc.dims = {v.dims[2], v.dims[3], v.dims[1]};
  hwc.strides = {v.strides[2], v.strides[3], v.strides[1]};
  TensorInfo map = gather_layer(n, hwc, hwc.dims);
  map.dims.clear();
  map.strides.clear();
  tensors_[input(n, 0)] = map;
}

TensorInfo OnnxImporter::gather_layer(const onnx::NodeProto& n, const TensorInfo& view,
                                      const std::vector<int64_t>& dims) {
  Layer l;
  l.name = unique_name(layer_name(n) + "_gather");
  l.kind = LayerKind::kGather;
  l.gather_dims = view.dims;
  l.gather_strides = view.strides;
  l.gather_offset = view.offset;
  l.view_shape = canonical_shape(dims);
  const std::string key = l.name + "#gather";
  TensorInfo in = view;
  in.dims.clear();
  add_layer(l, key, in);
  TensorInfo out = tensors_.at(key);
  tensors_.erase(key);
  out.dims = dims;
  out.strides = row_major(dims);
  return out;
}

TensorInfo OnnxImporter::contiguous(const onnx::NodeProto& n, const TensorInfo& view, bool exact) {
  if (view.dims.size() > 8) fail(n, "views of more than 8 dims are not supported");
  if (!is_row_major(view)) return gather_layer(n, view, view.dims);
  TensorInfo v = view;
  v.strides = row_major(v.dims);
  if (v.shape.channels != v.dims.back() || (exact && !(v.shape == canonical_shape(v.dims)))) {
    TensorInfo flat = v;  // the same memory under the canonical shape: a reshape, which moves nothing
    flat.dims = {count_of(v.dims)};
    flat.strides = {1};
    return gather_layer(n, flat, v.dims);
  }
  return v;
}

void OnnxImporter::add_sequence_layer(Layer l, const std::string& onnx_out, const TensorInfo& in,
                                      const std::vector<int64_t>& out_dims,
                                      const std::vector<TensorInfo>& more) {
  TensorInfo base = in;
  base.dims.clear();
  std::vector<TensorInfo> rest = more;
  for (auto& m : rest) m.dims.clear();
  add_layer(std::move(l), onnx_out, base, rest);
  TensorInfo& out = tensors_.at(onnx_out);
  if (count_of(out_dims) != out.shape.elements())
    fail_file("internal: dims of '" + printable(onnx_out) + "' do not match its layer's shape");
  out.dims = out_dims;
  out.strides = row_major(out_dims);
}

// MatMul by a constant K x N matrix, or Gemm (transB), over the last axis: a 1x1 conv over the rows.
void OnnxImporter::sequence_linear(const onnx::NodeProto& n) {
  const bool gemm = n.op_type() == "Gemm";
  if (gemm &&
      (attr_float(n, "alpha", 1) != 1 || attr_float(n, "beta", 1) != 1 || attr_int(n, "transA", 0) != 0))
    fail(n, "alpha and beta must be 1 and transA 0");
  const bool trans_b = gemm && attr_int(n, "transB", 0) == 1;
  TensorInfo x = contiguous(n, as_view(any_tensor(input(n, 0), n.op_type() + " input"), n));
  const onnx::TensorProto& b = initializer(n, 1);
  if (b.dims_size() != 2) fail(n, "the constant operand must be 2-D (K x N)");
  const std::vector<float> src = floats(b);
  const int64_t k = trans_b ? b.dims(1) : b.dims(0), units = trans_b ? b.dims(0) : b.dims(1);
  if (k != x.dims.back())
    fail(n, "weights expect " + std::to_string(k) + " inputs, got " + std::to_string(x.dims.back()));
  if (units < 1 || units > (int64_t{1} << 24)) fail(n, "the layer must have 1..2^24 outputs");
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kConv;  // 1 x 1 over every row of the tensor
  l.out_channels = static_cast<int>(units);
  FloatParams p;
  p.weights.resize(static_cast<size_t>(units * k));
  for (int64_t u = 0; u < units; ++u)
    for (int64_t i = 0; i < k; ++i)
      p.weights[static_cast<size_t>(u * k + i)] =
          src[static_cast<size_t>(trans_b ? u * k + i : i * units + u)];
  p.bias = gemm && has_input(n, 2) ? constant(n, 2, units, "bias")
                                   : std::vector<float>(static_cast<size_t>(units), 0.0f);
  std::vector<int64_t> out_dims = x.dims;
  out_dims.back() = units;
  add_sequence_layer(l, n.output(0), x, out_dims);
  linear_[n.output(0)] = net_.layers.size() - 1;
  result_.model.params[l.name] = std::move(p);
}

// MatMul of two activations, batch x M x K times batch x K x N (attention's Q.K^T and P.V). The second
// operand is read as it lies: K x N, or N x K when that is how it is stored (K^T of a transpose); a gather
// makes it N x K otherwise.
void OnnxImporter::sequence_matmul(const onnx::NodeProto& n) {
  const TensorInfo va = as_view(any_tensor(input(n, 0), "MatMul input"), n);
  const TensorInfo vb = as_view(any_tensor(input(n, 1), "MatMul input"), n);
  if (va.dims.size() < 2 || vb.dims.size() < 2) fail(n, "both operands must have 2 or more dims");
  const std::vector<int64_t> batch_a(va.dims.begin(), va.dims.end() - 2),
      batch_b(vb.dims.begin(), vb.dims.end() - 2);
  if (without_leading_ones(batch_a.empty() ? std::vector<int64_t>{1} : batch_a) !=
      without_leading_ones(batch_b.empty() ? std::vector<int64_t>{1} : batch_b))
    fail(n, "operands with different batch dims (broadcasting is not supported)");
  const int64_t k = va.dims.back(), n_cols = vb.dims.back();
  if (vb.dims[vb.dims.size() - 2] != k) fail(n, "inner dims differ");
  const TensorInfo a = contiguous(n, va, true);
  TensorInfo swapped = vb;  // B^T: batch x N x K
  std::swap(swapped.dims[swapped.dims.size() - 1], swapped.dims[swapped.dims.size() - 2]);
  std::swap(swapped.strides[swapped.strides.size() - 1], swapped.strides[swapped.strides.size() - 2]);
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kMatMul;
  l.transpose_b = !is_row_major(vb);
  l.product_scale = va.pending_scale * vb.pending_scale;
  const TensorInfo b = contiguous(n, l.transpose_b ? swapped : vb, true);
  std::vector<int64_t> out_dims = va.dims;
  out_dims.back() = n_cols;
  add_sequence_layer(l, n.output(0), a, out_dims, {b});
}

// Add or Mul of two activations of the same dims (a residual connection).
void OnnxImporter::sequence_binary(const onnx::NodeProto& n) {
  const std::string& op = n.op_type();
  const bool first_constant = initializers_.count(input(n, 0)) > 0;
  if (first_constant || initializers_.count(input(n, 1))) return sequence_affine(n, first_constant);
  if (op == "Sub" || op == "Div") fail(n, "only a constant operand is supported");
  const TensorInfo va = as_view(any_tensor(input(n, 0), op + " input"), n);
  const TensorInfo vb = as_view(any_tensor(input(n, 1), op + " input"), n);
  if (without_leading_ones(va.dims) != without_leading_ones(vb.dims))
    fail(n, "operands of different dims (broadcasting two activations is not supported here)");
  TensorInfo a = contiguous(n, va), b = contiguous(n, vb);
  if (!(b.shape == a.shape)) {  // the same elements under other IR shapes: both in the canonical one
    a = contiguous(n, a, true);
    b.dims = a.dims;  // b is row-major: the same memory under a's dims (they differ in leading ones only)
    b.strides = row_major(a.dims);
    b = contiguous(n, b, true);
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = op == "Add" ? LayerKind::kAdd : LayerKind::kMul;
  add_sequence_layer(l, n.output(0), a, a.dims, {b});
}

// A bias added to a linear layer's output (its only use) joins the layer's bias.
bool OnnxImporter::fold_bias(const onnx::NodeProto& n, const TensorInfo& in,
                             const std::vector<float>& values) {
  const bool constant_first = initializers_.count(input(n, 0)) > 0;
  const std::string& op = n.op_type();
  if (op != "Add" && !(op == "Sub" && !constant_first)) return false;  // k - x negates x: not a bias
  const std::string& x = input(n, constant_first ? 1 : 0);
  const auto it = linear_.find(x);
  if (it == linear_.end() || consumers_[x] != 1) return false;
  const Layer& l = net_.layers[it->second];
  if (values.size() != static_cast<size_t>(l.out_channels) && values.size() != 1) return false;
  FloatParams& p = result_.model.params.at(l.name);
  for (size_t c = 0; c < p.bias.size(); ++c) {
    const float v = values[values.size() == 1 ? 0 : c];
    p.bias[c] = op == "Add" ? p.bias[c] + v : p.bias[c] - v;
  }
  tensors_[n.output(0)] = in;
  producer_[n.output(0)] = it->second;
  linear_[n.output(0)] = it->second;
  return true;
}

// Mul or Div by one value of a matmul's operand (its only reader) or of a matmul's output (its only use):
// the factor scales the matmul's product instead (attention's 1 / sqrt(d), before or after Q.K^T), one
// requantization fewer in the integer path.
bool OnnxImporter::fold_product_scale(const onnx::NodeProto& n, const TensorInfo& in,
                                      const std::vector<float>& values) {
  const std::string& op = n.op_type();
  if ((op != "Mul" && op != "Div") || values.size() != 1 || values[0] == 0.0f) return false;
  const bool constant_first = initializers_.count(input(n, 0)) > 0;
  if (op == "Div" && constant_first) return false;
  const double factor = op == "Mul" ? values[0] : 1.0 / values[0];
  const std::string& x = input(n, constant_first ? 1 : 0);
  const onnx::NodeProto* reader = sole_reader(n.output(0), "MatMul");
  if (reader && !initializers_.count(input(*reader, 0)) && !initializers_.count(input(*reader, 1))) {
    TensorInfo scaled = in;
    scaled.pending_scale *= factor;
    tensors_[n.output(0)] = scaled;
    return true;
  }
  const auto it = producer_.find(x);
  if (it == producer_.end() || consumers_[x] != 1 || net_.layers[it->second].kind != LayerKind::kMatMul)
    return false;
  net_.layers[it->second].product_scale *= factor;
  tensors_[n.output(0)] = in;
  producer_[n.output(0)] = it->second;
  return true;
}

// A constant broadcast (numpy's rule) to the trailing axes of `dims` it varies along: one value, one per
// feature, or one per element of the last axes it spans (a constant of 1 x W x 1 x T x T is expanded to
// W x H x T x T of an N x W x H x T x T tensor); what it does not span repeats.
std::vector<float> OnnxImporter::broadcast_constant(const onnx::NodeProto& n,
                                                    const std::vector<float>& values, std::vector<int64_t> kd,
                                                    const std::vector<int64_t>& dims) const {
  while (kd.size() > dims.size() && kd.front() == 1) kd.erase(kd.begin());
  if (kd.size() > dims.size()) fail(n, "the constant has more axes than the activation");
  kd.insert(kd.begin(), dims.size() - kd.size(), 1);
  size_t first = 0;
  while (first < kd.size() && kd[first] == 1) ++first;
  if (first == kd.size()) return {values.at(0)};
  int64_t extent = 1;
  for (size_t a = first; a < kd.size(); ++a) {
    if (kd[a] != 1 && kd[a] != dims[a]) fail(n, "the constant does not broadcast to the activation");
    extent *= dims[a];
  }
  std::vector<float> out(static_cast<size_t>(extent));
  for (int64_t i = 0; i < extent; ++i) {  // the constant's element of each element of the span
    int64_t rest = i, src = 0, stride = 1;
    for (size_t a = kd.size(); a-- > first;) {
      const int64_t idx = rest % dims[a];
      rest /= dims[a];
      src += (kd[a] == 1 ? 0 : idx) * stride;
      stride *= kd[a];
    }
    out[static_cast<size_t>(i)] = values[static_cast<size_t>(src)];
  }
  return out;
}

// Add, Sub, Mul or Div of a view and a constant that broadcasts to it along its trailing axes (one value, a
// bias of the last axis, a positional embedding, an attention mask): an affine layer with one scale and shift
// per element of the constant's extent.
void OnnxImporter::sequence_affine(const onnx::NodeProto& n, bool constant_first) {
  const std::string& op = n.op_type();
  if (constant_first && op == "Div") fail(n, "dividing a constant by an activation is not supported");
  const TensorInfo in = as_view(any_tensor(input(n, constant_first ? 1 : 0), op + " input"), n);
  const onnx::TensorProto& k = initializer(n, constant_first ? 0 : 1);
  const std::vector<float> values =
      broadcast_constant(n, floats(k), {k.dims().begin(), k.dims().end()}, in.dims);
  if (fold_bias(n, in, values) || fold_product_scale(n, in, values)) return;
  const TensorInfo x = contiguous(n, in);
  FloatParams p = affine_params(n, values, constant_first);
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kAffine;
  add_sequence_layer(l, n.output(0), x, x.dims);
  result_.model.params[l.name] = std::move(p);
}

void OnnxImporter::sequence_unary(const onnx::NodeProto& n, Layer l) {
  const TensorInfo x = contiguous(n, as_view(any_tensor(input(n, 0), n.op_type() + " input"), n));
  l.name = layer_name(n);
  add_sequence_layer(l, n.output(0), x, x.dims);
}

}  // namespace deepchip::sim
