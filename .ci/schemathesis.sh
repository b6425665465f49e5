#!/usr/bin/env bash
# Hostile input from the OpenAPI document (issue 13): starts `cpr serve` (the binary
# given) on a free port against a fresh database, seeds it with an account of every role
# and a review for them to act on, then runs schemathesis against the document the
# server itself serves, once per role (the secretariat, a state delegate — the state
# under review, whose delegates are the ones a review's commands name —, a stakeholder
# organisation, the oversight body and the anonymous public), with schemathesis' default
# checks and every phase (examples, coverage, fuzzing and the stateful phase, whose links
# schemathesis infers from the document). Exits non-zero on any failure.
#
#   .ci/schemathesis.sh BINARY [DATABASE]
#
# DATABASE is `sqlite` (the default) or a PostgreSQL admin URL. SCHEMATHESIS_EXAMPLES
# (default 3) bounds the examples per operation of the fuzzing phase, so the whole
# script stays within about three minutes on two cores; reports (JUnit, and the
# failures' reproductions as curl commands in the log) go to target/schemathesis/<role>/.
# SCHEMATHESIS_COVERAGE=1 adds the coverage phase to the secretariat's run (minutes more).
set -euo pipefail
binary=$(realpath "$1")
database=${2:-sqlite}
root=$(cd "$(dirname "$0")/.." && pwd)
examples=${SCHEMATHESIS_EXAMPLES:-3}
work=$(mktemp -d)
reports="$root/target/schemathesis"
server_pid=""
db_name="cpr_schemathesis_$(date +%s)_$$"

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ "$database" != sqlite ]; then
    psql "$database" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The pinned release, installed from PyPI when another (or none) is there.
wanted=$(sed -n 's/^schemathesis==//p' "$root/.ci/schemathesis-requirements.txt")
if [ "$(python3 -m schemathesis.cli --version 2>/dev/null | awk '{print $NF}')" != "$wanted" ]; then
  python3 -m pip install --quiet -r "$root/.ci/schemathesis-requirements.txt"
fi

if [ "$database" = sqlite ]; then
  export CPR_DATABASE_URL="sqlite://$work/cpr.db"
else
  psql "$database" -qc "CREATE DATABASE $db_name" >/dev/null
  export CPR_DATABASE_URL="${database%/*}/$db_name"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CPR_LISTEN="127.0.0.1:$port"
base="http://$CPR_LISTEN"
# Mail goes to .eml files in $work/mail, where the seeding reads the invitations.
export CPR_MAIL__POLL_INTERVAL_MS=200
# Deadlines are far ahead; the scheduler has nothing to do and stays out of the way.
export CPR_MAIL__SCHEDULER=false
# The fuzzer sends from one address as fast as the server answers: a rate limit would only
# slow it with 429s (which the checks accept); tests/e2e/operations.rs tests the limits.
export CPR_HTTP__RATE_LIMIT__ENABLED=false

cd "$work"
"$binary" migrate >/dev/null
export CPR_TRANSPARENCY_LOG__SIGNING_KEY_FILE="$work/cpr-log.key"
"$binary" log keygen >/dev/null
account=$("$binary" account create --name "Fuzzing officer" --email "officer@secretariat.example")
token=$("$binary" token issue --account "$account" --label schemathesis)
"$binary" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# The seed: every role's holder redeems the invitation mailed to it, as a person does;
# a cycle with a review of France past its report (so inputs may be filed) and a review
# of Germany still in its first stage, an accredited organisation with a filed input, a
# pledge, an attachment. Prints `role token` lines.
python3 - "$base" "$token" "$work/mail" "$root/tests/fixtures/sample.pdf" "$work/seeded.toml" \
  >"$work/tokens" <<'PY'
import datetime, email, email.policy, json, pathlib, re, sys, time, urllib.error, urllib.request

base, secretariat, mail, pdf = sys.argv[1:5]

def call(method, path, token=None, body=None, expected=200, content_type="application/json"):
    data = None
    headers = {}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    if status != expected:
        sys.exit("seed: %s %s -> %d, expected %d: %s" % (method, path, status, expected, text[:500]))
    return json.loads(text) if text else None

def at(seconds):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

