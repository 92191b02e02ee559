// Network loaders: the documented JSON format, SCALE-Sim topology CSVs (conv and GEMM forms), the zoo, and
// the one entry point that resolves a config's network reference to one of them.
#pragma once
#include <string>

#include "sim/io/network_json.hpp"
#include "sim/io/scalesim_csv.hpp"
#include "sim/ir/network.hpp"
#include "sim/zoo/zoo.hpp"

namespace deepchip::sim {

// Resolves a network reference from a config: a zoo name, or a path ending in .json (JSON format),
// .csv (SCALE-Sim topology: GEMM if its header is "Layer, M, N, K", else conv).
Network load_network(const std::string& reference);

}  // namespace deepchip::sim
