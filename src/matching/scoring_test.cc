#include "matching/scoring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "matching/config.h"

namespace tandem::matching {
namespace {

constexpr double kEps = 1e-6;

Person Mentee(const std::string& id, int seniority = 3) {
  Person p;
  p.id = id;
  p.role = ProgramRole::kMentee;
  p.seniority = seniority;
  return p;
}

Person Mentor(const std::string& id, int seniority = 6, int capacity = 1) {
  Person p;
  p.id = id;
  p.role = ProgramRole::kMentor;
  p.seniority = seniority;
  p.mentor_capacity = capacity;
  return p;
}

// Traditional defaults with every weight 0 except the ones given, and no availability rule.
MatchConfig Weights(std::initializer_list<std::pair<Criterion, double>> weights,
                    Model model = Model::kTraditional) {
  MatchConfig config = DefaultConfig(model);
  config.weights.fill(0);
  for (const auto& [c, w] : weights) config.set_weight(c, w);
  config.min_overlap_hours = 0;
  return config;
}

double Factor(const PairScore& s, Criterion c) { return s.factor[static_cast<size_t>(c)]; }

void SetHours(Person& p, std::initializer_list<int> hours) {
  for (int h : hours) p.availability.set(static_cast<size_t>(h));
}

TEST(ConfigTest, DefaultsValidateAndNamesRoundTrip) {
  for (int m = 0; m < kModelCount; ++m) {
    const auto model = static_cast<Model>(m);
    const MatchConfig config = DefaultConfig(model);
    EXPECT_TRUE(Validate(config).ok()) << ModelName(model) << ": " << Validate(config).ToString();
    EXPECT_EQ(config.model, model);
    EXPECT_EQ(ParseModel(ModelName(model)), model);
  }
  for (int c = 0; c < kCriterionCount; ++c) {
    EXPECT_EQ(ParseCriterion(CriterionName(static_cast<Criterion>(c))), static_cast<Criterion>(c));
  }
  EXPECT_EQ(ParseModel("Skill-Based"), Model::kSkillBased);
  EXPECT_EQ(ParseCriterion("time-zone"), Criterion::kTimeZone);
  EXPECT_FALSE(ParseModel("peer").has_value());
  EXPECT_EQ(DefaultConfig(Model::kVirtual).format, Format::kVirtual);
  EXPECT_EQ(DefaultConfig(Model::kVirtual).max_time_zone_difference_hours, 6);
  EXPECT_EQ(DefaultConfig(Model::kReverse).personality_mode, StyleMode::kComplementary);
}

TEST(ConfigTest, ValidateNamesFieldAndReason) {
  MatchConfig config = DefaultConfig(Model::kTraditional);
  config.set_weight(Criterion::kSkills, 11);
  EXPECT_EQ(Validate(config).message(), "weights.skills: must be a number in [0, 10]");
  config = DefaultConfig(Model::kTraditional);
  config.set_weight(Criterion::kTimeZone, -1);
  EXPECT_EQ(Validate(config).message(), "weights.time_zone: must be a number in [0, 10]");
  config = DefaultConfig(Model::kTraditional);
  config.weights.fill(0);
  config.set_weight(Criterion::kSharedBackground, 1);
  EXPECT_NE(Validate(config).message().find("at least one criterion"), std::string::npos);
  config = DefaultConfig(Model::kTraditional);
  config.min_seniority_gap = 12;
  EXPECT_EQ(Validate(config).message(), "min_seniority_gap: must be an integer in [-9, 9]");
  config = DefaultConfig(Model::kTraditional);
  config.max_time_zone_difference_hours = 25;
  EXPECT_NE(Validate(config).message().find("max_time_zone_difference_hours"), std::string::npos);
  config = DefaultConfig(Model::kTraditional);
  config.blocked_pairs = {{"E1", ""}};
  EXPECT_EQ(Validate(config).message(), "blocked_pairs[0].mentor: must be a non-empty person id");
}

// Skills: mentee wants negotiation (1st), python (2nd, holds it at 2), sql (3rd).
// Mentor: negotiation 3, python 4, sql 1.
//   negotiation: own 0, target 4: 3/4 = 0.75, weight 1     -> 0.75
//   python:      own 2, target 4: 2/2 = 1,    weight 1/2   -> 0.5
//   sql:         own 0, target 4: 1/4 = 0.25, weight 1/3   -> 0.083333
//   factor = 1.333333 / (1 + 1/2 + 1/3) = 0.727273
std::vector<Person> SkillPair() {
  Person a = Mentee("A");
  a.skills_wanted = {{"negotiation", 1}, {"python", 2}, {"sql", 3}};
  a.skills_held = {{"python", 2}};
  Person b = Mentor("B");
  b.skills_held = {{"sql", 1}, {"python", 4}, {"negotiation", 3}};
  return {a, b};
}

TEST(ScoringTest, SkillsFactorIsPriorityWeightedCoverage) {
  const auto people = SkillPair();
  Scorer scorer(people, Weights({{Criterion::kSkills, 1}}));
  const PairScore s = scorer.Score(0, 1);
  const double expected = (0.75 + 0.5 + 0.25 / 3) / (1 + 0.5 + 1.0 / 3);
  EXPECT_NEAR(Factor(s, Criterion::kSkills), expected, kEps);
  EXPECT_NEAR(expected, 0.727273, 1e-6);
  EXPECT_NEAR(s.score, expected, kEps);
  ASSERT_EQ(s.skills_for.size(), 3u);
  EXPECT_EQ(s.skills_for[0], "negotiation");
  EXPECT_EQ(s.skills_for[1], "python");
  EXPECT_EQ(s.skills_for[2], "sql");
}

TEST(ScoringTest, WeightedSumOverCriteria) {
  auto people = SkillPair();
  people[0].career_goals = {"people management", "public speaking"};
  people[1].career_goals = {"promotion", "people management", "board readiness"};
  people[0].languages = {"english", "german"};
  people[1].languages = {"german"};
  Scorer scorer(
      people,
      Weights({{Criterion::kSkills, 2}, {Criterion::kGoals, 1}, {Criterion::kLanguage, 1}}));
  const PairScore s = scorer.Score(0, 1);
  EXPECT_NEAR(Factor(s, Criterion::kGoals), 0.5, kEps);  // 1 of the mentee's 2 goals
  EXPECT_NEAR(Factor(s, Criterion::kLanguage), 1.0, kEps);
  const double skills = (0.75 + 0.5 + 0.25 / 3) / (1 + 0.5 + 1.0 / 3);
  EXPECT_NEAR(s.score, (2 * skills + 0.5 + 1.0) / 4.0, kEps);
  EXPECT_NEAR(s.score, 0.738636, 1e-6);
  EXPECT_EQ(ScoreToWeight(s.score), 738636);
}

TEST(ScoringTest, FactorsHandComputed) {
  Person a = Mentee("A", 3);
  Person b = Mentor("B", 5);
  a.interests = {"chess", "hiking", "music"};
  b.interests = {"hiking", "music", "film"};  // Jaccard 2/4
  a.learning_preferences = {"hands-on"};
  b.learning_preferences = {"reading", "hands-on"};  // Jaccard 1/2
  a.personality = BigFive{0.5, 0.5, 0.5, 0.5, 0.5};
  b.personality = BigFive{1.0, 0.5, 0.5, 0.5, 0.5};  // distance sqrt(0.25 / 5)
  a.communication_style = "direct";
  b.communication_style = "direct";
  a.time_zone = "Europe/Berlin";
  a.utc_offset_minutes = 60;
  b.time_zone = "America/New_York";
  b.utc_offset_minutes = -300;  // 6 h apart
  SetHours(a, {10, 11, 12, 13});
  SetHours(b, {12, 13, 14});  // 2 h overlap
  a.site = "Berlin";
  b.site = "New York";
  a.department = "Sales";
  b.department = "Finance";
  b.id = "B";
  a.preferred_mentors = {"X", "B"};  // B ranked second
  std::vector<Person> people = {a, b};

  MatchConfig config = Weights({{Criterion::kSkills, 1}});
  Scorer scorer(people, config);
  const PairScore s = scorer.Score(0, 1);
  EXPECT_NEAR(Factor(s, Criterion::kSkills), 0.5, kEps);  // nothing wanted: neutral
  EXPECT_NEAR(Factor(s, Criterion::kGoals), 0.5, kEps);   // no goals: neutral
  EXPECT_NEAR(Factor(s, Criterion::kInterests), 0.5, kEps);
  EXPECT_NEAR(Factor(s, Criterion::kLearning), 0.5, kEps);
  EXPECT_NEAR(Factor(s, Criterion::kPersonality), 1.0 - std::sqrt(0.05), 1e-6);
  EXPECT_NEAR(Factor(s, Criterion::kCommunication), 1.0, kEps);
  EXPECT_NEAR(Factor(s, Criterion::kSeniority), 1.0, kEps);  // gap 2
  EXPECT_NEAR(Factor(s, Criterion::kTimeZone), 0.5, kEps);   // 1 - 6/12
  EXPECT_NEAR(Factor(s, Criterion::kAvailability), 2.0 / 3.0, kEps);
  EXPECT_NEAR(Factor(s, Criterion::kLocation), 0.5, kEps);    // hybrid, both accept virtual
  EXPECT_NEAR(Factor(s, Criterion::kLanguage), 0.5, kEps);    // no languages: neutral
  EXPECT_NEAR(Factor(s, Criterion::kDepartment), 1.0, kEps);  // prefer cross
  EXPECT_NEAR(Factor(s, Criterion::kMenteeChoice), 0.8, kEps);
  EXPECT_FALSE(s.background_scored);

  // Complementary modes.
  config.personality_mode = StyleMode::kComplementary;
  config.communication_mode = StyleMode::kComplementary;
  {
    Scorer comp(people, config);
    const PairScore c = comp.Score(0, 1);
    // |0.5| + (1 - 0) + 0 + (1 - 0) + (1 - 0.5) over 5
    EXPECT_NEAR(Factor(c, Criterion::kPersonality), 0.6, 1e-6);
    EXPECT_NEAR(Factor(c, Criterion::kCommunication), 0.0, kEps);  // same style
  }
  people[1].communication_style = "reflective";
  {
    Scorer comp(people, config);
    EXPECT_NEAR(Factor(comp.Score(0, 1), Criterion::kCommunication), 1.0, kEps);
  }
  people[1].communication_style = "analytical";
  {
    Scorer comp(people, config);
    EXPECT_NEAR(Factor(comp.Score(0, 1), Criterion::kCommunication), 0.5, kEps);
  }
  // Seniority decays away from a 2-3 level gap; location 0 when one insists on meeting.
  people[1].seniority = 4;
  people[1].meeting_preference = MeetingPreference::kInPerson;
  people[1].utc_offset_minutes = 540;  // Tokyo vs San Francisco: 17 h = 7 h the other way
  people[0].utc_offset_minutes = -480;
  {
    Scorer s2(people, Weights({{Criterion::kSkills, 1}}));
    const PairScore p = s2.Score(0, 1);
    EXPECT_NEAR(Factor(p, Criterion::kSeniority), 0.7, kEps);
    EXPECT_NEAR(Factor(p, Criterion::kLocation), 0.0, kEps);
    EXPECT_NEAR(Factor(p, Criterion::kTimeZone), 1.0 - 7.0 / 12.0, kEps);
  }
  people[1].seniority = 8;  // gap 5
  {
    Scorer s3(people, Weights({{Criterion::kSkills, 1}}));
    EXPECT_NEAR(Factor(s3.Score(0, 1), Criterion::kSeniority), 0.6, kEps);
  }
}

TEST(ScoringTest, ReverseModelInvertsSeniorityAndNeedsTheSkill) {
  Person senior = Mentee("S", 8);
  senior.skills_wanted = {{"generative ai", 1}};
  Person junior = Mentor("J", 5);
  junior.skills_held = {{"generative ai", 2}};
  std::vector<Person> people = {senior, junior};
  const MatchConfig config = DefaultConfig(Model::kReverse);
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(0, 1), Exclusion::kSkillDirection);  // holds it only at level 2
  }
  people[1].skills_held = {{"generative ai", 3}};
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(0, 1), Exclusion::kNone);
    const PairScore s = scorer.Score(0, 1);
    EXPECT_NEAR(Factor(s, Criterion::kSeniority), 1.0, kEps);  // mentor 3 levels junior
    EXPECT_NEAR(Factor(s, Criterion::kSkills), 0.75, kEps);    // 3 of target 4
  }
  people[1].seniority = 9;  // a senior "mentor" breaks the reverse rule
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(0, 1), Exclusion::kSeniorityRule);
  }
  // Skill-based ignores seniority but needs the skill too.
  {
    Scorer scorer(people, DefaultConfig(Model::kSkillBased));
    EXPECT_EQ(scorer.Check(0, 1), Exclusion::kNone);
    people[0].skills_wanted.clear();
    Scorer none(people, DefaultConfig(Model::kSkillBased));
    EXPECT_EQ(none.Check(0, 1), Exclusion::kSkillDirection);
  }
}

