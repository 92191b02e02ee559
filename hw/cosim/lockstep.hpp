// Lock-step co-simulation of array implementations on random tiles: each array plays the same tile list
// with the same (scripted) data-ready times in one SystemC simulation; the checker compares, tile by tile,
// every output value and the cycle at which each output vector appears, and reports the first difference.
#pragma once
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "models/array/array_if.hpp"

namespace deepchip::hw {

// One tile (fold): an m x kt input block times a kt x nt weight block, streamed in chunks.
struct Tile {
  sim::RowMatrix<int32_t> inputs;    // m x kt
  sim::RowMatrix<int32_t> weights;   // kt x nt
  std::vector<sim::Chunk> chunks;    // m0 and count of each streamed chunk
  int64_t weights_ready = 0;         // cycle its weights are in the buffer
  std::vector<int64_t> chunk_ready;  // cycle each chunk is in the buffer
  std::string describe() const;
};

// Random tiles for an R x C array: partial shapes (kt <= R, nt <= C), 1..16 vectors in 1..3 chunks,
// activations unsigned of 2/4/8/16 bits, weights signed of 2/4/8/16 bits or ternary-like, ready times that
// leave bubbles. Deterministic for a seed.
std::vector<Tile> random_tiles(std::mt19937& rng, int rows, int cols, size_t count);
// Ternary tiles of one layer: weights are +pos_scale, 0 or -neg_scale (the effective integer weights).
std::vector<Tile> random_ternary_tiles(std::mt19937& rng, int rows, int cols, size_t count, int32_t pos_scale,
                                       int32_t neg_scale);

// Scales of a multiplier-free (ternary/binary) tile list, played through the arrays' multiplier-free paths.
struct MultiplierFree {
  int32_t pos_scale = 1, neg_scale = 1;
};

struct Observation {
  std::vector<sim::RowMatrix<int64_t>> outputs;  // per tile, m x nt raw sums
  std::vector<std::vector<int64_t>> emerged;     // per tile, per vector
  models::ArrayRunStats stats;
};

// Elaborates one runner per array; run() once per process (SystemC elaborates once).
class LockstepBench {
 public:
  LockstepBench();
  ~LockstepBench();
  size_t add(const sim::HardwareConfig& hw, std::unique_ptr<models::ArrayIf> array,
             const std::vector<Tile>& tiles, std::optional<MultiplierFree> multiplier_free = std::nullopt);
  void run();
  const Observation& observation(size_t index) const;

 private:
  struct Runner;
  std::vector<std::unique_ptr<Runner>> runners_;
};

struct Mismatch {
  size_t tile = 0;
  int64_t vector = -1;  // output vector (row of the tile's output)
  int64_t column = -1;  // PE column, -1 for a timing mismatch
  int64_t cycle = -1;   // cycle at which the reference's output appeared
  int64_t expected = 0, actual = 0;
  std::string what;  // "value", "emergence cycle", "fold done cycle", "golden"
};

// The first difference between a reference (the cycle model) and an implementation under test, and
// between the reference's values and the golden GEMM (wrapped to accumulator_bits).
std::optional<Mismatch> first_mismatch(const std::vector<Tile>& tiles, const Observation& reference,
                                       const Observation& actual, int accumulator_bits);
std::string report(const Mismatch& m, const std::vector<Tile>& tiles, const std::string& vcd);

}  // namespace deepchip::hw
