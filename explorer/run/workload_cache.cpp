#include "explorer/run/workload_cache.hpp"

#include <chrono>
#include <filesystem>

#include "deepchip/source_dir.hpp"
#include "sim/compress/quantize.hpp"
#include "sim/cost/energy.hpp"
#include "sim/exec/accuracy.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/network_io.hpp"
#include "sim/ir/model.hpp"
#include "sim/ir/synthetic.hpp"
#include "sim/onnx/import.hpp"
#include "sim/util/fnv_hash.hpp"

namespace deepchip::explorer {

namespace fs = std::filesystem;

namespace {

// What the float model depends on: the network, the seed of synthetic weights/inputs, and the dataset whose
// test image becomes its input.
std::string model_key(const PointConfig& p) {
  std::string key =
      p.network + "#" + std::to_string(p.seed) + "#" + p.accuracy.dataset + "#" + p.accuracy.dataset_dir;
  if (p.sequence) key += "#sequence=" + p.effective["sequence"].dump();  // the full pass over the sequence
  return key;
}

std::string quant_key(const PointConfig& p) {
  std::string key = model_key(p) + "#" + p.effective["quantization"].dump();
  if (p.accuracy.enabled()) key += "#calibration=" + std::to_string(p.accuracy.calibration_images);
  return key;
}

// What the integer executor computes with: every layer's weights, biases, requantization and ranges. Points
// whose compressions differ only in lossless ways (Huffman) or in unused keys share their accuracy.
std::string fingerprint(const sim::QuantModel& q) {
  sim::Fnv1a64 h;
  auto mix = [&h](int64_t v) { h.add_int64(v); };
  for (const auto& [name, l] : q.layers) {
    for (int32_t w : l.weights) mix(w);
    for (int32_t b : l.bias) mix(b);
    for (const auto& r : l.requant) mix(r.multiplier), mix(r.shift);
    mix(l.out.qmin), mix(l.out.qmax);
  }
  for (const auto& [name, t] : q.tensor_quant)
    mix(static_cast<int64_t>(t.scale * 1e15)), mix(t.qmin), mix(t.qmax);
  return std::to_string(h.value());
}

}  // namespace

const sim::Dataset& WorkloadCache::dataset(const PointConfig& p, bool test_set, int64_t count) {
  const std::string& dir = p.accuracy.dataset_dir;
  const std::string key =
      p.accuracy.dataset + "#" + dir + (test_set ? "#test#" : "#train#") + std::to_string(count);
  auto& slot = datasets_[key];
  if (!slot) {
    const sim::DatasetKind* kind = sim::find_dataset_kind(p.accuracy.dataset);
    if (!kind) throw sim::ConfigError("accuracy.dataset: '" + p.accuracy.dataset + "' is not supported");
    sim::Dataset d = sim::load_dataset(*kind, dir, test_set);
    if (count < d.count) {  // the first `count` images
      d.count = count;
      d.images.resize(static_cast<size_t>(count * d.height * d.width));
      d.labels.resize(static_cast<size_t>(count));
    }
    slot = std::make_unique<sim::Dataset>(std::move(d));
  }
  return *slot;
}

const sim::FloatModel& WorkloadCache::float_model(const PointConfig& p) {
  auto& fm = float_models_[model_key(p)];
  if (fm) return *fm;
  if (fs::path(p.network).extension() == ".onnx") {
    // A trained model: its weights from the file; its input a real test image when it has a dataset, else
    // synthetic (seeded).
    sim::OnnxModel onnx = sim::load_onnx(p.network);
    model_inputs_[model_key(p)] = onnx.input;
    model_outputs_[model_key(p)] = onnx.output;
    if (p.accuracy.enabled())
      onnx.model.inputs[onnx.input] = sim::dataset_image(dataset(p, true, 1), 0);
    else
      onnx.model.inputs = sim::make_synthetic_inputs(onnx.model.net, p.seed);
    fm = std::make_unique<sim::FloatModel>(std::move(onnx.model));
  } else if (p.sequence) {  // a decoding: the full pass over the whole sequence, which sets the scales
    fm = std::make_unique<sim::FloatModel>(sim::make_synthetic_model(
        sim::decoder_network(p.network, p.sequence->batch, p.sequence->total_tokens()), p.seed));
  } else {
    fm = std::make_unique<sim::FloatModel>(sim::make_synthetic_model(sim::load_network(p.network), p.seed));
    if (p.accuracy.enabled()) {  // a network file without weights: synthetic weights, a real input image
      const std::string input = fm->net.inputs.at(0).name;
      model_inputs_[model_key(p)] = input;
      model_outputs_[model_key(p)] = fm->net.output_names().at(0);
      fm->inputs[input] = sim::dataset_image(dataset(p, true, 1), 0);
    }
  }
  return *fm;
}

const sim::QuantModel& WorkloadCache::quantized(const PointConfig& p) {
  const std::string key = quant_key(p);
  auto q = quant_models_.find(key);
  if (q != quant_models_.end()) return *q->second;
  const sim::FloatModel& fm = float_model(p);
  auto& slot = quant_models_[key];
  if (p.accuracy.enabled())
    slot = std::make_unique<sim::QuantModel>(sim::quantize_calibrated(
        fm, p.quant, model_inputs_.at(model_key(p)), dataset(p, false, p.accuracy.calibration_images),
        p.accuracy.calibration_images));
  else if (p.sequence)  // the unrolled decoding with the full pass's parameters and scales
    slot = std::make_unique<sim::QuantModel>(
        sim::unroll_decoding(sim::quantize(fm, p.quant), p.network, *p.sequence));
  else
    slot = std::make_unique<sim::QuantModel>(sim::quantize(fm, p.quant));
  // One point without a dataset: nothing reads the float model again.
  if (lean_ && !p.accuracy.enabled()) float_models_.erase(model_key(p));
  return *slot;
}

sim::ScheduleCache& WorkloadCache::schedules(const PointConfig& p) {
  auto& slot = schedules_[quant_key(p)];
  if (!slot) slot = std::make_unique<sim::ScheduleCache>(quantized(p));
  return *slot;
}

const sim::EnergyTable& WorkloadCache::energy(const PointConfig& p) {
  auto it = energy_.find(p.energy_table);
  if (it == energy_.end()) it = energy_.emplace(p.energy_table, sim::load_energy_table(p.energy_table)).first;
  return it->second;
}

const sim::AreaTable& WorkloadCache::area() {
  if (!area_) area_ = sim::AreaTable::load(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/rtl_area.csv");
  return *area_;
}

std::optional<sim::PeResources> WorkloadCache::pe(const PointConfig& p) {
  if (!p.soc) return std::nullopt;
  const std::string key = quant_key(p);
  const auto cached = pe_.find(key);
  if (cached != pe_.end()) return cached->second;
  std::optional<sim::PeResources> pe;
  if (const auto estimate = area().estimate(quantized(p), 1, 1)) {
    pe.emplace();
    pe->multiplier_free = estimate->pe == "ternary";
    pe->weight_bits = pe->multiplier_free ? 2 : std::stoi(estimate->pe.substr(3));
    pe->activation_bits = p.quant.activation_bits;
    pe->luts = estimate->luts;
    pe->ffs = estimate->ffs;
  }
  return pe_[key] = pe;
}

const sim::GoldenReference& WorkloadCache::golden(const PointConfig& p) {
  const std::string key = quant_key(p) + "#acc" + std::to_string(p.hw.accumulator_bits);
  auto it = golden_.find(key);
  if (it == golden_.end()) {
    // One timing point (dse run) needs neither lowered weights nor tensors, only the zero-MAC counts.
    const bool executed = sim::executes_numerics(p.hw.impl) || !lean_;
    it = golden_.emplace(key, sim::golden_reference(quantized(p), p.hw.accumulator_bits, executed, executed))
             .first;
  }
  return it->second;
}

std::optional<AccuracyReport> WorkloadCache::accuracy(const PointConfig& p) {
  if (!p.accuracy.enabled()) return std::nullopt;
  const sim::QuantModel& q = quantized(p);
  std::string key = model_key(p) + "#" + fingerprint(q) + "#test=" + std::to_string(p.accuracy.test_images) +
                    "#acc" + std::to_string(p.hw.accumulator_bits);
  if (p.noise.enabled()) key += "#noise=" + p.effective["noise"].dump();
  const auto cached = accuracy_.find(key);
  if (cached != accuracy_.end()) {
    AccuracyReport r = cached->second;
    r.seconds = 0;
    r.reference_top1 = p.accuracy.reference_top1 > 0 ? p.accuracy.reference_top1 : r.float_top1;
    return r;
  }
  const sim::FloatModel& fm = float_model(p);
  const std::string& input = model_inputs_.at(model_key(p));
  const std::string& output = model_outputs_.at(model_key(p));
  const sim::Dataset& test = dataset(p, true, p.accuracy.test_images);
  const std::string float_key = model_key(p) + "#test=" + std::to_string(p.accuracy.test_images);
  if (!float_accuracy_.count(float_key))
    float_accuracy_[float_key] = sim::float_accuracy(fm, input, output, test).accuracy();
  AccuracyReport r;
  r.dataset = p.accuracy.dataset;
  const auto start = std::chrono::steady_clock::now();
  if (p.noise.enabled()) {
    const sim::NoisyAccuracy a = noisy_accuracy(
        p, sim::uniform_noise(q.net, p.noise.levels, p.noise.layers, p.noise.seed), p.noise.repeats);
    r.images = a.images;
    r.top1 = a.mean();
    r.top1_std = a.stddev();
    r.noise_repeats = p.noise.repeats;
  } else {
    const sim::AccuracyResult a = sim::quantized_accuracy(q, input, output, test, p.hw.accumulator_bits);
    r.images = a.images;
    r.top1 = a.accuracy();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.float_top1 = float_accuracy_.at(float_key);
  r.reference_top1 = p.accuracy.reference_top1 > 0 ? p.accuracy.reference_top1 : r.float_top1;
  accuracy_[key] = r;
  return r;
}

sim::NoisyAccuracy WorkloadCache::noisy_accuracy(const PointConfig& p, const sim::NoiseModel& noise,
                                                 int repeats) {
  const sim::QuantModel& q = quantized(p);
  float_model(p);  // records the model's input and output names
  return sim::noisy_accuracy(q, model_inputs_.at(model_key(p)), model_outputs_.at(model_key(p)),
                             dataset(p, true, p.accuracy.test_images), p.hw.accumulator_bits, noise, repeats);
}

}  // namespace deepchip::explorer