TEST(ScoringTest, HardRulesExcludePairs) {
  // Org: C (top) <- M (manager) <- A (mentee). D is another mentor elsewhere.
  Person c = Mentor("C", 9);
  Person m = Mentor("M", 7);
  m.manager_id = "C";
  Person a = Mentee("A", 3);
  a.manager_id = "M";
  Person d = Mentor("D", 6);
  d.manager_id = "C";
  Person under_a = Mentor("U", 5);  // reports to A: A is in U's reporting line
  under_a.manager_id = "A";
  std::vector<Person> people = {c, m, a, d, under_a};
  MatchConfig config = Weights({{Criterion::kSkills, 1}});
  config.min_seniority_gap = -9;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 0), Exclusion::kReportingLine);  // two levels up
    EXPECT_EQ(scorer.Check(2, 1), Exclusion::kReportingLine);  // direct manager
    EXPECT_EQ(scorer.Check(2, 4), Exclusion::kReportingLine);  // mentee manages the mentor
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);           // sibling branch
    EXPECT_EQ(scorer.Check(2, 2), Exclusion::kSamePerson);
  }
  config.exclude_reporting_line = false;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 0), Exclusion::kNone);
  }
  config.exclude_reporting_line = true;

  // Blocked pair.
  config.blocked_pairs = {{"A", "D"}};
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kBlocked);
  }
  config.blocked_pairs.clear();

  // Language: excluded only when both list languages and none is shared.
  people[2].languages = {"german"};
  people[3].languages = {"english"};
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNoSharedLanguage);
    EXPECT_EQ(ExclusionReason(scorer.Check(2, 3)),
              std::string("mentor and mentee share no language"));
  }
  people[3].languages.clear();
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);  // missing data never excludes
  }
  config.require_shared_language = false;
  people[3].languages = {"english"};
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);
  }
  config.require_shared_language = true;
  people[3].languages = {"german", "english"};

  // In person needs one site; hybrid does not.
  people[2].site = "Berlin";
  people[3].site = "London";
  config.format = Format::kInPerson;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kDifferentSite);
  }
  config.format = Format::kHybrid;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);
  }

  // Department rule.
  people[2].department = "Finance";
  people[3].department = "Finance";
  config.department_rule = DepartmentRule::kRequireCross;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kDepartmentRule);
  }
  config.department_rule = DepartmentRule::kRequireSame;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);
  }
  config.department_rule = DepartmentRule::kPreferCross;

  // Seniority: traditional needs the mentor min_seniority_gap above.
  config.min_seniority_gap = 4;  // D is 3 above A
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kSeniorityRule);
  }
  config.min_seniority_gap = 3;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);
  }

  // Time zones (circular) and availability overlap.
  people[2].time_zone = "Asia/Tokyo";
  people[2].utc_offset_minutes = 540;
  people[3].time_zone = "America/Los_Angeles";
  people[3].utc_offset_minutes = -480;  // 17 h one way, 7 h the other
  config.max_time_zone_difference_hours = 6;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kTimeZone);
  }
  config.max_time_zone_difference_hours = 7;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);
  }
  SetHours(people[2], {1, 2, 3});
  SetHours(people[3], {3, 4});
  config.min_overlap_hours = 2;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNoOverlap);
  }
  config.min_overlap_hours = 1;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNone);
  }

  // No capacity.
  people[3].mentor_capacity = 0;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.Check(2, 3), Exclusion::kNoCapacity);
    const auto instance = scorer.BuildInstance();
    ASSERT_TRUE(instance.has_value());
    for (const Edge& e : instance->edges) EXPECT_NE(scorer.mentors()[e.mentor], 3);
  }
}

