// The API over a real SQLite store and a real HTTP server on loopback (Tandem's own, port 0): every
// request of these tests is sent over a socket as HTTP/1.1 bytes and parsed back. Covers every
// route for every role (the table is checked against Api::Routes(), so a new route without a row
// fails), login, CSRF, sessions, validation problems, import preview and commit, pagination and
// matching jobs.
#include "api/api.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

#include "http/server.h"
#include "io/config_json.h"
#include "jobs/worker.h"
#include "matching/config.h"
#include "matching/scoring.h"
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
    // An in-memory database: the RBAC walk builds hundreds of these fixtures.
    Result<std::unique_ptr<store::Store>> opened = store::OpenSqlite(":memory:");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    ApiOptions options;
    options.hash_cost = auth::HashCost::Minimum();
    options.on_job_queued = [this] { ++jobs_queued_; };
    api_ = std::make_unique<Api>(*store_, options);
    http::ServerOptions server_options;
    Result<std::unique_ptr<http::Server>> server = http::Server::Start(
        server_options, [this](const http::Request& r) { return api_->Handle(r); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();

    org_ = store_->CreateOrganization("Acme").value();
    sample::OrganizationSpec spec;
    spec.people = 60;
    spec.seed = 11;
    people_ = sample::GenerateOrganization(spec);
    people_[1].mentor_capacity = 3;  // the "mentor" account's person takes requests
    ASSERT_TRUE(store_->UpsertPeople(org_, people_).ok());
    // Informal requests obey the program's hard rules: pick an "outsider" mentee whom the
    // "mentor" account's person (people_[1]) may mentor, and a free mentor whom people_[1],
    // people_[2] and the outsider may ask (whether people_[1] may too is recorded).
    {
      const matching::Scorer rules(people_, matching::DefaultConfig(matching::Model::kTraditional));
      auto ok = [&](size_t mentee, size_t mentor) {
        return rules.Check(static_cast<std::int32_t>(mentee), static_cast<std::int32_t>(mentor)) ==
               matching::Exclusion::kNone;
      };
      for (size_t i = 10; i < people_.size() && outsider_ == 0; ++i) {
        if (ok(i, 1)) outsider_ = i;
      }
      ASSERT_NE(outsider_, 0u);
      for (size_t i = 10; i < people_.size() && free_mentor_.empty(); ++i) {
        if (i != outsider_ && people_[i].mentor_capacity > 0 && ok(2, i) && ok(outsider_, i)) {
          free_mentor_ = people_[i].id;
          mentor_may_ask_free_ = ok(1, i);
        }
      }
      ASSERT_FALSE(free_mentor_.empty());
    }
    const std::string config =
        io::ConfigToJson(matching::DefaultConfig(matching::Model::kTraditional));
    program_ = store_->CreateProgram(org_, {"Leaders", "traditional", config}).value();
    other_program_ = store_->CreateProgram(org_, {"Other", "traditional", config}).value();
    active_program_ = store_->CreateProgram(org_, {"Running", "traditional", config}).value();
    enrolling_program_ = store_->CreateProgram(org_, {"Open call", "traditional", config}).value();
    ASSERT_TRUE(
        store_->UpdateProgramStatus(enrolling_program_, store::ProgramStatus::kEnrolling).ok());
    application_ = store_->Apply(enrolling_program_, {people_[9].id, "mentee", "{}"}).value();
    request_ = store_
                   ->CreateRequest(enrolling_program_,
                                   {people_[9].id, people_[1].id, "Could we talk?", 86400, 3})
                   .value();
    for (store::ProgramId p : {program_, active_program_}) {
      ASSERT_TRUE(store_->UpdateProgramStatus(p, store::ProgramStatus::kEnrolling).ok());
      ASSERT_TRUE(store_->UpdateProgramStatus(p, store::ProgramStatus::kMatching).ok());
    }

    const std::string hash = auth::HashPassword(kPassword, auth::HashCost::Minimum()).value();
    auto make = [&](const std::string& role, std::string employee_id,
                    std::vector<store::RoleGrant> grants) {
      store::NewAccount a{role + "@acme.example", role, hash, std::move(employee_id),
                          std::move(grants)};
      Result<store::AccountId> id = store_->CreateAccount(org_, a);
      EXPECT_TRUE(id.ok()) << role;
      return id.ok() ? *id : store::AccountId{};
    };
    admin_ = make("admin", "", {{store::Role::kAdmin, {}}});
    make("coordinator", "", {{store::Role::kCoordinator, {}}});
    make("other_coordinator", "", {{store::Role::kCoordinator, other_program_}});
    make("committee", "", {{store::Role::kCommittee, program_}});
    make("mentor", people_[1].id, {{store::Role::kMentor, {}}});
    make("mentee", people_[2].id, {{store::Role::kMentee, {}}});
    make("executive", "", {{store::Role::kExecutive, {}}});
    make("outsider", people_[outsider_].id, {{store::Role::kMentee, {}}});

    // A real matching run of the program (through the job the API would queue), approved.
    const store::JobId first = store_->CreateJob({org_, program_, "match", "{}", admin_}).value();
    Result<std::optional<store::Job>> claimed = store_->ClaimNextJob("fixture");
    ASSERT_TRUE(claimed.ok() && claimed->has_value());
    ASSERT_TRUE(jobs::RunJob(*store_, **claimed).ok());
    const json result = json::parse(store_->GetJob(first).value().result_json);
    run_ = store::MatchRunId{result["run_id"].get<std::int64_t>()};
    const store::MatchRun run = store_->GetMatchRun(run_).value();
    ASSERT_GE(run.pairs.size(), 2u);
    pair_a_ = run.pairs[0];
    pair_b_ = run.pairs[1];
    ASSERT_TRUE(store_->ApproveRun(run_, admin_).ok());
    job_ = store_->CreateJob({org_, program_, "match", "{}", {}}).value();

    // A published relationship of mentee people_[2] with mentor people_[1], with a goal and a
    // meeting that was held.
    store::NewMatchRun published;
    published.config_json = config;
    published.input_snapshot_json = "{}";
    published.summary_json = "{}";
    published.pairs.push_back(
        {people_[2].id, people_[1].id, 0.75, {0.5, 0.25}, {"go"}, "both aim at leadership"});
    const store::MatchRunId published_run =
        store_->SaveMatchRun(active_program_, published).value();
    ASSERT_TRUE(store_->ApproveRun(published_run, admin_).ok());
    relationship_ = store_->PublishRun(published_run).value().front().id;
    goal_ = store_->CreateGoal(relationship_, {"Lead a team", people_[2].id, "", {}}).value();
    meeting_ =
        store_
            ->ScheduleMeeting(relationship_, {"2027-01-10T10:00:00Z", 45, "Room 1", "First steps"})
            .value();
    ASSERT_TRUE(store_->UpdateMeeting(meeting_, store::MeetingStatus::kHeld, "went well").ok());

    resource_ =
        store_
            ->CreateResource(org_, {"Mentoring guide", "https://example.com/guide", "article", ""})
            .value();
    ASSERT_TRUE(store_->AssignResource(resource_, people_[2].id, "").ok());
    survey_ = store_->CreateSurvey(active_program_, {"pulse", "Pulse", {"Useful?"}}).value();
    notification_ =
        store_->Notify({org_, people_[2].id, "relationship.started", "Welcome", "", "", {}})
            .value();
  }
  void TearDown() override {
    server_.reset();
    api_.reset();
    store_.reset();
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
    return Send(r);
  }

  // Sends the request to the server over a new loopback connection and parses the answer.
  http::Response Send(const http::Request& r) {
    http::Response out;
    out.status = 0;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(server_->port());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      ADD_FAILURE() << "cannot connect to the test server";
      return out;
    }
    std::string wire = r.method + " " + r.target + " HTTP/1.1\r\n";
    for (const http::Header& h : r.headers) wire += h.name + ": " + h.value + "\r\n";
    wire += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n";
    wire += r.body;
    for (size_t sent = 0; sent < wire.size();) {
      const ssize_t n = ::send(fd, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    std::string in;
    char buf[16384];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      in.append(buf, static_cast<size_t>(n));
    ::close(fd);
    const size_t head_end = in.find("\r\n\r\n");
    if (in.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) {
      ADD_FAILURE() << "malformed response: " << in.substr(0, 200);
      return out;
    }
    out.status = std::stoi(in.substr(9, 3));
    size_t line = in.find("\r\n") + 2;
    while (line < head_end) {
      const size_t end = in.find("\r\n", line);
      const std::string header = in.substr(line, end - line);
      const size_t colon = header.find(':');
      std::string value = header.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      std::string name = header.substr(0, colon);
      // The server's header names are canonical; compare as the handler wrote them.
      if (http::EqualsIgnoreCase(name, "content-type")) name = "Content-Type";
      if (http::EqualsIgnoreCase(name, "set-cookie")) name = "Set-Cookie";
      if (http::EqualsIgnoreCase(name, "retry-after")) name = "Retry-After";
      out.headers.push_back({name, value});
      line = end + 2;
    }
    out.body = in.substr(head_end + 4);
    return out;
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

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<http::Server> server_;
  std::atomic<int> jobs_queued_{0};
  store::OrganizationId org_;
  std::vector<Person> people_;
  store::ProgramId program_;
  store::ProgramId other_program_;
  store::ProgramId active_program_;
  store::ProgramId enrolling_program_;
  store::ResourceId resource_;
  store::SurveyId survey_;
  store::NotificationId notification_;
  store::ApplicationId application_;
  store::RequestId request_;
  std::string free_mentor_;
  size_t outsider_ = 0;
  bool mentor_may_ask_free_ = false;
  store::AccountId admin_;
  store::MatchRunId run_;
  store::RunPair pair_a_;
  store::RunPair pair_b_;
  store::JobId job_;
  store::RelationshipId relationship_;
  store::GoalId goal_;
  store::MeetingId meeting_;
};

// "outsider" is a mentee with no part in the fixture's relationship.
const std::vector<std::string> kRoles = {"anonymous", "admin",  "coordinator", "other_coordinator",
                                         "committee", "mentor", "mentee",      "executive",
                                         "outsider"};

struct RbacRow {
  std::string route;  // as Api::Routes() names it
  std::string method;
  std::string target;  // with ids filled in at run time: {P} program, {R} run, {J} job, {E} person
  std::string body;
  std::set<std::string> allowed;  // roles that get `ok`; others `denied`, anonymous 401
  int ok = 200;
  int denied = 403;
  std::map<std::string, int> special = {};  // roles whose answer is neither ok nor denied
};

TEST_F(ApiTest, EveryRouteForEveryRole) {
  const std::set<std::string> all = {"admin",  "coordinator", "other_coordinator", "committee",
                                     "mentor", "mentee",      "executive",         "outsider"};
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
      {"GET /api/v1/runs/{run_id}/review",
       "GET",
       "/api/v1/runs/{R}/review",
       "",
       {"admin", "coordinator", "committee"},
       200},
      {"POST /api/v1/runs/{run_id}/locks",
       "POST",
       "/api/v1/runs/{R}/locks",
       R"({"mentee_id":"{A}","locked":true})",
       {"admin", "coordinator", "committee"},
       200},
      {"POST /api/v1/runs/{run_id}/comments",
       "POST",
       "/api/v1/runs/{R}/comments",
       R"({"mentee_id":"{A}","text":"Good pair"})",
       {"admin", "coordinator", "committee"},
       201},
      {"POST /api/v1/runs/{run_id}/swap",
       "POST",
       "/api/v1/runs/{R}/swap",
       R"({"mentee_ids":["{A}","{B}"],"force":true})",
       {"admin", "coordinator", "committee"},
       200},
      {"POST /api/v1/runs/{run_id}/approve",
       "POST",
       "/api/v1/runs/{R}/approve",
       "",
       {"admin", "coordinator", "committee"},
       200},
      {"POST /api/v1/runs/{run_id}/publish",
       "POST",
       "/api/v1/runs/{R}/publish",
       "",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/programs/{program_id}/relationships",
       "GET",
       "/api/v1/programs/{ACTIVE}/relationships",
       "",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/programs/{program_id}/feedback",
       "GET",
       "/api/v1/programs/{ACTIVE}/feedback",
       "",
       {"admin", "coordinator", "executive"},
       200},
      {"GET /api/v1/me/relationships", "GET", "/api/v1/me/relationships", "", all, 200},
      {"GET /api/v1/relationships/{relationship_id}",
       "GET",
       "/api/v1/relationships/{REL}",
       "",
       {"admin", "coordinator", "mentor", "mentee"},
       200},
      {"POST /api/v1/relationships/{relationship_id}/status",
       "POST",
       "/api/v1/relationships/{REL}/status",
       R"({"status":"paused"})",
       {"admin", "coordinator", "mentor", "mentee"},
       200},
      {"GET /api/v1/relationships/{relationship_id}/goals",
       "GET",
       "/api/v1/relationships/{REL}/goals",
       "",
       {"admin", "coordinator", "mentor", "mentee"},
       200},
      {"POST /api/v1/relationships/{relationship_id}/goals",
       "POST",
       "/api/v1/relationships/{REL}/goals",
       R"({"title":"Negotiate a budget"})",
       {"mentor", "mentee"},
       201},
      {"PATCH /api/v1/goals/{goal_id}",
       "PATCH",
       "/api/v1/goals/{G}",
       R"({"progress":40})",
       {"mentor", "mentee"},
       200},
      {"GET /api/v1/relationships/{relationship_id}/meetings",
       "GET",
       "/api/v1/relationships/{REL}/meetings",
       "",
       {"admin", "coordinator", "mentor", "mentee"},
       200},
      {"POST /api/v1/relationships/{relationship_id}/meetings",
       "POST",
       "/api/v1/relationships/{REL}/meetings",
       R"({"starts_at":"2027-02-01T09:00:00Z"})",
       {"mentor", "mentee"},
       201},
      {"PATCH /api/v1/meetings/{meeting_id}",
       "PATCH",
       "/api/v1/meetings/{M}",
       R"({"notes":"we talked about budgets"})",
       {"mentor", "mentee"},
       200},
      {"GET /api/v1/meetings/{meeting_id}/invite.ics",
       "GET",
       "/api/v1/meetings/{M}/invite.ics",
       "",
       {"mentor", "mentee"},
       200},
      {"POST /api/v1/meetings/{meeting_id}/feedback",
       "POST",
       "/api/v1/meetings/{M}/feedback",
       R"({"rating":4})",
       {"mentor", "mentee"},
       201},
      {"GET /api/v1/programs/{program_id}/details", "GET", "/api/v1/programs/{P}/details", "", all,
       200},
      {"PUT /api/v1/programs/{program_id}/details",
       "PUT",
       "/api/v1/programs/{P}/details",
       R"({"duration_weeks":26,"meeting_cadence":"biweekly"})",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/programs/{program_id}/applications",
       "GET",
       "/api/v1/programs/{P}/applications",
       "",
       {"admin", "coordinator", "committee"},
       200},
      {"POST /api/v1/programs/{program_id}/applications",
       "POST",
       "/api/v1/programs/{ENR}/applications",
       R"({"role":"mentor"})",
       {"mentor", "mentee", "outsider"},
       201},
      {"POST /api/v1/applications/{application_id}/decision",
       "POST",
       "/api/v1/applications/{APP}/decision",
       R"({"status":"approved"})",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/programs/{program_id}/suggestions",
       "GET",
       "/api/v1/programs/{ENR}/suggestions",
       "",
       {"mentor", "mentee", "outsider"},
       200},
      {"POST /api/v1/programs/{program_id}/requests",
       "POST",
       "/api/v1/programs/{ENR}/requests",
       R"({"mentor_id":"{FREE}","message":"Could you help me with negotiation?"})",
       {"mentee", "outsider"},
       201,
       403,
       {{"mentor", 0}}},
      {"GET /api/v1/me/requests", "GET", "/api/v1/me/requests", "", all, 200},
      {"POST /api/v1/requests/{request_id}/response",
       "POST",
       "/api/v1/requests/{REQ}/response",
       R"({"status":"declined","response":"My calendar is full until June"})",
       {"mentor"},
       200},
      {"PUT /api/v1/people/{employee_id}",
       "PUT",
       "/api/v1/people/{MENTEE}",
       R"({"skills_wanted":["negotiation:1"],"interests":["chess"]})",
       {"admin", "mentee"},
       200},
      {"GET /api/v1/runs/{run_id}/compare",
       "GET",
       "/api/v1/runs/{R}/compare?with={R}",
       "",
       {"admin", "coordinator", "committee"},
       200},
      {"GET /api/v1/programs/{program_id}/dashboard",
       "GET",
       "/api/v1/programs/{ACTIVE}/dashboard",
       "",
       {"admin", "coordinator", "executive"},
       200},
      {"GET /api/v1/me/notifications", "GET", "/api/v1/me/notifications", "", all, 200},
      // Another person's notification is not found for them (its existence is not confirmed).
      {"POST /api/v1/notifications/{notification_id}/read",
       "POST",
       "/api/v1/notifications/{N}/read",
       "",
       {"mentee"},
       204,
       404},
      {"POST /api/v1/relationships/{relationship_id}/kudos",
       "POST",
       "/api/v1/relationships/{REL}/kudos",
       R"({"message":"Thank you!"})",
       {"mentor", "mentee"},
       201},
      {"GET /api/v1/me/recognition", "GET", "/api/v1/me/recognition", "", all, 200},
      {"GET /api/v1/resources", "GET", "/api/v1/resources", "", all, 200},
      {"POST /api/v1/resources",
       "POST",
       "/api/v1/resources",
       R"({"title":"Coaching basics","kind":"course"})",
       {"admin", "coordinator"},
       201},
      {"POST /api/v1/resources/{resource_id}/assignments",
       "POST",
       "/api/v1/resources/{RES}/assignments",
       R"({"employee_ids":["{E}"]})",
       {"admin", "coordinator"},
       200},
      {"GET /api/v1/me/assignments", "GET", "/api/v1/me/assignments", "", all, 200},
      // Completing is for the person it was assigned to (the fixture's mentee).
      {"POST /api/v1/resources/{resource_id}/complete",
       "POST",
       "/api/v1/resources/{RES}/complete",
       "",
       {"mentee"},
       204,
       409},
      {"GET /api/v1/programs/{program_id}/surveys",
       "GET",
       "/api/v1/programs/{ACTIVE}/surveys",
       "",
       {"admin", "coordinator", "executive", "mentor", "mentee"},
       200},
      {"POST /api/v1/programs/{program_id}/surveys",
       "POST",
       "/api/v1/programs/{ACTIVE}/surveys",
       R"({"kind":"pulse","title":"How is it going?","questions":["Meetings are useful"]})",
       {"admin", "coordinator"},
       201},
      {"POST /api/v1/surveys/{survey_id}/responses",
       "POST",
       "/api/v1/surveys/{SUR}/responses",
       R"({"ratings":[4]})",
       {"mentor", "mentee"},
       201},
      {"GET /api/v1/surveys/{survey_id}/results",
       "GET",
       "/api/v1/surveys/{SUR}/results",
       "",
       {"admin", "coordinator", "executive"},
       200},
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
      fill("{ACTIVE}", std::to_string(active_program_.value));
      fill("{REL}", std::to_string(relationship_.value));
      fill("{G}", std::to_string(goal_.value));
      fill("{M}", std::to_string(meeting_.value));
      fill("{ENR}", std::to_string(enrolling_program_.value));
      fill("{APP}", std::to_string(application_.value));
      fill("{REQ}", std::to_string(request_.value));
      fill("{N}", std::to_string(notification_.value));
      fill("{MENTEE}", people_[2].id);
      fill("{R}", std::to_string(run_.value));
      fill("{RES}", std::to_string(resource_.value));
      fill("{SUR}", std::to_string(survey_.value));
      std::string body = row.body;
      auto fill_body = [&body](const std::string& key, const std::string& value) {
        const size_t at = body.find(key);
        if (at != std::string::npos) body.replace(at, key.size(), value);
      };
      fill_body("{A}", pair_a_.mentee_id);
      fill_body("{B}", pair_b_.mentee_id);
      fill_body("{FREE}", free_mentor_);
      fill_body("{E}", people_[5].id);
      const bool is_csv = row.body == "CSV";
      if (is_csv) body = csv;
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
        want = row.allowed.count(role) ? row.ok : row.denied;
        if (auto it = row.special.find(role); it != row.special.end()) {
          // The "mentor" account's person may or may not be allowed by the rules to ask the
          // free mentor: 201, or 409 naming the rule.
          want = it->second != 0 ? it->second : (mentor_may_ask_free_ ? 201 : 409);
        }
      }
      EXPECT_EQ(r.status, want) << row.method << " " << target << " as " << role << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/problem+json") << row.route;
      }
      ++cells;
    }
  }
  EXPECT_EQ(cells, static_cast<int>((table.size() - 1) * kRoles.size()));
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
  EXPECT_EQ(Send(r).status, 403);  // no token
  r.headers.push_back({"X-CSRF-Token", "wrong"});
  EXPECT_EQ(Send(r).status, 403);
  r.headers.back().value = s.csrf;
  r.headers.push_back({"Origin", "https://evil.example"});
  EXPECT_EQ(Send(r).status, 403);
  r.headers.back().value = "http://tandem.test";
  EXPECT_EQ(Send(r).status, 201);
  // Safe methods need no token.
  http::Request get = Make("GET", "/api/v1/programs");
  get.headers.push_back({"Cookie", s.cookie});
  EXPECT_EQ(Send(get).status, 200);
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

