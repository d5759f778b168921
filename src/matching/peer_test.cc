// Peer solvers: hand-solved graphs with blossoms, brute force over all matchings on small random
// graphs, published roommates instances, the certificate check and what it rejects.
#include "matching/peer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace tandem::matching {
namespace {

PeerInstance Graph(std::int32_t n, const std::vector<PeerEdge>& edges) {
  PeerInstance inst;
  inst.num_people = n;
  inst.edges = edges;
  return inst;
}

PeerInstance RandomGraph(std::mt19937_64& rng, std::int32_t n, double density, Weight max_w) {
  PeerInstance inst;
  inst.num_people = n;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<Weight> w(0, max_w);
  for (std::int32_t a = 0; a < n; ++a) {
    for (std::int32_t b = a + 1; b < n; ++b) {
      if (coin(rng) < density) {
        if (coin(rng) < 0.5) {
          inst.edges.push_back({a, b, w(rng)});
        } else {
          inst.edges.push_back({b, a, w(rng)});
        }
      }
    }
  }
  std::shuffle(inst.edges.begin(), inst.edges.end(), rng);
  return inst;
}

struct Best {
  std::int32_t pairs = 0;
  Weight weight = 0;
};

// Every matching of a small graph: (most pairs, then most weight) and (most weight).
std::pair<Best, Best> BruteForce(const PeerInstance& inst) {
  const auto n = static_cast<size_t>(inst.num_people);
  std::vector<std::vector<Weight>> w(n, std::vector<Weight>(n, -1));
  for (const PeerEdge& e : inst.edges) {
    w[static_cast<size_t>(e.a)][static_cast<size_t>(e.b)] = e.weight;
    w[static_cast<size_t>(e.b)][static_cast<size_t>(e.a)] = e.weight;
  }
  Best card;
  Best weight;
  std::vector<char> used(n, 0);
  std::function<void(size_t, std::int32_t, Weight)> rec = [&](size_t v, std::int32_t pairs,
                                                              Weight total) {
    while (v < n && used[v]) ++v;
    if (v == n) {
      if (pairs > card.pairs || (pairs == card.pairs && total > card.weight)) card = {pairs, total};
      if (total > weight.weight) weight = {pairs, total};
      return;
    }
    used[v] = 1;
    rec(v + 1, pairs, total);
    for (size_t u = v + 1; u < n; ++u) {
      if (used[u] || w[v][u] < 0) continue;
      used[u] = 1;
      rec(v + 1, pairs + 1, total + w[v][u]);
      used[u] = 0;
    }
    used[v] = 0;
  };
  rec(0, 0, 0);
  return {card, weight};
}

void ExpectOptimalWithCertificate(const PeerInstance& inst, const PeerSolution& s) {
  ASSERT_EQ(s.status, SolveStatus::kOptimal) << s.message;
  const Status st = CheckPeerCertificate(inst, s);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

TEST(PeerMaxWeight, EmptyAndTinyGraphs) {
  PeerSolution s = SolveMaxWeightPeer(Graph(0, {}));
  ExpectOptimalWithCertificate(Graph(0, {}), s);
  EXPECT_EQ(s.matched_pairs, 0);

  const PeerInstance one_edge = Graph(2, {{1, 0, 7}});
  s = SolveMaxWeightPeer(one_edge);
  ExpectOptimalWithCertificate(one_edge, s);
  EXPECT_EQ(s.partner, (std::vector<std::int32_t>{1, 0}));
  EXPECT_EQ(s.total_weight, 7);

  const PeerInstance isolated = Graph(3, {{0, 1, 0}});  // weight 0 still pairs (most pairs first)
  s = SolveMaxWeightPeer(isolated);
  ExpectOptimalWithCertificate(isolated, s);
  EXPECT_EQ(s.matched_pairs, 1);
  EXPECT_EQ(s.unpaired, (std::vector<std::int32_t>{2}));
  EXPECT_EQ(s.vertex_dual[2], 0);
}

TEST(PeerMaxWeight, MostPairsFirstThenWeight) {
  // Path 0-1-2-3 with weights 1, 10, 1. Most pairs: {0,1},{2,3} (2 pairs, weight 2).
  // Plain maximum weight: {1,2} alone (weight 10).
  const PeerInstance path = Graph(4, {{0, 1, 1}, {1, 2, 10}, {2, 3, 1}});
  const PeerSolution card = SolveMaxWeightPeer(path);
  ExpectOptimalWithCertificate(path, card);
  EXPECT_EQ(card.partner, (std::vector<std::int32_t>{1, 0, 3, 2}));
  EXPECT_EQ(card.matched_pairs, 2);
  EXPECT_EQ(card.total_weight, 2);
  EXPECT_GT(card.bonus, 10 * 2);

  const PeerSolution plain =
      SolveMaxWeightPeer(path, {}, PeerOptions{.max_cardinality_first = false});
  ExpectOptimalWithCertificate(path, plain);
  EXPECT_EQ(plain.partner, (std::vector<std::int32_t>{-1, 2, 1, -1}));
  EXPECT_EQ(plain.total_weight, 10);
  EXPECT_EQ(plain.bonus, 0);
}

TEST(PeerMaxWeight, TriangleWithPendantsNeedsABlossom) {
  // Triangle 0-1-2 (weights 6, 7, 8 on 01, 12, 02) with pendants 3-0 (weight 1) and 4-2
  // (weight 2); 5 people, so at most 2 pairs. Two pairs must use one triangle edge and one
  // pendant: {1,2}+{0,3} = 7+1 = 8, {0,1}+{2,4} = 6+2 = 8, {1,2}... and {0,2} leaves both
  // pendants' partners taken (1 pair + none) -> candidates with 2 pairs: 01+24 = 8, 12+03 = 8,
  // 03+24 = 3, 12+... so the best is 8 (two optima). Plain max weight: 02 alone = 8, 01+24 = 8,
  // 12+03 = 8 -> 8 as well.
  const PeerInstance g = Graph(5, {{0, 1, 6}, {1, 2, 7}, {0, 2, 8}, {3, 0, 1}, {4, 2, 2}});
  const PeerSolution s = SolveMaxWeightPeer(g);
  ExpectOptimalWithCertificate(g, s);
  EXPECT_EQ(s.matched_pairs, 2);
  EXPECT_EQ(s.total_weight, 8);
  ASSERT_EQ(s.unpaired.size(), 1U);
}

TEST(PeerMaxWeight, FiveCycleWithPendant) {
  // 5-cycle 0-1-2-3-4-0, each edge 10, and a pendant 5 on 0 (weight 1). The only perfect
  // matchings pair 5 with 0 and then {1,2},{3,4}: 3 pairs, weight 21. The cycle alone gives
  // at most 2 pairs (weight 20), so both objectives pick the perfect matching.
  const PeerInstance g =
      Graph(6, {{0, 1, 10}, {1, 2, 10}, {2, 3, 10}, {3, 4, 10}, {4, 0, 10}, {5, 0, 1}});
  for (bool card : {true, false}) {
    const PeerSolution s = SolveMaxWeightPeer(g, {}, PeerOptions{.max_cardinality_first = card});
    ExpectOptimalWithCertificate(g, s);
    EXPECT_EQ(s.partner, (std::vector<std::int32_t>{5, 2, 1, 4, 3, 0}));
    EXPECT_EQ(s.total_weight, 21);
  }
  // Without the pendant, the 5-cycle's optimal dual needs the whole cycle as an odd set: a
  // fractional solution (1/2 on every edge, value 25) would beat 20 otherwise.
  const PeerInstance cycle = Graph(5, {{0, 1, 10}, {1, 2, 10}, {2, 3, 10}, {3, 4, 10}, {4, 0, 10}});
  const PeerSolution c = SolveMaxWeightPeer(cycle, {}, PeerOptions{.max_cardinality_first = false});
  ExpectOptimalWithCertificate(cycle, c);
  EXPECT_EQ(c.matched_pairs, 2);
  EXPECT_EQ(c.total_weight, 20);
  ASSERT_EQ(c.blossoms.size(), 1U);
  EXPECT_EQ(c.blossoms[0], (std::vector<std::int32_t>{0, 1, 2, 3, 4}));
  EXPECT_GT(c.blossom_dual[0], 0);
  EXPECT_GE(c.blossoms_formed, 1);
}

TEST(PeerMaxWeight, MatchesBruteForceOnSmallRandomGraphs) {
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int round = 0; round < 600; ++round) {
    const std::int32_t n = 1 + round % 10;
    const double density = 0.2 + 0.1 * (round % 8);
    const Weight max_w = round % 3 == 0 ? 3 : (round % 3 == 1 ? 100 : kMaxWeight);
    const PeerInstance inst = RandomGraph(rng, n, density, max_w);
    const auto [card, weight] = BruteForce(inst);
    const PeerSolution s = SolveMaxWeightPeer(inst);
    ExpectOptimalWithCertificate(inst, s);
    ASSERT_EQ(s.matched_pairs, card.pairs) << "round " << round;
    ASSERT_EQ(s.total_weight, card.weight) << "round " << round;
    const PeerSolution p =
        SolveMaxWeightPeer(inst, {}, PeerOptions{.max_cardinality_first = false});
    ExpectOptimalWithCertificate(inst, p);
    ASSERT_EQ(p.total_weight, weight.weight) << "round " << round;
    ++checked;
  }
  EXPECT_EQ(checked, 600);
}

TEST(PeerMaxWeight, EqualWeightsAreMaximumCardinality) {
  // All weights equal: the answer is a maximum matching; brute force gives its size.
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    PeerInstance inst = RandomGraph(rng, 2 + round % 9, 0.3, 0);
    for (PeerEdge& e : inst.edges) e.weight = 5;
    const auto [card, weight] = BruteForce(inst);
    const PeerSolution s = SolveMaxWeightPeer(inst);
    ExpectOptimalWithCertificate(inst, s);
    ASSERT_EQ(s.matched_pairs, card.pairs);
    ASSERT_EQ(s.total_weight, 5 * card.pairs);
  }
}

