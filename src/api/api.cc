#include "api/api.h"

#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "api/internal.h"
#include "io/config_json.h"
#include "io/people_import.h"
#include "matching/config.h"

namespace tandem::api {

using internal::Context;
using internal::FieldProblem;
using internal::Forbidden;
using internal::FromStatus;
using internal::IdParam;
using internal::json;
using internal::JsonResponse;
using internal::NotFound;
using internal::Principal;
using internal::Problem;

namespace {

constexpr const char* kSessionCookie = "tandem_session";
constexpr const char* kCsrfHeader = "X-CSRF-Token";

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) out.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

// "limit" query parameter: default 50, 1..kMaxPageSize.
std::optional<int> PageLimit(const http::Request& request, http::Response* error) {
  const std::optional<std::string_view> text = request.QueryValue("limit");
  if (!text) return 50;
  const std::optional<std::int64_t> n = IdParam(*text);
  if (!n || *n > store::kMaxPageSize) {
    *error = FieldProblem(
        "limit", "must be a whole number from 1 to " + std::to_string(store::kMaxPageSize));
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

std::string ClientAddress(const http::Request& request) { return request.remote_address; }

// Failed logins per key in a sliding window (in memory, per process: a login flood at one
// process is what it stops; several processes each hold their own count).
class LoginLimiter {
 public:
  LoginLimiter(int max_failures, int window_seconds)
      : max_failures_(max_failures), window_(window_seconds) {}

  // Seconds until `key` may try again; 0 when it may now.
  int RetryAfter(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = failures_.find(key);
    if (it == failures_.end()) return 0;
    Prune(it->second);
    if (static_cast<int>(it->second.size()) < max_failures_) return 0;
    const auto wait = it->second.front() + window_ - Clock::now();
    return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(wait).count()) + 1;
  }
  void Fail(const std::string& key) {
    std::lock_guard lock(mu_);
    auto& q = failures_[key];
    Prune(q);
    q.push_back(Clock::now());
    if (failures_.size() > 100000) failures_.clear();  // bound memory under a spray of keys
  }
  void Succeed(const std::string& key) {
    std::lock_guard lock(mu_);
    failures_.erase(key);
  }

 private:
  using Clock = std::chrono::steady_clock;
  void Prune(std::deque<Clock::time_point>& q) const {
    const auto cutoff = Clock::now() - window_;
    while (!q.empty() && q.front() <= cutoff) q.pop_front();
  }
  const int max_failures_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

using internal::IsStructuralModel;

const char* ModelDescription(matching::Model model) {
  switch (model) {
    case matching::Model::kTraditional:
      return "A more senior mentor guides a junior mentee over several months.";
    case matching::Model::kReverse:
      return "A junior mentor teaches a senior leader a skill the mentor holds (digital, new "
             "ways of working).";
    case matching::Model::kSkillBased:
      return "Pairs are made for one skill the mentee wants; seniority hardly matters.";
    case matching::Model::kVirtual:
      return "Remote pairs across sites: time zones and shared availability weigh most.";
  }
  return "";
}

}  // namespace

struct Api::Impl {
  using Handler = http::Response (Impl::*)(Context&);
  using Function = std::function<http::Response(Context&)>;
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" captures one segment
    std::string pattern;
    bool requires_session = true;
    Function handler;
  };

  Impl(store::Store& s, ApiOptions o)
      : store(s),
        options(std::move(o)),
        limiter(options.max_login_failures, options.login_window_seconds),
        services{store,
                 [this](const Context& ctx, std::string action, std::string target, json detail) {
                   Audit(ctx, std::move(action), std::move(target), std::move(detail));
                 },
                 options.on_job_queued,
                 [this](store::OrganizationId org, const std::string& who, const std::string& kind,
                        const std::string& title, const std::string& body,
                        const std::string& link) { Notify(org, who, kind, title, body, link); }} {
    Add("GET", "/api/v1/health", &Impl::Health, false);
    Add("POST", "/api/v1/session", &Impl::Login, false);
    Add("GET", "/api/v1/session", &Impl::CurrentSession);
    Add("DELETE", "/api/v1/session", &Impl::Logout);
    Add("GET", "/api/v1/accounts", &Impl::ListAccounts);
    Add("POST", "/api/v1/accounts", &Impl::CreateAccount);
    Add("GET", "/api/v1/people", &Impl::ListPeople);
    Add("POST", "/api/v1/people/import", &Impl::ImportPeople);
    Add("GET", "/api/v1/people/{employee_id}", &Impl::GetPerson);
    Add("PUT", "/api/v1/people/{employee_id}", &Impl::PutPerson);
    Add("GET", "/api/v1/program-templates", &Impl::ProgramTemplates);
    Add("GET", "/api/v1/programs", &Impl::ListPrograms);
    Add("POST", "/api/v1/programs", &Impl::CreateProgram);
    Add("GET", "/api/v1/programs/{program_id}", &Impl::GetProgram);
    Add("PATCH", "/api/v1/programs/{program_id}", &Impl::UpdateProgram);
    Add("POST", "/api/v1/programs/{program_id}/status", &Impl::ChangeProgramStatus);
    Add("GET", "/api/v1/programs/{program_id}/runs", &Impl::ListRuns);
    Add("POST", "/api/v1/programs/{program_id}/runs", &Impl::StartRun);
    Add("GET", "/api/v1/programs/{program_id}/jobs", &Impl::ListJobs);
    Add("GET", "/api/v1/runs/{run_id}", &Impl::GetRun);
    Add("GET", "/api/v1/jobs/{job_id}", &Impl::GetJob);
    Add("POST", "/api/v1/jobs/{job_id}/cancel", &Impl::CancelJob);
    Add("GET", "/api/v1/audit", &Impl::ListAudit);
    const internal::RouteAdder adder = [this](const char* method, const char* pattern,
                                              Function handler) {
      routes.push_back({method, Split(pattern), pattern, true, std::move(handler)});
    };
    internal::AddLifecycleRoutes(adder, services);
    internal::AddEnrollmentRoutes(adder, services);
    internal::AddEngagementRoutes(adder, services);
  }

  void Add(const char* method, const char* pattern, Handler handler, bool session = true) {
    routes.push_back({method, Split(pattern), pattern, session,
                      [this, handler](Context& ctx) { return (this->*handler)(ctx); }});
  }

  http::Response Handle(const http::Request& request) {
    const std::vector<std::string> segments = Split(request.path);
    const Route* match = nullptr;
    std::map<std::string, std::string> params;
    std::string allowed;
    for (const Route& route : routes) {
      std::map<std::string, std::string> captured;
      if (!Matches(route, segments, &captured)) continue;
      const bool head_as_get = request.method == "HEAD" && route.method == "GET";
      if (route.method != request.method && !head_as_get) {
        allowed += (allowed.empty() ? "" : ", ") + route.method;
        continue;
      }
      match = &route;
      params = std::move(captured);
      break;
    }
    if (match == nullptr) {
      if (!allowed.empty()) {
        http::Response r = Problem(405, "method-not-allowed", "Method Not Allowed",
                                   request.method + " is not allowed on " + request.path);
        r.SetHeader("Allow", allowed);
        return r;
      }
      return NotFound("resource " + request.path);
    }
    if (IsUnsafe(request.method) && !SameOrigin(request)) {
      return Forbidden("cross-origin request refused (the Origin header names another site)");
    }
    Context ctx{request, std::move(params), std::nullopt};
    if (match->requires_session) {
      std::optional<Principal> principal = Authenticate(request);
      if (!principal) {
        return Problem(401, "unauthenticated", "Unauthorized",
                       "log in first: POST /api/v1/session");
      }
      if (IsUnsafe(request.method)) {
        const std::optional<std::string_view> csrf = request.HeaderValue(kCsrfHeader);
        if (!csrf || !auth::ConstantTimeEquals(*csrf, principal->csrf_token)) {
          return Problem(403, "csrf", "Forbidden",
                         std::string("missing or wrong ") + kCsrfHeader +
                             " header (use the csrf_token the session gave you)");
        }
      }
      ctx.principal = std::move(principal);
    }
    try {
      http::Response response = match->handler(ctx);
      if (request.method == "HEAD") response.body.clear();  // same headers, no body (RFC 9110)
      return response;
    } catch (const json::exception& e) {
      // A field of the wrong JSON type (e.g. a number where text was expected).
      return Problem(422, "validation", "The request has invalid fields",
                     std::string("a field has the wrong type: ") + e.what());
    }
  }

  static bool Matches(const Route& route, const std::vector<std::string>& segments,
                      std::map<std::string, std::string>* captured) {
    if (route.segments.size() != segments.size()) return false;
    for (size_t i = 0; i < segments.size(); ++i) {
      const std::string& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        (*captured)[want.substr(1, want.size() - 2)] = segments[i];
      } else if (want != segments[i]) {
        return false;
      }
    }
    return true;
  }

