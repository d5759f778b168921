#pragma once
// Peer mentoring: pairs drawn from ONE pool of people, so the graph of eligible pairs is general
// (not bipartite). Two solvers and their independent checks:
//
// SolveMaxWeightPeer: the most pairs first, then the largest total weight (maximum-weight
//   matching among the maximum-cardinality ones). Method: Edmonds' primal-dual blossom algorithm
//   (Edmonds 1965, "Maximum matching and a polyhedron with 0,1-vertices"; Gabow 1976; Galil 1986,
//   "Efficient algorithms for finding maximum matching in graphs"). "Most pairs first" is the
//   bonus trick: every pair is worth weight + bonus with bonus > max_weight * floor(n / 2), so one
//   more pair outweighs any total weight (PeerOptions::max_cardinality_first = false drops the
//   bonus and gives the plain maximum-weight matching). Alternating trees grow from all unpaired
//   people at once; the dual change delta is found with one event priority queue keyed by the
//   "time" (total dual change) at which an edge gets tight, an odd blossom's dual reaches zero or
//   a vertex dual reaches zero. Duals are stored relative to that clock (Galil-Micali-Gabow
//   style lazy offsets), so a dual step costs O(1) and each label change costs O(degree log m).
//   After an augmentation only the two trees it joined are dissolved; the other trees keep
//   growing. Vertex duals start at each person's best pair weight and pairs that are tight at
//   the start are paired greedily. Blossom shrinking and expansion cost O(|B|). Worst case
//   O(n * (m log m + n^2)) for n people and m pairs; on scored candidate graphs it is close to
//   O(m log m) per "wave" of augmentations. Exact on integer weights; 64-bit throughout.
//
//   The answer carries an optimal dual solution of Edmonds' LP (the matching polytope):
//     y_v >= 0 per person, z_B >= 0 per odd set B (the blossoms), every pair (a, b) covered:
//     y_a + y_b + sum_{B contains a and b} z_B >= weight_ab + bonus,
//   tight on paired people, y_v = 0 for unpaired people, z_B > 0 only for full sets
//   ((|B| - 1) / 2 pairs inside B), and sum_v y_v + sum_B z_B * floor(|B| / 2) equals the total
//   weight + bonus * pairs. The duals are integers scaled by `dual_scale` (1, 2 or 4: the
//   algorithm works in quarters so that every dual step is an integer). CheckPeerCertificate()
//   verifies all of it without the solver's code.
//
// SolveStableRoommates: Irving's algorithm (Irving 1985, "An efficient algorithm for the stable
//   roommates problem", J. Algorithms 6; incomplete lists as in Gusfield & Irving 1989, "The
//   Stable Marriage Problem: Structure and Algorithms", section 4.5): phase 1 proposals, phase 2
//   rotation elimination, O(m) list operations plus the rotation searches. When no stable
//   matching exists it says so (stable_exists = false, a note) and returns instead the
//   max-weight peer matching over the acceptable pairs, with its blocking pairs listed.
//
// Odd pools: someone is necessarily unpaired; `notes` names every unpaired person and why.
// With PeerOptions::allow_trio each unpaired person may join the pair it scores best with, as a
// trio listed in `trios` (the pairing in `partner` is unchanged).
//
// Everything here is standard library only and thread-safe for distinct inputs.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

// One eligible pair of people; unordered: (a, b) and (b, a) are the same pair.
struct PeerEdge {
  std::int32_t a = 0;
  std::int32_t b = 0;
  Weight weight = 0;  // 0 <= weight <= kMaxWeight
};

struct PeerInstance {
  std::int32_t num_people = 0;
  std::vector<PeerEdge> edges;  // eligible pairs, at most one per unordered pair, no self pairs

  // Optional, for the roommates solver: per person the acceptable partners, most preferred
  // first (size num_people or empty). A pair is acceptable when it is an edge and, if rankings
  // are given, each ranks the other. Without rankings, preferences are induced from weights:
  // higher weight first, ties broken by the lower index.
  std::vector<std::vector<std::int32_t>> ranking;

  // Optional labels (ids) for notes and output; empty or one per person.
  std::vector<std::string> labels;
};

// Checks indices, weights (0..kMaxWeight), self pairs, duplicate pairs, rankings and labels, and
// that the exact objective fits in 64 bits. The message names the offending edge or entry.
Status Validate(const PeerInstance& instance);

