#include "sim/exec/accuracy.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "sim/compress/quantize.hpp"
#include "sim/exec/float_executor.hpp"
#include "sim/exec/golden.hpp"
#include "sim/util/parallel_for.hpp"

namespace deepchip::sim {

FloatTensor dataset_image(const Dataset& d, int64_t i) {
  FloatTensor t(Shape{static_cast<int>(d.height), static_cast<int>(d.width), 1});
  const uint8_t* px = d.images.data() + i * d.height * d.width;
  for (size_t k = 0; k < t.data.size(); ++k) t.data[k] = static_cast<float>(px[k]) / 255.0f;
  return t;
}

std::vector<std::map<std::string, FloatTensor>> calibration_inputs(const std::string& input,
                                                                   const Dataset& data, int64_t count) {
  std::vector<std::map<std::string, FloatTensor>> inputs;
  for (int64_t i = 0; i < std::min(count, data.count); ++i)
    inputs.push_back({{input, dataset_image(data, i)}});
  return inputs;
}

QuantModel quantize_calibrated(const FloatModel& model, const QuantConfig& config, const std::string& input,
                               const Dataset& data, int64_t count) {
  return quantize(model, config, calibration_inputs(input, data, count));
}

namespace {

// The images over `threads` threads (<= 0: every core); the count of correct predictions is a sum, the same
// on any number.
template <typename Predict>
AccuracyResult parallel(const Dataset& d, int threads, Predict&& predict) {
  std::atomic<int64_t> correct{0};
  parallel_for(d.count, threads,
               [&](int64_t i) { correct += predict(i) == d.labels[static_cast<size_t>(i)]; });
  return {d.count, correct.load()};
}

template <typename T>
int argmax(const std::vector<T>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

AccuracyResult float_accuracy(const FloatModel& model, const std::string& input, const std::string& output,
                              const Dataset& data, int threads) {
  const FloatRunner runner(model);
  return parallel(data, threads, [&](int64_t i) {
    return argmax(runner.run({{input, dataset_image(data, i)}}).at(output).data);
  });
}

namespace {

IntTensor quantized_image(const Dataset& data, int64_t i, const TensorQuant& q) {
  const FloatTensor x = dataset_image(data, i);
  IntTensor xq(x.shape);
  for (size_t k = 0; k < x.data.size(); ++k)
    xq.data[k] = static_cast<int32_t>(std::clamp<double>(std::round(x.data[k] / q.scale), q.qmin, q.qmax));
  return xq;
}

}  // namespace

AccuracyResult quantized_accuracy(const QuantModel& model, const std::string& input,
                                  const std::string& output, const Dataset& data, int accumulator_bits,
                                  int threads) {
  const TensorQuant q = model.tensor_quant.at(input);
  const GoldenRunner runner(model, accumulator_bits);
  return parallel(data, threads, [&](int64_t i) {
    return argmax(runner.run({{input, quantized_image(data, i, q)}}).at(output).data);
  });
}

double NoisyAccuracy::mean() const {
  double sum = 0;
  for (double a : per_repeat) sum += a;
  return per_repeat.empty() ? 0.0 : sum / static_cast<double>(per_repeat.size());
}

double NoisyAccuracy::stddev() const {
  if (per_repeat.size() < 2) return 0.0;
  const double m = mean();
  double ss = 0;
  for (double a : per_repeat) ss += (a - m) * (a - m);
  return std::sqrt(ss / static_cast<double>(per_repeat.size() - 1));
}

NoisyAccuracy noisy_accuracy(const QuantModel& model, const std::string& input, const std::string& output,
                             const Dataset& data, int accumulator_bits, const NoiseModel& noise, int repeats,
                             int threads) {
  const TensorQuant q = model.tensor_quant.at(input);
  const GoldenRunner runner(model, accumulator_bits, &noise);
  NoisyAccuracy r;
  r.images = data.count;
  for (int rep = 0; rep < repeats; ++rep) {
    const uint64_t first_stream = static_cast<uint64_t>(rep) * static_cast<uint64_t>(data.count);
    r.per_repeat.push_back(
        parallel(data, threads, [&](int64_t i) {
          const uint64_t stream = first_stream + static_cast<uint64_t>(i);
          return argmax(runner.run({{input, quantized_image(data, i, q)}}, stream).at(output).data);
        }).accuracy());
  }
  return r;
}

}  // namespace deepchip::sim
