#pragma once
// Rotational mentoring: R rounds; mentors rotate so that no (mentee, mentor) pair meets twice.
//
// Round r is an optimal welfare assignment (welfare.h: most mentees matched, then the largest
// total weight, with mentor capacities) of the instance without the pairs of rounds 0..r-1 and
// without the pairs in the history of earlier programs. Each round is therefore optimal given the
// past; the plan as a whole is greedy round by round (a joint optimum over all rounds is a
// different, harder problem, and a later round can lose candidates an earlier round used).
//
// Every round carries its welfare certificate on its own filtered instance, and every mentee left
// unmatched in a round gets a reason (no eligible mentor at all / every eligible mentor already
// met / the remaining candidates' places went to others).
//
// Complexity: R welfare solves on instances no larger than the input.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

struct RotationProblem {
  Instance instance;        // eligible pairs, weights, mentor capacities per round
  std::int32_t rounds = 0;  // R >= 0
  // (mentee, mentor) pairs from earlier programs; never proposed again. Pairs that are no edge of
  // the instance are allowed and change nothing.
  std::vector<std::pair<std::int32_t, std::int32_t>> history;
};

enum class RotationUnmatched {
  kMatched,           // not unmatched
  kNoEligibleMentor,  // the instance has no edge for this mentee
  kCandidatesUsed,    // every eligible mentor was met in an earlier round or in the history
  kCapacityTaken,     // candidates remain, but their places went to others this round
};

const char* RotationUnmatchedName(RotationUnmatched reason);

struct RotationRound {
  Solution solution;  // on this round's filtered instance (same mentee / mentor indices)
  std::int32_t candidate_pairs = 0;  // edges left in this round's instance
  // Per mentee: why unmatched this round, and in words, e.g. "all 3 eligible mentors already
  // met (2 in earlier rounds, 1 in the history)". kMatched / "" when matched.
  std::vector<RotationUnmatched> unmatched;
  std::vector<std::string> unmatched_reason;
};

struct RotationResult {
  SolveStatus status = SolveStatus::kOptimal;
  std::string message;
  std::vector<RotationRound> rounds;
};

// Bad input (Validate(instance), rounds < 0, a history pair out of range) gives kBadInput;
// cancel gives kCancelled. Progress phase "round r/R" with the fraction of rounds done.
// Deterministic; thread-safe for distinct problems.
RotationResult SolveRotation(const RotationProblem& problem, const SolveOptions& options = {});

// The instance round `round` was solved on, rebuilt from the problem and the assignments of the
// earlier rounds in `result`. REQUIRES: 0 <= round < result.rounds.size(), Validate(instance).
Instance RotationRoundInstance(const RotationProblem& problem, const RotationResult& result,
                               std::int32_t round);

// Independent check: no pair twice across rounds, no pair from the history, and every round's
// assignment certified by CheckWelfareCertificate on its filtered instance.
Status CheckRotation(const RotationProblem& problem, const RotationResult& result);

}  // namespace tandem::matching
