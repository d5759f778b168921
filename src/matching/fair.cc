#include "matching/fair.h"

#include <algorithm>
#include <vector>

#include "matching/certificate.h"
#include "matching/welfare.h"

namespace tandem::matching {

Solution SolveFair(const Instance& instance, const SolveOptions& options) {
  Solution bad;
  bad.objective = Objective::kFair;
  if (Status s = Validate(instance); !s.ok()) {
    bad.status = SolveStatus::kBadInput;
    bad.message = s.message();
    return bad;
  }
  std::vector<Weight> weights;
  weights.reserve(instance.edges.size());
  for (const Edge& e : instance.edges) weights.push_back(e.weight);
  std::sort(weights.begin(), weights.end());
  weights.erase(std::unique(weights.begin(), weights.end()), weights.end());

  const std::int32_t best = MaxMatchable(instance, 0);
  // Largest index lo such that edges >= weights[lo] still match `best` mentees.
  size_t lo = 0;
  size_t hi = weights.size();  // exclusive
  std::int32_t steps = 0;
  while (best > 0 && hi - lo > 1) {
    if (options.cancel != nullptr && options.cancel->load()) {
      bad.status = SolveStatus::kCancelled;
      bad.message = "cancelled";
      return bad;
    }
    const size_t mid = lo + (hi - lo) / 2;
    if (MaxMatchable(instance, weights[mid]) == best) {
      lo = mid;
    } else {
      hi = mid;
    }
    if (options.progress) options.progress("threshold search", std::min(0.9, 0.1 * ++steps));
  }
  const Weight threshold = weights.empty() || best == 0 ? 0 : weights[lo];
  SolveOptions inner = options;
  inner.objective = Objective::kFair;
  Solution solution = SolveWelfareAtLeast(instance, threshold, inner);
  if (solution.status != SolveStatus::kOptimal) return solution;
  solution.fair_threshold = threshold;
  solution.matched_above_threshold =
      lo + 1 < weights.size() ? MaxMatchable(instance, weights[lo + 1]) : 0;
  return solution;
}

}  // namespace tandem::matching