TEST_F(ApiTest, ReviewPublishAndRunTheRelationship) {
  Session committee = Login("committee");
  Session coordinator = Login("coordinator");
  const std::string run = "/api/v1/runs/" + std::to_string(run_.value);
  ASSERT_EQ(Call("POST", run + "/comments", &committee,
                 json{{"mentee_id", pair_a_.mentee_id}, {"text", "Strong on goals"}}.dump())
                .status,
            201);
  EXPECT_EQ(Call("POST", run + "/comments", &committee, R"({"text":""})").status, 422);
  ASSERT_EQ(Call("POST", run + "/locks", &committee,
                 json{{"mentee_id", pair_a_.mentee_id}, {"locked", true}}.dump())
                .status,
            200);
  EXPECT_EQ(Call("POST", run + "/locks", &committee, R"({"mentee_id":"NOBODY"})").status, 404);
  const json review = json::parse(Call("GET", run + "/review", &committee).body);
  EXPECT_EQ(review["locked_mentees"], json::array({pair_a_.mentee_id}));
  EXPECT_EQ(review["comments"][0]["text"], "Strong on goals");
  EXPECT_EQ(review["approved_by"].size(), 1u);  // the fixture's admin
  // The committee may not publish; the coordinator may.
  EXPECT_EQ(Call("POST", run + "/publish", &committee).status, 403);
  http::Response published = Call("POST", run + "/publish", &coordinator);
  ASSERT_EQ(published.status, 200) << published.body;
  const size_t pairs = store_->GetMatchRun(run_).value().pairs.size();
  EXPECT_EQ(json::parse(published.body)["items"].size(), pairs);
  EXPECT_EQ(store_->GetProgram(program_).value().status, store::ProgramStatus::kActive);
  EXPECT_EQ(Call("POST", run + "/publish", &coordinator).status, 409);
  EXPECT_EQ(Call("POST", run + "/locks", &committee,
                 json{{"mentee_id", pair_a_.mentee_id}, {"locked", false}}.dump())
                .status,
            422);

  // The fixture's mentee sees the relationship, who the mentor is and why.
  Session mentee = Login("mentee");
  const json mine = json::parse(Call("GET", "/api/v1/me/relationships", &mentee).body);
  // The mentee may also have been paired in the run just published (another program).
  json rel;
  for (const json& item : mine["items"]) {
    if (item["id"] == relationship_.value) rel = item;
  }
  ASSERT_TRUE(rel.is_object()) << mine.dump();
  EXPECT_EQ(rel["my_role"], "mentee");
  EXPECT_EQ(rel["partner"]["id"], people_[1].id);
  EXPECT_EQ(rel["partner"]["name"], people_[1].name);
  EXPECT_EQ(rel["why"], "both aim at leadership");
  EXPECT_EQ(rel["health"]["meetings_held"], 1);
  const std::string base = "/api/v1/relationships/" + std::to_string(relationship_.value);

  // Goals with milestones.
  http::Response goal = Call("POST", base + "/goals", &mentee,
                             R"({"title":"Negotiate a budget","due_date":"2027-03-31",
                                 "milestones":[{"title":"Read the playbook"},{"title":"Role-play"}]})");
  ASSERT_EQ(goal.status, 201) << goal.body;
  const json g = json::parse(goal.body);
  EXPECT_EQ(g["owner_id"], people_[2].id);
  EXPECT_EQ(g["milestones"].size(), 2u);
  const std::string goal_url = "/api/v1/goals/" + std::to_string(g["id"].get<int>());
  http::Response progressed = Call(
      "PATCH", goal_url, &mentee,
      R"({"progress":50,"milestones":[{"title":"Read the playbook","done":true},{"title":"Role-play"}]})");
  ASSERT_EQ(progressed.status, 200) << progressed.body;
  EXPECT_EQ(json::parse(progressed.body)["milestones"][0]["done"], true);
  EXPECT_EQ(Call("PATCH", goal_url, &mentee, R"({"progress":150})").status, 422);
  EXPECT_EQ(Call("POST", base + "/goals", &mentee, R"({"title":"x","due_date":"tomorrow"})").status,
            422);

  // Meetings: schedule, invitation, log, feedback from both sides.
  http::Response scheduled = Call("POST", base + "/meetings", &mentee,
                                  R"({"starts_at":"2027-02-01T09:00:00Z","duration_minutes":30,
                                      "location":"Video call","agenda":"Budget talk"})");
  ASSERT_EQ(scheduled.status, 201) << scheduled.body;
  const json meeting = json::parse(scheduled.body);
  EXPECT_EQ(Call("POST", base + "/meetings", &mentee, R"({"starts_at":"next monday"})").status,
            422);
  const std::string meeting_url = "/api/v1/meetings/" + std::to_string(meeting["id"].get<int>());
  http::Response ics = Call("GET", meeting_url + "/invite.ics", &mentee);
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(HeaderOf(ics, "Content-Type").rfind("text/calendar", 0), 0u);
  EXPECT_NE(ics.body.find("DTSTART:20270201T090000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("DURATION:PT30M"), std::string::npos);
  EXPECT_NE(ics.body.find("LOCATION:Video call"), std::string::npos);
  // Feedback waits for the meeting to be held.
  EXPECT_EQ(Call("POST", meeting_url + "/feedback", &mentee, R"({"rating":5})").status, 409);
  ASSERT_EQ(
      Call("PATCH", meeting_url, &mentee, R"({"status":"held","notes":"Agreed on a plan"})").status,
      200);
  Session mentor = Login("mentor");
  ASSERT_EQ(Call("POST", meeting_url + "/feedback", &mentee,
                 R"({"rating":5,"answers":{"useful":"very"},"comment":"Great"})")
                .status,
            201);
  EXPECT_EQ(Call("POST", meeting_url + "/feedback", &mentee, R"({"rating":4})").status, 409);
  EXPECT_EQ(Call("POST", meeting_url + "/feedback", &mentor, R"({"rating":9})").status, 422);
  ASSERT_EQ(Call("POST", meeting_url + "/feedback", &mentor, R"({"rating":3})").status, 201);

  // Coordinators see aggregates only from 3 answers on, and meetings without the pair's notes.
  const std::string feedback_url =
      "/api/v1/programs/" + std::to_string(active_program_.value) + "/feedback";
  json agg = json::parse(Call("GET", feedback_url, &coordinator).body);
  EXPECT_EQ(agg["count"], 2);
  EXPECT_EQ(agg["suppressed"], true);
  EXPECT_FALSE(agg.contains("mean_rating"));
  const std::string first_meeting = "/api/v1/meetings/" + std::to_string(meeting_.value);
  ASSERT_EQ(Call("POST", first_meeting + "/feedback", &mentor, R"({"rating":4})").status, 201);
  agg = json::parse(Call("GET", feedback_url, &coordinator).body);
  EXPECT_EQ(agg["count"], 3);
  EXPECT_EQ(agg["suppressed"], false);
  EXPECT_DOUBLE_EQ(agg["mean_rating"].get<double>(), 4.0);
  EXPECT_EQ(agg["by_rating"], json::array({0, 0, 1, 1, 1}));
  const json seen = json::parse(Call("GET", base + "/meetings", &coordinator).body);
  ASSERT_EQ(seen["items"].size(), 2u);
  EXPECT_FALSE(seen["items"][0].contains("notes"));
  EXPECT_TRUE(
      json::parse(Call("GET", base + "/meetings", &mentee).body)["items"][0].contains("notes"));

  // Another mentee cannot open this pair's pages.
  Session outsider = Login("outsider");
  EXPECT_EQ(Call("GET", base, &outsider).status, 403);
  EXPECT_EQ(Call("GET", base + "/meetings", &outsider).status, 403);
  EXPECT_EQ(Call("GET", meeting_url + "/invite.ics", &outsider).status, 403);
  EXPECT_EQ(Call("POST", meeting_url + "/feedback", &outsider, R"({"rating":1})").status, 403);

  // Ending needs a reason; an ended relationship stays ended.
  EXPECT_EQ(Call("POST", base + "/status", &mentor, R"({"status":"ended"})").status, 422);
  ASSERT_EQ(Call("POST", base + "/status", &mentor,
                 R"({"status":"ended","reason":"goals reached early"})")
                .status,
            200);
  EXPECT_EQ(Call("POST", base + "/status", &mentee, R"({"status":"active"})").status, 409);
  const store::Relationship ended = store_->GetRelationship(relationship_).value();
  EXPECT_EQ(ended.end_reason, "goals reached early");
}

TEST_F(ApiTest, SwapRescoresFromTheSnapshotAndRefusesIneligiblePairs) {
  Session committee = Login("committee");
  const std::string run = "/api/v1/runs/" + std::to_string(run_.value);
  // Look for two pairs whose swap the hard rules allow, and two whose swap they refuse.
  const store::MatchRun before = store_->GetMatchRun(run_).value();
  bool swapped = false;
  bool refused = false;
  for (size_t i = 0; i < before.pairs.size() && !(swapped && refused); ++i) {
    for (size_t j = i + 1; j < before.pairs.size() && !(swapped && refused); ++j) {
      if (before.pairs[i].mentor_id == before.pairs[j].mentor_id) continue;
      const json body = {{"mentee_ids", {before.pairs[i].mentee_id, before.pairs[j].mentee_id}}};
      http::Response r = Call("POST", run + "/swap", &committee, body.dump());
      if (r.status == 422 && !refused) {
        refused = true;
        EXPECT_NE(json::parse(r.body)["detail"].get<std::string>().find("not eligible"),
                  std::string::npos);
        // Nothing changed.
        EXPECT_EQ(store_->GetMatchRun(run_).value().pairs[i].mentor_id, before.pairs[i].mentor_id);
      } else if (r.status == 200 && !swapped) {
        swapped = true;
        const store::MatchRun after = store_->GetMatchRun(run_).value();
        EXPECT_EQ(after.pairs[i].mentor_id, before.pairs[j].mentor_id);
        EXPECT_EQ(after.pairs[j].mentor_id, before.pairs[i].mentor_id);
        // The new pairs carry their own score and explanation from the engine.
        const json out = json::parse(r.body);
        EXPECT_EQ(out["pairs"][0]["score"].get<double>(), after.pairs[i].score);
        EXPECT_FALSE(after.pairs[i].explanation.empty());
        EXPECT_EQ(after.pairs[i].factors.size(), static_cast<size_t>(matching::kCriterionCount));
      } else if (r.status != 200 && r.status != 422) {
        ADD_FAILURE() << r.status << " " << r.body;
      }
    }
  }
  EXPECT_TRUE(swapped);
  EXPECT_TRUE(refused);
}

TEST_F(ApiTest, ReRunKeepsLockedPairsAndRespectsCapacity) {
  Session coordinator = Login("coordinator");
  ASSERT_TRUE(store_->RequestJobCancel(job_).ok());
  ASSERT_TRUE(store_->SetPairLocked(run_, pair_a_.mentee_id, true).ok());
  ASSERT_TRUE(store_->SetPairLocked(run_, pair_b_.mentee_id, true).ok());
  http::Response started =
      Call("POST", "/api/v1/programs/" + std::to_string(program_.value) + "/runs", &coordinator,
           json{{"keep_locked_from", run_.value}}.dump());
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(Call("POST", "/api/v1/programs/" + std::to_string(program_.value) + "/runs",
                 &coordinator, R"({"keep_locked_from":999999})")
                .status,
            422);
  Result<std::optional<store::Job>> job = store_->ClaimNextJob("test");
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(jobs::RunJob(*store_, **job).ok());
  const store::Job done = store_->GetJob((*job)->id).value();
  ASSERT_EQ(done.state, store::JobState::kSucceeded) << done.error;
  const json result = json::parse(done.result_json);
  EXPECT_EQ(result["kept_locked_pairs"], 2);
  const store::MatchRun rerun =
      store_->GetMatchRun(store::MatchRunId{result["run_id"].get<std::int64_t>()}).value();
  ASSERT_GE(rerun.pairs.size(), 2u);
  EXPECT_EQ(rerun.pairs[0].mentee_id, pair_a_.mentee_id);
  EXPECT_EQ(rerun.pairs[0].mentor_id, pair_a_.mentor_id);
  EXPECT_EQ(rerun.pairs[1].mentee_id, pair_b_.mentee_id);
  EXPECT_EQ(rerun.pairs[1].mentor_id, pair_b_.mentor_id);
  std::map<std::string, int> load;
  std::set<std::string> mentees;
  for (const store::RunPair& p : rerun.pairs) {
    EXPECT_TRUE(mentees.insert(p.mentee_id).second) << p.mentee_id << " matched twice";
    ++load[p.mentor_id];
  }
  for (const auto& [mentor, n] : load) {
    const auto it = std::find_if(people_.begin(), people_.end(),
                                 [&](const Person& p) { return p.id == mentor; });
    ASSERT_NE(it, people_.end());
    EXPECT_LE(n, it->mentor_capacity) << mentor;
  }
  EXPECT_EQ(json::parse(rerun.summary_json)["matched"].get<size_t>(), rerun.pairs.size());
}

// docs/openapi.json describes every route the server has, with the same methods, and nothing
// the server does not have.
TEST_F(ApiTest, OpenApiDocumentNamesEveryRoute) {
  const json doc = json::parse(ReadFile(fs::path(TANDEM_SOURCE_DIR) / "docs" / "openapi.json"));
  ASSERT_EQ(doc["openapi"].get<std::string>().rfind("3.1", 0), 0u);
  std::set<std::string> documented;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == "GET" || upper == "POST" || upper == "PUT" || upper == "PATCH" ||
          upper == "DELETE") {
        documented.insert(upper + " " + path);
      }
    }
  }
  std::set<std::string> served;
  for (const std::string& route : api_->Routes()) {
    served.insert(route);
    EXPECT_TRUE(documented.count(route)) << "not in docs/openapi.json: " << route;
  }
  for (const std::string& route : documented) {
    EXPECT_TRUE(served.count(route)) << "documented but not served: " << route;
  }
}

