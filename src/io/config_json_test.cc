#include "io/config_json.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem::io {
namespace {

using matching::Criterion;
using matching::MatchConfig;
using matching::Model;

const std::string kSamples = std::string(TANDEM_TEST_DATA_DIR) + "/../../samples/";

void ExpectSame(const MatchConfig& a, const MatchConfig& b) {
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.objective, b.objective);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.format, b.format);
  EXPECT_EQ(a.department_rule, b.department_rule);
  EXPECT_EQ(a.personality_mode, b.personality_mode);
  EXPECT_EQ(a.communication_mode, b.communication_mode);
  EXPECT_EQ(a.either_role, b.either_role);
  EXPECT_EQ(a.exclude_reporting_line, b.exclude_reporting_line);
  EXPECT_EQ(a.require_shared_language, b.require_shared_language);
  EXPECT_EQ(a.min_seniority_gap, b.min_seniority_gap);
  EXPECT_EQ(a.max_time_zone_difference_hours, b.max_time_zone_difference_hours);
  EXPECT_EQ(a.min_overlap_hours, b.min_overlap_hours);
  EXPECT_EQ(a.full_overlap_hours, b.full_overlap_hours);
  EXPECT_EQ(a.explanation_reasons, b.explanation_reasons);
  EXPECT_EQ(a.threads, b.threads);
  EXPECT_EQ(a.blocked_pairs, b.blocked_pairs);
}

std::string ErrorOf(std::string_view text) {
  auto r = ParseConfigJson(text, "cfg.json");
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(ConfigJsonTest, DefaultsRoundTripForEveryModel) {
  for (int m = 0; m < matching::kModelCount; ++m) {
    MatchConfig config = matching::DefaultConfig(static_cast<Model>(m));
    config.blocked_pairs = {{"E1", "E2"}, {"E3", "E4"}};
    const std::string text = ConfigToJson(config);
    EXPECT_EQ(text.rfind("{\n  \"model\": \"", 0), 0u) << text;  // model first
    auto parsed = ParseConfigJson(text, "defaults.json");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << text;
    ExpectSame(*parsed, config);
  }
}

TEST(ConfigJsonTest, EmptyObjectIsTraditionalDefaults) {
  auto parsed = ParseConfigJson("{}", "empty.json");
  ASSERT_TRUE(parsed.ok());
  ExpectSame(*parsed, matching::DefaultConfig(Model::kTraditional));
}

TEST(ConfigJsonTest, ModelSelectsDefaultsAndKeysOverride) {
  auto parsed = ParseConfigJson(R"({
    // comments are allowed
    "weights": {"skills": 7, "time_zone": 0.25},
    "model": "reverse",
    "objective": "fair",
    "max_time_zone_difference_hours": 4,
    "blocked_pairs": [{"mentee": "E9", "mentor": "E1"}]
  })",
                                "r.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const MatchConfig reverse = matching::DefaultConfig(Model::kReverse);
  EXPECT_EQ(parsed->model, Model::kReverse);
  EXPECT_EQ(parsed->objective, matching::Objective::kFair);
  EXPECT_EQ(parsed->weight(Criterion::kSkills), 7);
  EXPECT_EQ(parsed->weight(Criterion::kTimeZone), 0.25);
  EXPECT_EQ(parsed->weight(Criterion::kGoals), reverse.weight(Criterion::kGoals));
  EXPECT_EQ(parsed->personality_mode, reverse.personality_mode);
  EXPECT_EQ(parsed->max_time_zone_difference_hours, 4);
  ASSERT_EQ(parsed->blocked_pairs.size(), 1u);
  EXPECT_EQ(parsed->blocked_pairs[0].first, "E9");
  EXPECT_EQ(parsed->blocked_pairs[0].second, "E1");

  auto unset =
      ParseConfigJson(R"({"model": "virtual", "max_time_zone_difference_hours": null})", "v.json");
  ASSERT_TRUE(unset.ok());
  EXPECT_FALSE(unset->max_time_zone_difference_hours.has_value());
}

