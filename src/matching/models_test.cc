// Speed mentoring, rotation, groups and peer circles: hand-solved cases, brute force on tiny
// random instances, LEMON's NetworkSimplex for the meeting selection, and the independent checks.
#include <gtest/gtest.h>
#include <lemon/list_graph.h>
#include <lemon/network_simplex.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

#include "matching/certificate.h"
#include "matching/edge_coloring.h"
#include "matching/groups.h"
#include "matching/rotation.h"
#include "matching/speed.h"
#include "matching/test_instances.h"
#include "matching/welfare.h"

namespace tandem::matching {
namespace {

using test_support::Make;
using test_support::RandomInstance;

std::vector<std::pair<std::int32_t, std::int32_t>> Pairs(const SpeedResult& r) {
  std::vector<std::pair<std::int32_t, std::int32_t>> out;
  for (const Meeting& m : r.meetings) out.emplace_back(m.mentee, m.mentor);
  return out;
}

void ExpectSpeedChecks(const SpeedProblem& p, const SpeedResult& r) {
  ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  Status sel = CheckSpeedSelection(p, r);
  EXPECT_TRUE(sel.ok()) << sel.message();
  Status tt = CheckSpeedTimetable(p, r);
  EXPECT_TRUE(tt.ok()) << tt.message();
}

// ---------------------------------------------------------------- speed mentoring

TEST(SpeedTest, HandSolvedThreeByThreeTwoSlots) {
  // Every mentee and mentor meets two of three, so the three pairs left out form a perfect
  // matching; the best choice leaves out the lightest one. Permutations (left-out weights):
  // (0,1,2)=9+8+4=21, (0,2,1)=9+6+3=18, (1,0,2)=1+2+4=7, (1,2,0)=1+6+7=14, (2,0,1)=5+2+3=10,
  // (2,1,0)=5+8+7=20. Leave out (0,1), (1,0), (2,2): total 45 - 7 = 38.
  SpeedProblem p;
  p.instance = Make({{9, 1, 5}, {2, 8, 6}, {7, 3, 4}}, {1, 1, 1});
  p.slots = 2;
  SpeedResult r = SolveSpeed(p);
  ExpectSpeedChecks(p, r);
  EXPECT_EQ(r.num_meetings, 6);
  EXPECT_EQ(r.total_weight, 38);
  EXPECT_EQ(Pairs(r), (std::vector<std::pair<std::int32_t, std::int32_t>>{
                          {0, 0}, {0, 2}, {1, 1}, {1, 2}, {2, 0}, {2, 1}}));
  EXPECT_EQ(r.max_degree, 2);
  // Everyone is busy in both slots: three meetings per slot.
  ASSERT_EQ(r.slot_meetings.size(), 2u);
  EXPECT_EQ(r.slot_meetings[0].size(), 3u);
  EXPECT_EQ(r.slot_meetings[1].size(), 3u);
  for (const auto& row : r.mentee_timetable) {
    EXPECT_EQ(std::count(row.begin(), row.end(), -1), 0);
  }
  // Mentee 0 meets mentors 0 and 2 in different slots.
  EXPECT_NE(r.mentee_timetable[0][0], r.mentee_timetable[0][1]);
}

TEST(SpeedTest, MoreMeetingsBeatMoreWeight) {
  // One slot. Mentee 0 likes mentor 0 (100) far more than mentor 1 (1); mentee 1 can only meet
  // mentor 0. Most weight alone: {(0,0)} = 100; most meetings first: {(0,1), (1,0)} = 2.
  SpeedProblem p;
  p.instance = Make({{100, 1}, {1, -1}}, {1, 1});
  p.slots = 1;
  SpeedResult r = SolveSpeed(p);
  ExpectSpeedChecks(p, r);
  EXPECT_EQ(r.num_meetings, 2);
  EXPECT_EQ(r.total_weight, 2);
  EXPECT_EQ(Pairs(r), (std::vector<std::pair<std::int32_t, std::int32_t>>{{0, 1}, {1, 0}}));
}

TEST(SpeedTest, CompleteGraphWithDegreeEqualToSlotsIsColouredTightly) {
  // K_{4,4} with T = 4: all 16 meetings are chosen, every person meets in every slot, and the
  // slots form four perfect matchings (a Latin square).
  const int t = 4;
  SpeedProblem p;
  std::vector<std::vector<Weight>> w(t, std::vector<Weight>(t, 0));
  for (int i = 0; i < t; ++i) {
    for (int j = 0; j < t; ++j) w[i][j] = 10 * i + j;
  }
  p.instance = Make(w, std::vector<std::int32_t>(t, 1));
  p.slots = t;
  SpeedResult r = SolveSpeed(p);
  ExpectSpeedChecks(p, r);
  EXPECT_EQ(r.num_meetings, 16);
  EXPECT_EQ(r.max_degree, t);
  for (const auto& slot : r.slot_meetings) EXPECT_EQ(slot.size(), 4u);
  for (const auto& row : r.mentee_timetable) {
    std::vector<std::int32_t> sorted = row;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<std::int32_t>{0, 1, 2, 3}));
  }
  for (const auto& row : r.mentor_timetable) {
    EXPECT_EQ(std::count(row.begin(), row.end(), -1), 0);
  }
}

