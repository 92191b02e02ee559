// Typed statistics. Every field is declared once here with its unit and description; JSON and CSV writers
// iterate the declarations (visit_fields), so names cannot drift between outputs.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

// X(type, name, unit, description)
#define DEEPCHIP_LAYER_STAT_FIELDS(X)                                                                        \
  X(int64_t, macs, "MAC", "useful multiply-accumulates of the layer")                                        \
  X(int64_t, cycles, "cycle", "cycles from the layer's start to its last output written to DRAM")            \
  X(int64_t, ideal_array_cycles, "cycle", "closed-form array cycles with all data present")                  \
  X(int64_t, stall_cycles, "cycle", "cycles - ideal_array_cycles: waiting for memory and write-back")        \
  X(int64_t, folds, "fold", "weight folds (tiles of R rows x C columns) played")                             \
  X(int64_t, mnk_order, "layer", "1: the layer ran loop order mnk (M-tiled; a point: how many layers did)")  \
  X(double, utilization, "ratio", "macs / (rows * cols * cycles)")                                           \
  X(int64_t, sram_input_reads, "word", "input buffer word reads")                                            \
  X(int64_t, sram_input_writes, "word", "input buffer word writes (DMA fills)")                              \
  X(int64_t, sram_weight_reads, "word", "weight buffer word reads (array weight loads)")                     \
  X(int64_t, sram_weight_writes, "word", "weight buffer word writes (DMA fills)")                            \
  X(int64_t, sram_output_reads, "word", "output buffer word reads (accumulate, write-back)")                 \
  X(int64_t, sram_output_writes, "word", "output buffer word writes (partial sums, fills)")                  \
  X(int64_t, dram_input_read_bytes, "byte", "DRAM bytes read for input activations")                         \
  X(int64_t, dram_weight_read_bytes, "byte", "DRAM bytes read for weights")                                  \
  X(int64_t, dram_operand_read_bytes, "byte",                                                                \
    "DRAM bytes read for a matmul's second activation operand (through the weight path)")                    \
  X(int64_t, dram_kv_read_bytes, "byte",                                                                     \
    "DRAM bytes of a decoder's KV cache read (attention's keys and values)")                                 \
  X(int64_t, dram_kv_write_bytes, "byte", "DRAM bytes appended to a decoder's KV cache")                     \
  X(int64_t, dram_psum_read_bytes, "byte", "DRAM bytes read for spilled partial sums")                       \
  X(int64_t, dram_psum_write_bytes, "byte", "DRAM bytes written for spilled partial sums")                   \
  X(int64_t, dram_output_write_bytes, "byte", "DRAM bytes written for output activations")                   \
  X(double, energy_mac_pj, "pJ", "array MAC energy")                                                         \
  X(double, energy_pe_forward_pj, "pJ",                                                                      \
    "PE-to-PE movement: operand bits written into a neighbour's register (the dataflow's moving operands "   \
    "per MAC, stationary loads along the load chain, os's output drain)")                                    \
  X(double, energy_pe_register_pj, "pJ",                                                                     \
    "PE-local register writes: os's accumulator per MAC, ws/is's shadow-to-active copy per loaded value")    \
  X(double, energy_sram_input_pj, "pJ", "input buffer access energy")                                        \
  X(double, energy_sram_weight_pj, "pJ", "weight buffer access energy")                                      \
  X(double, energy_sram_output_pj, "pJ", "output buffer access energy")                                      \
  X(double, energy_dram_pj, "pJ", "DRAM access energy")                                                      \
  X(double, energy_dram_kv_pj, "pJ", "of energy_dram_pj: a decoder's KV cache traffic")                      \
  X(double, energy_total_pj, "pJ", "sum of the energy components")                                           \
  X(int64_t, zero_macs, "MAC", "MACs with a zero weight or a zero activation (gated or skipped)")            \
  X(int64_t, folds_skipped, "fold", "all-zero weight folds not fetched, loaded or streamed (skipping)")      \
  X(int64_t, cycles_skipped, "cycle", "ideal cycles saved by skipping all-zero folds")                       \
  X(int64_t, decoder_stall_cycles, "cycle", "weight loads delayed by the Huffman decoder beyond DRAM")       \
  X(int64_t, weight_count, "weight", "weights of the layer")                                                 \
  X(int64_t, weight_bits_stored, "bit", "weight storage: codes or Huffman stream, tables, scales")           \
  X(double, compression_vs_fp32, "ratio", "weight_count * 32 / weight_bits_stored")                          \
  X(int64_t, weight_table_bits, "bit", "Huffman code tables (part of weight_bits_stored)")                   \
  X(double, bits_per_weight, "bit", "weight_bits_stored / weight_count")                                     \
  X(int64_t, on_arm, "flag", "1: the layer ran on the ARM cores (ARM+FPGA systems)")                         \
  X(int64_t, arm_cycles, "ARM cycle", "ARM cluster cycles of the layer, in the ARM clock domain")            \
  X(int64_t, transfer_bytes, "byte", "tensor bytes moved through DDR between ARM and FPGA before the layer") \
  X(int64_t, transfer_cycles, "cycle", "fabric cycles of those transfers and their handoffs (in cycles)")    \
  X(double, energy_arm_pj, "pJ", "ARM cluster dynamic energy")                                               \
  X(double, energy_static_pj, "pJ",                                                                          \
    "leakage over the layer's time (the accelerator's silicon; a system's PS and PL)")                       \
  X(int64_t, vector_ops, "op",                                                                               \
    "vector-unit element operations (pool taps, elementwise ops, lookups, copies)")                          \
  X(int64_t, vector_table_bytes, "byte", "lookup table SRAM of the layer (2^activation_bits entries)")       \
  X(double, energy_vector_pj, "pJ", "vector-unit operation energy (lookups: table SRAM reads)")

