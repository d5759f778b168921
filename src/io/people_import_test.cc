#include "io/people_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::io {
namespace {

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected to find\n  " << part << "\nin\n  " << text;
}

::testing::AssertionResult Lacks(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "did not expect\n  " << part << "\nin\n  " << text;
}
std::string DataPath(std::string_view name) {
  return std::string(TANDEM_TEST_DATA_DIR) + "/people/" + std::string(name);
}

// Files outside tests/data (samples/, docs/) relative to the repository root.
std::string RepoPath(std::string_view relative) {
  return std::string(TANDEM_TEST_DATA_DIR) + "/../../" + std::string(relative);
}

Result<PeopleImport> Csv(std::string_view text, bool skip_bad_rows = false) {
  return ImportPeopleCsv(text, "people.csv", ImportOptions{skip_bad_rows});
}

Result<PeopleImport> Json(std::string_view text, bool skip_bad_rows = false) {
  return ImportPeopleJson(text, "people.json", ImportOptions{skip_bad_rows});
}

// The people of a successful import; fails the test with the status otherwise.
std::vector<Person> PeopleOf(const Result<PeopleImport>& result) {
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  return result->people;
}

// The message of a failed import; fails the test if it succeeded.
std::string ErrorOf(const Result<PeopleImport>& result) {
  EXPECT_FALSE(result.ok()) << "expected the import to fail";
  if (result.ok()) return "";
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return result.status().message();
}

// The one person of a one-row CSV (with the header "id,name,<extra_header>").
Person OnePerson(std::string_view extra_header, std::string_view extra_cells) {
  const std::string text =
      "id,name," + std::string(extra_header) + "\nP1,Pat Doe," + std::string(extra_cells) + "\n";
  const std::vector<Person> people = PeopleOf(Csv(text));
  EXPECT_EQ(people.size(), 1u);
  return people.empty() ? Person{} : people[0];
}

// The error message for a one-row CSV that should fail.
std::string OneRowError(std::string_view extra_header, std::string_view extra_cells) {
  const std::string text =
      "id,name," + std::string(extra_header) + "\nP1,Pat Doe," + std::string(extra_cells) + "\n";
  return ErrorOf(Csv(text));
}

std::vector<int> Bits(const WeeklyAvailability& availability) {
  std::vector<int> bits;
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (availability.test(static_cast<size_t>(h))) bits.push_back(h);
  }
  return bits;
}

std::vector<std::pair<std::string, int>> Held(const Person& p) {
  std::vector<std::pair<std::string, int>> out;
  for (const SkillHeld& s : p.skills_held) out.emplace_back(s.skill, s.proficiency);
  return out;
}

std::vector<std::pair<std::string, int>> Wanted(const Person& p) {
  std::vector<std::pair<std::string, int>> out;
  for (const SkillWanted& s : p.skills_wanted) out.emplace_back(s.skill, s.priority);
  return out;
}

void ExpectSamePerson(const Person& a, const Person& b) {
  SCOPED_TRACE("person " + a.id);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.site, b.site);
  EXPECT_EQ(a.time_zone, b.time_zone);
  EXPECT_EQ(a.utc_offset_minutes, b.utc_offset_minutes);
  EXPECT_EQ(a.seniority, b.seniority);
  EXPECT_EQ(a.manager_id, b.manager_id);
  EXPECT_EQ(a.languages, b.languages);
  EXPECT_EQ(Held(a), Held(b));
  EXPECT_EQ(Wanted(a), Wanted(b));
  EXPECT_EQ(a.career_goals, b.career_goals);
  EXPECT_EQ(a.interests, b.interests);
  EXPECT_EQ(a.learning_preferences, b.learning_preferences);
  ASSERT_EQ(a.personality.has_value(), b.personality.has_value());
  if (a.personality) {
    EXPECT_DOUBLE_EQ(a.personality->openness, b.personality->openness);
    EXPECT_DOUBLE_EQ(a.personality->conscientiousness, b.personality->conscientiousness);
    EXPECT_DOUBLE_EQ(a.personality->extraversion, b.personality->extraversion);
    EXPECT_DOUBLE_EQ(a.personality->agreeableness, b.personality->agreeableness);
    EXPECT_DOUBLE_EQ(a.personality->neuroticism, b.personality->neuroticism);
  }
  EXPECT_EQ(a.communication_style, b.communication_style);
  EXPECT_EQ(a.meeting_preference, b.meeting_preference);
  EXPECT_EQ(a.availability, b.availability);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.mentor_capacity, b.mentor_capacity);
  EXPECT_EQ(a.preferred_mentors, b.preferred_mentors);
  EXPECT_EQ(a.self_described, b.self_described);
  EXPECT_EQ(a.prefer_shared_background, b.prefer_shared_background);
}

// ----------------------------------------------------------------------------------------------
// Messy CSV that imports

TEST(PeopleCsvTest, ImportsMinimalFile) {
  const auto result = Csv("id,name\nE1,Ada Lovelace\nE2,Alan Turing\n");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->people.size(), 2u);
  EXPECT_EQ(result->people[0].id, "E1");
  EXPECT_EQ(result->people[0].name, "Ada Lovelace");
  EXPECT_EQ(result->people[1].id, "E2");
  EXPECT_EQ(result->rows_read, 2);
  EXPECT_EQ(result->rows_skipped, 0);
  EXPECT_TRUE(result->errors.empty());
  // Defaults for absent columns.
  const Person& p = result->people[0];
  EXPECT_EQ(p.seniority, 1);
  EXPECT_EQ(p.role, ProgramRole::kMentee);
  EXPECT_EQ(p.mentor_capacity, 0);
  EXPECT_EQ(p.meeting_preference, MeetingPreference::kEither);
  EXPECT_FALSE(p.personality.has_value());
  EXPECT_TRUE(p.availability.none());
  EXPECT_TRUE(p.time_zone.empty());
}

TEST(PeopleCsvTest, StripsUtf8Bom) {
  const auto people = PeopleOf(Csv("\xEF\xBB\xBFid,name\nE1,Zoë Ødegaard\n"));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].id, "E1");  // the BOM did not end up in the first header
  EXPECT_EQ(people[0].name, "Zoë Ødegaard");
}

