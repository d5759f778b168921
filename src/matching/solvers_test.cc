// Solvers against hand-solved and textbook instances, brute force on small random instances, and
// the independent certificate checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <tuple>

#include "matching/certificate.h"
#include "matching/fair.h"
#include "matching/solve.h"
#include "matching/stable.h"
#include "matching/test_instances.h"
#include "matching/welfare.h"

namespace tandem::matching {
namespace {

using test_support::Make;
using test_support::RandomInstance;

// Every feasible assignment of a small instance, visited by callback(mentor_of).
void ForEachAssignment(const Instance& inst,
                       const std::function<void(const std::vector<std::int32_t>&)>& visit) {
  std::vector<std::vector<std::int32_t>> options(static_cast<size_t>(inst.num_mentees));
  for (const Edge& e : inst.edges) options[static_cast<size_t>(e.mentee)].push_back(e.mentor);
  std::vector<std::int32_t> mentor_of(static_cast<size_t>(inst.num_mentees), -1);
  std::vector<std::int32_t> load(inst.capacity.size(), 0);
  std::function<void(size_t)> rec = [&](size_t i) {
    if (i == mentor_of.size()) {
      visit(mentor_of);
      return;
    }
    mentor_of[i] = -1;
    rec(i + 1);
    for (std::int32_t j : options[i]) {
      if (load[static_cast<size_t>(j)] >= inst.capacity[static_cast<size_t>(j)]) continue;
      ++load[static_cast<size_t>(j)];
      mentor_of[i] = j;
      rec(i + 1);
      --load[static_cast<size_t>(j)];
    }
    mentor_of[i] = -1;
  };
  rec(0);
}

struct Totals {
  std::int32_t matched = 0;
  Weight total = 0;
  Weight min = 0;
};

Totals Evaluate(const Instance& inst, const std::vector<std::int32_t>& mentor_of) {
  Totals t;
  for (const Edge& e : inst.edges) {
    if (mentor_of[static_cast<size_t>(e.mentee)] != e.mentor) continue;
    t.min = t.matched == 0 ? e.weight : std::min(t.min, e.weight);
    ++t.matched;
    t.total += e.weight;
  }
  return t;
}

TEST(WelfareTest, HandSolvedAssignment) {
  // Classic 3x3: the best total is 4 + 6 + 7 = 17 via (0,1), (1,0), (2,2)? Check by hand:
  // permutations: (0,1,2)=3+5+7=15, (0,2,1)=3+4+2=9, (1,0,2)=4+6+7=17, (1,2,0)=4+4+1=9,
  // (2,0,1)=1+6+2=9, (2,1,0)=1+5+1=7.
  Instance inst = Make({{3, 4, 1}, {6, 5, 4}, {1, 2, 7}}, {1, 1, 1});
  Solution s = SolveWelfare(inst);
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_EQ(s.matched, 3);
  EXPECT_EQ(s.total_weight, 17);
  EXPECT_EQ(s.mentor_of, (std::vector<std::int32_t>{1, 0, 2}));
  EXPECT_TRUE(CheckWelfareCertificate(inst, s).ok()) << CheckWelfareCertificate(inst, s).message();
}

TEST(WelfareTest, MoreMatchesBeatMoreWeight) {
  // Mentee 0 likes mentor 0 (10) far more than mentor 1 (1); mentee 1 can only use mentor 0.
  // Most weight alone would give {0->0} = 10; most matched first gives {0->1, 1->0} = 6.
  Instance inst = Make({{10, 1}, {5, -1}}, {1, 1});
  Solution s = SolveWelfare(inst);
  EXPECT_EQ(s.matched, 2);
  EXPECT_EQ(s.total_weight, 6);
  EXPECT_EQ(s.mentor_of, (std::vector<std::int32_t>{1, 0}));
  EXPECT_TRUE(CheckWelfareCertificate(inst, s).ok());
}

TEST(WelfareTest, CapacitiesAndUnmatched) {
  // One mentor with two places, three mentees: the two best go to it.
  Instance inst = Make({{5}, {9}, {7}}, {2});
  Solution s = SolveWelfare(inst);
  EXPECT_EQ(s.matched, 2);
  EXPECT_EQ(s.total_weight, 16);
  EXPECT_EQ(s.mentor_of, (std::vector<std::int32_t>{-1, 0, 0}));
  EXPECT_TRUE(CheckWelfareCertificate(inst, s).ok());
}

TEST(WelfareTest, LaterMenteeDisplacesEarlierOne) {
  // Mentee 0 is added first and takes the only place; mentee 1 is better and must displace it.
  Instance inst = Make({{1}, {5}}, {1});
  Solution s = SolveWelfare(inst);
  EXPECT_EQ(s.mentor_of, (std::vector<std::int32_t>{-1, 0}));
  EXPECT_EQ(s.total_weight, 5);
  EXPECT_TRUE(CheckWelfareCertificate(inst, s).ok());
}

TEST(WelfareTest, BadInputIsAResultNotACrash) {
  Instance inst = Make({{1}}, {1});
  inst.edges.push_back({0, 0, 2});
  Solution s = SolveWelfare(inst);
  EXPECT_EQ(s.status, SolveStatus::kBadInput);
  EXPECT_NE(s.message.find("appears twice"), std::string::npos);
  inst.edges = {{0, 3, 1}};
  EXPECT_NE(SolveWelfare(inst).message.find("mentor index out of range"), std::string::npos);
}

TEST(WelfareTest, CancelFlagStopsTheRun) {
  std::atomic<bool> cancel{true};
  Instance inst = Make({{1}, {2}}, {1});
  SolveOptions options;
  options.cancel = &cancel;
  EXPECT_EQ(SolveWelfare(inst, options).status, SolveStatus::kCancelled);
}

TEST(WelfareTest, MatchesBruteForceOnRandomInstances) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 300; ++round) {
    Instance inst = RandomInstance(rng, 1 + round % 6, 1 + round % 4, 2, 0.6, round % 2 ? 5 : 1000);
    Totals best;
    ForEachAssignment(inst, [&](const std::vector<std::int32_t>& a) {
      Totals t = Evaluate(inst, a);
      if (std::tie(t.matched, t.total) > std::tie(best.matched, best.total)) best = t;
    });
    Solution s = SolveWelfare(inst);
    ASSERT_EQ(s.matched, best.matched) << "round " << round;
    ASSERT_EQ(s.total_weight, best.total) << "round " << round;
    Status cert = CheckWelfareCertificate(inst, s);
    ASSERT_TRUE(cert.ok()) << "round " << round << ": " << cert.message();
  }
}

