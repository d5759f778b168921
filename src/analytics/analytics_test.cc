#include <gtest/gtest.h>

#include "analytics/fairness_audit.h"
#include "analytics/what_if.h"
#include "sample/organization.h"

namespace tandem::analytics {
namespace {

// A hand-made report over six people: two departments, one of them matched less.
struct Fixture {
  std::vector<Person> people;
  program::MatchReport report;
  Fixture() {
    const char* dept[] = {"Sales", "Sales", "Sales", "Data", "Data", "Data"};
    for (int i = 0; i < 6; ++i) {
      Person p;
      p.id = "P" + std::to_string(i);
      p.department = dept[i];
      p.site = "Berlin";
      p.seniority = i < 3 ? 2 : 8;
      if (i == 0) p.self_described = {{"gender", "woman"}};
      people.push_back(p);
    }
    Person mentor;
    mentor.id = "M";
    people.push_back(mentor);
    // Sales all matched (0.8, 0.6, 0.7); Data one matched (0.4), two not.
    report.pairs = {{0, 6, 0.8, {}, {}, ""},
                    {1, 6, 0.6, {}, {}, ""},
                    {2, 6, 0.7, {}, {}, ""},
                    {3, 6, 0.4, {}, {}, ""}};
    report.unmatched = {{4, "capacity exhausted: x"}, {5, "no eligible mentor: y"}};
  }
};

TEST(FairnessAudit, GroupsFiguresSuppressionAndFlags) {
  Fixture f;
  AuditOptions options;
  options.min_group_size = 2;
  const FairnessAudit audit = AuditRun(f.report, f.people, options);
  EXPECT_EQ(audit.mentees, 6);
  EXPECT_EQ(audit.matched, 4);
  EXPECT_NEAR(audit.mean_score, (0.8 + 0.6 + 0.7 + 0.4) / 4, 1e-12);
  EXPECT_NEAR(audit.lowest_score, 0.4, 1e-12);
  const GroupStats* data = nullptr;
  const GroupStats* gender = nullptr;
  for (const GroupStats& g : audit.groups) {
    if (g.dimension == "department" && g.group == "Data") data = &g;
    if (g.dimension == "self-described: gender") gender = &g;
  }
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->mentees, 3);
  EXPECT_EQ(data->matched, 1);
  EXPECT_NEAR(data->match_rate, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(data->mean_score, 0.4, 1e-12);
  ASSERT_NE(gender, nullptr);
  EXPECT_TRUE(gender->suppressed);  // one person: never shown
  EXPECT_EQ(gender->match_rate, 0.0);
  bool flagged = false;
  for (const AuditFlag& flag : audit.flags) {
    if (flag.group == "Data" &&
        flag.message.find("33.3% matched against 66.7% overall") != std::string::npos) {
      flagged = true;
    }
  }
  EXPECT_TRUE(flagged);
  bool gap = false;
  for (const auto& [dimension, value] : audit.largest_rate_gap) {
    if (dimension == "department") {
      EXPECT_NEAR(value, 1.0 - 1.0 / 3.0, 1e-12);
      gap = true;
    }
  }
  EXPECT_TRUE(gap);
}

TEST(FairnessAudit, NoFlagsWhenGroupsAreEven) {
  Fixture f;
  f.report.unmatched.clear();
  f.report.pairs.push_back({4, 6, 0.7, {}, {}, ""});
  f.report.pairs.push_back({5, 6, 0.7, {}, {}, ""});
  const FairnessAudit audit = AuditRun(f.report, f.people, {2, 0.1, 0.5});
  EXPECT_TRUE(audit.flags.empty());
}

TEST(WhatIf, CountsChangedPairs) {
  Fixture f;
  program::MatchReport b = f.report;
  b.pairs[0].mentor = 5;  // mentee 0 gets another mentor
  b.pairs.pop_back();     // mentee 3 loses its pair
  b.unmatched.push_back({3, "capacity exhausted"});
  b.unmatched.erase(b.unmatched.begin());  // mentee 4 now matched
  b.pairs.push_back({4, 6, 0.5, {}, {}, ""});
  const RunComparison c = CompareRuns(f.report, b, f.people);
  EXPECT_EQ(c.same_pairs, 2);
  EXPECT_EQ(c.changed_mentor, 1);
  EXPECT_EQ(c.matched_only_a, 1);
  EXPECT_EQ(c.matched_only_b, 1);
  ASSERT_EQ(c.changes.size(), 3u);
  EXPECT_EQ(c.changes[0].mentee, 0);
  EXPECT_EQ(c.changes[0].mentor_b, 5);
}

}  // namespace
}  // namespace tandem::analytics
