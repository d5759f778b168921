#pragma once
// The engine's problem type: a bipartite graph of eligible (mentee, mentor) pairs with integer
// weights, mentor capacities and, optionally, explicit preference lists. Every solver reads an
// Instance and returns a Solution (solution.h); scoring (scoring.h) builds Instances from people.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace tandem::matching {

// Scores are fixed-point: a pair score s in [0, 1] is the weight round(s * kScoreScale). Integer
// weights keep every solver exact and its certificate checkable to the last unit.
using Weight = std::int64_t;
inline constexpr Weight kScoreScale = 1'000'000;
// Largest weight an explicit instance may use; keeps lexicographic objectives inside int64.
inline constexpr Weight kMaxWeight = 1'000'000'000;

inline Weight ScoreToWeight(double score) {
  return static_cast<Weight>(score * static_cast<double>(kScoreScale) + 0.5);
}
inline double WeightToScore(Weight w) {
  return static_cast<double>(w) / static_cast<double>(kScoreScale);
}

struct Edge {
  std::int32_t mentee = 0;
  std::int32_t mentor = 0;
  Weight weight = 0;  // 0 <= weight <= kMaxWeight
};

struct Instance {
  std::int32_t num_mentees = 0;
  std::vector<std::int32_t> capacity;  // one entry per mentor; num_mentors() == capacity.size()
  std::vector<Edge> edges;             // eligible pairs, at most one per (mentee, mentor)

  // Optional explicit preferences (for the stable solver). When empty, preferences are induced
  // from weights: higher weight first, ties broken by the lower index. A ranking lists acceptable
  // partners only, most preferred first; a pair must also be an edge to be matched.
  std::vector<std::vector<std::int32_t>> mentee_ranking;  // size num_mentees or empty
  std::vector<std::vector<std::int32_t>> mentor_ranking;  // size num_mentors() or empty

  // Optional labels (ids) for output; empty or one per mentee / mentor.
  std::vector<std::string> mentee_labels;
  std::vector<std::string> mentor_labels;

  std::int32_t num_mentors() const { return static_cast<std::int32_t>(capacity.size()); }
};

// Checks indices, weights, capacities, duplicate edges and rankings. The message names the
// offending edge / ranking entry.
Status Validate(const Instance& instance);

}  // namespace tandem::matching
