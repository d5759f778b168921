#pragma once
// Shared pieces of the API's route handlers (not part of the public header).

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/person.h"
#include "http/message.h"
#include "store/store.h"

namespace tandem::api::internal {

using json = nlohmann::json;

// The person behind a request's session.
struct Principal {
  store::Account account;
  std::string token_hash;
  std::string csrf_token;

  bool Has(store::Role role) const;
  bool IsAdmin() const { return Has(store::Role::kAdmin); }
  // Admin, or coordinator of `program` (or of every program).
  bool CanCoordinate(store::ProgramId program) const;
  // Coordinator, or committee member of `program` (or of every program).
  bool CanReview(store::ProgramId program) const;
  // Coordinator of every program (creates programs, imports people).
  bool CoordinatesAll() const;
};

struct Context {
  const http::Request& request;
  std::map<std::string, std::string> params;  // from the route's {placeholders}
  std::optional<Principal> principal;         // set on routes that require a session
  const Principal& who() const { return *principal; }
  store::OrganizationId org() const { return principal->account.organization; }
  const std::string& param(const std::string& name) const { return params.at(name); }
};

// application/problem+json (RFC 9457). `slug` names the problem type: "/problems/<slug>".
http::Response Problem(int status, std::string_view slug, std::string_view title,
                       std::string detail, json errors = nullptr);
// 422 naming one field.
http::Response FieldProblem(std::string field, std::string reason);
// kInvalidArgument -> 422 (409 when the message says "already used"), kNotFound -> 404,
// kCancelled -> 409, anything else -> 500 (logged, detail hidden).
http::Response FromStatus(const Status& status);
http::Response Forbidden(std::string detail = "your role does not allow this");
http::Response NotFound(std::string what);
http::Response JsonResponse(int status, const json& body);

// The request body as a JSON object; nullopt with `*error` set (415 or 400) when it is not one.
std::optional<json> JsonBody(const http::Request& request, http::Response* error);

// Positive integer path parameter; nullopt for anything else.
std::optional<std::int64_t> IdParam(std::string_view text);

// What handlers outside api.cc need of the API.
struct Services {
  store::Store& store;
  std::function<void(const Context&, std::string action, std::string target, json detail)> audit;
  std::function<void()> on_job_queued;
  // Tells a person something: in-app, and by the channels the server delivers (best effort: a
  // failure to queue is logged, never fails the request that caused it).
  std::function<void(store::OrganizationId, const std::string& employee_id, const std::string& kind,
                     const std::string& title, const std::string& body, const std::string& link)>
      notify;
};

using RouteAdder = std::function<void(const char* method, const char* pattern,
                                      std::function<http::Response(Context&)> handler)>;
// Committee review, publishing, relationships, goals, meetings and feedback (lifecycle.cc).
void AddLifecycleRoutes(const RouteAdder& add, Services& services);
// Program details, enrollment, suggestions and informal requests (enrollment.cc).
void AddEnrollmentRoutes(const RouteAdder& add, Services& services);
// Notifications, recognition, training resources and surveys (engagement.cc).
void AddEngagementRoutes(const RouteAdder& add, Services& services);

// A route handler calling member function `f` of `handlers`.
template <typename T>
std::function<http::Response(Context&)> Bind(T* handlers, http::Response (T::*f)(Context&)) {
  return [handlers, f](Context& ctx) { return (handlers->*f)(ctx); };
}

// Registers the routes of a handler object that `register_fn`-style Register(add) methods
// declare; the handlers keep the object alive.
template <typename T>
void AddRoutesOf(const RouteAdder& add, std::shared_ptr<T> handlers) {
  handlers->Register([&add, handlers](const char* method, const char* pattern,
                                      std::function<http::Response(Context&)> handler) {
    add(method, pattern,
        [handlers, handler = std::move(handler)](Context& ctx) { return handler(ctx); });
  });
}

// A program of the caller's organization named by the {program_id} parameter; otherwise
// nullopt with `*error` set to 404 (another organization's program is not confirmed to exist).
std::optional<store::Program> ProgramParam(store::Store& store, const Context& ctx,
                                           http::Response* error);

// A store refusal worded "<field>: <reason>" as a 422 naming the field; other statuses as
// FromStatus.
http::Response StoreRefusal(const Status& status);

// speed, rotation, peer, group and circle: programs whose runs are timetables, rounds, groups or
// circles rather than one-to-one proposals.
bool IsStructuralModel(const std::string& model);

json PersonJson(const Person& person, bool with_private);
json AccountJson(const store::Account& account);
json ProgramJson(const store::Program& program);
json JobJson(const store::Job& job);

}  // namespace tandem::api::internal
