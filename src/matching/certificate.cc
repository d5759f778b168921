#include "matching/certificate.h"

#include <algorithm>
#include <string>

#include "matching/graph.h"
#include "matching/maxflow.h"

namespace tandem::matching {
namespace {

std::string PairText(std::int32_t i, std::int32_t j) {
  return "(" + std::to_string(i) + ", " + std::to_string(j) + ")";
}

// Weight of the pair each mentee is assigned to; -1 for unmatched or a pair that is no edge.
std::vector<Weight> AssignedWeights(const Instance& instance,
                                    const std::vector<std::int32_t>& mentor_of) {
  std::vector<Weight> w(static_cast<size_t>(instance.num_mentees), -1);
  for (const Edge& e : instance.edges) {
    if (mentor_of[static_cast<size_t>(e.mentee)] == e.mentor)
      w[static_cast<size_t>(e.mentee)] = e.weight;
  }
  return w;
}

}  // namespace

Status CheckAssignment(const Instance& instance, const Solution& solution) {
  if (Status s = Validate(instance); !s.ok()) return s;
  const auto n = static_cast<size_t>(instance.num_mentees);
  if (solution.mentor_of.size() != n) return Status::Internal("mentor_of has the wrong size");
  const std::vector<Weight> w = AssignedWeights(instance, solution.mentor_of);
  std::vector<std::int32_t> load(instance.capacity.size(), 0);
  std::int32_t matched = 0;
  Weight total = 0;
  Weight min_w = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::int32_t j = solution.mentor_of[i];
    if (j < 0) continue;
    if (j >= instance.num_mentors())
      return Status::Internal("mentee " + std::to_string(i) + ": no such mentor");
    if (w[i] < 0)
      return Status::Internal("pair " + PairText(static_cast<std::int32_t>(i), j) +
                              " is not an eligible pair");
    if (++load[static_cast<size_t>(j)] > instance.capacity[static_cast<size_t>(j)]) {
      return Status::Internal("mentor " + std::to_string(j) + " is over capacity");
    }
    min_w = matched == 0 ? w[i] : std::min(min_w, w[i]);
    ++matched;
    total += w[i];
  }
  if (matched != solution.matched)
    return Status::Internal("matched count differs from the assignment");
  if (total != solution.total_weight)
    return Status::Internal("total weight differs from the sum of pair weights");
  if (min_w != solution.min_weight)
    return Status::Internal("lowest weight differs from the assignment");
  return Status::Ok();
}

Status CheckWelfareCertificate(const Instance& instance, const Solution& solution,
                               Weight min_weight) {
  if (Status s = CheckAssignment(instance, solution); !s.ok()) return s;
  const auto n = static_cast<size_t>(instance.num_mentees);
  const auto m = static_cast<size_t>(instance.num_mentors());
  if (solution.mentee_price.size() != n || solution.mentor_price.size() != m) {
    return Status::Internal("prices missing");
  }
  const Weight bonus = solution.bonus;
  Weight max_w = 0;
  for (const Edge& e : instance.edges) {
    if (e.weight >= min_weight) max_w = std::max(max_w, e.weight);
  }
  // The bonus must make one more match worth more than any total weight.
  if (bonus <= max_w * static_cast<Weight>(n))
    return Status::Internal("bonus too small to rank matches first");
  for (size_t i = 0; i < n; ++i) {
    if (solution.mentee_price[i] < 0) return Status::Internal("negative mentee price");
    if (solution.mentor_of[i] < 0 && solution.mentee_price[i] != 0) {
      return Status::Internal("unmatched mentee " + std::to_string(i) + " has a positive price");
    }
  }
  std::vector<std::int32_t> load(m, 0);
  for (size_t i = 0; i < n; ++i) {
    if (solution.mentor_of[i] >= 0) ++load[static_cast<size_t>(solution.mentor_of[i])];
  }
  for (size_t j = 0; j < m; ++j) {
    if (solution.mentor_price[j] < 0) return Status::Internal("negative mentor price");
    if (load[j] < instance.capacity[j] && solution.mentor_price[j] != 0) {
      return Status::Internal("mentor " + std::to_string(j) +
                              " has a free place and a positive price");
    }
  }
  for (const Edge& e : instance.edges) {
    if (e.weight < min_weight) continue;
    const Weight slack = solution.mentee_price[static_cast<size_t>(e.mentee)] +
                         solution.mentor_price[static_cast<size_t>(e.mentor)] - (e.weight + bonus);
    if (slack < 0)
      return Status::Internal("edge " + PairText(e.mentee, e.mentor) +
                              " is not covered by the prices");
    if (solution.mentor_of[static_cast<size_t>(e.mentee)] == e.mentor && slack != 0) {
      return Status::Internal("matched pair " + PairText(e.mentee, e.mentor) + " is not tight");
    }
  }
  Weight dual = 0;
  for (size_t i = 0; i < n; ++i) dual += solution.mentee_price[i];
  for (size_t j = 0; j < m; ++j) dual += solution.mentor_price[j] * instance.capacity[j];
  const Weight primal = solution.total_weight + bonus * solution.matched;
  if (dual != primal) {
    return Status::Internal("dual objective " + std::to_string(dual) + " differs from primal " +
                            std::to_string(primal));
  }
  return Status::Ok();
}

