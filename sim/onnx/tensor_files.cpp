// ONNX TensorProto files (the inputs and outputs of `dse infer`) and running an imported model on them.
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "sim/compress/quantize.hpp"
#include "sim/exec/float_executor.hpp"
#include "sim/exec/golden.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/json_input.hpp"
#include "sim/io/limits.hpp"
#include "sim/io/output_file.hpp"
#include "sim/onnx/import.hpp"

namespace deepchip::sim {

OnnxTensor parse_onnx_tensor(const std::string& bytes, const std::string& origin) {
  onnx::TensorProto t;
  if (!t.ParseFromString(bytes)) throw InputError(origin + ": not an ONNX TensorProto");
  if (t.data_type() != onnx::TensorProto::FLOAT) throw InputError(origin + ": tensor is not float32");
  OnnxTensor out;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    constexpr int64_t kMaxValues = kMaxTensorFileBytes / 4;
    if (d < 1 || d > kMaxValues)
      throw InputError(origin + ": dim " + std::to_string(out.dims.size()) + " is " + std::to_string(d) +
                       ", dims must be in 1.." + std::to_string(kMaxValues));
    if (count * d > kMaxValues)
      throw InputError(origin + ": its dims hold more than " + std::to_string(kMaxValues) + " values");
    count *= d;
    out.dims.push_back(d);
  }
  if (out.dims.empty()) throw InputError(origin + ": the tensor has no dims");
  const auto n = static_cast<size_t>(count);
  if (!t.raw_data().empty() && t.float_data_size() > 0)
    throw InputError(origin + ": the tensor holds both raw_data and float_data");
  if (!t.raw_data().empty()) {
    if (t.raw_data().size() != n * sizeof(float))
      throw InputError(origin + ": " + std::to_string(t.raw_data().size()) +
                       " bytes of data, its dims need " + std::to_string(n * sizeof(float)));
    out.values.resize(n);
    std::memcpy(out.values.data(), t.raw_data().data(), n * sizeof(float));
  } else {
    if (static_cast<size_t>(t.float_data_size()) != n)
      throw InputError(origin + ": " + std::to_string(t.float_data_size()) + " values, its dims need " +
                       std::to_string(n));
    out.values.assign(t.float_data().begin(), t.float_data().end());
  }
  for (float v : out.values)
    if (!std::isfinite(v)) throw InputError(origin + ": the tensor holds a NaN or infinity");
  return out;
}

OnnxTensor load_onnx_tensor(const std::string& path) {
  return parse_onnx_tensor(read_input_file(path, "tensor file", kMaxTensorFileBytes), path);
}

void save_onnx_tensor(const OnnxTensor& t, const std::string& path) {
  onnx::TensorProto p;
  p.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : t.dims) p.add_dims(d);
  p.set_raw_data(
      std::string(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float)));
  std::string bytes;
  if (!p.SerializeToString(&bytes)) throw InputError(path + ": the tensor cannot be serialized (over 2 GiB)");
  write_file_atomically(path, bytes, "--output");
}

std::string onnx_input_problem(const OnnxModel& m, const OnnxTensor& t) {
  const std::vector<int64_t>& want = m.input_dims;
  auto dims_text = [](const std::vector<int64_t>& d, size_t from) {
    std::string text;
    for (size_t i = from; i < d.size(); ++i) text += (text.empty() ? "" : " x ") + std::to_string(d[i]);
    return text;
  };
  const std::string expected = "N x " + dims_text(want, 0);
  if (t.dims.size() != want.size() + 1)
    return "the model takes " + expected + ", the tensor is " + dims_text(t.dims, 0);
  for (size_t i = 0; i < want.size(); ++i)
    if (t.dims[i + 1] != want[i])
      return "the model takes " + expected + ", the tensor is " + dims_text(t.dims, 0);
  if (t.dims[0] > kMaxInferBatch) return "a batch of at most " + std::to_string(kMaxInferBatch) + " inputs";
  return "";
}

OnnxTensor infer(const OnnxModel& m, const OnnxTensor& input, bool quantized, const QuantConfig& config) {
  const std::string problem = onnx_input_problem(m, input);
  if (!problem.empty()) throw InputError("input tensor: " + problem);
  OnnxTensor out;
  FloatModel model = m.model;
  for (int64_t n = 0; n < input.dims[0]; ++n) {
    model.inputs[m.input] = onnx_to_input(m, input, n);
    FloatTensor y;
    if (!quantized) {
      y = run_float(model).at(m.output);
      for (float v : y.data)
        if (!std::isfinite(v))
          throw InputError(
              "input " + std::to_string(n) +
              ": the float model's output is not finite (an intermediate value exceeds the float "
              "range on this input)");
    } else {
      const QuantModel q = quantize(model, config);
      // The integer path with a 32-bit accumulator, as `dse run` checks it: an overflow is an error, not
      // zeros.
      for (const Layer& l : q.net.layers) {
        if (!l.on_array()) continue;
        const std::string narrow = accumulator_problem(l, worst_case_accumulator(q, l), 32);
        if (!narrow.empty()) throw InputError("input " + std::to_string(n) + ": " + narrow);
      }
      const IntTensor yq = run_golden(q, 32).at(m.output);
      const double scale = q.tensor_quant.at(m.output).scale;
      y = FloatTensor(yq.shape);
      for (size_t i = 0; i < yq.data.size(); ++i) y.data[i] = static_cast<float>(yq.data[i] * scale);
    }
    if (n == 0) {
      out.dims = {input.dims[0]};
      out.dims.insert(out.dims.end(), m.output_dims.begin(), m.output_dims.end());
    }
    const auto v = hwc_to_onnx(y, m.output_is_spatial);
    out.values.insert(out.values.end(), v.begin(), v.end());
  }
  return out;
}

FloatTensor onnx_to_hwc(const OnnxTensor& t, int64_t n) {
  if (t.dims.size() == 2) {
    const int f = static_cast<int>(t.dims[1]);
    FloatTensor out(Shape{1, 1, f});
    for (int i = 0; i < f; ++i)
      out.data[static_cast<size_t>(i)] = t.values.at(static_cast<size_t>(n * f + i));
    return out;
  }
  if (t.dims.size() != 4) throw InputError("input tensor: must be N x C x H x W or N x F");
  const int c = static_cast<int>(t.dims[1]), h = static_cast<int>(t.dims[2]), w = static_cast<int>(t.dims[3]);
  FloatTensor out(Shape{h, w, c});
  for (int ch = 0; ch < c; ++ch)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        out.at(y, x, ch) = t.values.at(static_cast<size_t>(((n * c + ch) * h + y) * w + x));
  return out;
}

FloatTensor onnx_to_input(const OnnxModel& m, const OnnxTensor& t, int64_t n) {
  if (m.input_is_spatial || t.dims.size() == 2) return onnx_to_hwc(t, n);
  FloatTensor out(m.model.net.inputs.at(0).shape);
  const size_t count = out.data.size();
  for (size_t i = 0; i < count; ++i) out.data[i] = t.values.at(static_cast<size_t>(n) * count + i);
  return out;
}

std::vector<float> hwc_to_onnx(const FloatTensor& t, bool spatial) {
  if (!spatial) return t.data;
  std::vector<float> out;
  out.reserve(t.data.size());
  for (int ch = 0; ch < t.shape.channels; ++ch)
    for (int y = 0; y < t.shape.height; ++y)
      for (int x = 0; x < t.shape.width; ++x) out.push_back(t.at(y, x, ch));
  return out;
}

}  // namespace deepchip::sim
