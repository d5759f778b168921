#pragma once
// Informal (self-chosen) mentoring: ranked suggestions with reasons. For a mentee, the top mentors
// with their score, why, and what would raise the score; for a mentor, the mentees who fit best.
// Scores one person against the other side only (O(people)), fast enough to serve a web page.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "matching/scoring.h"

namespace tandem::program {

struct Suggestion {
  std::int32_t person = 0;  // index into people: the suggested mentor (or mentee)
  double score = 0;
  std::string explanation;
  // What would raise this score, best first: "more weekly hours in common: up to +0.06".
  std::vector<std::string> would_raise;
};

// REQUIRES: scorer built over `people`. `person` is an index into people. Ineligible pairs
// (hard rules) are never suggested. Ties break by index. kNotFound if the person is not a mentee
// (for SuggestMentors) or not a mentor (for SuggestMentees).
Result<std::vector<Suggestion>> SuggestMentors(const matching::Scorer& scorer, std::int32_t person,
                                               int top_k);
Result<std::vector<Suggestion>> SuggestMentees(const matching::Scorer& scorer, std::int32_t person,
                                               int top_k);

}  // namespace tandem::program
