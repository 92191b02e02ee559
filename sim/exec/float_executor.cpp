#include "sim/exec/float_executor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/exec/im2col.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/exec/layout_kernels.hpp"
#include "sim/exec/vector_kernels.hpp"

namespace deepchip::sim {

namespace {

// Output columns per weight chunk of a one-pass run (the double copy is at most K x 256).
constexpr int64_t kChunkColumns = 256;

// Float operands, double sums: each output is the float nearest the exact sum (to within one rounding of
// the bias), so the executor's own error stays far below a float32 framework's (PyTorch's inception_v3 at
// 96 x 96 is 7.5e-5 of its largest output off the float64 result; float sums here were 9.3e-5, double sums
// leave PyTorch's own error as the difference). The weights are `kept` (one double matrix per group) or read
// in place: [out_channel][k] floats are the column-major K x N GEMM matrix of each group.
FloatTensor float_gemm_layer(const FloatTensor& in, const Layer& l, const FloatParams& p,
                             const std::vector<RowMatrix<double>>* kept) {
  using ColMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  FloatTensor out(l.out_shape);
  const GemmShape g = gemm_shape(l);
  for (int grp = 0; grp < l.groups; ++grp) {
    const RowMatrix<double> x = im2col(in, l, grp).cast<double>();
    const Eigen::Map<const ColMatrix> w(p.weights.data() + grp * g.n * g.k, g.k, g.n);
    const int64_t step = kept ? g.n : kChunkColumns;
    for (int64_t n0 = 0; n0 < g.n; n0 += step) {
      const int64_t count = std::min(step, g.n - n0);
      const RowMatrix<double> y = kept ? RowMatrix<double>(x * (*kept)[static_cast<size_t>(grp)])
                                       : RowMatrix<double>(x * w.middleCols(n0, count).cast<double>());
      for (int64_t m = 0; m < g.m; ++m)
        for (int64_t n = 0; n < count; ++n) {
          const int64_t ch = grp * g.n + n0 + n;
          float v = static_cast<float>(y(m, n) + p.bias[static_cast<size_t>(ch)]);
          if (l.relu) v = std::min(std::max(v, 0.0f), l.clip_max);
          out.data[static_cast<size_t>(m * l.out_channels + ch)] = v;
        }
    }
  }
  return out;
}

FloatTensor float_pool(const FloatTensor& in, const Layer& l) {
  FloatTensor out(l.out_shape);
  const bool is_max = l.kind == LayerKind::kMaxPool;
  for (int oy = 0; oy < l.out_shape.height; ++oy)
    for (int ox = 0; ox < l.out_shape.width; ++ox)
      for (int c = 0; c < l.out_shape.channels; ++c) {
        float acc = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
        int count = 0;
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            const int iy = oy * l.stride_h - l.pad_top + ky * l.dilation_h,
                      ix = ox * l.stride_w - l.pad_left + kx * l.dilation_w;
            if (iy < 0 || iy >= in.shape.height || ix < 0 || ix >= in.shape.width) continue;
            const float v = in.at(iy, ix, c);
            acc = is_max ? std::max(acc, v) : acc + v;
            ++count;
          }
        out.at(oy, ox, c) = is_max ? acc : acc / static_cast<float>(count);
      }
  return out;
}

// Add or mul of a and b (broadcast), then the fused ReLU / clip of an add.
FloatTensor float_binary(const Layer& l, const FloatTensor& a, const FloatTensor& b) {
  FloatTensor out = a;
  for (size_t i = 0; i < out.data.size(); ++i) {
    const float y = b.data[broadcast_index(i, b.shape)];
    float& v = out.data[i];
    v = l.kind == LayerKind::kMul ? v * y : v + y;
    if (l.relu) v = std::min(std::max(v, 0.0f), l.clip_max);
  }
  return out;
}

// Per batch b: A[b] (M x K) times B[b] (K x N, or N x K transposed), double sums.
FloatTensor float_matmul(const Layer& l, const FloatTensor& a, const FloatTensor& b) {
  FloatTensor out(l.out_shape);
  const int64_t m_count = a.shape.width, k_count = a.shape.channels, n_count = l.out_channels;
  for (int64_t batch = 0; batch < a.shape.height; ++batch) {
    const float* pa = a.data.data() + batch * m_count * k_count;
    const float* pb = b.data.data() + batch * k_count * n_count;
    float* po = out.data.data() + batch * m_count * n_count;
    for (int64_t m = 0; m < m_count; ++m)
      for (int64_t n = 0; n < n_count; ++n) {
        double sum = 0;
        for (int64_t k = 0; k < k_count; ++k)
          sum += static_cast<double>(pa[m * k_count + k]) *
                 (l.transpose_b ? pb[n * k_count + k] : pb[k * n_count + n]);
        po[m * n_count + n] = static_cast<float>(sum * l.product_scale);
      }
  }
  return out;
}

// Per pixel over the channels, in double: mean, the biased variance, then gamma and beta.
FloatTensor float_layer_norm(const Layer& l, const FloatTensor& in, const FloatParams& p) {
  FloatTensor out(l.out_shape);
  const size_t c = static_cast<size_t>(in.shape.channels);
  for (size_t row = 0; row < in.data.size(); row += c) {
    double mean = 0, var = 0;
    for (size_t i = 0; i < c; ++i) mean += in.data[row + i];
    mean /= static_cast<double>(c);
    for (size_t i = 0; i < c; ++i) var += (in.data[row + i] - mean) * (in.data[row + i] - mean);
    const double inv = 1.0 / std::sqrt(var / static_cast<double>(c) + l.epsilon);
    for (size_t i = 0; i < c; ++i)
      out.data[row + i] = static_cast<float>((in.data[row + i] - mean) * inv * p.weights[i] + p.bias[i]);
  }
  return out;
}

// Per pixel over the channels (the keys it sees with a causal mask; the rest 0): e^(x - max) / sum, in
// double.
FloatTensor float_softmax(const FloatTensor& in, bool causal) {
  FloatTensor out(in.shape);
  const size_t c = static_cast<size_t>(in.shape.channels);
  for (size_t row = 0; row < in.data.size(); row += c) {
    const size_t seen =
        static_cast<size_t>(softmax_visible_keys(in.shape, static_cast<int64_t>(row / c), causal));
    if (seen == 0) continue;
    const auto first = in.data.begin() + static_cast<std::ptrdiff_t>(row);
    const float top = *std::max_element(first, first + static_cast<std::ptrdiff_t>(seen));
    double sum = 0;
    for (size_t i = 0; i < seen; ++i) sum += std::exp(static_cast<double>(in.data[row + i]) - top);
    for (size_t i = 0; i < seen; ++i)
      out.data[row + i] = static_cast<float>(std::exp(static_cast<double>(in.data[row + i]) - top) / sum);
  }
  return out;
}

}  // namespace

