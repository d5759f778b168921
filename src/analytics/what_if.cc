#include "analytics/what_if.h"

#include <map>

namespace tandem::analytics {

RunComparison CompareRuns(const program::MatchReport& a, const program::MatchReport& b,
                          const std::vector<Person>& people, const AuditOptions& options) {
  RunComparison c;
  c.audit_a = AuditRun(a, people, options);
  c.audit_b = AuditRun(b, people, options);
  // mentee -> (mentor, score) per run; mentees present in either run.
  std::map<std::int32_t, PairChange> outcome;
  for (const auto& p : a.pairs) {
    auto& o = outcome[p.mentee];
    o.mentee = p.mentee;
    o.mentor_a = p.mentor;
    o.score_a = p.score;
  }
  for (const auto& u : a.unmatched) outcome[u.mentee].mentee = u.mentee;
  for (const auto& p : b.pairs) {
    auto& o = outcome[p.mentee];
    o.mentee = p.mentee;
    o.mentor_b = p.mentor;
    o.score_b = p.score;
  }
  for (const auto& u : b.unmatched) outcome[u.mentee].mentee = u.mentee;
  for (const auto& [mentee, o] : outcome) {
    if (o.mentor_a == o.mentor_b) {
      if (o.mentor_a >= 0) ++c.same_pairs;
      continue;
    }
    if (o.mentor_a >= 0 && o.mentor_b >= 0) {
      ++c.changed_mentor;
    } else if (o.mentor_a >= 0) {
      ++c.matched_only_a;
    } else {
      ++c.matched_only_b;
    }
    c.changes.push_back(o);
  }
  return c;
}

}  // namespace tandem::analytics
