// The sensitivity stage of a per-layer policy search (probes, additive estimates, seeds) and NSGA-II's
// constrained domination, on design spaces built from configs and synthetic evaluations.
#include "explorer/search/sensitivity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "deepchip/source_dir.hpp"
#include "explorer/config/config.hpp"
#include "explorer/run/outcome.hpp"
#include "explorer/search/strategy.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {
namespace {

const std::string kFmnist = std::string(DEEPCHIP_SOURCE_DIR) + "/configs/models/fmnist_cnn.onnx";

SweepSpec sweep(const std::string& text) {
  return parse_sweep(nlohmann::ordered_json::parse(text), "/tmp/sensitivity_test.json");
}

std::vector<std::string> sweep_errors(const std::string& text) {
  try {
    sweep(text);
  } catch (const sim::ConfigError& e) {
    return e.messages();
  }
  return {};
}

// Two named layers x (weight_bits 2/4/8 x sparsity 0/0.5), listed least compressing last and first so
// that the baseline is not simply index 0; plus a hardware axis, which every probe keeps at its first value.
const std::string kTwoLayers = R"({"networks": [")" + kFmnist + R"("],
    "axes": {"array_rows": [16, 8]},
    "layer_axes": {"weight_bits": [2, 4, 8], "sparsity": [0, 0.5],
                   "layers": ["/features/features.0/Conv", "/classifier/classifier.1/Gemm"]},
    "search": {"strategy": "nsga2", "budget": 40, "population": 8, "sensitivity": true}})";

// A synthetic additive model of a policy: per layer and setting a storage cost and an accuracy drop (in
// 64ths, so that estimates summed in any order equal the model exactly).
// Dimensions: 1 = array_rows, 2/3 = layer A bits/sparsity, 4/5 = layer B bits/sparsity.
Evaluation additive(const Coords& c, double budget) {
  const double bits[] = {2, 4, 8};
  auto storage = [&](uint32_t b, uint32_t s, double weights) { return weights * bits[b] * (s ? 0.5 : 1.0); };
  auto drop = [&](uint32_t b, uint32_t s, double weight) {
    return weight * ((b == 0 ? 4 : b == 1 ? 1 : 0) + (s ? 2 : 0)) / 64;  // dyadic: sums are exact
  };
  Evaluation e;
  e.accuracy_drop = drop(c[2], c[3], 1.0) + drop(c[4], c[5], 0.5);
  e.max_accuracy_drop = budget;
  e.objectives = {storage(c[2], c[3], 100) + storage(c[4], c[5], 1000), -(0.9 - e.accuracy_drop)};
  e.feasible = e.accuracy_drop <= budget + 1e-12;
  e.violation = e.feasible ? 0 : e.accuracy_drop - budget;
  return e;
}

TEST(Sensitivity, ProbesAreTheBaselineAndEachLayersChoicesAlone) {
  const SweepSpec s = sweep(kTwoLayers);
  const SensitivityStage stage(s.space);
  const auto& probes = stage.probes();
  ASSERT_EQ(probes.size(), 11u);  // the baseline + 2 layers x (6 combinations - the baseline's own)
  EXPECT_EQ(sensitivity_probe_count(s.space), probes.size());
  const Coords baseline = {0, 0, 2, 0, 2, 0};  // 8 bits (index 2), sparsity 0, array_rows at its first value
  EXPECT_EQ(probes[0], baseline);
  std::set<Coords> distinct(probes.begin(), probes.end());
  EXPECT_EQ(distinct.size(), probes.size());
  for (size_t i = 1; i < probes.size(); ++i) {
    const Coords& p = probes[i];
    EXPECT_EQ(p[0], 0u);
    EXPECT_EQ(p[1], 0u);
    const bool a_changed = p[2] != 2 || p[3] != 0, b_changed = p[4] != 2 || p[5] != 0;
    EXPECT_NE(a_changed, b_changed) << "probe " << i << " changes exactly one layer";
  }
  EXPECT_EQ(probes[1], (Coords{0, 0, 0, 0, 2, 0}));  // the first layer's first combination: 2 bits, dense
  EXPECT_EQ(probes[5], (Coords{0, 0, 2, 1, 2, 0}));  // its last: 8 bits (the baseline's), half pruned
  EXPECT_EQ(probes[6], (Coords{0, 0, 2, 0, 0, 0}));  // the second layer's first: 2 bits, dense
}

