#include "matching/scale.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <tuple>
#include <vector>

#include "matching/candidates.h"
#include "matching/certificate.h"
#include "matching/config.h"
#include "matching/scoring.h"
#include "matching/welfare.h"
#include "sample/organization.h"

namespace tandem::matching {
namespace {

std::vector<Person> Organization(int mentees, int mentors, std::uint64_t seed) {
  sample::OrganizationSpec spec;
  spec.people = mentees + mentors;
  spec.mentor_share = static_cast<double>(mentors) / spec.people;
  spec.seed = seed;
  return sample::GenerateOrganization(spec);
}

// Configurations that exercise every rule and both style modes.
std::vector<MatchConfig> Configs(const std::vector<Person>& people) {
  std::vector<MatchConfig> configs;
  for (int model = 0; model < kModelCount; ++model) {
    configs.push_back(DefaultConfig(static_cast<Model>(model)));
  }
  MatchConfig c = DefaultConfig(Model::kTraditional);
  c.format = Format::kInPerson;
  c.department_rule = DepartmentRule::kRequireCross;
  c.max_time_zone_difference_hours = 3;
  c.either_role = EitherRole::kBothSides;
  c.blocked_pairs = {{people[5].id, people[0].id}, {people[7].id, people[1].id}};
  configs.push_back(c);
  c = DefaultConfig(Model::kReverse);
  c.department_rule = DepartmentRule::kPreferSame;
  c.require_shared_language = false;
  c.exclude_reporting_line = false;
  c.min_overlap_hours = 0;
  configs.push_back(c);
  return configs;
}

// Full weights as a mentees x mentors table (-1 = not eligible).
std::vector<Weight> FullTable(const Instance& full) {
  std::vector<Weight> table(
      static_cast<size_t>(full.num_mentees) * static_cast<size_t>(full.num_mentors()), -1);
  for (const Edge& e : full.edges) {
    table[static_cast<size_t>(e.mentee) * static_cast<size_t>(full.num_mentors()) +
          static_cast<size_t>(e.mentor)] = e.weight;
  }
  return table;
}

TEST(CandidateScorer, WeightsEqualScorerAndBoundsHold) {
  const auto people = Organization(700, 200, 7);
  for (const MatchConfig& config : Configs(people)) {
    const Scorer scorer(people, config);
    const CandidateScorer fast(people, config);
    ASSERT_EQ(scorer.mentees(), fast.mentees());
    ASSERT_EQ(scorer.mentors(), fast.mentors());
    const Instance full = *scorer.BuildInstance();
    const auto table = FullTable(full);
    std::int64_t eligible = 0;
    for (std::int32_t i = 0; i < fast.num_mentees(); ++i) {
      for (std::int32_t j = 0; j < fast.num_mentors(); ++j) {
        const Weight want = table[static_cast<size_t>(i) * static_cast<size_t>(full.num_mentors()) +
                                  static_cast<size_t>(j)];
        const Weight got = fast.PairWeight(i, j);
        ASSERT_EQ(got, want) << "model " << ModelName(config.model) << " pair " << i << ", " << j;
        const Weight bound = fast.WeightBound(i, j);
        if (got >= 0) {
          ++eligible;
          ASSERT_GE(bound, got) << "pair " << i << ", " << j;
        }
      }
    }
    EXPECT_GT(eligible, 0);
  }
}

TEST(CandidateScorer, BestKEqualsTheKBestOfTheFullInstance) {
  const auto people = Organization(600, 150, 11);
  const MatchConfig config = DefaultConfig(Model::kTraditional);
  const Scorer scorer(people, config);
  const CandidateScorer fast(people, config);
  const Instance full = *scorer.BuildInstance();
  for (int k : {1, 4, 40}) {
    const auto lists = fast.Best(k, 2);
    ASSERT_TRUE(lists.has_value());
    std::vector<std::vector<std::pair<Weight, std::int32_t>>> rows(
        static_cast<size_t>(full.num_mentees));
    for (const Edge& e : full.edges)
      rows[static_cast<size_t>(e.mentee)].emplace_back(e.weight, e.mentor);
    for (std::int32_t i = 0; i < full.num_mentees; ++i) {
      auto& row = rows[static_cast<size_t>(i)];
      std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      const size_t kept = std::min(row.size(), static_cast<size_t>(k));
      const auto b = static_cast<size_t>(lists->start[static_cast<size_t>(i)]);
      ASSERT_EQ(static_cast<size_t>(lists->start[static_cast<size_t>(i) + 1]) - b, kept);
      for (size_t q = 0; q < kept; ++q) {
        EXPECT_EQ(lists->mentor[b + q], row[q].second) << "mentee " << i << " rank " << q;
        EXPECT_EQ(lists->weight[b + q], row[q].first);
      }
      EXPECT_EQ(lists->complete[static_cast<size_t>(i)] != 0, row.size() < static_cast<size_t>(k));
    }
    EXPECT_LT(lists->pairs_exact, lists->pairs_bounded);
  }
}

void ExpectDenseOptimum(const std::vector<Person>& people, const MatchConfig& config, int k,
                        ScaleResult* out = nullptr) {
  ScaleOptions options;
  options.k = k;
  options.threads = 2;
  auto result = SolveWelfareAtScale(people, config, options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const Scorer scorer(people, config);
  const Instance full = *scorer.BuildInstance();
  const Solution dense = SolveWelfare(full);
  EXPECT_EQ(result->solution.matched, dense.matched);
  EXPECT_EQ(result->solution.total_weight, dense.total_weight);
  EXPECT_TRUE(CheckWelfareCertificate(full, result->solution).ok());
  const Status check = CheckScaleCertificate(people, config, *result);
  EXPECT_TRUE(check.ok()) << check.message();
  if (out != nullptr) *out = std::move(*result);
}

TEST(SolveWelfareAtScale, PricedAnswerIsTheDenseOptimum) {
  for (std::uint64_t seed : {1, 2}) {
    const auto people = Organization(2000, 300, seed);
    for (int k : {3, 5}) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << " k " << k);
      ExpectDenseOptimum(people, DefaultConfig(Model::kTraditional), k);
    }
    ExpectDenseOptimum(people, DefaultConfig(Model::kSkillBased), 4);
  }
}

TEST(SolveWelfareAtScale, AddsPrunedPairsUnderCompetition) {
  // One place per mentor and one candidate per mentee: mentees crowd the same top mentors, and
  // the optimum needs pairs outside every candidate list.
  auto people = Organization(2000, 300, 3);
  for (Person& p : people) {
    if (p.mentor_capacity > 0) p.mentor_capacity = 1;
  }
  ScaleResult result;
  ExpectDenseOptimum(people, DefaultConfig(Model::kTraditional), 1, &result);
  EXPECT_GT(result.pairs_added, 0);
  EXPECT_GT(result.rounds, 1);
  EXPECT_GT(result.pairs_priced, 0);
}

TEST(SolveWelfareAtScale, SameAnswerForAnyThreadCount) {
  const auto people = Organization(1500, 250, 5);
  const MatchConfig config = DefaultConfig(Model::kVirtual);
  std::vector<ScaleResult> results;
  for (int threads : {1, 2, 3}) {
    ScaleOptions options;
    options.k = 2;
    options.threads = threads;
    auto r = SolveWelfareAtScale(people, config, options);
    ASSERT_TRUE(r.ok());
    results.push_back(std::move(*r));
  }
  for (size_t t = 1; t < results.size(); ++t) {
    EXPECT_EQ(results[t].solution.mentor_of, results[0].solution.mentor_of);
    EXPECT_EQ(results[t].solution.mentee_price, results[0].solution.mentee_price);
    EXPECT_EQ(results[t].candidates.edges.size(), results[0].candidates.edges.size());
    EXPECT_EQ(results[t].pairs_added, results[0].pairs_added);
    EXPECT_EQ(results[t].rounds, results[0].rounds);
  }
}

TEST(SolveWelfareAtScale, Cancels) {
  const auto people = Organization(1000, 200, 9);
  std::atomic<bool> cancel{true};
  ScaleOptions options;
  options.cancel = &cancel;
  auto r = SolveWelfareAtScale(people, DefaultConfig(Model::kTraditional), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  // Raised midway, from the progress callback.
  std::atomic<bool> later{false};
  options.cancel = &later;
  options.progress = [&](const char*, double fraction) {
    if (fraction > 0.3) later = true;
  };
  r = SolveWelfareAtScale(people, DefaultConfig(Model::kTraditional), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
}

TEST(SolveWelfareAtScale, RejectsBadOptions) {
  const auto people = Organization(50, 10, 1);
  ScaleOptions options;
  options.k = 0;
  EXPECT_FALSE(SolveWelfareAtScale(people, DefaultConfig(Model::kTraditional), options).ok());
}

}  // namespace
}  // namespace tandem::matching
