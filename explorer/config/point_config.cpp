// The design point a fully specified (effective) config describes: every key read into its typed field,
// enums through their name tables, the ARM+FPGA system resolved (sim/soc/soc_config.hpp).
#include <iomanip>
#include <sstream>

#include "explorer/config/config.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/util/enum_names.hpp"
#include "sim/util/fnv_hash.hpp"

namespace deepchip::explorer {

using nlohmann::json;

namespace {

// 12 hex digits of the FNV-1a hash of the canonical (sorted-key) config.
std::string stable_id(const json& effective) {
  std::ostringstream os;
  os << std::hex << std::setw(16) << std::setfill('0') << sim::Fnv1a64().add(effective.dump()).value();
  return os.str().substr(0, 12);
}

// A validated choice as its enum (sim/util/enum_names.hpp).
template <typename E>
E enum_of(const json& v) {
  const auto e = sim::enum_from_name<E>(v.get<std::string>());
  if (!e) throw std::logic_error("unvalidated choice " + v.dump());
  return *e;
}

// The `soc` section resolved: presets of the device and the ARM cluster, and the ports in fabric cycles.
std::optional<sim::SocConfig> soc_of(const json& soc, const sim::HardwareConfig& hw) {
  if (soc["device"] == "none") return std::nullopt;
  sim::SocConfig c;
  c.device = soc["device"].get<std::string>();
  const sim::FpgaDevice& device = sim::fpga_device(c.device);
  c.arm = sim::arm_cluster(soc["arm"] == "auto" ? device.arm : soc["arm"].get<std::string>());
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
  c.strategy = enum_of<sim::PartitionStrategy>(soc["partition"]);
  c.objective = enum_of<sim::PartitionObjective>(soc["partition_objective"]);
  c.arm_layers = soc["arm_layers"].get<std::vector<std::string>>();
  return c;
}

}  // namespace

PointConfig point_from_effective(const json& e) {
  PointConfig p;
  p.effective = e;
  p.id = stable_id(e);
  p.network = e["network"].get<std::string>();
  p.seed = e["seed"].get<uint64_t>();
  p.energy_table = e["energy_table"].get<std::string>();
  const json& h = e["hardware"];
  sim::HardwareConfig& hw = p.hw;
  hw.array_rows = h["array_rows"].get<int>();
  hw.array_cols = h["array_cols"].get<int>();
  hw.impl = enum_of<sim::ArrayImpl>(h["array_impl"]);
  hw.dataflow = enum_of<sim::Dataflow>(h["dataflow"]);
  hw.loop_order = enum_of<sim::LoopOrder>(h["loop_order"]);
  hw.weight_buffering = enum_of<sim::WeightBuffering>(h["weight_buffering"]);
  hw.weight_load_rows = h["weight_load_rows"].get<int>();
  hw.accumulator_bits = h["accumulator_bits"].get<int>();
  hw.overflow = enum_of<sim::OverflowPolicy>(h["accumulator_overflow"]);
  const int word = h["sram_word_bits"].get<int>();
  const bool dbl = h["sram_double_buffered"].get<bool>();
  hw.input_buffer = {h["input_buffer_kib"].get<int64_t>() * 1024, word, dbl};
  hw.weight_buffer = {h["weight_buffer_kib"].get<int64_t>() * 1024, word, dbl};
  hw.output_buffer = {h["output_buffer_kib"].get<int64_t>() * 1024, word, dbl};
  hw.memory = enum_of<sim::MemoryModel>(h["memory"]);
  hw.dram_bandwidth_bytes_per_cycle = h["dram_bandwidth_bytes_per_cycle"].get<double>();
  hw.dram_latency_cycles = h["dram_latency_cycles"].get<int>();
  hw.dma_outstanding = h["dma_outstanding"].get<int>();
  hw.clock_hz = h["clock_mhz"].get<double>() * 1e6;
  const json& q = e["quantization"];
  p.quant.weight_bits = q["weight_bits"].get<int>();
  p.quant.activation_bits = q["activation_bits"].get<int>();
  p.quant.per_channel = q["weight_granularity"] == "per_channel";
  p.quant.weight_format = enum_of<sim::WeightFormat>(q["weight_format"]);
  p.quant.ternary_threshold = q["ternary_threshold"].get<double>();
  p.quant.first_last_weight_bits = q["first_last_weight_bits"].get<int>();
  p.quant.sparsity = q["sparsity"].get<double>();
  p.quant.global_pruning = q["pruning_scope"] == "global";
  p.quant.block_k = q["pruning_block_k"].get<int>();
  p.quant.block_n = q["pruning_block_n"].get<int>();
  p.quant.huffman = enum_of<sim::HuffmanMode>(q["huffman"]);
  for (const auto& [layer, settings] : q["layer_overrides"].items()) {
    sim::LayerOverride& o = p.quant.overrides[layer];
    if (settings.contains("weight_format"))
      o.weight_format = enum_of<sim::WeightFormat>(settings["weight_format"]);
    if (settings.contains("weight_bits")) o.weight_bits = settings["weight_bits"].get<int>();
    if (settings.contains("sparsity")) o.sparsity = settings["sparsity"].get<double>();
  }
  hw.zero_handling = enum_of<sim::ZeroHandling>(h["zero_handling"]);
  hw.decoder_symbols_per_cycle = h["huffman_decoder_symbols_per_cycle"].get<double>();
  const json& a = e["accuracy"];
  p.accuracy.dataset = resolve_dataset(p.network, a["dataset"].get<std::string>());
  p.accuracy.dataset_dir = a["dataset_dir"].get<std::string>();
  p.accuracy.test_images = a["test_images"].get<int64_t>();
  p.accuracy.calibration_images = a["calibration_images"].get<int64_t>();
  p.soc = soc_of(e["soc"], hw);
  p.accuracy.reference_top1 = a["reference_top1"].get<double>();
  p.accuracy.max_accuracy_drop = a["max_accuracy_drop"].get<double>();
  const json& n = e["noise"];
  p.noise.levels = {n["additive_noise"].get<double>(), n["multiplicative_noise"].get<double>()};
  p.noise.layers = n["noise_layers"].get<std::vector<std::string>>();
  p.noise.repeats = n["repeats"].get<int>();
  p.noise.seed = n["noise_seed"].get<uint64_t>();
  p.noise.walk_multiplicative = n["walk_kind"] == "multiplicative";
  p.noise.walk_min_level = n["walk_min_level"].get<double>();
  p.noise.walk_max_level = n["walk_max_level"].get<double>();
  p.noise.walk_steps_per_decade = n["walk_steps_per_decade"].get<int>();
  p.noise.walk_fraction = n["walk_fraction"].get<double>();
  p.hw.mac_noise = p.noise.levels.additive;  // noisy MACs cost less energy (energy table noisy_mac)
  p.hw.mac_noise_layers = p.noise.layers;
  const json& s = e["sequence"];
  if (s["prompt_tokens"].get<int>() > 0)
    p.sequence =
        sim::Sequence{s["prompt_tokens"].get<int>(), s["decode_tokens"].get<int>(), s["batch"].get<int>()};
  return p;
}

}  // namespace deepchip::explorer