TEST(SpeedTest, PerPersonCapsAreRespected) {
  // Three slots; mentee 0 may take only one meeting and mentor 1 only one.
  SpeedProblem p;
  p.instance = Make({{5, 6, 7}, {1, 2, 3}}, {9, 9, 9});
  p.slots = 3;
  p.mentee_meetings = {1, 3};
  p.mentor_meetings = {3, 1, 3};
  SpeedResult r = SolveSpeed(p);
  ExpectSpeedChecks(p, r);
  // Four meetings at most (1 + 3); mentor 1 once. Best: (0,2)=7, (1,0)=1, (1,1)=2, (1,2)=3 = 13;
  // or (0,1)=6, (1,0), (1,2) = 10 with 3 meetings. So 4 meetings, 13.
  EXPECT_EQ(r.num_meetings, 4);
  EXPECT_EQ(r.total_weight, 13);
}

TEST(SpeedTest, BadInputAndCancel) {
  SpeedProblem p;
  p.instance = Make({{1}}, {1});
  p.slots = 2;
  p.mentee_meetings = {3};
  SpeedResult r = SolveSpeed(p);
  EXPECT_EQ(r.status, SolveStatus::kBadInput);
  EXPECT_NE(r.message.find("outside [0, 2]"), std::string::npos) << r.message;
  p.mentee_meetings = {};
  p.slots = -1;
  EXPECT_EQ(SolveSpeed(p).status, SolveStatus::kBadInput);
  p.slots = 1;
  std::atomic<bool> cancel{true};
  SolveOptions options;
  options.cancel = &cancel;
  EXPECT_EQ(SolveSpeed(p, options).status, SolveStatus::kCancelled);
}

TEST(SpeedTest, CheckersCatchBrokenAnswers) {
  SpeedProblem p;
  p.instance = Make({{9, 1, 5}, {2, 8, 6}, {7, 3, 4}}, {1, 1, 1});
  p.slots = 2;
  const SpeedResult good = SolveSpeed(p);
  SpeedResult bad = good;
  bad.meetings[1].slot = bad.meetings[0].slot;  // mentee 0 double-booked
  EXPECT_FALSE(CheckSpeedTimetable(p, bad).ok());
  bad = good;
  bad.mentee_price[0] += 1;  // prices no longer sum to the primal
  EXPECT_FALSE(CheckSpeedSelection(p, bad).ok());
  bad = good;
  bad.meetings.pop_back();  // a worse selection with the same prices
  bad.num_meetings -= 1;
  bad.total_weight -= good.meetings.back().weight;
  EXPECT_FALSE(CheckSpeedSelection(p, bad).ok());
}

