#include "matching/stable_scale.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>
#include <optional>
#include <queue>
#include <tuple>
#include <utility>

#include "matching/parallel.h"

namespace tandem::matching {
namespace {

using Place = CandidateScorer::Place;

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A mentee's proposals: its K best (in the CandidateLists), then windows of proposals fetched
// past them, one window at a time.
struct Row {
  std::vector<std::pair<Weight, std::int32_t>> window;  // best first
  std::int32_t at = 0;       // the next proposal's index: in the K best, or in `window`
  std::int32_t fetched = 0;  // proposals fetched past the K best, in all
  bool extended = false;     // proposing from `window`
  bool complete = false;     // no proposal after the last one fetched could be accepted
};

// (weight, mentee) with the mentor's least preferred mentee first: a max-heap of (-weight,
// mentee) orders by weight ascending, then index descending.
using Held = std::priority_queue<std::pair<Weight, std::int32_t>>;

// The weight a pair with a mentor must exceed for the mentor to want it: -1 while it has a free
// place, the weight of its least preferred mentee minus one when full (a tie may still win on
// the index), and the largest Weight for a mentor without places. `least` is read only when full.
template <typename Least>
Weight LimitOf(std::int32_t capacity, std::int32_t load, Least least) {
  if (capacity <= 0) return std::numeric_limits<Weight>::max();
  if (load < capacity) return -1;
  return least() - 1;
}

// The limits of deferred acceptance's moment: what a proposal to each mentor must exceed.
void Limits(const std::vector<Held>& held, const std::vector<std::int32_t>& capacity,
            std::vector<Weight>* limit) {
  limit->resize(held.size());
  for (size_t j = 0; j < held.size(); ++j) {
    (*limit)[j] = LimitOf(capacity[j], static_cast<std::int32_t>(held[j].size()),
                          [&] { return -held[j].top().first; });
  }
}

}  // namespace

Result<StableScaleResult> SolveStableAtScale(const CandidateScorer& scorer,
                                             const ScaleOptions& options) {
  if (options.k < 1) return Status::Invalid("k: must be at least 1");
  const std::int32_t n = scorer.num_mentees();
  const std::int32_t m = scorer.num_mentors();
  const std::int32_t k = options.k;
  const int threads = internal::ThreadCount(options.threads);
  StableScaleResult result;
  result.pairs_total = static_cast<std::int64_t>(n) * m;

  auto start = std::chrono::steady_clock::now();
  const std::optional<CandidateLists> lists =
      scorer.Best(k, threads, options.progress, options.cancel);
  if (!lists) return Status::Cancelled("cancelled");
  result.seconds_scoring = Since(start);

  start = std::chrono::steady_clock::now();
  std::vector<Row> rows(static_cast<size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) {
    rows[static_cast<size_t>(i)].complete = lists->complete[static_cast<size_t>(i)] != 0;
  }
  // Deferred acceptance. A mentor holds its mentees with the least preferred on top.
  const std::vector<std::int32_t>& capacity = scorer.capacity();
  std::vector<Held> held(static_cast<size_t>(m));
  std::vector<std::int32_t> free_mentees;
  for (std::int32_t i = n; i-- > 0;) free_mentees.push_back(i);
  std::int64_t proposals = 0;
  if (options.progress) options.progress("proposing", 0.0);
  // The mentee-optimal stable matching does not depend on the order of proposals, so a mentee
  // that runs out of proposals waits in `waiting`; when no other mentee can propose, the next
  // proposals of all waiting mentees are fetched at once over the threads, against the limits
  // of that moment, and they go on.
  std::vector<std::int32_t> waiting;
  std::vector<Weight> limit;
  while (!free_mentees.empty() || !waiting.empty()) {
    if (free_mentees.empty()) {
      Limits(held, capacity, &limit);
      if (!internal::ParallelFor(
              static_cast<std::int64_t>(waiting.size()), threads,
              [&](std::int64_t q) {
                const std::int32_t i = waiting[static_cast<size_t>(q)];
                Row& row = rows[static_cast<size_t>(i)];
                // The last pair fetched: proposals go on after it. (A row waits only when it
                // has proposed all it fetched and is not complete, so it fetched at least one:
                // Best marks an empty row complete.)
                Place after{std::numeric_limits<Weight>::max(), -1};
                if (row.extended) {
                  after = {row.window.back().first, row.window.back().second};
                } else if (lists->start[static_cast<size_t>(i) + 1] >
                           lists->start[static_cast<size_t>(i)]) {
                  const auto last =
                      static_cast<size_t>(lists->start[static_cast<size_t>(i) + 1] - 1);
                  after = {lists->weight[last], lists->mentor[last]};
                }
                // As many again as fetched so far (at least K, at most 4K): few scans for a
                // mentee rejected again and again, and a bounded window.
                const std::int32_t want = std::clamp(row.fetched, k, 4 * k);
                auto next = scorer.NextAbove(i, after, Place{-1, -1}, limit, want);
                row.complete = static_cast<std::int32_t>(next.size()) < want;
                row.fetched += static_cast<std::int32_t>(next.size());
                row.window = std::move(next);
                row.at = 0;
                row.extended = true;
              },
              {}, "proposing", options.cancel)) {
        return Status::Cancelled("cancelled");
      }
      result.rows_extended += static_cast<std::int64_t>(waiting.size());
      free_mentees.swap(waiting);
      waiting.clear();
      continue;
    }
    if ((proposals & 4095) == 0 && options.cancel != nullptr && options.cancel->load()) {
      return Status::Cancelled("cancelled");
    }
    const std::int32_t i = free_mentees.back();
    Row& row = rows[static_cast<size_t>(i)];
    Weight w = 0;
    std::int32_t j = -1;
    if (row.extended) {
      if (row.at < static_cast<std::int32_t>(row.window.size())) {
        std::tie(w, j) = row.window[static_cast<size_t>(row.at++)];
      }
    } else {
      const auto q = lists->start[static_cast<size_t>(i)] + row.at;
      if (q < lists->start[static_cast<size_t>(i) + 1]) {
        w = lists->weight[static_cast<size_t>(q)];
        j = lists->mentor[static_cast<size_t>(q)];
        ++row.at;
      }
    }
    if (j < 0) {
      free_mentees.pop_back();
      // Proposed to every mentor that could accept: stays unmatched. Otherwise it waits for
      // its next proposals.
      if (!row.complete) waiting.push_back(i);
      continue;
    }
    ++proposals;
    auto& h = held[static_cast<size_t>(j)];
    const std::int32_t cap = capacity[static_cast<size_t>(j)];
    const std::pair<Weight, std::int32_t> key{-w, i};
    if (static_cast<std::int32_t>(h.size()) < cap) {
      h.push(key);
      free_mentees.pop_back();
    } else if (cap > 0 && key < h.top()) {
      const std::int32_t rejected = h.top().second;
      h.pop();
      h.push(key);
      free_mentees.back() = rejected;
    }
  }
  for (const Row& row : rows) result.pairs_fetched += row.fetched;
  std::vector<Row>().swap(rows);

  Solution& solution = result.solution;
  solution.objective = Objective::kStable;
  solution.proposals = proposals;  // made; those left out as sure rejections do not count
  solution.mentor_of.assign(static_cast<size_t>(n), -1);
  std::vector<Weight> own(static_cast<size_t>(n), -1);  // each mentee's pair weight
  for (std::int32_t j = 0; j < m; ++j) {
    for (auto& h = held[static_cast<size_t>(j)]; !h.empty(); h.pop()) {
      solution.mentor_of[static_cast<size_t>(h.top().second)] = j;
      own[static_cast<size_t>(h.top().second)] = -h.top().first;
    }
  }
  std::vector<Held>().swap(held);
  bool first = true;
  for (std::int32_t i = 0; i < n; ++i) {
    if (solution.mentor_of[static_cast<size_t>(i)] < 0) continue;
    const Weight w = own[static_cast<size_t>(i)];
    ++solution.matched;
    solution.total_weight += w;
    solution.min_weight = first ? w : std::min(solution.min_weight, w);
    first = false;
  }

  // The candidate graph: each mentee's K best and its matched pair, by (mentee, mentor).
  Instance& inst = result.candidates;
  inst.num_mentees = n;
  inst.capacity = capacity;
  inst.mentee_labels = scorer.mentee_labels();
  inst.mentor_labels = scorer.mentor_labels();
  inst.edges.reserve(lists->mentor.size() + static_cast<size_t>(solution.matched));
  std::vector<std::pair<std::int32_t, Weight>> pairs;
  for (std::int32_t i = 0; i < n; ++i) {
    pairs.clear();
    const std::int32_t mine = solution.mentor_of[static_cast<size_t>(i)];
    bool listed = mine < 0;
    for (auto q = lists->start[static_cast<size_t>(i)];
         q < lists->start[static_cast<size_t>(i) + 1]; ++q) {
      pairs.emplace_back(lists->mentor[static_cast<size_t>(q)],
                         lists->weight[static_cast<size_t>(q)]);
      listed = listed || pairs.back().first == mine;
    }
    if (!listed) pairs.emplace_back(mine, own[static_cast<size_t>(i)]);
    std::sort(pairs.begin(), pairs.end());
    for (const auto& [j, w] : pairs) inst.edges.push_back({i, j, w});
  }
  result.seconds_matching = Since(start);
  if (options.progress) options.progress("proposing", 1.0);

  // The check, over every pair of the instance.
  start = std::chrono::steady_clock::now();
  auto blocking =
      FindBlockingPairsAtScale(scorer, solution.mentor_of, &*lists, threads, &result.pairs_checked,
                               &result.rows_checked, options.progress, options.cancel);
  if (!blocking) return Status::Cancelled("cancelled");
  solution.blocking_pairs = std::move(*blocking);
  result.seconds_checking = Since(start);
  solution.status = SolveStatus::kOptimal;
  return result;
}

std::optional<std::vector<std::pair<std::int32_t, std::int32_t>>> FindBlockingPairsAtScale(
    const CandidateScorer& scorer, const std::vector<std::int32_t>& mentor_of,
    const CandidateLists* lists, int threads, std::int64_t* pairs_checked,
    std::int64_t* rows_scanned, const ProgressFn& progress, const std::atomic<bool>* cancel) {
  const std::int32_t n = scorer.num_mentees();
  const std::int32_t m = scorer.num_mentors();
  const std::vector<std::int32_t>& capacity = scorer.capacity();
  // Each mentee's pair weight (-1 when unmatched or not eligible), scored afresh.
  std::vector<Weight> own(static_cast<size_t>(n), -1);
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t j = mentor_of[static_cast<size_t>(i)];
    if (j >= 0) own[static_cast<size_t>(i)] = scorer.PairWeight(i, j);
  }
  // Each mentor's load and least preferred mentee (weight ascending, then index descending).
  std::vector<std::int32_t> load(static_cast<size_t>(m), 0);
  std::vector<std::int32_t> worst(static_cast<size_t>(m), -1);
  const auto prefers = [&own](std::int32_t a, Weight wa, std::int32_t b) {
    const Weight wb = own[static_cast<size_t>(b)];
    return wa > wb || (wa == wb && a < b);
  };
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t j = mentor_of[static_cast<size_t>(i)];
    if (j < 0) continue;
    ++load[static_cast<size_t>(j)];
    std::int32_t& w = worst[static_cast<size_t>(j)];
    if (w < 0 || prefers(w, own[static_cast<size_t>(w)], i)) w = i;
  }
  // A pair (i, j) blocks when i prefers j to its match and j wants i: j has a free place, or
  // prefers i to its least preferred mentee, whose weight w_j it must then at least tie.
  std::vector<Weight> limit(static_cast<size_t>(m));
  for (size_t j = 0; j < limit.size(); ++j) {
    limit[j] = LimitOf(capacity[j], load[j], [&] { return own[static_cast<size_t>(worst[j])]; });
  }
  const auto mentor_wants = [&](std::int32_t i, Weight w, std::int32_t j) {
    const auto c = static_cast<size_t>(j);
    return capacity[c] > 0 && (load[c] < capacity[c] || prefers(i, w, worst[c]));
  };

  std::mutex mutex;
  std::vector<std::pair<std::int32_t, std::int32_t>> blocking;
  std::atomic<std::int64_t> checked{0};
  std::atomic<std::int64_t> scanned{0};
  const bool done = internal::ParallelFor(
      n, threads,
      [&](std::int64_t item) {
        const auto i = static_cast<std::int32_t>(item);
        const std::int32_t mine = mentor_of[static_cast<size_t>(i)];
        const Place until{own[static_cast<size_t>(i)], mine};
        std::vector<std::pair<std::int32_t, std::int32_t>> found;
        std::int64_t visited = 0;
        // Its K best, in preference order, up to its match.
        Place after{std::numeric_limits<Weight>::max(), -1};
        bool reached = false;
        if (lists != nullptr) {
          const auto b = lists->start[static_cast<size_t>(i)];
          const auto e = lists->start[static_cast<size_t>(i) + 1];
          for (auto q = b; q < e; ++q) {
            const Weight w = lists->weight[static_cast<size_t>(q)];
            const std::int32_t j = lists->mentor[static_cast<size_t>(q)];
            ++visited;
            if (j == mine && w == until.weight) {
              reached = true;
              break;
            }
            if (mentor_wants(i, w, j)) found.emplace_back(i, j);
          }
          reached = reached || lists->complete[static_cast<size_t>(i)] != 0;
          if (e > b) {
            after = {lists->weight[static_cast<size_t>(e - 1)],
                     lists->mentor[static_cast<size_t>(e - 1)]};
          }
        }
        if (!reached) {
          // The rest of the row before its match: only pairs some mentor could want.
          for (const auto& [w, j] : scorer.NextAbove(i, after, until, limit, m)) {
            if (mentor_wants(i, w, j)) found.emplace_back(i, j);
          }
          visited = m;  // the whole row, its list included
          scanned.fetch_add(1, std::memory_order_relaxed);
        }
        checked.fetch_add(visited, std::memory_order_relaxed);
        if (!found.empty()) {
          const std::lock_guard<std::mutex> lock(mutex);
          blocking.insert(blocking.end(), found.begin(), found.end());
        }
      },
      progress, "checking", cancel);
  if (!done) return std::nullopt;
  if (pairs_checked != nullptr) *pairs_checked = checked.load();
  if (rows_scanned != nullptr) *rows_scanned = scanned.load();
  std::sort(blocking.begin(), blocking.end());
  return blocking;
}

Result<StableScaleResult> SolveStableAtScale(const std::vector<Person>& people,
                                             const MatchConfig& config,
                                             const ScaleOptions& options) {
  if (Status s = Validate(config); !s.ok()) return s;
  const auto start = std::chrono::steady_clock::now();
  const CandidateScorer scorer(people, config);
  const double setup = Since(start);
  Result<StableScaleResult> result = SolveStableAtScale(scorer, options);
  if (result.ok()) result->seconds_setup = setup;
  return result;
}

}  // namespace tandem::matching
