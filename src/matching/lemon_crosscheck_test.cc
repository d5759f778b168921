// The welfare and fair solvers against LEMON's NetworkSimplex (an independent min-cost-flow
// solver, Debian liblemon-dev) on random capacitated instances.
#include <gtest/gtest.h>
#include <lemon/list_graph.h>
#include <lemon/network_simplex.h>

#include <random>
#include <vector>

#include "matching/certificate.h"
#include "matching/fair.h"
#include "matching/welfare.h"

namespace tandem::matching {
namespace {

// Most matched, then most weight, over edges of weight >= min_weight, as a min-cost flow:
// source -> mentee (cap 1), mentee -> mentor (cap 1, cost -(w + bonus)), mentor -> sink (cap c),
// source -> sink (cap n, cost 0) for the mentees left unmatched. Returns -(min cost).
Weight LemonLexObjective(const Instance& inst, Weight bonus, Weight min_weight) {
  lemon::ListDigraph g;
  using Arc = lemon::ListDigraph::Arc;
  lemon::ListDigraph::ArcMap<long long> cap(g);
  lemon::ListDigraph::ArcMap<long long> cost(g);
  const auto source = g.addNode();
  const auto sink = g.addNode();
  std::vector<lemon::ListDigraph::Node> mentee;
  std::vector<lemon::ListDigraph::Node> mentor;
  for (int i = 0; i < inst.num_mentees; ++i) {
    mentee.push_back(g.addNode());
    Arc a = g.addArc(source, mentee.back());
    cap[a] = 1;
    cost[a] = 0;
  }
  for (int j = 0; j < inst.num_mentors(); ++j) {
    mentor.push_back(g.addNode());
    Arc a = g.addArc(mentor.back(), sink);
    cap[a] = inst.capacity[static_cast<size_t>(j)];
    cost[a] = 0;
  }
  for (const Edge& e : inst.edges) {
    if (e.weight < min_weight) continue;
    Arc a = g.addArc(mentee[static_cast<size_t>(e.mentee)], mentor[static_cast<size_t>(e.mentor)]);
    cap[a] = 1;
    cost[a] = -(e.weight + bonus);
  }
  Arc bypass = g.addArc(source, sink);
  cap[bypass] = inst.num_mentees;
  cost[bypass] = 0;
  lemon::NetworkSimplex<lemon::ListDigraph, long long, long long> ns(g);
  ns.upperMap(cap).costMap(cost).stSupply(source, sink, inst.num_mentees);
  EXPECT_EQ(ns.run(), decltype(ns)::OPTIMAL);
  return -ns.totalCost<long long>();
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
