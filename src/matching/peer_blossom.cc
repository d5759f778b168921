#include "matching/peer_blossom.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <utility>
#include <vector>

namespace tandem::matching::internal {
namespace {

// Primal-dual blossom algorithm in "quarter" units. With c_e = weight_e + bonus, the internal
// constraint is pi_a + pi_b + sum_{B contains a, b} Z_B >= 4 c_e (so y = pi / 4, z = Z / 4).
// Starting from pi_v = 2 * max_e c_e (even) every dual stays even-parity-consistent: all vertices
// of the trees share one parity, so the slack of an edge between two even vertices is even and
// half of it is an integer step.
//
// Labels are per top-level blossom: free (not in a tree), even (outer) or odd (inner). A global
// clock `now_` is the total dual change so far; a vertex or blossom whose label says it moves
// stores its dual relative to the clock, so a dual step is the clock moving:
//   even: pi = raw - now, Z = raw + 2 now;  odd: pi = raw + now, Z = raw - 2 now;  free: raw.
// Events (the moments a constraint would be violated) sit in one min-heap keyed by clock time:
//   kVertexZero: an even vertex dual reaches 0 -> the tree augments to it and retires;
//   edge events: an edge from an even vertex to a free one (slack falls at rate 1) or to an even
//     one in another blossom (rate 2) gets tight -> grow, shrink or augment;
//   kBlossomZero: an odd blossom's Z reaches 0 -> expand it.
// Events are not deleted when they go stale; each is re-validated when it is popped. Every
// constraint that can become violated has a live event because every label change into even
// or free rescans the affected vertices' edges.

constexpr std::int8_t kFree = 0;
constexpr std::int8_t kEven = 1;
constexpr std::int8_t kOdd = 2;

constexpr std::int32_t kVertexZero = -1;
constexpr std::int32_t kBlossomZero = -2;

struct Event {
  Weight time;
  std::int32_t x;  // vertex (edge and vertex events) or blossom
  std::int32_t k;  // adjacency index of the edge, or kVertexZero / kBlossomZero
};

// Min-heap on time (4-ary for fewer cache misses than std::priority_queue's binary heap).
class EventHeap {
 public:
  bool empty() const { return h_.empty(); }
  size_t size() const { return h_.size(); }
  void Push(const Event& e) {
    h_.push_back(e);
    size_t i = h_.size() - 1;
    while (i > 0) {
      const size_t p = (i - 1) / 4;
      if (h_[p].time <= e.time) break;
      h_[i] = h_[p];
      i = p;
    }
    h_[i] = e;
  }
  Event Pop() {
    const Event top = h_[0];
    const Event last = h_.back();
    h_.pop_back();
    const size_t n = h_.size();
    if (n == 0) return top;
    size_t i = 0;
    for (;;) {
      const size_t c = 4 * i + 1;
      if (c >= n) break;
      size_t best = c;
      const size_t end = std::min(c + 4, n);
      for (size_t j = c + 1; j < end; ++j) {
        if (h_[j].time < h_[best].time) best = j;
      }
      if (h_[best].time >= last.time) break;
      h_[i] = h_[best];
      i = best;
    }
    h_[i] = last;
    return top;
  }

