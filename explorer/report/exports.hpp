// Sweep outputs: results.csv (one row per point, Pareto flag), layers.csv, summary.json, console table.
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "explorer/run/runner.hpp"
#include "sim/io/output_file.hpp"

namespace deepchip::explorer {

// A network as the outputs name it: a file's name without its directory, or the zoo name.
std::string network_label(const std::string& network);
// A CSV cell: strings as they are, other values as JSON; quoted (RFC 4180) when they hold , " or a newline.
std::string csv_cell(const nlohmann::json& value);

// Pareto-optimal points over the objectives (cycles, energy, accuracy, weight_storage; see the "objectives"
// key) among the points of the same network that are ok, golden-matching and meet their constraints.
std::vector<bool> pareto_front(const std::vector<PointOutcome>& outcomes,
                               const std::vector<std::string>& objectives);

// Cycles of the matching int8 dense point (same network and hardware, weight_format int, 8 bits, no pruning,
// no Huffman, no overrides) divided by each point's cycles; 0 where the sweep has no such point.
std::vector<double> speedup_vs_int8_dense(const std::vector<PointOutcome>& outcomes);

// The points a verify "pareto" sweep executes with numerics: the Pareto front and every point of
// best_within_accuracy_drop (indices into `outcomes`, ascending).
std::vector<size_t> verification_targets(const std::vector<PointOutcome>& outcomes, const SweepSpec& spec);

// Per network with accuracy and per budget (no loss: 0.5 points; 2 points): the most compressed and the
// fastest point within the budget (summary.json's "best_within_accuracy_drop").
nlohmann::json best_within_accuracy_drop(const std::vector<PointOutcome>& outcomes,
                                         const std::vector<double>& speedup);

// `search`: summary.json's "search" entry (strategy and hypervolume history).
void write_reports(const std::vector<PointOutcome>& outcomes, const SweepSpec& spec,
                   const std::string& out_dir, const std::string& git_revision, size_t compressions,
                   const nlohmann::json& search, sim::OutputSet& files);
void print_best(std::ostream& os, const std::vector<PointOutcome>& outcomes, const SweepSpec& spec);
void print_layer_table(std::ostream& os, const sim::PointResult& result);

}  // namespace deepchip::explorer
