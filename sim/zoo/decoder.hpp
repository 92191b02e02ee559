// Decoder language models and their generation (sim/README.md "Generative decoding"): GPT-2-style decoders
// written in the IR, the full forward pass over a sequence (a causal mask), and the unrolled decoding that
// the accelerator plays: a prefill pass over the prompt that fills a KV cache per layer, then one pass per
// generated token that reads every layer's cache and appends its own keys and values.
//
// Tokens enter as embeddings (token plus position embedding: an embedding lookup is a row read per token,
// outside the array), 1 x T x D per sequence, `batch` sequences stacked: B x T x D.
#pragma once
#include <string>
#include <vector>

#include "sim/ir/model.hpp"
#include "sim/ir/network.hpp"

namespace deepchip::sim {

struct DecoderDims {
  int width = 0, layers = 0, heads = 0, mlp = 0, vocab = 0;
  int default_tokens = 0;  // the zoo network's sequence without a `sequence` section
};

// The decoding a point simulates (the config's `sequence` section): every sequence of the batch has the
// prompt; prefill runs it in one pass and yields the logits of the first new token; each decode step feeds
// one token per sequence (teacher-forced: the sequence's next token, so that timing and numerics do not hang
// on an argmax) and yields the next logits. The sequence is prompt_tokens + decode_tokens long.
struct Sequence {
  int prompt_tokens = 0;
  int decode_tokens = 0;
  int batch = 1;
  int total_tokens() const { return prompt_tokens + decode_tokens; }
};

// The zoo's decoders: gpt2 (GPT-2 small, 124 M parameters) and gpt2_tiny (a small decoder for tests).
std::vector<std::string> decoder_zoo_names();
bool is_decoder_name(const std::string& name);
DecoderDims decoder_dims(const std::string& name);

// The full forward pass of `batch` sequences of `tokens` tokens with a causal mask: input "input" (B x T x
// D), output "logits" (B x T x vocab).
Network decoder_network(const std::string& name, int batch, int tokens);

// The unrolled decoding of `sequence` from the compressed full forward pass over all its tokens
// (decoder_network with sequence.total_tokens()): layers "prefill/<layer>" and "decode<s>/<layer>" (s = 0 ..
// decode_tokens - 1) that share `full`'s parameters and scales (Layer::params_of), and per decoder layer the
// caches "<phase>/layer<i>.k_cache" and ".v_cache" (cache appends). Its inputs are the rows of full's input:
// "prefill/input" (B x P x D) and "decode<s>/input" (B x 1 x D, token P + s). Prefill's logits are its last
// token's ("prefill/logits", B x 1 x vocab); a step's "decode<s>/logits". Bit for bit, a phase's logits equal
// full's at its token's position (every operator is row-wise or masked; the scales are full's).
// (`full` by value: its parameters move into the unrolled model.)
QuantModel unroll_decoding(QuantModel full, const std::string& name, const Sequence& sequence);

// The elements of the KV cache tensors of every pass of the unrolled decoding (each pass's caches are tensors
// of their own: a step's keys and values of all tokens so far, every layer, every sequence); an executed run
// keeps them all, so a sequence whose total passes kMaxUnrolledCacheElements is refused.
int64_t unrolled_cache_elements(const std::string& name, const Sequence& sequence);
constexpr int64_t kMaxUnrolledCacheElements = int64_t{1} << 31;  // 8 GiB of int32 codes per tensor store

// The phase of an unrolled layer or tensor: -1 prefill, s decode step s; -2 for another name.
int decoding_phase(const std::string& layer_name);

}  // namespace deepchip::sim
