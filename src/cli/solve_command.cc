#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "io/instance_json.h"
#include "matching/certificate.h"
#include "matching/config.h"
#include "matching/solve.h"

namespace tandem::cli {

int RunSolve(const SolveArgs& args) {
  const std::atomic<bool>* cancel = InstallCancelHandler();
  auto loaded = io::LoadInstance(args.instance_path);
  if (!loaded.ok()) return Fail(loaded.status());
  matching::SolveOptions options;
  options.objective = loaded->objective.value_or(matching::Objective::kWelfare);
  if (!args.objective.empty()) {
    auto objective = matching::ParseObjective(args.objective);
    if (!objective) return Fail(Status::Invalid("--objective: must be welfare, stable or fair"));
    options.objective = *objective;
  }
  ProgressBar bar(args.quiet);
  options.progress = [&bar](const char* phase, double f) { bar.Update(phase, f); };
  options.cancel = cancel;
  const matching::Instance& instance = loaded->instance;
  matching::Solution solution = matching::Solve(instance, options);
  bar.Finish();
  if (solution.status == matching::SolveStatus::kCancelled) {
    return Fail(Status::Cancelled("cancelled; nothing was written"));
  }
  if (solution.status != matching::SolveStatus::kOptimal) {
    return Fail(Status::Invalid(args.instance_path + ": " + solution.message));
  }
  Status certificate;
  switch (solution.objective) {
    case matching::Objective::kWelfare:
      certificate = matching::CheckWelfareCertificate(instance, solution);
      break;
    case matching::Objective::kFair:
      certificate = matching::CheckFairCertificate(instance, solution);
      break;
    case matching::Objective::kStable:
      certificate = matching::CheckAssignment(instance, solution);
      if (certificate.ok() && !solution.blocking_pairs.empty()) {
        certificate = Status::Internal("the assignment has blocking pairs");
      }
      break;
  }
  const std::string json =
      io::SolutionToJson(instance, solution, loaded->integer_weights, certificate) + "\n";
  if (args.output_path.empty()) {
    std::fputs(json.c_str(), stdout);
  } else if (Status s = WriteFileAtomically(args.output_path, json); !s.ok()) {
    return Fail(s);
  }
  if (!certificate.ok())
    return Fail(Status::Internal("certificate check failed: " + certificate.message()));
  return kExitOk;
}

}  // namespace tandem::cli
