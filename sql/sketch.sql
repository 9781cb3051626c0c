-- Durations, sketched: duration_summary against exact SQL (percentile_disc, sum, avg, min, max)
CREATE SCHEMA sketch_test;
SET search_path = sketch_test, public;

-- seeded data: 20000 durations of each shape
SELECT setseed(0.25);
CREATE TABLE dist (kind text, i int, x interval);
INSERT INTO dist
SELECT 'lognormal', i, exp(5.5 + 1.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) * interval '1 second'
FROM generate_series(1, 20000) AS i;
INSERT INTO dist
SELECT 'uniform', i, random() * 7200 * interval '1 second'
FROM generate_series(1, 20000) AS i;
INSERT INTO dist
SELECT 'bimodal', i, CASE WHEN random() < 0.6
						 THEN exp(4.8 + 0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) * interval '1 second'
						 ELSE exp(12.4 + 0.4 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) * interval '1 second' END
FROM generate_series(1, 20000) AS i;
INSERT INTO dist
SELECT 'pareto', i, 30 / power(1 - random(), 1 / 1.1) * interval '1 second'
FROM generate_series(1, 20000) AS i;
INSERT INTO dist
SELECT 'constant', i, interval '5 minutes'
FROM generate_series(1, 20000) AS i;
INSERT INTO dist
SELECT 'with zeros', i, CASE WHEN random() < 0.3 THEN interval '0' ELSE random() * 600 * interval '1 second' END
FROM generate_series(1, 20000) AS i;
INSERT INTO dist
SELECT 'microseconds', i, (1 + floor(random() * 5000)) * interval '1 microsecond'
FROM generate_series(1, 20000) AS i;

-- every percentile p01..p99 within the relative error of percentile_disc (the value at
-- rank ceil(p * n)), plus half a microsecond for rounding the estimate to an interval
CREATE FUNCTION check_errors(alpha double precision)
RETURNS TABLE (kind text, n bigint, within_bound boolean, exact_ends boolean, worst_error numeric)
LANGUAGE sql AS $$
	WITH f AS (SELECT array_agg(p / 100.0 ORDER BY p)::float8[] AS fr FROM generate_series(1, 99) AS p),
	e AS (SELECT d.kind, count(*) AS n,
				 percentile_disc((SELECT fr FROM f)) WITHIN GROUP (ORDER BY x) AS exact,
				 percentiles(duration_agg(x, alpha), (SELECT fr FROM f)) AS est,
				 percentile(duration_agg(x, alpha), 0) = min(x) AND percentile(duration_agg(x, alpha), 1) = max(x) AS exact_ends
		  FROM sketch_test.dist AS d GROUP BY d.kind)
	SELECT e.kind, e.n,
		   bool_and(abs(extract(epoch FROM u.es) - extract(epoch FROM u.ex))
					<= alpha::numeric * extract(epoch FROM u.ex) + 0.0000005),
		   e.exact_ends,
		   round(max(abs(extract(epoch FROM u.es) - extract(epoch FROM u.ex))
					 / nullif(extract(epoch FROM u.ex), 0)), 4)
	FROM e, unnest(e.exact, e.est) AS u(ex, es)
	GROUP BY e.kind, e.n, e.exact_ends
	ORDER BY e.kind
$$;
SELECT * FROM check_errors(0.01);
SELECT * FROM check_errors(0.05);
SELECT * FROM check_errors(0.001);

-- the default relative error is 1%; the double precision form takes seconds
SELECT kind,
	   relative_error(duration_agg(x)) AS alpha,
	   duration_agg(x)::text = duration_agg(x, 0.01)::text AS default_ok,
	   duration_agg(extract(epoch FROM x)::float8)::text = duration_agg(x)::text AS seconds_ok
FROM dist GROUP BY kind ORDER BY kind;

-- exact count, sum, mean, minimum and maximum
SELECT kind,
	   num_values(s) = n AS count_ok,
	   total(s) = total_x AS total_ok,
	   mean(s) = make_interval(secs => round(extract(epoch FROM total_x) / n, 6)) AS mean_ok,
	   min_value(s) = min_x AS min_ok,
	   max_value(s) = max_x AS max_ok
FROM (SELECT kind, duration_agg(x) AS s, count(*) AS n, sum(x) AS total_x, min(x) AS min_x, max(x) AS max_x
	  FROM dist GROUP BY kind) AS a
ORDER BY kind;

-- small groups, by hand: 1..10 seconds and a zero
SELECT s, num_values(s), min_value(s), max_value(s), mean(s), total(s), median(s), relative_error(s)
FROM (SELECT duration_agg(k * interval '1 second') AS s FROM generate_series(0, 10) AS k) AS a;
SELECT percentiles(duration_agg(x), fr) AS sketch, percentile_disc(fr) WITHIN GROUP (ORDER BY x) AS exact
FROM (SELECT k * interval '1 second' AS x FROM generate_series(0, 10) AS k) AS v,
	 (VALUES ('{0, 0.1, 0.15, 0.5, 0.55, 0.9, 0.95, 1}'::float8[])) AS f(fr)
