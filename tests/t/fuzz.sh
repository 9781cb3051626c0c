#!/usr/bin/env bash
# Fuzzing of every type's text and binary input (tests/fuzz/fuzz.sql): a short run in
# `make test`, FUZZ_ITERATIONS (per type and path) more with `make fuzz`.  The server
# must survive: a crash restarts the postmaster, which this check notices.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_fuzz
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null' EXIT
started=$(psql -X -qAt -d postgres -c "SELECT pg_postmaster_start_time()")
# in rounds of at most 1000 iterations per type and path, each in its own session with
# its own seed: every binary payload takes a large-object lock until the end of the
# transaction, and one transaction of 20000 would run out of lock memory
total=${FUZZ_ITERATIONS:-1000}
round=0
while [ "$total" -gt 0 ]; do
	n=$((total < 1000 ? total : 1000))
	seed=$(awk -v s="${FUZZ_SEED:-0.5}" -v r=$round 'BEGIN { x = s + r * 0.0618034; printf "%.7f", x - int(x) }')
	psql -X -q -d "$db" -v iterations="$n" -v seed="$seed" -f "$top/tests/fuzz/fuzz.sql"
	total=$((total - n))
	round=$((round + 1))
done
now=$(psql -X -qAt -d postgres -c "SELECT pg_postmaster_start_time()")
if [ "$started" != "$now" ]; then
	echo "the server restarted during fuzzing: a crash"; exit 1
fi
