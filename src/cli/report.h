#pragma once
// The readable summary of a matching run that `tandem match` and `tandem demo` print.

#include <vector>

#include "analytics/fairness_audit.h"
#include "analytics/what_if.h"
#include "core/person.h"
#include "matching/config.h"
#include "program/match_run.h"

namespace tandem::cli {

// Prints the summary, unmatched mentees by reason, match rate by department and `explain`
// explained pairs (the highest, middle and lowest scored ones) to stdout.
void PrintSummary(const program::MatchReport& report, const std::vector<Person>& people,
                  const matching::MatchConfig& config, int explain);

// Prints the fairness audit: flags and the largest gaps, and with `detailed` every group.
void PrintAudit(const analytics::FairnessAudit& audit, bool detailed);

// Prints two runs side by side and the pairs that change (up to `examples` of them).
void PrintComparison(const program::MatchReport& a, const program::MatchReport& b,
                     const analytics::RunComparison& comparison, const std::vector<Person>& people,
                     int examples);

}  // namespace tandem::cli
