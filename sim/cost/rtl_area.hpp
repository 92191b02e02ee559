// Array area from the RTL synthesis table (configs/rtl_area.csv, written by scripts/synth with yosys):
// R x C times the synthesized PE of the point's weight format. A network whose conv/fc layers are all
// ternary/binary needs the multiplier-free ternary PE; otherwise the PE must hold the widest int weights of
// any layer, and the smallest synthesized width at least that wide is used. The estimate leaves out the
// skew/de-skew registers (a few % of a 4x4 array, less for larger ones).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

struct AreaEstimate {
  std::string pe;  // "int8", "ternary", ...
  int64_t generic_cells = 0, luts = 0, ffs = 0, dsp48 = 0, carry4 = 0;
};

class AreaTable {
 public:
  // Throws ConfigError "file:line: ..." on a malformed table.
  static AreaTable load(const std::string& path);
  std::optional<AreaEstimate> estimate(const QuantModel& model, int rows, int cols) const;

 private:
  struct Row {
    std::string weight;  // bits or "ternary"
    int64_t cells, luts, ffs, dsp48, carry4;
  };
  std::vector<Row> pe_rows_;
};

}  // namespace deepchip::sim
