#pragma once
// What-if: two matching runs on the same people (two configurations) side by side: matched share,
// mean and worst-off score, fairness gaps, and the pairs that change.

#include <cstdint>
#include <vector>

#include "analytics/fairness_audit.h"
#include "core/person.h"
#include "program/match_run.h"

namespace tandem::analytics {

struct PairChange {
  std::int32_t mentee = 0;     // index into people
  std::int32_t mentor_a = -1;  // -1: unmatched in run A
  std::int32_t mentor_b = -1;  // -1: unmatched in run B
  double score_a = 0;
  double score_b = 0;
};

struct RunComparison {
  FairnessAudit audit_a;
  FairnessAudit audit_b;
  int same_pairs = 0;      // mentees with the same mentor in both runs
  int changed_mentor = 0;  // matched in both runs, to different mentors
  int matched_only_a = 0;
  int matched_only_b = 0;
  std::vector<PairChange> changes;  // every mentee whose outcome differs, by mentee index
};

RunComparison CompareRuns(const program::MatchReport& a, const program::MatchReport& b,
                          const std::vector<Person>& people, const AuditOptions& options = {});

}  // namespace tandem::analytics
