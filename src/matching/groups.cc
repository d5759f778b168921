#include "matching/groups.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <numeric>
#include <set>
#include <string>
#include <utility>

#include "matching/welfare.h"

namespace tandem::matching {
namespace {

constexpr std::int64_t kS = kScoreScale;
constexpr double kMaxGroupWeight = 100.0;
constexpr std::int64_t kMaxDenseCells = std::int64_t{1} << 22;  // 32 MB of weights

struct Milli {
  std::int64_t cohesion = 0;
  std::int64_t balance = 0;
  std::int64_t diversity = 0;
};

Milli ToMilli(const GroupWeights& w) {
  return {std::llround(w.cohesion * 1000.0), std::llround(w.balance * 1000.0),
          std::llround(w.diversity * 1000.0)};
}

std::int64_t LeastSumOfSquares(std::int64_t people, std::int64_t groups) {
  if (groups <= 0) return 0;
  const std::int64_t q = people / groups;
  const std::int64_t r = people % groups;
  return r * (q + 1) * (q + 1) + (groups - r) * q * q;
}

std::int64_t Combine(const Milli& m, const GroupObjective& o) {
  return 1000 * o.pair_weight + m.cohesion * o.cohesion - m.balance * o.imbalance +
         m.diversity * o.diversity;
}

Status CheckWeights(const GroupWeights& w) {
  const std::pair<const char*, double> all[] = {
      {"cohesion", w.cohesion}, {"balance", w.balance}, {"diversity", w.diversity}};
  for (const auto& [name, value] : all) {
    if (!(value >= 0.0 && value <= kMaxGroupWeight)) {
      return Status::Invalid(std::string("weights.") + name + ": must be a number in [0, 100]");
    }
  }
  return Status::Ok();
}

template <typename T>
Status CheckPerPerson(const std::vector<T>& v, std::int32_t n, const char* what) {
  if (!v.empty() && static_cast<std::int64_t>(v.size()) != n) {
    return Status::Invalid(std::string(what) + ": expected " + std::to_string(n) +
                           " entries, got " + std::to_string(v.size()));
  }
  return Status::Ok();
}

// Worst-case magnitude of the integer objective; rejects inputs that could overflow int64.
Status CheckMagnitude(std::int64_t people, std::int64_t largest_group, Weight max_pair,
                      const GroupWeights& w) {
  const auto n = static_cast<long double>(people);
  const auto s = static_cast<long double>(kS);
  const long double bound = 1000.0L * n * static_cast<long double>(max_pair) +
                            1000.0L * w.cohesion * s * n * static_cast<long double>(largest_group) +
                            1000.0L * w.balance * s * n * n + 1000.0L * w.diversity * s * 2.0L * n +
                            1.0L;
  if (bound > 4.0e18L) return Status::Invalid("too many people for the exact objective");
  return Status::Ok();
}

// ---- The local search (shared by mentor-led groups and peer circles) ----

class Search {
 public:
  // tags sorted and unique; dept / site one per person (-1 unknown). Eligibility: per person the
  // groups it may join in ascending order with the pair weight (mentor-led), or every group with
  // weight 0 (circles, all_eligible).
  Search(std::int32_t n, std::int32_t groups, std::vector<std::vector<std::int32_t>> tags,
         std::vector<std::int32_t> dept, std::vector<std::int32_t> site, Milli weights,
         std::vector<std::int32_t> cap, std::int32_t min_size, bool circles,
         std::int64_t counted_groups)
      : n_(n),
        g_(groups),
        tags_(std::move(tags)),
        dept_(std::move(dept)),
        site_(std::move(site)),
        w_(weights),
        cap_(std::move(cap)),
        min_size_(min_size),
        circles_(circles),
        counted_groups_(counted_groups),
        group_of_(static_cast<size_t>(n), -1),
        members_(static_cast<size_t>(groups)),
        dept_count_(static_cast<size_t>(groups)),
        site_count_(static_cast<size_t>(groups)),
        scan_row_(static_cast<size_t>(n), 0) {}

  void SetEligibility(std::vector<std::int64_t> start, std::vector<std::int32_t> group,
                      std::vector<Weight> weight) {
    start_ = std::move(start);
    cand_group_ = std::move(group);
    cand_weight_ = std::move(weight);
    // A dense weight table (-1 = ineligible) when it is small: O(1) lookups in the swap scan.
    if (static_cast<std::int64_t>(n_) * g_ <= kMaxDenseCells) {
      dense_weight_.assign(static_cast<size_t>(n_) * static_cast<size_t>(g_), -1);
      for (std::int32_t a = 0; a < n_; ++a) {
        for (auto k = start_[static_cast<size_t>(a)]; k < start_[static_cast<size_t>(a) + 1]; ++k) {
          dense_weight_[static_cast<size_t>(a) * static_cast<size_t>(g_) +
                        static_cast<size_t>(cand_group_[static_cast<size_t>(k)])] =
              cand_weight_[static_cast<size_t>(k)];
        }
      }
    }
  }

  // Initial placement; then Build().
  void Place(std::int32_t a, std::int32_t g) {
    group_of_[static_cast<size_t>(a)] = g;
    members_[static_cast<size_t>(g)].push_back(a);
  }