TEST(ScoringTest, ManagerCycleDoesNotHang) {
  Person a = Mentee("A", 2);
  a.manager_id = "B";
  Person b = Mentor("B", 6);
  b.manager_id = "C";
  Person c = Mentor("C", 7);
  c.manager_id = "A";  // cycle
  Person d = Mentor("D", 6);
  d.manager_id = "D";  // self
  std::vector<Person> people = {a, b, c, d};
  Scorer scorer(people, Weights({{Criterion::kSkills, 1}}));
  EXPECT_EQ(scorer.Check(0, 1), Exclusion::kReportingLine);
  EXPECT_EQ(scorer.Check(0, 3), Exclusion::kNone);
}

TEST(ScoringTest, SharedBackgroundOnlyWhenOptedIn) {
  Person a = Mentee("A");
  a.self_described = {{"gender", "woman"}, {"employee_groups", "Pride; veterans"}};
  a.skills_wanted = {{"negotiation", 1}};
  Person b = Mentor("B");
  b.self_described = {{"gender", "woman"}, {"employee_groups", "parents"}};
  b.skills_held = {{"negotiation", 4}};
  Person c = Mentor("C");
  c.skills_held = {{"negotiation", 4}};  // no self-description
  std::vector<Person> people = {a, b, c};
  const MatchConfig config = Weights({{Criterion::kSkills, 1}, {Criterion::kSharedBackground, 1}});
  {
    Scorer scorer(people, config);  // not opted in: never scored
    const PairScore s = scorer.Score(0, 1);
    EXPECT_FALSE(s.background_scored);
    EXPECT_NEAR(Factor(s, Criterion::kSharedBackground), 0.0, kEps);
    EXPECT_NEAR(s.score, 1.0, kEps);  // skills only
  }
  people[0].prefer_shared_background = true;
  {
    Scorer scorer(people, config);
    const PairScore s = scorer.Score(0, 1);
    EXPECT_TRUE(s.background_scored);
    // Mentee tokens: gender=woman, employee_groups=pride, employee_groups=veterans; 1 shared.
    EXPECT_NEAR(Factor(s, Criterion::kSharedBackground), 1.0 / 3.0, kEps);
    EXPECT_NEAR(s.score, (1.0 + 1.0 / 3.0) / 2.0, kEps);
    const PairScore t = scorer.Score(0, 2);  // mentor without self-description: not scored
    EXPECT_FALSE(t.background_scored);
    EXPECT_NEAR(t.score, 1.0, kEps);
  }
}

