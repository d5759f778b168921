#pragma once
// Fair matching: as many mentees matched as possible, then the largest possible lowest pair
// weight among them (bottleneck), then the largest total weight among such assignments.
//
// Method: the largest matching size M by max flow; binary search over the distinct edge weights
// for the largest threshold t at which edges of weight >= t still match M mentees (max flow,
// Dinic); then the welfare solver on the edges >= t, whose duals certify the total.
// Complexity: O(log E) max flows of O(E sqrt(V)) each, plus one welfare solve.

#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

Solution SolveFair(const Instance& instance, const SolveOptions& options = {});

}  // namespace tandem::matching
