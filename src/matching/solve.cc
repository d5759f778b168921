#include "matching/solve.h"

#include "matching/fair.h"
#include "matching/stable.h"
#include "matching/welfare.h"

namespace tandem::matching {

Solution Solve(const Instance& instance, const SolveOptions& options) {
  switch (options.objective) {
    case Objective::kWelfare:
      return SolveWelfare(instance, options);
    case Objective::kStable:
      return SolveStable(instance, options);
    case Objective::kFair:
      return SolveFair(instance, options);
  }
  return SolveWelfare(instance, options);
}

}  // namespace tandem::matching
