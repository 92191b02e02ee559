// The phases of a simulated decoding (sim/README.md "Generative decoding"): prefill, the decode steps one by
// one and in total, time to first token, tokens per second, energy per token, and each step against the
// memory bound it cannot beat (its weights and KV cache read once at the DRAM bandwidth).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sim/cost/stats.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"

namespace deepchip::sim {

// The summary of an unrolled decoding's layer stats (sim/zoo/decoder.hpp names its phases); none when `model`
// is not an unrolled decoding.
std::optional<DecodingSummary> summarize_decoding(const std::vector<LayerStats>& layers,
                                                  const QuantModel& model, const HardwareConfig& hw);

std::vector<FieldDoc> decoding_docs();

// A decoding's layer stats as a point keeps them: prefill's layers, then each layer of the model summed over
// the decode steps ("decode/<layer>", golden when every step's is; utilization of the sum). The steps one by
// one are the summary's series: 28,000 rows of GPT-2 at 128 + 128 tokens become 437.
std::vector<LayerStats> sum_decode_steps(const std::vector<LayerStats>& layers, const HardwareConfig& hw);

}  // namespace deepchip::sim
