#pragma once
// Internal: the weighted blossom algorithm behind SolveMaxWeightPeer (see peer.h for the method
// and the certificate). Kept apart so the roommates fallback and the tests can call it on
// already validated edges.

#include <cstdint>
#include <vector>

#include "matching/peer.h"
#include "matching/solution.h"

namespace tandem::matching::internal {

// Maximum-weight matching of the graph on n vertices with edge values weight + bonus.
// Fills partner, matched_pairs, total_weight (without bonus), bonus, dual_scale, vertex_dual,
// blossoms, blossom_dual and the work counters. Returns false if cancelled (solution untouched
// apart from counters).
// REQUIRES: edges valid (indices in range, no self or duplicate pairs, weights >= 0) and
// 4 * (max weight + bonus) * (n + 1) fits in int64.
bool MaxWeightMatching(std::int32_t n, const std::vector<PeerEdge>& edges, Weight bonus,
                       const SolveOptions& options, PeerSolution* solution);

}  // namespace tandem::matching::internal