TEST(ScoringTest, EitherRoleSplit) {
  Person e1 = Mentee("E1", 4);
  e1.role = ProgramRole::kEither;  // capacity 0
  Person e2 = Mentor("E2", 6, 2);
  e2.role = ProgramRole::kEither;
  Person m = Mentee("M", 2);
  Person t = Mentor("T", 8);
  std::vector<Person> people = {e1, e2, m, t};
  MatchConfig config = Weights({{Criterion::kSkills, 1}});
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.mentees(), (std::vector<std::int32_t>{0, 2}));
    EXPECT_EQ(scorer.mentors(), (std::vector<std::int32_t>{1, 3}));
  }
  config.either_role = EitherRole::kBothSides;
  {
    Scorer scorer(people, config);
    EXPECT_EQ(scorer.mentees(), (std::vector<std::int32_t>{0, 1, 2}));
    EXPECT_EQ(scorer.mentors(), (std::vector<std::int32_t>{1, 3}));
    EXPECT_EQ(scorer.Check(1, 1), Exclusion::kSamePerson);
    const auto instance = scorer.BuildInstance();
    ASSERT_TRUE(instance.has_value());
    for (const Edge& e : instance->edges) {
      EXPECT_NE(scorer.mentees()[e.mentee], scorer.mentors()[e.mentor]);
    }
  }
}

