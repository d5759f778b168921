#include "matching/cost_scaling.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

namespace tandem::matching::internal {
namespace {

using Big = std::int64_t;
constexpr Big kInf = std::numeric_limits<Big>::max() / 4;
// Pushes allowed per phase, per mentee and edge, before the solve is left to shortest augmenting
// paths: a safety net against a price war (units bouncing between two nodes while a price falls
// by 2 eps a time). None is known: the one found, with mentors of capacity 0, was a bug (fixed).
constexpr std::int64_t kBudgetPerArc = 8;
// Phases left out when the prices of a related answer seed the start (rounds of column
// generation): 1, 2, 3 and 4 gave the three warm solves of the 100,000 x 20,000 benchmark in
// 2.8, 2.0, 2.6 and 4.9 s (cold: 4.2 s); more fight price wars at a too small eps.
constexpr int kWarmPhases = 2;
// The push budget of a phase from such a seed: a phase there makes about a quarter of a push per
// mentee and edge.
constexpr std::int64_t kWarmBudgetPerArc = 2;
constexpr Big kAlpha = 8;                                         // eps shrinks eightfold per phase
constexpr Big kPriceLimit = std::numeric_limits<Big>::max() / 8;  // overflow guard

}  // namespace

// Hopcroft & Karp 1973 phases: shortest augmenting paths from every free mentee at once.
CardinalityCover MaxCardinalityCover(const MenteeRows& rows,
                                     const std::vector<std::int32_t>& capacity,
                                     const std::vector<std::int32_t>* hint) {
  const auto n = static_cast<std::int32_t>(rows.start.size()) - 1;
  const auto m = static_cast<std::int32_t>(capacity.size());
  std::vector<std::int32_t> mate(static_cast<size_t>(n), -1);
  std::vector<std::int64_t> member_start(static_cast<size_t>(m) + 1, 0);
  for (std::int32_t j = 0; j < m; ++j) {
    member_start[static_cast<size_t>(j) + 1] =
        member_start[static_cast<size_t>(j)] +
        std::min(std::max(capacity[static_cast<size_t>(j)], 0), n);
  }
  std::vector<std::int32_t> members(static_cast<size_t>(member_start.back()), -1);
  std::vector<std::int32_t> load(static_cast<size_t>(m), 0);
  const auto row = [&rows](std::int32_t i) {
    return std::pair{static_cast<size_t>(rows.start[static_cast<size_t>(i)]),
                     static_cast<size_t>(rows.start[static_cast<size_t>(i) + 1])};
  };
  const auto has_room = [&](std::int32_t j) {
    return load[static_cast<size_t>(j)] < capacity[static_cast<size_t>(j)];
  };
  const auto add = [&](std::int32_t i, std::int32_t j) {
    members[static_cast<size_t>(member_start[static_cast<size_t>(j)] +
                                load[static_cast<size_t>(j)]++)] = i;
    mate[static_cast<size_t>(i)] = j;
  };
  // Start: greedily, mentees with the fewest edges first (they have the fewest ways to be
  // matched later), each taking of its mentors with room the one fewest mentees can take (the
  // least contested); with a hint, its pairs that are edges and fit first, unless the greedy
  // start alone matches more (after pricing added many pairs, the last answer is far from a
  // maximum matching of the new graph).
  std::vector<std::int32_t> by_degree(static_cast<size_t>(n));
  std::iota(by_degree.begin(), by_degree.end(), 0);
  std::stable_sort(by_degree.begin(), by_degree.end(), [&](std::int32_t x, std::int32_t y) {
    return row(x).second - row(x).first < row(y).second - row(y).first;
  });
  std::vector<std::int32_t> demand(static_cast<size_t>(m), 0);
  for (const std::int32_t j : rows.mentor) ++demand[static_cast<size_t>(j)];
  const auto greedy = [&]() {
    std::int32_t matched = 0;
    for (const std::int32_t i : by_degree) {
      if (mate[static_cast<size_t>(i)] >= 0) {
        ++matched;
        continue;
      }
      const auto [b, e] = row(i);
      std::int32_t pick = -1;
      for (size_t k = b; k < e; ++k) {
        const std::int32_t j = rows.mentor[k];
        if (has_room(j) &&
            (pick < 0 || demand[static_cast<size_t>(j)] < demand[static_cast<size_t>(pick)])) {
          pick = j;
        }
      }
      if (pick >= 0) {
        add(i, pick);
        ++matched;
      }
    }
    return matched;
  };
  const std::int32_t alone = greedy();
  if (hint != nullptr && hint->size() == static_cast<size_t>(n)) {
    const std::vector<std::int32_t> greedy_mate = mate;
    const std::vector<std::int32_t> greedy_members = members;
    const std::vector<std::int32_t> greedy_load = load;
    std::fill(mate.begin(), mate.end(), -1);
    std::fill(load.begin(), load.end(), 0);
    for (std::int32_t i = 0; i < n; ++i) {
      const std::int32_t j = (*hint)[static_cast<size_t>(i)];
      if (j < 0 || j >= m || !has_room(j)) continue;
      const auto [b, e] = row(i);
      const auto first = rows.mentor.begin() + static_cast<std::ptrdiff_t>(b);
      const auto last = rows.mentor.begin() + static_cast<std::ptrdiff_t>(e);
      if (std::binary_search(first, last, j)) add(i, j);  // rows are sorted by mentor
    }
    if (greedy() < alone) {
      mate = greedy_mate;
      members = greedy_members;
      load = greedy_load;
    }
  }
  constexpr std::int32_t kFar = std::numeric_limits<std::int32_t>::max();
  std::vector<std::int32_t> dist(static_cast<size_t>(n));
  std::vector<std::int32_t> queue;
  // Depth-first search frames: mentee, next arc, and (when the arc's mentor is full) the next
  // member slot of that mentor to try.
  struct Frame {
    std::int32_t mentee;
    std::int32_t slot;
  };
  std::vector<Frame> stack;
  std::vector<size_t> next_arc(static_cast<size_t>(n));
  std::vector<std::int32_t> expanded(static_cast<size_t>(m), 0);  // phase a mentor was expanded in
  std::int32_t phase = 0;
  bool exhausted = false;  // the last search found no augmenting path and reached all it could
  while (true) {
    queue.clear();
    for (std::int32_t i = 0; i < n; ++i) {
      const bool free = mate[static_cast<size_t>(i)] < 0 && row(i).first < row(i).second;
      dist[static_cast<size_t>(i)] = free ? 0 : kFar;
      if (free) queue.push_back(i);
    }
    std::int32_t limit = kFar;  // length of the shortest augmenting paths
    ++phase;
    for (size_t h = 0; h < queue.size(); ++h) {
      const std::int32_t u = queue[h];
      const std::int32_t du = dist[static_cast<size_t>(u)];
      if (du >= limit) break;
      const auto [b, e] = row(u);
      for (size_t k = b; k < e; ++k) {
        const std::int32_t j = rows.mentor[k];
        if (j == mate[static_cast<size_t>(u)] || capacity[static_cast<size_t>(j)] <= 0) continue;
        if (has_room(j)) {
          limit = std::min(limit, du + 1);
          continue;
        }
        const auto c = static_cast<size_t>(j);
        if (expanded[c] == phase) continue;  // its members are in the queue already
        expanded[c] = phase;
        for (std::int64_t s = member_start[c]; s < member_start[c] + load[c]; ++s) {
          const std::int32_t v = members[static_cast<size_t>(s)];
          if (dist[static_cast<size_t>(v)] == kFar) {
            dist[static_cast<size_t>(v)] = du + 1;
            queue.push_back(v);
          }
        }
      }
    }
    if (limit == kFar) {
      exhausted = true;
      break;
    }
    for (std::int32_t i = 0; i < n; ++i) next_arc[static_cast<size_t>(i)] = row(i).first;
    bool augmented = false;
    for (std::int32_t root = 0; root < n; ++root) {
      if (dist[static_cast<size_t>(root)] != 0 || mate[static_cast<size_t>(root)] >= 0) continue;
      stack.assign(1, Frame{root, -1});
      while (!stack.empty()) {
        Frame& f = stack.back();
        const std::int32_t u = f.mentee;
        const std::int32_t du = dist[static_cast<size_t>(u)];
        const size_t end = row(u).second;
        bool pushed = false;
        bool done = false;
        while (next_arc[static_cast<size_t>(u)] < end && !pushed && !done) {
          const size_t k = next_arc[static_cast<size_t>(u)];
          const std::int32_t j = rows.mentor[k];
          const auto c = static_cast<size_t>(j);
          if (j == mate[static_cast<size_t>(u)] || capacity[c] <= 0 || du + 1 > limit) {
            ++next_arc[static_cast<size_t>(u)];
            continue;
          }
          if (has_room(j)) {
            if (du + 1 == limit) {
              // Augment: the last mentee takes the free place, every earlier one the place of
              // the mentee after it.
              add(u, j);
              for (size_t l = stack.size() - 1; l-- > 0;) {
                const Frame& g = stack[l];
                const std::int32_t gj = rows.mentor[next_arc[static_cast<size_t>(g.mentee)]];
                members[static_cast<size_t>(g.slot)] = g.mentee;
                mate[static_cast<size_t>(g.mentee)] = gj;
              }
              augmented = true;
              done = true;
              break;
            }
            ++next_arc[static_cast<size_t>(u)];
            continue;
          }
          // A full mentor: try its members one layer down, from slot f.slot on.
          if (f.slot < 0) f.slot = static_cast<std::int32_t>(member_start[c]);
          while (f.slot < member_start[c] + load[c]) {
            const std::int32_t v = members[static_cast<size_t>(f.slot)];
            if (dist[static_cast<size_t>(v)] == du + 1) {
              pushed = true;
              break;
            }
            ++f.slot;
          }
          if (pushed) break;
          f.slot = -1;
          ++next_arc[static_cast<size_t>(u)];
        }
        if (done) break;
        if (pushed) {
          const std::int32_t v = members[static_cast<size_t>(f.slot)];
          stack.push_back(Frame{v, -1});
          continue;
        }
        // Dead end: no path through u in this phase.
        dist[static_cast<size_t>(u)] = kFar;
        stack.pop_back();
        if (!stack.empty()) ++stack.back().slot;
      }
    }
    if (!augmented) break;
  }
  // The cover: from the free mentees, alternating paths reach mentors along any edge and
  // mentees along matched ones; the cover is the mentees not reached and the mentors reached.
  // When the last search ran to exhaustion it was that search already: the mentees it reached
  // (and the free ones without edges) and the mentors it expanded.
  CardinalityCover cover;
  cover.mentor_covered.assign(static_cast<size_t>(m), 0);
  std::vector<char> reached(static_cast<size_t>(n), 0);
  queue.clear();
  for (std::int32_t i = 0; i < n; ++i) {
    if (mate[static_cast<size_t>(i)] < 0) {
      reached[static_cast<size_t>(i)] = 1;
      queue.push_back(i);
    }
  }
  if (exhausted) {
    for (std::int32_t i = 0; i < n; ++i) {
      if (dist[static_cast<size_t>(i)] != kFar) reached[static_cast<size_t>(i)] = 1;
    }
    for (std::int32_t j = 0; j < m; ++j) {
      cover.mentor_covered[static_cast<size_t>(j)] = expanded[static_cast<size_t>(j)] == phase;
    }
    queue.clear();  // nothing left to search
  }
  for (size_t h = 0; h < queue.size(); ++h) {
    const auto [b, e] = row(queue[h]);
    for (size_t k = b; k < e; ++k) {
      const auto c = static_cast<size_t>(rows.mentor[k]);
      if (capacity[c] <= 0 || cover.mentor_covered[c]) continue;
      cover.mentor_covered[c] = 1;
      for (std::int64_t s = member_start[c]; s < member_start[c] + load[c]; ++s) {
        const std::int32_t v = members[static_cast<size_t>(s)];
        if (!reached[static_cast<size_t>(v)]) {
          reached[static_cast<size_t>(v)] = 1;
          queue.push_back(v);
        }
      }
    }
  }
  cover.mentee_covered.assign(static_cast<size_t>(n), 0);
  for (std::int32_t i = 0; i < n; ++i) {
    cover.mentee_covered[static_cast<size_t>(i)] = reached[static_cast<size_t>(i)] ? 0 : 1;
    if (mate[static_cast<size_t>(i)] >= 0) ++cover.matched;
  }
  cover.load = std::move(load);
  return cover;
}

namespace {

// Potentials pi (rc(x -> y) = cost + pi_x - pi_y; an arc is admissible when its residual
// capacity is positive and rc < 0). Mentees hold at most one unit: assigned to a mentor, to the
// sink ("unmatched"), or free (an excess of one). A mentor holds its members and sends
// flow_[j] <= c_j units on to the sink; members beyond flow_ are its excess. The sink's balance
// is what it received minus the n units it must receive.
class CostScaling {
 public:
  CostScaling(const Instance& instance, const MenteeRows& rows, Weight bonus)
      : rows_(rows),
        n_(instance.num_mentees),
        m_(instance.num_mentors()),
        scale_(static_cast<Big>(n_) + m_ + 2),
        bonus_(bonus),
        capacity_(instance.capacity),
        pi_mentee_(static_cast<size_t>(n_), 0),
        at_(static_cast<size_t>(n_), -1),
        at_cost_(static_cast<size_t>(n_), 0),
        pi_mentor_(static_cast<size_t>(m_), 0),
        flow_(static_cast<size_t>(m_), 0),
        count_(static_cast<size_t>(m_), 0),
        member_start_(static_cast<size_t>(m_) + 1, 0) {
    for (std::int32_t j = 0; j < m_; ++j) {
      // One spare slot: a mentor holds at most one unit of excess at a time (and never more
      // members than there are mentees).
      member_start_[static_cast<size_t>(j) + 1] = member_start_[static_cast<size_t>(j)] +
                                                  std::min(capacity_[static_cast<size_t>(j)], n_) +
                                                  1;
    }
    members_.assign(static_cast<size_t>(member_start_.back()), -1);
    quick_.resize(static_cast<size_t>(n_));
  }

