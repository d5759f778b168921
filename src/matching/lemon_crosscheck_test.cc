// The welfare and fair solvers against LEMON's NetworkSimplex (an independent min-cost-flow
// solver, Debian liblemon-dev) on random capacitated instances.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "matching/certificate.h"
#include "matching/cost_scaling.h"
#include "matching/fair.h"
#include "matching/graph.h"
#include "matching/lemon_reference.h"
#include "matching/maxflow.h"
#include "matching/welfare.h"

namespace tandem::matching {
namespace {

Weight LemonLexObjective(const Instance& inst, Weight bonus, Weight min_weight) {
  const test_support::LemonWelfareRun run = test_support::LemonWelfare(inst, bonus, min_weight);
  EXPECT_TRUE(run.optimal);
  return run.objective;
}

Instance RandomInstance(std::mt19937_64& rng, int n, int m, double density) {
  Instance inst;
  inst.num_mentees = n;
  std::uniform_int_distribution<int> cap(0, 4);
  for (int j = 0; j < m; ++j) inst.capacity.push_back(cap(rng));
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<Weight> w(0, kScoreScale);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      if (coin(rng) < density) inst.edges.push_back({i, j, w(rng)});
    }
  }
  return inst;
}

TEST(LemonCrossCheck, WelfareEqualsNetworkSimplex) {
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 40; ++round) {
    Instance inst = RandomInstance(rng, 50 + round * 10, 10 + round, 0.05 + 0.01 * (round % 10));
    Solution s = SolveWelfare(inst);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    ASSERT_EQ(s.total_weight + s.bonus * s.matched, LemonLexObjective(inst, s.bonus, 0))
        << "round " << round;
    ASSERT_TRUE(CheckWelfareCertificate(inst, s).ok());
  }
}

TEST(LemonCrossCheck, FairTotalEqualsNetworkSimplexAboveThreshold) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 20; ++round) {
    Instance inst = RandomInstance(rng, 80, 20, 0.1);
    Solution s = SolveFair(inst);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    ASSERT_EQ(s.total_weight + s.bonus * s.matched,
              LemonLexObjective(inst, s.bonus, s.fair_threshold))
        << "round " << round;
    ASSERT_TRUE(CheckFairCertificate(inst, s).ok());
  }
}

// Cost scaling (forced, also on small instances) against LEMON and against the shortest
// augmenting path solver: capacities 0 to 4, places fewer and more than mentees, weights from a
// narrow range (many ties) and a wide one, mentees without edges.
// 20 to 319 mentees, 3 to 122 mentors of capacity 0 to 4, density 1 to 21 %; every third
// instance has ties everywhere (weights 0 to 4).
Instance ScalingInstance(std::mt19937_64& rng, int round) {
  const int n = 20 + static_cast<int>(rng() % 300);
  const int m = 3 + static_cast<int>(rng() % 120);
  Instance inst = RandomInstance(rng, n, m, 0.01 + 0.002 * static_cast<double>(rng() % 100));
  if (round % 3 == 0) {
    for (Edge& e : inst.edges) e.weight %= 5;
  }
  return inst;
}

TEST(LemonCrossCheck, CostScalingEqualsNetworkSimplex) {
  std::mt19937_64 rng(20261124);
  SolveOptions scaling;
  scaling.welfare_method = WelfareMethod::kCostScaling;
  SolveOptions paths;
  paths.welfare_method = WelfareMethod::kShortestPaths;
  int by_scaling = 0;
  for (int round = 0; round < 120; ++round) {
    SCOPED_TRACE(testing::Message() << "round " << round);
    const Instance inst = ScalingInstance(rng, round);
    const Solution s = SolveWelfare(inst, scaling);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    if (s.pushes > 0) ++by_scaling;  // 0: a price war, left to shortest augmenting paths
    ASSERT_EQ(s.total_weight + s.bonus * s.matched, LemonLexObjective(inst, s.bonus, 0));
    const Status check = CheckWelfareCertificate(inst, s);
    ASSERT_TRUE(check.ok()) << check.message();
    const Solution p = SolveWelfare(inst, paths);
    EXPECT_EQ(p.pushes, 0);
    EXPECT_EQ(p.matched, s.matched);
    EXPECT_EQ(p.total_weight, s.total_weight);
  }
  // No price war on any of them: cost scaling finishes every one on its own (a push budget
  // per phase would otherwise hand the instance to shortest augmenting paths).
  EXPECT_EQ(by_scaling, 120);
}