def secret_for(address):
    deadline = time.time() + 30
    while time.time() < deadline:
        folder = pathlib.Path(mail)
        for path in folder.rglob("*.eml") if folder.is_dir() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message.get("X-CPR-Notice") != "account_invitation" or address not in str(message.get("To", "")):
                continue
            found = re.search(r"^([0-9a-f]{64})\r?$", message.get_body(("plain",)).get_content(), re.M)
            if found:
                return found.group(1)
        time.sleep(0.1)
    sys.exit("seed: no invitation mail to %s" % address)

def account(**fields):
    call("POST", "/api/v1/accounts", secretariat, fields, 201)
    secret = secret_for(fields["email"])
    return call("POST", "/api/v1/invitations", None, {"secret": secret, "label": "schemathesis"}, 201)["token"]

france = account(role="state", state="FRA", name="Delegate of France", email="fra@delegation.example")
germany = account(role="state", state="DEU", name="Delegate of Germany", email="deu@delegation.example")
ngo = call("POST", "/api/v1/organisations", secretariat, {"kind": "stakeholder", "name": "Digital Rights Coalition",
           "stakeholder_kind": "ngo", "country": "FRA", "website": "https://coalition.example"}, 201)["id"]
ngo_token = account(role="stakeholder", organisation=ngo, name="Coalition officer", email="ngo@coalition.example")
body = call("POST", "/api/v1/organisations", secretariat, {"kind": "oversight", "name": "Oversight body"}, 201)["id"]
chair = account(role="oversight", organisation=body, name="Oversight chair", email="chair@oversight.example")

closes = time.time() + 2
call("POST", "/api/v1/organisations/%s/accreditation/proposal" % ngo, secretariat,
     {"objection_period_closes_at": at(2)})
pledge = call("POST", "/api/v1/states/FRA/pledges", france,
     {"text": "France will not damage critical infrastructure.", "norms": ["13f"]}, 201)["id"]
attachment = call("POST", "/api/v1/attachments?filename=annex.pdf", france, open(pdf, "rb").read(), 201,
                  "application/pdf")["sha256"]
pool = ["AUS", "CAN", "CHN", "DEU", "DNK", "EST", "FRA", "GBR", "IRN", "ISR", "JPN", "KOR", "NLD", "NOR", "USA"]
cycle = call("POST", "/api/v1/cycles", secretariat, {"name": "Fuzzing cycle",
             "starts_on": datetime.date.today().strftime("%Y-01-01"), "pool": pool}, 201)["id"]
day = 86400
deadlines = {"state_report": at(10 * day), "input_window": at(20 * day), "compilation": at(30 * day),
             "advance_questions": at(40 * day)}
review = call("POST", "/api/v1/cycles/%s/reviews" % cycle, secretariat,
              {"state": "FRA", "wg_session": at(50 * day), "deadlines": deadlines}, 201)["id"]
call("POST", "/api/v1/cycles/%s/reviews" % cycle, secretariat,
     {"state": "DEU", "wg_session": at(50 * day), "deadlines": deadlines}, 201)
norms = {"13" + letter: "France reports on norm 13%s." % letter for letter in "abcdefghijk"}
call("PUT", "/api/v1/reviews/%s/report/draft" % review, france,
     {"foreign_activity": "France reports its foreign cyber activity.", "norms": norms,
      "attachments": [attachment]})
call("POST", "/api/v1/reviews/%s/report/submission" % review, france)
time.sleep(max(0, closes - time.time()) + 1)
call("POST", "/api/v1/organisations/%s/accreditation/decision" % ngo, secretariat, {"outcome": "accredited"})
created = call("POST", "/api/v1/reviews/%s/inputs" % review, ngo_token,
               {"text": "The coalition documents an incident.", "norms": ["13e"]}, 201)["created_input"]
call("POST", "/api/v1/reviews/%s/inputs/%s/filing" % (review, created), ngo_token)
france_account = call("GET", "/api/v1/me", france)["id"]
# The seeded objects, for the path parameters of the roles' runs (see below).
operations = [
    ("^/api/v1/reviews/", {"id": review, "input": created, "sha256": attachment, "number": 1,
                           "kind": "state_report", "document": "state_report"}),
    ("^/api/v1/cycles/", {"id": cycle}),
    ("^/api/v1/organisations/", {"id": ngo, "state": "DEU"}),
    ("^/api/v1/accounts/", {"id": france_account}),
    ("^/api/v1/pledges/", {"id": pledge}),
    ("^/api/v1/states/", {"code": "FRA"}),
    ("^/api/v1/attachments/", {"sha256": attachment}),
]
with open(sys.argv[5], "w") as toml:
    for regex, parameters in operations:
        toml.write("\n[[operations]]\ninclude-path-regex = %s\n" % json.dumps(regex))
        toml.write("parameters = { %s }\n" % ", ".join(
            "%s = %s" % (json.dumps(name), json.dumps(value)) for name, value in parameters.items()))