TEST(ScoringTest, ExplanationsAreConcrete) {
  Person a = Mentee("A", 3);
  a.skills_wanted = {{"negotiation", 1}, {"sql", 2}};
  a.skills_held = {{"negotiation", 2}};
  a.career_goals = {"people management"};
  a.languages = {"english", "german"};
  SetHours(a, {10, 11, 12, 13});
  Person b = Mentor("B", 6);
  b.skills_held = {{"negotiation", 4}};
  b.career_goals = {"people management", "promotion"};
  b.languages = {"german", "english"};
  SetHours(b, {11, 12, 13, 20});
  Person c = Mentor("C", 6);
  c.languages = {"english"};
  c.skills_held = {{"negotiation", 4}};
  Person d = Mentor("D", 6);
  d.languages = {"english"};
  d.skills_held = {{"sql", 5}};
  std::vector<Person> people = {a, b, c, d};
  MatchConfig config = Weights({{Criterion::kSkills, 3},
                                {Criterion::kGoals, 2},
                                {Criterion::kAvailability, 1},
                                {Criterion::kLanguage, 1}});
  config.explanation_reasons = 4;
  Scorer scorer(people, config);
  const std::string text = scorer.Explain(0, 1);
  EXPECT_EQ(text,
            "mentor is 2 levels ahead in negotiation, which you rank first; both aim at people "
            "management; 3 h/week overlap; both speak German");
  // German is rarer than English among these people, so it is the one named.
  config.explanation_reasons = 1;
  Scorer one(people, config);
  EXPECT_EQ(one.Explain(0, 1), "mentor is 2 levels ahead in negotiation, which you rank first");
  EXPECT_EQ(one.Explain(0, 3), "mentor has sql at level 5, which you rank second");
  // Excluded pair.
  people[1].manager_id = "Z";
  people[0].manager_id = "B";
  Scorer excluded(people, config);
  EXPECT_EQ(excluded.Explain(0, 1), "not eligible: mentor and mentee are in one reporting line");
}