// The cardinality start of cost scaling: the matching is as large as Dinic's maximum b-matching,
// the cover is a Konig cover (every edge covered, sizes equal), and scaling from it finishes
// without falling back, with LEMON's objective.
TEST(LemonCrossCheck, CardinalityStartOfCostScaling) {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 120; ++round) {
    SCOPED_TRACE(testing::Message() << "round " << round);
    const Instance inst = ScalingInstance(rng, round);
    const std::int32_t n = inst.num_mentees;
    const std::int32_t m = inst.num_mentors();
    const internal::MenteeRows rows = internal::BuildMenteeRows(inst);
    const internal::CardinalityCover cover = internal::MaxCardinalityCover(rows, inst.capacity);
    const std::int32_t maximum = internal::MaxBMatching(rows, inst.capacity);
    ASSERT_EQ(cover.matched, maximum);
    // Seeded by a hint with pairs that are not edges or overfill mentors: still maximum.
    std::vector<std::int32_t> hint(static_cast<size_t>(n), -1);
    for (std::int32_t i = 0; i < n; ++i) {
      if (rng() % 2 == 0) hint[static_cast<size_t>(i)] = static_cast<std::int32_t>(rng() % m);
    }
    EXPECT_EQ(internal::MaxCardinalityCover(rows, inst.capacity, &hint).matched, maximum);
    std::int64_t cover_size = 0;
    for (char c : cover.mentee_covered) cover_size += c;
    for (std::int32_t j = 0; j < inst.num_mentors(); ++j) {
      ASSERT_LE(cover.load[static_cast<size_t>(j)], inst.capacity[static_cast<size_t>(j)]);
      if (cover.mentor_covered[static_cast<size_t>(j)]) {
        cover_size += inst.capacity[static_cast<size_t>(j)];
      }
    }
    EXPECT_EQ(cover_size, cover.matched);
    for (const Edge& e : inst.edges) {
      if (inst.capacity[static_cast<size_t>(e.mentor)] == 0) continue;
      ASSERT_TRUE(cover.mentee_covered[static_cast<size_t>(e.mentee)] ||
                  cover.mentor_covered[static_cast<size_t>(e.mentor)])
          << "edge " << e.mentee << ", " << e.mentor;
    }
    Weight max_w = 0;
    for (const Edge& e : inst.edges) max_w = std::max(max_w, e.weight);
    const Weight bonus = max_w * n + 1;
    Solution start;
    std::int64_t pushes = 0;
    bool restarted = true;
    ASSERT_TRUE(internal::CostScalingStart(inst, rows, bonus, {}, &start, &pushes, &restarted));
    EXPECT_FALSE(restarted);
    std::vector<Weight> weight_of(static_cast<size_t>(n) * static_cast<size_t>(m), -1);
    for (const Edge& e : inst.edges) {
      weight_of[static_cast<size_t>(e.mentee) * static_cast<size_t>(m) +
                static_cast<size_t>(e.mentor)] = e.weight;
    }
    Weight objective = 0;
    for (std::int32_t i = 0; i < n; ++i) {
      const std::int32_t j = start.mentor_of[static_cast<size_t>(i)];
      if (j < 0) continue;
      const Weight w =
          weight_of[static_cast<size_t>(i) * static_cast<size_t>(m) + static_cast<size_t>(j)];
      ASSERT_GE(w, 0);
      objective += w + bonus;
    }
    EXPECT_EQ(objective, LemonLexObjective(inst, bonus, 0));
  }
}