TEST(PeerMaxWeight, LargerRandomGraphsCarryACertificate) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 6; ++round) {
    const std::int32_t n = 500 + 301 * round;
    PeerInstance inst;
    inst.num_people = n;
    std::uniform_int_distribution<std::int32_t> pick(0, n - 1);
    std::uniform_int_distribution<Weight> w(0, round % 2 == 0 ? 20 : kScoreScale);
    std::vector<std::vector<std::int32_t>> seen(static_cast<size_t>(n));
    for (std::int32_t a = 0; a < n; ++a) {
      for (int k = 0; k < 6; ++k) {
        const std::int32_t b = pick(rng);
        if (b == a) continue;
        auto& sa = seen[static_cast<size_t>(std::min(a, b))];
        if (std::find(sa.begin(), sa.end(), std::max(a, b)) != sa.end()) continue;
        sa.push_back(std::max(a, b));
        inst.edges.push_back({a, b, w(rng)});
      }
    }
    for (bool card : {true, false}) {
      const PeerSolution s =
          SolveMaxWeightPeer(inst, {}, PeerOptions{.max_cardinality_first = card});
      ExpectOptimalWithCertificate(inst, s);
    }
  }
}

TEST(PeerCertificate, RejectsWrongAnswers) {
  const PeerInstance cycle = Graph(5, {{0, 1, 10}, {1, 2, 10}, {2, 3, 10}, {3, 4, 10}, {4, 0, 10}});
  const PeerSolution good = SolveMaxWeightPeer(cycle);
  ASSERT_TRUE(CheckPeerCertificate(cycle, good).ok());

  PeerSolution no_sets = good;  // without the odd set the duals cannot cover the cycle
  no_sets.blossoms.clear();
  no_sets.blossom_dual.clear();
  EXPECT_FALSE(CheckPeerCertificate(cycle, no_sets).ok());

  PeerSolution lower = good;  // one dual lowered: some edge is no longer covered
  lower.vertex_dual[static_cast<size_t>(good.partner[0] >= 0 ? 0 : 1)] -= 1;
  EXPECT_FALSE(CheckPeerCertificate(cycle, lower).ok());

  // A worse pairing with the same duals: not tight, or objective differs.
  const PeerInstance path = Graph(4, {{0, 1, 1}, {1, 2, 10}, {2, 3, 10}});
  PeerSolution s = SolveMaxWeightPeer(path);
  ASSERT_TRUE(CheckPeerCertificate(path, s).ok());
  EXPECT_EQ(s.total_weight, 11);
  PeerSolution worse = s;
  worse.partner = {-1, 2, 1, -1};
  worse.matched_pairs = 1;
  worse.total_weight = 10;
  worse.unpaired = {0, 3};
  EXPECT_TRUE(CheckPeerPairing(path, worse).ok());
  EXPECT_FALSE(CheckPeerCertificate(path, worse).ok());

  PeerSolution not_edge = s;  // {0, 3} is not an eligible pair
  not_edge.partner = {3, 2, 1, 0};
  EXPECT_FALSE(CheckPeerPairing(path, not_edge).ok());

  PeerSolution wrong_total = s;
  wrong_total.total_weight += 1;
  EXPECT_FALSE(CheckPeerPairing(path, wrong_total).ok());

  PeerSolution small_bonus = s;
  small_bonus.bonus = 1;
  EXPECT_FALSE(CheckPeerCertificate(path, small_bonus).ok());
}

