#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace tandem::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Tandem: pairs people into mentorships and proves the pairs are optimal"};
  app.require_subcommand(1);

  SolveArgs solve;
  CLI::App* solve_cmd = app.add_subcommand(
      "solve", "Solve an explicit instance (scores or weights, capacities, rankings) in JSON");
  solve_cmd->add_option("instance", solve.instance_path, "Instance JSON file")->required();
  solve_cmd->add_option("--objective", solve.objective, "welfare | stable | fair");
  solve_cmd->add_option("-o,--output", solve.output_path, "Write the solution JSON here");
  solve_cmd->add_flag("-q,--quiet", solve.quiet, "No progress on stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (solve_cmd->parsed()) return RunSolve(solve);
  return 2;
}

}  // namespace tandem::cli
