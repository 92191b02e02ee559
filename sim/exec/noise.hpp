// Noisy compute (Walking Noise, Borras, Klein, Froening 2022): Gaussian noise on a conv/fc layer's
// accumulator outputs before requantization, as an analog or otherwise unreliable MAC array would add it.
//
// For an output element with exact accumulator a (the sum of x*w plus the bias) in channel c:
//   a' = round(a * (1 + m) + s_c * e),   m ~ N(0, multiplicative^2),  e ~ N(0, additive^2)
// where s_c is the layer's output range in accumulator units: (qmax - qmin) of the output quantization
// divided by the channel's requantization multiplier, i.e. the accumulator span that requantization maps
// onto the whole output range. additive = 0.01 is noise with a standard deviation of 1% of that range.
// a' is then wrapped to the accumulator width, requantized and clamped as the exact a is. Rounding is to
// nearest, halves away from zero. With both levels 0 no draw is made and a' = a: the exact path, bit for bit.
//
// Draws are counter-based: the normal variate of (seed, stream, layer, element, kind) is a pure function of
// those five, so results do not depend on the thread count or on the order in which images are evaluated.
// A stream is one (image, repeat) pair. Elements 2i and 2i + 1 take the two variates of one Box-Muller
// transform, r cos(t) and r sin(t), of two uniforms hashed (SplitMix64) from (seed, stream, layer, i, kind).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct LayerNoise {
  double additive = 0;        // std of e, relative to the layer's output range
  double multiplicative = 0;  // std of m
  bool any() const { return additive > 0 || multiplicative > 0; }
};

struct NoiseModel {
  std::map<std::string, LayerNoise> layers;  // conv/fc layers with noise; others are exact
  uint64_t seed = 1;
  bool any() const;
  const LayerNoise* find(const std::string& layer) const;
};

// The same levels on every conv/fc layer of the network, or on the named ones (empty: all).
NoiseModel uniform_noise(const Network& net, LayerNoise levels, const std::vector<std::string>& only,
                         uint64_t seed);

// A standard normal variate, a pure function of its key (see above).
double standard_normal(uint64_t seed, uint64_t stream, uint64_t layer, uint64_t element, uint64_t kind);

// The layer's output range in accumulator units for one channel (s_c above).
double accumulator_range(const QuantLayer& q, int channel);

// a' for one element: `layer_index` is the layer's position in the network (part of the key).
int64_t noisy_accumulator(int64_t exact, double range, const LayerNoise& n, uint64_t seed, uint64_t stream,
                          uint64_t layer_index, uint64_t element);
// a' for every element of a layer's output (element order, channel = element % range.size()): the same
// values as noisy_accumulator per element, each Box-Muller pair computed once.
void perturb_accumulators(std::vector<int64_t>& acc, const std::vector<double>& range, const LayerNoise& n,
                          uint64_t seed, uint64_t stream, uint64_t layer_index);

}  // namespace deepchip::sim
