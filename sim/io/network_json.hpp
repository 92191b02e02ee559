// The JSON network format (sim/README.md "Network formats").
#pragma once
#include <string>

#include "sim/ir/network.hpp"

namespace deepchip::sim {

// JSON network format (sim/README.md "Network formats"). Throws InputError "file: json.path: problem".
Network load_network_json(const std::string& path);
Network parse_network_json(const std::string& text, const std::string& origin);

}  // namespace deepchip::sim
