#include "io/match_output.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace tandem::io {

using nlohmann::json;

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {

std::string Score(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", s);
  return buf;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += "; ";
    out += item;
  }
  return out;
}

}  // namespace

std::string PairsToCsv(const program::MatchReport& report, const std::vector<Person>& people) {
  std::string out = "mentee_id,mentee_name,mentor_id,mentor_name,score,skills,explanation\r\n";
  for (const program::ProposedPair& p : report.pairs) {
    const Person& a = people[static_cast<size_t>(p.mentee)];
    const Person& b = people[static_cast<size_t>(p.mentor)];
    out += CsvField(a.id) + ',' + CsvField(a.name) + ',' + CsvField(b.id) + ',' + CsvField(b.name) +
           ',' + Score(p.score) + ',' + CsvField(Join(p.skills_for)) + ',' +
           CsvField(p.explanation) + "\r\n";
  }
  return out;
}

std::string UnmatchedToCsv(const program::MatchReport& report, const std::vector<Person>& people) {
  std::string out = "mentee_id,mentee_name,reason\r\n";
  for (const program::UnmatchedMentee& u : report.unmatched) {
    const Person& a = people[static_cast<size_t>(u.mentee)];
    out += CsvField(a.id) + ',' + CsvField(a.name) + ',' + CsvField(u.reason) + "\r\n";
  }
  return out;
}

std::string MatchReportToJson(const program::MatchReport& report, const std::vector<Person>& people,
                              const analytics::FairnessAudit* audit) {
  json pairs = json::array();
  for (const program::ProposedPair& p : report.pairs) {
    json factors = json::object();
    for (int c = 0; c < matching::kCriterionCount; ++c) {
      factors[matching::CriterionName(static_cast<matching::Criterion>(c))] =
          p.factor[static_cast<size_t>(c)];
    }
    pairs.push_back({{"mentee_id", people[static_cast<size_t>(p.mentee)].id},
                     {"mentee_name", people[static_cast<size_t>(p.mentee)].name},
                     {"mentor_id", people[static_cast<size_t>(p.mentor)].id},
                     {"mentor_name", people[static_cast<size_t>(p.mentor)].name},
                     {"score", p.score},
                     {"skills", p.skills_for},
                     {"explanation", p.explanation},
                     {"factors", std::move(factors)}});
  }
  json unmatched = json::array();
  for (const program::UnmatchedMentee& u : report.unmatched) {
    unmatched.push_back({{"mentee_id", people[static_cast<size_t>(u.mentee)].id},
                         {"mentee_name", people[static_cast<size_t>(u.mentee)].name},
                         {"reason", u.reason}});
  }
  const program::MatchSummary& s = report.summary;
  json summary = {
      {"objective", matching::ObjectiveName(report.objective)},
      {"mentees", s.mentees},
      {"mentors", s.mentors},
      {"places", s.places},
      {"eligible_pairs", s.eligible_pairs},
      {"matched", s.matched},
      {"matched_share", s.mentees > 0 ? static_cast<double>(s.matched) / s.mentees : 0.0},
      {"mean_score", s.mean_score},
      {"lowest_score", s.lowest_score},
      {"total_score", s.total_score},
      {"unmatched_by_reason", s.unmatched_by_reason},
      {"certificate", {{"checked", s.certified}, {"what", s.certificate}}},
      {"seconds", {{"scoring", s.scoring_seconds}, {"solving", s.solving_seconds}}}};
  json out = {{"summary", std::move(summary)},
              {"pairs", std::move(pairs)},
              {"unmatched", std::move(unmatched)}};
  if (audit != nullptr) {
    json groups = json::array();
    for (const analytics::GroupStats& g : audit->groups) {
      json row = {{"dimension", g.dimension}, {"group", g.group}, {"suppressed", g.suppressed}};
      if (!g.suppressed) {
        row["mentees"] = g.mentees;
        row["matched"] = g.matched;
        row["match_rate"] = g.match_rate;
        row["mean_score"] = g.mean_score;
        row["lowest_score"] = g.lowest_score;
      }
      groups.push_back(std::move(row));
    }
    json flags = json::array();
    for (const analytics::AuditFlag& f : audit->flags) {
      flags.push_back({{"dimension", f.dimension}, {"group", f.group}, {"message", f.message}});
    }
    json gaps = json::object();
    for (const auto& [dimension, gap] : audit->largest_rate_gap) gaps[dimension] = gap;
    out["fairness"] = {{"groups", std::move(groups)},
                       {"flags", std::move(flags)},
                       {"largest_match_rate_gap", std::move(gaps)}};
  }
  return out.dump(2) + "\n";
}

}  // namespace tandem::io
