// The integer kernels of the vector layers (every layer but conv and FC), shared by the golden executor,
// the accelerator's vector unit and the ARM cores: one definition of each operator's integer semantics
// (sim/README.md "Integer semantics").
#include "sim/exec/vector_kernels.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "sim/exec/kernels.hpp"
#include "sim/exec/layout_kernels.hpp"
#include "sim/exec/sequence_ops.hpp"

namespace deepchip::sim {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Visits the window positions inside the input of every output element: finish(visit-all) per element.
template <typename Window>
IntTensor window_op(const IntTensor& in, const Layer& l, Window&& window) {
  IntTensor out(l.out_shape);
  for (int oy = 0; oy < l.out_shape.height; ++oy)
    for (int ox = 0; ox < l.out_shape.width; ++ox)
      for (int c = 0; c < l.out_shape.channels; ++c) {
        auto state = window.start();
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h - l.pad_top + ky * l.dilation_h,
                      ix = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
            if (iy >= 0 && iy < in.shape.height && ix >= 0 && ix < in.shape.width)
              window.add(state, in.at(iy, ix, c));
          }
        out.at(oy, ox, c) = window.finish(state);
      }
  return out;
}

struct MaxWindow {
  struct State {
    int32_t max = std::numeric_limits<int32_t>::min();
  };
  State start() const { return {}; }
  void add(State& s, int32_t v) const { s.max = std::max(s.max, v); }
  int32_t finish(const State& s) const { return s.max; }
};

struct MeanWindow {
  struct State {
    int64_t sum = 0, count = 0;
  };
  State start() const { return {}; }
  void add(State& s, int32_t v) const { s.sum += v, ++s.count; }
  // Rounded half up: floor((2*sum + n) / (2*n)).
  int32_t finish(const State& s) const {
    return static_cast<int32_t>(floor_div(2 * s.sum + s.count, 2 * s.count));
  }
};

}  // namespace

size_t broadcast_index(size_t i, const Shape& b) {
  if (b.height == 1 && b.width == 1) return b.channels == 1 ? 0 : i % static_cast<size_t>(b.channels);
  return i;
}

IntTensor int_maxpool(const IntTensor& in, const Layer& l) { return window_op(in, l, MaxWindow{}); }

IntTensor int_avgpool(const IntTensor& in, const Layer& l) { return window_op(in, l, MeanWindow{}); }

IntTensor int_relu(const IntTensor& in, int32_t upper) {
  IntTensor out = in;
  for (auto& v : out.data) v = std::min(std::max(v, 0), upper);
  return out;
}

IntTensor int_add(const IntTensor& a, const IntTensor& b, const QuantLayer& q) {
  IntTensor out = a;
  const Requant& ra = q.requant[0];
  const Requant& rb = q.requant[1];
  for (size_t i = 0; i < out.data.size(); ++i) {
    const __int128 sum = static_cast<__int128>(a.data[i]) * ra.multiplier +
                         static_cast<__int128>(b.data[broadcast_index(i, b.shape)]) * rb.multiplier;
    out.data[i] = clamp_to(round_shift(sum, ra.shift), q.out);
  }
  return out;
}

IntTensor int_mul(const IntTensor& a, const IntTensor& b, const QuantLayer& q) {
  IntTensor out = a;
  for (size_t i = 0; i < out.data.size(); ++i) {
    const int64_t product = int64_t{a.data[i]} * b.data[broadcast_index(i, b.shape)];
    out.data[i] = clamp_to(apply_requant(product, q.requant[0]), q.out);
  }
  return out;
}

namespace {

IntTensor int_lookup(const IntTensor& in, const QuantLayer& q) {
  IntTensor out = in;
  for (auto& v : out.data) v = q.table[static_cast<size_t>(v - q.table_first)];
  return out;
}

// y = clamp((x * m + offset + 2^(s-1)) >> s): one rounding of x * scale + shift per element (scales and
// offsets one per channel or one per element).
IntTensor int_affine(const IntTensor& in, const QuantLayer& q) {
  IntTensor out = in;
  for (size_t i = 0; i < out.data.size(); ++i) {
    const Requant& r = q.requant[i % q.requant.size()];
    out.data[i] =
        clamp_to(round_shift(static_cast<__int128>(in.data[i]) * r.multiplier + q.offset[i % q.offset.size()],
                             r.shift),
                 q.out);
  }
  return out;
}

}  // namespace

IntTensor run_vector_layer(const Layer& l, const QuantLayer& q,
                           const std::map<std::string, IntTensor>& tensors) {
  const IntTensor& in = tensors.at(l.inputs[0]);
  switch (l.kind) {
    case LayerKind::kMaxPool:
      return int_maxpool(in, l);
    case LayerKind::kAvgPool:
      return int_avgpool(in, l);
    case LayerKind::kRelu:
      return int_relu(in, q.out.qmax);
    case LayerKind::kAdd:
      return int_add(in, tensors.at(l.inputs[1]), q);
    case LayerKind::kMul:
      return int_mul(in, tensors.at(l.inputs[1]), q);
    case LayerKind::kConcat:  // each input requantized to the output's scale
      return concat_channels(
          l, tensors, [&](size_t k, int32_t v) { return clamp_to(apply_requant(v, q.requant[k]), q.out); });
    case LayerKind::kLookup:
      return int_lookup(in, q);
    case LayerKind::kAffine:
      return int_affine(in, q);
    case LayerKind::kPad:
      return pad_tensor(in, l, q.pad_code);
    case LayerKind::kSlice:
    case LayerKind::kShuffle:
      return gather_channels(in, l);
    case LayerKind::kGather:
      return gather_strided(in, l);
    case LayerKind::kSoftmax:
      return int_softmax(in, q, l.causal);
    case LayerKind::kLayerNorm:
      return int_layer_norm(in, q);
    case LayerKind::kConv:
    case LayerKind::kFullyConnected:
    case LayerKind::kMatMul:
      break;
  }
  throw std::logic_error("run_vector_layer: " + l.name + " is a GEMM layer");
}

}  // namespace deepchip::sim
