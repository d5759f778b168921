#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace tandem::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Tandem: pairs people into mentorships and proves the pairs are optimal"};
  app.require_subcommand(1);

  DemoArgs demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "Generate a sample organization, match a traditional program, print a summary");
  demo_cmd->add_option("--people", demo.people, "People in the organization")
      ->capture_default_str();
  demo_cmd->add_option("--seed", demo.seed, "Seed of the generator")->capture_default_str();
  demo_cmd->add_option("--objective", demo.objective, "welfare | stable | fair");
  demo_cmd->add_option("--explain", demo.explain, "Explained pairs to print")
      ->capture_default_str();
  demo_cmd->add_option(
      "-o,--output", demo.output_dir,
      "Also write people.csv (the generated people), pairs.csv, unmatched.csv, match.json here");
  demo_cmd->add_flag("-q,--quiet", demo.quiet, "No progress on stderr");

  MatchArgs match;
  CLI::App* match_cmd = app.add_subcommand(
      "match", "Match people (CSV or JSON) by a program configuration; write pairs and reasons");
  match_cmd->add_option("--people", match.people_path, "People file (.csv or .json)")->required();
  match_cmd->add_option("--config", match.config_path, "Matching configuration (JSON)");
  match_cmd->add_option(
      "--model", match.model,
      "traditional | reverse | skill_based | virtual (scoring defaults when no --config), or "
      "speed | rotation | peer | group | circle");
  match_cmd->add_option("--slots", match.slots, "speed: time slots")->capture_default_str();
  match_cmd->add_option("--rounds", match.rounds, "rotation: rounds")->capture_default_str();
  match_cmd->add_option("--history", match.history_path,
                        "rotation: CSV of earlier pairs (mentee_id,mentor_id) never to repeat");
  match_cmd->add_option("--group-min", match.group_min, "group: smallest group")
      ->capture_default_str();
  match_cmd->add_option("--circle-size", match.circle_size, "circle: people per circle")
      ->capture_default_str();
  match_cmd->add_flag("--mix", match.mix,
                      "group, circle: prefer groups that mix departments and sites");
  match_cmd->add_flag("--allow-trio", match.allow_trio, "peer: an odd person out joins a pair");
  match_cmd
      ->add_option("--peer-level-gap", match.peer_level_gap,
                   "peer: most seniority levels between peers")
      ->capture_default_str();
  match_cmd->add_option("--objective", match.objective, "welfare | stable | fair");
  match_cmd
      ->add_option("-o,--output", match.output_dir,
                   "Folder for pairs.csv, unmatched.csv, match.json")
      ->capture_default_str();
  match_cmd->add_flag("--skip-bad-rows", match.skip_bad_rows,
                      "Import the good rows of a file with bad ones (each is reported)");
  match_cmd->add_option("--explain", match.explain, "Explained pairs to print")
      ->capture_default_str();
  match_cmd->add_flag("--audit", match.audit, "Print every group of the fairness audit");
  match_cmd->add_flag("-q,--quiet", match.quiet, "No progress on stderr");

  CompareArgs compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare", "What-if: match the same people under two configurations, side by side");
  compare_cmd->add_option("--people", compare.people_path, "People file (.csv or .json)")
      ->required();
  compare_cmd->add_option("--config-a", compare.config_a, "Configuration A (JSON)");
  compare_cmd->add_option("--config-b", compare.config_b, "Configuration B (JSON)");
  compare_cmd->add_option("--model-a", compare.model_a, "Model defaults for A when no --config-a");
  compare_cmd->add_option("--model-b", compare.model_b, "Model defaults for B when no --config-b");
  compare_cmd->add_option("--objective-a", compare.objective_a, "welfare | stable | fair");
  compare_cmd->add_option("--objective-b", compare.objective_b, "welfare | stable | fair");
  compare_cmd->add_option("--examples", compare.examples, "Changed pairs to list")
      ->capture_default_str();
  compare_cmd->add_flag("--skip-bad-rows", compare.skip_bad_rows, "Import the good rows only");
  compare_cmd->add_flag("-q,--quiet", compare.quiet, "No progress on stderr");

  SuggestArgs suggest;
  CLI::App* suggest_cmd = app.add_subcommand(
      "suggest", "Informal programs: suggested mentors for a mentee (or mentees for a mentor)");
  suggest_cmd->add_option("--people", suggest.people_path, "People file (.csv or .json)")
      ->required();
  suggest_cmd->add_option("--id", suggest.person_id, "The person's id")->required();
  suggest_cmd->add_option("--config", suggest.config_path, "Matching configuration (JSON)");
  suggest_cmd->add_option("--model", suggest.model, "Model defaults when no --config");
  suggest_cmd->add_option("--top", suggest.top, "How many suggestions")->capture_default_str();
  suggest_cmd->add_flag("--skip-bad-rows", suggest.skip_bad_rows, "Import the good rows only");

  SolveArgs solve;
  CLI::App* solve_cmd = app.add_subcommand(
      "solve", "Solve an explicit instance (scores or weights, capacities, rankings) in JSON");
  solve_cmd->add_option("instance", solve.instance_path, "Instance JSON file")->required();
  solve_cmd->add_option("--objective", solve.objective, "welfare | stable | fair");
  solve_cmd->add_option("-o,--output", solve.output_path, "Write the solution JSON here");
  solve_cmd->add_flag("-q,--quiet", solve.quiet, "No progress on stderr");

  ConfigArgs config;
  CLI::App* config_cmd =
      app.add_subcommand("config", "Print a model's default matching configuration (JSON)");
  config_cmd->add_option("--model", config.model, "traditional | reverse | skill_based | virtual")
      ->capture_default_str();

  ServeArgs serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "Run the Tandem server: the JSON API under /api/v1 and the web UI");
  serve_cmd->add_option("--config", serve.config_path, "Settings file (JSON)");
  serve_cmd->add_option("--address", serve.address, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "Port (0: any free port)")->capture_default_str();
  serve_cmd
      ->add_option("--database", serve.database, "SQLite file, or a postgresql:// connection URL")
      ->capture_default_str();
  serve_cmd->add_option("--web-dir", serve.web_dir, "Folder of the built web UI (web/dist)");
  serve_cmd->add_flag("--demo", serve.demo,
                      "Load a demo organization into an empty database and print the logins");
  serve_cmd->add_option("--demo-people", serve.demo_people, "People in the demo organization")
      ->capture_default_str();
  serve_cmd->add_option("--job-threads", serve.job_threads, "Matching runs at once")
      ->capture_default_str();
  serve_cmd->add_option("--http-threads", serve.http_threads, "Request handler threads")
      ->capture_default_str();
  serve_cmd->add_option("--session-hours", serve.session_hours, "Session lifetime")
      ->capture_default_str();
  serve_cmd->add_flag("--secure-cookies", serve.secure_cookies,
                      "Mark the session cookie Secure (when served over HTTPS)");
  serve_cmd->add_flag("--access-log", serve.access_log, "Log each request on stderr");
  serve_cmd->add_option("--smtp-url", serve.smtp_url,
                        "Send email notifications through this server (smtp://host:587)");
  serve_cmd->add_option("--smtp-from", serve.smtp_from, "Sender of notification emails")
      ->capture_default_str();
  serve_cmd->add_option("--smtp-user", serve.smtp_user,
                        "SMTP login (password: TANDEM_SMTP_PASSWORD)");
  serve_cmd->add_option("--slack-webhook", serve.slack_webhook,
                        "Post notifications to this Slack incoming webhook");
  serve_cmd->add_option("--base-url", serve.base_url,
                        "The address people open, for links in notifications");

  BackupArgs backup;
  CLI::App* backup_cmd = app.add_subcommand(
      "backup", "Copy the SQLite database to a backup file (safe while the server runs)");
  backup_cmd->add_option("--database", backup.database, "The SQLite database")
      ->capture_default_str();
  backup_cmd->add_option("-o,--output", backup.file, "The backup file to write")->required();
  BackupArgs restore;
  CLI::App* restore_cmd = app.add_subcommand(
      "restore", "Replace the SQLite database with a backup (stop the server first)");
  restore_cmd->add_option("--database", restore.database, "The SQLite database")
      ->capture_default_str();
  restore_cmd->add_option("-i,--input", restore.file, "The backup file to read")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (demo_cmd->parsed()) return RunDemo(demo);
  if (match_cmd->parsed()) {
    return IsStructuralModel(match.model) ? RunModel(match) : RunMatch(match);
  }
  if (compare_cmd->parsed()) return RunCompare(compare);
  if (suggest_cmd->parsed()) return RunSuggest(suggest);
  if (solve_cmd->parsed()) return RunSolve(solve);
  if (config_cmd->parsed()) return RunConfig(config);
  if (serve_cmd->parsed()) return RunServe(serve);
  if (backup_cmd->parsed()) return RunBackup(backup);
  if (restore_cmd->parsed()) return RunRestore(restore);
  return 2;
}

}  // namespace tandem::cli
