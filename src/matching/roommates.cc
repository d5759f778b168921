// Stable roommates: Irving's algorithm (Irving 1985; incomplete lists as in Gusfield & Irving
// 1989, section 4.5). See peer.h for the contract.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "matching/peer.h"
#include "matching/peer_blossom.h"
#include "matching/peer_internal.h"

namespace tandem::matching {
namespace {

std::int64_t Key(std::int32_t a, std::int32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::int64_t>(a) << 32) | static_cast<std::uint32_t>(b);
}

// Preference lists over acceptable pairs, most preferred first.
std::vector<std::vector<std::int32_t>> PreferenceLists(const PeerInstance& instance) {
  const auto un = static_cast<size_t>(instance.num_people);
  std::vector<std::vector<std::int32_t>> lists(un);
  if (instance.ranking.empty()) {
    std::vector<std::vector<std::pair<Weight, std::int32_t>>> by(un);
    for (const PeerEdge& e : instance.edges) {
      by[static_cast<size_t>(e.a)].push_back({-e.weight, e.b});
      by[static_cast<size_t>(e.b)].push_back({-e.weight, e.a});
    }
    for (size_t v = 0; v < un; ++v) {
      std::sort(by[v].begin(), by[v].end());
      for (const auto& [w, u] : by[v]) lists[v].push_back(u);
    }
    return lists;
  }
  std::unordered_set<std::int64_t> edges;
  edges.reserve(instance.edges.size());
  for (const PeerEdge& e : instance.edges) edges.insert(Key(e.a, e.b));
  std::unordered_set<std::int64_t> ranked;  // (x, y): x ranks y
  for (size_t x = 0; x < un; ++x) {
    for (std::int32_t y : instance.ranking[x]) {
      ranked.insert((static_cast<std::int64_t>(x) << 32) | static_cast<std::uint32_t>(y));
    }
  }
  for (size_t x = 0; x < un; ++x) {
    for (std::int32_t y : instance.ranking[x]) {
      const std::int64_t back =
          (static_cast<std::int64_t>(y) << 32) | static_cast<std::uint32_t>(x);
      if (edges.count(Key(static_cast<std::int32_t>(x), y)) && ranked.count(back)) {
        lists[x].push_back(y);
      }
    }
  }
  return lists;
}

// The reduction table: every list stored once, each entry knowing its twin (x in y's list for
// the entry y in x's list), so deleting the pair {x, y} is O(1).
class RoommatesTable {
 public:
  explicit RoommatesTable(const std::vector<std::vector<std::int32_t>>& lists) {
    const size_t n = lists.size();
    start_.assign(n + 1, 0);
    for (size_t x = 0; x < n; ++x) start_[x + 1] = start_[x] + lists[x].size();
    partner_.resize(start_[n]);
    owner_.resize(start_[n]);
    twin_.resize(start_[n]);
    deleted_.assign(start_[n], 0);
    size_.resize(n);
    first_.resize(n);
    last_.resize(n);
    // Position of each (owner, partner), sorted, to find twins by binary search.
    std::vector<std::pair<std::int64_t, size_t>> where(start_[n]);
    for (size_t x = 0; x < n; ++x) {
      for (size_t i = 0; i < lists[x].size(); ++i) {
        const size_t k = start_[x] + i;
        partner_[k] = lists[x][i];
        owner_[k] = static_cast<std::int32_t>(x);
        where[k] = {(static_cast<std::int64_t>(x) << 32) | static_cast<std::uint32_t>(lists[x][i]),
                    k};
      }
      size_[x] = static_cast<std::int32_t>(lists[x].size());
      first_[x] = start_[x];
      last_[x] = start_[x + 1] == start_[x] ? start_[x] : start_[x + 1] - 1;
    }
    std::sort(where.begin(), where.end());
    for (size_t k = 0; k < start_[n]; ++k) {
      const std::int64_t back =
          (static_cast<std::int64_t>(partner_[k]) << 32) | static_cast<std::uint32_t>(owner_[k]);
      const auto it = std::lower_bound(where.begin(), where.end(), std::make_pair(back, size_t{0}));
      twin_[k] = it->second;  // lists are mutual, so the twin exists
    }
  }

  std::int32_t Size(std::int32_t x) const { return size_[static_cast<size_t>(x)]; }
  std::int32_t Partner(size_t k) const { return partner_[k]; }
  size_t Twin(size_t k) const { return twin_[k]; }

