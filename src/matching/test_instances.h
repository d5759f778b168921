#pragma once
// Test support (tests and benchmarks only): small Instance builders shared by the engine's tests.

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "matching/instance.h"

namespace tandem::matching::test_support {

// Dense helper: weights[i][j] < 0 means the pair is not eligible.
inline Instance Make(const std::vector<std::vector<Weight>>& weights,
                     std::vector<std::int32_t> capacity) {
  Instance inst;
  inst.num_mentees = static_cast<std::int32_t>(weights.size());
  inst.capacity = std::move(capacity);
  for (size_t i = 0; i < weights.size(); ++i) {
    for (size_t j = 0; j < weights[i].size(); ++j) {
      if (weights[i][j] >= 0) {
        inst.edges.push_back(
            {static_cast<std::int32_t>(i), static_cast<std::int32_t>(j), weights[i][j]});
      }
    }
  }
  return inst;
}

// n mentees, m mentors with capacities in [0, max_cap], each pair eligible with probability
// `density`, weights uniform in [0, max_w], edges in random order.
inline Instance RandomInstance(std::mt19937_64& rng, int n, int m, int max_cap, double density,
                               Weight max_w) {
  Instance inst;
  inst.num_mentees = n;
  std::uniform_int_distribution<int> cap(0, max_cap);
  for (int j = 0; j < m; ++j) inst.capacity.push_back(cap(rng));
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<Weight> w(0, max_w);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      if (coin(rng) < density) inst.edges.push_back({i, j, w(rng)});
    }
  }
  std::shuffle(inst.edges.begin(), inst.edges.end(), rng);
  return inst;
}

}  // namespace tandem::matching::test_support
