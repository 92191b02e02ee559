// Synthetic parameters and inputs of a network, the same on every platform for a given seed.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

// Deterministic synthetic parameters and inputs (sim/README.md "Synthetic weights"): weights ~ N(0, 2/fan_in)
// (He), biases ~ U(-0.1, 0.1), inputs ~ U[0, 1), from a counter-based generator (splitmix64 + Box-Muller)
// so the values are identical on every platform for a given seed and layer name.
FloatModel make_synthetic_model(const Network& net, uint64_t seed);
// Only the inputs of make_synthetic_model (the same values): for a model whose weights come from a file.
std::map<std::string, FloatTensor> make_synthetic_inputs(const Network& net, uint64_t seed);

}  // namespace deepchip::sim