  // REQUIRES: Size(x) > 0.
  size_t First(std::int32_t x) {
    size_t& f = first_[static_cast<size_t>(x)];
    while (deleted_[f]) ++f;
    return f;
  }
  size_t Last(std::int32_t x) {
    size_t& l = last_[static_cast<size_t>(x)];
    while (deleted_[l]) --l;
    return l;
  }
  // REQUIRES: Size(x) >= 2.
  size_t Second(std::int32_t x) {
    size_t k = First(x) + 1;
    while (deleted_[k]) ++k;
    return k;
  }

  void Delete(size_t k) {
    if (deleted_[k]) return;
    deleted_[k] = 1;
    deleted_[twin_[k]] = 1;
    if (--size_[static_cast<size_t>(owner_[k])] == 0) emptied_.push_back(owner_[k]);
    if (--size_[static_cast<size_t>(partner_[k])] == 0) emptied_.push_back(partner_[k]);
  }

  // People whose lists became empty since the last call.
  std::vector<std::int32_t> TakeEmptied() { return std::exchange(emptied_, {}); }

  // The owner of entry k deletes every entry after k (and the symmetric entries).
  void TruncateAfter(size_t k) {
    const std::int32_t y = owner_[k];
    if (Size(y) == 0) return;
    for (size_t i = Last(y); i > k; --i) Delete(i);
  }

 private:
  std::vector<size_t> start_;
  std::vector<std::int32_t> partner_;
  std::vector<std::int32_t> owner_;
  std::vector<size_t> twin_;
  std::vector<char> deleted_;
  std::vector<std::int32_t> size_;
  std::vector<size_t> first_;
  std::vector<size_t> last_;
  std::vector<std::int32_t> emptied_;
};

struct IrvingResult {
  bool stable_exists = false;
  std::vector<std::int32_t> partner;
  std::int32_t emptied = -1;  // whose list emptied in phase 2 (no stable matching)
  std::int64_t proposals = 0;
  std::int64_t rotations = 0;
};

IrvingResult Irving(const std::vector<std::vector<std::int32_t>>& lists) {
  const auto n = static_cast<std::int32_t>(lists.size());
  RoommatesTable t(lists);
  IrvingResult r;
  // Phase 1: x proposes to the first on its list; the receiver y holds x and deletes everyone
  // it likes less than x; the one y held before (now deleted) proposes again.
  std::vector<std::int32_t> holds(static_cast<size_t>(n), -1);
  std::deque<std::int32_t> free;
  for (std::int32_t x = 0; x < n; ++x) free.push_back(x);
  while (!free.empty()) {
    const std::int32_t x = free.front();
    free.pop_front();
    if (t.Size(x) == 0) continue;
    ++r.proposals;
    const size_t k = t.First(x);
    const std::int32_t y = t.Partner(k);
    const std::int32_t before = holds[static_cast<size_t>(y)];
    holds[static_cast<size_t>(y)] = x;
    t.TruncateAfter(t.Twin(k));
    if (before >= 0 && before != x) free.push_back(before);
  }
  // Phase 2: while some list has two or more entries, find a rotation from it
  // (p_{i+1} = last(second(p_i))) and eliminate it (second(p_i) deletes everyone after p_i).
  // An emptied list means there is no stable matching.
  (void)t.TakeEmptied();  // empty after phase 1: unpaired in every stable matching
  std::vector<std::int32_t> seen(static_cast<size_t>(n), -1);
  std::vector<std::int32_t> ps;
  std::vector<std::int32_t> qs;
  std::int32_t cursor = 0;
  for (;;) {
    while (cursor < n && t.Size(cursor) < 2) ++cursor;
    if (cursor == n) break;
    ps.clear();
    qs.clear();
    std::int32_t p = cursor;
    while (seen[static_cast<size_t>(p)] < 0) {
      if (t.Size(p) < 2) {  // cannot happen in a stable table; treat as no stable matching
        r.emptied = p;
        return r;
      }
      seen[static_cast<size_t>(p)] = static_cast<std::int32_t>(ps.size());
      ps.push_back(p);
      const std::int32_t q = t.Partner(t.Second(p));
      qs.push_back(q);
      p = t.Partner(t.Last(q));
    }
    const auto from = static_cast<size_t>(seen[static_cast<size_t>(p)]);
    for (std::int32_t v : ps) seen[static_cast<size_t>(v)] = -1;
    ++r.rotations;
    std::vector<size_t> cut;
    for (size_t i = from; i < ps.size(); ++i) {
      // The entry p_i in q_i's list.
      const size_t k = t.Twin(t.Second(ps[i]));
      cut.push_back(k);
    }
    for (size_t k : cut) t.TruncateAfter(k);
    if (const std::vector<std::int32_t> emptied = t.TakeEmptied(); !emptied.empty()) {
      r.emptied = emptied.front();
      return r;
    }
  }
  // Every non-empty list now has one entry: the partner. Check emptiness once more.
  r.partner.assign(static_cast<size_t>(n), -1);
  for (std::int32_t x = 0; x < n; ++x) {
    if (t.Size(x) == 0) continue;
    r.partner[static_cast<size_t>(x)] = t.Partner(t.First(x));
  }
  for (std::int32_t x = 0; x < n; ++x) {
    const std::int32_t y = r.partner[static_cast<size_t>(x)];
    if (y >= 0 && r.partner[static_cast<size_t>(y)] != x) {
      r.emptied = x;
      return r;
    }
  }
  r.stable_exists = true;
  return r;
}

}  // namespace

