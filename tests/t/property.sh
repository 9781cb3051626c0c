#!/usr/bin/env bash
# Property tests (tests/property/*.sql) on many seeded random datasets: one-step =
# rollup of random partitions in random order = forced-parallel plan = plain SQL.
# Each file stops at the first dataset where a property fails and says which.
# PROPERTY_DATASETS datasets (default 60) from PROPERTY_SEED (default 0.25).
. "$(dirname "$0")/lib.sh"
fresh_db --bare
datasets=${PROPERTY_DATASETS:-60}
for f in "$top"/tests/property/*.sql; do
	ok "$(basename "$f"): the properties hold on $datasets datasets" \
		q -v datasets="$datasets" -v seed="${PROPERTY_SEED:-0.25}" -f "$f"
	q -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public"
done
done_testing
