// Notifications (in-app), recognition (kudos and milestones reached), training resources and
// surveys. Who may do what:
//   notifications, recognition, my assignments: the person themself;
//   kudos: one person of a relationship to the other;
//   resources: everyone reads; admins and organization-wide coordinators create and assign;
//   surveys: a program's coordinators create them and read results (from 3 responses on); the
//     program's participants (people in its relationships) answer, once each.
#include <algorithm>
#include <set>

#include "api/internal.h"

namespace tandem::api::internal {
namespace {

constexpr std::int64_t kMinSurveyResponses = 3;

class Engagement {
 public:
  explicit Engagement(Services& services) : s_(services), store_(services.store) {}

  void Register(const RouteAdder& add) {
    add("GET", "/api/v1/me/notifications", Bind(this, &Engagement::MyNotifications));
    add("POST", "/api/v1/notifications/{notification_id}/read", Bind(this, &Engagement::MarkRead));
    add("POST", "/api/v1/relationships/{relationship_id}/kudos",
        Bind(this, &Engagement::GiveKudos));
    add("GET", "/api/v1/me/recognition", Bind(this, &Engagement::MyRecognition));
    add("GET", "/api/v1/resources", Bind(this, &Engagement::ListResources));
    add("POST", "/api/v1/resources", Bind(this, &Engagement::CreateResource));
    add("POST", "/api/v1/resources/{resource_id}/assignments", Bind(this, &Engagement::Assign));
    add("GET", "/api/v1/me/assignments", Bind(this, &Engagement::MyAssignments));
    add("POST", "/api/v1/resources/{resource_id}/complete", Bind(this, &Engagement::Complete));
    add("GET", "/api/v1/programs/{program_id}/surveys", Bind(this, &Engagement::ListSurveys));
    add("POST", "/api/v1/programs/{program_id}/surveys", Bind(this, &Engagement::CreateSurvey));
    add("POST", "/api/v1/surveys/{survey_id}/responses", Bind(this, &Engagement::Answer));
    add("GET", "/api/v1/surveys/{survey_id}/results", Bind(this, &Engagement::Results));
  }

 private:
  std::optional<store::Program> LoadProgram(const Context& ctx, http::Response* error) {
    return ProgramParam(store_, ctx, error);
  }

  // Whether the person takes part in one of the program's relationships.
  bool Participates(store::ProgramId program, const std::string& employee_id) {
    if (employee_id.empty()) return false;
    Result<std::vector<store::Relationship>> rs = store_.ListRelationships(program);
    if (!rs.ok()) return false;
    return std::any_of(rs->begin(), rs->end(), [&](const store::Relationship& r) {
      return r.mentee_id == employee_id || r.mentor_id == employee_id;
    });
  }

  http::Response MyNotifications(Context& ctx) {
    json items = json::array();
    const std::string& me = ctx.who().account.employee_id;
    int unread = 0;
    if (!me.empty()) {
      Result<std::vector<store::Notification>> ns = store_.ListNotifications(ctx.org(), me, 100);
      if (!ns.ok()) return FromStatus(ns.status());
      for (const store::Notification& n : *ns) {
        unread += n.read ? 0 : 1;
        items.push_back({{"id", n.id.value},
                         {"kind", n.kind},
                         {"title", n.title},
                         {"body", n.body},
                         {"link", n.link},
                         {"read", n.read},
                         {"created_at", n.created_at}});
      }
    }
    return JsonResponse(
        200, {{"items", std::move(items)}, {"unread", unread}, {"next_cursor", nullptr}});
  }

  http::Response MarkRead(Context& ctx) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("notification_id"));
    if (!id) return NotFound("notification " + ctx.param("notification_id"));
    Status st =
        store_.MarkNotificationRead(store::NotificationId{*id}, ctx.who().account.employee_id);
    if (!st.ok()) return FromStatus(st);
    http::Response r;
    r.status = 204;
    return r;
  }

  http::Response GiveKudos(Context& ctx) {
    http::Response error;
    const std::optional<std::int64_t> id = IdParam(ctx.param("relationship_id"));
    Result<store::Relationship> r = id ? store_.GetRelationship(store::RelationshipId{*id})
                                       : Result<store::Relationship>(Status::NotFound(""));
    Result<store::Program> program =
        r.ok() ? store_.GetProgram(r->program) : Result<store::Program>(r.status());
    if (!r.ok() || !program.ok() || !(program->organization == ctx.org())) {
      return NotFound("relationship " + ctx.param("relationship_id"));
    }
    const std::string& me = ctx.who().account.employee_id;
    if (me.empty() || (me != r->mentee_id && me != r->mentor_id)) {
      return Forbidden("kudos go from one person of the relationship to the other");
    }
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::string message = body->value("message", "");
    if (message.empty()) return FieldProblem("message", "say what you appreciate");
    if (message.size() > 1000) return FieldProblem("message", "at most 1000 characters");
    const std::string to = me == r->mentee_id ? r->mentor_id : r->mentee_id;
    Result<std::int64_t> kudos = store_.GiveKudos(r->id, me, to, message);
    if (!kudos.ok()) return FromStatus(kudos.status());
    s_.audit(ctx, "kudos.give", "relationship/" + std::to_string(r->id.value), {{"to", to}});
    s_.notify(ctx.org(), to, "kudos.received", "You received kudos", message, "#/recognition");
    return JsonResponse(201, {{"id", *kudos}, {"to_id", to}, {"message", message}});
  }

