// The phases of a simulated decoding (README "Generative decoding"): prefill, the decode steps one by one and
// in total, time to first token, tokens per second, energy per token, and each step against the memory bound
// it cannot beat (its weights and KV cache read once at the DRAM bandwidth).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sim/hardware.hpp"
#include "sim/model.hpp"
#include "sim/stats.hpp"

namespace deepchip::sim {

// The summary of an unrolled decoding's layer stats (sim/decoder.hpp names its phases); none when `model` is
// not an unrolled decoding.
std::optional<DecodingSummary> summarize_decoding(const std::vector<LayerStats>& layers,
                                                  const QuantModel& model, const HardwareConfig& hw);

std::vector<FieldDoc> decoding_docs();

}  // namespace deepchip::sim