TEST(PeopleCsvTest, AcceptsCrlfLineEnds) {
  const auto people = PeopleOf(Csv("id,name,email\r\nE1,Ada,ada@example.com\r\nE2,Alan,\r\n"));
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].email, "ada@example.com");  // no '\r' left on the last cell
  EXPECT_EQ(people[1].name, "Alan");
  EXPECT_EQ(people[1].email, "");
}

TEST(PeopleCsvTest, QuotedFieldWithComma) {
  const auto people = PeopleOf(Csv("id,name,title\nE1,\"Lovelace, Ada\",\"VP, Engineering\"\n"));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].name, "Lovelace, Ada");
  EXPECT_EQ(people[0].title, "VP, Engineering");
}

TEST(PeopleCsvTest, QuotedFieldWithDoubledQuote) {
  const auto people = PeopleOf(Csv("id,name\nE1,\"Grace \"\"Amazing\"\" Hopper\"\n"));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].name, "Grace \"Amazing\" Hopper");
}

TEST(PeopleCsvTest, QuotedFieldWithNewlineKeepsLineNumbers) {
  // Line 2 starts a record whose quoted title spans lines 2-4; the bad row is on line 5.
  const std::string text =
      "id,name,title,email\n"
      "E1,Ada,\"Head of\nResearch and\r\nDevelopment\",ada@example.com\n"
      "E2,Alan,Scientist,alan@\n";
  const std::string message = ErrorOf(Csv(text));
  EXPECT_TRUE(Contains(message, "people.csv:5: column 'email': not an email address: 'alan@'"));

  const auto people = PeopleOf(Csv("id,name,title\nE1,Ada,\"Head of\nResearch\"\n"));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].title,
            "Head of Research");  // line breaks in single-line fields become spaces
}

TEST(PeopleCsvTest, HeadersAreCaseInsensitiveAndAliased) {
  const std::string text =
      "  Employee ID ,FULL NAME,Work Email,Job Title,Dept,Office,TimeZone,Job Level,"
      "Reports To,Program Role,Max Mentees\n"
      "E1,Ada Lovelace,ada@example.com,CTO,Engineering,London,Europe/London,10,,mentor,3\n"
      "E2,Alan Turing,alan@example.com,Researcher,Research,Berlin,Europe/Berlin,4,E1,mentee,\n";
  const auto people = PeopleOf(Csv(text));
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].id, "E1");
  EXPECT_EQ(people[0].email, "ada@example.com");
  EXPECT_EQ(people[0].title, "CTO");
  EXPECT_EQ(people[0].department, "Engineering");
  EXPECT_EQ(people[0].site, "London");
  EXPECT_EQ(people[0].time_zone, "Europe/London");
  EXPECT_EQ(people[0].seniority, 10);
  EXPECT_EQ(people[0].role, ProgramRole::kMentor);
  EXPECT_EQ(people[0].mentor_capacity, 3);
  EXPECT_EQ(people[1].manager_id, "E1");
  EXPECT_EQ(people[1].utc_offset_minutes, 60);

  // snake_case, other aliases, and a parenthesised note in the header.
  const auto more =
      PeopleOf(Csv("employee_id,Display-Name,Email Address,Position,Department Name,Work Location,"
                   "Time Zone (IANA),Grade,Supervisor ID\n"
                   "E1,Ada,ada@example.com,CTO,Eng,London,UTC,7,\n"));
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].name, "Ada");
  EXPECT_EQ(more[0].email, "ada@example.com");
  EXPECT_EQ(more[0].title, "CTO");
  EXPECT_EQ(more[0].department, "Eng");
  EXPECT_EQ(more[0].site, "London");
  EXPECT_EQ(more[0].time_zone, "UTC");
  EXPECT_EQ(more[0].seniority, 7);
}

TEST(PeopleCsvTest, FirstAndLastNameColumns) {
  const auto people = PeopleOf(
      Csv("Worker ID,First Name,Last Name\nW1,Ada,Lovelace\nW2,  Cher ,\nW3,Alan,  Turing \n"));
  ASSERT_EQ(people.size(), 3u);
  EXPECT_EQ(people[0].name, "Ada Lovelace");
  EXPECT_EQ(people[1].name, "Cher");
  EXPECT_EQ(people[2].name, "Alan Turing");

  // A name column wins; first + last fill in where it is empty.
  const auto mixed =
      PeopleOf(Csv("id,name,given name,surname\nE1,Ada King,Ada,Lovelace\nE2,,Alan,Turing\n"));
  ASSERT_EQ(mixed.size(), 2u);
  EXPECT_EQ(mixed[0].name, "Ada King");
  EXPECT_EQ(mixed[1].name, "Alan Turing");
}

TEST(PeopleCsvTest, ListCells) {
  const std::string text =
      "id,name,skills_held,skills_wanted,languages,career_goals,interests,"
      "learning_preferences,preferred_mentors,communication_style\n"
      "E1,Ada,negotiation:4; Python:3,,English,,,,,\n"
      "E2,Alan,\"  Public   Speaking : 2 ;data analysis\",\"negotiation:2; public speaking:1\","
      "\"English; Spanish, ENGLISH\",People Management; Architecture,Chess;Running,"
      "Hands-On; Reading,E1,Reflective\n";
  const auto people = PeopleOf(Csv(text));
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(Held(people[0]),
            (std::vector<std::pair<std::string, int>>{{"negotiation", 4}, {"python", 3}}));
  const Person& p = people[1];
  // Without a level a held skill gets proficiency 3.
  EXPECT_EQ(Held(p), (std::vector<std::pair<std::string, int>>{{"public speaking", 2},
                                                               {"data analysis", 3}}));
  // Sorted by priority.
  EXPECT_EQ(Wanted(p),
            (std::vector<std::pair<std::string, int>>{{"public speaking", 1}, {"negotiation", 2}}));
  EXPECT_EQ(p.languages, (std::vector<std::string>{"english", "spanish"}));  // deduplicated
  EXPECT_EQ(p.career_goals, (std::vector<std::string>{"people management", "architecture"}));
  EXPECT_EQ(p.interests, (std::vector<std::string>{"chess", "running"}));
  EXPECT_EQ(p.learning_preferences, (std::vector<std::string>{"hands-on", "reading"}));
  EXPECT_EQ(p.preferred_mentors, (std::vector<std::string>{"E1"}));
  EXPECT_EQ(p.communication_style, "reflective");
}

