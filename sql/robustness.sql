-- Robustness across the families (#15): arithmetic at the ends of every range,
-- non-finite values, support functions called the wrong way, state sizes and
-- the SQLSTATE of each kind of mistake (README, "Conventions for every
-- family").  Each case has a plain-SQL or hand-computed expectation.
CREATE SCHEMA robustness_test;
SET search_path = robustness_test, public;

-- the SQLSTATE and message of a statement, or its result
CREATE FUNCTION outcome(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	EXECUTE query INTO result;
	RETURN 'ok: ' || coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- === business hours: no wrap-around past 2^63 microseconds ===================

-- a near-24/7 calendar over the whole timestamp range: 9.4e18 us of working
-- time, more than an interval holds: interval out of range (22008), never a
-- negative interval (the UTC zone takes one piece, Europe/Berlin walks its
-- offset changes before 1900 and after 2200, mon-fri five sevenths of it)
SELECT cal, outcome(format($q$SELECT business_duration('4713-01-01 BC', '294276-12-31', %L)$q$, cal))
FROM (VALUES ('mon-sun 00:00-24:00'), ('mon-sun 00:00-23:59:59'),
			 ('mon-sun 00:00-23:59:59; tz=Europe/Berlin'), ('mon-fri 00:00-24:00; tz=America/New_York')) AS v(cal);

-- just inside the range: the whole span of a 24/7 calendar is finish - start
SELECT business_duration(t0, t0 + interval '9223372036854775807 microseconds', 'mon-sun 00:00-24:00') =
	   interval '9223372036854775807 microseconds' AS exact_at_the_limit
FROM (VALUES (timestamptz '4713-01-01 00:00:00+00 BC')) AS v(t0);
-- and a 5-day week over 290,000 years: the weekdays of the span, counted in SQL
SELECT business_duration(date '1000-01-03', date '291000-01-01', 'mon-fri 00:00-24:00') =
	   (SELECT (((date '291000-01-01' - date '1000-01-03') / 7) * 5 +
				count(*) FILTER (WHERE (extract(isodow FROM date '1000-01-03')::int - 1 + j) % 7 < 5)) * interval '1 day'
		FROM generate_series(0, (date '291000-01-01' - date '1000-01-03') % 7 - 1) AS j) AS weekdays;

-- business_add past the largest timestamp is 22008 too
SELECT outcome($q$SELECT business_add('294000-01-01', '300 years', 'mon-sun 00:00-23:59:59; tz=Europe/Berlin')$q$);

-- === sparkline: subnormal and extreme series ==================================

-- against the formula computed in numeric: level = floor(8 (x - min) / (max - min)),
-- at most 7, from the shortest decimal of each double (extra_float_digits = 3),
-- whose ratios are those of the doubles for these series
SET extra_float_digits = 3;
CREATE TABLE series (name text, x float8[]);
INSERT INTO series VALUES
	('subnormal', ARRAY[0, 5e-324, 1e-323, 1.5e-323, 2e-323]),
	('subnormal around zero', ARRAY[-5e-324, 0, 5e-324]),
	('smallest normal', ARRAY[2.2250738585072014e-308, 3.3e-308, 4.4e-308]),
	('huge range', ARRAY[-1.7976931348623157e308, -1e308, 0, 1e308, 1.7976931348623157e308]),
	('next to max', ARRAY[1, 1.9999999999999998, 2]);
SELECT name, sparkline(x),
	   sparkline(x) = (SELECT string_agg(CASE WHEN v IS NULL THEN ' '
									   ELSE chr(9601 + least(7, floor(8 * (v::text::numeric - lo) / (hi - lo)))::int) END, '' ORDER BY n)
					  FROM unnest(x) WITH ORDINALITY AS u(v, n),
						   LATERAL (SELECT min(w::text::numeric) AS lo, max(w::text::numeric) AS hi FROM unnest(x) AS w) AS m) AS matches
FROM series ORDER BY name;
RESET extra_float_digits;

-- === z-scores: finite wherever the true value is ==============================

-- robust_zscore = (x - median) / (1.482602218505602 * MAD), scale-free: the
-- same as on the series divided by its largest power of two
SELECT robust_zscore(1e308, -1e308, 1e308) = robust_zscore(1, -1, 1) AS huge_deviation,
	   robust_zscore(1e-323, 0, 5e-324) = robust_zscore(2, 0, 1) AS subnormal_mad,
	   robust_zscore(1, 0, 5e-324) AS beyond_the_double_range,
	   robust_zscore(1, '{-1.7e308,0,1.7e308,1.7e308}') = robust_zscore(1e-308, '{-1.7,0,1.7,1.7}') AS huge_history,
	   robust_zscore(2e-323, '{5e-324,1e-323,1.5e-323,5e-324}') = robust_zscore(4, '{1,2,3,1}') AS subnormal_history;
-- EWMA: the same recurrence on a history scaled by a power of two
SELECT ewma_zscore(1, '{1e300,-1e300,1e300,-1e300,0}', 0.3) AS huge_history,
	   ewma_zscore(1e-300, '{1,-1,1,-1,0}', 0.3) AS scaled_down,
	   ewma_zscore(2e-323, '{5e-324,1e-323,1.5e-323,5e-324}', 0.3) = ewma_zscore(4, '{1,2,3,1}', 0.3) AS subnormal_history,
	   ewma_zscore(1e308, '{1.7e308,-1.7e308,1.7e308}', 0.5) AS no_overflow;

-- === support functions called directly: clean errors, valid results ==========

-- removing what was never added: 22003, never XX000, never a value later reads reject
SELECT f, outcome(f) FROM (VALUES
	('SELECT kpi_score_inv(NULL, 5)'),
	('SELECT kpi_score_uncombine(''v1:0,0,0,0,0,1,0,0,0,0,0'', ''v1:0,0,0,0,0,0,1,0,0,0,0'')'),
	('SELECT kpi_rate_inv(''v1:1/1'', false)'),
	('SELECT kpi_rate_inv(''v1:0/1'', true)'),
	('SELECT kpi_rate_uncombine(''v1:1/2'', ''v1:0/2'')'),
	('SELECT kpi_sla_inv(''v1:3/3'', ''1 hour'', ''30 minutes'')'),
	('SELECT kpi_service_level_inv(''v1:1/1'', ''1 minute'', true, ''20 seconds'')'),
	('SELECT kpi_abandonment_inv(''v1:0/1'', ''1 minute'', false, ''5 seconds'')'),
	('SELECT kpi_rate_inv(''v1:1/2'', false)::text')) AS v(f);
-- a duration_summary of 1 s, 2 s and 100 s: a value between min and max in no
-- bucket, a value in the minimum's bucket (whose only value is the minimum),
-- a summary that was never merged
CREATE TABLE three AS SELECT duration_agg(x * interval '1 second') AS s FROM unnest(ARRAY[1, 2, 100]) AS x;
SELECT f, outcome(f) FROM (VALUES
	('SELECT kpi_sketch_inv(s, ''50 seconds'') FROM three'),
	('SELECT kpi_sketch_inv(s, ''1.005 seconds'') FROM three'),
	('SELECT kpi_sketch_inv_seconds(s, 1.005) FROM three'),
	('SELECT kpi_sketch_uncombine((SELECT s FROM three), duration_agg(x)) FROM (VALUES (interval ''2 seconds''), (interval ''50 seconds'')) AS v(x)'),
	('SELECT kpi_sketch_inv(s, ''2 seconds'')::text FROM three'),
	('SELECT kpi_sketch_inv(s, ''100 seconds'')::text FROM three')) AS v(f);
-- the percentile family's internal state is out of reach of SQL; an aggregate
-- made of the wrong support functions gets a clean error (22023 or 22003)
CREATE AGGREGATE inverse_first(double precision) (sfunc = kpi_percentile_float8_inv, stype = internal,
												  finalfunc = kpi_percentile_float8_final);
CREATE AGGREGATE mixed_final(double precision, double precision[]) (sfunc = kpi_percentiles_float8_accum,
																	 stype = internal, finalfunc = kpi_percentile_float8_final);
CREATE AGGREGATE removes_first(double precision) (sfunc = kpi_percentile_float8_accum, stype = internal,
												  finalfunc = kpi_percentile_float8_final,
												  msfunc = kpi_percentile_float8_inv, minvfunc = kpi_percentile_float8_accum,
												  mstype = internal, mfinalfunc = kpi_percentile_float8_final);
SELECT outcome('SELECT inverse_first(x) FROM generate_series(1, 3) AS x') AS inverse_first,
	   outcome('SELECT mixed_final(x, ''{0.5}'') FROM generate_series(1, 3) AS x') AS mixed_final,
	   outcome('SELECT array_agg(m)::text FROM (SELECT removes_first(x) OVER (ORDER BY x ROWS 1 PRECEDING) AS m FROM generate_series(1, 3) AS x) AS w') AS removes_first;
-- a state of another family (PostgreSQL's own bigint average, whose fields
-- after the first eight bytes are counts and sums the rows choose) handed to
-- the percentile support functions: recognised by its first bytes, never read
-- as a percentile state, whatever the rows made of the bytes after them
CREATE AGGREGATE foreign_state(bigint) (sfunc = int8_avg_accum, stype = internal,
										finalfunc = kpi_percentile_float8_final);
CREATE AGGREGATE foreign_state_ci(bigint) (sfunc = int8_avg_accum, stype = internal,
										   finalfunc = kpi_percentile_ci_float8_low);
SELECT n, outcome(format('SELECT foreign_state(x) FROM (SELECT 9000000000000000000 FROM generate_series(1, %s)) AS v(x)', n)) AS final,
	   outcome(format('SELECT foreign_state_ci(x) FROM (SELECT 9000000000000000000 FROM generate_series(1, %s)) AS v(x)', n)) AS ci_final
FROM unnest(ARRAY[1, 2, 257, 258]) AS n;
-- the same for an aggregate over a summary type: the inverse as its transition
CREATE AGGREGATE score_removed(integer) (sfunc = kpi_score_inv, stype = score_summary,
										 initcond = 'v1:0,0,0,0,0,2,0,0,0,0,0');
SELECT outcome('SELECT score_removed(x) FROM (VALUES (5), (5)) AS v(x)') AS removes_both,
	   outcome('SELECT score_removed(x) FROM (VALUES (5), (5), (5)) AS v(x)') AS removes_a_third;

-- === counts near 2^63: errors, not values that later reads reject =============

SELECT f, outcome(f) FROM (VALUES
	('SELECT kpi_score_accum(''v1:9223372036854775807,0,0,0,0,0,0,0,0,0,0'', 3)'),
	('SELECT rollup(s) FROM (VALUES (''v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807''::score_summary), (''v1:1,0,0,0,0,0,0,0,0,0,0'')) AS v(s)'),
	('SELECT kpi_score_combine(''v1:4611686018427387903,0,0,0,0,0,0,0,0,0,4611686018427387904'', ''v1:0,1,0,0,0,0,0,0,0,0,0'')'),
	('SELECT kpi_score_accum(''v1:9223372036854775806,0,0,0,0,0,0,0,0,0,0'', 3)::text')) AS v(f);

-- === one SQLSTATE per kind of mistake ==========================================

-- a literal whose counts add up to more than 2^63 - 1 is malformed: 22P02
SELECT lit, outcome(format('SELECT %s', lit)) FROM (VALUES
	('''v1:0,0,0,0,0,0,0,0,0,9223372036854775807,1''::score_summary'),
	('''v1:a=0.01,n=9223372036854775807,z=9223372036854775807,sum=0,min=0,max=0;1:1''::duration_summary'),
	('''v1:1d;UTC;0;9223372036854775807/0,1/0''::ticket_flow')) AS v(lit);
-- finish before start, or a negative duration: 22003 in every family
SELECT f, outcome(f) FROM (VALUES
	('SELECT business_duration(''2026-03-02 10:00+00'', ''2026-03-02 09:00+00'', ''mon-fri 09:00-17:00'')'),
	('SELECT business_add(''2026-03-02 10:00+00'', ''-1 hour'', ''mon-fri 09:00-17:00'')'),
	('SELECT median_resolution(o, r) FROM (VALUES (timestamptz ''2026-03-02 10:00+00'', timestamptz ''2026-03-02 09:00+00'')) AS v(o, r)'),
	('SELECT ticket_flow_agg(o, r, ''1 day'') FROM (VALUES (timestamptz ''2026-03-02 10:00+00'', timestamptz ''2026-03-02 09:00+00'')) AS v(o, r)'),
	('SELECT duration_agg(r - o) FROM (VALUES (timestamptz ''2026-03-02 10:00+00'', timestamptz ''2026-03-02 09:00+00'')) AS v(o, r)'),
	('SELECT median(r - o) FROM (VALUES (timestamptz ''2026-03-02 10:00+00'', timestamptz ''2026-03-02 09:00+00'')) AS v(o, r)'),
	('SELECT sla_adherence(r - o, ''1 hour'') FROM (VALUES (timestamptz ''2026-03-02 10:00+00'', timestamptz ''2026-03-02 09:00+00'')) AS v(o, r)'),
	('SELECT age_bucket(''-1 hour'')')) AS v(f);

-- === duration_agg: a state of O(rows), whatever the span of the values ==========

-- an aggregate without a final function returns its working state as it is:
-- two durations from 1 us to 200,000 years at relative error 0.0001 (218,000
-- buckets apart) take two entries, not a window of 218,000 counters (1.7 MB)
CREATE AGGREGATE raw_sketch(interval, double precision) (sfunc = kpi_sketch_accum_alpha, stype = duration_summary);
CREATE TABLE spans (g int, d interval);
INSERT INTO spans VALUES (1, '1 microsecond'), (1, '200000 years'), (2, '1 second'), (2, '2 seconds'),
	(3, '1 microsecond'), (3, '1 hour'), (3, '200000 years'), (3, '1 day'), (3, '1 microsecond');
SELECT g, pg_column_size(raw_sketch(d, 0.0001)) < 1000 AS small_state,
	   raw_sketch(d, 0.0001)::text = duration_agg(d, 0.0001)::text AS same_summary,
	   pg_column_size(duration_agg(d, 0.0001)) AS stored_bytes
FROM spans GROUP BY g ORDER BY g;
-- the state moves between its dense and sparse forms as the values fill
-- their range: at 0.0001, 3000 values of 1 .. 3000 us are 3000 buckets spread
-- over 40,000, then 50,000 values of 1 to 10 s fill 2,300 more; at 0.01, 1 us
-- and 1 hour are two buckets 1,100 apart (sparse), then 20,000 values between
-- 1 ms and 1 hour fill the buckets between (dense again), then 200,000 years.
-- The size follows the buckets in use, and the summary is the same in any
-- order of the values and as the rollup of one summary per value.
CREATE TABLE fill (g int, a float8, n int, d interval);
INSERT INTO fill SELECT 1, 0.0001, x, x * interval '1 microsecond' FROM generate_series(1, 3000) AS x;
INSERT INTO fill SELECT 1, 0.0001, 3000 + x, interval '1 second' + (x % 2300) * interval '4 milliseconds' FROM generate_series(1, 50000) AS x;
INSERT INTO fill VALUES (1, 0.0001, 0, '200000 years'), (2, 0.01, 1, '1 microsecond'), (2, 0.01, 2, '1 hour'),
	(2, 0.01, 30000, '200000 years');
INSERT INTO fill SELECT 2, 0.01, 2 + x, interval '1 millisecond' * exp(x * ln(3600000.0) / 20000) FROM generate_series(1, 20000) AS x;
SELECT g, pg_column_size(raw_sketch(d, a ORDER BY n)) < 40 * count(*) AS bounded_by_rows,
	   raw_sketch(d, a ORDER BY n)::text = raw_sketch(d, a ORDER BY -n)::text AS descending,
	   raw_sketch(d, a ORDER BY n)::text = raw_sketch(d, a ORDER BY n % 7, n)::text AS shuffled,
	   raw_sketch(d, a ORDER BY n)::text = (SELECT rollup(s ORDER BY n)::text
											 FROM (SELECT n, duration_agg(d, a) AS s FROM fill AS f2 WHERE f2.g = fill.g GROUP BY n) AS p) AS rollup,
	   num_values(raw_sketch(d, a)) = count(*) AS count,
	   total(duration_agg(d, a)) = sum(d) AS total,
	   min_value(raw_sketch(d, a)) = min(d) AND max_value(raw_sketch(d, a)) = max(d) AS min_max
FROM fill GROUP BY g ORDER BY g;
-- 3000 buckets in use: 3000 entries of 16 bytes and room for half as many
-- more, not 40,000 counters of 8 bytes (320 kB)
SELECT pg_column_size(raw_sketch(d, a ORDER BY n)) AS first_3000_bytes FROM fill WHERE g = 1 AND n BETWEEN 1 AND 3000;
-- removing values from either form in a sliding window
SELECT g, bool_and(w = r) AS window_equals_recomputation, count(*)
FROM (SELECT g, n, w,
			 (SELECT duration_agg(f2.d, f2.a ORDER BY f2.n) FROM fill AS f2
			  WHERE f2.g = x.g AND f2.n IN (SELECT n FROM fill AS f3 WHERE f3.g = x.g AND f3.n <= x.n ORDER BY n DESC LIMIT 6))::text AS r
	  FROM (SELECT g, n, duration_agg(d, a) OVER (PARTITION BY g ORDER BY n ROWS BETWEEN 5 PRECEDING AND CURRENT ROW)::text AS w
			FROM fill) AS x
	  WHERE n < 400 OR (g = 2 AND n > 19900)) AS y
GROUP BY g ORDER BY g;

-- a sliding window over such values equals the aggregate recomputed over each frame
SELECT bool_and(w = r) AS window_equals_recomputation, count(*)
FROM (SELECT i, duration_agg(d, 0.0001) OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)::text AS w,
			 (SELECT duration_agg(d2, 0.0001) FROM (SELECT d AS d2 FROM (SELECT row_number() OVER () AS j, d FROM spans) AS s2
													WHERE s2.j BETWEEN x.i - 3 AND x.i) AS f)::text AS r
	  FROM (SELECT row_number() OVER () AS i, d FROM spans) AS x) AS y;
-- a dense working value stored by a plain call of 0.6.0 (format v1) still reads
SELECT s::text, num_values(s), pg_column_size(s) AS bytes
FROM (SELECT raw_sketch(x * interval '1 second', 0.01) AS s FROM generate_series(1, 3) AS x) AS v;
-- a plain call returns the canonical compact form
SELECT pg_column_size(kpi_sketch_accum_alpha(kpi_sketch_accum_alpha(NULL, '1 microsecond', 0.0001), '200000 years', 0.0001)) AS plain_call_bytes;

-- === emptied moving states remember nothing ======================================

-- rollup(duration_summary) over a frame that loses its summaries keeps no
-- relative error: a summary of another one enters next
CREATE TABLE parts (i int, s duration_summary);
INSERT INTO parts
SELECT 1, duration_agg(interval '1 second', 0.05)
UNION ALL SELECT 2, NULL
UNION ALL SELECT 3, NULL
UNION ALL SELECT 4, duration_agg(interval '2 seconds', 0.2);
SELECT i, rollup(s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)::text FROM parts ORDER BY i;
-- a moving median keeps no fraction of rows that left the frame: a frame of
-- NULL values and a new fraction, as recomputing the frame accepts
SELECT i, percentile(x, f) OVER (ORDER BY i ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS p
FROM (VALUES (1, 1.0, 0.5), (2, NULL, 0.9), (3, 3.0, 0.9)) AS v(i, x, f) ORDER BY i;

-- === exact percentiles and t quantiles at the ends of the double range ===========

-- between values of opposite signs near the largest double, percentile_cont's
-- lo + p (hi - lo) overflows to infinity; the weighted mean does not
SELECT median(x), percentile(x, 0.25), percentiles(x, '{0.1,0.9}'),
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS percentile_cont_overflows
FROM (VALUES (-1.7e308::float8), (1.7e308)) AS v(x);
-- and elsewhere the bits are percentile_cont's
SELECT bool_and(m = c) AS same_bits
FROM (SELECT percentile(x, f) AS m, percentile_cont(f) WITHIN GROUP (ORDER BY x) AS c
	  FROM (SELECT (g * 0.37)::float8 AS x FROM generate_series(-50, 50) AS g) AS v,
		   unnest(ARRAY[0, 0.1, 0.25, 0.333, 0.5, 0.9, 1]) AS f GROUP BY f) AS r;
-- a t quantile beyond the doubles (one degree of freedom, p below 1e-308) is an error
SELECT t_quantile(1e-300, 1) AS finite, outcome('SELECT t_quantile(5e-324, 1)') AS beyond;

-- === intervals whose fields pass 2^63 microseconds between them ==================

-- months and days make 1.6e19 us, the time field brings the whole back to
-- 7.4e18: a duration like any other, not out of range
SELECT median(d) = d AS median, num_values(duration_agg(d)) AS sketched, sla_adherence(d, d) AS sla,
	   age_bucket(d) AS aged
FROM (SELECT interval '3000000 mons 100000000 days' + interval '-2500000000 hours' AS d) AS v GROUP BY d;
-- and one really beyond: 22008
SELECT outcome($q$SELECT median(interval '3000000 mons 100000000 days')$q$);