// The objective (weight plus bonus per matched pair) of an assignment, asserting its pairs are
// edges.
Weight AssignmentObjective(const Instance& inst, const std::vector<std::int32_t>& mentor_of,
                           Weight bonus) {
  Weight objective = 0;
  for (const Edge& e : inst.edges) {
    if (mentor_of[static_cast<size_t>(e.mentee)] == e.mentor) objective += e.weight + bonus;
  }
  std::int64_t matched = 0;
  for (const std::int32_t j : mentor_of) matched += j >= 0 ? 1 : 0;
  std::int64_t on_edges = 0;
  for (const Edge& e : inst.edges) {
    on_edges += mentor_of[static_cast<size_t>(e.mentee)] == e.mentor ? 1 : 0;
  }
  EXPECT_EQ(on_edges, matched) << "a pair of the assignment is not an edge";
  return objective;
}

// Cost scaling seeded by the answer of a related instance (the same one with a twentieth of its
// edges left out, as in column generation): LEMON's objective, mostly without falling back (a
// seed far from the answer may start a price war, given up early); and with prices that are
// nonsense, LEMON's objective all the same.
TEST(LemonCrossCheck, CostScalingFromRelatedPrices) {
  std::mt19937_64 rng(20261126);
  int restarts = 0;
  int odd_seeded = 0;  // nonsense seeds that finished without falling back
  for (int round = 0; round < 120; ++round) {
    SCOPED_TRACE(testing::Message() << "round " << round);
    const Instance inst = ScalingInstance(rng, round);
    Weight max_w = 0;
    for (const Edge& e : inst.edges) max_w = std::max(max_w, e.weight);
    const Weight bonus = max_w * inst.num_mentees + 1;
    Instance part = inst;
    part.edges.clear();
    for (const Edge& e : inst.edges) {
      if (rng() % 20 != 0) part.edges.push_back(e);
    }
    Solution before;
    std::int64_t pushes = 0;
    ASSERT_TRUE(internal::CostScalingStart(part, internal::BuildMenteeRows(part), bonus, {},
                                           &before, &pushes));
    const internal::MenteeRows rows = internal::BuildMenteeRows(inst);
    Solution after;
    bool restarted = true;
    ASSERT_TRUE(internal::CostScalingStart(inst, rows, bonus, {}, &after, &pushes, &restarted,
                                           &before.mentor_of, &before.mentor_price));
    restarts += restarted ? 1 : 0;
    const Weight optimum = LemonLexObjective(inst, bonus, 0);
    EXPECT_EQ(AssignmentObjective(inst, after.mentor_of, bonus), optimum);
    std::vector<Weight> nonsense(static_cast<size_t>(inst.num_mentors()));
    for (Weight& q : nonsense) {
      q = static_cast<Weight>(rng() % static_cast<std::uint64_t>(2 * bonus));
    }
    Solution odd;
    bool odd_restarted = true;
    ASSERT_TRUE(internal::CostScalingStart(inst, rows, bonus, {}, &odd, &pushes, &odd_restarted,
                                           nullptr, &nonsense));
    odd_seeded += odd_restarted ? 0 : 1;
    EXPECT_EQ(AssignmentObjective(inst, odd.mentor_of, bonus), optimum);
  }
  EXPECT_LE(restarts, 20);  // 9 of the 120
  // Nonsense seeds are run to the end too, not only given up.
  EXPECT_GT(odd_seeded, 0);
  std::printf("seeded from nonsense prices without falling back: %d of 120\n", odd_seeded);
}

// The automatic choice takes cost scaling from 2,000 mentees on (or falls back); the answer is
// the same.
TEST(LemonCrossCheck, CostScalingOnALargerInstance) {
  std::mt19937_64 rng(7);
  Instance inst = RandomInstance(rng, 2400, 500, 0.02);
  const Solution s = SolveWelfare(inst);
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  ASSERT_EQ(s.total_weight + s.bonus * s.matched, LemonLexObjective(inst, s.bonus, 0));
  const Status check = CheckWelfareCertificate(inst, s);
  ASSERT_TRUE(check.ok()) << check.message();
}

}  // namespace
}  // namespace tandem::matching
