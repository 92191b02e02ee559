#include "explorer/runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "models/system/run_point.hpp"
#include "sim/energy.hpp"
#include "sim/network_io.hpp"
#include "sim/onnx_import.hpp"

#ifndef DEEPCHIP_SOURCE_DIR
#define DEEPCHIP_SOURCE_DIR "."
#endif

namespace deepchip::explorer {

namespace fs = std::filesystem;
using nlohmann::json;

const sim::QuantModel& WorkloadCache::quantized(const PointConfig& p) {
  const std::string model_key = p.network + "#" + std::to_string(p.seed);
  const std::string quant_key = model_key + "#" + p.effective["quantization"].dump();
  auto q = quant_models_.find(quant_key);
  if (q != quant_models_.end()) return *q->second;
  auto& fm = float_models_[model_key];
  if (!fm) {
    if (fs::path(p.network).extension() == ".onnx") {
      // A trained model: its weights from the file; the input stays synthetic (seeded) until a dataset is
      // given.
      sim::OnnxModel onnx = sim::load_onnx(p.network);
      onnx.model.inputs = sim::make_synthetic_model(onnx.model.net, p.seed).inputs;
      fm = std::make_unique<sim::FloatModel>(std::move(onnx.model));
    } else {
      fm = std::make_unique<sim::FloatModel>(sim::make_synthetic_model(sim::load_network(p.network), p.seed));
    }
  }
  auto& slot = quant_models_[quant_key];
  slot = std::make_unique<sim::QuantModel>(sim::quantize(*fm, p.quant));
  return *slot;
}

sim::PointResult run_point_here(const PointConfig& point, WorkloadCache& cache) {
  const sim::EnergyTable energy = sim::load_energy_table(point.energy_table);
  return models::evaluate_point(cache.quantized(point), point.hw, energy);
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

void write_json(const fs::path& path, const json& j) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp);
    f << j.dump(2) << "\n";
  }
  fs::rename(tmp, path);
}

[[noreturn]] void worker(const PointConfig& point, WorkloadCache& cache, const fs::path& dir,
                         const std::string& rev) {
  sim::PointResult r;
  try {
    r = run_point_here(point, cache);
  } catch (const std::exception& e) {
    r.ok = false;
    r.reason = std::string("error: ") + e.what();
  }
  json j = sim::to_json(r);
  j["git_revision"] = rev;
  write_json(dir / "result.json", j);
  std::fflush(nullptr);
  _exit(0);
}

sim::PointResult collect(const fs::path& dir, int status) {
  sim::PointResult r;
  if (WIFSIGNALED(status)) {
    r.reason = "worker crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
    return r;
  }
  std::ifstream f(dir / "result.json");
  if (!f) {
    r.reason = "worker exited without a result (status " + std::to_string(WEXITSTATUS(status)) + ")";
    return r;
  }
  return sim::point_result_from_json(json::parse(f));
}

}  // namespace

SweepRun run_sweep(const SweepSpec& spec, const std::string& out_dir, int jobs, const std::string& rev) {
  WorkloadCache cache;
  std::vector<PointOutcome> outcomes;
  std::set<std::string> seen;
  for (const auto& p : spec.points)
    if (seen.insert(p.id).second) outcomes.push_back({p, {}, std::nullopt});
  // Prepare every workload before forking so that each is computed once and shared copy-on-write.
  const AreaTable area = AreaTable::load(std::string(DEEPCHIP_SOURCE_DIR) + "/configs/rtl_area.csv");
  for (auto& o : outcomes)
    o.area = area.estimate(cache.quantized(o.point), o.point.hw.array_rows, o.point.hw.array_cols);

  using Clock = std::chrono::steady_clock;
  struct Running {
    size_t index;
    Clock::time_point started;
  };
  std::map<pid_t, Running> running;
  size_t next = 0, finished = 0;
  while (finished < outcomes.size()) {
    while (static_cast<int>(running.size()) < jobs && next < outcomes.size()) {
      const PointConfig& p = outcomes[next].point;
      const fs::path dir = fs::path(out_dir) / "points" / p.id;
      fs::create_directories(dir);
      json eff = p.effective;
      write_json(dir / "effective_config.json", eff);
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid == 0) worker(p, cache, dir, rev);
      if (pid < 0) {
        outcomes[next].result.reason = "fork failed";
        ++finished;
      } else {
        running[pid] = {next, Clock::now()};
      }
      ++next;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0 && running.count(pid)) {
      const size_t i = running[pid].index;
      running.erase(pid);
      outcomes[i].result = collect(fs::path(out_dir) / "points" / outcomes[i].point.id, status);
      ++finished;
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
        ++finished;
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return {outcomes, cache.compressions()};
}

}  // namespace deepchip::explorer
