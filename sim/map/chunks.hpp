// How a fold's stream of vectors is split into the chunks the read DMA fetches: the fewest equal chunks
// whose share of each streamed operand fits its buffer slot, bytes shared in proportion to vectors and exact
// in total (cumulative rounding), so that the chunks of a fold sum to its bytes.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/map/mapper.hpp"

namespace deepchip::sim {

// ws: `m` input vectors whose `bytes` of inputs and `psum_bytes` of partial sums are read in chunks of at
// most `slot_bytes` (a single vector's share may exceed it: check_schedule reports that).
Chunks make_chunks(int64_t m, int64_t bytes, int64_t psum_bytes, int64_t slot_bytes);

// is/os: a fold's streamed operands; a slot of 0: the operand is resident and sets no limit.
struct StreamedBytes {
  int64_t input = 0, input_slot = 0, weight = 0, weight_elements = 0, weight_slot = 0, psum = 0;
};
Chunks stream_chunks(int64_t vectors, const StreamedBytes& b);

}  // namespace deepchip::sim
