#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "io/instance_json.h"
#include "matching/certificate.h"
#include "matching/config.h"
#include "matching/solve.h"

namespace tandem::cli {
namespace {

int Emit(const std::string& json, const SolveArgs& args, const Status& certificate) {
  if (args.output_path.empty()) {
    std::fputs((json + "\n").c_str(), stdout);
  } else if (Status s = WriteFileAtomically(args.output_path, json + "\n"); !s.ok()) {
    return Fail(s);
  }
  if (!certificate.ok()) {
    return Fail(Status::Internal("certificate check failed: " + certificate.message()));
  }
  return kExitOk;
}

// Speed, rotation and peer instances.
int SolveModel(const io::ExplicitInstance& input, const matching::SolveOptions& options,
               const SolveArgs& args) {
  switch (input.model) {
    case io::InstanceModel::kSpeed: {
      matching::SpeedProblem problem;
      problem.instance = input.instance;
      problem.slots = input.slots;
      matching::SpeedResult result = matching::SolveSpeed(problem, options);
      if (result.status == matching::SolveStatus::kCancelled)
        return Fail(Status::Cancelled("cancelled"));
      if (result.status != matching::SolveStatus::kOptimal) {
        return Fail(Status::Invalid(args.instance_path + ": " + result.message));
      }
      Status cert = matching::CheckSpeedSelection(problem, result);
      if (cert.ok()) cert = matching::CheckSpeedTimetable(problem, result);
      return Emit(io::SpeedToJson(input, result, cert), args, cert);
    }
    case io::InstanceModel::kRotation: {
      matching::RotationProblem problem;
      problem.instance = input.instance;
      problem.rounds = input.rounds;
      problem.history = input.history;
      matching::RotationResult result = matching::SolveRotation(problem, options);
      if (result.status == matching::SolveStatus::kCancelled)
        return Fail(Status::Cancelled("cancelled"));
      if (result.status != matching::SolveStatus::kOptimal) {
        return Fail(Status::Invalid(args.instance_path + ": " + result.message));
      }
      const Status cert = matching::CheckRotation(problem, result);
      return Emit(io::RotationToJson(input, result, cert), args, cert);
    }
    case io::InstanceModel::kPeer: {
      const bool stable = options.objective == matching::Objective::kStable;
      matching::PeerSolution solution = stable ? matching::SolveStableRoommates(input.peer, options)
                                               : matching::SolveMaxWeightPeer(input.peer, options);
      if (solution.status == matching::SolveStatus::kCancelled)
        return Fail(Status::Cancelled("cancelled"));
      if (solution.status != matching::SolveStatus::kOptimal) {
        return Fail(Status::Invalid(args.instance_path + ": " + solution.message));
      }
      Status cert = matching::CheckPeerPairing(input.peer, solution);
      if (cert.ok() && solution.method == matching::PeerMethod::kMaxWeightMatching) {
        cert = matching::CheckPeerCertificate(
            stable ? matching::AcceptablePeerPairs(input.peer) : input.peer, solution);
      }
      if (cert.ok() && solution.method == matching::PeerMethod::kStableRoommates &&
          !matching::FindPeerBlockingPairs(input.peer, solution.partner).empty()) {
        cert = Status::Internal("blocking pairs in a stable pairing");
      }
      return Emit(io::PeerToJson(input, solution, cert), args, cert);
    }
    case io::InstanceModel::kGroup: {
      matching::GroupProblem problem = input.group;
      problem.instance = input.instance;
      matching::GroupResult result = matching::SolveGroups(problem, options);
      if (result.status == matching::SolveStatus::kCancelled) {
        return Fail(Status::Cancelled("cancelled"));
      }
      if (result.status != matching::SolveStatus::kOptimal) {
        return Fail(Status::Invalid(args.instance_path + ": " + result.message));
      }
      const Status cert = matching::CheckGroups(problem, result);
      return Emit(io::GroupsToJson(input, result, cert), args, cert);
    }
    case io::InstanceModel::kCircle: {
      matching::CircleResult result = matching::SolveCircles(input.circle, options);
      if (result.status == matching::SolveStatus::kCancelled) {
        return Fail(Status::Cancelled("cancelled"));
      }
      if (result.status != matching::SolveStatus::kOptimal) {
        return Fail(Status::Invalid(args.instance_path + ": " + result.message));
      }
      const Status cert = matching::CheckCircles(input.circle, result);
      return Emit(io::CirclesToJson(input, result, cert), args, cert);
    }
    case io::InstanceModel::kAssignment:
      break;
  }
  return Fail(Status::Internal("unknown model"));
}

}  // namespace

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
  if (loaded->model != io::InstanceModel::kAssignment) {
    const int code = SolveModel(*loaded, options, args);
    bar.Finish();
    return code;
  }
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
