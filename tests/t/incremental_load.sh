#!/usr/bin/env bash
# The short version of the concurrency check of the trigger recipe (tests/load/live.sh;
# `make load` runs it with 8 writers for 60 s): 4 writers inserting, moving, scoring and
# deleting tickets for 10 s while a dashboard reads live_kpis; no error, no deadlock, and
# live_kpis equals a fresh GROUP BY afterwards.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/tmp_cluster/log/server.log
status=0
LIVE_DB=kpi_live_check_load LIVE_SCALE=${LIVE_SCALE:-20000} LIVE_SECONDS=${LIVE_SECONDS:-10} \
	LIVE_WRITERS=${LIVE_WRITERS:-4} LIVE_READERS=1 KPI_SERVER_LOG=${KPI_SERVER_LOG:-$([ -r "$log" ] && echo "$log")} \
	bash "$top/tests/load/live.sh" || status=$?
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS kpi_live_check_load" 2>/dev/null || true
exit $status
