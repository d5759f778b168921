#include "cli/cli.h"

#include <CLI/CLI.hpp>

namespace tandem::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Tandem: pairs people into mentorships"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace tandem::cli
