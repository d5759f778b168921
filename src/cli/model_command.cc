// `tandem match --model speed|rotation|peer|group|circle`: the structural models.
#include <cstdio>
#include <filesystem>

#include "analytics/fairness_audit.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/inputs.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "io/history.h"
#include "io/model_output.h"
#include "program/model_runs.h"

namespace tandem::cli {
namespace {

using matching::WeightToScore;

Status WriteOutputs(const std::string& folder,
                    const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status::Io(folder + ": cannot create the folder");
  for (const auto& [name, content] : files) {
    if (Status s = WriteFileAtomically((std::filesystem::path(folder) / name).string(), content);
        !s.ok()) {
      return s;
    }
  }
  std::printf("\nwrote");
  for (const auto& [name, content] : files) std::printf(" %s", name.c_str());
  std::printf(" to %s\n", folder.c_str());
  return Status::Ok();
}

int Speed(const MatchArgs& args, const std::vector<Person>& people,
          const matching::MatchConfig& config, const program::MatchOptions& options,
          ProgressBar& bar) {
  auto report = program::RunSpeedMentoring(people, config, args.slots, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  const auto& r = report->result;
  std::printf("Speed mentoring: %zu mentees, %zu mentors, %d slots\n", report->mentees.size(),
              report->mentors.size(), args.slots);
  std::printf("  %d meetings chosen (the most possible, then the best total score %.3f)\n",
              r.num_meetings, WeightToScore(r.total_weight));
  std::printf("  every meeting has a slot; nobody is booked twice in a slot (checked)\n");
  for (size_t s = 0; s < r.slot_meetings.size(); ++s) {
    std::printf("  slot %2zu: %zu meetings\n", s + 1, r.slot_meetings[s].size());
  }
  PrintAudit(analytics::AuditRun(program::OutcomeOf(*report), people), args.audit);
  if (Status s =
          WriteOutputs(args.output_dir,
                       {{"timetable.csv", io::SpeedTimetableCsv(*report, people)},
                        {"timetable-by-person.csv", io::SpeedPersonTimetableCsv(*report, people)},
                        {"timetable.html",
                         io::SpeedTimetableHtml(*report, people, "Speed mentoring timetable")}});
      !s.ok()) {
    return Fail(s);
  }
  return kExitOk;
}

int Rotation(const MatchArgs& args, const std::vector<Person>& people,
             const matching::MatchConfig& config, const program::MatchOptions& options,
             ProgressBar& bar) {
  std::vector<std::pair<std::string, std::string>> history;
  if (!args.history_path.empty()) {
    auto loaded = io::LoadPairHistory(args.history_path);
    if (!loaded.ok()) return Fail(loaded.status());
    history = std::move(*loaded);
  }
  auto report = program::RunRotation(people, config, args.rounds, history, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  std::printf("Rotation: %zu mentees, %zu mentors, %d rounds, %zu earlier pairs excluded",
              report->mentees.size(), report->mentors.size(), args.rounds,
              report->problem.history.size());
  if (report->history_pairs_unknown > 0) {
    std::printf(" (%d history rows name people not in this program)",
                report->history_pairs_unknown);
  }
  std::printf("\n");
  for (size_t k = 0; k < report->result.rounds.size(); ++k) {
    const auto& round = report->result.rounds[k];
    std::printf(
        "  round %zu: %d matched, mean score %.3f, %d candidate pairs left (optimal, "
        "certified; no pair repeats)\n",
        k + 1, round.solution.matched,
        round.solution.matched ? WeightToScore(round.solution.total_weight) / round.solution.matched
                               : 0.0,
        round.candidate_pairs);
  }
  if (!report->result.rounds.empty()) {
    std::printf("\nRound 1:");
    PrintAudit(analytics::AuditRun(program::OutcomeOf(*report, 0), people), args.audit);
  }
  if (Status s =
          WriteOutputs(args.output_dir, {{"rotation.csv", io::RotationPlanCsv(*report, people)}});
      !s.ok()) {
    return Fail(s);
  }
  return kExitOk;
}

int Peer(const MatchArgs& args, const std::vector<Person>& people,
         const matching::MatchConfig& config, const program::MatchOptions& options,
         ProgressBar& bar) {
  program::PeerRunOptions peer;
  peer.stable = config.objective == matching::Objective::kStable;
  peer.allow_trio = args.allow_trio;
  peer.max_level_gap = args.peer_level_gap;
  auto report = program::RunPeer(people, config, peer, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  const auto& s = report->solution;
  std::printf("Peer mentoring: %zu people, %zu eligible pairs (at most %d levels apart)\n",
              report->pool.size(), report->instance.edges.size(), args.peer_level_gap);
  std::printf("  %d pairs, total score %.3f, method: %s\n", s.matched_pairs,
              WeightToScore(s.total_weight), matching::PeerMethodName(s.method));
  if (s.method == matching::PeerMethod::kMaxWeightMatching) {
    std::printf("  optimal: most people paired, then the largest total (blossom dual checked)\n");
  } else {
    std::printf("  stable: nobody would both rather pair with each other (checked)\n");
  }
  for (const std::string& note : s.notes) std::printf("  note: %s\n", note.c_str());
  PrintAudit(analytics::AuditRun(program::OutcomeOf(*report), people), args.audit);
  if (Status st = WriteOutputs(args.output_dir, {{"peers.csv", io::PeerPairsCsv(*report, people)}});
      !st.ok()) {
    return Fail(st);
  }
  return kExitOk;
}

int Groups(const MatchArgs& args, const std::vector<Person>& people,
           const matching::MatchConfig& config, const program::MatchOptions& options,
           ProgressBar& bar) {
  auto report = program::RunGroups(people, config, args.group_min, args.mix, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  const auto& r = report->result;
  std::printf("Group mentoring: %zu mentees, %zu mentors, groups of %d to each mentor's capacity\n",
              report->mentees.size(), report->mentors.size(), args.group_min);
  std::printf("  %d mentees placed\n", r.placed);
  std::printf(
      "  objective = pair scores + cohesion (shared goals and wanted skills) - imbalance\n");
  std::printf("    before local search: %.4f (pairs %.3f, cohesion %lld, imbalance %lld)\n",
              r.before.score(), WeightToScore(r.before.pair_weight),
              static_cast<long long>(r.before.cohesion),
              static_cast<long long>(r.before.imbalance));
  std::printf(
      "    after local search:  %.4f (pairs %.3f, cohesion %lld, imbalance %lld; %lld moves, "
      "%lld swaps)\n",
      r.after.score(), WeightToScore(r.after.pair_weight), static_cast<long long>(r.after.cohesion),
      static_cast<long long>(r.after.imbalance), static_cast<long long>(r.moves),
      static_cast<long long>(r.swaps));
  if (args.mix) {
    std::printf(
        "  mix (distinct departments and sites summed over groups, scaled): %lld before, "
        "%lld after\n",
        static_cast<long long>(r.before.diversity), static_cast<long long>(r.after.diversity));
  }
  if (!r.merged_groups.empty()) {
    std::printf("  %zu groups below %d were merged into others\n", r.merged_groups.size(),
                args.group_min);
  }
  if (!r.small_groups.empty()) {
    std::printf("  %zu groups stay below %d (flagged)\n", r.small_groups.size(), args.group_min);
  }
  PrintAudit(analytics::AuditRun(program::OutcomeOf(*report), people), args.audit);
  if (Status s = WriteOutputs(args.output_dir, {{"groups.csv", io::GroupsCsv(*report, people)}});
      !s.ok()) {
    return Fail(s);
  }
  return kExitOk;
}

int Circles(const MatchArgs& args, const std::vector<Person>& people,
            const program::MatchOptions& options, ProgressBar& bar) {
  auto report = program::RunCircles(people, args.circle_size, args.mix, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  const auto& r = report->result;
  std::printf("Peer circles: %zu people in %zu circles of about %d\n", report->pool.size(),
              r.circles.size(), args.circle_size);
  std::printf(
      "  cohesion (shared goals and wanted skills inside circles): %lld before local "
      "search, %lld after (%lld moves, %lld swaps)\n",
      static_cast<long long>(r.before.cohesion), static_cast<long long>(r.after.cohesion),
      static_cast<long long>(r.moves), static_cast<long long>(r.swaps));
  if (Status s = WriteOutputs(args.output_dir, {{"circles.csv", io::CirclesCsv(*report, people)}});
      !s.ok()) {
    return Fail(s);
  }
  return kExitOk;
}

}  // namespace

bool IsStructuralModel(const std::string& model) {
  return model == "speed" || model == "rotation" || model == "peer" || model == "group" ||
         model == "circle";
}

int RunModel(const MatchArgs& args) {
  const std::atomic<bool>* cancel = InstallCancelHandler();
  auto people = LoadPeopleFile(args.people_path, args.skip_bad_rows);
  if (!people.ok()) return Fail(people.status());
  // The scoring configuration: the file's, else the traditional defaults.
  auto config = LoadMatchConfig(args.config_path, "", args.objective);
  if (!config.ok()) return Fail(config.status());
  ProgressBar bar(args.quiet);
  program::MatchOptions options;
  options.progress = [&bar](const char* phase, double f) { bar.Update(phase, f); };
  options.cancel = cancel;
  if (args.model == "speed") return Speed(args, *people, *config, options, bar);
  if (args.model == "rotation") return Rotation(args, *people, *config, options, bar);
  if (args.model == "peer") return Peer(args, *people, *config, options, bar);
  if (args.model == "group") return Groups(args, *people, *config, options, bar);
  return Circles(args, *people, options, bar);
}

}  // namespace tandem::cli
