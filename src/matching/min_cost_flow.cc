#include "matching/min_cost_flow.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace tandem::matching::internal {
namespace {

constexpr Weight kInf = std::numeric_limits<Weight>::max() / 4;

class Ssp {
 public:
  Ssp(const Instance& instance, const std::vector<std::int32_t>& left_cap,
      const std::vector<std::int32_t>& right_cap, Weight bonus)
      : instance_(instance),
        left_cap_(left_cap),
        right_cap_(right_cap),
        bonus_(bonus),
        n_(instance.num_mentees),
        m_(instance.num_mentors()),
        sink_(n_ + m_),
        chosen_(instance.edges.size(), 0),
        row_start_(static_cast<size_t>(n_) + 1, 0),
        pi_(static_cast<size_t>(n_ + m_) + 1, 0),
        load_(static_cast<size_t>(m_), 0),
        held_(static_cast<size_t>(m_)),
        dist_(static_cast<size_t>(n_ + m_) + 1, kInf),
        pred_(static_cast<size_t>(n_ + m_) + 1, -1),
        done_(static_cast<size_t>(n_ + m_) + 1, 0) {
    // Edges by mentee, in mentor order, so that the search is independent of the edge order.
    for (const Edge& e : instance.edges) ++row_start_[static_cast<size_t>(e.mentee) + 1];
    for (size_t i = 0; i < static_cast<size_t>(n_); ++i) row_start_[i + 1] += row_start_[i];
    row_.resize(instance.edges.size());
    std::vector<std::int64_t> fill(row_start_.begin(), row_start_.end() - 1);
    for (size_t e = 0; e < instance.edges.size(); ++e) {
      const auto i = static_cast<size_t>(instance.edges[e].mentee);
      row_[static_cast<size_t>(fill[i]++)] = static_cast<std::int32_t>(e);
    }
    for (size_t i = 0; i < static_cast<size_t>(n_); ++i) {
      std::sort(row_.begin() + row_start_[i], row_.begin() + row_start_[i + 1],
                [&](std::int32_t a, std::int32_t b) {
                  return instance.edges[static_cast<size_t>(a)].mentor <
                         instance.edges[static_cast<size_t>(b)].mentor;
                });
      // Reduced costs -(w + bonus) + pi_i - pi_j >= 0 with pi_j = 0 for every mentor.
      Weight p = 0;
      for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k) {
        p = std::max(
            p, instance.edges[static_cast<size_t>(row_[static_cast<size_t>(k)])].weight + bonus_);
      }
      pi_[i] = p;
    }
  }

  bool Run(const SolveOptions& options, std::int64_t* searches) {
    std::int64_t units = 0;
    for (std::int32_t c : left_cap_) units += c;
    const std::int64_t report_every = std::max<std::int64_t>(1, units / 100);
    std::int64_t done = 0;
    for (std::int32_t i = 0; i < n_; ++i) {
      for (std::int32_t unit = 0; unit < left_cap_[static_cast<size_t>(i)]; ++unit) {
        if ((done & 255) == 0 && options.cancel != nullptr && options.cancel->load()) return false;
        if (options.progress && done % report_every == 0) {
          options.progress("choosing meetings",
                           static_cast<double>(done) / static_cast<double>(units));
        }
        AddUnit(i);
        ++done;
        ++*searches;
      }
    }
    if (options.progress) options.progress("choosing meetings", 1.0);
    return true;
  }

  void Export(BMatching* out) const {
    out->chosen = chosen_;
    out->left_price.assign(pi_.begin(), pi_.begin() + n_);
    out->right_price.resize(static_cast<size_t>(m_));
    for (std::int32_t j = 0; j < m_; ++j) {
      out->right_price[static_cast<size_t>(j)] = -pi_[static_cast<size_t>(n_ + j)];
    }
  }

