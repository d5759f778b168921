#pragma once
// Scoring: from people and a MatchConfig to an Instance of eligible, weighted (mentee, mentor)
// pairs, with a per-criterion breakdown and plain-words explanations for every pair, and a reason
// for every mentee a solver left unmatched. docs/matching.md gives every formula.
//
// Cost: construction is O(total profile size) (strings are interned once into small integer ids);
// BuildInstance is O(mentees x mentors) pair evaluations, each a few merges of short sorted id
// lists and bit operations, with no allocation or string work, run in tiles over all cores.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/person.h"
#include "matching/config.h"
#include "matching/instance.h"
#include "matching/solution.h"

namespace tandem::matching {

// Why a pair is not eligible. Check() reports the first rule that fails, in this order.
enum class Exclusion {
  kNone,
  kSamePerson,
  kReportingLine,
  kBlocked,
  kNoSharedLanguage,
  kDifferentSite,
  kDepartmentRule,
  kSeniorityRule,
  kSkillDirection,
  kTimeZone,
  kNoOverlap,
  kNoCapacity,
};
inline constexpr int kExclusionCount = 12;

// Human words, e.g. "mentor and mentee are in one reporting line".
const char* ExclusionReason(Exclusion exclusion);

struct PairScore {
  double score = 0;  // in [0, 1]
  // Each criterion's factor in [0, 1], indexed by Criterion. kSharedBackground is 0 and left out
  // of the score when it does not apply (background_scored == false).
  std::array<double, kCriterionCount> factor{};
  bool background_scored = false;
  std::vector<std::string> skills_for;  // wanted skills the mentor can teach, best first
};

class Scorer {
 public:
  // REQUIRES: people validated (unique non-empty ids), Validate(config).ok().
  // Splits people into mentees and mentors by role: kMentee -> mentee side, kMentor -> mentor side,
  // kEither -> per config.either_role: kByCapacity puts them on the mentor side when
  // mentor_capacity > 0 and on the mentee side otherwise; kBothSides puts them on the mentee side
  // and, when mentor_capacity > 0, also on the mentor side (the pair with themself is excluded as
  // kSamePerson). Both lists are in people order. Keeps a pointer to `people`, which must outlive
  // the Scorer and stay unchanged. Thread-safe for concurrent const calls.
  Scorer(const std::vector<Person>& people, MatchConfig config);
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  const MatchConfig& config() const { return config_; }

  // Indices into people; Instance mentee i == people[mentees()[i]], mentor j ==
  // people[mentors()[j]].
  const std::vector<std::int32_t>& mentees() const { return mentees_; }
  const std::vector<std::int32_t>& mentors() const { return mentors_; }

  // The hard rules for people[mentee_person] mentored by people[mentor_person] (person indices).
  // Missing data never excludes: a rule needs the data on both sides (docs/matching.md).
  Exclusion Check(std::int32_t mentee_person, std::int32_t mentor_person) const;

  // score = sum_c w_c * factor_c / sum_c w_c over the criteria that apply. Does not apply the hard
  // rules (a pair Check() excludes still gets a score).
  PairScore Score(std::int32_t mentee_person, std::int32_t mentor_person) const;

  // Up to config.explanation_reasons concrete reasons, best contribution first, joined by "; ",
  // addressed to the mentee: "both aim at people management; mentor is 2 levels ahead in
  // negotiation, which you rank first; 3 h/week overlap". For an excluded pair:
  // "not eligible: <ExclusionReason>".
  std::string Explain(std::int32_t mentee_person, std::int32_t mentor_person) const;

  // Scores all eligible pairs over config.threads threads (tiles of mentees x mentors): edges
  // sorted by (mentee, mentor) with weight = ScoreToWeight(score), capacity from mentor_capacity
  // (negative read as 0; a mentor without capacity gets no edges), labels = person ids.
  // Deterministic: the same for any thread count. Polls *cancel between tiles and reports
  // progress ("scoring", fraction) from the calling thread. Returns nullopt if cancelled.
  std::optional<Instance> BuildInstance(const ProgressFn& progress = {},
                                        const std::atomic<bool>* cancel = nullptr) const;

  // One entry per instance mentee: "" when matched, otherwise why. When no mentor was eligible it
  // names the most frequent exclusion concretely ("no eligible mentor: no mentor shares a language
  // (german) (980 of 1000 mentors)"); when eligible mentors were full it says how many compete
  // ("capacity exhausted: 14 mentees compete for 9 places among their 3 eligible mentors in
  // Finance").
  // `shortlist` > 0: the instance is a candidate graph of the organization-scale path, with at
  // least that many mentors per mentee where more are eligible; competitors counted in it are
  // then a lower bound ("at least 14 mentees compete for 9 places among the 48 mentors on their
  // shortlist").
  // REQUIRES: instance was built by this Scorer's BuildInstance (same mentee / mentor indices),
  // or is such a candidate graph of it.
  std::vector<std::string> UnmatchedReasons(const Instance& instance, const Solution& solution,
                                            std::int32_t shortlist = 0) const;

 private:
  struct Features;  // compact interned profiles (scoring.cc)

  const std::vector<Person>* people_;
  MatchConfig config_;
  std::vector<std::int32_t> mentees_;
  std::vector<std::int32_t> mentors_;
  std::unique_ptr<Features> features_;
};

}  // namespace tandem::matching