  void Build() {
    aff_.assign(static_cast<size_t>(n_) * static_cast<size_t>(g_), 0);
    placed_ = 0;
    sumsq_ = 0;
    diversity_ = 0;
    cohesion_ = 0;
    pair_ = 0;
    for (std::int32_t g = 0; g < g_; ++g) {
      auto& mem = members_[static_cast<size_t>(g)];
      std::sort(mem.begin(), mem.end());
      const auto s = static_cast<std::int64_t>(mem.size());
      placed_ += s;
      sumsq_ += s * s;
      for (std::int32_t a : mem) {
        diversity_ += Join(dept_count_[static_cast<size_t>(g)], dept_[static_cast<size_t>(a)]);
        diversity_ += Join(site_count_[static_cast<size_t>(g)], site_[static_cast<size_t>(a)]);
        pair_ += PairWeight(a, g);
      }
    }
    for (std::int32_t a = 0; a < n_; ++a) {
      const std::int32_t ga = group_of_[static_cast<size_t>(a)];
      if (ga < 0 || tags_[static_cast<size_t>(a)].empty()) continue;
      for (std::int32_t b = a + 1; b < n_; ++b) {
        const std::int32_t gb = group_of_[static_cast<size_t>(b)];
        if (gb < 0) continue;
        const std::int64_t j = Jaccard(a, b);
        if (j == 0) continue;
        Aff(a, gb) += j;
        Aff(b, ga) += j;
        if (ga == gb) cohesion_ += j;
      }
    }
  }

  GroupObjective Objective() const {
    GroupObjective o;
    o.pair_weight = pair_;
    o.cohesion = cohesion_;
    o.imbalance = kS * (sumsq_ - LeastSumOfSquares(placed_, counted_groups_));
    o.diversity = kS * diversity_;
    o.value = Combine(w_, o);
    return o;
  }

  // Groups with 0 < size < min_size: move all members of each into the best eligible group with
  // room that then meets min_size, or keep it (rolled back) when some member fits nowhere.
  void MergeSmall(std::vector<std::int32_t>* merged) {
    std::vector<std::int32_t> small;
    for (std::int32_t g = 0; g < g_; ++g) {
      if (IsSmall(Size(g))) small.push_back(g);
    }
    std::stable_sort(small.begin(), small.end(),
                     [&](std::int32_t x, std::int32_t y) { return Size(x) < Size(y); });
    for (std::int32_t g : small) {
      if (!IsSmall(Size(g))) continue;
      const std::vector<std::int32_t> leaving = members_[static_cast<size_t>(g)];
      std::vector<std::int32_t> moved;
      bool ok = true;
      for (std::int32_t a : leaving) {
        std::int32_t best = -1;
        std::int64_t best_delta = 0;
        for (auto k = start_[static_cast<size_t>(a)]; k < start_[static_cast<size_t>(a) + 1]; ++k) {
          const std::int32_t h = cand_group_[static_cast<size_t>(k)];
          if (h == g || Size(h) >= cap_[static_cast<size_t>(h)] || Size(h) + 1 < min_size_)
            continue;
          const std::int64_t d = MoveDelta(a, h);
          if (best < 0 || d > best_delta) {
            best = h;
            best_delta = d;
          }
        }
        if (best < 0) {
          ok = false;
          break;
        }
        DoMove(a, best);
        moved.push_back(a);
      }
      if (ok) {
        merged->push_back(g);
      } else {
        for (auto it = moved.rbegin(); it != moved.rend(); ++it) DoMove(*it, g);
      }
    }
  }

  const std::vector<std::int32_t>& group_of() const { return group_of_; }
  const std::vector<std::vector<std::int32_t>>& members() const { return members_; }
  std::int32_t Size(std::int32_t g) const {
    return static_cast<std::int32_t>(members_[static_cast<size_t>(g)].size());
  }
  bool IsSmall(std::int32_t size) const { return size > 0 && size < min_size_; }

 private:
  using Counts = std::vector<std::pair<std::int32_t, std::int32_t>>;  // (value, count)

  static std::int32_t CountOf(const Counts& c, std::int32_t v) {
    for (const auto& [value, count] : c) {
      if (value == v) return count;
    }
    return 0;
  }
  // Adds v; returns 1 when v is new to the group.
  static std::int64_t Join(Counts& c, std::int32_t v) {
    if (v < 0) return 0;
    for (auto& [value, count] : c) {
      if (value == v) {
        ++count;
        return 0;
      }
    }
    c.emplace_back(v, 1);
    return 1;
  }
  // Removes v; returns -1 when v leaves the group entirely.
  static std::int64_t Leave(Counts& c, std::int32_t v) {
    if (v < 0) return 0;
    for (size_t k = 0; k < c.size(); ++k) {
      if (c[k].first != v) continue;
      if (--c[k].second == 0) {
        c.erase(c.begin() + static_cast<std::ptrdiff_t>(k));
        return -1;
      }
      return 0;
    }
    return 0;
  }
  static std::int64_t JoinDelta(const Counts& c, std::int32_t v) {
    return v >= 0 && CountOf(c, v) == 0 ? 1 : 0;
  }
  static std::int64_t LeaveDelta(const Counts& c, std::int32_t v) {
    return v >= 0 && CountOf(c, v) == 1 ? -1 : 0;
  }

