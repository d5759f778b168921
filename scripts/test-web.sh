#!/usr/bin/env bash
# Tests the web UI: installs its npm packages (only when needed), checks that the generated API
# types match docs/openapi.json, lints the OpenAPI document, runs the Vitest tests, builds
# web/dist and runs the end-to-end test against `tandem serve` in Debian's Chromium.
#
# Needs Node.js >= 20.19 with npm, /usr/bin/chromium (Debian package chromium) and the server
# binary (TANDEM_BIN, default build/dev/apps/tandem). It never downloads a browser.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
cd "$web"

need() { command -v "$1" >/dev/null 2>&1 || { echo "test-web: $1 not found ($2)" >&2; exit 1; }; }
need node "Node.js 20.19 or newer"
need npm "npm"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  { echo "test-web: Node.js $(node --version) is too old; Vite needs 20.19 or newer" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
  { echo "test-web: ${CHROMIUM:-/usr/bin/chromium} not found (apt-get install chromium)" >&2; exit 1; }

# 1. Install, only when node_modules is missing or package-lock.json changed since the last install.
stamp="node_modules/.package-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# 2. The committed API types must be what docs/openapi.json generates.
echo "== gen:api check"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npx --no-install openapi-typescript ../docs/openapi.json --default-non-nullable false -o "$tmp/api-types.ts" >/dev/null
if ! diff -u src/lib/api-types.ts "$tmp/api-types.ts" > "$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "test-web: web/src/lib/api-types.ts is out of date: run 'npm run gen:api' in web/ and commit it" >&2
  exit 1
fi

# 3. OpenAPI lint (redocly.yaml at the repo root).
echo "== redocly lint"
(cd "$root" && "$web/node_modules/.bin/redocly" lint --config redocly.yaml docs/openapi.json)

# 4. Type check and unit/component tests.
echo "== svelte-check"
npx --no-install svelte-check --tsconfig ./tsconfig.json --fail-on-warnings
echo "== vitest"
npx --no-install vitest run

# 5. Build and the end-to-end test (prints "N passed, N failed").
echo "== build"
npm run build --silent
echo "== e2e"
node e2e/run.mjs
