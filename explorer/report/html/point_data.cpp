// A point's report data (`dse run`): its config, its result as result.json holds it, and its timeline in
// compact form.
#include <algorithm>

#include "explorer/config/config_keys.hpp"
#include "explorer/report/html/report_page.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {

using nlohmann::json;

json compact_timeline(const sim::Timeline& timeline, int bins) {
  const auto& slices = timeline.slices();
  int64_t end = 0;
  for (const auto& s : slices) end = std::max(end, s.end_cycle);
  const int count = static_cast<int>(sim::Track::kCount);
  std::vector<std::vector<double>> busy(count, std::vector<double>(static_cast<size_t>(bins), 0.0));
  std::vector<int64_t> busy_cycles(count, 0), slice_count(count, 0);
  const double bin_cycles = end > 0 ? static_cast<double>(end) / bins : 1.0;
  json layers = json::array();
  for (const auto& s : slices) {
    const int t = static_cast<int>(s.track);
    busy_cycles[t] += s.end_cycle - s.start_cycle;
    ++slice_count[t];
    // The slice's share of every bin it covers.
    const int first = std::min(bins - 1, static_cast<int>(static_cast<double>(s.start_cycle) / bin_cycles));
    const int last = std::min(bins - 1, static_cast<int>(static_cast<double>(s.end_cycle - 1) / bin_cycles));
    for (int b = first; b <= last; ++b) {
      const double lo = std::max(static_cast<double>(s.start_cycle), b * bin_cycles);
      const double hi = std::min(static_cast<double>(s.end_cycle), (b + 1) * bin_cycles);
      if (hi > lo) busy[t][static_cast<size_t>(b)] += (hi - lo) / bin_cycles;
    }
  }
  for (const auto& l : timeline.layers()) layers.push_back({l.name, l.start_cycle, l.end_cycle});
  json tracks = json::array();
  for (int t = 0; t < count; ++t) {
    if (slice_count[t] == 0) continue;
    json fractions = json::array();
    for (double f : busy[t]) fractions.push_back(std::round(std::min(1.0, f) * 1000) / 1000);
    tracks.push_back({{"name", sim::track_name(static_cast<sim::Track>(t))},
                      {"busy_cycles", busy_cycles[t]},
                      {"slices", slice_count[t]},
                      {"busy", fractions}});
  }
  return {{"end_cycle", end},
          {"bins", bins},
          {"tracks", tracks},
          {"layers", layers},
          {"truncated", timeline.truncated()}};
}

sim::Timeline load_trace(const json& trace, const std::string& where, double& clock_hz) {
  sim::Timeline tl;
  try {
    clock_hz = trace.at("otherData").at("clock_hz").get<double>();
    for (const auto& e : trace.at("traceEvents")) {
      if (e.at("ph") != "X") continue;
      const int tid = e.at("tid").get<int>();
      if (tid < 1 || tid > static_cast<int>(sim::Track::kCount))
        throw sim::InputError(where + ": tid " + std::to_string(tid) + " is no track of dse's");
      const auto& args = e.at("args");
      const int64_t start = args.at("start_cycle").get<int64_t>();
      tl.slice(static_cast<sim::Track>(tid - 1), e.at("name").get<std::string>(), start,
               start + args.at("cycles").get<int64_t>());
    }
  } catch (const json::exception& e) {
    throw sim::InputError(where + ": not a dse timeline (" + e.what() + ")");
  }
  return tl;
}

json column_docs() {
  json docs = json::object();
  for (const auto& d : explorer::metric_docs())  // the totals, the silicon and the derived metrics
    docs[d.name] = {{"unit", d.unit}, {"doc", d.doc}};
  for (const auto& d : explorer::key_decls())  // the axes' columns, documented where the keys are declared
    if (!docs.contains(d.name)) docs[d.name] = {{"unit", d.unit}, {"doc", d.doc}};
  return docs;
}

json point_report_data(const json& effective, const json& result, const sim::Timeline* timeline,
                       double clock_hz, const std::string& title) {
  json data = {{"kind", "point"}, {"title", title}, {"config", effective}, {"result", result}};
  data["columns"] = column_docs();
  if (timeline) {
    data["timeline"] = compact_timeline(*timeline, 400);
    data["timeline"]["clock_hz"] = clock_hz;
  }
  return data;
}

}  // namespace deepchip::explorer
