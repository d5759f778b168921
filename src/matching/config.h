#pragma once
// The matching configuration: which mentoring model a program runs, the weight of every scoring
// criterion, and the hard rules. Plain data plus defaults per model and a validator; reading and
// writing it as JSON lives in io/config_json.h. docs/matching.md documents every field.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "matching/solution.h"

namespace tandem::matching {

// Mentoring models. New models are appended (kModelCount grows); code that switches on Model
// handles every value.
enum class Model {
  kTraditional,  // a more senior mentor guides a junior mentee
  kReverse,      // a junior mentor teaches a senior mentee a skill the mentor holds
  kSkillBased,   // pairs are made for a skill; seniority hardly matters
  kVirtual,      // remote pairs: time zones and availability overlap weigh most
};
inline constexpr int kModelCount = 4;

// Scoring criteria; each yields a factor in [0, 1] (scoring.h). Index = static_cast<int>.
enum class Criterion {
  kSkills,
  kGoals,
  kInterests,
  kPersonality,
  kCommunication,
  kLearning,
  kSeniority,
  kTimeZone,
  kAvailability,
  kLocation,
  kLanguage,
  kDepartment,
  kMenteeChoice,
  kSharedBackground,
};
inline constexpr int kCriterionCount = 14;

enum class Format { kVirtual, kInPerson, kHybrid };
enum class DepartmentRule { kAny, kPreferCross, kPreferSame, kRequireCross, kRequireSame };
enum class StyleMode { kSimilar, kComplementary };  // personality and communication style

// Where a person with ProgramRole::kEither is placed (scoring.h).
enum class EitherRole {
  kByCapacity,  // mentor side when mentor_capacity > 0, mentee side otherwise
  kBothSides,   // mentee side always, and mentor side too when mentor_capacity > 0
};

// Names are the identifiers used in configuration files and on the command line ("skill_based",
// "time_zone", "in_person", "prefer_cross"). Parse* also accept '-' for '_' and any letter case.
const char* ModelName(Model model);
const char* CriterionName(Criterion criterion);
const char* FormatName(Format format);
const char* DepartmentRuleName(DepartmentRule rule);
const char* StyleModeName(StyleMode mode);
const char* EitherRoleName(EitherRole role);
std::optional<Model> ParseModel(std::string_view text);
std::optional<Criterion> ParseCriterion(std::string_view text);
std::optional<Format> ParseFormat(std::string_view text);
std::optional<DepartmentRule> ParseDepartmentRule(std::string_view text);
std::optional<StyleMode> ParseStyleMode(std::string_view text);
std::optional<EitherRole> ParseEitherRole(std::string_view text);
std::optional<Objective> ParseObjective(std::string_view text);

// Ranges Validate() enforces (configuration files are checked against the same numbers).
inline constexpr double kMaxCriterionWeight = 10.0;
inline constexpr int kMaxSeniorityGap = 9;  // seniority levels are 1..10
inline constexpr int kMaxTimeZoneHours = 24;

struct MatchConfig {
  Model model = Model::kTraditional;
  Objective objective = Objective::kWelfare;
  // Weight of each criterion, indexed by Criterion; each in [0, kMaxCriterionWeight].
  std::array<double, kCriterionCount> weights{};
  Format format = Format::kHybrid;
  DepartmentRule department_rule = DepartmentRule::kPreferCross;
  StyleMode personality_mode = StyleMode::kSimilar;
  StyleMode communication_mode = StyleMode::kSimilar;
  EitherRole either_role = EitherRole::kByCapacity;

  // Hard rules.
  bool exclude_reporting_line = true;   // mentor and mentee in one reporting line, any depth
  bool require_shared_language = true;  // both list a language and none is shared
  // Levels the mentor must be ahead in the model's direction (senior for traditional, skill-based
  // and virtual; junior for reverse). -kMaxSeniorityGap disables the rule.
  int min_seniority_gap = 1;
  std::optional<int> max_time_zone_difference_hours;  // unset: no limit
  int min_overlap_hours = 0;  // weekly hours both are available (when both gave availability)
  std::vector<std::pair<std::string, std::string>> blocked_pairs;  // (mentee id, mentor id)

  // Scoring details.
  int full_overlap_hours = 3;  // weekly overlap that scores availability 1.0
  // Explanations and execution.
  int explanation_reasons = 3;  // reasons Explain() lists, best first
  int threads = 0;              // scoring threads; 0 = all hardware threads

  double weight(Criterion c) const { return weights[static_cast<size_t>(c)]; }
  void set_weight(Criterion c, double w) { weights[static_cast<size_t>(c)] = w; }
};

// The documented defaults of a model (docs/matching.md has the table).
MatchConfig DefaultConfig(Model model);

// OK or kInvalidArgument naming the field by its configuration-file key path and the reason,
// e.g. "weights.skills: must be a number in [0, 10]".
Status Validate(const MatchConfig& config);

}  // namespace tandem::matching