for role, value in (("state", france), ("stakeholder", ngo_token), ("oversight", chair),
                    ("anonymous", ""), ("secretariat", secretariat)):
    print(role, value)
PY

# What the checks expect beyond their defaults, and the failures that are not findings.
# positive_data_acceptance expects a schema-valid request to be accepted or refused for
# want of rights or of the thing it names (2xx, 401, 403, 404, 409). cpr answers two
# more statuses to such requests by design, both declared on every command: 422 when
# the process's rules refuse a well-formed request (a state code that is not in the
# register of states, an empty pool, a draw before its stage: the document cannot list
# the register's states, which the secretariat edits, nor the process's state), and 412
# when the caller's `If-Match` names a version the review has moved past. A 400 stays a
# failure: it means the parser refused what the document allows. negative_data_rejection
# also takes 413, the declared answer of the body limit, which refuses an oversized body
# (schemathesis' negative bodies run to megabytes) before anything reads it.
cat >"$work/schemathesis.toml" <<'TOML'
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429", "5xx"]

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]

# The coverage phase (the secretariat's run only, when asked for, see below) walks the bodies of the
# commands, where hostile input does harm; the reads' queries are fuzzed in every run.
# Each path is asked once for a method it does not route (PATCH: no route has it).
[phases.coverage]
unexpected-methods = ["patch"]

[[operations]]
include-method = "GET"
phases.coverage.enabled = false
TOML
# The state's, the stakeholder's and the oversight body's runs name the seeded objects
# in their paths (the review, its input, the cycle, the organisation, France's account,
# pledge and attachment), so that their requests reach the rules of their role rather
# than a 404 for a random id; the secretariat's and the public's runs keep generated
# paths, so malformed and unknown ids are fuzzed too (the stateful phase still finds the
# seeded ones through the document's links).
cat "$work/seeded.toml" "$work/schemathesis.toml" >"$work/schemathesis-seeded.toml"
# filter_failure drops, by name, the failures that are the fuzzer's and not cpr's:
# - a `cursor` the server never gave out (400 `invalid_cursor`): a cursor is opaque, so
#   no schema tells a valid one from a forged one; tests/e2e/pages.rs and bad_input.rs
#   hold forged cursors to 400;
# - an `If-Match` that does not match the document's own pattern (400
#   `invalid_if_match`): schemathesis generates header values from [A-Za-z0-9] only, so
#   it cannot write the quoted ETag the pattern asks for and sends e.g. `0` as valid;
#   only a value the pattern refuses is dropped;
# - a log range past the log's size or upside down (400 `invalid_log_range`): how many
#   leaves the log holds is data, and `start < end` relates two parameters;
# - a search with no word in `q` (400 `no_search_words`): what makes a word is the
#   search's tokenizer, which no pattern states;
# - an integer written with a fraction, `2.0` (400 `invalid_body`, "invalid type:
#   floating point"): JSON Schema counts it as an integer, serde's integer types read
#   integer notation only, and no client writes counts so;
# - the rules that relate two fields, or a field and the clock, which JSON Schema
#   cannot state on these bodies (400 `invalid_value` naming the field, listed by
#   operation in CROSS_FIELD below; the e2e suite's bad_input.rs holds each to its code).
#   Any other 400 to a schema-valid request stays a failure.
cat >"$work/cpr_schemathesis_hooks.py" <<'HOOKS'
import re

import schemathesis

IF_MATCH = re.compile(r'^\s*(\*|"[0-9]{1,18}(\.[0-9]{1,10})?")\s*$')