  // With `cardinality_start`, the phases where eps exceeds the weight range (there only the
  // bonus, i.e. how many are matched, matters) are replaced by a maximum-cardinality matching:
  // its Konig cover priced at the bonus (a covered mentor at bonus, the others at 0) makes every
  // arc (largest weight)-optimal, so scaling starts at eps = largest weight. With `prices` as
  // well (mentor prices of an optimal answer of a related instance), each mentor's price also
  // keeps its part below the bonus from them, and scaling starts kWarmPhases phases later.
  bool Run(const SolveOptions& options, std::int64_t* pushes, bool cardinality_start,
           const std::vector<std::int32_t>* hint = nullptr,
           const std::vector<Weight>* prices = nullptr) {
    Weight max_w = 0;
    for (Weight w : rows_.weight) max_w = std::max(max_w, w);
    // Every cost in scaled units must fit, with room for prices several times larger.
    if (max_w + bonus_ > kPriceLimit / scale_ / 16) return false;
    const Big c_max = (max_w + bonus_) * scale_;
    Big eps = c_max;
    if (cardinality_start) {
      const CardinalityCover cover = MaxCardinalityCover(rows_, capacity_, hint);
      for (std::int32_t j = 0; j < m_; ++j) {
        const auto c = static_cast<size_t>(j);
        // The seed's price less the bonus when it includes it, the price itself when it is
        // below the largest weight; 0 for none, for a negative one, or for a price in between
        // (an optimal dual may split the bonus between a mentor and its mentees: no part of it
        // is then known).
        Weight below_bonus = 0;
        if (prices != nullptr) {
          const Weight q = (*prices)[c];
          below_bonus = q >= bonus_ ? std::min(q - bonus_, max_w) : q >= 0 && q <= max_w ? q : 0;
        }
        // A mentor without places takes no one: priced above every arc's worth, so that no
        // mentee bids for it (at 0 it would draw bids until a price war had raised it).
        pi_mentor_[c] = capacity_[c] <= 0         ? -(bonus_ + max_w + 1) * scale_
                        : cover.mentor_covered[c] ? -(bonus_ + below_bonus) * scale_
                                                  : -below_bonus * scale_;
        count_[c] = cover.load[c];  // the first phase refills the mentors full in the matching
      }
      eps = std::max<Big>(max_w * scale_, kAlpha);
      if (prices != nullptr) {
        for (int k = 0; k < kWarmPhases; ++k) eps = std::max<Big>(eps / kAlpha, kAlpha);
        budget_per_arc_ = kWarmBudgetPerArc;  // a war from a poor seed is given up early
      }
    }
    int phases = 0;
    for (Big e = eps; e > 1; e = std::max<Big>(1, e / kAlpha)) ++phases;
    int phase = 0;
    while (eps > 1) {
      eps = std::max<Big>(1, eps / kAlpha);
      if (options.cancel != nullptr && options.cancel->load()) return false;
      if (options.progress) {
        options.progress("assigning", static_cast<double>(phase) / std::max(phases, 1));
      }
      if (!Refine(eps, options)) return false;
      ++phase;
    }
    *pushes += pushes_;
    if (options.progress) options.progress("assigning", 1.0);
    return true;
  }

