#!/usr/bin/env bash
# Tamper tests: what a dishonest operator with write access to the database could do to
# the record, each of which must be caught three ways.
#
#   .ci/tamper.sh BINARY DATABASE      (DATABASE: `sqlite` or a PostgreSQL admin URL)
#
# Runs the whole walkthrough (.ci/walkthrough-against-server.sh) against a fresh database;
# after it, the standalone verifier (docs/verify/verify.py) runs once and keeps the
# checkpoint it verified in a state file, the server is stopped and the database copied.
# Then, for each tamper, on a fresh copy of that database: the tamper is applied with SQL,
# and
#   - `cpr verify` must exit 1 naming the chain (what it records broken is then deleted);
#   - `cpr serve` on it (same signing key), once its own full check at start has run, must
#     refuse a write that appends to that chain with 503 `integrity_failure`, and write
#     nothing (entry and leaf counts unchanged);
#   - verify.py against that server, holding the pre-tamper state file, must exit 1 with
#     a failure the untampered record does not have.
# The tampers: (a) an entry edited; (b) the last entry of a review's chain deleted (the
# review's head rolled back) and of the registers' chain; (c) a tail rewritten
# consistently (every later hash, the head, the leaves and the whole tree recomputed);
# (d) a stored `public` flag flipped and a `wg_seats` row changed (where still stored);
# (e) the log cut to before its last transaction with the later checkpoints deleted,
# and also with that transaction's entries deleted and the head rolled back. A control
# row runs the same three on the untampered copy: none may fire, and the write succeeds.
# It prints a table of tamper x check and exits 1 when an expected catch fails. Logs of
# every step go to target/artifacts/tamper/<sqlite|postgres>/.
#
# Internal: `tamper.sh --snapshot DIR DATABASE PREFIX` is the walkthrough's hook.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# ---- the tampering itself, in Python (standard library; PostgreSQL through psql)
write_helper() {
  cat >"$1" <<'PY'
"""Applies one tamper to a copy of a walked-through cpr database, as an operator with
write access to the database would, and counts what is stored.

    tamper.py DATABASE apply NAME     prints what it did; exit 3: not applicable (why)
    tamper.py DATABASE count          prints "<entries> <leaves>"
    tamper.py DATABASE review-chain   prints the chain of France's review
    tamper.py DATABASE clear          forgets what integrity checks recorded

DATABASE is sqlite:PATH or a postgres:// URL. The hashes are the spec's (Verifiability):
an entry's H(prev \\n seq \\n at \\n kind \\n actor \\n payload_digest), a leaf's
SHA-256(0x00 || chain \\n seq \\n hash), a node's SHA-256(0x01 || left || right).
"""
import datetime
import hashlib
import json
import sqlite3
import subprocess
import sys

GENESIS = "0" * 64


class Db:
    def __init__(self, url):
        self.url = url
        self.pg = not url.startswith("sqlite:")
        if not self.pg:
            self.conn = sqlite3.connect(url[len("sqlite:"):])

    def q(self, sql):
        """Rows as tuples of text (None for NULL)."""
        if not self.pg:
            return [tuple(None if v is None else str(v) for v in row) for row in self.conn.execute(sql)]
        out = subprocess.run(
            ["psql", self.url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-F", "\x1f", "-P", "null=\x1e", "-c", sql],
            check=True, capture_output=True, text=True).stdout
        return [tuple(None if v == "\x1e" else v for v in line.split("\x1f"))
                for line in out.split("\n") if line != ""]

    def x(self, statements):
        """The statements, in one transaction."""
        if not self.pg:
            with self.conn:
                for s in statements:
                    self.conn.execute(s)
            return
        script = "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;\n"
        subprocess.run(["psql", self.url, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                       input=script, check=True, capture_output=True, text=True)

    def columns(self, table):
        if not self.pg:
            return [r[1] for r in self.conn.execute("PRAGMA table_info(%s)" % table)]
        return [r[0] for r in self.q("SELECT column_name FROM information_schema.columns "
                                     "WHERE table_name = '%s'" % table)]

    def has_table(self, table):
        return bool(self.q(("SELECT 1 FROM information_schema.tables WHERE table_name = '%s'" if self.pg
                            else "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '%s'") % table))


def lit(value):
    return "'" + str(value).replace("'", "''") + "'"


def uuid_lit(db, text):
    # SQLite keeps a uuid as its 16 bytes.
    return ("'%s'::uuid" % text) if db.pg else ("X'%s'" % text.replace("-", "").upper())


def H(text):
    return hashlib.sha256(text.encode()).hexdigest()


def entry_hash(prev, seq, at, kind, actor, digest):
    return H("\n".join([prev, str(seq), at, kind, actor, digest]))


def canonical(value):
    # RFC 8785 for payloads of strings, booleans, integers, null and ASCII keys; checked
    # against the stored digest before it is used.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def review_chain(db):
    rows = db.q("SELECT chain FROM audit_entries WHERE chain LIKE 'review/%' AND kind = 'review_opened' "
                "AND payload LIKE '%\"state\":\"FRA\"%'")
    if len(rows) != 1:
        sys.exit("tamper.py: cannot find the chain of the review of France (%r)" % rows)
    return rows[0][0]


def entries(db, chain):
    return db.q("SELECT seq, at, kind, actor, payload, payload_digest, hash, log_index FROM audit_entries "
                "WHERE chain = %s ORDER BY seq" % lit(chain))


def rebuild_nodes(db):
    """Every complete subtree's hash, recomputed from the stored leaves."""
    leaves = db.q("SELECT idx, chain, seq, hash FROM log_leaves ORDER BY idx")
    level = [hashlib.sha256(b"\x00" + ("%s\n%s\n%s" % (c, s, h)).encode()).digest() for _, c, s, h in leaves]
    rows, n = [], 0
    while level:
        rows += ["(%d, %d, %s)" % (n, i, lit(h.hex())) for i, h in enumerate(level)]
        level = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        n += 1
    statements = ["DELETE FROM log_nodes"]
    for start in range(0, len(rows), 500):
        statements.append("INSERT INTO log_nodes (level, idx, hash) VALUES " + ",".join(rows[start:start + 500]))
    return statements


def edited_outcome(payload, digest):
    """The outcome_adopted payload with its consensus flipped, or None where this script
    cannot re-canonicalise the payload exactly."""
    try:
        value = json.loads(payload)
        if H(canonical(value)) != digest:
            return None
        value["adoption"]["consensus"] = not value["adoption"]["consensus"]
        return canonical(value)
    except (ValueError, KeyError, TypeError):
        return None


def earlier(at):
    t = datetime.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ") - datetime.timedelta(seconds=1)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def last_transaction(db):
    """(size, size before the last transaction, its chain): the trailing leaves of one
    chain whose entries bear the last one's time."""
    size = int(db.q("SELECT size FROM log_state WHERE id = 1")[0][0])
    rows = db.q("SELECT l.idx, l.chain, e.at FROM log_leaves l JOIN audit_entries e "
                "ON e.chain = l.chain AND e.seq = l.seq ORDER BY l.idx DESC LIMIT 50")
    _, chain, at = rows[0]
    cut = 0
    for _, c, a in rows:
        if c != chain or a != at:
            break
        cut += 1
    return size, size - cut, chain


def truncate_log(new):
    statements = ["DELETE FROM log_leaves WHERE idx >= %d" % new]
    level = 0
    while (1 << level) <= 2 * max(new, 1):
        # The node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
        statements.append("DELETE FROM log_nodes WHERE level = %d AND idx >= %d" % (level, new >> level))
        level += 1
    statements.append("DELETE FROM log_nodes WHERE level >= %d" % level)
    statements.append("UPDATE log_state SET size = %d WHERE id = 1" % new)
    statements.append("DELETE FROM log_checkpoints WHERE size > %d" % new)
    return statements


def apply(db, name):
    chain = review_chain(db)
    fra = uuid_lit(db, chain[len("review/"):])
    rows = entries(db, chain)
    if name == "control":
        print("nothing changed")
    elif name == "a":
        # One stored entry edited: the outcome's consensus (or else a time), nothing recomputed.
        target = next((r for r in rows if r[2] == "outcome_adopted"), None)
        new_payload = edited_outcome(target[4], target[5]) if target else None
        if new_payload:
            db.x(["UPDATE audit_entries SET payload = %s WHERE chain = %s AND seq = %s"
                  % (lit(new_payload), lit(chain), target[0])])
            print("%s entry %s (outcome_adopted): the consensus flipped in the stored payload"
                  % (chain, target[0]))
        else:
            target = rows[len(rows) // 2]
            db.x(["UPDATE audit_entries SET at = %s WHERE chain = %s AND seq = %s"
                  % (lit(earlier(target[1])), lit(chain), target[0])])
            print("%s entry %s (%s): its time moved a second earlier" % (chain, target[0], target[2]))
    elif name == "b-review":
        last, prev = rows[-1], rows[-2]
        db.x(["DELETE FROM audit_entries WHERE chain = %s AND seq = %s" % (lit(chain), last[0]),
              "UPDATE reviews SET audit_seq = %s, audit_head = %s WHERE id = %s" % (prev[0], lit(prev[6]), fra)])
        print("%s: last entry %s (%s) deleted, the review's head rolled back to %s"
              % (chain, last[0], last[2], prev[0]))
    elif name == "b-registry":
        last = db.q("SELECT seq, kind FROM audit_entries WHERE chain = 'registry' ORDER BY seq DESC LIMIT 1")[0]
        db.x(["DELETE FROM audit_entries WHERE chain = 'registry' AND seq = %s" % last[0]])
        print("registry: last entry %s (%s) deleted" % last)
    elif name == "c":
        # A tail rewritten consistently: the outcome's consensus flipped (or a time moved),
        # every later hash, the review's head, the leaves and every node recomputed.
        pos = next((i for i, r in enumerate(rows) if r[2] == "outcome_adopted"), None)
        new_payload = edited_outcome(rows[pos][4], rows[pos][5]) if pos is not None else None
        if new_payload is None:
            pos = len(rows) // 2
        prev = rows[pos - 1][6] if pos > 0 else GENESIS
        statements = []
        for i in range(pos, len(rows)):
            seq, at, kind, actor, payload, digest, _, _ = rows[i]
            if i == pos:
                if new_payload:
                    payload, digest = new_payload, H(new_payload)
                else:
                    at = earlier(at)
            h = entry_hash(prev, seq, at, kind, actor, digest)
            statements.append("UPDATE audit_entries SET at = %s, payload = %s, payload_digest = %s, hash = %s "
                              "WHERE chain = %s AND seq = %s"
                              % (lit(at), lit(payload), lit(digest), lit(h), lit(chain), seq))
            statements.append("UPDATE log_leaves SET hash = %s WHERE chain = %s AND seq = %s"
                              % (lit(h), lit(chain), seq))
            prev = h
        statements.append("UPDATE reviews SET audit_head = %s WHERE id = %s" % (lit(prev), fra))
        db.x(statements)
        db.x(rebuild_nodes(db))
        print("%s: entry %s (%s) %s; entries %s..%s rehashed, the head, the leaves and every node recomputed"
              % (chain, rows[pos][0], rows[pos][2], "consensus flipped" if new_payload else "time moved",
                 rows[pos][0], rows[-1][0]))
    elif name == "d-public":
        if "public" not in db.columns("audit_entries"):
            print("not applicable: audit_entries.public no longer stored")
            sys.exit(3)
        target = next((r for r in reversed(rows) if r[2] == "stage_changed"), rows[-1])
        db.x(["UPDATE audit_entries SET public = NOT public WHERE chain = %s AND seq = %s" % (lit(chain), target[0])])
        print("%s entry %s (%s): the stored public flag flipped" % (chain, target[0], target[2]))
    elif name == "d-seats":
        if not db.has_table("wg_seats"):
            print("not applicable: wg_seats no longer stored")
            sys.exit(3)
        seated = db.q("SELECT state_code FROM wg_seats WHERE review_id = %s ORDER BY state_code" % fra)
        if not seated:
            print("not applicable: the review of France has no wg_seats row")
            sys.exit(3)
        other = db.q("SELECT code FROM states WHERE code NOT IN (SELECT state_code FROM wg_seats) "
                     "AND code <> 'FRA' ORDER BY code LIMIT 1")[0][0]
        db.x(["UPDATE wg_seats SET state_code = %s WHERE review_id = %s AND state_code = %s"
              % (lit(other), fra, lit(seated[0][0]))])
        print("wg_seats of the review of France: %s's seat given to %s" % (seated[0][0], other))
    elif name in ("e", "e-undo"):
        size, new, last_chain = last_transaction(db)
        statements = truncate_log(new)
        what = ("the log cut from %d to %d leaves (before the last transaction, on %s), the checkpoints "
                "beyond deleted" % (size, new, last_chain))
        if name == "e-undo":
            # The careful operator also deletes that transaction's entries and rolls back heads.
            for (cut_chain,) in db.q("SELECT DISTINCT chain FROM audit_entries WHERE log_index >= %d" % new):
                if not cut_chain.startswith("review/"):
                    continue
                kept = db.q("SELECT seq, hash FROM audit_entries WHERE chain = %s AND log_index < %d "
                            "ORDER BY seq DESC LIMIT 1" % (lit(cut_chain), new))
                seq, head = kept[0] if kept else ("0", None)
                statements.append("UPDATE reviews SET audit_seq = %s, audit_head = %s WHERE id = %s"
                                  % (seq, "NULL" if head is None else lit(head),
                                     uuid_lit(db, cut_chain[len("review/"):])))
            statements.insert(0, "DELETE FROM audit_entries WHERE log_index >= %d" % new)
            what += "; its entries deleted too and the review's head rolled back"
        db.x(statements)
        print(what)
    else:
        sys.exit("tamper.py: unknown tamper %r" % name)


def main():
    db = Db(sys.argv[1])
    if sys.argv[2] == "apply":
        apply(db, sys.argv[3])
    elif sys.argv[2] == "count":
        print("%s %s" % (db.q("SELECT count(*) FROM audit_entries")[0][0],
                         db.q("SELECT count(*) FROM log_leaves")[0][0]))
    elif sys.argv[2] == "clear":
        # What `cpr verify` recorded: the server's own check must find it again.
        db.x(["DELETE FROM integrity_failures"])
    elif sys.argv[2] == "review-chain":
        print(review_chain(db))
    else:
        sys.exit("tamper.py: unknown command %r" % sys.argv[2])


main()
PY
}

# ---- the walkthrough's hook: keep the pre-tamper checkpoint, stop the server, copy
if [ "${1:-}" = --snapshot ]; then
  dir=$2 database=$3 prefix=$4
  cp "$CPR_SIGNING_KEY_FILE" "$dir/cpr-log.key"
  cp "$CPR_VERIFIER_KEY_FILE" "$dir/verifier-key"
  work=$(dirname "$CPR_SIGNING_KEY_FILE")
  [ -d "$work/attachments" ] && cp -r "$work/attachments" "$dir/attachments"
  printf '%s\n' "$CPR_SECRETARIAT_TOKEN" >"$dir/token"
  echo "## verify.py before tampering (keeps the checkpoint it verified in $dir/state.json)"
  rc=0
  python3 "$root/docs/verify/verify.py" --base-url "$CPR_BASE_URL" --key-file "$dir/verifier-key" \
    --state "$dir/state.json" --quiet >"$dir/verify-before.log" 2>&1 || rc=$?
  cat "$dir/verify-before.log"
  [ "$rc" = 2 ] && { echo "verify.py could not run against the walked-through server" >&2; exit 1; }
  if [ ! -s "$dir/state.json" ]; then
    # verify.py keeps a checkpoint only when everything verified. What failed on the
    # untampered record is reported by the control row; the tamper rows still need the
    # checkpoint it saw, which is kept here in its format after checking its signature
    # with its own code.
    echo "verify.py kept no checkpoint (something failed on the untampered record: see the control row);"
    echo "the checkpoint it read is kept in its state file's format, its signature checked with verify.py's code"
    python3 - "$root/docs/verify" "$CPR_BASE_URL" "$dir/verifier-key" "$dir/state.json" <<'PY'
import base64, json, sys, time, urllib.request
sys.path.insert(0, sys.argv[1])
import verify as v
v.require_ed25519()
line = next(l.strip() for l in open(sys.argv[3], encoding="utf-8") if l.strip() and not l.startswith("#"))
note = urllib.request.urlopen(sys.argv[2] + "/api/v1/log/checkpoint", timeout=30).read().decode()
origin, size, root = v.open_checkpoint(note, v.parse_vkey(line))
with open(sys.argv[4], "w", encoding="utf-8") as f:
    json.dump({"origin": origin, "size": size, "root": root.hex(), "root_base64": base64.b64encode(root).decode(),
               "note": note, "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "base_url": sys.argv[2]}, f, indent=1)
print("kept the checkpoint of size %d" % size)
PY
  fi
  kill "$CPR_SERVER_PID"
  for _ in $(seq 1 200); do kill -0 "$CPR_SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$CPR_SERVER_PID" 2>/dev/null; then echo "the server did not stop" >&2; exit 1; fi
  if [ "$database" = sqlite ]; then
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
      "${CPR_DATABASE_URL#sqlite://}" "$dir/walked.db"
  else
    psql "$database" -Xqc "CREATE DATABASE ${prefix}_walked TEMPLATE ${CPR_DATABASE_URL##*/}" >/dev/null
  fi
  echo "the walked-through database is copied; its server stopped"
  exit 0
fi

# ---- the tamper tests
[ $# -eq 2 ] || { echo "usage: $0 BINARY sqlite|POSTGRES_ADMIN_URL" >&2; exit 2; }
binary=$(realpath "$1")
database=$2
started=$(date +%s)
tw=$(mktemp -d)
prefix="cpr_tamper_$(date +%s)_$$"
kind=postgres; [ "$database" = sqlite ] && kind=sqlite
artifacts="$root/target/artifacts/tamper/$kind"
rm -rf "$artifacts"; mkdir -p "$artifacts"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  if [ "$database" != sqlite ]; then
    psql "$database" -XAtqc "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'" 2>/dev/null \
      | sed 's/.*/DROP DATABASE IF EXISTS & WITH (FORCE);/' | psql "$database" -Xq >/dev/null 2>&1 || true
  fi
  cp "$tw"/*.log "$artifacts/" 2>/dev/null || true
  rm -rf "$tw"
}
trap cleanup EXIT

helper="$tw/tamper.py"
write_helper "$helper"

echo "## the walkthrough, on a fresh $kind database (log: $artifacts/walkthrough.log)"
if ! CPR_AFTER_WALKTHROUGH="bash .ci/tamper.sh --snapshot '$tw' '$database' '$prefix'" \
  bash "$root/.ci/walkthrough-against-server.sh" "$binary" "$database" >"$tw/walkthrough.log" 2>&1; then
  tail -n 40 "$tw/walkthrough.log" >&2
  echo "tamper: the walkthrough failed" >&2
  exit 1
fi
sed -n '/^## verify.py before tampering/,/^the walked-through database is copied/p' "$tw/walkthrough.log"
[ -s "$tw/state.json" ] || { echo "tamper: no pre-tamper checkpoint was kept" >&2; exit 1; }
token=$(cat "$tw/token")
echo "walkthrough done in $(( $(date +%s) - started )) s"

# copy NAME — a fresh copy of the walked-through database; sets url (for cpr) and dburl
# (for the helper).
copy() {
  if [ "$database" = sqlite ]; then
    cp "$tw/walked.db" "$tw/$1.db"
    url="sqlite://$tw/$1.db" dburl="sqlite:$tw/$1.db"
  else
    psql "$database" -Xqc "CREATE DATABASE ${prefix}_${1//-/_} TEMPLATE ${2:-${prefix}_walked}" >/dev/null
    url="${database%/*}/${prefix}_${1//-/_}" dburl=$url
  fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ "$database" = sqlite ]; then dburl="sqlite:$tw/walked.db"; else dburl="${database%/*}/${prefix}_walked"; fi
review_chain=$(python3 "$helper" "$dburl" review-chain)
review_id=${review_chain#review/}
echo "the review of France: $review_chain"

names=() ; declare -A res_verify res_server res_vpy what detail
baseline="$tw/baseline-fails"
: >"$baseline"
failed=0

# cell REQUIRED CAUGHT — PASS / FAIL, or for a check not required: caught / missed.
cell() {
  if [ "$1" = yes ]; then [ "$2" = yes ] && echo PASS || echo FAIL
  else [ "$2" = yes ] && echo "caught (n/r)" || echo "missed (n/r)"
  fi
}

# tamper NAME CHAINS WRITE REQUIRED — CHAINS: the names `cpr verify` may give (a regex);
# WRITE: review or registry; REQUIRED: which of verify,server,vpy must catch it.
tamper() {
  local name=$1 chains=$2 write=$3 required=$4 rc
  names+=("$name")
  local log="$tw/$name"
  copy "$name"
  local tampered_url=$url tampered_dburl=$dburl started_at; started_at=$(date +%s)
  rc=0
  what[$name]=$(python3 "$helper" "$tampered_dburl" apply "$name") || rc=$?
  if [ "$rc" = 3 ]; then
    res_verify[$name]="n/a" res_server[$name]="n/a" res_vpy[$name]="n/a"
    echo "  $name: ${what[$name]}"
    return 0
  fi
  [ "$rc" = 0 ] || { echo "tamper $name could not be applied" >&2; exit 1; }
  echo "  $name: ${what[$name]}"

  # 1. cpr verify on the tampered database; what it records broken is then forgotten, so
  # that the server has to find it itself.
  rc=0
  (cd "$tw" && CPR_DATABASE_URL=$tampered_url CPR_TRANSPARENCY_LOG__SIGNING_KEY_FILE="$tw/cpr-log.key" \
    "$binary" verify >"$log-cpr-verify.log" 2>&1) || rc=$?
  python3 "$helper" "$tampered_dburl" clear
  local caught=no
  if [ "$name" = control ]; then
    [ "$rc" = 0 ] && caught=yes
    detail[$name.verify]="exit $rc"
  else
    if [ "$rc" = 1 ] && grep -Eq "^BROKEN ($chains)( at |: )" "$log-cpr-verify.log"; then caught=yes; fi
    detail[$name.verify]="exit $rc; $(grep -m1 '^BROKEN' "$log-cpr-verify.log" || echo 'no BROKEN line')"
  fi
  [ "$name" = control ] && res_verify[$name]=$( [ $caught = yes ] && echo PASS || echo FAIL ) \
    || res_verify[$name]=$(cell "$( [[ $required == *verify* ]] && echo yes || echo no)" $caught)

  # 2. cpr serve on the tampered database, after its own check at start.
  mkdir -p "$tw/run-$name"
  local port; port=$(free_port)
  (cd "$tw/run-$name" && exec env CPR_DATABASE_URL="$tampered_url" CPR_LISTEN="127.0.0.1:$port" \
    CPR_TRANSPARENCY_LOG__SIGNING_KEY_FILE="$tw/cpr-log.key" CPR_ATTACHMENTS__LOCAL_ROOT="$tw/attachments" \
    CPR_MAIL__SCHEDULER=false CPR_MAIL__TRANSPORT=file CPR_MAIL__POLL_INTERVAL_MS=200 \
    "$binary" serve) >"$log-server.log" 2>&1 &
  server_pid=$!
  local up=no
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=yes; break; }
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$up" != yes ]; then
    tail -n 20 "$log-server.log" >&2
    echo "tamper $name: the server did not start" >&2
    exit 1
  fi
  # The full check runs in the background from the start: wait for its verdict.
  for _ in $(seq 1 300); do
    grep -Eq "cpr_server: integrity check (passed|failed)|cannot run the integrity check" "$log-server.log" && break
    sleep 0.1
  done

  # 3. verify.py, holding the pre-tamper checkpoint.
  cp "$tw/state.json" "$log-state.json"
  rc=0
  python3 "$root/docs/verify/verify.py" --base-url "http://127.0.0.1:$port" --key-file "$tw/verifier-key" \
    --state "$log-state.json" --quiet --wait 3 >"$log-verify-py.log" 2>&1 || rc=$?
  grep '^  FAIL' "$log-verify-py.log" | sed "s#http://127.0.0.1:$port#BASE#g" | sort -u >"$log-fails" || true
  caught=no
  if [ "$name" = control ]; then
    cp "$log-fails" "$baseline"
    [ "$rc" = 0 ] && caught=yes
    detail[$name.vpy]="exit $rc$( if [ -s "$baseline" ]; then printf '; %s' "$(sed 's/^  FAIL  //' "$baseline" | paste -sd '|')"; fi)"
    res_vpy[$name]=$( [ $caught = yes ] && echo PASS || echo FAIL )
  else
    local new; new=$(comm -23 "$log-fails" "$baseline" | head -n 1 | sed 's/^  FAIL  //')
    [ "$rc" = 1 ] && [ -n "$new" ] && caught=yes
    detail[$name.vpy]="exit $rc; ${new:-no failure beyond those of the control}"
    res_vpy[$name]=$(cell "$( [[ $required == *vpy* ]] && echo yes || echo no)" $caught)
  fi

  # 4. A write that appends to the affected chain.
  local before after status body path data
  before=$(python3 "$helper" "$tampered_dburl" count)
  if [ "$write" = registry ]; then
    path=/api/v1/organisations data='{"kind":"oversight","name":"Tamper test body"}'
  else
    path="/api/v1/reviews/$review_id/errata/compilation"
    data='{"reason":"Tamper test.","body":{"text":"A compilation corrected after tampering."}}'
  fi
  status=$(curl -sS -o "$log-write.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data-binary "$data" "http://127.0.0.1:$port$path" || echo 000)
  body=$(python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["error"]["code"])
except Exception: print("-")' "$log-write.json")
  after=$(python3 "$helper" "$tampered_dburl" count)
  stop_server
  caught=no
  if [ "$name" = control ]; then
    [[ $status == 2* ]] && caught=yes
    detail[$name.server]="POST $path -> $status"
    res_server[$name]=$( [ $caught = yes ] && echo PASS || echo FAIL )
  else
    [ "$status" = 503 ] && [ "$body" = integrity_failure ] && [ "$before" = "$after" ] && caught=yes
    detail[$name.server]="POST $path -> $status $body; entries/leaves $before -> $after"
    res_server[$name]=$(cell "$( [[ $required == *server* ]] && echo yes || echo no)" $caught)
  fi
  if [ "$database" != sqlite ]; then
    psql "$database" -Xqc "DROP DATABASE IF EXISTS ${prefix}_${name//-/_} WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  echo "    ($(( $(date +%s) - started_at )) s)"
}

all=verify,server,vpy
chain_re=${review_chain//\//\\/}
echo
echo "## the tampers, each on a fresh copy"
tamper control    "$chain_re"            review   "$all"
tamper a          "$chain_re"            review   "$all"
tamper b-review   "$chain_re"            review   "$all"
tamper b-registry "registry"             registry "$all"
# A consistent rewrite leaves every chain whole: only the log (`*`) can show it.
tamper c          "$chain_re|\\*"        review   "$all"
tamper d-public   "$chain_re"            review   "$all"
tamper d-seats    "$chain_re"            review   "$all"
# A cut log is consistent in itself: the verifier's earlier checkpoint must show it; the
# server's checks are reported but not required.
tamper e          "$chain_re|\\*"        review   vpy
tamper e-undo     "$chain_re|\\*"        review   vpy

declare -A label=(
  [control]="control: nothing changed"
  [a]="(a) an entry edited"
  [b-review]="(b) last entry deleted, review"
  [b-registry]="(b) last entry deleted, registry"
  [c]="(c) tail rewritten consistently"
  [d-public]="(d) stored public flag"
  [d-seats]="(d) a wg_seats row"
  [e]="(e) log cut, checkpoints deleted"
  [e-undo]="(e) ... and the entries too"
)
for n in "${names[@]}"; do
  for c in "${res_verify[$n]}" "${res_server[$n]}" "${res_vpy[$n]}"; do
    [ "$c" = FAIL ] && failed=1
  done
done
report() {
  echo
  echo "## tamper tests on $kind ($(( $(date +%s) - started )) s)"
  printf '%-34s %-14s %-14s %-14s\n' "tamper" "cpr verify" "server 503" "verify.py"
  printf '%-34s %-14s %-14s %-14s\n' "------" "----------" "----------" "---------"
  for n in "${names[@]}"; do
    printf '%-34s %-14s %-14s %-14s\n' "${label[$n]}" "${res_verify[$n]}" "${res_server[$n]}" "${res_vpy[$n]}"
  done
  echo "(n/r: not required — the record is consistent in itself, only a checkpoint kept earlier shows it)"
  echo
  for n in "${names[@]}"; do
    echo "$n: ${what[$n]}"
    [ "${res_verify[$n]}" = n/a ] && continue
    echo "    cpr verify: ${detail[$n.verify]}"
    echo "    server:     ${detail[$n.server]}"
    echo "    verify.py:  ${detail[$n.vpy]}"
  done
}
report | tee "$artifacts/results.txt"
if [ "$failed" != 0 ]; then
  echo
  echo "tamper: an expected catch FAILED (logs in $artifacts)" >&2
  exit 1
fi
echo
echo "tamper: every tamper caught"
