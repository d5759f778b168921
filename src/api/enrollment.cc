// Program details, enrollment (applications and the review queue) and informal mentoring
// (suggestions and requests). Who may do what:
//   details: everyone reads; the program's coordinators write;
//   applying: a person applies for themself, while the program is enrolling;
//   the review queue and decisions: the program's coordinators and committee (the applicant may
//     withdraw their own application);
//   suggestions and requests: a person asks for themself; the asked mentor answers, the mentee
//     answers a question or withdraws.
#include <algorithm>
#include <map>

#include "api/internal.h"
#include "io/config_json.h"
#include "matching/config.h"
#include "matching/scoring.h"
#include "program/suggestions.h"

namespace tandem::api::internal {
namespace {

// Program details as the API accepts them: every field optional, each validated.
struct Details {
  json value = json::object();
  int max_open_requests = 3;
  int request_ttl_days = 14;
  int min_seniority = 1;
  int max_seniority = 10;
};

std::optional<Details> ParseDetails(const json& body, http::Response* error) {
  Details d;
  auto fail = [&](std::string field, std::string reason) {
    *error = FieldProblem(std::move(field), std::move(reason));
    return std::nullopt;
  };
  for (const auto& [key, v] : body.items()) {
    if (key == "objectives" || key == "application_questions") {
      if (!v.is_array()) return fail(key, "must be a list of texts");
      for (size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string() || v[i].get<std::string>().empty()) {
          return fail(key + "[" + std::to_string(i) + "]", "must be non-empty text");
        }
      }
    } else if (key == "format") {
      if (!v.is_string() || (v != "in_person" && v != "virtual" && v != "hybrid")) {
        return fail(key, "must be in_person, virtual or hybrid");
      }
    } else if (key == "duration_weeks") {
      if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 104) {
        return fail(key, "a whole number of weeks from 1 to 104");
      }
    } else if (key == "meeting_cadence") {
      if (!v.is_string() || (v != "weekly" && v != "biweekly" && v != "monthly")) {
        return fail(key, "must be weekly, biweekly or monthly");
      }
    } else if (key == "max_open_requests") {
      if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 10) {
        return fail(key, "a whole number from 1 to 10");
      }
      d.max_open_requests = v.get<int>();
    } else if (key == "request_ttl_days") {
      if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 90) {
        return fail(key, "a whole number of days from 1 to 90");
      }
      d.request_ttl_days = v.get<int>();
    } else if (key == "model_options") {
      if (!v.is_object()) return fail(key, "must be an object");
      const std::map<std::string, std::pair<int, int>> ranges = {{"slots", {1, 20}},
                                                                 {"rounds", {1, 12}},
                                                                 {"group_min", {1, 20}},
                                                                 {"circle_size", {2, 12}}};
      for (const auto& [option, value] : v.items()) {
        if (option == "mix") {
          if (!value.is_boolean()) return fail("model_options." + option, "true or false");
          continue;
        }
        auto range = ranges.find(option);
        if (range == ranges.end()) {
          return fail("model_options." + option,
                      "unknown option (slots, rounds, group_min, circle_size, mix)");
        }
        if (!value.is_number_integer() || value.get<int>() < range->second.first ||
            value.get<int>() > range->second.second) {
          return fail("model_options." + option, "a whole number from " +
                                                     std::to_string(range->second.first) + " to " +
                                                     std::to_string(range->second.second));
        }
      }
    } else if (key == "eligibility") {
      if (!v.is_object()) return fail(key, "must be an object");
      for (const auto& [rule, n] : v.items()) {
        if (rule != "min_seniority" && rule != "max_seniority") {
          return fail("eligibility." + rule, "unknown rule (min_seniority, max_seniority)");
        }
        if (!n.is_number_integer() || n.get<int>() < 1 || n.get<int>() > 10) {
          return fail("eligibility." + rule, "a level from 1 to 10");
        }
        (rule == "min_seniority" ? d.min_seniority : d.max_seniority) = n.get<int>();
      }
      if (d.min_seniority > d.max_seniority) {
        return fail("eligibility", "min_seniority is above max_seniority");
      }
    } else {
      return fail(key, "unknown field");
    }
  }
  d.value = body;
  return d;
}