TEST(WelfareTest, CertificateOnLargerRandomInstances) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 20; ++round) {
    Instance inst = RandomInstance(rng, 400, 60, 6, 0.2, kScoreScale);
    Solution s = SolveWelfare(inst);
    Status cert = CheckWelfareCertificate(inst, s);
    ASSERT_TRUE(cert.ok()) << cert.message();
    ASSERT_EQ(s.matched, MaxMatchable(inst, 0));
  }
}

TEST(WelfareTest, DeterministicWhateverTheEdgeOrder) {
  std::mt19937_64 rng(3);
  Instance inst = RandomInstance(rng, 200, 30, 3, 0.3, 3);  // few distinct weights: many ties
  Solution a = SolveWelfare(inst);
  std::shuffle(inst.edges.begin(), inst.edges.end(), rng);
  Solution b = SolveWelfare(inst);
  EXPECT_EQ(a.mentor_of, b.mentor_of);
  EXPECT_EQ(a.mentor_price, b.mentor_price);
}

TEST(CertificateTest, RejectsWrongAnswers) {
  Instance inst = Make({{3, 4, 1}, {6, 5, 4}, {1, 2, 7}}, {1, 1, 1});
  Solution s = SolveWelfare(inst);
  Solution wrong = s;
  wrong.mentor_of = {0, 1, 2};  // feasible, weight 15, not optimal
  wrong.total_weight = 15;
  wrong.min_weight = 3;
  EXPECT_TRUE(CheckAssignment(inst, wrong).ok());
  EXPECT_FALSE(CheckWelfareCertificate(inst, wrong).ok());
  Solution over = s;
  over.mentor_of = {0, 0, 2};
  EXPECT_NE(CheckAssignment(inst, over).message().find("over capacity"), std::string::npos);
  Solution lie = s;
  lie.total_weight += 1;
  EXPECT_NE(CheckAssignment(inst, lie).message().find("sum of pair weights"), std::string::npos);
}

// Gale & Shapley style instance solved by hand (mentee-proposing):
// mentees' preferences: 0: a b c; 1: a c b; 2: b a c.  mentors': a: 1 0 2; b: 0 2 1; c: 0 1 2.
// 0->a (held), 1->a (a prefers 1, rejects 0), 2->b (held), 0->b (b prefers 0, rejects 2),
// 2->a (a keeps 1), 2->c (held). Result: 0-b, 1-a, 2-c.
TEST(StableTest, HandSolvedMarriage) {
  Instance inst = Make({{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, {1, 1, 1});
  inst.mentee_ranking = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}};
  inst.mentor_ranking = {{1, 0, 2}, {0, 2, 1}, {0, 1, 2}};
  Solution s = SolveStable(inst);
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_EQ(s.mentor_of, (std::vector<std::int32_t>{1, 0, 2}));
  EXPECT_TRUE(s.blocking_pairs.empty());
}