  // A browser sends Origin on cross-site POSTs; refuse those that name another host. Requests
  // without Origin (curl, server-to-server) pass: they carry no ambient cookie of a victim.
  static bool SameOrigin(const http::Request& request) {
    const std::optional<std::string_view> origin = request.HeaderValue("Origin");
    if (!origin) return true;
    if (*origin == "null") return false;  // sandboxed or privacy-sensitive context
    const std::optional<std::string_view> host = request.HeaderValue("Host");
    if (!host) return false;
    const size_t scheme = origin->find("://");
    if (scheme == std::string_view::npos) return false;
    return origin->substr(scheme + 3) == *host;
  }

  std::optional<Principal> Authenticate(const http::Request& request) {
    const std::optional<std::string> token = request.Cookie(kSessionCookie);
    if (!token || token->empty() || token->size() > 128) return std::nullopt;
    const std::string hash = auth::TokenHash(*token);
    Result<store::Session> session = store.GetSession(hash);
    if (!session.ok()) return std::nullopt;
    Result<store::Account> account = store.GetAccount(session->account);
    if (!account.ok()) return std::nullopt;
    return Principal{std::move(account).value(), hash, session->csrf_token};
  }

  void Audit(const Context& ctx, std::string action, std::string target, json detail = {}) {
    store::NewAuditEntry e;
    e.organization = ctx.org();
    e.actor = ctx.who().account.id;
    e.action = std::move(action);
    e.target = std::move(target);
    e.detail_json = detail.is_null() ? "{}" : detail.dump();
    if (Status s = store.AppendAudit(e); !s.ok()) {
      std::fprintf(stderr, "api: audit log write failed: %s\n", s.ToString().c_str());
    }
  }

