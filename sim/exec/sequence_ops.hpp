// The integer semantics of the transformer operators (sim/README.md "Integer semantics"): a matmul of two
// activations, softmax and layer normalization in integer-only arithmetic (I-BERT's scheme, Kim et al., ICML
// 2021: integer mean and variance, an integer square root by Newton iteration, one division per row; the
// exponential from a table, which is exact for b-bit input codes: 2^b entries cover every difference to the
// row maximum). GELU is a lookup layer (sim/ir/network.hpp Function::kGelu), exact by the same argument.
#pragma once
#include <cstdint>

#include "sim/compress/quantize.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

// Quantization (sim/compress/quantize.cpp calls these).
// y = clamp(requant(sum a * b, s_a * s_b / s_out)); the output signed when calibration saw a negative value.
QuantLayer quantize_matmul(const Layer& l, const TensorQuant& a, const TensorQuant& b, int bits,
                           const TensorRange& range);
// Unsigned output of scale 1 / qmax (code qmax is probability 1); the table of e^(-k * s_in).
QuantLayer quantize_softmax(const TensorQuant& in, int bits);
// gamma and beta in output units (16 fractional bits), epsilon in the units of the integer variance.
QuantLayer quantize_layer_norm(const Layer& l, const FloatParams& p, const TensorQuant& in, int bits,
                               const TensorRange& range);

// Integer kernels (the golden executor, the vector unit and the ARM cores run these).
// With `causal`, each row over the keys it sees (sim/ir/network.hpp softmax_visible_keys); the others are 0.
IntTensor int_softmax(const IntTensor& in, const QuantLayer& q, bool causal = false);
IntTensor int_layer_norm(const IntTensor& in, const QuantLayer& q);
// floor(sqrt(n)) by Newton iteration (exact for every n >= 0).
unsigned __int128 integer_sqrt(unsigned __int128 n);

constexpr int kSoftmaxExpBits = 15;      // fractional bits of the exponential table
constexpr int kNormFractionBits = 16;    // fractional bits of gamma and beta in output units
constexpr int kNormReciprocalBits = 31;  // 1 / sigma as floor(2^31 / sigma_int), once per row

}  // namespace deepchip::sim
