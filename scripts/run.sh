#!/usr/bin/env bash
# Builds Tandem (release) and runs its main job: `tandem demo`, which generates a realistic
# organization of about 2,000 people, matches a traditional mentoring program and prints a
# summary with explained pairs. Extra arguments go to `tandem demo` (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tandem
exec build/release/apps/tandem demo "$@"
