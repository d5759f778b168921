#pragma once
// The readable summary of a matching run that `tandem match` and `tandem demo` print.

#include <vector>

#include "core/person.h"
#include "matching/config.h"
#include "program/match_run.h"

namespace tandem::cli {

// Prints the summary, unmatched mentees by reason, match rate by department and `explain`
// explained pairs (the highest, middle and lowest scored ones) to stdout.
void PrintSummary(const program::MatchReport& report, const std::vector<Person>& people,
                  const matching::MatchConfig& config, int explain);

}  // namespace tandem::cli
