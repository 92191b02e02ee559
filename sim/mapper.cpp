#include "sim/mapper.hpp"

#include <algorithm>
#include <set>

namespace deepchip::sim {

namespace {

// Input channels of the group touched by the K range [k0, k0 + kt) (k = (ky * KW + kx) * Cg + ci).
int64_t channels_touched(int64_t k0, int64_t kt, int64_t cg) {
  if (kt >= cg) return cg;
  std::set<int64_t> ch;
  for (int64_t k = k0; k < k0 + kt; ++k) ch.insert(k % cg);
  return static_cast<int64_t>(ch.size());
}

// Splits `m` vectors into the fewest equal chunks whose share of `bytes` fits `slot_bytes`.
std::vector<Chunk> make_chunks(int64_t m, int64_t bytes, int64_t psum_bytes, int64_t slot_bytes) {
  const int64_t total = bytes + psum_bytes;
  int64_t n = std::max<int64_t>(1, (total + slot_bytes - 1) / std::max<int64_t>(slot_bytes, 1));
  n = std::min(n, m);
  std::vector<Chunk> chunks;
  const int64_t per = (m + n - 1) / n;
  for (int64_t m0 = 0; m0 < m; m0 += per) {
    Chunk c;
    c.m0 = m0;
    c.count = std::min(per, m - m0);
    // Bytes shared in proportion to vectors, exact in total (cumulative rounding).
    c.input_dram_bytes = bytes * (m0 + c.count) / m - bytes * m0 / m;
    c.psum_dram_bytes = psum_bytes * (m0 + c.count) / m - psum_bytes * m0 / m;
    chunks.push_back(c);
  }
  return chunks;
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

std::vector<int64_t> vectors_of(const std::vector<Fold>& folds) {
  std::vector<int64_t> m;
  for (const auto& f : folds) m.push_back(f.m);
  return m;
}

// Leaves out all-zero folds; the first and last kept K-fold of each column block take over the partial-sum
// and output duties; a column block with no kept fold writes bias-only outputs.
void skip_zero_folds(LayerSchedule& s, const std::vector<int32_t>& w, const HardwareConfig& hw,
                     const Precision& p) {
  const int64_t all_cycles =
      ideal_array_cycles(vectors_of(s.folds), hw.array_rows, hw.array_cols, hw.weight_buffering);
  std::vector<Fold> kept;
  int64_t carried_input = 0;  // a resident ifmap travels with the first kept fold
  for (size_t i = 0; i < s.folds.size();) {
    size_t j = i;  // [i, j): the K-folds of one column block
    while (j < s.folds.size() && s.folds[j].group == s.folds[i].group && s.folds[j].n0 == s.folds[i].n0) ++j;
    std::vector<Fold> block;
    for (size_t f = i; f < j; ++f) {
      Fold fold = s.folds[f];
      for (const auto& c : fold.chunks) carried_input += c.input_dram_bytes;
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
      const int64_t in_bytes = s.ifmap_resident ? carried_input : [&] {
        int64_t b = 0;
        for (const auto& c : f.chunks) b += c.input_dram_bytes;
        return b;
      }();
      if (s.ifmap_resident) carried_input = 0;
      const int64_t psum_in = (s.psum_spill && !f.first_k) ? psum : 0;
      const int64_t slot = s.ifmap_resident ? in_bytes + psum_in : hw.input_buffer.slot_bytes();
      f.chunks = make_chunks(f.m, in_bytes, psum_in, std::max<int64_t>(slot, 1));
      kept.push_back(f);
    }
    if (!s.ifmap_resident) carried_input = 0;
    i = j;
  }
  s.folds = std::move(kept);
  s.cycles_skipped =
      all_cycles - ideal_array_cycles(vectors_of(s.folds), hw.array_rows, hw.array_cols, hw.weight_buffering);
}

}  // namespace

LayerSchedule map_layer(const Layer& l, const HardwareConfig& hw, const Precision& p,
                        const std::vector<int32_t>* w) {
  LayerSchedule s;
  s.layer = l.name;
  s.gemm = gemm_shape(l);
  const GemmShape& g = s.gemm;
  const int64_t cg = l.in_shape.channels / l.groups;
  const int64_t hw_pixels = int64_t{l.in_shape.height} * l.in_shape.width;
  s.ifmap_bytes = packed_bytes(l.in_shape.elements(), p.activation_bits);
  s.ifmap_resident = s.ifmap_bytes <= hw.input_buffer.size_bytes;
  const int64_t acc_bytes = (p.accumulator_bits + 7) / 8;
  const int64_t k_folds = (g.k + hw.array_rows - 1) / hw.array_rows;
  s.psum_spill =
      k_folds > 1 && g.m * std::min<int64_t>(g.n, hw.array_cols) * acc_bytes > hw.output_buffer.slot_bytes();
  bool first_fold = true;
  for (int grp = 0; grp < l.groups; ++grp) {
    for (int64_t n0 = 0; n0 < g.n; n0 += hw.array_cols) {
      for (int64_t k0 = 0; k0 < g.k; k0 += hw.array_rows) {
        Fold f;
        f.group = grp;
        f.k0 = k0, f.kt = std::min<int64_t>(hw.array_rows, g.k - k0);
        f.n0 = n0, f.nt = std::min<int64_t>(hw.array_cols, g.n - n0);
        f.m = g.m;
        f.first_k = k0 == 0;
        f.last_k = k0 + f.kt == g.k;
        f.weight_dram_bytes = packed_bytes(f.kt * f.nt, p.weight_bits);
        int64_t in_bytes = 0;
        if (s.ifmap_resident) {
          in_bytes = first_fold ? s.ifmap_bytes : 0;
        } else {
          in_bytes = packed_bytes(hw_pixels * channels_touched(k0, f.kt, cg), p.activation_bits);
        }
        const int64_t psum_tile_bytes = f.m * f.nt * acc_bytes;
        const int64_t psum_in = (s.psum_spill && !f.first_k) ? psum_tile_bytes : 0;
        const int64_t slot = s.ifmap_resident ? s.ifmap_bytes + psum_in : hw.input_buffer.slot_bytes();
        f.chunks = make_chunks(f.m, in_bytes, psum_in, std::max<int64_t>(slot, 1));
        if (!f.last_k && s.psum_spill) f.psum_write_dram_bytes = psum_tile_bytes;
        if (f.last_k) f.output_write_dram_bytes = packed_bytes(f.m * f.nt, p.activation_bits);
        s.folds.push_back(std::move(f));
        first_fold = false;
      }
    }
  }
  if (w && hw.zero_handling == ZeroHandling::kSkipping) skip_zero_folds(s, *w, hw, p);
  return s;
}

std::string check_schedule(const LayerSchedule& s, const HardwareConfig& hw, const Precision& p) {
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

int64_t ideal_array_cycles(const std::vector<int64_t>& m, int rows, int cols, WeightBuffering wb) {
  if (m.empty()) return 0;
  const int64_t r = rows, c = cols;
  int64_t total = 0;
  if (wb == WeightBuffering::kSingle) {
    for (int64_t mf : m) total += 2 * r + c + mf - 2;
    return total;
  }
  total = r;  // first weight load
  for (size_t f = 0; f + 1 < m.size(); ++f) total += std::max(m[f], r);
  return total + m.back() + r + c - 2;
}

Precision precision_of(const QuantModel& model, const Layer& layer, const HardwareConfig& hw) {
  return {model.layers.at(layer.name).stored_weight_bits, model.config.activation_bits, hw.accumulator_bits};
}

std::map<std::string, LayerSchedule> map_network(const QuantModel& model, const HardwareConfig& hw) {
  std::map<std::string, LayerSchedule> schedules;
  for (const auto& l : model.net.layers)
    if (l.is_gemm())
      schedules[l.name] = map_layer(l, hw, precision_of(model, l, hw), &model.layers.at(l.name).weights);
  return schedules;
}

}  // namespace deepchip::sim
