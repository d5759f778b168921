#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "io/config_json.h"
#include "io/match_output.h"
#include "io/people_import.h"
#include "program/match_run.h"

namespace tandem::cli {

int RunMatch(const MatchArgs& args) {
  const std::atomic<bool>* cancel = InstallCancelHandler();
  io::ImportOptions import_options;
  import_options.skip_bad_rows = args.skip_bad_rows;
  auto people = io::LoadPeople(args.people_path, import_options);
  if (!people.ok()) return Fail(people.status());
  for (const io::RowError& e : people->errors) {
    std::fprintf(stderr, "skipped: %s\n", e.ToString().c_str());
  }
  matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  if (!args.config_path.empty()) {
    auto loaded = io::LoadConfig(args.config_path);
    if (!loaded.ok()) return Fail(loaded.status());
    config = *loaded;
  } else if (!args.model.empty()) {
    auto model = matching::ParseModel(args.model);
    if (!model) return Fail(Status::Invalid("--model: unknown model '" + args.model + "'"));
    config = matching::DefaultConfig(*model);
  }
  if (!args.objective.empty()) {
    auto objective = matching::ParseObjective(args.objective);
    if (!objective) return Fail(Status::Invalid("--objective: must be welfare, stable or fair"));
    config.objective = *objective;
  }
  if (Status s = matching::Validate(config); !s.ok()) return Fail(s);

  ProgressBar bar(args.quiet);
  program::MatchOptions options;
  options.progress = [&bar](const char* phase, double f) { bar.Update(phase, f); };
  options.cancel = cancel;
  auto report = program::RunMatching(people->people, config, options);
  bar.Finish();
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kCancelled) {
      return Fail(Status::Cancelled("cancelled; no output was written"));
    }
    return Fail(report.status());
  }
  // Outputs: all written through temporaries, only after the whole run succeeded.
  const std::filesystem::path dir = args.output_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(Status::Io(args.output_dir + ": cannot create the folder"));
  const std::vector<Person>& ppl = people->people;
  if (Status s = WriteFileAtomically((dir / "pairs.csv").string(), io::PairsToCsv(*report, ppl));
      !s.ok()) {
    return Fail(s);
  }
  if (Status s =
          WriteFileAtomically((dir / "unmatched.csv").string(), io::UnmatchedToCsv(*report, ppl));
      !s.ok()) {
    return Fail(s);
  }
  if (Status s =
          WriteFileAtomically((dir / "match.json").string(), io::MatchReportToJson(*report, ppl));
      !s.ok()) {
    return Fail(s);
  }
  PrintSummary(*report, ppl, config, args.explain);
  std::printf("\nwrote %s, %s and %s\n", (dir / "pairs.csv").c_str(),
              (dir / "unmatched.csv").c_str(), (dir / "match.json").c_str());
  return kExitOk;
}

}  // namespace tandem::cli