json ApplicationJson(const store::Application& a, const std::string& name) {
  return {{"id", a.id.value},
          {"program_id", a.program.value},
          {"employee_id", a.employee_id},
          {"name", name},
          {"role", a.role},
          {"answers", json::parse(a.answers_json, nullptr, false).is_discarded()
                          ? json::object()
                          : json::parse(a.answers_json)},
          {"status", store::ApplicationStatusName(a.status)},
          {"decision_note", a.decision_note.empty() ? json(nullptr) : json(a.decision_note)},
          {"created_at", a.created_at},
          {"decided_at", a.decided_at.empty() ? json(nullptr) : json(a.decided_at)}};
}

json RequestJson(const store::MentorRequest& r) {
  return {
      {"id", r.id.value},
      {"program_id", r.program.value},
      {"mentee_id", r.mentee_id},
      {"mentor_id", r.mentor_id},
      {"message", r.message},
      {"status", store::RequestStatusName(r.status)},
      {"response", r.response.empty() ? json(nullptr) : json(r.response)},
      {"created_at", r.created_at},
      {"expires_at", r.expires_at},
      {"responded_at", r.responded_at.empty() ? json(nullptr) : json(r.responded_at)},
      {"relationship_id", r.relationship.value == 0 ? json(nullptr) : json(r.relationship.value)}};
}

class Enrollment {
 public:
  explicit Enrollment(Services& services) : s_(services), store_(services.store) {}

  void Register(const RouteAdder& add) {
    add("GET", "/api/v1/programs/{program_id}/details", Bind(this, &Enrollment::GetDetails));
    add("PUT", "/api/v1/programs/{program_id}/details", Bind(this, &Enrollment::PutDetails));
    add("GET", "/api/v1/programs/{program_id}/applications",
        Bind(this, &Enrollment::ListApplications));
    add("POST", "/api/v1/programs/{program_id}/applications",
        Bind(this, &Enrollment::ApplyToProgram));
    add("POST", "/api/v1/applications/{application_id}/decision", Bind(this, &Enrollment::Decide));
    add("GET", "/api/v1/programs/{program_id}/suggestions", Bind(this, &Enrollment::Suggest));
    add("POST", "/api/v1/programs/{program_id}/requests", Bind(this, &Enrollment::Ask));
    add("GET", "/api/v1/me/requests", Bind(this, &Enrollment::MyRequests));
    add("POST", "/api/v1/requests/{request_id}/response", Bind(this, &Enrollment::Respond));
  }

 private:
  std::optional<store::Program> LoadProgram(const Context& ctx, http::Response* error) {
    return ProgramParam(store_, ctx, error);
  }

  Details LoadDetails(store::ProgramId program) {
    Result<std::string> text = store_.GetProgramDetails(program);
    json body = text.ok() ? json::parse(*text, nullptr, false) : json::object();
    http::Response ignored;
    std::optional<Details> d =
        body.is_object() ? ParseDetails(body, &ignored) : std::optional<Details>();
    return d ? *d : Details{};
  }

  std::string NameOf(const Context& ctx, const std::string& employee_id) {
    Result<Person> p = store_.GetPerson(ctx.org(), employee_id);
    return p.ok() ? p->name : employee_id;
  }

  // The caller's own person, or a 403 saying why there is none.
  std::optional<Person> Me(const Context& ctx, http::Response* error) {
    const std::string& id = ctx.who().account.employee_id;
    Result<Person> p =
        id.empty() ? Result<Person>(Status::NotFound("")) : store_.GetPerson(ctx.org(), id);
    if (!p.ok()) {
      *error = Forbidden("your account is not linked to a person of the organization");
      return std::nullopt;
    }
    return std::move(p).value();
  }

  http::Response GetDetails(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    return JsonResponse(200, LoadDetails(program->id).value);
  }

  http::Response PutDetails(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    std::optional<Details> d = ParseDetails(*body, &error);
    if (!d) return error;
    if (Status st = store_.SetProgramDetails(program->id, d->value.dump()); !st.ok()) {
      return FromStatus(st);
    }
    s_.audit(ctx, "program.details", "program/" + std::to_string(program->id.value), d->value);
    return JsonResponse(200, d->value);
  }

