// Many design points in one process (models/kernel.hpp): each evaluation gets a fresh SystemC kernel, and
// its result equals the same point evaluated alone in a process of its own, byte for byte, whatever ran
// before it (every array level, every dataflow, a system, a point that fails its checks).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "deepchip/source_dir.hpp"
#include "models/system/evaluate.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/cost/energy.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"

namespace deepchip::models {
namespace {

const std::string kRepo = DEEPCHIP_SOURCE_DIR;

struct Case {
  sim::HardwareConfig hw;
  std::optional<sim::SocConfig> soc;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](sim::ArrayImpl impl, int rows, int cols, sim::Dataflow dataflow) {
    Case c;
    c.hw.impl = impl;
    c.hw.array_rows = rows;
    c.hw.array_cols = cols;
    c.hw.dataflow = dataflow;
    c.hw.dram_bandwidth_bytes_per_cycle = 8;
    c.hw.dram_latency_cycles = 20;
    out.push_back(c);
  };
  add(sim::ArrayImpl::kTiming, 8, 8, sim::Dataflow::kWs);
  add(sim::ArrayImpl::kTile, 8, 8, sim::Dataflow::kWs);
  add(sim::ArrayImpl::kCycle, 4, 8, sim::Dataflow::kOs);
  add(sim::ArrayImpl::kTiming, 16, 4, sim::Dataflow::kIs);
  add(sim::ArrayImpl::kTile, 8, 8, sim::Dataflow::kWs);
  out.back().hw.weight_buffer.size_bytes =
      64;  // too small for any layer: fails its checks, nothing simulated
  add(sim::ArrayImpl::kTile, 8, 8, sim::Dataflow::kWs);
  sim::SocConfig soc;  // the accelerator beside two Cortex-A53s, partitioned by the prediction
  soc.arm = sim::arm_cluster("cortex_a53");
  soc.device = "xczu9eg";
  soc.ddr = {8, 20, false, 0};
  soc.pl_port.width_bytes = 16;
  soc.arm_port.width_bytes = 4;
  soc.arm_port.fabric_cycles_per_beat = out.back().hw.clock_hz / soc.arm.clock_hz;
  soc.strategy = sim::PartitionStrategy::kAuto;
  out.back().soc = soc;
  add(sim::ArrayImpl::kTiming, 8, 8, sim::Dataflow::kWs);  // after the system: its TLM quantum is reset
  return out;
}

class Kernel : public ::testing::Test {
 protected:
  const sim::QuantModel model = sim::quantize(
      sim::make_synthetic_model(sim::load_network(kRepo + "/configs/networks/tiny_resnet.json"), 3),
      sim::QuantConfig{});
  const sim::EnergyTable energy = sim::load_energy_table(kRepo + "/configs/tech/45nm.json");
  const sim::GoldenReference golden = sim::golden_reference(model, 32);

  std::string evaluated(const Case& c) {
    sim::PeResources pe;
    pe.luts = 120;
    pe.ffs = 90;
    const sim::PointResult r = evaluate({c.hw, c.soc, std::nullopt}, {model, energy, &golden, pe});
    return sim::dump_json(sim::to_json(r), 2);
  }

  // The point evaluated in a child forked before this process used SystemC.
  std::string evaluated_alone(const Case& c) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    const pid_t pid = fork();
    if (pid == 0) {
      ::close(fds[0]);
      const std::string text = evaluated(c);
      size_t written = 0;
      while (written < text.size()) {
        const ssize_t n = ::write(fds[1], text.data() + written, text.size() - written);
        if (n <= 0) _exit(1);
        written += static_cast<size_t>(n);
      }
      _exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buffer[65536];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    ::close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return text;
  }
};

TEST_F(Kernel, ManyPointsInOneProcessEqualEachPointInItsOwn) {
  const std::vector<Case> all = cases();
  std::vector<std::string> alone;
  for (const Case& c : all) alone.push_back(evaluated_alone(c));  // before this process elaborates anything
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < all.size(); ++i) {
      const size_t k = round == 0 ? i : all.size() - 1 - i;  // the second round in reverse order
      EXPECT_EQ(evaluated(all[k]), alone[k]) << "point " << k << ", round " << round;
    }
  }
  EXPECT_NE(alone[4].find("\"ok\": false"), std::string::npos) << alone[4];
  EXPECT_NE(alone[5].find("\"soc\""), std::string::npos) << alone[5];
  EXPECT_NE(alone[1].find("\"golden_match\": true"), std::string::npos);
}

}  // namespace
}  // namespace deepchip::models
