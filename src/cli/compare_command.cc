#include <cstdio>

#include "analytics/what_if.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/inputs.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "program/match_run.h"

namespace tandem::cli {

int RunCompare(const CompareArgs& args) {
  const std::atomic<bool>* cancel = InstallCancelHandler();
  auto people = LoadPeopleFile(args.people_path, args.skip_bad_rows);
  if (!people.ok()) return Fail(people.status());
  auto a = LoadMatchConfig(args.config_a, args.model_a, args.objective_a);
  if (!a.ok()) return Fail(Status(a.status().code(), "A: " + a.status().message()));
  auto b = LoadMatchConfig(args.config_b, args.model_b, args.objective_b);
  if (!b.ok()) return Fail(Status(b.status().code(), "B: " + b.status().message()));
  ProgressBar bar(args.quiet);
  program::MatchOptions options;
  options.progress = [&bar](const char* phase, double f) { bar.Update(phase, f); };
  options.cancel = cancel;
  auto run_a = program::RunMatching(*people, *a, options);
  if (!run_a.ok()) return Fail(run_a.status());
  auto run_b = program::RunMatching(*people, *b, options);
  bar.Finish();
  if (!run_b.ok()) return Fail(run_b.status());
  const analytics::RunComparison comparison = analytics::CompareRuns(*run_a, *run_b, *people);
  std::printf(
      "What-if on %zu people: A = %s, B = %s\n", people->size(),
      args.config_a.empty() ? (args.model_a.empty() ? "traditional defaults" : args.model_a.c_str())
                            : args.config_a.c_str(),
      args.config_b.empty() ? (args.model_b.empty() ? "traditional defaults" : args.model_b.c_str())
                            : args.config_b.c_str());
  PrintComparison(*run_a, *run_b, comparison, *people, args.examples);
  return kExitOk;
}

}  // namespace tandem::cli
