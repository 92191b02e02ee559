// The hardware description of one design point (filled from the config by explorer/, consumed by the mapper
// and the SystemC models). Units are in the names.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace deepchip::sim {

// cycle/tile/rtl execute the numerics; timing plays the same cycles and counters without data.
enum class ArrayImpl { kCycle, kTile, kRtl, kTiming };
inline bool executes_numerics(ArrayImpl impl) { return impl != ArrayImpl::kTiming; }
enum class WeightBuffering { kSingle, kDouble };
// What stays in the PEs during a fold (models/README.md "Dataflows"): ws the weights (inputs stream), os the
// outputs (inputs and weights stream), is the inputs (weights stream).
enum class Dataflow { kWs, kOs, kIs };
// Weight-stationary loop nest, outer to inner (models/README.md "Loop order"): nkm streams all M vectors
// through each weight fold (SCALE-Sim's); mnk tiles M so that a tile's partial sums stay in the output buffer
// and runs every weight fold per M-tile; auto picks, per layer, the one with less DRAM traffic.
enum class LoopOrder { kAuto, kNkm, kMnk };
enum class MemoryModel { kIdeal, kDram };
enum class OverflowPolicy { kReject, kWrap };
// none: every MAC costs energy; gating: a MAC with a zero operand costs none (cycles unchanged);
// skipping: gating, and folds whose weights are all zero are neither fetched, loaded nor streamed.
enum class ZeroHandling { kNone, kGating, kSkipping };

struct BufferConfig {
  int64_t size_bytes = 256 * 1024;
  int word_bits = 64;
  bool double_buffered = true;
  int slots() const { return double_buffered ? 2 : 1; }
  int64_t slot_bytes() const { return size_bytes / slots(); }  // the largest transfer the mapper may plan
  bool operator==(const BufferConfig& o) const {
    return size_bytes == o.size_bytes && word_bits == o.word_bits && double_buffered == o.double_buffered;
  }
};

struct HardwareConfig {
  int array_rows = 32;
  int array_cols = 32;
  ArrayImpl impl = ArrayImpl::kTile;
  Dataflow dataflow = Dataflow::kWs;
  LoopOrder loop_order = LoopOrder::kAuto;
  WeightBuffering weight_buffering = WeightBuffering::kDouble;
  // Rows of the stationary operand (ws: weights, is: inputs) that load into the PEs per cycle: 1 shifts one
  // row per cycle down the columns (R cycles a fold, SCALE-Sim's); wider fetches load a fold in ceil(R /
  // this).
  int weight_load_rows = 1;
  int stationary_load_cycles() const { return (array_rows + weight_load_rows - 1) / weight_load_rows; }
  int accumulator_bits = 32;
  OverflowPolicy overflow = OverflowPolicy::kReject;
  BufferConfig input_buffer;
  BufferConfig weight_buffer;
  BufferConfig output_buffer;
  MemoryModel memory = MemoryModel::kDram;
  double dram_bandwidth_bytes_per_cycle = 16.0;
  int dram_latency_cycles = 100;
  // Transfers per operand (weights; inputs with their partial sums) the read DMA keeps issued ahead of the
  // array, each holding its buffer space until the array has used it (models/README.md "DMA depth"); a
  // double-buffered buffer takes as many of a layer's transfers as fit, up to this.
  int dma_outstanding = 4;
  double clock_hz = 200e6;
  ZeroHandling zero_handling = ZeroHandling::kNone;
  double decoder_symbols_per_cycle = 4.0;  // Huffman weight decoder throughput
  // Noisy compute (the "noise" section): the additive noise level of the MACs of the listed conv/fc layers
  // (empty: all of them). Only energy reads it (EnergyTable::noisy_mac_factor); numerics stay exact here.
  double mac_noise = 0;
  std::vector<std::string> mac_noise_layers;
};

// What the mapper (sim/map/mapper.hpp) reads of a design point, and nothing else: it takes this, not the
// HardwareConfig, so that two points equal here provably map every layer of a model alike (a sweep's worker
// reuses the schedules, sim/map/schedule_cache.hpp: points that differ in DRAM bandwidth, latency, clock,
// memory model or array implementation map once). The names are the HardwareConfig's.
struct MappingConfig {
  MappingConfig(const HardwareConfig& hw)  // NOLINT(google-explicit-constructor): callers pass their point
      : array_rows(hw.array_rows),
        array_cols(hw.array_cols),
        dataflow(hw.dataflow),
        loop_order(hw.loop_order),
        weight_buffering(hw.weight_buffering),
        weight_load_rows(hw.weight_load_rows),
        accumulator_bits(hw.accumulator_bits),
        input_buffer(hw.input_buffer),
        weight_buffer(hw.weight_buffer),
        output_buffer(hw.output_buffer),
        dma_outstanding(hw.dma_outstanding),
        zero_handling(hw.zero_handling) {}
  int array_rows, array_cols;
  Dataflow dataflow;
  LoopOrder loop_order;
  WeightBuffering weight_buffering;
  int weight_load_rows;
  int stationary_load_cycles() const { return (array_rows + weight_load_rows - 1) / weight_load_rows; }
  int accumulator_bits;
  BufferConfig input_buffer, weight_buffer, output_buffer;
  int dma_outstanding;
  ZeroHandling zero_handling;
  bool operator==(const MappingConfig& o) const {
    return array_rows == o.array_rows && array_cols == o.array_cols && dataflow == o.dataflow &&
           loop_order == o.loop_order && weight_buffering == o.weight_buffering &&
           weight_load_rows == o.weight_load_rows && accumulator_bits == o.accumulator_bits &&
           input_buffer == o.input_buffer && weight_buffer == o.weight_buffer &&
           output_buffer == o.output_buffer && dma_outstanding == o.dma_outstanding &&
           zero_handling == o.zero_handling;
  }
};

inline int64_t packed_bytes(int64_t elements, int bits) { return (elements * bits + 7) / 8; }
inline int64_t words_for(int64_t elements, int element_bits, int word_bits) {
  return (elements * element_bits + word_bits - 1) / word_bits;
}

}  // namespace deepchip::sim
