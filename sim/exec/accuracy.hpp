// Top-1 accuracy of a model on a labelled image set (Fashion-MNIST), with the float executor or the
// golden integer executor (the quantized model, bit-exact with the hardware), over several threads.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sim/exec/noise.hpp"
#include "sim/io/idx.hpp"
#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct AccuracyResult {
  int64_t images = 0;
  int64_t correct = 0;
  double accuracy() const {
    return images ? static_cast<double>(correct) / static_cast<double>(images) : 0.0;
  }
};

// Image i of the dataset as the network input: H x W x 1, pixel / 255 in [0, 1] (as in training).
FloatTensor dataset_image(const Dataset& data, int64_t i);

// Calibration inputs for quantize(): the first `count` images of `data` as network input `input`.
std::vector<std::map<std::string, FloatTensor>> calibration_inputs(const std::string& input,
                                                                   const Dataset& data, int64_t count);
// quantize() calibrated on the first `count` images of `data` (normally the training set).
QuantModel quantize_calibrated(const FloatModel& model, const QuantConfig& config, const std::string& input,
                               const Dataset& data, int64_t count);

// `input` names the network input; images are scaled to [0, 1] (pixel / 255) as in training; the
// prediction is the arg-max of `output`. For the integer path, inputs are quantized with the model's input
// quantization. threads <= 0: hardware concurrency.
AccuracyResult float_accuracy(const FloatModel& model, const std::string& input, const std::string& output,
                              const Dataset& data, int threads = 0);
AccuracyResult quantized_accuracy(const QuantModel& model, const std::string& input,
                                  const std::string& output, const Dataset& data, int accumulator_bits,
                                  int threads = 0);

// Top-1 accuracy of the golden integer path with noisy accumulators (sim/exec/noise.hpp), once per repeat;
// repeat r of image i draws from noise stream r * images + i, so a result is the same on any thread count.
struct NoisyAccuracy {
  int64_t images = 0;
  std::vector<double> per_repeat;
  double mean() const;
  double stddev() const;  // sample standard deviation over the repeats (n - 1); 0 for one repeat
};
NoisyAccuracy noisy_accuracy(const QuantModel& model, const std::string& input, const std::string& output,
                             const Dataset& data, int accumulator_bits, const NoiseModel& noise, int repeats,
                             int threads = 0);

}  // namespace deepchip::sim