TEST(PeopleCsvTest, SkillsWantedPriorityFromOrder) {
  const Person p = OnePerson("skills wanted", "\"Negotiation; public speaking; SQL\"");
  EXPECT_EQ(Wanted(p), (std::vector<std::pair<std::string, int>>{
                           {"negotiation", 1}, {"public speaking", 2}, {"sql", 3}}));
}

TEST(PeopleCsvTest, AvailabilityConvertedToUtc) {
  // Los Angeles is UTC-8 at the reference instant (January): Mon 20-22 local = Tue 04-06 UTC.
  const Person p = OnePerson("time_zone,availability", "America/Los_Angeles,Mon 20-22");
  EXPECT_EQ(p.time_zone, "America/Los_Angeles");
  EXPECT_EQ(p.utc_offset_minutes, -480);
  EXPECT_EQ(Bits(p.availability), (std::vector<int>{24 + 4, 24 + 5}));

  // Berlin is UTC+1: Wed 14-17 local = Wed 13-16 UTC.
  const Person berlin = OnePerson("tz,availability", "Europe/Berlin,\"Mon 09-10; Wed 14-17\"");
  EXPECT_EQ(berlin.utc_offset_minutes, 60);
  EXPECT_EQ(Bits(berlin.availability), (std::vector<int>{8, 48 + 13, 48 + 14, 48 + 15}));
}

TEST(PeopleCsvTest, AvailabilityWrapsAroundTheWeek) {
  // Sunday evening in Los Angeles is Monday morning UTC: the end of the week wraps to hour 4.
  const Person la = OnePerson("time_zone,availability", "America/Los_Angeles,Sun 20-22");
  EXPECT_EQ(Bits(la.availability), (std::vector<int>{4, 5}));

  // Monday early morning in Tokyo (UTC+9) is Sunday afternoon UTC.
  const Person tokyo = OnePerson("time_zone,availability", "Asia/Tokyo,Mon 02-04");
  EXPECT_EQ(tokyo.utc_offset_minutes, 540);
  EXPECT_EQ(Bits(tokyo.availability), (std::vector<int>{6 * 24 + 17, 6 * 24 + 18}));
}

TEST(PeopleCsvTest, AvailabilityDayRangesAndOvernightHours) {
  const Person p =
      OnePerson("time_zone,availability",
                "UTC,\"Mon-Wed 09:00-10:00; Sun 22-02; weekends 12 - 13; Thursday 08-09 17-18\"");
  std::vector<int> expected = {9, 24 + 9, 48 + 9};
  expected.insert(expected.end(), {0, 1});                      // Sun 24-26 wraps to Mon 0-2
  expected.insert(expected.end(), {72 + 8, 72 + 17});           // Thursday, two ranges
  expected.insert(expected.end(), {5 * 24 + 12, 6 * 24 + 12});  // Sat and Sun noon
  expected.insert(expected.end(), {6 * 24 + 22, 6 * 24 + 23});  // Sun 22-24
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Bits(p.availability), expected);
}

TEST(PeopleCsvTest, AvailabilityInHalfHourZone) {
  // India is UTC+05:30; each local hour goes to the UTC hour in which it starts.
  const Person p = OnePerson("time_zone,availability", "Asia/Kolkata,Mon 09-11");
  EXPECT_EQ(p.utc_offset_minutes, 330);
  EXPECT_EQ(Bits(p.availability), (std::vector<int>{3, 4}));
}

TEST(PeopleCsvTest, TimeZoneNamesForgiveCaseAndSpaces) {
  const Person p = OnePerson("time_zone", "america/los angeles");
  EXPECT_EQ(p.time_zone, "America/Los_Angeles");
  EXPECT_EQ(p.utc_offset_minutes, -480);
}

TEST(PeopleCsvTest, BlankLinesAndEmptyRowsAreSkipped) {
  const std::string text = "\n\nid,name,email\n\nE1,Ada,\n   \n,,\n\"\",,\nE2,Alan,\n\n";
  const auto result = Csv(text);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->people.size(), 2u);
  EXPECT_EQ(result->rows_read, 2);
  EXPECT_EQ(result->people[1].name, "Alan");
  // Line numbers still count the skipped lines.
  const std::string message = ErrorOf(Csv("id,name\n\n\n,\nE1,\n"));
  EXPECT_TRUE(Contains(message, "people.csv:5: column 'name': the name is empty"));
}

TEST(PeopleCsvTest, SemicolonAndTabDelimiters) {
  // European Excel writes ';'; list cells then need quotes.
  const auto semi = PeopleOf(Csv("id;name;languages\nE1;Ada;\"English; French\"\n"));
  ASSERT_EQ(semi.size(), 1u);
  EXPECT_EQ(semi[0].name, "Ada");
  EXPECT_EQ(semi[0].languages, (std::vector<std::string>{"english", "french"}));

  const auto tab = PeopleOf(Csv("id\tname\tlanguages\nE1\tAda Lovelace\tEnglish, French\n"));
  ASSERT_EQ(tab.size(), 1u);
  EXPECT_EQ(tab[0].name, "Ada Lovelace");
  EXPECT_EQ(tab[0].languages, (std::vector<std::string>{"english", "french"}));
}