// Best (meetings, weight) over every subset of edges that respects the caps.
std::pair<std::int32_t, Weight> BruteForceSpeed(const SpeedProblem& p) {
  const auto& edges = p.instance.edges;
  std::pair<std::int32_t, Weight> best{0, 0};
  const auto n = static_cast<size_t>(p.instance.num_mentees);
  const auto m = static_cast<size_t>(p.instance.num_mentors());
  for (std::uint32_t mask = 0; mask < (1u << edges.size()); ++mask) {
    std::vector<std::int32_t> da(n, 0);
    std::vector<std::int32_t> db(m, 0);
    std::pair<std::int32_t, Weight> v{0, 0};
    bool ok = true;
    for (size_t e = 0; e < edges.size() && ok; ++e) {
      if (!(mask >> e & 1u)) continue;
      const auto i = static_cast<size_t>(edges[e].mentee);
      const auto j = static_cast<size_t>(edges[e].mentor);
      const std::int32_t ca = p.mentee_meetings.empty() ? p.slots : p.mentee_meetings[i];
      const std::int32_t cb = p.mentor_meetings.empty() ? p.slots : p.mentor_meetings[j];
      ok = ++da[i] <= ca && ++db[j] <= cb;
      ++v.first;
      v.second += edges[e].weight;
    }
    if (ok && v > best) best = v;
  }
  return best;
}

