#include "explorer/runner.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "explorer/atomic_file.hpp"
#include "models/system/run_point.hpp"
#include "models/system/run_soc_point.hpp"
#include "sim/accuracy.hpp"
#include "sim/energy.hpp"
#include "sim/executor.hpp"
#include "sim/fpga.hpp"
#include "sim/json_input.hpp"
#include "sim/network_io.hpp"
#include "sim/onnx_import.hpp"

#ifndef DEEPCHIP_SOURCE_DIR
#define DEEPCHIP_SOURCE_DIR "."
#endif

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// What the float model depends on: the network, the seed of synthetic weights/inputs, and the dataset whose
// test image becomes its input.
std::string model_key(const PointConfig& p) {
  return p.network + "#" + std::to_string(p.seed) + "#" + p.accuracy.dataset + "#" + p.accuracy.dataset_dir;
}

std::string quant_key(const PointConfig& p) {
  std::string key = model_key(p) + "#" + p.effective["quantization"].dump();
  if (p.accuracy.enabled()) key += "#calibration=" + std::to_string(p.accuracy.calibration_images);
  return key;
}

// What the integer executor computes with: every layer's weights, biases, requantization and ranges. Points
// whose compressions differ only in lossless ways (Huffman) or in unused keys share their accuracy.
std::string fingerprint(const sim::QuantModel& q) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](int64_t v) {
    for (int b = 0; b < 8; ++b) h = (h ^ static_cast<uint8_t>(v >> (8 * b))) * 1099511628211ULL;
  };
  for (const auto& [name, l] : q.layers) {
    for (int32_t w : l.weights) mix(w);
    for (int32_t b : l.bias) mix(b);
    for (const auto& r : l.requant) mix(r.multiplier), mix(r.shift);
    mix(l.out.qmin), mix(l.out.qmax);
  }
  for (const auto& [name, t] : q.tensor_quant)
    mix(static_cast<int64_t>(t.scale * 1e15)), mix(t.qmin), mix(t.qmax);
  return std::to_string(h);
}

}  // namespace

