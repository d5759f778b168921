#!/usr/bin/env bash
# Installs what Tandem needs to build and test, from Debian 12 packages, only when missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev liblemon-dev libhowardhinnant-date-dev tzdata
  libsqlite3-dev libpq-dev postgresql
  libboost-dev libsodium-dev libical-dev libcpp-httplib-dev libcurl4-openssl-dev
  chromium fonts-liberation wrk
  python3 python3-scipy python3-networkx
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web UI builds with Node.js 20.19+ and npm from the npm registry (web/package-lock.json).
# Debian 12's own nodejs (18) is too old for Vite; the machine's Node.js is used when present.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm not found; the web UI needs Node.js 20.19 or newer with npm" >&2
fi
