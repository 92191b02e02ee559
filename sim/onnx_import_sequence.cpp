// Tensors of tokens (transformers): views made contiguous, linear layers over the last axis, MatMul of two
// activations, LayerNorm and GELU fused from the forms torch exports, Softmax, constants added or
// concatenated. A contiguous view of dims d lives in an IR tensor whose channels are the last axis; its
// canonical IR shape is (product of the leading dims) x d[-2] x d[-1] (README "Network formats").
#include <algorithm>
#include <cmath>

#include "sim/onnx_importer.hpp"

namespace deepchip::sim {

namespace {

int64_t count_of(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::vector<int64_t> row_major(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (size_t k = dims.size(); k-- > 1;) strides[k - 1] = strides[k] * dims[k];
  return strides;
}

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
    b.dims = a.dims;
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
  const size_t extent = values.size();
  FloatParams p{std::vector<float>(extent, 1.0f), std::vector<float>(extent, 0.0f), std::nullopt};
  for (size_t i = 0; i < extent; ++i) {
    const float v = values[i];
    if (op == "Add") p.bias[i] = v;
    if (op == "Sub" && constant_first) p.weights[i] = -1.0f, p.bias[i] = v;  // k - x
    if (op == "Sub" && !constant_first) p.bias[i] = -v;                      // x - k
    if (op == "Mul") p.weights[i] = v;
    if (op == "Div") {
      if (v == 0.0f) fail(n, "division by zero");
      p.weights[i] = 1.0f / v;
    }
  }
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

// Softmax over the last axis (opset 13: the default; before it, axis 1 of a 2-D tensor is the last too).
void OnnxImporter::softmax(const onnx::NodeProto& n) {
  const TensorInfo v = as_view(any_tensor(input(n, 0), "Softmax input"), n);
  const int64_t rank = static_cast<int64_t>(v.dims.size());
  int64_t axis = attr_int(n, "axis", opset() >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  if (axis != rank - 1) fail(n, "only the last axis is normalized, got axis " + std::to_string(axis));
  Layer l;
  l.kind = LayerKind::kSoftmax;
  sequence_unary(n, l);
}

// torch's LayerNorm over the last axis: m = ReduceMean(x), d = x - m, ReduceMean(d^2) + eps, Sqrt, d / that,
// then * gamma and + beta (each optional). Fused into one layernorm layer when every intermediate has no
// other reader; false if `n` (the first ReduceMean) does not start that pattern.
bool OnnxImporter::layer_norm(const onnx::NodeProto& n) {
  auto last_axis_mean = [&](const onnx::NodeProto& r, int64_t rank) {
    std::vector<int64_t> axes;
    if (const auto* a = attr(r, "axes")) axes.assign(a->ints().begin(), a->ints().end());
    if (has_input(r, 1)) axes = ints(initializer(r, 1));
    return axes.size() == 1 && (axes[0] == -1 || axes[0] == rank - 1) && attr_int(r, "keepdims", 1) == 1;
  };
  auto scalar = [&](const onnx::NodeProto& op, int index, float& value) {
    if (!initializers_.count(input(op, index))) return false;
    const std::vector<float> v = floats(initializer(op, index));
    if (v.size() != 1) return false;
    value = v[0];
    return true;
  };
  const TensorInfo v = as_view(any_tensor(input(n, 0), "ReduceMean input"), n);
  const int64_t rank = static_cast<int64_t>(v.dims.size()), c = v.dims.back();
  const onnx::NodeProto* sub = sole_reader(n.output(0), "Sub");
  if (!last_axis_mean(n, rank) || !sub || input(*sub, 0) != input(n, 0) || input(*sub, 1) != n.output(0))
    return false;
  const std::string& d = sub->output(0);
  const auto& d_readers = readers_[d];
  if (d_readers.size() != 2 || consumers_[d] != 2) return false;
  const onnx::NodeProto* pow = d_readers[0]->op_type() == "Pow" ? d_readers[0] : d_readers[1];
  float two = 0, eps = 0;
  if (pow->op_type() != "Pow" || input(*pow, 0) != d || !scalar(*pow, 1, two) || two != 2.0f) return false;
  const onnx::NodeProto* var = sole_reader(pow->output(0), "ReduceMean");
  if (!var || !last_axis_mean(*var, rank)) return false;
  const onnx::NodeProto* add = sole_reader(var->output(0), "Add");
  if (!add || !(scalar(*add, 1, eps) || scalar(*add, 0, eps)) || !(eps >= 0)) return false;
  const onnx::NodeProto* sqrt = sole_reader(add->output(0), "Sqrt");
  const onnx::NodeProto* div = sqrt ? sole_reader(sqrt->output(0), "Div") : nullptr;
  if (!div || input(*div, 0) != d || input(*div, 1) != sqrt->output(0)) return false;
  FloatParams p{std::vector<float>(static_cast<size_t>(c), 1.0f),
                std::vector<float>(static_cast<size_t>(c), 0.0f), std::nullopt};
  std::vector<const onnx::NodeProto*> fused = {sub, pow, var, add, sqrt, div};
  // gamma, then beta: a constant of one value or one per channel, each fused when present.
  for (const auto& [op, target] :
       {std::pair<const char*, std::vector<float>*>{"Mul", &p.weights}, {"Add", &p.bias}}) {
    const onnx::NodeProto* next = sole_reader(fused.back()->output(0), op);
    const int k = next && initializers_.count(input(*next, 0)) ? 0 : 1;
    if (!next || !initializers_.count(input(*next, k))) continue;
    const std::vector<float> values = floats(initializer(*next, k));
    if (values.size() != static_cast<size_t>(c) && values.size() != 1) continue;
    for (size_t i = 0; i < target->size(); ++i) (*target)[i] = values[values.size() == 1 ? 0 : i];
    fused.push_back(next);
  }
  for (const auto* f : fused) fused_.insert(f);
  const TensorInfo x = contiguous(n, v);
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kLayerNorm;
  l.epsilon = eps;
  add_sequence_layer(l, fused.back()->output(0), x, x.dims);
  result_.model.params[l.name] = std::move(p);
  return true;
}

// torch's exact GELU: x / sqrt(2), Erf, + 1, * x, * 0.5 (in that order): one lookup layer when every
// intermediate has no other reader.
bool OnnxImporter::gelu(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  if (!initializers_.count(input(n, 1)) || initializers_.count(x)) return false;
  const std::vector<float> k = floats(initializer(n, 1));
  if (k.size() != 1 || std::fabs(k[0] - std::sqrt(2.0f)) > 1e-6f) return false;
  auto scalar_is = [&](const onnx::NodeProto& op, float want) {
    for (int i = 0; i < 2; ++i)
      if (initializers_.count(input(op, i))) {
        const std::vector<float> v = floats(initializer(op, i));
        return v.size() == 1 && v[0] == want;
      }
    return false;
  };
  const onnx::NodeProto* erf = sole_reader(n.output(0), "Erf");
  const onnx::NodeProto* add = erf ? sole_reader(erf->output(0), "Add") : nullptr;
  const onnx::NodeProto* mul = add && scalar_is(*add, 1.0f) ? sole_reader(add->output(0), "Mul") : nullptr;
  if (!mul || (input(*mul, 0) != x && input(*mul, 1) != x)) return false;
  const onnx::NodeProto* half = sole_reader(mul->output(0), "Mul");
  if (!half || !scalar_is(*half, 0.5f)) return false;
  for (const auto* f : {erf, add, mul, half}) fused_.insert(f);
  Layer l;
  l.kind = LayerKind::kLookup;
  l.function = Function::kGelu;
  const TensorInfo& in = any_tensor(x, "GELU input");
  if (in.is_view()) {
    const TensorInfo c = contiguous(n, in);
    l.name = layer_name(n);
    add_sequence_layer(l, half->output(0), c, c.dims);
  } else {
    l.name = layer_name(n);
    add_layer(l, half->output(0), in);
    tensors_[half->output(0)].flat = in.flat;
    tensors_[half->output(0)].nchw = in.nchw;
  }
  return true;
}

// Concat of views: of activations along the last axis (channels), or of one activation and constants along
// the rows (ViT's class token): the activation padded with zeros, then the constants added where they go.
void OnnxImporter::sequence_concat(const onnx::NodeProto& n) {
  int activation_index = -1, activations = 0;
  for (int i = 0; i < n.input_size(); ++i)
    if (!initializers_.count(input(n, i))) activation_index = i, ++activations;
  if (activation_index < 0) fail(n, "a Concat of constants only");
  const TensorInfo first = as_view(any_tensor(input(n, activation_index), "Concat input"), n);
  const int64_t rank = static_cast<int64_t>(first.dims.size());
  int64_t axis = attr_int(n, "axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) fail(n, "axis out of range");
  if (activations == n.input_size()) {  // along the features, the rows, or the axis before them
    const bool leading_ones = std::all_of(first.dims.begin(), first.dims.begin() + std::max<int64_t>(axis, 0),
                                          [](int64_t d) { return d == 1; });
    const int ir_axis = axis == rank - 1                   ? 2
                        : axis == rank - 2                 ? 1
                        : axis == rank - 3 && leading_ones ? 0
                                                           : -1;
    if (ir_axis < 0) fail(n, "activations are concatenated along one of the last three axes only");
    std::vector<TensorInfo> parts;
    std::vector<int64_t> out_dims = first.dims;
    out_dims[static_cast<size_t>(axis)] = 0;
    for (int i = 0; i < n.input_size(); ++i) {
      parts.push_back(contiguous(n, as_view(any_tensor(input(n, i), "Concat input"), n), true));
      if (parts.back().dims.size() != first.dims.size()) fail(n, "inputs of different ranks");
      out_dims[static_cast<size_t>(axis)] += parts.back().dims[static_cast<size_t>(axis)];
    }
    Layer l;
    l.name = layer_name(n);
    l.kind = LayerKind::kConcat;
    l.concat_axis = ir_axis;
    add_sequence_layer(l, n.output(0), parts[0], out_dims,
                       std::vector<TensorInfo>(parts.begin() + 1, parts.end()));
    return;
  }
  if (activations != 1 || axis != rank - 2)
    fail(n, "constants are concatenated to one activation along its rows (axis " + std::to_string(rank - 2) +
                ") only");
  const TensorInfo x = contiguous(n, first, true);
  int64_t before = 0, after = 0;
  std::vector<std::vector<float>> blocks;
  for (int i = 0; i < n.input_size(); ++i) {
    if (i == activation_index) continue;
    const onnx::TensorProto& t = initializer(n, i);
    std::vector<int64_t> td(t.dims().begin(), t.dims().end());
    while (static_cast<int64_t>(td.size()) < rank) td.insert(td.begin(), 1);
    if (static_cast<int64_t>(td.size()) != rank || td.back() != x.dims.back() ||
        !std::equal(td.begin(), td.end() - 2, x.dims.begin()) || x.shape.height != 1)
      fail(n, "a constant's dims do not match the activation's outside the concatenated axis");
    (i < activation_index ? before : after) += td[static_cast<size_t>(rank - 2)];
  }
  Layer pad;
  pad.name = unique_name(layer_name(n) + "_pad");
  pad.kind = LayerKind::kPad;
  pad.pad_left = static_cast<int>(before);
  pad.pad_right = static_cast<int>(after);
  std::vector<int64_t> out_dims = x.dims;
  out_dims[static_cast<size_t>(rank - 2)] += before + after;
  add_sequence_layer(pad, n.output(0) + "#pad", x, out_dims);
  const TensorInfo padded = tensors_.at(n.output(0) + "#pad");
  FloatParams p{{1.0f}, std::vector<float>(static_cast<size_t>(padded.shape.elements()), 0.0f), std::nullopt};
  size_t at = 0;
  for (int i = 0; i < n.input_size(); ++i) {
    const size_t rows = i == activation_index
                            ? static_cast<size_t>(x.dims[static_cast<size_t>(rank - 2)])
                            : static_cast<size_t>(initializer(n, i).dims(initializer(n, i).dims_size() - 2));
    const size_t span = rows * static_cast<size_t>(x.dims.back());
    if (i != activation_index) {
      const std::vector<float> values = floats(initializer(n, i));
      std::copy(values.begin(), values.end(), p.bias.begin() + static_cast<std::ptrdiff_t>(at));
    }
    at += span;
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kAffine;
  add_sequence_layer(l, n.output(0), padded, out_dims);
  result_.model.params[l.name] = std::move(p);
}

// Pad in constant mode of a view along its rows and the axis before (N x H x W x C: Swin pads H and W to
// whole windows), as a pad layer of the canonical H x W x C tensor; every other axis unpadded.
void OnnxImporter::sequence_pad(const onnx::NodeProto& n) {
  const TensorInfo v = any_tensor(input(n, 0), "Pad input");
  const auto* mode = attr(n, "mode");
  if (mode && mode->s() != "constant")
    fail(n, "mode '" + printable(mode->s()) + "' is not supported (constant only)");
  if (has_input(n, 3)) fail(n, "the axes input is not supported");
  const size_t rank = v.dims.size();
  std::vector<int64_t> pads;
  if (has_input(n, 1)) {
    pads = ints(initializer(n, 1));
  } else if (const auto* a = attr(n, "pads")) {
    pads.assign(a->ints().begin(), a->ints().end());
  }
  if (pads.size() != 2 * rank)
    fail(n, "pads must have a begin and an end for each of the " + std::to_string(rank) + " axes");
  if (rank == 4 && v.dims[0] == 1 && !pads[0] && !pads[1] && !pads[4] && !pads[5]) {  // N x C x H x W
    spatial_input(n);
    TensorInfo& map = tensors_.at(input(n, 0));
    if (!map.is_view()) return pad(n);
  }
  float value = attr_float(n, "value", 0.0f);
  if (has_input(n, 2)) value = constant(n, 2, 1, "constant_value")[0];
  for (size_t k = 0; k < rank; ++k) {
    const bool row_axis = rank >= 2 && k == rank - 2;
    const bool height_axis =
        rank >= 3 && k == rank - 3 &&
        count_of(std::vector<int64_t>(v.dims.begin(), v.dims.begin() + static_cast<std::ptrdiff_t>(k))) == 1;
    if (pads[k] < 0 || pads[k + rank] < 0 || pads[k] > kMaxWindow || pads[k + rank] > kMaxWindow)
      fail(n, "pads must be in 0.." + std::to_string(kMaxWindow));
    if ((pads[k] || pads[k + rank]) && !row_axis && !height_axis)
      fail(n,
           "only the last two axes before the features are padded (axis " + std::to_string(k) + " is not)");
  }
  const TensorInfo x = contiguous(n, v, true);
  if (std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p == 0; })) {
    tensors_[n.output(0)] = x;
    return;
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kPad;
  l.pad_value = value;
  l.pad_left = static_cast<int>(pads[rank - 2]), l.pad_right = static_cast<int>(pads[2 * rank - 2]);
  if (rank >= 3)
    l.pad_top = static_cast<int>(pads[rank - 3]), l.pad_bottom = static_cast<int>(pads[2 * rank - 3]);
  std::vector<int64_t> out_dims = x.dims;
  for (size_t k = 0; k < rank; ++k) out_dims[k] += pads[k] + pads[k + rank];
  add_sequence_layer(l, n.output(0), x, out_dims);
}

}  // namespace deepchip::sim