// A deterministic random population for pairwise checks (independent of the sample generator).
std::vector<Person> RandomPeople(int mentees, int mentors, std::uint64_t seed) {
  std::uint64_t state = seed;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(state >> 33);
  };
  const char* skills[] = {"python",  "sql",   "negotiation", "leadership", "design", "finance",
                          "writing", "sales", "ml",          "cloud",      "legal",  "coaching"};
  const char* tags[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  const char* langs[] = {"english", "german", "hindi", "spanish"};
  const char* sites[] = {"Berlin", "London", "Bangalore"};
  const int offsets[] = {60, 0, 330};
  const char* depts[] = {"Engineering", "Sales", "Finance"};
  const char* styles[] = {"direct", "reflective", "expressive", "analytical", ""};
  std::vector<Person> people;
  const int n = mentees + mentors;
  for (int p = 0; p < n; ++p) {
    Person x;
    x.id = "P" + std::to_string(p);
    const bool mentor = p >= mentees;
    x.role = mentor ? ProgramRole::kMentor : ProgramRole::kMentee;
    x.mentor_capacity = mentor ? next() % 3 : 0;  // some mentors without capacity
    x.seniority = mentor ? 3 + next() % 7 : 1 + next() % 6;
    if (p > 0 && next() % 4 != 0) x.manager_id = "P" + std::to_string(next() % p);
    const int site = next() % 3;
    x.site = sites[site];
    x.time_zone = "Zone/" + x.site;
    x.utc_offset_minutes = offsets[site];
    x.department = depts[next() % 3];
    x.languages = {langs[next() % 4]};
    if (next() % 2) x.languages.push_back("english");
    for (int k = 0; k < 4; ++k) x.skills_held.push_back({skills[next() % 12], 1 + next() % 5});
    for (int k = 0; k < 2; ++k) x.skills_wanted.push_back({skills[next() % 12], k + 1});
    x.career_goals = {tags[next() % 8]};
    x.interests = {tags[next() % 8], tags[next() % 8]};
    x.learning_preferences = {tags[next() % 4]};
    if (next() % 5) {
      x.personality =
          BigFive{(next() % 100) / 100.0, (next() % 100) / 100.0, (next() % 100) / 100.0,
                  (next() % 100) / 100.0, (next() % 100) / 100.0};
    }
    x.communication_style = styles[next() % 5];
    for (int k = 0; k < 6; ++k) x.availability.set(static_cast<size_t>(next() % kHoursPerWeek));
    if (!mentor && next() % 3 == 0) {
      x.preferred_mentors = {"P" + std::to_string(mentees + next() % mentors)};
    }
    if (next() % 3 == 0) {
      x.self_described = {{"gender", next() % 2 ? "woman" : "man"}};
      x.prefer_shared_background = next() % 2;
    }
    people.push_back(std::move(x));
  }
  return people;
}

