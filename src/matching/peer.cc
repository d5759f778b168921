#include "matching/peer.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "matching/peer_blossom.h"
#include "matching/peer_internal.h"

namespace tandem::matching {
namespace {

std::int64_t PairKey(std::int32_t a, std::int32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::int64_t>(a) << 32) | static_cast<std::uint32_t>(b);
}

std::string EdgeWhere(size_t e, const PeerEdge& edge) {
  return "edge " + std::to_string(e) + " (" + std::to_string(edge.a) + ", " +
         std::to_string(edge.b) + ")";
}

}  // namespace

const char* PeerMethodName(PeerMethod method) {
  switch (method) {
    case PeerMethod::kMaxWeightMatching:
      return "max-weight";
    case PeerMethod::kStableRoommates:
      return "stable-roommates";
  }
  return "unknown";
}

Status Validate(const PeerInstance& instance) {
  const std::int32_t n = instance.num_people;
  if (n < 0) return Status::Invalid("num_people is negative");
  Weight max_w = 0;
  std::vector<std::int64_t> start(static_cast<size_t>(n) + 1, 0);
  for (size_t e = 0; e < instance.edges.size(); ++e) {
    const PeerEdge& edge = instance.edges[e];
    if (edge.a < 0 || edge.a >= n || edge.b < 0 || edge.b >= n) {
      return Status::Invalid(EdgeWhere(e, edge) + ": person index out of range");
    }
    if (edge.a == edge.b) return Status::Invalid(EdgeWhere(e, edge) + ": pairs a person with self");
    if (edge.weight < 0 || edge.weight > kMaxWeight) {
      return Status::Invalid(EdgeWhere(e, edge) + ": weight " + std::to_string(edge.weight) +
                             " outside [0, " + std::to_string(kMaxWeight) + "]");
    }
    max_w = std::max(max_w, edge.weight);
    ++start[static_cast<size_t>(std::min(edge.a, edge.b)) + 1];
  }
  // Quarter-unit duals of weight + bonus over all people must fit in int64:
  // 4 * (max_w + bonus) * (n + 1) with bonus = max_w * n / 2 + 1.
  const double n1 = static_cast<double>(n) + 1.0;
  if (4.0 * (static_cast<double>(max_w) + 1.0) * (n1 / 2.0 + 2.0) * n1 > 9.0e18) {
    return Status::Invalid(
        "instance too large for exact integer objectives: reduce the weight scale or the "
        "number of people");
  }
  // Duplicate pairs: bucket by the lower endpoint, stamp the higher ones.
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<std::int32_t> high(instance.edges.size());
  {
    std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
    for (const PeerEdge& edge : instance.edges) {
      high[static_cast<size_t>(fill[static_cast<size_t>(std::min(edge.a, edge.b))]++)] =
          std::max(edge.a, edge.b);
    }
  }
  std::vector<std::int32_t> stamp(static_cast<size_t>(n), -1);
  for (std::int32_t a = 0; a < n; ++a) {
    for (auto k = start[static_cast<size_t>(a)]; k < start[static_cast<size_t>(a) + 1]; ++k) {
      const std::int32_t b = high[static_cast<size_t>(k)];
      if (stamp[static_cast<size_t>(b)] == a) {
        return Status::Invalid("pair (" + std::to_string(a) + ", " + std::to_string(b) +
                               ") appears twice");
      }
      stamp[static_cast<size_t>(b)] = a;
    }
  }
  if (!instance.ranking.empty()) {
    if (static_cast<std::int32_t>(instance.ranking.size()) != n) {
      return Status::Invalid("rankings: expected " + std::to_string(n) + " lists, got " +
                             std::to_string(instance.ranking.size()));
    }
    std::fill(stamp.begin(), stamp.end(), -1);
    for (std::int32_t x = 0; x < n; ++x) {
      for (std::int32_t y : instance.ranking[static_cast<size_t>(x)]) {
        if (y < 0 || y >= n) {
          return Status::Invalid("person " + std::to_string(x) + " ranks unknown person " +
                                 std::to_string(y));
        }
        if (y == x) return Status::Invalid("person " + std::to_string(x) + " ranks self");
        if (stamp[static_cast<size_t>(y)] == x) {
          return Status::Invalid("person " + std::to_string(x) + " ranks " + std::to_string(y) +
                                 " twice");
        }
        stamp[static_cast<size_t>(y)] = x;
      }
    }
  }
  if (!instance.labels.empty() && static_cast<std::int32_t>(instance.labels.size()) != n) {
    return Status::Invalid("labels: expected one per person");
  }
  return Status::Ok();
}

