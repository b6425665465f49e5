#!/usr/bin/env bash
# Makes sure a PostgreSQL server accepts trust connections as `postgres` and prints an
# admin URL for it on stdout (everything else goes to stderr). In order: the server
# already running on 127.0.0.1:5432; the machine's cluster, started; the package,
# installed with apt-get and started; a throwaway cluster of our own in target/.
# Exits non-zero when none of these works.
set -uo pipefail

say() { echo "postgres: $*" >&2; }
url_for() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }
can_connect() { psql "$(url_for "$1")" -Atqc 'select 1' >/dev/null 2>&1; }

if command -v psql >/dev/null && can_connect 5432; then
  say "using the server on 127.0.0.1:5432"
  url_for 5432
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "not installed: installing with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq postgresql; } >&2 || say "apt-get install failed"
fi

if command -v pg_ctlcluster >/dev/null; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>&1 || true
  done
  for _ in $(seq 1 30); do
    if command -v psql >/dev/null && can_connect 5432; then
      say "started the machine's cluster on 127.0.0.1:5432"
      url_for 5432
      exit 0
    fi
    sleep 0.5
  done
fi

# Last resort: a cluster of our own with trust auth, which leaves the system's alone.
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
if [ -z "$initdb" ]; then
  say "no PostgreSQL binaries available"
  exit 1
fi
bin=$(dirname "$initdb")
dir="$(cd "$(dirname "$0")/.." && pwd)/target/ci-postgres"
port=55432
if ! can_connect "$port"; then
  rm -rf "$dir" && mkdir -p "$dir"
  chown -R postgres "$dir" 2>/dev/null || true
  as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  as_postgres "$bin/initdb" -D "$dir/data" --auth=trust -U postgres >&2 || exit 1
  as_postgres "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >&2 || exit 1
fi
if can_connect "$port"; then
  say "started a throwaway cluster on 127.0.0.1:$port"
  url_for "$port"
  exit 0
fi
say "cannot reach any PostgreSQL server"
exit 1
