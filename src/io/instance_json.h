#pragma once
// Explicit engine instances in JSON, so the solvers can be driven directly (textbook instances,
// comparisons with other solvers). Format (docs/instance-format.md):
//   {
//     "objective": "welfare" | "stable" | "fair",      (optional, default welfare)
//     "mentees": 3 | ["ana", "ben", "chi"],
//     "mentors": [2, 1] | [{"id": "x", "capacity": 2}, ...],
//     exactly one of
//       "scores":  [[0.8, null, 0.4], ...]    dense mentees x mentors in [0, 1]; null = ineligible
//       "weights": [[800, null, 400], ...]    dense integer weights in [0, 10^9]
//       "edges":   [[mentee, mentor, score], ...]   sparse, score in [0, 1]
//     "mentee_ranking": [[mentor, ...], ...],  (optional, most preferred first)
//     "mentor_ranking": [[mentee, ...], ...]   (optional)
//   }

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::io {

struct ExplicitInstance {
  matching::Instance instance;
  std::optional<matching::Objective> objective;
  bool integer_weights = false;  // "weights" given: report weights, not scores
};

Result<ExplicitInstance> ParseInstanceJson(std::string_view text, std::string_view source_name);
Result<ExplicitInstance> LoadInstance(const std::string& path);

// The solution as JSON: status, objective, totals, pairs, certificate and blocking pairs.
std::string SolutionToJson(const matching::Instance& instance, const matching::Solution& solution,
                           bool integer_weights, const Status& certificate);

}  // namespace tandem::io
