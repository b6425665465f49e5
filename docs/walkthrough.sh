#!/usr/bin/env bash
# Takes one review from opening to conclusion over the HTTP API with every kind of
# document (the report and an input are the real-length texts of tests/fixtures), reads
# each one back as the public, printing each step, and exits non-zero on the first
# unexpected status or content.
#
#   docs/walkthrough.sh BASE_URL SECRETARIAT_TOKEN [MAIL_DIR]
#
# Every account's holder gets its first token as a holder does: the secretariat creates
# the account, cpr mails an invitation to the account's address, and the walkthrough
# reads that mail in MAIL_DIR (where the server's mail lands: the folder of the file
# transport, `mail` by default, or a Maildir an SMTP server writes) and redeems it.
#
# It creates the accounts it needs (a delegation of France, stakeholder organisations
# accredited after objection periods of a few seconds, one over an objection of Germany
# that the organisation answers in the open, the oversight body and the three working-group delegations once drawn) and a cycle of
# its own. Deadlines are set for this review seconds ahead (the secretariat may override
# a review's calendar), so the walk takes about a minute: the input window is
# never closed early, and sessions are recorded only once they have started.
# Needs bash, curl, GNU date and python3 (for JSON).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 BASE_URL SECRETARIAT_TOKEN [MAIL_DIR]" >&2
  exit 2
fi
BASE=${1%/}
SECRETARIAT=$2
MAIL_DIR=${3:-mail}
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