struct LayerStats {
  std::string name;
  std::string kind;
  bool golden_match = false;
#define DEEPCHIP_DECLARE_FIELD(type, field, unit, doc) type field = 0;
  DEEPCHIP_LAYER_STAT_FIELDS(DEEPCHIP_DECLARE_FIELD)
#undef DEEPCHIP_DECLARE_FIELD

  template <typename F>
  void visit_fields(F&& f) const {
#define DEEPCHIP_VISIT_FIELD(type, field, unit, doc) f(#field, field, unit, doc);
    DEEPCHIP_LAYER_STAT_FIELDS(DEEPCHIP_VISIT_FIELD)
#undef DEEPCHIP_VISIT_FIELD
  }
  template <typename F>
  void visit_fields(F&& f) {
#define DEEPCHIP_VISIT_FIELD(type, field, unit, doc) f(#field, field, unit, doc);
    DEEPCHIP_LAYER_STAT_FIELDS(DEEPCHIP_VISIT_FIELD)
#undef DEEPCHIP_VISIT_FIELD
  }
  void add(const LayerStats& o);  // sums counters (utilization recomputed by the caller)
};

struct FieldDoc {
  std::string name, unit, doc;
};
std::vector<FieldDoc> layer_stat_docs();

// FPGA resources, declared once: X(name).
#define DEEPCHIP_FPGA_RESOURCE_FIELDS(X) X(luts) X(ffs) X(bram36) X(uram) X(dsps)

struct ResourceCounts {
#define DEEPCHIP_DECLARE_RESOURCE(name) int64_t name = 0;
  DEEPCHIP_FPGA_RESOURCE_FIELDS(DEEPCHIP_DECLARE_RESOURCE)
#undef DEEPCHIP_DECLARE_RESOURCE
  template <typename F>
  void visit(F&& f) const {
#define DEEPCHIP_VISIT_RESOURCE(name) f(#name, name);
    DEEPCHIP_FPGA_RESOURCE_FIELDS(DEEPCHIP_VISIT_RESOURCE)
#undef DEEPCHIP_VISIT_RESOURCE
  }
  template <typename F>
  void visit(F&& f) {
#define DEEPCHIP_VISIT_RESOURCE(name) f(#name, name);
    DEEPCHIP_FPGA_RESOURCE_FIELDS(DEEPCHIP_VISIT_RESOURCE)
#undef DEEPCHIP_VISIT_RESOURCE
  }
};

// The ARM+FPGA system of a point (soc.device set): placement, clock domains, FPGA resources, declared once:
// X(type, name, doc).
#define DEEPCHIP_SOC_SUMMARY_FIELDS(X)                                                                 \
  X(std::string, device, "the Zynq device")                                                            \
  X(std::string, arm, "the ARM cluster preset")                                                        \
  X(std::string, strategy, "partition strategy")                                                       \
  X(std::string, objective, "what auto minimised")                                                     \
  X(std::vector<std::string>, arm_layers, "layers placed on the ARM cores (the rest ran on the FPGA)") \
  X(int64_t, fpga_cycles, "fabric clock domain: cycles the accelerator worked")                        \
  X(int64_t, arm_cycles, "ARM clock domain: cycles the cluster computed")                              \
  X(int64_t, transfer_bytes, "ARM <-> FPGA tensor traffic through DDR")                                \
  X(double, predicted_seconds, "the partitioner's cost model for the chosen placement (auto)")

