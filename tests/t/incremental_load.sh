#!/usr/bin/env bash
# The short version of the concurrency check of the trigger recipe (tests/load/live.sh;
# `make load` runs it with 8 writers for 60 s): 4 pgbench writers inserting, moving (to
# another team and day), scoring and deleting tickets for 10 s while a dashboard reads
# live_kpis: no failed transaction, no deadlock, no ERROR in the server log, and live_kpis
# equal to a fresh GROUP BY afterwards with every ticket counted (LIVE_SECONDS, LIVE_WRITERS,
# LIVE_SCALE).
. "$(dirname "$0")/lib.sh"
. "$top/tests/demo/lib.sh"
export PGTZ=UTC
fresh_db
writers=${LIVE_WRITERS:-4}
kpi_generate "$db" "${LIVE_SCALE:-20000}" >/dev/null
# the server's log, beside its data directory in the harness's cluster (when readable)
log="$(dirname "$(q -c "SELECT current_setting('data_directory')")")/log/server.log"
[ -r "$log" ] || log=
status=0
LIVE_REUSE=1 LIVE_DB=$db LIVE_SECONDS=${LIVE_SECONDS:-10} LIVE_WRITERS=$writers LIVE_READERS=1 \
	KPI_SERVER_LOG=$log bash "$top/tests/load/live.sh" >"$work/live.out" 2>&1 || status=$?
out=$(cat "$work/live.out")
like "$out" "^writers +$writers +[1-9][0-9]* +0 +0 " "$writers writers for ${LIVE_SECONDS:-10} s: transactions done, none failed, no deadlock"
like "$out" '^readers +1 +[1-9][0-9]* +0 ' "the dashboard reader: transactions done, none failed"
if [ -n "$log" ]; then
	like "$out" '^server log during the run: 0 ERROR' "no ERROR, FATAL or PANIC in the server log during the run"
else
	skip "no ERROR, FATAL or PANIC in the server log during the run" "the server log is not readable here"
fi
like "$out" '^  ok +live_kpis equals a fresh GROUP BY' "afterwards live_kpis equals a fresh GROUP BY, summary by summary"
like "$out" '^  ok +every ticket is counted once' "afterwards every ticket is counted once"
is "$status" 0 "tests/load/live.sh passes"
[ "$status" = 0 ] || diag "$out"
done_testing
