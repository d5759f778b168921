#pragma once
// Proper edge colouring of a bipartite (multi)graph with Delta colours, Delta its largest degree.
//
// König (1916): a bipartite graph of maximum degree Delta has a proper edge colouring with Delta
// colours (no two edges at one vertex share a colour). Method: the alternating-path (Kempe chain)
// algorithm. Edges are coloured one at a time; for edge (u, v) take a colour a free at u and a
// colour b free at v. If a is also free at v, use it. Otherwise swap a and b along the a/b
// alternating path that starts at v; in a bipartite graph that path cannot reach u (it reaches
// u's side only through a-edges, and u has none), so afterwards a is free at both ends.
//
// Complexity: O(E * (V + Delta)) time, O(V * Delta) memory. Faster algorithms exist (Cole, Ost &
// Schirra 2001, O(E log Delta); Alon 2003, O(E log E)); speed-mentoring events have a few
// thousand meetings, where this one takes milliseconds (docs/models.md).

#include <cstdint>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tandem::matching {

struct EdgeColouring {
  std::vector<std::int32_t> colour;  // per edge, in [0, colours)
  std::int64_t chain_edges = 0;      // edges recoloured on alternating paths (work done)
};

// Edges are (left vertex, right vertex) with 0 <= left < num_left, 0 <= right < num_right.
// Returns kInvalidArgument when an endpoint is out of range, colours < 0, or a vertex has more
// than `colours` edges (then no proper colouring with `colours` colours exists). Deterministic.
Result<EdgeColouring> ColourBipartiteEdges(
    std::int32_t num_left, std::int32_t num_right,
    const std::vector<std::pair<std::int32_t, std::int32_t>>& edges, std::int32_t colours);

// Independent check: one colour per edge, each in [0, colours), and no vertex has two edges of
// one colour.
Status CheckEdgeColouring(std::int32_t num_left, std::int32_t num_right,
                          const std::vector<std::pair<std::int32_t, std::int32_t>>& edges,
                          std::int32_t colours, const std::vector<std::int32_t>& colour);

}  // namespace tandem::matching