  void Export(Solution* start) const {
    start->bonus = bonus_;
    start->mentor_of.assign(static_cast<size_t>(n_), -1);
    for (std::int32_t i = 0; i < n_; ++i) {
      const std::int32_t a = at_[static_cast<size_t>(i)];
      if (a >= 0 && a < m_) start->mentor_of[static_cast<size_t>(i)] = a;
    }
    // Mentor prices in whole units: q_j = (pi_sink - pi_j) / S, rounded; zero on mentors with a
    // free place (their arc to the sink keeps q_j <= 1/S).
    start->mentor_price.assign(static_cast<size_t>(m_), 0);
    start->mentee_price.assign(static_cast<size_t>(n_), 0);
    for (std::int32_t j = 0; j < m_; ++j) {
      const auto c = static_cast<size_t>(j);
      if (count_[c] < capacity_[c]) continue;
      const Big diff = pi_sink_ - pi_mentor_[c];
      const Big q = diff >= 0 ? (diff + scale_ / 2) / scale_ : 0;
      start->mentor_price[c] = q;
    }
  }

 private:
  Big Cost(size_t k) const { return -(rows_.weight[k] + bonus_) * scale_; }

  bool Refine(Big eps, const SolveOptions& options) {
    // Start of a phase: every mentee free. A mentor that ended the last phase with a free place
    // goes back to the sink's price and sends nothing on; a full one sends all its places on
    // when its price is above the sink's (it must be refilled). Both keep the mentor's arcs
    // eps-optimal; a free mentee's price is set when it is discharged (it has no incoming
    // residual arc until then).
    sink_balance_ = -static_cast<Big>(n_);
    bool cheaper = false;  // an arc became cheaper: the cached minima are stale
    for (std::int32_t j = 0; j < m_; ++j) {
      const auto c = static_cast<size_t>(j);
      // A mentor without places counts as full: it keeps the price its refusals raised.
      const bool full = count_[c] >= capacity_[c];
      if (!full) {
        cheaper = cheaper || pi_mentor_[c] < pi_sink_;
        pi_mentor_[c] = pi_sink_;
        flow_[c] = 0;
      } else {
        flow_[c] = pi_mentor_[c] < pi_sink_ ? capacity_[c] : 0;
      }
      count_[c] = 0;
      sink_balance_ += flow_[c];
    }
    if (cheaper) ++epoch_;
    sink_heap_.clear();
    for (std::int32_t j = 0; j < m_; ++j) {
      const auto c = static_cast<size_t>(j);
      if (flow_[c] > 0) sink_heap_.emplace_back(pi_mentor_[c], j);
    }
    std::make_heap(sink_heap_.begin(), sink_heap_.end());
    std::fill(at_.begin(), at_.end(), -1);
    free_.clear();
    for (std::int32_t i = n_ - 1; i >= 0; --i) free_.push_back(i);
    std::int64_t steps = 0;
    const std::int64_t pushes_at_start = pushes_;
    const auto budget = budget_per_arc_ * (static_cast<std::int64_t>(n_) +
                                           static_cast<std::int64_t>(rows_.mentor.size())) +
                        4096;
    while (true) {
      if (sink_balance_ > 0) {
        if (!PushFromSink(eps)) return false;
        continue;
      }
      if (!excess_.empty()) {
        const std::int32_t j = excess_.back();
        excess_.pop_back();
        if (!PushFromMentor(j, eps)) return false;
        continue;
      }
      if (free_.empty()) break;
      if ((++steps & 4095) == 0 && options.cancel != nullptr && options.cancel->load()) {
        return false;
      }
      if (pushes_ - pushes_at_start > budget) return false;  // a price war: leave it to SAP
      const std::int32_t i = free_.back();
      free_.pop_back();
      // The rows are read in no particular order and do not fit in cache: fetch the next free
      // mentee's row while this one is discharged.
      if (!free_.empty()) Prefetch(free_.back());
      if (!PushFromMentee(i, eps)) return false;
    }
    return true;
  }

