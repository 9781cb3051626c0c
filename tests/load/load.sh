#!/usr/bin/env bash
# make load: kpi_ext under concurrent load (not part of make test: it runs 60+ s).
# Two phases: the dashboards' load below, then the incremental summary table under
# 8 concurrent writers (tests/load/live.sh, on the same database).
#
# A fresh database (LOAD_DB, default kpi_load) with the demo data at LOAD_SCALE
# tickets (default 200000; tests/demo/10-generate.sql), its daily summaries
# (tests/demo/20-summary.sql) and tests/load/setup.sql.  Then, for LOAD_SECONDS
# (default 60), three pgbench processes at once, 8 clients in all:
#   readers   (LOAD_READERS, 5): dashboard.sql, median.sql, sketch.sql, rolling.sql
#             and rollup.sql, weighted, prepared statements
#   writers   (LOAD_WRITERS, 2): insert.sql, 1-10 new tickets per transaction,
#             LOAD_WRITE_RATE (default 50) transactions per second in all
#   refresher (1): REFRESH MATERIALIZED VIEW CONCURRENTLY daily_kpis, daily_durations
# while the anonymous memory (RssAnon: the private memory, not shared buffers)
# of the server's client backends and postmaster is sampled from /proc every
# LOAD_SAMPLE seconds (default 3).
#
# Pass: every pgbench exits 0 with no failed or aborted transaction; no ERROR,
# FATAL or PANIC line in the server log written during the run (KPI_SERVER_LOG,
# set by the harness); the postmaster did not restart; the backends' memory in
# the last sample is at most 50% (and 32 MB) above the sample in the middle of
# the run; and after the load, in quiet (tests/load/check.sql): the views
# refreshed concurrently equal their queries recomputed, the dashboard rolled
# up from daily_kpis equals the one-step aggregates over the raw rows, sketch
# percentiles merged from daily sketches equal the one-step ones, exact
# medians equal percentile_cont, and no inserted ticket is missing.
#
# Expects the PG* connection settings in the environment (make load sets them).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../demo/lib.sh"
cd "$kpi_top"

db=${LOAD_DB:-kpi_load}
scale=${LOAD_SCALE:-200000}
seconds=${LOAD_SECONDS:-60}
readers=${LOAD_READERS:-5}
writers=${LOAD_WRITERS:-2}
sample_every=${LOAD_SAMPLE:-3}
write_rate=${LOAD_WRITE_RATE:-50}
out="$kpi_top/log/load"
export PGTZ=UTC
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

