#include "matching/stable.h"

#include <algorithm>
#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include "matching/certificate.h"
#include "matching/preferences.h"

namespace tandem::matching {

Solution SolveStable(const Instance& instance, const SolveOptions& options) {
  Solution solution;
  solution.objective = Objective::kStable;
  if (Status s = Validate(instance); !s.ok()) {
    solution.status = SolveStatus::kBadInput;
    solution.message = s.message();
    return solution;
  }
  const internal::Preferences prefs = internal::BuildPreferences(instance);
  const auto n = static_cast<size_t>(instance.num_mentees);
  const auto m = static_cast<size_t>(instance.num_mentors());

  // Each mentor holds its tentatively accepted mentees in a max-heap by the mentor's rank, so the
  // least preferred one is on top. Entries: (mentor's rank of the mentee, mentee).
  std::vector<std::priority_queue<std::pair<std::int32_t, std::int32_t>>> held(m);
  std::vector<std::int64_t> next(prefs.start.begin(), prefs.start.end() - 1);
  std::vector<std::int32_t> free_mentees;
  free_mentees.reserve(n);
  for (size_t i = n; i-- > 0;) free_mentees.push_back(static_cast<std::int32_t>(i));

  std::int64_t proposals = 0;
  while (!free_mentees.empty()) {
    if ((proposals & 4095) == 0 && options.cancel != nullptr && options.cancel->load()) {
      solution.status = SolveStatus::kCancelled;
      solution.message = "cancelled";
      return solution;
    }
    const std::int32_t i = free_mentees.back();
    auto& k = next[static_cast<size_t>(i)];
    if (k == prefs.start[static_cast<size_t>(i) + 1]) {
      free_mentees.pop_back();  // has proposed to every acceptable mentor: stays unmatched
      continue;
    }
    const std::int32_t j = prefs.mentor[static_cast<size_t>(k)];
    const std::int32_t rank = prefs.mentor_rank_of_mentee[static_cast<size_t>(k)];
    ++k;
    ++proposals;
    auto& h = held[static_cast<size_t>(j)];
    const std::int32_t cap = instance.capacity[static_cast<size_t>(j)];
    if (static_cast<std::int32_t>(h.size()) < cap) {
      h.emplace(rank, i);
      free_mentees.pop_back();
    } else if (cap > 0 && rank < h.top().first) {
      const std::int32_t rejected = h.top().second;
      h.pop();
      h.emplace(rank, i);
      free_mentees.back() = rejected;
    }
  }

  solution.mentor_of.assign(n, -1);
  for (size_t j = 0; j < m; ++j) {
    auto& h = held[j];
    while (!h.empty()) {
      solution.mentor_of[static_cast<size_t>(h.top().second)] = static_cast<std::int32_t>(j);
      h.pop();
    }
  }
  solution.proposals = proposals;
  // Totals from the edges of the assignment.
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    const std::int32_t j = solution.mentor_of[i];
    if (j < 0) continue;
    for (auto k = prefs.start[i]; k < prefs.start[i + 1]; ++k) {
      if (prefs.mentor[static_cast<size_t>(k)] != j) continue;
      const Weight w = prefs.weight[static_cast<size_t>(k)];
      ++solution.matched;
      solution.total_weight += w;
      solution.min_weight = first ? w : std::min(solution.min_weight, w);
      first = false;
      break;
    }
  }
  solution.blocking_pairs = FindBlockingPairs(instance, solution.mentor_of);
  solution.status = SolveStatus::kOptimal;
  return solution;
}

}  // namespace tandem::matching
