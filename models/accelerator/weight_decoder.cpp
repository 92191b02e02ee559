#include "models/accelerator/weight_decoder.hpp"

#include <algorithm>
#include <cmath>

#include "sim/cost/timeline.hpp"

namespace deepchip::models {

void WeightDecoder::start_layer(const sim::LayerStream& stream, const sim::QuantLayer& quant,
                                std::vector<sim::RowMatrix<int32_t>>* group_weights, int64_t now) {
  stream_ = &stream;
  quant_ = &quant;
  group_weights_ = group_weights;
  free_cycle_ = now;
}

int64_t WeightDecoder::decode_part(const sim::Fold& fold, size_t f, int64_t symbols, bool first,
                                   int64_t data_start, int64_t complete) {
  const auto decode_cycles =
      static_cast<int64_t>(std::ceil(static_cast<double>(symbols) / hw_.decoder_symbols_per_cycle));
  const int64_t begin = std::max(free_cycle_, data_start);
  const int64_t done = std::max(complete, begin + decode_cycles);
  free_cycle_ = done;
  if (timeline_)
    timeline_->slice(sim::Track::kDecoder, "fold " + std::to_string(f), begin, done,
                     {{"fold", static_cast<int64_t>(f)}, {"symbols", symbols}});
  if (numerics_ && first) decode_values(fold, f);
  return done;
}

// The fold's segment back to weights, in load order.
void WeightDecoder::decode_values(const sim::Fold& fold, size_t f) {
  const sim::FoldStream& fs = stream_->folds[f];
  // The decoder builds its code from the stored table, which arrives with the first fold.
  if (f == 0 || !code_)
    code_ = sim::HuffmanCode::read_table(stream_->table, stream_->table_bits,
                                         sim::symbol_format(*quant_, stream_->mode));
  const auto symbols = code_->decode(fs.bytes, 0, static_cast<size_t>(fs.symbols));
  std::vector<int32_t> codes;
  if (stream_->mode == sim::HuffmanMode::kZeroRle)
    codes = sim::expand_zero_rle(symbols);
  else
    codes.assign(symbols.begin(), symbols.end());
  auto& w = (*group_weights_)[static_cast<size_t>(fold.group)];
  size_t i = 0;
  for (int64_t k = fold.k0; k < fold.k0 + fold.kt; ++k)
    for (int64_t n = fold.n0; n < fold.n0 + fold.nt; ++n)
      w(k, n) = i < codes.size() ? sim::weight_of_code(*quant_, codes[i++]) : 0;
}

}  // namespace deepchip::models
