#!/usr/bin/env bash
# HTTP benchmark of `tandem serve`: a list endpoint and a write endpoint under wrk, on SQLite and,
# when a PostgreSQL database is given, on PostgreSQL.
#
# Usage:
#   bench/http_bench.sh [--pg URL] [--duration 10s] [--connections 64] [--threads 2] [TANDEM]
#
#   TANDEM        the tandem binary (default: $TANDEM_BIN, else build/release/apps/tandem)
#   --pg URL      also run against this PostgreSQL database (default: $TANDEM_TEST_PG when set;
#                 a postgresql:// URL or a libpq "host=... dbname=..." string). The database should
#                 be a throwaway one: the benchmark adds programs to it.
#   --people N    people in the demo organization (default 10000)
#
# Each database gets `tandem serve --demo` (a fresh temporary SQLite file; on PostgreSQL the demo
# organization is loaded unless it is there already). The script logs in as the demo coordinator
# with curl and runs, with the session cookie (and X-CSRF-Token for the write):
#   (a) GET  /api/v1/people?limit=50      the first page of the people directory
#   (b) POST /api/v1/programs              a new program with a unique name per request
# each for the duration with wrk --latency, and prints a table: requests/s, p50, p99 and errors
# (non-2xx answers plus socket errors). Needs wrk, curl and python3.
set -euo pipefail

die() {
  echo "http_bench: $*" >&2
  exit 1
}

tandem="${TANDEM_BIN:-build/release/apps/tandem}"
pg="${TANDEM_TEST_PG:-}"
duration=10s
connections=64
threads=2
people=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) pg="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --people) people="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) tandem="$1"; shift ;;
  esac
done
[ -x "$tandem" ] || die "no tandem binary at $tandem (pass its path or set TANDEM_BIN)"
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

work="$(mktemp -d -t tandem-http-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A libpq keyword string as a postgresql:// URL (`tandem serve --database` takes URLs).
pg_url() {
  python3 - "$1" <<'EOF'
import re, sys, urllib.parse
s = sys.argv[1]
if re.match(r"postgres(ql)?://", s):
    print(s)
    sys.exit()
f = {k: v.strip("'") for k, v in re.findall(r"(\w+)\s*=\s*('[^']*'|\S+)", s)}
q = urllib.parse.quote
auth = q(f.pop("user", ""), safe="") + (":" + q(f.pop("password"), safe="") if "password" in f else "")
net = (auth + "@" if auth else "") + f.pop("host", "localhost") + (":" + f.pop("port") if "port" in f else "")
db = q(f.pop("dbname", ""), safe="")
print(f"postgresql://{net}/{db}" + ("?" + urllib.parse.urlencode(f) if f else ""))
EOF
}

start_server() {  # $1: database; sets server_pid and port
  : >"$work/out" >"$work/err"
  "$tandem" serve --demo --demo-people "$people" --port 0 --database "$1" \
    >"$work/out" 2>"$work/err" </dev/null &
  server_pid=$!
  port=""
  for _ in $(seq 1 600); do
    port="$(sed -n 's|.*serving on http://[^ ]*:\([0-9]*\)/.*|\1|p' "$work/out")"
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || die "tandem serve failed: $(tail -n 3 "$work/err")"
    sleep 0.1
  done
  die "tandem serve did not start within 60 s"
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || die "tandem serve exited with $? on SIGTERM"
  server_pid=""
}

# Prints "requests/s p50 p99 errors" from wrk's output.
summarize() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.M))
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
if m:
    errors += sum(int(x) for x in m.groups())
requests = int(re.search(r"(\d+) requests in", text).group(1))
print(f"{rps:.0f} {pct.get('50', '?')} {pct.get('99', '?')} {errors} {requests}")
EOF
}

rows=()
bench_database() {  # $1: label, $2: database
  local label="$1" database="$2"
  start_server "$database"
  local base="http://127.0.0.1:$port"
  local login
  login="$(curl -sS -f -c "$work/cookies" -H 'Content-Type: application/json' \
    -d '{"email":"coordinator@northwind.example","password":"tandem-demo"}' "$base/api/v1/session")" ||
    die "login failed"
  local csrf cookie
  csrf="$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')"
  cookie="$(awk '$6 == "tandem_session" {print $7}' "$work/cookies")"
  [ -n "$cookie" ] && [ -n "$csrf" ] || die "no session cookie or CSRF token"

  cat >"$work/create.lua" <<EOF
-- One new program per request; names are unique per run, thread and request.
local counter = 0
local prefix = "bench-" .. os.time() .. "-"
function setup(thread)
  setup_count = (setup_count or 0) + 1
  thread:set("id", setup_count)
end
function init(args)
  prefix = prefix .. id .. "-"
end
function request()
  counter = counter + 1
  local body = '{"name":"' .. prefix .. counter .. '","model":"traditional"}'
  return wrk.format("POST", "/api/v1/programs", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "tandem_session=$cookie",
    ["X-CSRF-Token"] = "$csrf",
  }, body)
end
EOF

  echo "== $label: GET /api/v1/people?limit=50" >&2
  wrk -t"$threads" -c"$connections" -d"$duration" --latency \
    -H "Cookie: tandem_session=$cookie" "$base/api/v1/people?limit=50" >"$work/list.txt"
  cat "$work/list.txt" >&2
  rows+=("$label|GET /api/v1/people?limit=50|$(summarize "$work/list.txt")")

  echo "== $label: POST /api/v1/programs" >&2
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/create.lua" \
    "$base/api/v1/programs" >"$work/write.txt"
  cat "$work/write.txt" >&2
  rows+=("$label|POST /api/v1/programs|$(summarize "$work/write.txt")")

  # The writes must be there: count the programs the server lists.
  local listed
  listed="$(curl -sS -f -b "$work/cookies" "$base/api/v1/programs" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
  echo "== $label: $listed programs listed after the write benchmark" >&2
  stop_server
}

bench_database sqlite "$work/bench.db"
if [ -n "$pg" ]; then
  bench_database postgresql "$(pg_url "$pg")"
fi

echo
echo "tandem serve --demo --demo-people $people, wrk -t$threads -c$connections -d$duration --latency"
echo
echo "| database | endpoint | requests/s | p50 | p99 | errors (non-2xx + socket) | requests |"
echo "|---|---|---:|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
  IFS='|' read -r db endpoint figures <<<"$row"
  read -r rps p50 p99 errors requests <<<"$figures"
  echo "| $db | \`$endpoint\` | $rps | $p50 | $p99 | $errors | $requests |"
done
