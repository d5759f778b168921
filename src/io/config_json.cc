#include "io/config_json.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "core/person.h"

namespace tandem::io {

namespace {

using matching::Criterion;
using matching::MatchConfig;
using nlohmann::json;

// Thrown inside this file only, caught in ParseConfigJson.
struct ConfigError {
  std::string message;  // "key.path: reason"
};

[[noreturn]] void Fail(const std::string& path, const std::string& reason) {
  throw ConfigError{path + ": " + reason};
}

template <typename Enum>
std::string Choices(int count, const char* (*name)(Enum)) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += (i + 1 == count) ? " or " : ", ";
    out += name(static_cast<Enum>(i));
  }
  return out;
}

template <typename Enum>
Enum ReadEnum(const json& value, const std::string& path, int count, const char* (*name)(Enum),
              std::optional<Enum> (*parse)(std::string_view)) {
  if (value.is_string()) {
    if (auto parsed = parse(value.get<std::string>())) return *parsed;
  }
  Fail(path, "must be one of " + Choices(count, name));
}

bool ReadBool(const json& value, const std::string& path) {
  if (!value.is_boolean()) Fail(path, "must be true or false");
  return value.get<bool>();
}

int ReadInt(const json& value, const std::string& path, int lo, int hi) {
  const std::string reason =
      "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(hi)) Fail(path, reason);
    if (static_cast<std::int64_t>(v) < lo) Fail(path, reason);
    return static_cast<int>(v);
  }
  if (!value.is_number_integer()) Fail(path, reason);
  const auto v = value.get<std::int64_t>();
  if (v < lo || v > hi) Fail(path, reason);
  return static_cast<int>(v);
}

double ReadWeight(const json& value, const std::string& path) {
  if (!value.is_number()) Fail(path, "must be a number in [0, 10]");
  const double v = value.get<double>();
  if (!(v >= 0 && v <= matching::kMaxCriterionWeight)) Fail(path, "must be a number in [0, 10]");
  return v;
}

std::string ReadId(const json& value, const std::string& path) {
  if (!value.is_string() || value.get<std::string>().empty()) {
    Fail(path, "must be a non-empty person id (string)");
  }
  return value.get<std::string>();
}

void ReadBlockedPairs(const json& value, MatchConfig& config) {
  if (!value.is_array()) Fail("blocked_pairs", "must be an array of {\"mentee\", \"mentor\"}");
  config.blocked_pairs.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    const json& item = value[i];
    const std::string path = "blocked_pairs[" + std::to_string(i) + "]";
    if (!item.is_object()) Fail(path, "must be an object {\"mentee\": id, \"mentor\": id}");
    for (const auto& [key, v] : item.items()) {
      if (key != "mentee" && key != "mentor") Fail(path + "." + key, "unknown key");
    }
    if (!item.contains("mentee")) Fail(path + ".mentee", "missing");
    if (!item.contains("mentor")) Fail(path + ".mentor", "missing");
    config.blocked_pairs.emplace_back(ReadId(item["mentee"], path + ".mentee"),
                                      ReadId(item["mentor"], path + ".mentor"));
  }
}

void ReadWeights(const json& value, MatchConfig& config) {
  if (!value.is_object()) Fail("weights", "must be an object of criterion: number");
  for (const auto& [key, v] : value.items()) {
    const std::string path = "weights." + key;
    std::optional<Criterion> criterion;
    for (int c = 0; c < matching::kCriterionCount; ++c) {
      if (key == matching::CriterionName(static_cast<Criterion>(c))) {
        criterion = static_cast<Criterion>(c);
      }
    }
    if (!criterion) {
      Fail(path, "unknown criterion (expected " +
                     Choices(matching::kCriterionCount, matching::CriterionName) + ")");
    }
    config.set_weight(*criterion, ReadWeight(v, path));
  }
}

