// One name table per configuration enum: parsing (explorer/config/config.cpp), printing (results, summaries)
// and the choices a key declares (explorer/config/key_table.cpp) all read it, so a spelling exists once.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"
#include "sim/soc/partition.hpp"
#include "sim/soc/soc_config.hpp"

namespace deepchip::sim {

template <typename E>
using EnumNames = std::vector<std::pair<E, const char*>>;

// The table of an enum, in the order its key lists its choices (the first is not implied to be the default).
template <typename E>
const EnumNames<E>& enum_names();

template <typename E>
const char* name_of(E value) {
  for (const auto& [v, name] : enum_names<E>())
    if (v == value) return name;
  throw std::logic_error("enum value without a name");
}

template <typename E>
std::optional<E> enum_from_name(const std::string& name) {
  for (const auto& [v, n] : enum_names<E>())
    if (name == n) return v;
  return std::nullopt;
}

template <typename E>
std::vector<std::string> enum_choices() {
  std::vector<std::string> choices;
  for (const auto& entry : enum_names<E>()) choices.emplace_back(entry.second);
  return choices;
}

template <>
const EnumNames<ArrayImpl>& enum_names();
template <>
const EnumNames<WeightBuffering>& enum_names();
template <>
const EnumNames<Dataflow>& enum_names();
template <>
const EnumNames<LoopOrder>& enum_names();
template <>
const EnumNames<MemoryModel>& enum_names();
template <>
const EnumNames<OverflowPolicy>& enum_names();
template <>
const EnumNames<ZeroHandling>& enum_names();
template <>
const EnumNames<WeightFormat>& enum_names();
template <>
const EnumNames<WeightGranularity>& enum_names();
template <>
const EnumNames<PruningScope>& enum_names();
template <>
const EnumNames<HuffmanMode>& enum_names();
template <>
const EnumNames<PartitionStrategy>& enum_names();
template <>
const EnumNames<PartitionObjective>& enum_names();

}  // namespace deepchip::sim
