// The read DMA and the Huffman weight decoder on their own (the other model tests reach them only through
// whole layers): transfer times and byte counts computed by hand, a DMA that waits for a free slot, the
// decoder's rate and its wait for the data, and decoded folds equal to the layer's weights.
#include <gtest/gtest.h>

#include <functional>

#include "harness.hpp"
#include "models/accelerator/read_dma.hpp"
#include "models/accelerator/sram_buffer.hpp"
#include "models/accelerator/weight_decoder.hpp"
#include "models/clock.hpp"
#include "models/memory/ddr.hpp"
#include "sim/compress/compression.hpp"
#include "sim/exec/im2col.hpp"

namespace deepchip::models {
namespace {

// A read DMA with its buffers, decoder and DRAM; `body` runs in a SystemC thread at time 0.
class DmaBench : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(DmaBench);
  DmaBench(sc_core::sc_module_name name, const sim::HardwareConfig& hw, std::function<void(DmaBench&)> body)
      : sc_module(name),
        hw_(hw),
        input("input", hw_.input_buffer),
        weight("weight", hw_.weight_buffer),
        output("output", hw_.output_buffer),
        decoder("decoder", hw_, nullptr, false),
        dma("dma", hw_, nullptr, input, weight, output, decoder),
        ddr("ddr", hw_, nullptr),
        body_(std::move(body)) {
    dma.dram.bind(ddr.socket);
    SC_THREAD(run);
    set_stack_size(kKernelThreadStackBytes);
  }

 private:
  void run() { body_(*this); }
  const sim::HardwareConfig hw_;

 public:
  SramBuffer input, weight, output;
  WeightDecoder decoder;
  ReadDma dma;
  Ddr ddr;

