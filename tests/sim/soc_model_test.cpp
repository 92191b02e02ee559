// The ARM+FPGA models without SystemC: FPGA resources, the ARM cluster's throughput, port and DDR timing,
// and the exact partitioner against exhaustive search.
#include <gtest/gtest.h>

#include <random>

#include "deepchip/source_dir.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/network_io.hpp"
#include "sim/soc/arm.hpp"
#include "sim/soc/ddr_timing.hpp"
#include "sim/soc/partition.hpp"

namespace deepchip::sim {
namespace {

PeResources int_pe(int weight_bits, int activation_bits) {
  PeResources pe;
  pe.weight_bits = weight_bits;
  pe.activation_bits = activation_bits;
  pe.luts = 100, pe.ffs = 60;
  return pe;
}

TEST(FpgaResources, DspCountsByHand) {
  // 8 x 8 int8: one DSP per PE on DSP48E1; two PEs of a row per DSP48E2.
  EXPECT_EQ(array_dsps(8, 8, int_pe(8, 8), DspKind::kDsp48E1), 64);
  EXPECT_EQ(array_dsps(8, 8, int_pe(8, 8), DspKind::kDsp48E2), 32);
  EXPECT_EQ(array_dsps(8, 7, int_pe(4, 8), DspKind::kDsp48E2), 8 * 4);  // odd columns round up
  // 16-bit weights x 8-bit activations (9 bits signed) and 16 x 16 (17 signed) fit one DSP.
  EXPECT_EQ(array_dsps(4, 4, int_pe(16, 8), DspKind::kDsp48E2), 16);
  EXPECT_EQ(array_dsps(4, 4, int_pe(16, 16), DspKind::kDsp48E1), 16);
  // 16 x 24-bit activations (25 signed) still fit the 25 x 18 DSP48E1; 26-bit (27 signed) take 1 x 2 pieces.
  EXPECT_EQ(array_dsps(1, 1, int_pe(16, 24), DspKind::kDsp48E1), 1);
  EXPECT_EQ(array_dsps(1, 1, int_pe(16, 26), DspKind::kDsp48E1), 2);
  PeResources ternary;
  ternary.multiplier_free = true;
  EXPECT_EQ(array_dsps(32, 32, ternary, DspKind::kDsp48E2), 0);
}

TEST(FpgaResources, BufferBlocksByHand) {
  const FpgaDevice& z7 = fpga_device("xc7z020");
  EXPECT_EQ(buffer_blocks({64 * 1024, 64, true}, z7).bram36, 16);   // 4 KiB of 64-bit rows per block
  EXPECT_EQ(buffer_blocks({64 * 1024, 128, true}, z7).bram36, 16);  // 2 wide x 8 deep
  EXPECT_EQ(buffer_blocks({10 * 1024, 64, true}, z7).bram36, 3);
  EXPECT_EQ(buffer_blocks({4 * 1024, 256, true}, z7).bram36, 4);  // width needs 4 side by side
  const BufferBlocks u = buffer_blocks({64 * 1024, 64, true}, fpga_device("xczu7ev"));
  EXPECT_EQ(u.uram, 2);
  EXPECT_EQ(u.bram36, 0);
}

TEST(FpgaResources, TooLargeArrayOnXc7z020IsRejectedWithTheReason) {
  HardwareConfig hw;
  hw.array_rows = hw.array_cols = 32;
  hw.input_buffer.size_bytes = hw.weight_buffer.size_bytes = hw.output_buffer.size_bytes = 64 * 1024;
  const FpgaDevice& z7 = fpga_device("xc7z020");
  const FpgaResources r = accelerator_resources(hw, int_pe(8, 8), z7);
  EXPECT_EQ(r.dsps, 1024);
  EXPECT_EQ(r.bram36, 3 * 16 + kShellBram36);
  EXPECT_EQ(r.luts, 1024 * 100 + kShellLuts);
  EXPECT_EQ(fit_problem(r, z7),
            "DSP: needs 1024, xc7z020 has 220 (804 over); LUT: needs 108400, xc7z020 has "
            "53200 (55200 over)");
  // 8 x 8 fits; the same 32 x 32 fits the larger UltraScale+ part (packed DSPs: 512).
  hw.array_rows = hw.array_cols = 8;
  EXPECT_EQ(fit_problem(accelerator_resources(hw, int_pe(8, 8), z7), z7), "");
  hw.array_rows = hw.array_cols = 32;
  const FpgaDevice& zu9 = fpga_device("xczu9eg");
  EXPECT_EQ(accelerator_resources(hw, int_pe(8, 8), zu9).dsps, 512);
  EXPECT_EQ(fit_problem(accelerator_resources(hw, int_pe(8, 8), zu9), zu9), "");
  EXPECT_THROW(fpga_device("xc7z010"), ConfigError);
}

TEST(ArmCluster, ThroughputIsTheSmallerOfNeonAndL1) {
  const ArmCluster& a53 = arm_cluster("cortex_a53");
  // fp32: 128/32 = 4 lanes; L1: 8 B/cycle * 16 MACs / (4*4 + 4*4 bytes) = 4.
  EXPECT_DOUBLE_EQ(arm_compute_macs_per_cycle(a53, ArmPrecision::kFp32), 4.0);
  EXPECT_DOUBLE_EQ(arm_l1_macs_per_cycle(a53, ArmPrecision::kFp32), 4.0);
  // int8: 8 lanes (16-bit products); L1: 8 * 16 / (4 + 4) = 16 -> compute-bound at 8.
  EXPECT_DOUBLE_EQ(arm_macs_per_cycle(a53, ArmPrecision::kInt8), 8.0);
  // low-bit: 16 lanes; L1: 8 * 16 / (4 + 1) = 25.6 -> 16.
  EXPECT_DOUBLE_EQ(arm_macs_per_cycle(a53, ArmPrecision::kLowBit), 16.0);
  // A smaller register block makes fp32 L1-bound: 2 x 2 -> 8 * 4 / (8 + 8) = 2 < 4.
  ArmCluster small = a53;
  small.block_m = small.block_n = 2;
  EXPECT_DOUBLE_EQ(arm_macs_per_cycle(small, ArmPrecision::kFp32), 2.0);
  const ArmCluster& a9 = arm_cluster("cortex_a9");
  EXPECT_DOUBLE_EQ(arm_macs_per_cycle(a9, ArmPrecision::kFp32), 2.0);  // 64-bit NEON
  EXPECT_DOUBLE_EQ(arm_macs_per_cycle(a9, ArmPrecision::kInt8), 4.0);
}

TEST(ArmCluster, LayerCyclesByHand) {
  const ArmCluster& a53 = arm_cluster("cortex_a53");
  // 1,000,000 int8 MACs over 64 output channels: 4 cores x 8 = 32 MACs/cycle -> 31,250 + 10,000 overhead.
  EXPECT_EQ(arm_gemm_cycles(a53, 1000000, 64, ArmPrecision::kInt8), 41250);
  // Only 2 output channels: 2 cores.
  EXPECT_EQ(arm_gemm_cycles(a53, 1000000, 2, ArmPrecision::kInt8), 72500);
  // Vector ops: 16 int8 lanes x 4 cores = 64 per cycle.
  EXPECT_EQ(arm_vector_cycles(a53, 6400), 100 + 10000);
}

TEST(Interconnect, TransferCostsByHand) {
  DdrChannel ddr{8.0, 100, false, 0};
  PortTiming port;
  port.width_bytes = 16;
  port.fabric_cycles_per_beat = 1.0;
  port.latency_cycles = 10;
  port.outstanding = 2;
  // 1024 bytes: 64 beats; the DDR request at 10 occupies 128 cycles (10..138), + 100 latency.
  EXPECT_EQ(isolated_transfer_cycles(port, ddr, 1024), 238);
  // A slower port (4 fabric cycles per beat) is the bottleneck: 256 + 10.
  PortTiming slow = port;
  slow.fabric_cycles_per_beat = 4.0;
  DdrChannel fast{64.0, 0, false, 0};
  EXPECT_EQ(isolated_transfer_cycles(slow, fast, 1024), 266);
  // Two ports on one DDR: the second transfer waits for the first on the channel.
  PortTiming a = port, b = port;
  EXPECT_EQ(a.transfer(0, 1024, ddr), 238);
  EXPECT_EQ(b.transfer(0, 1024, ddr), 366);
  // Outstanding limit: a third transfer on one port waits for the oldest of two in flight.
  DdrChannel idle{8.0, 100, false, 0};
  PortTiming c = port;
  EXPECT_EQ(c.transfer(0, 16, idle), 112);  // 1 beat; DDR 10..12 + 100
  EXPECT_EQ(c.transfer(0, 16, idle), 114);  // DDR 12..14 + 100
  EXPECT_EQ(c.transfer(0, 16, idle), 224);  // starts at 112: DDR 122..124 + 100
}

// Random costs on a network; auto must equal exhaustive search for every objective.
PartitionProblem random_problem(const Network& net, std::mt19937& rng) {
  std::uniform_real_distribution<double> t(1e-6, 1e-3), e(1e3, 1e7), x(0, 5e-4);
  PartitionProblem p;
  p.net = &net;
  for (size_t i = 0; i < net.layers.size(); ++i)
    p.layer.push_back({Cost{t(rng), e(rng)}, Cost{t(rng), e(rng)}});
  for (const auto& in : net.inputs) p.transfer[in.name] = {Cost{}, Cost{x(rng), e(rng) / 10}};
  for (const auto& l : net.layers)
    p.transfer[l.name] = {Cost{x(rng), e(rng) / 10}, Cost{x(rng), e(rng) / 10}};
  return p;
}

void expect_auto_equals_exhaustive(const Network& net, int trials) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < trials; ++trial) {
    const PartitionProblem p = random_problem(net, rng);
    for (auto o : {PartitionObjective::kLatency, PartitionObjective::kEnergy, PartitionObjective::kEdp}) {
      const Partition dp = optimal_partition(p, o);
      const Partition ex = exhaustive_partition(p, o);
      EXPECT_NEAR(objective_value(dp.total, o), objective_value(ex.total, o),
                  1e-9 * objective_value(ex.total, o))
          << net.name << " trial " << trial << " objective " << static_cast<int>(o);
      const Cost recomputed = partition_cost(p, dp.side);
      EXPECT_NEAR(recomputed.seconds, dp.total.seconds, 1e-12);
    }
  }
}