GROUP BY fr;
SELECT duration_agg(x) AS one, median(duration_agg(x)) FROM (VALUES (interval '90 minutes')) AS v(x);
SELECT percentiles(duration_agg(x), '{{0.1, 0.5}, {NULL, 1}}'), percentiles(duration_agg(x), '{}')
FROM (VALUES (interval '1 hour'), (interval '2 hours'), (interval '1 day')) AS v(x);
-- months count as 30 days, days as 24 hours, as in interval ordering
SELECT max_value(duration_agg(x)), total(duration_agg(x))
FROM (VALUES (interval '1 month 1 day'), (interval '1 hour')) AS v(x);

-- NULL and empty: NULLs are skipped; no non-NULL input gives NULL
SELECT duration_agg(x), duration_agg(NULL::float8), duration_agg(x, 0.02), duration_agg(x, NULL)
FROM (VALUES (NULL::interval), (NULL)) AS v(x);
SELECT duration_agg(x) FROM dist WHERE false;
SELECT num_values(duration_agg(x)), median(duration_agg(x))
FROM (VALUES (NULL::interval), (interval '1 minute'), (NULL)) AS v(x);
SELECT num_values(s), median(s), percentile(s, 0.9), percentiles(s, '{0.5}'), mean(s), total(s),
	   min_value(s), max_value(s), relative_error(s)
FROM (SELECT 'v1:a=0.01,n=0,z=0,sum=0,min=0,max=0;'::duration_summary AS s) AS e;
SELECT rollup(s) FROM (VALUES ('v1:a=0.01,n=0,z=0,sum=0,min=0,max=0;'::duration_summary), (NULL)) AS v(s);
SELECT percentile(duration_agg(x), NULL) FROM (VALUES (interval '1 second')) AS v(x);

-- rollup of partitions equals the one-step value, whatever the merge order
CREATE TABLE parts AS
SELECT kind, i % 13 AS part, duration_agg(x) AS s FROM dist GROUP BY kind, i % 13;
CREATE TABLE one_step AS SELECT kind, duration_agg(x)::text AS s FROM dist GROUP BY kind;
SELECT count(*) AS kinds,
	   count(*) FILTER (WHERE r.s = o.s) AS rollup_equal,
	   count(*) FILTER (WHERE r.s_desc = o.s) AS reversed_equal,
	   count(*) FILTER (WHERE r.s_shuffled = o.s) AS shuffled_equal
FROM (SELECT kind, rollup(s ORDER BY part)::text AS s, rollup(s ORDER BY part DESC)::text AS s_desc,
			 rollup(s ORDER BY md5(part::text))::text AS s_shuffled
	  FROM parts GROUP BY kind) AS r
JOIN one_step AS o USING (kind);
-- input order does not matter either, nor does rolling up rollups
SELECT count(*) FILTER (WHERE a.s = o.s) AS shuffled_input_equal,
	   count(*) FILTER (WHERE b.s = o.s) AS rollup_of_rollups_equal
FROM one_step AS o
JOIN (SELECT kind, duration_agg(x ORDER BY md5(i::text))::text AS s FROM dist GROUP BY kind) AS a USING (kind)
JOIN (SELECT kind, rollup(s)::text AS s
	  FROM (SELECT kind, part % 3, rollup(s) AS s FROM parts GROUP BY kind, part % 3) AS t GROUP BY kind) AS b USING (kind);
SELECT rollup(s)::text = (SELECT duration_agg(x)::text FROM dist) AS all_kinds_ok FROM parts;

-- OVER with ROWS frames (moving aggregate) against recomputation of every frame
CREATE TABLE seq AS
SELECT row_number() OVER (ORDER BY kind, i) AS i, CASE WHEN i % 17 = 0 THEN NULL ELSE x END AS x
FROM dist WHERE kind IN ('lognormal', 'with zeros') AND i <= 300;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.s IS NOT DISTINCT FROM (
		   SELECT duration_agg(r.x)::text FROM seq AS r WHERE r.i BETWEEN w.i - 9 AND w.i)) AS trailing_equal,
	   count(*) FILTER (WHERE w.c IS NOT DISTINCT FROM (
		   SELECT duration_agg(r.x)::text FROM seq AS r WHERE r.i BETWEEN w.i - 3 AND w.i + 3)) AS centred_equal
FROM (SELECT i,
			 duration_agg(x) OVER (ORDER BY i ROWS 9 PRECEDING)::text AS s,
			 duration_agg(x) OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING)::text AS c
	  FROM seq) AS w;
