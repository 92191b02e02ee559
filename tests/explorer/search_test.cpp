// The search strategies through their ask/tell interface, on design spaces built from a config, and the
// hypervolume against hand-computed values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "explorer/config/config.hpp"
#include "explorer/search/hypervolume.hpp"
#include "explorer/search/strategy.hpp"
#include "sim/io/errors.hpp"

namespace deepchip::explorer {
namespace {

SweepSpec sweep(const std::string& text) {
  return parse_sweep(nlohmann::ordered_json::parse(text), "/tmp/search_test.json");
}

// 8 x 8 x 8 x 4 = 2,048 points of one network.
const char* kSpace = R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8, 12, 16, 20, 24, 28, 32],
    "array_cols": [4, 8, 12, 16, 20, 24, 28, 32], "weight_bits": [2, 3, 4, 5, 6, 7, 8, 9],
    "sparsity": [0, 0.3, 0.6, 0.9]}, "search": {"strategy": "grid"}})";

// A synthetic two-objective problem over the coordinates (both minimised), ZDT1-like: the first axis
// places a point along the trade-off f2 = g (1 - sqrt(f1)), and g = 1 only where the other three axes take
// one particular value each (1 in 256 of their combinations); each step away from it raises g. The
// reference point (1.1, 1.1) leaves out what is far from the front. One corner is infeasible.
Evaluation synthetic(const Coords& c) {
  const double x = c[1] / 7.0;
  const double g =
      1 + 9 * (std::abs(c[2] - 5.0) / 7 + std::abs(c[3] - 2.0) / 7 + std::abs(c[4] - 1.0) / 3) / 3;
  Evaluation e;
  e.feasible = !(c[1] == 7 && c[2] == 7);
  e.objectives = {x, g * (1 - std::sqrt(x))};
  return e;
}

double normalised_hypervolume(const std::vector<Coords>& points) {
  std::vector<std::vector<double>> values;
  for (const auto& c : points)
    if (const Evaluation e = synthetic(c); e.feasible) values.push_back(e.objectives);
  return hypervolume(values, {1.1, 1.1});
}

// Runs a strategy to its end on the synthetic problem; returns every point it asked, in order.
std::vector<Coords> run(Search& search) {
  std::vector<Coords> all;
  for (auto asked = search.ask(); !asked.empty(); asked = search.ask()) {
    std::vector<Evaluation> told;
    for (const auto& c : asked) told.push_back(synthetic(c));
    search.tell(told);
    all.insert(all.end(), asked.begin(), asked.end());
  }
  return all;
}

SearchSpec spec_of(SearchStrategy s, int64_t budget, uint64_t seed, int64_t population = 20) {
  SearchSpec spec;
  spec.strategy = s;
  spec.budget = budget;
  spec.seed = seed;
  spec.population = population;
  return spec;
}

TEST(Hypervolume, MatchesHandComputedAreasAndVolumes) {
  // 2-D: (1,3), (2,2), (3,1) against (4,4): 3 + 2 + 1 = 6; a dominated point and one outside add nothing.
  EXPECT_DOUBLE_EQ(hypervolume({{1, 3}, {2, 2}, {3, 1}, {3, 3}, {5, 0}}, {4, 4}), 6.0);
  EXPECT_DOUBLE_EQ(hypervolume({}, {4, 4}), 0.0);
  // 3-D: two boxes (0,0,0)-(2,1,1) and (0,0,0)-(1,2,1) in a 2x2x1 reference: union 3, with z up to 1.
  EXPECT_DOUBLE_EQ(hypervolume({{0, 1, 0}, {1, 0, 0}}, {2, 2, 1}), 3.0);
  // 3-D staircase: (1,1,1) alone in (2,2,2) is 1; adding (0,0,1.5) adds 2*2*0.5 - overlap 1*1*0.5 = 1.5.
  EXPECT_DOUBLE_EQ(hypervolume({{1, 1, 1}}, {2, 2, 2}), 1.0);
  EXPECT_DOUBLE_EQ(hypervolume({{1, 1, 1}, {0, 0, 1.5}}, {2, 2, 2}), 2.5);
}

