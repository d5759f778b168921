#include "matching/rotation.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "matching/certificate.h"
#include "matching/welfare.h"

namespace tandem::matching {
namespace {

std::int64_t Key(std::int32_t mentee, std::int32_t mentor) {
  return (static_cast<std::int64_t>(mentee) << 32) | static_cast<std::uint32_t>(mentor);
}

// The instance without the pairs in `used`.
Instance Filtered(const Instance& instance, const std::unordered_set<std::int64_t>& used) {
  Instance out;
  out.num_mentees = instance.num_mentees;
  out.capacity = instance.capacity;
  out.mentee_labels = instance.mentee_labels;
  out.mentor_labels = instance.mentor_labels;
  out.edges.reserve(instance.edges.size());
  for (const Edge& e : instance.edges) {
    if (!used.count(Key(e.mentee, e.mentor))) out.edges.push_back(e);
  }
  return out;
}

}  // namespace

const char* RotationUnmatchedName(RotationUnmatched reason) {
  switch (reason) {
    case RotationUnmatched::kMatched:
      return "matched";
    case RotationUnmatched::kNoEligibleMentor:
      return "no eligible mentor";
    case RotationUnmatched::kCandidatesUsed:
      return "every eligible mentor already met";
    case RotationUnmatched::kCapacityTaken:
      return "remaining candidates are full";
  }
  return "unknown";
}

RotationResult SolveRotation(const RotationProblem& problem, const SolveOptions& options) {
  RotationResult result;
  const Instance& inst = problem.instance;
  if (Status s = Validate(inst); !s.ok()) {
    result.status = SolveStatus::kBadInput;
    result.message = s.message();
    return result;
  }
  if (problem.rounds < 0) {
    result.status = SolveStatus::kBadInput;
    result.message = "rounds is negative";
    return result;
  }
  const auto n = static_cast<size_t>(inst.num_mentees);
  std::unordered_set<std::int64_t> used;
  std::unordered_set<std::int64_t> in_history;
  for (size_t h = 0; h < problem.history.size(); ++h) {
    const auto [i, j] = problem.history[h];
    if (i < 0 || i >= inst.num_mentees || j < 0 || j >= inst.num_mentors()) {
      result.status = SolveStatus::kBadInput;
      result.message = "history pair " + std::to_string(h) + " (" + std::to_string(i) + ", " +
                       std::to_string(j) + "): index out of range";
      return result;
    }
    used.insert(Key(i, j));
    in_history.insert(Key(i, j));
  }
  // Per mentee: eligible mentors in the instance, and how many the history already took.
  std::vector<std::int32_t> eligible(n, 0);
  std::vector<std::int32_t> from_history(n, 0);
  for (const Edge& e : inst.edges) {
    ++eligible[static_cast<size_t>(e.mentee)];
    if (in_history.count(Key(e.mentee, e.mentor))) ++from_history[static_cast<size_t>(e.mentee)];
  }
  std::vector<std::int32_t> from_rounds(n, 0);
  for (std::int32_t r = 0; r < problem.rounds; ++r) {
    const std::string phase =
        "round " + std::to_string(r + 1) + "/" + std::to_string(problem.rounds);
    SolveOptions inner;
    inner.cancel = options.cancel;
    if (options.progress) {
      inner.progress = [&](const char*, double f) {
        options.progress(phase.c_str(), (r + f) / problem.rounds);
      };
    }
    const Instance round_inst = Filtered(inst, used);
    RotationRound round;
    round.candidate_pairs = static_cast<std::int32_t>(round_inst.edges.size());
    round.solution = SolveWelfare(round_inst, inner);
    if (round.solution.status != SolveStatus::kOptimal) {
      result.status = round.solution.status;
      result.message = "round " + std::to_string(r) + ": " + round.solution.message;
      result.rounds.clear();
      return result;
    }
    std::vector<std::int32_t> left(n, 0);
    for (const Edge& e : round_inst.edges) ++left[static_cast<size_t>(e.mentee)];
    round.unmatched.assign(n, RotationUnmatched::kMatched);
    round.unmatched_reason.assign(n, "");
    for (size_t i = 0; i < n; ++i) {
      if (round.solution.mentor_of[i] >= 0) continue;
      if (eligible[i] == 0) {
        round.unmatched[i] = RotationUnmatched::kNoEligibleMentor;
        round.unmatched_reason[i] = "no eligible mentor";
      } else if (left[i] == 0) {
        round.unmatched[i] = RotationUnmatched::kCandidatesUsed;
        round.unmatched_reason[i] = "all " + std::to_string(eligible[i]) +
                                    " eligible mentors already met (" +
                                    std::to_string(from_rounds[i]) + " in earlier rounds, " +
                                    std::to_string(from_history[i]) + " in the history)";
      } else {
        round.unmatched[i] = RotationUnmatched::kCapacityTaken;
        round.unmatched_reason[i] = "the places of the " + std::to_string(left[i]) +
                                    " mentors not yet met went to others this round";
      }
    }
    for (size_t i = 0; i < n; ++i) {
      const std::int32_t j = round.solution.mentor_of[i];
      if (j < 0) continue;
      used.insert(Key(static_cast<std::int32_t>(i), j));
      ++from_rounds[i];
    }
    result.rounds.push_back(std::move(round));
  }
  if (options.progress) options.progress("rotation", 1.0);
  result.status = SolveStatus::kOptimal;
  return result;
}

Instance RotationRoundInstance(const RotationProblem& problem, const RotationResult& result,
                               std::int32_t round) {
  std::unordered_set<std::int64_t> used;
  for (const auto& [i, j] : problem.history) used.insert(Key(i, j));
  for (std::int32_t r = 0; r < round; ++r) {
    const auto& mentor_of = result.rounds[static_cast<size_t>(r)].solution.mentor_of;
    for (size_t i = 0; i < mentor_of.size(); ++i) {
      if (mentor_of[i] >= 0) used.insert(Key(static_cast<std::int32_t>(i), mentor_of[i]));
    }
  }
  return Filtered(problem.instance, used);
}

Status CheckRotation(const RotationProblem& problem, const RotationResult& result) {
  if (Status s = Validate(problem.instance); !s.ok()) return s;
  if (static_cast<std::int32_t>(result.rounds.size()) != problem.rounds)
    return Status::Internal("expected " + std::to_string(problem.rounds) + " rounds, got " +
                            std::to_string(result.rounds.size()));
  // Every pair ever proposed, with where it came from; a repeat is an error.
  std::vector<std::pair<std::int64_t, std::int32_t>> seen;  // (pair, round; -1 = history)
  for (const auto& [i, j] : problem.history) seen.emplace_back(Key(i, j), -1);
  for (size_t r = 0; r < result.rounds.size(); ++r) {
    const auto& mentor_of = result.rounds[r].solution.mentor_of;
    for (size_t i = 0; i < mentor_of.size(); ++i) {
      if (mentor_of[i] >= 0)
        seen.emplace_back(Key(static_cast<std::int32_t>(i), mentor_of[i]),
                          static_cast<std::int32_t>(r));
    }
  }
  std::sort(seen.begin(), seen.end());
  for (size_t k = 1; k < seen.size(); ++k) {
    if (seen[k].first == seen[k - 1].first && seen[k].second >= 0) {
      const std::string where =
          seen[k - 1].second < 0 ? "the history" : "round " + std::to_string(seen[k - 1].second);
      return Status::Internal("pair (" + std::to_string(seen[k].first >> 32) + ", " +
                              std::to_string(seen[k].first & 0xffffffff) + ") in round " +
                              std::to_string(seen[k].second) + " repeats " + where);
    }
  }
  for (size_t r = 0; r < result.rounds.size(); ++r) {
    const Instance inst = RotationRoundInstance(problem, result, static_cast<std::int32_t>(r));
    if (Status s = CheckWelfareCertificate(inst, result.rounds[r].solution); !s.ok())
      return Status::Internal("round " + std::to_string(r) + ": " + s.message());
  }
  return Status::Ok();
}

}  // namespace tandem::matching
