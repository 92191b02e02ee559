#include <algorithm>

#include "sim/onnx_importer.hpp"

namespace deepchip::sim {

namespace {

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string text;
  for (int64_t d : dims) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

}  // namespace

// The target shape of a Reshape, read as ONNX reads it: 0 copies the input's dimension (allowzero=0), one
// -1 takes the rest, and the element count must be kept.
std::vector<int64_t> OnnxImporter::reshape_target(const onnx::NodeProto& n,
                                                  const std::vector<int64_t>& from) const {
  const std::vector<int64_t> target = ints(initializer(n, 1));
  if (attr_int(n, "allowzero", 0) != 0) fail(n, "allowzero=1 is not supported");
  int64_t total = 1;
  for (int64_t d : from) total *= d;
  const std::string text = dims_text(target);
  if (target.empty() || target.size() > 8) fail(n, "shape " + text + ": rank 1..8");
  std::vector<int64_t> dims;
  int64_t known = 1;
  int unknown = 0;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == 0) {
      if (i >= from.size()) fail(n, "shape " + text + ": a 0 beyond the input's rank");
      d = from[i];
    }
    if (d < -1) fail(n, "shape " + text + ": dimensions must be >= -1");
    if (d == -1)
      ++unknown;
    else
      known *= std::max<int64_t>(d, 1);
    if (known > total && d != -1) fail(n, "cannot reshape " + std::to_string(total) + " values to " + text);
    dims.push_back(d);
  }
  if (unknown > 1) fail(n, "shape " + text + ": at most one -1");
  if (unknown == 1 && (known == 0 || total % known != 0))
    fail(n, "cannot reshape " + std::to_string(total) + " values to " + text + " (" + std::to_string(known) +
                " does not divide " + std::to_string(total) + ")");
  if (unknown == 0 && known != total)
    fail(n, "cannot reshape " + std::to_string(total) + " values to " + text);
  for (auto& d : dims)
    if (d == -1) d = total / known;
  return dims;
}

// Reshape: to 1 x features (torch's flatten and view(N, -1)); to the same dims (nothing); 1 x F to
// 1 x F x 1 x 1; any other shape of a spatial tensor starts a view that Transpose may permute and a Reshape
// back to N x C x H x W must end (a channel shuffle).
void OnnxImporter::reshape(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  const TensorInfo in = any_tensor(x, "Reshape input");
  const std::vector<int64_t> from = activation_dims(x);
  const std::vector<int64_t> dims = reshape_target(n, from);
  if (in.is_view()) return end_view(n, in, dims);
  if (dims.size() == 2 && dims[0] == 1) return flatten(n);
  if (dims == from) {
    tensors_[n.output(0)] = in;
    return;
  }
  if (in.flat && dims.size() == 4 && dims[2] == 1 && dims[3] == 1 && in.nchw.height == 1 &&
      in.nchw.width == 1) {
    TensorInfo t = in;  // a flattened 1 x 1 map back to its spatial form: the same HWC data
    t.flat = false;
    tensors_[n.output(0)] = t;
    return;
  }
  if (in.flat || dims[0] != 1)
    fail(n, "reshaping " + dims_text(from) + " to " + dims_text(dims) + " is not supported");
  TensorInfo view = in;
  view.view_dims = dims;
  view.view_source.resize(static_cast<size_t>(in.shape.elements()));
  for (size_t i = 0; i < view.view_source.size(); ++i) view.view_source[i] = static_cast<int64_t>(i);
  tensors_[n.output(0)] = view;
}

