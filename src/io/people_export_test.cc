// Round trip: a generated organization written as CSV imports back to the same people.
#include "io/people_export.h"

#include <gtest/gtest.h>

#include "io/people_import.h"
#include "sample/organization.h"

namespace tandem::io {
namespace {

TEST(PeopleExport, GeneratedOrganizationRoundTrips) {
  sample::OrganizationSpec spec;
  spec.people = 600;
  spec.seed = 17;
  const std::vector<Person> people = sample::GenerateOrganization(spec);
  const std::string csv = PeopleToCsv(people);
  auto back = ImportPeopleCsv(csv, "generated.csv", {});
  ASSERT_TRUE(back.ok()) << back.status().message().substr(0, 2000);
  ASSERT_EQ(back->people.size(), people.size());
  for (size_t i = 0; i < people.size(); ++i) {
    const Person& a = people[i];
    const Person& b = back->people[i];
    SCOPED_TRACE(a.id);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.email, b.email);
    EXPECT_EQ(a.department, b.department);
    EXPECT_EQ(a.site, b.site);
    EXPECT_EQ(a.time_zone, b.time_zone);
    EXPECT_EQ(a.seniority, b.seniority);
    EXPECT_EQ(a.manager_id, b.manager_id);
    EXPECT_EQ(a.role, b.role);
    EXPECT_EQ(a.mentor_capacity, b.mentor_capacity);
    EXPECT_EQ(a.languages, b.languages);
    ASSERT_EQ(a.skills_held.size(), b.skills_held.size());
    for (size_t k = 0; k < a.skills_held.size(); ++k) {
      EXPECT_EQ(a.skills_held[k].skill, b.skills_held[k].skill);
      EXPECT_EQ(a.skills_held[k].proficiency, b.skills_held[k].proficiency);
    }
    ASSERT_EQ(a.skills_wanted.size(), b.skills_wanted.size());
    EXPECT_EQ(a.career_goals, b.career_goals);
    EXPECT_EQ(a.interests, b.interests);
    EXPECT_EQ(a.communication_style, b.communication_style);
    EXPECT_EQ(a.meeting_preference, b.meeting_preference);
    EXPECT_EQ(a.availability, b.availability) << "offset " << a.utc_offset_minutes;
    EXPECT_EQ(a.preferred_mentors, b.preferred_mentors);
    EXPECT_EQ(a.personality.has_value(), b.personality.has_value());
    EXPECT_EQ(a.self_described.size(), b.self_described.size());
  }
}

}  // namespace
}  // namespace tandem::io