# pages PATH TOKEN — every item of a paged list (following "next"), as one JSON array.
pages() {
  local path=$1 token=$2 sep='?' cursor='' all="$TMP/all" page
  [[ "$path" == *'?'* ]] && sep='&'
  echo '[]' > "$all"
  while :; do
    page=$(api GET "$path${sep}limit=200${cursor:+&cursor=$cursor}" "$token" 200)
    cursor=$(printf '%s' "$page" | ALL="$all" python3 -c '
import json, os, sys
page = json.load(sys.stdin)
path = os.environ["ALL"]
items = json.load(open(path)) + page["items"]
json.dump(items, open(path, "w"))
print(page["next"] or "")')
    [ -z "$cursor" ] && break
  done
  cat "$all"
}

at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
wait_until() { local now; now=$(date +%s); [ "$1" -gt "$now" ] && sleep $(( $1 - now )); true; }

# body NAME — the JSON bodies built from the fixtures (python3 reads them from disk).
body() {
  FIXTURES="$FIXTURES" python3 - "$@" <<'PY'
import json, os, sys
fixtures = os.environ["FIXTURES"]
name = sys.argv[1]
def read(file):
    with open(os.path.join(fixtures, file), encoding="utf-8") as f:
        return f.read()
def report():
    foreign, norms, current, lines = [], {}, None, []
    def flush():
        text = "\n".join(lines).strip()
        if current: norms[current] = text
        else: foreign.append(text)
    for line in read("state-report.md").splitlines():
        if line.startswith("## "):
            flush(); lines.clear()
            code = line[3:].split()[0]
            current = code if code.startswith("13") and len(code) == 3 else None
        lines.append(line)
    flush()
    return {"foreign_activity": "\n\n".join(foreign), "norms": norms,
            "confidential": "Annex (confidential): the officials who authorised the operations.",
            "contact": "Permanent Mission of France, cyber desk",
            "attachments": [os.environ["ATTACHMENT"]] if os.environ.get("ATTACHMENT") else []}
if name == "report-partial":
    out = {"foreign_activity": report()["foreign_activity"]}
elif name == "report":
    out = report()
elif name == "input":
    out = {"text": read("stakeholder-input.md"), "norms": ["13e", "13f"],
           "sectors": ["healthcare", "media_and_journalists"],
           "confidential": "Witness statements (confidential).", "contact": "research@coalition.example"}
elif name == "wg-report":
    members = sys.argv[2:]
    recs = [{"text": "Publish the legal framework authorising foreign cyber operations.", "norms": ["13a", "13e"], "proposed_by": members[0]},
            {"text": "Open an independent investigation into the 2026 hospital incident.", "norms": ["13f"], "proposed_by": members[1]},
            {"text": "Establish a remedy for victims of spyware.", "norms": ["13e"], "proposed_by": members[2]}]
    out = {"findings": "The working group met France and finds that the report covers every norm.", "recommendations": recs}
    if os.environ.get("PLEDGE"):
        # The findings hold France to its pledge; the second recommendation cites it too.
        out["findings"] += " It recalls pledge " + os.environ["PLEDGE"] + " on critical infrastructure."
        out["pledges"] = [os.environ["PLEDGE"]]
        recs[1]["pledges"] = [os.environ["PLEDGE"]]
elif name == "response":
    out = {"answers": [
        {"recommendation": 1, "position": "supported", "explanation": "France will publish the framework in 2028."},
        {"recommendation": 2, "position": "noted", "explanation": "An inquiry is under way under national law."},
        {"recommendation": 3, "position": "noted", "explanation": "Existing remedies apply."}],
        "general": "France thanks the working group."}
else:
    raise SystemExit("unknown body " + name)
print(json.dumps(out))
PY
}

# propose ORGANISATION — the secretariat proposes a stakeholder organisation for
# accreditation, announcing an objection period of a few seconds (OBJECTIONS_CLOSE).
propose() {
  OBJECTIONS_CLOSE=$(( $(date +%s) + 3 ))
  api POST "/api/v1/organisations/$1/accreditation/proposal" "$SECRETARIAT" 200 \
    "{\"objection_period_closes_at\":\"$(at $OBJECTIONS_CLOSE)\"}" | get status | sed 's/^/   proposed: /'
}

# invitation_secret ADDRESS — waits (at most 30 s) for the invitation mailed to ADDRESS
# in MAIL_DIR and prints its secret (the line of 64 hex characters of its text part).
invitation_secret() {
  python3 - "$MAIL_DIR" "$1" <<'PY'
import email, email.policy, pathlib, re, sys, time
folder, address = pathlib.Path(sys.argv[1]), sys.argv[2]
deadline = time.time() + 30
while time.time() < deadline:
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    for path in sorted(files, key=lambda p: p.stat().st_mtime, reverse=True):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if mail.get("X-CPR-Notice") != "account_invitation" or address not in str(mail.get("To", "")):
            continue
        found = re.search(r"^([0-9a-f]{64})\r?$", mail.get_body(("plain",)).get_content(), re.M)
        if found:
            print(found.group(1))
            sys.exit(0)
    time.sleep(0.1)
sys.exit("no invitation mail to %s in %s" % (address, folder))
PY
}

# account ROLE-JSON — the secretariat creates an account; its holder reads the invitation
# mailed to the account's address and redeems it (without any token) for its first
# token, which is printed. The secretariat never sees the secret nor the token.
account() {
  local email secret
  email=$(printf '%s' "$1" | get email)
  api POST /api/v1/accounts "$SECRETARIAT" 201 "$1" >/dev/null
  secret=$(invitation_secret "$email")
  api POST /api/v1/invitations "" 201 "{\"secret\":\"$secret\",\"label\":\"walkthrough\"}" | get token
}

step "The secretariat registers the participants"
api GET /api/v1/me "$SECRETARIAT" 200 | get role | sed 's/^/   acting as: /'
T0=$(date +%s)
FRANCE_TOKEN=$(account "$(json role state state FRA name 'Delegate of France' email "fra.$T0@delegation.example")")
GERMANY_TOKEN=$(account "$(json role state state DEU name 'Delegate of Germany' email "deu.$T0@delegation.example")")
NGO=$(api POST /api/v1/organisations "$SECRETARIAT" 201 \
  '{"kind":"stakeholder","name":"Digital Rights Coalition","stakeholder_kind":"ngo","country":"FRA","website":"https://coalition.example"}' | get id)
NGO_TOKEN=$(account "$(json role stakeholder organisation "$NGO" name 'Coalition officer' email "ngo.$T0@coalition.example")")
propose "$NGO"
api POST "/api/v1/organisations/$NGO/accreditation/objections" "$GERMANY_TOKEN" 201 \
  '{"reason":"The coalition has not published its sources of funding."}' >/dev/null
# The coalition answers Germany's objection in the open, during the period, once.
api POST "/api/v1/organisations/$NGO/accreditation/objections/DEU/answer" "$NGO_TOKEN" 201 \
  '{"text":"Our accounts are published: our members fund us."}' | get objections.0.answer.text | sed 's/^/   answered: /'
api POST "/api/v1/organisations/$NGO/accreditation/objections/DEU/answer" "$NGO_TOKEN" 409 \
  '{"text":"A second answer."}' | get error.code | sed 's/^/   refused as expected: /'
api POST "/api/v1/organisations/$NGO/accreditation/objections/DEU/answer" "$SECRETARIAT" 403 \
  '{"text":"An answer on its behalf."}' | get error.code | sed 's/^/   refused as expected: /'
LAB=$(api POST /api/v1/organisations "$SECRETARIAT" 201 \
  '{"kind":"stakeholder","name":"Citizen Lab of Somewhere","stakeholder_kind":"academia","country":"CAN","website":"https://lab.example"}' | get id)
propose "$LAB"
LAB_TOKEN=$(account "$(json role stakeholder organisation "$LAB" name 'Lab researcher' email "lab.$T0@lab.example")")
BODY=$(api POST /api/v1/organisations "$SECRETARIAT" 201 '{"kind":"oversight","name":"Oversight body"}' | get id)
CHAIR_TOKEN=$(account "$(json role oversight organisation "$BODY" name 'Oversight chair' email "chair.$T0@oversight.example")")

step "Credentials go only to their holder, and the public register shows each one"
FRANCE=$(api GET /api/v1/me "$FRANCE_TOKEN" 200 | get id)
api POST "/api/v1/accounts/$FRANCE/tokens" "$SECRETARIAT" 403 '{"label":"not for the secretariat"}' \
  | get error.code | sed 's/^/   the secretariat asking for a token of France: /'
LAPTOP=$(api POST "/api/v1/accounts/$FRANCE/tokens" "$FRANCE_TOKEN" 201 '{"label":"laptop"}' | get id)
api DELETE "/api/v1/tokens/$LAPTOP" "$FRANCE_TOKEN" 200 >/dev/null
pages /api/v1/audit/registry "" | python3 -c '
import json, sys
kinds = ("invitation_sent", "token_issued", "token_revoked", "account_disabled")
entries = [e for e in json.load(sys.stdin) if e["kind"] in kinds]
for e in entries[-4:]:
    p = e["payload"]
    print("   %-16s %-15s %-12s by %s" % (e["kind"], p["role"], p["state"] or p["organisation"][:8], e["actor"][:22]))
text = json.dumps(entries)
assert "@" not in text and "cpr_" not in text, "an address or a token in the public register"'

step "After the objection periods the secretariat accredits both, answering Germany's objection"
wait_until "$OBJECTIONS_CLOSE"
api POST "/api/v1/organisations/$NGO/accreditation/decision" "$SECRETARIAT" 200 \
  '{"outcome":"accredited","reason":"The coalition published its accounts: its members fund it."}' >/dev/null
api POST "/api/v1/organisations/$LAB/accreditation/decision" "$SECRETARIAT" 200 '{"outcome":"accredited"}' >/dev/null
api GET "/api/v1/accreditations/$NGO" "" 200 | get objections.0.reason | sed 's/^/   public objection: /'
api GET "/api/v1/accreditations/$NGO" "" 200 | get objections.0.answer.text | sed 's/^/   public answer of the coalition: /'
api GET "/api/v1/accreditations/$NGO" "" 200 | get decision.reason | sed 's/^/   public reason of the decision: /'

step "France pledges, and withdraws a pledge with a public reason; anyone reads both"
P=/api/v1/states/FRA/pledges
PLEDGE=$(api POST "$P" "$FRANCE_TOKEN" 201 \
  '{"text":"France will never conduct or support ICT activity that damages critical infrastructure.","norms":["13f","13g"]}' | get id)
EARLIER=$(api POST "$P" "$FRANCE_TOKEN" 201 '{"text":"France will not target emergency response teams.","norms":["13k"]}' | get id)
api POST "/api/v1/pledges/$EARLIER/withdrawal" "$FRANCE_TOKEN" 422 '{}' | get error.code | sed 's/^/   refused as expected (no reason): /'
api POST "/api/v1/pledges/$EARLIER/withdrawal" "$FRANCE_TOKEN" 200 \
  '{"reason":"Superseded by the broader pledge on critical infrastructure."}' | get status | sed 's/^/   the earlier pledge is now: /'
api POST "$P" "$SECRETARIAT" 403 '{"text":"A pledge made for France by someone else.","norms":["13f"]}' \
  | get error.code | sed 's/^/   the secretariat may not pledge for France: /'
api POST "$P" "$GERMANY_TOKEN" 403 '{"text":"A pledge made for France by someone else.","norms":["13f"]}' \
  | get error.code | sed 's/^/   nor may Germany: /'
pages "$P" "" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    why = " (withdrawn: %s)" % p["withdrawal"]["reason"] if p["withdrawal"] else ""
    print("   %s %s norms %s%s" % (p["made_at"], p["status"], ",".join(p["norms"]), why))'
pages "$P?norm=13k" "" | python3 -c 'import json,sys; print("   pledges on norm 13k: %d" % len(json.load(sys.stdin)))'
pages "$P/audit" "" | python3 -c '
import json, sys, hashlib
prev = "0" * 64
entries = json.load(sys.stdin)
for e in entries:
    text = "\n".join([prev, str(e["seq"]), e["at"], e["kind"], e["actor"], e["payload_digest"]])
    assert hashlib.sha256(text.encode()).hexdigest() == e["hash"], "pledge chain broken at %d" % e["seq"]
    prev = e["hash"]
print("   the pledge chain of France: %d public entries, verified" % len(entries))'

step "The secretariat opens a cycle and a review of France"
T0=$(date +%s)
REPORT_DUE=$((T0 + 15)); WINDOW_CLOSES=$((T0 + 25)); COMPILATION_DUE=$((T0 + 30))
QUESTIONS_DUE=$((T0 + 40)); SESSION=$((T0 + 45))
CYCLE=$(api POST /api/v1/cycles "$SECRETARIAT" 201 "{\"name\":\"Walkthrough $T0\",\"starts_on\":\"$(date -u +%Y-01-01)\",
  \"pool\":[\"AUS\",\"CAN\",\"CHN\",\"DEU\",\"DNK\",\"EST\",\"FRA\",\"GBR\",\"IRN\",\"ISR\",\"JPN\",\"KOR\",\"NLD\",\"NOR\",\"PRK\",\"RUS\",\"USA\"]}" | get id)
REVIEW=$(api POST "/api/v1/cycles/$CYCLE/reviews" "$SECRETARIAT" 201 "{\"state\":\"FRA\",\"wg_session\":\"$(at $SESSION)\",
  \"deadlines\":{\"state_report\":\"$(at $REPORT_DUE)\",\"input_window\":\"$(at $WINDOW_CLOSES)\",
  \"compilation\":\"$(at $COMPILATION_DUE)\",\"advance_questions\":\"$(at $QUESTIONS_DUE)\"}}" | get id)
R="/api/v1/reviews/$REVIEW"
echo "   review $REVIEW, stage $(api GET "$R" "" 200 | get stage)"
# Germany is reviewed in the same cycle, on the same calendar; its report will come late.
GERMANY_REVIEW=$(api POST "/api/v1/cycles/$CYCLE/reviews" "$SECRETARIAT" 201 "{\"state\":\"DEU\",\"wg_session\":\"$(at $SESSION)\",
  \"deadlines\":{\"state_report\":\"$(at $REPORT_DUE)\",\"input_window\":\"$(at $WINDOW_CLOSES)\",
  \"compilation\":\"$(at $COMPILATION_DUE)\",\"advance_questions\":\"$(at $QUESTIONS_DUE)\"}}" | get id)
echo "   review $GERMANY_REVIEW of Germany"

step "Stage 1 — France drafts its report section by section, with a PDF annex, then submits it"
STATUS=$(curl -sS -o "$TMP/upload" -w '%{http_code}' -X POST -H "Authorization: Bearer $FRANCE_TOKEN" \
  -H 'Content-Type: application/pdf' --data-binary "@$FIXTURES/sample.pdf" "$BASE/api/v1/attachments?filename=annex.pdf")
[ "$STATUS" = 201 ] || { echo "   upload -> $STATUS" >&2; cat "$TMP/upload" >&2; exit 1; }
PDF=$(get sha256 <"$TMP/upload")
echo "   POST /api/v1/attachments -> 201, annex stored as $PDF"
STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $FRANCE_TOKEN" \
  -H 'Content-Type: application/pdf' --data-binary "<html>not a pdf</html>" "$BASE/api/v1/attachments")
[ "$STATUS" = 422 ] || { echo "   an HTML file was accepted as a PDF ($STATUS)" >&2; exit 1; }
echo "   an HTML file sent as a PDF is refused: 422"
api PUT "$R/report/draft" "$FRANCE_TOKEN" 200 "$(body report-partial)" >/dev/null
api POST "$R/report/submission" "$FRANCE_TOKEN" 422 | get error.code | sed 's/^/   refused as expected (11 norm sections missing): /'
api PUT "$R/report/draft" "$FRANCE_TOKEN" 200 "$(ATTACHMENT=$PDF body report)" | get report.draft.revision | sed 's/^/   draft revision: /'
api GET "$R/report" "" 404 >/dev/null
echo "   the public cannot read the draft"
api POST "$R/report/submission" "$FRANCE_TOKEN" 200 | get stage | sed 's/^/   now in stage: /'

step "Stage 2 — a joint input (the coalition leads, the lab co-signs) and a second input"
INPUT_ID=$(api POST "$R/inputs" "$NGO_TOKEN" 201 "$(body input)" | get created_input)
api POST "$R/inputs/$INPUT_ID/cosigners" "$NGO_TOKEN" 200 "{\"organisation\":\"$LAB\"}" >/dev/null
api POST "$R/inputs/$INPUT_ID/cosignature" "$LAB_TOKEN" 200 >/dev/null
api GET "$R/inputs/$INPUT_ID" "$LAB_TOKEN" 200 | get access | sed 's/^/   the co-signer reads the draft as: /'
api POST "$R/inputs/$INPUT_ID/filing" "$NGO_TOKEN" 200 >/dev/null
OTHER_INPUT=$(api POST "$R/inputs" "$LAB_TOKEN" 201 '{"text":"A short note outside the scope of the review.","norms":["13j"]}' | get created_input)
api POST "$R/inputs/$OTHER_INPUT/filing" "$LAB_TOKEN" 200 >/dev/null
api PUT "$R/inputs/$INPUT_ID" "$NGO_TOKEN" 409 "$(body input)" | get error.code | sed 's/^/   a filed input cannot be edited: /'
api POST "$R/input-window/close" "$SECRETARIAT" 422 | get error.code | sed 's/^/   refused as expected: /'
wait_until $((WINDOW_CLOSES + 1))
api POST "$R/input-window/close" "$SECRETARIAT" 200 | get stage | sed 's/^/   now in stage: /'

step "Late is better than never — Germany submits its report after the deadline"
api PUT "/api/v1/reviews/$GERMANY_REVIEW/report/draft" "$GERMANY_TOKEN" 200 "$(body report)" >/dev/null
api POST "/api/v1/reviews/$GERMANY_REVIEW/report/submission" "$GERMANY_TOKEN" 200 | python3 -c '
import json, sys
review = json.load(sys.stdin)
assert review["report"]["late"] is True, review["report"]
print("   accepted, marked late; the missed deadline stays on the record: %s" % review["report"]["missed_deadline"])'

step "Stage 3 — screening, a redaction, the engine's draft of the compilation, publication"
api POST "$R/inputs/$INPUT_ID/screening" "$SECRETARIAT" 200 '{"admitted":true}' >/dev/null
api POST "$R/inputs/$OTHER_INPUT/screening" "$SECRETARIAT" 200 '{"admitted":false,"reason":"Outside the scope of the review."}' >/dev/null
api POST "$R/redactions" "$SECRETARIAT" 200 '{"document":{"kind":"state_report"},"section":"13c","reason":"Names an official at risk."}' >/dev/null
PROPOSAL=$(api GET "$R/compilation/proposal" "$SECRETARIAT" 200 | get text)
echo "$PROPOSAL" | grep -q "$INPUT_ID" || { echo "the proposal does not cite the input" >&2; exit 1; }
echo "   the proposal cites input $INPUT_ID"
api PUT "$R/compilation/draft" "$SECRETARIAT" 200 \
  "$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1] + "\n\nEdited by the secretariat."}))' "$PROPOSAL")" >/dev/null
api POST "$R/compilation/publication" "$SECRETARIAT" 200 | get stage | sed 's/^/   now in stage: /'

step "Stage 4 — an advance question, the draw, the session and the working group's report"
api POST "$R/questions" "$GERMANY_TOKEN" 200 '{"text":"How does France authorise operations abroad?"}' >/dev/null
DRAWN=$(api POST "$R/working-group/draw" "$SECRETARIAT" 200)
MEMBERS=$(echo "$DRAWN" | python3 -c 'import json,sys; print(" ".join(s["state"] for s in json.load(sys.stdin)["working_group"]["members"]))')
echo "   drawn: $MEMBERS"
MEMBER_TOKENS=()
for member in $MEMBERS; do
  MEMBER_TOKENS+=("$(account "$(json role state state "$member" name "Delegate of $member" email "$member.$T0@delegation.example")")")
done
api POST "$R/questions/forwarding" "${MEMBER_TOKENS[0]}" 200 >/dev/null
api GET "$R/questions/1" "$FRANCE_TOKEN" 200 | get body.text | sed 's/^/   France received: /'
NOW=$(date +%s); START=$(( NOW + 2 > SESSION ? NOW + 2 : SESSION ))
api POST "$R/working-group/session" "$SECRETARIAT" 200 "{\"at\":\"$(at $START)\",\"format\":\"hybrid\",
  \"venue\":\"Palais des Nations, Room XXI\",\"remote_url\":\"https://meet.example/cpr-fra\",
  \"webcast_url\":\"https://webtv.example/cpr-fra-wg\"}" >/dev/null
api POST "$R/working-group/observers" "$LAB_TOKEN" 200 >/dev/null
api GET "$R" "" 200 | python3 -c '
import json, sys
wg = json.load(sys.stdin)["working_group"]
print("   session: %s at %s, webcast %s" % (wg["session"]["format"], wg["session"]["venue"], wg["session"]["webcast_url"]))
print("   public list of observers: %s" % [o["organisation"] for o in wg["observers"]])'
wait_until "$START"
api POST "$R/working-group/session/held" "$SECRETARIAT" 200 >/dev/null
api POST "$R/working-group/session/recording" "$SECRETARIAT" 200 '{"url":"https://webtv.example/cpr-fra-wg/recording"}' \
  | get working_group.recording_url | sed 's/^/   recording: /'
# shellcheck disable=SC2086
api PUT "$R/working-group/report" "${MEMBER_TOKENS[0]}" 422 "$(PLEDGE=$(python3 -c 'import uuid; print(uuid.uuid4())') body wg-report $MEMBERS)" \
  | get error.code | sed 's/^/   a report citing a pledge that does not exist is refused: /'
# shellcheck disable=SC2086
api PUT "$R/working-group/report" "${MEMBER_TOKENS[0]}" 200 "$(PLEDGE=$PLEDGE body wg-report $MEMBERS)" >/dev/null
for token in "${MEMBER_TOKENS[@]}"; do
  STAGE=$(api POST "$R/working-group/report/approval" "$token" 200 | get stage)
done
echo "   now in stage: $STAGE"

step "Stage 5 — France replies to the input and answers each recommendation"
api POST "$R/inputs/$INPUT_ID/reply" "$FRANCE_TOKEN" 200 '{"text":"France disputes the attribution in the input."}' >/dev/null
api PUT "$R/response/draft" "$FRANCE_TOKEN" 200 "$(body response)" >/dev/null
api POST "$R/response/submission" "$FRANCE_TOKEN" 200 | get stage | sed 's/^/   now in stage: /'

step "Stage 6 — speakers, the public session and the outcome"
OVERSIGHT=$(( $(date +%s) + 3 ))
api POST "$R/oversight/session" "$SECRETARIAT" 200 "{\"at\":\"$(at $OVERSIGHT)\",\"webcast_url\":\"https://webtv.example/cpr\"}" >/dev/null
api POST "$R/oversight/speakers/requests" "$GERMANY_TOKEN" 200 >/dev/null
api POST "$R/oversight/speakers/requests" "$NGO_TOKEN" 200 >/dev/null
api POST "$R/oversight/speakers/draw" "$SECRETARIAT" 200 | get oversight.speakers.order | sed 's/^/   speakers after France: /'
wait_until "$OVERSIGHT"
api POST "$R/oversight/statements" "$CHAIR_TOKEN" 200 \
  "{\"speaker\":{\"kind\":\"stakeholder\",\"organisation\":\"$NGO\"},\"summary\":\"The coalition asked for a remedy for victims.\"}" >/dev/null
api POST "$R/oversight/session/recording" "$SECRETARIAT" 200 '{"url":"https://webtv.example/cpr/recording"}' >/dev/null
api POST "$R/oversight/outcome" "$CHAIR_TOKEN" 200 '{"text":"The outcome of the review of France is adopted.",
  "consensus":true,"positions":[{"state":"DEU","kind":"dissociation","text":"Germany dissociates itself from paragraph 3."}]}' \
  | python3 -c '
