#include "jobs/worker.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "analytics/fairness_audit.h"
#include "io/config_json.h"
#include "io/match_output.h"
#include "io/people_export.h"
#include "matching/scoring.h"
#include "program/match_run.h"
#include "program/model_runs.h"

namespace tandem::jobs {
namespace {

using json = nlohmann::json;

// Every person of the organization, in employee id order.
Result<std::vector<Person>> LoadPeople(store::Store& store, store::OrganizationId org) {
  std::vector<Person> people;
  std::string cursor;
  for (;;) {
    Result<store::PeoplePage> page = store.ListPeople(org, cursor, store::kMaxPageSize);
    if (!page.ok()) return page.status();
    for (Person& p : page->people) people.push_back(std::move(p));
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  return people;
}

// The structural models' options, from the program's details ("model_options").
struct ModelOptions {
  int slots = 6;
  int rounds = 4;
  int group_min = 2;
  int circle_size = 4;
  bool mix = false;
};

ModelOptions ReadModelOptions(store::Store& store, store::ProgramId program) {
  ModelOptions o;
  Result<std::string> details = store.GetProgramDetails(program);
  if (!details.ok()) return o;
  const json d = json::parse(*details, nullptr, false);
  if (!d.is_object() || !d.contains("model_options") || !d["model_options"].is_object()) return o;
  const json& m = d["model_options"];
  o.slots = m.value("slots", o.slots);
  o.rounds = m.value("rounds", o.rounds);
  o.group_min = m.value("group_min", o.group_min);
  o.circle_size = m.value("circle_size", o.circle_size);
  o.mix = m.value("mix", o.mix);
  return o;
}

bool IsStructural(const std::string& model) {
  return model == "speed" || model == "rotation" || model == "peer" || model == "group" ||
         model == "circle";
}

// Runs a structural model and fills the run's pairs, each with its slot (speed), round
// (rotation), group (the mentor's index among the mentors) or circle; peers are pairs.
Status RunStructural(const std::string& model, const std::vector<Person>& people,
                     const matching::MatchConfig& config, const ModelOptions& o,
                     const program::MatchOptions& options, store::NewMatchRun* run, json* summary) {
  const matching::Scorer scorer(people, config);
  auto pair = [&](std::int32_t mentee, std::int32_t mentor, int slot) {
    store::RunPair& p = run->pairs.emplace_back();
    p.mentee_id = people[static_cast<size_t>(mentee)].id;
    p.mentor_id = people[static_cast<size_t>(mentor)].id;
    const matching::PairScore score = scorer.Score(mentee, mentor);
    p.score = score.score;
    p.factors.assign(score.factor.begin(), score.factor.end());
    p.skills_for = score.skills_for;
    p.explanation = scorer.Explain(mentee, mentor);
    p.slot = slot;
  };
  if (model == "speed") {
    Result<program::SpeedReport> r = program::RunSpeedMentoring(people, config, o.slots, options);
    if (!r.ok()) return r.status();
    for (const matching::Meeting& m : r->result.meetings) {
      pair(r->mentees[static_cast<size_t>(m.mentee)], r->mentors[static_cast<size_t>(m.mentor)],
           m.slot);
    }
    *summary = {{"model", model},
                {"slots", o.slots},
                {"meetings", r->result.num_meetings},
                {"mentees", r->mentees.size()},
                {"mentors", r->mentors.size()}};
  } else if (model == "rotation") {
    Result<program::RotationReport> r = program::RunRotation(people, config, o.rounds, {}, options);
    if (!r.ok()) return r.status();
    std::int64_t pairs = 0;
    for (size_t round = 0; round < r->result.rounds.size(); ++round) {
      const auto& mentor_of = r->result.rounds[round].solution.mentor_of;
      for (size_t i = 0; i < mentor_of.size(); ++i) {
        if (mentor_of[i] < 0) continue;
        pair(r->mentees[i], r->mentors[static_cast<size_t>(mentor_of[i])], static_cast<int>(round));
        ++pairs;
      }
    }
    *summary = {{"model", model},
                {"rounds", o.rounds},
                {"pairs", pairs},
                {"mentees", r->mentees.size()},
                {"mentors", r->mentors.size()}};
  } else if (model == "peer") {
    program::PeerRunOptions peer;  // pairs only: an odd person out stays unpaired
    Result<program::PeerReport> r =
        program::RunPeer(people, program::PeerConfig(config), peer, options);
    if (!r.ok()) return r.status();
    for (size_t a = 0; a < r->solution.partner.size(); ++a) {
      const std::int32_t b = r->solution.partner[a];
      if (b < 0 || static_cast<size_t>(b) < a) continue;
      pair(r->pool[a], r->pool[static_cast<size_t>(b)], -1);
    }
    *summary = {{"model", model},
                {"pairs", r->solution.matched_pairs},
                {"people", r->pool.size()},
                {"unpaired", r->solution.unpaired.size()}};
  } else if (model == "group") {
    Result<program::GroupReport> r =
        program::RunGroups(people, config, o.group_min, o.mix, options);
    if (!r.ok()) return r.status();
    int groups = 0;
    for (size_t j = 0; j < r->result.members.size(); ++j) {
      if (!r->result.members[j].empty()) ++groups;
      for (std::int32_t i : r->result.members[j]) {
        pair(r->mentees[static_cast<size_t>(i)], r->mentors[j], static_cast<int>(j));
      }
    }
    *summary = {{"model", model},
                {"groups", groups},
                {"placed", r->result.placed},
                {"mentees", r->mentees.size()},
                {"mentors", r->mentors.size()}};
  } else {  // circle
    Result<program::CircleReport> r = program::RunCircles(people, o.circle_size, o.mix, options);
    if (!r.ok()) return r.status();
    for (size_t c = 0; c < r->result.circles.size(); ++c) {
      for (std::int32_t v : r->result.circles[c]) {
        store::RunPair& p = run->pairs.emplace_back();
        p.mentee_id = people[static_cast<size_t>(r->pool[static_cast<size_t>(v)])].id;
        p.score = 1;
        p.explanation = "peer circle " + std::to_string(c + 1) + " of " +
                        std::to_string(r->result.circles[c].size());
        p.slot = static_cast<int>(c);
      }
    }
    *summary = {{"model", model},
                {"circles", r->result.circles.size()},
                {"circle_size", o.circle_size},
                {"people", r->pool.size()}};
  }
  summary->emplace("matched", run->pairs.size());
  return Status::Ok();
}

// `cancel` is this job's flag, raised when a person asks to cancel it; `stop` is the worker's,
// raised when the server shuts down.
Status RunMatchJob(store::Store& store, const store::Job& job, std::atomic<bool>* cancel,
                   const std::atomic<bool>* stop) {
  Result<store::Program> program = store.GetProgram(job.program);
  if (!program.ok()) return program.status();
  Result<matching::MatchConfig> config = io::ParseConfigJson(program->config_json, "program");
  if (!config.ok()) return config.status();
  (void)store.UpdateJobProgress(job.id, 0, "loading people");
  Result<std::vector<Person>> people = LoadPeople(store, program->organization);
  if (!people.ok()) return people.status();
  if (people->empty()) return Status::Invalid("the organization has no people yet; import them");
  // A program that took applications matches its approved applicants, each on the side they
  // applied for; one without applications matches the whole organization as imported.
  Result<std::vector<store::Application>> approved =
      store.ListApplications(program->id, store::ApplicationStatus::kApproved);
  if (!approved.ok()) return approved.status();
  if (!approved->empty()) {
    std::map<std::string, std::string> side;
    for (const store::Application& a : *approved) side[a.employee_id] = a.role;
    std::vector<Person> enrolled;
    for (Person& p : *people) {
      auto it = side.find(p.id);
      if (it == side.end()) continue;
      if (it->second == "mentor") {
        p.role = ProgramRole::kMentor;
        p.mentor_capacity = std::max(1, p.mentor_capacity);
      } else {
        p.role = ProgramRole::kMentee;
        p.mentor_capacity = 0;
      }
      enrolled.push_back(std::move(p));
    }
    *people = std::move(enrolled);
  }

  if (IsStructural(program->model)) {
    (void)store.UpdateJobProgress(job.id, 0.05, program->model.c_str());
    program::MatchOptions structural_options;
    structural_options.cancel = cancel;
    store::NewMatchRun run;
    run.config_json = program->config_json;
    run.input_snapshot_json =
        json{{"format", "people_csv"}, {"people_csv", io::PeopleToCsv(*people)}}.dump();
    json summary;
    if (Status st =
            RunStructural(program->model, *people, *config, ReadModelOptions(store, program->id),
                          structural_options, &run, &summary);
        !st.ok()) {
      return st;
    }
    run.summary_json = summary.dump();
    Result<store::MatchRunId> id = store.SaveMatchRun(program->id, run);
    if (!id.ok()) return id.status();
    return store.FinishJob(
        job.id, store::JobState::kSucceeded,
        json{{"run_id", id->value}, {"model", program->model}, {"matched", run.pairs.size()}}
            .dump(),
        "");
  }

  // A re-match of an active program pairs only the people left without a partner: mentees with
  // an open relationship in the program stay out, and each mentor offers the places their open
  // relationships leave.
  const bool rematch = program->status == store::ProgramStatus::kActive;
  if (rematch) {
    Result<std::vector<store::Relationship>> open = store.ListRelationships(program->id);
    if (!open.ok()) return open.status();
    std::set<std::string> partnered;
    std::map<std::string, int> places_taken;
    for (const store::Relationship& r : *open) {
      if (r.status == store::RelationshipStatus::kEnded) continue;
      partnered.insert(r.mentee_id);
      ++places_taken[r.mentor_id];
    }
    std::vector<Person> left;
    for (Person& p : *people) {
      if (partnered.count(p.id) && p.role != ProgramRole::kMentor) continue;
      if (auto it = places_taken.find(p.id); it != places_taken.end()) {
        p.mentor_capacity = std::max(0, p.mentor_capacity - it->second);
      }
      left.push_back(std::move(p));
    }
    *people = std::move(left);
  }

  // A re-run around locked pairs: the committee's locked pairs of an earlier run are kept as they
  // are, their mentees leave the pool and their mentors offer one place less each.
  std::vector<store::RunPair> kept;
  std::vector<Person> everyone;  // the input as loaded, for the run's snapshot
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_discarded() && payload.contains("keep_locked_from")) {
    const store::MatchRunId from{payload["keep_locked_from"].get<std::int64_t>()};
    Result<store::RunReview> review = store.GetRunReview(from);
    if (!review.ok()) return review.status();
    Result<store::MatchRun> earlier = store.GetMatchRun(from);
    if (!earlier.ok()) return earlier.status();
    std::map<std::string, int> taken;  // mentor id -> locked pairs
    std::set<std::string> locked(review->locked_mentees.begin(), review->locked_mentees.end());
    for (const store::RunPair& p : earlier->pairs) {
      if (locked.count(p.mentee_id)) {
        kept.push_back(p);
        ++taken[p.mentor_id];
      }
    }
    everyone = *people;
    std::vector<Person> pool;
    for (Person& p : *people) {
      if (locked.count(p.id)) continue;
      if (auto it = taken.find(p.id); it != taken.end()) {
        p.mentor_capacity = std::max(0, p.mentor_capacity - it->second);
      }
      pool.push_back(std::move(p));
    }
    *people = std::move(pool);
  }

  // Progress goes to the store at most every 250 ms; a cancel request seen there stops the run.
  auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  program::MatchOptions options;
  options.cancel = cancel;
  // Phases report 0..1 each; the job shows one bar over all of them, never going back.
  double shown = 0;
  options.progress = [&](const char* phase, double fraction) {
    if (stop != nullptr && stop->load()) cancel->store(true);
    const std::string_view p(phase);
    double from = 0.9, to = 0.95;  // anything else: the last stretch
    if (p == "scoring" || p == "candidates") {
      from = 0.0, to = 0.6;
    } else if (p == "assigning" || p == "solving") {
      from = 0.6, to = 0.9;
    }
    shown = std::max(shown, from + (to - from) * std::clamp(fraction, 0.0, 1.0));
    const auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(250)) return;
    last = now;
    Result<bool> cancel_requested = store.UpdateJobProgress(job.id, shown, phase);
    if (cancel_requested.ok() && *cancel_requested) cancel->store(true);
  };
  Result<program::MatchReport> report = program::RunMatching(*people, *config, options);
  if (!report.ok()) return report.status();
  (void)store.UpdateJobProgress(job.id, 0.96, "saving");

