// One benchmark measurement per process (SystemC elaborates once): a zoo layer on an R x C array with
// ideal memory, timed around sc_start, beside the golden executor on the same layer. Prints one JSON line.
//   array_bench --impl cycle|tile --rows R --cols C [--network resnet18] [--layer layer1.0.conv1]
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "models/accelerator/accelerator.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/exec/golden.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/map/mapper.hpp"
#include "sim/util/enum_names.hpp"

using namespace deepchip;

int sc_main(int argc, char** argv) {
  std::map<std::string, std::string> args = {{"--impl", "tile"},
                                             {"--rows", "32"},
                                             {"--cols", "32"},
                                             {"--network", "resnet18"},
                                             {"--layer", "layer1.0.conv1"}};
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  const sim::Network full = sim::zoo_network(args["--network"]);
  // A one-layer network with the chosen layer's shape and its own input.
  sim::Layer layer = full.layer(args["--layer"]);
  sim::Network net;
  net.name = "bench";
  net.inputs.push_back({"input", layer.in_shape});
  layer.inputs = {"input"};
  net.layers.push_back(layer);
  net.finalize("bench");
  const sim::QuantModel model = sim::quantize(sim::make_synthetic_model(net, 1), sim::QuantConfig{});

  using Clock = std::chrono::steady_clock;
  const auto g0 = Clock::now();
  const sim::IntTensor golden =
      sim::golden_gemm_layer(model.inputs.at("input"), net.layers[0], model.layers.at(layer.name), 32);
  const double golden_s = std::chrono::duration<double>(Clock::now() - g0).count();

  sim::HardwareConfig hw;
  const auto impl = sim::enum_from_name<sim::ArrayImpl>(args["--impl"]);
  if (!impl) throw std::invalid_argument("--impl: one of cycle, tile, rtl, timing");
  hw.impl = *impl;
  hw.array_rows = std::stoi(args["--rows"]);
  hw.array_cols = std::stoi(args["--cols"]);
  hw.memory = sim::MemoryModel::kIdeal;
  const auto schedules = sim::map_network(model, hw);
  models::Accelerator acc("accelerator", hw, model, schedules);
  const auto t0 = Clock::now();
  sc_core::sc_start();
  const double sim_s = std::chrono::duration<double>(Clock::now() - t0).count();

  const int64_t cycles = acc.layer_stats().at(0).cycles;
  const double pe_updates = static_cast<double>(cycles) * hw.array_rows * hw.array_cols;
  nlohmann::json j = {{"impl", args["--impl"]},
                      {"array", std::to_string(hw.array_rows) + "x" + std::to_string(hw.array_cols)},
                      {"layer", args["--network"] + ":" + layer.name},
                      {"macs", sim::layer_macs(layer)},
                      {"simulated_cycles", cycles},
                      {"host_seconds", sim_s},
                      {"cycles_per_second", cycles / sim_s},
                      {"pe_updates_per_second", pe_updates / sim_s},
                      {"golden_seconds", golden_s},
                      {"ratio_to_golden", sim_s / golden_s},
                      {"golden_match", acc.tensors().at(layer.name).data == golden.data}};
  std::cout << j.dump() << std::endl;
  return j["golden_match"] ? 0 : 1;
}