// On an exactly additive model the estimates are exact, so the seeds are the true front within the budget:
// every seed is feasible, none is dominated by any feasible policy, and they are as many as asked for.
TEST(Sensitivity, SeedsAreTheFrontWithinTheBudgetWhenEffectsAdd) {
  const SweepSpec s = sweep(kTwoLayers);
  const SensitivityStage stage(s.space);
  const double budget = 3.0 / 64;
  std::vector<Evaluation> probe_results;
  for (const auto& p : stage.probes()) probe_results.push_back(additive(p, budget));
  std::mt19937_64 rng(1);
  const std::set<Coords> taken(stage.probes().begin(), stage.probes().end());
  const auto seeds = stage.seeds(probe_results, 100, taken, rng);
  // The true front over every policy (array_rows at its first value) not already probed.
  std::vector<Coords> policies;
  for (uint32_t a = 0; a < 3; ++a)
    for (uint32_t as = 0; as < 2; ++as)
      for (uint32_t b = 0; b < 3; ++b)
        for (uint32_t bs = 0; bs < 2; ++bs) policies.push_back({0, 0, a, as, b, bs});
  std::set<Coords> front;
  for (const auto& p : policies) {
    const Evaluation e = additive(p, budget);
    if (!e.feasible || taken.count(p)) continue;
    bool dominated = false;
    for (const auto& q : policies) {
      const Evaluation f = additive(q, budget);
      dominated = dominated || (f.feasible && !taken.count(q) && dominates(f.objectives, e.objectives));
    }
    if (!dominated) front.insert(p);
  }
  ASSERT_FALSE(front.empty());
  EXPECT_EQ(std::set<Coords>(seeds.begin(), seeds.end()).size(), seeds.size());
  // Fronts are taken whole until 100 are reached or the feasible policies run out.
  std::set<Coords> first(seeds.begin(),
                         seeds.begin() + static_cast<long>(std::min(seeds.size(), front.size())));
  EXPECT_EQ(first, front);
  for (const auto& c : seeds) {
    EXPECT_TRUE(additive(c, budget).feasible);
    EXPECT_FALSE(taken.count(c));
  }
  // Fewer asked for than the front holds: a subset of it, the extremes (infinite crowding) kept.
  const auto two = stage.seeds(probe_results, 2, taken, rng);
  ASSERT_EQ(two.size(), 2u);
  for (const auto& c : two) EXPECT_TRUE(front.count(c));
}

// With a failed baseline nothing can be estimated; with a failed probe its choice is never seeded.
TEST(Sensitivity, FailedProbesAreLeftOut) {
  const SweepSpec s = sweep(kTwoLayers);
  const SensitivityStage stage(s.space);
  std::vector<Evaluation> results;
  for (const auto& p : stage.probes()) results.push_back(additive(p, 1.0));
  std::mt19937_64 rng(1);
  std::vector<Evaluation> no_baseline = results;
  no_baseline[0] = Evaluation{};
  EXPECT_TRUE(stage.seeds(no_baseline, 10, {}, rng).empty());
  results[1] = Evaluation{};  // layer A at 2 bits, dense, failed
  for (const auto& c : stage.seeds(results, 100, {}, rng)) EXPECT_FALSE(c[2] == 0 && c[3] == 0);
}

// Through NSGA-II: the probes first, then a generation of seeds (topped up with random points), then
// offspring; the budget counts all of them.
TEST(Sensitivity, Nsga2AsksTheProbesThenTheSeeds) {
  const SweepSpec s = sweep(kTwoLayers);
  const SensitivityStage stage(s.space);
  auto search = make_search(s.space, s.search);
  const auto first = search->ask();
  EXPECT_EQ(first, stage.probes());
  std::vector<Evaluation> told;
  for (const auto& c : first) told.push_back(additive(c, 3.0 / 64));
  search->tell(told);
  const auto second = search->ask();
  ASSERT_EQ(second.size(), 8u);
  std::mt19937_64 rng(s.search.seed);
  const auto seeds = stage.seeds(told, 8, std::set<Coords>(first.begin(), first.end()), rng);
  ASSERT_FALSE(seeds.empty());
  EXPECT_TRUE(std::equal(seeds.begin(), seeds.end(), second.begin()));
  size_t asked = first.size() + second.size();
  told.clear();
  for (const auto& c : second) told.push_back(additive(c, 3.0 / 64));
  search->tell(told);
  for (auto next = search->ask(); !next.empty(); next = search->ask()) {
    asked += next.size();
    told.clear();
    for (const auto& c : next) told.push_back(additive(c, 3.0 / 64));
    search->tell(told);
  }
  EXPECT_EQ(asked, 40u);
}

