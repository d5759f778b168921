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

#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

// REQUIRES: nothing (the instance is validated; a bad instance gives status kBadInput).
// Thread-safe for distinct instances.
Solution SolveWelfare(const Instance& instance, const SolveOptions& options = {});

// As SolveWelfare, over the edges of weight >= min_weight only. Used by the fair solver.
Solution SolveWelfareAtLeast(const Instance& instance, Weight min_weight,
                             const SolveOptions& options = {});

}  // namespace tandem::matching