// Hospitals/residents: two hospitals with capacity 2 and 1, four residents.
// residents: r0: h0 h1; r1: h0 h1; r2: h0; r3: h1 h0.  hospitals: h0: r2 r1 r0 r3; h1: r0 r3 r1.
// r0->h0, r1->h0 (h0 full: r0, r1), r2->h0 (h0 keeps r2, r1; rejects r0), r3->h1 (held),
// r0->h1 (h1 prefers r0, rejects r3), r3->h0 (h0 keeps r2, r1). Result: r0-h1, r1-h0, r2-h0.
TEST(StableTest, HandSolvedHospitalsResidents) {
  Instance inst = Make({{0, 0}, {0, 0}, {0, -1}, {0, 0}}, {2, 1});
  inst.mentee_ranking = {{0, 1}, {0, 1}, {0}, {1, 0}};
  inst.mentor_ranking = {{2, 1, 0, 3}, {0, 3, 1}};
  Solution s = SolveStable(inst);
  EXPECT_EQ(s.mentor_of, (std::vector<std::int32_t>{1, 0, 0, -1}));
  EXPECT_TRUE(s.blocking_pairs.empty());
  EXPECT_EQ(s.matched, 3);
}

TEST(StableTest, FindsBlockingPairsInAnUnstableAssignment) {
  Instance inst = Make({{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, {1, 1, 1});
  inst.mentee_ranking = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}};
  inst.mentor_ranking = {{1, 0, 2}, {0, 2, 1}, {0, 1, 2}};
  // 0-a, 1-b, 2-c: mentee 1 prefers a to b and a prefers 1 to 0, so (1, a) blocks.
  auto blocking = FindBlockingPairs(inst, {0, 1, 2});
  EXPECT_NE(std::find(blocking.begin(), blocking.end(), std::make_pair(1, 0)), blocking.end());
}

TEST(StableTest, MenteeOptimalAmongAllStableOnRandomInstances) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 300; ++round) {
    Instance inst = RandomInstance(rng, 1 + round % 6, 1 + round % 4, 2, 0.7, 6);
    Solution s = SolveStable(inst);
    ASSERT_TRUE(s.blocking_pairs.empty()) << "round " << round;
    ASSERT_TRUE(CheckAssignment(inst, s).ok());
    // Among all stable assignments, no mentee does better than in the solver's answer.
    auto weight = [&](std::int32_t i, std::int32_t j) -> std::pair<Weight, std::int32_t> {
      if (j < 0) return {-1, 0};
      for (const Edge& e : inst.edges) {
        if (e.mentee == i && e.mentor == j) return {e.weight, -j};
      }
      return {-1, 0};
    };
    int stable_count = 0;
    ForEachAssignment(inst, [&](const std::vector<std::int32_t>& a) {
      if (!FindBlockingPairs(inst, a).empty()) return;
      ++stable_count;
      for (std::int32_t i = 0; i < inst.num_mentees; ++i) {
        ASSERT_LE(weight(i, a[static_cast<size_t>(i)]),
                  weight(i, s.mentor_of[static_cast<size_t>(i)]))
            << "round " << round << " mentee " << i;
      }
    });
    ASSERT_GE(stable_count, 1);
  }
}

TEST(FairTest, RaisesTheWorstOffPair) {
  // Welfare: 0->0 (9) + 1->1 (1) = 10. Fair: 0->1 (4) + 1->0 (4) = 8, lowest 4 instead of 1.
  Instance inst = Make({{9, 4}, {4, 1}}, {1, 1});
  Solution welfare = SolveWelfare(inst);
  EXPECT_EQ(welfare.total_weight, 10);
  Solution fair = SolveFair(inst);
  EXPECT_EQ(fair.matched, 2);
  EXPECT_EQ(fair.min_weight, 4);
  EXPECT_EQ(fair.fair_threshold, 4);
  EXPECT_EQ(fair.mentor_of, (std::vector<std::int32_t>{1, 0}));
  EXPECT_TRUE(CheckFairCertificate(inst, fair).ok()) << CheckFairCertificate(inst, fair).message();
}

TEST(FairTest, MatchesBruteForceOnRandomInstances) {
  std::mt19937_64 rng(9);
  for (int round = 0; round < 300; ++round) {
    Instance inst = RandomInstance(rng, 1 + round % 6, 1 + round % 4, 2, 0.6, 20);
    Totals best;
    ForEachAssignment(inst, [&](const std::vector<std::int32_t>& a) {
      Totals t = Evaluate(inst, a);
      if (std::tie(t.matched, t.min, t.total) > std::tie(best.matched, best.min, best.total))
        best = t;
    });
    Solution s = SolveFair(inst);
    ASSERT_EQ(s.matched, best.matched) << "round " << round;
    ASSERT_EQ(s.min_weight, best.min) << "round " << round;
    ASSERT_EQ(s.total_weight, best.total) << "round " << round;
    Status cert = CheckFairCertificate(inst, s);
    ASSERT_TRUE(cert.ok()) << "round " << round << ": " << cert.message();
  }
}

TEST(SolveTest, DispatchesByObjective) {
  Instance inst = Make({{9, 4}, {4, 1}}, {1, 1});
  SolveOptions options;
  options.objective = Objective::kFair;
  EXPECT_EQ(Solve(inst, options).min_weight, 4);
  options.objective = Objective::kWelfare;
  EXPECT_EQ(Solve(inst, options).total_weight, 10);
  options.objective = Objective::kStable;
  EXPECT_EQ(Solve(inst, options).objective, Objective::kStable);
}

}  // namespace
}  // namespace tandem::matching
