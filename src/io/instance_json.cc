#include "io/instance_json.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "matching/config.h"

namespace tandem::io {

using matching::Edge;
using matching::Instance;
using matching::Weight;
using nlohmann::json;

namespace {

Status Bad(std::string_view source, const std::string& field, const std::string& reason) {
  return Status::Invalid(std::string(source) + ": " + field + ": " + reason);
}

// Parses one matrix cell or edge value into a weight; false with a reason if invalid.
bool CellWeight(const json& cell, bool integer_weights, Weight* out, std::string* reason) {
  if (integer_weights) {
    if (!cell.is_number_integer()) {
      *reason = "must be an integer weight or null";
      return false;
    }
    const auto v = cell.get<std::int64_t>();
    if (v < 0 || v > matching::kMaxWeight) {
      *reason = "must be in [0, " + std::to_string(matching::kMaxWeight) + "]";
      return false;
    }
    *out = v;
    return true;
  }
  if (!cell.is_number()) {
    *reason = "must be a score in [0, 1] or null";
    return false;
  }
  const double v = cell.get<double>();
  if (!std::isfinite(v) || v < 0.0 || v > 1.0) {
    *reason = "score must be in [0, 1]";
    return false;
  }
  *out = matching::ScoreToWeight(v);
  return true;
}

Status ParseRanking(const json& doc, const char* key, std::vector<std::vector<std::int32_t>>* out,
                    std::string_view source) {
  if (!doc.contains(key)) return Status::Ok();
  const json& r = doc.at(key);
  if (!r.is_array()) return Bad(source, key, "must be an array of arrays of indices");
  for (size_t a = 0; a < r.size(); ++a) {
    if (!r[a].is_array())
      return Bad(source, std::string(key) + "[" + std::to_string(a) + "]",
                 "must be an array of indices");
    std::vector<std::int32_t> list;
    for (size_t b = 0; b < r[a].size(); ++b) {
      if (!r[a][b].is_number_integer()) {
        return Bad(source,
                   std::string(key) + "[" + std::to_string(a) + "][" + std::to_string(b) + "]",
                   "must be an index");
      }
      list.push_back(r[a][b].get<std::int32_t>());
    }
    out->push_back(std::move(list));
  }
  return Status::Ok();
}

}  // namespace

Result<ExplicitInstance> ParseInstanceJson(std::string_view text, std::string_view source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::Invalid(std::string(source) + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) return Bad(source, "(top level)", "must be an object");
  static const char* kKnown[] = {"objective",      "mentees",        "mentors",
                                 "scores",         "weights",        "edges",
                                 "mentee_ranking", "mentor_ranking", "comment"};
  for (const auto& [key, value] : doc.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return Bad(source, key, "unknown field");
    }
  }
  ExplicitInstance result;
  Instance& inst = result.instance;
  if (doc.contains("objective")) {
    if (!doc["objective"].is_string())
      return Bad(source, "objective", "must be welfare, stable or fair");
    result.objective = matching::ParseObjective(doc["objective"].get<std::string>());
    if (!result.objective) return Bad(source, "objective", "must be welfare, stable or fair");
  }
  if (!doc.contains("mentees")) return Bad(source, "mentees", "missing");
  const json& mentees = doc["mentees"];
  if (mentees.is_number_integer() && mentees.get<std::int64_t>() >= 0) {
    inst.num_mentees = mentees.get<std::int32_t>();
  } else if (mentees.is_array()) {
    inst.num_mentees = static_cast<std::int32_t>(mentees.size());
    for (size_t i = 0; i < mentees.size(); ++i) {
      if (!mentees[i].is_string())
        return Bad(source, "mentees[" + std::to_string(i) + "]", "must be a name");
      inst.mentee_labels.push_back(mentees[i].get<std::string>());
    }
  } else {
    return Bad(source, "mentees", "must be a count or an array of names");
  }
  if (!doc.contains("mentors") || !doc["mentors"].is_array()) {
    return Bad(source, "mentors", "must be an array of capacities or of {id, capacity}");
  }
  const json& mentors = doc["mentors"];
  bool labelled = false;
  for (size_t j = 0; j < mentors.size(); ++j) {
    const std::string field = "mentors[" + std::to_string(j) + "]";
    const json* cap = &mentors[j];
    if (mentors[j].is_object()) {
      if (!mentors[j].contains("capacity")) return Bad(source, field + ".capacity", "missing");
      cap = &mentors[j]["capacity"];
      if (mentors[j].contains("id")) {
        if (!mentors[j]["id"].is_string()) return Bad(source, field + ".id", "must be a string");
        labelled = true;
      }
    }
    if (!cap->is_number_integer() || cap->get<std::int64_t>() < 0 ||
        cap->get<std::int64_t>() > 1'000'000) {
      return Bad(source, field, "capacity must be an integer in [0, 1000000]");
    }
    inst.capacity.push_back(cap->get<std::int32_t>());
  }
  if (labelled) {
    for (size_t j = 0; j < mentors.size(); ++j) {
      inst.mentor_labels.push_back(mentors[j].is_object() && mentors[j].contains("id")
                                       ? mentors[j]["id"].get<std::string>()
                                       : std::to_string(j));
    }
  }
  const int given = static_cast<int>(doc.contains("scores")) +
                    static_cast<int>(doc.contains("weights")) +
                    static_cast<int>(doc.contains("edges"));
  if (given != 1) return Bad(source, "scores/weights/edges", "give exactly one of them");
  std::string reason;
  if (doc.contains("edges")) {
    const json& edges = doc["edges"];
    if (!edges.is_array())
      return Bad(source, "edges", "must be an array of [mentee, mentor, score]");
    for (size_t e = 0; e < edges.size(); ++e) {
      const std::string field = "edges[" + std::to_string(e) + "]";
      const json& t = edges[e];
      if (!t.is_array() || t.size() != 3 || !t[0].is_number_integer() ||
          !t[1].is_number_integer()) {
        return Bad(source, field, "must be [mentee index, mentor index, score]");
      }
      Edge edge{t[0].get<std::int32_t>(), t[1].get<std::int32_t>(), 0};
      if (!CellWeight(t[2], false, &edge.weight, &reason))
        return Bad(source, field + "[2]", reason);
      inst.edges.push_back(edge);
    }
  } else {
    const bool integer = doc.contains("weights");
    result.integer_weights = integer;
    const char* key = integer ? "weights" : "scores";
    const json& rows = doc[key];
    if (!rows.is_array() || static_cast<std::int32_t>(rows.size()) != inst.num_mentees) {
      return Bad(source, key,
                 "must have one row per mentee (" + std::to_string(inst.num_mentees) + ")");
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].is_array() || rows[i].size() != inst.capacity.size()) {
        return Bad(source, std::string(key) + "[" + std::to_string(i) + "]",
                   "must have one entry per mentor (" + std::to_string(inst.capacity.size()) + ")");
      }
      for (size_t j = 0; j < rows[i].size(); ++j) {
        if (rows[i][j].is_null()) continue;
        Edge edge{static_cast<std::int32_t>(i), static_cast<std::int32_t>(j), 0};
        if (!CellWeight(rows[i][j], integer, &edge.weight, &reason)) {
          return Bad(source,
                     std::string(key) + "[" + std::to_string(i) + "][" + std::to_string(j) + "]",
                     reason);
        }
        inst.edges.push_back(edge);
      }
    }
  }
  if (Status s = ParseRanking(doc, "mentee_ranking", &inst.mentee_ranking, source); !s.ok())
    return s;
  if (Status s = ParseRanking(doc, "mentor_ranking", &inst.mentor_ranking, source); !s.ok())
    return s;
  if (Status s = matching::Validate(inst); !s.ok())
    return Status::Invalid(std::string(source) + ": " + s.message());
  return result;
}

