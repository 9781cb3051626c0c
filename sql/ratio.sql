-- Ratios of sums: utilization, occupancy, schedule adherence, quality score, AHT and
-- ratio_summary, each against a plain-SQL formula (float results within 1e-9)
CREATE SCHEMA ratio_test;
SET search_path = ratio_test, public;

-- deterministic agent days and contacts: 3 teams over 75 days, some NULLs, times with
-- fractions of a second, a few zero-length days; every row has busy <= available etc.
CREATE TABLE days_t AS
SELECT i AS id,
	   (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   date '2026-01-01' + (i / 40) AS day,
	   CASE WHEN i % 23 = 0 THEN NULL ELSE make_interval(secs => (i * 7919) % 20000 + (i % 8) * 0.125) END AS busy,
	   CASE WHEN i % 19 = 0 THEN NULL WHEN i % 97 = 0 THEN interval '0'
			ELSE make_interval(secs => (i * 7919) % 20000 + (i % 8) * 0.125 + (i * 31) % 9000 + 600 * (i % 3)) END AS available,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE make_interval(secs => (i * 37) % 25000 + 0.000001 * (i % 1000)) END AS handle,
	   CASE WHEN i % 13 = 0 THEN NULL ELSE make_interval(secs => (i * 37) % 25000 + 3600 + (i * 41) % 4000) END AS staffed,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE make_interval(mins => 480 - (i * 43) % 90) END AS adherent,
	   CASE WHEN i % 29 = 0 THEN NULL ELSE interval '8 hours' END AS scheduled,
	   CASE WHEN i % 7 = 0 THEN NULL ELSE ((i * 47) % 101) / 4.0 END AS qa_points,
	   CASE WHEN i % 31 = 0 THEN NULL ELSE (ARRAY[25.25, 30, 27.5])[1 + i % 3] END AS qa_max,
	   CASE WHEN i % 5 = 0 THEN NULL ELSE make_interval(secs => (i * 53) % 900 + 0.001 * (i % 997)) END AS talk,
	   CASE WHEN i % 3 = 0 THEN NULL ELSE make_interval(secs => (i * 59) % 120) END AS hold,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE make_interval(secs => (i * 61) % 300 + 0.000007 * (i % 13)) END AS wrap,
	   CASE WHEN i % 37 = 0 THEN NULL ELSE ((i * 67) % 1000) / 8.0 - 20 END AS x,
	   CASE WHEN i % 41 = 0 THEN NULL ELSE ((i * 71) % 500) / 16.0 + 1 END AS y
FROM generate_series(1, 3000) AS i;

-- the data has zero-length days, rows with only one part of a contact, and contacts with none
SELECT count(*) FILTER (WHERE available = '0') AS zero_days,
	   count(*) FILTER (WHERE talk IS NULL AND hold IS NULL AND wrap IS NULL) AS no_contact,
	   count(*) FILTER (WHERE num_nonnulls(talk, hold, wrap) = 1) AS one_part,
	   count(*) FILTER (WHERE busy > available OR handle > staffed OR adherent > scheduled OR qa_points > qa_max) AS over_100
FROM days_t;

-- a ratio of sums is not the mean of the rows' ratios
SELECT utilization(b, a), avg(100 * extract(epoch FROM b) / extract(epoch FROM a)) AS mean_of_ratios
FROM (VALUES (interval '1 hour', interval '1 hour'), (interval '1 hour', interval '4 hours')) AS v(b, a);

-- one-step aggregates against their formulas, per team
SELECT team,
	   round(utilization(busy, available), 6) AS utilization,
	   abs(utilization(busy, available) - 100 * sum(extract(epoch FROM busy)) FILTER (WHERE available IS NOT NULL)
		   / sum(extract(epoch FROM available)) FILTER (WHERE busy IS NOT NULL)) < 1e-9 AS utilization_ok,
	   abs(occupancy(handle, staffed) - 100 * sum(extract(epoch FROM handle)) FILTER (WHERE staffed IS NOT NULL)
		   / sum(extract(epoch FROM staffed)) FILTER (WHERE handle IS NOT NULL)) < 1e-9 AS occupancy_ok,
	   abs(schedule_adherence(adherent, scheduled) - 100 * sum(extract(epoch FROM adherent)) FILTER (WHERE scheduled IS NOT NULL)
		   / sum(extract(epoch FROM scheduled)) FILTER (WHERE adherent IS NOT NULL)) < 1e-9 AS adherence_ok,
	   round(quality_score(qa_points, qa_max), 6) AS quality,
	   abs(quality_score(qa_points, qa_max) - 100 * sum(qa_points) FILTER (WHERE qa_max IS NOT NULL)
		   / sum(qa_max) FILTER (WHERE qa_points IS NOT NULL)) < 1e-9 AS quality_ok,
	   aht(talk, hold, wrap),
	   abs(extract(epoch FROM aht(talk, hold, wrap)
			   - avg(coalesce(talk, '0') + coalesce(hold, '0') + coalesce(wrap, '0'))
				 FILTER (WHERE num_nonnulls(talk, hold, wrap) > 0))) <= 0.000001 AS aht_ok,
	   abs(ratio(ratio_agg(x, y)) - (sum(x) FILTER (WHERE y IS NOT NULL) / sum(y) FILTER (WHERE x IS NOT NULL))) < 1e-12 AS ratio_ok,
	   abs(ratio(ratio_agg(busy, available)) - sum(extract(epoch FROM busy)) FILTER (WHERE available IS NOT NULL)
		   / sum(extract(epoch FROM available)) FILTER (WHERE busy IS NOT NULL)) < 1e-12 AS ratio_interval_ok
FROM days_t
GROUP BY team
ORDER BY team;

-- readable values, and the two-step forms give the one-step results
SELECT utilization(b, a), occupancy(b, a), schedule_adherence(b, a),
	   utilization(ratio_agg(b, a)), ratio(ratio_agg(b, a)), ratio_agg(b, a)
FROM (VALUES (interval '6 hours', interval '8 hours'), (interval '1 hour', interval '2 hours'),
			 (NULL, interval '8 hours'), (interval '8 hours', NULL)) AS v(b, a);
SELECT quality_score(p, m), quality_score(ratio_agg(p, m)), ratio_agg(p, m)
FROM (VALUES (18.5, 20), (7, 10), (NULL, 10), (3, NULL)) AS v(p, m);
SELECT aht(t, h, w), aht(aht_agg(t, h, w)), aht_agg(t, h, w)
FROM (VALUES (interval '5 minutes', interval '1 minute', interval '2 minutes'),
			 (interval '3 minutes', NULL, NULL),
			 (NULL, NULL, interval '30 seconds'),
			 (NULL, NULL, NULL)) AS v(t, h, w);
SELECT ratio(s), numerator(s), denominator(s), num_rows(s), s
FROM (SELECT ratio_agg(x, y) AS s FROM (VALUES (1.5, 2.0), (-0.25, 0.5), (NULL, 1), (1, NULL)) AS v(x, y)) AS r;
-- ratio_agg over intervals accepts negative intervals and months of 30 days
SELECT ratio_agg(n, d), ratio(ratio_agg(n, d))
FROM (VALUES (interval '-1 hour', interval '1 mon'), (interval '2 hours', interval '-10 days')) AS v(n, d);

-- boundaries: 0% and 100%, a denominator of zero, compensated sums keep small parts
SELECT utilization(b, a) FROM (VALUES (interval '0', interval '1 hour'), (interval '0', interval '1 hour')) AS v(b, a);
SELECT utilization(b, a) FROM (VALUES (interval '1 hour', interval '1 hour')) AS v(b, a);
SELECT utilization(b, a), ratio_agg(b, a) FROM (VALUES (interval '0', interval '0')) AS v(b, a);
SELECT quality_score(p, m), ratio(ratio_agg(p::float8, m::float8)) FROM (VALUES (0, 0), (0, 0)) AS v(p, m);
SELECT aht(t, h, w) FROM (VALUES (interval '0', NULL::interval, NULL::interval)) AS v(t, h, w);
SELECT s, numerator(s) - 1e16 AS kept, naive - 1e16 AS naive_kept, s::text::ratio_summary::text = s::text AS text_ok
FROM (SELECT ratio_agg(x, 1) AS s, sum(x) AS naive FROM (VALUES (1e16::float8), (1), (1), (1)) AS v(x)) AS c;
SELECT id, numerator(ratio_agg(x, 1) OVER (ORDER BY id ROWS 1 PRECEDING))
FROM (VALUES (1, 1e20::float8), (2, 3), (3, 5), (4, -1e20), (5, 0.5)) AS v(id, x) ORDER BY id;

-- NULL and empty: rows with a NULL are skipped; no such row gives NULL, counts give 0
SELECT utilization(b, a), occupancy(b, a), schedule_adherence(b, a), ratio_agg(b, a)
FROM (VALUES (NULL::interval, interval '1 hour'), (interval '1 hour', NULL)) AS v(b, a);
SELECT quality_score(p, m), aht(b, b, b), aht_agg(b, b, b), ratio_agg(p::float8, m::float8)
FROM (VALUES (NULL::numeric, NULL::numeric, NULL::interval)) AS v(p, m, b);
SELECT utilization(b, a), aht(b, a, b), ratio_agg(1.0, 2.0)
FROM (VALUES (interval '1 hour', interval '2 hours')) AS v(b, a) WHERE false;
SELECT rollup(s), ratio(rollup(s)) FROM (VALUES (NULL::ratio_summary)) AS v(s);
SELECT ratio(s), utilization(s), aht(s), numerator(s), denominator(s), num_rows(s), s
FROM (SELECT 'v1:n=0,num=0,den=0'::ratio_summary AS s) AS e;

-- accessors on a summary against the raw data
WITH s AS (SELECT ratio_agg(busy, available) AS s, aht_agg(talk, hold, wrap) AS a,
				  ratio_agg(qa_points::float8, qa_max::float8) AS q FROM days_t)
SELECT num_rows(s) = (SELECT count(*) FROM days_t WHERE busy IS NOT NULL AND available IS NOT NULL) AS rows_ok,
	   abs(numerator(s) - (SELECT sum(extract(epoch FROM busy)) FROM days_t WHERE available IS NOT NULL)) < 1e-6 AS numerator_ok,
	   abs(denominator(s) - (SELECT sum(extract(epoch FROM available)) FROM days_t WHERE busy IS NOT NULL)) < 1e-6 AS denominator_ok,
	   utilization(s) = (SELECT utilization(busy, available) FROM days_t) AS utilization_ok,
	   num_rows(a) = denominator(a) AND num_rows(a) = (SELECT count(*) FROM days_t WHERE num_nonnulls(talk, hold, wrap) > 0) AS contacts_ok,
	   aht(a) = (SELECT aht(talk, hold, wrap) FROM days_t) AS aht_ok,
	   quality_score(q) = (SELECT quality_score(qa_points, qa_max) FROM days_t) AS quality_ok,
	   s::text = (SELECT ratio_agg(extract(epoch FROM busy)::float8, extract(epoch FROM available)::float8) FROM days_t)::text AS seconds_ok
FROM s;

-- rollup of daily summaries equals the one-step result
CREATE TABLE daily_ratios AS
SELECT team, day, ratio_agg(busy, available) AS util_s, ratio_agg(adherent, scheduled) AS adh_s,
	   ratio_agg(qa_points::float8, qa_max::float8) AS qa_s, aht_agg(talk, hold, wrap) AS aht_s
FROM days_t GROUP BY team, day;

SELECT d.team,
	   abs(utilization(rollup(util_s)) - (SELECT utilization(busy, available) FROM days_t AS r WHERE r.team = d.team)) < 1e-9 AS utilization_ok,
	   abs(schedule_adherence(rollup(adh_s)) - (SELECT schedule_adherence(adherent, scheduled) FROM days_t AS r WHERE r.team = d.team)) < 1e-9 AS adherence_ok,
	   abs(quality_score(rollup(qa_s)) - (SELECT quality_score(qa_points, qa_max) FROM days_t AS r WHERE r.team = d.team)) < 1e-9 AS quality_ok,
	   abs(extract(epoch FROM aht(rollup(aht_s)) - (SELECT aht(talk, hold, wrap) FROM days_t AS r WHERE r.team = d.team))) <= 0.000001 AS aht_ok
FROM daily_ratios AS d
GROUP BY d.team ORDER BY d.team;

SELECT abs(ratio(rollup(s)) - (SELECT ratio(ratio_agg(busy, available)) FROM days_t)) < 1e-12 AS rollup_of_rollups_ok
FROM (SELECT team, rollup(util_s) AS s FROM daily_ratios GROUP BY team) AS per_team;

-- OVER with ROWS frames against recomputation of every frame
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE coalesce(abs(w.util - (
		   SELECT 100 * sum(extract(epoch FROM busy)) FILTER (WHERE available IS NOT NULL)
				  / nullif(sum(extract(epoch FROM available)) FILTER (WHERE busy IS NOT NULL), 0)
		   FROM days_t AS r WHERE r.id BETWEEN w.id - 27 AND w.id)) < 1e-9, w.util IS NULL)) AS utilization_equal,
	   count(*) FILTER (WHERE coalesce(abs(w.occ - (
		   SELECT 100 * sum(extract(epoch FROM handle)) FILTER (WHERE staffed IS NOT NULL)
				  / nullif(sum(extract(epoch FROM staffed)) FILTER (WHERE handle IS NOT NULL), 0)
		   FROM days_t AS r WHERE r.id BETWEEN w.id - 2 AND w.id + 2)) < 1e-9, w.occ IS NULL)) AS occupancy_equal,
	   count(*) FILTER (WHERE coalesce(abs(w.quality - (
		   SELECT 100 * sum(qa_points) FILTER (WHERE qa_max IS NOT NULL)
				  / nullif(sum(qa_max) FILTER (WHERE qa_points IS NOT NULL), 0)
		   FROM days_t AS r WHERE r.id BETWEEN w.id - 6 AND w.id)) < 1e-9, w.quality IS NULL)) AS quality_equal,
	   count(*) FILTER (WHERE coalesce(abs(extract(epoch FROM w.aht - (
		   SELECT avg(coalesce(talk, '0') + coalesce(hold, '0') + coalesce(wrap, '0'))
				  FILTER (WHERE num_nonnulls(talk, hold, wrap) > 0)
		   FROM days_t AS r WHERE r.id BETWEEN w.id - 9 AND w.id))) <= 0.000001, w.aht IS NULL)) AS aht_equal,
	   count(*) FILTER (WHERE coalesce(abs(w.ratio - (
		   SELECT sum(x) FILTER (WHERE y IS NOT NULL) / nullif(sum(y) FILTER (WHERE x IS NOT NULL), 0)
		   FROM days_t AS r WHERE r.id BETWEEN w.id - 3 AND w.id)) < 1e-9, w.ratio IS NULL)) AS ratio_equal,
	   count(*) FILTER (WHERE w.util IS NULL) AS utilization_null
