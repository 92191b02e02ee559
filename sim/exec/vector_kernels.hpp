// The integer kernels of the vector layers, every layer but conv and FC (sim/README.md "Integer semantics").
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

// The output of a vector layer (any kind but conv and FC) from the tensors it reads.
IntTensor run_vector_layer(const Layer& layer, const QuantLayer& q,
                           const std::map<std::string, IntTensor>& tensors);
// Max over the window positions inside the input (padding never wins).
IntTensor int_maxpool(const IntTensor& in, const Layer& layer);
// Mean over the window positions inside the input, rounded half up.
IntTensor int_avgpool(const IntTensor& in, const Layer& layer);
// max(v, 0), and at most `upper` (a relu layer's output qmax: a ReLU6's clip, or the input's own qmax).
IntTensor int_relu(const IntTensor& in, int32_t upper);
// y = clamp((a * ma + b * mb + 2^(s-1)) >> s), one rounding for the sum; b broadcast.
IntTensor int_add(const IntTensor& a, const IntTensor& b, const QuantLayer& q);
// y = clamp(requant(a * b)), the product exact in int64; b broadcast.
IntTensor int_mul(const IntTensor& a, const IntTensor& b, const QuantLayer& q);
// The element of a broadcast operand (same shape, 1x1xC or 1x1x1) that HWC element i of the output reads.
size_t broadcast_index(size_t i, const Shape& b);

}  // namespace deepchip::sim
