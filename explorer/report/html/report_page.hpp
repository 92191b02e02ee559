// The self-contained HTML report (report.html): one file with its data, script and style inlined, that opens
// offline from disk or as a CI artefact and makes no request to any host (its Content-Security-Policy
// forbids every fetch). The page draws hand-written SVG (report.js): a sweep's summary, Pareto plot for any
// two objectives, heat map over array shapes, per-layer breakdowns of a selected point, accuracy views, the
// ARM/FPGA placement, hypervolume per generation and a sortable, filterable table; a point's per-layer
// views and a compact view of its timeline (sim/cost/timeline.hpp).
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "explorer/config/config.hpp"
#include "explorer/run/outcome.hpp"
#include "sim/cost/timeline.hpp"

namespace deepchip::explorer {

struct SweepReportInput {
  const std::vector<PointOutcome>& outcomes;  // the sweep's finished points, in its order
  const SweepSpec& spec;
  nlohmann::json search;  // summary.json's "search" (strategy, hypervolume history)
  std::string title;      // the sweep's config file
  std::string revision;
  double worker_seconds = 0;  // wall time of every stored point's worker, summed
};

// The units and docs of the layer statistics and of the config keys, by name (the tables' header tooltips).
nlohmann::json column_docs();

// The data the page draws, as one JSON document (what the tests and the page agree on).
nlohmann::json sweep_report_data(const SweepReportInput& in);
// A point's data: its effective config, result.json's content and, when recorded, its timeline.
nlohmann::json point_report_data(const nlohmann::json& effective, const nlohmann::json& result,
                                 const sim::Timeline* timeline, double clock_hz, const std::string& title);
// The timeline in a form the page can draw at any size: per track its busy fraction in `bins` equal time
// bins, its busy cycles and slice count, and the layers' spans.
nlohmann::json compact_timeline(const sim::Timeline& timeline, int bins);

// The timeline of a trace `dse run --timeline` wrote (for `dse report` of a point's directory); throws
// sim::InputError naming `where` when it is not such a trace. Sets `clock_hz` from it.
sim::Timeline load_trace(const nlohmann::json& trace, const std::string& where, double& clock_hz);

// The page of `data`, and the page written at `file` (sim/io/output_file.hpp).
std::string report_page_html(const nlohmann::json& data);
void write_report_page(const nlohmann::json& data, const std::filesystem::path& file);

}  // namespace deepchip::explorer