TEST(Partition, AutoEqualsExhaustiveOnChains) {
  const Network lenet = zoo_network("lenet5");  // 7 layers
  ASSERT_LE(lenet.layers.size(), 12u);
  expect_auto_equals_exhaustive(lenet, 20);
  Network chain = parse_network_json(
      R"({"name": "chain12", "inputs": [{"name": "x", "shape": [8, 8, 4]}],
      "layers": [)" +
          [] {
            std::string s;
            for (int i = 0; i < 12; ++i)
              s += std::string(i ? "," : "") + R"({"name": "c)" + std::to_string(i) +
                   R"(", "type": "conv", "filters": 4, "kernel": 3, "padding": 1, "relu": true})";
            return s;
          }() +
          "]}",
      "chain12");
  expect_auto_equals_exhaustive(chain, 10);
}

TEST(Partition, AutoEqualsExhaustiveOnResidualNetworks) {
  const Network tiny = load_network(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/networks/tiny_resnet.json");
  ASSERT_LE(tiny.layers.size(), 12u);
  expect_auto_equals_exhaustive(tiny, 30);
}

TEST(Partition, TransfersDecideAtTheBoundary) {
  // Two layers: ARM is faster for both, but starting on the ARM needs the input brought from DDR.
  const Network net = parse_network_json(R"({"name": "two", "inputs": [{"name": "x", "shape": [4, 4, 1]}],
      "layers": [{"name": "a", "type": "conv", "filters": 1, "kernel": 1},
                 {"name": "b", "type": "conv", "filters": 1, "kernel": 1}]})",
                                         "two");
  PartitionProblem p;
  p.net = &net;
  p.layer = {{Cost{10, 0}, Cost{8, 0}}, {Cost{10, 0}, Cost{8, 0}}};
  p.transfer["x"] = {Cost{}, Cost{5, 0}};
  p.transfer["a"] = {Cost{5, 0}, Cost{5, 0}};
  // FPGA-FPGA 20; ARM-ARM 5 + 8 + 8 = 21; FPGA-ARM 10 + 5 + 8 = 23.
  EXPECT_EQ(optimal_partition(p, PartitionObjective::kLatency).side,
            (std::vector<Side>{Side::kFpga, Side::kFpga}));
  p.transfer["x"] = {Cost{}, Cost{1, 0}};  // ARM-ARM 17
  EXPECT_EQ(optimal_partition(p, PartitionObjective::kLatency).side,
            (std::vector<Side>{Side::kArm, Side::kArm}));
  EXPECT_DOUBLE_EQ(optimal_partition(p, PartitionObjective::kLatency).total.seconds, 17);
  // a much faster on the FPGA, b on the ARM: FPGA-ARM 5 + 2 + 1 = 8.
  p.layer = {{Cost{5, 0}, Cost{8, 0}}, {Cost{10, 0}, Cost{1, 0}}};
  p.transfer["a"] = {Cost{2, 0}, Cost{2, 0}};
  EXPECT_EQ(optimal_partition(p, PartitionObjective::kLatency).side,
            (std::vector<Side>{Side::kFpga, Side::kArm}));
  EXPECT_DOUBLE_EQ(optimal_partition(p, PartitionObjective::kLatency).total.seconds, 8);
}

}  // namespace
}  // namespace deepchip::sim
