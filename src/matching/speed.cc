#include "matching/speed.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "matching/edge_coloring.h"
#include "matching/min_cost_flow.h"

namespace tandem::matching {
namespace {

constexpr Weight kSafeLimit = std::numeric_limits<Weight>::max() / 4;

// Caps per person: the explicit list or T for everyone.
std::vector<std::int32_t> Caps(const std::vector<std::int32_t>& given, std::int32_t count,
                               std::int32_t slots) {
  if (given.empty()) return std::vector<std::int32_t>(static_cast<size_t>(count), slots);
  return given;
}

Status CheckCaps(const std::vector<std::int32_t>& given, std::int32_t count, std::int32_t slots,
                 const char* who) {
  if (given.empty()) return Status::Ok();
  if (static_cast<std::int64_t>(given.size()) != count) {
    return Status::Invalid(std::string(who) + " caps: expected " + std::to_string(count) +
                           " entries, got " + std::to_string(given.size()));
  }
  for (size_t k = 0; k < given.size(); ++k) {
    if (given[k] < 0 || given[k] > slots) {
      return Status::Invalid(std::string(who) + " " + std::to_string(k) + ": cap " +
                             std::to_string(given[k]) + " outside [0, " + std::to_string(slots) +
                             "]");
    }
  }
  return Status::Ok();
}

struct Bounds {
  Weight max_weight = 0;
  std::int64_t most_meetings = 0;  // min(edges, sum of mentee caps, sum of mentor caps)
  std::int64_t mass = 0;           // sum of caps + edges + 1: bounds every dual sum
};

Bounds ComputeBounds(const SpeedProblem& p, const std::vector<std::int32_t>& a,
                     const std::vector<std::int32_t>& b) {
  Bounds out;
  for (const Edge& e : p.instance.edges) out.max_weight = std::max(out.max_weight, e.weight);
  std::int64_t sa = 0;
  std::int64_t sb = 0;
  for (std::int32_t c : a) sa += c;
  for (std::int32_t c : b) sb += c;
  const auto edges = static_cast<std::int64_t>(p.instance.edges.size());
  out.most_meetings = std::min({edges, sa, sb});
  out.mass = sa + sb + edges + 1;
  return out;
}

// The bonus that ranks one more meeting above any total weight, or -1 if int64 would overflow.
Weight ChooseBonus(const Bounds& bounds) {
  const Weight limit = kSafeLimit / bounds.mass;
  if (bounds.most_meetings > 0 && bounds.max_weight > limit / bounds.most_meetings) return -1;
  const Weight bonus = bounds.max_weight * bounds.most_meetings + 1;
  if (bonus > limit - bounds.max_weight) return -1;
  return bonus;
}

SpeedResult Fail(SolveStatus status, std::string message) {
  SpeedResult r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

}  // namespace

SpeedResult SolveSpeed(const SpeedProblem& problem, const SolveOptions& options) {
  const Instance& inst = problem.instance;
  if (Status s = Validate(inst); !s.ok()) return Fail(SolveStatus::kBadInput, s.message());
  if (problem.slots < 0) return Fail(SolveStatus::kBadInput, "slots is negative");
  if (Status s = CheckCaps(problem.mentee_meetings, inst.num_mentees, problem.slots, "mentee");
      !s.ok())
    return Fail(SolveStatus::kBadInput, s.message());
  if (Status s = CheckCaps(problem.mentor_meetings, inst.num_mentors(), problem.slots, "mentor");
      !s.ok())
    return Fail(SolveStatus::kBadInput, s.message());
  const auto a = Caps(problem.mentee_meetings, inst.num_mentees, problem.slots);
  const auto b = Caps(problem.mentor_meetings, inst.num_mentors(), problem.slots);
  const Weight bonus = ChooseBonus(ComputeBounds(problem, a, b));
  if (bonus < 0) {
    return Fail(SolveStatus::kBadInput,
                "weights too large for an exact objective: lower kMaxWeight-scale weights");
  }

  // Stage 1: the meetings.
  internal::BMatching bm = internal::SolveBMatching(inst, a, b, bonus, options);
  if (bm.cancelled) return Fail(SolveStatus::kCancelled, "cancelled");
  SpeedResult r;
  r.bonus = bonus;
  r.mentee_price = std::move(bm.left_price);
  r.mentor_price = std::move(bm.right_price);
  r.searches = bm.searches;
  for (size_t e = 0; e < inst.edges.size(); ++e) {
    if (!bm.chosen[e]) continue;
    const Edge& edge = inst.edges[e];
    r.meetings.push_back({edge.mentee, edge.mentor, edge.weight, -1});
    r.total_weight += edge.weight;
  }
  std::sort(r.meetings.begin(), r.meetings.end(), [](const Meeting& x, const Meeting& y) {
    return std::pair(x.mentee, x.mentor) < std::pair(y.mentee, y.mentor);
  });
  r.num_meetings = static_cast<std::int32_t>(r.meetings.size());
  if (options.cancel != nullptr && options.cancel->load())
    return Fail(SolveStatus::kCancelled, "cancelled");

  // Stage 2: the timetable.
  if (options.progress) options.progress("timetable", 0.0);
  std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
  pairs.reserve(r.meetings.size());
  for (const Meeting& mt : r.meetings) pairs.emplace_back(mt.mentee, mt.mentor);
  Result<EdgeColouring> colouring =
      ColourBipartiteEdges(inst.num_mentees, inst.num_mentors(), pairs, problem.slots);
  if (!colouring.ok()) {  // a bug: stage 1 respects the caps, which are <= T
    return Fail(SolveStatus::kBadInput, "timetable: " + colouring.status().message());
  }
  r.chain_edges = colouring->chain_edges;
  const auto t = static_cast<size_t>(problem.slots);
  r.slot_meetings.assign(t, {});
  r.mentee_timetable.assign(static_cast<size_t>(inst.num_mentees),
                            std::vector<std::int32_t>(t, -1));
  r.mentor_timetable.assign(static_cast<size_t>(inst.num_mentors()),
                            std::vector<std::int32_t>(t, -1));
  std::vector<std::int32_t> degree_mentee(static_cast<size_t>(inst.num_mentees), 0);
  std::vector<std::int32_t> degree_mentor(static_cast<size_t>(inst.num_mentors()), 0);
  for (size_t k = 0; k < r.meetings.size(); ++k) {
    Meeting& mt = r.meetings[k];
    mt.slot = colouring->colour[k];
    const auto s = static_cast<size_t>(mt.slot);
    r.slot_meetings[s].push_back(static_cast<std::int32_t>(k));
    r.mentee_timetable[static_cast<size_t>(mt.mentee)][s] = mt.mentor;
    r.mentor_timetable[static_cast<size_t>(mt.mentor)][s] = mt.mentee;
    r.max_degree = std::max({r.max_degree, ++degree_mentee[static_cast<size_t>(mt.mentee)],
                             ++degree_mentor[static_cast<size_t>(mt.mentor)]});
  }
  if (options.progress) options.progress("timetable", 1.0);
  r.status = SolveStatus::kOptimal;
  return r;
}

Status CheckSpeedSelection(const SpeedProblem& problem, const SpeedResult& result) {
  const Instance& inst = problem.instance;
  if (Status s = Validate(inst); !s.ok()) return s;
  const auto n = static_cast<size_t>(inst.num_mentees);
  const auto m = static_cast<size_t>(inst.num_mentors());
  const auto a = Caps(problem.mentee_meetings, inst.num_mentees, problem.slots);
  const auto b = Caps(problem.mentor_meetings, inst.num_mentors(), problem.slots);
  if (a.size() != n || b.size() != m) return Status::Internal("caps have the wrong size");
  // Chosen flag per edge, found by sorting both lists by pair.
  std::vector<std::pair<std::pair<std::int32_t, std::int32_t>, Weight>> edges;
  edges.reserve(inst.edges.size());
  for (const Edge& e : inst.edges) edges.push_back({{e.mentee, e.mentor}, e.weight});
  std::sort(edges.begin(), edges.end());
  std::vector<char> chosen(edges.size(), 0);
  std::vector<std::int32_t> deg_a(n, 0);
  std::vector<std::int32_t> deg_b(m, 0);
  Weight total = 0;
  for (const Meeting& mt : result.meetings) {
    const auto key = std::pair(mt.mentee, mt.mentor);
    const auto it =
        std::lower_bound(edges.begin(), edges.end(), key,
                         [](const auto& entry, const auto& k) { return entry.first < k; });
    const std::string what =
        "meeting (" + std::to_string(mt.mentee) + ", " + std::to_string(mt.mentor) + ")";
    if (it == edges.end() || it->first != key) return Status::Internal(what + " is not eligible");
    const auto idx = static_cast<size_t>(it - edges.begin());
    if (chosen[idx]) return Status::Internal(what + " appears twice");
    chosen[idx] = 1;
    if (mt.weight != it->second) return Status::Internal(what + " has the wrong weight");
    if (++deg_a[static_cast<size_t>(mt.mentee)] > a[static_cast<size_t>(mt.mentee)])
      return Status::Internal("mentee " + std::to_string(mt.mentee) + " is over its cap");
    if (++deg_b[static_cast<size_t>(mt.mentor)] > b[static_cast<size_t>(mt.mentor)])
      return Status::Internal("mentor " + std::to_string(mt.mentor) + " is over its cap");
    total += mt.weight;
  }
  if (static_cast<std::int64_t>(result.meetings.size()) != result.num_meetings)
    return Status::Internal("num_meetings differs from the meetings");
  if (total != result.total_weight) return Status::Internal("total weight differs");

  // The dual certificate.
  const Bounds bounds = ComputeBounds(problem, a, b);
  const Weight bonus = result.bonus;
  if (bonus <= 0 ||
      (bounds.most_meetings > 0 && bounds.max_weight > (bonus - 1) / bounds.most_meetings))
    return Status::Internal("bonus too small to rank meetings first");
  if (bonus + bounds.max_weight > kSafeLimit / bounds.mass)
    return Status::Internal("bonus too large to check without overflow");
  if (result.mentee_price.size() != n || result.mentor_price.size() != m)
    return Status::Internal("prices missing");
  Weight dual = 0;
  for (size_t i = 0; i < n; ++i) {
    const Weight p = result.mentee_price[i];
    if (p < 0 || p > bonus + bounds.max_weight)
      return Status::Internal("mentee " + std::to_string(i) + ": price out of range");
    dual += p * a[i];
  }
  for (size_t j = 0; j < m; ++j) {
    const Weight p = result.mentor_price[j];
    if (p < 0 || p > bonus + bounds.max_weight)
      return Status::Internal("mentor " + std::to_string(j) + ": price out of range");
    dual += p * b[j];
  }
  for (size_t k = 0; k < edges.size(); ++k) {
    const auto [i, j] = edges[k].first;
    const Weight z = edges[k].second + bonus - result.mentee_price[static_cast<size_t>(i)] -
                     result.mentor_price[static_cast<size_t>(j)];
    if (z > 0) dual += z;
  }
  const Weight primal = result.total_weight + bonus * result.num_meetings;
  if (dual != primal) {
    return Status::Internal("dual objective " + std::to_string(dual) + " differs from primal " +
                            std::to_string(primal));
  }
  return Status::Ok();
}

Status CheckSpeedTimetable(const SpeedProblem& problem, const SpeedResult& result) {
  const Instance& inst = problem.instance;
  const auto t = static_cast<size_t>(std::max(0, problem.slots));
  const auto n = static_cast<size_t>(inst.num_mentees);
  const auto m = static_cast<size_t>(inst.num_mentors());
  // Who is busy in which slot, rebuilt from the meetings alone.
  std::vector<std::int32_t> mentee_busy(n * t, -1);
  std::vector<std::int32_t> mentor_busy(m * t, -1);
  std::vector<std::int32_t> deg_a(n, 0);
  std::vector<std::int32_t> deg_b(m, 0);
  std::vector<std::int32_t> per_slot(t, 0);
  for (const Meeting& mt : result.meetings) {
    const std::string what =
        "meeting (" + std::to_string(mt.mentee) + ", " + std::to_string(mt.mentor) + ")";
    if (mt.mentee < 0 || static_cast<size_t>(mt.mentee) >= n || mt.mentor < 0 ||
        static_cast<size_t>(mt.mentor) >= m)
      return Status::Internal(what + ": no such person");
    if (mt.slot < 0 || static_cast<size_t>(mt.slot) >= t)
      return Status::Internal(what + " has no slot in [0, T)");
    const auto s = static_cast<size_t>(mt.slot);
    auto& a = mentee_busy[static_cast<size_t>(mt.mentee) * t + s];
    auto& b = mentor_busy[static_cast<size_t>(mt.mentor) * t + s];
    if (a >= 0)
      return Status::Internal(what + ": mentee double-booked in slot " + std::to_string(s));
    if (b >= 0)
      return Status::Internal(what + ": mentor double-booked in slot " + std::to_string(s));
    a = mt.mentor;
    b = mt.mentee;
    ++per_slot[s];
    if (++deg_a[static_cast<size_t>(mt.mentee)] > problem.slots ||
        ++deg_b[static_cast<size_t>(mt.mentor)] > problem.slots)
      return Status::Internal(what + ": a person has more than T meetings");
  }
  if (result.slot_meetings.size() != t)
    return Status::Internal("one meeting list per slot expected");
  for (size_t s = 0; s < t; ++s) {
    if (static_cast<std::int32_t>(result.slot_meetings[s].size()) != per_slot[s])
      return Status::Internal("slot " + std::to_string(s) + " lists the wrong meetings");
    for (std::int32_t k : result.slot_meetings[s]) {
      if (k < 0 || static_cast<size_t>(k) >= result.meetings.size() ||
          result.meetings[static_cast<size_t>(k)].slot != static_cast<std::int32_t>(s))
        return Status::Internal("slot " + std::to_string(s) + " lists a meeting of another slot");
    }
  }
  if (result.mentee_timetable.size() != n || result.mentor_timetable.size() != m)
    return Status::Internal("timetables missing");
  for (size_t i = 0; i < n; ++i) {
    if (result.mentee_timetable[i] !=
        std::vector<std::int32_t>(mentee_busy.begin() + static_cast<std::ptrdiff_t>(i * t),
                                  mentee_busy.begin() + static_cast<std::ptrdiff_t>((i + 1) * t)))
      return Status::Internal("mentee " + std::to_string(i) + ": timetable differs");
  }
  for (size_t j = 0; j < m; ++j) {
    if (result.mentor_timetable[j] !=
        std::vector<std::int32_t>(mentor_busy.begin() + static_cast<std::ptrdiff_t>(j * t),
                                  mentor_busy.begin() + static_cast<std::ptrdiff_t>((j + 1) * t)))
      return Status::Internal("mentor " + std::to_string(j) + ": timetable differs");
  }
  return Status::Ok();
}

}  // namespace tandem::matching