std::vector<std::pair<std::int32_t, std::int32_t>> FindBlockingPairs(
    const Instance& instance, const std::vector<std::int32_t>& mentor_of) {
  const auto n = static_cast<size_t>(instance.num_mentees);
  const auto m = static_cast<size_t>(instance.num_mentors());
  // Explicit rankings as (partner, position) lists sorted by partner: rank lookups in O(log L).
  using RankIndex = std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>>;
  auto index = [](const std::vector<std::vector<std::int32_t>>& ranking) {
    RankIndex out(ranking.size());
    for (size_t o = 0; o < ranking.size(); ++o) {
      for (size_t p = 0; p < ranking[o].size(); ++p) {
        out[o].emplace_back(ranking[o][p], static_cast<std::int32_t>(p));
      }
      std::sort(out[o].begin(), out[o].end());
    }
    return out;
  };
  const RankIndex mentee_rank = index(instance.mentee_ranking);
  const RankIndex mentor_rank = index(instance.mentor_ranking);
  // Position of `partner` in owner's list (lower is better), or -1 when not listed.
  auto rank_in = [](const RankIndex& ranks, std::int32_t owner, std::int32_t partner) {
    const auto& list = ranks[static_cast<size_t>(owner)];
    const auto it = std::lower_bound(list.begin(), list.end(), std::make_pair(partner, -1));
    return it != list.end() && it->first == partner ? it->second : -1;
  };
  const bool explicit_mentee = !instance.mentee_ranking.empty();
  const bool explicit_mentor = !instance.mentor_ranking.empty();
  // Weight of each mentee's own pair (-1 when unmatched).
  std::vector<Weight> own(n, -1);
  for (const Edge& e : instance.edges) {
    if (mentor_of[static_cast<size_t>(e.mentee)] == e.mentor)
      own[static_cast<size_t>(e.mentee)] = e.weight;
  }
  // Does mentor j strictly prefer mentee a (pair weight wa) to mentee b (pair weight wb)?
  auto mentor_prefers = [&](std::int32_t j, std::int32_t a, Weight wa, std::int32_t b, Weight wb) {
    if (explicit_mentor) return rank_in(mentor_rank, j, a) < rank_in(mentor_rank, j, b);
    return wa > wb || (wa == wb && a < b);
  };
  std::vector<std::int32_t> load(m, 0);
  std::vector<std::int32_t> worst(m, -1);  // the least preferred mentee each mentor holds
  for (size_t i = 0; i < n; ++i) {
    const std::int32_t j = mentor_of[i];
    if (j < 0) continue;
    ++load[static_cast<size_t>(j)];
    std::int32_t& w = worst[static_cast<size_t>(j)];
    const auto mi = static_cast<std::int32_t>(i);
    if (w < 0 || mentor_prefers(j, w, own[static_cast<size_t>(w)], mi, own[i])) w = mi;
  }
  std::vector<std::pair<std::int32_t, std::int32_t>> blocking;
  for (const Edge& e : instance.edges) {
    const std::int32_t i = e.mentee;
    const std::int32_t j = e.mentor;
    const std::int32_t cur = mentor_of[static_cast<size_t>(i)];
    if (cur == j) continue;
    if (explicit_mentee && rank_in(mentee_rank, i, j) < 0) continue;  // not acceptable
    if (explicit_mentor && rank_in(mentor_rank, j, i) < 0) continue;
    bool mentee_wants = cur < 0;
    if (!mentee_wants) {
      if (explicit_mentee) {
        mentee_wants = rank_in(mentee_rank, i, j) < rank_in(mentee_rank, i, cur);
      } else {
        const Weight wc = own[static_cast<size_t>(i)];
        mentee_wants = e.weight > wc || (e.weight == wc && j < cur);
      }
    }
    if (!mentee_wants) continue;
    const auto cap = instance.capacity[static_cast<size_t>(j)];
    const std::int32_t w = worst[static_cast<size_t>(j)];
    const bool mentor_wants =
        cap > 0 && (load[static_cast<size_t>(j)] < cap ||
                    mentor_prefers(j, i, e.weight, w, own[static_cast<size_t>(w)]));
    if (mentor_wants) blocking.emplace_back(i, j);
  }
  std::sort(blocking.begin(), blocking.end());
  return blocking;
}

std::int32_t MaxMatchable(const Instance& instance, Weight min_weight) {
  return internal::MaxBMatching(internal::BuildMenteeRows(instance, min_weight), instance.capacity);
}

Status CheckFairCertificate(const Instance& instance, const Solution& solution) {
  if (Status s = CheckWelfareCertificate(instance, solution, solution.fair_threshold); !s.ok())
    return s;
  if (solution.matched > 0 && solution.min_weight < solution.fair_threshold) {
    return Status::Internal("a matched pair is below the fair threshold");
  }
  const std::int32_t best = MaxMatchable(instance, 0);
  if (solution.matched != best) {
    return Status::Internal("fair answer matches " + std::to_string(solution.matched) + " of " +
                            std::to_string(best) + " matchable mentees");
  }
  if (solution.matched > 0 && MaxMatchable(instance, solution.fair_threshold + 1) >= best) {
    return Status::Internal("a higher threshold would match as many mentees");
  }
  return Status::Ok();
}

}  // namespace tandem::matching
