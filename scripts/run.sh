#!/usr/bin/env bash
# Builds Tandem (release) and the web UI, and starts the server with a demo organization on
# SQLite: open the URL it prints and log in with one of the printed accounts (each role has one).
# Extra arguments go to `tandem serve` (see `tandem serve --help`), e.g. --port 9000.
# The database is tandem-demo.db in the repository; delete it to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tandem
(
  cd web
  stamp="node_modules/.package-lock.sha256"
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
  npm run build --silent
)
exec build/release/apps/tandem serve --demo --database tandem-demo.db --web-dir web/dist "$@"