  const analytics::FairnessAudit audit = analytics::AuditRun(*report, *people);
  json full = json::parse(io::MatchReportToJson(*report, *people, &audit));
  json summary = full["summary"];
  summary["fairness"] = full["fairness"];
  if (!kept.empty()) {
    summary["kept_locked_pairs"] = kept.size();
    summary["matched"] =
        summary["matched"].get<std::int64_t>() + static_cast<std::int64_t>(kept.size());
    summary["mentees"] =
        summary["mentees"].get<std::int64_t>() + static_cast<std::int64_t>(kept.size());
  }
  store::NewMatchRun run;
  run.rematch = rematch;
  run.config_json = program->config_json;
  const std::vector<Person>& snapshot = everyone.empty() ? *people : everyone;
  run.input_snapshot_json =
      json{{"format", "people_csv"}, {"people_csv", io::PeopleToCsv(snapshot)}}.dump();
  run.summary_json = summary.dump();
  for (const store::RunPair& p : kept) run.pairs.push_back(p);
  for (const program::ProposedPair& p : report->pairs) {
    store::RunPair& pair = run.pairs.emplace_back();
    pair.mentee_id = (*people)[static_cast<size_t>(p.mentee)].id;
    pair.mentor_id = (*people)[static_cast<size_t>(p.mentor)].id;
    pair.score = p.score;
    pair.factors.assign(p.factor.begin(), p.factor.end());
    pair.skills_for = p.skills_for;
    pair.explanation = p.explanation;
  }
  for (const program::UnmatchedMentee& u : report->unmatched) {
    run.unmatched.push_back({(*people)[static_cast<size_t>(u.mentee)].id, u.reason});
  }
  Result<store::MatchRunId> id = store.SaveMatchRun(program->id, run);
  if (!id.ok()) return id.status();
  const json result = {{"run_id", id->value},
                       {"rematch", rematch},
                       {"matched", summary["matched"]},
                       {"mentees", summary["mentees"]},
                       {"kept_locked_pairs", kept.size()}};
  return store.FinishJob(job.id, store::JobState::kSucceeded, result.dump(), "");
}

Status RunJobWithFlags(store::Store& store, const store::Job& job, const std::atomic<bool>* stop) {
  std::atomic<bool> cancel{false};
  Status s = job.kind == "match" ? RunMatchJob(store, job, &cancel, stop)
                                 : Status::Invalid("unknown job kind: " + job.kind);
  if (s.ok()) return s;
  if (s.code() == StatusCode::kCancelled) {
    return store.FinishJob(job.id, store::JobState::kCancelled, "", "cancelled");
  }
  // Bad input is the user's to fix and is shown to them; anything else is logged as well.
  if (s.code() != StatusCode::kInvalidArgument) {
    std::fprintf(stderr, "job %lld failed: %s\n", static_cast<long long>(job.id.value),
                 s.ToString().c_str());
  }
  return store.FinishJob(job.id, store::JobState::kFailed, "", s.message());
}

}  // namespace

