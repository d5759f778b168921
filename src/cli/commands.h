#pragma once
// The subcommands of `tandem`, each a function of its parsed arguments returning an exit code.

#include <cstdint>
#include <string>

namespace tandem::cli {

struct SolveArgs {
  std::string instance_path;
  std::string objective;  // empty: the instance's own, else welfare
  std::string output_path;  // empty: stdout
  bool quiet = false;
};
int RunSolve(const SolveArgs& args);

}  // namespace tandem::cli
