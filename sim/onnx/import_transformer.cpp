// The transformer operators of the ONNX importer: Softmax, LayerNorm and GELU fused from the forms torch
// 1.13 exports, and Concat and Pad of tokens (a class token, Swin's roll and windows). Views and tensors of
// tokens: import_sequence.cpp.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "sim/onnx/importer.hpp"

namespace deepchip::sim {

// Softmax over the last axis (opset 13: the default; before it, axis 1 of a 2-D tensor is the last too).
void OnnxImporter::softmax(const onnx::NodeProto& n) {
  const TensorInfo v = as_view(any_tensor(input(n, 0), "Softmax input"), n);
  const int64_t rank = static_cast<int64_t>(v.dims.size());
  int64_t axis = attr_int(n, "axis", opset() >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  if (axis != rank - 1) fail(n, "only the last axis is normalized, got axis " + std::to_string(axis));
  Layer l;
  l.kind = LayerKind::kSoftmax;
  l.causal = causal_scores_.count(input(n, 0)) > 0;
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
  add_gelu(n, x, half->output(0), Function::kGelu);
  return true;
}

// One GELU lookup layer of `x` whose result is tensor `out`.
void OnnxImporter::add_gelu(const onnx::NodeProto& n, const std::string& x, const std::string& out,
                            Function f) {
  Layer l;
  l.kind = LayerKind::kLookup;
  l.function = f;
  l.name = layer_name(n);
  const TensorInfo& in = any_tensor(x, "GELU input");
  if (in.is_view()) {
    const TensorInfo c = contiguous(n, in);
    add_sequence_layer(l, out, c, c.dims);
  } else {
    add_layer(l, out, in);
    tensors_[out].flat = in.flat;
    tensors_[out].nchw = in.nchw;
  }
}

// torch's tanh GELU (gelu(approximate='tanh'), GPT-2's): x * x, * x, * 0.044715, + x, * sqrt(2 / pi), Tanh,
// + 1, * x, * 0.5 (in that order): one lookup layer when every intermediate has no other reader.
bool OnnxImporter::gelu_tanh(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  if (!has_input(n, 1) || input(n, 1) != x || initializers_.count(x)) return false;
  auto scalar_near = [&](const onnx::NodeProto& op, double want) {
    for (int i = 0; i < 2; ++i)
      if (initializers_.count(input(op, i))) {
        const std::vector<float> v = floats(initializer(op, i));
        return v.size() == 1 && std::fabs(v[0] - want) <= 1e-6 * std::fabs(want);
      }
    return false;
  };
  auto reads_x = [&](const onnx::NodeProto* op) { return op && (input(*op, 0) == x || input(*op, 1) == x); };
  const onnx::NodeProto* cube = sole_reader(n.output(0), "Mul");
  if (!reads_x(cube)) return false;
  const onnx::NodeProto* scaled = sole_reader(cube->output(0), "Mul");
  if (!scaled || !scalar_near(*scaled, 0.044715)) return false;
  const onnx::NodeProto* inner = sole_reader(scaled->output(0), "Add");
  if (!reads_x(inner)) return false;
  const onnx::NodeProto* arg = sole_reader(inner->output(0), "Mul");
  if (!arg || !scalar_near(*arg, std::sqrt(2.0 / M_PI))) return false;
  const onnx::NodeProto* tanh = sole_reader(arg->output(0), "Tanh");
  const onnx::NodeProto* one = tanh ? sole_reader(tanh->output(0), "Add") : nullptr;
  if (!one || !scalar_near(*one, 1.0)) return false;
  const onnx::NodeProto* gate = sole_reader(one->output(0), "Mul");
  if (!reads_x(gate)) return false;
  const onnx::NodeProto* half = sole_reader(gate->output(0), "Mul");
  if (!half || !scalar_near(*half, 0.5)) return false;
  for (const auto* f : {cube, scaled, inner, arg, tanh, one, gate, half}) fused_.insert(f);
  add_gelu(n, x, half->output(0), Function::kGeluTanh);
  return true;
}

// torch's causal mask before a Softmax: Where(mask, -inf, scores) (masked_fill) or Where(keep, scores, -inf)
// with a constant boolean mask over the scores' last two axes (queries x keys; ones before them) that hides
// exactly the keys after each query (key j > query i + keys - queries). It becomes the Softmax's causal flag:
// a hidden key has probability 0, as e^-inf.
void OnnxImporter::causal_mask(const onnx::NodeProto& n) {
  if (!sole_reader(n.output(0), "Softmax") || n.input_size() != 3)
    fail(n, "a Where is supported only as a causal attention mask read by a Softmax");
  const int scores = !initializers_.count(input(n, 2)) ? 2 : 1;
  const int fill = 3 - scores;
  const TensorInfo v = as_view(any_tensor(input(n, scores), "Where scores"), n);
  if (!initializers_.count(input(n, 0)) || !initializers_.count(input(n, fill)))
    fail(n, "a causal mask's condition and fill value must be constants");
  const onnx::TensorProto& f = initializer(n, fill);
  float fill_value = 0;  // read as stored: floats() refuses the infinity this is
  if (f.data_type() == onnx::TensorProto::FLOAT && elements(f) == 1) {
    if (f.raw_data().size() == sizeof(float))
      std::memcpy(&fill_value, f.raw_data().data(), sizeof(float));
    else if (f.raw_data().empty() && f.float_data_size() == 1)
      fill_value = f.float_data(0);
  }
  // -inf, or the lowest float (e^(lowest - max) is 0 in float and double alike)
  if (!(fill_value <= -1e30f)) fail(n, "a causal mask's fill value must be -inf (or the lowest float)");
  if (!is_causal_mask(n, 0, fill == 1, v.dims))
    fail(n, "the mask is not causal (it must hide exactly the keys after each query)");
  tensors_[n.output(0)] = any_tensor(input(n, scores), "Where scores");
  causal_scores_.insert(n.output(0));
}

bool OnnxImporter::is_causal_mask(const onnx::NodeProto& n, int mask_index, bool fill_where_true,
                                  const std::vector<int64_t>& scores_dims) {
  const Array mask = array_of(initializer(n, mask_index));
  const size_t rank = mask.dims.size();
  if (mask.type != onnx::TensorProto::BOOL || rank < 2 || scores_dims.size() < 2) return false;
  for (size_t i = 0; i + 2 < rank; ++i)
    if (mask.dims[i] != 1) return false;
  const int64_t queries = mask.dims[rank - 2], keys = mask.dims[rank - 1];
  if (queries != scores_dims[scores_dims.size() - 2] || keys != scores_dims.back()) return false;
  for (int64_t i = 0; i < queries; ++i)
    for (int64_t j = 0; j < keys; ++j) {
      const bool hidden = (mask.values[static_cast<size_t>(i * keys + j)] != 0) == fill_where_true;
      if (hidden != (j > i + keys - queries)) return false;
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
  std::vector<int64_t> rows(static_cast<size_t>(n.input_size()), x.dims[static_cast<size_t>(rank - 2)]);
  for (int i = 0; i < n.input_size(); ++i) {
    if (i == activation_index) continue;
    const onnx::TensorProto& t = initializer(n, i);
    std::vector<int64_t> td(t.dims().begin(), t.dims().end());
    while (static_cast<int64_t>(td.size()) < rank) td.insert(td.begin(), 1);
    if (static_cast<int64_t>(td.size()) != rank || td.back() != x.dims.back() ||
        !std::equal(td.begin(), td.end() - 2, x.dims.begin()) || x.shape.height != 1)
      fail(n, "a constant's dims do not match the activation's outside the concatenated axis");
    rows[static_cast<size_t>(i)] = td[static_cast<size_t>(rank - 2)];
    (i < activation_index ? before : after) += rows[static_cast<size_t>(i)];
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
    const size_t span = static_cast<size_t>(rows[static_cast<size_t>(i)] * x.dims.back());
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
