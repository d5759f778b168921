// JSON views of store values and the problem responses shared by every handler.
#include <charconv>
#include <cstdio>

#include "api/internal.h"
#include "store/person_columns.h"

namespace tandem::api::internal {
namespace {

bool GrantCovers(const store::RoleGrant& grant, store::Role role, store::ProgramId program) {
  return grant.role == role && (grant.program.value == 0 || grant.program == program);
}

}  // namespace

bool Principal::Has(store::Role role) const {
  for (const store::RoleGrant& g : account.roles) {
    if (g.role == role) return true;
  }
  return false;
}

bool Principal::CanCoordinate(store::ProgramId program) const {
  if (IsAdmin()) return true;
  for (const store::RoleGrant& g : account.roles) {
    if (GrantCovers(g, store::Role::kCoordinator, program)) return true;
  }
  return false;
}

bool Principal::CanReview(store::ProgramId program) const {
  if (CanCoordinate(program)) return true;
  for (const store::RoleGrant& g : account.roles) {
    if (GrantCovers(g, store::Role::kCommittee, program)) return true;
  }
  return false;
}

bool Principal::CoordinatesAll() const {
  if (IsAdmin()) return true;
  for (const store::RoleGrant& g : account.roles) {
    if (g.role == store::Role::kCoordinator && g.program.value == 0) return true;
  }
  return false;
}

http::Response JsonResponse(int status, const json& body) {
  return http::Response::Json(status, body.dump());
}

http::Response Problem(int status, std::string_view slug, std::string_view title,
                       std::string detail, json errors) {
  json body = {{"type", "/problems/" + std::string(slug)},
               {"title", std::string(title)},
               {"status", status},
               {"detail", std::move(detail)}};
  if (!errors.is_null()) body["errors"] = std::move(errors);
  http::Response r;
  r.status = status;
  r.body = body.dump();
  r.SetHeader("Content-Type", "application/problem+json");
  return r;
}

http::Response FieldProblem(std::string field, std::string reason) {
  std::string detail = field + ": " + reason;
  return Problem(422, "validation", "The request has invalid fields", std::move(detail),
                 json::array({{{"field", std::move(field)}, {"reason", std::move(reason)}}}));
}

http::Response FromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      if (status.message().find("already used") != std::string::npos) {
        return Problem(409, "conflict", "Conflict", status.message());
      }
      return Problem(422, "validation", "The request has invalid fields", status.message());
    case StatusCode::kNotFound:
      return NotFound(status.message());
    case StatusCode::kCancelled:
      return Problem(409, "cancelled", "Cancelled", status.message());
    case StatusCode::kOk:
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      break;
  }
  std::fprintf(stderr, "api: %s\n", status.ToString().c_str());
  return Problem(500, "internal", "Internal Server Error",
                 "the server could not complete the request; it has been logged");
}

std::optional<store::Program> ProgramParam(store::Store& store, const Context& ctx,
                                           http::Response* error) {
  const std::optional<std::int64_t> id = IdParam(ctx.param("program_id"));
  Result<store::Program> program =
      id ? store.GetProgram(store::ProgramId{*id}) : Result<store::Program>(Status::NotFound(""));
  if (!program.ok() || !(program->organization == ctx.org())) {
    *error = NotFound("program " + ctx.param("program_id"));
    return std::nullopt;
  }
  return std::move(program).value();
}

bool IsStructuralModel(const std::string& model) {
  return model == "speed" || model == "rotation" || model == "peer" || model == "group" ||
         model == "circle";
}

http::Response StoreRefusal(const Status& status) {
  const std::string& msg = status.message();
  const size_t colon = msg.find(": ");
  // "due_date: must be YYYY-MM-DD" names a field; "program 3 is closed" does not.
  if (status.code() == StatusCode::kInvalidArgument && colon != std::string::npos &&
      msg.find(' ') > colon) {
    return FieldProblem(msg.substr(0, colon), msg.substr(colon + 2));
  }
  return FromStatus(status);
}

http::Response Forbidden(std::string detail) {
  return Problem(403, "forbidden", "Forbidden", std::move(detail));
}

http::Response NotFound(std::string what) {
  return Problem(404, "not-found", "Not Found", std::move(what) + " not found");
}

