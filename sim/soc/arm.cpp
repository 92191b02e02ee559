#include "sim/soc/arm.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

namespace {

const std::vector<ArmCluster>& presets() {
  // Cortex-A9 (Zynq-7000, -1 speed grade): 2 cores at 667 MHz, 64-bit NEON datapath (a 128-bit Q operation
  // takes two cycles), one 64-bit load per cycle; DDR3-1066 x32 (4.3 GB/s peak), about 2 GB/s reaching the
  // cores = 3 bytes per cycle.
  // Cortex-A53 (Zynq UltraScale+, -1): 4 cores at 1.2 GHz, NEON dual-issuing two 64-bit halves (8 fp32
  // FLOP/cycle, the Raspberry Pi 3's quoted 38.4 GFLOPS at 4 x 1.2 GHz), one 64-bit load per cycle;
  // DDR4-2400 x64 (19.2 GB/s peak), about 4.8 GB/s reaching the cluster = 4 bytes per cycle.
  static const std::vector<ArmCluster> clusters = {
      {"cortex_a9", 2, 667e6, 64, 8, 4, 4, 10000, 3},
      {"cortex_a53", 4, 1.2e9, 128, 8, 4, 4, 10000, 4},
  };
  return clusters;
}

}  // namespace

const ArmCluster& arm_cluster(const std::string& name) {
  for (const ArmCluster& c : presets())
    if (c.name == name) return c;
  throw ConfigError("unknown ARM cluster '" + name + "'");
}

std::vector<std::string> arm_cluster_names() {
  std::vector<std::string> names;
  for (const ArmCluster& c : presets()) names.push_back(c.name);
  return names;
}

const char* to_string(ArmPrecision p) {
  switch (p) {
    case ArmPrecision::kFp32:
      return "fp32";
    case ArmPrecision::kInt16:
      return "int16";
    case ArmPrecision::kInt8:
      return "int8";
    case ArmPrecision::kLowBit:
      return "lowbit";
  }
  return "?";
}

ArmPrecision arm_precision_of(const QuantLayer& q) {
  if (q.format != WeightFormat::kInt) return ArmPrecision::kLowBit;
  return q.stored_weight_bits <= 8 ? ArmPrecision::kInt8 : ArmPrecision::kInt16;
}

namespace {

int product_bits(ArmPrecision p) {
  switch (p) {
    case ArmPrecision::kFp32:
    case ArmPrecision::kInt16:
      return 32;
    case ArmPrecision::kInt8:
      return 16;
    case ArmPrecision::kLowBit:
      return 8;
  }
  return 32;
}

// Operand bytes: activations, weights (low-bit weights are 2-bit packed).
double activation_bytes(ArmPrecision p) {
  return p == ArmPrecision::kFp32 ? 4.0 : (p == ArmPrecision::kInt16 ? 2.0 : 1.0);
}
double weight_bytes(ArmPrecision p) {
  switch (p) {
    case ArmPrecision::kFp32:
      return 4.0;
    case ArmPrecision::kInt16:
      return 2.0;
    case ArmPrecision::kInt8:
      return 1.0;
    case ArmPrecision::kLowBit:
      return 0.25;
  }
  return 4.0;
}

}  // namespace

double arm_compute_macs_per_cycle(const ArmCluster& arm, ArmPrecision p) {
  return static_cast<double>(arm.neon_bits_per_cycle) / product_bits(p);
}

double arm_l1_macs_per_cycle(const ArmCluster& arm, ArmPrecision p) {
  const double bytes_per_k_step = arm.block_m * activation_bytes(p) + arm.block_n * weight_bytes(p);
  const double macs_per_k_step = static_cast<double>(arm.block_m) * arm.block_n;
  return arm.l1_load_bytes_per_cycle * macs_per_k_step / bytes_per_k_step;
}

double arm_macs_per_cycle(const ArmCluster& arm, ArmPrecision p) {
  return std::min(arm_compute_macs_per_cycle(arm, p), arm_l1_macs_per_cycle(arm, p));
}

int64_t arm_gemm_cycles(const ArmCluster& arm, int64_t macs, int64_t output_channels, ArmPrecision p) {
  const int64_t cores = std::max<int64_t>(1, std::min<int64_t>(arm.cores, output_channels));
  const double rate = arm_macs_per_cycle(arm, p) * static_cast<double>(cores);
  return static_cast<int64_t>(std::ceil(static_cast<double>(macs) / rate)) + arm.layer_overhead_cycles;
}

int64_t arm_vector_cycles(const ArmCluster& arm, int64_t element_ops) {
  const double lanes = arm.neon_bits_per_cycle / 8.0 * arm.cores;
  return static_cast<int64_t>(std::ceil(static_cast<double>(element_ops) / lanes)) +
         arm.layer_overhead_cycles;
}

}  // namespace deepchip::sim
