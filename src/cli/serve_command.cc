// `tandem serve`: the HTTP server (API + web UI) over a store, with the job worker. With --demo it
// first loads a demo organization into an empty database and prints how to log in as each role.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/api.h"
#include "auth/password.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "http/server.h"
#include "io/config_json.h"
#include "jobs/notifier.h"
#include "jobs/worker.h"
#include "matching/config.h"
#include "program/match_run.h"
#include "sample/organization.h"
#include "store/sqlite/sqlite_store.h"
#ifdef TANDEM_WITH_POSTGRES
#include "store/postgres/postgres_store.h"
#endif

namespace tandem::cli {
namespace {

using json = nlohmann::json;

// Settings from the --config file (JSON, keys as the flags without dashes); flags win.
Status ApplyConfigFile(ServeArgs& args, const ServeArgs& defaults) {
  std::ifstream in(args.config_path);
  if (!in) return Status::NotFound("config file " + args.config_path + ": cannot be opened");
  std::stringstream text;
  text << in.rdbuf();
  json config = json::parse(text.str(), nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    return Status::Invalid(args.config_path + ": not a JSON object");
  }
  try {
    for (const auto& [key, value] : config.items()) {
      if (key == "address") {
        if (args.address == defaults.address) args.address = value.get<std::string>();
      } else if (key == "port") {
        if (args.port == defaults.port) args.port = value.get<int>();
      } else if (key == "database") {
        if (args.database == defaults.database) args.database = value.get<std::string>();
      } else if (key == "web_dir") {
        if (args.web_dir == defaults.web_dir) args.web_dir = value.get<std::string>();
      } else if (key == "job_threads") {
        if (args.job_threads == defaults.job_threads) args.job_threads = value.get<int>();
      } else if (key == "http_threads") {
        if (args.http_threads == defaults.http_threads) args.http_threads = value.get<int>();
      } else if (key == "secure_cookies") {
        args.secure_cookies = args.secure_cookies || value.get<bool>();
      } else if (key == "smtp_url") {
        if (args.smtp_url.empty()) args.smtp_url = value.get<std::string>();
      } else if (key == "smtp_from") {
        if (args.smtp_from == defaults.smtp_from) args.smtp_from = value.get<std::string>();
      } else if (key == "smtp_user") {
        if (args.smtp_user.empty()) args.smtp_user = value.get<std::string>();
      } else if (key == "smtp_password") {
        if (args.smtp_password.empty()) args.smtp_password = value.get<std::string>();
      } else if (key == "slack_webhook") {
        if (args.slack_webhook.empty()) args.slack_webhook = value.get<std::string>();
      } else if (key == "base_url") {
        if (args.base_url.empty()) args.base_url = value.get<std::string>();
      } else if (key == "session_hours") {
        if (args.session_hours == defaults.session_hours) args.session_hours = value.get<int>();
      } else {
        return Status::Invalid(args.config_path + ": unknown setting '" + key + "'");
      }
    }
  } catch (const json::exception& e) {
    return Status::Invalid(args.config_path + ": a setting has the wrong type: " + e.what());
  }
  return Status::Ok();
}

Result<std::unique_ptr<store::Store>> OpenStore(const std::string& database) {
  if (database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0) {
#ifdef TANDEM_WITH_POSTGRES
    return store::OpenPostgres(database);
#else
    return Status::Invalid("--database: this build has no PostgreSQL support");
#endif
  }
  return store::OpenSqlite(database);
}

struct DemoLogin {
  std::string role;
  std::string email;
  std::string who;
};

constexpr const char* kDemoPassword = "tandem-demo";

// Fills an empty store with a generated organization, one program in each early state, and an
// account per role. Returns the logins to print; an already filled store is left alone.
Result<std::vector<DemoLogin>> SeedDemo(store::Store& st, int people_count) {
  Result<std::vector<store::Account>> existing = st.ListAccounts(store::OrganizationId{1});
  if (existing.ok() && !existing->empty()) {
    std::vector<DemoLogin> logins;
    for (const store::Account& a : *existing) {
      logins.push_back(
          {a.roles.empty() ? "" : store::RoleName(a.roles.front().role), a.email, a.display_name});
    }
    return logins;
  }
  Result<store::OrganizationId> org = st.CreateOrganization("Northwind Demo");
  if (!org.ok()) return org.status();
  sample::OrganizationSpec spec;
  spec.people = people_count;
  spec.seed = 2027;
  const std::vector<Person> people = sample::GenerateOrganization(spec);
  if (Result<int> n = st.UpsertPeople(*org, people); !n.ok()) return n.status();

  const matching::MatchConfig config = matching::DefaultConfig(matching::Model::kTraditional);
  Result<store::ProgramId> leadership = st.CreateProgram(
      *org, {"Leadership mentoring 2027", "traditional", io::ConfigToJson(config)});
  if (!leadership.ok()) return leadership.status();
  for (store::ProgramStatus s :
       {store::ProgramStatus::kEnrolling, store::ProgramStatus::kMatching}) {
    if (Status st_ = st.UpdateProgramStatus(*leadership, s); !st_.ok()) return st_;
  }
  Result<store::ProgramId> reverse = st.CreateProgram(
      *org, {"Reverse mentoring: digital skills", "reverse",
             io::ConfigToJson(matching::DefaultConfig(matching::Model::kReverse))});
  if (!reverse.ok()) return reverse.status();

  // The demo's mentee and mentor are real people of the generated organization, and a pair of
  // the optimal matching of the leadership program: matching it (the same engine, the same
  // people and configuration) pairs them, so both logins see their mentorship once it is
  // published.
  const Person* mentee = nullptr;
  const Person* mentor = nullptr;
  Result<program::MatchReport> preview = program::RunMatching(people, config);
  if (preview.ok() && !preview->pairs.empty()) {
    mentee = &people[static_cast<size_t>(preview->pairs.front().mentee)];
    mentor = &people[static_cast<size_t>(preview->pairs.front().mentor)];
  }
  Result<std::string> hash = auth::HashPassword(kDemoPassword);
  if (!hash.ok()) return hash.status();
  struct Seed {
    const char* email;
    std::string name;
    std::string employee_id;
    store::RoleGrant grant;
  };
  std::vector<Seed> seeds = {
      {"admin@northwind.example", "Avery Admin", "", {store::Role::kAdmin, {}}},
      {"coordinator@northwind.example", "Casey Coordinator", "", {store::Role::kCoordinator, {}}},
      {"committee@northwind.example",
       "Morgan Committee",
       "",
       {store::Role::kCommittee, *leadership}},
      {"executive@northwind.example", "Emery Executive", "", {store::Role::kExecutive, {}}},
  };
  if (mentor != nullptr) {
    seeds.push_back(
        {"mentor@northwind.example", mentor->name, mentor->id, {store::Role::kMentor, {}}});
  }
  if (mentee != nullptr) {
    seeds.push_back(
        {"mentee@northwind.example", mentee->name, mentee->id, {store::Role::kMentee, {}}});
  }
  std::vector<DemoLogin> logins;
  for (const Seed& s : seeds) {
    store::NewAccount a{s.email, s.name, *hash, s.employee_id, {s.grant}};
    if (Result<store::AccountId> id = st.CreateAccount(*org, a); !id.ok()) return id.status();
    logins.push_back({store::RoleName(s.grant.role), s.email, s.name});
  }
  return logins;
}

}  // namespace

int RunServe(ServeArgs args) {
  // Signals are blocked before any thread starts, so only WaitForTerminationSignal sees them.
  http::BlockTerminationSignals();
  const ServeArgs defaults;
  if (!args.config_path.empty()) {
    if (Status s = ApplyConfigFile(args, defaults); !s.ok()) return Fail(s);
  }
  if (args.port < 0 || args.port > 65535) return Fail(Status::Invalid("--port: must be 0..65535"));
  Result<std::unique_ptr<store::Store>> opened = OpenStore(args.database);
  if (!opened.ok()) return Fail(opened.status());
  store::Store& st = **opened;

  if (args.demo) {
    std::fprintf(stderr, "Loading the demo organization into %s ...\n", args.database.c_str());
    Result<std::vector<DemoLogin>> logins = SeedDemo(st, args.demo_people);
    if (!logins.ok()) return Fail(logins.status());
    std::printf("Demo organization \"Northwind Demo\": log in with any of these (password %s):\n",
                kDemoPassword);
    for (const DemoLogin& l : *logins) {
      std::printf("  %-12s %-32s %s\n", l.role.c_str(), l.email.c_str(), l.who.c_str());
    }
  }

  char host[256] = "tandem";
  ::gethostname(host, sizeof host - 1);
  jobs::Worker worker(st, {std::string(host) + ":" + std::to_string(::getpid()),
                           std::max(1, args.job_threads), 500});
  if (const char* password = std::getenv("TANDEM_SMTP_PASSWORD")) args.smtp_password = password;
  jobs::NotifierOptions notifier_options;
  notifier_options.worker_id = std::string(host) + ":" + std::to_string(::getpid());
  notifier_options.smtp_url = args.smtp_url;
  notifier_options.smtp_from = args.smtp_from;
  notifier_options.smtp_user = args.smtp_user;
  notifier_options.smtp_password = args.smtp_password;
  notifier_options.slack_webhook_url = args.slack_webhook;
  notifier_options.base_url = args.base_url.empty()
                                  ? "http://" + args.address + ":" + std::to_string(args.port) + "/"
                                  : args.base_url;
  jobs::Notifier notifier(st, notifier_options);

  api::ApiOptions api_options;
  api_options.secure_cookies = args.secure_cookies;
  api_options.session_ttl_seconds = args.session_hours * 3600;
  api_options.on_job_queued = [&worker] { worker.Wake(); };
  if (!args.smtp_url.empty()) api_options.notification_channels.push_back("email");
  if (!args.slack_webhook.empty()) api_options.notification_channels.push_back("slack");
  api_options.on_notification_queued = [&notifier] { notifier.Wake(); };
  api::Api api(st, api_options);

  http::ServerOptions server_options;
  server_options.address = args.address;
  server_options.port = static_cast<std::uint16_t>(args.port);
  server_options.static_dir = args.web_dir;
  server_options.worker_threads = std::max(1, args.http_threads);
  server_options.access_log = args.access_log;
  Result<std::unique_ptr<http::Server>> server =
      http::Server::Start(server_options, [&api](const http::Request& r) { return api.Handle(r); });
  if (!server.ok()) return Fail(server.status());
  worker.Start();
  notifier.Start();
  std::printf("Tandem is serving on http://%s:%u/ (API under /api/v1). Stop with Ctrl-C.\n",
              args.address.c_str(), static_cast<unsigned>((*server)->port()));
  if (args.web_dir.empty()) {
    std::printf("No --web-dir given: only the API is served.\n");
  }
  std::fflush(stdout);
  http::WaitForTerminationSignal();
  std::fprintf(stderr, "Stopping: finishing requests in flight ...\n");
  (*server)->Stop();
  worker.Stop();
  notifier.Stop();
  std::fprintf(stderr, "Stopped.\n");
  return 0;
}

}  // namespace tandem::cli
