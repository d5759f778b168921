#pragma once
// Independent checks of a solver's answer: feasibility, the welfare dual certificate, blocking
// pairs and the fair threshold. They share no code with the solvers they check beyond the
// Instance type, so a solver bug cannot hide behind its own bookkeeping.

#include <cstdint>
#include <utility>
#include <vector>

#include "core/status.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

// Every matched pair is an edge, no mentor is over capacity, and matched / total_weight /
// min_weight equal the sums over the assigned pairs.
Status CheckAssignment(const Instance& instance, const Solution& solution);

// The dual prices prove the assignment optimal for "most matched, then most weight" over the
// edges of weight >= min_weight: prices >= 0, every such edge covered, tight on matched pairs,
// zero on unmatched mentees and non-full mentors, and the dual objective equals the primal one.
Status CheckWelfareCertificate(const Instance& instance, const Solution& solution,
                               Weight min_weight = 0);

// Pairs (mentee, mentor) that both prefer each other to what they have (an unmatched mentee or a
// mentor with a free place counts as preferring any acceptable partner). Preferences as in
// stable.h. Empty means the assignment is stable.
std::vector<std::pair<std::int32_t, std::int32_t>> FindBlockingPairs(
    const Instance& instance, const std::vector<std::int32_t>& mentor_of);

// Most mentees that can be matched using only edges of weight >= min_weight (max flow).
std::int32_t MaxMatchable(const Instance& instance, Weight min_weight);

// The fair answer: every matched pair has weight >= fair_threshold, as many mentees are matched as
// with all edges, and raising the threshold above fair_threshold matches fewer; plus the welfare
// certificate over the edges >= fair_threshold.
Status CheckFairCertificate(const Instance& instance, const Solution& solution);

}  // namespace tandem::matching
