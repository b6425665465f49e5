#!/usr/bin/env bash
# Starts `cpr serve` (the binary given) on a free port against a fresh database, creates
# the first secretariat account and token with the CLI, runs docs/walkthrough.sh against
# it, and stops the server. DATABASE is `sqlite` or a PostgreSQL admin URL.
set -euo pipefail
binary=$(realpath "$1")
database=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=""
db_name="cpr_walkthrough_$(date +%s)_$$"

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ "$database" != sqlite ]; then
    psql "$database" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$database" = sqlite ]; then
  export CPR_DATABASE_URL="sqlite://$work/cpr.db"
else
  psql "$database" -qc "CREATE DATABASE $db_name" >/dev/null
  export CPR_DATABASE_URL="${database%/*}/$db_name"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CPR_LISTEN="127.0.0.1:$port"

cd "$work"
"$binary" migrate
account=$("$binary" account create --name "Walkthrough officer" --email "officer@secretariat.example")
token=$("$binary" token issue --account "$account" --label walkthrough)
"$binary" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://$CPR_LISTEN/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
if ! bash "$root/docs/walkthrough.sh" "http://$CPR_LISTEN" "$token"; then
  echo "---- server log" >&2
  tail -n 50 "$work/server.log" >&2
  exit 1
fi
