// Writes the binary seed inputs of the fuzz corpora (tests/fuzz/corpus/): a small ONNX model, TensorProto
// inputs, IDX arrays and Huffman tables with streams. Run by `scripts/fuzz --make-seeds`; the output is
// committed, so this only documents (and can redo) how the seeds were made.
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "sim/compress/huffman.hpp"

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

onnx::TensorProto floats(const std::string& name, std::vector<int64_t> dims, std::mt19937& rng) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  int64_t n = 1;
  for (int64_t d : dims) t.add_dims(d), n *= d;
  std::normal_distribution<float> w(0.0f, 0.5f);
  for (int64_t i = 0; i < n; ++i) t.add_float_data(w(rng));
  return t;
}

onnx::NodeProto& node(onnx::GraphProto& g, const std::string& op, std::vector<std::string> in,
                      const std::string& out) {
  onnx::NodeProto& n = *g.add_node();
  n.set_op_type(op);
  n.set_name(out);
  for (const auto& i : in) n.add_input(i);
  n.add_output(out);
  return n;
}

void ints(onnx::NodeProto& n, const std::string& name, std::vector<int64_t> v) {
  auto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a.add_ints(x);
}

// Conv 3x3 (2 filters, pad 1) + BatchNorm + Relu + MaxPool 2 + Flatten + Gemm (3 outputs) on 1x1x8x8.
std::string small_model() {
  std::mt19937 rng(1);
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *m.mutable_graph();
  g.set_name("seed");
  auto& in = *g.add_input();
  in.set_name("x");
  auto* tt = in.mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 1, 8, 8}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  *g.add_initializer() = floats("w1", {2, 1, 3, 3}, rng);
  *g.add_initializer() = floats("b1", {2}, rng);
  for (const char* bn : {"s", "b", "m"}) *g.add_initializer() = floats(bn, {2}, rng);
  onnx::TensorProto var = floats("v", {2}, rng);
  for (int i = 0; i < var.float_data_size(); ++i) var.set_float_data(i, 1.0f + i);
  *g.add_initializer() = var;
  *g.add_initializer() = floats("w2", {3, 32}, rng);
  *g.add_initializer() = floats("b2", {3}, rng);
  auto& conv = node(g, "Conv", {"x", "w1", "b1"}, "c");
  ints(conv, "kernel_shape", {3, 3});
  ints(conv, "pads", {1, 1, 1, 1});
  node(g, "BatchNormalization", {"c", "s", "b", "m", "v"}, "n");
  node(g, "Relu", {"n"}, "r");
  auto& pool = node(g, "MaxPool", {"r"}, "p");
  ints(pool, "kernel_shape", {2, 2});
  ints(pool, "strides", {2, 2});
  node(g, "Flatten", {"p"}, "f");
  auto& gemm = node(g, "Gemm", {"f", "w2", "b2"}, "y");
  auto& tb = *gemm.add_attribute();
  tb.set_name("transB");
  tb.set_type(onnx::AttributeProto::INT);
  tb.set_i(1);
  g.add_output()->set_name("y");
  return m.SerializeAsString();
}

std::string tensor(std::vector<int64_t> dims) {
  std::mt19937 rng(2);
  return floats("", std::move(dims), rng).SerializeAsString();
}

std::string idx(std::vector<uint32_t> dims, uint8_t fill) {
  std::string b = {0, 0, 8, static_cast<char>(dims.size())};
  size_t n = 1;
  for (uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) b += static_cast<char>((d >> s) & 0xff);
    n *= d;
  }
  for (size_t i = 0; i < n; ++i) b += static_cast<char>(fill + i % 7);
  return b;
}

// The fuzz_huffman input: format byte, table bits (16-bit), table, stream.
std::string huffman(const std::vector<int64_t>& symbols, deepchip::sim::SymbolFormat f) {
  std::map<int64_t, uint64_t> freq;
  for (int64_t s : symbols) ++freq[s];
  const auto code = deepchip::sim::HuffmanCode::from_frequencies(freq);
  const auto table = code.write_table(f);
  const int64_t bits = code.table_bits(f.bits());
  std::vector<uint8_t> stream;
  uint64_t n = 0;
  code.encode(symbols, stream, n);
  std::string b = {static_cast<char>((f.value_bits - 1) | (f.zero_rle ? 0x80 : 0)),
                   static_cast<char>(bits >> 8), static_cast<char>(bits & 0xff)};
  b.append(table.begin(), table.end());
  b.append(stream.begin(), stream.end());
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const fs::path out = argv[1];
  write(out / "onnx_model" / "conv_relu_fc.onnx", small_model());
  write(out / "onnx_tensor" / "one_image.pb", tensor({1, 1, 8, 8}));
  write(out / "onnx_tensor" / "two_images.pb", tensor({2, 1, 8, 8}));
  write(out / "idx" / "images.idx", idx({3, 4, 4}, 10));
  write(out / "idx" / "labels.idx", idx({5}, 1));
  write(out / "huffman" / "int8.bin", huffman({0, 0, 1, -1, 3, 0, 0, 5, -7, 0, 1, 1}, {8, false}));
  write(out / "huffman" / "ternary.bin", huffman({0, 1, 0, -1, 0, 0, 1, 1, -1, 0}, {2, false}));
  const int64_t t = int64_t{1} << 32;
  write(out / "huffman" / "zero_rle.bin",
        huffman({3 * t + 1, 0 * t + static_cast<uint32_t>(-2), 15 * t, 2 * t + 5, 3 * t + 1}, {4, true}));
  return 0;
}