TEST(Search, GridAsksEveryPointOnceInGridOrder) {
  const SweepSpec s = sweep(kSpace);
  ASSERT_EQ(s.space.size(), 2048.0L);
  auto grid = make_search(s.space, s.search);
  const auto asked = grid->ask();
  ASSERT_EQ(asked.size(), 2048u);
  EXPECT_EQ(asked[1], (Coords{0, 0, 0, 0, 1}));  // the last axis fastest
  EXPECT_EQ(std::set<Coords>(asked.begin(), asked.end()).size(), 2048u);
  grid->tell({});
  EXPECT_TRUE(grid->ask().empty());
}

TEST(Search, RandomAndLhsAskTheBudgetOfDistinctPointsAndRepeatWithTheirSeed) {
  const SweepSpec s = sweep(kSpace);
  for (SearchStrategy kind : {SearchStrategy::kRandom, SearchStrategy::kLhs}) {
    auto a = make_search(s.space, spec_of(kind, 300, 7));
    auto b = make_search(s.space, spec_of(kind, 300, 7));
    auto c = make_search(s.space, spec_of(kind, 300, 8));
    const auto pa = run(*a), pb = run(*b), pc = run(*c);
    EXPECT_EQ(pa.size(), 300u) << sim::name_of(kind);
    EXPECT_EQ(std::set<Coords>(pa.begin(), pa.end()).size(), 300u) << sim::name_of(kind);
    EXPECT_EQ(pa, pb) << sim::name_of(kind);
    EXPECT_NE(pa, pc) << sim::name_of(kind);
  }
}

TEST(Search, LhsUsesEveryValueOfEveryAxisEvenly) {
  const SweepSpec s = sweep(kSpace);
  auto lhs = make_search(s.space, spec_of(SearchStrategy::kLhs, 64, 3));
  const auto points = run(*lhs);
  for (size_t d = 1; d < s.space.dimensions(); ++d) {
    std::map<uint32_t, int> uses;
    for (const auto& c : points) ++uses[c[d]];
    const int k = static_cast<int>(s.space.values(d));
    ASSERT_EQ(static_cast<int>(uses.size()), k) << "dimension " << d;
    // 64 strata over k values: 64 / k each, give or take the few points redrawn to avoid duplicates.
    for (const auto& [value, n] : uses) EXPECT_NEAR(n, 64 / k, 3) << "dimension " << d << " value " << value;
  }
}

// NSGA-II with 10% of the space's points (205, in generations of 16) reaches 95% of the true front's
// hypervolume (the whole grid's) and beats random search at the same budget in the median of 5 seeds.
TEST(Search, Nsga2FindsTheFrontWithATenthOfTheSpaceAndBeatsRandom) {
  const SweepSpec s = sweep(kSpace);
  std::vector<Coords> grid;
  for (uint64_t i = 0; i < 2048; ++i) grid.push_back(s.space.grid_coords(i));
  const double truth = normalised_hypervolume(grid);
  std::vector<double> nsga2, random;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    auto n = make_search(s.space, spec_of(SearchStrategy::kNsga2, 205, seed, 16));
    auto r = make_search(s.space, spec_of(SearchStrategy::kRandom, 205, seed));
    const auto pn = run(*n), pr = run(*r);
    EXPECT_EQ(pn.size(), 205u);
    EXPECT_EQ(std::set<Coords>(pn.begin(), pn.end()).size(), 205u) << "a point evaluated twice";
    nsga2.push_back(normalised_hypervolume(pn) / truth);
    random.push_back(normalised_hypervolume(pr) / truth);
  }
  std::sort(nsga2.begin(), nsga2.end());
  std::sort(random.begin(), random.end());
  for (size_t i = 0; i < 5; ++i) std::cout << "nsga2 " << nsga2[i] << ", random " << random[i] << "\n";
  std::cout << "hypervolume / true front's, median of 5 seeds: nsga2 " << nsga2[2] << ", random " << random[2]
            << "\n";
  EXPECT_GE(nsga2[2], 0.95);
  EXPECT_GT(nsga2[2], random[2]);
}