TEST(ConfigJsonTest, ErrorsNameKeyPathAndReason) {
  EXPECT_EQ(ErrorOf(R"({"weights": {"skills": 11}})"),
            "cfg.json: weights.skills: must be a number in [0, 10]");
  EXPECT_EQ(ErrorOf(R"({"weights": {"skills": "high"}})"),
            "cfg.json: weights.skills: must be a number in [0, 10]");
  EXPECT_EQ(ErrorOf(R"({"weights": {"skils": 1}})")
                .rfind("cfg.json: weights.skils: unknown "
                       "criterion (expected skills, goals",
                       0),
            0u);
  EXPECT_EQ(ErrorOf(R"({"colour": "blue"})"), "cfg.json: colour: unknown key");
  EXPECT_EQ(ErrorOf(R"({"model": "peer"})"),
            "cfg.json: model: must be one of traditional, reverse, skill_based or virtual");
  EXPECT_EQ(ErrorOf(R"({"objective": 1})"),
            "cfg.json: objective: must be one of welfare, stable or fair");
  EXPECT_EQ(ErrorOf(R"({"min_overlap_hours": "2"})"),
            "cfg.json: min_overlap_hours: must be an integer in [0, 168]");
  EXPECT_EQ(ErrorOf(R"({"min_overlap_hours": 2.5})"),
            "cfg.json: min_overlap_hours: must be an integer in [0, 168]");
  EXPECT_EQ(ErrorOf(R"({"min_seniority_gap": -10})"),
            "cfg.json: min_seniority_gap: must be an integer in [-9, 9]");
  EXPECT_EQ(ErrorOf(R"({"max_time_zone_difference_hours": 30})"),
            "cfg.json: max_time_zone_difference_hours: must be an integer in [0, 24]");
  EXPECT_EQ(ErrorOf(R"({"exclude_reporting_line": "yes"})"),
            "cfg.json: exclude_reporting_line: must be true or false");
  EXPECT_EQ(ErrorOf(R"({"blocked_pairs": [{"mentee": "E1", "mentor": ""}]})"),
            "cfg.json: blocked_pairs[0].mentor: must be a non-empty person id (string)");
  EXPECT_EQ(ErrorOf(R"({"blocked_pairs": [{"mentee": "E1"}]})"),
            "cfg.json: blocked_pairs[0].mentor: missing");
  EXPECT_EQ(ErrorOf(R"({"blocked_pairs": [["E1", "E2"]]})"),
            "cfg.json: blocked_pairs[0]: must be an object {\"mentee\": id, \"mentor\": id}");
  EXPECT_EQ(ErrorOf(R"([1, 2])"), "cfg.json: (top level): must be a JSON object");
  // Cross-field rule from matching::Validate.
  EXPECT_EQ(ErrorOf(R"({"weights": {"skills": 0, "goals": 0, "interests": 0, "personality": 0,
      "communication": 0, "learning": 0, "seniority": 0, "time_zone": 0, "availability": 0,
      "location": 0, "language": 0, "department": 0, "mentee_choice": 0}})"),
            "cfg.json: weights: at least one criterion other than shared_background needs a "
            "positive weight");
  // Syntax errors give line and column.
  const std::string syntax = ErrorOf("{\n  \"model\": \"reverse\",\n  \"threads\": ,\n}");
  EXPECT_EQ(syntax.rfind("cfg.json:3:14: invalid JSON: ", 0), 0u) << syntax;
}

TEST(ConfigJsonTest, SamplesLoad) {
  auto traditional = LoadConfig(kSamples + "config-traditional.json");
  ASSERT_TRUE(traditional.ok()) << traditional.status().ToString();
  EXPECT_EQ(traditional->model, Model::kTraditional);
  EXPECT_EQ(traditional->min_seniority_gap, 2);
  EXPECT_EQ(traditional->blocked_pairs.size(), 1u);

  auto reverse = LoadConfig(kSamples + "config-reverse.json");
  ASSERT_TRUE(reverse.ok()) << reverse.status().ToString();
  EXPECT_EQ(reverse->model, Model::kReverse);
  EXPECT_EQ(reverse->objective, matching::Objective::kStable);
  EXPECT_EQ(reverse->department_rule, matching::DepartmentRule::kRequireCross);
  EXPECT_EQ(reverse->weight(Criterion::kCommunication), 1.5);

  auto remote = LoadConfig(kSamples + "config-virtual.json");
  ASSERT_TRUE(remote.ok()) << remote.status().ToString();
  EXPECT_EQ(remote->format, matching::Format::kVirtual);
  EXPECT_EQ(remote->max_time_zone_difference_hours, 5);
  EXPECT_EQ(remote->full_overlap_hours, 4);

  auto missing = LoadConfig(kSamples + "no-such-config.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tandem::io