TEST(PeerValidate, RejectsBadInstances) {
  EXPECT_FALSE(Validate(Graph(2, {{0, 0, 1}})).ok());             // self pair
  EXPECT_FALSE(Validate(Graph(2, {{0, 1, 1}, {1, 0, 2}})).ok());  // same pair twice
  EXPECT_FALSE(Validate(Graph(2, {{0, 2, 1}})).ok());             // out of range
  EXPECT_FALSE(Validate(Graph(2, {{0, 1, -1}})).ok());            // negative weight
  PeerInstance ranked = Graph(3, {{0, 1, 1}});
  ranked.ranking = {{1}, {0, 0}, {}};  // ranks 0 twice
  EXPECT_FALSE(Validate(ranked).ok());
  EXPECT_EQ(SolveMaxWeightPeer(Graph(2, {{0, 0, 1}})).status, SolveStatus::kBadInput);
}

TEST(PeerMaxWeight, CancelFlagStopsTheRun) {
  std::atomic<bool> cancel{true};
  std::mt19937_64 rng(5);
  const PeerInstance inst = RandomGraph(rng, 400, 0.2, 1000);
  SolveOptions options;
  options.cancel = &cancel;
  EXPECT_EQ(SolveMaxWeightPeer(inst, options).status, SolveStatus::kCancelled);
}

