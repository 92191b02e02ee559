#include "sim/map/mapper.hpp"

#include <algorithm>
#include <set>

#include "sim/map/chunks.hpp"

namespace deepchip::sim {

namespace {

// Input channels of the group touched by the K range [k0, k0 + kt) (k = (ky * KW + kx) * Cg + ci): kt
// consecutive k are kt consecutive channels modulo Cg, all distinct while kt < Cg.
int64_t channels_touched(int64_t kt, int64_t cg) { return std::min(kt, cg); }

// Input rows read by output pixels [m0, m0 + count) of the layer (row-major over the output plane).
int64_t input_rows_read(const Layer& l, int64_t m0, int64_t count) {
  const int64_t out_w = l.out_shape.width;
  const int64_t first = m0 / out_w * l.stride_h - l.pad_top;
  const int64_t last =
      (m0 + count - 1) / out_w * l.stride_h - l.pad_top + int64_t{l.kernel_h - 1} * l.dilation_h;
  return std::max<int64_t>(0,
                           std::min<int64_t>(last, l.in_shape.height - 1) - std::max<int64_t>(first, 0) + 1);
}

}  // namespace

namespace {

bool fold_is_zero(const std::vector<int32_t>& w, const GemmShape& g, int group, int64_t k0, int64_t kt,
                  int64_t n0, int64_t nt) {
  for (int64_t n = n0; n < n0 + nt; ++n)
    for (int64_t k = k0; k < k0 + kt; ++k)
      if (w[static_cast<size_t>((group * g.n + n) * g.k + k)] != 0) return false;
  return true;
}

// Input bytes a fold fetches: its streamed chunks' (ws, os) and its stationary block's (is).
int64_t fold_input_bytes(const Fold& f) {
  int64_t bytes = f.input_block_dram_bytes;
  for (const auto& c : f.chunks) bytes += c.input_dram_bytes;
  return bytes;
}

// is/os: the fold's input block (is: stationary, fetched whole; os: streamed) and its streamed weights and
// partial sums in chunks that fit the slots of the operands that do not stay resident.
void chunk_block_fold(Fold& f, const LayerSchedule& s, const MappingConfig& hw, int64_t input_bytes,
                      int64_t psum_in) {
  StreamedBytes b;
  b.weight = f.weight_dram_bytes;
  b.weight_elements = f.weights_cached ? 0 : f.kt * f.nt;
  b.weight_slot = s.weights_resident ? 0 : hw.weight_buffer.slot_bytes();
  b.psum = psum_in;
  if (s.dataflow == Dataflow::kIs) {
    f.input_block_dram_bytes = input_bytes;
  } else {
    f.input_block_dram_bytes = 0;
    b.input = input_bytes;
    b.input_slot = s.ifmap_resident ? 0 : hw.input_buffer.slot_bytes();
  }
  f.chunks = stream_chunks(f.vectors, b);
}

std::vector<int64_t> vectors_of(const std::vector<Fold>& folds) {
  std::vector<int64_t> v;
  for (const auto& f : folds) v.push_back(f.vectors);
  return v;
}

// Leaves out all-zero folds; the first and last kept K-fold of each column block take over the partial-sum
// and output duties; a column block with no kept fold writes bias-only outputs.
void skip_zero_folds(LayerSchedule& s, const std::vector<int32_t>& w, const MappingConfig& hw,
                     const Precision& p) {
  const int64_t all_cycles = ideal_array_cycles(s, hw);
  std::vector<Fold> kept;
  int64_t carried_input = 0;  // a resident ifmap travels with the first kept fold
  for (size_t i = 0; i < s.folds.size();) {
    size_t j = i;  // [i, j): the K-folds of one column block
    while (j < s.folds.size() && s.folds[j].group == s.folds[i].group && s.folds[j].n0 == s.folds[i].n0 &&
           s.folds[j].m0 == s.folds[i].m0)
      ++j;
    std::vector<Fold> block;
    for (size_t f = i; f < j; ++f) {
      Fold fold = s.folds[f];
      carried_input += fold_input_bytes(fold);
      if (fold_is_zero(w, s.gemm, fold.group, fold.k0, fold.kt, fold.n0, fold.nt)) {
        ++s.folds_skipped;
        continue;
      }
      block.push_back(fold);
    }
    if (block.empty())
      s.bias_only_output_bytes += packed_bytes(s.folds[i].m * s.folds[i].nt, p.activation_bits);
    for (size_t b = 0; b < block.size(); ++b) {
      Fold& f = block[b];
      f.first_k = b == 0;
      f.last_k = b + 1 == block.size();
      const int64_t psum = f.m * f.nt * ((p.accumulator_bits + 7) / 8);
      f.psum_write_dram_bytes = (s.psum_spill && !f.last_k) ? psum : 0;
      f.output_write_dram_bytes = f.last_k ? packed_bytes(f.m * f.nt, p.activation_bits) : 0;
      const int64_t in_bytes = s.ifmap_resident ? carried_input : fold_input_bytes(f);
      if (s.ifmap_resident) carried_input = 0;
      const int64_t psum_in = (s.psum_spill && !f.first_k) ? psum : 0;
      if (s.dataflow == Dataflow::kWs) {
        const int64_t slot = s.ifmap_resident ? in_bytes + psum_in : hw.input_buffer.slot_bytes();
        f.chunks = make_chunks(f.m, in_bytes, psum_in, std::max<int64_t>(slot, 1));
      } else {  // chunked once the weights' residency is settled, below
        f.input_block_dram_bytes = in_bytes;
        f.chunks = {Chunk{0, f.vectors, 0, 0, 0, psum_in}};
      }
      kept.push_back(f);
    }
    if (!s.ifmap_resident) carried_input = 0;
    i = j;
  }
  s.folds = std::move(kept);
  // A block whose first user was skipped is fetched by its first kept user.
  std::set<std::pair<int64_t, int64_t>> fetched;
  for (Fold& f : s.folds) {
    if (s.dataflow == Dataflow::kWs) continue;
    if (s.weights_resident) {
      f.weights_cached = !fetched.insert({f.group * s.gemm.k + f.k0, f.n0}).second;
      f.weight_dram_bytes = f.weights_cached ? 0 : packed_bytes(f.kt * f.nt, p.weight_bits);
    }
    chunk_block_fold(f, s, hw, f.input_block_dram_bytes, f.chunks.front().psum_dram_bytes);
  }
  s.cycles_skipped = all_cycles - ideal_array_cycles(s, hw);
}

}  // namespace

namespace {

// ceil(a / b) for the fold counts.
int64_t blocks(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The layer-wide facts every dataflow's tiling starts from.
LayerSchedule schedule_header(const Layer& l, const MappingConfig& hw, const Precision& p) {
  LayerSchedule s;
  s.layer = l.name;
  s.gemm = gemm_shape(l);
  s.dataflow = hw.dataflow;
  s.ifmap_bytes = packed_bytes(l.in_shape.elements(), p.activation_bits);
  s.ifmap_resident = s.ifmap_bytes <= hw.input_buffer.size_bytes;
  s.weights_resident =
      hw.dataflow != Dataflow::kWs &&
      packed_bytes(s.gemm.k * s.gemm.n * l.groups, p.weight_bits) <= hw.weight_buffer.size_bytes;
  return s;
}

// Weight stationary: group, M-tile, N-fold, K-fold; each fold streams its M-tile's vectors in input-buffer
// chunks. nkm is one M-tile of all M (SCALE-Sim's order: group, N-fold, K-fold). Sets the schedule's tiling
// facts and hands each fold (without its chunks) to visit(fold, input bytes, partial-sum bytes in).
template <typename Visit>
void weight_stationary_folds(LayerSchedule& s, const Layer& l, const MappingConfig& hw, const Precision& p,
                             int64_t m_tile, Visit&& visit) {
  const GemmShape& g = s.gemm;
  const int64_t cg = l.in_shape.channels / l.groups;
  const int64_t hw_pixels = int64_t{l.in_shape.height} * l.in_shape.width;
  const int64_t acc_bytes = (p.accumulator_bits + 7) / 8;
  const int64_t k_folds = (g.k + hw.array_rows - 1) / hw.array_rows;
  s.m_tile = m_tile;
  s.loop_order = m_tile < g.m ? LoopOrder::kMnk : LoopOrder::kNkm;
  s.psum_spill = k_folds > 1 &&
                 m_tile * std::min<int64_t>(g.n, hw.array_cols) * acc_bytes > hw.output_buffer.slot_bytes();
  bool first_fold = true;
  for (int grp = 0; grp < l.groups; ++grp) {
    for (int64_t m0 = 0; m0 < g.m; m0 += m_tile) {
      for (int64_t n0 = 0; n0 < g.n; n0 += hw.array_cols) {
        for (int64_t k0 = 0; k0 < g.k; k0 += hw.array_rows) {
          Fold f;
          f.group = grp;
          f.k0 = k0, f.kt = std::min<int64_t>(hw.array_rows, g.k - k0);
          f.n0 = n0, f.nt = std::min<int64_t>(hw.array_cols, g.n - n0);
          f.m0 = m0, f.m = f.vectors = std::min(m_tile, g.m - m0);
          f.first_k = k0 == 0;
          f.last_k = k0 + f.kt == g.k;
          f.weight_dram_bytes = packed_bytes(f.kt * f.nt, p.weight_bits);
          int64_t in_bytes = 0;
          if (s.ifmap_resident) {
            in_bytes = first_fold ? s.ifmap_bytes : 0;
          } else {  // all M: the touched channels' planes; an M-tile: the input rows its pixels read
            const int64_t pixels = f.m == g.m ? hw_pixels : input_rows_read(l, m0, f.m) * l.in_shape.width;
            in_bytes = packed_bytes(pixels * channels_touched(f.kt, cg), p.activation_bits);
          }
          const int64_t psum_tile_bytes = f.m * f.nt * acc_bytes;
          const int64_t psum_in = (s.psum_spill && !f.first_k) ? psum_tile_bytes : 0;
          if (!f.last_k && s.psum_spill) f.psum_write_dram_bytes = psum_tile_bytes;
          if (f.last_k) f.output_write_dram_bytes = packed_bytes(f.m * f.nt, p.activation_bits);
          visit(std::move(f), in_bytes, psum_in);
          first_fold = false;
        }
      }
    }
  }
}

void tile_weight_stationary(LayerSchedule& s, const Layer& l, const MappingConfig& hw, const Precision& p,
                            int64_t m_tile) {
  const GemmShape& g = s.gemm;
  const int64_t k_folds = (g.k + hw.array_rows - 1) / hw.array_rows;
  s.folds.reserve(static_cast<size_t>(l.groups * blocks(g.m, m_tile) * blocks(g.n, hw.array_cols) * k_folds));
  weight_stationary_folds(s, l, hw, p, m_tile, [&](Fold&& f, int64_t in_bytes, int64_t psum_in) {
    const int64_t slot = s.ifmap_resident ? s.ifmap_bytes + psum_in : hw.input_buffer.slot_bytes();
    f.chunks = make_chunks(f.m, in_bytes, psum_in, std::max<int64_t>(slot, 1));
    s.folds.push_back(std::move(f));
  });
}

// The DRAM bytes of the weight-stationary tiling with `m_tile` (its folds' bytes; their chunks share each
// fold's input and partial-sum bytes exactly), without making it.
int64_t weight_stationary_dram_bytes(LayerSchedule header, const Layer& l, const MappingConfig& hw,
                                     const Precision& p, int64_t m_tile) {
  int64_t bytes = 0;
  weight_stationary_folds(header, l, hw, p, m_tile, [&](const Fold& f, int64_t in_bytes, int64_t psum_in) {
    bytes += f.weight_dram_bytes + f.psum_write_dram_bytes + f.output_write_dram_bytes + in_bytes + psum_in;
  });
  return bytes;
}

// mnk's M-tile: the most vectors whose partial sums (C columns of accumulators) fit an output slot.
int64_t mnk_m_tile(const GemmShape& g, const MappingConfig& hw, const Precision& p) {
  const int64_t sums_per_vector = std::min<int64_t>(g.n, hw.array_cols) * ((p.accumulator_bits + 7) / 8);
  return std::clamp<int64_t>(hw.output_buffer.slot_bytes() / sums_per_vector, 1, g.m);
}

// The weight-stationary schedule of the configured loop order; auto: mnk where its DRAM traffic is lower.
void tile_weight_stationary(LayerSchedule& s, const Layer& l, const MappingConfig& hw, const Precision& p) {
  const int64_t tile = mnk_m_tile(s.gemm, hw, p);
  if (hw.loop_order == LoopOrder::kNkm || tile == s.gemm.m)
    return tile_weight_stationary(s, l, hw, p, s.gemm.m);
  if (hw.loop_order == LoopOrder::kMnk) return tile_weight_stationary(s, l, hw, p, tile);
  const bool mnk_moves_less =
      weight_stationary_dram_bytes(s, l, hw, p, tile) < weight_stationary_dram_bytes(s, l, hw, p, s.gemm.m);
  tile_weight_stationary(s, l, hw, p, mnk_moves_less ? tile : s.gemm.m);
}

// is/os: a fold's input block from DRAM: the whole ifmap with the first fold when it is resident, else the
// input rows its output pixels read (whole rows) of the channels its K range touches.
int64_t block_input_bytes(const LayerSchedule& s, const Layer& l, const Precision& p, const Fold& f,
                          bool first_fold) {
  if (s.ifmap_resident) return first_fold ? s.ifmap_bytes : 0;
  const int64_t cg = l.in_shape.channels / l.groups;
  return packed_bytes(input_rows_read(l, f.m0, f.m) * l.in_shape.width * channels_touched(f.kt, cg),
                      p.activation_bits);
}

// A block of weights (by K and N range) is fetched once when the layer's weights stay resident.
void fetch_or_reuse_weights(Fold& f, const Precision& p, bool resident,
                            std::set<std::pair<int64_t, int64_t>>& fetched, int64_t k_total) {
  f.weights_cached = resident && !fetched.insert({f.group * k_total + f.k0, f.n0}).second;
  f.weight_dram_bytes = f.weights_cached ? 0 : packed_bytes(f.kt * f.nt, p.weight_bits);
}

// Input stationary: group, M-fold (columns), K-fold (rows); each fold streams all N filters.
void tile_input_stationary(LayerSchedule& s, const Layer& l, const MappingConfig& hw, const Precision& p) {
  const GemmShape& g = s.gemm;
  const int64_t acc_bytes = (p.accumulator_bits + 7) / 8;
  const int64_t k_folds = (g.k + hw.array_rows - 1) / hw.array_rows;
  s.psum_spill =
      k_folds > 1 && std::min<int64_t>(g.m, hw.array_cols) * g.n * acc_bytes > hw.output_buffer.slot_bytes();
  std::set<std::pair<int64_t, int64_t>> fetched;
  s.folds.reserve(static_cast<size_t>(l.groups * blocks(g.m, hw.array_cols) * k_folds));
  for (int grp = 0; grp < l.groups; ++grp)
    for (int64_t m0 = 0; m0 < g.m; m0 += hw.array_cols)
      for (int64_t k0 = 0; k0 < g.k; k0 += hw.array_rows) {
        Fold f;
        f.group = grp;
        f.k0 = k0, f.kt = std::min<int64_t>(hw.array_rows, g.k - k0);
        f.m0 = m0, f.m = std::min<int64_t>(hw.array_cols, g.m - m0);
        f.n0 = 0, f.nt = f.vectors = g.n;
        f.first_k = k0 == 0;
        f.last_k = k0 + f.kt == g.k;
        fetch_or_reuse_weights(f, p, s.weights_resident, fetched, g.k);
        const int64_t psum_tile_bytes = f.m * f.nt * acc_bytes;
        const int64_t psum_in = (s.psum_spill && !f.first_k) ? psum_tile_bytes : 0;
        chunk_block_fold(f, s, hw, block_input_bytes(s, l, p, f, s.folds.empty()), psum_in);
        if (!f.last_k && s.psum_spill) f.psum_write_dram_bytes = psum_tile_bytes;
        if (f.last_k) f.output_write_dram_bytes = packed_bytes(f.m * f.nt, p.activation_bits);
        s.folds.push_back(std::move(f));
      }
}

// Output stationary: group, N-fold (columns), M-fold (rows); each fold streams all K steps and writes its
// outputs once (no partial sums leave the array).
void tile_output_stationary(LayerSchedule& s, const Layer& l, const MappingConfig& hw, const Precision& p) {
  const GemmShape& g = s.gemm;
  std::set<std::pair<int64_t, int64_t>> fetched;
  s.folds.reserve(static_cast<size_t>(l.groups * blocks(g.n, hw.array_cols) * blocks(g.m, hw.array_rows)));
  for (int grp = 0; grp < l.groups; ++grp)
    for (int64_t n0 = 0; n0 < g.n; n0 += hw.array_cols)
      for (int64_t m0 = 0; m0 < g.m; m0 += hw.array_rows) {
        Fold f;
        f.group = grp;
        f.k0 = 0, f.kt = f.vectors = g.k;
        f.m0 = m0, f.m = std::min<int64_t>(hw.array_rows, g.m - m0);
        f.n0 = n0, f.nt = std::min<int64_t>(hw.array_cols, g.n - n0);
        fetch_or_reuse_weights(f, p, s.weights_resident, fetched, g.k);
        chunk_block_fold(f, s, hw, block_input_bytes(s, l, p, f, s.folds.empty()), 0);
        f.output_write_dram_bytes = packed_bytes(f.m * f.nt, p.activation_bits);
        s.folds.push_back(std::move(f));
      }
}

}  // namespace

namespace {

// The DMA depth of one buffer: a single-buffered buffer holds one transfer; a double-buffered one as many
// of the layer's largest transfer into it as its capacity holds (at least its two halves, which the mapper
// sized the transfers to), up to dma_outstanding.
int transfers_ahead(const BufferConfig& b, int64_t largest_transfer, int dma_outstanding) {
  if (!b.double_buffered) return 1;
  const int64_t fit = largest_transfer > 0 ? b.size_bytes / largest_transfer : dma_outstanding;
  return static_cast<int>(std::min<int64_t>(dma_outstanding, std::max<int64_t>(2, fit)));
}

// The largest transfer into each buffer: ws a fold's weights and a chunk's inputs with the partial sums it
// brings back (the mapper sized both to a slot); is a fold's input block and a chunk's weights; os a
// chunk's inputs and weights (partial sums go to the output buffer).
void set_transfers_ahead(LayerSchedule& s, const MappingConfig& hw, const Precision& p) {
  int64_t input = 0, weight = 0;
  for (const auto& f : s.folds) {
    input = std::max(input, f.input_block_dram_bytes);
    if (s.dataflow == Dataflow::kWs) weight = std::max(weight, packed_bytes(f.kt * f.nt, p.weight_bits));
    for (const auto& c : f.chunks) {
      input = std::max(input, c.input_dram_bytes + (s.dataflow == Dataflow::kWs ? c.psum_dram_bytes : 0));
      weight = std::max(weight, c.weight_dram_bytes);
    }
  }
  s.input_transfers_ahead = transfers_ahead(hw.input_buffer, input, hw.dma_outstanding);
  s.weight_transfers_ahead = transfers_ahead(hw.weight_buffer, weight, hw.dma_outstanding);
}

}  // namespace

LayerSchedule map_layer(const Layer& l, const MappingConfig& hw, const Precision& p,
                        const std::vector<int32_t>* w) {
  LayerSchedule s = schedule_header(l, hw, p);
  switch (hw.dataflow) {
    case Dataflow::kWs:
      tile_weight_stationary(s, l, hw, p);
      break;
    case Dataflow::kIs:
      tile_input_stationary(s, l, hw, p);
      break;
    case Dataflow::kOs:
      tile_output_stationary(s, l, hw, p);
      break;
  }
  if (w && hw.zero_handling == ZeroHandling::kSkipping) skip_zero_folds(s, *w, hw, p);
  set_transfers_ahead(s, hw, p);
  return s;
}

namespace {

// is/os: an is fold's stationary input block sits in one input slot, and every chunk's streamed share of
// an operand in one slot of its buffer (resident operands in the whole buffer, which schedule_header
// checked).
std::string check_block_schedule(const LayerSchedule& s, const MappingConfig& hw) {
  auto too_small = [&](const char* buffer, const char* what, int64_t bytes, int64_t slot) {
    return std::string(buffer) + " buffer too small for layer " + s.layer + ": " + what + " needs " +
           std::to_string(bytes) + " bytes per slot, have " + std::to_string(slot);
  };
  const int64_t in_slot = hw.input_buffer.slot_bytes(), w_slot = hw.weight_buffer.slot_bytes();
  for (const auto& f : s.folds) {
    if (!s.ifmap_resident && f.input_block_dram_bytes > in_slot)
      return too_small("input", "one fold's input block", f.input_block_dram_bytes, in_slot);
    for (const auto& c : f.chunks) {
      if (!s.ifmap_resident && c.input_dram_bytes > in_slot)
        return too_small("input", "one step's inputs", c.input_dram_bytes, in_slot);
      if (!s.weights_resident && c.weight_dram_bytes > w_slot)
        return too_small("weight",
                         s.dataflow == Dataflow::kOs ? "one step's weights" : "one filter's weights",
                         c.weight_dram_bytes, w_slot);
    }
  }
  return "";
}

}  // namespace

std::string check_schedule(const LayerSchedule& s, const MappingConfig& hw, const Precision& p) {
  if (s.dataflow != Dataflow::kWs && hw.loop_order != LoopOrder::kAuto)
    return std::string("loop_order ") + (hw.loop_order == LoopOrder::kNkm ? "nkm" : "mnk") +
           " is a weight-stationary nest: dataflow " + (s.dataflow == Dataflow::kOs ? "os" : "is") +
           " folds in SCALE-Sim's order (set loop_order auto)";
  if (s.dataflow != Dataflow::kWs) return check_block_schedule(s, hw);
  const int64_t fold_weight_bytes = packed_bytes(int64_t{hw.array_rows} * hw.array_cols, p.weight_bits);
  const int64_t needed_w =
      std::min<int64_t>(fold_weight_bytes, packed_bytes(s.gemm.k * s.gemm.n, p.weight_bits));
  if (needed_w > hw.weight_buffer.slot_bytes())
    return "weight buffer too small for layer " + s.layer + ": one fold needs " + std::to_string(needed_w) +
           " bytes per slot, have " + std::to_string(hw.weight_buffer.slot_bytes());
  if (!s.ifmap_resident) {
    for (const auto& f : s.folds)
      for (const auto& c : f.chunks)
        if (c.input_dram_bytes + c.psum_dram_bytes > hw.input_buffer.slot_bytes() && c.count == 1)
          return "input buffer too small for layer " + s.layer + ": one input vector needs " +
                 std::to_string(c.input_dram_bytes + c.psum_dram_bytes) + " bytes, slot has " +
                 std::to_string(hw.input_buffer.slot_bytes());
  }
  return "";
}

int64_t ideal_array_cycles(const std::vector<int64_t>& m, int rows, int cols, WeightBuffering wb,
                           Dataflow dataflow, int64_t load_cycles) {
  if (m.empty()) return 0;
  const int64_t r = rows, c = cols, load = load_cycles > 0 ? load_cycles : r;
  int64_t total = 0;
  if (dataflow == Dataflow::kOs) {  // no stationary load; the drain of R sums per column bounds the overlap
    if (wb == WeightBuffering::kSingle) {
      for (int64_t t : m) total += t + r + c - 2;
      return total;
    }
    for (size_t f = 0; f + 1 < m.size(); ++f) total += std::max(m[f], r);
    return total + m.back() + r + c - 2;
  }
  if (wb == WeightBuffering::kSingle) {  // load, stream, drain: 2R + C + M - 2 with a row per cycle
    for (int64_t mf : m) total += load + r + c + mf - 2;
    return total;
  }
  total = load;  // first weight load
  for (size_t f = 0; f + 1 < m.size(); ++f) total += std::max(m[f], load);
  return total + m.back() + r + c - 2;
}

int64_t ideal_array_cycles(const LayerSchedule& s, const MappingConfig& hw) {
  return ideal_array_cycles(vectors_of(s.folds), hw.array_rows, hw.array_cols, hw.weight_buffering,
                            s.dataflow, hw.stationary_load_cycles());
}

Precision precision_of(const QuantModel& model, const Layer& layer, const MappingConfig& hw) {
  return {model.layers.at(layer.params()).stored_weight_bits, model.config.activation_bits,
          hw.accumulator_bits};
}

std::map<std::string, LayerSchedule> map_network(const QuantModel& model, const MappingConfig& hw) {
  std::map<std::string, LayerSchedule> schedules;
  for (const auto& l : model.net.layers)
    if (l.on_array())  // a matmul's weights are an activation: no fold is known to be zero in advance
      schedules[l.name] = map_layer(l, hw, precision_of(model, l, hw),
                                    l.is_gemm() ? &model.layers.at(l.params()).weights : nullptr);
  return schedules;
}

}  // namespace deepchip::sim