-- a rolling 7-part rollup equals the one-step value over the same parts
CREATE TABLE daily AS
SELECT i / 500 AS day, duration_agg(x) AS s FROM dist WHERE kind IN ('lognormal', 'bimodal') GROUP BY i / 500;
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE w.s = (SELECT duration_agg(x)::text FROM dist
									 WHERE kind IN ('lognormal', 'bimodal') AND i / 500 BETWEEN w.day - 6 AND w.day)) AS equal,
	   count(*) FILTER (WHERE w.m = (SELECT median(duration_agg(x)) FROM dist
									 WHERE kind IN ('lognormal', 'bimodal') AND i / 500 BETWEEN w.day - 6 AND w.day)) AS median_equal
FROM (SELECT day, rollup(s) OVER (ORDER BY day ROWS 6 PRECEDING)::text AS s,
			 median(rollup(s) OVER (ORDER BY day ROWS 6 PRECEDING)) AS m
	  FROM daily) AS w;
-- a frame that slides over NULL-only rows gives NULL
SELECT id, num_values(duration_agg(x) OVER (ORDER BY id ROWS 1 PRECEDING)),
	   median(duration_agg(x) OVER (ORDER BY id ROWS 1 PRECEDING))
FROM (VALUES (1, interval '1 minute'), (2, NULL), (3, NULL), (4, interval '2 minutes')) AS v(id, x) ORDER BY id;
SELECT id, num_values(rollup(s) OVER (ORDER BY id ROWS 1 PRECEDING))
FROM (VALUES (1, 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;691:1'::duration_summary),
			 (2, NULL), (3, NULL), (4, NULL)) AS v(id, s) ORDER BY id;

-- text round trip, and binary round trip through COPY
SELECT count(*) AS values_checked, count(*) FILTER (WHERE s::text::duration_summary::text = s::text) AS text_equal
FROM parts;
CREATE TABLE copy_src AS SELECT kind, part, s FROM parts;
\copy copy_src TO 'results/duration_summary.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/duration_summary.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied, count(*) FILTER (WHERE a.s::text = b.s::text) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (kind, part);
\copy copy_src TO 'results/duration_summary.txt'
TRUNCATE copy_dst;
\copy copy_dst FROM 'results/duration_summary.txt'
SELECT count(*) AS rows_copied, count(*) FILTER (WHERE a.s::text = b.s::text) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (kind, part);

-- size: 100k values spanning 1 second to 4 weeks stay within 8 kB
SELECT num_values(s), pg_column_size(s) AS bytes, pg_column_size(s) <= 8192 AS size_ok,
	   min_value(s), max_value(s)
FROM (SELECT duration_agg(exp(ln(2419200) * k / 99999.0) * interval '1 second') AS s
	  FROM generate_series(0, 99999) AS k) AS a;
SELECT pg_column_size(s) <= 8192 AS size_ok
FROM (SELECT duration_agg(exp(ln(2419200) * random()) * interval '1 second') AS s
	  FROM generate_series(1, 100000)) AS a;

-- plain calls of the support functions do not modify their arguments
SELECT kpi_sketch_combine(a, b)::text = kpi_sketch_combine(a, b)::text AS repeatable,
	   a::text = 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;691:1' AS a_unchanged,
	   median(kpi_sketch_accum(a, interval '1 second')) AS median
FROM (SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;691:1'::duration_summary AS a,
			 'v1:a=0.01,n=1,z=1,sum=0,min=0,max=0;'::duration_summary AS b) AS v;

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE dist_big AS SELECT d.* FROM dist AS d, generate_series(1, 5);
ANALYZE dist_big;
CREATE TABLE parts_big AS SELECT p.* FROM parts AS p, generate_series(1, 5);
ANALYZE parts_big;
CREATE TEMP TABLE serial_result AS
SELECT kind, duration_agg(x)::text AS s, duration_agg(extract(epoch FROM x)::float8)::text AS s2
FROM dist_big GROUP BY kind;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT kind, duration_agg(x) FROM dist_big GROUP BY kind;
SELECT count(*) AS kinds, count(*) FILTER (WHERE p.s = s.s AND p.s2 = s.s2) AS equal
FROM (SELECT kind, duration_agg(x)::text AS s, duration_agg(extract(epoch FROM x)::float8)::text AS s2
	  FROM dist_big GROUP BY kind) AS p JOIN serial_result AS s USING (kind);
EXPLAIN (COSTS OFF)
SELECT kind, rollup(s) FROM parts_big GROUP BY kind;
SELECT count(*) AS kinds, count(*) FILTER (WHERE p.s = s.s) AS equal
FROM (SELECT kind, rollup(s)::text AS s FROM parts_big GROUP BY kind) AS p JOIN serial_result AS s USING (kind);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors: bad durations, fractions and relative errors
SELECT duration_agg(x) FROM (VALUES (interval '1 second'), (interval '-1 second')) AS v(x);
SELECT duration_agg(x) FROM (VALUES (-0.5::float8)) AS v(x);
SELECT duration_agg(x) FROM (VALUES ('NaN'::float8)) AS v(x);
SELECT duration_agg(x) FROM (VALUES ('Infinity'::float8)) AS v(x);
SELECT duration_agg(x) FROM (VALUES ('-Infinity'::float8)) AS v(x);
SELECT duration_agg(x) FROM (VALUES (1e300::float8)) AS v(x);
SELECT duration_agg(x) FROM (VALUES (interval '178000000 years')) AS v(x);
SELECT percentile(duration_agg(x), 1.5) FROM (VALUES (interval '1 second')) AS v(x);
SELECT percentile(duration_agg(x), -0.01) FROM (VALUES (interval '1 second')) AS v(x);
SELECT percentile(duration_agg(x), 'NaN') FROM (VALUES (interval '1 second')) AS v(x);
SELECT percentiles(duration_agg(x), '{0.5, 2}') FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, 0) FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, 0.5) FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, -0.01) FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, 'NaN') FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, 0.00001) FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, NULL) FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x, a) FROM (VALUES (interval '1 second', 0.01), (interval '2 seconds', 0.02)) AS v(x, a);
SELECT rollup(s) FROM (SELECT duration_agg(x, 0.01) AS s FROM dist UNION ALL SELECT duration_agg(x, 0.02) FROM dist) AS t;
\set VERBOSITY sqlstate
SELECT percentile(duration_agg(x), 1.5) FROM (VALUES (interval '1 second')) AS v(x);
SELECT duration_agg(x) FROM (VALUES (interval '-1 second')) AS v(x);
SELECT duration_agg(x, 0.5) FROM (VALUES (interval '1 second')) AS v(x);
\set VERBOSITY default