TEST(PeerOddPool, NamesWhoIsLeftOutAndFormsATrio) {
  // Five people; E4 scores low with everyone, so E4 is left out, and with allow_trio joins the
  // pair it scores best with: {0,1} scores 3 + 2 = 5 with E4, {2,3} scores 1 + 1 = 2.
  PeerInstance inst = Graph(
      5,
      {{0, 1, 90}, {2, 3, 80}, {0, 2, 10}, {1, 3, 10}, {4, 0, 3}, {4, 1, 2}, {4, 2, 1}, {4, 3, 1}});
  inst.labels = {"E0", "E1", "E2", "E3", "E4"};
  const PeerSolution s = SolveMaxWeightPeer(inst, {}, PeerOptions{.allow_trio = true});
  ExpectOptimalWithCertificate(inst, s);
  EXPECT_EQ(s.unpaired, (std::vector<std::int32_t>{4}));
  EXPECT_EQ(s.total_weight, 170);
  ASSERT_GE(s.notes.size(), 3U);
  EXPECT_NE(s.notes[0].find("odd pool of 5 people"), std::string::npos) << s.notes[0];
  EXPECT_EQ(s.notes[1].rfind("E4 is unpaired", 0), 0U) << s.notes[1];
  // Nobody has a weaker best candidate than E4 (3 against 90, 90, 80, 80).
  EXPECT_NE(s.notes[1].find("0 of 5 people have a weaker best candidate"), std::string::npos);
  ASSERT_EQ(s.trios.size(), 1U);
  EXPECT_EQ(s.trios[0].a, 0);
  EXPECT_EQ(s.trios[0].b, 1);
  EXPECT_EQ(s.trios[0].third, 4);
  EXPECT_EQ(s.trios[0].score, 5);
  EXPECT_EQ(s.partner[4], -1);  // the pairing itself is unchanged
}

// Roommates --------------------------------------------------------------------------------

// Acceptable pairs from rankings (1-based lists in the comments, 0-based here), weight 1 each.
PeerInstance Ranked(const std::vector<std::vector<std::int32_t>>& one_based) {
  PeerInstance inst;
  inst.num_people = static_cast<std::int32_t>(one_based.size());
  for (const auto& list : one_based) {
    inst.ranking.emplace_back();
    for (std::int32_t p : list) inst.ranking.back().push_back(p - 1);
  }
  for (std::int32_t a = 0; a < inst.num_people; ++a) {
    for (std::int32_t b : inst.ranking[static_cast<size_t>(a)]) {
      if (a < b) inst.edges.push_back({a, b, 1});
    }
  }
  return inst;
}