  void Prefetch(std::int32_t i) const {
    __builtin_prefetch(quick_.data() + i);
    const auto b = static_cast<size_t>(rows_.start[static_cast<size_t>(i)]);
    const auto e = static_cast<size_t>(rows_.start[static_cast<size_t>(i) + 1]);
    for (size_t k = b; k < e; k += 16) __builtin_prefetch(rows_.mentor.data() + k);
    for (size_t k = b; k < e; k += 8) __builtin_prefetch(rows_.weight.data() + k);
  }

  // Double push, first half: the free mentee's unit goes along its cheapest arc and the mentee
  // takes the price at which its second cheapest arc is eps-tight.
  bool PushFromMentee(std::int32_t i, Big eps) {
    Big best = -pi_sink_;  // the "unmatched" arc: cost 0
    std::int32_t to = m_;
    Big best_cost = 0;
    Big second = kInf;
    Quick& quick = quick_[static_cast<size_t>(i)];
    if (quick.epoch == epoch_) {
      // Prices only rise while the cache is kept (mentor and sink potentials only fall), so
      // every arc only gets dearer: an arc the cache does not hold still costs at least `rest`.
      // When the best two of the cached arcs and the "unmatched" arc are no dearer, they are
      // the best two of the row.
      for (int s = 0; s < kQuick; ++s) {
        const std::int32_t j = quick.mentor[s];
        if (j < 0) break;
        const Big value = quick.cost[s] - pi_mentor_[static_cast<size_t>(j)];
        if (value < best) {
          second = best;
          best = value;
          to = j;
          best_cost = quick.cost[s];
        } else if (value < second) {
          second = value;
        }
      }
      if (second <= quick.rest) return Place(i, eps, best, second, to, best_cost);
    }
    // A full scan: the best two, and the kQuick cheapest arcs cached with the cost of the next.
    best = -pi_sink_;
    to = m_;
    second = kInf;
    Big kept_value[kQuick + 1];
    std::int32_t kept_mentor[kQuick + 1];
    Big kept_cost[kQuick + 1];
    int kept = 0;
    const auto b = static_cast<size_t>(rows_.start[static_cast<size_t>(i)]);
    const auto e = static_cast<size_t>(rows_.start[static_cast<size_t>(i) + 1]);
    for (size_t k = b; k < e; ++k) {
      const std::int32_t j = rows_.mentor[k];
      const Big cost = Cost(k);
      const Big value = cost - pi_mentor_[static_cast<size_t>(j)];
      if (value < best) {
        second = best;
        best = value;
        to = j;
        best_cost = cost;
      } else if (value < second) {
        second = value;
      }
      if (kept <= kQuick || value < kept_value[kQuick]) {
        int s = std::min(kept, kQuick);
        while (s > 0 && kept_value[s - 1] > value) {
          kept_value[s] = kept_value[s - 1];
          kept_mentor[s] = kept_mentor[s - 1];
          kept_cost[s] = kept_cost[s - 1];
          --s;
        }
        kept_value[s] = value;
        kept_mentor[s] = j;
        kept_cost[s] = cost;
        kept = std::min(kept + 1, kQuick + 1);
      }
    }
    quick.epoch = epoch_;
    for (int s = 0; s < kQuick; ++s) {
      quick.mentor[s] = s < kept ? kept_mentor[s] : -1;
      quick.cost[s] = s < kept ? kept_cost[s] : 0;
    }
    quick.rest = kept > kQuick ? kept_value[kQuick] : kInf;
    return Place(i, eps, best, second, to, best_cost);
  }

