#include "explorer/run/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "explorer/run/outcome.hpp"

namespace deepchip::explorer {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kPlainLineSeconds = 30;
constexpr size_t kPlainLinePercent = 5;
constexpr double kTerminalRefreshSeconds = 0.2;

std::string duration_text(double seconds) {
  const auto s = static_cast<int64_t>(std::llround(seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  return buf;
}

// The objective's value in a worker's result (accuracy is measured in the parent: not shown here).
std::optional<double> objective_of(const sim::PointResult& r, const std::string& name) {
  const ObjectiveDecl& objective = objective_decl(name);
  if (objective.from_accuracy()) return std::nullopt;
  return point_metric(r, std::nullopt, objective.column);  // a total, a silicon or a derived metric
}

}  // namespace

ProgressPrinter::ProgressPrinter(Writer write, bool terminal, std::vector<std::string> objectives)
    : write_(std::move(write)), terminal_(terminal), objectives_(std::move(objectives)) {}

void ProgressPrinter::started(size_t points, size_t stored) {
  explore_total_ = points > stored ? points - stored : 0;
}

void ProgressPrinter::point_finished(const std::string& phase, size_t finished, size_t total,
                                     const PointConfig& point, const WorkerOutcome& o) {
  const std::string label = phase.empty() ? "explore" : phase;
  Phase& p = phases_[label];
  // A phase's rate counts from when the previous one ended (or the sweep started): its workers started then.
  if (p.done == 0) p.started = p.last_line = phase_boundary_;
  ++p.done;
  // The explore phase may come in several asks (a search's generations): count against the whole run.
  p.total = label == "explore" ? std::max(explore_total_, p.done) : std::max(total, finished);
  if (!o.result.ok || o.interrupted) {
    ++p.failed;
    finish();
    write_("dse: point " + point.id + (o.interrupted ? " interrupted: " : " failed: ") + o.result.reason +
           (o.interrupted ? "; not stored" : "") + "\n");
  } else {
    for (const auto& name : objectives_) {
      const std::optional<double> v = objective_of(o.result, name);
      if (!v) continue;
      auto [it, added] = best_.try_emplace(name, *v);
      if (!added)
        it->second = objective_decl(name).maximised ? std::max(it->second, *v) : std::min(it->second, *v);
    }
  }
  const bool done = p.done >= p.total;
  if (done) phase_boundary_ = Clock::now();
  const double since_line = std::chrono::duration<double>(Clock::now() - p.last_line).count();
  const size_t step = p.total ? p.done * 100 / p.total / kPlainLinePercent : 0;
  if (terminal_ ? (done || since_line >= kTerminalRefreshSeconds)
                : (done || since_line >= kPlainLineSeconds || step > p.last_percent_step)) {
    p.last_percent_step = step;
    p.last_line = Clock::now();
    print(label, p, done);
  }
}

std::string ProgressPrinter::line(const std::string& phase, const Phase& p) const {
  const double elapsed = std::max(1e-9, std::chrono::duration<double>(Clock::now() - p.started).count());
  const double per_min = static_cast<double>(p.done) / elapsed * 60;
  const double eta =
      p.done ? elapsed / static_cast<double>(p.done) * static_cast<double>(p.total - p.done) : 0;
  std::ostringstream os;
  os << "[" << (phase == "explore" ? "" : phase + " ") << p.done << "/" << p.total << " "
     << (p.total ? p.done * 100 / p.total : 100) << "%] " << static_cast<int64_t>(std::llround(per_min))
     << " points/min, ETA " << duration_text(eta) << ", " << p.failed << " failed";
  for (const auto& name : objectives_)
    if (auto it = best_.find(name); it != best_.end()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", it->second);
      os << ", best " << name << " " << buf;
    }
  return os.str();
}

void ProgressPrinter::print(const std::string& phase, const Phase& p, bool final_line) {
  if (terminal_) {
    write_("\r" + line(phase, p) + "\x1b[K" + (final_line ? "\n" : ""));
    line_open_ = !final_line;
  } else {
    write_(line(phase, p) + "\n");
  }
}

void ProgressPrinter::finish() {
  if (line_open_) write_("\n");
  line_open_ = false;
}

}  // namespace deepchip::explorer
