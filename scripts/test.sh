#!/usr/bin/env bash
# Builds Tandem and runs every test (unit, integration against scipy / networkx / LEMON).
# Usage: scripts/test.sh            (after scripts/setup.sh has installed what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev --output-on-failure
