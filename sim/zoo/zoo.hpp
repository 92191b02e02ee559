// The built-in zoo of networks (CNNs here, transformers in zoo_transformers.hpp, decoders in decoder.hpp).
#pragma once
#include <string>
#include <vector>

#include "sim/ir/network.hpp"

namespace deepchip::sim {

// The built-in zoo: lenet5, svhn_convnet, resnet18, resnet44, alexnet.
std::vector<std::string> zoo_names();
bool is_zoo_name(const std::string& name);
Network zoo_network(const std::string& name);

}  // namespace deepchip::sim
