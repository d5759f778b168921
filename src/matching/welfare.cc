#include "matching/welfare.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "matching/graph.h"

namespace tandem::matching {
namespace {

using internal::MenteeRows;

constexpr Weight kInf = std::numeric_limits<Weight>::max() / 4;

// Lexicographic bonus: one more matched mentee outweighs any total weight.
Weight LexBonus(const Instance& instance, const MenteeRows& rows) {
  Weight max_w = 0;
  for (Weight w : rows.weight) max_w = std::max(max_w, w);
  return max_w * std::max<Weight>(instance.num_mentees, 1) + 1;
}

// Min-cost form: rows are mentees, columns are mentors 0..m-1 plus the "unmatched" column m of
// unbounded capacity. cost(i, j) = -(w_ij + bonus); cost(i, unmatched) = 0. Potentials v_j <= 0
// on columns; a row's potential is implied by its assigned column: u_r = cost(r, a(r)) - v_a(r).
class ShortestAugmentingPath {
 public:
  ShortestAugmentingPath(const Instance& instance, MenteeRows rows, Weight bonus)
      : instance_(instance),
        rows_(std::move(rows)),
        bonus_(bonus),
        n_(instance.num_mentees),
        m_(instance.num_mentors()),
        v_(static_cast<size_t>(m_) + 1, 0),
        assigned_(static_cast<size_t>(n_), m_),
        row_cost_(static_cast<size_t>(n_), 0),
        members_(static_cast<size_t>(m_)),
        dist_(static_cast<size_t>(m_) + 1, kInf),
        pred_row_(static_cast<size_t>(m_) + 1, -1),
        scanned_(static_cast<size_t>(m_) + 1, 0) {
    for (std::int32_t j = 0; j < m_; ++j) {
      members_[static_cast<size_t>(j)].reserve(
          static_cast<size_t>(std::min(instance.capacity[static_cast<size_t>(j)], 64)));
    }
  }

  // Returns false if cancelled.
  bool Run(const SolveOptions& options, std::int64_t* augmentations) {
    const std::int32_t report_every = std::max(1, n_ / 100);
    for (std::int32_t i = 0; i < n_; ++i) {
      if ((i & 255) == 0 && options.cancel != nullptr && options.cancel->load()) return false;
      if (options.progress && i % report_every == 0) {
        options.progress("assigning", static_cast<double>(i) / std::max(1, n_));
      }
      AddRow(i);
      ++*augmentations;
    }
    if (options.progress) options.progress("assigning", 1.0);
    return true;
  }

  void Export(Solution* solution) const {
    solution->bonus = bonus_;
    solution->mentor_of.assign(static_cast<size_t>(n_), -1);
    solution->mentee_price.assign(static_cast<size_t>(n_), 0);
    solution->mentor_price.assign(static_cast<size_t>(m_), 0);
    for (std::int32_t j = 0; j < m_; ++j)
      solution->mentor_price[static_cast<size_t>(j)] = -v_[static_cast<size_t>(j)];
    for (std::int32_t i = 0; i < n_; ++i) {
      const std::int32_t a = assigned_[static_cast<size_t>(i)];
      solution->mentee_price[static_cast<size_t>(i)] =
          -(row_cost_[static_cast<size_t>(i)] - v_[static_cast<size_t>(a)]);
      if (a < m_) solution->mentor_of[static_cast<size_t>(i)] = a;
    }
  }

 private:
  Weight Cost(Weight w) const { return -(w + bonus_); }

  bool IsFree(std::int32_t col) const {
    return col == m_ || static_cast<std::int32_t>(members_[static_cast<size_t>(col)].size()) <
                            instance_.capacity[static_cast<size_t>(col)];
  }

  void Touch(std::int32_t col, Weight d, std::int32_t row) {
    const auto c = static_cast<size_t>(col);
    if (scanned_[c] || d >= dist_[c]) return;
    if (dist_[c] == kInf) touched_.push_back(col);
    dist_[c] = d;
    pred_row_[c] = row;
    heap_.emplace(d, col);
  }

  // Offers column `col` at distance d_j's row r's edges (all of them, and its unmatched column).
  void RelaxRow(std::int32_t r, Weight base) {
    const auto b = static_cast<size_t>(rows_.start[static_cast<size_t>(r)]);
    const auto e = static_cast<size_t>(rows_.start[static_cast<size_t>(r) + 1]);
    for (size_t k = b; k < e; ++k) {
      const std::int32_t col = rows_.mentor[k];
      Touch(col, base + Cost(rows_.weight[k]) - v_[static_cast<size_t>(col)], r);
    }
    Touch(m_, base, r);  // cost(r, unmatched) = 0 and v_unmatched = 0
  }

