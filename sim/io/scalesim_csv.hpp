// SCALE-Sim topology CSVs, conv and GEMM forms, read as scale-sim-v2 reads them.
#pragma once
#include <string>

#include "sim/ir/network.hpp"

namespace deepchip::sim {

// SCALE-Sim conv topology CSV: "Layer name, IFMAP height, IFMAP width, Filter height, Filter width, Channels,
// Num filter, Strides[, Stride width]," with a header line. Every row is an independent layer with its own
// input tensor "<name>_ifmap", read as SCALE-Sim reads it (see README). Throws InputError "file:line: ...".
// Depthwise rows ("DP" in the name): one grouped conv (the network's real shape), or SCALE-Sim's own form of
// `Channels` one-channel layers <name>Channel_<i> (what `dse scalesim` reports layer by layer).
enum class ScaleSimDepthwise { kGrouped, kSplit };
Network load_scalesim_csv(const std::string& path,
                          ScaleSimDepthwise depthwise_form = ScaleSimDepthwise::kGrouped);
Network parse_scalesim_csv(const std::string& text, const std::string& origin,
                           ScaleSimDepthwise depthwise_form = ScaleSimDepthwise::kGrouped);
// SCALE-Sim GEMM topology CSV: "Layer, M, N, K," with a header line. Row "g, M, N, K" is a 1x1 conv over an
// M x 1 x K input with N filters: the M x K matrix times a K x N weight matrix (sim/README.md "Network
// formats").
Network load_scalesim_gemm_csv(const std::string& path);
Network parse_scalesim_gemm_csv(const std::string& text, const std::string& origin);
// True if the first line is a GEMM header: four fields, the last three M, N, K (any case).
bool is_scalesim_gemm_header(const std::string& text);
// A SCALE-Sim topology CSV of either form, told apart by its header.
Network load_scalesim_topology(const std::string& path);

}  // namespace deepchip::sim