// A view reshaped back to 1 x C x H x W of its source's H and W: a channel permutation when every element
// (c, h, w) holds the source's (perm[c], h, w); the identity permutation is no layer at all.
void OnnxImporter::end_view(const onnx::NodeProto& n, const TensorInfo& view,
                            const std::vector<int64_t>& dims) {
  const Shape s = view.shape;  // the source's HWC shape
  if (dims.size() != 4 || dims[1] != s.channels || dims[2] != s.height || dims[3] != s.width)
    fail(n, "a reshaped view must return to its source's 1 x C x H x W (" + dims_text(dims) + ")");
  const int64_t plane = int64_t{s.height} * s.width;
  std::vector<int> order(static_cast<size_t>(s.channels));
  bool identity = true;
  for (int64_t c = 0; c < s.channels; ++c) {
    const int64_t src = view.view_source[static_cast<size_t>(c * plane)];
    for (int64_t p = 0; p < plane; ++p)
      if (view.view_source[static_cast<size_t>(c * plane + p)] != src + p || src % plane != 0)
        fail(n,
             "the transposed view is not a permutation of whole channels (only channel shuffles are "
             "supported)");
    order[static_cast<size_t>(c)] = static_cast<int>(src / plane);
    identity = identity && order[static_cast<size_t>(c)] == c;
  }
  TensorInfo in = view;
  in.view_dims.clear();
  in.view_source.clear();
  if (identity) {
    tensors_[n.output(0)] = in;
    return;
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kShuffle;
  l.channel_order = std::move(order);
  add_layer(l, n.output(0), in);
}

// Transpose of a view (or of a spatial tensor, which becomes a view): the elements' sources are permuted.
void OnnxImporter::transpose(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  TensorInfo in = any_tensor(x, "Transpose input");
  if (in.flat) fail(n, "transposing a flattened tensor is not supported");
  if (!in.is_view()) {
    in.view_dims = {1, in.shape.channels, in.shape.height, in.shape.width};
    in.view_source.resize(static_cast<size_t>(in.shape.elements()));
    for (size_t i = 0; i < in.view_source.size(); ++i) in.view_source[i] = static_cast<int64_t>(i);
  }
  const size_t rank = in.view_dims.size();
  std::vector<int64_t> perm;
  if (const auto* a = attr(n, "perm")) perm.assign(a->ints().begin(), a->ints().end());
  if (perm.empty())
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted.size() != rank || sorted[i] != static_cast<int64_t>(i))
      fail(n, "perm " + dims_text(perm) + " is not a permutation of the " + std::to_string(rank) + " axes");
  // Row-major strides of the input; the output's element at index (o_0..o_r) reads input index i with
  // i[perm[k]] = o_k.
  std::vector<int64_t> stride(rank, 1), out_dims(rank);
  for (size_t k = rank - 1; k > 0; --k) stride[k - 1] = stride[k] * in.view_dims[k];
  for (size_t k = 0; k < rank; ++k) out_dims[k] = in.view_dims[static_cast<size_t>(perm[k])];
  std::vector<int64_t> source(in.view_source.size()), index(rank, 0);
  for (size_t o = 0; o < source.size(); ++o) {
    int64_t i = 0;
    for (size_t k = 0; k < rank; ++k) i += index[k] * stride[static_cast<size_t>(perm[k])];
    source[o] = in.view_source[static_cast<size_t>(i)];
    for (size_t k = rank; k-- > 0;) {  // next output index, row-major
      if (++index[k] < out_dims[k]) break;
      index[k] = 0;
    }
  }
  in.view_dims = out_dims;
  in.view_source = std::move(source);
  tensors_[n.output(0)] = in;
}

// Channels [begin, begin + count) of a spatial tensor (or of a flattened 1 x 1 map) as a slice layer; all
// of them is no layer at all.
void OnnxImporter::channel_slice(const onnx::NodeProto& n, const std::string& out, const TensorInfo& in,
                                 int64_t begin, int64_t count) {
  if (in.flat && !(in.nchw.height == 1 && in.nchw.width == 1))
    fail(n, "slicing a flattened tensor of a map larger than 1 x 1");
  if (count < 1) fail(n, "an empty slice (" + std::to_string(count) + " channels)");
  if (begin == 0 && count == in.shape.channels) {
    tensors_[out] = in;
    return;
  }
  Layer l;
  l.name = unique_name(out);
  l.kind = LayerKind::kSlice;
  l.slice_begin = static_cast<int>(begin);
  l.out_channels = static_cast<int>(count);
  add_layer(l, out, in);
  tensors_[out].flat = in.flat;
  tensors_[out].nchw = Shape{1, 1, static_cast<int>(count)};
}

