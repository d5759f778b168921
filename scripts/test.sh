#!/usr/bin/env bash
# Builds Tandem and runs every test: unit, integration (scipy / networkx / LEMON oracles, the
# store on SQLite and on a throwaway PostgreSQL, the server over loopback) and the web UI
# (Vitest, OpenAPI lint, Playwright in Debian's Chromium).
# Usage: scripts/test.sh            (after scripts/setup.sh has installed what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# A throwaway PostgreSQL for the store tests labelled `postgres` (unless the caller gives one).
if [ -z "${TANDEM_TEST_PG:-}" ]; then
  eval "$(scripts/pg-test-server.sh start)"
  trap 'scripts/pg-test-server.sh stop "$TANDEM_PG_DIR"' EXIT
fi
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev --output-on-failure
TANDEM_BIN="$PWD/build/dev/apps/tandem" scripts/test-web.sh
