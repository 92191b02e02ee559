#include "sim/util/enum_names.hpp"

namespace deepchip::sim {

template <>
const EnumNames<ArrayImpl>& enum_names() {
  static const EnumNames<ArrayImpl> t = {{ArrayImpl::kCycle, "cycle"},
                                         {ArrayImpl::kTile, "tile"},
                                         {ArrayImpl::kRtl, "rtl"},
                                         {ArrayImpl::kTiming, "timing"}};
  return t;
}

template <>
const EnumNames<WeightBuffering>& enum_names() {
  static const EnumNames<WeightBuffering> t = {{WeightBuffering::kSingle, "single"},
                                               {WeightBuffering::kDouble, "double"}};
  return t;
}

template <>
const EnumNames<Dataflow>& enum_names() {
  static const EnumNames<Dataflow> t = {{Dataflow::kWs, "ws"}, {Dataflow::kOs, "os"}, {Dataflow::kIs, "is"}};
  return t;
}

template <>
const EnumNames<LoopOrder>& enum_names() {
  static const EnumNames<LoopOrder> t = {
      {LoopOrder::kAuto, "auto"}, {LoopOrder::kNkm, "nkm"}, {LoopOrder::kMnk, "mnk"}};
  return t;
}

template <>
const EnumNames<MemoryModel>& enum_names() {
  static const EnumNames<MemoryModel> t = {{MemoryModel::kDram, "dram"}, {MemoryModel::kIdeal, "ideal"}};
  return t;
}

template <>
const EnumNames<OverflowPolicy>& enum_names() {
  static const EnumNames<OverflowPolicy> t = {{OverflowPolicy::kReject, "reject"},
                                              {OverflowPolicy::kWrap, "wrap"}};
  return t;
}

template <>
const EnumNames<ZeroHandling>& enum_names() {
  static const EnumNames<ZeroHandling> t = {{ZeroHandling::kNone, "none"},
                                            {ZeroHandling::kGating, "gating"},
                                            {ZeroHandling::kSkipping, "skipping"}};
  return t;
}

template <>
const EnumNames<WeightFormat>& enum_names() {
  static const EnumNames<WeightFormat> t = {
      {WeightFormat::kInt, "int"}, {WeightFormat::kTernary, "ternary"}, {WeightFormat::kBinary, "binary"}};
  return t;
}

template <>
const EnumNames<WeightGranularity>& enum_names() {
  static const EnumNames<WeightGranularity> t = {{WeightGranularity::kPerChannel, "per_channel"},
                                                 {WeightGranularity::kPerTensor, "per_tensor"}};
  return t;
}

template <>
const EnumNames<PruningScope>& enum_names() {
  static const EnumNames<PruningScope> t = {{PruningScope::kLayer, "layer"},
                                            {PruningScope::kGlobal, "global"}};
  return t;
}

template <>
const EnumNames<HuffmanMode>& enum_names() {
  static const EnumNames<HuffmanMode> t = {
      {HuffmanMode::kOff, "off"}, {HuffmanMode::kOn, "on"}, {HuffmanMode::kZeroRle, "zero_rle"}};
  return t;
}

template <>
const EnumNames<PartitionStrategy>& enum_names() {
  static const EnumNames<PartitionStrategy> t = {{PartitionStrategy::kAuto, "auto"},
                                                 {PartitionStrategy::kAllFpga, "all_fpga"},
                                                 {PartitionStrategy::kAllArm, "all_arm"},
                                                 {PartitionStrategy::kFixed, "fixed"}};
  return t;
}

template <>
const EnumNames<PartitionObjective>& enum_names() {
  static const EnumNames<PartitionObjective> t = {{PartitionObjective::kLatency, "latency"},
                                                  {PartitionObjective::kEnergy, "energy"},
                                                  {PartitionObjective::kEdp, "edp"}};
  return t;
}

}  // namespace deepchip::sim