rm -rf "$out"
mkdir -p "$out"
failures=()
fail() { failures+=("$*"); printf 'FAIL: %s\n' "$*"; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# --- the database ------------------------------------------------------------
kpi_say "load: fresh database $db with $scale demo tickets"
psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
	-c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" || exit 1
kpi_psql "$db" -c "CREATE EXTENSION kpi_ext" || exit 1
kpi_generate "$db" "$scale" || exit 1
kpi_psql "$db" -f tests/demo/20-summary.sql || exit 1
kpi_psql "$db" -f tests/load/setup.sql >/dev/null || exit 1
initial_tickets=$(q -c "SELECT count(*) FROM tickets")
initial_id=$(q -c "SELECT last_value FROM load_ticket_id")
started=$(q -c "SELECT pg_postmaster_start_time()")
# the postmaster: the first line of postmaster.pid (readable when the server runs here)
postmaster=$(head -n 1 "$(q -c "SELECT current_setting('data_directory')")/postmaster.pid" 2>/dev/null || true)
log=${KPI_SERVER_LOG:-}
log_offset=0
if [ -n "$log" ] && [ -r "$log" ]; then
	log_offset=$(stat -c %s "$log")
else
	log=
fi

# --- memory sampler ---------------------------------------------------------------
# one line per sample: seconds since the start, RssAnon of the client backends
# of $db in kB (sum, largest), how many, and the postmaster's RssAnon in kB
sample_memory() {
	local t0=$SECONDS pids p sum max n kb pm
	while :; do
		pids=$(q -c "SELECT pid FROM pg_stat_activity WHERE datname = '$db'
			AND backend_type = 'client backend' AND pid <> pg_backend_pid()" 2>/dev/null)
		sum=0 max=0 n=0
		for p in $pids; do
			kb=$(awk '/^RssAnon:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || continue
			[ -n "$kb" ] || continue
			sum=$((sum + kb)) n=$((n + 1))
			[ "$kb" -gt "$max" ] && max=$kb
		done
		pm=$(awk '/^RssAnon:/ { print $2 }' "/proc/$postmaster/status" 2>/dev/null || echo 0)
		echo "$((SECONDS - t0)) $sum $max $n ${pm:-0}"
		sleep "$sample_every"
	done
}

# --- the load ----------------------------------------------------------------------
kpi_say "load: $seconds s, $readers readers + $writers writers + 1 refresher (pgbench)"
cd tests/load
pgbench -n -M prepared -c "$readers" -j "$readers" -T "$seconds" -P 10 \
	-f dashboard.sql@4 -f rolling.sql@3 -f rollup.sql@2 -f sketch.sql@2 -f median.sql@1 \
	"$db" >"$out/readers.log" 2>&1 &
pid_readers=$!
pgbench -n -c "$writers" -j "$writers" -T "$seconds" -R "$write_rate" -f insert.sql \
	"$db" >"$out/writers.log" 2>&1 &
pid_writers=$!
pgbench -n -c 1 -j 1 -T "$seconds" -f refresh.sql \
	"$db" >"$out/refresher.log" 2>&1 &
pid_refresher=$!
cd "$kpi_top"
sleep 1
if [ -n "$postmaster" ] && [ -r "/proc/$postmaster/status" ]; then
	sample_memory >"$out/memory.txt" &
	pid_sampler=$!
else
	pid_sampler=
	echo "(the server's /proc is not readable here: memory is not sampled)"
fi
status_readers=0 status_writers=0 status_refresher=0
wait "$pid_readers" || status_readers=$?
wait "$pid_writers" || status_writers=$?
wait "$pid_refresher" || status_refresher=$?
[ -z "$pid_sampler" ] || { kill "$pid_sampler" 2>/dev/null; wait "$pid_sampler" 2>/dev/null; }

# --- verdicts -------------------------------------------------------------------------
printf '\n%-10s %8s %12s %8s %9s  %s\n' role clients transactions failed tps status
for role in readers writers refresher; do
	f="$out/$role.log"
	case $role in
	readers) st=$status_readers c=$readers ;;
	writers) st=$status_writers c=$writers ;;
	refresher) st=$status_refresher c=1 ;;
	esac
	n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$f" | head -n 1)
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$f" | head -n 1)
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$f" | head -n 1)
	printf '%-10s %8s %12s %8s %9s  %s\n' "$role" "$c" "${n:-?}" "${failed:-?}" "${tps:-?}" "exit $st"
	[ "$st" -eq 0 ] || fail "$role: pgbench exited with $st (log/load/$role.log)"
	[ "${failed:-x}" = 0 ] || fail "$role: ${failed:-unknown} failed transactions"
	[ "${n:-0}" -gt 0 ] || fail "$role: no transaction completed"
	if grep -qiE 'aborted|error' "$f"; then
		fail "$role: errors in the pgbench output:"
		grep -iE 'aborted|error' "$f" | head -n 5 | sed 's/^/    /'
	fi
done
echo
grep -A8 '^SQL script' "$out/readers.log" | grep -E '^SQL script|tps|failed' | sed 's/^/  /' || true

if [ -n "$log" ]; then
	tail -c +"$((log_offset + 1))" "$log" >"$out/server.log"
	errors=$(grep -cE '(ERROR|FATAL|PANIC):' "$out/server.log" || true)
	echo
	echo "server log during the load: ${errors:-0} ERROR/FATAL/PANIC lines ($(wc -l <"$out/server.log") lines in all)"
	if [ "${errors:-0}" -gt 0 ]; then
		fail "server log: $errors ERROR/FATAL/PANIC lines (log/load/server.log)"
		grep -E '(ERROR|FATAL|PANIC):' "$out/server.log" | head -n 5 | sed 's/^/    /'
	fi
