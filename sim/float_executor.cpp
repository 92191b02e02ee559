#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/executor.hpp"
#include "sim/kernels.hpp"

namespace deepchip::sim {

namespace {

FloatTensor float_gemm_layer(const FloatTensor& in, const Layer& l, const FloatParams& p,
                             const std::vector<RowMatrix<float>>& weights) {
  FloatTensor out(l.out_shape);
  const GemmShape g = gemm_shape(l);
  for (int grp = 0; grp < l.groups; ++grp) {
    const RowMatrix<float> x = im2col(in, l, grp);
    const RowMatrix<float> y = x * weights[static_cast<size_t>(grp)];
    for (int64_t m = 0; m < g.m; ++m)
      for (int64_t n = 0; n < g.n; ++n) {
        const int64_t ch = grp * g.n + n;
        float v = y(m, n) + p.bias[static_cast<size_t>(ch)];
        if (l.relu) v = std::min(std::max(v, 0.0f), l.clip_max);
        out.data[static_cast<size_t>(m * l.out_channels + ch)] = v;
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

}  // namespace

struct FloatRunner::Weights {
  std::map<std::string, std::vector<RowMatrix<float>>> by_layer;  // per group
};

FloatRunner::FloatRunner(const FloatModel& model) : model_(model) {
  auto w = std::make_unique<Weights>();
  for (const auto& l : model.net.layers)
    if (l.is_gemm())
      for (int grp = 0; grp < l.groups; ++grp)
        w->by_layer[l.name].push_back(gemm_weights(model.params.at(l.name).weights, l, grp));
  weights_ = std::move(w);
}

FloatRunner::~FloatRunner() = default;

std::map<std::string, FloatTensor> run_float(const FloatModel& model) {
  return run_float(model, model.inputs);
}

std::map<std::string, FloatTensor> run_float(const FloatModel& model,
                                             const std::map<std::string, FloatTensor>& inputs) {
  return FloatRunner(model).run(inputs);
}

std::map<std::string, FloatTensor> FloatRunner::run(const std::map<std::string, FloatTensor>& inputs) const {
  const FloatModel& model = model_;
  std::map<std::string, FloatTensor> t = inputs;
  for (const auto& l : model.net.layers) {
    const FloatTensor& in = t.at(l.inputs[0]);
    FloatTensor out;
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kFullyConnected:
        out = float_gemm_layer(in, l, model.params.at(l.name), weights_->by_layer.at(l.name));
        break;
      case LayerKind::kMaxPool:
      case LayerKind::kAvgPool:
        out = float_pool(in, l);
        break;
      case LayerKind::kRelu:
        out = in;
        for (auto& v : out.data) v = std::min(std::max(v, 0.0f), l.clip_max);
        break;
      case LayerKind::kAdd: {
        out = in;
        const FloatTensor& b = t.at(l.inputs[1]);
        for (size_t i = 0; i < out.data.size(); ++i) {
          out.data[i] += b.data[i];
          if (l.relu) out.data[i] = std::min(std::max(out.data[i], 0.0f), l.clip_max);
        }
        break;
      }
    }
    t[l.name] = std::move(out);
  }
  return t;
}

}  // namespace deepchip::sim