TEST(ScoringTest, BuildInstanceMatchesPairwiseCheckAndScore) {
  const auto people = RandomPeople(150, 60, 7);
  MatchConfig config = DefaultConfig(Model::kTraditional);
  config.blocked_pairs = {{"P1", "P150"}, {"P2", "P151"}};
  config.threads = 2;
  Scorer scorer(people, config);
  ASSERT_EQ(scorer.mentees().size(), 150u);
  ASSERT_EQ(scorer.mentors().size(), 60u);
  double last = -1;
  int calls = 0;
  const auto instance = scorer.BuildInstance([&](const char* phase, double fraction) {
    EXPECT_STREQ(phase, "scoring");
    EXPECT_GE(fraction, last);
    last = fraction;
    ++calls;
  });
  ASSERT_TRUE(instance.has_value());
  EXPECT_TRUE(Validate(*instance).ok()) << Validate(*instance).ToString();
  EXPECT_EQ(last, 1.0);
  EXPECT_GE(calls, 2);
  size_t k = 0;
  int excluded = 0;
  for (std::int32_t i = 0; i < instance->num_mentees; ++i) {
    for (std::int32_t j = 0; j < instance->num_mentors(); ++j) {
      const std::int32_t a = scorer.mentees()[static_cast<size_t>(i)];
      const std::int32_t b = scorer.mentors()[static_cast<size_t>(j)];
      if (scorer.Check(a, b) != Exclusion::kNone) {
        ++excluded;
        continue;
      }
      ASSERT_LT(k, instance->edges.size());
      const Edge& e = instance->edges[k++];
      ASSERT_EQ(e.mentee, i);
      ASSERT_EQ(e.mentor, j);
      EXPECT_EQ(e.weight, ScoreToWeight(scorer.Score(a, b).score));
    }
  }
  EXPECT_EQ(k, instance->edges.size());
  EXPECT_GT(excluded, 0);
  EXPECT_GT(k, 100u);
  EXPECT_EQ(instance->mentee_labels[0], "P0");
  EXPECT_EQ(instance->mentor_labels[0], "P150");
  EXPECT_EQ(scorer.Check(1, 150), Exclusion::kBlocked);
  for (std::int32_t j = 0; j < instance->num_mentors(); ++j) {
    EXPECT_EQ(
        instance->capacity[static_cast<size_t>(j)],
        people[static_cast<size_t>(scorer.mentors()[static_cast<size_t>(j)])].mentor_capacity);
  }
}

TEST(ScoringTest, BuildInstanceIsDeterministicAcrossThreadCountsAndCancels) {
  const auto people = RandomPeople(700, 300, 11);
  std::vector<Edge> reference;
  for (int threads : {1, 2, 3}) {
    MatchConfig config = DefaultConfig(Model::kVirtual);
    config.threads = threads;
    Scorer scorer(people, config);
    const auto instance = scorer.BuildInstance();
    ASSERT_TRUE(instance.has_value());
    if (threads == 1) {
      reference = instance->edges;
      ASSERT_FALSE(reference.empty());
      continue;
    }
    ASSERT_EQ(instance->edges.size(), reference.size());
    for (size_t e = 0; e < reference.size(); ++e) {
      ASSERT_EQ(instance->edges[e].mentee, reference[e].mentee);
      ASSERT_EQ(instance->edges[e].mentor, reference[e].mentor);
      ASSERT_EQ(instance->edges[e].weight, reference[e].weight);
    }
  }
  std::atomic<bool> cancel{true};
  Scorer scorer(people, DefaultConfig(Model::kTraditional));
  EXPECT_FALSE(scorer.BuildInstance({}, &cancel).has_value());
}

