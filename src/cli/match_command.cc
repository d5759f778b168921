#include <cstdio>
#include <filesystem>

#include "analytics/fairness_audit.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/inputs.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "io/match_output.h"
#include "program/match_run.h"

namespace tandem::cli {

int RunMatch(const MatchArgs& args) {
  const std::atomic<bool>* cancel = InstallCancelHandler();
  auto people = LoadPeopleFile(args.people_path, args.skip_bad_rows);
  if (!people.ok()) return Fail(people.status());
  auto config = LoadMatchConfig(args.config_path, args.model, args.objective);
  if (!config.ok()) return Fail(config.status());

  ProgressBar bar(args.quiet);
  program::MatchOptions options;
  options.progress = [&bar](const char* phase, double f) { bar.Update(phase, f); };
  options.cancel = cancel;
  auto report = program::RunMatching(*people, *config, options);
  bar.Finish();
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kCancelled) {
      return Fail(Status::Cancelled("cancelled; no output was written"));
    }
    return Fail(report.status());
  }
  const analytics::FairnessAudit audit = analytics::AuditRun(*report, *people);
  // Outputs: all written through temporaries, only after the whole run succeeded.
  const std::filesystem::path dir = args.output_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(Status::Io(args.output_dir + ": cannot create the folder"));
  for (const auto& [name, content] :
       {std::pair<const char*, std::string>{"pairs.csv", io::PairsToCsv(*report, *people)},
        {"unmatched.csv", io::UnmatchedToCsv(*report, *people)},
        {"match.json", io::MatchReportToJson(*report, *people, &audit)}}) {
    if (Status s = WriteFileAtomically((dir / name).string(), content); !s.ok()) return Fail(s);
  }
  PrintSummary(*report, *people, *config, args.explain);
  PrintAudit(audit, args.audit);
  std::printf("\nwrote pairs.csv, unmatched.csv and match.json to %s\n", dir.c_str());
  return kExitOk;
}

}  // namespace tandem::cli
