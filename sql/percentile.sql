-- Exact percentiles: median, percentile, median_resolution, handle_time_percentile,
-- each against percentile_cont(fraction) WITHIN GROUP (ORDER BY x)
CREATE SCHEMA percentile_test;
SET search_path = percentile_test, public;

-- 120 groups of 1 to 40 values: some with many duplicates, some spread out;
-- durations with a time part only, with days (as timestamptz subtraction
-- writes them) and with months; a few NULLs
SELECT setseed(0.42);
CREATE TABLE samples AS
SELECT row_number() OVER () AS id, g, x, iv
FROM (SELECT g, k,
			 CASE WHEN random() < 0.05 THEN NULL
				  WHEN g % 3 = 0 THEN floor(random() * 5)::float8
				  WHEN g % 3 = 1 THEN round((random() * 1000)::numeric, 3)::float8
				  ELSE -50 + random() * 100 END AS x,
			 CASE WHEN random() < 0.05 THEN NULL
				  WHEN g % 4 = 0 THEN make_interval(secs => floor(random() * 4) * 60)
				  WHEN g % 4 = 1 THEN make_interval(secs => round((random() * 86400 * 3)::numeric, 6))
				  WHEN g % 4 = 2 THEN timestamptz '2026-01-01' + random() * interval '9 days' - timestamptz '2026-01-01'
				  ELSE make_interval(months => (random() * 3)::int, days => (random() * 20)::int,
									 secs => floor(random() * 86400)) END AS iv
	  FROM generate_series(1, 120) AS g,
		   generate_series(1, 1 + (g * 7) % 40) AS k) AS s;

CREATE TABLE fractions (f) AS VALUES (0.0::float8), (0.25), (0.5), (0.9), (1.0), (1.0 / 3);

-- every group and fraction: numbers bit for bit, durations as the same text
SELECT f,
	   count(*) AS groups,
	   count(*) FILTER (WHERE float8send(ours) IS NOT DISTINCT FROM float8send(theirs)) AS float8_identical,
	   count(*) FILTER (WHERE ours_iv::text IS NOT DISTINCT FROM theirs_iv::text) AS interval_identical,
	   count(*) FILTER (WHERE ours_ht::text IS NOT DISTINCT FROM theirs_iv::text) AS handle_time_identical
FROM (SELECT g, f,
			 percentile(x, f) AS ours,
			 percentile_cont(f) WITHIN GROUP (ORDER BY x) AS theirs,
			 percentile(iv, f) AS ours_iv,
			 handle_time_percentile(iv, f) AS ours_ht,
			 percentile_cont(f) WITHIN GROUP (ORDER BY iv) AS theirs_iv
	  FROM samples, fractions
	  GROUP BY g, f) AS r
GROUP BY f
ORDER BY f;

SELECT count(*) AS groups,
	   count(*) FILTER (WHERE m IS NULL) AS null_groups,
	   count(*) FILTER (WHERE float8send(m) IS NOT DISTINCT FROM float8send(p)) AS median_float8_identical,
	   count(*) FILTER (WHERE mi::text IS NOT DISTINCT FROM pi::text) AS median_interval_identical,
	   count(*) FILTER (WHERE mr::text IS NOT DISTINCT FROM pi::text) AS median_resolution_identical
FROM (SELECT g, median(x) AS m, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p,
			 median(iv) AS mi, median_resolution(iv) AS mr,
			 percentile_cont(0.5) WITHIN GROUP (ORDER BY iv) AS pi
	  FROM samples GROUP BY g) AS r;

-- readable values: one, two, three and four values, odd and even counts
SELECT n, median(x), percentile(x, 0.25) AS p25, percentile(x, 0.9) AS p90,
	   percentile(x, 0) AS p0, percentile(x, 1) AS p100,
	   percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS pc90
FROM (VALUES (1, 7.0::float8), (2, 1), (2, 4), (3, 5), (3, 1), (3, 3), (4, 40), (4, 10), (4, 20), (4, 30)) AS v(n, x)
GROUP BY n ORDER BY n;
SELECT n, median(x), percentile(x, 0.9) AS p90, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS pc90
FROM (VALUES (1, interval '7 min'), (2, '1 min'), (2, '4 min'), (3, '1 day 02:00'), (3, '01:00'), (3, '3 days'),
			 (4, '40 s'), (4, '10 s'), (4, '20 s'), (4, '1 mon')) AS v(n, x)
