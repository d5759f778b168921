#pragma once
// Stable matching at organization scale: mentee-proposing deferred acceptance on the candidate
// lists, further proposals fetched as mentees are rejected, with the same answer as SolveStable
// on the full instance.
//
// Deferred acceptance reads each mentee's preference list in order, and with preferences
// induced from the weights (higher first, ties to the lower index) that order is exactly the
// order of CandidateScorer::Best. A mentor compares only the mentees that proposed to it, whose
// weights are exact. So deferred acceptance on the lists of the K best runs exactly as on the
// full lists until a mentee runs off the end of an incomplete list. Its next proposals are then
// fetched in the same order (CandidateScorer::NextAbove, one pruned scan of the row), leaving
// out those that would be rejected at once: a full mentor rejects every mentee it likes less
// than the least preferred one it holds, and from then on holds only mentees it likes more, so
// such a proposal changes nothing, now or later. The result is the mentee-optimal stable
// matching of the full instance.
//
// The check (FindBlockingPairsAtScale) is independent of how the matching was found: it looks
// at every pair of the instance, through the K best of each mentee and a bound scan of the rows
// whose match lies past them.
//
// Memory: the K best of each mentee, plus at most 4K fetched proposals per mentee; never
// mentees x mentors.

#include <atomic>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/person.h"
#include "core/status.h"
#include "matching/candidates.h"
#include "matching/config.h"
#include "matching/instance.h"
#include "matching/scale.h"
#include "matching/solution.h"

namespace tandem::matching {

struct StableScaleResult {
  // The mentee-optimal stable matching of the full instance (indices as in Scorer::mentees() /
  // mentors()); blocking_pairs from FindBlockingPairsAtScale (empty when stable).
  Solution solution;
  Instance candidates;             // the K best of each mentee, and its matched pair
  std::int64_t pairs_total = 0;    // mentees x mentors
  std::int64_t rows_extended = 0;  // fetches past the K best (one pruned row scan each)
  std::int64_t pairs_fetched = 0;  // proposals fetched past the K best, in all
  std::int64_t pairs_checked = 0;  // pairs the check covers: list pairs read, or whole rows
  std::int64_t rows_checked = 0;   // rows the check scanned (matched past the K best, or not)
  double seconds_setup = 0;        // features
  double seconds_scoring = 0;      // candidate generation
  double seconds_matching = 0;     // deferred acceptance with extensions
  double seconds_checking = 0;     // the blocking pair check
};

// REQUIRES: as Scorer. Uses ScaleOptions::k, threads, progress ("candidates", "proposing",
// "checking"), cancel. Errors: kInvalidArgument (bad config, k < 1), kCancelled.
Result<StableScaleResult> SolveStableAtScale(const std::vector<Person>& people,
                                             const MatchConfig& config,
                                             const ScaleOptions& options = {});
Result<StableScaleResult> SolveStableAtScale(const CandidateScorer& scorer,
                                             const ScaleOptions& options = {});

// The pairs (mentee, mentor) of the whole instance that block `mentor_of` (indices of the
// scorer; -1 unmatched), sorted: what FindBlockingPairs returns on Scorer::BuildInstance(),
// found without it. Each mentor's least preferred mentee sets what a mentee must beat; a
// mentee's pairs it prefers to its match are read from `lists` (its K best, from
// scorer.Best(); may be null) and, when its match lies past them, by a scan of its row
// (CandidateScorer::NextAbove) in which the bound clears most pairs unscored. *pairs_checked
// (if not null): the list pairs read, and all pairs of each row scanned; *rows_scanned: the rows
// scanned.
// nullopt when cancelled. Reports ("checking", fraction).
std::optional<std::vector<std::pair<std::int32_t, std::int32_t>>> FindBlockingPairsAtScale(
    const CandidateScorer& scorer, const std::vector<std::int32_t>& mentor_of,
    const CandidateLists* lists, int threads, std::int64_t* pairs_checked = nullptr,
    std::int64_t* rows_scanned = nullptr, const ProgressFn& progress = {},
    const std::atomic<bool>* cancel = nullptr);

}  // namespace tandem::matching