  // Milestones reached, derived from what happened, and kudos received.
  http::Response MyRecognition(Context& ctx) {
    const std::string& me = ctx.who().account.employee_id;
    json milestones = json::array();
    json kudos = json::array();
    if (!me.empty()) {
      Result<std::vector<store::Relationship>> rs = store_.ListRelationshipsOf(ctx.org(), me);
      if (!rs.ok()) return FromStatus(rs.status());
      for (const store::Relationship& r : *rs) {
        std::string program_name = "a program";
        if (Result<store::Program> p = store_.GetProgram(r.program); p.ok()) program_name = p->name;
        std::string first_held;
        if (Result<std::vector<store::Meeting>> ms = store_.ListMeetings(r.id); ms.ok()) {
          for (const store::Meeting& m : *ms) {
            if (m.status == store::MeetingStatus::kHeld &&
                (first_held.empty() || m.starts_at < first_held)) {
              first_held = m.starts_at;
            }
          }
        }
        if (!first_held.empty()) {
          milestones.push_back({{"kind", "first_meeting"},
                                {"title", "First meeting held"},
                                {"program", program_name},
                                {"relationship_id", r.id.value},
                                {"at", first_held}});
        }
        if (Result<std::vector<store::Goal>> gs = store_.ListGoals(r.id); gs.ok()) {
          for (const store::Goal& g : *gs) {
            if (g.progress == 100) {
              milestones.push_back({{"kind", "goal_met"},
                                    {"title", "Goal met: " + g.title},
                                    {"program", program_name},
                                    {"relationship_id", r.id.value},
                                    {"at", g.updated_at}});
            }
          }
        }
        if (r.status == store::RelationshipStatus::kEnded && !r.end_reason.empty()) {
          Result<store::Program> p = store_.GetProgram(r.program);
          if (p.ok() && p->status == store::ProgramStatus::kClosed) {
            milestones.push_back({{"kind", "program_completed"},
                                  {"title", "Completed " + program_name},
                                  {"program", program_name},
                                  {"relationship_id", r.id.value},
                                  {"at", r.ended_at}});
          }
        }
      }
      Result<std::vector<store::Kudos>> ks = store_.ListKudosFor(ctx.org(), me);
      if (!ks.ok()) return FromStatus(ks.status());
      for (const store::Kudos& k : *ks) {
        std::string from = k.from_id;
        if (Result<Person> p = store_.GetPerson(ctx.org(), k.from_id); p.ok()) from = p->name;
        kudos.push_back({{"id", k.id}, {"from", from}, {"message", k.message}, {"at", k.at}});
      }
    }
    return JsonResponse(200, {{"milestones", std::move(milestones)}, {"kudos", std::move(kudos)}});
  }

  static json ResourceJson(const store::Resource& r) {
    return {{"id", r.id.value},
            {"title", r.title},
            {"url", r.url},
            {"kind", r.kind},
            {"description", r.description},
            {"created_at", r.created_at}};
  }