GROUP BY n ORDER BY n;

-- duplicates only, and negative numbers (numbers need not be durations)
SELECT median(x), percentile(x, 0.3) FROM (VALUES (2.5::float8), (2.5), (2.5)) AS v(x);
SELECT median(x), percentile(x, 0.75) FROM (VALUES (-3.0::float8), (-1), (0), (8)) AS v(x);

-- equal intervals written differently come in a fixed order (fewer months, then
-- fewer days, first), whatever the input order
SELECT percentile(x, 0) AS p0, median(x), percentile(x, 1) AS p100
FROM (VALUES (interval '1 mon'), ('30 days'), ('720:00:00')) AS v(x);
SELECT percentile(x, 0) AS p0, median(x), percentile(x, 1) AS p100
FROM (VALUES (interval '720:00:00'), ('1 mon'), ('30 days')) AS v(x);

-- median_resolution(opened, resolved): unresolved tickets are skipped
CREATE TABLE tickets AS
SELECT i AS id, i % 5 AS team,
	   timestamptz '2026-03-01' + i * interval '17 min' AS opened_at,
	   CASE WHEN i % 9 = 0 THEN NULL
			ELSE timestamptz '2026-03-01' + i * interval '17 min' + ((i * 7919) % 500) * interval '13 min' END AS resolved_at,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 31) % 97) * interval '17 s' END AS handle
FROM generate_series(1, 2000) AS i;
SELECT team,
	   median_resolution(opened_at, resolved_at),
	   median_resolution(opened_at, resolved_at)::text
		 = (percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - opened_at))::text AS resolution_ok,
	   handle_time_percentile(handle, 0.9),
	   handle_time_percentile(handle, 0.9)::text
		 = (percentile_cont(0.9) WITHIN GROUP (ORDER BY handle))::text AS handle_ok
FROM tickets GROUP BY team ORDER BY team;
SELECT median_resolution(o, r) FROM (VALUES (timestamptz '2026-01-01', NULL::timestamptz), (NULL, '2026-01-02')) AS v(o, r);

-- NULL and empty: NULLs are skipped, no non-NULL value gives NULL
SELECT median(x), percentile(x, 0.9), median(iv), percentile(iv, 0.1)
FROM (VALUES (NULL::float8, NULL::interval), (NULL, NULL)) AS v(x, iv);
SELECT median(x), median(iv), median_resolution(iv), handle_time_percentile(iv, 0.5)
FROM samples WHERE false;
SELECT median(x) FROM (VALUES (NULL::float8), (3), (NULL), (1)) AS v(x);

-- larger groups: ascending, descending, constant, organ pipe and random orders
CREATE TABLE orders_t AS
SELECT shape, i, CASE shape WHEN 'ascending' THEN i
						   WHEN 'descending' THEN 100000 - i
						   WHEN 'constant' THEN 42
						   WHEN 'organ pipe' THEN least(i, 100001 - i)
						   ELSE (i::bigint * 7919) % 100003 END::float8 AS x
FROM unnest(ARRAY['ascending', 'descending', 'constant', 'organ pipe', 'random']) AS shape,
	 generate_series(1, 100000) AS i;
SELECT shape, f,
	   float8send(percentile(x, f)) = float8send(percentile_cont(f) WITHIN GROUP (ORDER BY x)) AS identical,
	   percentile(x * interval '1 s', f) = percentile_cont(f) WITHIN GROUP (ORDER BY x * interval '1 s') AS interval_equal
FROM orders_t, fractions
GROUP BY shape, f ORDER BY shape, f;

