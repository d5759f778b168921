#include "matching/edge_coloring.h"

#include <algorithm>
#include <string>

namespace tandem::matching {

Result<EdgeColouring> ColourBipartiteEdges(
    std::int32_t num_left, std::int32_t num_right,
    const std::vector<std::pair<std::int32_t, std::int32_t>>& edges, std::int32_t colours) {
  if (num_left < 0 || num_right < 0 || colours < 0) {
    return Status::Invalid("negative vertex or colour count");
  }
  const auto vertices = static_cast<size_t>(num_left) + static_cast<size_t>(num_right);
  std::vector<std::int32_t> degree(vertices, 0);
  for (size_t e = 0; e < edges.size(); ++e) {
    const auto [u, v] = edges[e];
    if (u < 0 || u >= num_left || v < 0 || v >= num_right) {
      return Status::Invalid("edge " + std::to_string(e) + ": endpoint out of range");
    }
    const auto vu = static_cast<size_t>(u);
    const auto vv = static_cast<size_t>(num_left) + static_cast<size_t>(v);
    if (++degree[vu] > colours || ++degree[vv] > colours) {
      return Status::Invalid("a vertex of edge " + std::to_string(e) + " has more than " +
                             std::to_string(colours) + " edges");
    }
  }
  const auto k = static_cast<size_t>(colours);
  // at[x * k + c]: the edge of colour c at vertex x, or -1.
  std::vector<std::int32_t> at(vertices * k, -1);
  EdgeColouring result;
  result.colour.assign(edges.size(), -1);
  auto left_of = [&](size_t e) { return static_cast<size_t>(edges[e].first); };
  auto right_of = [&](size_t e) {
    return static_cast<size_t>(num_left) + static_cast<size_t>(edges[e].second);
  };
  auto free_colour = [&](size_t x) {
    for (size_t c = 0; c < k; ++c) {
      if (at[x * k + c] < 0) return c;
    }
    return k;  // unreachable: degrees were checked
  };
  std::vector<std::int32_t> path;
  for (size_t e = 0; e < edges.size(); ++e) {
    const size_t u = left_of(e);
    const size_t v = right_of(e);
    const size_t a = free_colour(u);
    if (at[v * k + a] >= 0) {
      const size_t b = free_colour(v);
      // The a/b path from v: v -a- x1 -b- x2 -a- ... Each vertex has at most one edge of each
      // colour, so the path is unique; it never reaches u (see the header).
      path.clear();
      size_t x = v;
      size_t c = a;
      while (at[x * k + c] >= 0) {
        const auto f = static_cast<size_t>(at[x * k + c]);
        path.push_back(static_cast<std::int32_t>(f));
        x = left_of(f) == x ? right_of(f) : left_of(f);
        c = c == a ? b : a;
      }
      for (std::int32_t f : path) {
        const auto fc = static_cast<size_t>(result.colour[static_cast<size_t>(f)]);
        at[left_of(static_cast<size_t>(f)) * k + fc] = -1;
        at[right_of(static_cast<size_t>(f)) * k + fc] = -1;
      }
      for (std::int32_t f : path) {
        auto& fc = result.colour[static_cast<size_t>(f)];
        fc = static_cast<size_t>(fc) == a ? static_cast<std::int32_t>(b)
                                          : static_cast<std::int32_t>(a);
        at[left_of(static_cast<size_t>(f)) * k + static_cast<size_t>(fc)] = f;
        at[right_of(static_cast<size_t>(f)) * k + static_cast<size_t>(fc)] = f;
      }
      result.chain_edges += static_cast<std::int64_t>(path.size());
    }
    result.colour[e] = static_cast<std::int32_t>(a);
    at[u * k + a] = static_cast<std::int32_t>(e);
    at[v * k + a] = static_cast<std::int32_t>(e);
  }
  return result;
}

Status CheckEdgeColouring(std::int32_t num_left, std::int32_t num_right,
                          const std::vector<std::pair<std::int32_t, std::int32_t>>& edges,
                          std::int32_t colours, const std::vector<std::int32_t>& colour) {
  if (colour.size() != edges.size()) return Status::Internal("one colour per edge expected");
  // Sort (vertex, colour) keys and look for repeats: independent of the colouring's own tables.
  std::vector<std::int64_t> keys;
  keys.reserve(2 * edges.size());
  for (size_t e = 0; e < edges.size(); ++e) {
    const auto [u, v] = edges[e];
    if (u < 0 || u >= num_left || v < 0 || v >= num_right)
      return Status::Internal("edge " + std::to_string(e) + ": endpoint out of range");
    if (colour[e] < 0 || colour[e] >= colours)
      return Status::Internal("edge " + std::to_string(e) + ": colour out of range");
    keys.push_back((static_cast<std::int64_t>(u) << 32) | colour[e]);
    keys.push_back((static_cast<std::int64_t>(num_left + v) << 32) | colour[e]);
  }
  std::sort(keys.begin(), keys.end());
  const auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup != keys.end()) {
    const auto x = *dup >> 32;
    const std::string who = x < num_left ? "left vertex " + std::to_string(x)
                                         : "right vertex " + std::to_string(x - num_left);
    return Status::Internal(who + " has two edges of colour " + std::to_string(*dup & 0xffffffff));
  }
  return Status::Ok();
}

}  // namespace tandem::matching