  // The push itself: mentee i's unit goes to `to` (m_: unmatched) along an arc of cost
  // `best_cost`, and its price makes the second cheapest arc eps-tight.
  bool Place(std::int32_t i, Big eps, Big best, Big second, std::int32_t to, Big best_cost) {
    const Big pi = -(second == kInf ? best : second) - eps;
    if (pi > kPriceLimit || pi < -kPriceLimit) return false;
    pi_mentee_[static_cast<size_t>(i)] = pi;
    ++pushes_;
    if (to == m_) {
      at_[static_cast<size_t>(i)] = m_;
      at_cost_[static_cast<size_t>(i)] = 0;
      OfferToSink(m_ + i, pi);
      ++sink_balance_;
      return true;
    }
    const auto c = static_cast<size_t>(to);
    at_[static_cast<size_t>(i)] = to;
    at_cost_[static_cast<size_t>(i)] = best_cost;
    members_[static_cast<size_t>(member_start_[c] + count_[c])] = i;
    ++count_[c];
    if (count_[c] > flow_[c]) excess_.push_back(to);
    return true;
  }

  // Second half: a mentor with a unit too many sends it on to the sink (when it has room) or
  // back to the member whose arc is the most admissible, relabelling first when none is.
  bool PushFromMentor(std::int32_t j, Big eps) {
    const auto c = static_cast<size_t>(j);
    if (count_[c] <= flow_[c]) return true;
    const Big pj = pi_mentor_[c];
    Big least = flow_[c] < capacity_[c] ? pj - pi_sink_ : kInf;
    std::int32_t slot = -1;  // -1: the sink
    for (std::int32_t s = 0; s < count_[c]; ++s) {
      const std::int32_t x = members_[static_cast<size_t>(member_start_[c] + s)];
      const Big rc = -at_cost_[static_cast<size_t>(x)] + pj - pi_mentee_[static_cast<size_t>(x)];
      if (rc < least) {
        least = rc;
        slot = s;
      }
    }
    if (least >= 0) {
      pi_mentor_[c] = pj - least - eps;
      if (pi_mentor_[c] < -kPriceLimit) return false;
    }
    ++pushes_;
    if (slot < 0) {
      ++flow_[c];
      ++sink_balance_;
    }
    if (flow_[c] > 0 && (least >= 0 || slot < 0)) OfferToSink(j, pi_mentor_[c]);
    if (slot < 0) return true;
    const auto base = static_cast<size_t>(member_start_[c]);
    const std::int32_t x = members_[base + static_cast<size_t>(slot)];
    members_[base + static_cast<size_t>(slot)] =
        members_[base + static_cast<size_t>(count_[c] - 1)];
    --count_[c];
    at_[static_cast<size_t>(x)] = -1;
    free_.push_back(x);
    Prefetch(x);
    return true;
  }