  http::Response ListApplications(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanReview(program->id)) return Forbidden();
    std::optional<store::ApplicationStatus> status;
    if (std::optional<std::string_view> s = ctx.request.QueryValue("status")) {
      status = store::ParseApplicationStatus(*s);
      if (!status) {
        return FieldProblem("status", "pending, approved, rejected, waitlisted or withdrawn");
      }
    }
    Result<std::vector<store::Application>> apps = store_.ListApplications(program->id, status);
    if (!apps.ok()) return FromStatus(apps.status());
    json items = json::array();
    for (const store::Application& a : *apps) {
      items.push_back(ApplicationJson(a, NameOf(ctx, a.employee_id)));
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response ApplyToProgram(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    std::optional<Person> me = Me(ctx, &error);
    if (!me) return error;
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::string role = body->value("role", "mentee");
    if (role != "mentee" && role != "mentor") return FieldProblem("role", "mentee or mentor");
    json answers = body->value("answers", json::object());
    if (!answers.is_object()) return FieldProblem("answers", "must be an object");
    const Details details = LoadDetails(program->id);
    // Every question of the form needs an answer.
    if (details.value.contains("application_questions")) {
      for (const json& q : details.value["application_questions"]) {
        const std::string question = q.get<std::string>();
        if (!answers.contains(question) || !answers[question].is_string() ||
            answers[question].get<std::string>().empty()) {
          return FieldProblem("answers." + question, "please answer this question");
        }
      }
    }
    if (role == "mentee" &&
        (me->seniority < details.min_seniority || me->seniority > details.max_seniority)) {
      return FieldProblem("role", "this program takes mentees of level " +
                                      std::to_string(details.min_seniority) + " to " +
                                      std::to_string(details.max_seniority) + "; you are level " +
                                      std::to_string(me->seniority));
    }
    Result<store::ApplicationId> id = store_.Apply(program->id, {me->id, role, answers.dump()});
    if (!id.ok()) {
      if (id.status().code() == StatusCode::kInvalidArgument) {
        return Problem(409, "cannot-apply", "Conflict", id.status().message());
      }
      return FromStatus(id.status());
    }
    s_.audit(ctx, "application.create", "application/" + std::to_string(id->value),
             {{"role", role}});
    Result<store::Application> created = store_.GetApplication(*id);
    if (!created.ok()) return FromStatus(created.status());
    return JsonResponse(201, ApplicationJson(*created, me->name));
  }

  http::Response Decide(Context& ctx) {
    http::Response error;
    const std::optional<std::int64_t> id = IdParam(ctx.param("application_id"));
    Result<store::Application> app = id ? store_.GetApplication(store::ApplicationId{*id})
                                        : Result<store::Application>(Status::NotFound(""));
    Result<store::Program> program =
        app.ok() ? store_.GetProgram(app->program) : Result<store::Program>(app.status());
    if (!app.ok() || !program.ok() || !(program->organization == ctx.org())) {
      return NotFound("application " + ctx.param("application_id"));
    }
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::optional<store::ApplicationStatus> to =
        store::ParseApplicationStatus(body->value("status", ""));
    if (!to || *to == store::ApplicationStatus::kPending) {
      return FieldProblem("status", "approved, rejected, waitlisted or withdrawn");
    }
    const bool own = ctx.who().account.employee_id == app->employee_id;
    const bool reviewer = ctx.who().CanReview(program->id);
    if (!(reviewer || (own && *to == store::ApplicationStatus::kWithdrawn))) {
      return Forbidden(own ? "you may withdraw your application; the committee decides on it"
                           : "your role does not allow this");
    }
    const std::string note = body->value("note", "");
    if (Status st = store_.DecideApplication(app->id, *to, note, ctx.who().account.id); !st.ok()) {
      if (st.code() == StatusCode::kInvalidArgument) {
        return Problem(409, "invalid-transition", "Conflict", st.message());
      }
      return FromStatus(st);
    }
    s_.audit(ctx, "application.decide", "application/" + std::to_string(app->id.value),
             {{"status", store::ApplicationStatusName(*to)}, {"note", note}});
    if (!own) {
      s_.notify(
          ctx.org(), app->employee_id, "application.decided",
          "Your application to " + program->name + " was " + store::ApplicationStatusName(*to),
          note, "#/programs/" + std::to_string(program->id.value));
    }
    Result<store::Application> updated = store_.GetApplication(app->id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, ApplicationJson(*updated, NameOf(ctx, updated->employee_id)));
  }

  // Every person of the organization (the informal pool).
  Result<std::vector<Person>> Everyone(store::OrganizationId org) {
    std::vector<Person> people;
    std::string cursor;
    for (;;) {
      Result<store::PeoplePage> page = store_.ListPeople(org, cursor, store::kMaxPageSize);
      if (!page.ok()) return page.status();
      for (Person& p : page->people) people.push_back(std::move(p));
      if (page->next_cursor.empty()) return people;
      cursor = page->next_cursor;
    }
  }

  http::Response Suggest(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    std::optional<Person> me = Me(ctx, &error);
    if (!me) return error;
    int limit = 5;
    if (std::optional<std::string_view> text = ctx.request.QueryValue("limit")) {
      const std::optional<std::int64_t> n = IdParam(*text);
      if (!n || *n > 50) return FieldProblem("limit", "a whole number from 1 to 50");
      limit = static_cast<int>(*n);
    }
    Result<std::vector<Person>> people = Everyone(ctx.org());
    if (!people.ok()) return FromStatus(people.status());
    Result<matching::MatchConfig> config = io::ParseConfigJson(program->config_json, "program");
    if (!config.ok()) return FromStatus(config.status());
    // The asker is the mentee here, whatever their directory role.
    std::int32_t index = -1;
    for (size_t i = 0; i < people->size(); ++i) {
      if ((*people)[i].id == me->id) {
        index = static_cast<std::int32_t>(i);
        (*people)[i].role = ProgramRole::kMentee;
        (*people)[i].mentor_capacity = 0;
      }
    }
    matching::Scorer scorer(*people, *config);
    Result<std::vector<program::Suggestion>> suggestions =
        program::SuggestMentors(scorer, index, limit);
    if (!suggestions.ok()) return FromStatus(suggestions.status());
    // Free places: capacity minus open relationships in this program.
    std::map<std::string, int> taken;
    if (Result<std::vector<store::Relationship>> rs = store_.ListRelationships(program->id);
        rs.ok()) {
      for (const store::Relationship& r : *rs) {
        if (r.status != store::RelationshipStatus::kEnded) ++taken[r.mentor_id];
      }
    }
    json items = json::array();
    for (const program::Suggestion& sug : *suggestions) {
      const Person& mentor = (*people)[static_cast<size_t>(sug.person)];
      items.push_back({{"mentor_id", mentor.id},
                       {"name", mentor.name},
                       {"title", mentor.title},
                       {"department", mentor.department},
                       {"site", mentor.site},
                       {"score", sug.score},
                       {"why", sug.explanation},
                       {"would_raise", sug.would_raise},
                       {"free_places", std::max(0, mentor.mentor_capacity - taken[mentor.id])}});
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response Ask(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    std::optional<Person> me = Me(ctx, &error);
    if (!me) return error;
    if (program->status != store::ProgramStatus::kActive &&
        program->status != store::ProgramStatus::kEnrolling) {
      return Problem(409, "wrong-status", "Conflict",
                     "requests are open while the program is enrolling or active");
    }
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::string mentor = body->value("mentor_id", "");
    if (mentor.empty()) return FieldProblem("mentor_id", "required");
    const std::string message = body->value("message", "");
    if (message.empty()) return FieldProblem("message", "say what you would like help with");
    if (message.size() > 2000) return FieldProblem("message", "at most 2000 characters");
    // The program's hard rules hold for informal pairs too (reporting line, language, ...).
    Result<std::vector<Person>> people = Everyone(ctx.org());
    Result<matching::MatchConfig> config = io::ParseConfigJson(program->config_json, "program");
    if (!people.ok() || !config.ok()) {
      return FromStatus(people.ok() ? config.status() : people.status());
    }
    std::int32_t mentee_index = -1;
    std::int32_t mentor_index = -1;
    for (size_t i = 0; i < people->size(); ++i) {
      if ((*people)[i].id == me->id) mentee_index = static_cast<std::int32_t>(i);
      if ((*people)[i].id == mentor) mentor_index = static_cast<std::int32_t>(i);
    }
    if (mentor_index < 0) return FieldProblem("mentor_id", "no person with that employee id");
    const matching::Scorer scorer(*people, *config);
    if (const matching::Exclusion why = scorer.Check(mentee_index, mentor_index);
        why != matching::Exclusion::kNone) {
      return Problem(
          409, "not-eligible", "Conflict",
          std::string("this program does not allow that pair: ") + matching::ExclusionReason(why));
    }
    const Details details = LoadDetails(program->id);
    Result<store::RequestId> id = store_.CreateRequest(
        program->id,
        {me->id, mentor, message, details.request_ttl_days * 86400, details.max_open_requests});
    if (!id.ok()) {
      if (id.status().code() == StatusCode::kInvalidArgument) {
        return Problem(409, "cannot-request", "Conflict", id.status().message());
      }
      return FromStatus(id.status());
    }
    s_.audit(ctx, "request.create", "request/" + std::to_string(id->value),
             {{"mentor_id", mentor}});
    s_.notify(ctx.org(), mentor, "request.received", me->name + " asks you to be their mentor",
              message, "#/requests");
    Result<store::MentorRequest> created = store_.GetRequest(*id);
    if (!created.ok()) return FromStatus(created.status());
    return JsonResponse(201, RequestJson(*created));
  }

  http::Response MyRequests(Context& ctx) {
    json items = json::array();
    const std::string& me = ctx.who().account.employee_id;
    if (!me.empty()) {
      Result<std::vector<store::MentorRequest>> rs = store_.ListRequestsOf(ctx.org(), me);
      if (!rs.ok()) return FromStatus(rs.status());
      for (const store::MentorRequest& r : *rs) {
        json item = RequestJson(r);
        item["my_role"] = r.mentee_id == me ? "mentee" : "mentor";
        item["mentee_name"] = NameOf(ctx, r.mentee_id);
        item["mentor_name"] = NameOf(ctx, r.mentor_id);
        items.push_back(std::move(item));
      }
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response Respond(Context& ctx) {
    http::Response error;
    const std::optional<std::int64_t> id = IdParam(ctx.param("request_id"));
    Result<store::MentorRequest> r = id ? store_.GetRequest(store::RequestId{*id})
                                        : Result<store::MentorRequest>(Status::NotFound(""));
    Result<store::Program> program =
        r.ok() ? store_.GetProgram(r->program) : Result<store::Program>(r.status());
    if (!r.ok() || !program.ok() || !(program->organization == ctx.org())) {
      return NotFound("request " + ctx.param("request_id"));
    }
    std::optional<json> body = JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::optional<store::RequestStatus> to =
        store::ParseRequestStatus(body->value("status", ""));
    if (!to) return FieldProblem("status", "accepted, declined, info_requested, open or withdrawn");
    const std::string& me = ctx.who().account.employee_id;
    using R = store::RequestStatus;
    const bool mentor_answer = me == r->mentor_id && (*to == R::kAccepted || *to == R::kDeclined ||
                                                      *to == R::kInfoRequested);
    const bool mentee_answer = me == r->mentee_id && (*to == R::kOpen || *to == R::kWithdrawn);
    if (!mentor_answer && !mentee_answer) {
      return Forbidden(me == r->mentor_id || me == r->mentee_id
                           ? "the mentor accepts, declines or asks; the mentee answers or withdraws"
                           : "this request is not yours");
    }
    const std::string response = body->value("response", "");
    Result<store::MentorRequest> updated = store_.RespondToRequest(r->id, *to, response);
    if (!updated.ok()) {
      if (updated.status().code() == StatusCode::kInvalidArgument) {
        const std::string& msg = updated.status().message();
        if (msg.rfind("response:", 0) == 0) return FieldProblem("response", msg.substr(10));
        return Problem(409, "cannot-respond", "Conflict", msg);
      }
      return FromStatus(updated.status());
    }
    s_.audit(ctx, "request.respond", "request/" + std::to_string(r->id.value),
             {{"status", store::RequestStatusName(*to)}});
    const bool to_mentee = mentor_answer;
    const std::string other = to_mentee ? r->mentee_id : r->mentor_id;
    const char* what = *to == R::kAccepted        ? " accepted your request"
                       : *to == R::kDeclined      ? " declined your request"
                       : *to == R::kInfoRequested ? " asks you a question about your request"
                       : *to == R::kOpen          ? " answered your question"
                                                  : " withdrew the request";
    s_.notify(ctx.org(), other, std::string("request.") + store::RequestStatusName(*to),
              NameOf(ctx, me) + what, response,
              *to == R::kAccepted ? "#/mentorships" : "#/requests");
    return JsonResponse(200, RequestJson(*updated));
  }

  Services& s_;
  store::Store& store_;
};

}  // namespace

void AddEnrollmentRoutes(const RouteAdder& add, Services& services) {
  AddRoutesOf(add, std::make_shared<Enrollment>(services));
}

}  // namespace tandem::api::internal
