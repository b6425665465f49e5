#!/usr/bin/env bash
# Starts `cpr serve` (the binary given) on a free port against a fresh database, creates
# the first secretariat account and token with the CLI (which then refuses a second
# one), runs docs/walkthrough.sh against it (every other account's holder redeems the
# invitation mailed to it, read from the mail folder), and stops the server. DATABASE is
# `sqlite` or a PostgreSQL admin URL.
set -euo pipefail
binary=$(realpath "$1")
database=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=""
db_name="cpr_walkthrough_$(date +%s)_$$"

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "${smtp_pid:-}" ] && kill "$smtp_pid" 2>/dev/null && { wait "$smtp_pid" 2>/dev/null || true; }
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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
export CPR_LISTEN="127.0.0.1:$port"

# A real SMTP server on loopback (Debian's aiosmtpd, an implementation independent of
# cpr) receives the mail; without it, mail goes to .eml files in $work/mail.
smtp_pid=""
if [ ! -x /usr/bin/aiosmtpd ] && [ "$(id -u)" = 0 ]; then
  # A fresh machine may have no package lists yet: refresh them if the first try fails.
  apt-get install -y --no-install-recommends python3-aiosmtpd >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && apt-get install -y --no-install-recommends python3-aiosmtpd >/dev/null 2>&1; } \
    || true
fi
if [ ! -x /usr/bin/aiosmtpd ] && [ "${CI:-}" = true ]; then
  echo "CI needs a real SMTP server on loopback (python3-aiosmtpd) and could not install it" >&2
  exit 1
fi
if [ -x /usr/bin/aiosmtpd ]; then
  smtp_port=$(free_port)
  /usr/bin/aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/maildir" \
    >"$work/smtp.log" 2>&1 &
  smtp_pid=$!
  export CPR_MAIL__TRANSPORT=smtp CPR_MAIL__SMTP__HOST=127.0.0.1 \
    CPR_MAIL__SMTP__PORT="$smtp_port" CPR_MAIL__SMTP__TLS=none
else
  echo "aiosmtpd is not installed: mail goes to .eml files" >&2
fi
export CPR_MAIL__POLL_INTERVAL_MS=200
# The walkthrough closes its input window itself the moment it may; the scheduler would
# race it for that command, so it is off here (tests/e2e/deadlines.rs covers it).
export CPR_MAIL__SCHEDULER=false

cd "$work"
"$binary" migrate
# The log's signing key, made as an operator makes it (in the working directory, where
# `cpr serve` reads it), and the verifier key line it prints, for the checks after.
export CPR_TRANSPARENCY_LOG__SIGNING_KEY_FILE="$work/cpr-log.key"
"$binary" log keygen >"$work/verifier-key"
account=$("$binary" account create --name "Walkthrough officer" --email "officer@secretariat.example")
token=$("$binary" token issue --account "$account" --label walkthrough)
# The command line is for the operator's first secretariat token only.
if "$binary" token issue --account "$account" --label again >/dev/null 2>"$work/cli.err"; then
  echo "cpr token issue issued a second secretariat token" >&2
  exit 1
fi
grep -q "already holds a live token" "$work/cli.err" || { cat "$work/cli.err" >&2; exit 1; }
mail_dir="$work/mail"
"$binary" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://$CPR_LISTEN/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
[ -n "$smtp_pid" ] && mail_dir="$work/maildir"
if ! bash "$root/docs/walkthrough.sh" "http://$CPR_LISTEN" "$token" "$mail_dir"; then
  echo "---- server log" >&2
  tail -n 50 "$work/server.log" >&2
  exit 1
fi
# Checks that need a server holding a whole review (the browser test of the public site,
# the standalone verifier, the tamper tests) run here, against it, with its address in
# CPR_BASE_URL, the file holding the verifier key line `cpr log keygen` printed in
# CPR_VERIFIER_KEY_FILE, the signing key's file in CPR_SIGNING_KEY_FILE, the secretariat
# token in CPR_SECRETARIAT_TOKEN, the database in CPR_DATABASE_URL and the server's pid in
# CPR_SERVER_PID (a hook may stop it, e.g. to copy the database).
if [ -n "${CPR_AFTER_WALKTHROUGH:-}" ]; then
  (cd "$root" && CPR_BASE_URL="http://$CPR_LISTEN" CPR_VERIFIER_KEY_FILE="$work/verifier-key" \
    CPR_SIGNING_KEY_FILE="$work/cpr-log.key" CPR_SECRETARIAT_TOKEN="$token" \
    CPR_SERVER_PID="$server_pid" bash -c "$CPR_AFTER_WALKTHROUGH") || {
    echo "---- server log" >&2
    tail -n 50 "$work/server.log" >&2
    exit 1
  }
fi
if [ -n "$smtp_pid" ]; then
  echo
  echo "## The mail the SMTP server on 127.0.0.1:$smtp_port received"
  /usr/bin/python3 - "$work/maildir" <<'PY'
import mailbox, sys
box = mailbox.Maildir(sys.argv[1], create=False)
messages = sorted(box, key=lambda m: (m["Date"] or "", m["X-CPR-Notice"] or "", m["To"] or ""))
for m in messages:
    print("   %-28s %-45s %s" % (m["X-CPR-Notice"], m["To"], m["Subject"]))
ids = [m["Message-ID"] for m in messages]
assert len(ids) == len(set(ids)), "a Message-ID arrived twice"
print("   %d messages received, each Message-ID once" % len(messages))
PY
fi
