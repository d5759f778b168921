#include "analytics/fairness_audit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace tandem::analytics {
namespace {

struct Outcome {
  std::int32_t mentee;
  bool matched;
  double score;
};

std::string SeniorityBand(int level) {
  if (level <= 3) return "levels 1-3";
  if (level <= 6) return "levels 4-6";
  return "levels 7-10";
}

std::string Percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", x * 100.0);
  return buf;
}

std::string Fixed(double x, const char* format) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

}  // namespace

FairnessAudit AuditRun(const program::MatchReport& report, const std::vector<Person>& people,
                       const AuditOptions& options) {
  std::vector<Outcome> outcomes;
  for (const auto& p : report.pairs) outcomes.push_back({p.mentee, true, p.score});
  for (const auto& u : report.unmatched) outcomes.push_back({u.mentee, false, 0.0});

  FairnessAudit audit;
  audit.mentees = static_cast<int>(outcomes.size());
  double total = 0;
  audit.lowest_score = 1.0;
  for (const Outcome& o : outcomes) {
    if (!o.matched) continue;
    ++audit.matched;
    total += o.score;
    audit.lowest_score = std::min(audit.lowest_score, o.score);
  }
  if (audit.matched == 0) audit.lowest_score = 0;
  audit.match_rate = audit.mentees > 0 ? static_cast<double>(audit.matched) / audit.mentees : 0;
  audit.mean_score = audit.matched > 0 ? total / audit.matched : 0;

  // dimension -> group -> outcomes
  std::map<std::string, std::map<std::string, std::vector<const Outcome*>>> dims;
  for (const Outcome& o : outcomes) {
    const Person& p = people[static_cast<size_t>(o.mentee)];
    if (!p.department.empty()) dims["department"][p.department].push_back(&o);
    if (!p.site.empty()) dims["site"][p.site].push_back(&o);
    dims["seniority"][SeniorityBand(p.seniority)].push_back(&o);
    for (const auto& [key, value] : p.self_described) {
      if (value.empty()) continue;
      dims["self-described: " + key][value].push_back(&o);
    }
  }
  for (const auto& [dimension, groups] : dims) {
    double best_rate = -1;
    double worst_rate = 2;
    for (const auto& [name, list] : groups) {
      GroupStats g;
      g.dimension = dimension;
      g.group = name;
      g.mentees = static_cast<int>(list.size());
      if (g.mentees < options.min_group_size) {
        g.suppressed = true;
        audit.groups.push_back(std::move(g));
        continue;
      }
      double sum = 0;
      g.lowest_score = 1.0;
      for (const Outcome* o : list) {
        if (!o->matched) continue;
        ++g.matched;
        sum += o->score;
        g.lowest_score = std::min(g.lowest_score, o->score);
      }
      if (g.matched == 0) g.lowest_score = 0;
      g.match_rate = static_cast<double>(g.matched) / g.mentees;
      g.mean_score = g.matched > 0 ? sum / g.matched : 0;
      best_rate = std::max(best_rate, g.match_rate);
      worst_rate = std::min(worst_rate, g.match_rate);
      const double rate_gap = audit.match_rate - g.match_rate;
      if (rate_gap > options.rate_gap) {
        audit.flags.push_back({dimension, name,
                               name + ": " + Percent(g.match_rate) + " matched against " +
                                   Percent(audit.match_rate) + " overall (" +
                                   Fixed(rate_gap * 100.0, "%.1f") + " points lower)"});
      }
      const double score_gap = audit.mean_score - g.mean_score;
      if (g.matched > 0 && score_gap > options.score_gap) {
        audit.flags.push_back({dimension, name,
                               name + ": mean score " + Fixed(g.mean_score, "%.3f") + " against " +
                                   Fixed(audit.mean_score, "%.3f") + " overall"});
      }
      audit.groups.push_back(std::move(g));
    }
    if (best_rate >= 0 && worst_rate <= 1) {
      audit.largest_rate_gap.emplace_back(dimension, best_rate - worst_rate);
    }
  }
  return audit;
}

}  // namespace tandem::analytics
