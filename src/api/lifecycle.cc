// Committee review of a run, publishing, and the relationships that follow: status, goals,
// meetings (with calendar invitations) and feedback. Who may do what:
//   review (read, lock, comment, swap, approve): the program's coordinators and committee;
//   publish: the program's coordinators;
//   a relationship's page, goals and meetings: its mentee and mentor, and the program's
//     coordinators (who read meetings without their notes and never see single feedback);
//   writing goals, meetings and feedback: the mentee and the mentor only;
//   feedback aggregates: the program's coordinators and executives, and only from 3 answers on.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "api/internal.h"
#include "io/config_json.h"
#include "io/ical.h"
#include "io/people_import.h"
#include "matching/scoring.h"

namespace tandem::api::internal {
namespace {

using Handler = std::function<http::Response(Context&)>;

// Feedback aggregates are shown only from this many answers on, so no single answer can be read
// out of them.
constexpr std::int64_t kMinFeedbackForAggregate = 3;

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool IsParticipant(const Principal& who, const store::Relationship& r) {
  const std::string& me = who.account.employee_id;
  return !me.empty() && (me == r.mentee_id || me == r.mentor_id);
}

json RelationshipJson(const store::Relationship& r) {
  return {{"id", r.id.value},
          {"program_id", r.program.value},
          {"run_id", r.run.value},
          {"mentee_id", r.mentee_id},
          {"mentor_id", r.mentor_id},
          {"status", store::RelationshipStatusName(r.status)},
          {"started_at", r.started_at},
          {"ended_at", r.ended_at.empty() ? json(nullptr) : json(r.ended_at)},
          {"end_reason", r.end_reason.empty() ? json(nullptr) : json(r.end_reason)}};
}

json GoalJson(const store::Goal& g) {
  json milestones = json::array();
  for (const store::Milestone& m : g.milestones) {
    milestones.push_back({{"title", m.title}, {"done", m.done}});
  }
  return {{"id", g.id.value},
          {"relationship_id", g.relationship.value},
          {"title", g.title},
          {"owner_id", g.owner_id},
          {"due_date", g.due_date.empty() ? json(nullptr) : json(g.due_date)},
          {"progress", g.progress},
          {"milestones", std::move(milestones)},
          {"created_at", g.created_at},
          {"updated_at", g.updated_at}};
}

json MeetingJson(const store::Meeting& m, bool with_notes) {
  json out = {{"id", m.id.value},
              {"relationship_id", m.relationship.value},
              {"starts_at", m.starts_at},
              {"duration_minutes", m.duration_minutes},
              {"location", m.location},
              {"agenda", m.agenda},
              {"status", store::MeetingStatusName(m.status)},
              {"invite_url", "/api/v1/meetings/" + std::to_string(m.id.value) + "/invite.ics"}};
  if (with_notes) out["notes"] = m.notes;
  return out;
}

json ReviewJson(const store::RunReview& r) {
  json comments = json::array();
  for (const store::ReviewComment& c : r.comments) {
    comments.push_back({{"id", c.id},
                        {"mentee_id", c.mentee_id.empty() ? json(nullptr) : json(c.mentee_id)},
                        {"author_account_id", c.author.value},
                        {"text", c.text},
                        {"at", c.at}});
  }
  json approvals = json::array();
  for (store::AccountId a : r.approvals) approvals.push_back(a.value);
  return {{"locked_mentees", r.locked_mentees},
          {"comments", std::move(comments)},
          {"approved_by", std::move(approvals)},
          {"published_at", r.published_at.empty() ? json(nullptr) : json(r.published_at)}};
}

class Lifecycle {
 public:
  explicit Lifecycle(Services& services) : s_(services), store_(services.store) {}

  void Register(const RouteAdder& add) {
    add("GET", "/api/v1/runs/{run_id}/review", Bind(this, &Lifecycle::GetReview));
    add("GET", "/api/v1/runs/{run_id}/compare", Bind(this, &Lifecycle::Compare));
    add("POST", "/api/v1/runs/{run_id}/locks", Bind(this, &Lifecycle::Lock));
    add("POST", "/api/v1/runs/{run_id}/comments", Bind(this, &Lifecycle::Comment));
    add("POST", "/api/v1/runs/{run_id}/swap", Bind(this, &Lifecycle::Swap));
    add("POST", "/api/v1/runs/{run_id}/approve", Bind(this, &Lifecycle::Approve));
    add("POST", "/api/v1/runs/{run_id}/publish", Bind(this, &Lifecycle::Publish));
    add("GET", "/api/v1/programs/{program_id}/relationships",
        Bind(this, &Lifecycle::ProgramRelationships));
    add("GET", "/api/v1/programs/{program_id}/feedback", Bind(this, &Lifecycle::FeedbackSummary));
    add("GET", "/api/v1/programs/{program_id}/dashboard", Bind(this, &Lifecycle::Dashboard));
    add("GET", "/api/v1/me/relationships", Bind(this, &Lifecycle::MyRelationships));
    add("GET", "/api/v1/relationships/{relationship_id}", Bind(this, &Lifecycle::GetRelationship));
    add("POST", "/api/v1/relationships/{relationship_id}/status",
        Bind(this, &Lifecycle::SetStatus));
    add("GET", "/api/v1/relationships/{relationship_id}/goals", Bind(this, &Lifecycle::ListGoals));
    add("POST", "/api/v1/relationships/{relationship_id}/goals",
        Bind(this, &Lifecycle::CreateGoal));
    add("PATCH", "/api/v1/goals/{goal_id}", Bind(this, &Lifecycle::UpdateGoal));
    add("GET", "/api/v1/relationships/{relationship_id}/meetings",
        Bind(this, &Lifecycle::ListMeetings));
    add("POST", "/api/v1/relationships/{relationship_id}/meetings",
        Bind(this, &Lifecycle::ScheduleMeeting));
    add("PATCH", "/api/v1/meetings/{meeting_id}", Bind(this, &Lifecycle::UpdateMeeting));
    add("GET", "/api/v1/meetings/{meeting_id}/invite.ics", Bind(this, &Lifecycle::Invite));
    add("POST", "/api/v1/meetings/{meeting_id}/feedback", Bind(this, &Lifecycle::GiveFeedback));
  }

