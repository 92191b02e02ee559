// A timeline of one design point: what each unit of the hardware did when, as slices on tracks, written in
// the Trace Event format (the JSON that ui.perfetto.dev and chrome://tracing open). `dse run --timeline`.
//
// A track is one unit doing one thing at a time (the read DMA's weight stream, the DRAM channel, the array),
// so slices on a track never overlap: a slice that would begin before the previous one on its track ended
// begins when that one ends (the unit was still busy; its own start is kept in the slice's `issued_cycle`).
// Times are in the accelerator's clock cycles from the start of the run; the trace gives them as
// microseconds of that clock (`ts`, `dur`) and as exact cycles in each slice's args.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace deepchip::sim {

// The tracks, in the order a designer reads them (their sort index in the trace).
enum class Track {
  kLayers,       // one slice per layer, from its start to its last output written
  kDmaWeights,   // read DMA: a fold's weights, issue to data complete
  kDmaInputs,    // read DMA: an input chunk
  kDmaPsums,     // read DMA: partial sums a chunk brings back from DRAM
  kDecoder,      // Huffman weight decoder: a fold's segment
  kArrayLoad,    // array: a fold's weights shifting into the PEs (R cycles)
  kArrayInject,  // array: a run of input vectors entering the rows (one per cycle)
  kArray,        // array: a fold from its weight load (or the previous fold's end) to its last MAC
  kOutputStage,  // output stage: a fold's partial-sum spill and output write-back to DRAM
  kVectorUnit,   // vector unit: pooling, ReLU, residual add (read, compute, write)
  kDram,         // the DRAM (or the system's DDR) channel: transfers served, first come first served
  kArmCores,     // ARM cluster: a layer's compute
  kHpPort,       // the PL's AXI port to the DDR
  kPsPort,       // the ARM cluster's port to the DDR
  kHandoff,      // ARM <-> FPGA: a tensor moved through DDR between the sides
  kCount
};
const char* track_name(Track t);

// What one track did during one layer: its first and last cycle (-1: nothing), busy cycles and slices.
struct TrackSummary {
  int64_t first_cycle = -1, last_cycle = -1, busy_cycles = 0, slices = 0;
};

// A layer's span and what every track did in it (kept for every layer, however many slices there are).
struct LayerSummary {
  std::string name;
  int64_t start_cycle = 0, end_cycle = 0;
  TrackSummary tracks[static_cast<int>(Track::kCount)];
};

struct TimelineSlice {
  Track track = Track::kLayers;
  int64_t start_cycle = 0, end_cycle = 0;
  std::string name;
  std::vector<std::pair<const char*, int64_t>> args;  // names are string literals
};

class Timeline {
 public:
  // Records a slice [start, end) on `track` (clipped as the header says). An empty slice (a transfer of
  // ideal memory) is kept as an instant unless the track was still busy then.
  void slice(Track track, std::string name, int64_t start_cycle, int64_t end_cycle,
             std::vector<std::pair<const char*, int64_t>> args = {});
  // Forgets everything recorded and counts cycles from `origin_cycle` on (the run of a system that first
  // probed every layer on the accelerator starts after the probe).
  void restart_at(int64_t origin_cycle);
  const std::vector<TimelineSlice>& slices() const { return slices_; }
  // Per layer (closed by its slice on the layers track, which a layer records last).
  const std::vector<LayerSummary>& layers() const { return layers_; }

  // At most this many slices are kept (a large network on a small array has millions of folds); later ones
  // still count in layers() but are not stored, and truncated() says so.
  void set_max_slices(size_t n) { max_slices_ = n; }
  bool truncated() const { return truncated_; }

  // The Trace Event JSON ("traceEvents" of complete events "X" plus thread and process names).
  nlohmann::json trace_json(double clock_hz, const std::string& title) const;

 private:
  std::vector<TimelineSlice> slices_;
  std::vector<LayerSummary> layers_;
  TrackSummary current_[static_cast<int>(Track::kCount)];  // of the layer being played
  size_t max_slices_ = 2000000;
  bool truncated_ = false;
  int64_t origin_ = 0;
  int64_t track_end_[static_cast<int>(Track::kCount)] = {};
};

}  // namespace deepchip::sim
