#pragma once
// Internal: maximum-weight bipartite b-matching with unit pair capacities, as a min-cost flow
// solved by successive shortest paths with node potentials and Dijkstra (Edmonds & Karp 1972;
// Tomizawa 1971).
//
// Problem: choose a set of edges (each at most once) so that left vertex i has at most
// left_cap[i] chosen edges and right vertex j at most right_cap[j]; maximise the number chosen,
// then their total weight. In min-cost form every left unit of supply either takes an edge
// (cost -(w + bonus)) or stays unused (cost 0), and `bonus` > any total weight makes one more
// edge worth more than any weight. Supply is added one unit at a time at a left vertex; each
// addition runs Dijkstra on reduced costs from that vertex and stops at the first right vertex
// with a free place or at "unused", so the flow stays optimal for the supply added so far.
//
// Dual: with potentials kept >= 0 on the left and <= 0 on the right, u_i = pi_i and
// v_j = -pi_j solve the LP dual
//   min sum_i cap_i u_i + sum_j cap_j v_j + sum_e z_e,  u, v, z >= 0,  u_i + v_j + z_e >= w_e +
//   bonus
// with z_e = max(0, w_e + bonus - u_i - v_j) (positive only on chosen edges).
//
// Complexity: at most sum(left_cap) searches, each O((E + V) log V) in the worst case; early
// stopping makes most of them touch a few vertices.

#include <atomic>
#include <cstdint>
#include <vector>

#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching::internal {

struct BMatching {
  bool cancelled = false;
  std::vector<char> chosen;         // per instance edge
  std::vector<Weight> left_price;   // u_i >= 0, per mentee
  std::vector<Weight> right_price;  // v_j >= 0, per mentor
  std::int64_t searches = 0;        // shortest-path searches run
};

// Mentees are the left side, mentors the right side; instance.capacity is not read.
// REQUIRES: Validate(instance).ok(); left_cap.size() == num_mentees, right_cap.size() ==
// num_mentors, all caps >= 0; bonus > max weight * (most edges any selection can hold), and
// (bonus + max weight) * (sum of caps + edges + 1) fits in int64 (the caller checks).
BMatching SolveBMatching(const Instance& instance, const std::vector<std::int32_t>& left_cap,
                         const std::vector<std::int32_t>& right_cap, Weight bonus,
                         const SolveOptions& options);

}  // namespace tandem::matching::internal
