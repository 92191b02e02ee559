// One design point to one result: the only place that checks whether a point can work, elaborates its
// SystemC model (the accelerator alone, or inside its ARM+FPGA system), simulates the network, compares
// every layer with the golden executor (when the array level executes numerics) and totals the stats.
// Each call elaborates in a fresh SystemC kernel (models/kernel.hpp), so a process evaluates any number
// of points one after another, each as it would alone. This header includes no SystemC: the explorer calls
// it without seeing the models.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "sim/cost/energy.hpp"
#include "sim/cost/fpga.hpp"
#include "sim/cost/observers.hpp"
#include "sim/cost/stats.hpp"
#include "sim/exec/golden_reference.hpp"
#include "sim/ir/model.hpp"
#include "sim/map/hardware.hpp"
#include "sim/map/mapper.hpp"
#include "sim/map/schedule_cache.hpp"
#include "sim/soc/soc_config.hpp"

namespace deepchip::models {

// A fully resolved design point: the accelerator, and the system around it when there is one.
// `explored_for`: the run is the `timing` exploration of a point configured for that array implementation
// (sweep key verify = pareto), so the point must be feasible on it too (e.g. an rtl size that is built).
struct PointSpec {
  sim::HardwareConfig hw;
  std::optional<sim::SocConfig> soc;
  std::optional<sim::ArrayImpl> explored_for;
};

// What the point runs: the compressed model, its energy table and golden reference (computed here when
// null), and for a system the PE its fabric array is built from.
struct Workload {
  const sim::QuantModel& model;
  const sim::EnergyTable& energy;
  const sim::GoldenReference* golden = nullptr;
  std::optional<sim::PeResources> pe;
  // The model's schedules of earlier points, reused by a point that maps alike (none: mapped here).
  sim::ScheduleCache* schedules = nullptr;
};

// `observers` (optional): what the run records besides its result (`dse run --timeline`, `--trace`).
sim::PointResult evaluate(const PointSpec& spec, const Workload& workload,
                          const sim::Observers& observers = {});

// The accelerator's checks alone (no simulation): empty if the point can run, else the reason: the mapping's
// (sim/map/feasibility.hpp) and the array implementation's (models/array/registry.cpp).
// `worst_case_sums`: the model's sim::worst_case_accumulators when known (else computed); `schedules`: the
// point's sim::map_network when made (else each layer is mapped here).
std::string infeasibility_reason(const sim::QuantModel& model, const sim::HardwareConfig& hw,
                                 const std::map<std::string, int64_t>* worst_case_sums = nullptr,
                                 const std::map<std::string, sim::LayerSchedule>* schedules = nullptr);

}  // namespace deepchip::models
