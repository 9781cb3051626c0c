-- Rates: FCR, SLA adherence, reopen, escalation, automation, abandonment,
-- csat(boolean) and rate_summary, each against a plain-SQL formula
CREATE SCHEMA rate_test;
SET search_path = rate_test, public;

-- deterministic tickets: 3 teams over 75 days, some NULLs, rates differ by team;
-- elapsed times in whole minutes, so some land exactly on their target
CREATE TABLE tickets_t AS
SELECT i AS id,
	   (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   date '2026-01-01' + (i / 40) AS day,
	   CASE WHEN i % 23 = 0 THEN NULL ELSE (i * 7919) % 100 < 55 + (i % 3) * 10 END AS fcr,
	   CASE WHEN i % 19 = 0 THEN NULL ELSE (i * 31) % 100 < 6 + (i % 3) * 3 END AS reopened,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 37) % 100 < 12 END AS escalated,
	   CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 41) % 100 < 20 + (i % 3) * 5 END AS automated,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 43) % 100 < 7 END AS abandoned,
	   CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 47) % 100 < 85 END AS good,
	   CASE WHEN i % 29 = 0 THEN NULL ELSE make_interval(mins => (i * 53) % 600) END AS elapsed,
	   CASE WHEN i % 7 = 0 THEN NULL
			ELSE (ARRAY[interval '1 hour', interval '4 hours', interval '8 hours'])[1 + (i / 3) % 3] END AS target
FROM generate_series(1, 3000) AS i;

-- the data has ties on the target, and every combination of NULLs
SELECT count(*) FILTER (WHERE elapsed = target) AS ties,
	   count(*) FILTER (WHERE elapsed IS NULL AND target IS NOT NULL) AS open_covered,
	   count(*) FILTER (WHERE target IS NULL AND elapsed IS NOT NULL) AS not_covered,
	   count(*) FILTER (WHERE elapsed IS NULL AND target IS NULL) AS both_null
FROM tickets_t;

-- one-step aggregates against their formulas, per team
SELECT team,
	   round(fcr_rate(fcr), 2) AS fcr_rate,
	   rate(fcr) = 100.0 * count(*) FILTER (WHERE fcr) / count(fcr) AS rate_ok,
	   fcr_rate(fcr) = 100.0 * count(*) FILTER (WHERE fcr) / count(fcr) AS fcr_ok,
	   reopen_rate(reopened) = 100.0 * count(*) FILTER (WHERE reopened) / count(reopened) AS reopen_ok,
	   escalation_rate(escalated) = 100.0 * count(*) FILTER (WHERE escalated) / count(escalated) AS escalation_ok,
	   automation_rate(automated) = 100.0 * count(*) FILTER (WHERE automated) / count(automated) AS automation_ok,
	   abandonment_rate(abandoned) = 100.0 * count(*) FILTER (WHERE abandoned) / count(abandoned) AS abandonment_ok,
	   csat(good) = 100.0 * count(*) FILTER (WHERE good) / count(good) AS csat_ok,
	   round(sla_adherence(elapsed, target), 2) AS sla,
	   sla_adherence(elapsed, target) = 100.0 * count(*) FILTER (WHERE elapsed <= target)
		   / count(*) FILTER (WHERE elapsed IS NOT NULL AND target IS NOT NULL) AS sla_ok,
	   sla_adherence(elapsed <= target) = sla_adherence(elapsed, target) AS sla_met_ok
FROM tickets_t
GROUP BY team
ORDER BY team;

-- readable values
SELECT rate(b), fcr_rate(b), csat(b), sla_adherence(b), rate_agg(b)
FROM (VALUES (true), (true), (false), (NULL)) AS v(b);
SELECT rate(b) FROM (VALUES (true), (false), (false)) AS v(b);

-- boundaries: all hits, no hits, elapsed equal to its target, a day is 24 hours, a month 30 days
SELECT rate(b) FROM (VALUES (true), (true)) AS v(b);
SELECT rate(b) FROM (VALUES (false), (false)) AS v(b);
SELECT sla_adherence(e, t), rate_agg(e <= t)
FROM (VALUES (interval '1 hour', interval '1 hour'),
			 (interval '1 day', interval '24 hours'),
			 (interval '24 hours 1 microsecond', interval '1 day'),
			 (interval '1 mon', interval '30 days'),
			 (interval '0', interval '0'),
			 (interval '1 microsecond', interval '0')) AS v(e, t);
-- csat(boolean) and csat(integer) are distinct aggregates
SELECT csat(g), csat(s) FROM (VALUES (true, 5), (false, 4), (false, 1)) AS v(g, s);

