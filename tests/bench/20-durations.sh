# shellcheck shell=bash
# Durations, exact (src/percentile.c): median(), percentile(), median_resolution()
# and handle_time_percentile() against PostgreSQL's percentile_cont, on the
# tickets table.  Sourced by tests/bench/bench.sh, which provides bench_compare
# and bench_psql.  Each comparison also checks that both queries give the same
# result; the ceiling rows show how much faster than percentile_cont a query
# doing no work at all on the same rows (count) is.

bench_exact_pair() {
	# name, target, candidate SQL, baseline SQL: the row's name says whether the
	# two queries gave the same result (same text)
	local ours theirs verdict
	ours=$(bench_psql -c "$3" 2>&1) || true
	theirs=$(bench_psql -c "$4" 2>&1) || true
	if [ "$ours" = "$theirs" ]; then
		verdict="identical result"
	else
		verdict="RESULTS DIFFER"
		bench_failed=1
		printf 'bench: %s: exact %s, percentile_cont %s\n' "$1" "$ours" "$theirs" >&2
	fi
	bench_compare "$1 ($verdict)" "$2" "$3" "$4"
}

bench_exact_pair "median(interval) exact: resolution time" "≥ 5× faster" \
	"SELECT median(resolved_at - opened_at) FROM tickets" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - opened_at) FROM tickets"

bench_exact_pair "median_resolution(opened, resolved) exact" "≥ 5× faster" \
	"SELECT median_resolution(opened_at, resolved_at) FROM tickets" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - opened_at) FROM tickets"

bench_exact_pair "median(interval) exact: talk time" "≥ 5× faster" \
	"SELECT median(talk_time) FROM tickets" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY talk_time) FROM tickets"

bench_exact_pair "median(double precision) exact: talk seconds" "faster" \
	"SELECT median(date_part('epoch', talk_time)) FROM tickets" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', talk_time)) FROM tickets"

bench_exact_pair "p90 handle time per team (exact)" "faster" \
	"SELECT team, handle_time_percentile(talk_time + hold_time + wrap_time, 0.9) FROM tickets GROUP BY team ORDER BY team" \
	"SELECT team, percentile_cont(0.9) WITHIN GROUP (ORDER BY talk_time + hold_time + wrap_time) FROM tickets GROUP BY team ORDER BY team"

# The per-team dashboard of SPEC §10: NPS, CSAT, FCR, median and p90 handle time,
# against the same in plain SQL (percentile_cont shares one sort for both fractions)
bench_exact_pair "dashboard per team: NPS, CSAT, FCR, median and p90 handle time" "≥ 3× faster" \
	"SELECT team, nps(nps_score), csat(csat_score), fcr_rate(first_contact_resolved),
			median(talk_time + hold_time + wrap_time), handle_time_percentile(talk_time + hold_time + wrap_time, 0.9)
	 FROM tickets GROUP BY team ORDER BY team" \
	"SELECT team,
			100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6)) / nullif(count(nps_score), 0),
			100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0),
			100.0 * count(*) FILTER (WHERE first_contact_resolved) / nullif(count(first_contact_resolved), 0),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY talk_time + hold_time + wrap_time),
			percentile_cont(0.9) WITHIN GROUP (ORDER BY talk_time + hold_time + wrap_time)
	 FROM tickets GROUP BY team ORDER BY team"

# The same dashboard with both percentiles from one collection of the values,
# against percentile_cont with the same array of fractions
bench_exact_pair "dashboard per team, percentiles(h, ARRAY[0.5, 0.9])" "≥ 3× faster" \
	"SELECT team, nps(nps_score), csat(csat_score), fcr_rate(first_contact_resolved),
			percentiles(talk_time + hold_time + wrap_time, ARRAY[0.5, 0.9])
	 FROM tickets GROUP BY team ORDER BY team" \
	"SELECT team,
			100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6)) / nullif(count(nps_score), 0),
			100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0),
			100.0 * count(*) FILTER (WHERE first_contact_resolved) / nullif(count(first_contact_resolved), 0),
			percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY talk_time + hold_time + wrap_time)
	 FROM tickets GROUP BY team ORDER BY team"

# The ceiling of any speed-up: count(x) reads the same rows and does nothing
# with them, so no aggregate over these rows can beat percentile_cont by more.
bench_compare "(ceiling) count(resolved_at - opened_at)" "information" \
	"SELECT count(resolved_at - opened_at) FROM tickets" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - opened_at) FROM tickets"
bench_compare "(ceiling) count(talk_time)" "information" \
	"SELECT count(talk_time) FROM tickets" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY talk_time) FROM tickets"

# Rolling exact median over a 28-row frame: the moving-aggregate implementation
# (sorted frame, binary-search insert and delete) against the same aggregate
# without an inverse, which PostgreSQL re-aggregates and re-selects per row.
# percentile_cont cannot be used with OVER at all.
bench_psql -c "CREATE SCHEMA IF NOT EXISTS bench_exact" >/dev/null 2>&1
bench_psql -c "DROP AGGREGATE IF EXISTS bench_exact.median_reselect(double precision)" >/dev/null 2>&1
bench_psql -c "CREATE AGGREGATE bench_exact.median_reselect(double precision) (
	SFUNC = kpi_percentile_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_float8_final)" >/dev/null
bench_exact_pair "rolling median, 28-row frame, 1M rows" "faster" \
	"SELECT count(m), sum(m) FROM (SELECT median(date_part('epoch', talk_time)) OVER (ORDER BY id ROWS 27 PRECEDING) AS m FROM tickets WHERE id <= 1000000) AS w" \
	"SELECT count(m), sum(m) FROM (SELECT bench_exact.median_reselect(date_part('epoch', talk_time)) OVER (ORDER BY id ROWS 27 PRECEDING) AS m FROM tickets WHERE id <= 1000000) AS w"
bench_exact_pair "rolling median, 500-row frame, 100k rows" "≥ 10× faster" \
	"SELECT count(m), sum(m) FROM (SELECT median(date_part('epoch', talk_time)) OVER (ORDER BY id ROWS 499 PRECEDING) AS m FROM tickets WHERE id <= 100000) AS w" \
	"SELECT count(m), sum(m) FROM (SELECT bench_exact.median_reselect(date_part('epoch', talk_time)) OVER (ORDER BY id ROWS 499 PRECEDING) AS m FROM tickets WHERE id <= 100000) AS w"
bench_psql -c "DROP SCHEMA bench_exact CASCADE" >/dev/null 2>&1
