// What a run records besides its result (`dse run --timeline`, `--trace`): nothing by default. Kept apart
// from the hardware config, so that a design point's description carries no output sinks and one elaborated
// model's observers are named where the model is made (models::evaluate, the SystemC tops, the arrays).
#pragma once
#include <string>

namespace deepchip::sim {

class Timeline;
class OutputSet;

struct Observers {
  Timeline* timeline = nullptr;  // what every unit did when (sim/cost/timeline.hpp); null: nothing recorded
  std::string trace_vcd;         // the rtl or cycle array's waveforms (VCD); empty: none
  OutputSet* outputs = nullptr;  // where trace_vcd is opened (committed by the caller); null: directly

  static Observers timeline_only(Timeline* timeline) { return {timeline, "", nullptr}; }
};

}  // namespace deepchip::sim
