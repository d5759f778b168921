#pragma once
// Welfare matching at organization scale (100,000 mentees x 20,000 mentors), provably optimal
// without scoring into memory every pair.
//
// Method (column generation on the assignment LP, priced by the welfare solver's duals):
//  1. Candidates: the best K eligible mentors of every mentee (CandidateScorer::Best).
//  2. Solve the candidate graph with SolveWelfare: an optimal assignment and dual prices p
//     (mentees), q (mentors) with p_i + q_j >= w_ij + bonus on every candidate pair.
//  3. Price every pruned pair: (i, j) could improve the answer iff w_ij + bonus > p_i + q_j.
//     A pruned pair of mentee i weighs at most w_iK (its K-th kept weight), so only mentors with
//     q_j < w_iK + bonus - p_i can violate: with mentors sorted by q_j that is a prefix, empty
//     for most rows (the row is covered by the bound). Violating pairs join the graph; repeat,
//     warm-starting the solve from the last assignment and prices (SolveWelfareFrom): only the
//     mentees with a violating new pair are placed again.
//  When no pair violates, the prices are feasible for the full instance and, being optimal for
//  the candidate LP, prove the assignment optimal for the full instance (weak duality).
//
// The bonus: SolveWelfare uses max_w * n + 1 with max_w the largest candidate weight. Every
// mentee's best pair is a candidate, so max_w is also the largest weight over all pairs and the
// bonus is valid for the full instance (CheckWelfareCertificate accepts it there).

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/person.h"
#include "core/status.h"
#include "matching/candidates.h"
#include "matching/config.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

struct ScaleOptions {
  int k = 48;           // candidates per mentee, >= 1
  int threads = 0;      // 0 = all hardware threads
  int max_rounds = 50;  // pricing rounds before giving up (kInternal); a safety net
  ProgressFn progress;  // phases "candidates", "assigning", "pricing"
  const std::atomic<bool>* cancel = nullptr;  // polled between blocks and rows
};

struct ScaleResult {
  // Optimal for the full instance (all pairs Scorer::BuildInstance would give); indices as in
  // Scorer::mentees() / mentors(). Prices cover every eligible pair of the full instance.
  Solution solution;
  Instance candidates;  // the final candidate graph: best K per mentee plus the priced-in pairs
  std::int64_t pairs_total = 0;    // mentees x mentors
  std::int64_t pairs_bounded = 0;  // candidate generation: pairs past the cheap rules
  std::int64_t pairs_exact = 0;    // candidate generation: pairs scored exactly
  std::int64_t rows_priced = 0;    // rows not covered by the row bound, over all rounds
  std::int64_t pairs_priced = 0;   // pairs checked one by one against the prices, all rounds
  std::int64_t pairs_added = 0;    // pruned pairs that violated the prices and were added
  int rounds = 0;                  // solves
  std::int64_t augmentations = 0;  // shortest path searches over all solves (warm: re-placed)
  double seconds_setup = 0;        // features
  double seconds_scoring = 0;      // candidate generation
  double seconds_solving = 0;      // all solves
  double seconds_pricing = 0;      // all pricing passes
};

// REQUIRES: as Scorer. Errors: kInvalidArgument (bad config or options), kCancelled,
// kInternal (a solve or the pricing failed; a bug).
Result<ScaleResult> SolveWelfareAtScale(const std::vector<Person>& people,
                                        const MatchConfig& config,
                                        const ScaleOptions& options = {});

// The same with the features already built (benchmarks reuse them).
Result<ScaleResult> SolveWelfareAtScale(const CandidateScorer& scorer,
                                        const ScaleOptions& options = {});

// Small instances: builds the full instance with Scorer::BuildInstance and checks the result's
// assignment and prices with CheckWelfareCertificate there. O(mentees x mentors) memory.
Status CheckScaleCertificate(const std::vector<Person>& people, const MatchConfig& config,
                             const ScaleResult& result);

}  // namespace tandem::matching