struct PeerOptions {
  // true: the most pairs first, then the most weight. false: plain maximum total weight (a
  // pair of weight 0 adds nothing then, and may be left out).
  bool max_cardinality_first = true;
  // Attach each unpaired person to the pair it scores best with (see PeerTrio).
  bool allow_trio = false;
};

// An unpaired person attached to a pair: score = weight(third, a) + weight(third, b), a missing
// pair counting 0; at least one of the two pairs must be an edge. Each pair takes at most one
// third; unpaired people are placed best score first.
struct PeerTrio {
  std::int32_t a = 0;  // the pair (a < b)
  std::int32_t b = 0;
  std::int32_t third = 0;
  Weight score = 0;
};

enum class PeerMethod {
  kMaxWeightMatching,  // SolveMaxWeightPeer, or the roommates fallback when no stable matching
  kStableRoommates,    // Irving's algorithm found a stable matching
};

struct PeerSolution {
  SolveStatus status = SolveStatus::kOptimal;
  std::string message;  // why, when status != kOptimal
  PeerMethod method = PeerMethod::kMaxWeightMatching;

  std::vector<std::int32_t> partner;  // per person: the partner, or -1 when unpaired
  std::int32_t matched_pairs = 0;
  Weight total_weight = 0;             // sum of the weights of the pairs
  std::vector<std::int32_t> unpaired;  // people with partner -1, ascending

  // Certificate (method kMaxWeight): see the header comment. vertex_dual[v] = dual_scale * y_v,
  // blossom_dual[k] = dual_scale * z_B for the odd set blossoms[k] (its people, any order). Only
  // sets with z_B > 0 are listed. bonus is 0 when max_cardinality_first is false.
  Weight bonus = 0;
  Weight dual_scale = 1;
  std::vector<Weight> vertex_dual;
  std::vector<std::vector<std::int32_t>> blossoms;
  std::vector<Weight> blossom_dual;

  // Roommates: whether a stable matching exists; blocking pairs (a < b) of the returned
  // matching under the preferences (empty when stable). Max-weight solver: stable_exists is
  // false and blocking_pairs empty (not computed).
  bool stable_exists = false;
  std::vector<std::pair<std::int32_t, std::int32_t>> blocking_pairs;

  std::vector<PeerTrio> trios;     // with PeerOptions::allow_trio
  std::vector<std::string> notes;  // odd pool, who is unpaired and why, what was done instead

  // Work done, for reports and benchmarks.
  std::int64_t augmentations = 0;    // blossom: augmenting paths; roommates: proposals
  std::int64_t blossoms_formed = 0;  // blossom: shrinkings; roommates: rotations eliminated
  std::int64_t events = 0;           // blossom: priority-queue events processed
};

// REQUIRES: nothing (a bad instance gives status kBadInput). Thread-safe for distinct inputs.
PeerSolution SolveMaxWeightPeer(const PeerInstance& instance, const SolveOptions& options = {},
                                const PeerOptions& peer_options = {});

// REQUIRES: nothing. Preferences from instance.ranking or induced from weights (see above).
PeerSolution SolveStableRoommates(const PeerInstance& instance, const SolveOptions& options = {},
                                  const PeerOptions& peer_options = {});

// Independent checks (no code shared with the solvers beyond the types).
// The pairing is valid (symmetric, pairs are edges, counts and total match) and the dual
// certificate proves it optimal for "weight + bonus" (bonus large enough when non-zero).
Status CheckPeerPairing(const PeerInstance& instance, const PeerSolution& solution);
Status CheckPeerCertificate(const PeerInstance& instance, const PeerSolution& solution);

// Acceptable pairs (a, b), a < b, not paired together, where each of a and b is unpaired or
// prefers the other to its partner. Preferences as for SolveStableRoommates.
std::vector<std::pair<std::int32_t, std::int32_t>> FindPeerBlockingPairs(
    const PeerInstance& instance, const std::vector<std::int32_t>& partner);

// The instance restricted to acceptable pairs (mutually ranked when rankings are given): the
// graph the roommates fallback pairs on, and the one its certificate is checked against.
PeerInstance AcceptablePeerPairs(const PeerInstance& instance);

const char* PeerMethodName(PeerMethod method);

}  // namespace tandem::matching
