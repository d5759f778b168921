#pragma once
// Internal: an Instance's edges in compressed rows (per mentee), sorted by mentor index.

#include <cstdint>
#include <vector>

#include "matching/instance.h"

namespace tandem::matching::internal {

struct MenteeRows {
  std::vector<std::int64_t> start;  // size num_mentees + 1
  std::vector<std::int32_t> mentor;
  std::vector<Weight> weight;
};

// Builds rows from edges whose weight is >= min_weight. REQUIRES: Validate(instance).ok().
MenteeRows BuildMenteeRows(const Instance& instance, Weight min_weight = 0);

}  // namespace tandem::matching::internal
