// The workload of a sweep's points, prepared in the parent before the workers fork and shared by them
// copy-on-write: float models, compressed models (once per compression setting), golden references (once
// per compressed model and accumulator width) and accuracy (once per distinct integer model).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "explorer/config/config.hpp"
#include "sim/cost/energy.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/cost/rtl_area.hpp"
#include "sim/exec/accuracy.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/io/idx.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/schedule_cache.hpp"

namespace deepchip::explorer {

// Top-1 accuracy of a point's compressed model beside its float model (accuracy in the loop).
struct AccuracyReport {
  std::string dataset;
  int64_t images = 0;
  double float_top1 = 0;  // the float model (the network's own weights)
  double top1 = 0;        // the golden integer executor on the compressed model (bit-exact with the hardware)
  double reference_top1 = 0;  // accuracy.reference_top1, or float_top1 when that is 0
  // With noise (the "noise" section): top1 is the mean over noise_repeats seeded passes and top1_std their
  // sample standard deviation; without, noise_repeats is 0 and top1 is exact.
  int noise_repeats = 0;
  double top1_std = 0;
  double drop() const { return reference_top1 - top1; }
  double seconds = 0;  // evaluation time of the compressed model (0 when cached)
};

class WorkloadCache {
 public:
  // The quantized model of a point's (network, seed, quantization, calibration); computed on first use.
  // With a dataset, the model is calibrated on real training images and its input is test image 0.
  const sim::QuantModel& quantized(const PointConfig& point);
  // Accuracy of the point's compressed model, when its network has a dataset; computed once per
  // compression setting on all cores (hardware axes do not change it).
  std::optional<AccuracyReport> accuracy(const PointConfig& point);
  // The point's compressed model on its test images under `noise`, `repeats` passes (dse walk-noise);
  // needs a dataset.
  sim::NoisyAccuracy noisy_accuracy(const PointConfig& point, const sim::NoiseModel& noise, int repeats);
  // How many (network, seed, compression) settings were compressed: once each, however many points use them.
  size_t compressions() const { return quant_models_.size(); }
  // The golden executor's tensors of the point's compressed model at its accumulator width: computed once
  // per (model, width) before the workers fork, shared copy-on-write.
  const sim::GoldenReference& golden(const PointConfig& point);
  // The schedules of the point's compressed model, kept for the next points of this process that map alike
  // (a worker's; not part of the revision: each process fills its own).
  sim::ScheduleCache& schedules(const PointConfig& point);
  // Whether a process that evaluated `a` finds b's schedules in its cache: the same network mapped alike
  // (sim::MappingConfig). Only a hint for sending points to workers (worker_pool.hpp): a compression that
  // differs just maps once more.
  static bool maps_alike(const PointConfig& a, const PointConfig& b) {
    return a.network == b.network && sim::MappingConfig(a.hw) == sim::MappingConfig(b.hw);
  }
  // The point's energy table, loaded once per file.
  const sim::EnergyTable& energy(const PointConfig& point);
  // configs/rtl_area.csv, loaded once.
  const sim::AreaTable& area();
  // The PE a system's fabric array is built from, calibrated by the RTL synthesis table; none when the table
  // has no PE for the model's weight formats (or the point has no system).
  std::optional<sim::PeResources> pe(const PointConfig& point);
  size_t accuracy_evaluations() const { return accuracy_.size(); }
  // Changes whenever something a point's evaluation reads (compressed models, golden references, energy
  // tables, PEs) is added: a worker forked at another revision lacks part of it (worker_pool.cpp).
  size_t revision() const {
    return quant_models_.size() + golden_.size() + energy_.size() + pe_.size() + (area_ ? 1 : 0);
  }
  // One point (dse run): the float models are released once its model is quantized, and a timing point's
  // golden reference lowers no weights and keeps no tensors: the memory of a large import is then about two
  // copies of its weights.
  void set_single_point() { lean_ = true; }

 private:
  const sim::FloatModel& float_model(const PointConfig& point);
  // The first `count` images of the point's dataset (its test or training set).
  const sim::Dataset& dataset(const PointConfig& point, bool test_set, int64_t count);
  std::map<std::string, std::unique_ptr<sim::FloatModel>> float_models_;
  std::map<std::string, std::string> model_inputs_, model_outputs_;  // .onnx graph input/output tensors
  std::map<std::string, std::unique_ptr<sim::QuantModel>> quant_models_;
  std::map<std::string, std::unique_ptr<sim::ScheduleCache>> schedules_;  // by quant_key, like quant_models_
  std::map<std::string, std::unique_ptr<sim::Dataset>> datasets_;
  std::map<std::string, double> float_accuracy_;
  std::map<std::string, AccuracyReport> accuracy_;
  std::map<std::string, sim::GoldenReference> golden_;
  std::map<std::string, sim::EnergyTable> energy_;
  std::optional<sim::AreaTable> area_;
  bool lean_ = false;
  std::map<std::string, std::optional<sim::PeResources>> pe_;
};

}  // namespace deepchip::explorer
