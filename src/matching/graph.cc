#include "matching/graph.h"

#include <algorithm>
#include <numeric>

namespace tandem::matching::internal {

MenteeRows BuildMenteeRows(const Instance& instance, Weight min_weight) {
  const auto n = static_cast<size_t>(instance.num_mentees);
  MenteeRows rows;
  rows.start.assign(n + 1, 0);
  for (const Edge& e : instance.edges) {
    if (e.weight >= min_weight) ++rows.start[static_cast<size_t>(e.mentee) + 1];
  }
  std::partial_sum(rows.start.begin(), rows.start.end(), rows.start.begin());
  rows.mentor.resize(static_cast<size_t>(rows.start[n]));
  rows.weight.resize(static_cast<size_t>(rows.start[n]));
  std::vector<std::int64_t> fill(rows.start.begin(), rows.start.end() - 1);
  for (const Edge& e : instance.edges) {
    if (e.weight < min_weight) continue;
    const auto at = static_cast<size_t>(fill[static_cast<size_t>(e.mentee)]++);
    rows.mentor[at] = e.mentor;
    rows.weight[at] = e.weight;
  }
  // Sort each row by mentor so that every later step is independent of the edge order.
  std::vector<std::pair<std::int32_t, Weight>> buffer;
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<size_t>(rows.start[i]);
    const auto e = static_cast<size_t>(rows.start[i + 1]);
    if (std::is_sorted(rows.mentor.begin() + static_cast<std::ptrdiff_t>(b),
                       rows.mentor.begin() + static_cast<std::ptrdiff_t>(e))) {
      continue;
    }
    buffer.clear();
    for (size_t k = b; k < e; ++k) buffer.emplace_back(rows.mentor[k], rows.weight[k]);
    std::sort(buffer.begin(), buffer.end());
    for (size_t k = b; k < e; ++k) {
      rows.mentor[k] = buffer[k - b].first;
      rows.weight[k] = buffer[k - b].second;
    }
  }
  return rows;
}

}  // namespace tandem::matching::internal
