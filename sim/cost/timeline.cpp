#include "sim/cost/timeline.hpp"

#include <algorithm>

namespace deepchip::sim {

const char* track_name(Track t) {
  switch (t) {
    case Track::kLayers:
      return "layers";
    case Track::kDmaWeights:
      return "read DMA: weights";
    case Track::kDmaInputs:
      return "read DMA: inputs";
    case Track::kDmaPsums:
      return "read DMA: partial sums";
    case Track::kDecoder:
      return "weight decoder";
    case Track::kArrayLoad:
      return "array: weight load";
    case Track::kArrayInject:
      return "array: input vectors";
    case Track::kArray:
      return "array: folds";
    case Track::kOutputStage:
      return "output stage: DRAM writes";
    case Track::kVectorUnit:
      return "vector unit";
    case Track::kDram:
      return "DRAM channel";
    case Track::kArmCores:
      return "ARM cores";
    case Track::kHpPort:
      return "HP port (PL to DDR)";
    case Track::kPsPort:
      return "PS port (ARM to DDR)";
    case Track::kHandoff:
      return "ARM <-> FPGA tensors";
    case Track::kCount:
      break;
  }
  return "?";
}

void Timeline::slice(Track track, std::string name, int64_t start_cycle, int64_t end_cycle,
                     std::vector<std::pair<const char*, int64_t>> args) {
  int64_t& track_end = track_end_[static_cast<int>(track)];
  const int64_t issued = start_cycle - origin_;
  const int64_t start = std::max(issued, track_end);
  const int64_t end = end_cycle - origin_;
  // A transfer of ideal memory takes no time: an instant (kept); one the track's last slice covers is not.
  if (end < start || (end == start && start != issued)) return;
  if (start != issued) args.emplace_back("issued_cycle", issued);
  track_end = end;
  TrackSummary& t = current_[static_cast<int>(track)];
  if (t.first_cycle < 0) t.first_cycle = start;
  t.last_cycle = end;
  t.busy_cycles += end - start;
  ++t.slices;
  if (track == Track::kLayers) {
    LayerSummary l{name, start, end, {}};
    std::copy(std::begin(current_), std::end(current_), std::begin(l.tracks));
    layers_.push_back(std::move(l));
    std::fill(std::begin(current_), std::end(current_), TrackSummary{});
  }
  if (slices_.size() >= max_slices_) {
    truncated_ = true;
    return;
  }
  slices_.push_back({track, start, end, std::move(name), std::move(args)});
}

void Timeline::restart_at(int64_t origin_cycle) {
  slices_.clear();
  layers_.clear();
  std::fill(std::begin(current_), std::end(current_), TrackSummary{});
  truncated_ = false;
  origin_ = origin_cycle;
  std::fill(std::begin(track_end_), std::end(track_end_), 0);
}

nlohmann::json Timeline::trace_json(double clock_hz, const std::string& title) const {
  constexpr int kPid = 1;
  const double us_per_cycle = 1e6 / clock_hz;
  nlohmann::json events = nlohmann::json::array();
  events.push_back({{"ph", "M"}, {"pid", kPid}, {"name", "process_name"}, {"args", {{"name", title}}}});
  for (int t = 0; t < static_cast<int>(Track::kCount); ++t) {
    const int tid = t + 1;
    events.push_back({{"ph", "M"},
                      {"pid", kPid},
                      {"tid", tid},
                      {"name", "thread_name"},
                      {"args", {{"name", track_name(static_cast<Track>(t))}}}});
    events.push_back({{"ph", "M"},
                      {"pid", kPid},
                      {"tid", tid},
                      {"name", "thread_sort_index"},
                      {"args", {{"sort_index", tid}}}});
  }
  for (const auto& s : slices_) {
    nlohmann::json args = {{"start_cycle", s.start_cycle}, {"cycles", s.end_cycle - s.start_cycle}};
    for (const auto& [k, v] : s.args) args[k] = v;
    events.push_back({{"ph", "X"},
                      {"pid", kPid},
                      {"tid", static_cast<int>(s.track) + 1},
                      {"name", s.name},
                      {"cat", track_name(s.track)},
                      {"ts", static_cast<double>(s.start_cycle) * us_per_cycle},
                      {"dur", static_cast<double>(s.end_cycle - s.start_cycle) * us_per_cycle},
                      {"args", std::move(args)}});
  }
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ns"},
          {"otherData",
           {{"clock_hz", clock_hz},
            {"time_unit", "ts and dur in microseconds of that clock"},
            {"truncated", truncated_},
            {"max_slices", max_slices_}}}};
}

}  // namespace deepchip::sim
