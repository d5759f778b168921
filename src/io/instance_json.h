#pragma once
// Explicit engine instances in JSON, so the solvers can be driven directly (textbook instances,
// comparisons with other solvers). Format (docs/instance-format.md):
//   {
//     "objective": "welfare" | "stable" | "fair",      (optional, default welfare)
//     "mentees": 3 | ["ana", "ben", "chi"],
//     "mentors": [2, 1] | [{"id": "x", "capacity": 2}, ...],
//     exactly one of
//       "scores":  [[0.8, null, 0.4], ...]    dense mentees x mentors in [0, 1]; null = ineligible
//       "weights": [[800, null, 400], ...]    dense integer weights in [0, 10^9]
//       "edges":   [[mentee, mentor, score], ...]   sparse, score in [0, 1]
//     "mentee_ranking": [[mentor, ...], ...],  (optional, most preferred first)
//     "mentor_ranking": [[mentee, ...], ...]   (optional)
//   }
// plus "model": "speed" with "slots", "rotation" with "rounds" and "history", "peer" with
// "people" and a symmetric matrix or [a, b, score] edges, "group" with "min_size" and mentee
// tags, or "circle" with "people", "circle_size" and tags (docs/instance-format.md).

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "matching/groups.h"
#include "matching/instance.h"
#include "matching/peer.h"
#include "matching/rotation.h"
#include "matching/solution.h"
#include "matching/speed.h"

namespace tandem::io {

enum class InstanceModel { kAssignment, kSpeed, kRotation, kPeer, kGroup, kCircle };

struct ExplicitInstance {
  InstanceModel model = InstanceModel::kAssignment;
  matching::Instance instance;  // assignment, speed, rotation
  std::optional<matching::Objective> objective;
  bool integer_weights = false;  // "weights" given: report weights, not scores
  std::int32_t slots = 0;        // speed
  std::int32_t rounds = 0;       // rotation
  std::vector<std::pair<std::int32_t, std::int32_t>> history;  // rotation
  matching::PeerInstance peer;                                 // peer
  matching::GroupProblem group;                                // group (its instance is `instance`)
  matching::CircleProblem circle;                              // circle
};

Result<ExplicitInstance> ParseInstanceJson(std::string_view text, std::string_view source_name);
Result<ExplicitInstance> LoadInstance(const std::string& path);

// The solution as JSON: status, objective, totals, pairs, certificate and blocking pairs.
std::string SolutionToJson(const matching::Instance& instance, const matching::Solution& solution,
                           bool integer_weights, const Status& certificate);

std::string SpeedToJson(const ExplicitInstance& input, const matching::SpeedResult& result,
                        const Status& certificate);
std::string RotationToJson(const ExplicitInstance& input, const matching::RotationResult& result,
                           const Status& certificate);
std::string GroupsToJson(const ExplicitInstance& input, const matching::GroupResult& result,
                         const Status& certificate);
std::string CirclesToJson(const ExplicitInstance& input, const matching::CircleResult& result,
                          const Status& certificate);
std::string PeerToJson(const ExplicitInstance& input, const matching::PeerSolution& solution,
                       const Status& certificate);

}  // namespace tandem::io
