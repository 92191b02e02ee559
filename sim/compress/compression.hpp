// Weight storage of a compressed model, the way DeepChip reports memory compression: all weight storage
// (codes or Huffman bitstream, plus code tables, plus the per-layer/per-channel scales at 32 bits) against
// the same weights in fp32. Biases are left out on both sides.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/compress/huffman.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::sim {

// Symbols a layer's weights are coded as (zero-RLE tokens when mode is kZeroRle), in the given order.
std::vector<int64_t> weight_symbols(const std::vector<int32_t>& codes, HuffmanMode mode);
// How a layer's symbols are stored in its code table (and their bits, symbol_format(...).bits()).
SymbolFormat symbol_format(const QuantLayer& q, HuffmanMode mode);

// Storage of one layer, its weights in [out_channel][k] order (really encoded when Huffman is on).
WeightStorage layer_weight_storage(const QuantLayer& q, HuffmanMode mode);

// The weight stream the accelerator fetches for one layer: fold by fold in load order (row k0..k0+kt of
// columns n0..n0+nt), each fold's segment byte-aligned. With Huffman on, one canonical code per layer
// built from this stream, fetched with the first fold.
struct FoldStream {
  std::vector<uint8_t> bytes;  // encoded segment (empty when Huffman is off)
  int64_t symbols = 0;         // symbols (or zero-RLE tokens) the decoder emits
  int64_t dram_bytes = 0;      // bytes fetched for this fold (incl. the table on the first fold)
};
struct LayerStream {
  HuffmanMode mode = HuffmanMode::kOff;
  std::vector<FoldStream> folds;
  std::optional<HuffmanCode> code;
  std::vector<uint8_t>
      table;  // the stored code table, fetched with the first fold (HuffmanCode::write_table)
  int64_t table_bits = 0;
  int64_t table_bytes = 0;
};
LayerStream build_layer_stream(const Layer& layer, const QuantLayer& q, const LayerSchedule& schedule,
                               HuffmanMode mode);
// The stream the accelerator fetches for an array layer of the model: coded as the model's config says (a
// matmul's second operand is an activation, never coded).
LayerStream layer_weight_stream(const Layer& layer, const QuantModel& model, const LayerSchedule& schedule);
// The weight codes of fold f in load order (what the decoder must reproduce).
std::vector<int32_t> fold_codes(const Layer& layer, const QuantLayer& q, const Fold& fold);
// The effective integer weight of a decoded code.
inline int32_t weight_of_code(const QuantLayer& q, int32_t code) {
  if (q.format == WeightFormat::kInt) return code;
  return code > 0 ? q.pos_scale : (code < 0 ? -q.neg_scale : 0);
}

}  // namespace deepchip::sim