std::optional<json> JsonBody(const http::Request& request, http::Response* error) {
  const std::optional<std::string_view> type = request.HeaderValue("Content-Type");
  if (!type || type->substr(0, 16) != "application/json") {
    *error = Problem(415, "unsupported-media-type", "Unsupported Media Type",
                     "send the body as application/json");
    return std::nullopt;
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    *error = Problem(400, "malformed-json", "Bad Request", "the body is not a JSON object");
    return std::nullopt;
  }
  return body;
}

std::optional<std::int64_t> IdParam(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

json PersonJson(const Person& p, bool with_private) {
  json skills_held = json::array();
  for (const SkillHeld& s : p.skills_held) {
    skills_held.push_back({{"skill", s.skill}, {"proficiency", s.proficiency}});
  }
  json skills_wanted = json::array();
  for (const SkillWanted& s : p.skills_wanted) {
    skills_wanted.push_back({{"skill", s.skill}, {"priority", s.priority}});
  }
  json hours = json::array();
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (p.availability.test(static_cast<size_t>(h))) hours.push_back(h);
  }
  json out = {{"id", p.id},
              {"name", p.name},
              {"email", p.email},
              {"title", p.title},
              {"department", p.department},
              {"site", p.site},
              {"time_zone", p.time_zone},
              {"utc_offset_minutes", p.utc_offset_minutes},
              {"seniority", p.seniority},
              {"manager_id", p.manager_id},
              {"languages", p.languages},
              {"skills_held", std::move(skills_held)},
              {"skills_wanted", std::move(skills_wanted)},
              {"career_goals", p.career_goals},
              {"interests", p.interests},
              {"learning_preferences", p.learning_preferences},
              {"communication_style", p.communication_style},
              {"meeting_preference", store::MeetingPreferenceName(p.meeting_preference)},
              {"available_hours_utc", std::move(hours)},
              {"role", store::PersonRoleName(p.role)},
              {"mentor_capacity", p.mentor_capacity}};
  if (with_private) {
    // Self-described background and personality are shown to the person and to admins only.
    json described = json::object();
    for (const auto& [key, value] : p.self_described) described[key] = value;
    out["self_described"] = std::move(described);
    out["prefer_shared_background"] = p.prefer_shared_background;
    out["preferred_mentors"] = p.preferred_mentors;
    if (p.personality) {
      out["personality"] = {{"openness", p.personality->openness},
                            {"conscientiousness", p.personality->conscientiousness},
                            {"extraversion", p.personality->extraversion},
                            {"agreeableness", p.personality->agreeableness},
                            {"neuroticism", p.personality->neuroticism}};
    }
  }
  return out;
}

json AccountJson(const store::Account& a) {
  json roles = json::array();
  for (const store::RoleGrant& g : a.roles) {
    json grant = {{"role", store::RoleName(g.role)}};
    grant["program_id"] = g.program.value == 0 ? json(nullptr) : json(g.program.value);
    roles.push_back(std::move(grant));
  }
  return {{"id", a.id.value},
          {"email", a.email},
          {"display_name", a.display_name},
          {"employee_id", a.employee_id.empty() ? json(nullptr) : json(a.employee_id)},
          {"roles", std::move(roles)},
          {"created_at", a.created_at}};
}

json ProgramJson(const store::Program& p) {
  json config = json::parse(p.config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) config = nullptr;
  return {{"id", p.id.value},
          {"name", p.name},
          {"model", p.model},
          {"status", store::ProgramStatusName(p.status)},
          {"config", std::move(config)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

json JobJson(const store::Job& j) {
  json result = nullptr;
  if (!j.result_json.empty()) {
    result = json::parse(j.result_json, nullptr, /*allow_exceptions=*/false);
    if (result.is_discarded()) result = nullptr;
  }
  return {{"id", j.id.value},
          {"kind", j.kind},
          {"program_id", j.program.value == 0 ? json(nullptr) : json(j.program.value)},
          {"state", store::JobStateName(j.state)},
          {"progress", j.progress},
          {"progress_message", j.progress_message},
          {"cancel_requested", j.cancel_requested},
          {"result", std::move(result)},
          {"error", j.error.empty() ? json(nullptr) : json(j.error)},
          {"created_at", j.created_at},
          {"started_at", j.started_at.empty() ? json(nullptr) : json(j.started_at)},
          {"finished_at", j.finished_at.empty() ? json(nullptr) : json(j.finished_at)}};
}

}  // namespace tandem::api::internal