# Operation -> the fields whose 400 `invalid_value` is a rule across fields or time.
CROSS_FIELD = {
    # An account names a state or an organisation as its role says.
    "POST /api/v1/accounts": ("state", "organisation"),
    # A stakeholder organisation has a stakeholder kind (and may have an ECOSOC status
    # and a contact address); no other organisation has any of them.
    "POST /api/v1/organisations": ("stakeholder_kind", "ecosoc_status"),
    # A token's expiry is in the future: the clock, not the schema.
    "POST /api/v1/accounts/{id}/tokens": ("expires_at",),
    # The objection period is given in days or by its end, not both.
    "POST /api/v1/organisations/{id}/accreditation/proposal": ("objection_period_days",),
    # The state under review's slot fits in the oversight session.
    "POST /api/v1/rule-sets": ("rules",),
}


def _integral_float(value):
    # A body holding `2.0` where a count goes: refused by serde wherever it sits (an
    # erratum's body is read as each document's in turn, so the message may name another
    # field than the float).
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_integral_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_integral_float(item) for item in value)
    return False


def _error(response):
    try:
        error = response.json()["error"]
        return error["code"], error["message"]
    except Exception:
        return None, ""


# POST /attachments takes the raw bytes of a PDF: send what was generated as raw bytes
# (the server reads the content, so anything but a PDF is its 422).
schemathesis.serializer.alias("application/pdf", "application/octet-stream")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if response is None or response.status_code != 400:
        return True
    code, message = _error(response)
    if code == "invalid_cursor" and "cursor" in (case.query or {}):
        return False
    if code == "invalid_if_match":
        sent = {k.lower(): v for k, v in (case.headers or {}).items()}.get("if-match")
        if sent is not None and not IF_MATCH.match(str(sent)):
            return False
    if code in ("invalid_log_range", "no_search_words"):
        return False
    if code == "invalid_body" and (
        re.search(r"invalid type: floating point `-?[0-9]+\.0`", message) or _integral_float(case.body)
    ):
        return False
    if code == "invalid_value":
        field = message.split(":", 1)[0]
        if field in CROSS_FIELD.get(case.operation.label, ()):
            return False
    return True
HOOKS
export PYTHONPATH="$work${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=cpr_schemathesis_hooks

# Every role runs the same way; the secretariat runs last, since its run may revoke the
# other roles' tokens or disable their accounts (which the document allows it to do).
failed=()
while read -r role role_token; do
  echo
  echo "==== schemathesis as $role"
  auth=()
  [ -n "$role_token" ] && auth=(-H "Authorization: Bearer $role_token")
  mkdir -p "$reports/$role"
  start=$(date +%s)
  # The coverage phase walks every boundary of every schema whatever --max-examples
  # says (thousands of requests, minutes on two shared cores): with
  # SCHEMATHESIS_COVERAGE=1 it runs once, as the secretariat, the one role whose
  # requests reach every body's parser. Every role runs the examples, fuzzing and
  # stateful phases. One worker: with two, CPython 3.11's
  # parser races in hypothesis' description of lambdas ("AST constructor recursion
  # depth mismatch", an error of the tester, not of cpr), and on two cores a second
  # worker gains little.
  phases=examples,fuzzing,stateful
  [ "$role" = secretariat ] && [ "${SCHEMATHESIS_COVERAGE:-0}" = 1 ] \
    && phases=examples,coverage,fuzzing,stateful
  config="$work/schemathesis-seeded.toml"
  case $role in secretariat | anonymous) config="$work/schemathesis.toml" ;; esac
  if ! python3 -m schemathesis.cli --config-file "$config" run "$base/api/v1/openapi.json" "${auth[@]}" \
      --phases "$phases" --max-examples "$examples" --seed 13 --workers 1 --no-color \
      --report junit --report-dir "$reports/$role" --output-truncate true \
      >"$reports/$role/log.txt" 2>&1; then
    failed+=("$role")
  fi
  # The summary: operations, test cases, failures and time.
  sed -n '/^=* SUMMARY/,$p' "$reports/$role/log.txt" | head -40
  echo "   ($(( $(date +%s) - start )) s; full log: $reports/$role/log.txt)"
done <"$work/tokens"

if ! curl -fsS "$base/healthz" >/dev/null; then
  echo "the server stopped answering" >&2
  failed+=("server")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo
  echo "schemathesis failed for: ${failed[*]}" >&2
  echo "---- server log" >&2
  grep -iE 'panic|error' "$work/server.log" | tail -n 30 >&2 || true
  exit 1
fi
echo
echo "schemathesis: no failure for any role"
