// Random single-layer models with fixed seeds, for property tests of the golden executor and the models.
#pragma once
#include <random>
#include <string>

#include "sim/ir/model.hpp"
#include "sim/ir/network.hpp"

namespace deepchip::sim::testing {

struct LayerCase {
  Network net;
  QuantModel model;
  std::string describe() const;
};

enum class CaseKind { kRandomConv, kPointwise, kDepthwise, kStride2, kFullyConnected, kDilated };

// A one-layer network of the given kind with random shape, integer weights/inputs spanning the full
// ranges of the bit widths (unsigned activations), random biases and requantization.
LayerCase random_layer_case(CaseKind kind, int weight_bits, int activation_bits, uint32_t seed);

}  // namespace deepchip::sim::testing
