// The ARM cluster model (models/README.md "ARM+FPGA systems"): per-precision GEMM/conv throughput per core is
// the smaller of the NEON compute rate and the L1 load bandwidth over the operand bytes a register-blocked
// micro-kernel loads per MAC (embedded ARM GEMM/conv is L1-bandwidth-bound once the kernel is compute-lean),
// spread over the cores by output channels, plus a per-layer call overhead. Presets: Cortex-A9 (Zynq-7000)
// and Cortex-A53 (Zynq UltraScale+, Raspberry Pi 3 class).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct ArmCluster {
  std::string name;
  int cores = 4;
  double clock_hz = 1.2e9;
  int neon_bits_per_cycle = 128;          // SIMD datapath bits retired per cycle and core
  double l1_load_bytes_per_cycle = 8;     // L1 data-cache load bandwidth per core
  int block_m = 4, block_n = 4;           // GEMM micro-kernel: block_m x block_n outputs held in registers
  int64_t layer_overhead_cycles = 10000;  // per layer: kernel call, fork/join of the cores
  double ddr_bytes_per_cycle = 4;  // the cluster's path to DDR (L2 to the DDR controller), per ARM cycle
};
// Presets "cortex_a9", "cortex_a53"; throws ConfigError for another name.
const ArmCluster& arm_cluster(const std::string& name);
// The presets' names, in the order the soc.arm key lists them.
std::vector<std::string> arm_cluster_names();

// The arithmetic an ARM layer runs: int8 kernels for int weights up to 8 bits, int16 up to 16, low-bit
// (ternary/binary: masks and adds, 2-bit packed weights) and fp32 (the float model).
enum class ArmPrecision { kFp32, kInt16, kInt8, kLowBit };
const char* to_string(ArmPrecision p);
ArmPrecision arm_precision_of(const QuantLayer& q);

// NEON lanes per cycle: fp32 and int16 products are 32 bits wide, int8 products 16 bits (widening
// multiply-accumulate), low-bit operations 8 bits (select and add).
double arm_compute_macs_per_cycle(const ArmCluster& arm, ArmPrecision p);
// L1 bound: per k step the micro-kernel loads block_m activations and block_n weights for block_m x block_n
// MACs.
double arm_l1_macs_per_cycle(const ArmCluster& arm, ArmPrecision p);
double arm_macs_per_cycle(const ArmCluster& arm, ArmPrecision p);  // min of the two, per core

// Cycles of a conv/fc layer: ceil(macs / (rate x cores used)) + overhead, with min(cores, N) cores (the
// output channels are split between them); of a vector layer (pool, ReLU, add): int8 lanes of one op each.
int64_t arm_gemm_cycles(const ArmCluster& arm, int64_t macs, int64_t output_channels, ArmPrecision p);
int64_t arm_vector_cycles(const ArmCluster& arm, int64_t element_ops);

}  // namespace deepchip::sim
