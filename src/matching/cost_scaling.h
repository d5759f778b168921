#pragma once
// Internal: the welfare problem by cost scaling, for large sparse instances.
//
// Min-cost flow on the network  mentee -> mentor (cost -(w + bonus)), mentee -> sink (cost 0,
// "unmatched"), mentor -> sink (capacity c_j, cost 0), every mentee a supply of one unit. Costs
// are multiplied by S = mentees + mentors + 2, and push-relabel refines an eps-optimal flow for
// eps = C / 8, C / 64, ..., 1 (Goldberg & Tarjan 1990). A free mentee pushes its unit along its
// cheapest arc and takes the price of its second cheapest (the "double push" of Goldberg &
// Kennedy 1995, an auction bid); a mentor over capacity pushes a unit back to its member of
// least slack or on to the sink, raising its own price just enough; the sink, when it holds
// more than the mentees' units, pushes back to the cheapest mentor or unmatched mentee. A
// 1-optimal flow in units of 1/S is optimal, because a cycle has fewer than S arcs.
//
// The result is a start for SolveWelfareFrom: the optimal assignment and the mentor prices
// rounded to whole units; the warm start places again the few mentees the rounding leaves
// uncovered, and so returns exact integer prices (the certificate).

#include <cstdint>

#include "matching/graph.h"
#include "matching/solution.h"

namespace tandem::matching::internal {

// Fills start->mentor_of, mentor_price and bonus. Returns false when cancelled, on a price war
// (a push budget per phase) or when prices would leave 64-bit range; the caller then solves by
// shortest augmenting paths. `pushes` counts the pushes of all phases.
bool CostScalingStart(const Instance& instance, const MenteeRows& rows, Weight bonus,
                      const SolveOptions& options, Solution* start, std::int64_t* pushes);

}  // namespace tandem::matching::internal
