#include "sample/organization.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace tandem::sample {
namespace {

bool SamePerson(const Person& a, const Person& b) {
  auto held = [](const Person& p) {
    std::vector<std::pair<std::string, int>> v;
    for (const auto& s : p.skills_held) v.emplace_back(s.skill, s.proficiency);
    return v;
  };
  auto wanted = [](const Person& p) {
    std::vector<std::pair<std::string, int>> v;
    for (const auto& s : p.skills_wanted) v.emplace_back(s.skill, s.priority);
    return v;
  };
  auto big5 = [](const Person& p) {
    if (!p.personality) return std::vector<double>{};
    const BigFive& f = *p.personality;
    return std::vector<double>{f.openness, f.conscientiousness, f.extraversion, f.agreeableness,
                               f.neuroticism};
  };
  return a.id == b.id && a.name == b.name && a.email == b.email && a.title == b.title &&
         a.department == b.department && a.site == b.site && a.time_zone == b.time_zone &&
         a.utc_offset_minutes == b.utc_offset_minutes && a.seniority == b.seniority &&
         a.manager_id == b.manager_id && a.languages == b.languages && held(a) == held(b) &&
         wanted(a) == wanted(b) && a.career_goals == b.career_goals && a.interests == b.interests &&
         a.learning_preferences == b.learning_preferences && big5(a) == big5(b) &&
         a.communication_style == b.communication_style &&
         a.meeting_preference == b.meeting_preference && a.availability == b.availability &&
         a.role == b.role && a.mentor_capacity == b.mentor_capacity &&
         a.preferred_mentors == b.preferred_mentors && a.self_described == b.self_described &&
         a.prefer_shared_background == b.prefer_shared_background;
}

TEST(OrganizationTest, DeterministicForASeedAndDifferentAcrossSeeds) {
  OrganizationSpec spec;
  spec.people = 1500;
  spec.seed = 42;
  const auto a = GenerateOrganization(spec);
  const auto b = GenerateOrganization(spec);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_TRUE(SamePerson(a[i], b[i])) << a[i].id;
  spec.seed = 43;
  const auto c = GenerateOrganization(spec);
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) differ += SamePerson(a[i], c[i]) ? 0 : 1;
  EXPECT_GT(differ, 1000);
}

TEST(OrganizationTest, CountsIdsAndDepartmentsAndSites) {
  for (std::uint64_t seed : {1ULL, 2ULL, 3ULL, 99ULL}) {
    OrganizationSpec spec;
    spec.people = 3000;
    spec.seed = seed;
    const auto people = GenerateOrganization(spec);
    ASSERT_EQ(people.size(), 3000u);
    std::set<std::string> ids, emails, departments, sites;
    for (const Person& p : people) {
      ids.insert(p.id);
      emails.insert(p.email);
      departments.insert(p.department);
      sites.insert(p.site);
      EXPECT_GE(p.seniority, 1);
      EXPECT_LE(p.seniority, 10);
      EXPECT_FALSE(p.languages.empty()) << p.id;
      EXPECT_GE(p.skills_held.size(), 1u) << p.id;
      for (const auto& s : p.skills_held) {
        EXPECT_GE(s.proficiency, kMinProficiency);
        EXPECT_LE(s.proficiency, kMaxProficiency);
      }
      for (size_t k = 0; k < p.skills_wanted.size(); ++k) {
        EXPECT_EQ(p.skills_wanted[k].priority, static_cast<int>(k) + 1);
      }
    }
    EXPECT_EQ(ids.size(), people.size());
    EXPECT_EQ(emails.size(), people.size());
    EXPECT_GE(departments.size(), 8u);
    EXPECT_LE(departments.size(), 12u);
    EXPECT_GE(sites.size(), 5u);
    EXPECT_LE(sites.size(), 8u);
  }
}

TEST(OrganizationTest, ReportingLinesFormOneTreeAndSeniorityFollowsDepth) {
  OrganizationSpec spec;
  spec.people = 5000;
  const auto people = GenerateOrganization(spec);
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < people.size(); ++i) index[people[i].id] = i;
  int roots = 0;
  std::vector<int> depth(people.size(), -1);
  for (size_t i = 0; i < people.size(); ++i) {
    if (people[i].manager_id.empty()) {
      ++roots;
      continue;
    }
    ASSERT_TRUE(index.count(people[i].manager_id)) << people[i].id << " has an unknown manager";
    // Walk up: must reach the root within n steps (no cycle).
    size_t v = i;
    int steps = 0;
    while (!people[v].manager_id.empty()) {
      v = index.at(people[v].manager_id);
      ASSERT_LE(++steps, static_cast<int>(people.size())) << "cycle above " << people[i].id;
    }
    depth[i] = steps;
    EXPECT_GE(people[index.at(people[i].manager_id)].seniority, people[i].seniority);
  }
  EXPECT_EQ(roots, 1);
  EXPECT_TRUE(people[0].manager_id.empty());
  EXPECT_EQ(people[0].seniority, 10);
  // Deeper people are on average more junior.
  double shallow = 0, deep = 0;
  int ns = 0, nd = 0;
  for (size_t i = 1; i < people.size(); ++i) {
    if (depth[i] <= 2) {
      shallow += people[i].seniority;
      ++ns;
    } else if (depth[i] >= 4) {
      deep += people[i].seniority;
      ++nd;
    }
  }
  ASSERT_GT(ns, 0);
  ASSERT_GT(nd, 0);
  EXPECT_GT(shallow / ns, deep / nd + 2.0);
}