const sim::Dataset& WorkloadCache::dataset(const std::string& dir, bool test_set, int64_t count) {
  const std::string key = dir + (test_set ? "#test#" : "#train#") + std::to_string(count);
  auto& slot = datasets_[key];
  if (!slot) {
    sim::Dataset d = sim::load_fashion_mnist(dir, test_set);
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
      onnx.model.inputs[onnx.input] = sim::dataset_image(dataset(p.accuracy.dataset_dir, true, 1), 0);
    else
      onnx.model.inputs = sim::make_synthetic_model(onnx.model.net, p.seed).inputs;
    fm = std::make_unique<sim::FloatModel>(std::move(onnx.model));
  } else {
    fm = std::make_unique<sim::FloatModel>(sim::make_synthetic_model(sim::load_network(p.network), p.seed));
    if (p.accuracy.enabled()) {  // a network file without weights: synthetic weights, a real input image
      const std::string input = fm->net.inputs.at(0).name;
      model_inputs_[model_key(p)] = input;
      model_outputs_[model_key(p)] = fm->net.output_names().at(0);
      fm->inputs[input] = sim::dataset_image(dataset(p.accuracy.dataset_dir, true, 1), 0);
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
    slot = std::make_unique<sim::QuantModel>(
        sim::quantize_calibrated(fm, p.quant, model_inputs_.at(model_key(p)),
                                 dataset(p.accuracy.dataset_dir, false, p.accuracy.calibration_images),
                                 p.accuracy.calibration_images));
  else
    slot = std::make_unique<sim::QuantModel>(sim::quantize(fm, p.quant));
  return *slot;
}

const std::map<std::string, sim::IntTensor>& WorkloadCache::golden(const PointConfig& p) {
  const std::string key = quant_key(p) + "#acc" + std::to_string(p.hw.accumulator_bits);
  auto it = golden_.find(key);
  if (it == golden_.end())
    it = golden_.emplace(key, sim::run_golden(quantized(p), p.hw.accumulator_bits)).first;
  return it->second;
}

std::optional<AccuracyReport> WorkloadCache::accuracy(const PointConfig& p) {
  if (!p.accuracy.enabled()) return std::nullopt;
  const sim::QuantModel& q = quantized(p);
  const std::string key = model_key(p) + "#" + fingerprint(q) +
                          "#test=" + std::to_string(p.accuracy.test_images) + "#acc" +
                          std::to_string(p.hw.accumulator_bits);
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
  const sim::Dataset& test = dataset(p.accuracy.dataset_dir, true, p.accuracy.test_images);
  const std::string float_key = model_key(p) + "#test=" + std::to_string(p.accuracy.test_images);
  if (!float_accuracy_.count(float_key))
    float_accuracy_[float_key] = sim::float_accuracy(fm, input, output, test).accuracy();
  AccuracyReport r;
  r.dataset = p.accuracy.dataset;
  const auto start = std::chrono::steady_clock::now();
  const sim::AccuracyResult a = sim::quantized_accuracy(q, input, output, test, p.hw.accumulator_bits);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.images = a.images;
  r.top1 = a.accuracy();
  r.float_top1 = float_accuracy_.at(float_key);
  r.reference_top1 = p.accuracy.reference_top1 > 0 ? p.accuracy.reference_top1 : r.float_top1;
  accuracy_[key] = r;
  return r;
}

namespace {

models::SocConfig soc_config(const PointConfig& p, const sim::QuantModel& model) {
  const SocSpec& s = p.soc;
  const sim::FpgaDevice& device = sim::fpga_device(s.device);
  models::SocConfig c;
  c.device = s.device;
  c.arm = sim::arm_cluster(s.arm);
  if (s.arm_cores > 0) c.arm.cores = s.arm_cores;
  if (s.arm_clock_mhz > 0) c.arm.clock_hz = s.arm_clock_mhz * 1e6;
  if (s.arm_l1_bytes_per_cycle > 0) c.arm.l1_load_bytes_per_cycle = s.arm_l1_bytes_per_cycle;
  const sim::HardwareConfig& hw = p.hw;
  c.ddr = {hw.dram_bandwidth_bytes_per_cycle, hw.dram_latency_cycles, hw.memory == sim::MemoryModel::kIdeal,
           0};
  c.pl_port.width_bytes = (s.pl_port_bits > 0 ? s.pl_port_bits : device.pl_port_bits) / 8;
  c.pl_port.fabric_cycles_per_beat = s.pl_port_mhz > 0 ? hw.clock_hz / (s.pl_port_mhz * 1e6) : 1.0;
  c.pl_port.latency_cycles = s.pl_port_latency_cycles;
  c.pl_port.outstanding = s.pl_port_outstanding;
  // The cluster's path to DDR: ddr_bytes_per_cycle per ARM cycle, up to 8 transactions in flight.
  c.arm_port.width_bytes = static_cast<int64_t>(c.arm.ddr_bytes_per_cycle);
  c.arm_port.fabric_cycles_per_beat = hw.clock_hz / c.arm.clock_hz;
  c.arm_port.latency_cycles = 0;
  c.arm_port.outstanding = 8;
  c.handoff_arm_cycles = s.handoff_arm_cycles;
  c.strategy = s.partition == "all_fpga"  ? models::PartitionStrategy::kAllFpga
               : s.partition == "all_arm" ? models::PartitionStrategy::kAllArm
               : s.partition == "fixed"   ? models::PartitionStrategy::kFixed
                                          : models::PartitionStrategy::kAuto;
  c.objective = s.objective == "energy" ? sim::PartitionObjective::kEnergy
                : s.objective == "edp"  ? sim::PartitionObjective::kEdp
                                        : sim::PartitionObjective::kLatency;
  for (const auto& l : model.net.layers)
    c.fixed.push_back(std::find(s.arm_layers.begin(), s.arm_layers.end(), l.name) != s.arm_layers.end()
                          ? sim::Side::kArm
                          : sim::Side::kFpga);
  return c;
}

// The PE the fabric's array is built from, calibrated by the RTL synthesis table.
std::optional<sim::PeResources> pe_resources(const PointConfig& p, const sim::QuantModel& model) {
  const AreaTable area = AreaTable::load(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/rtl_area.csv");
  const auto estimate = area.estimate(model, 1, 1);
  if (!estimate) return std::nullopt;
  sim::PeResources pe;
  pe.multiplier_free = estimate->pe == "ternary";
  pe.weight_bits = pe.multiplier_free ? 2 : std::stoi(estimate->pe.substr(3));
  pe.activation_bits = p.quant.activation_bits;
  pe.luts = estimate->luts;
  pe.ffs = estimate->ffs;
  return pe;
}

}  // namespace

sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache) {
  const sim::EnergyTable energy = sim::load_energy_table(point.energy_table);
  const sim::QuantModel& model = cache.quantized(point);
  const auto& golden = cache.golden(point);
  if (!point.soc.enabled()) return models::evaluate_point(model, point.hw, energy, &golden);
  const auto pe = pe_resources(point, model);
  if (!pe) {
    sim::PointResult r;
    r.reason = "no synthesized PE in configs/rtl_area.csv for this network's weight formats";
    return r;
  }
  return models::evaluate_soc_point(model, point.hw, energy, soc_config(point, model), *pe, &golden);
}

std::string git_revision() {
  const std::string cmd =
      std::string("git -C '") + DEEPCHIP_SOURCE_DIR + "' rev-parse --short=12 HEAD 2>/dev/null";
  std::string out;
  if (FILE* f = popen(cmd.c_str(), "r")) {
    char buf[64];
    while (fgets(buf, sizeof buf, f)) out += buf;
    pclose(f);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

namespace {

// SIGINT/SIGTERM during a sweep: the loop stops the workers, and the finished points are reported.
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  static int received() { return g_stop_signal; }

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// The worker's process setup: it dies with the parent (even a SIGKILLed one), takes SIGINT/SIGTERM by
// default, and its address space is bounded. AddressSanitizer reserves terabytes of shadow memory, so
// sanitizer builds leave the limit off.
void setup_worker_process(pid_t parent, int64_t memory_limit_mib) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (!kAddressSanitizer) {
    const auto bytes = static_cast<rlim_t>(memory_limit_mib) << 20;
    struct rlimit limit {
      bytes, bytes
    };
    setrlimit(RLIMIT_AS, &limit);
  }
}

[[noreturn]] void worker(const PointConfig& point, WorkloadCache& cache, const fs::path& dir,
                         const std::string& rev, int64_t memory_limit_mib) {
  sim::PointResult r;
  try {
    r = run_point_here(point, cache);
  } catch (const std::bad_alloc&) {
    r = sim::PointResult{};
    r.reason = "out of memory: the worker reached worker_memory_limit_mib (" +
               std::to_string(memory_limit_mib) + " MiB)";
  } catch (const std::exception& e) {
    r = sim::PointResult{};
    r.reason = std::string("error: ") + e.what();
    std::replace(r.reason.begin(), r.reason.end(), '\n', ' ');  // one line, like every reason
  }
  try {
    json j = sim::to_json(r);
    j["git_revision"] = rev;
    write_file_atomically(dir / "result.json", sim::dump_json(j, 2) + "\n");
  } catch (...) {
    _exit(3);
  }
  std::fflush(nullptr);
  _exit(0);
}

std::string signal_name(int sig) {
  const char* name = strsignal(sig);
  return std::to_string(sig) + (name ? std::string(", ") + name : std::string());
}

sim::PointResult collect(const fs::path& dir, int status, const struct rusage& usage) {
  sim::PointResult r;
  const std::string peak = "peak RSS " + std::to_string(usage.ru_maxrss / 1024) + " MiB";
  if (WIFSIGNALED(status)) {
    r.reason = "worker crashed (signal " + signal_name(WTERMSIG(status)) + ", " + peak + ")";
    return r;
  }
  try {
    return sim::point_result_from_json(sim::parse_json(
        sim::read_input_file((dir / "result.json").string(), "worker result", sim::kMaxJsonBytes),
        "result.json"));
  } catch (const std::exception&) {
    r.reason =
        "worker exited without a result (status " + std::to_string(WEXITSTATUS(status)) + ", " + peak + ")";
    return r;
  }
}

}  // namespace

SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, int jobs, const std::string& rev) {
  StopSignals stop;
  WorkloadCache cache;
  std::vector<PointOutcome> outcomes;
  std::set<std::string> seen;
  for (const auto& p : spec.points)
    if (seen.insert(p.id).second) outcomes.push_back({p, {}, std::nullopt, std::nullopt});
  // Prepare every workload before forking so that each is computed once and shared copy-on-write.
  const AreaTable area = AreaTable::load(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/rtl_area.csv");
  for (auto& o : outcomes) {
    if (StopSignals::received()) return {{}, cache.compressions(), StopSignals::received()};
    o.area = area.estimate(cache.quantized(o.point), o.point.hw.array_rows, o.point.hw.array_cols);
    cache.golden(o.point);  // once per compressed model and accumulator width, shared by the workers
    o.accuracy = cache.accuracy(o.point);
    if (o.accuracy && o.accuracy->seconds > 0)
      std::cerr << "accuracy of " << o.point.id << "'s compression on " << o.accuracy->images
                << " test images: " << o.accuracy->top1 << " (float " << o.accuracy->float_top1 << ", "
                << o.accuracy->seconds << " s)\n";
  }

  fs::create_directories(out_dir);
  using Clock = std::chrono::steady_clock;
  struct Running {
    size_t index;
    Clock::time_point started;
  };
  std::map<pid_t, Running> running;
  std::vector<bool> done(outcomes.size(), false);
  size_t next = 0, finished = 0;
  const pid_t parent = getpid();
  auto finish = [&](size_t i) {
    done[i] = true;
    ++finished;
  };
  while (finished < outcomes.size() && !StopSignals::received()) {
    while (static_cast<int>(running.size()) < jobs && next < outcomes.size()) {
      const PointConfig& p = outcomes[next].point;
      const fs::path dir = fs::path(out_dir) / "points" / p.id;
      fs::create_directories(dir);
      write_file_atomically(dir / "effective_config.json", sim::dump_json(p.effective, 2) + "\n");
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid == 0) {
        setup_worker_process(parent, spec.worker_memory_limit_mib);
        worker(p, cache, dir, rev, spec.worker_memory_limit_mib);
      }
      if (pid < 0) {
        outcomes[next].result.reason = std::string("fork failed: ") + std::strerror(errno);
        finish(next);
      } else {
        running[pid] = {next, Clock::now()};
      }
      ++next;
    }
    int status = 0;
    struct rusage usage {};
    const pid_t pid = wait4(-1, &status, WNOHANG, &usage);
    if (pid > 0 && running.count(pid)) {
      const size_t i = running[pid].index;
      running.erase(pid);
      outcomes[i].result = collect(fs::path(out_dir) / "points" / outcomes[i].point.id, status, usage);
      finish(i);
      std::cerr << "[" << finished << "/" << outcomes.size() << "] " << outcomes[i].point.id << " "
                << (outcomes[i].result.ok ? "ok" : "failed: " + outcomes[i].result.reason) << "\n";
      continue;
    }
    for (auto it = running.begin(); it != running.end();) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - it->second.started).count();
      if (elapsed > spec.time_limit_s) {
        kill(it->first, SIGKILL);
        waitpid(it->first, &status, 0);
        auto& o = outcomes[it->second.index];
        o.result = sim::PointResult{};
        o.result.reason =
            "time limit of " + std::to_string(static_cast<int>(spec.time_limit_s)) + " s exceeded";
        finish(it->second.index);
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Stopped by a signal: no worker outlives the sweep; the finished points are what is reported.
  for (const auto& [pid, r] : running) {
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  std::vector<PointOutcome> reported;
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (done[i]) reported.push_back(std::move(outcomes[i]));
  return {std::move(reported), cache.compressions(), StopSignals::received()};
}

}  // namespace deepchip::explorer