  http::Response ListResources(Context& ctx) {
    Result<std::vector<store::Resource>> rs = store_.ListResources(ctx.org());
    if (!rs.ok()) return FromStatus(rs.status());
    json items = json::array();
    for (const store::Resource& r : *rs) items.push_back(ResourceJson(r));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response CreateResource(Context& ctx) {
    if (!ctx.who().CoordinatesAll()) return Forbidden();
    http::Response error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    store::NewResource r{body->value("title", ""), body->value("url", ""),
                         body->value("kind", "article"), body->value("description", "")};
    Result<store::ResourceId> id = store_.CreateResource(ctx.org(), r);
    if (!id.ok()) return StoreRefusal(id.status());
    s_.audit(ctx, "resource.create", "resource/" + std::to_string(id->value), {{"title", r.title}});
    Result<std::vector<store::Resource>> all = store_.ListResources(ctx.org());
    if (all.ok()) {
      for (const store::Resource& created : *all) {
        if (created.id == *id) return JsonResponse(201, ResourceJson(created));
      }
    }
    return FromStatus(Status::Internal("a created resource is missing"));
  }

  http::Response Assign(Context& ctx) {
    if (!ctx.who().CoordinatesAll()) return Forbidden();
    http::Response error;
    const std::optional<std::int64_t> id = IdParam(ctx.param("resource_id"));
    if (!id || !OwnResource(ctx, store::ResourceId{*id})) {
      return NotFound("resource " + ctx.param("resource_id"));
    }
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const json ids = body->value("employee_ids", json::array());
    if (!ids.is_array() || ids.empty()) return FieldProblem("employee_ids", "one or more people");
    const std::string due = body->value("due_date", "");
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!ids[i].is_string()) {
        return FieldProblem("employee_ids[" + std::to_string(i) + "]", "an employee id");
      }
      Status st = store_.AssignResource(store::ResourceId{*id}, ids[i].get<std::string>(), due);
      if (!st.ok()) {
        return st.code() == StatusCode::kNotFound
                   ? FieldProblem("employee_ids[" + std::to_string(i) + "]", st.message())
                   : FieldProblem("due_date", st.message());
      }
      s_.notify(ctx.org(), ids[i].get<std::string>(), "training.assigned",
                "New training resource for you", "", "#/training");
    }
    s_.audit(ctx, "resource.assign", "resource/" + std::to_string(*id),
             {{"employee_ids", ids}, {"due_date", due}});
    return JsonResponse(200, {{"assigned", ids.size()}});
  }

  bool OwnResource(const Context& ctx, store::ResourceId id) {
    Result<std::vector<store::Resource>> rs = store_.ListResources(ctx.org());
    return rs.ok() && std::any_of(rs->begin(), rs->end(),
                                  [&](const store::Resource& r) { return r.id == id; });
  }

  http::Response MyAssignments(Context& ctx) {
    json items = json::array();
    const std::string& me = ctx.who().account.employee_id;
    if (!me.empty()) {
      Result<std::vector<store::Assignment>> as = store_.ListAssignments(ctx.org(), me);
      Result<std::vector<store::Resource>> rs = store_.ListResources(ctx.org());
      if (!as.ok()) return FromStatus(as.status());
      for (const store::Assignment& a : *as) {
        json item = {
            {"resource_id", a.resource.value},
            {"due_date", a.due_date.empty() ? json(nullptr) : json(a.due_date)},
            {"assigned_at", a.assigned_at},
            {"completed_at", a.completed_at.empty() ? json(nullptr) : json(a.completed_at)}};
        if (rs.ok()) {
          for (const store::Resource& r : *rs) {
            if (r.id == a.resource) item["resource"] = ResourceJson(r);
          }
        }
        items.push_back(std::move(item));
      }
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response Complete(Context& ctx) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("resource_id"));
    if (!id || !OwnResource(ctx, store::ResourceId{*id})) {
      return NotFound("resource " + ctx.param("resource_id"));
    }
    Status st = store_.CompleteAssignment(store::ResourceId{*id}, ctx.who().account.employee_id);
    if (!st.ok()) {
      return st.code() == StatusCode::kNotFound
                 ? Problem(409, "not-assigned", "Conflict", "this resource is not assigned to you")
                 : FromStatus(st);
    }
    s_.audit(ctx, "resource.complete", "resource/" + std::to_string(*id), {});
    http::Response r;
    r.status = 204;
    return r;
  }

  static json SurveyJson(const store::Survey& s) {
    return {{"id", s.id.value}, {"program_id", s.program.value}, {"kind", s.kind},
            {"title", s.title}, {"questions", s.questions},      {"created_at", s.created_at}};
  }

  http::Response ListSurveys(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    const std::string& me = ctx.who().account.employee_id;
    // Coordinators and executives see the surveys (executives read their results); the
    // program's participants see them to answer.
    const bool reader =
        ctx.who().CanCoordinate(program->id) || ctx.who().Has(store::Role::kExecutive);
    if (!reader && !Participates(program->id, me)) return Forbidden();
    Result<std::vector<store::Survey>> ss = store_.ListSurveys(program->id);
    if (!ss.ok()) return FromStatus(ss.status());
    json items = json::array();
    for (const store::Survey& s : *ss) {
      json item = SurveyJson(s);
      if (!me.empty()) {
        Result<bool> answered = store_.HasAnswered(s.id, me);
        item["answered"] = answered.ok() && *answered;
      }
      items.push_back(std::move(item));
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response CreateSurvey(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    store::NewSurvey s;
    s.kind = body->value("kind", "pulse");
    s.title = body->value("title", "");
    const json questions = body->value("questions", json::array());
    if (!questions.is_array()) return FieldProblem("questions", "a list of statements");
    for (const json& q : questions) {
      if (!q.is_string()) return FieldProblem("questions", "a list of statements");
      s.questions.push_back(q.get<std::string>());
    }
    Result<store::SurveyId> id = store_.CreateSurvey(program->id, s);
    if (!id.ok()) return StoreRefusal(id.status());
    s_.audit(ctx, "survey.create", "survey/" + std::to_string(id->value), {{"title", s.title}});
    // Everyone in the program's relationships is asked.
    std::set<std::string> asked;
    if (Result<std::vector<store::Relationship>> rs = store_.ListRelationships(program->id);
        rs.ok()) {
      for (const store::Relationship& r : *rs) {
        if (r.status == store::RelationshipStatus::kEnded && s.kind == "pulse") continue;
        asked.insert(r.mentee_id);
        asked.insert(r.mentor_id);
      }
    }
    for (const std::string& person : asked) {
      s_.notify(ctx.org(), person, "survey.open", "Please answer: " + s.title, "",
                "#/programs/" + std::to_string(program->id.value));
    }
    Result<store::Survey> created = store_.GetSurvey(*id);
    if (!created.ok()) return FromStatus(created.status());
    return JsonResponse(201, SurveyJson(*created));
  }

  std::optional<std::pair<store::Survey, store::Program>> LoadSurvey(const Context& ctx,
                                                                     http::Response* error) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("survey_id"));
    Result<store::Survey> s =
        id ? store_.GetSurvey(store::SurveyId{*id}) : Result<store::Survey>(Status::NotFound(""));
    Result<store::Program> program =
        s.ok() ? store_.GetProgram(s->program) : Result<store::Program>(s.status());
    if (!s.ok() || !program.ok() || !(program->organization == ctx.org())) {
      *error = NotFound("survey " + ctx.param("survey_id"));
      return std::nullopt;
    }
    return std::make_pair(std::move(s).value(), std::move(program).value());
  }

  http::Response Answer(Context& ctx) {
    http::Response error;
    std::optional<std::pair<store::Survey, store::Program>> sp = LoadSurvey(ctx, &error);
    if (!sp) return error;
    const std::string& me = ctx.who().account.employee_id;
    if (!Participates(sp->second.id, me)) {
      return Forbidden("only the program's mentors and mentees answer its surveys");
    }
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const json ratings = body->value("ratings", json::array());
    std::vector<int> values;
    for (size_t i = 0; ratings.is_array() && i < ratings.size(); ++i) {
      if (!ratings[i].is_number_integer() || ratings[i].get<int>() < 1 ||
          ratings[i].get<int>() > 5) {
        return FieldProblem("ratings[" + std::to_string(i) + "]", "a rating from 1 to 5");
      }
      values.push_back(ratings[i].get<int>());
    }
    if (values.size() != sp->first.questions.size()) {
      return FieldProblem("ratings", "one rating per question (" +
                                         std::to_string(sp->first.questions.size()) + ")");
    }
    Status st = store_.SubmitSurvey(sp->first.id, me, values, body->value("comment", ""));
    if (!st.ok()) {
      return st.code() == StatusCode::kInvalidArgument
                 ? Problem(409, "already-answered", "Conflict", st.message())
                 : FromStatus(st);
    }
    s_.audit(ctx, "survey.answer", "survey/" + std::to_string(sp->first.id.value), {});
    return JsonResponse(201, {{"survey_id", sp->first.id.value}});
  }

  http::Response Results(Context& ctx) {
    http::Response error;
    std::optional<std::pair<store::Survey, store::Program>> sp = LoadSurvey(ctx, &error);
    if (!sp) return error;
    if (!ctx.who().CanCoordinate(sp->second.id) && !ctx.who().Has(store::Role::kExecutive)) {
      return Forbidden();
    }
    Result<store::SurveyResults> r = store_.GetSurveyResults(sp->first.id);
    if (!r.ok()) return FromStatus(r.status());
    json out = {{"survey", SurveyJson(sp->first)},
                {"responses", r->responses},
                {"minimum", kMinSurveyResponses},
                {"suppressed", r->responses < kMinSurveyResponses}};
    if (r->responses >= kMinSurveyResponses) {
      json questions = json::array();
      for (size_t q = 0; q < sp->first.questions.size(); ++q) {
        questions.push_back({{"question", sp->first.questions[q]},
                             {"mean", r->mean[q]},
                             {"by_rating", r->by_rating[q]}});
      }
      out["questions"] = std::move(questions);
    }
    return JsonResponse(200, out);
  }

  Services& s_;
  store::Store& store_;
};

}  // namespace

void AddEngagementRoutes(const RouteAdder& add, Services& services) {
  AddRoutesOf(add, std::make_shared<Engagement>(services));
}

}  // namespace tandem::api::internal