TEST(ScoringTest, UnmatchedReasons) {
  // Three Finance mentees compete for one Finance mentor with capacity 1; a German-only mentee
  // shares no language with anyone.
  std::vector<Person> people;
  for (const char* id : {"A", "B", "C"}) {
    Person p = Mentee(id, 2);
    p.department = "Finance";
    p.languages = {"english"};
    people.push_back(p);
  }
  Person g = Mentee("G", 2);
  g.languages = {"german"};
  people.push_back(g);
  Person m = Mentor("M", 5, 1);
  m.department = "Finance";
  m.languages = {"english"};
  people.push_back(m);
  Person n = Mentor("N", 5, 0);  // no capacity
  n.languages = {"english", "french"};
  people.push_back(n);
  Scorer scorer(people, Weights({{Criterion::kSkills, 1}}));
  const auto instance = scorer.BuildInstance();
  ASSERT_TRUE(instance.has_value());
  ASSERT_EQ(instance->edges.size(), 3u);  // A, B, C with M
  Solution solution;
  solution.mentor_of = {0, -1, -1, -1};
  const auto reasons = scorer.UnmatchedReasons(*instance, solution);
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_EQ(reasons[0], "");
  EXPECT_EQ(reasons[1],
            "capacity exhausted: 3 mentees compete for 1 place among their only eligible mentor "
            "in Finance");
  EXPECT_EQ(reasons[2], reasons[1]);
  EXPECT_EQ(reasons[3],
            "no eligible mentor: 2 of 2 mentors excluded because mentors share no language with "
            "the mentee (german)");

  // Seniority as the dominant exclusion.
  people[3].languages = {"english"};
  people[3].seniority = 9;
  Scorer senior(people, Weights({{Criterion::kSkills, 1}}));
  const auto inst2 = senior.BuildInstance();
  ASSERT_TRUE(inst2.has_value());
  const auto reasons2 = senior.UnmatchedReasons(*inst2, solution);
  EXPECT_EQ(reasons2[3],
            "no eligible mentor: 2 of 2 mentors excluded because mentors are not at least 1 level "
            "above the mentee (level 9)");
}

// Speed is measured in bench/ (scoring throughput), not asserted here.
TEST(ScoringTest, EveryPairEligibleGivesTheFullGridWhateverTheThreadCount) {
  auto people = RandomPeople(2000, 200, 3);
  for (Person& p : people) {
    if (p.role == ProgramRole::kMentor) p.mentor_capacity = std::max(1, p.mentor_capacity);
  }
  MatchConfig config = DefaultConfig(Model::kTraditional);
  config.min_seniority_gap = -9;  // score (nearly) every pair
  config.require_shared_language = false;
  config.min_overlap_hours = 0;
  config.exclude_reporting_line = false;
  config.threads = 1;
  const auto one = Scorer(people, config).BuildInstance();
  config.threads = 2;
  const auto two = Scorer(people, config).BuildInstance();
  ASSERT_TRUE(one.has_value() && two.has_value());
  EXPECT_EQ(one->edges.size(), 2000u * 200u);  // every pair is eligible here
  ASSERT_EQ(one->edges.size(), two->edges.size());
  for (size_t e = 0; e < one->edges.size(); ++e) {
    ASSERT_EQ(one->edges[e].mentee, two->edges[e].mentee);
    ASSERT_EQ(one->edges[e].mentor, two->edges[e].mentor);
    ASSERT_EQ(one->edges[e].weight, two->edges[e].weight);
  }
}

}  // namespace
}  // namespace tandem::matching
