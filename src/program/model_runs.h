#pragma once
// The structural mentoring models as use cases over the engine: speed mentoring, rotation, peer
// pairs, mentor-led groups and peer circles. Each scores people with the program's configuration
// (scoring.h), builds the model's problem, solves it, checks the result with the model's
// independent checker and keeps the person indices so the caller can name everyone.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/person.h"
#include "core/status.h"
#include "matching/config.h"
#include "matching/groups.h"
#include "matching/peer.h"
#include "matching/rotation.h"
#include "matching/speed.h"
#include "program/match_run.h"

namespace tandem::program {

struct SpeedReport {
  matching::SpeedProblem problem;
  matching::SpeedResult result;
  std::vector<std::int32_t> mentees;  // instance mentee i == people[mentees[i]]
  std::vector<std::int32_t> mentors;
};
Result<SpeedReport> RunSpeedMentoring(const std::vector<Person>& people,
                                      const matching::MatchConfig& config, int slots,
                                      const MatchOptions& options = {});

struct RotationReport {
  matching::RotationProblem problem;
  matching::RotationResult result;
  std::vector<std::int32_t> mentees;
  std::vector<std::int32_t> mentors;
  int history_pairs_unknown = 0;  // history rows naming people not in this program
};
// history: (mentee id, mentor id) pairs from earlier programs; they are never repeated.
Result<RotationReport> RunRotation(const std::vector<Person>& people,
                                   const matching::MatchConfig& config, int rounds,
                                   const std::vector<std::pair<std::string, std::string>>& history,
                                   const MatchOptions& options = {});

struct PeerRunOptions {
  bool stable = false;      // stable roommates (Irving) instead of maximum weight
  bool allow_trio = false;  // an odd person out joins the best-fitting pair
  int max_level_gap = 2;    // peers are at most this many seniority levels apart
};
struct PeerReport {
  matching::PeerInstance instance;
  matching::PeerSolution solution;
  std::vector<std::int32_t> pool;  // instance person v == people[pool[v]]
};
// The pool is everyone in the file. A pair's score is the mean of its two directed scores; both
// directions must pass the hard rules (capacity and seniority rules do not apply to peers).
Result<PeerReport> RunPeer(const std::vector<Person>& people, const matching::MatchConfig& config,
                           const PeerRunOptions& peer, const MatchOptions& options = {});

struct GroupReport {
  matching::GroupProblem problem;
  matching::GroupResult result;
  std::vector<std::int32_t> mentees;
  std::vector<std::int32_t> mentors;
};
// Each mentor leads a group of up to mentor_capacity mentees and at least min_size.
// With `mix`, groups that span more departments and sites score higher.
Result<GroupReport> RunGroups(const std::vector<Person>& people,
                              const matching::MatchConfig& config, int min_size, bool mix,
                              const MatchOptions& options = {});

struct CircleReport {
  matching::CircleProblem problem;
  matching::CircleResult result;
  std::vector<std::int32_t> pool;
};
// Peer circles of `size` from everyone in the file, cohesive by shared goals and skills wanted.
Result<CircleReport> RunCircles(const std::vector<Person>& people, int size, bool mix,
                                const MatchOptions& options = {});

// Each model's outcome per person as a MatchReport (pairs and unmatched), so that the fairness
// audit (analytics/fairness_audit.h) applies to every model:
// speed: a mentee with at least one meeting counts as matched, with the mean score of their
// meetings; rotation: the given round; peer and circles: everyone in the pool, paired / placed
// or not (circles score 1 for placed); groups: mentees placed in a group with their pair score.
MatchReport OutcomeOf(const SpeedReport& report);
MatchReport OutcomeOf(const RotationReport& report, int round);
MatchReport OutcomeOf(const PeerReport& report);
MatchReport OutcomeOf(const GroupReport& report);

// The peer scoring configuration derived from a program's: no seniority criterion or rule.
matching::MatchConfig PeerConfig(matching::MatchConfig config);

}  // namespace tandem::program