  void AddRow(std::int32_t i) {
    // Distances from the new row with u_i = 0; later edges use reduced costs, all >= 0.
    RelaxRow(i, 0);
    std::int32_t end = -1;
    Weight delta = 0;
    while (!heap_.empty()) {
      auto [d, col] = heap_.top();
      heap_.pop();
      const auto c = static_cast<size_t>(col);
      if (scanned_[c] || d != dist_[c]) continue;
      if (IsFree(col)) {
        end = col;
        delta = d;
        break;
      }
      scanned_[c] = 1;
      scanned_list_.push_back(col);
      for (std::int32_t r : members_[c]) {
        // Reduced cost of (r, col) is zero; u_r = row_cost_[r] - v_col.
        RelaxRow(r, d - (row_cost_[static_cast<size_t>(r)] - v_[c]));
      }
    }
    // The unmatched column is always free, so the search always ends.
    for (std::int32_t col : scanned_list_) {
      const auto c = static_cast<size_t>(col);
      v_[c] -= delta - dist_[c];
    }
    // Augment along the predecessor rows, from the end column back to row i.
    std::int32_t col = end;
    while (true) {
      const std::int32_t r = pred_row_[static_cast<size_t>(col)];
      const std::int32_t prev = assigned_[static_cast<size_t>(r)];
      Assign(r, col);
      if (r == i) break;
      Unassign(r, prev);
      col = prev;
    }
    // Reset the search state.
    for (std::int32_t t : touched_) {
      dist_[static_cast<size_t>(t)] = kInf;
      pred_row_[static_cast<size_t>(t)] = -1;
      scanned_[static_cast<size_t>(t)] = 0;
    }
    touched_.clear();
    scanned_list_.clear();
    heap_ = {};
  }

  void Assign(std::int32_t r, std::int32_t col) {
    assigned_[static_cast<size_t>(r)] = col;
    if (col == m_) {
      row_cost_[static_cast<size_t>(r)] = 0;
      return;
    }
    members_[static_cast<size_t>(col)].push_back(r);
    const auto b = rows_.mentor.begin() + rows_.start[static_cast<size_t>(r)];
    const auto e = rows_.mentor.begin() + rows_.start[static_cast<size_t>(r) + 1];
    const auto it = std::lower_bound(b, e, col);
    row_cost_[static_cast<size_t>(r)] =
        Cost(rows_.weight[static_cast<size_t>(it - rows_.mentor.begin())]);
  }

  void Unassign(std::int32_t r, std::int32_t col) {
    if (col == m_) return;
    auto& list = members_[static_cast<size_t>(col)];
    list.erase(std::find(list.begin(), list.end(), r));
  }

  const Instance& instance_;
  MenteeRows rows_;
  Weight bonus_;
  std::int32_t n_;
  std::int32_t m_;
  std::vector<Weight> v_;
  std::vector<std::int32_t> assigned_;
  std::vector<Weight> row_cost_;
  std::vector<std::vector<std::int32_t>> members_;
  std::vector<Weight> dist_;
  std::vector<std::int32_t> pred_row_;
  std::vector<char> scanned_;
  std::vector<std::int32_t> touched_;
  std::vector<std::int32_t> scanned_list_;
  std::priority_queue<std::pair<Weight, std::int32_t>, std::vector<std::pair<Weight, std::int32_t>>,
                      std::greater<>>
      heap_;
};

}  // namespace

Solution SolveWelfareAtLeast(const Instance& instance, Weight min_weight,
                             const SolveOptions& options) {
  Solution solution;
  solution.objective = options.objective;
  if (Status s = Validate(instance); !s.ok()) {
    solution.status = SolveStatus::kBadInput;
    solution.message = s.message();
    return solution;
  }
  MenteeRows rows = internal::BuildMenteeRows(instance, min_weight);
  const Weight bonus = LexBonus(instance, rows);
  ShortestAugmentingPath sap(instance, std::move(rows), bonus);
  if (!sap.Run(options, &solution.augmentations)) {
    solution.status = SolveStatus::kCancelled;
    solution.message = "cancelled";
    return solution;
  }
  sap.Export(&solution);
  // Totals from the assignment itself (not from the duals), so the certificate check is real.
  std::vector<Weight> weight_of(static_cast<size_t>(instance.num_mentees), 0);
  for (const Edge& e : instance.edges) {
    if (solution.mentor_of[static_cast<size_t>(e.mentee)] == e.mentor) {
      weight_of[static_cast<size_t>(e.mentee)] = e.weight;
    }
  }
  bool first = true;
  for (std::int32_t i = 0; i < instance.num_mentees; ++i) {
    if (solution.mentor_of[static_cast<size_t>(i)] < 0) continue;
    const Weight w = weight_of[static_cast<size_t>(i)];
    ++solution.matched;
    solution.total_weight += w;
    solution.min_weight = first ? w : std::min(solution.min_weight, w);
    first = false;
  }
  solution.status = SolveStatus::kOptimal;
  return solution;
}

Solution SolveWelfare(const Instance& instance, const SolveOptions& options) {
  return SolveWelfareAtLeast(instance, 0, options);
}

}  // namespace tandem::matching