TEST(PeopleCsvTest, PersonalityOnZeroToOneOrPercentScale) {
  const std::string header = "openness,conscientiousness,extraversion,agreeableness,neuroticism";
  const Person unit = OnePerson(header, "0.9,0.5,0.1,1,0");
  ASSERT_TRUE(unit.personality.has_value());
  EXPECT_DOUBLE_EQ(unit.personality->openness, 0.9);
  EXPECT_DOUBLE_EQ(unit.personality->extraversion, 0.1);
  EXPECT_DOUBLE_EQ(unit.personality->agreeableness, 1.0);

  const Person percent = OnePerson(header, "90,50,10,100,0");
  ASSERT_TRUE(percent.personality.has_value());
  EXPECT_DOUBLE_EQ(percent.personality->openness, 0.9);
  EXPECT_DOUBLE_EQ(percent.personality->agreeableness, 1.0);
  EXPECT_DOUBLE_EQ(percent.personality->neuroticism, 0.0);

  // A '%' puts the row on the percent scale even when every score is at most 1.
  const Person tiny = OnePerson(header, "1%,1,1,1,0.5");
  ASSERT_TRUE(tiny.personality.has_value());
  EXPECT_DOUBLE_EQ(tiny.personality->openness, 0.01);
  EXPECT_DOUBLE_EQ(tiny.personality->neuroticism, 0.005);

  const Person none = OnePerson(header, ",,,,");
  EXPECT_FALSE(none.personality.has_value());
}

TEST(PeopleCsvTest, MeetingPreferenceRoleAndCapacity) {
  const std::string text =
      "id,name,meeting preference,role,mentor capacity\n"
      "E1,A,In-Person,Mentor,\n"
      "E2,B,in person,mentee,\n"
      "E3,C,Remote,Both,0\n"
      "E4,D,virtual,either,4\n"
      "E5,E,Hybrid,,\n"
      "E6,F,,mentor,2\n";
  const auto people = PeopleOf(Csv(text));
  ASSERT_EQ(people.size(), 6u);
  EXPECT_EQ(people[0].meeting_preference, MeetingPreference::kInPerson);
  EXPECT_EQ(people[0].role, ProgramRole::kMentor);
  EXPECT_EQ(people[0].mentor_capacity, 1);  // mentors default to one mentee
  EXPECT_EQ(people[1].meeting_preference, MeetingPreference::kInPerson);
  EXPECT_EQ(people[1].role, ProgramRole::kMentee);
  EXPECT_EQ(people[1].mentor_capacity, 0);
  EXPECT_EQ(people[2].meeting_preference, MeetingPreference::kVirtual);
  EXPECT_EQ(people[2].role, ProgramRole::kEither);
  EXPECT_EQ(people[2].mentor_capacity, 0);  // an explicit 0 stays 0
  EXPECT_EQ(people[3].meeting_preference, MeetingPreference::kVirtual);
  EXPECT_EQ(people[3].role, ProgramRole::kEither);
  EXPECT_EQ(people[3].mentor_capacity, 4);
  EXPECT_EQ(people[4].meeting_preference, MeetingPreference::kEither);
  EXPECT_EQ(people[4].role, ProgramRole::kMentee);  // empty role: mentee
  EXPECT_EQ(people[5].meeting_preference, MeetingPreference::kEither);
  EXPECT_EQ(people[5].mentor_capacity, 2);
}

TEST(PeopleCsvTest, SelfDescribedAttributes) {
  const Person p =
      OnePerson("Gender,Race/Ethnicity,ERGs,Self-described: Age Band,Prefer Shared Background",
                "Woman,Latina,\"Pride; Veterans\",30-39,Yes");
  EXPECT_EQ(p.self_described, (std::vector<std::pair<std::string, std::string>>{
                                  {"gender", "woman"},
                                  {"ethnicity", "latina"},
                                  {"employee_groups", "pride; veterans"},
                                  {"age_band", "30-39"}}));
  EXPECT_TRUE(p.prefer_shared_background);

  const Person blank = OnePerson("gender,prefer_shared_background", ",no");
  EXPECT_TRUE(blank.self_described.empty());
  EXPECT_FALSE(blank.prefer_shared_background);
}

TEST(PeopleCsvTest, UnknownColumnsAreIgnored) {
  const Person p = OnePerson("Cost Center,Hire Date,email", "CC100,2020-01-01,pat@example.com");
  EXPECT_EQ(p.email, "pat@example.com");
  EXPECT_EQ(p.id, "P1");
}

TEST(PeopleCsvTest, EmptyTrailingCellsAreIgnored) {
  const auto people = PeopleOf(Csv("id,name\nE1,Ada,,\nE2,Alan,\n"));
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[1].name, "Alan");
}

TEST(PeopleCsvTest, SeniorityAcceptsHrGrades) {
  EXPECT_EQ(OnePerson("level", "L4").seniority, 4);
  EXPECT_EQ(OnePerson("level", "Level 6").seniority, 6);
  EXPECT_EQ(OnePerson("level", " 10 ").seniority, 10);
  EXPECT_EQ(OnePerson("level", "").seniority, 1);
}

