#!/usr/bin/env bash
# Property tests (tests/property/*.sql) on many seeded random datasets: one-step =
# rollup of random partitions in random order = forced-parallel plan = plain SQL.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_property
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null' EXIT
for f in "$top"/tests/property/*.sql; do
	echo "== $(basename "$f")"
	psql -X -q -d "$db" -v datasets="${PROPERTY_DATASETS:-60}" -v seed="${PROPERTY_SEED:-0.25}" -f "$f"
	psql -X -q -d "$db" -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" 2>/dev/null
done