-- NULL and empty: NULLs are skipped; no non-NULL input gives NULL, counts give 0
SELECT rate(b), fcr_rate(b), sla_adherence(b), csat(b), rate_agg(b)
FROM (VALUES (NULL::boolean), (NULL)) AS v(b);
SELECT rate(b), rate_agg(b), sla_adherence(e, t)
FROM (VALUES (true, interval '1 hour', interval '2 hours')) AS v(b, e, t) WHERE false;
SELECT rollup(s), rate(rollup(s)) FROM (VALUES (NULL::rate_summary)) AS v(s);
SELECT rate(s), hits(s), trials(s), s FROM (SELECT 'v1:0/0'::rate_summary AS s) AS e;
-- a NULL target means not covered, a NULL elapsed time (an open ticket) is not counted ...
SELECT sla_adherence(e, t), rate_agg(e <= t)
FROM (VALUES (interval '2 hours', NULL::interval), (NULL, interval '1 hour'),
			 (interval '30 minutes', interval '1 hour')) AS v(e, t);
-- ... unless the caller counts open tickets as breached
SELECT sla_adherence(coalesce(e, timestamptz '2026-03-01 12:00' - opened_at), t)
FROM (VALUES (NULL::interval, interval '1 hour', timestamptz '2026-03-01 09:00'),
			 (interval '30 minutes', interval '1 hour', timestamptz '2026-03-01 08:00')) AS v(e, t, opened_at);

-- accessors on a summary against the raw data
WITH s AS (SELECT rate_agg(fcr) AS s, rate_agg(elapsed <= target) AS sla FROM tickets_t)
SELECT hits(s) = (SELECT count(*) FROM tickets_t WHERE fcr) AS hits_ok,
	   trials(s) = (SELECT count(fcr) FROM tickets_t) AS trials_ok,
	   rate(s) = (SELECT fcr_rate(fcr) FROM tickets_t) AS rate_ok,
	   trials(sla) = (SELECT count(*) FROM tickets_t WHERE elapsed IS NOT NULL AND target IS NOT NULL) AS sla_trials_ok,
	   s, sla
FROM s;

-- rollup of daily summaries equals the one-step result
CREATE TABLE daily_rates AS
SELECT team, day, rate_agg(fcr) AS fcr_s, rate_agg(reopened) AS reopen_s,
	   rate_agg(elapsed <= target) AS sla_s, rate_agg(good) AS good_s
FROM tickets_t GROUP BY team, day;

SELECT d.team,
	   rate(rollup(fcr_s)) = (SELECT fcr_rate(fcr) FROM tickets_t AS r WHERE r.team = d.team) AS fcr_ok,
	   rate(rollup(reopen_s)) = (SELECT reopen_rate(reopened) FROM tickets_t AS r WHERE r.team = d.team) AS reopen_ok,
	   rate(rollup(sla_s)) = (SELECT sla_adherence(elapsed, target) FROM tickets_t AS r WHERE r.team = d.team) AS sla_ok,
	   rate(rollup(good_s)) = (SELECT csat(good) FROM tickets_t AS r WHERE r.team = d.team) AS csat_ok
FROM daily_rates AS d
GROUP BY d.team ORDER BY d.team;

SELECT rollup(s)::text = (SELECT rate_agg(fcr)::text FROM tickets_t) AS rollup_of_rollups_ok
FROM (SELECT team, rollup(fcr_s) AS s FROM daily_rates GROUP BY team) AS per_team;

-- OVER with ROWS frames against recomputation of every frame
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.fcr IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE fcr) / nullif(count(fcr), 0)
		   FROM tickets_t AS r WHERE r.id BETWEEN w.id - 27 AND w.id)) AS fcr_equal,
	   count(*) FILTER (WHERE w.abandon IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE abandoned) / nullif(count(abandoned), 0)
		   FROM tickets_t AS r WHERE r.id BETWEEN w.id - 3 AND w.id)) AS abandon_equal,
	   count(*) FILTER (WHERE w.sla IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE elapsed <= target)
				  / nullif(count(*) FILTER (WHERE elapsed IS NOT NULL AND target IS NOT NULL), 0)
		   FROM tickets_t AS r WHERE r.id BETWEEN w.id - 2 AND w.id + 2)) AS sla_equal,
	   count(*) FILTER (WHERE w.csat IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE good) / nullif(count(good), 0)
		   FROM tickets_t AS r WHERE r.id BETWEEN w.id - 6 AND w.id)) AS csat_equal,
	   count(*) FILTER (WHERE w.s IS NOT DISTINCT FROM (
		   SELECT rate_agg(reopened) FROM tickets_t AS r WHERE r.id BETWEEN w.id - 9 AND w.id)::text) AS summary_equal
FROM (SELECT id,
			 fcr_rate(fcr) OVER (ORDER BY id ROWS 27 PRECEDING) AS fcr,
			 abandonment_rate(abandoned) OVER (ORDER BY id ROWS 3 PRECEDING) AS abandon,
			 sla_adherence(elapsed, target) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS sla,
			 csat(good) OVER (ORDER BY id ROWS 6 PRECEDING) AS csat,
			 rate_agg(reopened) OVER (ORDER BY id ROWS 9 PRECEDING)::text AS s
	  FROM tickets_t) AS w;

