#pragma once
// Shared pieces of the subcommands: Ctrl-C cancellation, error printing, atomic file output.

#include <atomic>
#include <string>

#include "core/status.h"

namespace tandem::cli {

// Exit codes of the `tandem` command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // a check failed or the run could not finish
inline constexpr int kExitBadInput = 2;  // bad input files or flags
inline constexpr int kExitCancelled = 130;

// Installs a SIGINT/SIGTERM handler that raises the returned flag (the second signal kills).
const std::atomic<bool>* InstallCancelHandler();

// Prints "tandem: <message>" to stderr and returns the exit code for the status.
int Fail(const Status& status);

// Writes the file through a temporary in the same folder and renames it into place, so a
// cancelled or failed run never leaves a partial file.
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace tandem::cli