import json, sys
review = json.load(sys.stdin)
adoption = review["oversight"]["adoption"]
print("   now in stage: %s, adopted by consensus: %s, positions: %s" % (review["stage"], adoption["consensus"],
      ["%s %s" % (p["state"], p["kind"]) for p in adoption["positions"]]))'

step "After conclusion — an erratum to the compilation, and progress on a recommendation"
api POST "$R/errata/compilation" "$SECRETARIAT" 200 \
  '{"reason":"A citation pointed to the wrong input.","body":{"text":"Corrected compilation of the inputs."}}' >/dev/null
api POST "$R/recommendations/1/updates" "$FRANCE_TOKEN" 201 '{"text":"The framework was published in March."}' >/dev/null

step "Anyone can read every document of the concluded review"
pages "$R/documents" "" | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    print("   %-52s %-9s %d version(s)" % (d["document"], d["status"], len(d["versions"])))'
api GET "$R/report" "" 200 | FIXTURES="$FIXTURES" python3 -c '
import json, os, sys
doc = json.load(sys.stdin)
body = doc["body"]
assert "confidential" not in body and "contact" not in body, "confidential parts leaked"
assert body["norms"]["13c"] == "[redacted]", "the redaction was not applied"
fixture = open(os.path.join(os.environ["FIXTURES"], "state-report.md"), encoding="utf-8").read()
for code, text in body["norms"].items():
    assert code == "13c" or text in fixture, "section %s differs from the fixture" % code
