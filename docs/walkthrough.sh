#!/usr/bin/env bash
# Takes one review from opening to conclusion over the HTTP API, printing each step, and
# exits non-zero on the first unexpected status.
#
#   docs/walkthrough.sh BASE_URL SECRETARIAT_TOKEN
#
# It creates the accounts it needs (a delegation of France, a stakeholder organisation
# accredited over an objection of France with a short announced objection period,
# the oversight body and the three working-group delegations once drawn) and a cycle of
# its own. Deadlines are set for this review a few seconds ahead (the secretariat may
# override a review's calendar), so the walk takes about 20 seconds: the input window is
# never closed early, and sessions are recorded only once they have started.
# Needs bash, curl, GNU date and python3 (for JSON).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BASE_URL SECRETARIAT_TOKEN" >&2
  exit 2
fi
BASE=${1%/}
SECRETARIAT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURES="$HERE/../tests/fixtures"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

step() { printf '\n## %s\n' "$*"; }

# api METHOD PATH TOKEN EXPECTED_STATUS [JSON_BODY] — prints the answer's body.
api() {
  local method=$1 path=$2 token=$3 expected=$4 body=${5:-}
  local args=(-sS -o "$TMP/body" -w '%{http_code}' -X "$method" "$BASE$path")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  local status
  status=$(curl "${args[@]}")
  if [ "$status" != "$expected" ]; then
    printf '   %s %s -> %s, expected %s\n' "$method" "$path" "$status" "$expected" >&2
    cat "$TMP/body" >&2
    echo >&2
    exit 1
  fi
  printf '   %s %s -> %s\n' "$method" "$path" "$status" >&2
  cat "$TMP/body"
}

# get FIELD — reads a dotted path (list indexes as numbers) from JSON on stdin.
get() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for part in sys.argv[1].split("."):
    value = value[int(part)] if isinstance(value, list) else value[part]
print(value if not isinstance(value, (dict, list)) else json.dumps(value))' "$1"
}

# json KEY VALUE [KEY VALUE...] — a JSON object of string values; @FILE reads a file.
json() {
  python3 -c '
import json, sys
args = sys.argv[1:]
out = {}
for key, value in zip(args[::2], args[1::2]):
    out[key] = open(value[1:], encoding="utf-8").read() if value.startswith("@") else value
print(json.dumps(out))' "$@"
}

at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
wait_until() { local now; now=$(date +%s); [ "$1" -gt "$now" ] && sleep $(( $1 - now )); true; }

STAMP=$(date +%s)

step "The secretariat registers the participants"
api GET /api/v1/me "$SECRETARIAT" 200 | get role | sed 's/^/   acting as: /'
FRANCE=$(api POST /api/v1/accounts "$SECRETARIAT" 201 \
  "$(json role state state FRA name 'Delegate of France' email "fra.$STAMP@delegation.example")" | get id)
FRANCE_TOKEN=$(api POST "/api/v1/accounts/$FRANCE/tokens" "$SECRETARIAT" 201 '{"label":"walkthrough"}' | get token)
NGO=$(api POST /api/v1/organisations "$SECRETARIAT" 201 \
  '{"kind":"stakeholder","name":"Digital Rights Coalition","stakeholder_kind":"ngo","website":"https://coalition.example"}' | get id)
NGO_MEMBER=$(api POST /api/v1/accounts "$SECRETARIAT" 201 \
  "$(json role stakeholder organisation "$NGO" name 'Coalition officer' email "ngo.$STAMP@coalition.example")" | get id)
NGO_TOKEN=$(api POST "/api/v1/accounts/$NGO_MEMBER/tokens" "$SECRETARIAT" 201 '{}' | get token)
ACCREDITATION="/api/v1/organisations/$NGO/accreditation"
OBJECTIONS_CLOSE=$(( $(date +%s) + 3 ))
api POST "$ACCREDITATION/proposal" "$SECRETARIAT" 200 \
  "{\"objection_period_closes_at\":\"$(at $OBJECTIONS_CLOSE)\"}" | get status | sed 's/^/   the coalition is: /'