struct SocSummary {
#define DEEPCHIP_DECLARE_SOC_FIELD(type, name, doc) type name{};
  DEEPCHIP_SOC_SUMMARY_FIELDS(DEEPCHIP_DECLARE_SOC_FIELD)
#undef DEEPCHIP_DECLARE_SOC_FIELD
  ResourceCounts used, available;  // of the device
  template <typename F>
  void visit_fields(F&& f) const {
#define DEEPCHIP_VISIT_SOC_FIELD(type, name, doc) f(#name, name);
    DEEPCHIP_SOC_SUMMARY_FIELDS(DEEPCHIP_VISIT_SOC_FIELD)
#undef DEEPCHIP_VISIT_SOC_FIELD
  }
  template <typename F>
  void visit_fields(F&& f) {
#define DEEPCHIP_VISIT_SOC_FIELD(type, name, doc) f(#name, name);
    DEEPCHIP_SOC_SUMMARY_FIELDS(DEEPCHIP_VISIT_SOC_FIELD)
#undef DEEPCHIP_VISIT_SOC_FIELD
  }
};

// A standalone accelerator's silicon (sim/cost/silicon.hpp; absent for ARM+FPGA systems, whose area is
// their FPGA resources), declared once: X(name, unit, doc).
#define DEEPCHIP_SILICON_FIELDS(X)                                                                        \
  X(area_mm2, "mm2", "the accelerator's area: the sum of the area_* components below")                    \
  X(area_pe_array_mm2, "mm2", "rows x cols PEs: multiplier, accumulator adder, the dataflow's registers") \
  X(area_sram_input_mm2, "mm2", "the input buffer (CACTI, by capacity)")                                  \
  X(area_sram_weight_mm2, "mm2", "the weight buffer (CACTI, by capacity)")                                \
  X(area_sram_output_mm2, "mm2", "the output buffer (CACTI, by capacity)")                                \
  X(area_huffman_decoder_mm2, "mm2", "the Huffman weight decoder's lanes (0 without Huffman coding)")     \
  X(area_vector_unit_mm2, "mm2", "the vector unit's array_cols lanes")                                    \
  X(area_dram_interface_mm2, "mm2", "the DRAM controller and PHY, by peak DRAM bandwidth")                \
  X(pe_um2, "um2", "one PE")                                                                              \
  X(power_static_w, "W", "leakage of every component (energy_static_pj is this times the run time)")      \
  X(power_dynamic_w, "W", "(energy_total_pj - energy_static_pj) / seconds")                               \
  X(power_w, "W", "power_dynamic_w + power_static_w")

struct SiliconSummary {
#define DEEPCHIP_DECLARE_SILICON(name, unit, doc) double name = 0;
  DEEPCHIP_SILICON_FIELDS(DEEPCHIP_DECLARE_SILICON)
#undef DEEPCHIP_DECLARE_SILICON
  template <typename F>
  void visit_fields(F&& f) const {
#define DEEPCHIP_VISIT_SILICON(name, unit, doc) f(#name, name, unit, doc);
    DEEPCHIP_SILICON_FIELDS(DEEPCHIP_VISIT_SILICON)
#undef DEEPCHIP_VISIT_SILICON
  }
  template <typename F>
  void visit_fields(F&& f) {
#define DEEPCHIP_VISIT_SILICON(name, unit, doc) f(#name, name, unit, doc);
    DEEPCHIP_SILICON_FIELDS(DEEPCHIP_VISIT_SILICON)
#undef DEEPCHIP_VISIT_SILICON
  }
};
std::vector<FieldDoc> silicon_docs();

// The phases of an unrolled decoding (sim/cost/decoding_stats.hpp summarises them).
// The point's decoding figures, declared once: X(type, name, unit, doc).
#define DEEPCHIP_DECODING_FIELDS(X)                                                                \
  X(int64_t, prefill_cycles, "cycle",                                                              \
    "prefill: the prompt's pass, from the start to the first new token's "                         \
    "logits")                                                                                      \
  X(double, time_to_first_token_s, "s", "prefill_cycles at the clock")                             \
  X(int64_t, decode_cycles, "cycle", "every decode step")                                          \
  X(double, decode_cycles_per_step, "cycle", "decode_cycles / decode steps")                       \
  X(double, decode_tokens_per_s, "token/s", "batch * decode steps / (decode_cycles at the clock)") \
  X(double, decode_energy_per_token_pj, "pJ", "decode energy / (batch * decode steps)")            \
  X(double, decode_utilization, "ratio", "decode MACs / (rows * cols * decode_cycles)")            \
  X(double, decode_bound_ratio_min, "ratio",                                                       \
    "the smallest step cycles / memory-bound cycles (>= 1: no step beats the bound)")

