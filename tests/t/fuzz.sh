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
psql -X -q -d "$db" -v iterations="${FUZZ_ITERATIONS:-1000}" -v seed="${FUZZ_SEED:-0.5}" -f "$top/tests/fuzz/fuzz.sql"
now=$(psql -X -qAt -d postgres -c "SELECT pg_postmaster_start_time()")
if [ "$started" != "$now" ]; then
	echo "the server restarted during fuzzing: a crash"; exit 1
fi
