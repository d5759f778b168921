// The API over a real SQLite store, through Api::Handle (no socket: the server's own behaviour is
// tested in src/http; tests/api drives both together). Covers every route for every role (the
// table is checked against Api::Routes(), so a new route without a row fails), login, CSRF,
// sessions, validation problems, import preview and commit, pagination and matching jobs.
#include "api/api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "io/config_json.h"
#include "jobs/worker.h"
#include "matching/config.h"
#include "sample/organization.h"
#include "store/sqlite/sqlite_store.h"

namespace tandem::api {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kPassword = "a long enough password";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One organization with a program in status matching, a saved run, a queued job, and an account
// for each role.
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("tandem_api_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    Result<std::unique_ptr<store::Store>> opened = store::OpenSqlite((dir_ / "t.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    ApiOptions options;
    options.hash_cost = auth::HashCost::Minimum();
    options.on_job_queued = [this] { ++jobs_queued_; };
    api_ = std::make_unique<Api>(*store_, options);

    org_ = store_->CreateOrganization("Acme").value();
    sample::OrganizationSpec spec;
    spec.people = 60;
    spec.seed = 11;
    people_ = sample::GenerateOrganization(spec);
    ASSERT_TRUE(store_->UpsertPeople(org_, people_).ok());
    const std::string config =
        io::ConfigToJson(matching::DefaultConfig(matching::Model::kTraditional));
    program_ = store_->CreateProgram(org_, {"Leaders", "traditional", config}).value();
    other_program_ = store_->CreateProgram(org_, {"Other", "traditional", config}).value();
    ASSERT_TRUE(store_->UpdateProgramStatus(program_, store::ProgramStatus::kEnrolling).ok());
    ASSERT_TRUE(store_->UpdateProgramStatus(program_, store::ProgramStatus::kMatching).ok());
    store::NewMatchRun run;
    run.config_json = config;
    run.input_snapshot_json = "{}";
    run.summary_json = R"({"matched":1})";
    run.pairs.push_back({people_[2].id, people_[1].id, 0.75, {0.5, 0.25}, {"go"}, "because"});
    run.unmatched.push_back({people_[3].id, "no eligible mentor: language"});
    run_ = store_->SaveMatchRun(program_, run).value();
    job_ = store_->CreateJob({org_, program_, "match", "{}", {}}).value();

    const std::string hash = auth::HashPassword(kPassword, auth::HashCost::Minimum()).value();
    auto make = [&](const std::string& role, std::string employee_id,
                    std::vector<store::RoleGrant> grants) {
      store::NewAccount a{role + "@acme.example", role, hash, std::move(employee_id),
                          std::move(grants)};
      ASSERT_TRUE(store_->CreateAccount(org_, a).ok()) << role;
    };
    make("admin", "", {{store::Role::kAdmin, {}}});
    make("coordinator", "", {{store::Role::kCoordinator, {}}});
    make("other_coordinator", "", {{store::Role::kCoordinator, other_program_}});
    make("committee", "", {{store::Role::kCommittee, program_}});
    make("mentor", people_[1].id, {{store::Role::kMentor, {}}});
    make("mentee", people_[2].id, {{store::Role::kMentee, {}}});
    make("executive", "", {{store::Role::kExecutive, {}}});
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  struct Session {
    std::string cookie;  // "tandem_session=..."
    std::string csrf;
  };

  http::Request Make(const std::string& method, const std::string& target,
                     const std::string& body = "", const std::string& type = "application/json") {
    http::Request r;
    r.method = method;
    r.target = target;
    const size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string query = target.substr(q + 1);
      std::stringstream ss(query);
      std::string item;
      while (std::getline(ss, item, '&')) {
        const size_t eq = item.find('=');
        r.query.emplace_back(item.substr(0, eq),
                             eq == std::string::npos ? "" : item.substr(eq + 1));
      }
    }
    r.headers.push_back({"Host", "tandem.test"});
    if (method != "GET" && !type.empty()) r.headers.push_back({"Content-Type", type});
    r.body = body;
    r.remote_address = "10.0.0.1";
    return r;
  }

