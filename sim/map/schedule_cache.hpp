// The schedules of one compressed model under its latest mapping configurations, each layer's with its
// weights coded for its folds (LayerSchedule::weight_stream: the Huffman coding of a layer was three
// quarters of a Huffman sweep's worker time). A sweep's points often differ only in what the mapper does not
// read (the innermost axis of tests/bench/resnet18_sweep.json is the DRAM bandwidth): a worker then maps and
// codes once per MappingConfig instead of once per point. Both are pure functions of (model, MappingConfig),
// so a reused schedule equals a fresh one; the model must outlive the cache and not change
// (explorer/run/workload_cache.hpp owns both).
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/ir/model.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::sim {

using NetworkSchedules = std::map<std::string, LayerSchedule>;

class ScheduleCache {
 public:
  // `capacity`: the configurations kept, the most recently used first. One by default: a sweep's innermost
  // axis repeats the last point's mapping, and keeping more (a small array's schedules of ResNet-18 are tens
  // of MB) made tests/bench/resnet18_sweep.json slower (5.8 s with one, 6.1 s with two, 6.6 s with four).
  explicit ScheduleCache(const QuantModel& model, size_t capacity = 1)
      : model_(model), capacity_(capacity > 0 ? capacity : 1) {}
  // map_network(model, m), made on the first request of m since it was last evicted.
  std::shared_ptr<const NetworkSchedules> schedules(const MappingConfig& m);
  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }

 private:
  const QuantModel& model_;
  size_t capacity_;
  std::vector<std::pair<MappingConfig, std::shared_ptr<const NetworkSchedules>>> recent_;  // newest first
  size_t hits_ = 0, misses_ = 0;
};

}  // namespace deepchip::sim
