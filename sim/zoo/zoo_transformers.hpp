// The zoo's transformers (sim/zoo/zoo.hpp lists the CNNs): vit_b_16 (224 x 224), vit_tiny (32 x 32,
// 10 classes), bert_base and bert_tiny (128 tokens of embeddings), the decoders gpt2 and gpt2_tiny (their
// full forward pass over 128 and 16 tokens; sim/zoo/decoder.hpp).
#pragma once
#include <string>
#include <vector>

#include "sim/ir/network.hpp"

namespace deepchip::sim {

std::vector<std::string> transformer_zoo_names();
Network transformer_zoo_network(const std::string& name);

}  // namespace deepchip::sim