 private:
  struct RunAndProgram {
    store::MatchRun run;
    store::Program program;
  };

  // A run of the caller's organization that the caller may review (coordinators, committee).
  std::optional<RunAndProgram> LoadRun(const Context& ctx, http::Response* error,
                                       bool coordinate = false) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("run_id"));
    Result<store::MatchRun> run = id ? store_.GetMatchRun(store::MatchRunId{*id})
                                     : Result<store::MatchRun>(Status::NotFound(""));
    if (!run.ok()) {
      *error = NotFound("run " + ctx.param("run_id"));
      return std::nullopt;
    }
    Result<store::Program> program = store_.GetProgram(run->program);
    if (!program.ok() || !(program->organization == ctx.org())) {
      *error = NotFound("run " + ctx.param("run_id"));
      return std::nullopt;
    }
    const bool allowed =
        coordinate ? ctx.who().CanCoordinate(program->id) : ctx.who().CanReview(program->id);
    if (!allowed) {
      *error = Forbidden();
      return std::nullopt;
    }
    return RunAndProgram{std::move(run).value(), std::move(program).value()};
  }

  std::optional<store::Program> LoadProgram(const Context& ctx, http::Response* error) {
    return ProgramParam(store_, ctx, error);
  }

  enum class Access { kRead, kWrite };

  // A relationship the caller takes part in (read and write) or coordinates (read).
  std::optional<store::Relationship> LoadRelationship(const Context& ctx, store::RelationshipId id,
                                                      Access access, http::Response* error) {
    Result<store::Relationship> r = store_.GetRelationship(id);
    Result<store::Program> program =
        r.ok() ? store_.GetProgram(r->program) : Result<store::Program>(r.status());
    if (!r.ok() || !program.ok() || !(program->organization == ctx.org())) {
      *error = NotFound("relationship " + std::to_string(id.value));
      return std::nullopt;
    }
    const bool participant = IsParticipant(ctx.who(), *r);
    const bool coordinator = ctx.who().CanCoordinate(r->program);
    if (!participant && !(access == Access::kRead && coordinator)) {
      *error = Forbidden(participant || coordinator ? "only the mentee and the mentor write here"
                                                    : "this relationship is not yours");
      return std::nullopt;
    }
    return std::move(r).value();
  }

