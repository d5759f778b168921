#pragma once
// Internal: a fork-join loop over work items on std::thread, shared by candidate generation and
// the pricing pass of the scale solver.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "matching/solution.h"

namespace tandem::matching::internal {

// Threads to use: `requested` when > 0, otherwise all hardware threads; at least 1.
inline int ThreadCount(int requested) {
  const int hw = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, requested > 0 ? requested : hw);
}

// Runs work(item) for item in [0, items) on `threads` threads (the caller is one of them). Items
// are claimed in increasing order. Polls *cancel before each item; reports (phase, fraction) from
// the calling thread. Returns false when cancelled.
template <typename Work>
bool ParallelFor(std::int64_t items, int threads, Work&& work, const ProgressFn& progress,
                 const char* phase, const std::atomic<bool>* cancel) {
  std::atomic<std::int64_t> next{0};
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> stopped{false};
  auto run = [&](bool reporter) {
    while (!stopped.load(std::memory_order_relaxed)) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        stopped.store(true);
        return;
      }
      const std::int64_t item = next.fetch_add(1);
      if (item >= items) return;
      work(item);
      const std::int64_t finished = done.fetch_add(1) + 1;
      if (reporter && progress && items > 0) {
        progress(phase, static_cast<double>(finished) / static_cast<double>(items));
      }
    }
  };
  const int n =
      static_cast<int>(std::clamp<std::int64_t>(threads, 1, std::max<std::int64_t>(1, items)));
  {
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<size_t>(n - 1));
    for (int t = 1; t < n; ++t) pool.emplace_back(run, false);
    run(true);
  }
  return !stopped.load() && !(cancel != nullptr && cancel->load());
}

}  // namespace tandem::matching::internal
