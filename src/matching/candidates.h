#pragma once
// Candidate generation at organization scale: the best K mentors of every mentee without
// materialising all mentees x mentors pairs.
//
// CandidateScorer holds the people's features laid out compactly (tags and availability as bit
// sets over interned ids, the rest as small integers and floats; the mentors' also as one
// 32-bit column per feature and per skill, for the vectorised bound) and reproduces Scorer's rules
// and formula (scoring.cc, docs/matching.md) exactly: PairWeight(i, j) ==
// ScoreToWeight(Scorer::Score(...)) for every pair Scorer::Check() accepts (and a mentor with
// capacity), bit for bit, because the double arithmetic is done in the same order on the same
// interned skill ids.
//
// Pruning: every pair gets an upper bound of its score, computed in float for a tile of mentors
// at a time in vector registers (AVX-512 when the processor has it): the cheap hard rules
// (seniority gap, reporting line, shared language, site, department, time zone, weekly overlap)
// as masks, every criterion as Scorer computes it, padded by a margin far above float rounding.
// Pass 1 keeps each mentee's shortlist of pairs whose bound is near or above its K-th largest
// bound; pass 2 scores the shortlist exactly, best bound first, until the bound cannot beat the
// K-th best, and rescans a row whose shortlist could have missed a pair. The bound never falls
// below the exact score, so the kept lists are exactly the K best eligible mentors by (weight
// descending, mentor ascending).
//
// Cost: O(mentees x mentors) bound evaluations in blocks of mentors that stay in cache, over all
// cores; memory O((mentees + mentors) x profile size + mentees x K), never mentees x mentors.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/person.h"
#include "matching/config.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

// The best K eligible mentors of every mentee, in compressed rows.
struct CandidateLists {
  std::int32_t k = 0;
  std::vector<std::int64_t> start;   // size num_mentees + 1
  std::vector<std::int32_t> mentor;  // per row: best first (weight descending, index ascending)
  std::vector<Weight> weight;
  // Row holds every eligible mentor of the mentee (fewer than K were eligible).
  std::vector<char> complete;
  std::int64_t pairs_bounded = 0;  // pairs that reached the score bound (passed cheap rules)
  std::int64_t pairs_exact = 0;    // pairs scored exactly
  // Rows scanned a second time because their shortlist could have missed one of the K best
  // (bounds far above the exact score: more than four wanted skills, large tag catalogues).
  std::int64_t rows_rescanned = 0;
  // Pairs never bounded: a hard rule excluded their whole block of alike mentors.
  std::int64_t pairs_skipped = 0;
};

class MentorOrder;

class CandidateScorer {
 public:
  // REQUIRES: as Scorer (people validated, Validate(config).ok()). Sides are split exactly as
  // Scorer does, so mentee i / mentor j index the same people as Scorer::mentees() / mentors()
  // and as the Instance Scorer::BuildInstance() returns. Keeps no pointer to `people`.
  // Thread-safe for concurrent const calls.
  CandidateScorer(const std::vector<Person>& people, const MatchConfig& config);
  ~CandidateScorer();
  CandidateScorer(const CandidateScorer&) = delete;
  CandidateScorer& operator=(const CandidateScorer&) = delete;

  std::int32_t num_mentees() const;
  std::int32_t num_mentors() const;
  const std::vector<std::int32_t>& mentees() const;       // person indices
  const std::vector<std::int32_t>& mentors() const;       // person indices
  const std::vector<std::int32_t>& capacity() const;      // per mentor, max(0, mentor_capacity)
  const std::vector<std::string>& mentee_labels() const;  // person ids
  const std::vector<std::string>& mentor_labels() const;
  // Per mentor, its position in the scorer's layout: mentors alike for the hard rules (time zone,
  // site, seniority, languages) are near each other. An order sorted by it keeps them together.
  const std::vector<std::int32_t>& layout_position() const;

  // The exact weight of (mentee i, mentor j) when eligible (every hard rule passes and the
  // mentor has capacity), otherwise -1. Equals the weight Scorer::BuildInstance() gives the pair.
  Weight PairWeight(std::int32_t i, std::int32_t j) const;