-- OVER with ROWS frames against recomputation of every frame by percentile_cont
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE float8send(w.m) IS NOT DISTINCT FROM float8send((
		   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.x)
		   FROM samples AS s WHERE s.id BETWEEN w.id - 27 AND w.id))) AS median_equal,
	   count(*) FILTER (WHERE w.p90::text IS NOT DISTINCT FROM (
		   SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY s.iv)
		   FROM samples AS s WHERE s.id BETWEEN w.id - 6 AND w.id + 3)::text) AS p90_equal,
	   count(*) FILTER (WHERE w.running::text IS NOT DISTINCT FROM (
		   SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY s.iv)
		   FROM samples AS s WHERE s.g = w.g AND s.id <= w.id)::text) AS running_equal,
	   count(*) FILTER (WHERE w.whole::text IS NOT DISTINCT FROM (
		   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.iv)
		   FROM samples AS s WHERE s.g = w.g)::text) AS partition_equal
FROM (SELECT id, g,
			 median(x) OVER (ORDER BY id ROWS 27 PRECEDING) AS m,
			 percentile(iv, 0.9) OVER (ORDER BY id ROWS BETWEEN 6 PRECEDING AND 3 FOLLOWING) AS p90,
			 percentile(iv, 0.25) OVER (PARTITION BY g ORDER BY id) AS running,
			 median(iv) OVER (PARTITION BY g) AS whole
	  FROM samples) AS w;

-- frames of thousands of values (the window state splits and merges its blocks
-- of 512): random with duplicates, ascending and descending values
CREATE TABLE frames AS
SELECT i AS id,
	   CASE WHEN i % 7 = 0 THEN NULL ELSE ((i * 7919) % 1009)::float8 END AS x,
	   i::float8 AS up,
	   ((5000 - i) * interval '1 s') AS down
FROM generate_series(1, 4000) AS i;
CREATE INDEX ON frames (id);
ANALYZE frames;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE float8send(w.sliding) IS NOT DISTINCT FROM float8send((
		   SELECT percentile_cont(0.3) WITHIN GROUP (ORDER BY f.x) FROM frames AS f
		   WHERE f.id BETWEEN w.id - 1500 AND w.id))) AS sliding_equal,
	   count(*) FILTER (WHERE float8send(w.running) IS NOT DISTINCT FROM float8send((
		   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY f.x) FROM frames AS f
		   WHERE f.id <= w.id))) AS running_equal,
	   count(*) FILTER (WHERE float8send(w.up) IS NOT DISTINCT FROM float8send((
		   SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY f.up) FROM frames AS f
		   WHERE f.id BETWEEN w.id - 700 AND w.id + 900))) AS ascending_equal,
	   count(*) FILTER (WHERE w.down::text IS NOT DISTINCT FROM (
		   SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY f.down) FROM frames AS f
		   WHERE f.id BETWEEN w.id - 1200 AND w.id - 3)::text) AS descending_equal
FROM (SELECT id,
			 percentile(x, 0.3) OVER (ORDER BY id ROWS 1500 PRECEDING) AS sliding,
			 median(x) OVER (ORDER BY id) AS running,
			 percentile(up, 0.9) OVER (ORDER BY id ROWS BETWEEN 700 PRECEDING AND 900 FOLLOWING) AS up,
			 percentile(down, 0.1) OVER (ORDER BY id ROWS BETWEEN 1200 PRECEDING AND 3 PRECEDING) AS down
	  FROM frames) AS w;

-- a rolling median resolution time over each team's last 8 tickets
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.m::text IS NOT DISTINCT FROM (
		   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t.resolved_at - t.opened_at)
		   FROM tickets AS t WHERE t.team = w.team AND t.id BETWEEN w.id - 35 AND w.id)::text) AS equal
FROM (SELECT id, team, median_resolution(opened_at, resolved_at)
			 OVER (PARTITION BY team ORDER BY id ROWS 7 PRECEDING) AS m
	  FROM tickets) AS w;

-- a frame that slides over NULL-only rows gives NULL
SELECT id, median(x) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, 10.0::float8), (2, NULL), (3, NULL), (4, 0)) AS v(id, x) ORDER BY id;

-- forced parallel plan: Partial Aggregate in the workers, identical results
-- (time-only, day-and-time and month intervals travel in different forms)
CREATE TABLE big AS
SELECT i, i % 3 AS g, ((i::bigint * 7919) % 100003)::float8 / 7 AS x,
	   ((i::bigint * 104729) % 1000003) * interval '1 ms' AS iv,
	   timestamptz '2026-01-01' + ((i::bigint * 7919) % 1000003) * interval '1 s' - timestamptz '2026-01-01' AS days_iv,
	   make_interval(months => i % 3, secs => (i * 31) % 100000) AS months_iv
