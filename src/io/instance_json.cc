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

// `key` is a count or an array of names (labels for the output).
Status ParseCountOrNames(const json& doc, const char* key, std::int32_t* count,
                         std::vector<std::string>* names, std::string_view source) {
  if (!doc.contains(key)) return Bad(source, key, "missing (a count or an array of names)");
  const json& v = doc[key];
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= 100'000'000) {
    *count = v.get<std::int32_t>();
    return Status::Ok();
  }
  if (!v.is_array()) return Bad(source, key, "must be a count or an array of names");
  *count = static_cast<std::int32_t>(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      return Bad(source, std::string(key) + "[" + std::to_string(i) + "]", "must be a name");
    names->push_back(v[i].get<std::string>());
  }
  return Status::Ok();
}

Status ParseInt(const json& doc, const char* key, std::int64_t lo, std::int64_t hi,
                std::int32_t fallback, std::int32_t* out, std::string_view source) {
  if (!doc.contains(key)) {
    *out = fallback;
    return Status::Ok();
  }
  const json& v = doc[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
    return Bad(source, key,
               "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  *out = v.get<std::int32_t>();
  return Status::Ok();
}

// Per-person tag lists (interned ids) and department / site ids for groups and circles.
Status ParseGroupTraits(const json& doc, const char* tags_key, const char* dept_key,
                        const char* site_key, std::int32_t count,
                        std::vector<std::vector<std::int32_t>>* tags,
                        std::vector<std::int32_t>* department, std::vector<std::int32_t>* site,
                        std::string_view source) {
  if (doc.contains(tags_key)) {
    const json& t = doc[tags_key];
    if (!t.is_array() || static_cast<std::int32_t>(t.size()) != count) {
      return Bad(source, tags_key, "must have one list of tag ids per person");
    }
    for (size_t i = 0; i < t.size(); ++i) {
      std::vector<std::int32_t> list;
      if (!t[i].is_array())
        return Bad(source, std::string(tags_key) + "[" + std::to_string(i) + "]",
                   "must be a list of ids");
      for (const json& id : t[i]) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0) {
          return Bad(source, std::string(tags_key) + "[" + std::to_string(i) + "]",
                     "ids must be integers >= 0");
        }
        list.push_back(id.get<std::int32_t>());
      }
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      tags->push_back(std::move(list));
    }
  } else {
    tags->assign(static_cast<size_t>(count), {});
  }
  for (auto [key, out] : {std::pair<const char*, std::vector<std::int32_t>*>{dept_key, department},
                          {site_key, site}}) {
    if (!doc.contains(key)) {
      out->assign(static_cast<size_t>(count), -1);
      continue;
    }
    const json& v = doc[key];
    if (!v.is_array() || static_cast<std::int32_t>(v.size()) != count) {
      return Bad(source, key, "must have one id (or -1) per person");
    }
    for (const json& id : v) {
      if (!id.is_number_integer() || id.get<std::int64_t>() < -1)
        return Bad(source, key, "ids must be integers >= -1");
      out->push_back(id.get<std::int32_t>());
    }
  }
  return Status::Ok();
}

Status ParseGroupWeights(const json& doc, matching::GroupWeights* w, std::string_view source) {
  for (auto [key, out] : {std::pair<const char*, double*>{"cohesion", &w->cohesion},
                          {"balance", &w->balance},
                          {"diversity", &w->diversity}}) {
    if (!doc.contains(key)) continue;
    if (!doc[key].is_number() || doc[key].get<double>() < 0 || doc[key].get<double>() > 1000) {
      return Bad(source, key, "must be a number in [0, 1000]");
    }
    *out = doc[key].get<double>();
  }
  return Status::Ok();
}