  // An upper bound of PairWeight(i, j), or -1 when a cheap hard rule excludes the pair (then
  // PairWeight is -1 too). For tests of the pruning.
  Weight WeightBound(std::int32_t i, std::int32_t j) const;

  // The best k (>= 1) eligible mentors of every mentee over `threads` threads (0 = all cores).
  // Deterministic: the same for any thread count. Reports ("candidates", fraction) from the
  // calling thread; polls *cancel between blocks; nullopt when cancelled.
  std::optional<CandidateLists> Best(std::int32_t k, int threads, const ProgressFn& progress = {},
                                     const std::atomic<bool>* cancel = nullptr) const;

  // A pair's place in a mentee's preference order (weight descending, mentor ascending).
  struct Place {
    Weight weight;
    std::int32_t mentor;
  };
  // For stable at scale: the first k (in mentee i's preference order, best first) of its
  // eligible pairs (w, j) that come after `after`, before `until`, and have w > limit[j] (one
  // limit per mentor; the largest Weight leaves a mentor out). Fewer when the row has no more.
  // Place{largest Weight, -1} as `after` and Place{-1, -1} as `until` put no end on that side.
  // One scan of the row over the bound: a pair whose bound cannot pass its limit, or cannot come
  // before `until`, is not scored. Adds the pairs scored exactly to *scored (if not null).
  std::vector<std::pair<Weight, std::int32_t>> NextAbove(std::int32_t i, Place after, Place until,
                                                         const std::vector<Weight>& limit,
                                                         std::int32_t k,
                                                         std::int64_t* scored = nullptr) const;

  // Pricing scan of mentee i over the mentors at positions [first, second) of each range of
  // `mentors`, skipping mentors with limit[j] + offset >= below (the caller knows no weight of
  // the row reaches that) and the mentors in `skip` (the row's candidates). A pair violates when
  // it is eligible and its exact weight w exceeds limit[j] + offset. Fills `violating` with the
  // `keep` most violated pairs as (w, j), by violation (w - limit[j] - offset) descending, then
  // mentor ascending; pairs are scored exactly only while they could be among them (the bound
  // decides the rest). *slack: -1 when a violating pair may be left out of `violating`;
  // otherwise the least limit[j] + offset - w over the other pairs checked (w taken as
  // trunc(bound * kScoreScale) + 1 when the bound sufficed; the largest Weight when there is
  // none), a lower bound of every such pair's margin. Returns the pairs visited (the ranges' total
  // size).
  std::int64_t ScanRow(std::int32_t i, const MentorOrder& mentors,
                       const std::vector<std::pair<std::int32_t, std::int32_t>>& ranges,
                       const std::vector<Weight>& limit, Weight offset, Weight below,
                       const std::vector<std::int32_t>& skip, std::int32_t keep,
                       std::vector<std::pair<Weight, std::int32_t>>* violating,
                       Weight* slack) const;

 private:
  friend class MentorOrder;
  struct Data;
  std::unique_ptr<Data> d_;
};

// The mentors of a CandidateScorer in a given order (a permutation of 0..num_mentors), laid out
// so that a scan of a range of that order reads memory in sequence (pricing scans the mentors
// by price). Costs one copy of the mentors' features.
class MentorOrder {
 public:
  // `alike`: also keep skip blocks (as the scorer's layout does), so that a scan skips the
  // blocks of 16 consecutive mentors a hard rule excludes; worth it when the order keeps alike
  // mentors together.
  MentorOrder(const CandidateScorer& scorer, std::vector<std::int32_t> order, bool alike = false);
  ~MentorOrder();
  MentorOrder(const MentorOrder&) = delete;
  MentorOrder& operator=(const MentorOrder&) = delete;
  const std::vector<std::int32_t>& order() const;

 private:
  friend class CandidateScorer;
  struct Data;
  std::unique_ptr<Data> d_;
};

}  // namespace tandem::matching
