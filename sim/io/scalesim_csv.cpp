// SCALE-Sim topology readers. Semantics follow scale-sim-v2's topology_utils exactly:
// - the first line is a header and is skipped, blank lines are skipped;
// - fields are comma separated; the trailing comma is optional here (SCALE-Sim drops the last field);
// - output size is ceil((H - R + S) / S): the IFMAP sizes are already padded, and where (H - R) is not a
//   multiple of S the last window reaches past the input; we read those positions as zeros (bottom/right
//   pad);
// - a layer whose name contains "DP" is depthwise: SCALE-Sim splits it into `Channels` layers of one channel
//   and `Num filter` filters each, which is a grouped conv with groups = Channels and Channels*Num filter
//   output channels;
// - the GEMM form "Layer, M, N, K" multiplies an M x K input matrix by a K x N weight matrix. SCALE-Sim
//   writes it as the conv IFMAP MxK, filter 1xK, 1 channel, N filters; its operand matrices are those of a
//   1x1 conv over M pixels of K channels, which is how it is read here: the input lives in DRAM and the
//   buffers as the M x K matrix (row-major, as SCALE-Sim addresses it) and every fold reads only its K rows;
// - a GEMM file is recognized by its header (Layer, M, N, K), as SCALE-Sim's users write it.
#include "sim/io/scalesim_csv.hpp"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/limits.hpp"

namespace deepchip::sim {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_row(const std::string& row) {
  std::vector<std::string> fields;
  std::stringstream ss(row);
  std::string f;
  while (std::getline(ss, f, ',')) fields.push_back(trim(f));
  if (!row.empty() && row.back() == ',') fields.push_back("");
  if (!fields.empty() && fields.back().empty()) fields.pop_back();  // the trailing comma
  return fields;
}

int parse_positive(const std::string& field, const std::string& where, const char* column) {
  try {
    size_t used = 0;
    const long v = std::stol(field, &used);
    if (used != field.size()) throw std::invalid_argument("trailing text");
    if (v < 1 || v > (1L << 24)) throw std::out_of_range("range");
    return static_cast<int>(v);
  } catch (const std::exception&) {
    throw InputError(where + ": column '" + column + "' must be an integer in 1..16777216, got '" + field +
                     "'");
  }
}

template <typename RowFn>
Network parse_rows(const std::string& text, const std::string& origin, RowFn&& row_fn) {
  Network net;
  net.name = origin;
  std::stringstream in(text);
  std::string line;
  int line_no = 0;
  bool header_seen = false;
  std::set<std::string> names;
  while (std::getline(in, line)) {
    ++line_no;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    if (trim(line).empty()) continue;
    const std::string where = origin + ":" + std::to_string(line_no);
    for (Layer& layer : row_fn(split_row(trim(line)), where)) {
      if (layer.in_shape.elements() > kMaxTensorElements)
        throw InputError(where + ": IFMAP " + layer.in_shape.str() + " has more than 2^28 elements");
      if (!is_valid_utf8(layer.name)) throw InputError(where + ": the layer name is not valid UTF-8");
      if (net.layers.size() >= static_cast<size_t>(kMaxLayers))
        throw InputError(where + ": more than " + std::to_string(kMaxLayers) + " layers");
      if (!names.insert(layer.name).second)
        throw InputError(where + ": duplicate layer name '" + layer.name + "'");
      net.inputs.push_back({layer.name + "_ifmap", layer.in_shape});
      layer.inputs = {layer.name + "_ifmap"};
      net.layers.push_back(std::move(layer));
    }
  }
  if (net.layers.empty()) throw InputError(origin + ": no layers (a header line, then one layer per line)");
  net.finalize(origin);
  return net;
}

// Zero padding at the bottom/right so that our floor-based window arithmetic yields SCALE-Sim's ceil size.
int scalesim_tail_pad(int in, int kernel, int stride) {
  const int out = (in - kernel + stride + stride - 1) / stride;  // ceil((in - kernel + stride) / stride)
  return (out - 1) * stride + kernel - in;
}

std::string read_file(const std::string& path) {
  return read_input_file(path, "topology file", kMaxTopologyBytes);
}

}  // namespace

