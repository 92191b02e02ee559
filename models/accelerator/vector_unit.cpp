#include "models/accelerator/vector_unit.hpp"

#include "models/clock.hpp"
#include "sim/cost/energy.hpp"
#include "sim/cost/timeline.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/exec/vector_kernels.hpp"
#include "sim/ir/network.hpp"

namespace deepchip::models {

VectorUnit::VectorUnit(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
                       bool numerics, const sim::QuantModel& model)
    : sc_module(name), dram("dram"), hw_(hw), timeline_(timeline), numerics_(numerics), model_(model) {}

int64_t VectorUnit::transfer(tlm::tlm_command command, int64_t bytes) {
  return dram_path_.transfer(dram, command, bytes, now_cycles(),
                             command == tlm::TLM_READ_COMMAND ? "vector unit inputs" : "vector unit outputs");
}

void VectorUnit::run(const sim::Layer& layer, std::map<std::string, sim::IntTensor>& tensors,
                     sim::LayerStats& st) {
  if (layer.is_reshape()) {  // the same bytes under another shape: nothing moves, nothing is computed
    if (numerics_) tensors[layer.name] = output(layer, tensors);
    return;
  }
  const int abits = model_.config.activation_bits;
  // Every input in full (a broadcast operand is read once), a gather what it reads; a cache append reads the
  // new rows and writes them after the cache's (the cache itself does not move).
  int64_t in_bytes = 0;
  for (size_t i = layer.cache_append ? layer.inputs.size() - 1 : 0; i < layer.inputs.size(); ++i)
    in_bytes += sim::packed_bytes(layer.kind == sim::LayerKind::kGather
                                      ? layer.out_shape.elements()
                                      : model_.net.tensor_shape(layer.inputs[i]).elements(),
                                  abits);
  const int64_t out_bytes =
      layer.cache_append ? in_bytes : sim::packed_bytes(layer.out_shape.elements(), abits);
  const int64_t start = now_cycles();
  // A lookup layer's table is loaded into the unit's table SRAM with the inputs.
  st.vector_table_bytes = sim::lookup_table_bytes(model_, layer);
  wait_until(transfer(tlm::TLM_READ_COMMAND, in_bytes + st.vector_table_bytes));
  const int64_t read_done = now_cycles();
  st.dram_input_read_bytes = in_bytes;
  st.dram_weight_read_bytes = st.vector_table_bytes;
  st.vector_ops = sim::vector_ops(layer);
  if (numerics_) tensors[layer.name] = output(layer, tensors);
  const int64_t compute_cycles = (sim::vector_ops(layer) + hw_.array_cols - 1) / hw_.array_cols;
  st.ideal_array_cycles = compute_cycles;  // for a vector layer: its compute time with data present
  sc_core::wait(cycles_to_time(compute_cycles));
  const int64_t compute_done = now_cycles();
  wait_until(transfer(tlm::TLM_WRITE_COMMAND, out_bytes));
  (layer.cache_append ? st.dram_kv_write_bytes : st.dram_output_write_bytes) = out_bytes;
  if (timeline_) {
    timeline_->slice(sim::Track::kVectorUnit, layer.name + " read", start, read_done, {{"bytes", in_bytes}});
    timeline_->slice(sim::Track::kVectorUnit, layer.name + " " + st.kind, read_done, compute_done,
                     {{"ops", sim::vector_ops(layer)}});
    timeline_->slice(sim::Track::kVectorUnit, layer.name + " write", compute_done, now_cycles(),
                     {{"bytes", out_bytes}});
  }
}

sim::IntTensor VectorUnit::output(const sim::Layer& layer,
                                  const std::map<std::string, sim::IntTensor>& tensors) const {
  return sim::run_vector_layer(layer, model_.layers.at(layer.params()), tensors);
}

}  // namespace deepchip::models
