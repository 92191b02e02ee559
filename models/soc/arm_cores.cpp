#include "models/soc/arm_cores.hpp"

#include <cmath>

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

ArmCores::ArmCores(sc_core::sc_module_name name, const sim::ArmCluster& arm, double fabric_hz,
                   sim::Timeline* timeline)
    : sc_module(name), port("port"), arm_(arm), fabric_hz_(fabric_hz), timeline_(timeline) {}

int64_t ArmCores::to_fabric_cycles(int64_t arm_cycles) const {
  return static_cast<int64_t>(std::ceil(static_cast<double>(arm_cycles) * fabric_hz_ / arm_.clock_hz - 1e-9));
}

int64_t ArmCores::layer_cycles(const sim::QuantModel& model, const sim::Layer& l) const {
  if (!l.on_array()) return sim::arm_vector_cycles(arm_, sim::vector_ops(l));
  return sim::arm_gemm_cycles(arm_, sim::layer_macs(l), l.out_channels,
                              sim::arm_precision_of(model.layers.at(l.params())));
}

int64_t ArmCores::weight_bytes(const sim::QuantModel& model, const sim::Layer& l) {
  return l.is_gemm() ? (model.storage.at(l.params()).stored_bits + 7) / 8 : 0;
}

int64_t ArmCores::transfer(tlm::tlm_command command, int64_t bytes) {
  return timed_transfer(port, payload_, command, bytes, now_cycles(),
                        command == tlm::TLM_READ_COMMAND ? "ARM reads" : "ARM writes");
}

sim::LayerStats ArmCores::run_layer(const sim::QuantModel& model, const sim::GoldenRunner* golden,
                                    const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors) {
  sim::LayerStats st;
  st.name = layer.name;
  st.kind = sim::to_string(layer.kind);
  st.on_arm = 1;
  st.macs = sim::layer_macs(layer);
  st.arm_cycles = layer_cycles(model, layer);
  const int64_t start = now_cycles();
  // The weights stream from DDR while the cores compute; the layer ends when both are done.
  st.dram_weight_read_bytes = weight_bytes(model, layer);
  const int64_t weights_done = transfer(tlm::TLM_READ_COMMAND, st.dram_weight_read_bytes);
  sc_core::wait(cycles_to_time(to_fabric_cycles(st.arm_cycles)));
  if (timeline_)
    timeline_->slice(sim::Track::kArmCores, layer.name, start, now_cycles(),
                     {{"arm_cycles", st.arm_cycles}, {"weight_bytes", st.dram_weight_read_bytes}});
  wait_until(weights_done);
  st.cycles = now_cycles() - start;
  if (golden) tensors[layer.name] = golden->run_layer(layer, tensors);
  return st;
}

}  // namespace deepchip::models