TEST(Search, Nsga2RepeatsItselfGivenTheSameSeedAndResults) {
  const SweepSpec s = sweep(kSpace);
  auto a = make_search(s.space, spec_of(SearchStrategy::kNsga2, 100, 11));
  auto b = make_search(s.space, spec_of(SearchStrategy::kNsga2, 100, 11));
  EXPECT_EQ(run(*a), run(*b));
}

TEST(Search, ConfigErrorsNameTheSearchKey) {
  auto problems = [](const std::string& search) {
    try {
      sweep(R"({"networks": ["lenet5"], "axes": {"array_rows": [4, 8]}, "search": )" + search + "}");
    } catch (const sim::ConfigError& e) {
      return e.messages();
    }
    return std::vector<std::string>{};
  };
  EXPECT_EQ(problems(R"({"strategy": "random"})"),
            std::vector<std::string>{
                "search.budget: required with strategy random: the number of points to evaluate"});
  EXPECT_EQ(problems(R"({"budget": 5})").at(0).rfind("search.budget: not used by strategy grid", 0), 0u);
  EXPECT_EQ(problems(R"({"strategy": "lhs", "budget": 3})"),
            std::vector<std::string>{"search.budget: 3 is more than the design space's 2 points"});
  EXPECT_EQ(problems(R"({"strategy": "annealing", "budget": 1})").at(0).rfind("search.strategy: ", 0), 0u);
  EXPECT_EQ(problems(R"({"stratgy": "grid"})"),
            std::vector<std::string>{"search.stratgy: unknown key (did you mean 'strategy'?)"});
}

TEST(Search, AHugeSpaceIsFineForAStrategyAndRefusedForTheGrid) {
  // 10^12 points: 12 axes of 10 values.
  std::string axes;
  const char* keys[] = {"array_rows",          "array_cols",        "input_buffer_kib",
                        "weight_buffer_kib",   "output_buffer_kib", "dram_bandwidth_bytes_per_cycle",
                        "dram_latency_cycles", "clock_mhz",         "weight_bits",
                        "activation_bits",     "sparsity",          "sram_word_bits"};
  const char* values[] = {"[1,2,3,4,5,6,7,8,9,10]",
                          "[1,2,3,4,5,6,7,8,9,10]",
                          "[1,2,3,4,5,6,7,8,9,10]",
                          "[1,2,3,4,5,6,7,8,9,10]",
                          "[1,2,3,4,5,6,7,8,9,10]",
                          "[1,2,3,4,5,6,7,8,9,10]",
                          "[1,2,3,4,5,6,7,8,9,10]",
                          "[100,200,300,400,500,600,700,800,900,1000]",
                          "[2,3,4,5,6,7,8,9,10,11]",
                          "[2,3,4,5,6,7,8,9,10,11]",
                          "[0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]",
                          "[8,16,24,32,40,48,56,64,72,80]"};
  for (size_t i = 0; i < 12; ++i) axes += std::string(i ? ", " : "") + "\"" + keys[i] + "\": " + values[i];
  const std::string base = R"({"networks": ["lenet5"], "axes": {)" + axes + "}";
  const SweepSpec s = sweep(base + R"(, "search": {"strategy": "nsga2", "budget": 40, "population": 20}})");
  EXPECT_EQ(s.space.size(), 1e12L);
  auto n = make_search(s.space, s.search);
  EXPECT_EQ(n->ask().size(), 20u);
  EXPECT_THROW(sweep(base + "}"), sim::ConfigError);
}

}  // namespace
}  // namespace deepchip::explorer