FROM (SELECT id,
			 utilization(busy, available) OVER (ORDER BY id ROWS 27 PRECEDING) AS util,
			 occupancy(handle, staffed) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS occ,
			 quality_score(qa_points, qa_max) OVER (ORDER BY id ROWS 6 PRECEDING) AS quality,
			 aht(talk, hold, wrap) OVER (ORDER BY id ROWS 9 PRECEDING) AS aht,
			 ratio(ratio_agg(x, y) OVER (ORDER BY id ROWS 3 PRECEDING)) AS ratio
	  FROM days_t) AS w;

-- a rolling 7-day utilization from daily summaries equals the one-step one over the same days
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE abs(w.util - (SELECT utilization(busy, available) FROM days_t AS r
											WHERE r.team = w.team AND r.day BETWEEN w.day - 6 AND w.day)) < 1e-9) AS equal
FROM (SELECT team, day, utilization(rollup(util_s) OVER (PARTITION BY team ORDER BY day ROWS 6 PRECEDING)) AS util
	  FROM daily_ratios) AS w;

-- frames that start with NULL rows or slide over NULL-only rows: the KPIs are NULL (not 0,
-- not an error); in a window the summary of such a frame is empty rather than NULL
SELECT id, utilization(b, a) OVER w, ratio_agg(b, a) OVER w, aht(b, NULL, NULL) OVER w,
	   ratio(rollup(s) OVER w) AS rolled