TEST(SpeedTest, MatchesBruteForceOnTinyInstances) {
  std::mt19937_64 rng(17);
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    SpeedProblem p;
    p.instance = RandomInstance(rng, 1 + round % 4, 1 + round % 5, 1, 0.7, round % 3 ? 9 : 1000);
    if (p.instance.edges.size() > 13) continue;
    p.slots = 1 + round % 3;
    if (round % 2) {
      std::uniform_int_distribution<int> cap(0, p.slots);
      for (int i = 0; i < p.instance.num_mentees; ++i) p.mentee_meetings.push_back(cap(rng));
      for (int j = 0; j < p.instance.num_mentors(); ++j) p.mentor_meetings.push_back(cap(rng));
    }
    SpeedResult r = SolveSpeed(p);
    ExpectSpeedChecks(p, r);
    const auto best = BruteForceSpeed(p);
    ASSERT_EQ(r.num_meetings, best.first) << "round " << round;
    ASSERT_EQ(r.total_weight, best.second) << "round " << round;
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

// Most meetings, then most weight, as a min-cost flow in LEMON (independent solver).
Weight LemonSpeedObjective(const SpeedProblem& p, Weight bonus) {
  lemon::ListDigraph g;
  using Arc = lemon::ListDigraph::Arc;
  lemon::ListDigraph::ArcMap<long long> cap(g);
  lemon::ListDigraph::ArcMap<long long> cost(g);
  const auto source = g.addNode();
  const auto sink = g.addNode();
  std::vector<lemon::ListDigraph::Node> mentee;
  std::vector<lemon::ListDigraph::Node> mentor;
  long long supply = 0;
  for (int i = 0; i < p.instance.num_mentees; ++i) {
    mentee.push_back(g.addNode());
    Arc a = g.addArc(source, mentee.back());
    cap[a] = p.slots;
    cost[a] = 0;
    supply += p.slots;
  }
  for (int j = 0; j < p.instance.num_mentors(); ++j) {
    mentor.push_back(g.addNode());
    Arc a = g.addArc(mentor.back(), sink);
    cap[a] = p.slots;
    cost[a] = 0;
  }
  for (const Edge& e : p.instance.edges) {
    Arc a = g.addArc(mentee[static_cast<size_t>(e.mentee)], mentor[static_cast<size_t>(e.mentor)]);
    cap[a] = 1;
    cost[a] = -(e.weight + bonus);
  }
  Arc bypass = g.addArc(source, sink);
  cap[bypass] = supply;
  cost[bypass] = 0;
  lemon::NetworkSimplex<lemon::ListDigraph, long long, long long> ns(g);
  ns.upperMap(cap).costMap(cost).stSupply(source, sink, supply);
  EXPECT_EQ(ns.run(), decltype(ns)::OPTIMAL);
  return -ns.totalCost<long long>();
}

TEST(SpeedTest, SelectionEqualsLemonNetworkSimplex) {
  std::mt19937_64 rng(2025);
  for (int round = 0; round < 30; ++round) {
    SpeedProblem p;
    p.instance =
        RandomInstance(rng, 40 + 5 * round, 10 + round, 1, 0.05 + 0.02 * (round % 10), kScoreScale);
    p.slots = 1 + round % 6;
    SpeedResult r = SolveSpeed(p);
    ExpectSpeedChecks(p, r);
    ASSERT_EQ(r.total_weight + r.bonus * r.num_meetings, LemonSpeedObjective(p, r.bonus))
        << "round " << round;
  }
}

TEST(EdgeColouringTest, ThousandsOfRandomBipartiteGraphs) {
  std::mt19937_64 rng(5);
  std::int64_t edges_coloured = 0;
  for (int round = 0; round < 3000; ++round) {
    const int left = 1 + static_cast<int>(rng() % 12);
    const int right = 1 + static_cast<int>(rng() % 12);
    const int count = static_cast<int>(rng() % 60);
    std::vector<std::pair<std::int32_t, std::int32_t>> edges;
    std::vector<int> deg(static_cast<size_t>(left + right), 0);
    for (int e = 0; e < count; ++e) {  // parallel edges allowed: a multigraph
      const auto u = static_cast<std::int32_t>(rng() % static_cast<unsigned>(left));
      const auto v = static_cast<std::int32_t>(rng() % static_cast<unsigned>(right));
      edges.emplace_back(u, v);
      ++deg[static_cast<size_t>(u)];
      ++deg[static_cast<size_t>(left + v)];
    }
    const int delta = *std::max_element(deg.begin(), deg.end());
    Result<EdgeColouring> c = ColourBipartiteEdges(left, right, edges, delta);
    ASSERT_TRUE(c.ok()) << c.status().message();
    Status s = CheckEdgeColouring(left, right, edges, delta, c->colour);
    ASSERT_TRUE(s.ok()) << "round " << round << ": " << s.message();
    if (delta > 0) {
      EXPECT_FALSE(ColourBipartiteEdges(left, right, edges, delta - 1).ok());
    }
    edges_coloured += static_cast<std::int64_t>(edges.size());
  }
  EXPECT_GT(edges_coloured, 50000);
}

TEST(EdgeColouringTest, CheckerRejectsClashes) {
  const std::vector<std::pair<std::int32_t, std::int32_t>> edges = {{0, 0}, {0, 1}};
  EXPECT_FALSE(CheckEdgeColouring(1, 2, edges, 2, {1, 1}).ok());
  EXPECT_FALSE(CheckEdgeColouring(1, 2, edges, 2, {0, 2}).ok());
  EXPECT_TRUE(CheckEdgeColouring(1, 2, edges, 2, {1, 0}).ok());
}

TEST(SpeedTest, LargerRandomEventsAreCertified) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 10; ++round) {
    SpeedProblem p;
    p.instance = RandomInstance(rng, 200, 50, 1, 0.3, kScoreScale);
    p.slots = 4 + round % 5;
    SpeedResult r = SolveSpeed(p);
    ExpectSpeedChecks(p, r);
    EXPECT_LE(r.max_degree, p.slots);
  }
}

// ---------------------------------------------------------------- rotation

