#include "matching/scale.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "matching/certificate.h"
#include "matching/parallel.h"
#include "matching/scoring.h"
#include "matching/welfare.h"

namespace tandem::matching {
namespace {

constexpr std::int32_t kPricingChunk = 64;   // rows per pricing work item
constexpr std::int32_t kMaxAddedPerRow = 4;  // violating pairs added per row and round
constexpr std::int32_t kPriceBuckets = 32;   // price buckets of the pricing layout
// Slack kept by a pricing pass: mentors up to this far above a row's ceiling are checked pair by
// pair, so that the row's pruned pairs are all covered with a margin (below).
constexpr Weight kSlackMargin = kScoreScale / 200;

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Candidate rows (each sorted by mentor) to an Instance with edges sorted by (mentee, mentor).
Instance ToInstance(const CandidateScorer& scorer,
                    const std::vector<std::vector<std::pair<std::int32_t, Weight>>>& rows) {
  Instance inst;
  inst.num_mentees = scorer.num_mentees();
  inst.capacity = scorer.capacity();
  inst.mentee_labels = scorer.mentee_labels();
  inst.mentor_labels = scorer.mentor_labels();
  size_t total = 0;
  for (const auto& r : rows) total += r.size();
  inst.edges.reserve(total);
  for (size_t i = 0; i < rows.size(); ++i) {
    for (const auto& [j, w] : rows[i]) inst.edges.push_back({static_cast<std::int32_t>(i), j, w});
  }
  return inst;
}

}  // namespace

Result<ScaleResult> SolveWelfareAtScale(const CandidateScorer& scorer,
                                        const ScaleOptions& options) {
  if (options.k < 1) return Status::Invalid("k: must be at least 1");
  const int threads = internal::ThreadCount(options.threads);
  const std::int32_t n = scorer.num_mentees();
  const std::int32_t m = scorer.num_mentors();
  ScaleResult result;
  result.pairs_total = static_cast<std::int64_t>(n) * m;

  auto start = std::chrono::steady_clock::now();
  std::optional<CandidateLists> lists =
      scorer.Best(options.k, threads, options.progress, options.cancel);
  if (!lists) return Status::Cancelled("cancelled");
  result.seconds_scoring = Since(start);
  result.pairs_bounded = lists->pairs_bounded;
  result.pairs_exact = lists->pairs_exact;

  // Rows sorted by mentor; the K-th kept weight bounds every pruned pair of the row.
  std::vector<std::vector<std::pair<std::int32_t, Weight>>> rows(static_cast<size_t>(n));
  std::vector<Weight> kth(static_cast<size_t>(n), -1);
  for (std::int32_t i = 0; i < n; ++i) {
    auto& row = rows[static_cast<size_t>(i)];
    for (auto e = lists->start[static_cast<size_t>(i)];
         e < lists->start[static_cast<size_t>(i) + 1]; ++e) {
      row.emplace_back(lists->mentor[static_cast<size_t>(e)],
                       lists->weight[static_cast<size_t>(e)]);
    }
    if (!lists->complete[static_cast<size_t>(i)] && !row.empty()) {
      kth[static_cast<size_t>(i)] = row.back().second;  // best first: the last is the K-th
    }
    std::sort(row.begin(), row.end());
  }
  lists.reset();

  SolveOptions solve_options;
  solve_options.objective = Objective::kWelfare;
  solve_options.progress = options.progress;
  solve_options.cancel = options.cancel;
  std::vector<std::int32_t> order(static_cast<size_t>(m));
  std::vector<Weight> limit(static_cast<size_t>(m));
  std::vector<Weight> sorted_price(static_cast<size_t>(m));
  Solution previous;  // the last round's answer: the next solve starts from it
  // Incremental pricing. After a pass, a row has a `slack` s_i >= 0 when every pruned pair of it
  // is covered by that pass's prices with that margin: p_i + q_j - bonus - w_ij >= s_i (checked
  // pair by pair, by the bound, or by the row bound for mentors priced kSlackMargin above the
  // row's ceiling), and -1 when a violating pair was left out. The margin of a pair falls by at
  // most what p_i + q_j falls, so the next pass of such a row checks only the mentors whose price
  // fell by more than s_i / 2 plus what p_i rose: with the mentors sorted by that change, a
  // prefix (of each price bucket, below). Every mentor it does not check keeps a margin of at
  // least s_i + (rise of p_i) + (change of q_j) >= s_i / 2, and the checked ones get theirs anew.
  std::vector<Weight> slack(static_cast<size_t>(n), -1);
  std::vector<Weight> last_p(static_cast<size_t>(n), 0);
  std::vector<Weight> last_q(static_cast<size_t>(m), 0);
  std::vector<std::int32_t> layout(static_cast<size_t>(m));
  std::vector<std::int32_t> bucket_start(static_cast<size_t>(kPriceBuckets) + 1, 0);
  std::vector<Weight> drop_at(static_cast<size_t>(m));  // price change of layout[q]
  while (true) {
    if (result.rounds >= std::max(1, options.max_rounds)) {
      return Status::Internal("pricing did not converge in " + std::to_string(result.rounds) +
                              " rounds");
    }
    ++result.rounds;
    start = std::chrono::steady_clock::now();
    result.candidates = ToInstance(scorer, rows);
    // Round 1 from scratch; later rounds warm from the last answer: the graph only gained edges
    // and the bonus is the same (the largest weight is a kept candidate), so only mentees with a
    // violated new pair are placed again.
    Solution solution = result.rounds == 1
                            ? SolveWelfare(result.candidates, solve_options)
                            : SolveWelfareFrom(result.candidates, previous, solve_options);
    if (solution.status == SolveStatus::kCancelled) return Status::Cancelled("cancelled");
    if (solution.status != SolveStatus::kOptimal) {
      return Status::Internal("candidate solve failed: " + solution.message);
    }
    result.augmentations += solution.augmentations;
    if (result.rounds > 1) {
      // The warm solve's certificate on the candidate graph (O(edges)): pricing relies on it.
      if (Status s = CheckWelfareCertificate(result.candidates, solution); !s.ok()) {
        return Status::Internal("warm-started solve: " + s.message());
      }
    }
    result.seconds_solving += Since(start);

    // Pricing: a pruned pair (i, j) violates iff w_ij > p_i + q_j - bonus. Mentors sorted by q
    // so that the mentors a row must check form a prefix.
    start = std::chrono::steady_clock::now();
    const Weight bonus = solution.bonus;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t x, std::int32_t y) {
      return solution.mentor_price[static_cast<size_t>(x)] <
             solution.mentor_price[static_cast<size_t>(y)];
    });
    for (std::int32_t q = 0; q < m; ++q) {
      const auto j = static_cast<size_t>(order[static_cast<size_t>(q)]);
      sorted_price[static_cast<size_t>(q)] = solution.mentor_price[j];
      limit[j] = solution.mentor_price[j] - bonus;
    }
    // The layout of the pass: the mentors in kPriceBuckets buckets of consecutive prices, each
    // bucket by the change of its mentors' prices since the last pass (most fallen first). What a
    // row must check is then, bucket by bucket up to its cap, a prefix of the bucket: all of it
    // for a full scan, the mentors whose price fell by more than s_i / 2 plus what p_i rose for a
    // row with a slack s_i.
    layout = order;
    for (std::int32_t b = 0; b < kPriceBuckets; ++b) {
      const auto lo = static_cast<std::ptrdiff_t>(static_cast<std::int64_t>(m) * b / kPriceBuckets);
      const auto hi =
          static_cast<std::ptrdiff_t>(static_cast<std::int64_t>(m) * (b + 1) / kPriceBuckets);
      bucket_start[static_cast<size_t>(b)] = static_cast<std::int32_t>(lo);
      std::stable_sort(
          layout.begin() + lo, layout.begin() + hi, [&](std::int32_t x, std::int32_t y) {
            return solution.mentor_price[static_cast<size_t>(x)] - last_q[static_cast<size_t>(x)] <
                   solution.mentor_price[static_cast<size_t>(y)] - last_q[static_cast<size_t>(y)];
          });
    }
    bucket_start[kPriceBuckets] = m;
    for (std::int32_t q = 0; q < m; ++q) {
      const auto j = static_cast<size_t>(layout[static_cast<size_t>(q)]);
      drop_at[static_cast<size_t>(q)] = solution.mentor_price[j] - last_q[j];
    }
    // Rows scanned in full read the same buckets with each one in the scorer's layout order
    // instead, which keeps mentors alike for the hard rules together: blocks of them that a rule
    // excludes are skipped.
    bool any_full = false;
    bool any_slack = false;
    for (std::int32_t i = 0; i < n; ++i) {
      if (kth[static_cast<size_t>(i)] < 0) continue;
      (slack[static_cast<size_t>(i)] < 0 ? any_full : any_slack) = true;
    }
    std::optional<MentorOrder> alike;
    if (any_full) {
      std::vector<std::int32_t> by_layout = order;
      const auto& rank = scorer.layout_position();
      for (std::int32_t b = 0; b < kPriceBuckets; ++b) {
        std::sort(by_layout.begin() + bucket_start[static_cast<size_t>(b)],
                  by_layout.begin() + bucket_start[static_cast<size_t>(b) + 1],
                  [&](std::int32_t x, std::int32_t y) {
                    return rank[static_cast<size_t>(x)] < rank[static_cast<size_t>(y)];
                  });
      }
      alike.emplace(scorer, std::move(by_layout), /*alike=*/true);
    }
    std::optional<MentorOrder> by_change;
    if (any_slack) by_change.emplace(scorer, layout);
    const std::int32_t chunks = (n + kPricingChunk - 1) / kPricingChunk;
    std::vector<std::vector<Edge>> added(static_cast<size_t>(chunks));
    std::vector<std::int64_t> priced(static_cast<size_t>(chunks), 0);
    std::vector<std::int64_t> rows_priced(static_cast<size_t>(chunks), 0);
    auto work = [&](std::int64_t chunk) {
      const auto lo = static_cast<std::int32_t>(chunk) * kPricingChunk;
      const std::int32_t hi = std::min(n, lo + kPricingChunk);
      std::vector<std::pair<Weight, std::int32_t>> violating;     // (w, j)
      std::vector<std::pair<std::int32_t, std::int32_t>> ranges;  // layout positions
      std::vector<std::int32_t> held;                             // the row's candidates
      for (std::int32_t i = lo; i < hi; ++i) {
        const Weight w_k = kth[static_cast<size_t>(i)];
        if (w_k < 0) continue;  // the row holds every eligible mentor
        const Weight p = solution.mentee_price[static_cast<size_t>(i)];
        // Mentors with q_j < w_k + bonus - p, i.e. limit[j] + p < w_k, can violate; up to
        // kSlackMargin above that are checked too (for the margin). That is the buckets below
        // the cap (the last one in part; ScanRow skips its mentors above).
        const Weight cap = w_k + kSlackMargin + bonus - p;
        const Weight margin = slack[static_cast<size_t>(i)];
        const bool is_clean = margin >= 0;  // no violating pair was left out last time
        // Then only mentors with q_j fallen by more than margin / 2 plus what p_i rose.
        const Weight rise = p - last_p[static_cast<size_t>(i)];
        const Weight threshold = -rise - margin / 2;
        Weight unchecked_drop = std::numeric_limits<Weight>::max();  // least change not checked
        ranges.clear();
        std::int32_t count = 0;
        for (std::int32_t b = 0; b < kPriceBuckets; ++b) {
          const std::int32_t from = bucket_start[static_cast<size_t>(b)];
          const std::int32_t to = bucket_start[static_cast<size_t>(b) + 1];
          if (from == to) continue;
          if (sorted_price[static_cast<size_t>(from)] >= cap) break;
          const std::int32_t end =
              is_clean
                  ? static_cast<std::int32_t>(
                        std::lower_bound(drop_at.begin() + from, drop_at.begin() + to, threshold) -
                        drop_at.begin())
                  : to;
          if (end < to) {
            unchecked_drop = std::min(unchecked_drop, drop_at[static_cast<size_t>(end)]);
          }
          if (end > from) {
            ranges.emplace_back(from, end);
            count += end - from;
          }
        }
        // The new margin: mentors above the cap keep kSlackMargin; the unchecked ones below it
        // the old margin less their fall; the checked ones what the scan finds.
        Weight next = kSlackMargin;
        if (is_clean && unchecked_drop != std::numeric_limits<Weight>::max()) {
          next = std::min(next, margin + rise + unchecked_drop);
        }
        if (count == 0) {
          slack[static_cast<size_t>(i)] = next;
          continue;
        }
        ++rows_priced[static_cast<size_t>(chunk)];
        const auto& row = rows[static_cast<size_t>(i)];
        held.clear();
        for (const auto& candidate : row) held.push_back(candidate.first);
        Weight scanned = 0;
        priced[static_cast<size_t>(chunk)] +=
            scorer.ScanRow(i, is_clean ? *by_change : *alike, ranges, limit, p, w_k + kSlackMargin,
                           held, kMaxAddedPerRow, &violating, &scanned);
        // The most violated pairs of the row only: adding every violating pair floods the graph
        // with pairs of unmatched mentees that the next solve does not use.
        slack[static_cast<size_t>(i)] = scanned < 0 ? -1 : std::min(next, scanned);
        for (const auto& [w, j] : violating) added[static_cast<size_t>(chunk)].push_back({i, j, w});
      }
    };
    if (options.progress) options.progress("pricing", 0.0);
    if (!internal::ParallelFor(chunks, threads, work, options.progress, "pricing",
                               options.cancel)) {
      return Status::Cancelled("cancelled");
    }
    std::int64_t new_pairs = 0;
    for (std::int32_t c = 0; c < chunks; ++c) {
      result.pairs_priced += priced[static_cast<size_t>(c)];
      result.rows_priced += rows_priced[static_cast<size_t>(c)];
      for (const Edge& e : added[static_cast<size_t>(c)]) {
        auto& row = rows[static_cast<size_t>(e.mentee)];
        row.insert(std::lower_bound(row.begin(), row.end(), std::pair{e.mentor, Weight{-1}}),
                   {e.mentor, e.weight});
        ++new_pairs;
      }
    }
    result.pairs_added += new_pairs;
    result.seconds_pricing += Since(start);
    if (new_pairs == 0) {
      result.solution = std::move(solution);
      return result;
    }
    last_p = solution.mentee_price;
    last_q = solution.mentor_price;
    previous = std::move(solution);
  }
}

Result<ScaleResult> SolveWelfareAtScale(const std::vector<Person>& people,
                                        const MatchConfig& config, const ScaleOptions& options) {
  if (Status s = Validate(config); !s.ok()) return s;
  const auto start = std::chrono::steady_clock::now();
  const CandidateScorer scorer(people, config);
  const double setup = Since(start);
  Result<ScaleResult> result = SolveWelfareAtScale(scorer, options);
  if (result.ok()) result->seconds_setup = setup;
  return result;
}

Status CheckScaleCertificate(const std::vector<Person>& people, const MatchConfig& config,
                             const ScaleResult& result) {
  const Scorer scorer(people, config);
  std::optional<Instance> full = scorer.BuildInstance();
  if (!full) return Status::Internal("full instance not built");
  if (full->num_mentees != result.candidates.num_mentees ||
      full->num_mentors() != result.candidates.num_mentors()) {
    return Status::Internal("candidate graph and full instance differ in size");
  }
  return CheckWelfareCertificate(*full, result.solution);
}

}  // namespace tandem::matching