TEST(PeopleCsvTest, MessyFixtureFile) {
  const auto result = LoadPeople(DataPath("messy.csv"), {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_read, 4);
  ASSERT_EQ(result->people.size(), 4u);
  const Person& ada = result->people[0];
  EXPECT_EQ(ada.title, "VP, Engineering");
  EXPECT_EQ(ada.languages, (std::vector<std::string>{"english", "french"}));
  EXPECT_EQ(ada.mentor_capacity, 2);
  EXPECT_EQ(ada.utc_offset_minutes, 0);
  EXPECT_EQ(Bits(ada.availability), (std::vector<int>{9, 10, 11, 48 + 14, 48 + 15, 48 + 16}));
  EXPECT_EQ(result->people[1].name, "Grace \"Amazing\" Hopper");
  EXPECT_EQ(result->people[1].seniority, 5);
  EXPECT_EQ(result->people[2].title, "Research Scientist");
  EXPECT_EQ(result->people[2].role, ProgramRole::kEither);
  EXPECT_EQ(result->people[3].manager_id, "E3");
  EXPECT_EQ(Bits(result->people[3].availability), (std::vector<int>{28, 29}));
}

// ----------------------------------------------------------------------------------------------
// One test per row error: the message names the line, the column and the reason.

TEST(PeopleCsvErrorTest, BadEmail) {
  EXPECT_TRUE(Contains(OneRowError("Work Email", "bob@"),
                       "people.csv:2: column 'Work Email': not an email address: 'bob@'"));
  EXPECT_TRUE(Contains(OneRowError("email", "bob smith@example.com"),
                       "people.csv:2: column 'email': not an email address"));
}

TEST(PeopleCsvErrorTest, SeniorityOutOfRangeOrNotANumber) {
  EXPECT_TRUE(Contains(OneRowError("Job Level", "11"),
                       "people.csv:2: column 'Job Level': seniority must be a whole number "
                       "from 1 to 10, got '11'"));
  EXPECT_TRUE(Contains(OneRowError("seniority", "5x"),
                       "people.csv:2: column 'seniority': seniority must be a whole number "
                       "from 1 to 10, got '5x'"));
}

TEST(PeopleCsvErrorTest, ProficiencyOutOfRange) {
  EXPECT_TRUE(Contains(OneRowError("skills", "\"python:3; sql:7\""),
                       "people.csv:2: column 'skills': proficiency must be a whole number from "
                       "1 to 5, got 'sql:7'"));
  EXPECT_TRUE(Contains(OneRowError("skills", "python:high"),
                       "people.csv:2: column 'skills': proficiency must be a whole number"));
}

TEST(PeopleCsvErrorTest, SkillPriorityNotANumber) {
  EXPECT_TRUE(Contains(OneRowError("skills wanted", "python:first"),
                       "people.csv:2: column 'skills wanted': priority must be a whole number"));
}

TEST(PeopleCsvErrorTest, SkillListedTwice) {
  EXPECT_TRUE(Contains(OneRowError("skills", "\"python:3; Python:4\""),
                       "people.csv:2: column 'skills': skill 'python' is listed twice"));
}

TEST(PeopleCsvErrorTest, DuplicateIdNamesFirstLine) {
  const std::string message = ErrorOf(Csv("id,name\nE1,Ada\nE2,Alan\nE1,Grace\n"));
  EXPECT_TRUE(
      Contains(message, "people.csv:4: column 'id': duplicate id 'E1' (first used on line 2)"));
  EXPECT_TRUE(Lacks(message, "people.csv:2:"));
}

TEST(PeopleCsvErrorTest, EmptyIdAndName) {
  const std::string message = ErrorOf(Csv("Employee ID,Full Name\n,Ada\nE2,\n"));
  EXPECT_TRUE(Contains(message, "people.csv:2: column 'Employee ID': the id is empty"));
  EXPECT_TRUE(Contains(message, "people.csv:3: column 'Full Name': the name is empty"));
}

TEST(PeopleCsvErrorTest, UnknownManager) {
  const std::string message = ErrorOf(Csv("id,name,manager id\nE1,Ada,\nE2,Alan,E9\n"));
  EXPECT_TRUE(Contains(message,
                       "people.csv:3: column 'manager id': manager 'E9' names nobody in the file"));
}

TEST(PeopleCsvErrorTest, OwnManager) {
  EXPECT_TRUE(Contains(ErrorOf(Csv("id,name,manager_id\nE1,Ada,E1\n")),
                       "people.csv:2: column 'manager_id': the person is their own manager"));
}

TEST(PeopleCsvErrorTest, ReportingLineCycle) {
  const std::string message =
      ErrorOf(Csv("id,name,reports to\nE1,Ada,E3\nE2,Alan,E1\nE3,Grace,E2\nE4,Kat,E1\n"));
  EXPECT_TRUE(Contains(message,
                       "people.csv:2: column 'reports to': reporting-line cycle: "
                       "E1 -> E3 -> E2 -> E1"));
  EXPECT_TRUE(Contains(message,
                       "people.csv:3: column 'reports to': reporting-line cycle: "
                       "E2 -> E1 -> E3 -> E2"));
  EXPECT_TRUE(Contains(message, "people.csv:4: column 'reports to': reporting-line cycle"));
  EXPECT_TRUE(Lacks(message, "people.csv:5:"));  // E4 reports into the cycle only
  EXPECT_TRUE(Contains(message, "3 of 4 rows have errors"));
}

TEST(PeopleCsvErrorTest, UnknownTimeZone) {
  EXPECT_TRUE(Contains(OneRowError("Time Zone,availability", "Mars/Olympus,Mon 09-10"),
                       "people.csv:2: column 'Time Zone': unknown time zone 'Mars/Olympus'"));
  EXPECT_TRUE(Contains(OneRowError("tz", "UTC+2"),
                       "people.csv:2: column 'tz': unknown time zone 'UTC+2'; use an IANA name"));
}

TEST(PeopleCsvErrorTest, BadAvailability) {
  EXPECT_TRUE(Contains(OneRowError("tz,availability", "UTC,Mon 9to12"),
                       "people.csv:2: column 'availability': cannot read the hours '9to12'"));
  EXPECT_TRUE(Contains(OneRowError("tz,availability", "UTC,Funday 09-12"),
                       "people.csv:2: column 'availability': cannot read the day in "
                       "'Funday 09-12'"));
  EXPECT_TRUE(Contains(OneRowError("tz,availability", "UTC,Mon 09:30-12"),
                       "column 'availability': hours must be whole hours"));
  EXPECT_TRUE(Contains(OneRowError("tz,availability", "UTC,Mon 20-25"),
                       "column 'availability': hours run from 00 to 24"));
  EXPECT_TRUE(Contains(OneRowError("tz,availability", "UTC,Mon"),
                       "column 'availability': no hours after the day in 'Mon'"));
}

TEST(PeopleCsvErrorTest, AvailabilityWithoutTimeZone) {
  EXPECT_TRUE(Contains(OneRowError("time zone,availability", ",Mon 09-12"),
                       "people.csv:2: column 'availability': availability is in local time but "
                       "the time zone (column 'time zone') is empty"));
  EXPECT_TRUE(Contains(OneRowError("availability", "Mon 09-12"),
                       "people.csv:2: column 'availability': availability is in local time but "
                       "there is no time zone column"));
}

TEST(PeopleCsvErrorTest, PartialPersonality) {
  EXPECT_TRUE(
      Contains(OneRowError("openness,conscientiousness,extraversion,agreeableness,neuroticism",
                           "0.5,0.5,,0.5,0.5"),
               "people.csv:2: column 'extraversion': personality needs all five scores "
               "or none"));
}

TEST(PeopleCsvErrorTest, PersonalityOutOfRangeOrNotANumber) {
  const std::string header = "openness,conscientiousness,extraversion,agreeableness,neuroticism";
  EXPECT_TRUE(Contains(OneRowError(header, "50,50,150,50,50"),
                       "people.csv:2: column 'extraversion': personality scores are from 0 to 1 "
                       "(or 0 to 100 for the whole row), got '150'"));
  EXPECT_TRUE(Contains(OneRowError(header, "0.5,high,0.5,0.5,0.5"),
                       "people.csv:2: column 'conscientiousness': not a number: 'high'"));
  EXPECT_TRUE(Contains(OneRowError(header, "0.5,-0.1,0.5,0.5,0.5"),
                       "people.csv:2: column 'conscientiousness': personality scores are from"));
}

TEST(PeopleCsvErrorTest, BadMeetingPreference) {
  EXPECT_TRUE(Contains(OneRowError("Meeting Format", "telepathy"),
                       "people.csv:2: column 'Meeting Format': meeting preference must be "
                       "'in person', 'virtual' or 'either', got 'telepathy'"));
}

TEST(PeopleCsvErrorTest, BadRole) {
  EXPECT_TRUE(Contains(OneRowError("role", "coach"),
                       "people.csv:2: column 'role': role must be 'mentor', 'mentee' or "
                       "'either' (or 'both'), got 'coach'"));
}

TEST(PeopleCsvErrorTest, BadCapacity) {
  EXPECT_TRUE(Contains(OneRowError("role,capacity", "mentor,-1"),
                       "people.csv:2: column 'capacity': mentor capacity must be a whole number "
                       "0 or more, got '-1'"));
  EXPECT_TRUE(Contains(OneRowError("role,capacity", "mentor,2.5"),
                       "people.csv:2: column 'capacity': mentor capacity must be a whole number"));
}

TEST(PeopleCsvErrorTest, BadYesNo) {
  EXPECT_TRUE(Contains(OneRowError("prefer shared background", "maybe"),
                       "people.csv:2: column 'prefer shared background': expected yes or no, "
                       "got 'maybe'"));
}

TEST(PeopleCsvErrorTest, UnknownPreferredMentor) {
  const std::string message =
      ErrorOf(Csv("id,name,preferred mentors\nE1,Ada,\nE2,Alan,\"E1; E7\"\nE3,Grace,E3\n"));
  EXPECT_TRUE(Contains(message,
                       "people.csv:3: column 'preferred mentors': preferred mentor "
                       "'E7' names nobody in the file"));
  EXPECT_TRUE(Contains(message,
                       "people.csv:4: column 'preferred mentors': the person lists "
                       "themselves as a preferred mentor"));
}

TEST(PeopleCsvErrorTest, WrongNumberOfFields) {
  const std::string message = ErrorOf(Csv("id,name,email\nE1,Ada\nE2,Alan,a@example.com,extra\n"));
  EXPECT_TRUE(Contains(message, "people.csv:2: the row has 2 fields but the header has 3"));
  EXPECT_TRUE(Contains(message, "people.csv:3: the row has 4 fields but the header has 3"));
}

TEST(PeopleCsvErrorTest, TextAfterClosingQuote) {
  EXPECT_TRUE(Contains(ErrorOf(Csv("id,name,title\nE1,\"Ada\" Lovelace,CTO\n")),
                       "people.csv:2: column 'name': text after the closing quote"));
}

// ----------------------------------------------------------------------------------------------
// Problems with the whole file

TEST(PeopleCsvFatalTest, EmptyFileHasNoHeader) {
  EXPECT_TRUE(Contains(ErrorOf(Csv("")), "people.csv: no header row"));
  EXPECT_TRUE(Contains(ErrorOf(Csv("\xEF\xBB\xBF\r\n\r\n")), "people.csv: no header row"));
}

TEST(PeopleCsvFatalTest, MissingIdColumnListsAcceptedNames) {
  const std::string message = ErrorOf(Csv("name,email\nAda,ada@example.com\n"));
  EXPECT_TRUE(Contains(message, "people.csv:1: missing required column 'id'"));
  EXPECT_TRUE(Contains(message, "'employee id'"));
  EXPECT_TRUE(Contains(message, "the header has 'name', 'email'"));
}

TEST(PeopleCsvFatalTest, MissingNameColumn) {
  EXPECT_TRUE(Contains(ErrorOf(Csv("id,surname\nE1,Lovelace\n")),
                       "people.csv:1: missing required column 'name'"));
}

TEST(PeopleCsvFatalTest, InvalidUtf8NamesLine) {
  // "Zoë" in Latin-1, as old Excel exports write it.
  EXPECT_TRUE(Contains(ErrorOf(Csv("id,name\nE1,Ada\nE2,Zo\xEB\n")),
                       "people.csv:3: not valid UTF-8 (byte 0xEB at byte 6 of the line)"));
}

TEST(PeopleCsvFatalTest, Utf16IsRejected) {
  const std::string utf16("\xFF\xFEi\0d\0", 6);
  EXPECT_TRUE(Contains(ErrorOf(Csv(utf16)), "people.csv: the file is UTF-16 encoded"));
}

TEST(PeopleCsvFatalTest, UnterminatedQuote) {
  EXPECT_TRUE(Contains(ErrorOf(Csv("id,name\nE1,Ada\nE2,\"Alan\nE3,Grace\n")),
                       "people.csv:3: a quoted field opened on this line is never closed"));
}

TEST(PeopleCsvFatalTest, TwoColumnsForOneField) {
  EXPECT_TRUE(
      Contains(ErrorOf(Csv("id,name,Email,Work Email\nE1,Ada,a@example.com,a@example.com\n")),
               "people.csv:1: columns 'Email' and 'Work Email' both mean 'email'"));
}

TEST(PeopleCsvFatalTest, PersonalityColumnsIncomplete) {
  EXPECT_TRUE(Contains(ErrorOf(Csv("id,name,openness,extraversion\nE1,Ada,0.5,0.5\n")),
                       "people.csv:1: personality needs all five columns or none; missing "
                       "'conscientiousness', 'agreeableness', 'neuroticism'"));
}

// ----------------------------------------------------------------------------------------------
// All or nothing, or skip bad rows

TEST(PeopleImportRulesTest, AnyBadRowFailsTheImportAndListsEveryBadRow) {
  const auto result = LoadPeople(DataPath("bad_rows.csv"), {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = result.status().message();
  const std::string file = DataPath("bad_rows.csv");
  EXPECT_TRUE(Contains(message, file + ": 2 of 4 rows have errors; nothing was imported:"));
  EXPECT_TRUE(Contains(message, "\n" + file + ":3: column 'email': not an email address: 'bob@'"));
  EXPECT_TRUE(
      Contains(message, "\n" + file + ":5: column 'manager_id': manager 'B9' names nobody"));
}

TEST(PeopleImportRulesTest, ErrorListIsCapped) {
  std::string text = "id,name,email\n";
  for (int i = 0; i < 60; ++i) text += "E" + std::to_string(i) + ",Name,bad\n";
  const std::string message = ErrorOf(Csv(text));
  EXPECT_TRUE(Contains(message, "60 of 60 rows have errors"));
  EXPECT_TRUE(Contains(message, "people.csv:51: column 'email'"));  // the 50th error
  EXPECT_TRUE(Lacks(message, "people.csv:52:"));
  EXPECT_TRUE(Contains(message, "... and 10 more errors"));
}

TEST(PeopleImportRulesTest, SkipBadRowsKeepsTheGoodPeople) {
  const auto result = LoadPeople(DataPath("bad_rows.csv"), ImportOptions{true});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_read, 4);
  EXPECT_EQ(result->rows_skipped, 2);
  ASSERT_EQ(result->people.size(), 2u);
  EXPECT_EQ(result->people[0].id, "B1");
  EXPECT_EQ(result->people[1].id, "B3");
  ASSERT_EQ(result->errors.size(), 2u);
  EXPECT_EQ(result->errors[0].line, 3);
  EXPECT_EQ(result->errors[0].column, "email");
  EXPECT_EQ(result->errors[0].reason, "not an email address: 'bob@'");
  EXPECT_EQ(result->errors[0].ToString(),
            DataPath("bad_rows.csv") + ":3: column 'email': not an email address: 'bob@'");
  EXPECT_EQ(result->errors[1].line, 5);
}

TEST(PeopleImportRulesTest, SkipBadRowsKeepsReferencesToSkippedRows) {
  // E1 is skipped for its email; E2 still names E1 as manager (a row in the file).
  const auto result = Csv("id,name,email,manager_id\nE1,Ada,bad,\nE2,Alan,,E1\n", true);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->people.size(), 1u);
  EXPECT_EQ(result->people[0].manager_id, "E1");
  EXPECT_EQ(result->rows_skipped, 1);
}

TEST(PeopleImportRulesTest, SeveralErrorsInOneRowAreAllReported) {
  const auto result = Csv("id,name,email,level\nE1,Ada,bad,99\nE2,Alan,,\n", true);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_skipped, 1);
  ASSERT_EQ(result->errors.size(), 2u);
  EXPECT_EQ(result->errors[0].column, "email");
  EXPECT_EQ(result->errors[1].column, "level");
}