TEST(OrganizationTest, TimeZonesAreValidAndAvailabilityIsUtcWorkingHours) {
  OrganizationSpec spec;
  spec.people = 2000;
  spec.seed = 7;
  const auto people = GenerateOrganization(spec);
  const auto& sites = SampleSites();
  int with_availability = 0;
  for (const Person& p : people) {
    auto it = std::find_if(sites.begin(), sites.end(),
                           [&](const SampleSite& s) { return p.site == s.name; });
    ASSERT_NE(it, sites.end()) << p.site;
    EXPECT_EQ(p.time_zone, it->time_zone);
    EXPECT_EQ(p.utc_offset_minutes, it->utc_offset_minutes);
    EXPECT_NE(p.time_zone.find('/'), std::string::npos);
    if (p.availability.none()) continue;
    ++with_availability;
    // Every available UTC hour maps back to 9:00-17:00 local on Monday-Friday.
    for (int h = 0; h < kHoursPerWeek; ++h) {
      if (!p.availability.test(static_cast<size_t>(h))) continue;
      const int local_minutes =
          ((h * 60 + p.utc_offset_minutes) % (kHoursPerWeek * 60) + kHoursPerWeek * 60) %
          (kHoursPerWeek * 60);
      const int day = local_minutes / (24 * 60);
      const int hour = (local_minutes / 60) % 24;
      EXPECT_LT(day, 5) << p.id << " hour " << h;
      EXPECT_GE(hour, 8) << p.id;  // 8 for half-hour zones floored to the UTC hour
      EXPECT_LT(hour, 17) << p.id;
    }
  }
  EXPECT_GT(with_availability, 1800);
  // Berlin's 9:00 Monday is 8:00 UTC.
  const SampleSite& berlin = sites[0];
  EXPECT_EQ(berlin.utc_offset_minutes, 60);
}

TEST(OrganizationTest, MentorShareAndCapacities) {
  for (double share : {0.1, 0.25, 0.4}) {
    OrganizationSpec spec;
    spec.people = 10000;
    spec.mentor_share = share;
    const auto people = GenerateOrganization(spec);
    int mentors = 0;
    double mentor_seniority = 0, mentee_seniority = 0;
    for (const Person& p : people) {
      const bool mentor = p.role == ProgramRole::kMentor ||
                          (p.role == ProgramRole::kEither && p.mentor_capacity > 0);
      if (mentor) {
        ++mentors;
        mentor_seniority += p.seniority;
        EXPECT_GE(p.mentor_capacity, 1);
        EXPECT_LE(p.mentor_capacity, 3);
      } else {
        mentee_seniority += p.seniority;
        EXPECT_EQ(p.mentor_capacity, 0);
      }
    }
    EXPECT_NEAR(static_cast<double>(mentors) / people.size(), share, 0.02) << share;
    EXPECT_GT(mentor_seniority / mentors, mentee_seniority / (people.size() - mentors) + 0.5);
  }
}

TEST(OrganizationTest, ChoicesNameExistingMoreSeniorMentorsAndSomeSelfDescribed) {
  OrganizationSpec spec;
  spec.people = 4000;
  const auto people = GenerateOrganization(spec);
  std::unordered_map<std::string, const Person*> by_id;
  for (const Person& p : people) by_id[p.id] = &p;
  int choosers = 0, described = 0, opted = 0, either = 0;
  for (const Person& p : people) {
    if (!p.preferred_mentors.empty()) ++choosers;
    if (!p.self_described.empty()) ++described;
    if (p.prefer_shared_background) {
      ++opted;
      EXPECT_FALSE(p.self_described.empty());
    }
    if (p.role == ProgramRole::kEither) ++either;
    for (const std::string& id : p.preferred_mentors) {
      ASSERT_TRUE(by_id.count(id)) << id;
      const Person& m = *by_id.at(id);
      EXPECT_GT(m.mentor_capacity, 0);
      EXPECT_GT(m.seniority, p.seniority);
    }
  }
  EXPECT_GT(choosers, 300);
  EXPECT_GT(described, 1000);
  EXPECT_GT(opted, 50);
  EXPECT_GT(either, 200);
}

TEST(OrganizationTest, SmallAndLargeOrganizations) {
  OrganizationSpec tiny;
  tiny.people = 1;
  const auto one = GenerateOrganization(tiny);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0].manager_id.empty());
  tiny.people = 5;
  EXPECT_EQ(GenerateOrganization(tiny).size(), 5u);

  OrganizationSpec big;
  big.people = 120000;
  const auto start = std::chrono::steady_clock::now();
  const auto people = GenerateOrganization(big);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(people.size(), 120000u);
  EXPECT_LT(seconds, 5.0);  // typically well under a second; generous for sanitizer builds
}

}  // namespace
}  // namespace tandem::sample