 private:
  std::function<void(DmaBench&)> body_;
};

// A 1x1 conv on a 1x1x4 input with `filters` filters, 8-bit, on a 4x2 array: one K-fold, filters / 2
// N-folds of 4 x 2 = 8 weight bytes each; the 4 input bytes stream with every fold.
struct SmallLayer {
  explicit SmallLayer(int filters)
      : model(testing::model_of_json(R"({"inputs": [{"name": "x", "shape": [1, 1, 4]}],
          "layers": [{"name": "c", "type": "conv", "filters": )" +
                                     std::to_string(filters) + R"(, "kernel": 1}]})")) {
    hw.array_rows = 4;
    hw.array_cols = 2;
    hw.dram_bandwidth_bytes_per_cycle = 1;
    hw.dram_latency_cycles = 10;
    schedule = sim::map_network(model, hw).at("c");
    stream = sim::build_layer_stream(layer(), quant(), schedule, sim::HuffmanMode::kOff);
  }
  const sim::Layer& layer() const { return model.net.layer("c"); }
  const sim::QuantLayer& quant() const { return model.layers.at(layer().params()); }
  void start(DmaBench& b, int weight_slots) const {
    b.input.start_layer(schedule.input_transfers_ahead);
    b.weight.start_layer(weight_slots);
    b.output.start_layer(2);
    b.decoder.start_layer(stream, quant(), nullptr, 0);
    b.dma.start_layer(schedule, stream, quant());
  }
  sim::QuantModel model;
  sim::HardwareConfig hw;
  sim::LayerSchedule schedule;
  sim::LayerStream stream;
};

TEST(ReadDma, OneFoldsTransfersAsComputedByHand) {
  const SmallLayer l(2);
  ASSERT_EQ(l.schedule.folds.size(), 1u);
  ASSERT_EQ(l.schedule.folds[0].chunks.size(), 1u);
  bool ran = false;
  DmaBench bench("bench", l.hw, [&](DmaBench& b) {
    l.start(b, 1);
    EXPECT_TRUE(b.dma.issue(0));
    // 1 byte/cycle, latency 10: the weights hold the channel over [0, 8), ready at 18; the input vector
    // over [8, 12), ready at 22.
    EXPECT_EQ(b.dma.stationary_ready_cycle(0), 18);
    EXPECT_EQ(b.dma.weight_data_complete_cycle(0), 18);
    EXPECT_EQ(b.dma.chunk_ready_cycle(0, 0), 22);
    EXPECT_EQ(b.dma.weight_bytes(), 8);
    EXPECT_EQ(b.dma.input_bytes(), 4);
    EXPECT_EQ(b.dma.psum_bytes(), 0);
    EXPECT_EQ(b.weight.writes(), 1);  // 8 bytes: one 64-bit word
    EXPECT_EQ(b.input.writes(), 1);
    EXPECT_EQ(b.ddr.bytes_read(), 12);
    EXPECT_FALSE(b.dma.issue(30)) << "everything was issued";
    ran = true;
  });
  sc_core::sc_start();
  EXPECT_TRUE(ran);
}

TEST(ReadDma, WaitsForAFreeWeightSlotAndIssuesWhenOneIsFreed) {
  const SmallLayer l(4);
  ASSERT_EQ(l.schedule.folds.size(), 2u);
  bool ran = false;
  DmaBench bench("bench", l.hw, [&](DmaBench& b) {
    l.start(b, 1);  // one weight slot: fold 1's weights wait until fold 0's are used
    EXPECT_TRUE(b.dma.issue(0));
    EXPECT_EQ(b.dma.stationary_ready_cycle(0), 18);
    EXPECT_EQ(b.dma.stationary_ready_cycle(1), kNever);
    EXPECT_EQ(b.dma.weight_bytes(), 8);
    EXPECT_FALSE(b.dma.issue(5)) << "no slot: nothing issued";
    b.weight.free_slot();
    EXPECT_TRUE(b.dma.issue(30));
    // Fold 1's weights at 30 on an idle channel: [30, 38), ready at 48.
    EXPECT_EQ(b.dma.stationary_ready_cycle(1), 48);
    EXPECT_EQ(b.dma.weight_bytes(), 16);
    EXPECT_GE(b.dma.chunk_ready_cycle(1, 0), 30);
    ran = true;
  });
  sc_core::sc_start();
  EXPECT_TRUE(ran);
}

TEST(WeightDecoder, DecodesAtItsRateAndNoEarlierThanItsData) {
  sim::HardwareConfig hw;
  hw.decoder_symbols_per_cycle = 4;
  WeightDecoder decoder("decoder", hw, nullptr, false);
  const sim::LayerStream stream;
  const sim::QuantLayer quant;
  decoder.start_layer(stream, quant, nullptr, 0);
  const sim::Fold fold;
  // 100 symbols take 25 cycles: from the data's start (10), done at 35, after the data (20).
  EXPECT_EQ(decoder.decode_part(fold, 0, 100, false, 10, 20), 35);
  // Busy until 35: the next segment (its data over [15, 50)) starts at 35, is decoded by 60.
  EXPECT_EQ(decoder.decode_part(fold, 1, 100, false, 15, 50), 60);
  // 8 symbols (2 cycles) whose data arrives until 80: done when the data is, at 80.
  EXPECT_EQ(decoder.decode_part(fold, 2, 8, false, 70, 80), 80);
  // A fractional rate rounds the cycles up: 9 symbols at 4 per cycle take 3.
  EXPECT_EQ(decoder.decode_part(fold, 3, 9, false, 100, 100), 103);
}

// Every fold decoded from the Huffman stream puts the layer's own weights where the array reads them.
void expect_decoded_weights_equal_the_layers(const sim::QuantConfig& config) {
  const sim::QuantModel model = sim::quantize(
      sim::make_synthetic_model(sim::parse_network_json(R"({"inputs": [{"name": "x", "shape": [6, 6, 3]}],
        "layers": [{"name": "c", "type": "conv", "filters": 8, "kernel": 3}]})",
                                                        "test"),
                                3),
      config);
  sim::HardwareConfig hw;
  hw.array_rows = 8;
  hw.array_cols = 4;
  const sim::Layer& layer = model.net.layer("c");
  const sim::QuantLayer& q = model.layers.at(layer.params());
  const sim::LayerSchedule schedule = sim::map_network(model, hw).at("c");
  const sim::LayerStream stream = sim::build_layer_stream(layer, q, schedule, config.huffman);
  ASSERT_TRUE(stream.code.has_value());
  ASSERT_GT(schedule.folds.size(), 4u);  // 27 x 8 on 8 x 4: 4 K-folds x 2 N-folds
  std::vector<sim::RowMatrix<int32_t>> decoded = {
      sim::RowMatrix<int32_t>::Constant(schedule.gemm.k, schedule.gemm.n, -12345)};
  WeightDecoder decoder("decoder", hw, nullptr, true);
  decoder.start_layer(stream, q, &decoded, 0);
  for (size_t f = 0; f < schedule.folds.size(); ++f) decoder.decode(schedule.folds[f], f, 0, 0);
  EXPECT_EQ(decoded[0], sim::gemm_weights(q.weights, layer, 0));
}

TEST(WeightDecoder, HuffmanFoldsDecodeToTheLayersWeights) {
  sim::QuantConfig config;
  config.weight_bits = 4;
  config.huffman = sim::HuffmanMode::kOn;
  expect_decoded_weights_equal_the_layers(config);
}

TEST(WeightDecoder, ZeroRunFoldsOfAPrunedTernaryLayerDecodeToItsWeights) {
  sim::QuantConfig config;
  config.weight_format = sim::WeightFormat::kTernary;
  config.sparsity = 0.6;
  config.huffman = sim::HuffmanMode::kZeroRle;
  expect_decoded_weights_equal_the_layers(config);
}

}  // namespace
}  // namespace deepchip::models
