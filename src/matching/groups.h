#pragma once
// Group mentoring: (a) mentor-led groups, each mentor leading a group of mentees, and (b) peer
// circles of about k people from one pool, without a mentor.
//
// Objective (both models; docs/models.md has the worked definition):
//   objective = pair_weight + lambda * cohesion - mu * imbalance + delta * diversity
// where, with S = kScoreScale (so one perfect pair score is worth S),
//   pair_weight = sum of w(mentee, mentor) over group members (0 for peer circles);
//   cohesion    = sum over groups, over unordered pairs of members, of
//                 round(S * |T_a & T_b| / |T_a | T_b|) (Jaccard similarity of the tag sets:
//                 goals and skills wanted, interned ids; 0 when both sets are empty);
//   imbalance   = S * (sum over groups of size^2 - the least such sum for the same number of
//                 people spread over the same number of groups); 0 when sizes differ by <= 1;
//                 groups are the mentors with capacity > 0 (peer circles: the circles);
//   diversity   = S * sum over groups of (distinct departments + distinct sites among members),
//                 unknown (-1) not counted; rewards mixing when delta > 0.
// lambda, mu and delta are used to three decimals, so the objective is the exact integer
// GroupObjective::value = 1000 * pair_weight + L * cohesion - M * imbalance + D * diversity with
// L = round(1000 lambda) etc., and the checker recomputes it to the last unit.
//
// (a) Method: start from an exact capacity assignment (SolveWelfare: most mentees placed, then
// the largest pair weight), then local search: passes over mentees in index order; for each,
// the first improving move to another eligible mentor's group (ascending mentor index), else the
// first improving swap with a member of another group (ascending mentor, then mentee index).
// Deterministic; every accepted step raises the objective, so it never decreases; at most
// max_passes passes. Moves never push a group that meets min_size below it, never exceed a
// capacity and never open a group below min_size. Afterwards groups with 0 < size < min_size are
// merged (kMerge: every member moved to the best eligible group with room; if some member has no
// such group, the group stays and is flagged) or only flagged (kFlag).
//
// (b) Peer circles: sizes are fixed first (CircleSizes), then greedy seeding (each circle starts
// from the unplaced person with the most tags and adds the unplaced person with the highest
// cohesion to it), then the same local search with swaps and with moves that keep the size
// multiset (from a circle of q+1 to one of q).
//
// Complexity: O(n * G) memory for the per-person group affinities (n people, G groups);
// O(n^2) tag merges to initialise; one pass evaluates O(n * G * group size) moves and swaps in
// O(1) or O(log) each; an accepted step costs O(n) tag merges.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

struct GroupWeights {
  double cohesion = 0.1;   // lambda, in [0, 1000]
  double balance = 0.05;   // mu, in [0, 1000]
  double diversity = 0.0;  // delta, in [0, 1000]
};

struct GroupObjective {
  Weight pair_weight = 0;
  std::int64_t cohesion = 0;
  std::int64_t imbalance = 0;
  std::int64_t diversity = 0;
  std::int64_t value = 0;  // 1000 * pair_weight + L * cohesion - M * imbalance + D * diversity
  // In score units (one perfect pair = 1.0).
  double score() const { return static_cast<double>(value) / (1000.0 * kScoreScale); }
};

enum class SmallGroupPolicy {
  kMerge,  // move the members of a group below min_size into other groups when all fit
  kFlag,   // keep such groups and list them
};

struct GroupProblem {
  Instance instance;  // mentees x mentors; capacity[j] = largest group mentor j leads
  std::int32_t min_size = 1;
  // Optional per-mentee data; each either empty or one entry per mentee.
  std::vector<std::vector<std::int32_t>> mentee_tags;  // interned goal / skill ids
  std::vector<std::int32_t> mentee_department;         // interned id, -1 unknown
  std::vector<std::int32_t> mentee_site;               // interned id, -1 unknown
  GroupWeights weights;
  SmallGroupPolicy small_groups = SmallGroupPolicy::kMerge;
  std::int32_t max_passes = 50;
};

