#!/usr/bin/env bash
# The fault tests (issue 13), short CI variant: cpr serve killed -9 under load (10
# kills), cpr worker killed -9 under load (10 kills), each on SQLite and on PostgreSQL;
# a throwaway PostgreSQL stopped under load; three instances started together on one
# empty PostgreSQL database; and the public reads served from a streaming standby of a
# throwaway cluster (and from the primary while it is stopped).
#   .ci/faults.sh BINARY_DIR [PG_URL]
# BINARY_DIR holds the release `cpr` and `cpr-bench` (built together:
# cargo build --release -p cpr-server -p cpr-bench). PG_URL is an admin URL of a
# PostgreSQL server (default: what .ci/postgres.sh finds). Prints every figure, writes
# them to target/artifacts/faults/faults.json, and exits 1 when an invariant breaks.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(cd "${1:?usage: .ci/faults.sh BINARY_DIR [PG_URL]}" && pwd)"
pg="${2:-$(bash "$here/.ci/postgres.sh")}"
# The outage scenario needs PostgreSQL's own programs for a throwaway cluster.
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
artifacts="$here/target/artifacts/faults"
mkdir -p "$artifacts"

"$bin/cpr-bench" faults all --short --crash-postgres \
  --binary "$bin/cpr" \
  --postgres "$pg" \
  --pg-bin "${pg_bin:-/usr/lib/postgresql/15/bin}" \
  --json "$artifacts/faults.json" 2> >(tee "$artifacts/progress.log" >&2)
