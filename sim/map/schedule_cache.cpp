#include "sim/map/schedule_cache.hpp"

#include <algorithm>

#include "sim/compress/compression.hpp"

namespace deepchip::sim {

std::shared_ptr<const NetworkSchedules> ScheduleCache::schedules(const MappingConfig& m) {
  auto it = std::find_if(recent_.begin(), recent_.end(), [&](const auto& entry) { return entry.first == m; });
  if (it != recent_.end()) {
    ++hits_;
    std::rotate(recent_.begin(), it, it + 1);  // now the newest
    return recent_.front().second;
  }
  ++misses_;
  if (recent_.size() >= capacity_) recent_.pop_back();  // before mapping: one set less at the peak
  NetworkSchedules schedules = map_network(model_, m);
  for (const auto& l : model_.net.layers) {
    const auto s = schedules.find(l.name);
    if (s != schedules.end())
      s->second.weight_stream =
          std::make_shared<const LayerStream>(layer_weight_stream(l, model_, s->second));
  }
  auto made = std::make_shared<const NetworkSchedules>(std::move(schedules));
  recent_.insert(recent_.begin(), {m, made});
  return made;
}

}  // namespace deepchip::sim
