#include "sim/exec/golden_reference.hpp"

#include <algorithm>

#include "sim/exec/golden.hpp"
#include "sim/exec/im2col.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/util/parallel_for.hpp"

namespace deepchip::sim {

namespace {

// The golden run layer by layer, counting each array layer's zero MACs on its inputs and freeing every tensor
// after its last reader: the memory of what is live, not of every tensor (a decoding's caches, step by step).
ZeroMacCounts zero_macs_streamed(const QuantModel& model, const GoldenRunner& runner) {
  std::map<std::string, size_t> last_reader;
  for (size_t i = 0; i < model.net.layers.size(); ++i)
    for (const auto& in : model.net.layers[i].inputs) last_reader[in] = i;
  std::map<std::string, IntTensor> live = model.inputs;
  ZeroMacCounter counter(model);
  ZeroMacCounts counts;
  for (size_t i = 0; i < model.net.layers.size(); ++i) {
    const Layer& l = model.net.layers[i];
    if (l.on_array()) counts[l.name] = counter.count(l, live);
    IntTensor out = runner.run_layer(l, live);
    for (const auto& in : l.inputs)
      if (last_reader.at(in) == i) live.erase(in);
    if (last_reader.count(l.name)) live[l.name] = std::move(out);
  }
  return counts;
}

// Every conv/fc layer's weights (once per parameter set) as the golden GEMMs take them, per group; lowered
// on every core.
void lower_gemm_weights(const QuantModel& model, GemmWeights& lowered) {
  std::vector<const Layer*> layers;
  for (const auto& l : model.net.layers)
    if (l.is_gemm() && !lowered.count(l.params())) {
      layers.push_back(&l);
      lowered[l.params()].resize(static_cast<size_t>(l.groups));
    }
  parallel_for(static_cast<int64_t>(layers.size()), 0, [&](int64_t i) {
    const Layer& l = *layers[static_cast<size_t>(i)];
    auto& groups = lowered.at(l.params());  // the map is not changed while the tasks run
    for (int group = 0; group < l.groups; ++group)
      groups[static_cast<size_t>(group)] = gemm_weights(model.layers.at(l.params()).weights, l, group);
  });
}

}  // namespace

GoldenReference golden_reference(const QuantModel& model, int accumulator_bits, bool lower_weights,
                                 bool keep_tensors) {
  GoldenReference g;
  // Layers that share parameters (a decoding's steps) lower them once and keep them; other models lower each
  // layer's while it runs (one pass: no second copy of a large import's weights).
  const bool shared = std::any_of(model.net.layers.begin(), model.net.layers.end(),
                                  [](const Layer& l) { return !l.params_of.empty(); });
  const GoldenRunner runner(model, accumulator_bits, nullptr,
                            shared ? WeightKeeping::kKept : WeightKeeping::kChunked, 0);  // on every core
  if (keep_tensors) {
    g.tensors = runner.run(model.inputs);
    g.zero_macs = zero_mac_counts(model, g.tensors);
  } else {
    g.zero_macs = zero_macs_streamed(model, runner);
  }
  g.worst_case_sums = worst_case_accumulators(model);
  if (lower_weights) lower_gemm_weights(model, g.gemm_weights);
  return g;
}

}  // namespace deepchip::sim