// Per decode step, the series the report plots, declared once: X(name, unit, doc).
#define DEEPCHIP_DECODING_STEP_FIELDS(X)                                                                    \
  X(int64_t, cycles, "cycle", "the step's cycles")                                                          \
  X(int64_t, macs, "MAC", "the step's multiply-accumulates")                                                \
  X(double, utilization, "ratio", "macs / (rows * cols * cycles)")                                          \
  X(int64_t, stall_cycles, "cycle", "its cycles beyond the array's ideal")                                  \
  X(int64_t, dram_weight_read_bytes, "byte", "weights read (every layer's)")                                \
  X(int64_t, dram_kv_read_bytes, "byte", "KV cache read")                                                   \
  X(int64_t, dram_kv_write_bytes, "byte", "KV cache appended")                                              \
  X(int64_t, dram_other_bytes, "byte", "other DRAM traffic: activations, partial sums, tables")             \
  X(int64_t, memory_bound_cycles, "cycle",                                                                  \
    "(the model's weight stream bytes + the KV cache's bytes after the step) / DRAM bandwidth: the step's " \
    "cycles if only reading them once at full bandwidth")                                                   \
  X(int64_t, energy_pj, "pJ", "the step's energy")                                                          \
  X(int64_t, golden_match, "flag",                                                                          \
    "1: every layer of the step equals the golden executor's (levels that execute)")

struct DecodingSummary {
  int prompt_tokens = 0, decode_tokens = 0, batch = 1;
#define DEEPCHIP_DECLARE_DECODING(type, name, unit, doc) type name{};
  DEEPCHIP_DECODING_FIELDS(DEEPCHIP_DECLARE_DECODING)
#undef DEEPCHIP_DECLARE_DECODING
  LayerStats prefill, decode;  // each phase's layers summed (utilization of the phase)
  struct Step {
#define DEEPCHIP_DECLARE_STEP(type, name, unit, doc) type name{};
    DEEPCHIP_DECODING_STEP_FIELDS(DEEPCHIP_DECLARE_STEP)
#undef DEEPCHIP_DECLARE_STEP
  };
  std::vector<Step> steps;

  template <typename F>
  void visit_fields(F&& f) const {
#define DEEPCHIP_VISIT_DECODING(type, name, unit, doc) f(#name, name, unit, doc);
    DEEPCHIP_DECODING_FIELDS(DEEPCHIP_VISIT_DECODING)
#undef DEEPCHIP_VISIT_DECODING
  }
  template <typename F>
  void visit_fields(F&& f) {
#define DEEPCHIP_VISIT_DECODING(type, name, unit, doc) f(#name, name, unit, doc);
    DEEPCHIP_DECODING_FIELDS(DEEPCHIP_VISIT_DECODING)
#undef DEEPCHIP_VISIT_DECODING
  }
};

// Result of evaluating one design point.
struct PointResult {
  bool ok = false;
  std::string reason;  // why ok is false
  // verified: the point executed its numerics (array_impl cycle, tile or rtl) and golden_match says whether
  // every layer's outputs equal the golden executor's; a `timing` run is unverified (golden_match false).
  bool verified = false;
  bool golden_match = false;
  double seconds = 0;  // cycles / clock
  LayerStats total;
  std::vector<LayerStats> layers;
  std::optional<SocSummary> soc;
  std::optional<SiliconSummary> silicon;    // a standalone accelerator with a technology table's silicon
  std::optional<DecodingSummary> decoding;  // a generative decoding (the config's sequence section)
};

// The weight storage columns of a layer (or of the network's total) from its WeightStorage.
void fill_storage(LayerStats& st, const WeightStorage& ws);

nlohmann::json to_json(const LayerStats& s);
LayerStats layer_stats_from_json(const nlohmann::json& j);
nlohmann::json to_json(const PointResult& r);
PointResult point_result_from_json(const nlohmann::json& j);
nlohmann::json to_json(const DecodingSummary& s);
DecodingSummary decoding_from_json(const nlohmann::json& j);

}  // namespace deepchip::sim
