#!/usr/bin/env bash
# Runs the standalone verifier (docs/verify/verify.py, which shares no code with cpr)
# against a running server, twice: the first run checks the whole public record and
# keeps the checkpoint it verified in a state file; the second run, with that state
# file, also proves that the log it sees then extends the one it saw first.
#
#   CPR_BASE_URL          the server (set by .ci/walkthrough-against-server.sh for the
#                         command in CPR_AFTER_WALKTHROUGH)
#   CPR_VERIFIER_KEY      the log's verifier key line (origin+keyid+base64), or
#   CPR_VERIFIER_KEY_FILE a file holding it (e.g. what `cpr log keygen` printed)
#   CPR_VERIFY_ARGS       more arguments for verify.py (e.g. --quiet)
#
# The key is never taken from the server: a verifier that trusts the server's own key
# proves nothing. Exit code: verify.py's (0 verified, 1 a check failed, 2 usage/network).
#
# Hooked into the walkthrough with
#   CPR_AFTER_WALKTHROUGH='bash .ci/verify-against-server.sh' \
#     bash .ci/walkthrough-against-server.sh target/release/cpr sqlite
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
: "${CPR_BASE_URL:?CPR_BASE_URL must name the server, e.g. http://127.0.0.1:8080}"

key_args=()
if [ -n "${CPR_VERIFIER_KEY:-}" ]; then
  key_args=(--key "$CPR_VERIFIER_KEY")
elif [ -n "${CPR_VERIFIER_KEY_FILE:-}" ]; then
  [ -r "$CPR_VERIFIER_KEY_FILE" ] || { echo "CPR_VERIFIER_KEY_FILE=$CPR_VERIFIER_KEY_FILE cannot be read" >&2; exit 2; }
  key_args=(--key-file "$CPR_VERIFIER_KEY_FILE")
else
  echo "verify-against-server: set CPR_VERIFIER_KEY (the log's verifier key line) or" >&2
  echo "CPR_VERIFIER_KEY_FILE (a file holding it): the verifier never trusts the key the server serves" >&2
  exit 2
fi

# The transparency log must be there: without it the record cannot be pinned, and the
# verifier's log checks fail (this says so before the long run does).
for path in /api/v1/log/key /api/v1/log/checkpoint /api/v1/log/checkpoints "/api/v1/log/leaves?start=0&end=1"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$CPR_BASE_URL$path" || echo 000)
  if [ "$code" != 200 ]; then
    echo "verify-against-server: GET $path answers HTTP $code: the transparency log's endpoints are missing;" >&2
    echo "the log checks below will fail" >&2
  fi
done

python3 -c 'import cryptography' 2>/dev/null || {
  echo "verify-against-server: the Python package cryptography is needed (pip install cryptography," >&2
  echo "or apt-get install python3-cryptography)" >&2
  exit 2
}

state=$(mktemp -d)/cpr-verify-state.json
trap 'rm -rf "$(dirname "$state")"' EXIT
# shellcheck disable=SC2086
extra=(${CPR_VERIFY_ARGS:-})

echo "## verify.py, first run (keeps the checkpoint it verified)"
python3 "$root/docs/verify/verify.py" --base-url "$CPR_BASE_URL" "${key_args[@]}" \
  --state "$state" --all-proofs "${extra[@]}"
[ -s "$state" ] || { echo "verify-against-server: the first run kept no checkpoint" >&2; exit 1; }

echo
echo "## verify.py, second run (today's log must extend the checkpoint kept by the first)"
python3 "$root/docs/verify/verify.py" --base-url "$CPR_BASE_URL" "${key_args[@]}" \
  --state "$state" "${extra[@]}"
