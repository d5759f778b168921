#include "matching/maxflow.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace tandem::matching::internal {
namespace {

// Flow network: source 0, mentees 1..n, mentors n+1..n+m, sink n+m+1.
class Dinic {
 public:
  explicit Dinic(std::int32_t nodes) : head_(static_cast<size_t>(nodes), -1) {}

  void AddArc(std::int32_t from, std::int32_t to, std::int32_t cap) {
    arcs_.push_back({to, head_[static_cast<size_t>(from)], cap});
    head_[static_cast<size_t>(from)] = static_cast<std::int32_t>(arcs_.size()) - 1;
    arcs_.push_back({from, head_[static_cast<size_t>(to)], 0});
    head_[static_cast<size_t>(to)] = static_cast<std::int32_t>(arcs_.size()) - 1;
  }

  std::int64_t Run(std::int32_t s, std::int32_t t) {
    std::int64_t flow = 0;
    while (Bfs(s, t)) {
      iter_ = head_;
      while (std::int32_t f = Dfs(s, t)) flow += f;
    }
    return flow;
  }

 private:
  struct Arc {
    std::int32_t to;
    std::int32_t next;
    std::int32_t cap;
  };

  bool Bfs(std::int32_t s, std::int32_t t) {
    level_.assign(head_.size(), -1);
    std::vector<std::int32_t> queue{s};
    level_[static_cast<size_t>(s)] = 0;
    for (size_t q = 0; q < queue.size(); ++q) {
      const std::int32_t u = queue[q];
      for (std::int32_t a = head_[static_cast<size_t>(u)]; a >= 0;
           a = arcs_[static_cast<size_t>(a)].next) {
        const Arc& arc = arcs_[static_cast<size_t>(a)];
        if (arc.cap > 0 && level_[static_cast<size_t>(arc.to)] < 0) {
          level_[static_cast<size_t>(arc.to)] = level_[static_cast<size_t>(u)] + 1;
          queue.push_back(arc.to);
        }
      }
    }
    return level_[static_cast<size_t>(t)] >= 0;
  }

  // Finds one unit augmenting path in the level graph (iterative, the paths can be long).
  std::int32_t Dfs(std::int32_t s, std::int32_t t) {
    path_.clear();
    std::int32_t u = s;
    while (true) {
      if (u == t) {
        std::int32_t push = std::numeric_limits<std::int32_t>::max();
        for (std::int32_t a : path_) push = std::min(push, arcs_[static_cast<size_t>(a)].cap);
        for (std::int32_t a : path_) {
          arcs_[static_cast<size_t>(a)].cap -= push;
          arcs_[static_cast<size_t>(a) ^ 1].cap += push;
        }
        return push;
      }
      std::int32_t& a = iter_[static_cast<size_t>(u)];
      while (a >= 0) {
        const Arc& arc = arcs_[static_cast<size_t>(a)];
        if (arc.cap > 0 &&
            level_[static_cast<size_t>(arc.to)] == level_[static_cast<size_t>(u)] + 1)
          break;
        a = arc.next;
      }
      if (a >= 0) {
        path_.push_back(a);
        u = arcs_[static_cast<size_t>(a)].to;
        continue;
      }
      // Dead end: retreat.
      level_[static_cast<size_t>(u)] = -1;
      if (path_.empty()) return 0;
      const std::int32_t back = path_.back();
      path_.pop_back();
      u = arcs_[static_cast<size_t>(back) ^ 1].to;
      std::int32_t& b = iter_[static_cast<size_t>(u)];
      b = arcs_[static_cast<size_t>(b)].next;
    }
  }

  std::vector<std::int32_t> head_;
  std::vector<Arc> arcs_;
  std::vector<std::int32_t> level_;
  std::vector<std::int32_t> iter_;
  std::vector<std::int32_t> path_;
};

}  // namespace

std::int32_t MaxBMatching(const MenteeRows& rows, const std::vector<std::int32_t>& capacity) {
  const auto n = static_cast<std::int32_t>(rows.start.size()) - 1;
  const auto m = static_cast<std::int32_t>(capacity.size());
  const std::int32_t source = 0;
  const std::int32_t sink = n + m + 1;
  Dinic dinic(n + m + 2);
  for (std::int32_t i = 0; i < n; ++i) {
    if (rows.start[static_cast<size_t>(i)] == rows.start[static_cast<size_t>(i) + 1]) continue;
    dinic.AddArc(source, 1 + i, 1);
    for (auto k = rows.start[static_cast<size_t>(i)]; k < rows.start[static_cast<size_t>(i) + 1];
         ++k) {
      dinic.AddArc(1 + i, 1 + n + rows.mentor[static_cast<size_t>(k)], 1);
    }
  }
  for (std::int32_t j = 0; j < m; ++j) {
    if (capacity[static_cast<size_t>(j)] > 0)
      dinic.AddArc(1 + n + j, sink, capacity[static_cast<size_t>(j)]);
  }
  return static_cast<std::int32_t>(dinic.Run(source, sink));
}

}  // namespace tandem::matching::internal