-- a rolling 7-day FCR from daily summaries equals the one-step FCR over the same days
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE w.fcr = (SELECT fcr_rate(fcr) FROM tickets_t AS r
									   WHERE r.team = w.team AND r.day BETWEEN w.day - 6 AND w.day)) AS equal
FROM (SELECT team, day, rate(rollup(fcr_s) OVER (PARTITION BY team ORDER BY day ROWS 6 PRECEDING)) AS fcr
	  FROM daily_rates) AS w;

-- frames that start with NULL rows or slide over NULL-only rows: the rates are NULL (not 0,
-- not an error); in a window the summary of such a frame is empty (v1:0/0) rather than NULL
SELECT id, rate(b) OVER w, rate_agg(b) OVER w, sla_adherence(e, t) OVER w,
	   rate(rollup(s) OVER w) AS rolled
FROM (VALUES (1, NULL::boolean, NULL::interval, NULL::interval, NULL::rate_summary),
			 (2, true, interval '1 hour', interval '2 hours', 'v1:1/1'),
			 (3, NULL, NULL, interval '1 hour', NULL),
			 (4, NULL, interval '1 hour', NULL, NULL),
			 (5, false, interval '3 hours', interval '2 hours', 'v1:0/3')) AS v(id, b, e, t, s)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING)
ORDER BY id;

-- text round trip, and binary round trip through COPY
SELECT s::text, s::text::rate_summary::text = s::text AS text_ok
FROM (SELECT rate_agg(fcr) AS s FROM tickets_t) AS x;
SELECT ' v1: 3 / 4 '::rate_summary, 'v1:9223372036854775807/9223372036854775807'::rate_summary;
CREATE TABLE copy_src AS SELECT team, day, fcr_s FROM daily_rates;
\copy copy_src TO 'results/rate_summary.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/rate_summary.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied,
	   count(*) FILTER (WHERE a.fcr_s::text = b.fcr_s::text) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (team, day);

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE tickets_big AS SELECT * FROM tickets_t, generate_series(1, 20) AS rep;
ANALYZE tickets_big;
CREATE TEMP TABLE serial_result AS
SELECT fcr_rate(fcr) AS fcr, sla_adherence(elapsed, target) AS sla, csat(good) AS csat,
	   rate_agg(reopened)::text AS s
FROM tickets_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT fcr_rate(fcr), sla_adherence(elapsed, target), csat(good), rate_agg(reopened) FROM tickets_big;
SELECT p.fcr = s.fcr AS fcr_ok, p.sla = s.sla AS sla_ok, p.csat = s.csat AS csat_ok, p.s = s.s AS summary_ok
FROM (SELECT fcr_rate(fcr) AS fcr, sla_adherence(elapsed, target) AS sla, csat(good) AS csat,
			 rate_agg(reopened)::text AS s
	  FROM tickets_big) AS p, serial_result AS s;
SELECT team, rate(rollup(fcr_s)) = (SELECT fcr_rate(fcr) FROM tickets_t AS r WHERE r.team = d.team) AS ok
FROM daily_rates AS d GROUP BY team ORDER BY team;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors: negative and out-of-range durations
SELECT sla_adherence(e, t) FROM (VALUES (interval '-1 minute', interval '1 hour')) AS v(e, t);
SELECT sla_adherence(e, t) FROM (VALUES (interval '1 minute', interval '-1 hour')) AS v(e, t);
SELECT sla_adherence(e, t) FROM (VALUES (interval '1 mon -31 days', interval '1 hour')) AS v(e, t);
SELECT sla_adherence(e, t) FROM (VALUES (interval '178000000 years', interval '1 hour')) AS v(e, t);
\set VERBOSITY sqlstate
SELECT sla_adherence(e, t) FROM (VALUES (interval '-1 second', interval '1 hour')) AS v(e, t);
\set VERBOSITY default

-- errors: malformed and corrupt literals
SELECT 'garbage'::rate_summary;
SELECT ''::rate_summary;
SELECT 'v2:1/2'::rate_summary;
SELECT 'v1:1'::rate_summary;
SELECT 'v1:1/2/3'::rate_summary;
SELECT 'v1:3/2'::rate_summary;
SELECT 'v1:-1/2'::rate_summary;
SELECT 'v1:1/-2'::rate_summary;
SELECT 'v1:1/99999999999999999999'::rate_summary;
SELECT 'v1:1.5/2'::rate_summary;

-- overflow of a merged counter is an error, not a wrap
SELECT rollup(s) FROM (VALUES ('v1:0/9223372036854775807'::rate_summary), ('v1:0/1')) AS v(s);