TEST(RotationTest, HandSolvedTwoRoundsThenCandidatesRunOut) {
  RotationProblem p;
  p.instance = Make({{5, 1}, {1, 5}}, {1, 1});
  p.rounds = 3;
  RotationResult r = SolveRotation(p);
  ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  ASSERT_EQ(r.rounds.size(), 3u);
  EXPECT_EQ(r.rounds[0].solution.mentor_of, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(r.rounds[0].solution.total_weight, 10);
  EXPECT_EQ(r.rounds[1].solution.mentor_of, (std::vector<std::int32_t>{1, 0}));
  EXPECT_EQ(r.rounds[1].solution.total_weight, 2);
  EXPECT_EQ(r.rounds[2].solution.matched, 0);
  EXPECT_EQ(r.rounds[2].candidate_pairs, 0);
  EXPECT_EQ(r.rounds[2].unmatched[0], RotationUnmatched::kCandidatesUsed);
  EXPECT_EQ(r.rounds[2].unmatched_reason[0],
            "all 2 eligible mentors already met (2 in earlier rounds, 0 in the history)");
  Status s = CheckRotation(p, r);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(RotationTest, HistoryIsRespectedAndReasonsAreGiven) {
  // History holds (0, 0). Round 0 without it: mentee 0 can only take mentor 1, so the most
  // matched is {0->1, 1->0} = 2 (not {1->1} = 5 alone). Mentee 2 has no edge at all.
  RotationProblem p;
  p.instance = Make({{5, 1}, {1, 5}, {-1, -1}}, {1, 1});
  p.rounds = 2;
  p.history = {{0, 0}};
  RotationResult r = SolveRotation(p);
  ASSERT_EQ(r.status, SolveStatus::kOptimal);
  EXPECT_EQ(r.rounds[0].solution.mentor_of, (std::vector<std::int32_t>{1, 0, -1}));
  EXPECT_EQ(r.rounds[0].solution.total_weight, 2);
  EXPECT_EQ(r.rounds[0].unmatched[2], RotationUnmatched::kNoEligibleMentor);
  // Round 1: only (1, 1) is left for mentee 1; mentee 0 has met or been given both mentors.
  EXPECT_EQ(r.rounds[1].solution.mentor_of, (std::vector<std::int32_t>{-1, 1, -1}));
  EXPECT_EQ(r.rounds[1].unmatched[0], RotationUnmatched::kCandidatesUsed);
  EXPECT_EQ(r.rounds[1].unmatched_reason[0],
            "all 2 eligible mentors already met (1 in earlier rounds, 1 in the history)");
  EXPECT_TRUE(CheckRotation(p, r).ok());
  // A plan that repeats a history pair is rejected.
  RotationResult bad = r;
  bad.rounds[0].solution.mentor_of = {0, 1, -1};
  EXPECT_FALSE(CheckRotation(p, bad).ok());
}

TEST(RotationTest, CapacityTakenIsExplained) {
  // One mentor with one place, two mentees: the better one gets it.
  RotationProblem p;
  p.instance = Make({{3}, {7}}, {1});
  p.rounds = 1;
  RotationResult r = SolveRotation(p);
  EXPECT_EQ(r.rounds[0].solution.mentor_of, (std::vector<std::int32_t>{-1, 0}));
  EXPECT_EQ(r.rounds[0].unmatched[0], RotationUnmatched::kCapacityTaken);
}

TEST(RotationTest, EveryRoundOptimalAgainstWelfareAndBruteForce) {
  std::mt19937_64 rng(41);
  for (int round = 0; round < 150; ++round) {
    RotationProblem p;
    const bool tiny = round % 2 == 0;
    p.instance = tiny ? RandomInstance(rng, 1 + round % 5, 1 + round % 3, 2, 0.8, 50)
                      : RandomInstance(rng, 60, 15, 4, 0.3, kScoreScale);
    p.rounds = 1 + round % 4;
    for (const Edge& e : p.instance.edges) {
      if (rng() % 7 == 0) p.history.emplace_back(e.mentee, e.mentor);
    }
    RotationResult r = SolveRotation(p);
    ASSERT_EQ(r.status, SolveStatus::kOptimal);
    Status s = CheckRotation(p, r);
    ASSERT_TRUE(s.ok()) << "round " << round << ": " << s.message();
    for (std::int32_t k = 0; k < p.rounds; ++k) {
      const Instance inst = RotationRoundInstance(p, r, k);
      const Solution fresh = SolveWelfare(inst);
      const Solution& got = r.rounds[static_cast<size_t>(k)].solution;
      ASSERT_EQ(got.matched, fresh.matched);
      ASSERT_EQ(got.total_weight, fresh.total_weight);
      if (!tiny) continue;
      // Brute force over every assignment of the round's instance.
      std::int32_t best_matched = 0;
      Weight best_total = 0;
      std::vector<std::int32_t> load(inst.capacity.size(), 0);
      std::vector<std::vector<std::pair<std::int32_t, Weight>>> options(
          static_cast<size_t>(inst.num_mentees));
      for (const Edge& e : inst.edges)
        options[static_cast<size_t>(e.mentee)].emplace_back(e.mentor, e.weight);
      std::function<void(size_t, std::int32_t, Weight)> rec = [&](size_t i, std::int32_t c,
                                                                  Weight t) {
        if (i == options.size()) {
          if (std::tie(c, t) > std::tie(best_matched, best_total)) {
            best_matched = c;
            best_total = t;
          }
          return;
        }
        rec(i + 1, c, t);
        for (const auto& [j, w] : options[i]) {
          if (load[static_cast<size_t>(j)] >= inst.capacity[static_cast<size_t>(j)]) continue;
          ++load[static_cast<size_t>(j)];
          rec(i + 1, c + 1, t + w);
          --load[static_cast<size_t>(j)];
        }
      };
      rec(0, 0, 0);
      ASSERT_EQ(got.matched, best_matched) << "round " << round << " r" << k;
      ASSERT_EQ(got.total_weight, best_total) << "round " << round << " r" << k;
    }
  }
}

TEST(RotationTest, BadHistoryIsBadInput) {
  RotationProblem p;
  p.instance = Make({{1}}, {1});
  p.rounds = 1;
  p.history = {{0, 4}};
  EXPECT_EQ(SolveRotation(p).status, SolveStatus::kBadInput);
}

// ---------------------------------------------------------------- groups

TEST(GroupsTest, LocalSearchMustSwapToGroupSharedGoals) {
  // Mentees 0 and 1 share goals {1, 2}; mentees 2 and 3 share {7, 8}. The pair weights slightly
  // favour the mixed groups {0, 2} / {1, 3} (welfare: 4 x 510,000 = 2,040,000, cohesion 0). Groups
  // are full (capacity 2), so only a swap helps: {0, 1} / {2, 3} has pair weight 2,020,000 and
  // cohesion 2 x 1,000,000. With lambda = 0.1: value 1000 * 2,020,000 + 100 * 2,000,000 =
  // 2,220,000,000 against 2,040,000,000 before.
  GroupProblem p;
  p.instance =
      Make({{510000, 500000}, {500000, 510000}, {510000, 500000}, {500000, 510000}}, {2, 2});
  p.mentee_tags = {{1, 2}, {2, 1}, {7, 8}, {8, 7, 7}};
  p.weights = {0.1, 0.05, 0.0};
  GroupResult r = SolveGroups(p);
  ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  EXPECT_EQ(r.before.pair_weight, 2040000);
  EXPECT_EQ(r.before.cohesion, 0);
  EXPECT_EQ(r.before.value, 2040000000);
  EXPECT_EQ(r.after.pair_weight, 2020000);
  EXPECT_EQ(r.after.cohesion, 2000000);
  EXPECT_EQ(r.after.imbalance, 0);
  EXPECT_EQ(r.after.value, 2220000000);
  EXPECT_DOUBLE_EQ(r.after.score(), 2.22);
  EXPECT_EQ(r.swaps, 1);
  const std::int32_t g0 = r.mentor_of[0];
  EXPECT_EQ(r.mentor_of, (std::vector<std::int32_t>{g0, g0, 1 - g0, 1 - g0}));
  Status s = CheckGroups(p, r);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(GroupsTest, SmallGroupIsMergedOrFlagged) {
  // Mentor 1's group would hold only mentee 2 (weight 900,000 there); min_size 2.
  GroupProblem p;
  p.instance = Make({{500000, -1}, {500000, -1}, {500000, 900000}}, {3, 3});
  p.min_size = 2;
  p.weights = {0.0, 0.0, 0.0};
  GroupResult merged = SolveGroups(p);
  ASSERT_EQ(merged.status, SolveStatus::kOptimal);
  EXPECT_EQ(merged.before.pair_weight, 1900000);
  EXPECT_EQ(merged.mentor_of, (std::vector<std::int32_t>{0, 0, 0}));
  EXPECT_EQ(merged.merged_groups, (std::vector<std::int32_t>{1}));
  EXPECT_TRUE(merged.small_groups.empty());
  EXPECT_EQ(merged.after.pair_weight, 1500000);
  EXPECT_TRUE(CheckGroups(p, merged).ok());

  p.small_groups = SmallGroupPolicy::kFlag;
  GroupResult flagged = SolveGroups(p);
  EXPECT_EQ(flagged.mentor_of, (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_EQ(flagged.small_groups, (std::vector<std::int32_t>{1}));
  EXPECT_TRUE(CheckGroups(p, flagged).ok());

  // Mentee 2 can only join mentor 1: nothing to merge into, so the group is flagged.
  p.small_groups = SmallGroupPolicy::kMerge;
  p.instance = Make({{500000, -1}, {500000, -1}, {-1, 900000}}, {3, 3});
  GroupResult stuck = SolveGroups(p);
  EXPECT_TRUE(stuck.merged_groups.empty());
  EXPECT_EQ(stuck.small_groups, (std::vector<std::int32_t>{1}));
  EXPECT_TRUE(CheckGroups(p, stuck).ok());
}

GroupProblem RandomGroupProblem(std::mt19937_64& rng, int n, int m, int cap) {
  GroupProblem p;
  p.instance = RandomInstance(rng, n, m, cap, 0.6, kScoreScale);
  p.mentee_tags.resize(static_cast<size_t>(n));
  for (auto& t : p.mentee_tags) {
    const int k = static_cast<int>(rng() % 5);
    for (int x = 0; x < k; ++x) t.push_back(static_cast<std::int32_t>(rng() % 8));
  }
  for (int i = 0; i < n; ++i) {
    p.mentee_department.push_back(static_cast<std::int32_t>(rng() % 4) - 1);
    p.mentee_site.push_back(static_cast<std::int32_t>(rng() % 3));
  }
  p.min_size = static_cast<std::int32_t>(rng() % 3);
  p.weights = {0.5, 0.1 * static_cast<double>(rng() % 3), 0.2 * static_cast<double>(rng() % 2)};
  p.small_groups = rng() % 2 ? SmallGroupPolicy::kMerge : SmallGroupPolicy::kFlag;
  return p;
}

TEST(GroupsTest, RandomInstancesNeverGetWorseAndPassTheChecks) {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 200; ++round) {
    GroupProblem p = RandomGroupProblem(rng, 5 + round % 30, 2 + round % 6, 6);
    GroupResult r = SolveGroups(p);
    ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
    Status s = CheckGroups(p, r);
    ASSERT_TRUE(s.ok()) << "round " << round << ": " << s.message();
    // `before` is the welfare assignment's objective, recomputed.
    const Solution welfare = SolveWelfare(p.instance);
    const GroupObjective want = EvaluateGroups(p, welfare.mentor_of);
    ASSERT_EQ(r.before.value, want.value);
    EXPECT_EQ(r.placed, welfare.matched);
    // Merging may trade objective for size; without it the local search never loses.
    if (r.merged_groups.empty()) {
      ASSERT_GE(r.after.value, r.before.value) << "round " << round;
    }
    for (size_t j = 0; j < r.members.size(); ++j) {
      ASSERT_LE(static_cast<std::int32_t>(r.members[j].size()), p.instance.capacity[j]);
    }
  }
}

TEST(GroupsTest, Deterministic) {
  std::mt19937_64 rng(78);
  GroupProblem p = RandomGroupProblem(rng, 60, 8, 10);
  GroupResult a = SolveGroups(p);
  GroupResult b = SolveGroups(p);
  EXPECT_EQ(a.mentor_of, b.mentor_of);
  EXPECT_EQ(a.after.value, b.after.value);
  EXPECT_EQ(a.moves + a.swaps, b.moves + b.swaps);
}

TEST(GroupsTest, BadInput) {
  GroupProblem p;
  p.instance = Make({{1}}, {1});
  p.mentee_tags = {{1}, {2}};
  EXPECT_EQ(SolveGroups(p).status, SolveStatus::kBadInput);
  p.mentee_tags = {};
  p.weights.cohesion = -1;
  EXPECT_NE(SolveGroups(p).message.find("weights.cohesion"), std::string::npos);
}

// ---------------------------------------------------------------- peer circles

TEST(CirclesTest, SizesWhenNIsNotDivisibleByK) {
  using V = std::vector<std::int32_t>;
  EXPECT_EQ(CircleSizes(12, 4, CircleRemainder::kLarger), (V{4, 4, 4}));
  EXPECT_EQ(CircleSizes(10, 4, CircleRemainder::kLarger), (V{5, 5}));
  EXPECT_EQ(CircleSizes(10, 4, CircleRemainder::kSmaller), (V{4, 3, 3}));
  // 11 = 4 + 4 + 3: kLarger would need three extra people for two circles.
  EXPECT_EQ(CircleSizes(11, 4, CircleRemainder::kLarger), (V{4, 4, 3}));
  EXPECT_EQ(CircleSizes(13, 4, CircleRemainder::kSmaller), (V{4, 3, 3, 3}));
  EXPECT_EQ(CircleSizes(13, 4, CircleRemainder::kLarger), (V{5, 4, 4}));
  EXPECT_EQ(CircleSizes(3, 4, CircleRemainder::kLarger), (V{3}));
  EXPECT_EQ(CircleSizes(0, 4, CircleRemainder::kLarger), (V{}));
}

TEST(CirclesTest, HandMadeCirclesByGoal) {
  // Six people, circles of 3; even people share goal 1, odd people goal 2.
  CircleProblem p;
  p.num_people = 6;
  p.circle_size = 3;
  p.tags = {{1}, {2}, {1}, {2}, {1}, {2}};
  p.weights = {1.0, 0.0, 0.0};
  CircleResult r = SolveCircles(p);
  ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  EXPECT_EQ(r.circles, (std::vector<std::vector<std::int32_t>>{{0, 2, 4}, {1, 3, 5}}));
  EXPECT_EQ(r.after.cohesion, 6 * kScoreScale);
  EXPECT_TRUE(CheckCircles(p, r).ok());
}

TEST(CirclesTest, LocalSearchRepairsGreedyLeftovers) {
  // The greedy fills circles one after another, so the last circles get what is left; the local
  // search must raise the objective somewhere over these random pools, and never lower it, keep
  // the planned sizes, match the recomputed objective and give the same answer twice.
  std::mt19937_64 rng(91);
  bool improved_somewhere = false;
  for (int round = 0; round < 100; ++round) {
    CircleProblem p;
    p.num_people = 5 + round % 40;
    p.circle_size = 2 + round % 5;
    p.remainder = round % 2 ? CircleRemainder::kLarger : CircleRemainder::kSmaller;
    p.tags.resize(static_cast<size_t>(p.num_people));
    for (auto& t : p.tags) {
      const int k = 1 + static_cast<int>(rng() % 4);
      for (int x = 0; x < k; ++x) t.push_back(static_cast<std::int32_t>(rng() % 10));
    }
    for (int i = 0; i < p.num_people; ++i) {
      p.department.push_back(static_cast<std::int32_t>(rng() % 5));
    }
    p.weights = {1.0, 0.0, 0.1 * static_cast<double>(round % 3)};
    CircleResult r = SolveCircles(p);
    ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
    Status s = CheckCircles(p, r);
    ASSERT_TRUE(s.ok()) << "round " << round << ": " << s.message();
    ASSERT_GE(r.after.value, r.before.value);
    improved_somewhere = improved_somewhere || r.after.value > r.before.value;
    CircleResult again = SolveCircles(p);
    ASSERT_EQ(again.circle_of, r.circle_of);
  }
  EXPECT_TRUE(improved_somewhere);
}

}  // namespace
}  // namespace tandem::matching