-- errors: malformed and inconsistent literals; every field is checked
SELECT 'garbage'::duration_summary;
SELECT 'v2:a=0.01,n=0,z=0,sum=0,min=0,max=0;'::duration_summary;
SELECT 'v1:a=0.01,n=0,z=0,sum=0,min=0'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;691:1 x'::duration_summary;
SELECT 'v1:a=0,n=0,z=0,sum=0,min=0,max=0;'::duration_summary;
SELECT 'v1:a=0.5,n=0,z=0,sum=0,min=0,max=0;'::duration_summary;
SELECT 'v1:a=NaN,n=0,z=0,sum=0,min=0,max=0;'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=0,min=0,max=0;'::duration_summary;
SELECT 'v1:a=0.01,n=0,z=0,sum=1,min=0,max=0;'::duration_summary;
SELECT 'v1:a=0.01,n=2,z=0,sum=2000000,min=1000000,max=1000000;691:1'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;691:0'::duration_summary;
SELECT 'v1:a=0.01,n=2,z=0,sum=2000000,min=1000000,max=1000000;691:1,691:1'::duration_summary;
SELECT 'v1:a=0.01,n=2,z=0,sum=2000000,min=1000000,max=1000000;692:1,691:1'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;700:1'::duration_summary;
SELECT 'v1:a=0.01,n=2,z=0,sum=3000000,min=2000000,max=1000000;691:2'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=5000000,min=1000000,max=1000000;691:1'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=1,sum=0,min=0,max=0;691:1'::duration_summary;
SELECT 'v1:a=0.01,n=2,z=0,sum=1000000,min=0,max=1000000;691:2'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;999999:1'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;99999999999:1'::duration_summary;
SELECT 'v1:a=0.01,n=1,z=0,sum=99999999999999999999999999999999999999999,min=1000000,max=1000000;691:1'::duration_summary;
SELECT 'v1:a=0.01,n=-1,z=0,sum=0,min=0,max=0;'::duration_summary;
SELECT ' v1: a=0.01, n=2, z=1, sum=1000000, min=0, max=1000000; 691:1 '::duration_summary;

-- overflow of a merged counter is an error, not a wrap
SELECT rollup(s) FROM (VALUES ('v1:a=0.01,n=9223372036854775807,z=9223372036854775807,sum=0,min=0,max=0;'::duration_summary),
							  ('v1:a=0.01,n=1,z=1,sum=0,min=0,max=0;')) AS v(s);
-- a sum beyond the largest interval: total() errors, mean() does not
SELECT mean(s), num_values(s) FROM (SELECT 'v1:a=0.01,n=9223372036854775807,z=0,sum=9223372036854775807000000,min=1000000,max=1000000;691:9223372036854775807'::duration_summary AS s) AS v;
SELECT total(s) FROM (SELECT 'v1:a=0.01,n=9223372036854775807,z=0,sum=9223372036854775807000000,min=1000000,max=1000000;691:9223372036854775807'::duration_summary AS s) AS v;
