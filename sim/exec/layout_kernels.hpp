// The data movement of pad, slice, shuffle, gather and concat layers, one template for the float executor and
// the integer kernels (sim/exec/vector_kernels.cpp): only the element type and, for concat, a per-input
// conversion (the integer path's requantization) differ.
#pragma once
#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "sim/ir/network.hpp"
#include "sim/ir/tensor.hpp"

namespace deepchip::sim {

// `in` placed at (pad_top, pad_left) of an out_shape tensor filled with `value`.
template <typename T>
Tensor<T> pad_tensor(const Tensor<T>& in, const Layer& l, T value) {
  Tensor<T> out(l.out_shape);
  std::fill(out.data.begin(), out.data.end(), value);
  for (int y = 0; y < in.shape.height; ++y)
    for (int x = 0; x < in.shape.width; ++x)
      for (int c = 0; c < in.shape.channels; ++c) out.at(y + l.pad_top, x + l.pad_left, c) = in.at(y, x, c);
  return out;
}

// A slice layer's channels [slice_begin, slice_begin + out_channels), or a shuffle layer's channel_order.
template <typename T>
Tensor<T> gather_channels(const Tensor<T>& in, const Layer& l) {
  Tensor<T> out(l.out_shape);
  const size_t pixels = static_cast<size_t>(in.shape.height) * in.shape.width;
  const size_t c = static_cast<size_t>(in.shape.channels), oc = static_cast<size_t>(l.out_shape.channels);
  for (size_t ch = 0; ch < oc; ++ch) {
    const size_t from = static_cast<size_t>(
        l.kind == LayerKind::kShuffle ? l.channel_order[ch] : l.slice_begin + static_cast<int>(ch));
    for (size_t p = 0; p < pixels; ++p) out.data[p * oc + ch] = in.data[p * c + from];
  }
  return out;
}

// The inputs one after another along concat_axis; element v of input k becomes convert(k, v). Memory is
// HWC: each input contributes, per height row (axis 1) or per pixel (axis 2), one block of its elements.
template <typename T, typename Convert>
Tensor<T> concat_channels(const Layer& l, const std::map<std::string, Tensor<T>>& tensors,
                          Convert&& convert) {
  Tensor<T> out(l.out_shape);
  const Shape& o = l.out_shape;
  const size_t outer = l.concat_axis == 0   ? 1
                       : l.concat_axis == 1 ? static_cast<size_t>(o.height)
                                            : static_cast<size_t>(o.height) * o.width;
  size_t at = 0;
  for (size_t r = 0; r < outer; ++r)
    for (size_t k = 0; k < l.inputs.size(); ++k) {
      const Tensor<T>& in = tensors.at(l.inputs[k]);
      const size_t block = in.data.size() / outer;
      for (size_t i = 0; i < block; ++i) out.data[at++] = convert(k, in.data[r * block + i]);
    }
  return out;
}

// A gather layer: output element i (row-major over gather_dims) is input element gather_offset +
// sum idx_k * gather_strides_k.
template <typename T>
Tensor<T> gather_strided(const Tensor<T>& in, const Layer& l) {
  Tensor<T> out(l.out_shape);
  const size_t rank = l.gather_dims.size();
  std::vector<int64_t> index(rank, 0);
  int64_t at = l.gather_offset;
  for (auto& v : out.data) {
    v = in.data[static_cast<size_t>(at)];
    for (size_t k = rank; k-- > 0;) {  // the next index, row-major: the last axis fastest
      at += l.gather_strides[k];
      if (++index[k] < l.gather_dims[k]) break;
      at -= l.gather_strides[k] * l.gather_dims[k];
      index[k] = 0;
    }
  }
  return out;
}

}  // namespace deepchip::sim
