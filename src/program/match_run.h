#pragma once
// The matching use case: people and a configuration in, proposed pairs out, each with its score,
// factor breakdown and explanation, every unmatched mentee with a reason, a summary and the
// optimality check. The CLI and (later) the server are thin shells over RunMatching().

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/person.h"
#include "core/status.h"
#include "matching/config.h"
#include "matching/solution.h"

namespace tandem::program {

struct ProposedPair {
  std::int32_t mentee = 0;  // index into people
  std::int32_t mentor = 0;  // index into people
  double score = 0;
  std::array<double, matching::kCriterionCount> factor{};
  std::vector<std::string> skills_for;
  std::string explanation;
};

struct UnmatchedMentee {
  std::int32_t mentee = 0;  // index into people
  std::string reason;
};

struct MatchSummary {
  std::int32_t mentees = 0;
  std::int32_t mentors = 0;
  std::int64_t places = 0;          // sum of mentor capacities
  std::int64_t eligible_pairs = 0;  // pairs left after the hard rules
  std::int32_t matched = 0;
  double mean_score = 0;
  double lowest_score = 0;
  double total_score = 0;
  // Unmatched mentees by kind of reason (the text before the first ':').
  std::map<std::string, std::int32_t> unmatched_by_reason;
  std::string certificate;  // what was checked, e.g. "dual bound equals objective"
  bool scale_path = false;  // solved on candidates with pricing (eligible_pairs = candidates)
  std::int64_t pairs_priced = 0;
  bool certified = false;
  double scoring_seconds = 0;
  double solving_seconds = 0;
};

struct MatchReport {
  matching::Objective objective = matching::Objective::kWelfare;
  std::vector<ProposedPair> pairs;  // by mentee index
  std::vector<UnmatchedMentee> unmatched;
  MatchSummary summary;
};

struct MatchOptions {
  matching::ProgressFn progress;
  const std::atomic<bool>* cancel = nullptr;
  // Welfare runs with more mentee x mentor pairs than this take the organization-scale path
  // (matching/scale.h): best candidates per mentee, then pricing of every pruned pair, so memory
  // stays at people x K and the answer is still optimal over all pairs.
  std::int64_t scale_path_pairs = 50'000'000;
  int scale_candidates = 48;
};

// REQUIRES: people validated (unique ids), Validate(config).ok(). Returns kCancelled if the
// cancel flag was raised, kInternal if a certificate check failed (a bug, never bad input).
Result<MatchReport> RunMatching(const std::vector<Person>& people,
                                const matching::MatchConfig& config,
                                const MatchOptions& options = {});

}  // namespace tandem::program