TEST(Roommates, IrvingSixPersonInstanceHasAStableMatching) {
  // Irving (1985), the 6-person example:
  //   1: 4 6 2 5 3    2: 6 3 5 1 4    3: 4 5 1 6 2
  //   4: 2 6 5 1 3    5: 4 2 3 6 1    6: 5 1 4 2 3
  // Phase 1 (1..6 propose in turn): 1->4, 2->6, 3->5 (4 dropped 3), 4->2, 5->4 (4 drops 1),
  // 6->1 (5 dropped 6), 1->6 (6 drops 2), 2->3. Reduced lists: 1:[6] 2:[3 5 4] 3:[5 2]
  // 4:[2 5] 5:[4 2 3] 6:[1]. Phase 2 from 2: second(2)=5, last(5)=3, second(3)=2, last(2)=4,
  // second(4)=5, last(5)=3 again: rotation (3,2),(4,5); eliminating it leaves
  // {1,6}, {2,3}, {4,5}. By enumeration of all 15 perfect matchings this is the only stable one.
  const PeerInstance inst = Ranked({{4, 6, 2, 5, 3},
                                    {6, 3, 5, 1, 4},
                                    {4, 5, 1, 6, 2},
                                    {2, 6, 5, 1, 3},
                                    {4, 2, 3, 6, 1},
                                    {5, 1, 4, 2, 3}});
  const PeerSolution s = SolveStableRoommates(inst);
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_TRUE(s.stable_exists);
  EXPECT_EQ(s.method, PeerMethod::kStableRoommates);
  EXPECT_EQ(s.partner, (std::vector<std::int32_t>{5, 2, 1, 4, 3, 0}));
  EXPECT_TRUE(s.blocking_pairs.empty());
  EXPECT_TRUE(FindPeerBlockingPairs(inst, s.partner).empty());
  EXPECT_EQ(s.blossoms_formed, 1);  // one rotation eliminated
  EXPECT_TRUE(CheckPeerPairing(inst, s).ok());
}

TEST(Roommates, FourPersonInstanceWithoutStableMatching) {
  // Gale & Shapley (1962), also in Irving (1985) and Gusfield & Irving (1989):
  //   1: 2 3 4    2: 3 1 4    3: 1 2 4    4: (any order)
  // Whoever is paired with 4 (everyone's last choice) forms a blocking pair: {12,34} is
  // blocked by (2,3); {13,24} by (1,2); {14,23} by (1,3). Weights pin the fallback: {1,2} and
  // {3,4} weigh 5, the rest 1, so the max-weight fallback is {12,34} (weight 10) with exactly
  // one blocking pair, (2,3) = (1,2) zero-based.
  PeerInstance inst = Ranked({{2, 3, 4}, {3, 1, 4}, {1, 2, 4}, {1, 2, 3}});
  for (PeerEdge& e : inst.edges) {
    if ((e.a == 0 && e.b == 1) || (e.a == 2 && e.b == 3)) e.weight = 5;
  }
  const PeerSolution s = SolveStableRoommates(inst);
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_FALSE(s.stable_exists);
  EXPECT_EQ(s.method, PeerMethod::kMaxWeightMatching);
  EXPECT_EQ(s.partner, (std::vector<std::int32_t>{1, 0, 3, 2}));
  EXPECT_EQ(s.total_weight, 10);
  EXPECT_EQ(s.blocking_pairs, (std::vector<std::pair<std::int32_t, std::int32_t>>{{1, 2}}));
  ASSERT_FALSE(s.notes.empty());
  EXPECT_NE(s.notes[0].find("no stable matching exists"), std::string::npos) << s.notes[0];
  EXPECT_NE(s.notes[0].find("1 blocking pair"), std::string::npos) << s.notes[0];
  EXPECT_TRUE(CheckPeerCertificate(AcceptablePeerPairs(inst), s).ok());
}