PeerInstance AcceptablePeerPairs(const PeerInstance& instance) {
  PeerInstance out = instance;
  if (instance.ranking.empty()) return out;
  const std::vector<std::vector<std::int32_t>> lists = PreferenceLists(instance);
  std::unordered_set<std::int64_t> ok;
  for (size_t x = 0; x < lists.size(); ++x) {
    for (std::int32_t y : lists[x]) ok.insert(Key(static_cast<std::int32_t>(x), y));
  }
  out.edges.clear();
  for (const PeerEdge& e : instance.edges) {
    if (ok.count(Key(e.a, e.b))) out.edges.push_back(e);
  }
  return out;
}

PeerSolution SolveStableRoommates(const PeerInstance& instance, const SolveOptions& options,
                                  const PeerOptions& peer_options) {
  PeerSolution s;
  if (Status st = Validate(instance); !st.ok()) {
    s.status = SolveStatus::kBadInput;
    s.message = st.message();
    return s;
  }
  if (options.cancel != nullptr && options.cancel->load()) {
    s.status = SolveStatus::kCancelled;
    s.message = "cancelled";
    return s;
  }
  if (options.progress) options.progress("roommates", 0.0);
  const IrvingResult r = Irving(PreferenceLists(instance));
  if (options.progress) options.progress("roommates", 1.0);
  s.augmentations = r.proposals;
  s.blossoms_formed = r.rotations;
  if (r.stable_exists) {
    s.method = PeerMethod::kStableRoommates;
    s.stable_exists = true;
    s.partner = r.partner;
    for (const PeerEdge& e : instance.edges) {
      if (s.partner[static_cast<size_t>(e.a)] == e.b) {
        ++s.matched_pairs;
        s.total_weight += e.weight;
      }
    }
    s.blocking_pairs = FindPeerBlockingPairs(instance, s.partner);
    s.notes.push_back(
        "stable matching found (Irving's algorithm): no two people prefer each "
        "other to their partners");
    internal::FinishPeerSolution(instance, peer_options,
                                 "unpaired in every stable matching: each acceptable candidate "
                                 "holds a partner they prefer",
                                 &s);
    return s;
  }
  // No stable matching: pair for the most pairs, then the most weight, over acceptable pairs.
  const PeerInstance acceptable = AcceptablePeerPairs(instance);
  PeerSolution m = SolveMaxWeightPeer(acceptable, options,
                                      PeerOptions{
                                          .max_cardinality_first = true,
                                          .allow_trio = false,
                                      });
  if (m.status != SolveStatus::kOptimal) return m;
  m.notes.clear();
  m.trios.clear();
  m.stable_exists = false;
  m.method = PeerMethod::kMaxWeightMatching;
  m.blocking_pairs = FindPeerBlockingPairs(instance, m.partner);
  m.notes.push_back("no stable matching exists (" + internal::PersonName(instance, r.emptied) +
                    "'s list emptied during rotation elimination); returned instead the "
                    "max-weight pairing over acceptable pairs, which has " +
                    std::to_string(m.blocking_pairs.size()) + " blocking pair(s)");
  internal::FinishPeerSolution(instance, peer_options,
                               "every acceptable candidate is paired with someone else and no "
                               "rearrangement pairs more people or a larger total weight",
                               &m);
  return m;
}

}  // namespace tandem::matching