FROM generate_series(1, 300000) AS i;
ANALYZE big;
CREATE TEMP TABLE serial_result AS
SELECT g, median(x) AS m, percentile(iv, 0.9) AS p90, median_resolution(iv) AS mr,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS pc,
	   percentile_cont(0.9) WITHIN GROUP (ORDER BY iv) AS pc90
FROM big GROUP BY g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT g, median(x), percentile(iv, 0.9), median_resolution(iv) FROM big GROUP BY g;
SELECT p.g,
	   float8send(p.m) = float8send(s.m) AS median_same,
	   float8send(p.m) = float8send(s.pc) AS median_is_percentile_cont,
	   p.p90::text = s.p90::text AS p90_same,
	   p.p90::text = s.pc90::text AS p90_is_percentile_cont,
	   p.mr::text = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY iv) FROM big AS b WHERE b.g = p.g)::text AS resolution_ok
FROM (SELECT g, median(x) AS m, percentile(iv, 0.9) AS p90, median_resolution(iv) AS mr
	  FROM big GROUP BY g) AS p
JOIN serial_result AS s USING (g)
ORDER BY p.g;
EXPLAIN (COSTS OFF)
SELECT median(x) FROM big;
SELECT float8send(median(x)) = (SELECT float8send(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)) FROM big) AS ok
FROM big;
SELECT g,
	   median(days_iv),
	   median(days_iv)::text = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days_iv) FROM big AS b WHERE b.g = p.g)::text AS days_ok,
	   percentile(months_iv, 0.9),
	   percentile(months_iv, 0.9)::text = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY months_iv) FROM big AS b WHERE b.g = p.g)::text AS months_ok
FROM big AS p GROUP BY g ORDER BY g;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- radix selection over groups larger than one copied-out range (65536 values):
-- wide ranges, heavy duplicates at both ends, negative and positive numbers,
-- microseconds, and a range of a single key with different fields
CREATE TABLE wide AS
SELECT i,
	   CASE WHEN i % 2 = 0 THEN 0 WHEN i % 5 = 0 THEN 3.0e9 ELSE i - 100000 END::float8 AS x,
	   CASE WHEN i % 3 = 0 THEN interval '0' WHEN i % 3 = 1 THEN interval '10 years'
			ELSE (i::bigint * 7919 % 1000003) * interval '1 microsecond' END AS iv,
	   CASE WHEN i % 2 = 0 THEN interval '1 mon' ELSE interval '30 days' END AS tie
FROM generate_series(1, 200000) AS i;
SELECT f,
	   float8send(percentile(x, f)) = float8send(percentile_cont(f) WITHIN GROUP (ORDER BY x)) AS numbers,
	   percentile(iv, f)::text = (percentile_cont(f) WITHIN GROUP (ORDER BY iv))::text AS durations
FROM wide, fractions GROUP BY f ORDER BY f;
-- equal keys, different fields: '30 days' (month 0) before '1 mon', then the
-- lerp of percentile_cont, written out in SQL
WITH ordered AS (
	SELECT tie, row_number() OVER (ORDER BY tie, date_part('month', tie)) - 1 AS r FROM wide
), n AS (SELECT count(*) AS c FROM wide)
SELECT f, percentile(w.tie, f),
	   percentile(w.tie, f)::text = (
		   SELECT ((hi.tie - lo.tie) * (f * (c - 1) - floor(f * (c - 1))) + lo.tie)::text
		   FROM n, ordered AS lo, ordered AS hi
		   WHERE lo.r = floor(f * (c - 1)) AND hi.r = ceil(f * (c - 1))) AS ties
FROM wide AS w, fractions GROUP BY f ORDER BY f;

