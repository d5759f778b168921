#pragma once

namespace tandem::cli {

// Runs the `tandem` command line; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace tandem::cli
