#pragma once
// The engine's result type, shared by every solver, and the options every solver takes.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "matching/instance.h"

namespace tandem::matching {

enum class Objective {
  kWelfare,  // most mentees matched, then the largest total weight
  kStable,   // mentee-proposing deferred acceptance: no blocking pair
  kFair,     // most mentees matched, then the largest lowest weight, then the largest total
};

enum class SolveStatus {
  kOptimal,    // the answer is optimal for its objective and carries a certificate
  kBadInput,   // Validate() failed; see Solution::message
  kCancelled,  // the caller's cancel flag was raised; the assignment is empty
};

const char* ObjectiveName(Objective objective);
const char* SolveStatusName(SolveStatus status);

// Progress is reported as (phase name, fraction done in [0, 1]).
using ProgressFn = std::function<void(const char* phase, double fraction)>;

// How the welfare problem (also the last step of fair) is solved. Both methods are exact and
// return the same optimum with an optimal dual; kAuto takes cost scaling on sparse instances of
// at least 2,000 mentees and shortest augmenting paths otherwise. Tests and benchmarks pin one.
enum class WelfareMethod { kAuto, kShortestPaths, kCostScaling };

struct SolveOptions {
  Objective objective = Objective::kWelfare;
  WelfareMethod welfare_method = WelfareMethod::kAuto;
  ProgressFn progress;                        // optional
  const std::atomic<bool>* cancel = nullptr;  // optional; polled between phases and augmentations
};

struct Solution {
  SolveStatus status = SolveStatus::kOptimal;
  Objective objective = Objective::kWelfare;
  std::string message;  // why, when status != kOptimal

  std::vector<std::int32_t> mentor_of;  // per mentee: the mentor index, or -1 if unmatched
  std::int32_t matched = 0;
  Weight total_weight = 0;  // sum of the weights of matched pairs
  Weight min_weight = 0;    // lowest weight among matched pairs (0 if none)

  // Welfare and fair certificate: an optimal dual of the LP
  //   max sum (w_ij + bonus) x_ij  s.t.  sum_j x_ij <= 1,  sum_i x_ij <= cap_j,  x >= 0
  // where `bonus` makes one more matched mentee worth more than any total weight (so the LP
  // optimum is "most matched, then most weight"). Prices are >= 0, cover every edge
  // (mentee_price[i] + mentor_price[j] >= w_ij + bonus) and sum to the primal objective
  // (sum mentee_price + sum cap_j * mentor_price[j] == total_weight + bonus * matched).
  // For the fair objective the certificate is over the edges of weight >= fair_threshold.
  Weight bonus = 0;
  std::vector<Weight> mentee_price;
  std::vector<Weight> mentor_price;

  // Fair: every matched pair has weight >= fair_threshold, and using only edges of weight
  // > fair_threshold at most matched_above_threshold (< matched) mentees can be matched.
  Weight fair_threshold = 0;
  std::int32_t matched_above_threshold = 0;

  // Stable: blocking pairs (mentee, mentor) found by the independent check; empty when stable.
  std::vector<std::pair<std::int32_t, std::int32_t>> blocking_pairs;

  // Work done, for reports and benchmarks.
  std::int64_t augmentations = 0;
  std::int64_t proposals = 0;
  std::int64_t pushes = 0;  // welfare by cost scaling: pushes over all phases
};

}  // namespace tandem::matching
