#include "program/model_runs.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "matching/scoring.h"

namespace tandem::program {

using matching::Instance;
using matching::SolveOptions;
using matching::SolveStatus;

namespace {

// Weight of "distinct departments and sites in a group" when a program asks for mixed groups:
// one more department or site in a group is worth 0.1 of a pair score.
constexpr double kMixWeight = 0.1;

SolveOptions ToSolveOptions(const MatchOptions& options) {
  SolveOptions s;
  s.progress = options.progress;
  s.cancel = options.cancel;
  return s;
}

Status Finished(SolveStatus status, const std::string& message) {
  if (status == SolveStatus::kCancelled) return Status::Cancelled("cancelled");
  if (status != SolveStatus::kOptimal) return Status::Internal("solver: " + message);
  return Status::Ok();
}

// Interned goal and wanted-skill tags, department and site ids, per person in `who`.
struct Tags {
  std::vector<std::vector<std::int32_t>> tags;
  std::vector<std::int32_t> department;
  std::vector<std::int32_t> site;
};

Tags BuildTags(const std::vector<Person>& people, const std::vector<std::int32_t>& who) {
  std::map<std::string, std::int32_t> ids;
  auto intern = [&ids](const std::string& s) {
    return ids.emplace(s, static_cast<std::int32_t>(ids.size())).first->second;
  };
  Tags t;
  for (std::int32_t p : who) {
    const Person& person = people[static_cast<size_t>(p)];
    std::vector<std::int32_t> tags;
    for (const std::string& g : person.career_goals) tags.push_back(intern("goal:" + g));
    for (const SkillWanted& s : person.skills_wanted) tags.push_back(intern("skill:" + s.skill));
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    t.tags.push_back(std::move(tags));
    t.department.push_back(person.department.empty() ? -1 : intern("dept:" + person.department));
    t.site.push_back(person.site.empty() ? -1 : intern("site:" + person.site));
  }
  return t;
}

// Weight of each eligible pair of an instance, by (mentee, mentor).
std::map<std::pair<std::int32_t, std::int32_t>, matching::Weight> PairWeights(
    const Instance& inst) {
  std::map<std::pair<std::int32_t, std::int32_t>, matching::Weight> weight;
  for (const auto& e : inst.edges) weight[{e.mentee, e.mentor}] = e.weight;
  return weight;
}

// A MatchReport from an assignment (mentor index or -1 per mentee) over `mentees` x `mentors`.
MatchReport FromAssignment(const std::vector<std::int32_t>& mentor_of, const Instance& inst,
                           const std::vector<std::int32_t>& mentees,
                           const std::vector<std::int32_t>& mentors,
                           const std::vector<std::string>& reasons, const char* fallback) {
  MatchReport out;
  auto weight = PairWeights(inst);
  for (size_t i = 0; i < mentor_of.size(); ++i) {
    const std::int32_t j = mentor_of[i];
    if (j < 0) {
      out.unmatched.push_back({mentees[i], i < reasons.size() ? reasons[i] : fallback});
      continue;
    }
    ProposedPair p;
    p.mentee = mentees[i];
    p.mentor = mentors[static_cast<size_t>(j)];
    p.score = matching::WeightToScore(weight[{static_cast<std::int32_t>(i), j}]);
    out.pairs.push_back(std::move(p));
  }
  return out;
}

}  // namespace

MatchReport OutcomeOf(const SpeedReport& report) {
  MatchReport out;
  const auto& r = report.result;
  std::vector<double> sum(report.mentees.size(), 0.0);
  std::vector<int> count(report.mentees.size(), 0);
  std::vector<std::int32_t> some_mentor(report.mentees.size(), -1);
  for (const auto& m : r.meetings) {
    sum[static_cast<size_t>(m.mentee)] += matching::WeightToScore(m.weight);
    ++count[static_cast<size_t>(m.mentee)];
    some_mentor[static_cast<size_t>(m.mentee)] = report.mentors[static_cast<size_t>(m.mentor)];
  }
  for (size_t i = 0; i < report.mentees.size(); ++i) {
    if (count[i] == 0) {
      out.unmatched.push_back({report.mentees[i], "no meeting"});
      continue;
    }
    ProposedPair p;
    p.mentee = report.mentees[i];
    p.mentor = some_mentor[i];
    p.score = sum[i] / count[i];
    out.pairs.push_back(std::move(p));
  }
  return out;
}

MatchReport OutcomeOf(const RotationReport& report, int round) {
  const auto& rr = report.result.rounds[static_cast<size_t>(round)];
  return FromAssignment(rr.solution.mentor_of, report.problem.instance, report.mentees,
                        report.mentors, rr.unmatched_reason, "");
}

MatchReport OutcomeOf(const PeerReport& report) {
  MatchReport out;
  std::map<std::pair<std::int32_t, std::int32_t>, matching::Weight> weight;
  for (const auto& e : report.instance.edges) weight[{e.a, e.b}] = e.weight;
  const auto& partner = report.solution.partner;
  for (size_t v = 0; v < partner.size(); ++v) {
    const std::int32_t w = partner[v];
    if (w < 0) {
      out.unmatched.push_back({report.pool[v], "unpaired"});
      continue;
    }
    const auto a = std::min(static_cast<std::int32_t>(v), w);
    const auto b = std::max(static_cast<std::int32_t>(v), w);
    ProposedPair p;
    p.mentee = report.pool[v];
    p.mentor = report.pool[static_cast<size_t>(w)];
    p.score = matching::WeightToScore(weight[{a, b}]);
    out.pairs.push_back(std::move(p));
  }
  return out;
}

MatchReport OutcomeOf(const GroupReport& report) {
  return FromAssignment(report.result.mentor_of, report.problem.instance, report.mentees,
                        report.mentors, {}, "not placed in a group");
}

matching::MatchConfig PeerConfig(matching::MatchConfig config) {
  config.min_seniority_gap = -matching::kMaxSeniorityGap;
  config.weights[static_cast<size_t>(matching::Criterion::kSeniority)] = 0;
  config.weights[static_cast<size_t>(matching::Criterion::kMenteeChoice)] = 0;
  return config;
}

Result<SpeedReport> RunSpeedMentoring(const std::vector<Person>& people,
                                      const matching::MatchConfig& config, int slots,
                                      const MatchOptions& options) {
  if (slots < 1 || slots > 64) return Status::Invalid("--slots: must be between 1 and 64");
  const matching::Scorer scorer(people, config);
  std::optional<Instance> instance = scorer.BuildInstance(options.progress, options.cancel);
  if (!instance) return Status::Cancelled("cancelled while scoring");
  SpeedReport report;
  report.mentees = scorer.mentees();
  report.mentors = scorer.mentors();
  report.problem.instance = std::move(*instance);
  report.problem.slots = slots;
  report.result = matching::SolveSpeed(report.problem, ToSolveOptions(options));
  if (Status s = Finished(report.result.status, report.result.message); !s.ok()) return s;
  if (Status s = matching::CheckSpeedSelection(report.problem, report.result); !s.ok()) {
    return Status::Internal("speed selection check failed: " + s.message());
  }
  if (Status s = matching::CheckSpeedTimetable(report.problem, report.result); !s.ok()) {
    return Status::Internal("timetable check failed: " + s.message());
  }
  return report;
}

Result<RotationReport> RunRotation(const std::vector<Person>& people,
                                   const matching::MatchConfig& config, int rounds,
                                   const std::vector<std::pair<std::string, std::string>>& history,
                                   const MatchOptions& options) {
  if (rounds < 1 || rounds > 52) return Status::Invalid("--rounds: must be between 1 and 52");
  const matching::Scorer scorer(people, config);
  std::optional<Instance> instance = scorer.BuildInstance(options.progress, options.cancel);
  if (!instance) return Status::Cancelled("cancelled while scoring");
  RotationReport report;
  report.mentees = scorer.mentees();
  report.mentors = scorer.mentors();
  std::map<std::string, std::int32_t> mentee_index;
  std::map<std::string, std::int32_t> mentor_index;
  for (size_t i = 0; i < report.mentees.size(); ++i) {
    mentee_index[people[static_cast<size_t>(report.mentees[i])].id] = static_cast<std::int32_t>(i);
  }
  for (size_t j = 0; j < report.mentors.size(); ++j) {
    mentor_index[people[static_cast<size_t>(report.mentors[j])].id] = static_cast<std::int32_t>(j);
  }
  for (const auto& [mentee, mentor] : history) {
    auto a = mentee_index.find(mentee);
    auto b = mentor_index.find(mentor);
    if (a == mentee_index.end() || b == mentor_index.end()) {
      ++report.history_pairs_unknown;
      continue;
    }
    report.problem.history.emplace_back(a->second, b->second);
  }
  report.problem.instance = std::move(*instance);
  report.problem.rounds = rounds;
  report.result = matching::SolveRotation(report.problem, ToSolveOptions(options));
  if (Status s = Finished(report.result.status, report.result.message); !s.ok()) return s;
  if (Status s = matching::CheckRotation(report.problem, report.result); !s.ok()) {
    return Status::Internal("rotation check failed: " + s.message());
  }
  return report;
}

Result<PeerReport> RunPeer(const std::vector<Person>& people, const matching::MatchConfig& config,
                           const PeerRunOptions& peer, const MatchOptions& options) {
  const matching::MatchConfig peer_config = PeerConfig(config);
  const matching::Scorer scorer(people, peer_config);
  PeerReport report;
  const auto n = static_cast<std::int32_t>(people.size());
  for (std::int32_t p = 0; p < n; ++p) report.pool.push_back(p);
  report.instance.num_people = n;
  auto eligible = [&](std::int32_t a, std::int32_t b) {
    const matching::Exclusion e = scorer.Check(a, b);
    return e == matching::Exclusion::kNone || e == matching::Exclusion::kNoCapacity;
  };
  for (std::int32_t a = 0; a < n; ++a) {
    if (options.cancel != nullptr && options.cancel->load()) return Status::Cancelled("cancelled");
    if (options.progress && a % 64 == 0) options.progress("scoring", static_cast<double>(a) / n);
    report.instance.labels.push_back(people[static_cast<size_t>(a)].id);
    for (std::int32_t b = a + 1; b < n; ++b) {
      if (std::abs(people[static_cast<size_t>(a)].seniority -
                   people[static_cast<size_t>(b)].seniority) > peer.max_level_gap) {
        continue;
      }
      if (!eligible(a, b) || !eligible(b, a)) continue;
      const double score = (scorer.Score(a, b).score + scorer.Score(b, a).score) / 2.0;
      report.instance.edges.push_back({a, b, matching::ScoreToWeight(score)});
    }
  }
  matching::PeerOptions peer_options;
  peer_options.allow_trio = peer.allow_trio;
  report.solution =
      peer.stable
          ? matching::SolveStableRoommates(report.instance, ToSolveOptions(options), peer_options)
          : matching::SolveMaxWeightPeer(report.instance, ToSolveOptions(options), peer_options);
  if (Status s = Finished(report.solution.status, report.solution.message); !s.ok()) return s;
  if (Status s = matching::CheckPeerPairing(report.instance, report.solution); !s.ok()) {
    return Status::Internal("peer pairing check failed: " + s.message());
  }
  if (report.solution.method == matching::PeerMethod::kMaxWeightMatching) {
    if (Status s = matching::CheckPeerCertificate(report.instance, report.solution); !s.ok()) {
      return Status::Internal("peer certificate check failed: " + s.message());
    }
  }
  return report;
}

Result<GroupReport> RunGroups(const std::vector<Person>& people,
                              const matching::MatchConfig& config, int min_size, bool mix,
                              const MatchOptions& options) {
  if (min_size < 1) return Status::Invalid("--group-min: must be at least 1");
  const matching::Scorer scorer(people, config);
  std::optional<Instance> instance = scorer.BuildInstance(options.progress, options.cancel);
  if (!instance) return Status::Cancelled("cancelled while scoring");
  GroupReport report;
  report.mentees = scorer.mentees();
  report.mentors = scorer.mentors();
  Tags tags = BuildTags(people, report.mentees);
  report.problem.instance = std::move(*instance);
  report.problem.min_size = min_size;
  report.problem.mentee_tags = std::move(tags.tags);
  report.problem.mentee_department = std::move(tags.department);
  report.problem.mentee_site = std::move(tags.site);
  if (mix) report.problem.weights.diversity = kMixWeight;
  report.result = matching::SolveGroups(report.problem, ToSolveOptions(options));
  if (Status s = Finished(report.result.status, report.result.message); !s.ok()) return s;
  if (Status s = matching::CheckGroups(report.problem, report.result); !s.ok()) {
    return Status::Internal("group check failed: " + s.message());
  }
  return report;
}

Result<CircleReport> RunCircles(const std::vector<Person>& people, int size, bool mix,
                                const MatchOptions& options) {
  if (size < 2 || size > 50) return Status::Invalid("--circle-size: must be between 2 and 50");
  CircleReport report;
  for (std::int32_t p = 0; p < static_cast<std::int32_t>(people.size()); ++p) {
    report.pool.push_back(p);
  }
  Tags tags = BuildTags(people, report.pool);
  report.problem.num_people = static_cast<std::int32_t>(people.size());
  report.problem.circle_size = size;
  report.problem.tags = std::move(tags.tags);
  report.problem.department = std::move(tags.department);
  report.problem.site = std::move(tags.site);
  if (mix) report.problem.weights.diversity = kMixWeight;
  report.result = matching::SolveCircles(report.problem, ToSolveOptions(options));
  if (Status s = Finished(report.result.status, report.result.message); !s.ok()) return s;
  if (Status s = matching::CheckCircles(report.problem, report.result); !s.ok()) {
    return Status::Internal("circle check failed: " + s.message());
  }
  return report;
}

}  // namespace tandem::program