TEST(Roommates, PreferencesInducedFromWeights) {
  // No rankings: higher weight first. 0 and 1 like each other best (9); 2 and 3 are left.
  const PeerInstance inst = Graph(4, {{0, 1, 9}, {0, 2, 5}, {1, 3, 4}, {2, 3, 1}, {0, 3, 2}});
  const PeerSolution s = SolveStableRoommates(inst);
  EXPECT_TRUE(s.stable_exists);
  EXPECT_EQ(s.partner, (std::vector<std::int32_t>{1, 0, 3, 2}));
  EXPECT_EQ(s.total_weight, 10);
}

// Stable matchings of a small instance by enumeration (incomplete lists: any matching).
bool StableExistsBruteForce(const PeerInstance& inst) {
  const auto n = static_cast<size_t>(inst.num_people);
  std::vector<std::vector<char>> ok(n, std::vector<char>(n, 0));
  const PeerInstance acc = AcceptablePeerPairs(inst);
  for (const PeerEdge& e : acc.edges) {
    ok[static_cast<size_t>(e.a)][static_cast<size_t>(e.b)] = 1;
    ok[static_cast<size_t>(e.b)][static_cast<size_t>(e.a)] = 1;
  }
  // partner -2 marks "decided unpaired" during the search; the check sees -1 there.
  std::vector<std::int32_t> partner(n, -1);
  bool found = false;
  std::function<void(size_t)> rec;
  rec = [&](size_t v) {
    if (found) return;
    while (v < n && partner[v] != -1) ++v;
    if (v == n) {
      std::vector<std::int32_t> p = partner;
      for (std::int32_t& x : p) x = std::max(x, -1);
      if (FindPeerBlockingPairs(inst, p).empty()) found = true;
      return;
    }
    partner[v] = -2;
    rec(v + 1);
    partner[v] = -1;
    for (size_t u = v + 1; u < n; ++u) {
      if (partner[u] != -1 || !ok[v][u]) continue;
      partner[v] = static_cast<std::int32_t>(u);
      partner[u] = static_cast<std::int32_t>(v);
      rec(v + 1);
      partner[u] = -1;
      partner[v] = -1;
    }
  };
  rec(0);
  return found;
}

TEST(Roommates, AgreesWithEnumerationOnSmallRandomInstances) {
  std::mt19937_64 rng(99);
  int with = 0;
  int without = 0;
  for (int round = 0; round < 400; ++round) {
    const std::int32_t n = 2 + round % 8;
    PeerInstance inst = RandomGraph(rng, n, 0.4 + 0.1 * (round % 6), 6);
    if (round % 2 == 1) {  // explicit random rankings, some pairs unranked by one side
      inst.ranking.assign(static_cast<size_t>(n), {});
      for (const PeerEdge& e : inst.edges) {
        if (rng() % 5 != 0) inst.ranking[static_cast<size_t>(e.a)].push_back(e.b);
        if (rng() % 5 != 0) inst.ranking[static_cast<size_t>(e.b)].push_back(e.a);
      }
      for (auto& list : inst.ranking) std::shuffle(list.begin(), list.end(), rng);
    }
    const PeerSolution s = SolveStableRoommates(inst);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    const bool exists = StableExistsBruteForce(inst);
    ASSERT_EQ(s.stable_exists, exists) << "round " << round;
    if (exists) {
      ++with;
      ASSERT_TRUE(s.blocking_pairs.empty()) << "round " << round;
      ASSERT_TRUE(CheckPeerPairing(inst, s).ok());
    } else {
      ++without;
      ASSERT_FALSE(s.blocking_pairs.empty());
      ASSERT_TRUE(CheckPeerCertificate(AcceptablePeerPairs(inst), s).ok());
    }
  }
  EXPECT_GT(with, 100);
  EXPECT_GT(without, 10);
}

TEST(Roommates, UnpairedInEveryStableMatchingIsExplained) {
  // 0 and 1 rank each other first; 2 finds only 0 acceptable, and 0 prefers 1.
  PeerInstance inst = Ranked({{2, 3}, {1}, {1}});
  inst.labels = {"A", "B", "C"};
  const PeerSolution s = SolveStableRoommates(inst);
  EXPECT_TRUE(s.stable_exists);
  EXPECT_EQ(s.partner, (std::vector<std::int32_t>{1, 0, -1}));
  bool named = false;
  for (const std::string& note : s.notes) named = named || note.rfind("C is unpaired", 0) == 0;
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace tandem::matching