TEST_F(ApiTest, HeadAnswersLikeGetWithoutABody) {
  http::Request r = Make("HEAD", "/api/v1/health");
  const http::Response head = Send(r);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(Call("HEAD", "/api/v1/programs", nullptr).status, 401);
}

TEST_F(ApiTest, EnrollmentFormEligibilityAndReviewDecideWhoIsMatched) {
  Session coordinator = Login("coordinator");
  const std::string program = "/api/v1/programs/" + std::to_string(enrolling_program_.value);
  EXPECT_EQ(Call("PUT", program + "/details", &coordinator, R"({"duration_weeks":500})").status,
            422);
  http::Response bad = Call("PUT", program + "/details", &coordinator, R"({"colour":"blue"})");
  EXPECT_EQ(json::parse(bad.body)["errors"][0]["field"], "colour");
  const json details = {{"objectives", {"grow first-time managers"}},
                        {"format", "hybrid"},
                        {"duration_weeks", 26},
                        {"meeting_cadence", "biweekly"},
                        {"application_questions", {"What do you want to learn?"}},
                        {"eligibility", {{"min_seniority", 1}, {"max_seniority", 6}}}};
  ASSERT_EQ(Call("PUT", program + "/details", &coordinator, details.dump()).status, 200);
  EXPECT_EQ(json::parse(Call("GET", program + "/details", &coordinator).body), details);

  // The form's question must be answered.
  Session mentee = Login("mentee");
  http::Response unanswered =
      Call("POST", program + "/applications", &mentee, R"({"role":"mentee"})");
  ASSERT_EQ(unanswered.status, 422);
  EXPECT_EQ(json::parse(unanswered.body)["errors"][0]["field"],
            "answers.What do you want to learn?");
  const json answers = {{"role", "mentee"},
                        {"answers", {{"What do you want to learn?", "Negotiation"}}}};
  const int seniority = people_[2].seniority;
  http::Response applied = Call("POST", program + "/applications", &mentee, answers.dump());
  if (seniority > 6) {
    EXPECT_EQ(applied.status, 422);  // not eligible as a mentee
  } else {
    ASSERT_EQ(applied.status, 201) << applied.body;
    EXPECT_EQ(json::parse(applied.body)["status"], "pending");
    EXPECT_EQ(Call("POST", program + "/applications", &mentee, answers.dump()).status, 409);
  }
  // A mentor applies too; the mentee may not decide on it, the coordinator approves.
  Session mentor = Login("mentor");
  http::Response as_mentor = Call(
      "POST", program + "/applications", &mentor,
      json{{"role", "mentor"}, {"answers", {{"What do you want to learn?", "Coaching"}}}}.dump());
  ASSERT_EQ(as_mentor.status, 201) << as_mentor.body;
  const std::string decide = "/api/v1/applications/" +
                             std::to_string(json::parse(as_mentor.body)["id"].get<int>()) +
                             "/decision";
  EXPECT_EQ(Call("POST", decide, &mentee, R"({"status":"approved"})").status, 403);
  ASSERT_EQ(Call("POST", decide, &coordinator, R"({"status":"approved","note":"welcome"})").status,
            200);
  EXPECT_EQ(Call("POST", decide, &coordinator, R"({"status":"waitlisted"})").status, 409);
  const json pending =
      json::parse(Call("GET", program + "/applications?status=pending", &coordinator).body);
  for (const json& a : pending["items"]) EXPECT_EQ(a["status"], "pending");
  EXPECT_EQ(Call("GET", program + "/applications?status=maybe", &coordinator).status, 422);

  // Approve the fixture's applicant (people_[9]) and match: only approved applicants take part.
  const std::string fixture_decision =
      "/api/v1/applications/" + std::to_string(application_.value) + "/decision";
  ASSERT_EQ(Call("POST", fixture_decision, &coordinator, R"({"status":"approved"})").status, 200);
  ASSERT_EQ(Call("POST", program + "/status", &coordinator, R"({"status":"matching"})").status,
            200);
  ASSERT_TRUE(store_->RequestJobCancel(job_).ok());
  ASSERT_EQ(Call("POST", program + "/runs", &coordinator, "{}").status, 202);
  Result<std::optional<store::Job>> job = store_->ClaimNextJob("test");
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(jobs::RunJob(*store_, **job).ok());
  const store::Job done = store_->GetJob((*job)->id).value();
  ASSERT_EQ(done.state, store::JobState::kSucceeded) << done.error;
  const store::MatchRun run =
      store_->GetMatchRun(store::MatchRunId{json::parse(done.result_json)["run_id"].get<int>()})
          .value();
  const json summary = json::parse(run.summary_json);
  const int applicants = seniority > 6 ? 2 : 3;
  EXPECT_EQ(summary["mentees"].get<int>() + summary["mentors"].get<int>(), applicants);
  for (const store::RunPair& p : run.pairs) EXPECT_EQ(p.mentor_id, people_[1].id);
}