Result<ExplicitInstance> LoadInstance(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseInstanceJson(buffer.str(), path);
}

std::string SolutionToJson(const Instance& instance, const matching::Solution& solution,
                           bool integer_weights, const Status& certificate) {
  auto value = [&](Weight w) -> json {
    if (integer_weights) return w;
    return matching::WeightToScore(w);
  };
  json out;
  out["status"] = matching::SolveStatusName(solution.status);
  out["objective"] = matching::ObjectiveName(solution.objective);
  if (!solution.message.empty()) out["message"] = solution.message;
  if (solution.status != matching::SolveStatus::kOptimal) return out.dump(2);
  out["mentees"] = instance.num_mentees;
  out["matched"] = solution.matched;
  out[integer_weights ? "total_weight" : "total_score"] = value(solution.total_weight);
  out[integer_weights ? "min_weight" : "min_score"] = value(solution.min_weight);
  json pairs = json::array();
  std::vector<Weight> w(static_cast<size_t>(instance.num_mentees), 0);
  for (const Edge& e : instance.edges) {
    if (solution.mentor_of[static_cast<size_t>(e.mentee)] == e.mentor)
      w[static_cast<size_t>(e.mentee)] = e.weight;
  }
  for (std::int32_t i = 0; i < instance.num_mentees; ++i) {
    const std::int32_t j = solution.mentor_of[static_cast<size_t>(i)];
    if (j < 0) continue;
    json p;
    p["mentee"] = i;
    p["mentor"] = j;
    if (!instance.mentee_labels.empty())
      p["mentee_id"] = instance.mentee_labels[static_cast<size_t>(i)];
    if (!instance.mentor_labels.empty())
      p["mentor_id"] = instance.mentor_labels[static_cast<size_t>(j)];
    p[integer_weights ? "weight" : "score"] = value(w[static_cast<size_t>(i)]);
    pairs.push_back(std::move(p));
  }
  out["pairs"] = std::move(pairs);
  out["mentor_of"] = solution.mentor_of;
  json cert;
  cert["checked"] = certificate.ok();
  if (!certificate.ok()) cert["error"] = certificate.message();
  switch (solution.objective) {
    case matching::Objective::kWelfare:
    case matching::Objective::kFair:
      cert["kind"] = "dual prices";
      cert["bonus_per_match"] = solution.bonus;
      cert["mentee_price"] = solution.mentee_price;
      cert["mentor_price"] = solution.mentor_price;
      if (solution.objective == matching::Objective::kFair) {
        cert["threshold"] = value(solution.fair_threshold);
        cert["matched_above_threshold"] = solution.matched_above_threshold;
      }
      break;
    case matching::Objective::kStable:
      cert["kind"] = "no blocking pair";
      break;
  }
  out["certificate"] = std::move(cert);
  json blocking = json::array();
  for (const auto& [i, j] : solution.blocking_pairs) blocking.push_back({i, j});
  out["blocking_pairs"] = std::move(blocking);
  return out.dump(2);
}

}  // namespace tandem::io