struct GroupResult {
  SolveStatus status = SolveStatus::kOptimal;  // kOptimal: the procedure ran to its end (the
                                               // local search is a heuristic, not an optimum)
  std::string message;
  std::vector<std::int32_t> mentor_of;             // per mentee, -1 unplaced
  std::vector<std::vector<std::int32_t>> members;  // per mentor, ascending mentee index
  std::int32_t placed = 0;
  GroupObjective before;                    // the welfare assignment
  GroupObjective after;                     // after local search and merging
  std::vector<std::int32_t> merged_groups;  // mentors whose small group was dissolved
  std::vector<std::int32_t> small_groups;   // mentors whose group stays below min_size
  std::int64_t moves = 0;
  std::int64_t swaps = 0;
  std::int64_t passes = 0;
  std::int64_t evaluations = 0;
};

// Bad input (Validate(instance), sizes of the optional vectors, min_size < 0, a weight outside
// [0, 1000], max_passes < 0) gives kBadInput; cancel gives kCancelled. Progress phases
// "assigning" (welfare) and "grouping". Deterministic; thread-safe for distinct problems.
GroupResult SolveGroups(const GroupProblem& problem, const SolveOptions& options = {});

// The objective of an assignment, computed from scratch (REQUIRES: a valid problem and
// mentor_of.size() == num_mentees; unknown pairs count weight 0).
GroupObjective EvaluateGroups(const GroupProblem& problem,
                              const std::vector<std::int32_t>& mentor_of);

// Every mentee in at most one group of an eligible mentor, members lists agree, sizes <=
// capacity, groups below min_size exactly the flagged ones, placed count, and `after` equal to
// EvaluateGroups.
Status CheckGroups(const GroupProblem& problem, const GroupResult& result);

// Peer circles.
enum class CircleRemainder {
  kLarger,   // n mod k extra people join circles of k + 1 (floor(n / k) circles)
  kSmaller,  // ceil(n / k) circles; some have k - 1
};

struct CircleProblem {
  std::int32_t num_people = 0;
  std::int32_t circle_size = 4;                 // k >= 1
  std::vector<std::vector<std::int32_t>> tags;  // empty or one per person
  std::vector<std::int32_t> department;         // empty or one per person; -1 unknown
  std::vector<std::int32_t> site;               // empty or one per person; -1 unknown
  GroupWeights weights;  // balance has no effect: circle sizes are fixed by CircleSizes
  CircleRemainder remainder = CircleRemainder::kLarger;
  std::int32_t max_passes = 50;
};

// The circle sizes, largest first, differing by at most one. n divisible by k: n / k circles of
// k. Otherwise the requested remainder policy when it keeps every size within k +- 1 (kLarger
// needs n mod k <= floor(n / k); kSmaller needs k - n mod k <= ceil(n / k)), else the other one,
// else whichever of floor(n / k) and ceil(n / k) circles strays least from k (ties: requested).
// n <= k gives one circle of n. REQUIRES: num_people >= 0, k >= 1.
std::vector<std::int32_t> CircleSizes(std::int32_t num_people, std::int32_t k,
                                      CircleRemainder remainder);

struct CircleResult {
  SolveStatus status = SolveStatus::kOptimal;
  std::string message;
  std::vector<std::int32_t> circle_of;             // per person
  std::vector<std::vector<std::int32_t>> circles;  // ascending person index
  GroupObjective before;                           // after greedy seeding
  GroupObjective after;                            // after local search
  std::int64_t moves = 0;
  std::int64_t swaps = 0;
  std::int64_t passes = 0;
  std::int64_t evaluations = 0;
};

CircleResult SolveCircles(const CircleProblem& problem, const SolveOptions& options = {});

// From scratch, as EvaluateGroups with pair_weight 0 and the circles as groups.
GroupObjective EvaluateCircles(const CircleProblem& problem,
                               const std::vector<std::int32_t>& circle_of);

// Everybody in exactly one circle, circles lists agree, the multiset of sizes equals
// CircleSizes, and `after` equals EvaluateCircles.
Status CheckCircles(const CircleProblem& problem, const CircleResult& result);

}  // namespace tandem::matching