Status ParseCircle(const json& doc, std::string_view source, ExplicitInstance* result) {
  matching::CircleProblem& c = result->circle;
  if (!doc.contains("people") || !doc["people"].is_number_integer() ||
      doc["people"].get<std::int64_t>() < 0 || doc["people"].get<std::int64_t>() > 10'000'000) {
    return Bad(source, "people", "must be a count");
  }
  c.num_people = doc["people"].get<std::int32_t>();
  if (Status s = ParseInt(doc, "circle_size", 1, 1000, 4, &c.circle_size, source); !s.ok())
    return s;
  if (Status s = ParseGroupTraits(doc, "tags", "department", "site", c.num_people, &c.tags,
                                  &c.department, &c.site, source);
      !s.ok()) {
    return s;
  }
  return ParseGroupWeights(doc, &c.weights, source);
}

Status ParsePeer(const json& doc, std::string_view source, ExplicitInstance* result) {
  matching::PeerInstance& peer = result->peer;
  if (Status s = ParseCountOrNames(doc, "people", &peer.num_people, &peer.labels, source);
      !s.ok()) {
    return s;
  }
  const int given = static_cast<int>(doc.contains("scores")) +
                    static_cast<int>(doc.contains("weights")) +
                    static_cast<int>(doc.contains("edges"));
  if (given != 1) return Bad(source, "scores/weights/edges", "give exactly one of them");
  std::string reason;
  if (doc.contains("edges")) {
    const json& edges = doc["edges"];
    if (!edges.is_array()) return Bad(source, "edges", "must be an array of [a, b, score]");
    for (size_t e = 0; e < edges.size(); ++e) {
      const json& t = edges[e];
      const std::string field = "edges[" + std::to_string(e) + "]";
      if (!t.is_array() || t.size() != 3 || !t[0].is_number_integer() ||
          !t[1].is_number_integer()) {
        return Bad(source, field, "must be [person, person, score]");
      }
      matching::PeerEdge edge{t[0].get<std::int32_t>(), t[1].get<std::int32_t>(), 0};
      if (!CellWeight(t[2], false, &edge.weight, &reason))
        return Bad(source, field + "[2]", reason);
      peer.edges.push_back(edge);
    }
  } else {
    const bool integer = doc.contains("weights");
    result->integer_weights = integer;
    const char* key = integer ? "weights" : "scores";
    const json& rows = doc[key];
    const auto n = static_cast<size_t>(peer.num_people);
    if (!rows.is_array() || rows.size() != n) {
      return Bad(source, key, "must be a square matrix, one row per person");
    }
    for (size_t a = 0; a < n; ++a) {
      if (!rows[a].is_array() || rows[a].size() != n) {
        return Bad(source, std::string(key) + "[" + std::to_string(a) + "]",
                   "must have one entry per person");
      }
      for (size_t b = a + 1; b < n; ++b) {
        if (rows[a][b].is_null()) continue;
        matching::PeerEdge edge{static_cast<std::int32_t>(a), static_cast<std::int32_t>(b), 0};
        if (!CellWeight(rows[a][b], integer, &edge.weight, &reason)) {
          return Bad(source,
                     std::string(key) + "[" + std::to_string(a) + "][" + std::to_string(b) + "]",
                     reason);
        }
        peer.edges.push_back(edge);
      }
    }
  }
  if (Status s = ParseRanking(doc, "ranking", &peer.ranking, source); !s.ok()) return s;
  if (Status s = matching::Validate(peer); !s.ok())
    return Status::Invalid(std::string(source) + ": " + s.message());
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
  static const char* kKnown[] = {
      "objective",      "mentees",        "mentors", "scores",    "weights",    "edges",
      "mentee_ranking", "mentor_ranking", "comment", "model",     "slots",      "rounds",
      "history",        "people",         "ranking", "min_size",  "tags",       "department",
      "site",           "cohesion",       "balance", "diversity", "circle_size"};
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
  if (doc.contains("model")) {
    const std::string model = doc["model"].is_string() ? doc["model"].get<std::string>() : "";
    if (model == "assignment") {
      result.model = InstanceModel::kAssignment;
    } else if (model == "speed") {
      result.model = InstanceModel::kSpeed;
    } else if (model == "rotation") {
      result.model = InstanceModel::kRotation;
    } else if (model == "peer") {
      result.model = InstanceModel::kPeer;
    } else if (model == "group") {
      result.model = InstanceModel::kGroup;
    } else if (model == "circle") {
      result.model = InstanceModel::kCircle;
    } else {
      return Bad(source, "model", "must be assignment, speed, rotation, peer, group or circle");
    }
  }
  if (result.model == InstanceModel::kCircle) {
    if (Status s = ParseCircle(doc, source, &result); !s.ok()) return s;
    return result;
  }
  if (result.model == InstanceModel::kPeer) {
    if (Status s = ParsePeer(doc, source, &result); !s.ok()) return s;
    return result;
  }
  if (result.model == InstanceModel::kSpeed) {
    if (!doc.contains("slots") || !doc["slots"].is_number_integer() ||
        doc["slots"].get<std::int64_t>() < 1 || doc["slots"].get<std::int64_t>() > 1000) {
      return Bad(source, "slots", "must be an integer in [1, 1000]");
    }
    result.slots = doc["slots"].get<std::int32_t>();
  }
  if (result.model == InstanceModel::kRotation) {
    if (!doc.contains("rounds") || !doc["rounds"].is_number_integer() ||
        doc["rounds"].get<std::int64_t>() < 1 || doc["rounds"].get<std::int64_t>() > 1000) {
      return Bad(source, "rounds", "must be an integer in [1, 1000]");
    }
    result.rounds = doc["rounds"].get<std::int32_t>();
    if (doc.contains("history")) {
      const json& h = doc["history"];
      if (!h.is_array()) return Bad(source, "history", "must be an array of [mentee, mentor]");
      for (size_t k = 0; k < h.size(); ++k) {
        if (!h[k].is_array() || h[k].size() != 2 || !h[k][0].is_number_integer() ||
            !h[k][1].is_number_integer()) {
          return Bad(source, "history[" + std::to_string(k) + "]", "must be [mentee, mentor]");
        }
        result.history.emplace_back(h[k][0].get<std::int32_t>(), h[k][1].get<std::int32_t>());
      }
    }
  }
  if (Status s = ParseCountOrNames(doc, "mentees", &inst.num_mentees, &inst.mentee_labels, source);
      !s.ok()) {
    return s;
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
  if (result.model == InstanceModel::kGroup) {
    matching::GroupProblem& g = result.group;
    if (Status s = ParseInt(doc, "min_size", 1, 1'000'000, 1, &g.min_size, source); !s.ok())
      return s;
    if (Status s = ParseGroupTraits(doc, "tags", "department", "site", inst.num_mentees,
                                    &g.mentee_tags, &g.mentee_department, &g.mentee_site, source);
        !s.ok()) {
      return s;
    }
    if (Status s = ParseGroupWeights(doc, &g.weights, source); !s.ok()) return s;
  }
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

namespace {

// The fields every model's answer starts with; false when the run was not solved (then `out` is
// complete: status and message).
bool Header(const char* model, matching::SolveStatus status, const std::string& message,
            json* out) {
  *out = {{"status", matching::SolveStatusName(status)}, {"model", model}};
  if (status == matching::SolveStatus::kOptimal) return true;
  (*out)["message"] = message;
  return false;
}

json CertificateJson(const Status& certificate, const char* kind) {
  json cert = {{"checked", certificate.ok()}, {"kind", kind}};
  if (!certificate.ok()) cert["error"] = certificate.message();
  return cert;
}

}  // namespace

std::string SpeedToJson(const ExplicitInstance& input, const matching::SpeedResult& result,
                        const Status& certificate) {
  json out;
  if (!Header("speed", result.status, result.message, &out)) return out.dump(2);
  auto value = [&](Weight w) -> json {
    if (input.integer_weights) return w;
    return matching::WeightToScore(w);
  };
  out["slots"] = input.slots;
  out["meetings"] = result.num_meetings;
  out[input.integer_weights ? "total_weight" : "total_score"] = value(result.total_weight);
  json meetings = json::array();
  for (const auto& m : result.meetings) {
    meetings.push_back({{"mentee", m.mentee},
                        {"mentor", m.mentor},
                        {"slot", m.slot},
                        {input.integer_weights ? "weight" : "score", value(m.weight)}});
  }
  out["schedule"] = std::move(meetings);
  out["certificate"] = CertificateJson(certificate, "dual prices; no double booking");
  return out.dump(2);
}

std::string RotationToJson(const ExplicitInstance& input, const matching::RotationResult& result,
                           const Status& certificate) {
  json out;
  if (!Header("rotation", result.status, result.message, &out)) return out.dump(2);
  json rounds = json::array();
  for (const auto& round : result.rounds) {
    json r = {{"matched", round.solution.matched}, {"mentor_of", round.solution.mentor_of}};
    r[input.integer_weights ? "total_weight" : "total_score"] =
        input.integer_weights ? json(round.solution.total_weight)
                              : json(matching::WeightToScore(round.solution.total_weight));
    r["unmatched_reason"] = round.unmatched_reason;
    rounds.push_back(std::move(r));
  }
  out["rounds"] = std::move(rounds);
  out["certificate"] = CertificateJson(certificate, "each round optimal; no pair repeated");
  return out.dump(2);
}

namespace {

json ObjectiveJson(const matching::GroupObjective& o) {
  return {{"value", o.score()},
          {"pair_weight", o.pair_weight},
          {"cohesion", o.cohesion},
          {"imbalance", o.imbalance},
          {"diversity", o.diversity}};
}

}  // namespace

std::string GroupsToJson(const ExplicitInstance& input, const matching::GroupResult& result,
                         const Status& certificate) {
  json out;
  if (!Header("group", result.status, result.message, &out)) return out.dump(2);
  out["min_size"] = input.group.min_size;
  out["placed"] = result.placed;
  out["mentor_of"] = result.mentor_of;
  out["members"] = result.members;
  out["objective_before"] = ObjectiveJson(result.before);
  out["objective_after"] = ObjectiveJson(result.after);
  out["merged_groups"] = result.merged_groups;
  out["small_groups"] = result.small_groups;
  out["moves"] = result.moves;
  out["swaps"] = result.swaps;
  out["certificate"] = CertificateJson(certificate, "sizes, capacities and objective recomputed");
  return out.dump(2);
}

std::string CirclesToJson(const ExplicitInstance& input, const matching::CircleResult& result,
                          const Status& certificate) {
  json out;
  if (!Header("circle", result.status, result.message, &out)) return out.dump(2);
  out["circle_size"] = input.circle.circle_size;
  out["circle_of"] = result.circle_of;
  out["circles"] = result.circles;
  out["objective_before"] = ObjectiveJson(result.before);
  out["objective_after"] = ObjectiveJson(result.after);
  out["certificate"] =
      CertificateJson(certificate, "everyone once, sizes and objective recomputed");
  return out.dump(2);
}

std::string PeerToJson(const ExplicitInstance& input, const matching::PeerSolution& solution,
                       const Status& certificate) {
  json out;
  if (!Header("peer", solution.status, solution.message, &out)) return out.dump(2);
  out["method"] = matching::PeerMethodName(solution.method);
  out["pairs"] = solution.matched_pairs;
  out[input.integer_weights ? "total_weight" : "total_score"] =
      input.integer_weights ? json(solution.total_weight)
                            : json(matching::WeightToScore(solution.total_weight));
  out["partner"] = solution.partner;
  out["stable_exists"] = solution.stable_exists;
  json blocking = json::array();
  for (const auto& [a, b] : solution.blocking_pairs) blocking.push_back({a, b});
  out["blocking_pairs"] = std::move(blocking);
  json trios = json::array();
  for (const auto& t : solution.trios) trios.push_back({t.a, t.b, t.third});
  out["trios"] = std::move(trios);
  out["notes"] = solution.notes;
  out["certificate"] = CertificateJson(
      certificate, solution.method == matching::PeerMethod::kStableRoommates ? "no blocking pair"
                                                                             : "blossom dual");
  return out.dump(2);
}

}  // namespace tandem::io