  http::Response Call(const std::string& method, const std::string& target, const Session* session,
                      const std::string& body = "", const std::string& type = "application/json") {
    http::Request r = Make(method, target, body, type);
    if (session != nullptr) {
      r.headers.push_back({"Cookie", session->cookie});
      r.headers.push_back({"X-CSRF-Token", session->csrf});
    }
    return api_->Handle(r);
  }

  static std::string HeaderOf(const http::Response& r, const std::string& name) {
    for (const http::Header& h : r.headers) {
      if (h.name == name) return h.value;
    }
    return "";
  }

  Session Login(const std::string& role) {
    http::Response r =
        Call("POST", "/api/v1/session", nullptr,
             json{{"email", role + "@acme.example"}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string cookie = HeaderOf(r, "Set-Cookie");
    Session s;
    s.cookie = cookie.substr(0, cookie.find(';'));
    s.csrf = json::parse(r.body).value("csrf_token", "");
    return s;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Api> api_;
  std::atomic<int> jobs_queued_{0};
  store::OrganizationId org_;
  std::vector<Person> people_;
  store::ProgramId program_;
  store::ProgramId other_program_;
  store::MatchRunId run_;
  store::JobId job_;
};

const std::vector<std::string> kRoles = {"anonymous", "admin",  "coordinator", "other_coordinator",
                                         "committee", "mentor", "mentee",      "executive"};

struct RbacRow {
  std::string route;  // as Api::Routes() names it
  std::string method;
  std::string target;  // with ids filled in at run time: {P} program, {R} run, {J} job, {E} person
  std::string body;
  std::set<std::string> allowed;  // roles that get `ok`; others 403, anonymous 401
  int ok = 200;
};

TEST_F(ApiTest, EveryRouteForEveryRole) {
  const std::set<std::string> all = {"admin",  "coordinator", "other_coordinator", "committee",
                                     "mentor", "mentee",      "executive"};
  const std::string csv = ReadFile(fs::path(TANDEM_SOURCE_DIR) / "samples" / "people.csv");
  const std::vector<RbacRow> table = {
      {"GET /api/v1/health", "GET", "/api/v1/health", "", {}, 200},
      {"POST /api/v1/session", "", "", "", {}, 0},  // login: its own tests below
      {"GET /api/v1/session", "GET", "/api/v1/session", "", all, 200},
      {"DELETE /api/v1/session", "DELETE", "/api/v1/session", "", all, 204},
      {"GET /api/v1/accounts", "GET", "/api/v1/accounts", "", {"admin"}, 200},
      {"POST /api/v1/accounts",
       "POST",
       "/api/v1/accounts",
       R"({"email":"new@acme.example","display_name":"New","password":"long enough 1"})",
       {"admin"},
       201},
      {"GET /api/v1/people",
       "GET",
       "/api/v1/people?limit=5",
       "",
       {"admin", "coordinator", "other_coordinator", "committee"},
       200},
      {"POST /api/v1/people/import",
       "POST",
       "/api/v1/people/import?mode=preview",
       "CSV",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/people/{employee_id}",
       "GET",
       "/api/v1/people/{E}",
       "",
       {"admin", "coordinator", "other_coordinator", "committee"},
       200},
      {"GET /api/v1/program-templates", "GET", "/api/v1/program-templates", "", all, 200},
      {"GET /api/v1/programs", "GET", "/api/v1/programs", "", all, 200},
      {"POST /api/v1/programs",
       "POST",
       "/api/v1/programs",
       R"({"name":"New program","model":"virtual"})",
       {"admin", "coordinator"},
       201},
      {"GET /api/v1/programs/{program_id}", "GET", "/api/v1/programs/{P}", "", all, 200},
      {"PATCH /api/v1/programs/{program_id}",
       "PATCH",
       "/api/v1/programs/{P}",
       R"({"name":"Renamed"})",
       {"admin", "coordinator"},
       200},
      {"POST /api/v1/programs/{program_id}/status",
       "POST",
       "/api/v1/programs/{P}/status",
       R"({"status":"enrolling"})",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/programs/{program_id}/runs",
       "GET",
       "/api/v1/programs/{P}/runs",
       "",
       {"admin", "coordinator", "committee", "executive"},
       200},
      {"POST /api/v1/programs/{program_id}/runs",
       "POST",
       "/api/v1/programs/{P}/runs",
       "{}",
       {"admin", "coordinator"},
       202},
      {"GET /api/v1/programs/{program_id}/jobs",
       "GET",
       "/api/v1/programs/{P}/jobs",
       "",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/runs/{run_id}",
       "GET",
       "/api/v1/runs/{R}",
       "",
       {"admin", "coordinator", "committee"},
       200},
      {"GET /api/v1/jobs/{job_id}", "GET", "/api/v1/jobs/{J}", "", {"admin", "coordinator"}, 200},
      {"POST /api/v1/jobs/{job_id}/cancel",
       "POST",
       "/api/v1/jobs/{J}/cancel",
       "",
       {"admin", "coordinator"},
       202},
      {"GET /api/v1/audit", "GET", "/api/v1/audit", "", {"admin"}, 200},
  };
  std::set<std::string> covered;
  for (const RbacRow& row : table) covered.insert(row.route);
  for (const std::string& route : api_->Routes()) {
    EXPECT_TRUE(covered.count(route)) << "route without a row in the RBAC table: " << route;
  }
  int cells = 0;
  for (const RbacRow& row : table) {
    if (row.method.empty()) continue;
    for (const std::string& role : kRoles) {
      // A fresh fixture per cell, so one role's write never changes what the next one sees.
      TearDown();
      SetUp();
      std::string target = row.target;
      auto fill = [&target](const std::string& key, const std::string& value) {
        const size_t at = target.find(key);
        if (at != std::string::npos) target.replace(at, key.size(), value);
      };
      fill("{P}", std::to_string(program_.value));
      fill("{R}", std::to_string(run_.value));
      fill("{J}", std::to_string(job_.value));
      fill("{E}", people_[5].id);
      const bool is_csv = row.body == "CSV";
      const std::string body = is_csv ? csv : row.body;
      const std::string type = is_csv ? "text/csv" : "application/json";
      http::Response r;
      if (role == "anonymous") {
        r = Call(row.method, target, nullptr, body, type);
      } else {
        const Session s = Login(role);
        r = Call(row.method, target, &s, body, type);
      }
      int want = 0;
      if (row.route == "GET /api/v1/health") {
        want = 200;
      } else if (role == "anonymous") {
        want = 401;
      } else {
        want = row.allowed.count(role) ? row.ok : 403;
      }
      EXPECT_EQ(r.status, want) << row.method << " " << target << " as " << role << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/problem+json") << row.route;
      }
      ++cells;
    }
  }
  EXPECT_EQ(cells, 21 * 8);
}

TEST_F(ApiTest, LoginSetsAHardenedCookieAndWrongPasswordsAreLimited) {
  http::Response ok = Call("POST", "/api/v1/session", nullptr,
                           json{{"email", "ADMIN@acme.example"}, {"password", kPassword}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string cookie = HeaderOf(ok, "Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  const json body = json::parse(ok.body);
  EXPECT_EQ(body["account"]["email"], "admin@acme.example");
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 43u);
  EXPECT_FALSE(body["account"].contains("password_hash"));

  for (int i = 0; i < 5; ++i) {
    http::Response bad =
        Call("POST", "/api/v1/session", nullptr,
             json{{"email", "mentor@acme.example"}, {"password", "wrong!!!"}}.dump());
    EXPECT_EQ(bad.status, 401) << i;
  }
  // The sixth try is refused even with the right password, and says when to come back.
  http::Response limited =
      Call("POST", "/api/v1/session", nullptr,
           json{{"email", "mentor@acme.example"}, {"password", kPassword}}.dump());
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_GT(std::stoi(HeaderOf(limited, "Retry-After")), 0);
  // Unknown emails get the same answer as wrong passwords.
  http::Response unknown =
      Call("POST", "/api/v1/session", nullptr,
           json{{"email", "nobody@acme.example"}, {"password", kPassword}}.dump());
  // (this client address is now limited too)
  EXPECT_EQ(unknown.status, 429);
  // Failed logins of known accounts are audited.
  const store::AuditPage page = store_->ListAudit(org_, 0, 100).value();
  int failures = 0;
  for (const store::AuditEntry& e : page.entries) failures += e.action == "session.login_failed";
  EXPECT_EQ(failures, 5);
}

TEST_F(ApiTest, LoginNeedsJsonAndBothFields) {
  EXPECT_EQ(Call("POST", "/api/v1/session", nullptr, "email=a&password=b",
                 "application/x-www-form-urlencoded")
                .status,
            415);
  http::Response missing =
      Call("POST", "/api/v1/session", nullptr, R"({"email":"admin@acme.example"})");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(json::parse(missing.body)["errors"][0]["field"], "password");
  EXPECT_EQ(Call("POST", "/api/v1/session", nullptr, "{not json").status, 400);
}

TEST_F(ApiTest, UnsafeRequestsNeedTheCsrfTokenAndSameOrigin) {
  Session s = Login("coordinator");
  http::Request r = Make("POST", "/api/v1/programs", R"({"name":"X"})");
  r.headers.push_back({"Cookie", s.cookie});
  EXPECT_EQ(api_->Handle(r).status, 403);  // no token
  r.headers.push_back({"X-CSRF-Token", "wrong"});
  EXPECT_EQ(api_->Handle(r).status, 403);
  r.headers.back().value = s.csrf;
  r.headers.push_back({"Origin", "https://evil.example"});
  EXPECT_EQ(api_->Handle(r).status, 403);
  r.headers.back().value = "http://tandem.test";
  EXPECT_EQ(api_->Handle(r).status, 201);
  // Safe methods need no token.
  http::Request get = Make("GET", "/api/v1/programs");
  get.headers.push_back({"Cookie", s.cookie});
  EXPECT_EQ(api_->Handle(get).status, 200);
}

TEST_F(ApiTest, LogoutEndsTheSession) {
  Session s = Login("admin");
  EXPECT_EQ(Call("GET", "/api/v1/session", &s).status, 200);
  EXPECT_EQ(Call("DELETE", "/api/v1/session", &s).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/session", &s).status, 401);
  Session forged{"tandem_session=not-a-session", "x"};
  EXPECT_EQ(Call("GET", "/api/v1/session", &forged).status, 401);
}

TEST_F(ApiTest, PeoplePagesVisitEveryoneOnceAndHidePrivateFields) {
  Session s = Login("coordinator");
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (;;) {
    http::Response r =
        Call("GET", "/api/v1/people?limit=7" + (cursor.empty() ? "" : "&cursor=" + cursor), &s);
    ASSERT_EQ(r.status, 200) << r.body;
    const json page = json::parse(r.body);
    EXPECT_EQ(page["total"], 60);
    for (const json& p : page["items"]) {
      EXPECT_TRUE(seen.insert(p["id"].get<std::string>()).second);
      EXPECT_FALSE(p.contains("self_described"));
      EXPECT_FALSE(p.contains("personality"));
    }
    ++pages;
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(pages, 9);
  EXPECT_EQ(Call("GET", "/api/v1/people?limit=0", &s).status, 422);
  EXPECT_EQ(Call("GET", "/api/v1/people?limit=5000", &s).status, 422);

  // A person reads their own profile with private fields; an admin's read of them is audited.
  Session mentee = Login("mentee");
  http::Response own = Call("GET", "/api/v1/people/" + people_[2].id, &mentee);
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(json::parse(own.body).contains("self_described"));
  EXPECT_EQ(Call("GET", "/api/v1/people/" + people_[3].id, &mentee).status, 403);
  Session admin = Login("admin");
  ASSERT_EQ(Call("GET", "/api/v1/people/" + people_[3].id, &admin).status, 200);
  const store::AuditPage audit = store_->ListAudit(org_, 0, 1).value();
  ASSERT_EQ(audit.entries.size(), 1u);
  EXPECT_EQ(audit.entries[0].action, "person.read_private");
  EXPECT_EQ(audit.entries[0].target, "person/" + people_[3].id);
}

TEST_F(ApiTest, ImportPreviewNamesBadRowsAndCommitWritesAllOrNothing) {
  Session s = Login("coordinator");
  const std::string csv =
      "id,name,email,seniority,role\n"
      "N1,New One,new1@acme.example,3,mentee\n"
      "N2,New Two,not-an-email,4,mentor\n"
      "N3,New Three,new3@acme.example,12,mentee\n";
  http::Response preview = Call("POST", "/api/v1/people/import?mode=preview", &s, csv, "text/csv");
  ASSERT_EQ(preview.status, 200) << preview.body;
  const json p = json::parse(preview.body);
  EXPECT_EQ(p["rows_read"], 3);
  EXPECT_EQ(p["valid_rows"], 1);
  EXPECT_EQ(p["rows_with_errors"], 2);
  EXPECT_EQ(p["committed"], false);
  ASSERT_EQ(p["errors"].size(), 2u);
  EXPECT_EQ(p["errors"][0]["line"], 3);
  EXPECT_EQ(p["errors"][0]["field"], "email");
  EXPECT_EQ(p["errors"][1]["line"], 4);
  EXPECT_EQ(p["errors"][1]["field"], "seniority");
  EXPECT_EQ(store_->CountPeople(org_).value(), 60);

  http::Response refused = Call("POST", "/api/v1/people/import?mode=commit", &s, csv, "text/csv");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(json::parse(refused.body)["errors"].size(), 2u);
  EXPECT_EQ(store_->CountPeople(org_).value(), 60);  // nothing written

  const std::string good =
      "id,name,email,seniority,role\n"
      "N1,New One,new1@acme.example,3,mentee\n" +
      people_[0].id + ",Renamed Person,,8,mentor\n";
  http::Response committed =
      Call("POST", "/api/v1/people/import?mode=commit", &s, good, "text/csv");
  ASSERT_EQ(committed.status, 200) << committed.body;
  const json c = json::parse(committed.body);
  EXPECT_EQ(c["committed"], true);
  EXPECT_EQ(c["new_people"], 1);
  EXPECT_EQ(c["updated_people"], 1);
  EXPECT_EQ(store_->CountPeople(org_).value(), 61);
  EXPECT_EQ(store_->GetPerson(org_, people_[0].id).value().name, "Renamed Person");

  EXPECT_EQ(Call("POST", "/api/v1/people/import?mode=commit", &s, "", "text/csv").status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/people/import?mode=later", &s, good, "text/csv").status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/people/import", &s, good, "text/plain").status, 415);
}

TEST_F(ApiTest, ProgramValidationNamesTheField) {
  Session s = Login("coordinator");
  http::Response no_name = Call("POST", "/api/v1/programs", &s, R"({"model":"reverse"})");
  EXPECT_EQ(no_name.status, 422);
  EXPECT_EQ(json::parse(no_name.body)["errors"][0]["field"], "name");
  http::Response bad_model =
      Call("POST", "/api/v1/programs", &s, R"({"name":"A","model":"speedy"})");
  EXPECT_EQ(bad_model.status, 422);
  EXPECT_EQ(json::parse(bad_model.body)["errors"][0]["field"], "model");
  http::Response bad_weight =
      Call("POST", "/api/v1/programs", &s, R"({"name":"A","config":{"weights":{"skills":-1}}})");
  EXPECT_EQ(bad_weight.status, 422) << bad_weight.body;
  EXPECT_EQ(json::parse(bad_weight.body)["errors"][0]["field"], "config");
  http::Response dup = Call("POST", "/api/v1/programs", &s, R"({"name":"Leaders"})");
  EXPECT_EQ(dup.status, 409) << dup.body;

  http::Response created =
      Call("POST", "/api/v1/programs", &s,
           R"({"name":"Skills","model":"skill_based","config":{"weights":{"skills":4}}})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json program = json::parse(created.body);
  EXPECT_EQ(program["status"], "draft");
  EXPECT_EQ(program["model"], "skill_based");
  EXPECT_EQ(program["config"]["weights"]["skills"], 4.0);
  const std::string id = std::to_string(program["id"].get<int>());
  http::Response jump =
      Call("POST", "/api/v1/programs/" + id + "/status", &s, R"({"status":"active"})");
  EXPECT_EQ(jump.status, 409);
  EXPECT_EQ(Call("POST", "/api/v1/programs/" + id + "/runs", &s, "{}").status, 409);
  EXPECT_EQ(Call("GET", "/api/v1/programs/999999", &s).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/programs/abc", &s).status, 404);
  EXPECT_EQ(Call("PUT", "/api/v1/programs/" + id, &s, "{}").status, 405);
  EXPECT_EQ(Call("GET", "/api/v1/nothing-here", &s).status, 404);
}

TEST_F(ApiTest, AnotherOrganizationSeesNothing) {
  const store::OrganizationId other = store_->CreateOrganization("Globex").value();
  const std::string hash = auth::HashPassword(kPassword, auth::HashCost::Minimum()).value();
  ASSERT_TRUE(store_
                  ->CreateAccount(
                      other, {"boss@globex.example", "Boss", hash, "", {{store::Role::kAdmin, {}}}})
                  .ok());
  http::Response r = Call("POST", "/api/v1/session", nullptr,
                          json{{"email", "boss@globex.example"}, {"password", kPassword}}.dump());
  ASSERT_EQ(r.status, 200);
  const std::string cookie = HeaderOf(r, "Set-Cookie");
  Session s{cookie.substr(0, cookie.find(';')), json::parse(r.body)["csrf_token"]};
  EXPECT_EQ(Call("GET", "/api/v1/programs/" + std::to_string(program_.value), &s).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/runs/" + std::to_string(run_.value), &s).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/jobs/" + std::to_string(job_.value), &s).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/people/" + people_[0].id, &s).status, 404);
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/programs", &s).body)["items"].size(), 0u);
}

TEST_F(ApiTest, MatchingRunsAsAJobAndIsSavedWithExplanations) {
  Session s = Login("coordinator");
  ASSERT_TRUE(store_->RequestJobCancel(job_).ok());  // the fixture's queued job: out of the way
  http::Response started =
      Call("POST", "/api/v1/programs/" + std::to_string(program_.value) + "/runs", &s, "{}");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(jobs_queued_.load(), 1);
  const json job = json::parse(started.body);
  EXPECT_EQ(job["state"], "queued");
  const std::string job_url = "/api/v1/jobs/" + std::to_string(job["id"].get<int>());

  jobs::Worker worker(*store_, {"test-worker", 1, 20});
  worker.Start();
  json done;
  for (int i = 0; i < 500; ++i) {
    done = json::parse(Call("GET", job_url, &s).body);
    if (done["state"] != "queued" && done["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  worker.Stop();
  ASSERT_EQ(done["state"], "succeeded") << done.dump();
  EXPECT_EQ(done["progress"], 1.0);
  const int run_id = done["result"]["run_id"];
  http::Response run = Call("GET", "/api/v1/runs/" + std::to_string(run_id), &s);
  ASSERT_EQ(run.status, 200);
  const json r = json::parse(run.body);
  ASSERT_FALSE(r["pairs"].empty());
  EXPECT_EQ(r["summary"]["matched"].get<size_t>(), r["pairs"].size());
  EXPECT_EQ(done["result"]["matched"].get<size_t>(), r["pairs"].size());
  EXPECT_TRUE(r["summary"]["certificate"]["checked"].get<bool>());
  EXPECT_TRUE(r["summary"].contains("fairness"));
  std::set<std::string> mentees;
  for (const json& p : r["pairs"]) {
    EXPECT_FALSE(p["explanation"].get<std::string>().empty());
    EXPECT_TRUE(p["factors"].contains("skills"));
    EXPECT_TRUE(mentees.insert(p["mentee_id"].get<std::string>()).second);
  }
  // The run is listed, and the executive sees its summary in the list.
  Session exec = Login("executive");
  const json runs = json::parse(
      Call("GET", "/api/v1/programs/" + std::to_string(program_.value) + "/runs", &exec).body);
  EXPECT_EQ(runs["items"].size(), 2u);
}

TEST_F(ApiTest, CancellingAQueuedJob) {
  Session s = Login("admin");
  const std::string url = "/api/v1/jobs/" + std::to_string(job_.value) + "/cancel";
  http::Response r = Call("POST", url, &s);
  ASSERT_EQ(r.status, 202);
  EXPECT_EQ(json::parse(r.body)["state"], "cancelled");
  // Audit trail: newest first, with a cursor over older entries.
  const json audit = json::parse(Call("GET", "/api/v1/audit?limit=1", &s).body);
  ASSERT_EQ(audit["items"].size(), 1u);
  EXPECT_EQ(audit["items"][0]["action"], "job.cancel");
  const json older = json::parse(
      Call("GET", "/api/v1/audit?limit=5&cursor=" + audit["next_cursor"].get<std::string>(), &s)
          .body);
  ASSERT_FALSE(older["items"].empty());
  EXPECT_EQ(older["items"][0]["action"], "session.login");
}

}  // namespace
}  // namespace tandem::api
