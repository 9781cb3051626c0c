-- Rolling KPIs: every aggregate over ROWS and RANGE frames (interval offsets),
-- and rolling rollups of daily summaries, against recomputation of each frame
CREATE SCHEMA rolling_test;
SET search_path = rolling_test, public;

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

-- the other families: ratios of sums, durations, contact centre
CREATE TABLE c AS
SELECT id, ts,
	   CASE WHEN id % 8 = 0 THEN NULL ELSE ((id * 29) % 400) * interval '1 minute' END AS busy,
	   ((id * 29) % 400 + 60) * interval '1 minute' AS avail,
	   CASE WHEN id % 10 = 0 THEN NULL ELSE ((id * 7) % 20)::numeric END AS qa_points, 20::numeric AS qa_max,
	   CASE WHEN id % 4 = 0 THEN NULL ELSE ((id * 13) % 600) * interval '1 second' END AS talk,
	   CASE WHEN id % 3 = 0 THEN NULL ELSE ((id * 17) % 90) * interval '1 second' END AS hold,
	   ((id * 19) % 120) * interval '1 second' AS wrap,
	   ((id * 23) % 300) * interval '1 second' AS wait,
	   id % 9 <> 0 AS answered,
	   CASE WHEN id % 11 = 0 THEN NULL ELSE exp(((id * 31) % 97) / 10.0) END AS x
FROM t;

SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.util IS NOT DISTINCT FROM r.util OR abs(w.util - r.util) < 1e-9) AS utilization_equal,
	   count(*) FILTER (WHERE w.occ IS NOT DISTINCT FROM r.occ OR abs(w.occ - r.occ) < 1e-9) AS occupancy_equal,
	   count(*) FILTER (WHERE w.qa IS NOT DISTINCT FROM r.qa OR abs(w.qa - r.qa) < 1e-9) AS quality_equal,
	   count(*) FILTER (WHERE w.aht IS NOT DISTINCT FROM r.aht OR abs(extract(epoch FROM w.aht - r.aht)) < 1e-6) AS aht_equal,
	   count(*) FILTER (WHERE w.ratio IS NOT DISTINCT FROM r.ratio OR abs(w.ratio - r.ratio) < 1e-9) AS ratio_equal,
	   count(*) FILTER (WHERE w.p90 IS NOT DISTINCT FROM r.p90 AND w.n IS NOT DISTINCT FROM r.n) AS duration_equal,
	   count(*) FILTER (WHERE w.sl IS NOT DISTINCT FROM r.sl AND w.sl_short IS NOT DISTINCT FROM r.sl_short
						AND w.aband IS NOT DISTINCT FROM r.aband) AS contact_equal
FROM (SELECT ts,
			 utilization(busy, avail) OVER w AS util, occupancy(busy, avail) OVER w AS occ,
			 quality_score(qa_points, qa_max) OVER w AS qa, aht(talk, hold, wrap) OVER w AS aht,
			 ratio(ratio_agg(x, 1.0::float8) OVER w) AS ratio,
			 percentile(duration_agg(x) OVER w, 0.9) AS p90, num_values(duration_agg(x) OVER w) AS n,
			 service_level(wait, answered, interval '1 minute') OVER w AS sl,
			 service_level(wait, answered, interval '1 minute', interval '5 seconds') OVER w AS sl_short,
			 abandonment_rate(wait, answered, interval '5 seconds') OVER w AS aband
	  FROM c
	  WINDOW w AS (ORDER BY ts RANGE BETWEEN interval '3 days' PRECEDING AND CURRENT ROW)) AS w,
	 LATERAL (SELECT utilization(busy, avail) AS util, occupancy(busy, avail) AS occ,
					 quality_score(qa_points, qa_max) AS qa, aht(talk, hold, wrap) AS aht,
					 ratio(ratio_agg(x, 1.0::float8)) AS ratio,
					 percentile(duration_agg(x), 0.9) AS p90, num_values(duration_agg(x)) AS n,
					 service_level(wait, answered, interval '1 minute') AS sl,
					 service_level(wait, answered, interval '1 minute', interval '5 seconds') AS sl_short,
					 abandonment_rate(wait, answered, interval '5 seconds') AS aband
			  FROM c AS r WHERE r.ts BETWEEN w.ts - interval '3 days' AND w.ts) AS r;

-- rolling rollups of daily ratio, duration and service-level summaries
CREATE TABLE c_daily AS
SELECT ts::date AS day, ratio_agg(busy, avail) AS util, aht_agg(talk, hold, wrap) AS handle,
	   duration_agg(x) AS d, service_level_agg(wait, answered, interval '1 minute') AS sl
FROM c GROUP BY 1;
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE abs(d.util - (SELECT utilization(busy, avail) FROM c AS r WHERE r.ts::date BETWEEN d.day - 6 AND d.day)) < 1e-9) AS utilization_equal,
	   count(*) FILTER (WHERE abs(extract(epoch FROM d.aht - (SELECT aht(talk, hold, wrap) FROM c AS r WHERE r.ts::date BETWEEN d.day - 6 AND d.day))) < 1e-6) AS aht_equal,
	   count(*) FILTER (WHERE d.p90 = (SELECT percentile(duration_agg(x), 0.9) FROM c AS r WHERE r.ts::date BETWEEN d.day - 6 AND d.day)) AS duration_equal,
	   count(*) FILTER (WHERE d.sl = (SELECT service_level(wait, answered, interval '1 minute') FROM c AS r WHERE r.ts::date BETWEEN d.day - 6 AND d.day)) AS service_level_equal
FROM (SELECT day,
			 utilization(rollup(util) OVER w) AS util, aht(rollup(handle) OVER w) AS aht,
			 percentile(rollup(d) OVER w, 0.9) AS p90, rate(rollup(sl) OVER w) AS sl
	  FROM c_daily
	  WINDOW w AS (ORDER BY day::timestamp RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW)) AS d;