-- percentiles(x, fractions): several at once, as percentile_cont(fractions),
-- the result shaped like the fractions, NULL for a NULL fraction
SELECT g, percentiles(x, ARRAY[0.1, 0.5, 0.9]),
	   percentiles(x, ARRAY[0.1, 0.5, 0.9])::text
		 IS NOT DISTINCT FROM (percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY x))::text AS numbers_ok,
	   percentiles(iv, '{{0.25,0.75},{0,1}}')::text
		 IS NOT DISTINCT FROM (percentile_cont('{{0.25,0.75},{0,1}}'::float8[]) WITHIN GROUP (ORDER BY iv))::text AS shape_ok
FROM samples GROUP BY g ORDER BY g;
SELECT percentiles(iv, ARRAY[0.5, NULL, 1]) AS with_null, percentiles(iv, '{}') AS empty,
	   percentiles(iv, '[0:1]={0.5,0.9}') AS lower_bound_zero
FROM samples;
SELECT percentiles(x, ARRAY[0.5]) FROM samples WHERE false;
SELECT percentiles(x, ARRAY[0.5]) FROM (VALUES (NULL::float8)) AS v(x);
-- the same fractions written with other bytes (-0 for 0) are the same fractions
SELECT percentiles(x, CASE WHEN x > 0 THEN ARRAY[0, 0.9] ELSE ARRAY['-0', 0.9] END)
FROM (VALUES (1.0::float8), (-2), (3)) AS v(x);
-- rolling: percentiles over a frame equal percentile_cont of the frame
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.p::text IS NOT DISTINCT FROM (
		   SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY s.iv)
		   FROM samples AS s WHERE s.id BETWEEN w.id - 9 AND w.id)::text) AS equal
FROM (SELECT id, percentiles(iv, ARRAY[0.5, 0.9]) OVER (ORDER BY id ROWS 9 PRECEDING) AS p
	  FROM samples) AS w;
-- errors
SELECT percentiles(x, NULL) FROM (VALUES (1.0::float8)) AS v(x);
SELECT percentiles(x, ARRAY[0.5, 1.5]) FROM (VALUES (1.0::float8)) AS v(x);
SELECT percentiles(x, ARRAY['NaN'::float8]) FROM (VALUES (1.0::float8)) AS v(x);
SELECT percentiles(x, CASE WHEN x > 1 THEN ARRAY[0.5] ELSE ARRAY[0.9] END)
FROM (VALUES (1.0::float8), (2.0)) AS v(x);

-- forced parallel plan for percentiles() and for the packed states and
-- transfer: whole seconds, milliseconds, microseconds within 71 minutes
-- (packed), microseconds over a wider range as days and times (not packed),
-- whole seconds with a few milliseconds late in a group (packed chunks, then
-- 8-byte keys), and a group whose workers' shares come in different forms
-- (times only in some, months in others)
CREATE TABLE packed AS
SELECT i, i % 2 AS g,
	   (i::bigint * 7919 % 1000003) * interval '1 s' AS secs,
	   (i::bigint * 7919 % 1000003) * interval '1 ms' AS msecs,
	   (i::bigint * 7919 % 1000003) * interval '1 microsecond' AS usecs,
	   timestamptz '2026-01-01' + (i::bigint * 7919 % 1000003) * interval '4321001 microseconds'
		 - timestamptz '2026-01-01' AS wide_usecs,
	   CASE WHEN i > 290000 THEN make_interval(months => 1, secs => i % 1000) ELSE i * interval '1 s' END AS late_months,
	   (i::bigint * 7919 % 1000003) * interval '1 s' + CASE WHEN i % 50000 = 0 THEN interval '1 ms' ELSE interval '0' END AS late_msecs
FROM generate_series(1, 300000) AS i;
ANALYZE packed;
CREATE TEMP TABLE packed_serial AS
SELECT g, percentiles(secs, ARRAY[0.5, 0.9]) AS secs, median(msecs) AS msecs, median(usecs) AS usecs,
	   median(wide_usecs) AS wide_usecs, percentile(late_months, 0.99) AS late_months,
	   percentiles(extract(epoch FROM msecs)::float8, ARRAY[0.5, 0.9]) AS numbers,
	   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY secs) AS pc_secs,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY msecs) AS pc_msecs,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY usecs) AS pc_usecs,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY wide_usecs) AS pc_wide,
	   percentile_cont(0.99) WITHIN GROUP (ORDER BY late_months) AS pc_late,
	   percentiles(late_msecs, ARRAY[0.25, 0.5]) AS late_msecs,
	   percentile_cont(ARRAY[0.25, 0.5]) WITHIN GROUP (ORDER BY late_msecs) AS pc_late_msecs