namespace internal {

std::string PersonName(const PeerInstance& instance, std::int32_t v) {
  if (!instance.labels.empty()) return instance.labels[static_cast<size_t>(v)];
  return "person " + std::to_string(v);
}

Weight PeerBonus(const PeerInstance& instance, const PeerOptions& peer_options) {
  if (!peer_options.max_cardinality_first) return 0;
  Weight max_w = 0;
  for (const PeerEdge& e : instance.edges) max_w = std::max(max_w, e.weight);
  return max_w * (instance.num_people / 2) + 1;
}

void FinishPeerSolution(const PeerInstance& instance, const PeerOptions& peer_options,
                        const char* unpaired_reason, PeerSolution* s) {
  const std::int32_t n = instance.num_people;
  const auto un = static_cast<size_t>(n);
  s->unpaired.clear();
  for (std::int32_t v = 0; v < n; ++v) {
    if (s->partner[static_cast<size_t>(v)] < 0) s->unpaired.push_back(v);
  }
  if (s->unpaired.empty()) return;
  // Best candidate weight per person, to say how an unpaired person compares with the pool.
  std::vector<Weight> best(un, -1);
  std::vector<std::int32_t> degree(un, 0);
  for (const PeerEdge& e : instance.edges) {
    for (std::int32_t v : {e.a, e.b}) {
      best[static_cast<size_t>(v)] = std::max(best[static_cast<size_t>(v)], e.weight);
      ++degree[static_cast<size_t>(v)];
    }
  }
  std::vector<Weight> sorted_best;
  for (Weight w : best) {
    if (w >= 0) sorted_best.push_back(w);
  }
  std::sort(sorted_best.begin(), sorted_best.end());
  if (n % 2 == 1) {
    s->notes.push_back("odd pool of " + std::to_string(n) +
                       " people: at least one person is necessarily unpaired");
  }
  for (std::int32_t v : s->unpaired) {
    const auto uv = static_cast<size_t>(v);
    std::string note = PersonName(instance, v) + " is unpaired: ";
    if (degree[uv] == 0) {
      note += "no eligible partner";
    } else {
      // People whose best candidate is weaker than v's.
      const auto weaker =
          std::lower_bound(sorted_best.begin(), sorted_best.end(), best[uv]) - sorted_best.begin();
      note += unpaired_reason;
      note += " (" + std::to_string(degree[uv]) + " candidates, best weight " +
              std::to_string(best[uv]) + "; " + std::to_string(weaker) + " of " +
              std::to_string(n) + " people have a weaker best candidate)";
    }
    s->notes.push_back(std::move(note));
  }
  if (!peer_options.allow_trio) return;
  std::unordered_map<std::int64_t, Weight> weight;
  weight.reserve(instance.edges.size());
  for (const PeerEdge& e : instance.edges) weight.emplace(PairKey(e.a, e.b), e.weight);
  // Each unpaired person's best pair; placed best score first, one third per pair.
  struct Offer {
    Weight score;
    std::int32_t third;
    std::int32_t a;
    std::int32_t b;
  };
  std::vector<std::vector<const PeerEdge*>> incident(un);
  for (const PeerEdge& e : instance.edges) {
    incident[static_cast<size_t>(e.a)].push_back(&e);
    incident[static_cast<size_t>(e.b)].push_back(&e);
  }
  std::vector<std::vector<Offer>> offers(s->unpaired.size());
  for (size_t i = 0; i < s->unpaired.size(); ++i) {
    const std::int32_t t = s->unpaired[i];
    for (const PeerEdge* ep : incident[static_cast<size_t>(t)]) {
      const PeerEdge& e = *ep;
      const std::int32_t u = e.a == t ? e.b : e.a;
      const std::int32_t p = s->partner[static_cast<size_t>(u)];
      if (p < 0) continue;
      const auto it = weight.find(PairKey(t, p));
      const Weight score = e.weight + (it == weight.end() ? 0 : it->second);
      offers[i].push_back({score, t, std::min(u, p), std::max(u, p)});
    }
    std::sort(offers[i].begin(), offers[i].end(), [](const Offer& x, const Offer& y) {
      return x.score != y.score ? x.score > y.score : x.a < y.a;
    });
  }
  std::vector<Offer> all;
  for (const auto& list : offers) all.insert(all.end(), list.begin(), list.end());
  std::stable_sort(all.begin(), all.end(), [](const Offer& x, const Offer& y) {
    return x.score != y.score ? x.score > y.score
                              : (x.third != y.third ? x.third < y.third : x.a < y.a);
  });
  std::unordered_set<std::int32_t> placed;
  std::unordered_set<std::int32_t> taken;  // pairs by their lower member
  for (const Offer& o : all) {
    if (placed.count(o.third) || taken.count(o.a)) continue;
    placed.insert(o.third);
    taken.insert(o.a);
    s->trios.push_back({o.a, o.b, o.third, o.score});
    s->notes.push_back(PersonName(instance, o.third) + " joins " + PersonName(instance, o.a) +
                       " and " + PersonName(instance, o.b) + " as a trio (score " +
                       std::to_string(o.score) + ")");
  }
}

}  // namespace internal

