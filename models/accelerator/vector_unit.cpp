#include "models/accelerator/vector_unit.hpp"

#include "models/clock.hpp"
#include "models/timed_transfer.hpp"
#include "sim/kernels.hpp"
#include "sim/network.hpp"
#include "sim/timeline.hpp"

namespace deepchip::models {

VectorUnit::VectorUnit(sc_core::sc_module_name name, const sim::HardwareConfig& hw, bool numerics,
                       const sim::QuantModel& model)
    : sc_module(name), dram("dram"), hw_(hw), numerics_(numerics), model_(model) {}

int64_t VectorUnit::transfer(tlm::tlm_command command, int64_t bytes) {
  return timed_transfer(dram, payload_, command, bytes, now_cycles(),
                        command == tlm::TLM_READ_COMMAND ? "vector unit inputs" : "vector unit outputs");
}

void VectorUnit::run(const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors,
                     sim::LayerStats& st) {
  const int abits = model_.config.activation_bits;
  int64_t in_bytes = sim::packed_bytes(model_.net.tensor_shape(layer.inputs[0]).elements(), abits);
  if (layer.kind == sim::LayerKind::kAdd) in_bytes *= 2;
  const int64_t out_bytes = sim::packed_bytes(layer.out_shape.elements(), abits);
  const int64_t start = now_cycles();
  wait_until(transfer(tlm::TLM_READ_COMMAND, in_bytes));
  const int64_t read_done = now_cycles();
  st.dram_input_read_bytes = in_bytes;
  if (numerics_) tensors[layer.name] = output(layer, tensors);
  const int64_t compute_cycles = (sim::vector_ops(layer) + hw_.array_cols - 1) / hw_.array_cols;
  st.ideal_array_cycles = compute_cycles;  // for a vector layer: its compute time with data present
  sc_core::wait(cycles_to_time(compute_cycles));
  const int64_t compute_done = now_cycles();
  wait_until(transfer(tlm::TLM_WRITE_COMMAND, out_bytes));
  st.dram_output_write_bytes = out_bytes;
  if (hw_.timeline) {
    hw_.timeline->slice(sim::Track::kVectorUnit, layer.name + " read", start, read_done,
                        {{"bytes", in_bytes}});
    hw_.timeline->slice(sim::Track::kVectorUnit, layer.name + " " + st.kind, read_done, compute_done,
                        {{"ops", sim::vector_ops(layer)}});
    hw_.timeline->slice(sim::Track::kVectorUnit, layer.name + " write", compute_done, now_cycles(),
                        {{"bytes", out_bytes}});
  }
}

sim::IntTensor VectorUnit::output(const sim::Layer& layer,
                                  const std::map<std::string, sim::IntTensor>& tensors) const {
  const sim::IntTensor& a = tensors.at(layer.inputs[0]);
  switch (layer.kind) {
    case sim::LayerKind::kMaxPool:
      return sim::int_maxpool(a, layer);
    case sim::LayerKind::kAvgPool:
      return sim::int_avgpool(a, layer);
    case sim::LayerKind::kRelu:
      return sim::int_relu(a, model_.layers.at(layer.name).out.qmax);
    case sim::LayerKind::kAdd:
      return sim::int_add(a, tensors.at(layer.inputs[1]), model_.layers.at(layer.name));
    default:
      return sim::IntTensor{};
  }
}

}  // namespace deepchip::models
