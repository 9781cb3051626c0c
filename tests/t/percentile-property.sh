#!/usr/bin/env bash
# Property check of the exact percentiles: for many seeded random data sets
# (sizes 1 .. 20000, few or many duplicates, NULLs, time-only, day and month
# intervals, negative numbers) and random fractions, median/percentile equal
# percentile_cont bit for bit (numbers) and as text (intervals), in plain,
# grouped, forced-parallel and sliding-window (random frame widths) form.
# KPI_EXACT_HUGE=1 also runs one group of 70M values (over 1 GB of state).
. "$(dirname "$0")/lib.sh"
fresh_db
# check NAME SQL: the SQL returns "checked|equal", and all of at least one are equal
check() {
	local out checked equal
	out=$(q -c "$2")
	checked=${out%%|*} equal=${out##*|}
	if [ "$checked" = 0 ]; then
		fail "$1" "    nothing was checked"
	else
		is "$equal of $checked equal" "$checked of $checked equal" "$1"
	fi
}

for seed in 0.11 0.23 0.37 0.41 0.53 0.67 0.71 0.89; do
	q -c "SELECT setseed($seed)" -c "DROP TABLE IF EXISTS d" -c "
		CREATE TABLE d AS
		SELECT row_number() OVER () AS id, g, f,
			   CASE WHEN random() < 0.03 THEN NULL
					WHEN g % 4 = 0 THEN floor(random() * 3)::float8
					WHEN g % 4 = 1 THEN (random() - 0.5) * 1e6
					WHEN g % 4 = 2 THEN round(random() * 100)::float8 / 8
					ELSE exp(random() * 20) END AS x,
			   CASE WHEN random() < 0.03 THEN NULL
					WHEN g % 3 = 0 THEN floor(random() * 4) * interval '1 min'
					WHEN g % 3 = 1 THEN timestamptz '2026-01-01' + random() * interval '40 days' - timestamptz '2026-01-01'
					ELSE make_interval(months => floor(random() * 4)::int, days => floor(random() * 40)::int,
									   secs => round((random() * 90000)::numeric, 6)) END AS iv
		FROM (SELECT g, (SELECT (ARRAY[0, 1, 0.5, 0.9, 0.99, 0.01, 1.0 / 3, 2.0 / 3])[1 + floor(random() * 8 + g * 0)::int]) AS f,
					 1 + (power(random(), 3) * 20000)::int AS n
			  FROM generate_series(1, 40) AS g) AS groups,
			 generate_series(1, n) AS k"
	q -c "CREATE INDEX ON d (id)" -c "ANALYZE d"
	check "seed $seed groups float8" "
		SELECT count(*), count(*) FILTER (WHERE float8send(a) IS NOT DISTINCT FROM float8send(b))
		FROM (SELECT g, percentile(x, f) AS a, percentile_cont(f) WITHIN GROUP (ORDER BY x) AS b
			  FROM d GROUP BY g, f) AS r"
	check "seed $seed groups interval" "
		SELECT count(*), count(*) FILTER (WHERE a::text IS NOT DISTINCT FROM b::text)
		FROM (SELECT g, percentile(iv, f) AS a, percentile_cont(f) WITHIN GROUP (ORDER BY iv) AS b
			  FROM d GROUP BY g, f) AS r"
	parallel="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
		SET max_parallel_workers_per_gather = 4;"
	like "$(q -c "$parallel" -c "EXPLAIN (COSTS OFF) SELECT median(x), median(iv) FROM d")" 'Partial Aggregate' \
		"seed $seed the forced-parallel plan has a Partial Aggregate"
	check "seed $seed median whole table, forced parallel" "
		$parallel
		SELECT 2, (float8send(median(x)) = (SELECT float8send(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)) FROM d))::int
				 + (median(iv)::text = (SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY iv))::text FROM d))::int
		FROM d"
	w=$(q -c "SELECT 1 + floor(random() * 60)::int")
	check "seed $seed window $w preceding" "
		SELECT count(*), count(*) FILTER (WHERE float8send(w.m) IS NOT DISTINCT FROM float8send((
			SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.x) FROM d AS s WHERE s.id BETWEEN w.id - $w AND w.id))
			AND w.p::text IS NOT DISTINCT FROM (
			SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY s.iv) FROM d AS s WHERE s.id BETWEEN w.id - $w AND least(w.id + 2, 3000))::text)
		FROM (SELECT id, median(x) OVER (ORDER BY id ROWS $w PRECEDING) AS m,
					 percentile(iv, 0.9) OVER (ORDER BY id ROWS BETWEEN $w PRECEDING AND 2 FOLLOWING) AS p
			  FROM d WHERE id <= 3000) AS w"
	w=$(q -c "SELECT 600 + floor(random() * 1400)::int")
	check "seed $seed window $w preceding (blocks split and merge)" "
		SELECT count(*), count(*) FILTER (WHERE w.m::text IS NOT DISTINCT FROM (
			SELECT percentile_cont(0.75) WITHIN GROUP (ORDER BY s.iv) FROM d AS s WHERE s.id BETWEEN w.id - $w AND w.id)::text)
		FROM (SELECT id, percentile(iv, 0.75) OVER (ORDER BY id ROWS $w PRECEDING) AS m
			  FROM d WHERE id <= 5000) AS w"
done

if [ "${KPI_EXACT_HUGE:-0}" = 1 ]; then
	# 1 .. 70M ms: 1.1 GB of values; the median is 35000000.5 ms exactly
	check "70M values (state over 1 GB)" "
		SET max_parallel_workers_per_gather = 0;
		SELECT 2, (median(i * interval '1 ms') = interval '35000 s 0.5 ms')::int
				  + (median(i::float8) = 35000000.5)::int
		FROM generate_series(1, 70000000) AS i"
fi

done_testing