TEST_F(ApiTest, InformalRequestFromSuggestionToRelationship) {
  Session outsider = Login("outsider");  // people_[outsider_], asking for a mentor
  const std::string program = "/api/v1/programs/" + std::to_string(enrolling_program_.value);
  http::Response suggested = Call("GET", program + "/suggestions?limit=3", &outsider);
  ASSERT_EQ(suggested.status, 200) << suggested.body;
  const json items = json::parse(suggested.body)["items"];
  ASSERT_FALSE(items.empty());
  EXPECT_LE(items.size(), 3u);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_FALSE(items[i]["why"].get<std::string>().empty());
    EXPECT_NE(items[i]["mentor_id"], people_[outsider_].id);
    if (i > 0) {
      EXPECT_LE(items[i]["score"].get<double>(), items[i - 1]["score"].get<double>());
    }
  }
  EXPECT_EQ(Call("GET", program + "/suggestions?limit=500", &outsider).status, 422);

  // Ask the "mentor" account's person, who asks a question, then accepts.
  http::Response asked =
      Call("POST", program + "/requests", &outsider,
           json{{"mentor_id", people_[1].id}, {"message", "I am preparing a negotiation"}}.dump());
  ASSERT_EQ(asked.status, 201) << asked.body;
  const json request = json::parse(asked.body);
  EXPECT_EQ(request["status"], "open");
  EXPECT_EQ(Call("POST", program + "/requests", &outsider,
                 json{{"mentor_id", people_[1].id}, {"message", "again"}}.dump())
                .status,
            409);
  EXPECT_EQ(
      Call("POST", program + "/requests", &outsider, json{{"mentor_id", people_[1].id}}.dump())
          .status,
      422);
  const std::string respond =
      "/api/v1/requests/" + std::to_string(request["id"].get<int>()) + "/response";
  Session mentor = Login("mentor");
  EXPECT_EQ(Call("POST", respond, &outsider, R"({"status":"accepted"})").status, 403);
  http::Response no_question = Call("POST", respond, &mentor, R"({"status":"info_requested"})");
  EXPECT_EQ(no_question.status, 422);
  EXPECT_EQ(json::parse(no_question.body)["errors"][0]["field"], "response");
  ASSERT_EQ(Call("POST", respond, &mentor, R"({"status":"info_requested","response":"With whom?"})")
                .status,
            200);
  ASSERT_EQ(Call("POST", respond, &outsider, R"({"status":"open","response":"A supplier"})").status,
            200);
  http::Response accepted = Call("POST", respond, &mentor, R"({"status":"accepted"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_FALSE(json::parse(accepted.body)["relationship_id"].is_null());

  // Both see the mentorship now; the mentee's view says who the mentor is.
  const json mine = json::parse(Call("GET", "/api/v1/me/relationships", &outsider).body);
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["partner"]["id"], people_[1].id);
  EXPECT_EQ(mine["items"][0]["my_role"], "mentee");
  const json theirs = json::parse(Call("GET", "/api/v1/me/requests", &mentor).body);
  bool found = false;
  for (const json& r : theirs["items"]) {
    if (r["id"] == request["id"]) {
      found = true;
      EXPECT_EQ(r["my_role"], "mentor");
      EXPECT_EQ(r["status"], "accepted");
      EXPECT_EQ(r["mentee_name"], people_[outsider_].name);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ApiTest, NotificationsKudosTrainingAndSurveys) {
  // Asking a mentor notifies them in-app.
  Session outsider = Login("outsider");
  Session mentor = Login("mentor");
  const std::string enrolling = "/api/v1/programs/" + std::to_string(enrolling_program_.value);
  ASSERT_EQ(Call("POST", enrolling + "/requests", &outsider,
                 json{{"mentor_id", people_[1].id}, {"message", "Budget talks"}}.dump())
                .status,
            201);
  json inbox = json::parse(Call("GET", "/api/v1/me/notifications", &mentor).body);
  ASSERT_GE(inbox["items"].size(), 1u);
  EXPECT_EQ(inbox["items"][0]["kind"], "request.received");
  EXPECT_EQ(inbox["items"][0]["body"], "Budget talks");
  EXPECT_GE(inbox["unread"].get<int>(), 1);
  const std::string read =
      "/api/v1/notifications/" + std::to_string(inbox["items"][0]["id"].get<int>()) + "/read";
  EXPECT_EQ(Call("POST", read, &outsider).status, 404);  // not theirs
  ASSERT_EQ(Call("POST", read, &mentor).status, 204);
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/me/notifications", &mentor).body)["items"][0]["read"],
            true);

  // Kudos from the mentee reach the mentor, with a notification; milestones come from what
  // happened (the fixture's relationship has a held meeting).
  Session mentee = Login("mentee");
  const std::string rel = "/api/v1/relationships/" + std::to_string(relationship_.value);
  EXPECT_EQ(Call("POST", rel + "/kudos", &mentee, R"({"message":""})").status, 422);
  ASSERT_EQ(Call("POST", rel + "/kudos", &mentee, R"({"message":"Thanks for the advice"})").status,
            201);
  const json recognition = json::parse(Call("GET", "/api/v1/me/recognition", &mentor).body);
  ASSERT_EQ(recognition["kudos"].size(), 1u);
  EXPECT_EQ(recognition["kudos"][0]["from"], people_[2].name);
  bool first_meeting = false;
  for (const json& m : recognition["milestones"]) first_meeting |= m["kind"] == "first_meeting";
  EXPECT_TRUE(first_meeting);
  ASSERT_TRUE(store_->UpdateGoalProgress(goal_, 100, {}).ok());
  const json mine = json::parse(Call("GET", "/api/v1/me/recognition", &mentee).body);
  bool goal_met = false;
  for (const json& m : mine["milestones"]) goal_met |= m["kind"] == "goal_met";
  EXPECT_TRUE(goal_met);

  // Training: the coordinator adds and assigns a resource; the mentee completes it.
  Session coordinator = Login("coordinator");
  http::Response bad =
      Call("POST", "/api/v1/resources", &coordinator, R"({"title":"Guide","kind":"podcast"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(json::parse(bad.body)["errors"][0]["field"], "kind");
  http::Response created =
      Call("POST", "/api/v1/resources", &coordinator,
           R"({"title":"Giving feedback","kind":"video","url":"https://example.com/v"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string res =
      "/api/v1/resources/" + std::to_string(json::parse(created.body)["id"].get<int>());
  EXPECT_EQ(
      Call("POST", res + "/assignments", &coordinator, json{{"employee_ids", {"NOBODY"}}}.dump())
          .status,
      422);
  ASSERT_EQ(Call("POST", res + "/assignments", &coordinator,
                 json{{"employee_ids", {people_[2].id}}, {"due_date", "2027-03-01"}}.dump())
                .status,
            200);
  json assignments = json::parse(Call("GET", "/api/v1/me/assignments", &mentee).body);
  ASSERT_EQ(assignments["items"].size(), 2u);  // the fixture's and this one
  ASSERT_EQ(Call("POST", res + "/complete", &mentee).status, 204);
  assignments = json::parse(Call("GET", "/api/v1/me/assignments", &mentee).body);
  int done = 0;
  for (const json& a : assignments["items"]) done += a["completed_at"].is_null() ? 0 : 1;
  EXPECT_EQ(done, 1);

  // Surveys: results are shown from 3 responses on.
  const std::string survey = "/api/v1/surveys/" + std::to_string(survey_.value);
  EXPECT_EQ(Call("POST", survey + "/responses", &mentee, R"({"ratings":[9]})").status, 422);
  EXPECT_EQ(Call("POST", survey + "/responses", &mentee, R"({"ratings":[4,4]})").status, 422);
  ASSERT_EQ(Call("POST", survey + "/responses", &mentee, R"({"ratings":[4]})").status, 201);
  EXPECT_EQ(Call("POST", survey + "/responses", &mentee, R"({"ratings":[5]})").status, 409);
  ASSERT_EQ(Call("POST", survey + "/responses", &mentor, R"({"ratings":[2]})").status, 201);
  EXPECT_EQ(Call("POST", survey + "/responses", &outsider, R"({"ratings":[2]})").status, 403);
  json results = json::parse(Call("GET", survey + "/results", &coordinator).body);
  EXPECT_EQ(results["responses"], 2);
  EXPECT_EQ(results["suppressed"], true);
  EXPECT_FALSE(results.contains("questions"));
  ASSERT_TRUE(store_->SubmitSurvey(survey_, "SOMEONE", {3}, "").ok());
  results = json::parse(Call("GET", survey + "/results", &coordinator).body);
  EXPECT_EQ(results["suppressed"], false);
  EXPECT_DOUBLE_EQ(results["questions"][0]["mean"].get<double>(), 3.0);
  EXPECT_EQ(results["questions"][0]["by_rating"], json::array({0, 1, 1, 1, 0}));
}

TEST_F(ApiTest, PeopleEditTheirOwnProfileButNotHrFields) {
  Session mentee = Login("mentee");
  const std::string url = "/api/v1/people/" + people_[2].id;
  http::Response edited = Call(
      "PUT", url, &mentee,
      R"({"name":"Someone Else","seniority":9,"skills_wanted":["negotiation:1","public speaking:2"],
               "interests":["chess"],"availability":"Mon 09-12","time_zone":"Europe/Berlin"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  const Person after = store_->GetPerson(org_, people_[2].id).value();
  EXPECT_EQ(after.name, people_[2].name);            // HR field kept
  EXPECT_EQ(after.seniority, people_[2].seniority);  // HR field kept
  EXPECT_EQ(after.manager_id, people_[2].manager_id);
  ASSERT_EQ(after.skills_wanted.size(), 2u);
  EXPECT_EQ(after.skills_wanted[0].skill, "negotiation");
  EXPECT_EQ(after.interests, std::vector<std::string>{"chess"});
  EXPECT_EQ(after.availability.count(), 3u);
  http::Response bad = Call("PUT", url, &mentee, R"({"availability":"Someday 25-26"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(json::parse(bad.body)["errors"][0]["field"], "availability");
  EXPECT_EQ(Call("PUT", "/api/v1/people/" + people_[3].id, &mentee, "{}").status, 403);
  // An admin may change HR fields too; references must name people of the organization.
  Session admin = Login("admin");
  EXPECT_EQ(Call("PUT", url, &admin, R"({"manager_id":"NOBODY"})").status, 422);
  ASSERT_EQ(Call("PUT", url, &admin, R"({"name":"Renamed","seniority":4})").status, 200);
  EXPECT_EQ(store_->GetPerson(org_, people_[2].id).value().name, "Renamed");
  EXPECT_EQ(store_->GetPerson(org_, people_[2].id).value().seniority, 4);
}

TEST_F(ApiTest, TwoRunsCompareSideBySide) {
  Session coordinator = Login("coordinator");
  ASSERT_TRUE(store_->RequestJobCancel(job_).ok());
  // A second run with a different objective.
  ASSERT_EQ(Call("PATCH", "/api/v1/programs/" + std::to_string(program_.value), &coordinator,
                 R"({"config":{"objective":"fair"}})")
                .status,
            200);
  ASSERT_EQ(Call("POST", "/api/v1/programs/" + std::to_string(program_.value) + "/runs",
                 &coordinator, "{}")
                .status,
            202);
  Result<std::optional<store::Job>> job = store_->ClaimNextJob("test");
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(jobs::RunJob(*store_, **job).ok());
  const int second = json::parse(store_->GetJob((*job)->id).value().result_json)["run_id"];
  http::Response r =
      Call("GET",
           "/api/v1/runs/" + std::to_string(run_.value) + "/compare?with=" + std::to_string(second),
           &coordinator);
  ASSERT_EQ(r.status, 200) << r.body;
  const json c = json::parse(r.body);
  const store::MatchRun a = store_->GetMatchRun(run_).value();
  EXPECT_EQ(c["a"]["matched"].get<size_t>(), a.pairs.size());
  // Welfare maximises the total, fair the lowest score (after the count).
  EXPECT_GE(c["a"]["total_score"].get<double>() + 1e-9, c["b"]["total_score"].get<double>());
  EXPECT_LE(c["a"]["lowest_score"].get<double>(), c["b"]["lowest_score"].get<double>() + 1e-9);
  EXPECT_EQ(c["same_pairs"].get<size_t>() + c["changed"].size() >= a.pairs.size(), true);
  EXPECT_EQ(Call("GET", "/api/v1/runs/" + std::to_string(run_.value) + "/compare?with=999999",
                 &coordinator)
                .status,
            422);
}

TEST_F(ApiTest, DashboardShowsAggregatesOnly) {
  Session executive = Login("executive");
  const std::string url =
      "/api/v1/programs/" + std::to_string(active_program_.value) + "/dashboard";
  json d = json::parse(Call("GET", url, &executive).body);
  EXPECT_EQ(d["relationships"]["active"], 1);
  EXPECT_EQ(d["goals"]["count"], 1);
  EXPECT_EQ(d["goals"]["met"], 0);
  ASSERT_EQ(d["meetings_held_by_week"].size(), 1u);
  EXPECT_EQ(d["meetings_held_by_week"][0]["week"], "2027-W01");  // Sunday 10 January 2027
  EXPECT_EQ(d["meetings_held_by_week"][0]["held"], 1);
  EXPECT_EQ(d["feedback"]["suppressed"], true);
  EXPECT_FALSE(d["latest_run"].is_null());
  EXPECT_EQ(d.dump().find(people_[2].id), std::string::npos);  // no person in it
  // Enrollment funnel of the enrolling program.
  Session coordinator = Login("coordinator");
  const json e = json::parse(
      Call("GET", "/api/v1/programs/" + std::to_string(enrolling_program_.value) + "/dashboard",
           &coordinator)
          .body);
  EXPECT_EQ(e["enrollment"]["applied"], 1);
  EXPECT_EQ(e["enrollment"]["pending"], 1);
  EXPECT_TRUE(e["latest_run"].is_null());
}

TEST_F(ApiTest, RequestsObeyTheProgramsHardRules) {
  // Find a pair the rules exclude, ask as that mentee: refused with the rule.
  const matching::Scorer rules(people_, matching::DefaultConfig(matching::Model::kTraditional));
  for (size_t mentor = 0; mentor < people_.size(); ++mentor) {
    if (mentor == outsider_ || people_[mentor].mentor_capacity == 0) continue;
    const matching::Exclusion why =
        rules.Check(static_cast<std::int32_t>(outsider_), static_cast<std::int32_t>(mentor));
    if (why == matching::Exclusion::kNone) continue;
    Session outsider = Login("outsider");
    http::Response r =
        Call("POST", "/api/v1/programs/" + std::to_string(enrolling_program_.value) + "/requests",
             &outsider, json{{"mentor_id", people_[mentor].id}, {"message", "hello"}}.dump());
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(json::parse(r.body)["detail"].get<std::string>().find(matching::ExclusionReason(why)),
              std::string::npos);
    return;
  }
  GTEST_SKIP() << "no excluded pair in this generated organization";
}

TEST_F(ApiTest, ReMatchInAnActiveProgramPairsOnlyThoseLeftWithoutAPartner) {
  Session coordinator = Login("coordinator");
  ASSERT_TRUE(store_->RequestJobCancel(job_).ok());
  const std::string run = "/api/v1/runs/" + std::to_string(run_.value);
  ASSERT_EQ(Call("POST", run + "/publish", &coordinator).status, 200);  // program_ is active
  const std::vector<store::Relationship> first = store_->ListRelationships(program_).value();
  ASSERT_GE(first.size(), 2u);
  // One relationship ends; its mentee is the one to re-match.
  const store::Relationship& ended = first.front();
  ASSERT_EQ(Call("POST", "/api/v1/relationships/" + std::to_string(ended.id.value) + "/status",
                 &coordinator, R"({"status":"ended","reason":"mentor moved to another site"})")
                .status,
            200);
  const std::string runs = "/api/v1/programs/" + std::to_string(program_.value) + "/runs";
  ASSERT_EQ(Call("POST", runs, &coordinator, "{}").status, 202);
  Result<std::optional<store::Job>> job = store_->ClaimNextJob("test");
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(jobs::RunJob(*store_, **job).ok());
  const store::Job done = store_->GetJob((*job)->id).value();
  ASSERT_EQ(done.state, store::JobState::kSucceeded) << done.error;
  const json result = json::parse(done.result_json);
  EXPECT_EQ(result["rematch"], true);
  const std::string rerun = "/api/v1/runs/" + std::to_string(result["run_id"].get<int>());
  const json r = json::parse(Call("GET", rerun, &coordinator).body);
  EXPECT_EQ(r["rematch"], true);
  // Nobody who still has a partner is proposed again.
  std::set<std::string> partnered;
  std::map<std::string, int> taken;
  for (const store::Relationship& rel : first) {
    if (rel.id == ended.id) continue;
    partnered.insert(rel.mentee_id);
    ++taken[rel.mentor_id];
  }
  std::map<std::string, int> load;
  for (const json& p : r["pairs"]) {
    EXPECT_FALSE(partnered.count(p["mentee_id"].get<std::string>())) << p.dump();
    ++load[p["mentor_id"].get<std::string>()];
  }
  for (const auto& [mentor, n] : load) {
    const auto it = std::find_if(people_.begin(), people_.end(),
                                 [&](const Person& person) { return person.id == mentor; });
    ASSERT_NE(it, people_.end());
    EXPECT_LE(n + taken[mentor], it->mentor_capacity) << mentor;
  }
  // Approve and publish: the program stays active, the new pairs start.
  ASSERT_EQ(Call("POST", rerun + "/approve", &coordinator).status, 200);
  http::Response published = Call("POST", rerun + "/publish", &coordinator);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(json::parse(published.body)["items"].size(), r["pairs"].size());
  EXPECT_EQ(store_->GetProgram(program_).value().status, store::ProgramStatus::kActive);
}

// Every structural model runs as a program: the run's pairs carry their slot, round, group or
// circle, and each model's own rules hold in what is saved.
TEST_F(ApiTest, StructuralModelsRunAsPrograms) {
  Session coordinator = Login("coordinator");
  ASSERT_TRUE(store_->RequestJobCancel(job_).ok());
  const json templates = json::parse(Call("GET", "/api/v1/program-templates", &coordinator).body);
  std::set<std::string> models;
  for (const json& t : templates["items"]) models.insert(t["model"].get<std::string>());
  for (const char* m : {"traditional", "speed", "rotation", "peer", "group", "circle"}) {
    EXPECT_TRUE(models.count(m)) << m;
  }
  auto run_model = [&](const std::string& model, const json& options) {
    http::Response created = Call("POST", "/api/v1/programs", &coordinator,
                                  json{{"name", "P " + model}, {"model", model}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string url =
        "/api/v1/programs/" + std::to_string(json::parse(created.body)["id"].get<int>());
    EXPECT_EQ(
        Call("PUT", url + "/details", &coordinator, json{{"model_options", options}}.dump()).status,
        200);
    EXPECT_EQ(Call("POST", url + "/status", &coordinator, R"({"status":"enrolling"})").status, 200);
    EXPECT_EQ(Call("POST", url + "/status", &coordinator, R"({"status":"matching"})").status, 200);
    EXPECT_EQ(Call("POST", url + "/runs", &coordinator, "{}").status, 202);
    Result<std::optional<store::Job>> job = store_->ClaimNextJob("test");
    EXPECT_TRUE(job.ok() && job->has_value());
    EXPECT_TRUE(jobs::RunJob(*store_, **job).ok());
    const store::Job done = store_->GetJob((*job)->id).value();
    EXPECT_EQ(done.state, store::JobState::kSucceeded) << done.error;
    const int run_id = json::parse(done.result_json)["run_id"];
    const json r =
        json::parse(Call("GET", "/api/v1/runs/" + std::to_string(run_id), &coordinator).body);
    EXPECT_EQ(r["model"], model);
    return r;
  };

  // Speed: at most one meeting per person per slot, slots in range, no pair met twice.
  const json speed = run_model("speed", {{"slots", 3}});
  ASSERT_FALSE(speed["pairs"].empty());
  std::set<std::pair<std::string, int>> busy;
  std::set<std::pair<std::string, std::string>> met;
  for (const json& p : speed["pairs"]) {
    const int slot = p["slot"];
    EXPECT_GE(slot, 0);
    EXPECT_LT(slot, 3);
    EXPECT_TRUE(busy.insert({p["mentee_id"].get<std::string>(), slot}).second);
    EXPECT_TRUE(busy.insert({p["mentor_id"].get<std::string>(), slot}).second);
    EXPECT_TRUE(
        met.insert({p["mentee_id"].get<std::string>(), p["mentor_id"].get<std::string>()}).second);
    EXPECT_FALSE(p["explanation"].get<std::string>().empty());
  }
  // A timetable is shared, not published as relationships.
  EXPECT_EQ(Call("POST", "/api/v1/runs/" + std::to_string(speed["id"].get<int>()) + "/publish",
                 &coordinator)
                .status,
            409);

  // Rotation: rounds in range, one mentor per mentee per round, no pair repeated.
  const json rotation = run_model("rotation", {{"rounds", 2}});
  ASSERT_FALSE(rotation["pairs"].empty());
  std::set<std::pair<std::string, int>> placed;
  std::set<std::pair<std::string, std::string>> paired;
  for (const json& p : rotation["pairs"]) {
    const int round = p["slot"];
    EXPECT_TRUE(round == 0 || round == 1);
    EXPECT_TRUE(placed.insert({p["mentee_id"].get<std::string>(), round}).second);
    EXPECT_TRUE(
        paired.insert({p["mentee_id"].get<std::string>(), p["mentor_id"].get<std::string>()})
            .second);
  }

  // Peers: everyone at most once, never with themself.
  const json peer = run_model("peer", json::object());
  ASSERT_FALSE(peer["pairs"].empty());
  std::set<std::string> seen;
  for (const json& p : peer["pairs"]) {
    EXPECT_NE(p["mentee_id"], p["mentor_id"]);
    EXPECT_TRUE(seen.insert(p["mentee_id"].get<std::string>()).second);
    EXPECT_TRUE(seen.insert(p["mentor_id"].get<std::string>()).second);
  }

  // Groups: each mentee in one group, a group's mentor fixed, sizes within capacity.
  const json group = run_model("group", {{"group_min", 1}});
  ASSERT_FALSE(group["pairs"].empty());
  std::map<int, std::string> mentor_of_group;
  std::map<std::string, int> size;
  std::set<std::string> in_group;
  for (const json& p : group["pairs"]) {
    const int g = p["slot"];
    auto [it, fresh] = mentor_of_group.emplace(g, p["mentor_id"].get<std::string>());
    if (!fresh) {
      EXPECT_EQ(it->second, p["mentor_id"]);
    }
    EXPECT_TRUE(in_group.insert(p["mentee_id"].get<std::string>()).second);
    ++size[p["mentor_id"].get<std::string>()];
  }
  for (const auto& [mentor, n] : size) {
    const auto it = std::find_if(people_.begin(), people_.end(),
                                 [&](const Person& person) { return person.id == mentor; });
    ASSERT_NE(it, people_.end());
    EXPECT_LE(n, it->mentor_capacity);
  }

  // Circles: members without a mentor, everyone in at most one circle of about the asked size.
  const json circle = run_model("circle", {{"circle_size", 4}});
  ASSERT_FALSE(circle["pairs"].empty());
  std::map<int, int> members;
  std::set<std::string> in_circle;
  for (const json& p : circle["pairs"]) {
    EXPECT_EQ(p["mentor_id"], "");
    EXPECT_TRUE(in_circle.insert(p["mentee_id"].get<std::string>()).second);
    ++members[p["slot"].get<int>()];
  }
  for (const auto& [c, n] : members) {
    EXPECT_GE(n, 3) << "circle " << c;
    EXPECT_LE(n, 5) << "circle " << c;
  }
  EXPECT_EQ(
      Call("POST", "/api/v1/programs", &coordinator, R"({"name":"X","model":"lottery"})").status,
      422);
}

}  // namespace
}  // namespace tandem::api
