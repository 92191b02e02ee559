// The zoo's transformers, written in the IR as the ONNX importer reads their torch exports (sim/README.md
// "Network formats"): tokens are 1 x T x D tensors (a row per token, the features as channels), linear layers
// 1x1 convs, attention heads strided gathers of the fused QKV projection, Q.K^T and P.V matmul layers (1 /
// sqrt(d) in the product scale), Softmax, LayerNorm and GELU layers.
#include "sim/zoo/zoo_transformers.hpp"

#include <cmath>

#include "sim/io/errors.hpp"
#include "sim/zoo/decoder.hpp"

namespace deepchip::sim {

namespace {

struct Dims {
  int tokens, width, layers, heads, mlp;
};

class TokenBuilder {
 public:
  TokenBuilder(std::string name, Shape input) {
    net_.name = std::move(name);
    net_.inputs.push_back({"input", input});
  }
  std::string layer(Layer l, std::vector<std::string> inputs) {
    l.inputs = std::move(inputs);
    net_.layers.push_back(l);
    return l.name;
  }
  std::string linear(const std::string& name, const std::string& x, int units) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kConv;  // 1x1 over every token
    l.out_channels = units;
    return layer(l, {x});
  }
  std::string of_kind(const std::string& name, LayerKind kind, const std::string& x) {
    Layer l;
    l.name = name;
    l.kind = kind;
    return layer(l, {x});
  }
  std::string gelu(const std::string& name, const std::string& x) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kLookup;
    l.function = Function::kGelu;
    return layer(l, {x});
  }
  std::string add(const std::string& name, const std::string& a, const std::string& b) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kAdd;
    return layer(l, {a, b});
  }
  // Elements (i_0, ..) of dims at offset + sum i_k * strides_k of x, as a tensor of `shape`.
  std::string gather(const std::string& name, const std::string& x, std::vector<int64_t> dims,
                     std::vector<int64_t> strides, int64_t offset, Shape shape) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kGather;
    l.gather_dims = std::move(dims);
    l.gather_strides = std::move(strides);
    l.gather_offset = offset;
    l.view_shape = shape;
    return layer(l, {x});
  }
  // Multi-head self-attention of x (1 x T x D): heads of D / h features from one QKV projection.
  std::string attention(const std::string& p, const std::string& x, const Dims& d) {
    const int64_t t = d.tokens, w = d.width, h = d.heads, hd = d.width / d.heads;
    const std::string qkv = linear(p + "qkv", x, 3 * d.width);
    const Shape heads{d.heads, d.tokens, static_cast<int>(hd)};
    const std::string q = gather(p + "q", qkv, {h, t, hd}, {hd, 3 * w, 1}, 0, heads);
    const std::string k = gather(p + "k", qkv, {h, t, hd}, {hd, 3 * w, 1}, w, heads);
    const std::string v = gather(p + "v", qkv, {h, t, hd}, {hd, 3 * w, 1}, 2 * w, heads);
    Layer scores;
    scores.name = p + "scores";
    scores.kind = LayerKind::kMatMul;
    scores.transpose_b = true;
    scores.product_scale = 1.0 / std::sqrt(static_cast<double>(hd));
    layer(scores, {q, k});
    const std::string probs = of_kind(p + "softmax", LayerKind::kSoftmax, scores.name);
    Layer context;
    context.name = p + "context";
    context.kind = LayerKind::kMatMul;
    layer(context, {probs, v});
    const std::string merged =
        gather(p + "merge", context.name, {t, h, hd}, {hd, t * hd, 1}, 0, Shape{1, d.tokens, d.width});
    return linear(p + "proj", merged, d.width);
  }
  std::string mlp(const std::string& p, const std::string& x, const Dims& d) {
    return linear(p + "fc2", gelu(p + "gelu", linear(p + "fc1", x, d.mlp)), d.width);
  }
  Network done() {
    net_.finalize("zoo:" + net_.name);
    return net_;
  }

 private:
  Network net_;
};

// A ViT (Dosovitskiy et al., ICLR 2021), as torchvision builds it: patch embedding, class token, positions,
// pre-LayerNorm encoder layers, a final LayerNorm, the class token's head.
Network vision_transformer(const std::string& name, int image, int patch, Dims d, int classes) {
  TokenBuilder b(name, Shape{image, image, 3});
  Layer embed;
  embed.name = "patch_embed";
  embed.kind = LayerKind::kConv;
  embed.out_channels = d.width;
  embed.kernel_h = embed.kernel_w = embed.stride_h = embed.stride_w = patch;
  b.layer(embed, {"input"});
  const int patches = (image / patch) * (image / patch);
  std::string x =
      b.gather("tokens", "patch_embed", {int64_t{patches} * d.width}, {1}, 0, Shape{1, patches, d.width});
  Layer slot;  // a zero row for the class token, which the positions' affine then adds
  slot.name = "class_slot";
  slot.kind = LayerKind::kPad;
  slot.pad_left = 1;
  x = b.layer(slot, {x});
  x = b.of_kind("class_and_positions", LayerKind::kAffine, x);
  d.tokens = patches + 1;
  for (int i = 0; i < d.layers; ++i) {
    const std::string p = "layer" + std::to_string(i) + ".";
    x = b.add(p + "add1", x, b.attention(p, b.of_kind(p + "ln1", LayerKind::kLayerNorm, x), d));
    x = b.add(p + "add2", x, b.mlp(p, b.of_kind(p + "ln2", LayerKind::kLayerNorm, x), d));
  }
  x = b.of_kind("norm", LayerKind::kLayerNorm, x);
  x = b.gather("class_token", x, {d.width}, {1}, 0, Shape{1, 1, d.width});
  b.linear("head", x, classes);
  return b.done();
}

// A BERT encoder (Devlin et al., NAACL 2019) over token embeddings: the embedding LayerNorm, then
// post-LayerNorm layers.
Network bert(const std::string& name, Dims d) {
  TokenBuilder b(name, Shape{1, d.tokens, d.width});
  std::string x = b.of_kind("embedding_ln", LayerKind::kLayerNorm, "input");
  for (int i = 0; i < d.layers; ++i) {
    const std::string p = "layer" + std::to_string(i) + ".";
    x = b.of_kind(p + "ln1", LayerKind::kLayerNorm, b.add(p + "add1", x, b.attention(p, x, d)));
    x = b.of_kind(p + "ln2", LayerKind::kLayerNorm, b.add(p + "add2", x, b.mlp(p, x, d)));
  }
  return b.done();
}

}  // namespace

std::vector<std::string> transformer_zoo_names() {
  std::vector<std::string> names{"vit_b_16", "vit_tiny", "bert_base", "bert_tiny"};
  for (const auto& n : decoder_zoo_names()) names.push_back(n);
  return names;
}

Network transformer_zoo_network(const std::string& name) {
  if (name == "vit_b_16") return vision_transformer(name, 224, 16, {0, 768, 12, 12, 3072}, 1000);
  if (name == "vit_tiny") return vision_transformer(name, 32, 4, {0, 192, 4, 3, 768}, 10);
  if (name == "bert_base") return bert(name, {128, 768, 12, 12, 3072});
  if (name == "bert_tiny") return bert(name, {128, 128, 2, 2, 512});
  if (is_decoder_name(name)) return decoder_network(name, 1, decoder_dims(name).default_tokens);
  throw InputError("unknown zoo network '" + name + "'");
}

}  // namespace deepchip::sim