  std::int64_t Jaccard(std::int32_t a, std::int32_t b) const {
    const auto& x = tags_[static_cast<size_t>(a)];
    const auto& y = tags_[static_cast<size_t>(b)];
    if (x.empty() || y.empty()) return 0;
    size_t i = 0;
    size_t j = 0;
    std::int64_t inter = 0;
    while (i < x.size() && j < y.size()) {
      if (x[i] < y[j]) {
        ++i;
      } else if (y[j] < x[i]) {
        ++j;
      } else {
        ++inter;
        ++i;
        ++j;
      }
    }
    const auto uni = static_cast<std::int64_t>(x.size() + y.size()) - inter;
    return (2 * inter * kS + uni) / (2 * uni);
  }

  std::int64_t& Aff(std::int32_t a, std::int32_t g) {
    return aff_[static_cast<size_t>(a) * static_cast<size_t>(g_) + static_cast<size_t>(g)];
  }
  std::int64_t AffOf(std::int32_t a, std::int32_t g) const {
    return aff_[static_cast<size_t>(a) * static_cast<size_t>(g_) + static_cast<size_t>(g)];
  }

  // The pair weight of a in group g, or -1 when a may not join g.
  Weight PairWeight(std::int32_t a, std::int32_t g) const {
    if (circles_) return 0;
    if (!dense_weight_.empty()) {
      return dense_weight_[static_cast<size_t>(a) * static_cast<size_t>(g_) +
                           static_cast<size_t>(g)];
    }
    const auto b = cand_group_.begin() + start_[static_cast<size_t>(a)];
    const auto e = cand_group_.begin() + start_[static_cast<size_t>(a) + 1];
    const auto it = std::lower_bound(b, e, g);
    if (it == e || *it != g) return -1;
    return cand_weight_[static_cast<size_t>(it - cand_group_.begin())];
  }

  bool MoveAllowed(std::int32_t g, std::int32_t h) const {
    const std::int32_t sg = Size(g);
    const std::int32_t sh = Size(h);
    if (circles_) return sg == sh + 1;
    if (sh >= cap_[static_cast<size_t>(h)]) return false;
    auto fine = [&](std::int32_t s) { return s == 0 || s >= min_size_; };
    return (fine(sg - 1) || !fine(sg)) && (fine(sh + 1) || !fine(sh));
  }

  std::int64_t Value(Weight d_pair, std::int64_t d_coh, std::int64_t d_sumsq,
                     std::int64_t d_div) const {
    return 1000 * d_pair + w_.cohesion * d_coh - w_.balance * kS * d_sumsq +
           w_.diversity * kS * d_div;
  }

  std::int64_t MoveDelta(std::int32_t a, std::int32_t h) const {
    const std::int32_t g = group_of_[static_cast<size_t>(a)];
    const Weight d_pair = PairWeight(a, h) - PairWeight(a, g);
    const std::int64_t d_coh = AffOf(a, h) - AffOf(a, g);
    const std::int64_t d_sumsq = 2 * (Size(h) - Size(g)) + 2;
    const std::int64_t d_div =
        LeaveDelta(dept_count_[static_cast<size_t>(g)], dept_[static_cast<size_t>(a)]) +
        JoinDelta(dept_count_[static_cast<size_t>(h)], dept_[static_cast<size_t>(a)]) +
        LeaveDelta(site_count_[static_cast<size_t>(g)], site_[static_cast<size_t>(a)]) +
        JoinDelta(site_count_[static_cast<size_t>(h)], site_[static_cast<size_t>(a)]);
    return Value(d_pair, d_coh, d_sumsq, d_div);
  }

  // a in g, b in h (g != h); jab = Jaccard(a, b).
  std::int64_t SwapDelta(std::int32_t a, std::int32_t b, std::int64_t jab) const {
    const std::int32_t g = group_of_[static_cast<size_t>(a)];
    const std::int32_t h = group_of_[static_cast<size_t>(b)];
    const Weight d_pair = PairWeight(a, h) + PairWeight(b, g) - PairWeight(a, g) - PairWeight(b, h);
    const std::int64_t d_coh =
        (AffOf(a, h) - jab) - AffOf(a, g) + (AffOf(b, g) - jab) - AffOf(b, h);
    auto exchange = [](const Counts& c, std::int32_t out, std::int32_t in) -> std::int64_t {
      if (out == in) return 0;
      std::int64_t d = 0;
      if (out >= 0 && CountOf(c, out) == 1) --d;
      if (in >= 0 && CountOf(c, in) == 0) ++d;
      return d;
    };
    const std::int64_t d_div =
        exchange(dept_count_[static_cast<size_t>(g)], dept_[static_cast<size_t>(a)],
                 dept_[static_cast<size_t>(b)]) +
        exchange(dept_count_[static_cast<size_t>(h)], dept_[static_cast<size_t>(b)],
                 dept_[static_cast<size_t>(a)]) +
        exchange(site_count_[static_cast<size_t>(g)], site_[static_cast<size_t>(a)],
                 site_[static_cast<size_t>(b)]) +
        exchange(site_count_[static_cast<size_t>(h)], site_[static_cast<size_t>(b)],
                 site_[static_cast<size_t>(a)]);
    return Value(d_pair, d_coh, 0, d_div);
  }