// ----------------------------------------------------------------------------------------------
// JSON

TEST(PeopleJsonTest, ArrayOfPeople) {
  const auto result = Json(R"([
    {"id": "E1", "name": "Ada", "role": "mentor", "mentor_capacity": 2, "seniority": 8,
     "languages": ["English", "French"], "time_zone": "Europe/Berlin",
     "availability": ["Mon 09-10"], "prefer_shared_background": true,
     "gender": "Woman", "self_described": {"age band": "40-49"}},
    {"id": 2, "name": "Alan", "manager_id": "E1", "skills_wanted": ["negotiation", "sql"]}
  ])");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->people.size(), 2u);
  const Person& ada = result->people[0];
  EXPECT_EQ(ada.role, ProgramRole::kMentor);
  EXPECT_EQ(ada.mentor_capacity, 2);
  EXPECT_EQ(ada.seniority, 8);
  EXPECT_EQ(ada.languages, (std::vector<std::string>{"english", "french"}));
  EXPECT_EQ(Bits(ada.availability), (std::vector<int>{8}));
  EXPECT_TRUE(ada.prefer_shared_background);
  EXPECT_EQ(ada.self_described, (std::vector<std::pair<std::string, std::string>>{
                                    {"gender", "woman"}, {"age_band", "40-49"}}));
  EXPECT_EQ(result->people[1].id, "2");  // numeric ids become text
  EXPECT_EQ(Wanted(result->people[1]),
            (std::vector<std::pair<std::string, int>>{{"negotiation", 1}, {"sql", 2}}));
}

