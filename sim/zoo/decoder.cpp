// GPT-2 (Radford et al., 2019) as its reference implementation builds it: pre-LayerNorm blocks of causal
// multi-head attention (one fused QKV projection) and a GELU MLP (the tanh approximation GPT-2 uses), a final
// LayerNorm and the language-model head. Written as the transformer zoo writes its encoders
// (sim/zoo/zoo_transformers.cpp): linear layers are 1x1 convs over the tokens, heads strided gathers.
#include "sim/zoo/decoder.hpp"

#include <cmath>
#include <optional>
#include <utility>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

namespace {

// An unrolled decoding has a pass per token: far more layers than a network file may have.
constexpr int64_t kMaxUnrolledLayers = int64_t{1} << 22;

// One pass of the decoder over T tokens of B sequences, its layers named `prefix` + the model's layer name.
// The full pass (no prefix) reads the keys and values it computes; a pass of the unrolled decoding shares
// the model's parameters, appends its keys and values to the caches of the pass before (`previous`; none for
// prefill) and reads the caches.
class DecoderPass {
 public:
  DecoderPass(Network& net, const DecoderDims& d, int batch, int tokens, std::string prefix,
              std::optional<std::string> previous)
      : net_(net), d_(d), b_(batch), t_(tokens), prefix_(std::move(prefix)), previous_(std::move(previous)) {}

  // The logits of the pass's input tensor: every token's (the full pass, a decode step) or the last's
  // (prefill, which yields the first new token).
  std::string logits(const std::string& input, bool last_token_only) {
    std::string x = input;
    for (int i = 0; i < d_.layers; ++i) {
      const std::string p = "layer" + std::to_string(i) + ".";
      x = add(p + "add1", x, attention(p, of_kind(p + "ln1", LayerKind::kLayerNorm, x)));
      const std::string h = of_kind(p + "ln2", LayerKind::kLayerNorm, x);
      Layer gelu = base(p + "gelu", LayerKind::kLookup);
      gelu.function = Function::kGeluTanh;
      x = add(p + "add2", x, linear(p + "fc2", emit(gelu, {linear(p + "fc1", h, d_.mlp)}), d_.width));
    }
    x = of_kind("ln_f", LayerKind::kLayerNorm, x);
    if (last_token_only)
      x = gather("last_token", x, {b_, d_.width}, {int64_t{t_} * d_.width, 1}, int64_t{t_ - 1} * d_.width,
                 Shape{b_, 1, d_.width});
    return linear("logits", x, d_.vocab);
  }

 private:
  Layer base(const std::string& name, LayerKind kind) const {
    Layer l;
    l.name = name;
    l.kind = kind;
    return l;
  }
  std::string emit(Layer l, std::vector<std::string> inputs) {
    if (previous_) l.params_of = l.name;  // an unrolled pass: the model's parameters and scales
    l.name = prefix_ + l.name;
    l.inputs = std::move(inputs);
    net_.layers.push_back(std::move(l));
    return net_.layers.back().name;
  }
  std::string of_kind(const std::string& name, LayerKind kind, const std::string& x) {
    return emit(base(name, kind), {x});
  }
  std::string linear(const std::string& name, const std::string& x, int units) {
    Layer l = base(name, LayerKind::kConv);  // 1x1 over every token
    l.out_channels = units;
    return emit(l, {x});
  }
  std::string add(const std::string& name, const std::string& a, const std::string& b) {
    return emit(base(name, LayerKind::kAdd), {a, b});
  }
  std::string gather(const std::string& name, const std::string& x, std::vector<int64_t> dims,
                     std::vector<int64_t> strides, int64_t offset, Shape shape) {
    Layer l = base(name, LayerKind::kGather);
    l.gather_dims = std::move(dims);
    l.gather_strides = std::move(strides);
    l.gather_offset = offset;
    l.view_shape = shape;
    return emit(l, {x});
  }
  // The keys or values of the sequence so far: the cache of the pass before with this pass's rows appended.
  std::string cache(const std::string& name, const std::string& rows) {
    Layer l = base(name, LayerKind::kConcat);
    l.concat_axis = 1;
    l.cache_append = true;
    if (previous_->empty()) return emit(l, {rows});
    return emit(l, {*previous_ + name, rows});
  }
  // Causal multi-head self-attention: heads of D / h features from one QKV projection (B x T x 3D).
  std::string attention(const std::string& p, const std::string& x) {
    const int64_t b = b_, t = t_, w = d_.width, h = d_.heads, hd = d_.width / d_.heads;
    const std::string qkv = linear(p + "qkv", x, 3 * d_.width);
    const Shape heads{b_ * d_.heads, t_, static_cast<int>(hd)};
    const std::vector<int64_t> dims{b, h, t, hd}, strides{t * 3 * w, hd, 3 * w, 1};
    const std::string q = gather(p + "q", qkv, dims, strides, 0, heads);
    std::string k = gather(p + "k", qkv, dims, strides, w, heads);
    std::string v = gather(p + "v", qkv, dims, strides, 2 * w, heads);
    if (previous_) {
      k = cache(p + "k_cache", k);
      v = cache(p + "v_cache", v);
    }
    Layer scores = base(p + "scores", LayerKind::kMatMul);
    scores.transpose_b = true;
    scores.product_scale = 1.0 / std::sqrt(static_cast<double>(hd));
    Layer softmax = base(p + "softmax", LayerKind::kSoftmax);
    softmax.causal = true;
    const std::string probs = emit(softmax, {emit(scores, {q, k})});
    const std::string context = emit(base(p + "context", LayerKind::kMatMul), {probs, v});
    const std::string merged =
        gather(p + "merge", context, {b, t, h, hd}, {h * t * hd, hd, t * hd, 1}, 0, Shape{b_, t_, d_.width});
    return linear(p + "proj", merged, d_.width);
  }