  // Moves a to h and updates every part and affinity exactly (no feasibility check).
  void DoMove(std::int32_t a, std::int32_t h) {
    const std::int32_t g = group_of_[static_cast<size_t>(a)];
    pair_ += PairWeight(a, h) - PairWeight(a, g);
    cohesion_ += AffOf(a, h) - AffOf(a, g);
    sumsq_ += 2 * (Size(h) - Size(g)) + 2;
    diversity_ += Leave(dept_count_[static_cast<size_t>(g)], dept_[static_cast<size_t>(a)]) +
                  Join(dept_count_[static_cast<size_t>(h)], dept_[static_cast<size_t>(a)]) +
                  Leave(site_count_[static_cast<size_t>(g)], site_[static_cast<size_t>(a)]) +
                  Join(site_count_[static_cast<size_t>(h)], site_[static_cast<size_t>(a)]);
    auto& from = members_[static_cast<size_t>(g)];
    from.erase(std::lower_bound(from.begin(), from.end(), a));
    auto& to = members_[static_cast<size_t>(h)];
    to.insert(std::lower_bound(to.begin(), to.end(), a), a);
    group_of_[static_cast<size_t>(a)] = h;
    if (tags_[static_cast<size_t>(a)].empty()) return;
    for (std::int32_t x = 0; x < n_; ++x) {
      if (x == a || group_of_[static_cast<size_t>(x)] < 0) continue;
      const std::int64_t j = Jaccard(x, a);
      if (j == 0) continue;
      Aff(x, g) -= j;
      Aff(x, h) += j;
    }
  }

  std::int32_t n_;
  std::int32_t g_;
  std::vector<std::vector<std::int32_t>> tags_;
  std::vector<std::int32_t> dept_;
  std::vector<std::int32_t> site_;
  Milli w_;
  std::vector<std::int32_t> cap_;
  std::int32_t min_size_;
  bool circles_;
  std::int64_t counted_groups_;
  std::vector<std::int64_t> start_;
  std::vector<std::int32_t> cand_group_;
  std::vector<Weight> cand_weight_;
  std::vector<Weight> dense_weight_;
  std::vector<std::int32_t> group_of_;
  std::vector<std::vector<std::int32_t>> members_;
  std::vector<Counts> dept_count_;
  std::vector<Counts> site_count_;
  std::vector<std::int64_t> aff_;  // aff_[a * G + g]: sum of Jaccard(a, x) over x != a in g
  std::vector<std::int64_t> scan_row_;
  std::int64_t placed_ = 0;
  Weight pair_ = 0;
  std::int64_t cohesion_ = 0;
  std::int64_t sumsq_ = 0;
  std::int64_t diversity_ = 0;

