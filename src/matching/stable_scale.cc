#include "matching/stable_scale.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <queue>
#include <utility>

#include "matching/parallel.h"

namespace tandem::matching {
namespace {

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A mentee's fetched list: the K best, then extensions, in preference order.
struct Row {
  // (weight, mentor); weights are at most kScoreScale, so 32 bits hold them.
  std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
  bool complete = false;  // holds every eligible mentor of the mentee
};

// Appends to mentee i's list the next mentors in preference order: as many as the list holds
// already (at least k), so a mentee rejected again and again costs few row scans. Sets
// `complete` when the row has no more.
void Extend(const CandidateScorer& scorer, std::int32_t i, std::int32_t k, Row* row) {
  const auto [last_w, last_j] = row->pairs.back();
  const auto want = std::max<std::int32_t>(k, static_cast<std::int32_t>(row->pairs.size()));
  std::vector<std::int32_t> fetched;  // every fetched mentor precedes (last_w, last_j)
  fetched.reserve(row->pairs.size());
  for (const auto& [w, j] : row->pairs) fetched.push_back(j);
  const auto next = scorer.NextBest(i, last_w, last_j, want, fetched);
  row->complete = static_cast<std::int32_t>(next.size()) < want;
  row->pairs.reserve(row->pairs.size() + next.size());  // no spare capacity
  for (const auto& [w, j] : next) row->pairs.emplace_back(static_cast<std::int32_t>(w), j);
}

}  // namespace

Result<StableScaleResult> SolveStableAtScale(const CandidateScorer& scorer,
                                             const ScaleOptions& options) {
  if (options.k < 1) return Status::Invalid("k: must be at least 1");
  const std::int32_t n = scorer.num_mentees();
  const std::int32_t m = scorer.num_mentors();
  StableScaleResult result;
  result.pairs_total = static_cast<std::int64_t>(n) * m;

  auto start = std::chrono::steady_clock::now();
  std::optional<CandidateLists> lists = scorer.Best(
      options.k, internal::ThreadCount(options.threads), options.progress, options.cancel);
  if (!lists) return Status::Cancelled("cancelled");
  result.seconds_scoring = Since(start);

  start = std::chrono::steady_clock::now();
  std::vector<Row> rows(static_cast<size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) {
    Row& row = rows[static_cast<size_t>(i)];
    for (auto q = lists->start[static_cast<size_t>(i)];
         q < lists->start[static_cast<size_t>(i) + 1]; ++q) {
      row.pairs.emplace_back(static_cast<std::int32_t>(lists->weight[static_cast<size_t>(q)]),
                             lists->mentor[static_cast<size_t>(q)]);
    }
    row.complete = lists->complete[static_cast<size_t>(i)] != 0;
  }
  lists.reset();

  // Deferred acceptance. A mentor holds its mentees in a heap with the least preferred on top:
  // key (weight ascending, then index descending) as a max-heap of (-weight, mentee).
  const std::vector<std::int32_t>& capacity = scorer.capacity();
  std::vector<std::priority_queue<std::pair<Weight, std::int32_t>>> held(static_cast<size_t>(m));
  std::vector<size_t> next(static_cast<size_t>(n), 0);
  std::vector<std::int32_t> free_mentees;
  for (std::int32_t i = n; i-- > 0;) free_mentees.push_back(i);
  std::int64_t proposals = 0;
  if (options.progress) options.progress("proposing", 0.0);
  // The mentee-optimal stable matching does not depend on the order of proposals, so a mentee
  // that runs off its list waits in `waiting`; when no other mentee can propose, all waiting
  // lists are extended at once over the threads, and they go on.
  const int threads = internal::ThreadCount(options.threads);
  std::vector<std::int32_t> waiting;
  while (!free_mentees.empty() || !waiting.empty()) {
    if (free_mentees.empty()) {
      if (!internal::ParallelFor(
              static_cast<std::int64_t>(waiting.size()), threads,
              [&](std::int64_t q) {
                const std::int32_t i = waiting[static_cast<size_t>(q)];
                Extend(scorer, i, options.k, &rows[static_cast<size_t>(i)]);
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
    size_t& at = next[static_cast<size_t>(i)];
    if (at == row.pairs.size()) {
      free_mentees.pop_back();
      // Proposed to every eligible mentor: stays unmatched. Otherwise its list is extended.
      if (!row.complete && !row.pairs.empty()) waiting.push_back(i);
      continue;
    }
    const auto [w32, j] = row.pairs[at++];
    const Weight w = w32;
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

  Solution& solution = result.solution;
  solution.objective = Objective::kStable;
  solution.proposals = proposals;
  solution.mentor_of.assign(static_cast<size_t>(n), -1);
  std::vector<std::pair<Weight, std::int32_t>> worst(static_cast<size_t>(m), {0, -1});
  std::vector<std::int32_t> load(static_cast<size_t>(m), 0);
  for (std::int32_t j = 0; j < m; ++j) {
    auto& h = held[static_cast<size_t>(j)];
    load[static_cast<size_t>(j)] = static_cast<std::int32_t>(h.size());
    if (!h.empty()) worst[static_cast<size_t>(j)] = h.top();
    while (!h.empty()) {
      solution.mentor_of[static_cast<size_t>(h.top().second)] = j;
      h.pop();
    }
  }

  // Totals, and the blocking pair check over each mentee's list up to its match.
  bool first = true;
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t mine = solution.mentor_of[static_cast<size_t>(i)];
    for (const auto& [w32, j] : rows[static_cast<size_t>(i)].pairs) {
      const Weight w = w32;
      ++result.pairs_checked;
      if (j == mine) {
        ++solution.matched;
        solution.total_weight += w;
        solution.min_weight = first ? w : std::min(solution.min_weight, w);
        first = false;
        break;
      }
      // i prefers j to what it has: j must be full of mentees it prefers to i.
      const auto c = static_cast<size_t>(j);
      const bool j_would =
          load[c] < capacity[c] || std::pair<Weight, std::int32_t>{-w, i} < worst[c];
      if (capacity[c] > 0 && j_would) solution.blocking_pairs.emplace_back(i, j);
    }
  }

  // The candidate graph: every fetched pair, by (mentee, mentor).
  Instance& inst = result.candidates;
  inst.num_mentees = n;
  inst.capacity = capacity;
  inst.mentee_labels = scorer.mentee_labels();
  inst.mentor_labels = scorer.mentor_labels();
  size_t total = 0;
  for (const Row& row : rows) total += row.pairs.size();
  inst.edges.reserve(total);
  for (std::int32_t i = 0; i < n; ++i) {
    auto& pairs = rows[static_cast<size_t>(i)].pairs;
    std::sort(pairs.begin(), pairs.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [w, j] : pairs) inst.edges.push_back({i, j, w});
    std::vector<std::pair<std::int32_t, std::int32_t>>().swap(pairs);  // release as we go
  }
  solution.status = SolveStatus::kOptimal;
  result.seconds_matching = Since(start);
  if (options.progress) options.progress("proposing", 1.0);
  return result;
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
