// The sweep's progress text, formatted here and handed to a writer that dse's main supplies (stderr): the
// library itself prints nothing. On a terminal: one line rewritten in place with done/total, points/min, ETA,
// failures and the best value so far of each objective. Elsewhere (CI, Slurm logs): the same as a plain line
// every 5% of the phase or every 30 s, and at its end. Failed and interrupted points get a line of their own
// with the reason either way.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "explorer/run/worker_pool.hpp"

namespace deepchip::explorer {

class ProgressPrinter {
 public:
  using Writer = std::function<void(const std::string& text)>;  // writes and flushes `text` as it is
  ProgressPrinter(Writer write, bool terminal, std::vector<std::string> objectives);
  // The sweep is about to run: `points` planned, `stored` of them already in the store.
  void started(size_t points, size_t stored);
  void point_finished(const std::string& phase, size_t finished, size_t total, const PointConfig& point,
                      const WorkerOutcome& outcome);
  void finish();  // ends an in-place line

 private:
  struct Phase {
    size_t done = 0, total = 0, failed = 0, last_percent_step = 0;
    std::chrono::steady_clock::time_point started, last_line;
  };
  void print(const std::string& phase, const Phase& p, bool final_line);
  std::string line(const std::string& phase, const Phase& p) const;

  Writer write_;
  bool terminal_;
  std::vector<std::string> objectives_;
  size_t explore_total_ = 0;
  std::map<std::string, Phase> phases_;
  std::map<std::string, double> best_;  // objective -> best (lowest) so far
  bool line_open_ = false;
  std::chrono::steady_clock::time_point phase_boundary_ = std::chrono::steady_clock::now();
};

}  // namespace deepchip::explorer