api POST "$ACCREDITATION/objections" "$FRANCE_TOKEN" 201 \
  '{"reason":"The coalition has not published its sources of funding."}' >/dev/null
BODY=$(api POST /api/v1/organisations "$SECRETARIAT" 201 '{"kind":"oversight","name":"Oversight body"}' | get id)
CHAIR=$(api POST /api/v1/accounts "$SECRETARIAT" 201 \
  "$(json role oversight organisation "$BODY" name 'Oversight chair' email "chair.$STAMP@oversight.example")" | get id)
CHAIR_TOKEN=$(api POST "/api/v1/accounts/$CHAIR/tokens" "$SECRETARIAT" 201 '{}' | get token)

T0=$(date +%s)
REPORT_DUE=$((T0 + 6)); WINDOW_CLOSES=$((T0 + 8)); COMPILATION_DUE=$((T0 + 9))
QUESTIONS_DUE=$((T0 + 10)); SESSION=$((T0 + 12))

step "The secretariat opens a cycle and a review of France"
CYCLE=$(api POST /api/v1/cycles "$SECRETARIAT" 201 "{\"name\":\"Walkthrough $T0\",\"starts_on\":\"$(date -u +%Y-01-01)\",
  \"pool\":[\"AUS\",\"CAN\",\"CHN\",\"DEU\",\"DNK\",\"EST\",\"FRA\",\"GBR\",\"IRN\",\"ISR\",\"JPN\",\"KOR\",\"NLD\",\"NOR\",\"PRK\",\"RUS\",\"USA\"]}" | get id)
REVIEW=$(api POST "/api/v1/cycles/$CYCLE/reviews" "$SECRETARIAT" 201 "{\"state\":\"FRA\",\"wg_session\":\"$(at $SESSION)\",
  \"deadlines\":{\"state_report\":\"$(at $REPORT_DUE)\",\"input_window\":\"$(at $WINDOW_CLOSES)\",
  \"compilation\":\"$(at $COMPILATION_DUE)\",\"advance_questions\":\"$(at $QUESTIONS_DUE)\"}}" | get id)
R="/api/v1/reviews/$REVIEW"
echo "   review $REVIEW, stage $(api GET "$R" "" 200 | get stage)"

step "Stage 1 — France submits its report"
[ -f "$FIXTURES/state-report.md" ] && REPORT="@$FIXTURES/state-report.md" || REPORT="National report of France."
api POST "$R/report" "$FRANCE_TOKEN" 200 "$(json text "$REPORT")" | get stage | sed 's/^/   now in stage: /'

step "After the objection period, the secretariat accredits the coalition, answering France's objection"
wait_until $OBJECTIONS_CLOSE
api POST "$ACCREDITATION/decision" "$SECRETARIAT" 200 \
  '{"outcome":"accredited","reason":"The coalition published its accounts: members fund it."}' >/dev/null
api GET "/api/v1/accreditations/$NGO" "" 200 | get objections.0.reason | sed 's/^/   public objection: /'

step "Stage 2 — a stakeholder files an input; the window closes at its deadline, not before"
[ -f "$FIXTURES/stakeholder-input.md" ] && INPUT="@$FIXTURES/stakeholder-input.md" || INPUT="Input of the coalition."
INPUT_ID=$(api POST "$R/inputs" "$NGO_TOKEN" 201 \
  "$(python3 -c 'import json,sys; t=sys.argv[1]; print(json.dumps({"text": open(t[1:]).read() if t.startswith("@") else t, "norms": ["13e","13f"], "sectors": ["healthcare","media_and_journalists"]}))' "$INPUT")" \
  | get created_input)
api POST "$R/input-window/close" "$SECRETARIAT" 422 | get error.code | sed 's/^/   refused as expected: /'
wait_until $((WINDOW_CLOSES + 1))
api POST "$R/input-window/close" "$SECRETARIAT" 200 | get stage | sed 's/^/   now in stage: /'