PeerSolution SolveMaxWeightPeer(const PeerInstance& instance, const SolveOptions& options,
                                const PeerOptions& peer_options) {
  PeerSolution s;
  s.method = PeerMethod::kMaxWeightMatching;
  if (Status st = Validate(instance); !st.ok()) {
    s.status = SolveStatus::kBadInput;
    s.message = st.message();
    return s;
  }
  const Weight bonus = internal::PeerBonus(instance, peer_options);
  if (!internal::MaxWeightMatching(instance.num_people, instance.edges, bonus, options, &s)) {
    s.status = SolveStatus::kCancelled;
    s.message = "cancelled";
    s.partner.assign(static_cast<size_t>(instance.num_people), -1);
    return s;
  }
  internal::FinishPeerSolution(
      instance, peer_options,
      peer_options.max_cardinality_first
          ? "every candidate is paired with someone else and no rearrangement pairs more people "
            "or, with as many pairs, a larger total weight"
          : "no pairing that includes them has a larger total weight",
      &s);
  return s;
}

Status CheckPeerPairing(const PeerInstance& instance, const PeerSolution& solution) {
  if (Status st = Validate(instance); !st.ok()) return st;
  const std::int32_t n = instance.num_people;
  if (static_cast<std::int32_t>(solution.partner.size()) != n) {
    return Status::Internal("partner has the wrong size");
  }
  std::unordered_map<std::int64_t, Weight> weight;
  weight.reserve(instance.edges.size());
  for (const PeerEdge& e : instance.edges) weight.emplace(PairKey(e.a, e.b), e.weight);
  std::int32_t pairs = 0;
  Weight total = 0;
  std::vector<std::int32_t> unpaired;
  for (std::int32_t v = 0; v < n; ++v) {
    const std::int32_t u = solution.partner[static_cast<size_t>(v)];
    if (u < 0) {
      unpaired.push_back(v);
      continue;
    }
    if (u >= n || u == v) return Status::Internal("person " + std::to_string(v) + ": bad partner");
    if (solution.partner[static_cast<size_t>(u)] != v) {
      return Status::Internal("pairing is not symmetric at " + std::to_string(v));
    }
    const auto it = weight.find(PairKey(u, v));
    if (it == weight.end()) {
      return Status::Internal("pair (" + std::to_string(v) + ", " + std::to_string(u) +
                              ") is not an eligible pair");
    }
    if (v < u) {
      ++pairs;
      total += it->second;
    }
  }
  if (pairs != solution.matched_pairs) return Status::Internal("pair count differs");
  if (total != solution.total_weight) return Status::Internal("total weight differs");
  if (unpaired != solution.unpaired) return Status::Internal("unpaired list differs");
  return Status::Ok();
}