 private:
  // Node ids: mentees 0..n-1, mentors n..n+m-1, the sink n+m (free place or unused unit).
  // pred_[node]: for a mentor, the edge by which it was reached forward (from its mentee); for a
  // mentee other than the root, the chosen edge by which it was reached backward (from its
  // mentor); for the sink, the node before it.
  void AddUnit(std::int32_t root) {
    Relax(root, 0, -1);
    Weight best = kInf;
    while (!heap_.empty()) {
      const auto [d, x] = heap_.top();
      heap_.pop();
      if (done_[static_cast<size_t>(x)] || d != dist_[static_cast<size_t>(x)]) continue;
      if (x == sink_) {
        best = d;
        break;
      }
      done_[static_cast<size_t>(x)] = 1;
      scanned_.push_back(x);
      const Weight px = pi_[static_cast<size_t>(x)];
      if (x < n_) {
        Relax(sink_, d + px, x);  // leave this unit unused
        for (auto k = row_start_[static_cast<size_t>(x)];
             k < row_start_[static_cast<size_t>(x) + 1]; ++k) {
          const std::int32_t e = row_[static_cast<size_t>(k)];
          if (chosen_[static_cast<size_t>(e)]) continue;
          const Edge& edge = instance_.edges[static_cast<size_t>(e)];
          const std::int32_t y = n_ + edge.mentor;
          Relax(y, d + px - pi_[static_cast<size_t>(y)] - (edge.weight + bonus_), e);
        }
      } else {
        const std::int32_t j = x - n_;
        if (load_[static_cast<size_t>(j)] < right_cap_[static_cast<size_t>(j)]) {
          Relax(sink_, d + px, x);  // a free place
        }
        for (std::int32_t e : held_[static_cast<size_t>(j)]) {
          const Edge& edge = instance_.edges[static_cast<size_t>(e)];
          const std::int32_t y = edge.mentee;
          Relax(y, d + px - pi_[static_cast<size_t>(y)] + (edge.weight + bonus_), e);
        }
      }
    }
    // pi(v) += min(d(v), best) - best keeps every reduced cost >= 0; only scanned nodes change.
    for (std::int32_t x : scanned_) {
      const Weight d = dist_[static_cast<size_t>(x)];
      if (d < best) pi_[static_cast<size_t>(x)] += d - best;
    }
    // Augment along the path back from the sink.
    std::int32_t x = pred_[static_cast<size_t>(sink_)];
    if (x >= n_) ++load_[static_cast<size_t>(x - n_)];
    while (x != root) {
      const std::int32_t e = pred_[static_cast<size_t>(x)];
      const Edge& edge = instance_.edges[static_cast<size_t>(e)];
      auto& held = held_[static_cast<size_t>(edge.mentor)];
      if (x >= n_) {  // reached forward: choose the edge
        chosen_[static_cast<size_t>(e)] = 1;
        held.push_back(e);
        x = edge.mentee;
      } else {  // reached backward: drop the edge
        chosen_[static_cast<size_t>(e)] = 0;
        held.erase(std::find(held.begin(), held.end(), e));
        x = n_ + edge.mentor;
      }
    }
    for (std::int32_t t : touched_) {
      dist_[static_cast<size_t>(t)] = kInf;
      pred_[static_cast<size_t>(t)] = -1;
      done_[static_cast<size_t>(t)] = 0;
    }
    touched_.clear();
    scanned_.clear();
    heap_ = {};
  }

  void Relax(std::int32_t y, Weight d, std::int32_t pred) {
    auto& dy = dist_[static_cast<size_t>(y)];
    if (done_[static_cast<size_t>(y)] || d >= dy) return;
    if (dy == kInf) touched_.push_back(y);
    dy = d;
    pred_[static_cast<size_t>(y)] = pred;
    heap_.emplace(d, y);
  }

  const Instance& instance_;
  const std::vector<std::int32_t>& left_cap_;
  const std::vector<std::int32_t>& right_cap_;
  Weight bonus_;
  std::int32_t n_;
  std::int32_t m_;
  std::int32_t sink_;
  std::vector<char> chosen_;
  std::vector<std::int64_t> row_start_;
  std::vector<std::int32_t> row_;
  std::vector<Weight> pi_;
  std::vector<std::int32_t> load_;
  std::vector<std::vector<std::int32_t>> held_;  // per mentor: chosen edges
  std::vector<Weight> dist_;
  std::vector<std::int32_t> pred_;
  std::vector<char> done_;
  std::vector<std::int32_t> touched_;
  std::vector<std::int32_t> scanned_;
  std::priority_queue<std::pair<Weight, std::int32_t>, std::vector<std::pair<Weight, std::int32_t>>,
                      std::greater<>>
      heap_;
};

}  // namespace

BMatching SolveBMatching(const Instance& instance, const std::vector<std::int32_t>& left_cap,
                         const std::vector<std::int32_t>& right_cap, Weight bonus,
                         const SolveOptions& options) {
  BMatching out;
  Ssp ssp(instance, left_cap, right_cap, bonus);
  if (!ssp.Run(options, &out.searches)) {
    out.cancelled = true;
    return out;
  }
  ssp.Export(&out);
  return out;
}

}  // namespace tandem::matching::internal
