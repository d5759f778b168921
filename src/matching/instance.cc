#include "matching/instance.h"

#include <algorithm>
#include <string>
#include <vector>

#include "matching/solution.h"

namespace tandem::matching {

const char* ObjectiveName(Objective objective) {
  switch (objective) {
    case Objective::kWelfare:
      return "welfare";
    case Objective::kStable:
      return "stable";
    case Objective::kFair:
      return "fair";
  }
  return "unknown";
}

const char* SolveStatusName(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kBadInput:
      return "bad input";
    case SolveStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

namespace {

Status CheckRanking(const std::vector<std::vector<std::int32_t>>& ranking, std::int32_t owners,
                    std::int32_t partners, const char* owner_kind) {
  if (ranking.empty()) return Status::Ok();
  if (static_cast<std::int32_t>(ranking.size()) != owners) {
    return Status::Invalid(std::string(owner_kind) + " rankings: expected " +
                           std::to_string(owners) + " lists, got " +
                           std::to_string(ranking.size()));
  }
  std::vector<std::int32_t> seen(static_cast<size_t>(partners), -1);
  for (std::int32_t o = 0; o < owners; ++o) {
    for (std::int32_t p : ranking[static_cast<size_t>(o)]) {
      if (p < 0 || p >= partners) {
        return Status::Invalid(std::string(owner_kind) + " " + std::to_string(o) +
                               " ranks unknown partner " + std::to_string(p));
      }
      if (seen[static_cast<size_t>(p)] == o) {
        return Status::Invalid(std::string(owner_kind) + " " + std::to_string(o) + " ranks " +
                               std::to_string(p) + " twice");
      }
      seen[static_cast<size_t>(p)] = o;
    }
  }
  return Status::Ok();
}

}  // namespace

Status Validate(const Instance& instance) {
  if (instance.num_mentees < 0) return Status::Invalid("num_mentees is negative");
  const std::int32_t m = instance.num_mentors();
  for (std::int32_t j = 0; j < m; ++j) {
    if (instance.capacity[static_cast<size_t>(j)] < 0) {
      return Status::Invalid("mentor " + std::to_string(j) + ": capacity is negative");
    }
  }
  Weight max_w = 1;
  // Edges counted per mentee, for the duplicate check below.
  std::vector<std::int64_t> start(static_cast<size_t>(instance.num_mentees) + 1, 0);
  for (size_t e = 0; e < instance.edges.size(); ++e) {
    const Edge& edge = instance.edges[e];
    auto where = [&] {
      return "edge " + std::to_string(e) + " (" + std::to_string(edge.mentee) + ", " +
             std::to_string(edge.mentor) + ")";
    };
    if (edge.mentee < 0 || edge.mentee >= instance.num_mentees) {
      return Status::Invalid(where() + ": mentee index out of range");
    }
    if (edge.mentor < 0 || edge.mentor >= m) {
      return Status::Invalid(where() + ": mentor index out of range");
    }
    if (edge.weight < 0 || edge.weight > kMaxWeight) {
      return Status::Invalid(where() + ": weight " + std::to_string(edge.weight) +
                             " outside [0, " + std::to_string(kMaxWeight) + "]");
    }
    ++start[static_cast<size_t>(edge.mentee) + 1];
    max_w = std::max(max_w, edge.weight);
  }
  // Lexicographic objectives (most matched first) need (max_w + 1) * (n + 1)^2 to fit in int64.
  const double n1 = static_cast<double>(instance.num_mentees) + 1.0;
  if ((static_cast<double>(max_w) + 1.0) * n1 * n1 > 9.0e18) {
    return Status::Invalid(
        "instance too large for exact integer objectives: reduce the weight "
        "scale or the number of mentees");
  }
  // Duplicate pairs: bucket mentors by mentee, then stamp each mentee's mentors. O(E + n + m).
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<std::int32_t> mentors_of(instance.edges.size());
  {
    std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
    for (const Edge& edge : instance.edges) {
      mentors_of[static_cast<size_t>(fill[static_cast<size_t>(edge.mentee)]++)] = edge.mentor;
    }
  }
  std::vector<std::int32_t> stamp(static_cast<size_t>(m), -1);
  for (std::int32_t i = 0; i < instance.num_mentees; ++i) {
    for (auto k = start[static_cast<size_t>(i)]; k < start[static_cast<size_t>(i) + 1]; ++k) {
      const auto j = static_cast<size_t>(mentors_of[static_cast<size_t>(k)]);
      if (stamp[j] == i) {
        return Status::Invalid("pair (" + std::to_string(i) + ", " + std::to_string(j) +
                               ") appears twice");
      }
      stamp[j] = i;
    }
  }
  if (Status s = CheckRanking(instance.mentee_ranking, instance.num_mentees, m, "mentee");
      !s.ok()) {
    return s;
  }
  if (Status s = CheckRanking(instance.mentor_ranking, m, instance.num_mentees, "mentor");
      !s.ok()) {
    return s;
  }
  if (!instance.mentee_labels.empty() &&
      static_cast<std::int32_t>(instance.mentee_labels.size()) != instance.num_mentees) {
    return Status::Invalid("mentee labels: expected one per mentee");
  }
  if (!instance.mentor_labels.empty() &&
      static_cast<std::int32_t>(instance.mentor_labels.size()) != m) {
    return Status::Invalid("mentor labels: expected one per mentor");
  }
  return Status::Ok();
}

}  // namespace tandem::matching