Status CheckPeerCertificate(const PeerInstance& instance, const PeerSolution& solution) {
  if (Status st = CheckPeerPairing(instance, solution); !st.ok()) return st;
  const std::int32_t n = instance.num_people;
  const auto un = static_cast<size_t>(n);
  const Weight scale = solution.dual_scale;
  const Weight bonus = solution.bonus;
  if (scale < 1) return Status::Internal("dual scale must be positive");
  if (bonus < 0) return Status::Internal("negative bonus");
  Weight max_w = 0;
  for (const PeerEdge& e : instance.edges) max_w = std::max(max_w, e.weight);
  if (bonus != 0 && bonus <= max_w * (n / 2)) {
    return Status::Internal("bonus too small to rank pairs first");
  }
  if (solution.vertex_dual.size() != un) return Status::Internal("vertex duals missing");
  for (std::int32_t v = 0; v < n; ++v) {
    const Weight y = solution.vertex_dual[static_cast<size_t>(v)];
    if (y < 0) return Status::Internal("negative dual at person " + std::to_string(v));
    if (solution.partner[static_cast<size_t>(v)] < 0 && y != 0) {
      return Status::Internal("unpaired person " + std::to_string(v) + " has a positive dual");
    }
  }
  if (solution.blossoms.size() != solution.blossom_dual.size()) {
    return Status::Internal("one dual per odd set expected");
  }
  // Adjacency with edge ids, to add each odd set's dual to the edges inside it.
  std::vector<std::int64_t> start(un + 1, 0);
  for (const PeerEdge& e : instance.edges) {
    ++start[static_cast<size_t>(e.a) + 1];
    ++start[static_cast<size_t>(e.b) + 1];
  }
  for (size_t i = 1; i <= un; ++i) start[i] += start[i - 1];
  std::vector<std::pair<std::int32_t, std::int32_t>> adj(2 * instance.edges.size());
  {
    std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
    for (size_t id = 0; id < instance.edges.size(); ++id) {
      const PeerEdge& e = instance.edges[id];
      adj[static_cast<size_t>(fill[static_cast<size_t>(e.a)]++)] = {e.b,
                                                                    static_cast<std::int32_t>(id)};
      adj[static_cast<size_t>(fill[static_cast<size_t>(e.b)]++)] = {e.a,
                                                                    static_cast<std::int32_t>(id)};
    }
  }
  std::vector<Weight> inside(instance.edges.size(), 0);
  std::vector<std::int32_t> stamp(un, -1);
  Weight dual = 0;
  for (size_t k = 0; k < solution.blossoms.size(); ++k) {
    const auto& set = solution.blossoms[k];
    const Weight z = solution.blossom_dual[k];
    const std::string where = "odd set " + std::to_string(k);
    if (z < 0) return Status::Internal(where + " has a negative dual");
    if (set.size() < 3 || set.size() % 2 == 0) return Status::Internal(where + " is not odd");
    for (std::int32_t v : set) {
      if (v < 0 || v >= n) return Status::Internal(where + ": person out of range");
      if (stamp[static_cast<size_t>(v)] == static_cast<std::int32_t>(k)) {
        return Status::Internal(where + " lists a person twice");
      }
      stamp[static_cast<size_t>(v)] = static_cast<std::int32_t>(k);
    }
    size_t pairs_inside = 0;
    for (std::int32_t v : set) {
      const std::int32_t p = solution.partner[static_cast<size_t>(v)];
      if (p > v && stamp[static_cast<size_t>(p)] == static_cast<std::int32_t>(k)) ++pairs_inside;
      for (auto i = start[static_cast<size_t>(v)]; i < start[static_cast<size_t>(v) + 1]; ++i) {
        const auto [u, id] = adj[static_cast<size_t>(i)];
        if (u > v && stamp[static_cast<size_t>(u)] == static_cast<std::int32_t>(k)) {
          inside[static_cast<size_t>(id)] += z;
        }
      }
    }
    if (z > 0 && pairs_inside != set.size() / 2) {
      return Status::Internal(where + " has a positive dual but is not full");
    }
    dual += z * static_cast<Weight>(set.size() / 2);
  }
  for (size_t id = 0; id < instance.edges.size(); ++id) {
    const PeerEdge& e = instance.edges[id];
    const Weight slack = solution.vertex_dual[static_cast<size_t>(e.a)] +
                         solution.vertex_dual[static_cast<size_t>(e.b)] + inside[id] -
                         scale * (e.weight + bonus);
    const std::string pair = "(" + std::to_string(e.a) + ", " + std::to_string(e.b) + ")";
    if (slack < 0) return Status::Internal("pair " + pair + " is not covered by the duals");
    if (solution.partner[static_cast<size_t>(e.a)] == e.b && slack != 0) {
      return Status::Internal("paired " + pair + " is not tight");
    }
  }
  for (Weight y : solution.vertex_dual) dual += y;
  const Weight primal = scale * (solution.total_weight + bonus * solution.matched_pairs);
  if (dual != primal) {
    return Status::Internal("dual objective " + std::to_string(dual) + " differs from primal " +
                            std::to_string(primal));
  }
  return Status::Ok();
}