FROM (VALUES (1, NULL::interval, NULL::interval, NULL::ratio_summary),
			 (2, interval '1 hour', interval '2 hours', 'v1:n=1,num=1,den=2'),
			 (3, NULL, interval '1 hour', NULL),
			 (4, interval '1 hour', NULL, NULL),
			 (5, interval '3 hours', interval '4 hours', 'v1:n=1,num=3,den=4')) AS v(id, b, a, s)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING)
ORDER BY id;

-- text round trip, and binary round trip through COPY
SELECT s::text, s::text::ratio_summary::text = s::text AS text_ok
FROM (SELECT ratio_agg(busy, available) AS s FROM days_t) AS x;
SELECT count(s) AS summaries, count(*) FILTER (WHERE s::text::ratio_summary::text = s::text) AS text_ok
FROM (SELECT util_s AS s FROM daily_ratios UNION ALL SELECT qa_s FROM daily_ratios UNION ALL SELECT aht_s FROM daily_ratios) AS x;
SELECT ' v1: n=2 , num= 1e+16 + 1 , den=-0.5 '::ratio_summary,
	   'v1:n=3,num=-1.7976931348623157e+308,den=5e-324'::ratio_summary;
CREATE TABLE copy_src AS SELECT team, day, util_s, qa_s, aht_s FROM daily_ratios;
\copy copy_src TO 'results/ratio_summary.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/ratio_summary.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied,
	   count(*) FILTER (WHERE a.util_s::text IS NOT DISTINCT FROM b.util_s::text
						AND a.qa_s::text IS NOT DISTINCT FROM b.qa_s::text
						AND a.aht_s::text IS NOT DISTINCT FROM b.aht_s::text) AS equal,
	   count(*) FILTER (WHERE a.aht_s IS NULL AND b.aht_s IS NULL) AS null_kept
