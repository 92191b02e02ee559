#include "sim/compress/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/compress/compression.hpp"
#include "sim/compress/pruning.hpp"
#include "sim/exec/float_executor.hpp"
#include "sim/exec/golden.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/exec/sequence_ops.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

TensorQuant make_tensor_quant(int bits, bool is_signed, double max_abs_real) {
  TensorQuant q;
  q.bits = bits;
  q.is_signed = is_signed;
  q.qmax = is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  q.qmin = is_signed ? -q.qmax : 0;
  q.scale = max_abs_real > 0 ? max_abs_real / q.qmax : 1.0;
  return q;
}

Requant make_requant(double real) {
  Requant r;
  if (!(real > 0)) return r;
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);  // real = fraction * 2^exponent, fraction in [0.5, 1)
  int64_t m = std::llround(fraction * 2147483648.0);    // * 2^31
  int shift = 31 - exponent;
  if (m == (int64_t{1} << 31)) {
    m /= 2;
    --shift;
  }
  if (shift > 62) {  // tiny multiplier: keep the largest shift, lose leading precision
    m = std::llround(std::ldexp(real, 62));
    shift = 62;
  }
  if (shift < 0) {  // huge multiplier (>= 2^31): saturate
    m = std::numeric_limits<int32_t>::max();
    shift = 0;
  }
  r.multiplier = static_cast<int32_t>(m);
  r.shift = shift;
  return r;
}

int64_t apply_requant(int64_t acc, const Requant& r) {
  const __int128 product = static_cast<__int128>(acc) * r.multiplier;
  if (r.shift == 0) {
    const __int128 lim = std::numeric_limits<int64_t>::max();
    return static_cast<int64_t>(product > lim ? lim : (product < -lim ? -lim : product));
  }
  const __int128 rounded = (product + (static_cast<__int128>(1) << (r.shift - 1))) >> r.shift;  // floor shift
  const __int128 lim = std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(rounded > lim ? lim : (rounded < -lim ? -lim : rounded));
}