TEST(PeopleJsonTest, ListItemsAreNotSplitOnCommas) {
  const auto people = PeopleOf(Json(R"([{"id": "E1", "name": "Ada",
                                          "interests": ["rock, paper, scissors", "Chess"]}])"));
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].interests, (std::vector<std::string>{"rock, paper, scissors", "chess"}));
}

TEST(PeopleJsonTest, PersonalityObject) {
  const auto people = PeopleOf(Json(R"([{"id": "E1", "name": "Ada", "personality":
      {"openness": 80, "conscientiousness": 60, "extraversion": 40, "agreeableness": 20,
       "neuroticism": 0}}])"));
  ASSERT_EQ(people.size(), 1u);
  ASSERT_TRUE(people[0].personality.has_value());
  EXPECT_DOUBLE_EQ(people[0].personality->openness, 0.8);
  EXPECT_DOUBLE_EQ(people[0].personality->agreeableness, 0.2);
}

TEST(PeopleJsonTest, MatchesTheEquivalentCsv) {
  const auto csv = LoadPeople(DataPath("messy.csv"), {});
  const auto json = LoadPeople(DataPath("messy.json"), {});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  ASSERT_EQ(csv->people.size(), json->people.size());
  for (size_t i = 0; i < csv->people.size(); ++i) ExpectSamePerson(csv->people[i], json->people[i]);
}