FROM copy_src AS a JOIN copy_dst AS b USING (team, day);

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE days_big AS SELECT * FROM days_t, generate_series(1, 20) AS rep;
ANALYZE days_big;
CREATE TEMP TABLE serial_result AS
SELECT utilization(busy, available) AS util, quality_score(qa_points, qa_max) AS quality,
	   aht(talk, hold, wrap) AS aht, ratio_agg(x, y)::text AS s
FROM days_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT utilization(busy, available), quality_score(qa_points, qa_max), aht(talk, hold, wrap), ratio_agg(x, y)
FROM days_big;
SELECT p.util = s.util AS utilization_ok, p.quality = s.quality AS quality_ok, p.aht = s.aht AS aht_ok,
	   p.s = s.s AS summary_ok
FROM (SELECT utilization(busy, available) AS util, quality_score(qa_points, qa_max) AS quality,
			 aht(talk, hold, wrap) AS aht, ratio_agg(x, y)::text AS s
	  FROM days_big) AS p, serial_result AS s;
SELECT team, abs(utilization(rollup(util_s)) - (SELECT utilization(busy, available) FROM days_t AS r WHERE r.team = d.team)) < 1e-9 AS ok
FROM daily_ratios AS d GROUP BY team ORDER BY team;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors: negative durations and points, non-finite numbers, overflow
SELECT utilization(b, a) FROM (VALUES (interval '-1 hour', interval '1 hour')) AS v(b, a);
SELECT utilization(b, a) FROM (VALUES (interval '1 hour', interval '-1 hour')) AS v(b, a);
SELECT occupancy(b, a) FROM (VALUES (interval '-1 second', interval '1 hour')) AS v(b, a);
SELECT schedule_adherence(b, a) FROM (VALUES (interval '1 hour', interval '1 mon -31 days')) AS v(b, a);
SELECT aht(t, h, w) FROM (VALUES (interval '1 minute', interval '-1 second', NULL::interval)) AS v(t, h, w);
SELECT aht_agg(t, h, w) FROM (VALUES (NULL::interval, NULL::interval, interval '-1 second')) AS v(t, h, w);
SELECT aht(t, h, w) FROM (VALUES (interval '178000000 years', NULL::interval, NULL::interval)) AS v(t, h, w);
SELECT aht(t, t, t) FROM (VALUES (interval '100000000 years')) AS v(t);
SELECT quality_score(p, m) FROM (VALUES (-1, 10)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES (1, -0.5)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES ('NaN'::numeric, 10)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES (1, 'Infinity'::numeric)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES (1e400, 1)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES (1e-400, 1)) AS v(p, m);
SELECT ratio_agg(x, y) FROM (VALUES ('NaN'::float8, 1::float8)) AS v(x, y);
SELECT ratio_agg(x, y) FROM (VALUES (1::float8, '-Infinity'::float8)) AS v(x, y);
SELECT ratio_agg(x, 1) FROM (VALUES (1e308::float8), (1e308)) AS v(x);
SELECT ratio(ratio_agg(x, y)) FROM (VALUES (1e300::float8, 1e-300::float8)) AS v(x, y);
\set VERBOSITY sqlstate
SELECT utilization(b, a) FROM (VALUES (interval '-1 hour', interval '1 hour')) AS v(b, a);
SELECT quality_score(p, m) FROM (VALUES (-1, 10)) AS v(p, m);
SELECT ratio_agg(x, y) FROM (VALUES ('NaN'::float8, 1::float8)) AS v(x, y);
\set VERBOSITY default

