#include "matching/welfare.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

// Instances with at least half of all pairs eligible and at most this many cells use the dense
// search (4 bytes a cell).
constexpr std::int64_t kMaxDenseCells = std::int64_t{1} << 28;

// Min-cost form: rows are mentees, columns are mentors 0..m-1 plus the "unmatched" column m of
// unbounded capacity. cost(i, j) = -(w_ij + bonus); cost(i, unmatched) = 0. Potentials v_j <= 0
// on columns; a row's potential is implied by its assigned column: u_r = cost(r, a(r)) - v_a(r).
class ShortestAugmentingPath {
 public:
  // `dense` holds w_ij row-major (-1 = ineligible) when the instance is (nearly) complete;
  // then `rows` may be empty and the search scans arrays instead of a heap.
  ShortestAugmentingPath(const Instance& instance, MenteeRows rows, std::vector<std::int32_t> dense,
                         Weight bonus)
      : instance_(instance),
        rows_(std::move(rows)),
        dense_(std::move(dense)),
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
    if (options.cancel != nullptr && options.cancel->load()) return false;
    if (options.progress) options.progress("assigning", 0.0);
    // Rows with the best candidates first: they set the mentors' prices early, so rows that end
    // up unmatched (when mentees outnumber places) stop their search almost at once.
    std::vector<Weight> best(static_cast<size_t>(n_), -1);
    std::vector<std::int32_t> order(static_cast<size_t>(n_));
    for (std::int32_t r = 0; r < n_; ++r) {
      order[static_cast<size_t>(r)] = r;
      ForEachEdge(r, [&](std::int32_t, Weight w) {
        best[static_cast<size_t>(r)] = std::max(best[static_cast<size_t>(r)], w);
      });
    }
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      return best[static_cast<size_t>(a)] > best[static_cast<size_t>(b)];
    });
    std::vector<std::int32_t> rest = ReduceRows(order);
    const auto total = static_cast<double>(std::max(1, n_));
    const double start = static_cast<double>(n_) - static_cast<double>(rest.size());
    const size_t report_every = std::max<size_t>(1, rest.size() / 100);
    for (size_t q = 0; q < rest.size(); ++q) {
      if ((q & 255) == 0 && options.cancel != nullptr && options.cancel->load()) return false;
      if (options.progress && q % report_every == 0) {
        options.progress("assigning", (start + static_cast<double>(q)) / total);
      }
      if (dense_.empty()) {
        AddRow(rest[q]);
      } else {
        AddRowDense(rest[q]);
      }
      ++*augmentations;
    }
    if (options.progress) options.progress("assigning", 1.0);
    return true;
  }

  // Augmenting row reduction (Jonker & Volgenant 1987, with Bertsekas' auction step): each free
  // row takes the column of least reduced cost, raising that column's price to the row's second
  // best so that the displaced row can move on. It keeps every invariant of the search below:
  // every placed row sits on a column of least reduced cost, prices only rise on full mentors of
  // capacity 1 (which stay full), so mentors with a free place keep price zero. Rows it cannot
  // place cheaply (a full mentor with several places, or out of budget) are returned, in the
  // given order, for the shortest augmenting path search.
  std::vector<std::int32_t> ReduceRows(const std::vector<std::int32_t>& order) {
    std::vector<char> placed(static_cast<size_t>(n_), 0);
    second_.assign(static_cast<size_t>(n_), kInf);
    std::vector<std::int32_t> free_rows = order;
    std::int64_t budget = 8 * static_cast<std::int64_t>(n_) + 64;
    for (int pass = 0; pass < 2 && !free_rows.empty(); ++pass) {
      std::vector<std::int32_t> next;
      size_t k = 0;
      while (k < free_rows.size() && budget-- > 0) {
        const std::int32_t i = free_rows[k++];
        // Best and second best reduced cost; the unmatched column (cost 0, price 0) competes.
        Weight u1 = 0;
        std::int32_t j1 = m_;
        Weight u2 = kInf;
        std::int32_t j2 = m_;
        ForEachEdge(i, [&](std::int32_t col, Weight w) {
          const Weight r = Cost(w) - v_[static_cast<size_t>(col)];
          if (r < u1 || (r == u1 && col < j1)) {
            u2 = u1;
            j2 = j1;
            u1 = r;
            j1 = col;
          } else if (r < u2 || (r == u2 && col < j2)) {
            u2 = r;
            j2 = col;
          }
        });
        if (j1 != m_ && !IsFree(j1) && u1 == u2) j1 = j2;  // indifferent: try the other one
        if (j1 == m_ || IsFree(j1)) {
          Assign(i, j1);
          second_[static_cast<size_t>(i)] = u2;
          placed[static_cast<size_t>(i)] = 1;
          continue;
        }
        // j1 is full. Its member with the least slack (how much dearer j1 may get before the
        // member would rather go elsewhere) makes way; the price rises by i's bid, but never
        // past the slack of the members that stay. Cached second-best costs only understate
        // slack (prices only rise), so every member keeps a column of least reduced cost.
        const auto c = static_cast<size_t>(j1);
        std::int32_t displaced = -1;
        Weight least = kInf;
        Weight next_least = kInf;
        for (std::int32_t r : members_[c]) {
          const Weight slack =
              second_[static_cast<size_t>(r)] - (row_cost_[static_cast<size_t>(r)] - v_[c]);
          if (slack < least || (slack == least && r > displaced)) {
            next_least = least;
            least = slack;
            displaced = r;
          } else if (slack < next_least) {
            next_least = slack;
          }
        }
        if (displaced < 0) continue;  // a mentor with no places: left to the search
        const Weight raise = std::min(u2 - u1, next_least);
        Unassign(displaced, j1);
        placed[static_cast<size_t>(displaced)] = 0;
        v_[c] -= raise;
        Assign(i, j1);
        second_[static_cast<size_t>(i)] = u2;
        placed[static_cast<size_t>(i)] = 1;
        if (raise > 0) {
          free_rows[--k] = displaced;  // its column got dearer: place it now
        } else {
          next.push_back(displaced);
        }
      }
      free_rows = std::move(next);
    }
    std::vector<std::int32_t> rest;
    for (std::int32_t i : order) {
      if (!placed[static_cast<size_t>(i)]) rest.push_back(i);
    }
    return rest;
  }

  template <typename F>
  void ForEachEdge(std::int32_t r, F&& f) const {
    if (!dense_.empty()) {
      const std::int32_t* wr = dense_.data() + static_cast<size_t>(r) * static_cast<size_t>(m_);
      for (std::int32_t k = 0; k < m_; ++k) {
        if (wr[k] >= 0) f(k, static_cast<Weight>(wr[k]));
      }
      return;
    }
    for (auto k = static_cast<size_t>(rows_.start[static_cast<size_t>(r)]);
         k < static_cast<size_t>(rows_.start[static_cast<size_t>(r) + 1]); ++k) {
      f(rows_.mentor[k], rows_.weight[k]);
    }
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
      // Leaving the mentee unmatched is as good as anything still reachable: stop here. (On a
      // tie the matched count and total are the same either way; stopping early saves the
      // search through full mentors, which dominates when mentees far outnumber places.)
      if (col != m_ && dist_[static_cast<size_t>(m_)] <= d) {
        end = m_;
        delta = dist_[static_cast<size_t>(m_)];
        break;
      }
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
    FinishRow(i, end, delta);
  }

  // Dense search: the same Dijkstra as AddRow, with every column's label in an array and the
  // unscanned columns in a list, as in Jonker & Volgenant's dense shortest augmenting path.
  void AddRowDense(std::int32_t i) {
    const auto m = static_cast<size_t>(m_);
    const std::int32_t* wi = dense_.data() + static_cast<size_t>(i) * m;
    todo_.resize(m);
    for (size_t j = 0; j < m; ++j) {
      todo_[j] = static_cast<std::int32_t>(j);
      dist_[j] = wi[j] < 0 ? kInf : Cost(wi[j]) - v_[j];
      pred_row_[j] = i;
    }
    dist_[m] = 0;  // the unmatched column, with u_i = 0
    pred_row_[m] = i;
    size_t open = m;
    std::int32_t end = m_;
    Weight delta = 0;
    // The smallest label among the open columns (ties: lowest index), kept up to date by the
    // relaxation pass so that each scan costs one pass over the open columns.
    Weight best = kInf;
    size_t best_pos = 0;
    for (size_t p = 0; p < open; ++p) {
      if (dist_[static_cast<size_t>(todo_[p])] < best) {
        best = dist_[static_cast<size_t>(todo_[p])];
        best_pos = p;
      }
    }
    while (true) {
      if (dist_[m] <= best || open == 0) {  // on a tie, stop at "unmatched" (see AddRow)
        end = m_;
        delta = dist_[m];
        break;
      }
      const std::int32_t col = todo_[best_pos];
      if (IsFree(col)) {
        end = col;
        delta = best;
        break;
      }
      const auto c = static_cast<size_t>(col);
      const Weight d_col = best;
      scanned_[c] = 1;
      scanned_list_.push_back(col);
      // Remove the column and keep the open list sorted by index (ties break by index).
      todo_.erase(todo_.begin() + static_cast<std::ptrdiff_t>(best_pos));
      --open;
      const auto& rows_here = members_[c];
      if (rows_here.empty()) {  // a mentor with no places: nothing to relax, find the next best
        best = kInf;
        best_pos = 0;
        for (size_t p = 0; p < open; ++p) {
          if (dist_[static_cast<size_t>(todo_[p])] < best) {
            best = dist_[static_cast<size_t>(todo_[p])];
            best_pos = p;
          }
        }
      }
      for (size_t q = 0; q < rows_here.size(); ++q) {
        const std::int32_t r = rows_here[q];
        const Weight base = d_col - (row_cost_[static_cast<size_t>(r)] - v_[c]);
        if (base < dist_[m]) {
          dist_[m] = base;
          pred_row_[m] = r;
        }
        const std::int32_t* wr = dense_.data() + static_cast<size_t>(r) * m;
        const bool last = q + 1 == rows_here.size();
        if (last) {
          best = kInf;
          best_pos = 0;
        }
        const Weight shift = base - bonus_;
        for (size_t p = 0; p < open; ++p) {
          const auto k = static_cast<size_t>(todo_[p]);
          const std::int32_t w = wr[k];
          Weight d = dist_[k];
          if (w >= 0) {
            const Weight nd = shift - w - v_[k];
            if (nd < d) {
              d = nd;
              dist_[k] = nd;
              pred_row_[k] = r;
            }
          }
          if (last && d < best) {
            best = d;
            best_pos = p;
          }
        }
      }
    }
    FinishRow(i, end, delta);
  }

  // Updates the potentials of the scanned columns, augments along the path that ends at `end`
  // and resets the search state.
  void FinishRow(std::int32_t i, std::int32_t end, Weight delta) {
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
    for (std::int32_t t : scanned_list_) scanned_[static_cast<size_t>(t)] = 0;
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
    if (!dense_.empty()) {
      row_cost_[static_cast<size_t>(r)] =
          Cost(dense_[static_cast<size_t>(r) * static_cast<size_t>(m_) + static_cast<size_t>(col)]);
      return;
    }
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
  std::vector<std::int32_t> dense_;
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
  std::vector<std::int32_t> todo_;
  std::vector<Weight> second_;  // row reduction: a row's second-best reduced cost when placed
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
  MenteeRows rows;
  std::vector<std::int32_t> dense;
  Weight max_w = 0;
  const auto cells = static_cast<std::int64_t>(instance.num_mentees) * instance.num_mentors();
  if (cells > 0 && cells <= kMaxDenseCells &&
      static_cast<std::int64_t>(instance.edges.size()) * 2 >= cells) {
    dense.assign(static_cast<size_t>(cells), -1);
    for (const Edge& e : instance.edges) {
      if (e.weight < min_weight) continue;
      dense[static_cast<size_t>(e.mentee) * static_cast<size_t>(instance.num_mentors()) +
            static_cast<size_t>(e.mentor)] = static_cast<std::int32_t>(e.weight);
      max_w = std::max(max_w, e.weight);
    }
  } else {
    rows = internal::BuildMenteeRows(instance, min_weight);
    for (Weight w : rows.weight) max_w = std::max(max_w, w);
  }
  const Weight bonus = max_w * std::max<Weight>(instance.num_mentees, 1) + 1;
  ShortestAugmentingPath sap(instance, std::move(rows), std::move(dense), bonus);
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