namespace {

double max_abs(const FloatTensor& t) {
  double m = 0;
  for (float v : t.data) m = std::max(m, std::fabs(static_cast<double>(v)));
  return m;
}

bool has_negative(const FloatTensor& t) {
  return std::any_of(t.data.begin(), t.data.end(), [](float v) { return v < 0; });
}

// Bias in accumulator units and the requantization of every output channel, from the weight scales.
void finish_gemm_quant(QuantLayer& q, const Layer& l, const FloatParams& p, const TensorQuant& in,
                       const TensorQuant& out) {
  for (int ch = 0; ch < l.out_channels; ++ch) {
    const double acc_scale = in.scale * q.weight_scale[static_cast<size_t>(ch)];
    const double b = std::round(p.bias[static_cast<size_t>(ch)] / acc_scale);
    q.bias.push_back(
        static_cast<int32_t>(std::clamp<double>(b, -double(kSaturatedBias), double(kSaturatedBias))));
    q.requant.push_back(make_requant(acc_scale / out.scale));
  }
}

// DeepChip asymmetric ternary, per layer: delta = t * max|W|; Wp, Wn = mean magnitude of the weights above
// +delta and below -delta; the larger scale maps to the integer 127 and the other is rounded on the same
// scale, so the effective integer weights are +Wp_i, 0, -Wn_i.
QuantLayer quantize_ternary(const Layer& l, const FloatParams& p, const TensorQuant& in,
                            const TensorQuant& out, double threshold) {
  QuantLayer q;
  q.out = out;
  q.format = WeightFormat::kTernary;
  q.stored_weight_bits = 2;
  double max_abs_w = 0;
  for (float w : p.weights) max_abs_w = std::max(max_abs_w, std::fabs(static_cast<double>(w)));
  // Trained ternary weights keep their own zeros (every nonzero is above any threshold below 1).
  const double delta = p.trained_ternary ? 0.0 : threshold * max_abs_w;
  double pos_sum = 0, neg_sum = 0;
  int64_t pos_n = 0, neg_n = 0;
  for (float w : p.weights) {
    if (w > delta) pos_sum += w, ++pos_n;
    if (w < -delta) neg_sum -= w, ++neg_n;
  }
  double wp = pos_n ? pos_sum / pos_n : 0, wn = neg_n ? neg_sum / neg_n : 0;
  if (p.trained_ternary) {
    wp = p.trained_ternary->wp;
    wn = p.trained_ternary->wn;
    q.trained_ternary_scales = true;
  }
  if (wp == 0) wp = wn > 0 ? wn : 1.0;
  if (wn == 0) wn = wp;
  const double s_w = std::max(wp, wn) / 127.0;
  q.pos_scale = std::max<int32_t>(1, static_cast<int32_t>(std::lround(wp / s_w)));
  q.neg_scale = std::max<int32_t>(1, static_cast<int32_t>(std::lround(wn / s_w)));
  q.weights.resize(p.weights.size());
  for (size_t i = 0; i < p.weights.size(); ++i)
    q.weights[i] = p.weights[i] > delta ? q.pos_scale : (p.weights[i] < -delta ? -q.neg_scale : 0);
  q.weight_scale.assign(static_cast<size_t>(l.out_channels), s_w);
  finish_gemm_quant(q, l, p, in, out);
  return q;
}

// Binary: sign(w) times one per-layer scale, the mean |w| of the unpruned weights; pruned weights stay 0.
QuantLayer quantize_binary(const Layer& l, const FloatParams& p, const TensorQuant& in,
                           const TensorQuant& out) {
  QuantLayer q;
  q.out = out;
  q.format = WeightFormat::kBinary;
  double sum = 0;
  int64_t n = 0;
  for (float w : p.weights)
    if (w != 0.0f) sum += std::fabs(static_cast<double>(w)), ++n;
  const double alpha = n ? sum / n : 1.0;
  q.weights.resize(p.weights.size());
  bool has_zero = false;
  for (size_t i = 0; i < p.weights.size(); ++i) {
    q.weights[i] = p.weights[i] > 0 ? 1 : (p.weights[i] < 0 ? -1 : 0);
    has_zero = has_zero || q.weights[i] == 0;
  }
  q.stored_weight_bits = has_zero ? 2 : 1;
  q.weight_scale.assign(static_cast<size_t>(l.out_channels), alpha);
  finish_gemm_quant(q, l, p, in, out);
  return q;
}

QuantLayer quantize_int(const Layer& l, const FloatParams& p, const TensorQuant& in, const TensorQuant& out,
                        int weight_bits, bool per_channel) {
  QuantLayer q;
  q.out = out;
  q.format = WeightFormat::kInt;
  q.stored_weight_bits = weight_bits;
  const GemmShape g = gemm_shape(l);
  const int32_t wmax = (1 << (weight_bits - 1)) - 1;
  const size_t per_channel_count = static_cast<size_t>(g.k);
  double tensor_max = 0;
  for (float w : p.weights) tensor_max = std::max(tensor_max, std::fabs(static_cast<double>(w)));
  q.weights.resize(p.weights.size());
  for (int ch = 0; ch < l.out_channels; ++ch) {
    double ch_max = 0;
    for (size_t k = 0; k < per_channel_count; ++k)
      ch_max = std::max(ch_max, std::fabs(static_cast<double>(p.weights[ch * per_channel_count + k])));
    const double range = per_channel ? ch_max : tensor_max;
    const double s_w = range > 0 ? range / wmax : 1.0;
    q.weight_scale.push_back(s_w);
    for (size_t k = 0; k < per_channel_count; ++k) {
      const double v = std::round(p.weights[ch * per_channel_count + k] / s_w);
      q.weights[ch * per_channel_count + k] = static_cast<int32_t>(std::clamp<double>(v, -wmax, wmax));
    }
  }
  finish_gemm_quant(q, l, p, in, out);
  return q;
}

QuantLayer quantize_add(const TensorQuant& a, const TensorQuant& b, const TensorQuant& out) {
  QuantLayer q;
  q.out = out;
  Requant ra = make_requant(a.scale / out.scale), rb = make_requant(b.scale / out.scale);
  // Both inputs share one shift so that the sum is rounded once.
  const int shift = std::min(ra.shift, rb.shift);
  ra.multiplier = static_cast<int32_t>(std::llround(std::ldexp(a.scale / out.scale, shift)));
  rb.multiplier = static_cast<int32_t>(std::llround(std::ldexp(b.scale / out.scale, shift)));
  ra.shift = rb.shift = shift;
  q.requant = {ra, rb};
  return q;
}

// The code of a real value: round(real / scale), half away from zero, clamped to the tensor's range.
int32_t code_of(double real, const TensorQuant& q) {
  return static_cast<int32_t>(std::clamp<double>(std::round(real / q.scale), q.qmin, q.qmax));
}

// y = clamp(requant(a * b)): one multiplier sa * sb / so for the exact integer product.
QuantLayer quantize_mul(const TensorQuant& a, const TensorQuant& b, int bits, double y_max) {
  QuantLayer q;
  q.out = make_tensor_quant(bits, a.is_signed || b.is_signed, y_max);
  q.requant = {make_requant(a.scale * b.scale / q.out.scale)};
  return q;
}

// Every input requantized to the output's scale (an equal scale is the identity: 2^30 >> 30).
QuantLayer quantize_concat(const std::vector<TensorQuant>& inputs, int bits, double y_max) {
  QuantLayer q;
  const bool is_signed =
      std::any_of(inputs.begin(), inputs.end(), [](const TensorQuant& t) { return t.is_signed; });
  q.out = make_tensor_quant(bits, is_signed, y_max);
  for (const auto& in : inputs) q.requant.push_back(make_requant(in.scale / q.out.scale));
  return q;
}

// The table of a unary function: for every input code v, round(f(v * s_in) / s_out) (half away from zero,
// in double), clamped to the output's range. Sigmoid and HardSigmoid are never negative; HardSwish and SiLU
// are negative only for negative inputs, so the output is signed exactly when they meet a signed input.
QuantLayer quantize_lookup(const Layer& l, const TensorQuant& in, int bits, double y_max) {
  QuantLayer q;
  const bool can_be_negative = l.function == Function::kHardSwish || l.function == Function::kSilu;
  q.out = make_tensor_quant(bits, can_be_negative && in.is_signed, y_max);
  q.table_first = in.qmin;
  for (int64_t v = in.qmin; v <= in.qmax; ++v) {
    const double y = evaluate(l.function, static_cast<double>(v) * in.scale, l.alpha, l.beta);
    q.table.push_back(code_of(y, q.out));
  }
  return q;
}

// Per channel, x * sx * scale_c / so as a signed fixed-point multiplier with its own shift (at most 40, so
// that the offset fits), and shift_c / so (clamped to +-2^21, far beyond any output code) times 2^shift.
// Scales and shifts come one per channel or one per element (a positional embedding); the offset of an
// element is its shift in output units times 2^shift of its own scale's requantization.
QuantLayer quantize_affine(const FloatParams& p, const TensorQuant& in, const TensorQuant& out) {
  QuantLayer q;
  q.out = out;
  constexpr int kMaxShift = 40;
  for (size_t c = 0; c < p.weights.size(); ++c) {
    const double r = in.scale * p.weights[c] / out.scale;
    Requant rq = make_requant(std::fabs(r));
    if (rq.shift > kMaxShift)
      rq = {static_cast<int32_t>(std::llround(std::ldexp(std::fabs(r), kMaxShift))), kMaxShift};
    if (r < 0) rq.multiplier = -rq.multiplier;
    q.requant.push_back(rq);
  }
  for (size_t i = 0; i < p.bias.size(); ++i) {
    const double shift = std::clamp(p.bias[i] / out.scale, -2097152.0, 2097152.0);
    q.offset.push_back(std::llround(std::ldexp(shift, q.requant[i % q.requant.size()].shift)));
  }
  return q;
}

QuantLayer quantize_gemm(const Network& net, const Layer& l, const FloatParams& p, const TensorQuant& in,
                         const TensorQuant& out, const QuantConfig& cfg) {
  const LayerFormat f = cfg.format_of(net, l);
  switch (f.format) {
    case WeightFormat::kTernary:
      return quantize_ternary(l, p, in, out, cfg.ternary_threshold);
    case WeightFormat::kBinary:
      return quantize_binary(l, p, in, out);
    case WeightFormat::kInt:
      break;
  }
  return quantize_int(l, p, in, out, f.weight_bits, cfg.per_channel);
}

}  // namespace

