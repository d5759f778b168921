#pragma once
// Internal: the preference structure shared by the stable solver and the blocking-pair check.

#include <cstdint>
#include <vector>

#include "matching/instance.h"

namespace tandem::matching::internal {

struct Preferences {
  // Per mentee, acceptable mentors in order of preference, with the rank the mentor gives the
  // mentee (lower is better) and the pair's weight.
  std::vector<std::int64_t> start;  // size num_mentees + 1
  std::vector<std::int32_t> mentor;
  std::vector<std::int32_t> mentor_rank_of_mentee;
  std::vector<Weight> weight;
};

// REQUIRES: Validate(instance).ok().
Preferences BuildPreferences(const Instance& instance);

}  // namespace tandem::matching::internal