  void Notify(store::OrganizationId org, const std::string& who, const std::string& kind,
              const std::string& title, const std::string& body, const std::string& link) {
    if (who.empty()) return;
    store::NewNotification n{org, who, kind, title, body, link, options.notification_channels};
    if (Result<store::NotificationId> id = store.Notify(n); !id.ok()) {
      std::fprintf(stderr, "api: notification not queued: %s\n", id.status().ToString().c_str());
      return;
    }
    if (!n.channels.empty() && options.on_notification_queued) options.on_notification_queued();
  }

  // Loads a program of the caller's organization (404 for another organization's: its existence
  // is not revealed).
  std::optional<store::Program> LoadProgram(const Context& ctx, http::Response* error) {
    return internal::ProgramParam(store, ctx, error);
  }

  // ---- handlers ----

  http::Response Health(Context&) { return JsonResponse(200, {{"status", "ok"}}); }

  http::Response Login(Context& ctx) {
    http::Response error;
    std::optional<json> body = internal::JsonBody(ctx.request, &error);
    if (!body) return error;
    if (!body->contains("email") || !(*body)["email"].is_string()) {
      return FieldProblem("email", "required");
    }
    if (!body->contains("password") || !(*body)["password"].is_string()) {
      return FieldProblem("password", "required");
    }
    const std::string email = (*body)["email"].get<std::string>();
    const std::string password = (*body)["password"].get<std::string>();
    std::string lowered = email;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string by_email = "email:" + lowered;
    const std::string by_address = "address:" + ClientAddress(ctx.request);
    const int wait = std::max(limiter.RetryAfter(by_email), limiter.RetryAfter(by_address));
    if (wait > 0) {
      http::Response r =
          Problem(429, "too-many-logins", "Too Many Requests",
                  "too many failed logins; try again in " + std::to_string(wait) + " seconds");
      r.SetHeader("Retry-After", std::to_string(wait));
      return r;
    }
    Result<store::Account> account = store.FindAccountByEmail(email);
    // Verify against a fixed hash when the account is unknown, so timing does not tell which
    // emails have accounts.
    const bool ok =
        auth::VerifyPassword(account.ok() ? account->password_hash : dummy_hash, password) &&
        account.ok();
    if (!ok) {
      limiter.Fail(by_email);
      limiter.Fail(by_address);
      if (account.ok()) {
        store::NewAuditEntry e{account->organization, account->id, "session.login_failed",
                               "account/" + std::to_string(account->id.value), "{}"};
        (void)store.AppendAudit(e);
      }
      return Problem(401, "bad-credentials", "Unauthorized", "wrong email or password");
    }
    limiter.Succeed(by_email);
    if (auth::NeedsRehash(account->password_hash, options.hash_cost)) {
      Result<std::string> rehashed = auth::HashPassword(password, options.hash_cost);
      if (rehashed.ok()) (void)store.SetPasswordHash(account->id, *rehashed);
    }
    const std::string token = auth::RandomToken();
    store::NewSession ns{auth::TokenHash(token), account->id, auth::RandomToken(),
                         options.session_ttl_seconds};
    Result<store::Session> session = store.CreateSession(ns);
    if (!session.ok()) return FromStatus(session.status());
    ctx.principal = Principal{*account, ns.token_hash, ns.csrf_token};
    Audit(ctx, "session.login", "account/" + std::to_string(account->id.value));
    http::Response r = JsonResponse(200, SessionJson(*ctx.principal, session->expires_at));
    std::string cookie = std::string(kSessionCookie) + "=" + token +
                         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                         std::to_string(options.session_ttl_seconds);
    if (options.secure_cookies) cookie += "; Secure";
    r.AddHeader("Set-Cookie", cookie);
    return r;
  }

  static json SessionJson(const Principal& who, const std::string& expires_at) {
    json out = {{"account", internal::AccountJson(who.account)}, {"csrf_token", who.csrf_token}};
    if (!expires_at.empty()) out["expires_at"] = expires_at;
    return out;
  }

  http::Response CurrentSession(Context& ctx) {
    Result<store::Session> session = store.GetSession(ctx.who().token_hash);
    return JsonResponse(200, SessionJson(ctx.who(), session.ok() ? session->expires_at : ""));
  }