 private:
  std::vector<Event> h_;
};

class BlossomMatcher {
 public:
  BlossomMatcher(std::int32_t n, const std::vector<PeerEdge>& edges, Weight bonus)
      : n_(n), bonus_(bonus) {
    const auto un = static_cast<size_t>(n);
    adj_start_.assign(un + 1, 0);
    for (const PeerEdge& e : edges) {
      ++adj_start_[static_cast<size_t>(e.a) + 1];
      ++adj_start_[static_cast<size_t>(e.b) + 1];
    }
    for (size_t i = 1; i <= un; ++i) adj_start_[i] += adj_start_[i - 1];
    adj_to_.resize(2 * edges.size());
    adj_w4_.resize(2 * edges.size());
    adj_w_.resize(2 * edges.size());
    std::vector<std::int64_t> fill(adj_start_.begin(), adj_start_.end() - 1);
    for (const PeerEdge& e : edges) {
      const Weight w4 = 4 * (e.weight + bonus);
      auto ka = static_cast<size_t>(fill[static_cast<size_t>(e.a)]++);
      adj_to_[ka] = e.b;
      adj_w4_[ka] = w4;
      adj_w_[ka] = e.weight;
      auto kb = static_cast<size_t>(fill[static_cast<size_t>(e.b)]++);
      adj_to_[kb] = e.a;
      adj_w4_[kb] = w4;
      adj_w_[kb] = e.weight;
    }
    const size_t nb = 2 * un;
    mate_.assign(un, -1);
    top_.resize(un);
    praw_.assign(un, 0);
    pmode_.assign(un, kFree);
    parent_.assign(nb, -1);
    children_.resize(nb);
    cycle_.resize(nb);
    base_.assign(nb, -1);
    label_.assign(nb, kFree);
    label_end_.assign(nb, -1);
    label_in_.assign(nb, -1);
    tree_.assign(nb, -1);
    zraw_.assign(nb, 0);
    zmode_.assign(nb, kFree);
    alive_.assign(nb, 0);
    mark_.assign(nb, 0);
    tree_members_.resize(un);
    for (std::int32_t v = 0; v < n; ++v) {
      top_[static_cast<size_t>(v)] = v;
      base_[static_cast<size_t>(v)] = v;
      alive_[static_cast<size_t>(v)] = 1;
    }
    for (std::int32_t b = 2 * n - 1; b >= n; --b) free_ids_.push_back(b);
  }

  bool Run(const SolveOptions& options) {
    if (options.cancel != nullptr && options.cancel->load()) return false;
    Initialize();
    const std::int32_t initial_trees = num_trees_;
    std::int64_t pops = 0;
    while (num_trees_ > 0) {
      if ((++pops & 4095) == 0) {
        if (options.cancel != nullptr && options.cancel->load()) return false;
        if (options.progress && initial_trees > 0) {
          options.progress("pairing", 1.0 - static_cast<double>(num_trees_) /
                                                static_cast<double>(initial_trees));
        }
      }
      assert(!heap_.empty());
      const Event ev = heap_.Pop();
      assert(ev.time >= now_);
      now_ = ev.time;
      ++events_;
      if (ev.k == kVertexZero) {
        const std::int32_t v = ev.x;
        if (label_[Top(v)] != kEven || Pi(v) != 0) continue;
        Retire(v);
      } else if (ev.k == kBlossomZero) {
        const std::int32_t b = ev.x;
        const auto ub = static_cast<size_t>(b);
        if (!alive_[ub] || parent_[ub] != -1 || label_[ub] != kOdd || Z(b) != 0) continue;
        Expand(b);
      } else {
        HandleEdge(ev.x, ev.k);
      }
    }
    if (options.progress) options.progress("pairing", 1.0);
    return true;
  }

