#include "sim/exec/sequence_ops.hpp"

#include <algorithm>
#include <cmath>

#include "sim/compress/quantize.hpp"
#include "sim/exec/kernels.hpp"

namespace deepchip::sim {

namespace {

// round(x * 2^bits), clamped to +-2^40 (far beyond any output code).
int64_t fixed_point(double x, int bits) {
  return std::llround(std::clamp(std::ldexp(x, bits), -1099511627776.0, 1099511627776.0));
}

}  // namespace

QuantLayer quantize_matmul(const Layer& l, const TensorQuant& a, const TensorQuant& b, int bits,
                           const TensorRange& range) {
  QuantLayer q;
  q.out = make_tensor_quant(bits, range.has_negative, range.max_abs);
  q.stored_weight_bits = bits;  // the second operand is an activation
  q.weight_scale = {b.scale};
  const size_t n = static_cast<size_t>(l.out_channels);
  q.requant.assign(n, make_requant(a.scale * b.scale * l.product_scale / q.out.scale));
  q.bias.assign(n, 0);
  return q;
}

QuantLayer quantize_softmax(const TensorQuant& in, int bits) {
  QuantLayer q;
  q.out = make_tensor_quant(bits, false, 1.0);  // scale 1 / qmax
  for (int64_t k = 0; k <= int64_t{in.qmax} - in.qmin; ++k)
    q.table.push_back(
        static_cast<int32_t>(std::lround(std::ldexp(std::exp(-k * in.scale), kSoftmaxExpBits))));
  return q;
}

QuantLayer quantize_layer_norm(const Layer& l, const FloatParams& p, const TensorQuant& in, int bits,
                               const TensorRange& range) {
  QuantLayer q;
  q.out = make_tensor_quant(bits, true, range.max_abs);
  for (size_t c = 0; c < p.weights.size(); ++c) {
    q.norm_multiplier.push_back(fixed_point(p.weights[c] / q.out.scale, kNormFractionBits));
    q.offset.push_back(fixed_point(p.bias[c] / q.out.scale, kNormFractionBits));
  }
  const double channels = l.in_shape.channels;
  q.norm_epsilon = static_cast<int64_t>(
      std::min(std::round(channels * channels * l.epsilon / (in.scale * in.scale)), 4.6e18));
  return q;
}

// Per row: m = max q, e_i = table[m - q_i], out_i = (e_i * qmax + sum / 2) / sum (sum >= table[0] > 0),
// over the keys the row sees (the rest stay 0: a masked key has probability 0, as e^-inf in the float form).
IntTensor int_softmax(const IntTensor& in, const QuantLayer& q, bool causal) {
  IntTensor out(in.shape);
  const size_t c = static_cast<size_t>(in.shape.channels);
  std::vector<int64_t> e(c);
  for (size_t row = 0; row < in.data.size(); row += c) {
    const size_t seen =
        static_cast<size_t>(softmax_visible_keys(in.shape, static_cast<int64_t>(row / c), causal));
    if (seen == 0) continue;
    const auto first = in.data.begin() + static_cast<std::ptrdiff_t>(row);
    const int32_t top = *std::max_element(first, first + static_cast<std::ptrdiff_t>(seen));
    int64_t sum = 0;
    for (size_t i = 0; i < seen; ++i) sum += e[i] = q.table[static_cast<size_t>(top - in.data[row + i])];
    for (size_t i = 0; i < seen; ++i)
      out.data[row + i] = static_cast<int32_t>((e[i] * q.out.qmax + sum / 2) / sum);
  }
  return out;
}

unsigned __int128 integer_sqrt(unsigned __int128 n) {
  if (n < 2) return n;
  int bits = 0;
  for (unsigned __int128 v = n; v > 0; v >>= 1) ++bits;
  unsigned __int128 x = static_cast<unsigned __int128>(1) << ((bits + 1) / 2);  // >= sqrt(n)
  for (;;) {  // Newton from above: decreases until floor(sqrt(n))
    const unsigned __int128 y = (x + n / x) / 2;
    if (y >= x) return x;
    x = y;
  }
}

// Per row of C codes: c_i = C q_i - sum q (C times the deviation), D = isqrt(sum c_i^2 / C + eps) (C times
// the standard deviation), r = floor(2^31 / D) (the one division), then
// y_i = (c_i r gamma_i + beta_i 2^31 + 2^46) >> 47 with gamma and beta in output units times 2^16.
IntTensor int_layer_norm(const IntTensor& in, const QuantLayer& q) {
  IntTensor out(in.shape);
  const size_t c = static_cast<size_t>(in.shape.channels);
  const int64_t channels = in.shape.channels;
  std::vector<int64_t> dev(c);
  for (size_t row = 0; row < in.data.size(); row += c) {
    int64_t sum = 0;
    for (size_t i = 0; i < c; ++i) sum += in.data[row + i];
    unsigned __int128 squares = 0;
    for (size_t i = 0; i < c; ++i) {
      dev[i] = channels * in.data[row + i] - sum;
      squares += static_cast<unsigned __int128>(static_cast<__int128>(dev[i]) * dev[i]);
    }
    const unsigned __int128 d =
        std::max<unsigned __int128>(integer_sqrt(squares / static_cast<unsigned __int128>(channels) +
                                                 static_cast<unsigned __int128>(q.norm_epsilon)),
                                    1);
    const __int128 r = (static_cast<__int128>(1) << kNormReciprocalBits) / static_cast<__int128>(d);
    for (size_t i = 0; i < c; ++i) {
      const __int128 y =
          static_cast<__int128>(dev[i]) * r * q.norm_multiplier[i] +
          static_cast<__int128>(q.offset[i]) * (static_cast<__int128>(1) << kNormReciprocalBits);
      out.data[row + i] = clamp_to(round_shift(y, kNormReciprocalBits + kNormFractionBits), q.out);
    }
  }
  return out;
}

}  // namespace deepchip::sim
