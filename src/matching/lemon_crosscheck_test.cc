// The welfare and fair solvers against LEMON's NetworkSimplex (an independent min-cost-flow
// solver, Debian liblemon-dev) on random capacitated instances.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "matching/certificate.h"
#include "matching/fair.h"
#include "matching/lemon_reference.h"
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
TEST(LemonCrossCheck, CostScalingEqualsNetworkSimplex) {
  std::mt19937_64 rng(20261124);
  SolveOptions scaling;
  scaling.welfare_method = WelfareMethod::kCostScaling;
  SolveOptions paths;
  paths.welfare_method = WelfareMethod::kShortestPaths;
  int by_scaling = 0;
  for (int round = 0; round < 120; ++round) {
    SCOPED_TRACE(testing::Message() << "round " << round);
    const int n = 20 + static_cast<int>(rng() % 300);
    const int m = 3 + static_cast<int>(rng() % 120);
    Instance inst = RandomInstance(rng, n, m, 0.01 + 0.002 * static_cast<double>(rng() % 100));
    if (round % 3 == 0) {
      for (Edge& e : inst.edges) e.weight %= 5;  // ties everywhere
    }
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