  http::Response Logout(Context& ctx) {
    if (Status s = store.DeleteSession(ctx.who().token_hash); !s.ok()) return FromStatus(s);
    Audit(ctx, "session.logout", "account/" + std::to_string(ctx.who().account.id.value));
    http::Response r;
    r.status = 204;
    r.AddHeader("Set-Cookie",
                std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
  }

  http::Response ListAccounts(Context& ctx) {
    if (!ctx.who().IsAdmin()) return Forbidden();
    Result<std::vector<store::Account>> accounts = store.ListAccounts(ctx.org());
    if (!accounts.ok()) return FromStatus(accounts.status());
    json items = json::array();
    for (const store::Account& a : *accounts) items.push_back(internal::AccountJson(a));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response CreateAccount(Context& ctx) {
    if (!ctx.who().IsAdmin()) return Forbidden();
    http::Response error;
    std::optional<json> body = internal::JsonBody(ctx.request, &error);
    if (!body) return error;
    store::NewAccount na;
    for (const char* field : {"email", "display_name", "password"}) {
      if (!body->contains(field) || !(*body)[field].is_string() ||
          (*body)[field].get<std::string>().empty()) {
        return FieldProblem(field, "required");
      }
    }
    na.email = (*body)["email"].get<std::string>();
    if (na.email.find('@') == std::string::npos) {
      return FieldProblem("email", "not an email address: '" + na.email + "'");
    }
    na.display_name = (*body)["display_name"].get<std::string>();
    na.employee_id = body->value("employee_id", "");
    if (!na.employee_id.empty()) {
      Result<Person> person = store.GetPerson(ctx.org(), na.employee_id);
      if (!person.ok()) {
        return FieldProblem("employee_id", "no person with employee id '" + na.employee_id + "'");
      }
    }
    if (body->contains("roles")) {
      const json& roles = (*body)["roles"];
      if (!roles.is_array()) return FieldProblem("roles", "must be an array");
      for (size_t i = 0; i < roles.size(); ++i) {
        const std::string field = "roles[" + std::to_string(i) + "]";
        if (!roles[i].is_object() || !roles[i].contains("role") || !roles[i]["role"].is_string()) {
          return FieldProblem(field + ".role", "required");
        }
        const std::optional<store::Role> role =
            store::ParseRole(roles[i]["role"].get<std::string>());
        if (!role) return FieldProblem(field + ".role", "unknown role");
        store::RoleGrant grant{*role, {}};
        if (roles[i].contains("program_id") && !roles[i]["program_id"].is_null()) {
          grant.program = store::ProgramId{roles[i]["program_id"].get<std::int64_t>()};
        }
        na.roles.push_back(grant);
      }
    }
    Result<std::string> hash =
        auth::HashPassword((*body)["password"].get<std::string>(), options.hash_cost);
    if (!hash.ok()) {
      return hash.status().code() == StatusCode::kInvalidArgument
                 ? FieldProblem("password", hash.status().message().substr(10))
                 : FromStatus(hash.status());
    }
    na.password_hash = std::move(hash).value();
    Result<store::AccountId> id = store.CreateAccount(ctx.org(), na);
    if (!id.ok()) return FromStatus(id.status());
    Audit(ctx, "account.create", "account/" + std::to_string(id->value), {{"email", na.email}});
    Result<store::Account> account = store.GetAccount(*id);
    if (!account.ok()) return FromStatus(account.status());
    http::Response r = JsonResponse(201, internal::AccountJson(*account));
    r.SetHeader("Location", "/api/v1/accounts/" + std::to_string(id->value));
    return r;
  }

  // Everyone who organizes matching may read the people directory.
  static bool CanReadPeople(const Principal& who) {
    return who.IsAdmin() || who.Has(store::Role::kCoordinator) || who.Has(store::Role::kCommittee);
  }

  http::Response ListPeople(Context& ctx) {
    if (!CanReadPeople(ctx.who())) return Forbidden();
    http::Response error;
    const std::optional<int> limit = PageLimit(ctx.request, &error);
    if (!limit) return error;
    const std::string cursor(ctx.request.QueryValue("cursor").value_or(""));
    Result<store::PeoplePage> page = store.ListPeople(ctx.org(), cursor, *limit);
    if (!page.ok()) return FromStatus(page.status());
    json items = json::array();
    for (const Person& p : page->people) items.push_back(internal::PersonJson(p, false));
    Result<std::int64_t> total = store.CountPeople(ctx.org());
    return JsonResponse(
        200, {{"items", std::move(items)},
              {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)},
              {"total", total.ok() ? json(*total) : json(nullptr)}});
  }

  http::Response GetPerson(Context& ctx) {
    const std::string& id = ctx.param("employee_id");
    const bool self = !ctx.who().account.employee_id.empty() && ctx.who().account.employee_id == id;
    if (!self && !CanReadPeople(ctx.who())) return Forbidden();
    Result<Person> person = store.GetPerson(ctx.org(), id);
    if (!person.ok()) return FromStatus(person.status());
    const bool with_private = self || ctx.who().IsAdmin();
    if (with_private && !self) Audit(ctx, "person.read_private", "person/" + id);
    return JsonResponse(200, internal::PersonJson(*person, with_private));
  }

  // Replaces a profile: by an admin (every field), or by the person (their own skills, goals,
  // interests, preferences, availability, languages and self-description; the HR fields stay as
  // imported). The body is one person in the import JSON format (docs/import-format.md).
  http::Response PutPerson(Context& ctx) {
    const std::string& id = ctx.param("employee_id");
    const bool self = !ctx.who().account.employee_id.empty() && ctx.who().account.employee_id == id;
    if (!self && !ctx.who().IsAdmin()) return Forbidden("you may edit your own profile");
    Result<Person> stored = store.GetPerson(ctx.org(), id);
    if (!stored.ok()) return FromStatus(stored.status());
    http::Response error;
    std::optional<json> body = internal::JsonBody(ctx.request, &error);
    if (!body) return error;
    json row = *body;
    row["id"] = id;
    if (!row.contains("name")) row["name"] = stored->name;
    // References to other people are checked against the store, not inside this one-row file.
    const json manager = row.value("manager_id", json(nullptr));
    const json preferred = row.value("preferred_mentors", json(nullptr));
    row.erase("manager_id");
    row.erase("preferred_mentors");
    Result<io::PeopleImport> parsed =
        io::ImportPeopleJson(json::array({row}).dump(), "profile", {});
    if (!parsed.ok()) {
      // "profile:1: element [0]: field 'email': not an email address: 'x'"
      const std::string& msg = parsed.status().message();
      const size_t field = msg.find("field '");
      if (field != std::string::npos) {
        const size_t end = msg.find('\'', field + 7);
        return FieldProblem(msg.substr(field + 7, end - field - 7), msg.substr(end + 3));
      }
      return Problem(422, "validation", "The request has invalid fields", msg);
    }
    Person person = parsed->people.front();
    if (self && !ctx.who().IsAdmin()) {
      person.name = stored->name;
      person.email = stored->email;
      person.title = stored->title;
      person.department = stored->department;
      person.site = stored->site;
      person.seniority = stored->seniority;
      person.manager_id = stored->manager_id;
      person.role = stored->role;
      person.mentor_capacity = stored->mentor_capacity;
    } else if (manager.is_string() && !manager.get<std::string>().empty()) {
      if (!store.GetPerson(ctx.org(), manager.get<std::string>()).ok()) {
        return FieldProblem("manager_id",
                            "no person with employee id '" + manager.get<std::string>() + "'");
      }
      person.manager_id = manager.get<std::string>();
    } else {
      person.manager_id = manager.is_null() ? stored->manager_id : "";
    }
    if (preferred.is_array()) {
      person.preferred_mentors.clear();
      for (const json& m : preferred) {
        if (!m.is_string() || !store.GetPerson(ctx.org(), m.get<std::string>()).ok() ||
            m.get<std::string>() == id) {
          return FieldProblem("preferred_mentors", "each must be another person's employee id");
        }
        person.preferred_mentors.push_back(m.get<std::string>());
      }
    } else {
      person.preferred_mentors = stored->preferred_mentors;
    }
    Result<int> written = store.UpsertPeople(ctx.org(), {person});
    if (!written.ok()) return FromStatus(written.status());
    Audit(ctx, self ? "person.edit_own" : "person.edit", "person/" + id, {});
    Result<Person> updated = store.GetPerson(ctx.org(), id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, internal::PersonJson(*updated, true));
  }

  http::Response ImportPeople(Context& ctx) {
    if (!ctx.who().CoordinatesAll()) return Forbidden();
    const std::string mode(ctx.request.QueryValue("mode").value_or("preview"));
    if (mode != "preview" && mode != "commit") {
      return FieldProblem("mode", "must be 'preview' or 'commit'");
    }
    const std::string type(ctx.request.HeaderValue("Content-Type").value_or(""));
    const bool is_json = type.rfind("application/json", 0) == 0;
    if (!is_json && type.rfind("text/csv", 0) != 0) {
      return Problem(415, "unsupported-media-type", "Unsupported Media Type",
                     "send the people file as text/csv or application/json");
    }
    io::ImportOptions import_options;
    import_options.skip_bad_rows = true;  // collect every row's problems
    const char* source = is_json ? "upload.json" : "upload.csv";
    Result<io::PeopleImport> imported =
        is_json ? io::ImportPeopleJson(ctx.request.body, source, import_options)
                : io::ImportPeopleCsv(ctx.request.body, source, import_options);
    if (!imported.ok()) {
      // The whole file is unreadable (no header, bad encoding, malformed JSON).
      return Problem(422, "unreadable-file", "The file cannot be imported",
                     imported.status().message());
    }
    json errors = json::array();
    for (const io::RowError& e : imported->errors) {
      json item = {{"line", e.line}, {"field", e.column}, {"reason", e.reason}};
      if (e.element >= 0) item["element"] = e.element;
      errors.push_back(std::move(item));
    }
    // New versus updated, against what is stored now.
    int updates = 0;
    for (const Person& p : imported->people) {
      if (store.GetPerson(ctx.org(), p.id).ok()) ++updates;
    }
    json summary = {{"rows_read", imported->rows_read},
                    {"valid_rows", imported->people.size()},
                    {"rows_with_errors", imported->rows_skipped},
                    {"new_people", static_cast<int>(imported->people.size()) - updates},
                    {"updated_people", updates},
                    {"errors", errors}};
    if (mode == "preview") {
      summary["committed"] = false;
      return JsonResponse(200, summary);
    }
    if (imported->rows_skipped > 0) {
      return Problem(
          422, "invalid-rows", "Some rows are invalid; nothing was imported",
          std::to_string(imported->rows_skipped) + " rows have errors; fix them and commit again",
          std::move(errors));
    }
    Result<int> written = store.UpsertPeople(ctx.org(), imported->people);
    if (!written.ok()) return FromStatus(written.status());
    summary["committed"] = true;
    Audit(ctx, "people.import", "people",
          {{"rows", *written}, {"new", summary["new_people"]}, {"updated", updates}});
    return JsonResponse(200, summary);
  }

  http::Response ProgramTemplates(Context&) {
    json items = json::array();
    for (int m = 0; m < matching::kModelCount; ++m) {
      const auto model = static_cast<matching::Model>(m);
      items.push_back({{"model", matching::ModelName(model)},
                       {"description", ModelDescription(model)},
                       {"config", json::parse(io::ConfigToJson(matching::DefaultConfig(model)))}});
    }
    const json scoring =
        json::parse(io::ConfigToJson(matching::DefaultConfig(matching::Model::kTraditional)));
    const std::pair<const char*, const char*> structural[] = {
        {"speed",
         "Speed mentoring: short meetings in T time slots; everyone meets the mentors "
         "who fit them best, one partner per slot, laid out as a timetable."},
        {"rotation",
         "Rotation: R rounds of one-to-one pairs, each round the best pairing "
         "without repeating a pair from an earlier round."},
        {"peer", "Peer mentoring: pairs from one pool of colleagues at similar levels."},
        {"group", "Mentor-led groups: each mentor leads a group of mentees who share goals."},
        {"circle", "Peer circles: small circles of colleagues with shared goals, no mentor."},
    };
    for (const auto& [name, description] : structural) {
      items.push_back(
          {{"model", name},
           {"description", description},
           {"config", scoring},
           {"model_options",
            {{"slots", 6}, {"rounds", 4}, {"group_min", 2}, {"circle_size", 4}, {"mix", false}}}});
    }
    return JsonResponse(200, {{"items", std::move(items)}});
  }

  http::Response ListPrograms(Context& ctx) {
    Result<std::vector<store::Program>> programs = store.ListPrograms(ctx.org());
    if (!programs.ok()) return FromStatus(programs.status());
    json items = json::array();
    for (const store::Program& p : *programs) items.push_back(internal::ProgramJson(p));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  // The program's configuration from the request: the model's template, with the body's
  // "config" object (the configuration file's format, docs/matching.md) laid over it.
  static std::optional<matching::MatchConfig> ConfigFromBody(const json& body,
                                                             matching::Model model,
                                                             const std::string& base_json,
                                                             http::Response* error) {
    json merged = json::parse(
        base_json.empty() ? io::ConfigToJson(matching::DefaultConfig(model)) : base_json, nullptr,
        false);
    if (merged.is_discarded()) merged = json::object();
    if (body.contains("config")) {
      if (!body["config"].is_object()) {
        *error = FieldProblem("config", "must be an object");
        return std::nullopt;
      }
      merged.merge_patch(body["config"]);
    }
    merged["model"] = matching::ModelName(model);
    Result<matching::MatchConfig> config = io::ParseConfigJson(merged.dump(), "config");
    if (!config.ok()) {
      *error = FieldProblem("config", config.status().message());
      return std::nullopt;
    }
    return std::move(config).value();
  }

  http::Response CreateProgram(Context& ctx) {
    if (!ctx.who().CoordinatesAll()) return Forbidden();
    http::Response error;
    std::optional<json> body = internal::JsonBody(ctx.request, &error);
    if (!body) return error;
    if (!body->contains("name") || !(*body)["name"].is_string() ||
        (*body)["name"].get<std::string>().empty()) {
      return FieldProblem("name", "required");
    }
    const std::string model_name = body->value("model", "traditional");
    // The structural models score pairs with a traditional configuration; their own options
    // (slots, rounds, sizes) are in the program's details.
    const std::optional<matching::Model> model = IsStructuralModel(model_name)
                                                     ? matching::Model::kTraditional
                                                     : matching::ParseModel(model_name);
    if (!model) {
      return FieldProblem("model", "unknown model '" + model_name +
                                       "' (traditional, reverse, skill_based, virtual, speed, "
                                       "rotation, peer, group or circle)");
    }
    std::optional<matching::MatchConfig> config = ConfigFromBody(*body, *model, "", &error);
    if (!config) return error;
    store::NewProgram np{(*body)["name"].get<std::string>(),
                         IsStructuralModel(model_name) ? model_name : matching::ModelName(*model),
                         io::ConfigToJson(*config)};
    Result<store::ProgramId> id = store.CreateProgram(ctx.org(), np);
    if (!id.ok()) return FromStatus(id.status());
    Audit(ctx, "program.create", "program/" + std::to_string(id->value), {{"name", np.name}});
    Result<store::Program> program = store.GetProgram(*id);
    if (!program.ok()) return FromStatus(program.status());
    http::Response r = JsonResponse(201, internal::ProgramJson(*program));
    r.SetHeader("Location", "/api/v1/programs/" + std::to_string(id->value));
    return r;
  }

  http::Response GetProgram(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    return JsonResponse(200, internal::ProgramJson(*program));
  }

  http::Response UpdateProgram(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    std::optional<json> body = internal::JsonBody(ctx.request, &error);
    if (!body) return error;
    std::string name = program->name;
    if (body->contains("name")) {
      if (!(*body)["name"].is_string() || (*body)["name"].get<std::string>().empty()) {
        return FieldProblem("name", "must be non-empty text");
      }
      name = (*body)["name"].get<std::string>();
    }
    const std::optional<matching::Model> model = IsStructuralModel(program->model)
                                                     ? matching::Model::kTraditional
                                                     : matching::ParseModel(program->model);
    if (!model) return FromStatus(Status::Internal("stored program has unknown model"));
    std::optional<matching::MatchConfig> config =
        ConfigFromBody(*body, *model, program->config_json, &error);
    if (!config) return error;
    if (Status s = store.UpdateProgram(program->id, name, io::ConfigToJson(*config)); !s.ok()) {
      return FromStatus(s);
    }
    Audit(ctx, "program.update", "program/" + std::to_string(program->id.value), *body);
    Result<store::Program> updated = store.GetProgram(program->id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, internal::ProgramJson(*updated));
  }

  http::Response ChangeProgramStatus(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    std::optional<json> body = internal::JsonBody(ctx.request, &error);
    if (!body) return error;
    const std::string to_name = body->value("status", "");
    const std::optional<store::ProgramStatus> to = store::ParseProgramStatus(to_name);
    if (!to) {
      return FieldProblem("status", "must be one of draft, enrolling, matching, active, closed");
    }
    if (!store::IsAllowedTransition(program->status, *to)) {
      return Problem(409, "invalid-transition", "Conflict",
                     std::string("status cannot change from ") +
                         store::ProgramStatusName(program->status) + " to " + to_name);
    }
    if (Status s = store.UpdateProgramStatus(program->id, *to); !s.ok()) return FromStatus(s);
    Audit(ctx, "program.status", "program/" + std::to_string(program->id.value),
          {{"from", store::ProgramStatusName(program->status)}, {"to", to_name}});
    Result<store::Program> updated = store.GetProgram(program->id);
    if (!updated.ok()) return FromStatus(updated.status());
    return JsonResponse(200, internal::ProgramJson(*updated));
  }

  http::Response ListRuns(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanReview(program->id) && !ctx.who().Has(store::Role::kExecutive)) {
      return Forbidden();
    }
    Result<std::vector<store::MatchRun>> runs = store.ListMatchRuns(program->id);
    if (!runs.ok()) return FromStatus(runs.status());
    json items = json::array();
    for (const store::MatchRun& run : *runs) {
      json summary = json::parse(run.summary_json, nullptr, false);
      items.push_back({{"id", run.id.value},
                       {"program_id", program->id.value},
                       {"rematch", run.rematch},
                       {"created_at", run.created_at},
                       {"summary", summary.is_discarded() ? json(nullptr) : summary}});
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response StartRun(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    // Matching proposes pairs in status matching; in status active it re-matches the people
    // left without a partner (after a relationship ended, or people who joined later).
    if (program->status != store::ProgramStatus::kMatching &&
        program->status != store::ProgramStatus::kActive) {
      return Problem(409, "wrong-status", "Conflict",
                     std::string("a program is matched in status matching (or re-matched while "
                                 "active); this one is ") +
                         store::ProgramStatusName(program->status));
    }
    json payload = {{"program_id", program->id.value}};
    if (!ctx.request.body.empty()) {
      std::optional<json> body = internal::JsonBody(ctx.request, &error);
      if (!body) return error;
      if (body->contains("keep_locked_from")) {
        // Re-run around the pairs the committee locked in an earlier run of this program.
        const json& from = (*body)["keep_locked_from"];
        Result<store::MatchRun> earlier =
            from.is_number_integer()
                ? store.GetMatchRun(store::MatchRunId{from.get<std::int64_t>()})
                : Result<store::MatchRun>(Status::NotFound("run"));
        if (!earlier.ok() || !(earlier->program == program->id)) {
          return FieldProblem("keep_locked_from", "not a run of this program");
        }
        payload["keep_locked_from"] = from;
      }
    }
    store::NewJob job{ctx.org(), program->id, "match", payload.dump(), ctx.who().account.id};
    Result<store::JobId> id = store.CreateJob(job);
    if (!id.ok()) return FromStatus(id.status());
    Audit(ctx, "run.start", "program/" + std::to_string(program->id.value),
          {{"job_id", id->value}});
    if (options.on_job_queued) options.on_job_queued();
    Result<store::Job> created = store.GetJob(*id);
    if (!created.ok()) return FromStatus(created.status());
    http::Response r = JsonResponse(202, internal::JobJson(*created));
    r.SetHeader("Location", "/api/v1/jobs/" + std::to_string(id->value));
    return r;
  }

  http::Response ListJobs(Context& ctx) {
    http::Response error;
    std::optional<store::Program> program = LoadProgram(ctx, &error);
    if (!program) return error;
    if (!ctx.who().CanCoordinate(program->id)) return Forbidden();
    Result<std::vector<store::Job>> jobs = store.ListJobs(program->id, 50);
    if (!jobs.ok()) return FromStatus(jobs.status());
    json items = json::array();
    for (const store::Job& j : *jobs) items.push_back(internal::JobJson(j));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  std::optional<store::Job> LoadJob(const Context& ctx, http::Response* error) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("job_id"));
    Result<store::Job> job =
        id ? store.GetJob(store::JobId{*id}) : Result<store::Job>(Status::NotFound("job"));
    if (!job.ok() || !(job->organization == ctx.org())) {
      *error = NotFound("job " + ctx.param("job_id"));
      return std::nullopt;
    }
    if (!ctx.who().CanCoordinate(job->program)) {
      *error = Forbidden();
      return std::nullopt;
    }
    return std::move(job).value();
  }

  http::Response GetJob(Context& ctx) {
    http::Response error;
    std::optional<store::Job> job = LoadJob(ctx, &error);
    if (!job) return error;
    return JsonResponse(200, internal::JobJson(*job));
  }

  http::Response CancelJob(Context& ctx) {
    http::Response error;
    std::optional<store::Job> job = LoadJob(ctx, &error);
    if (!job) return error;
    Result<store::Job> cancelled = store.RequestJobCancel(job->id);
    if (!cancelled.ok()) return FromStatus(cancelled.status());
    Audit(ctx, "job.cancel", "job/" + std::to_string(job->id.value));
    return JsonResponse(202, internal::JobJson(*cancelled));
  }

  http::Response GetRun(Context& ctx) {
    const std::optional<std::int64_t> id = IdParam(ctx.param("run_id"));
    if (!id) return NotFound("run " + ctx.param("run_id"));
    Result<store::MatchRun> run = store.GetMatchRun(store::MatchRunId{*id});
    if (!run.ok()) return NotFound("run " + std::to_string(*id));
    Result<store::Program> program = store.GetProgram(run->program);
    if (!program.ok() || !(program->organization == ctx.org())) {
      return NotFound("run " + std::to_string(*id));
    }
    if (!ctx.who().CanReview(program->id)) return Forbidden();
    json pairs = json::array();
    for (const store::RunPair& p : run->pairs) {
      json factors = json::object();
      for (size_t c = 0; c < p.factors.size() && c < matching::kCriterionCount; ++c) {
        factors[matching::CriterionName(static_cast<matching::Criterion>(c))] = p.factors[c];
      }
      pairs.push_back({{"mentee_id", p.mentee_id},
                       {"mentor_id", p.mentor_id},
                       {"score", p.score},
                       {"factors", std::move(factors)},
                       {"skills_for", p.skills_for},
                       {"explanation", p.explanation},
                       {"slot", p.slot}});
    }
    json unmatched = json::array();
    for (const store::RunUnmatched& u : run->unmatched) {
      unmatched.push_back({{"mentee_id", u.mentee_id}, {"reason", u.reason}});
    }
    json summary = json::parse(run->summary_json, nullptr, false);
    json config = json::parse(run->config_json, nullptr, false);
    if (ctx.who().IsAdmin()) Audit(ctx, "run.read_private", "run/" + std::to_string(*id));
    return JsonResponse(200, {{"id", run->id.value},
                              {"program_id", program->id.value},
                              {"model", program->model},
                              {"rematch", run->rematch},
                              {"created_at", run->created_at},
                              {"config", config.is_discarded() ? json(nullptr) : config},
                              {"summary", summary.is_discarded() ? json(nullptr) : summary},
                              {"pairs", std::move(pairs)},
                              {"unmatched", std::move(unmatched)}});
  }

  http::Response ListAudit(Context& ctx) {
    if (!ctx.who().IsAdmin()) return Forbidden();
    http::Response error;
    const std::optional<int> limit = PageLimit(ctx.request, &error);
    if (!limit) return error;
    std::int64_t before = 0;
    if (std::optional<std::string_view> cursor = ctx.request.QueryValue("cursor")) {
      const std::optional<std::int64_t> parsed = IdParam(*cursor);
      if (!parsed) return FieldProblem("cursor", "not a cursor this list gave out");
      before = *parsed;
    }
    Result<store::AuditPage> page = store.ListAudit(ctx.org(), before, *limit);
    if (!page.ok()) return FromStatus(page.status());
    json items = json::array();
    for (const store::AuditEntry& e : page->entries) {
      json detail = json::parse(e.detail_json, nullptr, false);
      items.push_back(
          {{"id", e.id},
           {"actor_account_id", e.actor.value == 0 ? json(nullptr) : json(e.actor.value)},
           {"action", e.action},
           {"target", e.target},
           {"detail", detail.is_discarded() ? json(nullptr) : detail},
           {"at", e.at}});
    }
    return JsonResponse(
        200, {{"items", std::move(items)},
              {"next_cursor",
               page->next_cursor == 0 ? json(nullptr) : json(std::to_string(page->next_cursor))}});
  }

  store::Store& store;
  ApiOptions options;
  LoginLimiter limiter;
  // Verified against when an email has no account, with the same cost as real hashes, so the
  // answer takes as long as for a wrong password.
  const std::string dummy_hash =
      auth::HashPassword("no account has this password", options.hash_cost).value();
  internal::Services services;
  std::vector<Route> routes;
};

Api::Api(store::Store& store, ApiOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}
Api::~Api() = default;

http::Response Api::Handle(const http::Request& request) { return impl_->Handle(request); }

std::vector<std::string> Api::Routes() const {
  std::vector<std::string> out;
  for (const Impl::Route& r : impl_->routes) out.push_back(r.method + " " + r.pattern);
  return out;
}

}  // namespace tandem::api