else
	echo "(no server log given (KPI_SERVER_LOG): not checked)"
fi
if [ "$(q -c 'SELECT pg_postmaster_start_time()')" != "$started" ]; then
	fail "the server restarted during the load (a backend crashed)"
fi

if [ -n "$pid_sampler" ] && [ -s "$out/memory.txt" ]; then
	# first, middle, last and largest total, and the largest single backend
	# only the samples that saw every client (not those of the start and the end)
	read -r samples first mid last top topone pm_first pm_last < <(awk -v clients=$((readers + writers + 1)) '
		$4 == clients { t[++n] = $2; one = ($3 > one ? $3 : one); pm[n] = $5; top = ($2 > top ? $2 : top) }
		END { if (n == 0) print 0, 0, 0, 0, 0, 0, 0, 0;
			  else print n, t[1], t[int((n + 1) / 2)], t[n], top, one, pm[1], pm[n] }' "$out/memory.txt")
	echo
	echo "memory (RssAnon of the $((readers + writers + 1)) client backends, $samples samples every $sample_every s):"
	awk -v a="$first" -v m="$mid" -v l="$last" -v t="$top" -v o="$topone" -v p1="$pm_first" -v p2="$pm_last" 'BEGIN {
		printf "  total: first %.1f MB, middle %.1f MB, last %.1f MB, max %.1f MB; largest backend %.1f MB\n",
			a / 1024, m / 1024, l / 1024, t / 1024, o / 1024
		printf "  postmaster: first %.1f MB, last %.1f MB\n", p1 / 1024, p2 / 1024 }'
	if [ "$samples" -lt 4 ]; then
		fail "memory: only $samples samples"
	elif [ "$last" -gt $((mid * 3 / 2)) ] && [ "$last" -gt $((mid + 32768)) ]; then
		fail "memory: the backends grew from $((mid / 1024)) MB to $((last / 1024)) MB over the second half"
	elif [ "$pm_last" -gt $((pm_first * 3 / 2)) ] && [ "$pm_last" -gt $((pm_first + 32768)) ]; then
		fail "memory: the postmaster grew from $((pm_first / 1024)) MB to $((pm_last / 1024)) MB"
	fi
fi

# --- the quiet re-run ----------------------------------------------------------------------
inserted=$(( $(q -c "SELECT last_value FROM load_ticket_id") - initial_id ))
expected=$((initial_tickets + inserted))
echo
echo "quiet re-run ($initial_tickets tickets + $inserted inserted during the load):"
if ! psql -X -qAt -F '|' -v ON_ERROR_STOP=1 -v expected_tickets="$expected" -d "$db" \
	-f tests/load/check.sql >"$out/check.txt" 2>&1; then
	cat "$out/check.txt"
	fail "the quiet re-run failed"
fi
while IFS='|' read -r name bad; do
	[ -n "$name" ] || continue
	if [ "$bad" = 0 ]; then
		printf '  ok    %s\n' "$name"
	else
		printf '  FAIL  %s: %s rows differ\n' "$name" "$bad"
		fail "quiet re-run: $name ($bad)"
	fi
done <"$out/check.txt"

# --- the summary table kept by triggers, under concurrent writers ----------------------------
echo
LIVE_REUSE=1 LIVE_DB=$db LIVE_SECONDS=$seconds LIVE_WRITERS=${LIVE_WRITERS:-8} \
	LIVE_READERS=${LIVE_READERS:-1} KPI_SERVER_LOG=${KPI_SERVER_LOG:-} bash "$kpi_top/tests/load/live.sh" ||
	fail "the incremental summary table under concurrent writers (tests/load/live.sh, log/live/)"

echo
if [ ${#failures[@]} -eq 0 ]; then
	echo "load: PASS (logs in log/load/)"
	exit 0
fi
echo "load: FAILED (${#failures[@]} problem(s), logs in log/load/):"
printf '  %s\n' "${failures[@]}"
exit 1
