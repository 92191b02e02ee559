#include "sim/ir/synthetic.hpp"

#include <cmath>

#include "sim/ir/model.hpp"
#include "sim/util/fnv_hash.hpp"
#include "sim/util/parallel_for.hpp"
#include "sim/util/splitmix64.hpp"

namespace deepchip::sim {

namespace {

uint64_t hash_name(const std::string& s) { return Fnv1a64().add(s).value(); }

// Counter-based stream: value i of stream (seed, name) is a pure function of its arguments.
class Stream {
 public:
  Stream(uint64_t seed, const std::string& name) : key_(splitmix64(seed ^ hash_name(name))) {}
  double uniform() {  // [0, 1) with 53 random bits
    return static_cast<double>(splitmix64(key_ + counter_++) >> 11) * 0x1.0p-53;
  }
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t key_;
  uint64_t counter_ = 0;
};

// LayerNorm: gamma ~ U(0.5, 1.5) and beta ~ U(-0.1, 0.1) per channel. Affine: scale 1 and a shift ~ U(-0.1,
// 0.1) per element (a class token and positional embedding).
FloatParams synthetic_norm_params(const Layer& l, uint64_t seed) {
  Stream s(seed, "weights:" + l.name);
  FloatParams p;
  const bool norm = l.kind == LayerKind::kLayerNorm;
  const int64_t extent = norm ? l.out_shape.channels : l.out_shape.elements();
  for (int64_t i = 0; norm && i < extent; ++i) p.weights.push_back(static_cast<float>(0.5 + s.uniform()));
  if (!norm) p.weights = {1.0f};
  for (int64_t i = 0; i < extent; ++i) p.bias.push_back(static_cast<float>(0.2 * s.uniform() - 0.1));
  return p;
}

// A conv/fc layer's weights ~ N(0, 2 / K) (He) and biases ~ U(-0.1, 0.1); a LayerNorm's or affine's above.
FloatParams synthetic_params(const Layer& l, uint64_t seed) {
  if (!l.is_gemm()) return synthetic_norm_params(l, seed);
  const GemmShape g = gemm_shape(l);
  Stream s(seed, "weights:" + l.name);
  FloatParams p;
  const double stddev = std::sqrt(2.0 / static_cast<double>(g.k));
  p.weights.resize(static_cast<size_t>(g.k * l.out_channels));
  for (auto& w : p.weights) w = static_cast<float>(stddev * s.normal());
  p.bias.resize(static_cast<size_t>(l.out_channels));
  for (auto& b : p.bias) b = static_cast<float>(0.2 * s.uniform() - 0.1);
  return p;
}

}  // namespace

std::map<std::string, FloatTensor> make_synthetic_inputs(const Network& net, uint64_t seed) {
  std::map<std::string, FloatTensor> inputs;
  for (const auto& in : net.inputs) {
    Stream s(seed, "input:" + in.name);
    FloatTensor t(in.shape);
    for (auto& v : t.data) v = static_cast<float>(s.uniform());
    inputs[in.name] = std::move(t);
  }
  return inputs;
}

FloatModel make_synthetic_model(const Network& net, uint64_t seed) {
  FloatModel m;
  m.net = net;
  m.inputs = make_synthetic_inputs(net, seed);
  std::vector<const Layer*> with_params;
  for (const auto& l : net.layers)
    if (l.kind == LayerKind::kLayerNorm || l.kind == LayerKind::kAffine || l.is_gemm())
      with_params.push_back(&l);
  // Each layer's values are a pure function of (seed, layer name): made on all cores, the same on any number.
  std::vector<FloatParams> params(with_params.size());
  parallel_for(static_cast<int64_t>(with_params.size()), 0,
               [&](int64_t i) { params[static_cast<size_t>(i)] = synthetic_params(*with_params[i], seed); });
  for (size_t i = 0; i < with_params.size(); ++i) m.params[with_params[i]->name] = std::move(params[i]);
  return m;
}

}  // namespace deepchip::sim