std::vector<std::pair<std::int32_t, std::int32_t>> FindPeerBlockingPairs(
    const PeerInstance& instance, const std::vector<std::int32_t>& partner) {
  const auto un = static_cast<size_t>(instance.num_people);
  // rank[v][u]: position of u in v's preferences (lower is better); absent = unacceptable.
  std::vector<std::unordered_map<std::int32_t, std::int32_t>> rank(un);
  if (!instance.ranking.empty()) {
    for (size_t v = 0; v < un; ++v) {
      const auto& list = instance.ranking[v];
      for (size_t i = 0; i < list.size(); ++i) rank[v][list[i]] = static_cast<std::int32_t>(i);
    }
  } else {
    std::vector<std::vector<std::pair<Weight, std::int32_t>>> by(un);
    for (const PeerEdge& e : instance.edges) {
      by[static_cast<size_t>(e.a)].push_back({-e.weight, e.b});
      by[static_cast<size_t>(e.b)].push_back({-e.weight, e.a});
    }
    for (size_t v = 0; v < un; ++v) {
      std::sort(by[v].begin(), by[v].end());
      for (size_t i = 0; i < by[v].size(); ++i)
        rank[v][by[v][i].second] = static_cast<std::int32_t>(i);
    }
  }
  auto prefers = [&](std::int32_t v, std::int32_t u) {  // v would leave its partner for u
    const auto& r = rank[static_cast<size_t>(v)];
    const std::int32_t p = partner[static_cast<size_t>(v)];
    if (p < 0) return true;
    const auto ip = r.find(p);
    return ip == r.end() || r.at(u) < ip->second;
  };
  std::vector<std::pair<std::int32_t, std::int32_t>> out;
  for (const PeerEdge& e : instance.edges) {
    const std::int32_t a = std::min(e.a, e.b);
    const std::int32_t b = std::max(e.a, e.b);
    if (!rank[static_cast<size_t>(a)].count(b) || !rank[static_cast<size_t>(b)].count(a)) continue;
    if (partner[static_cast<size_t>(a)] == b) continue;
    if (prefers(a, b) && prefers(b, a)) out.emplace_back(a, b);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tandem::matching