TEST(Sensitivity, ConfigErrorsNameTheirKeys) {
  EXPECT_EQ(sweep_errors(R"({"networks": [")" + kFmnist + R"("], "axes": {"array_rows": [8, 16]},
      "search": {"strategy": "nsga2", "budget": 4, "population": 4, "sensitivity": true}})"),
            (std::vector<std::string>{
                "search.sensitivity: needs layer_axes (it probes each layer's settings alone)"}));
  EXPECT_EQ(sweep_errors(R"({"networks": [")" + kFmnist + R"("], "layer_axes": {"weight_bits": [4, 8]},
      "search": {"strategy": "random", "budget": 4, "sensitivity": true}})"),
            (std::vector<std::string>{"search.sensitivity: seeds strategy nsga2 only, not random"}));
  EXPECT_EQ(
      sweep_errors(R"({"networks": [")" + kFmnist + R"("], "layer_axes": {"weight_bits": [4, 8]},
      "search": {"strategy": "nsga2", "budget": 8, "population": 4, "sensitivity": true}})"),
      (std::vector<std::string>{"search.budget: 8 is less than the sensitivity stage's 5 probes plus one "
                                "population (9)"}));
}

// Deb's constrained domination: among infeasible points the smaller violation wins, so a search whose
// feasible region is 16 of 2,048 points (0.8%) climbs into it, where ranking all infeasible points alike
// finds about one feasible point in 160 evaluations, as random search does.
TEST(Search, Nsga2ClimbsTowardsTheFeasibleRegionBySmallerViolation) {
  const SweepSpec s = sweep(R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8, 12, 16, 20, 24, 28, 32],
      "array_cols": [4, 8, 12, 16, 20, 24, 28, 32], "weight_bits": [2, 3, 4, 5, 6, 7, 8, 9],
      "sparsity": [0, 0.3, 0.6, 0.9]}})");
  auto evaluate = [](const Coords& c) {
    Evaluation e;
    const double v = std::max(0, 6 - static_cast<int>(c[1])) + std::max(0, 6 - static_cast<int>(c[2])) +
                     std::max(0, 6 - static_cast<int>(c[3])) + std::max(0, 2 - static_cast<int>(c[4]));
    e.feasible = v == 0;
    e.violation = v;
    e.objectives = {static_cast<double>(c[1] + c[2]), static_cast<double>(c[3] + c[4])};
    return e;
  };
  std::vector<int> nsga2, random;
  for (uint64_t seed = 1; seed <= 5; ++seed)
    for (SearchStrategy kind : {SearchStrategy::kNsga2, SearchStrategy::kRandom}) {
      SearchSpec spec;
      spec.strategy = kind;
      spec.budget = 160;
      spec.population = 16;
      spec.seed = seed;
      auto search = make_search(s.space, spec);
      int feasible = 0;
      for (auto asked = search->ask(); !asked.empty(); asked = search->ask()) {
        std::vector<Evaluation> told;
        for (const auto& c : asked) told.push_back(evaluate(c));
        for (const auto& e : told) feasible += e.feasible;
        search->tell(told);
      }
      (kind == SearchStrategy::kNsga2 ? nsga2 : random).push_back(feasible);
    }
  std::sort(nsga2.begin(), nsga2.end());
  std::sort(random.begin(), random.end());
  EXPECT_GE(nsga2[2], 8) << "median feasible points found by nsga2";
  EXPECT_LE(random[2], 4) << "median feasible points found by random";
}

}  // namespace
}  // namespace deepchip::explorer
