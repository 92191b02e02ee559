// The Huffman weight decoder between the read DMA and the weight buffer (sim/README.md "Compression", its
// Huffman paragraph): it turns a fold's encoded segment into weights at decoder_symbols_per_cycle while the
// segment streams in. It starts when the data starts arriving and it is free, and finishes no earlier than
// the segment's last byte. With numerics it also decodes: the fold's weights are written where the array
// reads them.
#pragma once
#include <cstdint>
#include <optional>
#include <systemc>

#include "sim/compress/compression.hpp"
#include "sim/cost/observers.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/map/hardware.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

class WeightDecoder : public sc_core::sc_module {
 public:
  // `timeline` (optional): each fold's decoding is recorded there.
  WeightDecoder(sc_core::sc_module_name name, const sim::HardwareConfig& hw, sim::Timeline* timeline,
                bool numerics)
      : sc_module(name), hw_(hw), timeline_(timeline), numerics_(numerics) {}

  // A layer's stream (must outlive the layer) and, with numerics, the group weight matrices to fill.
  void start_layer(const sim::LayerStream& stream, const sim::QuantLayer& quant,
                   std::vector<sim::RowMatrix<int32_t>>* group_weights, int64_t now);
  // Fold f's segment arrives over [data_start, complete); returns the cycle its weights are decoded.
  int64_t decode(const sim::Fold& fold, size_t f, int64_t data_start, int64_t complete) {
    return decode_part(fold, f, stream_->folds[f].symbols, true, data_start, complete);
  }
  // is/os stream a fold's weights in chunks: `symbols` of its segment arrive over [data_start, complete);
  // `first`: the fold's first part (its values are written then).
  int64_t decode_part(const sim::Fold& fold, size_t f, int64_t symbols, bool first, int64_t data_start,
                      int64_t complete);

 private:
  void decode_values(const sim::Fold& fold, size_t f);

  const sim::HardwareConfig& hw_;
  sim::Timeline* const timeline_;
  const bool numerics_;
  const sim::LayerStream* stream_ = nullptr;
  const sim::QuantLayer* quant_ = nullptr;
  std::vector<sim::RowMatrix<int32_t>>* group_weights_ = nullptr;
  int64_t free_cycle_ = 0;                // busy until this cycle
  std::optional<sim::HuffmanCode> code_;  // rebuilt from the layer's stored table
};

}  // namespace deepchip::models
