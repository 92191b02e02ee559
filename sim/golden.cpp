// The golden integer executor. Compiled with -fwrapv: int32 GEMMs wrap modulo 2^32, which equals the
// documented accumulator semantics for accumulators of up to 32 bits; wider accumulators use int64.
#include <algorithm>
#include <cstdlib>

#include "sim/executor.hpp"
#include "sim/kernels.hpp"

namespace deepchip::sim {

namespace {

template <typename Acc>
void gemm_group(const IntTensor& input, const Layer& l, const QuantLayer& q, int group, int acc_bits,
                IntTensor& out) {
  const GemmShape g = gemm_shape(l);
  const RowMatrix<Acc> x = im2col(input, l, group).template cast<Acc>();
  const RowMatrix<Acc> w = gemm_weights(q.weights, l, group).template cast<Acc>();
  const RowMatrix<Acc> y = x * w;
  for (int64_t m = 0; m < g.m; ++m)
    for (int64_t n = 0; n < g.n; ++n) {
      const int ch = static_cast<int>(group * g.n + n);
      out.data[static_cast<size_t>(m * l.out_channels + ch)] = finish_output(y(m, n), ch, q, acc_bits);
    }
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

template <typename Combine>
IntTensor window_op(const IntTensor& in, const Layer& l, Combine&& combine) {
  IntTensor out(l.out_shape);
  for (int oy = 0; oy < l.out_shape.height; ++oy)
    for (int ox = 0; ox < l.out_shape.width; ++ox)
      for (int c = 0; c < l.out_shape.channels; ++c) {
        std::vector<int32_t> window;
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h - l.pad_top + ky * l.dilation_h,
                      ix = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
            if (iy >= 0 && iy < in.shape.height && ix >= 0 && ix < in.shape.width)
              window.push_back(in.at(iy, ix, c));
          }
        out.at(oy, ox, c) = combine(window);
      }
  return out;
}

}  // namespace

IntTensor golden_gemm_layer(const IntTensor& input, const Layer& l, const QuantLayer& q, int acc_bits) {
  IntTensor out(l.out_shape);
  for (int grp = 0; grp < l.groups; ++grp) {
    if (acc_bits <= 32)
      gemm_group<int32_t>(input, l, q, grp, acc_bits, out);
    else
      gemm_group<int64_t>(input, l, q, grp, acc_bits, out);
  }
  return out;
}

// Max over the window positions inside the input (padding never wins).
IntTensor int_maxpool(const IntTensor& in, const Layer& l) {
  return window_op(in, l,
                   [](const std::vector<int32_t>& w) { return *std::max_element(w.begin(), w.end()); });
}

// Mean over the window positions inside the input, rounded half up: floor((2*sum + n) / (2*n)).
IntTensor int_avgpool(const IntTensor& in, const Layer& l) {
  return window_op(in, l, [](const std::vector<int32_t>& w) {
    int64_t sum = 0;
    for (int32_t v : w) sum += v;
    const int64_t n = static_cast<int64_t>(w.size());
    return static_cast<int32_t>(floor_div(2 * sum + n, 2 * n));
  });
}

IntTensor int_relu(const IntTensor& in) {
  IntTensor out = in;
  for (auto& v : out.data) v = std::max(v, 0);
  return out;
}

// y = clamp((a * ma + b * mb + 2^(s-1)) >> s), one rounding for the sum.
IntTensor int_add(const IntTensor& a, const IntTensor& b, const QuantLayer& q) {
  IntTensor out = a;
  const Requant& ra = q.requant[0];
  const Requant& rb = q.requant[1];
  for (size_t i = 0; i < out.data.size(); ++i) {
    const __int128 sum =
        static_cast<__int128>(a.data[i]) * ra.multiplier + static_cast<__int128>(b.data[i]) * rb.multiplier;
    const __int128 rounded =
        ra.shift > 0 ? (sum + (static_cast<__int128>(1) << (ra.shift - 1))) >> ra.shift : sum;
    const int64_t r =
        rounded > INT64_MAX ? INT64_MAX : (rounded < -INT64_MAX ? -INT64_MAX : static_cast<int64_t>(rounded));
    out.data[i] = clamp_to(r, q.out);
  }
  return out;
}

std::map<std::string, IntTensor> run_golden(const QuantModel& model, int acc_bits) {
  return run_golden(model, acc_bits, model.inputs);
}

std::map<std::string, IntTensor> run_golden(const QuantModel& model, int acc_bits,
                                            const std::map<std::string, IntTensor>& inputs) {
  std::map<std::string, IntTensor> t = inputs;
  for (const auto& l : model.net.layers) {
    const IntTensor& in = t.at(l.inputs[0]);
    const QuantLayer& q = model.layers.at(l.name);
    IntTensor out;
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kFullyConnected:
        out = golden_gemm_layer(in, l, q, acc_bits);
        break;
      case LayerKind::kMaxPool:
        out = int_maxpool(in, l);
        break;
      case LayerKind::kAvgPool:
        out = int_avgpool(in, l);
        break;
      case LayerKind::kRelu:
        out = int_relu(in);
        break;
      case LayerKind::kAdd:
        out = int_add(in, t.at(l.inputs[1]), q);
        break;
    }
    t[l.name] = std::move(out);
  }
  return t;
}

int64_t worst_case_accumulator(const QuantModel& model, const Layer& l) {
  // Exact extremes over all inputs in range: unsigned inputs in [0, qmax] reach qmax * (sum of positive
  // weights) and qmax * (sum of negative weights); signed inputs reach +-qmax * (sum of |w|).
  const TensorQuant& in = model.tensor_quant.at(l.inputs[0]);
  const QuantLayer& q = model.layers.at(l.name);
  const int64_t k = gemm_shape(l).k;
  int64_t worst = 0;
  for (int ch = 0; ch < l.out_channels; ++ch) {
    int64_t pos = 0, neg = 0;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t w = q.weights[static_cast<size_t>(ch * k + i)];
      (w > 0 ? pos : neg) += w;
    }
    const int64_t b = q.bias[static_cast<size_t>(ch)];
    const int64_t hi = in.is_signed ? in.qmax * (pos - neg) + b : in.qmax * pos + b;
    const int64_t lo = in.is_signed ? -in.qmax * (pos - neg) + b : in.qmax * neg + b;
    worst = std::max({worst, std::abs(hi), std::abs(lo)});
  }
  return worst;
}

}  // namespace deepchip::sim
