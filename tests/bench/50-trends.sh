# Time-series benchmarks (SPEC §7, §10), sourced by tests/bench/bench.sh:
#
# - backlog over a year of daily buckets from 1M tickets: ticket_flow_agg +
#   backlog_series (one pass, one counter pair per day) against the usual
#   event-delta window query (opened and closed events, grouped per day, a
#   running sum), with the default parallel settings and on one core;
# - a 28-row rolling NPS over 1M tickets against a rolling count(*) over the
#   same frame (the cost of the window machinery itself).
#
# Both run on bench_trends_1m: 1M tickets sampled evenly over the whole period
# (every k-th id; ids are in time order), with only the columns used, rebuilt
# from tickets on each run (not timed).

trends_every=$(( BENCH_ROWS > 1000000 ? BENCH_ROWS / 1000000 : 1 ))
bench_psql <<EOF2
DROP TABLE IF EXISTS bench_trends_1m;
CREATE UNLOGGED TABLE bench_trends_1m AS
SELECT id, team, opened_at, resolved_at, nps_score FROM tickets WHERE id % $trends_every = 0 LIMIT 1000000;
VACUUM (FREEZE, ANALYZE) bench_trends_1m;
EOF2

trends_backlog="SELECT bucket_start, opened, closed, backlog FROM backlog_series(
		(SELECT ticket_flow_agg(opened_at, resolved_at, '1 day') FROM bench_trends_1m),
		'2025-10-01', '2026-09-30')"
trends_event_delta="WITH events AS (
		SELECT date_trunc('day', opened_at) AS day, 1 AS o, 0 AS c FROM bench_trends_1m
		UNION ALL
		SELECT date_trunc('day', resolved_at), 0, 1 FROM bench_trends_1m WHERE resolved_at IS NOT NULL
	), per_day AS (
		SELECT day, sum(o) AS opened, sum(c) AS closed FROM events GROUP BY day
	), running AS (
		SELECT day, opened, closed, sum(opened - closed) OVER (ORDER BY day) AS backlog FROM per_day
	)
	SELECT * FROM running WHERE day BETWEEN '2025-10-01' AND '2026-09-30'"

# the two must agree before they are timed
trends_diff=$(bench_psql -c "SELECT count(*) FROM (($trends_backlog) EXCEPT ($trends_event_delta)) AS d")
if [ "$trends_diff" != 0 ]; then
	printf 'bench: 50-trends: backlog_series and the event-delta query differ in %s rows\n' "$trends_diff" >&2
	return 1
fi

bench_compare "backlog_series, 1M tickets, 365 daily buckets vs event-delta window query" "≥ 5× faster" \
	"$trends_backlog" "$trends_event_delta"
PGOPTIONS="${PGOPTIONS:-} -c max_parallel_workers_per_gather=0" \
	bench_compare "same, one core (max_parallel_workers_per_gather = 0)" "≥ 5× faster" \
	"$trends_backlog" "$trends_event_delta"

bench_compare "28-row rolling nps(nps_score) over 1M rows vs rolling count(*)" "≤ 2×" \
	"SELECT nps(nps_score) OVER (ORDER BY opened_at ROWS 27 PRECEDING) FROM bench_trends_1m" \
	"SELECT count(*) OVER (ORDER BY opened_at ROWS 27 PRECEDING) FROM bench_trends_1m"