FROM packed GROUP BY g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT g, percentiles(secs, ARRAY[0.5, 0.9]), median(msecs), median(usecs), median(wide_usecs),
	   percentile(late_months, 0.99), percentiles(extract(epoch FROM msecs)::float8, ARRAY[0.5, 0.9])
FROM packed GROUP BY g;
CREATE TEMP TABLE packed_parallel AS
SELECT g, percentiles(secs, ARRAY[0.5, 0.9]) AS secs, median(msecs) AS msecs, median(usecs) AS usecs,
	   median(wide_usecs) AS wide_usecs, percentile(late_months, 0.99) AS late_months,
	   percentiles(extract(epoch FROM msecs)::float8, ARRAY[0.5, 0.9]) AS numbers,
	   percentiles(late_msecs, ARRAY[0.25, 0.5]) AS late_msecs
FROM packed GROUP BY g;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT g,
	   p.secs::text = s.secs::text AND p.secs::text = s.pc_secs::text AS secs_ok,
	   p.msecs::text = s.msecs::text AND p.msecs::text = s.pc_msecs::text AS msecs_ok,
	   p.usecs::text = s.usecs::text AND p.usecs::text = s.pc_usecs::text AS usecs_ok,
	   p.wide_usecs::text = s.wide_usecs::text AND p.wide_usecs::text = s.pc_wide::text AS wide_ok,
	   p.late_months::text = s.late_months::text AND p.late_months::text = s.pc_late::text AS forms_ok,
	   p.numbers::text = s.numbers::text AS numbers_ok,
	   p.late_msecs::text = s.late_msecs::text AND p.late_msecs::text = s.pc_late_msecs::text AS late_msecs_ok
FROM packed_parallel AS p JOIN packed_serial AS s USING (g)
ORDER BY g;

-- errors: bad durations and numbers
SELECT median(x) FROM (VALUES (interval '1 h'), (interval '-1 s')) AS v(x);
SELECT median(x) FROM (VALUES (interval '1 mon -31 days')) AS v(x);
SELECT median(x) FROM (VALUES (interval '178000000 years')) AS v(x);
SELECT median(x) FROM (VALUES ('NaN'::float8)) AS v(x);
SELECT percentile(x, 0.5) FROM (VALUES ('-Infinity'::float8)) AS v(x);
SELECT median_resolution(o, r) FROM (VALUES (timestamptz '2026-01-02', timestamptz '2026-01-01')) AS v(o, r);
SELECT median_resolution(o, r) FROM (VALUES (timestamptz '2026-01-02', timestamptz 'infinity')) AS v(o, r);
SELECT median_resolution(o, r) FROM (VALUES (timestamptz '4713-01-01 BC', timestamptz '294276-01-01')) AS v(o, r);
-- errors: bad fractions, checked even on rows whose value is NULL
SELECT percentile(x, 1.5) FROM (VALUES (1.0::float8)) AS v(x);
SELECT percentile(x, -0.1) FROM (VALUES (interval '1 s')) AS v(x);
SELECT percentile(x, 'NaN') FROM (VALUES (1.0::float8)) AS v(x);
SELECT handle_time_percentile(x, NULL) FROM (VALUES (interval '1 s')) AS v(x);
SELECT percentile(x, 2) FROM (VALUES (NULL::float8)) AS v(x);
SELECT percentile(x, f) FROM (VALUES (1.0::float8, 0.5), (2.0, 0.9)) AS v(x, f);
SELECT percentile(x, f) FROM (VALUES (interval '1 s', 0.5), (NULL, 0.9)) AS v(x, f);
\set VERBOSITY sqlstate
SELECT percentile(x, 1.5) FROM (VALUES (1.0::float8)) AS v(x);
SELECT median(x) FROM (VALUES (interval '-1 s')) AS v(x);
\set VERBOSITY default
