#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests: a new cluster in a temporary directory,
# listening only on 127.0.0.1 on a free port (and on a Unix socket inside that directory), with
# one database and a superuser whose random password is in the printed connection string.
# It does not use, start or need the Debian cluster service (pg_ctlcluster).
#
# Usage:
#   eval "$(scripts/pg-test-server.sh start)"   # exports TANDEM_TEST_PG and TANDEM_PG_DIR
#   ctest --test-dir build/dev -L unit           # the store tests now run on PostgreSQL too
#   scripts/pg-test-server.sh stop               # stops the server, removes $TANDEM_PG_DIR
#
#   scripts/pg-test-server.sh stop DIR           # the same for a given directory
#
# Needs the PostgreSQL server binaries (Debian: the `postgresql` package, scripts/setup.sh);
# PG_BINDIR overrides where initdb and pg_ctl are looked for. When run as root the server runs as
# the `postgres` system user (initdb refuses root), owning the temporary directory.
set -euo pipefail

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    echo "$PG_BINDIR"
    return
  fi
  local candidates=(/usr/lib/postgresql/*/bin/initdb)  # Debian: one directory per major version
  if [ -x "${candidates[0]}" ]; then
    dirname "$(printf '%s\n' "${candidates[@]}" | sort -V | tail -n 1)"
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  die "initdb not found: install the postgresql package (scripts/setup.sh) or set PG_BINDIR"
}

# Runs a command as the server's user: ourselves, or `postgres` when we are root.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

start() {
  local bindir dir port password log
  bindir=$(find_bindir)
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    die "running as root needs the 'postgres' system user (apt-get install postgresql)"
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-pg.XXXXXX")
  chmod 700 "$dir"
  mkdir "$dir/data" "$dir/socket"
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/password"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
  log="$dir/server.log"

  as_server_user "$bindir/initdb" --pgdata="$dir/data" --username=tandem \
    --pwfile="$dir/password" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    {
      cat "$dir/initdb.log" >&2
      rm -rf "$dir"
      die "initdb failed (log above)"
    }
  rm -f "$dir/password"

  # A test server: durability off for speed (the data is thrown away).
  local started=0
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_server_user "$bindir/pg_ctl" --pgdata="$dir/data" --log="$log" --wait \
      --timeout=60 --silent \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  if [ "$started" -ne 1 ]; then
    cat "$log" >&2 || true
    rm -rf "$dir"
    die "the server did not start (log above)"
  fi

  as_server_user "$bindir/psql" --no-psqlrc --quiet --host="$dir/socket" --port="$port" \
    --username=tandem --dbname=postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE tandem_test" >/dev/null

  echo "export TANDEM_TEST_PG='host=127.0.0.1 port=$port dbname=tandem_test user=tandem password=$password'"
  echo "export TANDEM_PG_DIR='$dir'"
}

stop() {
  local dir="${1:-${TANDEM_PG_DIR:-}}"
  [ -n "$dir" ] || die "stop: give the directory or set TANDEM_PG_DIR"
  [ -d "$dir/data" ] || die "stop: $dir is not a pg-test-server directory"
  local bindir
  bindir=$(find_bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --silent stop ||
      true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: $0 start | stop [DIR]" >&2
    exit 2
    ;;
esac
