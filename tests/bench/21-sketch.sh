# Sketch benchmarks (SPEC §5): percentiles from duration_agg() against the
# tdigest extension's tdigest_percentile(x, 100, p) on the same handle times,
# and the worst relative error of both over p01..p99 against the exact
# percentile_disc.  Sourced by tests/bench/bench.sh; skipped without tdigest.

if [ "$(bench_psql -c "SELECT count(*) FROM pg_extension WHERE extname = 'tdigest'")" != 1 ]; then
	echo
	echo "21-sketch: extension tdigest is not installed (Debian package postgresql-${PG_MAJOR:-<major>}-tdigest): skipped" >&2
else
	# handle times of agent-handled tickets in seconds, as double precision for
	# both methods (tdigest takes no interval); built once, not timed
	bench_psql <<-'SQL'
		CREATE UNLOGGED TABLE IF NOT EXISTS bench_handle_times AS
		SELECT date_part('epoch', talk_time + coalesce(hold_time, interval '0') + coalesce(wrap_time, interval '0')) AS h
		FROM tickets WHERE talk_time IS NOT NULL;
		VACUUM ANALYZE bench_handle_times;
	SQL

	bench_compare "sketch: percentile(duration_agg(h), 0.9) vs tdigest_percentile(h, 100, 0.9)" "≥ 1.5× faster" \
		"SELECT percentile(duration_agg(h), 0.9) FROM bench_handle_times" \
		"SELECT tdigest_percentile(h, 100, 0.9) FROM bench_handle_times"
	bench_compare "sketch: percentiles(duration_agg(h), p01..p99) vs tdigest_percentile(h, 100, p01..p99)" "≥ 1.5× faster" \
		"SELECT percentiles(duration_agg(h), (SELECT array_agg(p / 100.0)::float8[] FROM generate_series(1, 99) AS p))
		FROM bench_handle_times" \
		"SELECT tdigest_percentile(h, 100, (SELECT array_agg(p / 100.0)::float8[] FROM generate_series(1, 99) AS p))
		FROM bench_handle_times"
	bench_compare "sketch: median(rollup) of 100 partial summaries vs tdigest_percentile of 100 partial digests" "faster" \
		"SELECT median(rollup(s)) FROM (SELECT duration_agg(h) AS s FROM bench_handle_times
			GROUP BY hashfloat8(h) % 100) AS t" \
		"SELECT tdigest_percentile(d, 0.5) FROM (SELECT tdigest(h, 100) AS d FROM bench_handle_times
			GROUP BY hashfloat8(h) % 100) AS t"

	# accuracy: worst relative error over p01..p99 against the exact percentile_disc
	bench_psql <<-'SQL'
		WITH f AS (SELECT array_agg(p / 100.0 ORDER BY p)::float8[] AS fr FROM generate_series(1, 99) AS p),
		r AS (SELECT percentile_disc((SELECT fr FROM f)) WITHIN GROUP (ORDER BY h) AS exact,
				(SELECT array_agg(date_part('epoch', e)) FROM unnest(percentiles(duration_agg(h), (SELECT fr FROM f))) AS e) AS sketch,
				tdigest_percentile(h, 100, (SELECT fr FROM f)) AS tdigest,
				count(*) AS n
			FROM bench_handle_times)
		SELECT format(E'\naccuracy on %s handle times, worst relative error over p01..p99 against percentile_disc:\n'
				'  duration_agg (guarantee 1%%): %s%%   tdigest_percentile(h, 100, p): %s%%',
				n,
				round(100 * max(abs(u.s - u.x) / nullif(u.x, 0))::numeric, 3),
				round(100 * max(abs(u.t - u.x) / nullif(u.x, 0))::numeric, 3))
		FROM r, unnest(r.exact, r.sketch, r.tdigest) AS u(x, s, t)
		GROUP BY n;
	SQL
	echo
	echo '| benchmark | kpi_ext | baseline | ratio | speed-up | target | met |'
	echo '|---|--:|--:|--:|--:|---|:-:|'
fi