step "Stage 3 — the secretariat screens the input and publishes the compilation"
api POST "$R/inputs/$INPUT_ID/screening" "$SECRETARIAT" 200 '{"admitted":true}' >/dev/null
api POST "$R/compilation" "$SECRETARIAT" 200 '{"text":"Compilation: one input, on norms 13e and 13f."}' | get stage | sed 's/^/   now in stage: /'

step "Stage 4 — the working group is drawn, meets France and adopts its report"
DRAWN=$(api POST "$R/working-group/draw" "$SECRETARIAT" 200)
MEMBERS=$(echo "$DRAWN" | python3 -c 'import json,sys; print(" ".join(s["state"] for s in json.load(sys.stdin)["working_group"]["members"]))')
echo "   drawn: $MEMBERS"
MEMBER_TOKENS=()
for member in $MEMBERS; do
  id=$(api POST /api/v1/accounts "$SECRETARIAT" 201 \
    "$(json role state state "$member" name "Delegate of $member" email "$member.$T0@delegation.example")" | get id)
  MEMBER_TOKENS+=("$(api POST "/api/v1/accounts/$id/tokens" "$SECRETARIAT" 201 '{}' | get token)")
done
NOW=$(date +%s); START=$(( NOW + 2 > SESSION ? NOW + 2 : SESSION ))
api POST "$R/working-group/session" "$SECRETARIAT" 200 "{\"at\":\"$(at $START)\"}" >/dev/null
wait_until "$START"
api POST "$R/working-group/session/held" "$SECRETARIAT" 200 >/dev/null
api PUT "$R/working-group/report" "${MEMBER_TOKENS[0]}" 200 \
  '{"text":"Findings. Recommendation 1: publish the legal review framework. Recommendation 2: open an investigation."}' >/dev/null
for token in "${MEMBER_TOKENS[@]}"; do
  STAGE=$(api POST "$R/working-group/report/approval" "$token" 200 | get stage)
done
echo "   now in stage: $STAGE"

step "Stage 5 — France responds"
api POST "$R/response" "$FRANCE_TOKEN" 200 '{"text":"Recommendation 1 supported; recommendation 2 noted, with reasons."}' \
  | get stage | sed 's/^/   now in stage: /'

step "Stage 6 — the oversight body holds its public session and adopts the outcome"
OVERSIGHT=$(( $(date +%s) + 2 ))
api POST "$R/oversight/session" "$SECRETARIAT" 200 "{\"at\":\"$(at $OVERSIGHT)\",\"webcast_url\":\"https://webtv.example/cpr\"}" >/dev/null
wait_until "$OVERSIGHT"
api POST "$R/oversight/statements" "$CHAIR_TOKEN" 200 \
  "{\"speaker\":{\"kind\":\"stakeholder\",\"organisation\":\"$NGO\"},\"summary\":\"The coalition asked for a remedy for victims.\"}" >/dev/null
api POST "$R/oversight/outcome" "$CHAIR_TOKEN" 200 '{"text":"The outcome of the review of France is adopted."}' \
  | get stage | sed 's/^/   now in stage: /'

step "Anyone can read the concluded review and its audit chain"
FINAL=$(api GET "$R" "" 200 | get stage)
api GET "$R/audit" "" 200 | python3 -c '
import json, sys, hashlib
entries = json.load(sys.stdin)
prev = "0" * 64
for e in entries:
    text = "\n".join([prev, str(e["seq"]), e["at"], e["kind"], e["actor"], e["payload_digest"]])
    h = hashlib.sha256(text.encode()).hexdigest()
    assert h == e["hash"], "chain broken at %d" % e["seq"]
    prev = h
    print("   %2d %-28s %s" % (e["seq"], e["kind"], e["actor"]))
print("   chain of %d entries verified" % len(entries))'
if [ "$FINAL" != concluded ]; then
  echo "the review ended in stage $FINAL, not concluded" >&2
  exit 1
fi
echo
echo "walkthrough complete: review $REVIEW is concluded"
