#include <algorithm>

#include "sim/onnx/importer.hpp"

namespace deepchip::sim {

namespace {

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string text;
  for (int64_t d : dims) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

// The strides of `dims` over the memory a view of (old dims, old strides) reads, if the reshape moves no
// data (numpy's rule: each group of old axes merged or split must be laid out contiguously); else empty.
std::vector<int64_t> reshaped_strides(const std::vector<int64_t>& old_dims,
                                      const std::vector<int64_t>& old_strides,
                                      const std::vector<int64_t>& dims) {
  std::vector<int64_t> od, os;
  for (size_t k = 0; k < old_dims.size(); ++k)
    if (old_dims[k] != 1) od.push_back(old_dims[k]), os.push_back(old_strides[k]);
  std::vector<int64_t> ns(dims.size(), 1);
  size_t oi = 0, ni = 0;
  while (ni < dims.size() && oi < od.size()) {
    size_t oj = oi + 1, nj = ni + 1;
    int64_t np = dims[ni], op = od[oi];
    while (np != op) {
      if (np < op) {
        if (nj == dims.size()) return {};
        np *= dims[nj++];
      } else {
        if (oj == od.size()) return {};
        op *= od[oj++];
      }
    }
    for (size_t k = oi; k + 1 < oj; ++k)
      if (os[k] != od[k + 1] * os[k + 1]) return {};
    ns[nj - 1] = os[oj - 1];
    for (size_t k = nj - 1; k > ni; --k) ns[k - 1] = ns[k] * dims[k];
    ni = nj;
    oi = oj;
  }
  return ns;  // trailing new axes of size 1 keep stride 1
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

// Reshape: a spatial tensor to 1 x features (torch's flatten and view(N, -1): the CHW order, read by a fully
// connected layer with permuted weights); 1 x F to 1 x F x 1 x 1; anything else as a view (no data moved),
// a channel shuffle (a view reshaped back to its source's N x C x H x W), or a gather and a view of it.
void OnnxImporter::reshape(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  const TensorInfo in = any_tensor(x, "Reshape input");
  const std::vector<int64_t> from = activation_dims(x);
  const std::vector<int64_t> dims = reshape_target(n, from);
  if (dims == from) {
    tensors_[n.output(0)] = in;
    return;
  }
  if (!in.is_view() && !in.flat && dims.size() == 2 && dims[0] == 1) return flatten(n);
  if (in.flat && dims.size() == 4 && dims[2] == 1 && dims[3] == 1 && in.nchw.height == 1 &&
      in.nchw.width == 1) {
    TensorInfo t = in;  // a flattened 1 x 1 map back to its spatial form: the same HWC data
    t.flat = false;
    tensors_[n.output(0)] = t;
    return;
  }
  if (in.flat && !(in.nchw.height == 1 && in.nchw.width == 1))
    fail(n, "reshaping " + dims_text(from) + " to " + dims_text(dims) + " is not supported");
  reshape_view(n, as_view(in, n), dims);
}

void OnnxImporter::reshape_view(const onnx::NodeProto& n, TensorInfo view, const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides = reshaped_strides(view.dims, view.strides, dims);
  if (strides.empty()) {
    if (channel_shuffle(n, view, dims)) return;
    view = contiguous(n, view);
    strides = reshaped_strides(view.dims, view.strides, dims);
  }
  view.dims = dims;
  view.strides = strides;
  store_view(n.output(0), view);
}

// A view reshaped back to 1 x C x H x W of its source's H and W: a channel permutation when every element
// (c, h, w) holds the source's (h, w, perm[c]); the identity permutation is no layer at all. False if the
// reshape is not of that kind.
bool OnnxImporter::channel_shuffle(const onnx::NodeProto& n, const TensorInfo& view,
                                   const std::vector<int64_t>& dims) {
  const Shape s = view.shape;  // the source's HWC shape
  if (dims.size() != 4 || dims[0] != 1 || dims[1] != s.channels || dims[2] != s.height ||
      dims[3] != s.width || view.dims.size() > 8)
    return false;
  // The memory index of every element of the view, row-major.
  std::vector<int64_t> source(static_cast<size_t>(s.elements())), index(view.dims.size(), 0);
  int64_t at = view.offset;
  for (auto& v : source) {
    v = at;
    for (size_t k = view.dims.size(); k-- > 0;) {
      at += view.strides[k];
      if (++index[k] < view.dims[k]) break;
      at -= view.strides[k] * view.dims[k];
      index[k] = 0;
    }
  }
  const int64_t plane = int64_t{s.height} * s.width;
  std::vector<int> order(static_cast<size_t>(s.channels));
  bool identity = true;
  for (int64_t c = 0; c < s.channels; ++c) {
    const int64_t from = source[static_cast<size_t>(c * plane)];
    if (from < 0 || from >= s.channels) return false;
    for (int64_t p = 0; p < plane; ++p)
      if (source[static_cast<size_t>(c * plane + p)] != p * s.channels + from) return false;
    order[static_cast<size_t>(c)] = static_cast<int>(from);
    identity = identity && from == c;
  }
  TensorInfo in = view;
  in.dims.clear();
  in.strides.clear();
  in.offset = 0;
  if (identity) {
    tensors_[n.output(0)] = in;
    return true;
  }
  Layer l;
  l.name = layer_name(n);
  l.kind = LayerKind::kShuffle;
  l.channel_order = std::move(order);
  add_layer(l, n.output(0), in);
  return true;
}

// Transpose: the view's axes permuted (no data moved).
void OnnxImporter::transpose(const onnx::NodeProto& n) {
  TensorInfo in = as_view(any_tensor(input(n, 0), "Transpose input"), n);
  const size_t rank = in.dims.size();
  std::vector<int64_t> perm;
  if (const auto* a = attr(n, "perm")) perm.assign(a->ints().begin(), a->ints().end());
  if (perm.empty())
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted.size() != rank || sorted[i] != static_cast<int64_t>(i))
      fail(n, "perm " + dims_text(perm) + " is not a permutation of the " + std::to_string(rank) + " axes");
  TensorInfo out = in;
  for (size_t k = 0; k < rank; ++k) {
    out.dims[k] = in.dims[static_cast<size_t>(perm[k])];
    out.strides[k] = in.strides[static_cast<size_t>(perm[k])];
  }
  store_view(n.output(0), out);
}

// Elements begin, begin + step, ... short of end along `axis` of a view (no data moved); begin and end as
// ONNX's Slice reads them (negative: from the end; clamped; a negative step walks backwards).
TensorInfo OnnxImporter::slice_view(const onnx::NodeProto& n, TensorInfo view, int64_t axis, int64_t begin,
                                    int64_t end, int64_t step) {
  const size_t a = static_cast<size_t>(axis);
  const int64_t d = view.dims[a];
  if (step == 0) fail(n, "a step of 0");
  auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
    return std::clamp<int64_t>(v < 0 ? v + d : v, lo, hi);
  };
  begin = step > 0 ? clamp(begin, 0, d) : clamp(begin, 0, d - 1);
  end = step > 0 ? clamp(end, 0, d) : clamp(end, -1, d - 1);
  if (end < -1) end = -1;
  const int64_t count = step > 0 ? (end - begin + step - 1) / step : (begin - end - step - 1) / -step;
  if (count < 1) fail(n, "an empty slice");
  view.offset += begin * view.strides[a];
  view.dims[a] = count;
  view.strides[a] *= step;
  return view;
}

// Gather with constant indices along an axis of an activation: one index removes the axis (x[:, 0]); evenly
// spaced indices are a strided view; anything else is not supported.
void OnnxImporter::gather(const onnx::NodeProto& n) {
  TensorInfo view = as_view(any_tensor(input(n, 0), "Gather input"), n);
  const onnx::TensorProto& idx = initializer(n, 1);
  const std::vector<int64_t> indices = ints(idx);
  const int64_t rank = static_cast<int64_t>(view.dims.size());
  int64_t axis = attr_int(n, "axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) fail(n, "axis out of range");
  const size_t a = static_cast<size_t>(axis);
  const int64_t d = view.dims[a];
  std::vector<int64_t> at;
  for (int64_t i : indices) {
    if (i < -d || i >= d) fail(n, "index " + std::to_string(i) + " out of range");
    at.push_back(i < 0 ? i + d : i);
  }
  if (at.empty() || idx.dims_size() > 1) fail(n, "indices must be a single value or 1-D");
  const int64_t step = at.size() > 1 ? at[1] - at[0] : 1;
  for (size_t i = 1; i < at.size(); ++i)
    if (at[i] - at[i - 1] != step || step == 0) fail(n, "only evenly spaced indices are supported");
  view.offset += at[0] * view.strides[a];
  if (idx.dims_size() == 0) {
    view.dims.erase(view.dims.begin() + axis);
    view.strides.erase(view.strides.begin() + axis);
    if (view.dims.empty()) view.dims = {1}, view.strides = {1};
  } else {
    view.dims[a] = static_cast<int64_t>(at.size());
    view.strides[a] *= step;
  }
  store_view(n.output(0), view);
}

// Squeeze and Unsqueeze of an activation: axes of size 1 removed or inserted (no data moved).
void OnnxImporter::squeeze(const onnx::NodeProto& n) {
  TensorInfo view = as_view(any_tensor(input(n, 0), n.op_type() + " input"), n);
  std::vector<int64_t> axes;
  if (has_input(n, 1)) {
    axes = ints(initializer(n, 1));
  } else if (const auto* a = attr(n, "axes")) {
    axes.assign(a->ints().begin(), a->ints().end());
  }
  const bool insert = n.op_type() == "Unsqueeze";
  const int64_t rank = static_cast<int64_t>(view.dims.size() + (insert ? axes.size() : 0));
  for (auto& a : axes) {
    if (a < -rank || a >= rank) fail(n, "axis " + std::to_string(a) + " out of range");
    if (a < 0) a += rank;
  }
  std::vector<int64_t> dims, strides;
  for (int64_t i = 0, next = 0; i < rank; ++i) {
    const bool listed = std::find(axes.begin(), axes.end(), i) != axes.end();
    if (insert && listed) {
      dims.push_back(1), strides.push_back(0);
      continue;
    }
    const size_t k = static_cast<size_t>(next++);
    if (!insert && (listed || axes.empty()) && view.dims[k] == 1) continue;
    if (!insert && listed) fail(n, "squeezing an axis of size " + std::to_string(view.dims[k]));
    dims.push_back(view.dims[k]), strides.push_back(view.strides[k]);
  }
  if (dims.empty()) dims = {1}, strides = {1};
  view.dims = dims;
  view.strides = strides;
  store_view(n.output(0), view);
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

// Slice: of a spatial tensor with step 1 along the channels only (torch's chunk), a slice layer; of a view,
// or along other axes, a view.
void OnnxImporter::slice(const onnx::NodeProto& n) {
  const TensorInfo& any = any_tensor(input(n, 0), "Slice input");
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
  bool channels_only = !any.is_view();
  for (size_t i = 0; i < axes.size(); ++i) {
    const int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank) fail(n, "axis " + std::to_string(axes[i]) + " out of range");
    axes[i] = axis;
    channels_only =
        channels_only && (axis == 1 || (starts[i] == 0 && ends[i] >= dims[static_cast<size_t>(axis)]));
    channels_only = channels_only && steps[i] == 1;
  }
  if (!channels_only) {
    TensorInfo view = as_view(any, n);
    for (size_t i = 0; i < axes.size(); ++i)
      view = slice_view(n, view, axes[i], starts[i], ends[i], steps[i]);
    return store_view(n.output(0), view);
  }
  const TensorInfo in = activation(n, 0, "Slice input");
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

// The sizes of a Split of `extent` elements: an input (opset 13), an attribute (before) or equal parts.
std::vector<int64_t> OnnxImporter::split_sizes(const onnx::NodeProto& n, int64_t extent,
                                               const std::string& unit) const {
  std::vector<int64_t> sizes;
  if (has_input(n, 1)) {
    sizes = ints(initializer(n, 1));
  } else if (const auto* a = attr(n, "split")) {
    sizes.assign(a->ints().begin(), a->ints().end());
  } else {
    const int64_t parts = n.output_size();
    if (extent % parts != 0)
      fail(n, std::to_string(parts) + " equal parts do not divide " + std::to_string(extent) + unit);
    sizes.assign(static_cast<size_t>(parts), extent / parts);
  }
  if (static_cast<int>(sizes.size()) != n.output_size())
    fail(n,
         std::to_string(sizes.size()) + " split sizes for " + std::to_string(n.output_size()) + " outputs");
  return sizes;
}

// Split into the given sizes (an input from opset 13, an attribute before) or equal parts: of a spatial
// tensor along the channels (slice layers), of a view along any axis (views).
void OnnxImporter::split(const onnx::NodeProto& n) {
  if (any_tensor(input(n, 0), "Split input").is_view()) return split_view(n);
  const TensorInfo in = activation(n, 0, "Split input");
  const int64_t rank = in.flat ? 2 : 4, axis = attr_int(n, "axis", 0);
  if (axis != 1 && axis != 1 - rank)
    fail(n, "only the channel axis (1) is split, got " + std::to_string(axis));
  const std::vector<int64_t> sizes = split_sizes(n, in.shape.channels, " channels");
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

void OnnxImporter::split_view(const onnx::NodeProto& n) {
  const TensorInfo view = any_tensor(input(n, 0), "Split input");
  const int64_t rank = static_cast<int64_t>(view.dims.size());
  int64_t axis = attr_int(n, "axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) fail(n, "axis out of range");
  const int64_t d = view.dims[static_cast<size_t>(axis)];
  const std::vector<int64_t> sizes = split_sizes(n, d, "");
  int64_t begin = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 1 || begin + sizes[i] > d)
      fail(n, "split sizes " + dims_text(sizes) + " do not fit " + std::to_string(d));
    if (!n.output(static_cast<int>(i)).empty())
      store_view(n.output(static_cast<int>(i)), slice_view(n, view, axis, begin, begin + sizes[i], 1));
    begin += sizes[i];
  }
  if (begin != d) fail(n, "split sizes " + dims_text(sizes) + " do not add up to " + std::to_string(d));
}

// Flatten of a view (axis: the first axis of the second dim); of a spatial tensor (axis 1), the CHW order a
// fully connected layer reads with permuted weights.
void OnnxImporter::flatten(const onnx::NodeProto& n) {
  const std::string& x = input(n, 0);
  if (n.op_type() == "Flatten" && any_tensor(x, "Flatten input").is_view()) {
    const TensorInfo view = any_tensor(x, "Flatten input");
    const int64_t rank = static_cast<int64_t>(view.dims.size());
    int64_t axis = attr_int(n, "axis", 1);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis > rank) fail(n, "axis out of range");
    int64_t outer = 1, inner = 1;
    for (int64_t k = 0; k < rank; ++k) (k < axis ? outer : inner) *= view.dims[static_cast<size_t>(k)];
    return reshape_view(n, view, {outer, inner});
  }
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
