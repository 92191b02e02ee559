#include "sim/exec/noise.hpp"

#include <algorithm>
#include <cmath>

#include "sim/util/splitmix64.hpp"

namespace deepchip::sim {

namespace {

// A uniform in (0, 1]: the top 53 bits plus one, times 2^-53 (never 0, so log() is finite).
double unit_open_below(uint64_t bits) { return (static_cast<double>(bits >> 11) + 1.0) * 0x1.0p-53; }

}  // namespace

bool NoiseModel::any() const {
  return std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l.second.any(); });
}

const LayerNoise* NoiseModel::find(const std::string& layer) const {
  const auto it = layers.find(layer);
  return it != layers.end() && it->second.any() ? &it->second : nullptr;
}

NoiseModel uniform_noise(const Network& net, LayerNoise levels, const std::vector<std::string>& only,
                         uint64_t seed) {
  NoiseModel m;
  m.seed = seed;
  for (const Layer& l : net.layers)
    if (l.is_gemm() && (only.empty() || std::find(only.begin(), only.end(), l.name) != only.end()))
      m.layers[l.name] = levels;
  return m;
}

namespace {

struct NormalPair {
  double z0, z1;
};

// The Box-Muller pair of elements 2 * pair and 2 * pair + 1.
NormalPair normal_pair(uint64_t seed, uint64_t stream, uint64_t layer, uint64_t pair, uint64_t kind) {
  const uint64_t key =
      splitmix64(splitmix64(splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ layer) ^ pair) ^ kind);
  const double u1 = unit_open_below(splitmix64(key)),
               u2 = unit_open_below(splitmix64(key ^ 0x5851f42d4c957f2dULL));
  const double r = std::sqrt(-2.0 * std::log(u1)), t = 6.283185307179586 * u2;
  return {r * std::cos(t), r * std::sin(t)};
}

int64_t perturbed(int64_t exact, double range, const LayerNoise& n, double z_mul, double z_add) {
  double a = static_cast<double>(exact);
  if (n.multiplicative > 0) a *= 1.0 + n.multiplicative * z_mul;
  if (n.additive > 0) a += range * n.additive * z_add;
  // Far outside any accumulator width: saturate before converting (the wrap that follows is then defined).
  return std::llround(std::clamp(a, -9.0e18, 9.0e18));
}

}  // namespace

double standard_normal(uint64_t seed, uint64_t stream, uint64_t layer, uint64_t element, uint64_t kind) {
  const NormalPair p = normal_pair(seed, stream, layer, element / 2, kind);
  return element % 2 ? p.z1 : p.z0;
}

double accumulator_range(const QuantLayer& q, int channel) {
  const Requant& r = q.requant.at(static_cast<size_t>(channel));
  if (r.multiplier <= 0) return 0;
  const double real_multiplier = std::ldexp(static_cast<double>(r.multiplier), -r.shift);
  return static_cast<double>(q.out.qmax - q.out.qmin) / real_multiplier;
}

int64_t noisy_accumulator(int64_t exact, double range, const LayerNoise& n, uint64_t seed, uint64_t stream,
                          uint64_t layer_index, uint64_t element) {
  const double z_mul = n.multiplicative > 0 ? standard_normal(seed, stream, layer_index, element, 0) : 0.0;
  const double z_add = n.additive > 0 ? standard_normal(seed, stream, layer_index, element, 1) : 0.0;
  return perturbed(exact, range, n, z_mul, z_add);
}

void perturb_accumulators(std::vector<int64_t>& acc, const std::vector<double>& range, const LayerNoise& n,
                          uint64_t seed, uint64_t stream, uint64_t layer_index) {
  const size_t channels = range.size();
  for (size_t i = 0; i < acc.size(); i += 2) {
    const uint64_t pair = i / 2;
    const NormalPair mul =
        n.multiplicative > 0 ? normal_pair(seed, stream, layer_index, pair, 0) : NormalPair{0, 0};
    const NormalPair add =
        n.additive > 0 ? normal_pair(seed, stream, layer_index, pair, 1) : NormalPair{0, 0};
    acc[i] = perturbed(acc[i], range[i % channels], n, mul.z0, add.z0);
    if (i + 1 < acc.size()) acc[i + 1] = perturbed(acc[i + 1], range[(i + 1) % channels], n, mul.z1, add.z1);
  }
}

}  // namespace deepchip::sim
