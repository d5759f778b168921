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

}  // namespace
}  // namespace tandem::matching
