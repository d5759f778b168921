#include "program/match_run.h"

#include <algorithm>
#include <chrono>

#include "matching/certificate.h"
#include "matching/scale.h"
#include "matching/scoring.h"
#include "matching/solve.h"
#include "matching/stable_scale.h"

namespace tandem::program {

using matching::Objective;

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status Certify(const matching::Instance& instance, const matching::Solution& solution,
               std::string* what) {
  switch (solution.objective) {
    case Objective::kWelfare:
      *what = "most mentees matched, then the largest total score: dual bound equals objective";
      return matching::CheckWelfareCertificate(instance, solution);
    case Objective::kFair:
      *what =
          "most mentees matched, then the largest lowest score, then the largest total: "
          "threshold and dual bound checked";
      return matching::CheckFairCertificate(instance, solution);
    case Objective::kStable:
      *what = "stable: no mentee and mentor both prefer each other to their match";
      if (Status s = matching::CheckAssignment(instance, solution); !s.ok()) return s;
      if (!solution.blocking_pairs.empty()) {
        return Status::Internal(std::to_string(solution.blocking_pairs.size()) + " blocking pairs");
      }
      return Status::Ok();
  }
  return Status::Internal("unknown objective");
}

}  // namespace

Result<MatchReport> RunMatching(const std::vector<Person>& people,
                                const matching::MatchConfig& config, const MatchOptions& options) {
  if (Status s = matching::Validate(config); !s.ok()) return s;
  MatchReport report;
  report.objective = config.objective;
  const matching::Scorer scorer(people, config);

  const auto all_pairs = static_cast<std::int64_t>(scorer.mentees().size()) *
                         static_cast<std::int64_t>(scorer.mentors().size());
  const bool scale_path = (config.objective == matching::Objective::kWelfare ||
                           config.objective == matching::Objective::kStable) &&
                          all_pairs > options.scale_path_pairs;
  std::optional<matching::Instance> instance;
  matching::Solution solution;
  std::int64_t pairs_priced = 0;
  auto start = std::chrono::steady_clock::now();
  matching::ScaleOptions scale;
  scale.k = options.scale_candidates;
  scale.progress = options.progress;
  scale.cancel = options.cancel;
  if (scale_path && config.objective == matching::Objective::kStable) {
    auto result = matching::SolveStableAtScale(people, config, scale);
    if (!result.ok()) return result.status();
    report.summary.scoring_seconds = result->seconds_setup + result->seconds_scoring;
    report.summary.solving_seconds = result->seconds_matching + result->seconds_checking;
    solution = std::move(result->solution);
    instance = std::move(result->candidates);
    // solution.blocking_pairs: the check over every pair of the instance
    // (FindBlockingPairsAtScale).
  } else if (scale_path) {
    auto result = matching::SolveWelfareAtScale(people, config, scale);
    if (!result.ok()) return result.status();
    report.summary.scoring_seconds = result->seconds_setup + result->seconds_scoring;
    report.summary.solving_seconds = result->seconds_solving + result->seconds_pricing;
    pairs_priced = result->pairs_priced;
    solution = std::move(result->solution);
    instance = std::move(result->candidates);
  } else {
    instance = scorer.BuildInstance(options.progress, options.cancel);
    if (!instance) return Status::Cancelled("cancelled while scoring");
    report.summary.scoring_seconds = SecondsSince(start);
    start = std::chrono::steady_clock::now();
    matching::SolveOptions solve_options;
    solve_options.objective = config.objective;
    solve_options.progress = options.progress;
    solve_options.cancel = options.cancel;
    solution = matching::Solve(*instance, solve_options);
    if (solution.status == matching::SolveStatus::kCancelled) {
      return Status::Cancelled("cancelled while solving");
    }
    if (solution.status != matching::SolveStatus::kOptimal) {
      return Status::Internal("solver: " + solution.message);
    }
    report.summary.solving_seconds = SecondsSince(start);
  }

  MatchSummary& summary = report.summary;
  if (Status s = Certify(*instance, solution, &summary.certificate); !s.ok()) {
    return Status::Internal("certificate check failed: " + s.message());
  }
  summary.certified = true;
  summary.scale_path = scale_path;
  summary.pairs_priced = pairs_priced;
  if (scale_path && config.objective == matching::Objective::kStable) {
    summary.certificate +=
        " (checked over every pair: each mentee's shortlist, then a bound scan of each row "
        "matched past it or unmatched)";
  } else if (scale_path) {
    summary.certificate += " over the candidate graph; every pruned pair priced against the duals";
  }
  summary.mentees = instance->num_mentees;
  summary.mentors = instance->num_mentors();
  for (std::int32_t c : instance->capacity) summary.places += c;
  summary.eligible_pairs = static_cast<std::int64_t>(instance->edges.size());
  summary.matched = solution.matched;
  summary.total_score = matching::WeightToScore(solution.total_weight);
  summary.lowest_score = matching::WeightToScore(solution.min_weight);
  summary.mean_score = solution.matched > 0 ? summary.total_score / solution.matched : 0.0;

  const auto& mentees = scorer.mentees();
  const auto& mentors = scorer.mentors();
  for (std::int32_t i = 0; i < instance->num_mentees; ++i) {
    const std::int32_t j = solution.mentor_of[static_cast<size_t>(i)];
    if (j < 0) continue;
    const std::int32_t a = mentees[static_cast<size_t>(i)];
    const std::int32_t b = mentors[static_cast<size_t>(j)];
    matching::PairScore ps = scorer.Score(a, b);
    ProposedPair pair;
    pair.mentee = a;
    pair.mentor = b;
    pair.score = ps.score;
    pair.factor = ps.factor;
    pair.skills_for = std::move(ps.skills_for);
    pair.explanation = scorer.Explain(a, b);
    report.pairs.push_back(std::move(pair));
  }
  const std::vector<std::string> reasons =
      scorer.UnmatchedReasons(*instance, solution, scale_path ? options.scale_candidates : 0);
  for (std::int32_t i = 0; i < instance->num_mentees; ++i) {
    if (solution.mentor_of[static_cast<size_t>(i)] >= 0) continue;
    const std::string& reason = reasons[static_cast<size_t>(i)];
    report.unmatched.push_back({mentees[static_cast<size_t>(i)], reason});
    ++summary.unmatched_by_reason[reason.substr(0, reason.find(':'))];
  }
  return report;
}

}  // namespace tandem::program
