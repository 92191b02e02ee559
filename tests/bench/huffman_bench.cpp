// Huffman encode and decode throughput on a ResNet-18-sized weight set (11.7M int8 weights of the synthetic
// ResNet-18, all layers concatenated, one canonical code). Throughput counts uncompressed weight bytes
// (1 byte per int8 weight). Prints one JSON line.
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "sim/compress/compression.hpp"
#include "sim/compress/huffman.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/synthetic.hpp"

using namespace deepchip;

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "on";  // on | zero_rle
  sim::QuantConfig qc;
  qc.sparsity = mode == "zero_rle" ? 0.5 : 0.0;
  const sim::QuantModel m = sim::quantize(sim::make_synthetic_model(sim::zoo_network("resnet18"), 1), qc);
  std::vector<int32_t> codes;
  for (const auto& l : m.net.layers)
    if (l.is_gemm()) {
      const auto c = sim::weight_codes(m.layers.at(l.name));
      codes.insert(codes.end(), c.begin(), c.end());
    }
  const auto symbols =
      sim::weight_symbols(codes, mode == "zero_rle" ? sim::HuffmanMode::kZeroRle : sim::HuffmanMode::kOn);
  std::map<int64_t, uint64_t> freq;
  for (int64_t s : symbols) ++freq[s];
  const auto code = sim::HuffmanCode::from_frequencies(freq);

  using Clock = std::chrono::steady_clock;
  std::vector<uint8_t> stream;
  uint64_t bits = 0;
  auto t0 = Clock::now();
  code.encode(symbols, stream, bits);
  const double encode_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  const auto decoded = code.decode(stream, 0, symbols.size());
  const double decode_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const double megabytes = static_cast<double>(codes.size()) / 1e6;
  nlohmann::json j = {
      {"mode", mode},
      {"weights", codes.size()},
      {"symbols", symbols.size()},
      {"encoded_bits_per_weight", static_cast<double>(bits) / static_cast<double>(codes.size())},
      {"encode_seconds", encode_s},
      {"decode_seconds", decode_s},
      {"encode_mb_per_s", megabytes / encode_s},
      {"decode_mb_per_s", megabytes / decode_s},
      {"round_trip_exact", decoded == symbols}};
  std::cout << j.dump() << std::endl;
  return decoded == symbols ? 0 : 1;
}