print("   state report: %d words, 11 norm sections match the fixture, 13c redacted: %s" % (doc["revision"]["words"], doc["redactions"][0]["reason"]))'
curl -fsS "$BASE$R/attachments/$PDF" -o "$TMP/annex.pdf"
cmp -s "$TMP/annex.pdf" "$FIXTURES/sample.pdf" || { echo "the PDF annex changed" >&2; exit 1; }
echo "   the report's PDF annex downloads unchanged"
api GET "$R/inputs/$INPUT_ID" "" 200 | FIXTURES="$FIXTURES" python3 -c '
import json, os, sys
doc = json.load(sys.stdin)
fixture = open(os.path.join(os.environ["FIXTURES"], "stakeholder-input.md"), encoding="utf-8").read()
assert doc["body"]["text"] == fixture, "the input differs from the fixture"
assert "contact" not in doc["body"] and "confidential" not in doc["body"]
print("   joint input: %d words, identical to the fixture" % doc["revision"]["words"])'
api GET "$R/inputs/$OTHER_INPUT" "" 200 | python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert doc["status"] == "listed" and doc["body"] is None
print("   not-admitted input: listed without its text")'
api GET "$R/inputs/$INPUT_ID/reply" "" 200 | get body.text | sed 's/^/   reply: /'
api GET "$R/compilation?revision=1" "" 200 | get revision.revision | sed 's/^/   compilation, original version: /'
api GET "$R/compilation" "" 200 | get revision.reason | sed 's/^/   compilation, erratum: /'
api GET "$R/questions/1" "" 200 | get body.text | sed 's/^/   advance question: /'
api GET "$R/working-group/report" "" 200 | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for n, r in enumerate(doc["body"]["recommendations"], 1):
    print("   recommendation %d (%s, norms %s): %s" % (n, r["proposed_by"], ",".join(r["norms"]), r["text"]))
