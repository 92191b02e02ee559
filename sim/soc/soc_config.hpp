// The ARM+FPGA system of a design point, fully resolved (presets applied, port timings in fabric cycles):
// filled by explorer/config/config.cpp from the `soc` section, consumed by the SystemC system (models/soc).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/soc/arm.hpp"
#include "sim/soc/ddr_timing.hpp"
#include "sim/soc/partition.hpp"

namespace deepchip::sim {

enum class PartitionStrategy { kAllFpga, kAllArm, kFixed, kAuto };

struct SocConfig {
  ArmCluster arm;
  std::string device;
  DdrChannel ddr;
  PortTiming pl_port, arm_port;
  int64_t handoff_arm_cycles = 2400;
  PartitionStrategy strategy = PartitionStrategy::kAuto;
  std::vector<std::string> arm_layers;  // kFixed: the layers placed on the ARM cores
  PartitionObjective objective = PartitionObjective::kLatency;
};

}  // namespace deepchip::sim
