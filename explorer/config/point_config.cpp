// The design point a fully specified (effective) config describes: every key read into its typed field,
// enums through their name tables, the ARM+FPGA system resolved (sim/soc/soc_config.hpp).
#include "explorer/config/config.hpp"
#include "explorer/config/config_keys.hpp"
#include "explorer/config/identity.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/util/enum_names.hpp"

namespace deepchip::explorer {

using nlohmann::json;

namespace {

// The `soc` section resolved: presets of the device and the ARM cluster, and the ports in fabric cycles.
std::optional<sim::SocConfig> soc_of(const json& soc, const sim::HardwareConfig& hw) {
  if (soc["device"] == kNoDevice) return std::nullopt;
  sim::SocConfig c;
  c.device = soc["device"].get<std::string>();
  const sim::FpgaDevice& device = sim::fpga_device(c.device);
  c.arm = sim::arm_cluster(soc["arm"] == kDevicesArm ? device.arm : soc["arm"].get<std::string>());
  if (soc["arm_cores"].get<int>() > 0) c.arm.cores = soc["arm_cores"].get<int>();
  if (soc["arm_clock_mhz"].get<double>() > 0) c.arm.clock_hz = soc["arm_clock_mhz"].get<double>() * 1e6;
  if (soc["arm_l1_bytes_per_cycle"].get<double>() > 0)
    c.arm.l1_load_bytes_per_cycle = soc["arm_l1_bytes_per_cycle"].get<double>();
  c.ddr = {hw.dram_bandwidth_bytes_per_cycle, hw.dram_latency_cycles, hw.memory == sim::MemoryModel::kIdeal,
           0};
  const int pl_port_bits = soc["pl_port_bits"].get<int>();
  const double pl_port_mhz = soc["pl_port_mhz"].get<double>();
  c.pl_port.width_bytes = (pl_port_bits > 0 ? pl_port_bits : device.pl_port_bits) / 8;
  c.pl_port.fabric_cycles_per_beat = pl_port_mhz > 0 ? hw.clock_hz / (pl_port_mhz * 1e6) : 1.0;
  c.pl_port.latency_cycles = soc["pl_port_latency_cycles"].get<int>();
  c.pl_port.outstanding = soc["pl_port_outstanding"].get<int>();
  // The cluster's path to DDR: ddr_bytes_per_cycle per ARM cycle, up to 8 transactions in flight.
  c.arm_port.width_bytes = static_cast<int64_t>(c.arm.ddr_bytes_per_cycle);
  c.arm_port.fabric_cycles_per_beat = hw.clock_hz / c.arm.clock_hz;
  c.arm_port.latency_cycles = 0;
  c.arm_port.outstanding = 8;
  c.handoff_arm_cycles = soc["handoff_arm_cycles"].get<int64_t>();
  c.strategy = enum_value<sim::PartitionStrategy>(soc["partition"]);
  c.objective = enum_value<sim::PartitionObjective>(soc["partition_objective"]);
  c.arm_layers = soc["arm_layers"].get<std::vector<std::string>>();
  return c;
}

}  // namespace

// Every key's fill (explorer/config/key_table.cpp) on its effective value, then what is resolved as a whole.
PointConfig point_from_effective(const json& e) {
  PointConfig p;
  p.effective = e;
  p.id = point_id(e);
  for (const KeyDecl& d : key_decls())
    if (d.fill) d.fill(d.section.empty() ? e.at(d.name) : e.at(d.section).at(d.name), p);
  p.hw.mac_noise = p.noise.levels.additive;  // noisy MACs cost less energy (energy table noisy_mac)
  p.hw.mac_noise_layers = p.noise.layers;
  p.soc = soc_of(e["soc"], p.hw);
  const json& s = e["sequence"];
  if (s["prompt_tokens"].get<int>() > 0)
    p.sequence =
        sim::Sequence{s["prompt_tokens"].get<int>(), s["decode_tokens"].get<int>(), s["batch"].get<int>()};
  return p;
}

}  // namespace deepchip::explorer