Network parse_scalesim_csv(const std::string& text, const std::string& origin,
                           ScaleSimDepthwise depthwise_form) {
  return parse_rows(text, origin, [&](const std::vector<std::string>& f, const std::string& where) {
    if (f.size() != 8 && f.size() != 9)
      throw InputError(where + ": expected 8 or 9 fields (name, IFMAP height, IFMAP width, filter height, " +
                       "filter width, channels, num filter, stride[, stride width]), got " +
                       std::to_string(f.size()) +
                       (f.size() == 4 ? " (a GEMM topology starts with the header 'Layer, M, N, K')" : ""));
    Layer l;
    l.name = f[0];
    if (l.name.empty()) throw InputError(where + ": empty layer name");
    const int h = parse_positive(f[1], where, "IFMAP height");
    const int w = parse_positive(f[2], where, "IFMAP width");
    l.kernel_h = parse_positive(f[3], where, "Filter height");
    l.kernel_w = parse_positive(f[4], where, "Filter width");
    const int channels = parse_positive(f[5], where, "Channels");
    const int filters = parse_positive(f[6], where, "Num filter");
    l.stride_h = parse_positive(f[7], where, "Strides");
    l.stride_w = f.size() == 9 ? parse_positive(f[8], where, "Stride width") : l.stride_h;
    if (l.kernel_h > h || l.kernel_w > w)
      throw InputError(where + ": filter " + f[3] + "x" + f[4] + " larger than IFMAP " + f[1] + "x" + f[2]);
    l.kind = LayerKind::kConv;
    l.in_shape = Shape{h, w, channels};
    const bool depthwise = l.name.find("DP") != std::string::npos;
    l.groups = depthwise ? channels : 1;
    const int64_t out_channels = depthwise ? int64_t{channels} * filters : filters;
    if (out_channels > (int64_t{1} << 24))
      throw InputError(where + ": " + std::to_string(out_channels) + " output channels, more than 2^24");
    l.out_channels = static_cast<int>(out_channels);
    l.pad_bottom = scalesim_tail_pad(h, l.kernel_h, l.stride_h);
    l.pad_right = scalesim_tail_pad(w, l.kernel_w, l.stride_w);
    if (!depthwise || depthwise_form == ScaleSimDepthwise::kGrouped) return std::vector<Layer>{l};
    // SCALE-Sim's own form: one layer of one channel and `Num filter` filters per channel, named
    // <name>Channel_<i>, each on its own IFMAP.
    std::vector<Layer> split;
    for (int c = 0; c < channels; ++c) {
      Layer one = l;
      one.name = l.name + "Channel_" + std::to_string(c);
      one.in_shape.channels = 1;
      one.groups = 1;
      one.out_channels = filters;
      split.push_back(std::move(one));
    }
    return split;
  });
}

Network parse_scalesim_gemm_csv(const std::string& text, const std::string& origin) {
  return parse_rows(text, origin, [](const std::vector<std::string>& f, const std::string& where) {
    if (f.size() != 4)
      throw InputError(where + ": expected 4 fields (layer, M, N, K), got " + std::to_string(f.size()));
    Layer l;
    l.name = f[0];
    if (l.name.empty()) throw InputError(where + ": empty layer name");
    const int m = parse_positive(f[1], where, "M");
    const int n = parse_positive(f[2], where, "N");
    const int k = parse_positive(f[3], where, "K");
    l.kind = LayerKind::kConv;
    l.in_shape = Shape{m, 1, k};  // M pixels of K channels: the M x K matrix, row-major
    l.out_channels = n;
    return std::vector<Layer>{l};
  });
}

bool is_scalesim_gemm_header(const std::string& text) {
  const std::string first_line = text.substr(0, text.find('\n'));
  const std::vector<std::string> f = split_row(trim(first_line));
  auto is = [&](size_t i, char name) { return f[i].size() == 1 && std::toupper(f[i][0]) == name; };
  return f.size() == 4 && is(1, 'M') && is(2, 'N') && is(3, 'K');
}

Network load_scalesim_topology(const std::string& path) {
  const std::string text = read_file(path);
  return is_scalesim_gemm_header(text) ? parse_scalesim_gemm_csv(text, path) : parse_scalesim_csv(text, path);
}

Network load_scalesim_csv(const std::string& path, ScaleSimDepthwise depthwise_form) {
  return parse_scalesim_csv(read_file(path), path, depthwise_form);
}
Network load_scalesim_gemm_csv(const std::string& path) {
  return parse_scalesim_gemm_csv(read_file(path), path);
}

}  // namespace deepchip::sim
