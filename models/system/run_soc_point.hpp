// Evaluates one ARM+FPGA design point: resource fit on the device, placement (sim/partition.hpp), the
// SystemC system (models/soc), golden comparison of every layer, per-domain cycles and energy.
#pragma once
#include "models/soc/soc.hpp"
#include "models/system/run_point.hpp"
#include "sim/fpga.hpp"
#include "sim/stats.hpp"

namespace deepchip::models {

sim::PointResult evaluate_soc_point(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                    const sim::EnergyTable& energy, const SocConfig& soc,
                                    const sim::PeResources& pe, const GoldenReference* golden = nullptr);

}  // namespace deepchip::models