std::optional<TernaryScales> ternary_values(const std::vector<float>& weights) {
  float pos = 0, neg = 0;
  for (float w : weights) {
    float& slot = w > 0 ? pos : neg;
    if (w == 0) continue;
    if (slot == 0) slot = w;
    if (w != slot) return std::nullopt;
  }
  if (pos == 0 || neg == 0) return std::nullopt;
  return TernaryScales{pos, -static_cast<double>(neg)};
}

LayerFormat QuantConfig::format_of(const Network& net, const Layer& layer) const {
  LayerFormat f{weight_format, weight_bits, sparsity};
  if (first_last_weight_bits > 0) {
    const Layer* first = nullptr;
    const Layer* last = nullptr;
    for (const auto& l : net.layers)
      if (l.is_gemm()) {
        if (!first) first = &l;
        last = &l;
      }
    if (&layer == first || &layer == last || layer.name == first->name || layer.name == last->name) {
      f.format = WeightFormat::kInt;
      f.weight_bits = first_last_weight_bits;
    }
  }
  const auto o = overrides.find(layer.name);
  if (o != overrides.end()) {
    if (o->second.weight_format) f.format = *o->second.weight_format;
    if (o->second.weight_bits) f.weight_bits = *o->second.weight_bits;
    if (o->second.sparsity) f.sparsity = *o->second.sparsity;
  }
  return f;
}

