#pragma once
// Internal: maximum b-matching size in the bipartite graph (mentees with demand 1, mentors with
// capacity) by Dinic's algorithm on the unit network (Dinic 1970; Hopcroft & Karp 1973 bound of
// O(E sqrt(V)) for unit capacities on the mentee side).

#include <cstdint>
#include <vector>

#include "matching/graph.h"

namespace tandem::matching::internal {

std::int32_t MaxBMatching(const MenteeRows& rows, const std::vector<std::int32_t>& capacity);

}  // namespace tandem::matching::internal
