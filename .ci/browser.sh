#!/usr/bin/env bash
# The browser test of the public site: installs what is missing (Debian's chromium, the
# pinned playwright-core and axe-core of tests/browser), then runs the walkthrough
# against the binary and database given, and, against the server it leaves holding the
# whole concluded review of France, tests/browser/site.mjs (a real headless chromium
# through every page type, axe-core on each, in English and Arabic). Screenshots and the
# downloaded CSV are kept under target/artifacts/.
#
#   bash .ci/browser.sh target/release/cpr sqlite
#
# Without chromium the test is skipped with a warning, except in CI (CI=true), where a
# chromium that cannot be installed fails the run.
set -euo pipefail
binary=$1
database=${2:-sqlite}
cd "$(dirname "$0")/.."

chromium=${CPR_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] && [ "$(id -u)" = 0 ]; then
  # A fresh machine may have no package lists yet: refresh them if the first try fails.
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; } \
    || true
fi
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = true ]; then
    echo "CI needs Debian's chromium for the browser test and could not install it" >&2
    exit 1
  fi
  echo "WARNING: no chromium at $chromium: the browser test is NOT done" >&2
  exit 0
fi

# Fonts for the screenshots' Chinese and Arabic (the pages do not depend on them: without,
# the screenshots show boxes where the autonyms are); not fatal.
if ! fc-list 2>/dev/null | grep -qi "CJK" && [ "$(id -u)" = 0 ]; then
  apt-get install -y --no-install-recommends fonts-noto-cjk fonts-noto-core >/dev/null 2>&1 || true
fi

# The pinned versions of package-lock.json; playwright-core never downloads a browser
# (it drives the chromium above), so nothing but the npm registry is needed.
if ! (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error); then
  echo "npm ci in tests/browser failed" >&2
  exit 1
fi

mkdir -p target/artifacts/screenshots
rm -f target/artifacts/screenshots/*.png
export CPR_CHROMIUM="$chromium"
CPR_AFTER_WALKTHROUGH="node tests/browser/site.mjs" \
  bash .ci/walkthrough-against-server.sh "$binary" "$database"