MatchConfig FromJson(const json& root) {
  if (!root.is_object()) Fail("(top level)", "must be a JSON object");
  matching::Model model = matching::Model::kTraditional;
  if (root.contains("model")) {
    model = ReadEnum(root["model"], "model", matching::kModelCount, matching::ModelName,
                     matching::ParseModel);
  }
  MatchConfig config = matching::DefaultConfig(model);

  using Reader = std::function<void(const json&)>;
  const std::pair<const char*, Reader> readers[] = {
      {"model", [](const json&) {}},
      {"objective",
       [&](const json& v) {
         config.objective =
             ReadEnum(v, "objective", 3, matching::ObjectiveName, matching::ParseObjective);
       }},
      {"format",
       [&](const json& v) {
         config.format = ReadEnum(v, "format", 3, matching::FormatName, matching::ParseFormat);
       }},
      {"department_rule",
       [&](const json& v) {
         config.department_rule = ReadEnum(v, "department_rule", 5, matching::DepartmentRuleName,
                                           matching::ParseDepartmentRule);
       }},
      {"personality_mode",
       [&](const json& v) {
         config.personality_mode =
             ReadEnum(v, "personality_mode", 2, matching::StyleModeName, matching::ParseStyleMode);
       }},
      {"communication_mode",
       [&](const json& v) {
         config.communication_mode = ReadEnum(v, "communication_mode", 2, matching::StyleModeName,
                                              matching::ParseStyleMode);
       }},
      {"either_role",
       [&](const json& v) {
         config.either_role =
             ReadEnum(v, "either_role", 2, matching::EitherRoleName, matching::ParseEitherRole);
       }},
      {"exclude_reporting_line",
       [&](const json& v) {
         config.exclude_reporting_line = ReadBool(v, "exclude_reporting_line");
       }},
      {"require_shared_language",
       [&](const json& v) {
         config.require_shared_language = ReadBool(v, "require_shared_language");
       }},
      {"min_seniority_gap",
       [&](const json& v) {
         config.min_seniority_gap = ReadInt(v, "min_seniority_gap", -matching::kMaxSeniorityGap,
                                            matching::kMaxSeniorityGap);
       }},
      {"max_time_zone_difference_hours",
       [&](const json& v) {
         if (v.is_null()) {
           config.max_time_zone_difference_hours.reset();
           return;
         }
         const std::string path = "max_time_zone_difference_hours";
         if (!v.is_number_integer()) Fail(path, "must be null or an integer in [0, 24]");
         config.max_time_zone_difference_hours = ReadInt(v, path, 0, matching::kMaxTimeZoneHours);
       }},
      {"min_overlap_hours",
       [&](const json& v) {
         config.min_overlap_hours = ReadInt(v, "min_overlap_hours", 0, kHoursPerWeek);
       }},
      {"full_overlap_hours",
       [&](const json& v) {
         config.full_overlap_hours = ReadInt(v, "full_overlap_hours", 1, kHoursPerWeek);
       }},
      {"explanation_reasons",
       [&](const json& v) {
         config.explanation_reasons =
             ReadInt(v, "explanation_reasons", 1, matching::kCriterionCount);
       }},
      {"threads", [&](const json& v) { config.threads = ReadInt(v, "threads", 0, 1024); }},
      {"weights", [&](const json& v) { ReadWeights(v, config); }},
      {"blocked_pairs", [&](const json& v) { ReadBlockedPairs(v, config); }},
  };
  for (const auto& [key, value] : root.items()) {
    bool known = false;
    for (const auto& [name, read] : readers) {
      if (key == name) {
        read(value);
        known = true;
        break;
      }
    }
    if (!known) Fail(key, "unknown key");
  }
  return config;
}

// 1-based line and column of a byte offset.
std::pair<int, int> LineColumn(std::string_view text, size_t byte) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

Result<MatchConfig> ParseConfigJson(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  json root;
  try {
    root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true,
                       /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    const auto [line, column] = LineColumn(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2:
    // syntax error while parsing value - ..."; keep the part after the position.
    const size_t colon = what.find(": ", what.find("parse error"));
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return Status::Invalid(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                           ": invalid JSON: " + what);
  } catch (const std::exception& e) {
    return Status::Invalid(source + ": invalid JSON: " + e.what());
  }
  try {
    MatchConfig config = FromJson(root);
    if (Status s = matching::Validate(config); !s.ok()) {
      return Status::Invalid(source + ": " + s.message());
    }
    return config;
  } catch (const ConfigError& e) {
    return Status::Invalid(source + ": " + e.message);
  } catch (const std::exception& e) {
    return Status::Invalid(source + ": " + e.what());
  }
}

Result<MatchConfig> LoadConfig(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(path + ": no such configuration file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open the configuration file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::Io(path + ": read error");
  return ParseConfigJson(buffer.str(), path);
}

std::string ConfigToJson(const MatchConfig& config) {
  nlohmann::ordered_json out;
  out["model"] = matching::ModelName(config.model);
  out["objective"] = matching::ObjectiveName(config.objective);
  out["format"] = matching::FormatName(config.format);
  out["department_rule"] = matching::DepartmentRuleName(config.department_rule);
  out["personality_mode"] = matching::StyleModeName(config.personality_mode);
  out["communication_mode"] = matching::StyleModeName(config.communication_mode);
  out["either_role"] = matching::EitherRoleName(config.either_role);
  out["exclude_reporting_line"] = config.exclude_reporting_line;
  out["require_shared_language"] = config.require_shared_language;
  out["min_seniority_gap"] = config.min_seniority_gap;
  if (config.max_time_zone_difference_hours) {
    out["max_time_zone_difference_hours"] = *config.max_time_zone_difference_hours;
  } else {
    out["max_time_zone_difference_hours"] = nullptr;
  }
  out["min_overlap_hours"] = config.min_overlap_hours;
  out["full_overlap_hours"] = config.full_overlap_hours;
  out["explanation_reasons"] = config.explanation_reasons;
  out["threads"] = config.threads;
  nlohmann::ordered_json weights = nlohmann::ordered_json::object();
  for (int c = 0; c < matching::kCriterionCount; ++c) {
    const auto criterion = static_cast<Criterion>(c);
    weights[matching::CriterionName(criterion)] = config.weight(criterion);
  }
  out["weights"] = weights;
  nlohmann::ordered_json blocked = nlohmann::ordered_json::array();
  for (const auto& [mentee, mentor] : config.blocked_pairs) {
    nlohmann::ordered_json pair;
    pair["mentee"] = mentee;
    pair["mentor"] = mentor;
    blocked.push_back(pair);
  }
  out["blocked_pairs"] = blocked;
  return out.dump(2);
}

}  // namespace tandem::io