  std::optional<store::Relationship> RelationshipParam(const Context& ctx, Access access,
                                                       http::Response* error) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("relationship_id"));
    if (!id) {
      *error = NotFound("relationship " + ctx.param("relationship_id"));
      return std::nullopt;
    }
    return LoadRelationship(ctx, store::RelationshipId{*id}, access, error);
  }

  // The meeting and its relationship, for a participant (or a coordinator when reading).
  std::optional<std::pair<store::Meeting, store::Relationship>> LoadMeeting(const Context& ctx,
                                                                            Access access,
                                                                            http::Response* error) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("meeting_id"));
    Result<store::Meeting> m = id ? store_.GetMeeting(store::MeetingId{*id})
                                  : Result<store::Meeting>(Status::NotFound(""));
    if (!m.ok()) {
      *error = NotFound("meeting " + ctx.param("meeting_id"));
      return std::nullopt;
    }
    std::optional<store::Relationship> r = LoadRelationship(ctx, m->relationship, access, error);
    if (!r) return std::nullopt;
    return std::make_pair(std::move(m).value(), std::move(*r));
  }

  http::Response GetReview(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> rp = LoadRun(ctx, &error);
    if (!rp) return error;
    Result<store::RunReview> review = store_.GetRunReview(rp->run.id);
    if (!review.ok()) return FromStatus(review.status());
    return JsonResponse(200, ReviewJson(*review));
  }

  // What-if: this run against another run of the same program (?with=<run id>).
  http::Response Compare(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> a = LoadRun(ctx, &error);
    if (!a) return error;
    const std::optional<std::int64_t> other = IdParam(ctx.request.QueryValue("with").value_or(""));
    Result<store::MatchRun> b = other ? store_.GetMatchRun(store::MatchRunId{*other})
                                      : Result<store::MatchRun>(Status::NotFound(""));
    if (!b.ok() || !(b->program == a->program.id)) {
      return FieldProblem("with", "the id of another run of this program");
    }
    auto stats = [](const store::MatchRun& run) {
      double total = 0;
      double lowest = run.pairs.empty() ? 0 : 1;
      for (const store::RunPair& p : run.pairs) {
        total += p.score;
        lowest = std::min(lowest, p.score);
      }
      const json summary = json::parse(run.summary_json, nullptr, false);
      const int mentees = summary.is_object() ? summary.value("mentees", 0) : 0;
      return json{
          {"run_id", run.id.value},
          {"matched", run.pairs.size()},
          {"mentees", mentees},
          {"matched_share", mentees > 0 ? static_cast<double>(run.pairs.size()) / mentees : 0.0},
          {"mean_score", run.pairs.empty() ? 0.0 : total / run.pairs.size()},
          {"lowest_score", lowest},
          {"total_score", total}};
    };
    std::map<std::string, std::string> mentor_in_b;
    for (const store::RunPair& p : b->pairs) mentor_in_b[p.mentee_id] = p.mentor_id;
    json changed = json::array();
    int same = 0;
    for (const store::RunPair& p : a->run.pairs) {
      auto it = mentor_in_b.find(p.mentee_id);
      if (it != mentor_in_b.end() && it->second == p.mentor_id) {
        ++same;
      } else if (changed.size() < 500) {
        changed.push_back(
            {{"mentee_id", p.mentee_id},
             {"mentor_a", p.mentor_id},
             {"mentor_b", it == mentor_in_b.end() ? json(nullptr) : json(it->second)}});
      }
      if (it != mentor_in_b.end()) mentor_in_b.erase(it);
    }
    for (const auto& [mentee, mentor] : mentor_in_b) {
      if (changed.size() >= 500) break;
      changed.push_back({{"mentee_id", mentee}, {"mentor_a", nullptr}, {"mentor_b", mentor}});
    }
    return JsonResponse(200, {{"a", stats(a->run)},
                              {"b", stats(*b)},
                              {"same_pairs", same},
                              {"changed", std::move(changed)}});
  }

  http::Response Lock(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> rp = LoadRun(ctx, &error);
    if (!rp) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    if (!body->contains("mentee_id") || !(*body)["mentee_id"].is_string()) {
      return FieldProblem("mentee_id", "required");
    }
    const bool locked = body->value("locked", true);
    const std::string mentee = (*body)["mentee_id"].get<std::string>();
    if (Status st = store_.SetPairLocked(rp->run.id, mentee, locked); !st.ok()) {
      return FromStatus(st);
    }
    s_.audit(ctx, locked ? "run.lock" : "run.unlock", "run/" + std::to_string(rp->run.id.value),
             {{"mentee_id", mentee}});
    return GetReview(ctx);
  }

  http::Response Comment(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> rp = LoadRun(ctx, &error);
    if (!rp) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::string text = body->value("text", "");
    if (text.empty()) return FieldProblem("text", "required");
    if (text.size() > 4000) return FieldProblem("text", "at most 4000 characters");
    const std::string mentee = body->value("mentee_id", "");
    Result<std::int64_t> id =
        store_.AddReviewComment(rp->run.id, mentee, ctx.who().account.id, text);
    if (!id.ok()) return FromStatus(id.status());
    s_.audit(ctx, "run.comment", "run/" + std::to_string(rp->run.id.value),
             {{"mentee_id", mentee}});
    return JsonResponse(201, {{"id", *id}, {"mentee_id", mentee}, {"text", text}});
  }

  // Swapping the mentors of two pairs: the new pairs are scored and explained from the run's own
  // input snapshot and configuration, so the run stays reproducible. A pair the hard rules
  // exclude is refused unless "force" is set (the committee's override, audited as such).
  http::Response Swap(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> rp = LoadRun(ctx, &error);
    if (!rp) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    if (IsStructuralModel(rp->program.model)) {
      return Problem(409, "not-swappable", "Conflict",
                     "swaps are for one-to-one proposals; re-run this " + rp->program.model +
                         " program with other options instead");
    }
    const json ids = body->value("mentee_ids", json::array());
    if (!ids.is_array() || ids.size() != 2 || !ids[0].is_string() || !ids[1].is_string() ||
        ids[0] == ids[1]) {
      return FieldProblem("mentee_ids", "two different mentee ids of the run");
    }
    const bool force = body->value("force", false);
    const store::RunPair* pairs[2] = {nullptr, nullptr};
    for (int k = 0; k < 2; ++k) {
      for (const store::RunPair& p : rp->run.pairs) {
        if (p.mentee_id == ids[k].get<std::string>()) pairs[k] = &p;
      }
      if (pairs[k] == nullptr) {
        return FieldProblem("mentee_ids", "no pair of mentee " + ids[k].get<std::string>());
      }
    }
    const json snapshot = json::parse(rp->run.input_snapshot_json, nullptr, false);
    if (snapshot.is_discarded() || !snapshot.contains("people_csv")) {
      return Problem(409, "no-snapshot", "Conflict",
                     "this run has no input snapshot to score a swap with");
    }
    Result<io::PeopleImport> people =
        io::ImportPeopleCsv(snapshot["people_csv"].get<std::string>(), "snapshot", {});
    Result<matching::MatchConfig> config = io::ParseConfigJson(rp->run.config_json, "run");
    if (!people.ok() || !config.ok()) {
      return FromStatus(
          Status::Internal("run snapshot does not load: " +
                           (people.ok() ? config.status() : people.status()).ToString()));
    }
    auto index_of = [&](const std::string& id) {
      for (size_t i = 0; i < people->people.size(); ++i) {
        if (people->people[i].id == id) return static_cast<std::int32_t>(i);
      }
      return static_cast<std::int32_t>(-1);
    };
    matching::Scorer scorer(people->people, *config);
    store::RunPair swapped[2];
    json overrides = json::array();
    for (int k = 0; k < 2; ++k) {
      const store::RunPair& mine = *pairs[k];
      const store::RunPair& other = *pairs[1 - k];
      const std::int32_t mentee = index_of(mine.mentee_id);
      const std::int32_t mentor = index_of(other.mentor_id);
      if (mentee < 0 || mentor < 0) {
        return FromStatus(Status::Internal("swap: a person is missing from the run's snapshot"));
      }
      const matching::Exclusion why = scorer.Check(mentee, mentor);
      if (why != matching::Exclusion::kNone) {
        if (!force) {
          return FieldProblem("mentee_ids",
                              mine.mentee_id + " with mentor " + other.mentor_id +
                                  " is not eligible: " + matching::ExclusionReason(why) +
                                  " (send force: true to override)");
        }
        overrides.push_back({{"mentee_id", mine.mentee_id},
                             {"mentor_id", other.mentor_id},
                             {"rule", matching::ExclusionReason(why)}});
      }
      const matching::PairScore score = scorer.Score(mentee, mentor);
      swapped[k].mentee_id = mine.mentee_id;
      swapped[k].mentor_id = other.mentor_id;
      swapped[k].score = score.score;
      swapped[k].factors.assign(score.factor.begin(), score.factor.end());
      swapped[k].skills_for = score.skills_for;
      swapped[k].explanation = scorer.Explain(mentee, mentor);
    }
    if (Status st = store_.SwapMentors(rp->run.id, swapped[0], swapped[1]); !st.ok()) {
      return FromStatus(st);
    }
    s_.audit(ctx, "run.swap", "run/" + std::to_string(rp->run.id.value),
             {{"mentee_ids", ids}, {"overrides", overrides}});
    json out = json::array();
    for (const store::RunPair& p : swapped) {
      out.push_back({{"mentee_id", p.mentee_id},
                     {"mentor_id", p.mentor_id},
                     {"score", p.score},
                     {"explanation", p.explanation}});
    }
    return JsonResponse(200, {{"pairs", std::move(out)}, {"overrides", std::move(overrides)}});
  }

  http::Response Approve(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> rp = LoadRun(ctx, &error);
    if (!rp) return error;
    if (Status st = store_.ApproveRun(rp->run.id, ctx.who().account.id); !st.ok()) {
      return FromStatus(st);
    }
    s_.audit(ctx, "run.approve", "run/" + std::to_string(rp->run.id.value), {});
    return GetReview(ctx);
  }

  http::Response Publish(Context& ctx) {
    http::Response error;
    std::optional<RunAndProgram> rp = LoadRun(ctx, &error, /*coordinate=*/true);
    if (!rp) return error;
    const std::string& model = rp->program.model;
    if (model == "speed" || model == "rotation" || model == "circle") {
      return Problem(409, "not-publishable", "Conflict",
                     "a " + model +
                         " run is a plan to share (a timetable, rounds or circles), "
                         "not a set of one-to-one relationships to start");
    }
    Result<std::vector<store::Relationship>> published = store_.PublishRun(rp->run.id);
    if (!published.ok()) {
      if (published.status().code() == StatusCode::kInvalidArgument) {
        return Problem(409, "cannot-publish", "Conflict", published.status().message());
      }
      return FromStatus(published.status());
    }
    s_.audit(ctx, "run.publish", "run/" + std::to_string(rp->run.id.value),
             {{"relationships", published->size()}});
    for (const store::Relationship& r : *published) {
      for (const std::string& who : {r.mentee_id, r.mentor_id}) {
        s_.notify(ctx.org(), who, "relationship.started",
                  "Your mentorship in " + rp->program.name + " has started",
                  "See who you were matched with and why.", "#/mentorships");
      }
    }
    json items = json::array();
    for (const store::Relationship& r : *published) items.push_back(RelationshipJson(r));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  // Health of a relationship at a glance: meetings held and planned, the last one, goal progress.
  json WithHealth(const store::Relationship& r) {
    json out = RelationshipJson(r);
    int held = 0;
    int planned = 0;
    std::string last;
    if (Result<std::vector<store::Meeting>> ms = store_.ListMeetings(r.id); ms.ok()) {
      for (const store::Meeting& m : *ms) {
        if (m.status == store::MeetingStatus::kHeld) {
          ++held;
          last = std::max(last, m.starts_at);
        } else if (m.status == store::MeetingStatus::kScheduled) {
          ++planned;
        }
      }
    }
    double progress = 0;
    int goals = 0;
    if (Result<std::vector<store::Goal>> gs = store_.ListGoals(r.id); gs.ok()) {
      for (const store::Goal& g : *gs) progress += g.progress;
      goals = static_cast<int>(gs->size());
    }
    out["health"] = {{"meetings_held", held},
                     {"meetings_planned", planned},
                     {"last_meeting", last.empty() ? json(nullptr) : json(last)},
                     {"goals", goals},
                     {"mean_goal_progress", goals > 0 ? json(progress / goals) : json(nullptr)}};
    return out;
  }

  http::Response ProgramRelationships(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    Result<std::vector<store::Relationship>> rs = store_.ListRelationships(program->id);
    if (!rs.ok()) return FromStatus(rs.status());
    json items = json::array();
    for (const store::Relationship& r : *rs) items.push_back(WithHealth(r));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response FeedbackSummary(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id) && !ctx.who().Has(store::Role::kExecutive)) {
      return Forbidden();
    }
    Result<store::FeedbackAggregate> a = store_.AggregateFeedback(program->id);
    if (!a.ok()) return FromStatus(a.status());
    if (a->count < kMinFeedbackForAggregate) {
      return JsonResponse(
          200, {{"count", a->count}, {"suppressed", true}, {"minimum", kMinFeedbackForAggregate}});
    }
    return JsonResponse(200, {{"count", a->count},
                              {"suppressed", false},
                              {"minimum", kMinFeedbackForAggregate},
                              {"mean_rating", a->mean_rating},
                              {"by_rating", a->by_rating},
                              {"from_mentees", a->from_mentees},
                              {"from_mentors", a->from_mentors}});
  }

  // A program in numbers for coordinators and executives: aggregates only, never a person.
  // Enrollment funnel, match rate of the latest run, relationships by status, meetings held per
  // week (ISO week of the meeting's start, UTC), goal progress, feedback from 3 answers on.
  http::Response Dashboard(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id) && !ctx.who().Has(store::Role::kExecutive)) {
      return Forbidden();
    }
    json funnel = {{"applied", 0},    {"approved", 0}, {"rejected", 0},
                   {"waitlisted", 0}, {"pending", 0},  {"withdrawn", 0}};
    if (Result<std::vector<store::Application>> apps =
            store_.ListApplications(program->id, std::nullopt);
        apps.ok()) {
      funnel["applied"] = apps->size();
      for (const store::Application& a : *apps) {
        const char* status = store::ApplicationStatusName(a.status);
        funnel[status] = funnel[status].get<int>() + 1;
      }
    }
    json latest = nullptr;
    if (Result<std::vector<store::MatchRun>> runs = store_.ListMatchRuns(program->id);
        runs.ok() && !runs->empty()) {
      const json summary = json::parse(runs->back().summary_json, nullptr, false);
      if (summary.is_object()) {
        latest = {{"run_id", runs->back().id.value},
                  {"created_at", runs->back().created_at},
                  {"mentees", summary.value("mentees", 0)},
                  {"matched", summary.value("matched", 0)},
                  {"matched_share", summary.value("matched_share", 0.0)},
                  {"mean_score", summary.value("mean_score", 0.0)}};
      }
    }
    json relationships = {{"active", 0}, {"paused", 0}, {"ended", 0}};
    std::map<std::string, int> held_by_week;
    int goals = 0;
    int goals_met = 0;
    double progress = 0;
    if (Result<std::vector<store::Relationship>> rs = store_.ListRelationships(program->id);
        rs.ok()) {
      for (const store::Relationship& r : *rs) {
        const char* status = store::RelationshipStatusName(r.status);
        relationships[status] = relationships[status].get<int>() + 1;
        if (Result<std::vector<store::Meeting>> ms = store_.ListMeetings(r.id); ms.ok()) {
          for (const store::Meeting& m : *ms) {
            if (m.status == store::MeetingStatus::kHeld) ++held_by_week[WeekOf(m.starts_at)];
          }
        }
        if (Result<std::vector<store::Goal>> gs = store_.ListGoals(r.id); gs.ok()) {
          for (const store::Goal& g : *gs) {
            ++goals;
            goals_met += g.progress == 100 ? 1 : 0;
            progress += g.progress;
          }
        }
      }
    }
    json weeks = json::array();
    for (const auto& [week, n] : held_by_week) weeks.push_back({{"week", week}, {"held", n}});
    json feedback = {{"count", 0}, {"suppressed", true}};
    if (Result<store::FeedbackAggregate> a = store_.AggregateFeedback(program->id); a.ok()) {
      feedback = {{"count", a->count},
                  {"suppressed", a->count < kMinFeedbackForAggregate},
                  {"minimum", kMinFeedbackForAggregate}};
      if (a->count >= kMinFeedbackForAggregate) {
        feedback["mean_rating"] = a->mean_rating;
        feedback["by_rating"] = a->by_rating;
        feedback["from_mentees"] = a->from_mentees;
        feedback["from_mentors"] = a->from_mentors;
      }
    }
    return JsonResponse(200,
                        {{"program", ProgramJson(*program)},
                         {"enrollment", std::move(funnel)},
                         {"latest_run", std::move(latest)},
                         {"relationships", std::move(relationships)},
                         {"meetings_held_by_week", std::move(weeks)},
                         {"goals",
                          {{"count", goals},
                           {"met", goals_met},
                           {"mean_progress", goals > 0 ? json(progress / goals) : json(nullptr)}}},
                         {"feedback", std::move(feedback)}});
  }

  // "2027-01-10T10:00:00Z" -> "2027-W01" (ISO 8601 week).
  static std::string WeekOf(const std::string& utc) {
    std::tm tm{};
    tm.tm_year = std::stoi(utc.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(utc.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(utc.substr(8, 2));
    tm.tm_hour = 12;
    const std::time_t t = timegm(&tm);
    std::tm norm{};
    gmtime_r(&t, &norm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%G-W%V", &norm);
    return buf;
  }

  // The caller's own mentorships, with who the other person is and why they were matched.
  http::Response MyRelationships(Context& ctx) {
    json items = json::array();
    const std::string& me = ctx.who().account.employee_id;
    if (!me.empty()) {
      Result<std::vector<store::Relationship>> rs = store_.ListRelationshipsOf(ctx.org(), me);
      if (!rs.ok()) return FromStatus(rs.status());
      for (const store::Relationship& r : *rs) {
        json item = WithHealth(r);
        const bool mentee = r.mentee_id == me;
        const std::string partner_id = mentee ? r.mentor_id : r.mentee_id;
        item["my_role"] = mentee ? "mentee" : "mentor";
        json partner = {{"id", partner_id}};
        if (Result<Person> p = store_.GetPerson(ctx.org(), partner_id); p.ok()) {
          partner["name"] = p->name;
          partner["title"] = p->title;
          partner["email"] = p->email;
          partner["time_zone"] = p->time_zone;
        }
        item["partner"] = std::move(partner);
        if (Result<store::Program> program = store_.GetProgram(r.program); program.ok()) {
          item["program_name"] = program->name;
        }
        if (Result<store::MatchRun> run = store_.GetMatchRun(r.run); run.ok()) {
          for (const store::RunPair& p : run->pairs) {
            if (p.mentee_id == r.mentee_id && p.mentor_id == r.mentor_id) {
              item["why"] = p.explanation;
              item["score"] = p.score;
              item["skills_for"] = p.skills_for;
            }
          }
        }
        items.push_back(std::move(item));
      }
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response GetRelationship(Context& ctx) {
    http::Response error;
    std::optional<store::Relationship> r = RelationshipParam(ctx, Access::kRead, &error);
    if (!r) return error;
    return JsonResponse(200, WithHealth(*r));
  }

  // Pause, resume or end, by the mentee, the mentor or a coordinator of the program.
  http::Response SetStatus(Context& ctx) {
    http::Response error;
    std::optional<store::Relationship> r = RelationshipParam(ctx, Access::kRead, &error);
    if (!r) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::optional<store::RelationshipStatus> to =
        store::ParseRelationshipStatus(body->value("status", ""));
    if (!to) return FieldProblem("status", "must be active, paused or ended");
    const std::string reason = body->value("reason", "");
    if (*to == store::RelationshipStatus::kEnded && reason.empty()) {
      return FieldProblem("reason", "say why the relationship ends");
    }
    if (Status st = store_.ChangeRelationshipStatus(r->id, *to, reason, ctx.who().account.id);
        !st.ok()) {
      if (st.code() == StatusCode::kInvalidArgument) {
        return Problem(409, "invalid-transition", "Conflict", st.message());
      }
      return FromStatus(st);
    }
    s_.audit(ctx, "relationship.status", "relationship/" + std::to_string(r->id.value),
             {{"to", store::RelationshipStatusName(*to)}, {"reason", reason}});
    Result<store::Relationship> updated = store_.GetRelationship(r->id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, WithHealth(*updated));
  }

  http::Response ListGoals(Context& ctx) {
    http::Response error;
    std::optional<store::Relationship> r = RelationshipParam(ctx, Access::kRead, &error);
    if (!r) return error;
    Result<std::vector<store::Goal>> goals = store_.ListGoals(r->id);
    if (!goals.ok()) return FromStatus(goals.status());
    json items = json::array();
    for (const store::Goal& g : *goals) items.push_back(GoalJson(g));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  static std::optional<std::vector<store::Milestone>> Milestones(const json& body,
                                                                 http::Response* error) {
    std::vector<store::Milestone> out;
    if (!body.contains("milestones")) return out;
    const json& list = body["milestones"];
    if (!list.is_array()) {
      *error = FieldProblem("milestones", "must be an array");
      return std::nullopt;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string field = "milestones[" + std::to_string(i) + "]";
      if (!list[i].is_object() || !list[i].contains("title") || !list[i]["title"].is_string() ||
          list[i]["title"].get<std::string>().empty()) {
        *error = FieldProblem(field + ".title", "required");
        return std::nullopt;
      }
      out.push_back({list[i]["title"].get<std::string>(), list[i].value("done", false)});
    }
    return out;
  }

  http::Response CreateGoal(Context& ctx) {
    http::Response error;
    std::optional<store::Relationship> r = RelationshipParam(ctx, Access::kWrite, &error);
    if (!r) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    store::NewGoal goal;
    goal.title = body->value("title", "");
    if (goal.title.empty()) return FieldProblem("title", "required");
    goal.owner_id = body->value("owner_id", ctx.who().account.employee_id);
    goal.due_date = body->value("due_date", "");
    std::optional<std::vector<store::Milestone>> milestones = Milestones(*body, &error);
    if (!milestones) return error;
    goal.milestones = std::move(*milestones);
    Result<store::GoalId> id = store_.CreateGoal(r->id, goal);
    if (!id.ok()) return FromStatus(id.status());
    s_.audit(ctx, "goal.create", "goal/" + std::to_string(id->value), {{"title", goal.title}});
    Result<store::Goal> created = store_.GetGoal(*id);
    if (!created.ok()) return FromStatus(created.status());
    return JsonResponse(201, GoalJson(*created));
  }

  http::Response UpdateGoal(Context& ctx) {
    http::Response error;
    const std::optional<std::int64_t> id = IdParam(ctx.param("goal_id"));
    Result<store::Goal> goal =
        id ? store_.GetGoal(store::GoalId{*id}) : Result<store::Goal>(Status::NotFound(""));
    if (!goal.ok()) return NotFound("goal " + ctx.param("goal_id"));
    std::optional<store::Relationship> r =
        LoadRelationship(ctx, goal->relationship, Access::kWrite, &error);
    if (!r) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    int progress = goal->progress;
    if (body->contains("progress")) {
      if (!(*body)["progress"].is_number_integer()) {
        return FieldProblem("progress", "a whole number from 0 to 100");
      }
      progress = (*body)["progress"].get<int>();
      if (progress < 0 || progress > 100) {
        return FieldProblem("progress", "a whole number from 0 to 100");
      }
    }
    std::vector<store::Milestone> milestones = goal->milestones;
    if (body->contains("milestones")) {
      std::optional<std::vector<store::Milestone>> given = Milestones(*body, &error);
      if (!given) return error;
      milestones = std::move(*given);
    }
    if (Status st = store_.UpdateGoalProgress(goal->id, progress, milestones); !st.ok()) {
      return FromStatus(st);
    }
    s_.audit(ctx, "goal.update", "goal/" + std::to_string(goal->id.value),
             {{"progress", progress}});
    Result<store::Goal> updated = store_.GetGoal(goal->id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, GoalJson(*updated));
  }

  http::Response ListMeetings(Context& ctx) {
    http::Response error;
    std::optional<store::Relationship> r = RelationshipParam(ctx, Access::kRead, &error);
    if (!r) return error;
    Result<std::vector<store::Meeting>> ms = store_.ListMeetings(r->id);
    if (!ms.ok()) return FromStatus(ms.status());
    const bool notes = IsParticipant(ctx.who(), *r);  // notes belong to the pair
    json items = json::array();
    for (const store::Meeting& m : *ms) items.push_back(MeetingJson(m, notes));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response ScheduleMeeting(Context& ctx) {
    http::Response error;
    std::optional<store::Relationship> r = RelationshipParam(ctx, Access::kWrite, &error);
    if (!r) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    store::NewMeeting m;
    m.starts_at = body->value("starts_at", "");
    if (m.starts_at.empty())
      return FieldProblem("starts_at", "required (UTC, YYYY-MM-DDTHH:MM:SSZ)");
    m.duration_minutes = body->value("duration_minutes", 60);
    m.location = body->value("location", "");
    m.agenda = body->value("agenda", "");
    Result<store::MeetingId> id = store_.ScheduleMeeting(r->id, m);
    if (!id.ok()) return StoreRefusal(id.status());  // names the field: "starts_at: ..."
    s_.audit(ctx, "meeting.schedule", "meeting/" + std::to_string(id->value),
             {{"starts_at", m.starts_at}});
    const std::string other =
        ctx.who().account.employee_id == r->mentee_id ? r->mentor_id : r->mentee_id;
    s_.notify(ctx.org(), other, "meeting.scheduled", "A mentoring meeting was scheduled",
              m.starts_at + (m.agenda.empty() ? "" : ": " + m.agenda),
              "#/relationships/" + std::to_string(r->id.value));
    Result<store::Meeting> created = store_.GetMeeting(*id);
    if (!created.ok()) return FromStatus(created.status());
    http::Response resp = JsonResponse(201, MeetingJson(*created, true));
    resp.SetHeader("Location", "/api/v1/meetings/" + std::to_string(id->value));
    return resp;
  }

  http::Response UpdateMeeting(Context& ctx) {
    http::Response error;
    std::optional<std::pair<store::Meeting, store::Relationship>> mr =
        LoadMeeting(ctx, Access::kWrite, &error);
    if (!mr) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    store::MeetingStatus status = mr->first.status;
    if (body->contains("status")) {
      const std::optional<store::MeetingStatus> parsed =
          store::ParseMeetingStatus(body->value("status", ""));
      if (!parsed) return FieldProblem("status", "must be scheduled, held or cancelled");
      status = *parsed;
    }
    const std::string notes = body->value("notes", mr->first.notes);
    if (Status st = store_.UpdateMeeting(mr->first.id, status, notes); !st.ok()) {
      if (st.code() == StatusCode::kInvalidArgument) {
        return Problem(409, "invalid-transition", "Conflict", st.message());
      }
      return FromStatus(st);
    }
    s_.audit(ctx, "meeting.update", "meeting/" + std::to_string(mr->first.id.value),
             {{"status", store::MeetingStatusName(status)}});
    Result<store::Meeting> updated = store_.GetMeeting(mr->first.id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, MeetingJson(*updated, true));
  }

  http::Response Invite(Context& ctx) {
    http::Response error;
    std::optional<std::pair<store::Meeting, store::Relationship>> mr =
        LoadMeeting(ctx, Access::kWrite, &error);
    if (!mr) return error;
    const store::Meeting& m = mr->first;
    io::CalendarEvent e;
    e.uid = "meeting-" + std::to_string(m.id.value) + "@tandem";
    e.sequence = m.sequence;
    e.starts_at = m.starts_at;
    e.duration_minutes = m.duration_minutes;
    e.stamp = UtcNow();
    e.location = m.location;
    e.description = m.agenda;
    e.cancelled = m.status == store::MeetingStatus::kCancelled;
    std::string names;
    for (const std::string& id : {mr->second.mentee_id, mr->second.mentor_id}) {
      Result<Person> p = store_.GetPerson(ctx.org(), id);
      const std::string name = p.ok() ? p->name : id;
      names += (names.empty() ? "" : " & ") + name;
      e.attendees.push_back({name, p.ok() ? p->email : ""});
    }
    e.summary = "Mentoring: " + names;
    e.organizer = e.attendees.front();
    http::Response r;
    r.status = 200;
    r.body = io::CalendarInvite(e);
    r.SetHeader("Content-Type", "text/calendar; charset=utf-8; method=" +
                                    std::string(e.cancelled ? "CANCEL" : "REQUEST"));
    r.SetHeader("Content-Disposition",
                "attachment; filename=\"meeting-" + std::to_string(m.id.value) + ".ics\"");
    return r;
  }

  http::Response GiveFeedback(Context& ctx) {
    http::Response error;
    std::optional<std::pair<store::Meeting, store::Relationship>> mr =
        LoadMeeting(ctx, Access::kWrite, &error);
    if (!mr) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    if (!body->contains("rating") || !(*body)["rating"].is_number_integer() ||
        (*body)["rating"].get<int>() < 1 || (*body)["rating"].get<int>() > 5) {
      return FieldProblem("rating", "a whole number from 1 to 5");
    }
    store::NewFeedback f;
    f.from_id = ctx.who().account.employee_id;
    f.rating = (*body)["rating"].get<int>();
    if (body->contains("answers")) {
      if (!(*body)["answers"].is_object()) return FieldProblem("answers", "must be an object");
      f.answers_json = (*body)["answers"].dump();
    }
    f.comment = body->value("comment", "");
    if (Status st = store_.AddFeedback(mr->first.id, f); !st.ok()) {
      if (st.code() == StatusCode::kInvalidArgument) {
        return Problem(409, "feedback-refused", "Conflict", st.message());
      }
      return FromStatus(st);
    }
    s_.audit(ctx, "feedback.give", "meeting/" + std::to_string(mr->first.id.value), {});
    return JsonResponse(201, {{"meeting_id", mr->first.id.value}, {"rating", f.rating}});
  }

  Services& s_;
  store::Store& store_;
};

}  // namespace

void AddLifecycleRoutes(const RouteAdder& add, Services& services) {
  AddRoutesOf(add, std::make_shared<Lifecycle>(services));
}

}  // namespace tandem::api::internal