Status RunJob(store::Store& store, const store::Job& job) {
  return RunJobWithFlags(store, job, nullptr);
}

constexpr int kStaleSeconds = 120;
constexpr const char* kStoppedMessage =
    "the server running this job stopped before it finished; start the run again";

struct Worker::Impl {
  Impl(store::Store& s, WorkerOptions o) : store(s), options(std::move(o)) {}

  // Jobs left running by a dead worker: those of this host whose process is gone fail at once;
  // those of other hosts once they have not reported progress for kStaleSeconds (a running job
  // reports whenever the engine does, at most every quarter second). Checked at start and then
  // every 30 s.
  void Recover() {
    Result<std::vector<store::Job>> running = store.ListRunningJobs();
    if (running.ok()) {
      const std::string host = options.worker_id.substr(0, options.worker_id.rfind(':') + 1);
      for (const store::Job& j : *running) {
        if (j.claimed_by.rfind(host, 0) != 0 || j.claimed_by == options.worker_id) continue;
        const long pid = std::strtol(j.claimed_by.c_str() + host.size(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
          (void)store.FinishJob(j.id, store::JobState::kFailed, "", kStoppedMessage);
        }
      }
    }
    (void)store.FailStaleJobs(kStaleSeconds, kStoppedMessage);
  }

  void Loop() {
    std::unique_lock lock(mu);
    while (!stopping) {
      const bool due = !recovered_once ||
                       std::chrono::steady_clock::now() - last_recovery >= std::chrono::seconds(30);
      if (due) {
        recovered_once = true;
        last_recovery = std::chrono::steady_clock::now();
        lock.unlock();
        Recover();
        lock.lock();
      }
      lock.unlock();
      Result<std::optional<store::Job>> job = store.ClaimNextJob(options.worker_id);
      lock.lock();
      if (!job.ok()) {
        std::fprintf(stderr, "job worker: %s\n", job.status().ToString().c_str());
      } else if (job->has_value()) {
        lock.unlock();
        Status s = RunJobWithFlags(store, **job, &stop);
        if (!s.ok()) {
          std::fprintf(stderr, "job worker: finishing job: %s\n", s.ToString().c_str());
        }
        lock.lock();
        continue;  // there may be more
      }
      woken = false;
      wake.wait_for(lock, std::chrono::milliseconds(options.poll_milliseconds),
                    [this] { return stopping || woken; });
    }
  }

  store::Store& store;
  WorkerOptions options;
  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  bool woken = false;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  bool recovered_once = false;  // guarded by mu
  std::chrono::steady_clock::time_point last_recovery;
};

Worker::Worker(store::Store& store, WorkerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}

Worker::~Worker() { Stop(); }

void Worker::Start() {
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->Loop(); });
  }
}

void Worker::Wake() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->woken = true;
  }
  impl_->wake.notify_all();
}

void Worker::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping && impl_->threads.empty()) return;
    impl_->stopping = true;
  }
  impl_->stop.store(true);  // a running job ends as cancelled, to be started again by a person
  impl_->wake.notify_all();
  for (std::thread& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace tandem::jobs