assert [p["id"] for p in doc["cited_pledges"]] == doc["body"]["pledges"], "the cited pledge is not shown"
for p in doc["cited_pledges"]:
    print("   cites pledge %s of %s: %s" % (p["id"], p["state"], p["text"]))'
api GET "$R/response" "" 200 | python3 -c '
import json, sys
for a in json.load(sys.stdin)["body"]["answers"]:
    print("   answer to %d: %s" % (a["recommendation"], a["position"]))'
api GET "$R/oversight/statements/1" "" 200 | get body.text | sed 's/^/   statement: /'
api GET "$R/oversight/outcome" "" 200 | get body.text | sed 's/^/   outcome: /'
pages "/api/v1/recommendations?state=FRA&response=noted" "" | python3 -c '
import json, sys
print("   noted recommendations of France: %s" % [r["number"] for r in json.load(sys.stdin)])'
pages "/api/v1/documents?state=FRA&sector=healthcare" "" | python3 -c '
import json, sys
print("   published documents on healthcare: %s" % [d["kind"] for d in json.load(sys.stdin)])'

step "The cycle's yearly report (public)"
api GET "/api/v1/cycles/$CYCLE/report" "" 200 | python3 -c '
import json, sys
report = json.load(sys.stdin)
for review in report["reviews"]:
    deadlines = ", ".join("%s %s" % (d["kind"], d["status"]) for d in review["deadlines"])
    print("   %s (%s): %s" % (review["state"], review["stage"], deadlines))
    print("       inputs %d by kind %s; recommendations %d: %d supported, %d noted; %d implementation update(s)" % (
        review["inputs"]["total"], review["inputs"]["by_stakeholder_kind"], review["recommendations"]["total"],
        review["recommendations"]["supported"], review["recommendations"]["noted"], review["implementation_updates"]))
