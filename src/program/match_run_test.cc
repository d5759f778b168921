// The matching use case on a generated organization: properties every run must have.
#include "program/match_run.h"

#include <gtest/gtest.h>

#include <map>

#include "matching/scoring.h"
#include "sample/organization.h"

namespace tandem::program {
namespace {

std::vector<Person> Org(int n, std::uint64_t seed) {
  sample::OrganizationSpec spec;
  spec.people = n;
  spec.seed = seed;
  return sample::GenerateOrganization(spec);
}

class MatchRunTest : public ::testing::TestWithParam<matching::Objective> {};

TEST_P(MatchRunTest, PairsAreEligibleWithinCapacityAndSumToTheObjective) {
  const std::vector<Person> people = Org(700, 3);
  matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  config.objective = GetParam();
  auto report = RunMatching(people, config);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const MatchSummary& s = report->summary;
  EXPECT_TRUE(s.certified);
  EXPECT_GT(s.matched, 0);
  EXPECT_EQ(static_cast<std::int32_t>(report->pairs.size()), s.matched);
  EXPECT_EQ(static_cast<std::int32_t>(report->unmatched.size()), s.mentees - s.matched);

  const matching::Scorer scorer(people, config);
  std::map<std::int32_t, int> load;
  double total = 0;
  double lowest = 1;
  for (const ProposedPair& p : report->pairs) {
    EXPECT_EQ(scorer.Check(p.mentee, p.mentor), matching::Exclusion::kNone);
    EXPECT_DOUBLE_EQ(p.score, scorer.Score(p.mentee, p.mentor).score);
    EXPECT_FALSE(p.explanation.empty());
    ++load[p.mentor];
    total += p.score;
    lowest = std::min(lowest, p.score);
  }
  for (const auto& [mentor, count] : load) {
    EXPECT_LE(count, people[static_cast<size_t>(mentor)].mentor_capacity);
  }
  // The objective is the sum of the pair scores (up to the 1e-6 fixed-point rounding per pair).
  EXPECT_NEAR(s.total_score, total, 1e-6 * s.matched);
  EXPECT_NEAR(s.lowest_score, lowest, 1e-6);
  int reasons = 0;
  for (const auto& [kind, count] : s.unmatched_by_reason) reasons += count;
  EXPECT_EQ(reasons, s.mentees - s.matched);
  for (const UnmatchedMentee& u : report->unmatched) EXPECT_FALSE(u.reason.empty());
}

INSTANTIATE_TEST_SUITE_P(Objectives, MatchRunTest,
                         ::testing::Values(matching::Objective::kWelfare,
                                           matching::Objective::kStable,
                                           matching::Objective::kFair));

TEST(MatchRun, DeterministicAndObjectivesOrdered) {
  const std::vector<Person> people = Org(500, 8);
  matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  auto a = RunMatching(people, config);
  auto b = RunMatching(people, config);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->pairs.size(), b->pairs.size());
  for (size_t k = 0; k < a->pairs.size(); ++k) {
    EXPECT_EQ(a->pairs[k].mentee, b->pairs[k].mentee);
    EXPECT_EQ(a->pairs[k].mentor, b->pairs[k].mentor);
  }
  config.objective = matching::Objective::kFair;
  auto fair = RunMatching(people, config);
  config.objective = matching::Objective::kStable;
  auto stable = RunMatching(people, config);
  ASSERT_TRUE(fair.ok() && stable.ok());
  // Welfare and fair match the most mentees; welfare has the largest total; fair the best worst.
  EXPECT_EQ(a->summary.matched, fair->summary.matched);
  EXPECT_GE(a->summary.matched, stable->summary.matched);
  EXPECT_GE(a->summary.total_score + 1e-9, fair->summary.total_score);
  EXPECT_GE(fair->summary.lowest_score + 1e-9, a->summary.lowest_score);
}

TEST(MatchRun, CancelledRunReturnsCancelled) {
  const std::vector<Person> people = Org(300, 1);
  std::atomic<bool> cancel{true};
  MatchOptions options;
  options.cancel = &cancel;
  auto report =
      RunMatching(people, matching::DefaultConfig(matching::Model::kTraditional), options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace tandem::program

namespace tandem::program {
namespace {

// The organization-scale path (best candidates + pricing) gives the same optimum as the dense
// path, with every pair kept eligible and within capacity.
TEST(MatchRun, ScalePathGivesTheDenseOptimum) {
  sample::OrganizationSpec spec;
  spec.people = 900;
  spec.seed = 21;
  const std::vector<Person> people = sample::GenerateOrganization(spec);
  const matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  auto dense = RunMatching(people, config);
  MatchOptions options;
  options.scale_path_pairs = 0;  // always the scale path
  options.scale_candidates = 2;  // few candidates: pricing must add pairs
  auto scaled = RunMatching(people, config, options);
  ASSERT_TRUE(dense.ok() && scaled.ok()) << scaled.status().ToString();
  EXPECT_FALSE(dense->summary.scale_path);
  EXPECT_TRUE(scaled->summary.scale_path);
  EXPECT_TRUE(scaled->summary.certified);
  EXPECT_EQ(scaled->summary.matched, dense->summary.matched);
  EXPECT_NEAR(scaled->summary.total_score, dense->summary.total_score, 1e-9);
  const matching::Scorer scorer(people, config);
  for (const ProposedPair& p : scaled->pairs) {
    EXPECT_EQ(scorer.Check(p.mentee, p.mentor), matching::Exclusion::kNone);
    EXPECT_FALSE(p.explanation.empty());
  }
  EXPECT_EQ(static_cast<std::int32_t>(scaled->unmatched.size()),
            scaled->summary.mentees - scaled->summary.matched);
}

// Stable takes the same path (deferred acceptance on the candidate lists, further proposals
// fetched as mentees are rejected) and gives the same pairs as the dense run.
TEST(MatchRun, ScalePathGivesTheDenseStableMatching) {
  sample::OrganizationSpec spec;
  spec.people = 900;
  spec.seed = 22;
  const std::vector<Person> people = sample::GenerateOrganization(spec);
  matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  config.objective = matching::Objective::kStable;
  auto dense = RunMatching(people, config);
  MatchOptions options;
  options.scale_path_pairs = 0;
  options.scale_candidates = 1;  // lists must be extended
  auto scaled = RunMatching(people, config, options);
  ASSERT_TRUE(dense.ok() && scaled.ok()) << scaled.status().ToString();
  EXPECT_TRUE(scaled->summary.scale_path);
  EXPECT_TRUE(scaled->summary.certified);
  EXPECT_EQ(scaled->summary.matched, dense->summary.matched);
  ASSERT_EQ(scaled->pairs.size(), dense->pairs.size());
  for (size_t q = 0; q < scaled->pairs.size(); ++q) {
    EXPECT_EQ(scaled->pairs[q].mentee, dense->pairs[q].mentee);
    EXPECT_EQ(scaled->pairs[q].mentor, dense->pairs[q].mentor);
  }
  // Reasons read off the candidate graph say so: its lists are cut, its counts lower bounds.
  std::int32_t exhausted = 0;
  for (const auto& [mentee, reason] : scaled->unmatched) {
    if (reason.rfind("capacity exhausted", 0) != 0) continue;
    ++exhausted;
    EXPECT_NE(reason.find("at least"), std::string::npos) << reason;
    EXPECT_NE(reason.find("1 mentor on their shortlist"), std::string::npos) << reason;
  }
  EXPECT_GT(exhausted, 0);
}

}  // namespace
}  // namespace tandem::program
