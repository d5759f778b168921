#pragma once
// Speed mentoring: an event of T timed slots in which mentees rotate through mentors.
//
// Stage 1, choosing the meetings: each mentee meets up to T different mentors (or its own cap),
// each mentor meets up to T mentees (or its own cap), a pair meets at most once; the most
// meetings first, then the largest total weight. This is a maximum-weight bipartite b-matching
// with unit pair capacities, solved exactly as a min-cost flow by successive shortest paths with
// potentials (min_cost_flow.h), which also yields dual prices that prove the choice optimal
// (CheckSpeedSelection).
//
// Stage 2, the timetable: the chosen meetings form a bipartite graph of maximum degree <= T, so
// by König's theorem they can be coloured with T colours (slots) so that nobody is in two
// meetings at once; the alternating-path algorithm does it (edge_coloring.h). Every chosen
// meeting gets a slot; no meeting is dropped for lack of room.
//
// Complexity: stage 1 as in min_cost_flow.h (at most sum of mentee caps searches); stage 2
// O(M * (V + T)) for M meetings. 500 mentors x 2,000 mentees x 8 slots: docs/models.md.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

struct SpeedProblem {
  // Eligible (mentee, mentor) pairs and their weights. instance.capacity only gives the number of
  // mentors; its values (long-term mentee places) are not read: the event's caps are below.
  Instance instance;
  std::int32_t slots = 0;  // T >= 0
  // Optional per-person caps on meetings, each in [0, T]; empty means T for everyone.
  std::vector<std::int32_t> mentee_meetings;  // size num_mentees or empty
  std::vector<std::int32_t> mentor_meetings;  // size num_mentors or empty
};

struct Meeting {
  std::int32_t mentee = 0;
  std::int32_t mentor = 0;
  Weight weight = 0;
  std::int32_t slot = -1;  // in [0, T)
};

struct SpeedResult {
  SolveStatus status = SolveStatus::kOptimal;
  std::string message;  // why, when status != kOptimal

  std::vector<Meeting> meetings;  // sorted by (mentee, mentor)
  std::int32_t num_meetings = 0;
  Weight total_weight = 0;

  // Timetable. slot_meetings[t]: indices into `meetings` held in slot t. mentee_timetable[i][t]
  // and mentor_timetable[j][t]: the partner met in slot t, or -1 for a break.
  std::vector<std::vector<std::int32_t>> slot_meetings;
  std::vector<std::vector<std::int32_t>> mentee_timetable;
  std::vector<std::vector<std::int32_t>> mentor_timetable;
  std::int32_t max_degree = 0;  // most meetings of any one person (<= T)

  // Certificate: an optimal dual of the LP
  //   max sum (w_e + bonus) x_e  s.t.  sum_j x_ij <= a_i,  sum_i x_ij <= b_j,  0 <= x_e <= 1
  // (a, b the mentee and mentor caps): prices >= 0, and with edge prices
  // z_e = max(0, w_e + bonus - mentee_price - mentor_price) the dual objective
  // sum a_i mentee_price_i + sum b_j mentor_price_j + sum z_e equals total_weight + bonus *
  // num_meetings. `bonus` exceeds any total weight, so this proves "most meetings, then most
  // weight".
  Weight bonus = 0;
  std::vector<Weight> mentee_price;
  std::vector<Weight> mentor_price;

  std::int64_t searches = 0;     // shortest-path searches in stage 1
  std::int64_t chain_edges = 0;  // edges recoloured on alternating paths in stage 2
};

// Runs both stages. Bad input (Validate(instance), slots < 0, a cap outside [0, T], or weights so
// large that the lexicographic objective would overflow int64) gives kBadInput with a message;
// a raised cancel flag gives kCancelled. Progress phases: "choosing meetings", "timetable".
// Thread-safe for distinct problems. Deterministic.
SpeedResult SolveSpeed(const SpeedProblem& problem, const SolveOptions& options = {});

// Independent checks.
// Stage 1: every meeting is an eligible pair met once, caps respected, totals match, and the
// dual certificate above holds.
Status CheckSpeedSelection(const SpeedProblem& problem, const SpeedResult& result);
// Stage 2: every meeting has a slot in [0, T), nobody is booked twice in a slot, the most
// meetings per person is <= T, and slot_meetings / timetables agree with the meetings.
Status CheckSpeedTimetable(const SpeedProblem& problem, const SpeedResult& result);

}  // namespace tandem::matching
