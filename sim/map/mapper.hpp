// Lowering and tiling: a conv/fc layer becomes per-group GEMMs (implicit im2col) M x K times K x N, tiled
// into folds by the dataflow (models/README.md "Dataflows"), in SCALE-Sim's loop orders:
//   ws: folds of R rows of K x C columns of N; each streams all M input vectors, in chunks that fit the
//       input buffer. Loop: group, N-fold, K-fold.
//   is: folds of R rows of K x C columns of M (an input block stays in the PEs); each streams all N filters
//       (its K range of weights). Loop: group, M-fold, K-fold.
//   os: folds of R rows of M x C columns of N (the outputs stay in the PEs); each streams all K steps (a
//       column of inputs and a row of weights per step). Loop: group, N-fold, M-fold.
// DRAM traffic per fold follows the residency rules in the README ("Memory hierarchy").
#pragma once
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"
#include "sim/ir/network.hpp"
#include "sim/map/hardware.hpp"

namespace deepchip::sim {

struct Chunk {
  int64_t m0 = 0;                 // first streamed vector of the chunk (ws: input vector; is/os: one chunk)
  int64_t count = 0;              // streamed vectors in this chunk
  int64_t input_dram_bytes = 0;   // ifmap bytes fetched for this chunk (ws, os)
  int64_t weight_dram_bytes = 0;  // is/os: weight bytes of the chunk's vectors (uncompressed)
  int64_t weight_elements = 0;    // is/os: weights of the chunk's vectors
  int64_t psum_dram_bytes = 0;    // spilled partial sums read back for this chunk
};

// A fold's chunks, the first in place: most folds have one (an input that fits its slot), and a heap block
// per fold was the largest cost of mapping a sweep's point.
using Chunks = boost::container::small_vector<Chunk, 1>;

struct Fold {
  int group = 0;
  int64_t k0 = 0, kt = 0;  // K range (ws/is: the array rows used; os: all K, streamed)
  int64_t n0 = 0, nt = 0;  // N range (ws: the columns used; os: the columns; is: all N, streamed)
  int64_t m0 = 0, m = 0;   // M range (ws: all M, streamed; is: the columns used; os: the rows used)
  int64_t vectors = 0;     // streamed into the array: ws m input vectors, is nt filters, os kt steps
  bool first_k = true, last_k = true;
  int64_t weight_dram_bytes = 0;  // the fold's weight block (is/os: streamed in its chunks; 0 when cached)
  bool weights_cached = false;    // is/os: the block is still in the weight buffer from an earlier fold
  int64_t input_block_dram_bytes = 0;  // is: the stationary input block, fetched before the fold loads
  Chunks chunks;
  int64_t psum_write_dram_bytes = 0;    // partial sums spilled after this fold
  int64_t output_write_dram_bytes = 0;  // final outputs written after this fold
};

struct LayerStream;  // sim/compress/compression.hpp

struct LayerSchedule {
  std::string layer;
  GemmShape gemm;
  std::vector<Fold> folds;
  int64_t folds_skipped = 0;           // all-zero folds left out (zero_handling: skipping)
  int64_t cycles_skipped = 0;          // ideal cycles of all folds minus those of the kept folds
  int64_t bias_only_output_bytes = 0;  // outputs of column blocks whose folds were all skipped
  Dataflow dataflow = Dataflow::kWs;
  LoopOrder loop_order = LoopOrder::kNkm;  // ws: the nest played (never kAuto)
  int64_t m_tile = 0;                      // ws: vectors per M-tile (M under nkm)
  bool ifmap_resident = false;             // whole input fits the input buffer: fetched once
  bool weights_resident = false;  // is/os: all weights fit the weight buffer: each block fetched once
  bool psum_spill = false;        // partial sums of an N-fold exceed the output buffer
  // Transfers of each buffer the read DMA may have issued and the array not yet used (models/README.md "DMA
  // depth").
  int input_transfers_ahead = 1, weight_transfers_ahead = 1;
  int64_t ifmap_bytes = 0;
  // The layer's weights coded for these folds, when the schedule was made by a ScheduleCache
  // (sim/map/schedule_cache.hpp: coded once for every point that maps alike); else the controller codes them.
  std::shared_ptr<const LayerStream> weight_stream;
};

struct Precision {
  int weight_bits = 8;  // bits per weight as stored in DRAM and the weight buffer (uncompressed)
  int activation_bits = 8;
  int accumulator_bits = 32;
};

// Throws nothing; a schedule that cannot run (buffer too small) is reported by check_schedule().
// With zero_handling = skipping and the layer's effective integer weights given ([out][k] layout), folds
// whose weights are all zero are left out.
LayerSchedule map_layer(const Layer& layer, const MappingConfig& hw, const Precision& p,
                        const std::vector<int32_t>* weights = nullptr);
// Empty if runnable, else the reason (e.g. "weight buffer too small: ...").
std::string check_schedule(const LayerSchedule& s, const MappingConfig& hw, const Precision& p);

// Closed-form array cycles of a fold sequence with all data present (models/README.md "Timing model",
// "Dataflows"); fold_vectors: each fold's streamed vectors (Fold::vectors); load_cycles: a stationary load's
// cycles (HardwareConfig::stationary_load_cycles; 0: R, one row per cycle).
int64_t ideal_array_cycles(const std::vector<int64_t>& fold_vectors, int rows, int cols, WeightBuffering wb,
                           Dataflow dataflow = Dataflow::kWs, int64_t load_cycles = 0);
int64_t ideal_array_cycles(const LayerSchedule& s, const MappingConfig& hw);

// The operand and accumulator widths a conv/fc layer of the model runs at on the hardware.
Precision precision_of(const QuantModel& model, const Layer& layer, const MappingConfig& hw);
// The schedules of every conv/fc layer (skipping all-zero folds when the hardware skips).
std::map<std::string, LayerSchedule> map_network(const QuantModel& model, const MappingConfig& hw);

}  // namespace deepchip::sim
