#include "sim/compress/compression.hpp"

#include <map>
#include <unordered_map>

#include "sim/compress/quantize.hpp"

namespace deepchip::sim {

void WeightStorage::add(const WeightStorage& o) {
  weights += o.weights;
  zero_weights += o.zero_weights;
  code_bits += o.code_bits;
  huffman_bits += o.huffman_bits;
  table_bits += o.table_bits;
  scale_bits += o.scale_bits;
  stored_bits += o.stored_bits;
}

std::vector<int64_t> weight_symbols(const std::vector<int32_t>& codes, HuffmanMode mode) {
  if (mode == HuffmanMode::kZeroRle) return zero_rle_tokens(codes);
  return std::vector<int64_t>(codes.begin(), codes.end());
}

SymbolFormat symbol_format(const QuantLayer& q, HuffmanMode mode) {
  return {q.format == WeightFormat::kInt ? q.stored_weight_bits : 2, mode == HuffmanMode::kZeroRle};
}

namespace {

// Symbol counts, gathered in a hash map (a tree insert per weight was most of coding a layer) and handed
// over sorted.
class SymbolCounts {
 public:
  void add(const std::vector<int64_t>& symbols) {
    for (int64_t s : symbols) ++counts_[s];
  }
  std::map<int64_t, uint64_t> sorted() const { return {counts_.begin(), counts_.end()}; }

 private:
  std::unordered_map<int64_t, uint64_t> counts_;
};

HuffmanCode code_for(const std::vector<int64_t>& symbols) {
  SymbolCounts counts;
  counts.add(symbols);
  return HuffmanCode::from_frequencies(counts.sorted());
}

int64_t scale_count(const QuantLayer& q, bool per_channel) {
  switch (q.format) {
    case WeightFormat::kTernary:
      return 2;
    case WeightFormat::kBinary:
      return 1;
    case WeightFormat::kInt:
      break;
  }
  return per_channel ? static_cast<int64_t>(q.weight_scale.size()) : 1;
}

}  // namespace

WeightStorage layer_weight_storage(const QuantLayer& q, HuffmanMode mode) {
  WeightStorage s;
  const std::vector<int32_t> codes = weight_codes(q);
  s.weights = static_cast<int64_t>(codes.size());
  for (int32_t c : codes) s.zero_weights += c == 0;
  s.code_bits = s.weights * q.stored_weight_bits;
  bool per_channel = false;
  for (double w : q.weight_scale) per_channel = per_channel || w != q.weight_scale.front();
  s.scale_bits = 32 * scale_count(q, per_channel);
  if (mode == HuffmanMode::kOff || codes.empty()) {
    s.stored_bits = s.code_bits + s.scale_bits;
    return s;
  }
  const auto symbols = weight_symbols(codes, mode);
  const HuffmanCode code = code_for(symbols);
  std::vector<uint8_t> stream;
  uint64_t bits = 0;
  code.encode(symbols, stream, bits);
  s.huffman_bits = static_cast<int64_t>(bits);
  s.table_bits = code.table_bits(symbol_format(q, mode).bits());
  s.stored_bits = s.huffman_bits + s.table_bits + s.scale_bits;
  return s;
}

std::vector<int32_t> fold_codes(const Layer& l, const QuantLayer& q, const Fold& f) {
  const GemmShape g = gemm_shape(l);
  std::vector<int32_t> codes;
  codes.reserve(static_cast<size_t>(f.kt * f.nt));
  for (int64_t k = f.k0; k < f.k0 + f.kt; ++k)
    for (int64_t n = f.n0; n < f.n0 + f.nt; ++n) {
      const int32_t w = q.weights[static_cast<size_t>((f.group * g.n + n) * g.k + k)];
      codes.push_back(q.format == WeightFormat::kInt ? w : (w > 0) - (w < 0));
    }
  return codes;
}

LayerStream build_layer_stream(const Layer& l, const QuantLayer& q, const LayerSchedule& s,
                               HuffmanMode mode) {
  LayerStream ls;
  ls.mode = mode;
  ls.folds.reserve(s.folds.size());
  if (mode == HuffmanMode::kOff || s.folds.empty()) {  // plain packed codes: sizes only
    for (const auto& f : s.folds)
      ls.folds.push_back(f.weights_cached
                             ? FoldStream{}
                             : FoldStream{{}, f.kt * f.nt, packed_bytes(f.kt * f.nt, q.stored_weight_bits)});
    return ls;
  }
  std::vector<std::vector<int64_t>> fold_symbols;
  fold_symbols.reserve(s.folds.size());
  SymbolCounts counts;
  for (const auto& f : s.folds) {  // a block still in the weight buffer is neither fetched nor decoded again
    fold_symbols.push_back(f.weights_cached ? std::vector<int64_t>{}
                                            : weight_symbols(fold_codes(l, q, f), mode));
    counts.add(fold_symbols.back());
  }
  ls.code = HuffmanCode::from_frequencies(counts.sorted());
  ls.table = ls.code->write_table(symbol_format(q, mode));
  ls.table_bits = ls.code->table_bits(symbol_format(q, mode).bits());
  ls.table_bytes = (ls.table_bits + 7) / 8;
  for (size_t i = 0; i < s.folds.size(); ++i) {
    FoldStream fs;
    fs.symbols = static_cast<int64_t>(fold_symbols[i].size());
    uint64_t bits = 0;
    ls.code->encode(fold_symbols[i], fs.bytes, bits);
    fs.dram_bytes = static_cast<int64_t>(fs.bytes.size()) + (i == 0 ? ls.table_bytes : 0);
    ls.folds.push_back(std::move(fs));
  }
  return ls;
}

LayerStream layer_weight_stream(const Layer& l, const QuantModel& model, const LayerSchedule& s) {
  const HuffmanMode mode = l.kind == LayerKind::kMatMul ? HuffmanMode::kOff : model.config.huffman;
  return build_layer_stream(l, model.layers.at(l.params()), s, mode);
}

}  // namespace deepchip::sim
