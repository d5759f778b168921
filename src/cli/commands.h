#pragma once
// The subcommands of `tandem`, each a function of its parsed arguments returning an exit code.

#include <cstdint>
#include <string>

namespace tandem::cli {

struct SolveArgs {
  std::string instance_path;
  std::string objective;    // empty: the instance's own, else welfare
  std::string output_path;  // empty: stdout
  bool quiet = false;
};
int RunSolve(const SolveArgs& args);

struct MatchArgs {
  std::string people_path;
  std::string config_path;  // empty: the model's defaults
  std::string model;        // used when no config file is given
  std::string objective;    // overrides the configuration's
  std::string output_dir = "tandem-out";
  bool skip_bad_rows = false;
  int explain = 5;
  bool audit = false;  // print every group of the fairness audit
  bool quiet = false;
  // Structural models (--model speed|rotation|peer|group|circle).
  int slots = 6;
  int rounds = 4;
  std::string history_path;
  int group_min = 2;
  bool mix = false;  // group / circle: reward mixing departments and sites
  int circle_size = 4;
  bool allow_trio = false;
  int peer_level_gap = 2;
};
int RunMatch(const MatchArgs& args);
bool IsStructuralModel(const std::string& model);
int RunModel(const MatchArgs& args);

struct CompareArgs {
  std::string people_path;
  std::string config_a, config_b;
  std::string model_a, model_b;
  std::string objective_a, objective_b;
  bool skip_bad_rows = false;
  int examples = 10;
  bool quiet = false;
};
int RunCompare(const CompareArgs& args);

struct SuggestArgs {
  std::string people_path;
  std::string config_path;
  std::string model;
  std::string person_id;
  int top = 5;
  bool skip_bad_rows = false;
};
int RunSuggest(const SuggestArgs& args);

struct DemoArgs {
  int people = 2000;
  std::uint64_t seed = 1;
  std::string objective;
  std::string output_dir;  // empty: print only
  int explain = 6;
  bool quiet = false;
};
int RunDemo(const DemoArgs& args);

struct ConfigArgs {
  std::string model = "traditional";
};
int RunConfig(const ConfigArgs& args);

struct ServeArgs {
  std::string config_path;  // JSON file of the same settings; flags given win
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string database = "tandem.db";  // a SQLite file, or a postgresql:// URL
  std::string web_dir;                 // the built web UI (web/dist); empty: API only
  bool demo = false;
  int demo_people = 600;
  int job_threads = 1;
  int http_threads = 4;
  int session_hours = 8;
  bool secure_cookies = false;
  bool access_log = false;
  // Notifications by email and Slack (besides in-app); empty turns a channel off. The SMTP
  // password comes from the environment variable TANDEM_SMTP_PASSWORD or the config file.
  std::string smtp_url;
  std::string smtp_from = "Tandem <mentoring@localhost>";
  std::string smtp_user;
  std::string smtp_password;
  std::string slack_webhook;
  std::string base_url;  // how people reach this server, for links in emails
};
int RunServe(ServeArgs args);

struct BackupArgs {
  std::string database = "tandem.db";
  std::string file;  // the backup file: written by backup, read by restore
};
int RunBackup(const BackupArgs& args);
int RunRestore(const BackupArgs& args);

}  // namespace tandem::cli
