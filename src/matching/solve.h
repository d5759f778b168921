#pragma once
// One entry point for every solver of the Instance/Solution shape, chosen by the objective.

#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

Solution Solve(const Instance& instance, const SolveOptions& options);

}  // namespace tandem::matching
