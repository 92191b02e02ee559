#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/executor.hpp"
#include "sim/model.hpp"

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

QuantLayer quantize_gemm(const Layer& l, const FloatParams& p, const TensorQuant& in, const TensorQuant& out,
                         const QuantConfig& cfg) {
  QuantLayer q;
  q.out = out;
  const GemmShape g = gemm_shape(l);
  const int32_t wmax = (1 << (cfg.weight_bits - 1)) - 1;
  const size_t per_channel = static_cast<size_t>(g.k);
  double tensor_max = 0;
  for (float w : p.weights) tensor_max = std::max(tensor_max, std::fabs(static_cast<double>(w)));
  q.weights.resize(p.weights.size());
  for (int ch = 0; ch < l.out_channels; ++ch) {
    double ch_max = 0;
    for (size_t k = 0; k < per_channel; ++k)
      ch_max = std::max(ch_max, std::fabs(static_cast<double>(p.weights[ch * per_channel + k])));
    const double range = cfg.per_channel ? ch_max : tensor_max;
    const double s_w = range > 0 ? range / wmax : 1.0;
    q.weight_scale.push_back(s_w);
    for (size_t k = 0; k < per_channel; ++k) {
      const double v = std::round(p.weights[ch * per_channel + k] / s_w);
      q.weights[ch * per_channel + k] = static_cast<int32_t>(std::clamp<double>(v, -wmax, wmax));
    }
    const double acc_scale = in.scale * s_w;
    const double b = std::round(p.bias[static_cast<size_t>(ch)] / acc_scale);
    q.bias.push_back(static_cast<int32_t>(std::clamp<double>(b, -2147483647.0, 2147483647.0)));
    q.requant.push_back(make_requant(acc_scale / out.scale));
  }
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

}  // namespace

QuantModel quantize(const FloatModel& model, const QuantConfig& cfg) {
  QuantModel qm;
  qm.net = model.net;
  qm.config = cfg;
  const auto real = run_float(model);
  const int abits = cfg.activation_bits;
  for (const auto& [name, t] : model.inputs) {
    const TensorQuant tq = make_tensor_quant(abits, has_negative(t), max_abs(t));
    IntTensor q(t.shape);
    for (size_t i = 0; i < t.data.size(); ++i)
      q.data[i] =
          static_cast<int32_t>(std::clamp<double>(std::round(t.data[i] / tq.scale), tq.qmin, tq.qmax));
    qm.inputs[name] = std::move(q);
    qm.tensor_quant[name] = tq;
  }
  for (const auto& l : model.net.layers) {
    const TensorQuant& in = qm.tensor_quant.at(l.inputs[0]);
    const FloatTensor& y = real.at(l.name);
    QuantLayer q;
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kFullyConnected:
        q = quantize_gemm(l, model.params.at(l.name), in, make_tensor_quant(abits, !l.relu, max_abs(y)), cfg);
        break;
      case LayerKind::kMaxPool:
      case LayerKind::kAvgPool:
        q.out = in;
        break;
      case LayerKind::kRelu:
        q.out = in;
        q.out.is_signed = false;
        q.out.qmin = 0;
        break;
      case LayerKind::kAdd:
        q = quantize_add(in, qm.tensor_quant.at(l.inputs[1]), make_tensor_quant(abits, !l.relu, max_abs(y)));
        break;
    }
    qm.tensor_quant[l.name] = q.out;
    qm.layers[l.name] = std::move(q);
  }
  return qm;
}

}  // namespace deepchip::sim
