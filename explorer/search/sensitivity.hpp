// The sensitivity stage of a per-layer policy search (search.sensitivity, OpTC-style): before the
// evolutionary search, each layer's settings are tried alone, and their measured effects seed it.
// - The baseline policy sets every layer axis (layer_axes) to its least compressing value: the most weight
//   bits, the least sparsity, int before ternary before binary. Axes that are not per-layer stay at their
//   first value, as in every probe.
// - A probe is the baseline with one layer's settings changed to one combination of that layer's values;
//   the probes are the baseline and every such combination of every layer (Σ over layers of the product of
//   its axes' sizes, less the repeated baseline).
// - A policy's objectives and accuracy drop are estimated additively from the probes:
//   est(π) = base + Σ_layers (probe(layer, π_layer) − base), exact for weight storage (a sum over layers)
//   and an approximation for cycles, energy and accuracy (layers interact).
// - Seeds: the policies (all of them up to 10^6, else 10^6 drawn uniformly) whose estimated drop is within
//   max_accuracy_drop and whose probes all succeeded, sorted into non-dominated fronts of their estimated
//   objectives; fronts are taken whole, the last one thinned by crowding distance.
#pragma once
#include <random>
#include <set>
#include <vector>

#include "explorer/search/design_space.hpp"
#include "explorer/search/strategy.hpp"

namespace deepchip::explorer {

class SensitivityStage {
 public:
  explicit SensitivityStage(const DesignSpace& space);

  // The probes in a fixed order: the baseline first, then layer by layer (network order), each layer's
  // combinations in the order of its axes (the last fastest).
  const std::vector<Coords>& probes() const { return probes_; }
  // Up to `count` seeds, none of them in `taken`, from the probes' evaluations (in probes() order).
  std::vector<Coords> seeds(const std::vector<Evaluation>& evaluations, size_t count,
                            const std::set<Coords>& taken, std::mt19937_64& rng) const;

 private:
  struct LayerGroup {
    std::vector<size_t> dims;             // the layer's dimensions in the design space
    std::vector<Coords> choices;          // each combination of its values (one index per dim)
    std::vector<size_t> probe_of_choice;  // its probe's index in probes_
  };
  Coords with_choice(Coords c, const LayerGroup& g, const Coords& choice) const;

  Coords baseline_;
  std::vector<LayerGroup> groups_;
  std::vector<Coords> probes_;
};

}  // namespace deepchip::explorer