  // The sink's residual arcs lead to the mentors that send it flow and to the unmatched
  // mentees; rc = pi_sink - pi_head, so the most admissible is the head of largest price. A
  // heap of (price, head) finds it; an entry is checked when it comes out (a head that left, or
  // whose price changed, has a newer entry or none). Mentors are codes 0..m-1, mentees m + i.
  void OfferToSink(std::int32_t code, Big pi) {
    sink_heap_.emplace_back(pi, code);
    std::push_heap(sink_heap_.begin(), sink_heap_.end());
  }

  bool Current(Big pi, std::int32_t code) const {
    if (code < m_) {
      const auto c = static_cast<size_t>(code);
      return flow_[c] > 0 && pi_mentor_[c] == pi;
    }
    const auto i = static_cast<size_t>(code - m_);
    return at_[i] == m_ && pi_mentee_[i] == pi;
  }

  // The sink holds more than the mentees' units (mentors or unmatched mentees sent too much):
  // it sends one back along its most admissible arc, relabelling first when none is.
  bool PushFromSink(Big eps) {
    while (!sink_heap_.empty() && !Current(sink_heap_.front().first, sink_heap_.front().second)) {
      std::pop_heap(sink_heap_.begin(), sink_heap_.end());
      sink_heap_.pop_back();
    }
    if (sink_heap_.empty()) return false;  // cannot happen: the sink received its units
    const std::int32_t code = sink_heap_.front().second;
    const Big least = pi_sink_ - sink_heap_.front().first;
    const std::int32_t mentor = code < m_ ? code : -1;
    const std::int32_t mentee = code < m_ ? -1 : code - m_;
    if (least >= 0) {
      pi_sink_ -= least + eps;
      if (pi_sink_ < -kPriceLimit) return false;
    }
    ++pushes_;
    --sink_balance_;
    if (mentor >= 0) {
      const auto c = static_cast<size_t>(mentor);
      --flow_[c];
      if (count_[c] > flow_[c]) excess_.push_back(mentor);
      return true;
    }
    at_[static_cast<size_t>(mentee)] = -1;
    free_.push_back(mentee);
    return true;
  }

