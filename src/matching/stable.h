#pragma once
// Stable matching with mentor capacities (the hospitals/residents problem): mentee-proposing
// deferred acceptance (Gale & Shapley 1962; Roth 1984 for capacities). The result is the
// mentee-optimal stable matching: no mentee and mentor who both find each other acceptable would
// rather be together than with what they have.
//
// Preferences: Instance::mentee_ranking / mentor_ranking when given, otherwise induced from the
// edge weights (higher first, ties broken by the lower index). A pair is acceptable when it is an
// edge and, where explicit rankings are given, both rankings list it.
//
// Complexity: O(L log c) for L the total length of the preference lists and c the largest
// capacity. The solution's blocking_pairs are filled by the independent check in certificate.h.

#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

Solution SolveStable(const Instance& instance, const SolveOptions& options = {});

}  // namespace tandem::matching