std::vector<int32_t> weight_codes(const QuantLayer& q) {
  if (q.format == WeightFormat::kInt) return q.weights;
  std::vector<int32_t> codes(q.weights.size());
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = (q.weights[i] > 0) - (q.weights[i] < 0);
  return codes;
}

TensorRanges calibrate(const FloatModel& model,
                       const std::vector<std::map<std::string, FloatTensor>>& inputs) {
  TensorRanges ranges;
  auto note = [&](const std::string& name, const FloatTensor& t) {
    TensorRange& r = ranges[name];
    r.max_abs = std::max(r.max_abs, max_abs(t));
    r.has_negative = r.has_negative || has_negative(t);
  };
  // Many inputs share one runner's weights; a single input makes each layer's weights as it goes.
  const FloatRunner runner(model, inputs.size() > 1 ? WeightKeeping::kKept : WeightKeeping::kChunked);
  for (const auto& in : inputs)
    for (const auto& [name, t] : runner.run(in)) note(name, t);
  return ranges;
}

QuantModel quantize(const FloatModel& original, const QuantConfig& cfg) {
  return quantize(original, cfg, {original.inputs});
}

QuantModel quantize(const FloatModel& original, const QuantConfig& cfg,
                    const std::vector<std::map<std::string, FloatTensor>>& calibration_inputs) {
  bool any_pruning = cfg.sparsity > 0;
  for (const auto& [name, o] : cfg.overrides) any_pruning = any_pruning || o.sparsity.value_or(0) > 0;
  FloatModel pruned;
  if (any_pruning) {
    pruned = original;
    prune(pruned, cfg);
  }
  const FloatModel& model = any_pruning ? pruned : original;
  QuantModel qm;
  qm.net = model.net;
  qm.config = cfg;
  // Ranges of the pruned model: pruning changes the activations the quantized model will see.
  const TensorRanges range = calibrate(model, calibration_inputs);
  const int abits = cfg.activation_bits;
  for (const auto& input : model.net.inputs) {
    const TensorRange& r = range.at(input.name);
    qm.tensor_quant[input.name] = make_tensor_quant(abits, r.has_negative, r.max_abs);
  }
  for (const auto& [name, t] : model.inputs) {
    const TensorQuant& tq = qm.tensor_quant.at(name);
    IntTensor q(t.shape);
    for (size_t i = 0; i < t.data.size(); ++i)
      q.data[i] =
          static_cast<int32_t>(std::clamp<double>(std::round(t.data[i] / tq.scale), tq.qmin, tq.qmax));
    qm.inputs[name] = std::move(q);
  }
  for (const auto& l : model.net.layers) {
    const TensorQuant& in = qm.tensor_quant.at(l.inputs[0]);
    const double y_max = range.at(l.name).max_abs;
    QuantLayer q;
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kFullyConnected:
        q = quantize_gemm(model.net, l, model.params.at(l.name), in, make_tensor_quant(abits, !l.relu, y_max),
                          cfg);
        break;
      case LayerKind::kMaxPool:
      case LayerKind::kAvgPool:
        q.out = in;
        break;
      case LayerKind::kRelu:
        q.out = in;
        q.out.is_signed = false;
        q.out.qmin = 0;
        if (std::isfinite(l.clip_max))  // a ReLU6 of its own: the clip in the input's scale
          q.out.qmax = static_cast<int32_t>(
              std::clamp<double>(std::round(l.clip_max / in.scale), 0, static_cast<double>(in.qmax)));
        break;
      case LayerKind::kAdd:
        q = quantize_add(in, qm.tensor_quant.at(l.inputs[1]), make_tensor_quant(abits, !l.relu, y_max));
        break;
      case LayerKind::kMul:
        q = quantize_mul(in, qm.tensor_quant.at(l.inputs[1]), abits, y_max);
        break;
      case LayerKind::kConcat: {
        std::vector<TensorQuant> inputs;
        for (const auto& name : l.inputs) inputs.push_back(qm.tensor_quant.at(name));
        q = quantize_concat(inputs, abits, y_max);
        break;
      }
      case LayerKind::kLookup:
        q = quantize_lookup(l, in, abits, y_max);
        break;
      case LayerKind::kAffine:
        q = quantize_affine(model.params.at(l.name), in, make_tensor_quant(abits, !l.relu, y_max));
        break;
      case LayerKind::kPad:  // the input's scale; the constant rounded to it and clamped to its range
        q.out = in;
        q.pad_code = code_of(l.pad_value, in);
        break;
      case LayerKind::kSlice:
      case LayerKind::kShuffle:
      case LayerKind::kGather:
        q.out = in;
        break;
      case LayerKind::kMatMul:
        q = quantize_matmul(l, in, qm.tensor_quant.at(l.inputs[1]), abits, range.at(l.name));
        break;
      case LayerKind::kSoftmax:
        q = quantize_softmax(in, abits);
        break;
      case LayerKind::kLayerNorm:
        q = quantize_layer_norm(l, model.params.at(l.name), in, abits, range.at(l.name));
        break;
    }
    qm.tensor_quant[l.name] = q.out;
    if (l.is_gemm()) qm.storage[l.name] = layer_weight_storage(q, cfg.huffman);
    qm.layers[l.name] = std::move(q);
  }
  return qm;
}

}  // namespace deepchip::sim
