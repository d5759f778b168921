#include "matching/config.h"

#include <cctype>
#include <cmath>
#include <string>

#include "core/person.h"

namespace tandem::matching {

namespace {

// Lower case, '-' and ' ' read as '_'.
std::string Canonical(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (ch == '-' || ch == ' ') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    }
  }
  return out;
}

template <typename Enum, typename NameFn>
std::optional<Enum> ParseByName(std::string_view text, int count, NameFn name) {
  const std::string canonical = Canonical(text);
  for (int i = 0; i < count; ++i) {
    const Enum value = static_cast<Enum>(i);
    if (canonical == name(value)) return value;
  }
  return std::nullopt;
}

// Weights in Criterion order.
using Weights = std::array<double, kCriterionCount>;

}  // namespace

const char* ModelName(Model model) {
  switch (model) {
    case Model::kTraditional:
      return "traditional";
    case Model::kReverse:
      return "reverse";
    case Model::kSkillBased:
      return "skill_based";
    case Model::kVirtual:
      return "virtual";
  }
  return "unknown";
}

const char* CriterionName(Criterion criterion) {
  switch (criterion) {
    case Criterion::kSkills:
      return "skills";
    case Criterion::kGoals:
      return "goals";
    case Criterion::kInterests:
      return "interests";
    case Criterion::kPersonality:
      return "personality";
    case Criterion::kCommunication:
      return "communication";
    case Criterion::kLearning:
      return "learning";
    case Criterion::kSeniority:
      return "seniority";
    case Criterion::kTimeZone:
      return "time_zone";
    case Criterion::kAvailability:
      return "availability";
    case Criterion::kLocation:
      return "location";
    case Criterion::kLanguage:
      return "language";
    case Criterion::kDepartment:
      return "department";
    case Criterion::kMenteeChoice:
      return "mentee_choice";
    case Criterion::kSharedBackground:
      return "shared_background";
  }
  return "unknown";
}

