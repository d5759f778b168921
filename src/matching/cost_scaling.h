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
#include <vector>

#include "matching/graph.h"
#include "matching/solution.h"

namespace tandem::matching::internal {

// Fills start->mentor_of, mentor_price and bonus. Returns false when cancelled, on a price war
// (a push budget per phase) or when prices would leave 64-bit range; the caller then solves by
// shortest augmenting paths. `pushes` counts the pushes of all phases of the run that finished
// (a run given up adds none).
//
// The phases where eps exceeds the weight range (there only how many are matched matters) are
// replaced by a maximum-cardinality matching and its Konig cover (below) priced at the bonus:
// every arc is then (largest weight)-optimal and scaling starts there. Should that start run
// into a price war, the plain scaling from the largest cost runs instead and *restarted is set
// (also when the costs do not fit in 64 bits; the plain run then fails the same way).
// `hint` (mentor per mentee, as Solution::mentor_of), when given, seeds that matching.
// `prices` (per mentor, as Solution::mentor_price of an optimal answer of a related instance with
// the same bonus, e.g. the last round of column generation), when given, seed the start: each
// mentor keeps the part of its price below the bonus, on top of the cover's bonus, and scaling
// starts two phases later. A price war from there (a quarter of the usual push budget per
// phase) falls back to the start without them and sets *restarted. Any prices give an optimal
// answer; good ones make it faster.
bool CostScalingStart(const Instance& instance, const MenteeRows& rows, Weight bonus,
                      const SolveOptions& options, Solution* start, std::int64_t* pushes,
                      bool* restarted = nullptr, const std::vector<std::int32_t>* hint = nullptr,
                      const std::vector<Weight>* prices = nullptr);

// A maximum-cardinality b-matching of the rows (mentees of demand 1, mentors of the given
// capacities) and a Konig cover: every edge to a mentor with capacity has an end in the cover,
// every matched edge exactly one, and the covered mentees plus the covered mentors' capacities
// sum to `matched`.
struct CardinalityCover {
  std::int32_t matched = 0;
  std::vector<std::int32_t> load;    // mentees matched to each mentor
  std::vector<char> mentee_covered;  // matched mentees no alternating path reaches
  std::vector<char> mentor_covered;  // mentors an alternating path from a free mentee reaches
};
// `hint` (mentor per mentee, -1 for none): pairs of it that are edges and fit start the
// matching (the answer is maximum either way).
CardinalityCover MaxCardinalityCover(const MenteeRows& rows,
                                     const std::vector<std::int32_t>& capacity,
                                     const std::vector<std::int32_t>* hint = nullptr);

}  // namespace tandem::matching::internal