  void Export(PeerSolution* s) const {
    const auto un = static_cast<size_t>(n_);
    s->partner = mate_;
    s->matched_pairs = 0;
    s->total_weight = 0;
    for (std::int32_t v = 0; v < n_; ++v) {
      const std::int32_t u = mate_[static_cast<size_t>(v)];
      if (u <= v) continue;
      ++s->matched_pairs;
      for (auto k = adj_start_[static_cast<size_t>(v)]; k < adj_start_[static_cast<size_t>(v) + 1];
           ++k) {
        if (adj_to_[static_cast<size_t>(k)] == u) {
          s->total_weight += adj_w_[static_cast<size_t>(k)];
          break;
        }
      }
    }
    s->bonus = bonus_;
    std::vector<Weight> y(un);
    for (std::int32_t v = 0; v < n_; ++v) y[static_cast<size_t>(v)] = Pi(v);
    std::vector<std::vector<std::int32_t>> sets;
    std::vector<Weight> z;
    for (std::int32_t b = n_; b < 2 * n_; ++b) {
      if (!alive_[static_cast<size_t>(b)] || Z(b) == 0) continue;
      sets.push_back(Vertices(b));
      z.push_back(Z(b));
    }
    // Report in the smallest scale that keeps every dual an integer.
    Weight scale = 4;
    while (scale > 1) {
      bool even = true;
      for (Weight d : y) even = even && d % 2 == 0;
      for (Weight d : z) even = even && d % 2 == 0;
      if (!even) break;
      for (Weight& d : y) d /= 2;
      for (Weight& d : z) d /= 2;
      scale /= 2;
    }
    s->dual_scale = scale;
    s->vertex_dual = std::move(y);
    s->blossoms = std::move(sets);
    s->blossom_dual = std::move(z);
    s->augmentations = augmentations_;
    s->blossoms_formed = blossoms_formed_;
    s->events = events_;
  }

 private:
  std::int32_t Top(std::int32_t v) const { return top_[static_cast<size_t>(v)]; }

  static Weight Rate(std::int8_t mode) { return mode == kEven ? -1 : (mode == kOdd ? 1 : 0); }

  Weight Pi(std::int32_t v) const {
    const auto uv = static_cast<size_t>(v);
    return praw_[uv] + Rate(pmode_[uv]) * now_;
  }
  void SetPMode(std::int32_t v, std::int8_t mode) {
    const auto uv = static_cast<size_t>(v);
    const Weight p = Pi(v);
    pmode_[uv] = mode;
    praw_[uv] = p - Rate(mode) * now_;
  }
  Weight Z(std::int32_t b) const {
    const auto ub = static_cast<size_t>(b);
    return zraw_[ub] - 2 * Rate(zmode_[ub]) * now_;
  }
  void SetZMode(std::int32_t b, std::int8_t mode) {
    const auto ub = static_cast<size_t>(b);
    const Weight z = Z(b);
    zmode_[ub] = mode;
    zraw_[ub] = z + 2 * Rate(mode) * now_;
  }

  template <typename F>
  void ForEachVertex(std::int32_t b, F&& f) {
    if (b < n_) {
      f(b);
      return;
    }
    stack_.clear();
    stack_.push_back(b);
    while (!stack_.empty()) {
      const std::int32_t c = stack_.back();
      stack_.pop_back();
      if (c < n_) {
        f(c);
      } else {
        for (std::int32_t ch : children_[static_cast<size_t>(c)]) stack_.push_back(ch);
      }
    }
  }

