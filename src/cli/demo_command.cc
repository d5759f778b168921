#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "analytics/fairness_audit.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "io/match_output.h"
#include "io/people_export.h"
#include "program/match_run.h"
#include "sample/organization.h"

namespace tandem::cli {

int RunDemo(const DemoArgs& args) {
  const std::atomic<bool>* cancel = InstallCancelHandler();
  if (args.people < 10 || args.people > 2'000'000) {
    return Fail(Status::Invalid("--people: must be between 10 and 2000000"));
  }
  sample::OrganizationSpec spec;
  spec.people = args.people;
  spec.seed = args.seed;
  const std::vector<Person> people = sample::GenerateOrganization(spec);

  std::map<std::string, int> departments;
  std::map<std::string, std::string> sites;  // site -> time zone
  int mentors = 0;
  int mentees = 0;
  for (const Person& p : people) {
    ++departments[p.department];
    sites[p.site] = p.time_zone;
    if (p.role == ProgramRole::kMentor ||
        (p.role == ProgramRole::kEither && p.mentor_capacity > 0)) {
      ++mentors;
    } else {
      ++mentees;
    }
  }
  std::printf("Tandem demo: a generated organization of %zu people (seed %llu)\n", people.size(),
              static_cast<unsigned long long>(args.seed));
  std::printf("  %zu departments:", departments.size());
  for (const auto& [name, count] : departments) std::printf(" %s (%d)", name.c_str(), count);
  std::printf("\n  %zu sites:", sites.size());
  for (const auto& [name, zone] : sites) std::printf(" %s [%s]", name.c_str(), zone.c_str());
  std::printf("\n  %d people applied as mentees, %d as mentors\n", mentees, mentors);

  matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  if (!args.objective.empty()) {
    auto objective = matching::ParseObjective(args.objective);
    if (!objective) return Fail(Status::Invalid("--objective: must be welfare, stable or fair"));
    config.objective = *objective;
  }
  ProgressBar bar(args.quiet);
  program::MatchOptions options;
  options.progress = [&bar](const char* phase, double f) { bar.Update(phase, f); };
  options.cancel = cancel;
  auto report = program::RunMatching(people, config, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  PrintSummary(*report, people, config, args.explain);
  const analytics::FairnessAudit audit = analytics::AuditRun(*report, people);
  PrintAudit(audit, false);

  if (!args.output_dir.empty()) {
    const std::filesystem::path dir = args.output_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Fail(Status::Io(args.output_dir + ": cannot create the folder"));
    for (const auto& [name, content] :
         {std::pair<const char*, std::string>{"people.csv", io::PeopleToCsv(people)},
          {"pairs.csv", io::PairsToCsv(*report, people)},
          {"unmatched.csv", io::UnmatchedToCsv(*report, people)},
          {"match.json", io::MatchReportToJson(*report, people, &audit)}}) {
      if (Status s = WriteFileAtomically((dir / name).string(), content); !s.ok()) return Fail(s);
    }
    std::printf("\nwrote people.csv, pairs.csv, unmatched.csv and match.json to %s\n", dir.c_str());
  }
  std::printf(
      "\nNext: `tandem match --people samples/people.csv` matches your own people "
      "(docs/import-format.md).\n");
  return kExitOk;
}

}  // namespace tandem::cli