const char* FormatName(Format format) {
  switch (format) {
    case Format::kVirtual:
      return "virtual";
    case Format::kInPerson:
      return "in_person";
    case Format::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

const char* DepartmentRuleName(DepartmentRule rule) {
  switch (rule) {
    case DepartmentRule::kAny:
      return "any";
    case DepartmentRule::kPreferCross:
      return "prefer_cross";
    case DepartmentRule::kPreferSame:
      return "prefer_same";
    case DepartmentRule::kRequireCross:
      return "require_cross";
    case DepartmentRule::kRequireSame:
      return "require_same";
  }
  return "unknown";
}

const char* StyleModeName(StyleMode mode) {
  switch (mode) {
    case StyleMode::kSimilar:
      return "similar";
    case StyleMode::kComplementary:
      return "complementary";
  }
  return "unknown";
}

const char* EitherRoleName(EitherRole role) {
  switch (role) {
    case EitherRole::kByCapacity:
      return "by_capacity";
    case EitherRole::kBothSides:
      return "both_sides";
  }
  return "unknown";
}

std::optional<Model> ParseModel(std::string_view text) {
  return ParseByName<Model>(text, kModelCount, ModelName);
}
std::optional<Criterion> ParseCriterion(std::string_view text) {
  return ParseByName<Criterion>(text, kCriterionCount, CriterionName);
}
std::optional<Format> ParseFormat(std::string_view text) {
  return ParseByName<Format>(text, 3, FormatName);
}
std::optional<DepartmentRule> ParseDepartmentRule(std::string_view text) {
  return ParseByName<DepartmentRule>(text, 5, DepartmentRuleName);
}
std::optional<StyleMode> ParseStyleMode(std::string_view text) {
  return ParseByName<StyleMode>(text, 2, StyleModeName);
}
std::optional<EitherRole> ParseEitherRole(std::string_view text) {
  return ParseByName<EitherRole>(text, 2, EitherRoleName);
}
std::optional<Objective> ParseObjective(std::string_view text) {
  return ParseByName<Objective>(text, 3, ObjectiveName);
}

MatchConfig DefaultConfig(Model model) {
  MatchConfig config;
  config.model = model;
  config.objective = Objective::kWelfare;
  // Columns: skills, goals, interests, personality, communication, learning, seniority, time_zone,
  // availability, location, language, department, mentee_choice, shared_background.
  switch (model) {
    case Model::kTraditional:
      config.weights = Weights{3, 2, 1, 1, 0.5, 0.5, 1.5, 0.5, 1, 0.5, 0.5, 0.5, 2, 1};
      config.format = Format::kHybrid;
      config.department_rule = DepartmentRule::kPreferCross;
      config.personality_mode = StyleMode::kSimilar;
      config.communication_mode = StyleMode::kSimilar;
      config.min_seniority_gap = 1;
      config.min_overlap_hours = 1;
      break;
    case Model::kReverse:
      config.weights = Weights{5, 1, 1, 0.5, 1, 1, 1, 0.5, 1, 0.5, 0.5, 1, 1.5, 1};
      config.format = Format::kHybrid;
      config.department_rule = DepartmentRule::kPreferCross;
      config.personality_mode = StyleMode::kComplementary;
      config.communication_mode = StyleMode::kComplementary;
      config.min_seniority_gap = 1;
      config.min_overlap_hours = 1;
      break;
    case Model::kSkillBased:
      config.weights = Weights{6, 1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 1, 0.5, 0.5, 0, 1.5, 1};
      config.format = Format::kHybrid;
      config.department_rule = DepartmentRule::kAny;
      config.personality_mode = StyleMode::kSimilar;
      config.communication_mode = StyleMode::kSimilar;
      config.min_seniority_gap = -kMaxSeniorityGap;  // the skill decides, not the level
      config.min_overlap_hours = 1;
      break;
    case Model::kVirtual:
      config.weights = Weights{3, 2, 1, 1, 1, 0.5, 1, 2, 3, 0, 1, 0.5, 2, 1};
      config.format = Format::kVirtual;
      config.department_rule = DepartmentRule::kPreferCross;
      config.personality_mode = StyleMode::kSimilar;
      config.communication_mode = StyleMode::kSimilar;
      config.min_seniority_gap = 1;
      config.max_time_zone_difference_hours = 6;
      config.min_overlap_hours = 2;
      break;
  }
  return config;
}

Status Validate(const MatchConfig& config) {
  const int model = static_cast<int>(config.model);
  if (model < 0 || model >= kModelCount) return Status::Invalid("model: unknown model");
  double total = 0;
  for (int c = 0; c < kCriterionCount; ++c) {
    const double w = config.weights[static_cast<size_t>(c)];
    if (!std::isfinite(w) || w < 0 || w > kMaxCriterionWeight) {
      return Status::Invalid(std::string("weights.") + CriterionName(static_cast<Criterion>(c)) +
                             ": must be a number in [0, 10]");
    }
    if (static_cast<Criterion>(c) != Criterion::kSharedBackground) total += w;
  }
  if (total <= 0) {
    return Status::Invalid(
        "weights: at least one criterion other than shared_background needs a positive weight");
  }
  if (config.min_seniority_gap < -kMaxSeniorityGap || config.min_seniority_gap > kMaxSeniorityGap) {
    return Status::Invalid("min_seniority_gap: must be an integer in [-9, 9]");
  }
  if (config.max_time_zone_difference_hours &&
      (*config.max_time_zone_difference_hours < 0 ||
       *config.max_time_zone_difference_hours > kMaxTimeZoneHours)) {
    return Status::Invalid("max_time_zone_difference_hours: must be null or an integer in [0, 24]");
  }
  if (config.min_overlap_hours < 0 || config.min_overlap_hours > kHoursPerWeek) {
    return Status::Invalid("min_overlap_hours: must be an integer in [0, 168]");
  }
  if (config.full_overlap_hours < 1 || config.full_overlap_hours > kHoursPerWeek) {
    return Status::Invalid("full_overlap_hours: must be an integer in [1, 168]");
  }
  if (config.explanation_reasons < 1 || config.explanation_reasons > kCriterionCount) {
    return Status::Invalid("explanation_reasons: must be an integer in [1, 14]");
  }
  if (config.threads < 0 || config.threads > 1024) {
    return Status::Invalid("threads: must be an integer in [0, 1024]");
  }
  for (size_t i = 0; i < config.blocked_pairs.size(); ++i) {
    const auto& [mentee, mentor] = config.blocked_pairs[i];
    const std::string where = "blocked_pairs[" + std::to_string(i) + "]";
    if (mentee.empty()) return Status::Invalid(where + ".mentee: must be a non-empty person id");
    if (mentor.empty()) return Status::Invalid(where + ".mentor: must be a non-empty person id");
  }
  return Status::Ok();
}

}  // namespace tandem::matching
