#include "sim/cost/rtl_area.hpp"

#include <fstream>
#include <sstream>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

AreaTable AreaTable::load(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw ConfigError(path + ": cannot open the RTL area table (scripts/synth writes it)");
  AreaTable t;
  std::string line;
  int line_no = 0;
  while (std::getline(f, line)) {
    if (++line_no == 1 || line.empty()) continue;  // header
    std::stringstream ss(line);
    std::vector<std::string> c;
    std::string cell;
    while (std::getline(ss, cell, ',')) c.push_back(cell);
    if (c.size() != 9) throw ConfigError(path + ":" + std::to_string(line_no) + ": expected 9 columns");
    if (c[0] != "pe") continue;
    try {
      t.pe_rows_.push_back(
          {c[1], std::stoll(c[4]), std::stoll(c[5]), std::stoll(c[6]), std::stoll(c[7]), std::stoll(c[8])});
    } catch (const std::exception&) {
      throw ConfigError(path + ":" + std::to_string(line_no) + ": counts must be integers");
    }
  }
  return t;
}

std::optional<AreaEstimate> AreaTable::estimate(const QuantModel& model, int rows, int cols) const {
  int widest_int = 0;
  for (const auto& l : model.net.layers) {
    const QuantLayer& q = model.layers.at(l.params());
    if (l.is_gemm() && q.format == WeightFormat::kInt)
      widest_int = std::max(widest_int, q.stored_weight_bits);
  }
  const Row* best = nullptr;
  for (const auto& r : pe_rows_) {
    if (widest_int == 0) {
      if (r.weight == "ternary") best = &r;
    } else if (r.weight != "ternary" && std::stoi(r.weight) >= widest_int &&
               (!best || std::stoi(r.weight) < std::stoi(best->weight))) {
      best = &r;
    }
  }
  if (!best) return std::nullopt;
  const int64_t pes = int64_t{rows} * cols;
  return AreaEstimate{best->weight == "ternary" ? "ternary" : "int" + best->weight,
                      pes * best->cells,
                      pes * best->luts,
                      pes * best->ffs,
                      pes * best->dsp48,
                      pes * best->carry4};
}

}  // namespace deepchip::sim
