#include "matching/welfare.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <queue>
#include <utility>
#include <vector>

#include "matching/cost_scaling.h"
#include "matching/graph.h"

namespace tandem::matching {
namespace {

using internal::MenteeRows;

constexpr Weight kInf = std::numeric_limits<Weight>::max() / 4;

// Warm start: predecessor markers for the sink node (index m, shared with the "unmatched"
// column, see AddRowWarm).
constexpr std::int32_t kFromSink = -2;  // a column reached from the sink (it gives up a unit)
constexpr std::int32_t kViaFree = -3;   // the sink reached through a column with a free place

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
        scanned_(static_cast<size_t>(m_) + 1, 0),
        deficit_(static_cast<size_t>(m_), 0),
        unmatched_pos_(static_cast<size_t>(n_), -1) {
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

  // Warm start from `start`, an optimal answer for an instance with the same mentees, mentors,
  // capacities and bonus (typically the same graph with fewer edges). Takes its assignment and
  // mentor prices; every mentee whose edges are no longer covered (an edge of negative reduced
  // cost, or its assigned edge gone) leaves its mentor and is placed again by RunWarm. Returns
  // false when `start` does not fit (sizes, bonus, or prices that are not a valid warm state);
  // the caller then solves from scratch on a fresh object.
  //
  // A mentee that leaves a mentor of positive price must not leave a free place at that price
  // (prices are zero on mentors with a free place). In flow terms (mentees -> mentors -> sink,
  // with the "unmatched" column as an uncapacitated arc to the sink) the mentor keeps its unit of
  // flow to the sink and gets a deficit of one unit, to be filled by a mentee or given back to
  // the sink by a later search; a mentee leaving a mentor of price zero (or the "unmatched"
  // column) takes its unit away from the sink instead, which then has a deficit.
  bool WarmStart(const Solution& start, std::vector<std::int32_t>* pending) {
    if (!dense_.empty() || start.bonus != bonus_ ||
        start.mentor_of.size() != static_cast<size_t>(n_) ||
        start.mentor_price.size() != static_cast<size_t>(m_)) {
      return false;
    }
    for (std::int32_t j = 0; j < m_; ++j) {
      const Weight q = start.mentor_price[static_cast<size_t>(j)];
      if (q < 0) return false;
      v_[static_cast<size_t>(j)] = -q;
    }
    v_[static_cast<size_t>(m_)] = 0;
    std::vector<char> leaves(static_cast<size_t>(n_), 0);
    for (std::int32_t i = 0; i < n_; ++i) {
      const std::int32_t a = start.mentor_of[static_cast<size_t>(i)];
      if (a >= m_) return false;
      if (a < 0) {
        Assign(i, m_);
      } else if (HasEdge(i, a)) {
        Assign(i, a);
      } else {
        // The assigned edge is gone: the mentor's place counts as taken until RunWarm.
        assigned_[static_cast<size_t>(i)] = -1;
        ++deficit_[static_cast<size_t>(a)];
        leaves[static_cast<size_t>(i)] = 1;
        continue;
      }
      // u_i from the assignment; the unmatched edge needs u_i <= 0, every edge rc >= 0.
      const std::int32_t col = assigned_[static_cast<size_t>(i)];
      const Weight u = row_cost_[static_cast<size_t>(i)] - v_[static_cast<size_t>(col)];
      bool covered = u <= 0;
      ForEachEdge(i, [&](std::int32_t j, Weight w) {
        covered = covered && Cost(w) - u - v_[static_cast<size_t>(j)] >= 0;
      });
      if (!covered) {
        Unassign(i, col);
        assigned_[static_cast<size_t>(i)] = -1;
        leaves[static_cast<size_t>(i)] = 1;
        if (col == m_) {
          ++sink_deficit_;
        } else {
          ++deficit_[static_cast<size_t>(col)];
        }
      }
    }
    for (std::int32_t j = 0; j < m_; ++j) {
      const auto c = static_cast<size_t>(j);
      if (Flow(j) > instance_.capacity[c]) return false;
      if (v_[c] == 0) {  // a mentee leaving a mentor priced zero takes its unit from the sink
        sink_deficit_ += deficit_[c];
        deficit_[c] = 0;
      }
      if (Flow(j) < instance_.capacity[c] && v_[c] != 0) return false;
    }
    for (std::int32_t i = 0; i < n_; ++i) {
      if (leaves[static_cast<size_t>(i)]) pending->push_back(i);
    }
    // As in Run, rows with the best edges first (on the organization benchmark about 7 % fewer
    // edge relaxations than index order).
    std::vector<Weight> best(static_cast<size_t>(n_), -1);
    for (std::int32_t i : *pending) {
      ForEachEdge(i, [&](std::int32_t, Weight w) {
        best[static_cast<size_t>(i)] = std::max(best[static_cast<size_t>(i)], w);
      });
    }
    std::stable_sort(pending->begin(), pending->end(), [&](std::int32_t a, std::int32_t b) {
      return best[static_cast<size_t>(a)] > best[static_cast<size_t>(b)];
    });
    return true;
  }

  // Places the mentees WarmStart took out. Returns false if cancelled.
  bool RunWarm(const std::vector<std::int32_t>& pending, const SolveOptions& options,
               std::int64_t* augmentations) {
    if (options.progress) options.progress("assigning", 0.0);
    const size_t report_every = std::max<size_t>(1, pending.size() / 100);
    for (size_t q = 0; q < pending.size(); ++q) {
      if ((q & 255) == 0 && options.cancel != nullptr && options.cancel->load()) return false;
      if (options.progress && q % report_every == 0) {
        options.progress("assigning", static_cast<double>(q) / static_cast<double>(pending.size()));
      }
      AddRowWarm(pending[q]);
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
    return col == m_ || Flow(col) < instance_.capacity[static_cast<size_t>(col)];
  }

  // Places of `col` counted as taken: its members plus its deficit (warm start only).
  std::int32_t Flow(std::int32_t col) const {
    return static_cast<std::int32_t>(members_[static_cast<size_t>(col)].size()) +
           deficit_[static_cast<size_t>(col)];
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

  bool HasEdge(std::int32_t r, std::int32_t col) const {
    const auto b = rows_.mentor.begin() + rows_.start[static_cast<size_t>(r)];
    const auto e = rows_.mentor.begin() + rows_.start[static_cast<size_t>(r) + 1];
    const auto it = std::lower_bound(b, e, col);
    return it != e && *it == col;
  }

  // The search of a warm start: Dijkstra from the free row i over the residual graph of the flow
  // mentees -> mentors -> sink, to the nearest node with a deficit (a mentor that lost a mentee
  // at a positive price, or the sink). The sink shares index m with the "unmatched" column
  // (that column is an uncapacitated arc of cost 0 into the sink, so both carry potential 0).
  // Residual arcs besides AddRow's: a column with a free place reaches the sink at cost 0; the
  // sink reaches every column carrying flow at cost -v_j (the column gives up a unit: a mentee
  // leaves it, or its deficit is cancelled) and every unmatched row at cost 0. All reduced costs
  // are >= 0, so Dijkstra applies, and the potentials are renormalised afterwards so that the
  // sink keeps potential 0.
  void AddRowWarm(std::int32_t i) {
    const auto sink = static_cast<size_t>(m_);
    RelaxRow(i, 0);
    std::int32_t end = -1;
    Weight delta = 0;
    while (!heap_.empty()) {
      auto [d, col] = heap_.top();
      heap_.pop();
      const auto c = static_cast<size_t>(col);
      if (scanned_[c] || d != dist_[c]) continue;
      if (col == m_) {
        if (sink_deficit_ > 0) {
          end = m_;
          delta = d;
          break;
        }
        scanned_[c] = 1;
        scanned_list_.push_back(col);
        for (std::int32_t j = 0; j < m_; ++j) {
          if (Flow(j) > 0) Touch(j, d - v_[static_cast<size_t>(j)], kFromSink);
        }
        for (std::int32_t r : unmatched_) RelaxRow(r, d);
        continue;
      }
      if (deficit_[c] > 0 || (sink_deficit_ > 0 && IsFree(col))) {
        end = col;
        delta = d;
        break;
      }
      if (IsFree(col) && !scanned_[sink] && d < dist_[sink]) {
        if (dist_[sink] == kInf) touched_.push_back(m_);
        dist_[sink] = d;
        pred_row_[sink] = kViaFree;
        sink_pred_col_ = col;
        heap_.emplace(d, m_);
      }
      scanned_[c] = 1;
      scanned_list_.push_back(col);
      for (std::int32_t r : members_[c]) {
        RelaxRow(r, d - (row_cost_[static_cast<size_t>(r)] - v_[c]));
      }
    }
    FinishRowWarm(i, end, delta);
  }

  void FinishRowWarm(std::int32_t i, std::int32_t end, Weight delta) {
    const auto sink = static_cast<size_t>(m_);
    for (std::int32_t col : scanned_list_) {
      const auto c = static_cast<size_t>(col);
      v_[c] -= delta - dist_[c];
    }
    if (scanned_[sink]) {
      // Renormalise: the sink (and the "unmatched" column) back to potential 0. Only mentors
      // without flow can end above 0; lowering them to 0 only raises reduced costs.
      const Weight shift = -v_[sink];
      for (std::int32_t j = 0; j <= m_; ++j) {
        auto& v = v_[static_cast<size_t>(j)];
        v = std::min<Weight>(v + shift, 0);
      }
    }
    // The deficit this path fills.
    if (end == m_ || deficit_[static_cast<size_t>(end)] == 0) {
      --sink_deficit_;
    } else {
      --deficit_[static_cast<size_t>(end)];
    }
    std::int32_t col = end;
    while (true) {
      std::int32_t r = pred_row_[static_cast<size_t>(col)];
      if (r == kFromSink) {  // col gave up a unit to the sink: continue from the sink
        col = m_;
        continue;
      }
      if (r == kViaFree) {  // the sink was reached through the free column sink_pred_col_
        col = sink_pred_col_;
        continue;
      }
      const std::int32_t prev = assigned_[static_cast<size_t>(r)];
      Assign(r, col);
      if (r == i) break;
      Unassign(r, prev);
      col = prev;
    }
    ResetSearch();
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
    ResetSearch();
  }

  // Clears the labels of the last search.
  void ResetSearch() {
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
      unmatched_pos_[static_cast<size_t>(r)] = static_cast<std::int32_t>(unmatched_.size());
      unmatched_.push_back(r);
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
    if (col == m_) {
      const auto at = static_cast<size_t>(unmatched_pos_[static_cast<size_t>(r)]);
      unmatched_[at] = unmatched_.back();
      unmatched_pos_[static_cast<size_t>(unmatched_[at])] = static_cast<std::int32_t>(at);
      unmatched_.pop_back();
      unmatched_pos_[static_cast<size_t>(r)] = -1;
      return;
    }
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
  // Warm start (see WarmStart): per mentor, places whose mentee left while its price stayed
  // positive; the sink's missing units; the rows on the "unmatched" column.
  std::vector<std::int32_t> deficit_;
  std::int32_t sink_deficit_ = 0;
  std::int32_t sink_pred_col_ = -1;
  std::vector<std::int32_t> unmatched_;
  std::vector<std::int32_t> unmatched_pos_;
  std::priority_queue<std::pair<Weight, std::int32_t>, std::vector<std::pair<Weight, std::int32_t>>,
                      std::greater<>>
      heap_;
};

}  // namespace

namespace {

// Matched count and totals from the assignment itself (not from the duals), so the certificate
// check is real.
void SetTotals(const Instance& instance, Solution* solution) {
  std::vector<Weight> weight_of(static_cast<size_t>(instance.num_mentees), 0);
  for (const Edge& e : instance.edges) {
    if (solution->mentor_of[static_cast<size_t>(e.mentee)] == e.mentor) {
      weight_of[static_cast<size_t>(e.mentee)] = e.weight;
    }
  }
  bool first = true;
  for (std::int32_t i = 0; i < instance.num_mentees; ++i) {
    if (solution->mentor_of[static_cast<size_t>(i)] < 0) continue;
    const Weight w = weight_of[static_cast<size_t>(i)];
    ++solution->matched;
    solution->total_weight += w;
    solution->min_weight = first ? w : std::min(solution->min_weight, w);
    first = false;
  }
  solution->status = SolveStatus::kOptimal;
}

// Long rows (many edges per mentee): solve on each mentee's best few edges first, then add the
// edges the prices do not cover and re-solve warm (only the mentees with a new uncovered edge
// are placed again), until the prices cover every edge. On contended graphs (mentees about as
// many as places) the first solve's searches are shorter on the small graph and most edges are
// never needed. The last answer is then optimal for the whole instance: its prices are an
// optimal dual of the smaller graph, feasible for every edge, with the same bonus (each
// mentee's best edge is in the first graph, so the largest weight is too).
constexpr std::int64_t kRoundsMinMentees = 256;
constexpr std::int64_t kRoundsMinRowLength = 12;  // average edges per mentee
constexpr std::int32_t kFirstEdgesPerRow = 6;

bool SolveInRounds(const Instance& instance, const MenteeRows& rows) {
  const auto n = static_cast<std::int64_t>(instance.num_mentees);
  return n >= kRoundsMinMentees &&
         static_cast<std::int64_t>(rows.mentor.size()) >= kRoundsMinRowLength * n;
}

enum class RoundsResult { kOptimal, kCancelled, kFailed };

RoundsResult SolveRounds(const Instance& instance, const MenteeRows& rows, Weight bonus,
                         const SolveOptions& options, Solution* solution) {
  const auto n = static_cast<size_t>(instance.num_mentees);
  std::vector<char> active(rows.mentor.size(), 0);
  std::vector<size_t> by_weight;
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<size_t>(rows.start[i]);
    const auto e = static_cast<size_t>(rows.start[i + 1]);
    by_weight.resize(e - b);
    std::iota(by_weight.begin(), by_weight.end(), b);
    const size_t keep = std::min(by_weight.size(), static_cast<size_t>(kFirstEdgesPerRow));
    std::partial_sort(by_weight.begin(), by_weight.begin() + static_cast<std::ptrdiff_t>(keep),
                      by_weight.end(), [&](size_t x, size_t y) {
                        return rows.weight[x] != rows.weight[y] ? rows.weight[x] > rows.weight[y]
                                                                : x < y;
                      });
    for (size_t k = 0; k < keep; ++k) active[by_weight[k]] = 1;
  }
  auto active_rows = [&] {
    MenteeRows out;
    out.start.assign(n + 1, 0);
    for (size_t i = 0; i < n; ++i) {
      for (auto k = static_cast<size_t>(rows.start[i]); k < static_cast<size_t>(rows.start[i + 1]);
           ++k) {
        if (!active[k]) continue;
        out.mentor.push_back(rows.mentor[k]);
        out.weight.push_back(rows.weight[k]);
      }
      out.start[i + 1] = static_cast<std::int64_t>(out.mentor.size());
    }
    return out;
  };
  {
    ShortestAugmentingPath sap(instance, active_rows(), {}, bonus);
    if (!sap.Run(options, &solution->augmentations)) return RoundsResult::kCancelled;
    sap.Export(solution);
  }
  SolveOptions later = options;
  later.progress = nullptr;  // the first solve reports "assigning"; rounds are short
  while (true) {
    bool added = false;
    for (size_t i = 0; i < n; ++i) {
      const Weight p = solution->mentee_price[i];
      for (auto k = static_cast<size_t>(rows.start[i]); k < static_cast<size_t>(rows.start[i + 1]);
           ++k) {
        if (!active[k] && rows.weight[k] + bonus >
                              p + solution->mentor_price[static_cast<size_t>(rows.mentor[k])]) {
          active[k] = 1;
          added = true;
        }
      }
    }
    if (!added) return RoundsResult::kOptimal;
    ShortestAugmentingPath warm(instance, active_rows(), {}, bonus);
    std::vector<std::int32_t> pending;
    // Same sizes and bonus, prices of an optimal answer: the start always fits.
    if (!warm.WarmStart(*solution, &pending)) return RoundsResult::kFailed;
    if (!warm.RunWarm(pending, later, &solution->augmentations)) return RoundsResult::kCancelled;
    warm.Export(solution);
  }
}

constexpr std::int32_t kCostScalingMinMentees = 2000;
// A warm start that must place again more than 1/kWarmShare of the mentees solves cold instead
// (on instances that take cost scaling). At 100,000 x 20,000, 742 searches took 2.1 s warm and
// 1.4 s as a cold solve from the cardinality start; 97 searches took 0.3 s.
constexpr std::int64_t kWarmShare = 256;

bool UseCostScaling(const Instance& instance, const SolveOptions& options) {
  switch (options.welfare_method) {
    case WelfareMethod::kCostScaling:
      return true;
    case WelfareMethod::kShortestPaths:
      return false;
    case WelfareMethod::kAuto:
      break;
  }
  return instance.num_mentees >= kCostScalingMinMentees;
}

Solution Cancelled(const SolveOptions& options) {
  Solution solution;
  solution.objective = options.objective;
  solution.status = SolveStatus::kCancelled;
  solution.message = "cancelled";
  return solution;
}

enum class Finish { kDone, kCancelled, kUnfit };

// Cost scaling, then its exact finish: the warm start from its answer (rounded prices), which
// places again the mentees the rounding leaves uncovered. kUnfit when cost scaling gave up (a
// price war) or, not seen, its answer does not fit a warm start: the caller goes on by paths.
// `hint` and `prices`: an assignment and its mentor prices that seed cost scaling's start (the
// last answer of a warm start), or nullptr.
Finish SolveByCostScaling(const Instance& instance, MenteeRows rows, Weight bonus,
                          const SolveOptions& options, Solution* solution,
                          const std::vector<std::int32_t>* hint = nullptr,
                          const std::vector<Weight>* prices = nullptr) {
  Solution guess;
  if (!internal::CostScalingStart(instance, rows, bonus, options, &guess, &solution->pushes,
                                  nullptr, hint, prices)) {
    const bool cancelled = options.cancel != nullptr && options.cancel->load();
    return cancelled ? Finish::kCancelled : Finish::kUnfit;
  }
  ShortestAugmentingPath exact(instance, std::move(rows), {}, bonus);
  std::vector<std::int32_t> pending;
  if (!exact.WarmStart(guess, &pending)) return Finish::kUnfit;
  SolveOptions quiet = options;
  quiet.progress = nullptr;
  if (!exact.RunWarm(pending, quiet, &solution->augmentations)) return Finish::kCancelled;
  exact.Export(solution);
  SetTotals(instance, solution);
  return Finish::kDone;
}

Solution Solve(const Instance& instance, Weight min_weight, const Solution* start,
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
  if (start == nullptr && options.welfare_method != WelfareMethod::kCostScaling && cells > 0 &&
      cells <= kMaxDenseCells && static_cast<std::int64_t>(instance.edges.size()) * 2 >= cells) {
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
  if (start != nullptr) {
    if (options.cancel != nullptr && options.cancel->load()) return Cancelled(options);
    auto warm = std::make_unique<ShortestAugmentingPath>(instance, std::move(rows),
                                                         std::vector<std::int32_t>{}, bonus);
    std::vector<std::int32_t> pending;
    const bool fits = warm->WarmStart(*start, &pending);
    if (fits && UseCostScaling(instance, options) &&
        static_cast<std::int64_t>(pending.size()) * kWarmShare > instance.num_mentees) {
      // Many mentees to place again: on large instances a cold solve by cost scaling is
      // cheaper than one search per mentee (each long when places are contended). Should cost
      // scaling give up (a price war), the warm repair below runs after all.
      const Finish done =
          SolveByCostScaling(instance, internal::BuildMenteeRows(instance, min_weight), bonus,
                             options, &solution, &start->mentor_of, &start->mentor_price);
      if (done == Finish::kCancelled) return Cancelled(options);
      if (done == Finish::kDone) return solution;
    }
    if (fits) {
      if (!warm->RunWarm(pending, options, &solution.augmentations)) return Cancelled(options);
      warm->Export(&solution);
      SetTotals(instance, &solution);
      return solution;
    }
    // The start does not fit: solve from scratch.
    rows = internal::BuildMenteeRows(instance, min_weight);
  }
  if (dense.empty() && start == nullptr && UseCostScaling(instance, options)) {
    const Finish done = SolveByCostScaling(instance, std::move(rows), bonus, options, &solution);
    if (done == Finish::kCancelled) return Cancelled(options);
    if (done == Finish::kDone) return solution;
    rows = internal::BuildMenteeRows(instance, min_weight);  // kUnfit: the paths below
  }
  if (dense.empty() && SolveInRounds(instance, rows)) {
    const RoundsResult done = SolveRounds(instance, rows, bonus, options, &solution);
    if (done == RoundsResult::kCancelled) return Cancelled(options);
    if (done == RoundsResult::kOptimal) {
      SetTotals(instance, &solution);
      return solution;
    }
    solution = Solution{};  // kFailed (a bug): the plain search below
    solution.objective = options.objective;
  }
  ShortestAugmentingPath sap(instance, std::move(rows), std::move(dense), bonus);
  if (!sap.Run(options, &solution.augmentations)) return Cancelled(options);
  sap.Export(&solution);
  SetTotals(instance, &solution);
  return solution;
}

}  // namespace

Solution SolveWelfareAtLeast(const Instance& instance, Weight min_weight,
                             const SolveOptions& options) {
  return Solve(instance, min_weight, nullptr, options);
}

Solution SolveWelfare(const Instance& instance, const SolveOptions& options) {
  return Solve(instance, 0, nullptr, options);
}

Solution SolveWelfareFrom(const Instance& instance, const Solution& start,
                          const SolveOptions& options) {
  return Solve(instance, 0, &start, options);
}

}  // namespace tandem::matching
