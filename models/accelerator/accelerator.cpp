#include "models/accelerator/accelerator.hpp"

#include "models/clock.hpp"
#include "sim/cost/timeline.hpp"

namespace deepchip::models {

namespace {
int64_t global_quantum_cycles() {
  const sc_core::sc_time q = tlm::tlm_global_quantum::instance().get();
  return q == sc_core::sc_max_time() ? kNever : time_to_cycles(q);
}
}  // namespace

Accelerator::Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw,
                         const sim::QuantModel& model,
                         const std::map<std::string, sim::LayerSchedule>& schedules,
                         const sim::ZeroMacCounts* zero_macs, const sim::GemmWeights* gemm_weights,
                         const sim::Observers& observers, int64_t quantum_cycles)
    : sc_module(name),
      dram_port("dram_port"),
      hw_(hw),
      observers_(observers),
      numerics_(sim::executes_numerics(hw.impl)),
      model_(model),
      input_buffer_("input_buffer", hw_.input_buffer),
      weight_buffer_("weight_buffer", hw_.weight_buffer),
      output_buffer_("output_buffer", hw_.output_buffer),
      decoder_("weight_decoder", hw_, observers_.timeline, numerics_),
      read_dma_("read_dma", hw_, observers_.timeline, input_buffer_, weight_buffer_, output_buffer_,
                decoder_),
      output_stage_("output_stage", hw_, observers_.timeline, numerics_, model.config.activation_bits,
                    output_buffer_),
      vector_unit_("vector_unit", hw_, observers_.timeline, numerics_, model),
      interconnect_("interconnect"),
      array_(make_array(hw_, observers_)),
      controller_(
          "controller", hw_, observers_.timeline, numerics_, model, schedules, zero_macs, gemm_weights,
          quantum_cycles,
          {input_buffer_, weight_buffer_, output_buffer_, decoder_, read_dma_, output_stage_, *array_}) {
  read_dma_.dram.bind(interconnect_.masters);
  output_stage_.dram.bind(interconnect_.masters);
  vector_unit_.dram.bind(interconnect_.masters);
  interconnect_.memory.bind(dram_port);    // hierarchical: the interconnect leaves through the top's port
  if (numerics_) tensors_ = model.inputs;  // `timing` reads no tensor
}

Accelerator::Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw,
                         const sim::QuantModel& model,
                         const std::map<std::string, sim::LayerSchedule>& schedules,
                         const sim::ZeroMacCounts* zero_macs, const sim::GemmWeights* gemm_weights,
                         const sim::Observers& observers)
    : Accelerator(name, hw, model, schedules, zero_macs, gemm_weights, observers, kNever) {
  dram_ = std::make_unique<Ddr>("dram", hw_, observers_.timeline);
  dram_port.bind(dram_->socket);
  // The DRAM's only initiator: its units reach it directly, as the port's binding (index 0) would
  // (models/accelerator/dram_path.hpp).
  for (DramPath* path : {&read_dma_.dram_path(), &output_stage_.dram_path(), &vector_unit_.dram_path()})
    path->bypass_sockets(*dram_, 0);
  SC_THREAD(control);
  set_stack_size(kKernelThreadStackBytes);
}

Accelerator::Accelerator(sc_core::sc_module_name name, const sim::HardwareConfig& hw,
                         const sim::QuantModel& model,
                         const std::map<std::string, sim::LayerSchedule>& schedules, InSystem,
                         const sim::ZeroMacCounts* zero_macs, const sim::GemmWeights* gemm_weights,
                         const sim::Observers& observers)
    : Accelerator(name, hw, model, schedules, zero_macs, gemm_weights, observers, global_quantum_cycles()) {}

void Accelerator::control() {
  for (const auto& layer : model_.net.layers) stats_.push_back(run_layer(layer));
  finished_ = true;
}

sim::LayerStats Accelerator::run_layer(const sim::Layer& layer) {
  sim::LayerStats st;
  st.name = layer.name;
  st.kind = sim::to_string(layer.kind);
  const int64_t start = now_cycles();
  if (layer.on_array())
    controller_.run_gemm_layer(layer, tensors_, st);
  else
    vector_unit_.run(layer, tensors_, st);
  st.cycles = now_cycles() - start;
  st.stall_cycles = st.cycles - st.ideal_array_cycles;
  if (observers_.timeline)
    observers_.timeline->slice(
        sim::Track::kLayers, layer.name, start, now_cycles(),
        {{"ideal_array_cycles", st.ideal_array_cycles}, {"stall_cycles", st.stall_cycles}});
  st.utilization = st.cycles > 0 ? static_cast<double>(st.macs) /
                                       (static_cast<double>(hw_.array_rows) * hw_.array_cols * st.cycles)
                                 : 0.0;
  return st;
}

}  // namespace deepchip::models
