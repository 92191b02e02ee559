// Accuracy evaluation speed (scripts/bench): the trained Fashion-MNIST model on the 10k test images, float
// and int8 integer paths, every thread of the machine. Prints one JSON line per path.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "deepchip/source_dir.hpp"
#include "sim/exec/accuracy.hpp"
#include "sim/onnx/import.hpp"

using namespace deepchip::sim;

int main(int argc, char** argv) {
  const std::string model_path =
      argc > 1 ? argv[1] : std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/fmnist_cnn.onnx";
  const OnnxModel m = load_onnx(model_path);
  const Dataset test = load_fashion_mnist("/usr/share/datasets/fashion-mnist", true);
  const Dataset train = load_fashion_mnist("/usr/share/datasets/fashion-mnist", false);
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  using Clock = std::chrono::steady_clock;
  auto report = [&](const char* path, const AccuracyResult& r, double seconds) {
    std::cout << nlohmann::json{{"path", path},
                                {"images", r.images},
                                {"accuracy", r.accuracy()},
                                {"seconds", seconds},
                                {"images_per_second", static_cast<double>(r.images) / seconds},
                                {"threads", threads}}
                     .dump()
              << "\n";
  };
  auto t0 = Clock::now();
  const AccuracyResult f = float_accuracy(m.model, m.input, m.output, test, threads);
  report("float", f, std::chrono::duration<double>(Clock::now() - t0).count());
  const QuantModel q = quantize_calibrated(m.model, QuantConfig{}, m.input, train, 256);
  t0 = Clock::now();
  const AccuracyResult i8 = quantized_accuracy(q, m.input, m.output, test, 32, threads);
  report("int8", i8, std::chrono::duration<double>(Clock::now() - t0).count());
}
