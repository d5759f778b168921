#include "program/suggestions.h"

#include <gtest/gtest.h>

#include "sample/organization.h"

namespace tandem::program {
namespace {

std::vector<Person> Org() {
  sample::OrganizationSpec spec;
  spec.people = 400;
  spec.seed = 5;
  return sample::GenerateOrganization(spec);
}

TEST(Suggestions, TopMentorsAreTheBestEligibleInOrder) {
  const auto people = Org();
  const matching::Scorer scorer(people, matching::DefaultConfig(matching::Model::kTraditional));
  const std::int32_t mentee = scorer.mentees().front();
  auto top = SuggestMentors(scorer, mentee, 5);
  ASSERT_TRUE(top.ok());
  ASSERT_FALSE(top->empty());
  // Brute force: the best eligible score.
  double best = -1;
  for (std::int32_t m : scorer.mentors()) {
    if (scorer.Check(mentee, m) != matching::Exclusion::kNone) continue;
    best = std::max(best, scorer.Score(mentee, m).score);
  }
  EXPECT_DOUBLE_EQ((*top)[0].score, best);
  for (size_t k = 0; k < top->size(); ++k) {
    const Suggestion& s = (*top)[k];
    EXPECT_EQ(scorer.Check(mentee, s.person), matching::Exclusion::kNone);
    EXPECT_FALSE(s.explanation.empty());
    if (k > 0) {
      EXPECT_GE((*top)[k - 1].score, s.score);
    }
    if (s.score < 0.99) {
      EXPECT_FALSE(s.would_raise.empty());
    }
  }
}

TEST(Suggestions, MentorSideAndWrongSide) {
  const auto people = Org();
  const matching::Scorer scorer(people, matching::DefaultConfig(matching::Model::kTraditional));
  const std::int32_t mentor = scorer.mentors().front();
  auto mentees = SuggestMentees(scorer, mentor, 3);
  ASSERT_TRUE(mentees.ok());
  EXPECT_LE(mentees->size(), 3u);
  for (const Suggestion& s : *mentees)
    EXPECT_EQ(scorer.Check(s.person, mentor), matching::Exclusion::kNone);
  auto wrong = SuggestMentors(scorer, mentor, 3);  // a mentor is not a mentee here
  EXPECT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tandem::program