-- errors: malformed and corrupt literals
SELECT 'garbage'::ratio_summary;
SELECT 'v3:n=1,num=1,den=1'::ratio_summary;
SELECT 'v1:n=1,num=1'::ratio_summary;
SELECT 'v1:n=1,num=1,den=1,x'::ratio_summary;
SELECT 'v1:num=1,den=1'::ratio_summary;
SELECT 'v1:n=-1,num=1,den=1'::ratio_summary;
SELECT 'v1:n=0,num=1,den=0'::ratio_summary;
SELECT 'v1:n=0,num=0,den=0+1e-300'::ratio_summary;
SELECT 'v1:n=1,num=1+0.5,den=1'::ratio_summary;
SELECT 'v1:n=1,num=0-1e-300,den=1'::ratio_summary;
SELECT 'v1:n=1,num=nan,den=1'::ratio_summary;
SELECT 'v1:n=1,num=-inf,den=1'::ratio_summary;
SELECT 'v1:n=1,num=1e999,den=1'::ratio_summary;
SELECT 'v1:n=1,num=1,den=x'::ratio_summary;

-- overflow of a merged counter is an error, not a wrap
SELECT rollup(s) FROM (VALUES ('v1:n=9223372036854775807,num=1,den=1'::ratio_summary), ('v1:n=1,num=1,den=1')) AS v(s);
