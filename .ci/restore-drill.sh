#!/usr/bin/env bash
# Restore drill (docs/deployment.md): back up a running cpr — the database, the
# attachments and the log's signing key — lose all three, restore them into a new
# database and folder, start cpr there and check that nothing is missing: `cpr verify`
# passes, the standalone verifier accepts the restored record as an extension of the
# checkpoint it kept before the loss, and the public record answers the same.
#
#   bash .ci/restore-drill.sh BINARY sqlite|POSTGRES_ADMIN_URL
#
# It walks a review through first (.ci/walkthrough-against-server.sh) and runs the drill
# as that script's after-walkthrough hook, with the server still running: an online
# backup, as an operator takes one (pg_dump; SQLite's online backup API).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" != --hook ]; then
  binary=$(realpath "$1")
  database=$2
  CPR_AFTER_WALKTHROUGH="bash .ci/restore-drill.sh --hook '$binary' '$database'" \
    exec bash "$root/.ci/walkthrough-against-server.sh" "$binary" "$database"
fi

binary=$2
database=$3
work=$(dirname "$CPR_SIGNING_KEY_FILE")
drill=$(mktemp -d)
restored_db="cpr_restored_$(date +%s)_$$"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && { wait "$server_pid" 2>/dev/null || true; }
  if [ "$database" != sqlite ]; then
    psql "$database" -qc "DROP DATABASE IF EXISTS $restored_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$drill"
}
trap cleanup EXIT
say() { printf '  restore drill: %s\n' "$*"; }

# 1. What an outside verifier holds before the loss: the checkpoint it verified.
python3 docs/verify/verify.py --base-url "$CPR_BASE_URL" --key-file "$CPR_VERIFIER_KEY_FILE" \
  --state "$drill/verifier-state.json" --quiet >/dev/null
before_checkpoint=$(curl -fsS "$CPR_BASE_URL/api/v1/log/checkpoint")
before_reviews=$(curl -fsS "$CPR_BASE_URL/api/v1/reviews?limit=200" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')

# 2. The backup, taken while the server runs.
mkdir -p "$drill/backup"
if [ "$database" = sqlite ]; then
  python3 - "${CPR_DATABASE_URL#sqlite://}" "$drill/backup/cpr.db" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
PY
else
  pg_dump --format=custom --file="$drill/backup/cpr.dump" "$CPR_DATABASE_URL"
fi
mkdir -p "$work/attachments"
tar -C "$work" -czf "$drill/backup/attachments.tar.gz" attachments
cp "$CPR_SIGNING_KEY_FILE" "$drill/backup/cpr-log.key"
say "backed up: $(du -sh "$drill/backup" | cut -f1) (database, attachments, signing key)"

# 3. The loss: the server stops; its database, attachments and key are gone.
kill "$CPR_SERVER_PID"
wait "$CPR_SERVER_PID" 2>/dev/null || true
rm -rf "$work/attachments" "$CPR_SIGNING_KEY_FILE"
if [ "$database" = sqlite ]; then
  rm -f "${CPR_DATABASE_URL#sqlite://}"*
else
  psql "$database" -qc "DROP DATABASE IF EXISTS ${CPR_DATABASE_URL##*/} WITH (FORCE)" >/dev/null
fi

# 4. The restore, into a new database and folder.
mkdir -p "$drill/site"
if [ "$database" = sqlite ]; then
  cp "$drill/backup/cpr.db" "$drill/site/cpr.db"
  export CPR_DATABASE_URL="sqlite://$drill/site/cpr.db"
else
  psql "$database" -qc "CREATE DATABASE $restored_db" >/dev/null
  export CPR_DATABASE_URL="${database%/*}/$restored_db"
  pg_restore --no-owner --dbname="$CPR_DATABASE_URL" "$drill/backup/cpr.dump"
fi
tar -C "$drill/site" -xzf "$drill/backup/attachments.tar.gz"
install -m 600 "$drill/backup/cpr-log.key" "$drill/site/cpr-log.key"
export CPR_TRANSPARENCY_LOG__SIGNING_KEY_FILE="$drill/site/cpr-log.key"
export CPR_TRANSPARENCY_LOG__CREATE_KEY_IF_MISSING=false

# 5. The checks.
(cd "$drill/site" && "$binary" verify) >"$drill/verify.out" 2>&1 || {
  cat "$drill/verify.out" >&2; echo "restore drill: cpr verify fails on the restored database" >&2; exit 1; }
say "cpr verify passes on the restored database"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CPR_LISTEN="127.0.0.1:$port"
(cd "$drill/site" && exec "$binary" serve) >"$drill/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://$CPR_LISTEN/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$CPR_LISTEN/readyz" >/dev/null || {
  tail -n 30 "$drill/server.log" >&2; echo "restore drill: the restored server is not ready" >&2; exit 1; }
after_checkpoint=$(curl -fsS "http://$CPR_LISTEN/api/v1/log/checkpoint")
after_reviews=$(curl -fsS "http://$CPR_LISTEN/api/v1/reviews?limit=200" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$after_checkpoint" = "$before_checkpoint" ] || {
  echo "restore drill: the restored log's checkpoint differs from the one before the loss" >&2; exit 1; }
[ "$after_reviews" = "$before_reviews" ] || {
  echo "restore drill: $before_reviews reviews before, $after_reviews after" >&2; exit 1; }
# Every attachment the record names is there again, byte for byte (its address is its
# SHA-256): the verifier reads each public one.
python3 docs/verify/verify.py --base-url "http://$CPR_LISTEN" --key-file "$CPR_VERIFIER_KEY_FILE" \
  --state "$drill/verifier-state.json" --quiet >"$drill/verify-py.out" 2>&1 || {
  cat "$drill/verify-py.out" >&2; echo "restore drill: verify.py refuses the restored record" >&2; exit 1; }
say "the restored server is ready, signs the same checkpoint, holds the same $after_reviews review(s), and verify.py accepts it as an extension of what it saw before the loss"
