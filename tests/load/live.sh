#!/usr/bin/env bash
# Concurrent writers on tickets while dashboards read live_kpis, the summary table
# the trigger recipe (tests/demo/21-live-kpis.sql, docs/cookbook.md section 11) keeps
# exact.  Part of `make load` (tests/load/load.sh runs it with 8 writers for 60 s);
# `make test` runs a short version (tests/t/incremental_load.sh: 4 writers, 10 s).
#
# LIVE_DB (default kpi_live_load): a fresh database with LIVE_SCALE demo tickets
# (default 20000) and the recipe, unless LIVE_REUSE=1 (then the database must hold
# the demo data: load.sh passes its own).  For LIVE_SECONDS (default 60) at once:
#   writers (LIVE_WRITERS, default 8): pgbench on live_insert.sql, live_move.sql
#            (a ticket moves to another team and day), live_score.sql and
#            live_delete.sql, each a single-statement transaction on the last week,
#            so that the writers contend for the same groups;
#   readers (LIVE_READERS, default 1): live_dashboard.sql on live_kpis.
# Pass: every pgbench exits 0 with no failed transaction and no deadlock; no ERROR in
# the server log written meanwhile (KPI_SERVER_LOG, when readable); and afterwards
# live_kpis equals a fresh GROUP BY, summary by summary (tests/load/live_compare.sql),
# with every inserted ticket counted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../demo/lib.sh"
cd "$kpi_top"

db=${LIVE_DB:-kpi_live_load}
scale=${LIVE_SCALE:-20000}
seconds=${LIVE_SECONDS:-60}
writers=${LIVE_WRITERS:-8}
readers=${LIVE_READERS:-1}
out="$kpi_top/log/live"
export PGTZ=UTC
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

rm -rf "$out"
mkdir -p "$out"
failures=()
fail() { failures+=("$*"); printf 'FAIL: %s\n' "$*"; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

if [ "${LIVE_REUSE:-0}" != 1 ]; then
	kpi_say "live: fresh database $db with $scale demo tickets"
	psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
		-c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" || exit 1
	kpi_psql "$db" -c "CREATE EXTENSION kpi_ext" || exit 1
	kpi_generate "$db" "$scale" || exit 1
fi
kpi_psql "$db" -f tests/demo/21-live-kpis.sql || exit 1
kpi_psql "$db" -c "DROP SEQUENCE IF EXISTS live_ticket_id" -c "CREATE SEQUENCE live_ticket_id" \
	-c "SELECT setval('live_ticket_id', (SELECT max(id) + 1000000 FROM tickets))" >/dev/null || exit 1
initial_id=$(q -c "SELECT last_value FROM live_ticket_id")
log=${KPI_SERVER_LOG:-}
log_offset=0
if [ -n "$log" ] && [ -r "$log" ]; then
	log_offset=$(stat -c %s "$log")
else
	log=
fi

kpi_say "live: $seconds s, $writers writers (insert, move, score, delete) + $readers dashboard reader(s)"
cd tests/load
pgbench -n -c "$writers" -j "$writers" -T "$seconds" -P 10 --failures-detailed \
	-f live_insert.sql@4 -f live_move.sql@3 -f live_score.sql@2 -f live_delete.sql@1 \
	"$db" >"$out/writers.log" 2>&1 &
pid_writers=$!
pgbench -n -M prepared -c "$readers" -j "$readers" -T "$seconds" -f live_dashboard.sql \
	"$db" >"$out/readers.log" 2>&1 &
pid_readers=$!
cd "$kpi_top"
status_writers=0 status_readers=0
wait "$pid_writers" || status_writers=$?
wait "$pid_readers" || status_readers=$?

printf '\n%-8s %8s %12s %8s %9s %9s  %s\n' role clients transactions failed deadlocks tps status
for role in writers readers; do
	f="$out/$role.log"
	case $role in
	writers) st=$status_writers c=$writers ;;
	readers) st=$status_readers c=$readers ;;
	esac
	n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$f" | head -n 1)
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$f" | head -n 1)
	deadlocks=$(sed -n 's/^number of deadlock failures: \([0-9]*\).*/\1/p' "$f" | head -n 1)
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$f" | head -n 1)
	printf '%-8s %8s %12s %8s %9s %9s  %s\n' "$role" "$c" "${n:-?}" "${failed:-?}" "${deadlocks:-0}" "${tps:-?}" "exit $st"
	[ "$st" -eq 0 ] || fail "$role: pgbench exited with $st (log/live/$role.log)"
	[ "${failed:-x}" = 0 ] || fail "$role: ${failed:-unknown} failed transactions"
	[ "${deadlocks:-0}" = 0 ] || fail "$role: $deadlocks deadlocks"
	[ "${n:-0}" -gt 0 ] || fail "$role: no transaction completed"
	if grep -qiE 'aborted|error' "$f"; then
		fail "$role: errors in the pgbench output:"
		grep -iE 'aborted|error' "$f" | head -n 5 | sed 's/^/    /'
	fi
done

if [ -n "$log" ]; then
	tail -c +"$((log_offset + 1))" "$log" >"$out/server.log"
	errors=$(grep -cE '(ERROR|FATAL|PANIC):' "$out/server.log" || true)
	echo "server log during the run: ${errors:-0} ERROR/FATAL/PANIC lines"
	if [ "${errors:-0}" -gt 0 ]; then
		fail "server log: $errors ERROR/FATAL/PANIC lines (log/live/server.log)"
		grep -E '(ERROR|FATAL|PANIC):' "$out/server.log" | head -n 5 | sed 's/^/    /'
	fi
else
	echo "(no server log given (KPI_SERVER_LOG): not checked)"
fi

# afterwards, in quiet: the table equals a fresh GROUP BY, nothing lost
inserted=$(( $(q -c "SELECT last_value FROM live_ticket_id") - initial_id ))
result=$(q -F ' ' -f tests/load/live_compare.sql) || { fail "the comparison failed"; result=; }
read -r groups missing left_over rest <<<"$result"
echo
echo "afterwards: $inserted tickets inserted; $groups groups in live_kpis and the fresh GROUP BY"
bad=$(awk '{ s = 0; for (i = 2; i <= NF; i++) s += $i; print s }' <<<"$result")
if [ "${bad:-1}" != 0 ]; then
	fail "live_kpis differs from a fresh GROUP BY: missing, left over, then per column: ${result#* }"
else
	echo "  ok    live_kpis equals a fresh GROUP BY, summary by summary"
fi
counted=$(q -c "SELECT (SELECT sum(tickets) FROM live_kpis) = (SELECT count(*) FROM tickets)
	AND (SELECT count(*) FROM tickets WHERE id > $initial_id) > 0")
if [ "$counted" != t ]; then
	fail "the tickets counted in live_kpis are not the tickets in the table (or none was inserted)"
else
	echo "  ok    every ticket is counted once"
fi

echo
if [ ${#failures[@]} -eq 0 ]; then
	echo "live: PASS (logs in log/live/)"
	exit 0
fi
echo "live: FAILED (${#failures[@]} problem(s), logs in log/live/):"
printf '  %s\n' "${failures[@]}"
exit 1