  Network& net_;
  const DecoderDims& d_;
  const int b_, t_;
  const std::string prefix_;
  const std::optional<std::string> previous_;  // set in an unrolled pass: the prefix of the pass before
};

std::string decode_prefix(int step) { return "decode" + std::to_string(step) + "/"; }

// Rows [first, first + count) of every sequence of a B x T x D tensor.
IntTensor token_rows(const IntTensor& x, int first, int count) {
  IntTensor out(Shape{x.shape.height, count, x.shape.channels});
  const size_t row = static_cast<size_t>(x.shape.channels), n = row * static_cast<size_t>(count);
  for (int b = 0; b < x.shape.height; ++b) {
    const auto from = x.data.begin() + static_cast<std::ptrdiff_t>(x.index(b, first, 0));
    std::copy(from, from + static_cast<std::ptrdiff_t>(n),
              out.data.begin() + static_cast<std::ptrdiff_t>(b * n));
  }
  return out;
}

// The quantization of the layers only an unrolled decoding has: its caches hold the keys' and values' codes
// (an identity concat), prefill's last token is a gather of the final LayerNorm's output.
void add_unrolled_layers(QuantModel& u, const QuantModel& full, const DecoderDims& d) {
  for (int i = 0; i < d.layers; ++i)
    for (const char* kv : {"k", "v"}) {
      const std::string p = "layer" + std::to_string(i) + ".";
      QuantLayer cache;
      cache.out = full.tensor_quant.at(p + kv);
      cache.requant.assign(2, make_requant(1.0));  // the same scale: codes unchanged
      u.layers[p + kv + "_cache"] = cache;
    }
  QuantLayer last;
  last.out = full.tensor_quant.at("ln_f");
  u.layers["last_token"] = last;
}

}  // namespace

std::vector<std::string> decoder_zoo_names() { return {"gpt2", "gpt2_tiny"}; }

bool is_decoder_name(const std::string& name) { return name == "gpt2" || name == "gpt2_tiny"; }

DecoderDims decoder_dims(const std::string& name) {
  if (name == "gpt2") return {768, 12, 12, 3072, 50257, 128};
  if (name == "gpt2_tiny") return {32, 2, 2, 64, 64, 16};
  throw InputError("unknown decoder '" + name + "' (the zoo's decoders: gpt2, gpt2_tiny)");
}

Network decoder_network(const std::string& name, int batch, int tokens) {
  const DecoderDims d = decoder_dims(name);
  Network net;
  net.name = name;
  net.inputs.push_back({"input", Shape{batch, tokens, d.width}});
  DecoderPass(net, d, batch, tokens, "", std::nullopt).logits("input", false);
  net.finalize("zoo:" + name);
  return net;
}

QuantModel unroll_decoding(QuantModel full, const std::string& name, const Sequence& seq) {
  const DecoderDims d = decoder_dims(name);
  const int b = seq.batch, p = seq.prompt_tokens;
  QuantModel u;
  u.config = full.config;
  u.layers = std::move(full.layers);
  u.storage = std::move(full.storage);
  u.net.name = name + "_decoding";
  u.net.inputs.push_back({"prefill/input", Shape{b, p, d.width}});
  DecoderPass(u.net, d, b, p, "prefill/", "").logits("prefill/input", true);
  for (int s = 0; s < seq.decode_tokens; ++s) {
    const std::string prefix = decode_prefix(s);
    u.net.inputs.push_back({prefix + "input", Shape{b, 1, d.width}});
    DecoderPass(u.net, d, b, 1, prefix, s == 0 ? "prefill/" : decode_prefix(s - 1))
        .logits(prefix + "input", false);
  }
  u.net.finalize("decoding:" + name, kMaxUnrolledLayers);
  add_unrolled_layers(u, full, d);
  const IntTensor& tokens = full.inputs.at("input");
  for (const auto& in : u.net.inputs) {
    u.tensor_quant[in.name] = full.tensor_quant.at("input");
    const int phase = decoding_phase(in.name);
    u.inputs[in.name] = phase < 0 ? token_rows(tokens, 0, p) : token_rows(tokens, p + phase, 1);
  }
  for (const auto& l : u.net.layers) u.tensor_quant[l.name] = u.layers.at(l.params()).out;
  return u;
}

int64_t unrolled_cache_elements(const std::string& name, const Sequence& seq) {
  const DecoderDims d = decoder_dims(name);
  const int64_t p = seq.prompt_tokens, g = seq.decode_tokens;
  const int64_t tokens = p + g * p + g * (g + 1) / 2;  // prefill's P, then P + s + 1 at step s
  return 2 * int64_t{d.layers} * seq.batch * d.width * tokens;
}

int decoding_phase(const std::string& name) {
  if (name.rfind("prefill/", 0) == 0) return -1;
  if (name.rfind("decode", 0) != 0) return -2;
  const size_t slash = name.find('/');
  if (slash == std::string::npos || slash == 6) return -2;
  int step = 0;
  for (size_t i = 6; i < slash; ++i) {
    if (name[i] < '0' || name[i] > '9') return -2;
    step = step * 10 + (name[i] - '0');
  }
  return step;
}

}  // namespace deepchip::sim