 public:
  struct Counters {
    std::int64_t moves = 0;
    std::int64_t swaps = 0;
    std::int64_t passes = 0;
    std::int64_t evaluations = 0;
  };
  bool Run(std::int32_t max_passes, const SolveOptions& options, Counters* c);
};

bool Search::Run(std::int32_t max_passes, const SolveOptions& options, Counters* c) {
  std::vector<std::int32_t> all_groups;
  if (circles_) {
    all_groups.resize(static_cast<size_t>(g_));
    std::iota(all_groups.begin(), all_groups.end(), 0);
  }
  for (std::int32_t pass = 0; pass < max_passes; ++pass) {
    ++c->passes;
    bool improved = false;
    for (std::int32_t a = 0; a < n_; ++a) {
      if ((a & 63) == 0) {
        if (options.cancel != nullptr && options.cancel->load()) return false;
        if (options.progress) {
          options.progress("grouping", std::min(1.0, (pass + static_cast<double>(a) / n_) /
                                                         std::max(1, max_passes)));
        }
      }
      if (group_of_[static_cast<size_t>(a)] < 0) continue;
      const std::int32_t* cb =
          circles_ ? all_groups.data() : cand_group_.data() + start_[static_cast<size_t>(a)];
      const std::int32_t* ce = circles_ ? all_groups.data() + all_groups.size()
                                        : cand_group_.data() + start_[static_cast<size_t>(a) + 1];
      bool done = false;
      for (const std::int32_t* h = cb; h != ce && !done; ++h) {
        const std::int32_t g = group_of_[static_cast<size_t>(a)];
        if (*h == g || !MoveAllowed(g, *h)) continue;
        ++c->evaluations;
        if (MoveDelta(a, *h) > 0) {
          DoMove(a, *h);
          ++c->moves;
          done = true;
        }
      }
      // Swaps: Jaccard(a, .) computed once for a.
      bool row_ready = false;
      for (const std::int32_t* h = cb; h != ce && !done; ++h) {
        const std::int32_t g = group_of_[static_cast<size_t>(a)];
        if (*h == g) continue;
        for (std::int32_t b : members_[static_cast<size_t>(*h)]) {
          if (!circles_ && PairWeight(b, g) < 0) continue;
          if (!row_ready) {
            for (std::int32_t x = 0; x < n_; ++x) scan_row_[static_cast<size_t>(x)] = Jaccard(a, x);
            row_ready = true;
          }
          ++c->evaluations;
          if (SwapDelta(a, b, scan_row_[static_cast<size_t>(b)]) > 0) {
            DoMove(a, *h);
            DoMove(b, g);
            ++c->swaps;
            done = true;
            break;
          }
        }
      }
      improved = improved || done;
    }
    if (!improved) break;
  }
  return true;
}

std::vector<std::int32_t> SortedUnique(std::vector<std::int32_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::vector<std::int32_t>> NormalTags(const std::vector<std::vector<std::int32_t>>& t,
                                                  std::int32_t n) {
  std::vector<std::vector<std::int32_t>> out(static_cast<size_t>(n));
  if (t.empty()) return out;
  for (size_t i = 0; i < out.size(); ++i) out[i] = SortedUnique(t[i]);
  return out;
}

std::vector<std::int32_t> OrUnknown(const std::vector<std::int32_t>& v, std::int32_t n) {
  if (v.empty()) return std::vector<std::int32_t>(static_cast<size_t>(n), -1);
  return v;
}

// ---- From-scratch evaluation for the checkers (shares nothing with Search) ----

GroupObjective EvaluateFromScratch(const std::vector<std::vector<std::int32_t>>& groups,
                                   std::int64_t counted_groups,
                                   const std::vector<std::vector<std::int32_t>>& tags,
                                   const std::vector<std::int32_t>& dept,
                                   const std::vector<std::int32_t>& site, Weight pair_weight,
                                   const GroupWeights& weights) {
  GroupObjective o;
  o.pair_weight = pair_weight;
  std::int64_t sumsq = 0;
  std::int64_t people = 0;
  for (const auto& g : groups) {
    const auto s = static_cast<std::int64_t>(g.size());
    sumsq += s * s;
    people += s;
    std::set<std::int32_t> depts;
    std::set<std::int32_t> sites;
    for (std::int32_t a : g) {
      if (!dept.empty() && dept[static_cast<size_t>(a)] >= 0)
        depts.insert(dept[static_cast<size_t>(a)]);
      if (!site.empty() && site[static_cast<size_t>(a)] >= 0)
        sites.insert(site[static_cast<size_t>(a)]);
    }
    o.diversity += kS * static_cast<std::int64_t>(depts.size() + sites.size());
    if (tags.empty()) continue;
    for (size_t x = 0; x < g.size(); ++x) {
      const std::set<std::int32_t> ta(tags[static_cast<size_t>(g[x])].begin(),
                                      tags[static_cast<size_t>(g[x])].end());
      for (size_t y = x + 1; y < g.size(); ++y) {
        const std::set<std::int32_t> tb(tags[static_cast<size_t>(g[y])].begin(),
                                        tags[static_cast<size_t>(g[y])].end());
        std::vector<std::int32_t> common;
        std::set_intersection(ta.begin(), ta.end(), tb.begin(), tb.end(),
                              std::back_inserter(common));
        const auto inter = static_cast<std::int64_t>(common.size());
        const auto uni = static_cast<std::int64_t>(ta.size() + tb.size()) - inter;
        if (uni > 0) o.cohesion += (2 * inter * kS + uni) / (2 * uni);
      }
    }
  }
  o.imbalance = kS * (sumsq - LeastSumOfSquares(people, counted_groups));
  o.value = Combine(ToMilli(weights), o);
  return o;
}

Status SameObjective(const GroupObjective& got, const GroupObjective& want) {
  auto differ = [](const char* what, std::int64_t a, std::int64_t b) {
    return Status::Internal(std::string(what) + ": reported " + std::to_string(a) +
                            ", recomputed " + std::to_string(b));
  };
  if (got.pair_weight != want.pair_weight)
    return differ("pair weight", got.pair_weight, want.pair_weight);
  if (got.cohesion != want.cohesion) return differ("cohesion", got.cohesion, want.cohesion);
  if (got.imbalance != want.imbalance) return differ("imbalance", got.imbalance, want.imbalance);
  if (got.diversity != want.diversity) return differ("diversity", got.diversity, want.diversity);
  if (got.value != want.value) return differ("objective", got.value, want.value);
  return Status::Ok();
}

std::int64_t CountedMentorGroups(const Instance& inst) {
  return std::count_if(inst.capacity.begin(), inst.capacity.end(),
                       [](std::int32_t c) { return c > 0; });
}

Status ValidateGroups(const GroupProblem& p) {
  if (Status s = Validate(p.instance); !s.ok()) return s;
  const std::int32_t n = p.instance.num_mentees;
  if (Status s = CheckPerPerson(p.mentee_tags, n, "mentee_tags"); !s.ok()) return s;
  if (Status s = CheckPerPerson(p.mentee_department, n, "mentee_department"); !s.ok()) return s;
  if (Status s = CheckPerPerson(p.mentee_site, n, "mentee_site"); !s.ok()) return s;
  if (p.min_size < 0) return Status::Invalid("min_size is negative");
  if (p.max_passes < 0) return Status::Invalid("max_passes is negative");
  if (Status s = CheckWeights(p.weights); !s.ok()) return s;
  Weight max_w = 0;
  for (const Edge& e : p.instance.edges) max_w = std::max(max_w, e.weight);
  std::int32_t largest = 0;
  for (std::int32_t c : p.instance.capacity) largest = std::max(largest, c);
  return CheckMagnitude(n, std::min(largest, n), max_w, p.weights);
}

Status ValidateCircles(const CircleProblem& p) {
  if (p.num_people < 0) return Status::Invalid("num_people is negative");
  if (p.circle_size < 1) return Status::Invalid("circle_size must be at least 1");
  if (Status s = CheckPerPerson(p.tags, p.num_people, "tags"); !s.ok()) return s;
  if (Status s = CheckPerPerson(p.department, p.num_people, "department"); !s.ok()) return s;
  if (Status s = CheckPerPerson(p.site, p.num_people, "site"); !s.ok()) return s;
  if (p.max_passes < 0) return Status::Invalid("max_passes is negative");
  if (Status s = CheckWeights(p.weights); !s.ok()) return s;
  return CheckMagnitude(p.num_people, std::min(p.num_people, p.circle_size + 2), 0, p.weights);
}

}  // namespace

// ---- Mentor-led groups ----

GroupResult SolveGroups(const GroupProblem& problem, const SolveOptions& options) {
  GroupResult result;
  if (Status s = ValidateGroups(problem); !s.ok()) {
    result.status = SolveStatus::kBadInput;
    result.message = s.message();
    return result;
  }
  const Instance& inst = problem.instance;
  const std::int32_t n = inst.num_mentees;
  const std::int32_t m = inst.num_mentors();
  const Solution welfare = SolveWelfare(inst, options);
  if (welfare.status != SolveStatus::kOptimal) {
    result.status = welfare.status;
    result.message = welfare.message;
    return result;
  }
  Search search(n, m, NormalTags(problem.mentee_tags, n), OrUnknown(problem.mentee_department, n),
                OrUnknown(problem.mentee_site, n), ToMilli(problem.weights), inst.capacity,
                problem.min_size, /*circles=*/false, CountedMentorGroups(inst));
  // Eligible mentors per mentee, ascending.
  std::vector<std::int64_t> start(static_cast<size_t>(n) + 1, 0);
  for (const Edge& e : inst.edges) ++start[static_cast<size_t>(e.mentee) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::pair<std::int32_t, Weight>> cells(inst.edges.size());
  {
    std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
    for (const Edge& e : inst.edges)
      cells[static_cast<size_t>(fill[static_cast<size_t>(e.mentee)]++)] = {e.mentor, e.weight};
  }
  std::vector<std::int32_t> group(cells.size());
  std::vector<Weight> weight(cells.size());
  for (std::int32_t i = 0; i < n; ++i) {
    const auto b = cells.begin() + start[static_cast<size_t>(i)];
    const auto e = cells.begin() + start[static_cast<size_t>(i) + 1];
    std::sort(b, e);
  }
  for (size_t k = 0; k < cells.size(); ++k) {
    group[k] = cells[k].first;
    weight[k] = cells[k].second;
  }
  search.SetEligibility(std::move(start), std::move(group), std::move(weight));
  for (std::int32_t i = 0; i < n; ++i) {
    if (welfare.mentor_of[static_cast<size_t>(i)] >= 0)
      search.Place(i, welfare.mentor_of[static_cast<size_t>(i)]);
  }
  search.Build();
  result.before = search.Objective();
  Search::Counters counters;
  if (!search.Run(problem.max_passes, options, &counters)) {
    result.status = SolveStatus::kCancelled;
    result.message = "cancelled";
    return result;
  }
  if (problem.small_groups == SmallGroupPolicy::kMerge) search.MergeSmall(&result.merged_groups);
  for (std::int32_t g = 0; g < m; ++g) {
    if (search.IsSmall(search.Size(g))) result.small_groups.push_back(g);
  }
  std::sort(result.merged_groups.begin(), result.merged_groups.end());
  result.after = search.Objective();
  result.mentor_of = search.group_of();
  result.members = search.members();
  result.placed = welfare.matched;
  result.moves = counters.moves;
  result.swaps = counters.swaps;
  result.passes = counters.passes;
  result.evaluations = counters.evaluations;
  if (options.progress) options.progress("grouping", 1.0);
  result.status = SolveStatus::kOptimal;
  return result;
}

GroupObjective EvaluateGroups(const GroupProblem& problem,
                              const std::vector<std::int32_t>& mentor_of) {
  const Instance& inst = problem.instance;
  std::vector<std::vector<std::int32_t>> groups(static_cast<size_t>(inst.num_mentors()));
  for (size_t i = 0; i < mentor_of.size(); ++i) {
    if (mentor_of[i] >= 0)
      groups[static_cast<size_t>(mentor_of[i])].push_back(static_cast<std::int32_t>(i));
  }
  Weight pair = 0;
  for (const Edge& e : inst.edges) {
    if (mentor_of[static_cast<size_t>(e.mentee)] == e.mentor) pair += e.weight;
  }
  return EvaluateFromScratch(groups, CountedMentorGroups(inst), problem.mentee_tags,
                             problem.mentee_department, problem.mentee_site, pair, problem.weights);
}

Status CheckGroups(const GroupProblem& problem, const GroupResult& result) {
  if (Status s = ValidateGroups(problem); !s.ok()) return s;
  const Instance& inst = problem.instance;
  const auto n = static_cast<size_t>(inst.num_mentees);
  const auto m = static_cast<size_t>(inst.num_mentors());
  if (result.mentor_of.size() != n || result.members.size() != m)
    return Status::Internal("assignment has the wrong size");
  std::set<std::pair<std::int32_t, std::int32_t>> eligible;
  for (const Edge& e : inst.edges) eligible.emplace(e.mentee, e.mentor);
  std::vector<std::vector<std::int32_t>> groups(m);
  std::int32_t placed = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::int32_t j = result.mentor_of[i];
    if (j < 0) continue;
    if (static_cast<size_t>(j) >= m || !eligible.count({static_cast<std::int32_t>(i), j}))
      return Status::Internal("mentee " + std::to_string(i) + " is in an ineligible group");
    groups[static_cast<size_t>(j)].push_back(static_cast<std::int32_t>(i));
    ++placed;
  }
  if (placed != result.placed) return Status::Internal("placed count differs");
  std::vector<std::int32_t> small;
  for (size_t j = 0; j < m; ++j) {
    if (groups[j] != result.members[j])
      return Status::Internal("members of mentor " + std::to_string(j) + " differ");
    const auto s = static_cast<std::int32_t>(groups[j].size());
    if (s > inst.capacity[j])
      return Status::Internal("group of mentor " + std::to_string(j) + " is over capacity");
    if (s > 0 && s < problem.min_size) small.push_back(static_cast<std::int32_t>(j));
  }
  if (small != result.small_groups)
    return Status::Internal("groups below min_size differ from the flagged ones");
  return SameObjective(result.after, EvaluateGroups(problem, result.mentor_of));
}

// ---- Peer circles ----

std::vector<std::int32_t> CircleSizes(std::int32_t num_people, std::int32_t k,
                                      CircleRemainder remainder) {
  if (num_people <= 0 || k < 1) return {};
  if (num_people <= k) return {num_people};
  const std::int32_t floor_g = num_people / k;
  const std::int32_t r = num_people % k;
  std::int32_t groups = floor_g;
  if (r != 0) {
    const bool larger_ok = r <= floor_g;
    const bool smaller_ok = k - r <= floor_g + 1;
    const bool want_larger = remainder == CircleRemainder::kLarger;
    if (want_larger ? larger_ok : smaller_ok) {
      groups = want_larger ? floor_g : floor_g + 1;
    } else if (want_larger ? smaller_ok : larger_ok) {
      groups = want_larger ? floor_g + 1 : floor_g;
    } else {
      // Neither keeps k +- 1: the count whose sizes stray least from k.
      auto stray = [&](std::int32_t g) {
        const std::int32_t q = num_people / g;
        const std::int32_t hi = q + (num_people % g != 0 ? 1 : 0);
        return std::max(std::abs(hi - k), std::abs(q - k));
      };
      const std::int32_t a = stray(floor_g);
      const std::int32_t b = stray(floor_g + 1);
      groups = a < b ? floor_g : b < a ? floor_g + 1 : (want_larger ? floor_g : floor_g + 1);
    }
  }
  std::vector<std::int32_t> sizes(static_cast<size_t>(groups), num_people / groups);
  for (std::int32_t g = 0; g < num_people % groups; ++g) ++sizes[static_cast<size_t>(g)];
  return sizes;
}

CircleResult SolveCircles(const CircleProblem& problem, const SolveOptions& options) {
  CircleResult result;
  if (Status s = ValidateCircles(problem); !s.ok()) {
    result.status = SolveStatus::kBadInput;
    result.message = s.message();
    return result;
  }
  const std::int32_t n = problem.num_people;
  const std::vector<std::int32_t> sizes = CircleSizes(n, problem.circle_size, problem.remainder);
  const auto groups = static_cast<std::int32_t>(sizes.size());
  auto tags = NormalTags(problem.tags, n);
  // Greedy seeding, one circle at a time.
  std::vector<std::int32_t> circle_of(static_cast<size_t>(n), -1);
  std::vector<std::int32_t> seeds(static_cast<size_t>(n));
  std::iota(seeds.begin(), seeds.end(), 0);
  std::stable_sort(seeds.begin(), seeds.end(), [&](std::int32_t a, std::int32_t b) {
    return tags[static_cast<size_t>(a)].size() > tags[static_cast<size_t>(b)].size();
  });
  auto jaccard = [&](std::int32_t a, std::int32_t b) -> std::int64_t {
    const auto& x = tags[static_cast<size_t>(a)];
    const auto& y = tags[static_cast<size_t>(b)];
    if (x.empty() || y.empty()) return 0;
    std::vector<std::int32_t> common;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
    const auto inter = static_cast<std::int64_t>(common.size());
    const auto uni = static_cast<std::int64_t>(x.size() + y.size()) - inter;
    return (2 * inter * kS + uni) / (2 * uni);
  };
  std::vector<std::int64_t> pull(static_cast<size_t>(n), 0);
  size_t next_seed = 0;
  if (options.progress) options.progress("seeding", 0.0);
  for (std::int32_t g = 0; g < groups; ++g) {
    if (options.cancel != nullptr && options.cancel->load()) {
      result.status = SolveStatus::kCancelled;
      result.message = "cancelled";
      return result;
    }
    std::fill(pull.begin(), pull.end(), 0);
    auto add = [&](std::int32_t a) {
      circle_of[static_cast<size_t>(a)] = g;
      if (tags[static_cast<size_t>(a)].empty()) return;
      for (std::int32_t x = 0; x < n; ++x) {
        if (circle_of[static_cast<size_t>(x)] < 0) pull[static_cast<size_t>(x)] += jaccard(x, a);
      }
    };
    while (circle_of[static_cast<size_t>(seeds[next_seed])] >= 0) ++next_seed;
    add(seeds[next_seed]);
    for (std::int32_t t = 1; t < sizes[static_cast<size_t>(g)]; ++t) {
      std::int32_t best = -1;
      for (std::int32_t x = 0; x < n; ++x) {
        if (circle_of[static_cast<size_t>(x)] >= 0) continue;
        if (best < 0 || pull[static_cast<size_t>(x)] > pull[static_cast<size_t>(best)]) best = x;
      }
      add(best);
    }
  }
  Search search(n, groups, std::move(tags), OrUnknown(problem.department, n),
                OrUnknown(problem.site, n), ToMilli(problem.weights),
                std::vector<std::int32_t>(static_cast<size_t>(groups), n), 0, /*circles=*/true,
                groups);
  for (std::int32_t a = 0; a < n; ++a) search.Place(a, circle_of[static_cast<size_t>(a)]);
  search.Build();
  result.before = search.Objective();
  Search::Counters counters;
  if (!search.Run(problem.max_passes, options, &counters)) {
    result.status = SolveStatus::kCancelled;
    result.message = "cancelled";
    return result;
  }
  result.after = search.Objective();
  result.circle_of = search.group_of();
  result.circles = search.members();
  result.moves = counters.moves;
  result.swaps = counters.swaps;
  result.passes = counters.passes;
  result.evaluations = counters.evaluations;
  if (options.progress) options.progress("grouping", 1.0);
  result.status = SolveStatus::kOptimal;
  return result;
}

GroupObjective EvaluateCircles(const CircleProblem& problem,
                               const std::vector<std::int32_t>& circle_of) {
  std::int32_t groups = 0;
  for (std::int32_t c : circle_of) groups = std::max(groups, c + 1);
  std::vector<std::vector<std::int32_t>> circles(static_cast<size_t>(groups));
  for (size_t a = 0; a < circle_of.size(); ++a) {
    if (circle_of[a] >= 0)
      circles[static_cast<size_t>(circle_of[a])].push_back(static_cast<std::int32_t>(a));
  }
  const auto planned = static_cast<std::int64_t>(
      CircleSizes(problem.num_people, problem.circle_size, problem.remainder).size());
  return EvaluateFromScratch(circles, planned, problem.tags, problem.department, problem.site, 0,
                             problem.weights);
}

Status CheckCircles(const CircleProblem& problem, const CircleResult& result) {
  if (Status s = ValidateCircles(problem); !s.ok()) return s;
  const auto n = static_cast<size_t>(problem.num_people);
  std::vector<std::int32_t> plan =
      CircleSizes(problem.num_people, problem.circle_size, problem.remainder);
  if (result.circle_of.size() != n || result.circles.size() != plan.size())
    return Status::Internal("circles have the wrong size");
  std::vector<std::vector<std::int32_t>> circles(plan.size());
  for (size_t a = 0; a < n; ++a) {
    const std::int32_t c = result.circle_of[a];
    if (c < 0 || static_cast<size_t>(c) >= plan.size())
      return Status::Internal("person " + std::to_string(a) + " is in no circle");
    circles[static_cast<size_t>(c)].push_back(static_cast<std::int32_t>(a));
  }
  std::vector<std::int32_t> sizes;
  for (size_t c = 0; c < circles.size(); ++c) {
    if (circles[c] != result.circles[c])
      return Status::Internal("members of circle " + std::to_string(c) + " differ");
    sizes.push_back(static_cast<std::int32_t>(circles[c].size()));
  }
  std::sort(sizes.begin(), sizes.end());
  std::sort(plan.begin(), plan.end());
  if (sizes != plan) return Status::Internal("circle sizes differ from the plan");
  return SameObjective(result.after, EvaluateCircles(problem, result.circle_of));
}

}  // namespace tandem::matching