// Slice with step 1 along the channel axis (other axes only in full), as torch's chunk exports it.
void OnnxImporter::slice(const onnx::NodeProto& n) {
  const TensorInfo in = activation(n, 0, "Slice input");
  const std::vector<int64_t> dims = activation_dims(input(n, 0));
  const int64_t rank = static_cast<int64_t>(dims.size());
  std::vector<int64_t> starts, ends, axes, steps;
  if (has_input(n, 1)) {  // opset 10 and later
    starts = ints(initializer(n, 1));
    ends = ints(initializer(n, 2));
    if (has_input(n, 3)) axes = ints(initializer(n, 3));
    if (has_input(n, 4)) steps = ints(initializer(n, 4));
  } else {
    for (const auto& [name, v] :
         {std::pair<const char*, std::vector<int64_t>*>{"starts", &starts}, {"ends", &ends}, {"axes", &axes}})
      if (const auto* a = attr(n, name)) v->assign(a->ints().begin(), a->ints().end());
  }
  if (axes.empty())
    for (int64_t i = 0; i < static_cast<int64_t>(starts.size()); ++i) axes.push_back(i);
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail(n, "starts, ends, axes and steps must have the same length");
  int64_t begin = 0, count = dims[1];
  for (size_t i = 0; i < axes.size(); ++i) {
    const int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank) fail(n, "axis " + std::to_string(axes[i]) + " out of range");
    if (steps[i] != 1) fail(n, "only step 1 is supported");
    const int64_t d = dims[static_cast<size_t>(axis)];
    auto clamp = [d](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + d : v, 0, d); };
    const int64_t b = clamp(starts[i]), e = clamp(ends[i]);
    if (axis == 1) {
      begin = b;
      count = e - b;
    } else if (b != 0 || e != d) {
      fail(n, "only the channel axis (1) is sliced (axis " + std::to_string(axis) + " is not taken whole)");
    }
  }
  channel_slice(n, n.output(0), in, begin, count);
}

// Split along the channel axis into the given sizes (an input from opset 13, an attribute before) or
// equal parts.
void OnnxImporter::split(const onnx::NodeProto& n) {
  const TensorInfo in = activation(n, 0, "Split input");
  const int64_t rank = in.flat ? 2 : 4, axis = attr_int(n, "axis", 0);
  if (axis != 1 && axis != 1 - rank)
    fail(n, "only the channel axis (1) is split, got " + std::to_string(axis));
  std::vector<int64_t> sizes;
  if (has_input(n, 1)) {
    sizes = ints(initializer(n, 1));
  } else if (const auto* a = attr(n, "split")) {
    sizes.assign(a->ints().begin(), a->ints().end());
  } else {
    const int64_t parts = n.output_size();
    if (in.shape.channels % parts != 0)
      fail(n, std::to_string(parts) + " equal parts do not divide " + std::to_string(in.shape.channels) +
                  " channels");
    sizes.assign(static_cast<size_t>(parts), in.shape.channels / parts);
  }
  if (static_cast<int>(sizes.size()) != n.output_size())
    fail(n,
         std::to_string(sizes.size()) + " split sizes for " + std::to_string(n.output_size()) + " outputs");
  int64_t begin = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 1 || begin + sizes[i] > in.shape.channels)
      fail(n, "split sizes " + dims_text(sizes) + " do not fit " + std::to_string(in.shape.channels) +
                  " channels");
    if (!n.output(static_cast<int>(i)).empty())
      channel_slice(n, n.output(static_cast<int>(i)), in, begin, sizes[i]);
    begin += sizes[i];
  }
  if (begin != in.shape.channels)
    fail(n, "split sizes " + dims_text(sizes) + " do not add up to " + std::to_string(in.shape.channels) +
                " channels");
}

void OnnxImporter::flatten(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  const TensorInfo in = tensor(x, n.op_type() + " input");
  if (n.op_type() == "Flatten" && attr_int(n, "axis", 1) != 1) fail(n, "only axis=1 is supported");
  TensorInfo t = in;
  if (!in.flat) {
    t.flat = true;
    t.nchw = Shape{in.shape.height, in.shape.width, in.shape.channels};
  }
  tensors_[n.output(0)] = t;
  const auto it = producer_.find(x);
  if (it != producer_.end()) producer_[n.output(0)] = it->second;
  ++consumers_[x];  // the flattened view is a second use of the producer's output
}

}  // namespace deepchip::sim