TEST(PeopleJsonTest, ErrorNamesElementFieldAndLine) {
  const std::string text =
      "[\n"
      "  {\"id\": \"E1\", \"name\": \"Ada\"},\n"
      "  {\"id\": \"E2\",\n"
      "   \"name\": \"Alan\", \"email\": \"bob@\", \"seniority\": 12}\n"
      "]\n";
  const std::string message = ErrorOf(Json(text));
  EXPECT_TRUE(Contains(message, "people.json: 1 of 2 elements has errors; nothing was imported"));
  EXPECT_TRUE(
      Contains(message, "people.json:3: element [1]: field 'email': not an email address: 'bob@'"));
  EXPECT_TRUE(Contains(message,
                       "people.json:3: element [1]: field 'seniority': seniority must "
                       "be a whole number from 1 to 10, got '12'"));
}

TEST(PeopleJsonTest, WrappedObjectAndLineNumbers) {
  const std::string text =
      "{\"version\": 1, \"meta\": {\"people\": [1, 2]},\n"
      " \"people\": [\n"
      "  {\"id\": \"E1\", \"name\": \"Ada\", \"tags\": [\"[\", \"{\"]},\n"
      "  {\"id\": \"E1\", \"name\": \"Dup\"}\n"
      "]}\n";
  const std::string message = ErrorOf(Json(text));
  EXPECT_TRUE(Contains(message,
                       "people.json:4: element [1]: field 'id': duplicate id 'E1' "
                       "(first used on element [0] (line 3))"));
}

TEST(PeopleJsonTest, WrongTypesAndMissingFields) {
  const std::string message = ErrorOf(Json(R"([
    {"id": "E1", "name": ["Ada"]},
    "E2",
    {"name": "No Id", "languages": [{"x": 1}]},
    {"id": "E4", "name": "Kat", "manager_id": "E9"}
  ])"));
  EXPECT_TRUE(Contains(message,
                       "people.json:2: element [0]: field 'name': expected a string "
                       "or number, got array"));
  EXPECT_TRUE(Lacks(message, "the name is empty"));  // reported once
  EXPECT_TRUE(
      Contains(message, "people.json:3: element [1]: expected a person object, got string"));
  EXPECT_TRUE(Contains(message, "people.json:4: element [2]: field 'id': the id is empty"));
  EXPECT_TRUE(Contains(message,
                       "people.json:4: element [2]: field 'languages': list items must "
                       "be strings"));
  EXPECT_TRUE(Contains(message,
                       "people.json:5: element [3]: field 'manager_id': manager 'E9' "
                       "names nobody in the file"));
}

TEST(PeopleJsonTest, MalformedJsonIsFatal) {
  const std::string message = ErrorOf(Json("[\n  {\"id\": \"E1\",}\n]"));
  EXPECT_TRUE(Contains(message, "people.json:2: malformed JSON: parse error at line 2"));
  EXPECT_TRUE(Contains(ErrorOf(Json(R"({"persons": []})")),
                       "people.json: expected a JSON array of people or an object with a "
                       "\"people\" array, got object"));
}

TEST(PeopleJsonTest, SkipBadRows) {
  const auto result = Json(R"([{"id": "E1", "name": "Ada"}, {"id": "E2", "name": "Alan",
                               "role": "coach"}])",
                           true);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->people.size(), 1u);
  EXPECT_EQ(result->rows_read, 2);
  EXPECT_EQ(result->rows_skipped, 1);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0].element, 1);
  EXPECT_EQ(result->errors[0].line, 1);
  EXPECT_EQ(result->errors[0].column, "role");
  EXPECT_TRUE(Contains(result->errors[0].ToString(),
                       "people.json:1: element [1]: field 'role': role must be"));
}

// ----------------------------------------------------------------------------------------------
// Files

TEST(LoadPeopleTest, SniffsFormatWithoutKnownExtension) {
  const auto json = LoadPeople(DataPath("sniff_json.txt"), {});
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  ASSERT_EQ(json->people.size(), 1u);
  EXPECT_EQ(json->people[0].name, "Sniffed Json");
  const auto csv = LoadPeople(DataPath("sniff_csv.txt"), {});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_EQ(csv->people.size(), 1u);
  EXPECT_EQ(csv->people[0].name, "Sniffed Csv");
}

TEST(LoadPeopleTest, MissingFileIsNotFound) {
  const auto result = LoadPeople(DataPath("no_such_file.csv"), {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(result.status().message(), "no_such_file.csv"));
}

TEST(LoadPeopleTest, DirectoryIsAnIoError) {
  const auto result = LoadPeople(DataPath(""), {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIoError);
}

TEST(SamplePeopleTest, SampleFilesImportCleanlyAndAgree) {
  const auto csv = LoadPeople(RepoPath("samples/people.csv"), {});
  const auto json = LoadPeople(RepoPath("samples/people.json"), {});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_GE(csv->people.size(), 20u);
  EXPECT_EQ(csv->rows_skipped, 0);
  ASSERT_EQ(csv->people.size(), json->people.size());
  for (size_t i = 0; i < csv->people.size(); ++i) ExpectSamePerson(csv->people[i], json->people[i]);
  int mentors = 0;
  int mentees = 0;
  for (const Person& p : csv->people) {
    mentors += p.role != ProgramRole::kMentee;
    mentees += p.role != ProgramRole::kMentor;
    EXPECT_FALSE(p.time_zone.empty()) << p.id;
    EXPECT_TRUE(p.availability.any()) << p.id;
  }
  EXPECT_GE(mentors, 5);
  EXPECT_GE(mentees, 5);
}

}  // namespace
}  // namespace tandem::io
