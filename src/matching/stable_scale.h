#pragma once
// Stable matching at organization scale: mentee-proposing deferred acceptance on the candidate
// lists, extended lazily, with the same answer as SolveStable on the full instance.
//
// Deferred acceptance reads each mentee's preference list in order, and with preferences
// induced from the weights (higher first, ties to the lower index) that order is exactly the
// order of CandidateScorer::Best. A mentor compares only the mentees that proposed to it, whose
// weights are exact. So deferred acceptance on the lists of the K best runs exactly as on the
// full lists, provided no mentee runs off the end of an incomplete list: when one does, its list
// is extended by as many mentors again (at least K) in the same order (one pruned scan of the
// mentee's row, CandidateScorer::NextBest), and it goes on proposing. The result is the
// mentee-optimal stable matching of the full instance.
//
// No blocking pair: a pair (i, j) can block only if i prefers j to its match, so j lies before
// i's match in i's list, which was fetched up to there (and in full when i is unmatched). The
// check therefore stays inside the fetched lists, and the returned candidate graph (all fetched
// pairs) is enough for FindBlockingPairs to certify the answer.
//
// Memory: mentees x K plus the extensions; never mentees x mentors.

#include <cstdint>
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
  // mentors()); blocking_pairs from the check over the fetched lists (empty when stable).
  Solution solution;
  Instance candidates;             // every fetched pair: the K best per mentee plus extensions
  std::int64_t pairs_total = 0;    // mentees x mentors
  std::int64_t rows_extended = 0;  // list extensions (one pruned row scan each)
  std::int64_t pairs_checked = 0;  // pairs visited by the blocking pair check
  double seconds_setup = 0;        // features
  double seconds_scoring = 0;      // candidate generation
  double seconds_matching = 0;     // deferred acceptance with extensions, and the check
};

// REQUIRES: as Scorer. Uses ScaleOptions::k, threads, progress ("candidates", "proposing"),
// cancel. Errors: kInvalidArgument (bad config, k < 1), kCancelled.
Result<StableScaleResult> SolveStableAtScale(const std::vector<Person>& people,
                                             const MatchConfig& config,
                                             const ScaleOptions& options = {});
Result<StableScaleResult> SolveStableAtScale(const CandidateScorer& scorer,
                                             const ScaleOptions& options = {});

}  // namespace tandem::matching
