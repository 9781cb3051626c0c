#!/usr/bin/env bash
# The kpi_ext demo: a helpdesk data set in database kpi_demo, daily summary
# materialized views and the dashboards printed from them.
#
# Runs every tests/demo/NN-*.sql in order with psql (feature sections add
# their own file).  10-generate.sql runs only when kpi_demo does not already
# hold a complete data set of DEMO_SCALE tickets (default 250000).
# Expects the PG* connection settings in the environment (make demo sets them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$kpi_top"

db=${DEMO_DB:-kpi_demo}
scale=${DEMO_SCALE:-250000}
export PGTZ=UTC
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

kpi_ensure_db "$db"
kpi_ensure_extension "$db"

for f in tests/demo/[0-9][0-9]-*.sql; do
	name=$(basename "$f")
	if [ "$name" = 10-generate.sql ]; then
		if kpi_data_ready "$db" "$scale"; then
			kpi_say "reusing the demo data in $db ($scale tickets)"
		else
			kpi_say "generating the demo data: $scale tickets (DEMO_SCALE) in $db"
			kpi_generate "$db" "$scale"
		fi
		continue
	fi
	t0=$EPOCHREALTIME
	kpi_psql "$db" -f "$f"
	kpi_say "$name: $(kpi_seconds "$t0" "$EPOCHREALTIME") s"
done
