#pragma once
// Welfare matching: the most mentees matched, then the largest total weight, with mentor
// capacities (a many-to-one assignment / transportation problem).
//
// Method: successive shortest augmenting paths with potentials (the Hungarian method extended
// to column capacities; Kuhn 1955, Edmonds & Karp 1972, Jonker & Volgenant 1987). Mentees are
// added one at a time; each addition runs Dijkstra over mentors on reduced costs and stops at the
// first mentor with a free place, or at the "unmatched" column, so the assignment stays optimal
// for the mentees added so far. Counts of mentees per mentor never decrease, which keeps the
// capacity duals of non-full mentors at zero.
//
// Exact on integer weights. The returned prices (Solution::mentee_price, mentor_price, bonus)
// are an optimal dual solution: CheckWelfareCertificate() verifies them independently.
//
// Complexity: O(n * (E + m) log m) in the worst case for n mentees, m mentors and E edges; on
// scored instances most mentees find a free mentor after scanning a few columns.
//
// Warm start (SolveWelfareFrom): from an optimal answer of a related instance, keep its
// assignment and mentor prices, take out the mentees whose edges the prices no longer cover,
// and place only those again by shortest augmenting paths in the residual graph of the flow
// mentees -> mentors -> sink (a mentee that leaves a mentor of positive price leaves a deficit
// there instead of a free place at a positive price). Cost: one search per mentee taken out.
//
// Cost scaling (sparse instances from 2,000 mentees on, or SolveOptions::welfare_method): the
// optimal assignment comes from push-relabel with eps-scaling (cost_scaling.h, internal), and
// the warm start above turns its rounded prices into an exact optimal dual (on scored
// organizations with no search at all). A price war (a push budget per phase) falls back to
// the paths below. A warm start that would place again more than 1/256 of the mentees of such
// an instance solves it cold this way instead (and repairs warm after all if cost scaling gives
// up).
//
// Long rows (sparse instances with >= 256 mentees and >= 12 edges per mentee on average): the
// solve by paths runs in rounds, first on each mentee's 6 best edges, then adding the edges the
// prices do not cover and re-solving warm until they cover all. Each mentee's best edge is in the
// first graph, so the bonus never changes and the last answer is optimal for the whole instance.

#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

// REQUIRES: nothing (the instance is validated; a bad instance gives status kBadInput).
// Thread-safe for distinct instances.
Solution SolveWelfare(const Instance& instance, const SolveOptions& options = {});

// As SolveWelfare, starting from `start`: an optimal SolveWelfare answer (with its prices) for an
// instance with the same mentees, mentors and capacities and the same bonus (the same largest
// weight and mentee count), typically the same graph with fewer edges, as in column generation.
// Mentees whose edges `start`'s prices do not cover (or whose assigned edge is gone) are placed
// again; the rest keep their mentor unless a search moves them. Only start.mentor_of,
// mentor_price and bonus are read. When `start` does not fit (other sizes or bonus, a negative
// mentor price, a positive price on a mentor with a free place, a mentor over capacity), solves
// from scratch. Either way the answer is optimal with an optimal dual, as SolveWelfare's
// (CheckWelfareCertificate). Solution::augmentations counts the searches (mentees placed again,
// when warm); on instances that take cost scaling, a start that leaves more than 1/256 of the
// mentees to place again is set aside for a cold solve.
Solution SolveWelfareFrom(const Instance& instance, const Solution& start,
                          const SolveOptions& options = {});

// As SolveWelfare, over the edges of weight >= min_weight only. Used by the fair solver.
Solution SolveWelfareAtLeast(const Instance& instance, Weight min_weight,
                             const SolveOptions& options = {});

}  // namespace tandem::matching