  // Cached minima (the "quick minima" of Goldberg & Kennedy 1995): per mentee, its kQuick
  // cheapest arcs (mentor and cost) at its last full scan, and the reduced cost the next
  // cheapest had then. Valid while no arc has become cheaper since (the same `epoch_`).
  static constexpr int kQuick = 3;
  struct alignas(64) Quick {
    std::int32_t epoch = -1;
    std::int32_t mentor[kQuick] = {-1, -1, -1};  // -1 for none
    Big cost[kQuick] = {0, 0, 0};
    Big rest = kInf;
  };

  const MenteeRows& rows_;
  std::int32_t n_;
  std::int32_t m_;
  Big scale_;
  Weight bonus_;
  const std::vector<std::int32_t>& capacity_;
  std::vector<Big> pi_mentee_;
  std::vector<std::int32_t> at_;  // -1 free, a mentor, or m_ (the sink: unmatched)
  std::vector<Big> at_cost_;      // cost of the arc the mentee's unit is on
  std::vector<Big> pi_mentor_;
  std::vector<std::int32_t> flow_;   // units sent on to the sink
  std::vector<std::int32_t> count_;  // members
  std::vector<std::int64_t> member_start_;
  std::vector<std::int32_t> members_;
  Big pi_sink_ = 0;
  Big sink_balance_ = 0;
  std::vector<std::int32_t> free_;
  std::vector<std::int32_t> excess_;
  std::vector<std::pair<Big, std::int32_t>> sink_heap_;
  std::vector<Quick> quick_;
  // Advanced when an arc becomes cheaper (a phase starts a mentor over): older caches are stale.
  std::int32_t epoch_ = 0;
  std::int64_t pushes_ = 0;
  std::int64_t budget_per_arc_ = kBudgetPerArc;
};

}  // namespace

bool CostScalingStart(const Instance& instance, const MenteeRows& rows, Weight bonus,
                      const SolveOptions& options, Solution* start, std::int64_t* pushes,
                      bool* restarted, const std::vector<std::int32_t>* hint,
                      const std::vector<Weight>* prices) {
  if (restarted != nullptr) *restarted = false;
  if (prices != nullptr && prices->size() == static_cast<size_t>(instance.num_mentors())) {
    CostScaling solver(instance, rows, bonus);
    if (solver.Run(options, pushes, /*cardinality_start=*/true, hint, prices)) {
      solver.Export(start);
      return true;
    }
    // A price war from the seeded prices: the cardinality start alone.
    if (options.cancel != nullptr && options.cancel->load()) return false;
    if (restarted != nullptr) *restarted = true;
  }
  {
    CostScaling solver(instance, rows, bonus);
    if (solver.Run(options, pushes, /*cardinality_start=*/true, hint)) {
      solver.Export(start);
      return true;
    }
  }
  // A price war from that start (none is known): the plain scaling from the largest cost.
  if (options.cancel != nullptr && options.cancel->load()) return false;
  if (restarted != nullptr) *restarted = true;
  CostScaling solver(instance, rows, bonus);
  if (!solver.Run(options, pushes, /*cardinality_start=*/false)) return false;
  solver.Export(start);
  return true;
}

}  // namespace tandem::matching::internal
