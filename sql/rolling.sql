-- Rolling KPIs: every aggregate over ROWS and RANGE frames (interval offsets),
-- and rolling rollups of daily summaries, against recomputation of each frame
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS kpi_ext SCHEMA public;
RESET client_min_messages;
CREATE SCHEMA rolling_test;
SET search_path = rolling_test, public;
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- tickets at irregular times over 90 days; the first rows have NULL scores
CREATE TABLE t AS
SELECT i AS id,
	   timestamptz '2026-01-01' + ((i * 7919) % 129600) * interval '1 minute' AS ts,
	   CASE WHEN i % 7 = 0 OR i <= 3 THEN NULL ELSE (i * 37) % 11 END AS nps_score,
	   CASE WHEN i % 5 = 0 OR i <= 3 THEN NULL ELSE 1 + (i * 13) % 5 END AS csat_score,
	   CASE WHEN i % 6 = 0 THEN NULL ELSE (i * 31) % 100 < 62 END AS fcr,
	   ((i * 17) % 120) * interval '1 minute' AS response, interval '1 hour' AS target,
	   CASE WHEN i % 9 = 0 THEN NULL ELSE timestamptz '2026-01-01' + ((i * 7919) % 129600 + (i * 53) % 4000) * interval '1 minute' END AS closed
FROM generate_series(1, 1500) AS i;

-- RANGE frames with interval offsets: the last 7 days up to each ticket
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.nps IS NOT DISTINCT FROM (SELECT nps(nps_score) FROM t AS r WHERE r.ts BETWEEN w.ts - interval '7 days' AND w.ts)) AS nps_equal,
	   count(*) FILTER (WHERE w.csat IS NOT DISTINCT FROM (SELECT csat(csat_score) FROM t AS r WHERE r.ts BETWEEN w.ts - interval '7 days' AND w.ts)) AS csat_equal,
	   count(*) FILTER (WHERE w.ces IS NOT DISTINCT FROM (SELECT ces(csat_score) FROM t AS r WHERE r.ts BETWEEN w.ts - interval '7 days' AND w.ts)) AS ces_equal,
	   count(*) FILTER (WHERE w.fcr IS NOT DISTINCT FROM (SELECT fcr_rate(fcr) FROM t AS r WHERE r.ts BETWEEN w.ts - interval '7 days' AND w.ts)) AS fcr_equal,
	   count(*) FILTER (WHERE w.sla IS NOT DISTINCT FROM (SELECT sla_adherence(response, target) FROM t AS r WHERE r.ts BETWEEN w.ts - interval '7 days' AND w.ts)) AS sla_equal,
	   count(*) FILTER (WHERE w.flow IS NOT DISTINCT FROM (SELECT ticket_flow_agg(ts, closed, '1 day')::text FROM t AS r WHERE r.ts BETWEEN w.ts - interval '7 days' AND w.ts)) AS flow_equal
FROM (SELECT ts,
			 nps(nps_score) OVER w AS nps, csat(csat_score) OVER w AS csat, ces(csat_score) OVER w AS ces,
			 fcr_rate(fcr) OVER w AS fcr, sla_adherence(response, target) OVER w AS sla,
			 ticket_flow_agg(ts, closed, '1 day') OVER w::text AS flow
	  FROM t
	  WINDOW w AS (ORDER BY ts RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW)) AS w;

-- a centred RANGE frame, and a ROWS frame that starts on NULL-only rows
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.nps IS NOT DISTINCT FROM (SELECT nps(nps_score) FROM t AS r WHERE r.ts BETWEEN w.ts - interval '12 hours' AND w.ts + interval '12 hours')) AS centred_equal,
	   count(*) FILTER (WHERE w.rows_nps IS NOT DISTINCT FROM (SELECT nps(nps_score) FROM t AS r WHERE r.id BETWEEN w.id - 4 AND w.id)) AS rows_equal
FROM (SELECT id, ts,
			 nps(nps_score) OVER (ORDER BY ts RANGE BETWEEN interval '12 hours' PRECEDING AND interval '12 hours' FOLLOWING) AS nps,
			 nps(nps_score) OVER (ORDER BY id ROWS 4 PRECEDING) AS rows_nps
	  FROM t) AS w;

-- rolling 7-day KPIs from daily summaries: RANGE over dates, with missing days
CREATE TABLE daily AS
SELECT ts::date AS day, score_agg(nps_score) AS s, rate_agg(fcr) AS r,
	   ticket_flow_agg(ts, closed, '1 day') AS f
FROM t WHERE extract(dow FROM ts) <> 3 GROUP BY 1;
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE d.nps IS NOT DISTINCT FROM (SELECT nps(nps_score) FROM t AS r WHERE extract(dow FROM r.ts) <> 3 AND r.ts::date BETWEEN d.day - 6 AND d.day)) AS nps_equal,
	   count(*) FILTER (WHERE d.fcr IS NOT DISTINCT FROM (SELECT fcr_rate(fcr) FROM t AS r WHERE extract(dow FROM r.ts) <> 3 AND r.ts::date BETWEEN d.day - 6 AND d.day)) AS fcr_equal,
	   count(*) FILTER (WHERE d.flow IS NOT DISTINCT FROM (SELECT ticket_flow_agg(ts, closed, '1 day')::text FROM t AS r WHERE extract(dow FROM r.ts) <> 3 AND r.ts::date BETWEEN d.day - 6 AND d.day)) AS flow_equal
FROM (SELECT day,
			 nps(rollup(s) OVER w) AS nps, rate(rollup(r) OVER w) AS fcr, (rollup(f) OVER w)::text AS flow
	  FROM daily
	  WINDOW w AS (ORDER BY day::timestamp RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW)) AS d;