struct FloatRunner::Weights {
  std::map<std::string, std::vector<RowMatrix<double>>> by_layer;  // per group
};

FloatRunner::FloatRunner(const FloatModel& model, WeightKeeping keeping) : model_(model) {
  auto w = std::make_unique<Weights>();
  for (const auto& l : model.net.layers)
    if (l.is_gemm() && keeping == WeightKeeping::kKept && !w->by_layer.count(l.params()))
      for (int grp = 0; grp < l.groups; ++grp)
        w->by_layer[l.params()].push_back(
            gemm_weights(model.params.at(l.params()).weights, l, grp).cast<double>());
  weights_ = std::move(w);
}

FloatRunner::~FloatRunner() = default;

std::map<std::string, FloatTensor> run_float(const FloatModel& model) {
  return run_float(model, model.inputs);
}

std::map<std::string, FloatTensor> run_float(const FloatModel& model,
                                             const std::map<std::string, FloatTensor>& inputs) {
  return FloatRunner(model, WeightKeeping::kChunked).run(inputs);  // one pass
}

std::map<std::string, FloatTensor> FloatRunner::run(const std::map<std::string, FloatTensor>& inputs) const {
  const FloatModel& model = model_;
  std::map<std::string, FloatTensor> t = inputs;
  for (const auto& l : model.net.layers) {
    const FloatTensor& in = t.at(l.inputs[0]);
    FloatTensor out;
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kFullyConnected: {
        const auto kept = weights_->by_layer.find(l.params());
        out = float_gemm_layer(in, l, model.params.at(l.params()),
                               kept == weights_->by_layer.end() ? nullptr : &kept->second);
      } break;
      case LayerKind::kMaxPool:
      case LayerKind::kAvgPool:
        out = float_pool(in, l);
        break;
      case LayerKind::kRelu:
        out = in;
        for (auto& v : out.data) v = std::min(std::max(v, 0.0f), l.clip_max);
        break;
      case LayerKind::kAdd:
      case LayerKind::kMul:
        out = float_binary(l, in, t.at(l.inputs[1]));
        break;
      case LayerKind::kConcat:
        out = concat_channels(l, t, [](size_t, float v) { return v; });
        break;
      case LayerKind::kAffine: {  // one scale and shift per channel, or one per element
        out = in;
        const FloatParams& p = model.params.at(l.params());
        const size_t scales = p.weights.size(), shifts = p.bias.size();
        for (size_t i = 0; i < out.data.size(); ++i) {
          float& v = out.data[i];
          v = v * p.weights[i % scales] + p.bias[i % shifts];
          if (l.relu) v = std::min(std::max(v, 0.0f), l.clip_max);
        }
        break;
      }
      case LayerKind::kLookup:
        out = in;
        for (auto& v : out.data) v = static_cast<float>(evaluate(l.function, v, l.alpha, l.beta));
        break;
      case LayerKind::kPad:
        out = pad_tensor(in, l, l.pad_value);
        break;
      case LayerKind::kSlice:
      case LayerKind::kShuffle:
        out = gather_channels(in, l);
        break;
      case LayerKind::kGather:
        out = gather_strided(in, l);
        break;
      case LayerKind::kMatMul:
        out = float_matmul(l, in, t.at(l.inputs[1]));
        break;
      case LayerKind::kLayerNorm:
        out = float_layer_norm(l, in, model.params.at(l.params()));
        break;
      case LayerKind::kSoftmax:
        out = float_softmax(in, l.causal);
        break;
    }
    t[l.name] = std::move(out);
  }
  return t;
}

}  // namespace deepchip::sim