germany = next(r for r in report["reviews"] if r["state"] == "DEU")
assert any(d["kind"] == "state_report" and d["status"] == "late" for d in germany["deadlines"]), germany
france = next(r for r in report["reviews"] if r["state"] == "FRA")
assert france["inputs"]["total"] == 1 and france["recommendations"]["total"] == 3, france'

step "The audit chain verifies"
FINAL=$(api GET "$R" "" 200 | get stage)
pages "$R/audit" "" | python3 -c '
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

step "The mail the review caused (the secretariat's view of the outbox)"
for _ in $(seq 1 150); do
  queued=$(api GET "/api/v1/outbox?status=queued&review=$REVIEW&limit=1" "$SECRETARIAT" 200 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
  [ "$queued" = 0 ] && break
  sleep 0.2
done
pages "/api/v1/outbox?review=$REVIEW" "$SECRETARIAT" | python3 -c '
import json, sys
messages = sorted(json.load(sys.stdin), key=lambda m: (m["created_at"], m["kind"], m["recipient"]))
for m in messages:
    print("   %-6s %-28s %s" % (m["status"], m["kind"], m["recipient"]))
print("   %d messages, %d sent" % (len(messages), sum(m["status"] == "sent" for m in messages)))'
echo
echo "walkthrough complete: review $REVIEW is concluded"
