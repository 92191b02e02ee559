#include "sim/compress/pruning.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/ir/model.hpp"

namespace deepchip::sim {

namespace {

// A pruning unit: one block (or one weight) of one layer's GEMM weight matrix.
struct Block {
  size_t layer;  // index into the pruned layers
  int group;
  int64_t k0, n0, k1, n1;
  double score;  // mean |w|
};

std::vector<Block> blocks_of(size_t index, const Layer& l, const std::vector<float>& w, int bk, int bn) {
  const GemmShape g = gemm_shape(l);
  std::vector<Block> blocks;
  for (int grp = 0; grp < l.groups; ++grp)
    for (int64_t n0 = 0; n0 < g.n; n0 += bn)
      for (int64_t k0 = 0; k0 < g.k; k0 += bk) {
        Block b{index, grp, k0, n0, std::min(k0 + bk, g.k), std::min(n0 + bn, g.n), 0};
        double sum = 0;
        for (int64_t n = b.n0; n < b.n1; ++n)
          for (int64_t k = b.k0; k < b.k1; ++k)
            sum += std::fabs(w[static_cast<size_t>((grp * g.n + n) * g.k + k)]);
        b.score = sum / static_cast<double>((b.k1 - b.k0) * (b.n1 - b.n0));
        blocks.push_back(b);
      }
  return blocks;
}

void zero_block(const Block& b, const Layer& l, std::vector<float>& w) {
  const GemmShape g = gemm_shape(l);
  for (int64_t n = b.n0; n < b.n1; ++n)
    for (int64_t k = b.k0; k < b.k1; ++k) w[static_cast<size_t>((b.group * g.n + n) * g.k + k)] = 0.0f;
}

// Zeroes the round(sparsity * size) lowest-scored blocks (stable: ties keep their order).
void prune_lowest(std::vector<Block> blocks, double sparsity, const std::vector<const Layer*>& layers,
                  std::vector<std::vector<float>*>& weights) {
  const auto count = static_cast<size_t>(std::llround(sparsity * static_cast<double>(blocks.size())));
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const Block& a, const Block& b) { return a.score < b.score; });
  for (size_t i = 0; i < count && i < blocks.size(); ++i)
    zero_block(blocks[i], *layers[blocks[i].layer], *weights[blocks[i].layer]);
}

}  // namespace

void prune(FloatModel& model, const QuantConfig& cfg) {
  std::vector<const Layer*> layers;
  std::vector<std::vector<float>*> weights;
  std::vector<Block> global;
  for (const auto& l : model.net.layers) {
    if (!l.is_gemm()) continue;
    const auto ov = cfg.overrides.find(l.name);
    const bool own_target = ov != cfg.overrides.end() && ov->second.sparsity.has_value();
    const bool in_global = cfg.global_pruning && !own_target;
    const double target = own_target ? *ov->second.sparsity : cfg.sparsity;
    if (target <= 0) continue;  // nothing to prune here (a global target of 0 prunes nothing either)
    const size_t index = layers.size();
    layers.push_back(&l);
    weights.push_back(&model.params.at(l.name).weights);
    auto blocks = blocks_of(index, l, *weights.back(), cfg.block_k, cfg.block_n);
    if (in_global)
      global.insert(global.end(), blocks.begin(), blocks.end());
    else
      prune_lowest(std::move(blocks), target, layers, weights);
  }
  if (!global.empty() && cfg.sparsity > 0) prune_lowest(std::move(global), cfg.sparsity, layers, weights);
}

}  // namespace deepchip::sim
