// The peer max-weight solver against LEMON's MaxWeightedMatching and
// MaxWeightedPerfectMatching (independent blossom implementations, Debian liblemon-dev) on
// random general graphs. LEMON's MaxWeightedMatching maximises weight only, so "most pairs,
// then most weight" is compared on weight + bonus, and the plain objective on the weights.
// Built as C++17: LEMON 1.3's ArrayMap uses std::allocator members removed in C++20.
#include <gtest/gtest.h>
#include <lemon/list_graph.h>
#include <lemon/matching.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "matching/peer.h"

namespace tandem::matching {
namespace {

using LemonGraph = lemon::ListGraph;
using LemonWeights = LemonGraph::EdgeMap<long long>;

struct LemonAnswer {
  long long weight = 0;
  int pairs = 0;
};

LemonAnswer LemonMaxWeight(const PeerInstance& inst, Weight bonus) {
  LemonGraph g;
  std::vector<LemonGraph::Node> nodes;
  for (std::int32_t v = 0; v < inst.num_people; ++v) nodes.push_back(g.addNode());
  LemonWeights w(g);
  for (const PeerEdge& e : inst.edges) {
    const auto edge = g.addEdge(nodes[static_cast<size_t>(e.a)], nodes[static_cast<size_t>(e.b)]);
    w[edge] = e.weight + bonus;
  }
  lemon::MaxWeightedMatching<LemonGraph, LemonWeights> mwm(g, w);
  mwm.run();
  return {mwm.matchingWeight(), mwm.matchingSize()};
}

// Returns false when the graph has no perfect matching.
bool LemonMaxWeightPerfect(const PeerInstance& inst, long long* weight) {
  LemonGraph g;
  std::vector<LemonGraph::Node> nodes;
  for (std::int32_t v = 0; v < inst.num_people; ++v) nodes.push_back(g.addNode());
  LemonWeights w(g);
  for (const PeerEdge& e : inst.edges) {
    w[g.addEdge(nodes[static_cast<size_t>(e.a)], nodes[static_cast<size_t>(e.b)])] = e.weight;
  }
  lemon::MaxWeightedPerfectMatching<LemonGraph, LemonWeights> mwpm(g, w);
  if (!mwpm.run()) return false;
  *weight = mwpm.matchingWeight();
  return true;
}

PeerOptions PlainOptions() {
  PeerOptions options;
  options.max_cardinality_first = false;
  return options;
}

PeerInstance RandomGraph(std::mt19937_64& rng, std::int32_t n, double density, Weight max_w) {
  PeerInstance inst;
  inst.num_people = n;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<Weight> w(0, max_w);
  for (std::int32_t a = 0; a < n; ++a) {
    for (std::int32_t b = a + 1; b < n; ++b) {
      if (coin(rng) < density) inst.edges.push_back({b, a, w(rng)});
    }
  }
  std::shuffle(inst.edges.begin(), inst.edges.end(), rng);
  return inst;
}

TEST(PeerLemon, MostPairsThenWeightEqualsLemonOnWeightPlusBonus) {
  std::mt19937_64 rng(2025);
  for (int round = 0; round < 60; ++round) {
    const std::int32_t n = 20 + 5 * round;  // up to 315 people
    const double density = (3.0 + round % 7) / n;
    const Weight max_w = round % 4 == 0 ? 5 : kScoreScale;
    const PeerInstance inst = RandomGraph(rng, n, density, max_w);
    const PeerSolution s = SolveMaxWeightPeer(inst);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    ASSERT_TRUE(CheckPeerCertificate(inst, s).ok()) << "round " << round;
    const LemonAnswer lemon = LemonMaxWeight(inst, s.bonus);
    ASSERT_EQ(s.matched_pairs, lemon.pairs) << "round " << round;
    ASSERT_EQ(s.total_weight + s.bonus * s.matched_pairs, lemon.weight) << "round " << round;
  }
}

TEST(PeerLemon, PlainMaxWeightEqualsLemon) {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 60; ++round) {
    const std::int32_t n = 10 + 5 * round;
    const PeerInstance inst = RandomGraph(rng, n, (2.0 + round % 9) / n, kScoreScale);
    const PeerSolution s = SolveMaxWeightPeer(inst, {}, PlainOptions());
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    ASSERT_TRUE(CheckPeerCertificate(inst, s).ok()) << "round " << round;
    ASSERT_EQ(s.total_weight, LemonMaxWeight(inst, 0).weight) << "round " << round;
  }
}

TEST(PeerLemon, PerfectWhenPossibleEqualsLemonPerfectMatching) {
  // Dense graphs on an even number of people almost always have a perfect matching; then "most
  // pairs, then most weight" is the maximum-weight perfect matching.
  std::mt19937_64 rng(4);
  int perfect = 0;
  for (int round = 0; round < 30; ++round) {
    const std::int32_t n = 2 * (5 + 3 * round);
    const PeerInstance inst = RandomGraph(rng, n, 0.3, kScoreScale);
    long long lemon_weight = 0;
    const PeerSolution s = SolveMaxWeightPeer(inst);
    ASSERT_TRUE(CheckPeerCertificate(inst, s).ok());
    if (!LemonMaxWeightPerfect(inst, &lemon_weight)) {
      EXPECT_LT(s.matched_pairs, n / 2);
      continue;
    }
    ++perfect;
    ASSERT_EQ(s.matched_pairs, n / 2) << "round " << round;
    ASSERT_EQ(s.total_weight, lemon_weight) << "round " << round;
  }
  EXPECT_GE(perfect, 25);
}

}  // namespace
}  // namespace tandem::matching
