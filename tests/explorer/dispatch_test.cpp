// Which point the pool sends a worker (explorer/run/worker_pool.hpp, pick_job): points that map alike go
// to the worker that mapped them, so each group of a grid's innermost axes is mapped once, not by every
// worker.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

#include "explorer/run/worker_pool.hpp"

namespace deepchip::explorer {
namespace {

struct Dispatch {
  std::vector<size_t> worker_of;  // by job
  size_t mappings = 0;            // a worker's job that does not map alike its previous one
};

// Plays `workers` workers over jobs whose mapping is `group[job]`: the pool starts every worker, then
// whenever one finishes (in `finish_order`'s choice among the busy ones) sends it its next job.
// `plain`: send the first waiting job instead (the order before pick_job).
Dispatch play(const std::vector<int>& group, size_t workers, std::mt19937* finish_order, bool plain = false) {
  const auto alike = [&](size_t a, size_t b) { return group[a] == group[b]; };
  std::vector<bool> sent(group.size(), false);
  std::vector<std::optional<size_t>> last(workers);
  Dispatch d;
  d.worker_of.assign(group.size(), workers);
  size_t first_waiting = 0, sent_count = 0;
  auto send = [&](size_t w) {
    while (sent[first_waiting]) ++first_waiting;
    std::vector<size_t> others;
    for (size_t o = 0; o < workers; ++o)
      if (o != w && last[o]) others.push_back(*last[o]);
    const size_t job = plain ? first_waiting : pick_job(sent, first_waiting, last[w], others, alike);
    EXPECT_FALSE(sent[job]) << "job " << job << " sent twice";
    sent[job] = true;
    ++sent_count;
    if (!last[w] || !alike(*last[w], job)) ++d.mappings;
    last[w] = job;
    d.worker_of[job] = w;
  };
  for (size_t w = 0; w < workers && sent_count < group.size(); ++w) send(w);
  size_t turn = 0;
  while (sent_count < group.size())
    send(finish_order ? std::uniform_int_distribution<size_t>(0, workers - 1)(*finish_order)
                      : turn++ % workers);
  return d;
}

// The benchmark's shape: groups of 3 (3 DRAM bandwidths per mapping), 2 workers finishing in turn. Plain
// order would send each group to both workers (8 mappings of 4 groups); each group goes to one.
TEST(Dispatch, EachGroupThatMapsAlikeGoesToOneWorker) {
  const std::vector<int> group = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
  const Dispatch d = play(group, 2, nullptr);
  EXPECT_EQ(d.mappings, 4u);
  std::map<int, std::set<size_t>> workers_of_group;
  for (size_t j = 0; j < group.size(); ++j) workers_of_group[group[j]].insert(d.worker_of[j]);
  for (const auto& [g, ws] : workers_of_group) EXPECT_EQ(ws.size(), 1u) << "group " << g;
  EXPECT_EQ(d.worker_of[0], 0u);
  EXPECT_EQ(d.worker_of[3], 1u);  // the second worker starts on the next group, not the first's
}

// Random groups, workers and finishing orders (fixed seed): every job is sent exactly once, one worker keeps
// the plain order, and no case maps more often than the plain order does with the same finishing order.
TEST(Dispatch, EveryJobIsSentOnceAndNoCaseMapsMoreOftenThanPlainOrder) {
  std::mt19937 rng(7);
  size_t mappings = 0, plain_mappings = 0;
  for (int round = 0; round < 200; ++round) {
    std::vector<int> group;
    const int groups = std::uniform_int_distribution<int>(1, 40)(rng);
    for (int g = 0; g < groups; ++g)
      group.insert(group.end(), static_cast<size_t>(std::uniform_int_distribution<int>(1, 6)(rng)), g);
    const size_t workers = std::uniform_int_distribution<size_t>(1, 4)(rng);
    const uint32_t order_seed = static_cast<uint32_t>(rng());
    std::mt19937 order(order_seed), same_order(order_seed);
    const Dispatch d = play(group, workers, &order);
    const Dispatch plain = play(group, workers, &same_order, true);
    for (size_t j = 0; j < group.size(); ++j)
      EXPECT_LT(d.worker_of[j], workers) << "job " << j << " never sent";
    EXPECT_LE(d.mappings, plain.mappings) << "round " << round;
    if (workers == 1) {
      EXPECT_EQ(d.mappings, static_cast<size_t>(groups));  // one worker: plain order
    }
    mappings += d.mappings;
    plain_mappings += plain.mappings;
  }
  EXPECT_LT(mappings, plain_mappings);
}

// A group further than the look-ahead is not searched for: the worker takes the first waiting job.
TEST(Dispatch, LooksOnlyALimitedWayAhead) {
  std::vector<bool> sent(kPickLookAhead + 10, false);
  sent[0] = true;
  const auto alike = [&](size_t a, size_t b) {
    return (a == 0 || a == kPickLookAhead + 5) && (b == 0 || b == kPickLookAhead + 5);
  };
  EXPECT_EQ(pick_job(sent, 1, size_t{0}, {}, alike), 1u);
  sent[1] = true;
  EXPECT_EQ(pick_job(sent, 2, size_t{0}, {}, alike), 2u);
  EXPECT_EQ(pick_job(sent, 9, size_t{0}, {}, alike), kPickLookAhead + 5);
}

}  // namespace
}  // namespace deepchip::explorer