  std::vector<std::int32_t> Vertices(std::int32_t b) const {
    std::vector<std::int32_t> out;
    std::vector<std::int32_t> st{b};
    while (!st.empty()) {
      const std::int32_t c = st.back();
      st.pop_back();
      if (c < n_) {
        out.push_back(c);
      } else {
        for (std::int32_t ch : children_[static_cast<size_t>(c)]) st.push_back(ch);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Sets the label of top-level blossom b and re-expresses its duals for the new rate.
  void SetLabel(std::int32_t b, std::int8_t label, std::int32_t tree) {
    const auto ub = static_cast<size_t>(b);
    label_[ub] = label;
    tree_[ub] = label == kFree ? -1 : tree;
    ForEachVertex(b, [&](std::int32_t v) { SetPMode(v, label); });
    if (b >= n_) SetZMode(b, label);
    if (label != kFree) tree_members_[static_cast<size_t>(tree)].push_back(b);
  }

  void Initialize() {
    // pi_v = 2 * max c_e over v's edges: every edge covered, tight where both ends agree.
    for (std::int32_t v = 0; v < n_; ++v) {
      Weight best = 0;
      for (auto k = adj_start_[static_cast<size_t>(v)]; k < adj_start_[static_cast<size_t>(v) + 1];
           ++k) {
        best = std::max(best, adj_w4_[static_cast<size_t>(k)] / 2);
      }
      praw_[static_cast<size_t>(v)] = best;
    }
    // Greedy start on tight edges.
    for (std::int32_t v = 0; v < n_; ++v) {
      if (mate_[static_cast<size_t>(v)] != -1) continue;
      for (auto k = adj_start_[static_cast<size_t>(v)]; k < adj_start_[static_cast<size_t>(v) + 1];
           ++k) {
        const std::int32_t u = adj_to_[static_cast<size_t>(k)];
        if (mate_[static_cast<size_t>(u)] != -1) continue;
        if (Pi(v) + Pi(u) == adj_w4_[static_cast<size_t>(k)]) {
          mate_[static_cast<size_t>(v)] = u;
          mate_[static_cast<size_t>(u)] = v;
          break;
        }
      }
    }
    for (std::int32_t v = 0; v < n_; ++v) {
      if (mate_[static_cast<size_t>(v)] != -1 || Pi(v) == 0) continue;
      label_end_[static_cast<size_t>(v)] = -1;
      label_in_[static_cast<size_t>(v)] = v;
      SetLabel(v, kEven, v);
      ++num_trees_;
    }
    for (std::int32_t v = 0; v < n_; ++v) {
      if (label_[static_cast<size_t>(v)] == kEven) ScanEven(v);
    }
  }

  // v has just become even: its zero event and the events of its edges leaving its blossom.
  void ScanEven(std::int32_t v) {
    const Weight pv = Pi(v);
    heap_.Push({now_ + pv, v, kVertexZero});
    const std::int32_t tv = Top(v);
    for (auto k = adj_start_[static_cast<size_t>(v)]; k < adj_start_[static_cast<size_t>(v) + 1];
         ++k) {
      const std::int32_t u = adj_to_[static_cast<size_t>(k)];
      const std::int32_t tu = Top(u);
      if (tu == tv) continue;
      const std::int8_t lu = label_[static_cast<size_t>(tu)];
      if (lu == kOdd) continue;
      const Weight slack = pv + Pi(u) - adj_w4_[static_cast<size_t>(k)];
      assert(slack >= 0);
      if (lu == kFree) {
        heap_.Push({now_ + slack, v, static_cast<std::int32_t>(k)});
      } else {
        assert(slack % 2 == 0);
        heap_.Push({now_ + slack / 2, v, static_cast<std::int32_t>(k)});
      }
    }
  }

  // v's blossom has just become free: events of the edges from even vertices into it.
  void ScanFree(std::int32_t v) {
    const Weight pv = Pi(v);
    for (auto k = adj_start_[static_cast<size_t>(v)]; k < adj_start_[static_cast<size_t>(v) + 1];
         ++k) {
      const std::int32_t u = adj_to_[static_cast<size_t>(k)];
      const std::int32_t tu = Top(u);
      if (label_[static_cast<size_t>(tu)] != kEven) continue;
      const Weight slack = pv + Pi(u) - adj_w4_[static_cast<size_t>(k)];
      assert(slack >= 0);
      heap_.Push({now_ + slack, v, static_cast<std::int32_t>(k)});
    }
  }

  void HandleEdge(std::int32_t a, std::int32_t k) {
    std::int32_t c = adj_to_[static_cast<size_t>(k)];
    std::int32_t ta = Top(a);
    std::int32_t tc = Top(c);
    if (ta == tc) return;
    if (label_[static_cast<size_t>(ta)] != kEven) {
      std::swap(a, c);
      std::swap(ta, tc);
    }
    if (label_[static_cast<size_t>(ta)] != kEven) return;
    const std::int8_t lc = label_[static_cast<size_t>(tc)];
    if (lc == kOdd) return;
    if (Pi(a) + Pi(c) != adj_w4_[static_cast<size_t>(k)]) return;
    if (lc == kFree) {
      if (mate_[static_cast<size_t>(base_[static_cast<size_t>(tc)])] == -1) {
        // A retired unpaired blossom (dual 0 at its base): augment into it.
        const std::int32_t tree = tree_[static_cast<size_t>(ta)];
        AugmentBlossom(tc, c);
        mate_[static_cast<size_t>(c)] = a;
        AugmentPath(a, c);
        ++augmentations_;
        Dissolve(tree, -1);
      } else {
        Grow(a, c);
      }
      return;
    }
    const std::int32_t tree_a = tree_[static_cast<size_t>(ta)];
    const std::int32_t tree_c = tree_[static_cast<size_t>(tc)];
    if (tree_a != tree_c) {
      AugmentPath(a, c);
      AugmentPath(c, a);
      ++augmentations_;
      Dissolve(tree_a, tree_c);
    } else {
      Shrink(a, c);
    }
  }

  // Even a, free matched blossom containing c: the blossom becomes odd, its mate's even.
  void Grow(std::int32_t a, std::int32_t c) {
    const std::int32_t tree = tree_[static_cast<size_t>(Top(a))];
    const std::int32_t tc = Top(c);
    const auto utc = static_cast<size_t>(tc);
    label_end_[utc] = a;
    label_in_[utc] = c;
    SetLabel(tc, kOdd, tree);
    if (tc >= n_) heap_.Push({now_ + Z(tc) / 2, tc, kBlossomZero});
    const std::int32_t b = base_[utc];
    const std::int32_t m = mate_[static_cast<size_t>(b)];
    const std::int32_t tm = Top(m);
    label_end_[static_cast<size_t>(tm)] = b;
    label_in_[static_cast<size_t>(tm)] = m;
    SetLabel(tm, kEven, tree);
    ForEachVertex(tm, [&](std::int32_t v) { scan_.push_back(v); });
    FlushScanEven();
  }

  void FlushScanEven() {
    // Scan after all labels are set, so edges inside the new structure see their final labels.
    std::vector<std::int32_t> list;
    list.swap(scan_);
    for (std::int32_t v : list) ScanEven(v);
    list.clear();
    if (scan_.empty()) scan_.swap(list);
  }

  // Makes v the base of blossom b, flipping the matched edges inside along the even path.
  void AugmentBlossom(std::int32_t b, std::int32_t v) {
    if (b < n_) return;
    std::int32_t t = v;
    while (parent_[static_cast<size_t>(t)] != b) t = parent_[static_cast<size_t>(t)];
    if (t >= n_) AugmentBlossom(t, v);
    auto& ch = children_[static_cast<size_t>(b)];
    auto& cy = cycle_[static_cast<size_t>(b)];
    const auto k = ch.size();
    const auto i = static_cast<size_t>(std::find(ch.begin(), ch.end(), t) - ch.begin());
    auto match = [&](size_t j) {
      const auto [p, q] = cy[j];
      AugmentBlossom(ch[j], p);
      AugmentBlossom(ch[(j + 1) % k], q);
      mate_[static_cast<size_t>(p)] = q;
      mate_[static_cast<size_t>(q)] = p;
    };
    if (i % 2 == 1) {
      for (size_t j = i + 1; j < k; j += 2) match(j);
    } else {
      for (size_t j = 0; j + 1 < i; j += 2) match(j);
    }
    std::rotate(ch.begin(), ch.begin() + static_cast<std::ptrdiff_t>(i), ch.end());
    std::rotate(cy.begin(), cy.begin() + static_cast<std::ptrdiff_t>(i), cy.end());
    base_[static_cast<size_t>(b)] = v;
  }

  // Flips the alternating path from vertex s (in an even blossom) up to its tree's root and
  // matches s to j (-1: s becomes the unpaired base).
  void AugmentPath(std::int32_t s, std::int32_t j) {
    for (;;) {
      const std::int32_t bs = Top(s);
      AugmentBlossom(bs, s);
      mate_[static_cast<size_t>(s)] = j;
      const std::int32_t t = label_end_[static_cast<size_t>(bs)];
      if (t == -1) break;
      const std::int32_t bt = Top(t);
      const std::int32_t y = label_in_[static_cast<size_t>(bt)];
      const std::int32_t x = label_end_[static_cast<size_t>(bt)];
      AugmentBlossom(bt, y);
      mate_[static_cast<size_t>(y)] = x;
      s = x;
      j = y;
    }
  }

  // Even vertex v's dual is 0: move the tree's unpaired end to v, then dissolve the tree.
  void Retire(std::int32_t v) {
    const std::int32_t tree = tree_[static_cast<size_t>(Top(v))];
    AugmentPath(v, -1);
    Dissolve(tree, -1);
  }

  // All blossoms of the given trees become free; edges from even vertices into them get events.
  void Dissolve(std::int32_t t1, std::int32_t t2) {
    for (std::int32_t t : {t1, t2}) {
      if (t < 0) continue;
      --num_trees_;
      auto& members = tree_members_[static_cast<size_t>(t)];
      for (std::int32_t b : members) {
        const auto ub = static_cast<size_t>(b);
        if (!alive_[ub] || parent_[ub] != -1 || tree_[ub] != t || label_[ub] == kFree) continue;
        SetLabel(b, kFree, -1);
        label_end_[ub] = -1;
        label_in_[ub] = -1;
        ForEachVertex(b, [&](std::int32_t v) { scan_.push_back(v); });
      }
      members.clear();
      members.shrink_to_fit();
    }
    std::vector<std::int32_t> list;
    list.swap(scan_);
    for (std::int32_t v : list) ScanFree(v);
    list.clear();
    if (scan_.empty()) scan_.swap(list);
  }

  std::int32_t NextEvenUp(std::int32_t e) const {
    const std::int32_t t = label_end_[static_cast<size_t>(e)];
    if (t == -1) return -1;
    const std::int32_t o = Top(t);
    return Top(label_end_[static_cast<size_t>(o)]);
  }

  // a and c even in the same tree, different blossoms: shrink the cycle through their lowest
  // common even ancestor into a new even blossom.
  void Shrink(std::int32_t a, std::int32_t c) {
    const std::int32_t ta = Top(a);
    const std::int32_t tc = Top(c);
    const std::int32_t tree = tree_[static_cast<size_t>(ta)];
    ++stamp_;
    std::int32_t pa = ta;
    std::int32_t pc = tc;
    std::int32_t lca = -1;
    while (lca == -1) {
      if (pa != -1) {
        if (mark_[static_cast<size_t>(pa)] == stamp_) {
          lca = pa;
          break;
        }
        mark_[static_cast<size_t>(pa)] = stamp_;
        pa = NextEvenUp(pa);
      }
      if (pc != -1) {
        if (mark_[static_cast<size_t>(pc)] == stamp_) {
          lca = pc;
          break;
        }
        mark_[static_cast<size_t>(pc)] = stamp_;
        pc = NextEvenUp(pc);
      }
    }
    // Paths (even and odd blossoms) from ta and from tc up to, not including, lca.
    auto path_to = [&](std::int32_t from) {
      std::vector<std::int32_t> path;
      std::int32_t e = from;
      while (e != lca) {
        path.push_back(e);
        const std::int32_t o = Top(label_end_[static_cast<size_t>(e)]);
        path.push_back(o);
        e = Top(label_end_[static_cast<size_t>(o)]);
      }
      return path;
    };
    const std::vector<std::int32_t> path_a = path_to(ta);
    const std::vector<std::int32_t> path_c = path_to(tc);
    const std::int32_t b = free_ids_.back();
    free_ids_.pop_back();
    const auto ub = static_cast<size_t>(b);
    auto& ch = children_[ub];
    auto& cy = cycle_[ub];
    ch.clear();
    cy.clear();
    ch.push_back(lca);
    for (auto it = path_a.rbegin(); it != path_a.rend(); ++it) {
      const auto y = static_cast<size_t>(*it);
      cy.emplace_back(label_end_[y], label_in_[y]);
      ch.push_back(*it);
    }
    cy.emplace_back(a, c);
    for (size_t i = 0; i < path_c.size(); ++i) {
      const auto y = static_cast<size_t>(path_c[i]);
      ch.push_back(path_c[i]);
      cy.emplace_back(label_in_[y], label_end_[y]);
    }
    assert(ch.size() == cy.size() && ch.size() % 2 == 1);
    alive_[ub] = 1;
    parent_[ub] = -1;
    base_[ub] = base_[static_cast<size_t>(lca)];
    label_end_[ub] = label_end_[static_cast<size_t>(lca)];
    label_in_[ub] = base_[ub];
    zraw_[ub] = 0;
    zmode_[ub] = kFree;
    for (std::int32_t child : ch) {
      const auto uch = static_cast<size_t>(child);
      parent_[uch] = b;
      if (child >= n_) SetZMode(child, kFree);
      const bool was_odd = label_[uch] == kOdd;
      label_[uch] = kFree;
      tree_[uch] = -1;
      ForEachVertex(child, [&](std::int32_t v) {
        top_[static_cast<size_t>(v)] = b;
        if (was_odd) scan_.push_back(v);
      });
    }
    // New blossom even: the former odd members' vertices turn even (the even ones stay even).
    label_[ub] = kEven;
    tree_[ub] = tree;
    SetZMode(b, kEven);
    for (std::int32_t v : scan_) SetPMode(v, kEven);
    tree_members_[static_cast<size_t>(tree)].push_back(b);
    ++blossoms_formed_;
    FlushScanEven();
  }

  // Odd blossom b with Z = 0: its children become top level; those on the even-length path
  // from the entry child to the base child keep the tree alternating, the others become free.
  void Expand(std::int32_t b) {
    const auto ub = static_cast<size_t>(b);
    const std::int32_t tree = tree_[ub];
    const std::vector<std::int32_t> ch = std::move(children_[ub]);
    const std::vector<std::pair<std::int32_t, std::int32_t>> cy = std::move(cycle_[ub]);
    children_[ub].clear();
    cycle_[ub].clear();
    const auto k = ch.size();
    const std::int32_t y = label_in_[ub];
    const std::int32_t x = label_end_[ub];
    std::int32_t t = y;
    while (parent_[static_cast<size_t>(t)] != b) t = parent_[static_cast<size_t>(t)];
    const auto j = static_cast<size_t>(std::find(ch.begin(), ch.end(), t) - ch.begin());
    for (std::int32_t child : ch) {
      parent_[static_cast<size_t>(child)] = -1;
      ForEachVertex(child, [&](std::int32_t v) { top_[static_cast<size_t>(v)] = child; });
    }
    alive_[ub] = 0;
    label_[ub] = kFree;
    tree_[ub] = -1;
    zraw_[ub] = 0;
    zmode_[ub] = kFree;
    free_ids_.push_back(b);

    std::vector<std::int8_t> new_label(k, kFree);
    std::vector<std::int32_t> end(k, -1);
    std::vector<std::int32_t> in(k, -1);
    new_label[j] = kOdd;
    end[j] = x;
    in[j] = y;
    const bool up = j % 2 == 1;
    size_t idx = j;
    // The edge between child i and its neighbour toward the base along the chosen direction.
    auto step = [&](size_t i, size_t* next, std::int32_t* in_i, std::int32_t* in_next) {
      if (up) {
        *next = (i + 1) % k;
        *in_i = cy[i].first;
        *in_next = cy[i].second;
      } else {
        *next = i - 1;
        *in_i = cy[i - 1].second;
        *in_next = cy[i - 1].first;
      }
    };
    while (idx != 0) {
      size_t e_idx = 0;
      std::int32_t p = -1;
      std::int32_t q = -1;
      step(idx, &e_idx, &p, &q);  // matched edge: next child is even, q its base
      new_label[e_idx] = kEven;
      end[e_idx] = p;
      in[e_idx] = q;
      size_t o_idx = 0;
      step(e_idx, &o_idx, &p, &q);  // unmatched tree edge into the next odd child
      new_label[o_idx] = kOdd;
      end[o_idx] = p;
      in[o_idx] = q;
      idx = o_idx;
    }
    std::vector<std::int32_t> free_vertices;
    for (size_t i = 0; i < k; ++i) {
      const std::int32_t child = ch[i];
      const auto uc = static_cast<size_t>(child);
      label_end_[uc] = end[i];
      label_in_[uc] = in[i];
      // The child's Z was static (nested); its vertices were odd.
      label_[uc] = new_label[i];
      tree_[uc] = new_label[i] == kFree ? -1 : tree;
      ForEachVertex(child, [&](std::int32_t v) {
        SetPMode(v, new_label[i]);
        if (new_label[i] == kEven) scan_.push_back(v);
        if (new_label[i] == kFree) free_vertices.push_back(v);
      });
      if (child >= n_) {
        SetZMode(child, new_label[i]);
        if (new_label[i] == kOdd) heap_.Push({now_ + Z(child) / 2, child, kBlossomZero});
      }
      if (new_label[i] != kFree) tree_members_[static_cast<size_t>(tree)].push_back(child);
    }
    FlushScanEven();
    for (std::int32_t v : free_vertices) ScanFree(v);
  }

  const std::int32_t n_;
  const Weight bonus_;
  std::vector<std::int64_t> adj_start_;
  std::vector<std::int32_t> adj_to_;
  std::vector<Weight> adj_w4_;  // 4 * (weight + bonus)
  std::vector<Weight> adj_w_;   // weight

  std::vector<std::int32_t> mate_;
  std::vector<std::int32_t> top_;
  std::vector<Weight> praw_;
  std::vector<std::int8_t> pmode_;

  // Blossoms 0..n-1 are the vertices, n..2n-1 the non-trivial ones (ids reused).
  std::vector<std::int32_t> parent_;
  std::vector<std::vector<std::int32_t>> children_;  // children_[b][0] holds the base
  // cycle_[b][i] = (vertex in child i, vertex in child i + 1 mod k): the edge joining them.
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> cycle_;
  std::vector<std::int32_t> base_;
  std::vector<std::int8_t> label_;
  // Tree edge into a labelled top blossom: label_end_ in the parent, label_in_ in this one
  // (for an even blossom: its base and the parent's vertex matched to it). -1 at a root.
  std::vector<std::int32_t> label_end_;
  std::vector<std::int32_t> label_in_;
  std::vector<std::int32_t> tree_;  // tree id (its root vertex) of a labelled top blossom
  std::vector<Weight> zraw_;
  std::vector<std::int8_t> zmode_;
  std::vector<std::int8_t> alive_;
  std::vector<std::int32_t> mark_;
  std::int32_t stamp_ = 0;
  std::vector<std::int32_t> free_ids_;
  std::vector<std::vector<std::int32_t>> tree_members_;
  std::int32_t num_trees_ = 0;

  Weight now_ = 0;
  EventHeap heap_;
  std::vector<std::int32_t> stack_;
  std::vector<std::int32_t> scan_;

  std::int64_t augmentations_ = 0;
  std::int64_t blossoms_formed_ = 0;
  std::int64_t events_ = 0;
};

}  // namespace

bool MaxWeightMatching(std::int32_t n, const std::vector<PeerEdge>& edges, Weight bonus,
                       const SolveOptions& options, PeerSolution* solution) {
  BlossomMatcher matcher(n, edges, bonus);
  if (!matcher.Run(options)) return false;
  matcher.Export(solution);
  return true;
}

}  // namespace tandem::matching::internal
