// Host time of a decoding's simulation pass by pass (scripts/bench, sim/README.md "Generative decoding"): a
// zoo decoder unrolled into prefill and decode steps (sim/zoo/decoder.hpp), its layers played on the
// accelerator by an owner thread that times each pass, so that a decode step's host seconds stand beside its
// simulated cycles. The model's preparation (quantization's float calibration pass, the golden run for the
// zero-MAC counts) is timed apart. Prints one JSON line.
//   decode_bench [--network gpt2] [--prompt 128] [--decode 128] [--rows 32] [--cols 32] [--impl timing]
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <tlm>

#include "models/accelerator/accelerator.hpp"
#include "models/clock.hpp"
#include "models/memory/ddr.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/map/mapper.hpp"
#include "sim/util/enum_names.hpp"
#include "sim/zoo/decoder.hpp"

using namespace deepchip;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Plays every layer of the model from its thread and records, per pass, host seconds and simulated cycles.
class Driver : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Driver);
  Driver(sc_core::sc_module_name name, const sim::HardwareConfig& hw, const sim::QuantModel& model,
         const std::map<std::string, sim::LayerSchedule>& schedules, const sim::ZeroMacCounts& zero_macs)
      : sc_module(name),
        model_(model),
        dram_("dram", hw, nullptr),
        accelerator_("accelerator", hw, model, schedules, models::Accelerator::InSystem{}, &zero_macs) {
    accelerator_.dram_port.bind(dram_.socket);
    if (sim::executes_numerics(hw.impl))
      for (const auto& [name, t] : model.inputs) accelerator_.set_tensor(name, t);
    SC_THREAD(play);
    set_stack_size(models::kKernelThreadStackBytes);
  }
  std::map<int, double> host_s;   // by pass: -1 prefill, s decode step s
  std::map<int, int64_t> cycles;  // by pass

 private:
  void play() {
    for (const auto& l : model_.net.layers) {
      const auto t = Clock::now();
      const sim::LayerStats st = accelerator_.run_layer(l);
      const int phase = sim::decoding_phase(l.name);
      host_s[phase] += since(t);
      cycles[phase] += st.cycles;
    }
  }
  const sim::QuantModel& model_;
  models::Ddr dram_;
  models::Accelerator accelerator_;
};

}  // namespace

int sc_main(int argc, char** argv) {
  std::map<std::string, std::string> args = {{"--network", "gpt2"}, {"--prompt", "128"},
                                             {"--decode", "128"},   {"--rows", "32"},
                                             {"--cols", "32"},      {"--impl", "timing"}};
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  const sim::Sequence seq{std::stoi(args["--prompt"]), std::stoi(args["--decode"]), 1};
  const auto p0 = Clock::now();
  const sim::FloatModel fm =
      sim::make_synthetic_model(sim::decoder_network(args["--network"], 1, seq.total_tokens()), 1);
  const sim::QuantModel model =
      sim::unroll_decoding(sim::quantize(fm, sim::QuantConfig{}), args["--network"], seq);
  sim::HardwareConfig hw;
  const auto impl = sim::enum_from_name<sim::ArrayImpl>(args["--impl"]);
  if (!impl) throw std::invalid_argument("--impl: one of cycle, tile, rtl, timing");
  hw.impl = *impl;
  hw.array_rows = std::stoi(args["--rows"]);
  hw.array_cols = std::stoi(args["--cols"]);
  const sim::ZeroMacCounts zero_macs =
      sim::golden_reference(model, hw.accumulator_bits, false, false).zero_macs;
  const auto schedules = sim::map_network(model, hw);
  const double prepare_s = since(p0);
  // One thread plays the layers one after another: nothing else reaches the DRAM, so an unbounded quantum
  // (the array ahead of SystemC time) is exact, as for a standalone accelerator.
  tlm::tlm_global_quantum::instance().set(sc_core::sc_max_time());
  Driver driver("driver", hw, model, schedules, zero_macs);
  const auto t0 = Clock::now();
  sc_core::sc_start();
  const double simulate_s = since(t0);

  nlohmann::json steps_host = nlohmann::json::array(), steps_cycles = nlohmann::json::array();
  int64_t decode_cycles = 0;
  double decode_host = 0;
  for (int s = 0; s < seq.decode_tokens; ++s) {
    steps_host.push_back(driver.host_s[s]);
    steps_cycles.push_back(driver.cycles[s]);
    decode_cycles += driver.cycles[s];
    decode_host += driver.host_s[s];
  }
  const double tokens_per_s =
      decode_cycles > 0 ? seq.decode_tokens * hw.clock_hz / static_cast<double>(decode_cycles) : 0.0;
  std::cout << nlohmann::json{{"network", args["--network"]},
                              {"impl", args["--impl"]},
                              {"array", args["--rows"] + "x" + args["--cols"]},
                              {"prompt_tokens", seq.prompt_tokens},
                              {"decode_tokens", seq.decode_tokens},
                              {"layers", model.net.layers.size()},
                              {"prepare_host_s", prepare_s},
                              {"simulate_host_s", simulate_s},
                              {"prefill_host_s", driver.host_s[-1]},
                              {"prefill_cycles", driver.cycles[-1]},
                              {"decode_host_s", decode_host},
                              {"decode_cycles", decode_cycles},
                              {"simulated_tokens_per_s", tokens_per_s},
                              {"step_host_s", steps_host},
                              {"step_cycles", steps_cycles}}
                   .dump()
            << "\n";
  return 0;
}
