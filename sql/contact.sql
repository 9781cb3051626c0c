-- Contact centre: service level, abandonment, Erlang C and business formulas,
-- each against an independent plain-SQL or PL/pgSQL formula
CREATE SCHEMA contact_test;
SET search_path = contact_test, public;

--
-- service level and abandonment
--

-- deterministic calls: 3 queues over 20 days, waits 0..96.75 s in quarter
-- seconds (so 5 s and 20 s occur exactly), about 75% answered, some NULLs
CREATE TABLE calls_t AS
SELECT i AS id,
	   (ARRAY['sales', 'support', 'billing'])[1 + i % 3] AS queue,
	   date '2026-03-01' + (i / 200) AS day,
	   CASE WHEN i % 53 = 0 THEN NULL
			ELSE make_interval(secs => (i * 7919) % 97 + (i % 4) * 0.25) END AS wait,
	   CASE WHEN i % 61 = 0 THEN NULL ELSE (i * 31 + i / 7) % 4 <> 0 END AS answered
FROM generate_series(1, 4000) AS i;

-- one-step aggregates against their formulas, per queue; a row with a NULL
-- wait or answered is skipped
SELECT queue,
	   round(service_level(wait, answered, '20 s', '5 s'), 2) AS sl_20s,
	   service_level(wait, answered, '20 s', '5 s')
	   = 100.0 * count(*) FILTER (WHERE answered AND wait <= '20 s')
		 / count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL AND (answered OR wait >= '5 s')) AS sl_ok,
	   service_level(wait, answered, '20 s')
	   = 100.0 * count(*) FILTER (WHERE answered AND wait <= '20 s')
		 / count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL) AS sl3_ok,
	   round(abandonment_rate(wait, answered, '5 s'), 2) AS abandoned,
	   abandonment_rate(wait, answered, '5 s')
	   = 100.0 * count(*) FILTER (WHERE NOT answered AND wait >= '5 s')
		 / count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL AND (answered OR wait >= '5 s')) AS abandoned_ok,
	   abandonment_rate(wait, answered, '0 s') = abandonment_rate(NOT answered) FILTER (WHERE wait IS NOT NULL) AS no_short_ok
FROM calls_t
GROUP BY queue
ORDER BY queue;

-- a threshold per row (here per queue; NULL for billing, whose rows are skipped)
SELECT service_level(wait, answered, t, '5 s') AS sl,
	   service_level(wait, answered, t, '5 s')
	   = 100.0 * count(*) FILTER (WHERE answered AND wait <= t)
		 / count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL AND t IS NOT NULL AND (answered OR wait >= '5 s')) AS sl_ok
FROM (SELECT *, CASE queue WHEN 'sales' THEN interval '20 s' WHEN 'support' THEN interval '45 s' END AS t
	  FROM calls_t) AS c;

-- boundaries: wait = threshold is in time; an abandon at exactly short_abandon
-- is offered and abandoned; an answered contact is always offered
SELECT service_level(w, a, '20 s', '5 s') AS sl, service_level_agg(w, a, '20 s', '5 s') AS sl_summary,
	   abandonment_rate(w, a, '5 s') AS abandoned, abandonment_agg(w, a, '5 s') AS ab_summary
FROM (VALUES (interval '20 s', true), ('20.000001 s', true), ('1 s', true), ('5 s', false),
			 ('4.999999 s', false), ('0 s', false)) AS v(w, a);
SELECT service_level(w, a, '0 s') AS answered_without_wait, abandonment_rate(w, a, '0 s') AS all_abandons
FROM (VALUES (interval '0 s', true), ('1 s', true), ('0 s', false), ('2 s', false)) AS v(w, a);

-- NULL and empty: no offered contact gives NULL, its summary counts 0
SELECT service_level(w, a, '20 s', '5 s') AS sl, abandonment_rate(w, a, '5 s') AS abandoned,
	   service_level_agg(w, a, '20 s', '5 s') AS summary
FROM (VALUES (NULL::interval, true), ('3 s', NULL), (NULL, NULL)) AS v(w, a);
SELECT service_level(wait, answered, '20 s') AS sl, service_level_agg(wait, answered, '20 s') AS summary
FROM calls_t WHERE false;
SELECT service_level(w, a, '20 s', '5 s') AS sl, abandonment_rate(w, a, '5 s') AS abandoned,
	   service_level_agg(w, a, '20 s', '5 s') AS summary, rate(service_level_agg(w, a, '20 s', '5 s')) AS rate
FROM (VALUES (interval '1 s', false), ('4 s', false)) AS v(w, a);
SELECT service_level(w, a, NULL, '5 s') AS null_threshold, service_level(w, a, '20 s', NULL) AS null_short_abandon
FROM (VALUES (interval '1 s', true)) AS v(w, a);

-- daily summaries: rollup equals the one-step result, and counts match
CREATE TABLE daily_calls AS
SELECT queue, day,
	   service_level_agg(wait, answered, '20 s', '5 s') AS sl_s,
	   service_level_agg(wait, answered, '20 s') AS sl3_s,
	   abandonment_agg(wait, answered, '5 s') AS ab_s
FROM calls_t GROUP BY queue, day;
SELECT d.queue,
	   rate(rollup(sl_s)) = (SELECT service_level(wait, answered, '20 s', '5 s') FROM calls_t AS c WHERE c.queue = d.queue) AS sl_ok,
	   rate(rollup(sl3_s)) = (SELECT service_level(wait, answered, '20 s') FROM calls_t AS c WHERE c.queue = d.queue) AS sl3_ok,
	   rate(rollup(ab_s)) = (SELECT abandonment_rate(wait, answered, '5 s') FROM calls_t AS c WHERE c.queue = d.queue) AS ab_ok,
	   hits(rollup(sl_s)) = (SELECT count(*) FROM calls_t AS c WHERE c.queue = d.queue AND answered AND wait <= '20 s') AS hits_ok,
	   trials(rollup(ab_s)) = (SELECT count(*) FROM calls_t AS c WHERE c.queue = d.queue AND wait IS NOT NULL AND answered IS NOT NULL
							   AND (answered OR wait >= '5 s')) AS offered_ok
FROM daily_calls AS d
GROUP BY d.queue ORDER BY d.queue;
SELECT rollup(s)::text AS all_queues, rate(rollup(s)) = (SELECT service_level(wait, answered, '20 s', '5 s') FROM calls_t) AS ok
FROM (SELECT queue, rollup(sl_s) AS s FROM daily_calls GROUP BY queue) AS per_queue;

-- OVER with ROWS frames against recomputation of every frame, also with a
-- threshold that changes from row to row
CREATE TABLE calls_threshold AS
SELECT *, (ARRAY[interval '10 s', '20 s', NULL, '60 s'])[1 + id % 4] AS t FROM calls_t;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.sl IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE answered AND wait <= '20 s')
				  / nullif(count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL AND (answered OR wait >= '5 s')), 0)
		   FROM calls_threshold AS c WHERE c.id BETWEEN w.id - 9 AND w.id)) AS sl_equal,
	   count(*) FILTER (WHERE w.sl3 IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE answered AND wait <= '20 s')
				  / nullif(count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL), 0)
		   FROM calls_threshold AS c WHERE c.id BETWEEN w.id - 2 AND w.id)) AS sl3_equal,
	   count(*) FILTER (WHERE w.ab IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE NOT answered AND wait >= '5 s')
				  / nullif(count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL AND (answered OR wait >= '5 s')), 0)
		   FROM calls_threshold AS c WHERE c.id BETWEEN w.id - 3 AND w.id + 3)) AS ab_equal,
	   count(*) FILTER (WHERE w.slt IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE answered AND wait <= t)
				  / nullif(count(*) FILTER (WHERE answered IS NOT NULL AND wait IS NOT NULL AND t IS NOT NULL AND (answered OR wait >= '5 s')), 0)
		   FROM calls_threshold AS c WHERE c.id BETWEEN w.id - 5 AND w.id)) AS per_row_threshold_equal
FROM (SELECT id,
			 service_level(wait, answered, t, '5 s') OVER (ORDER BY id ROWS 5 PRECEDING) AS slt,
			 service_level(wait, answered, '20 s', '5 s') OVER (ORDER BY id ROWS 9 PRECEDING) AS sl,
			 service_level(wait, answered, '20 s') OVER (ORDER BY id ROWS 2 PRECEDING) AS sl3,
			 abandonment_rate(wait, answered, '5 s') OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS ab
	  FROM calls_threshold) AS w;

-- a rolling 7-day service level from daily summaries equals the one-step one
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE w.sl = (SELECT service_level(wait, answered, '20 s', '5 s') FROM calls_t AS c
									  WHERE c.queue = w.queue AND c.day BETWEEN w.day - 6 AND w.day)) AS equal
FROM (SELECT queue, day, rate(rollup(sl_s) OVER (PARTITION BY queue ORDER BY day ROWS 6 PRECEDING)) AS sl
	  FROM daily_calls) AS w;

-- a frame that slides over skipped rows gives NULL, not 0
SELECT id, service_level(w, a, '20 s', '5 s') OVER (ORDER BY id ROWS 1 PRECEDING) AS sl,
	   abandonment_rate(w, a, '5 s') OVER (ORDER BY id ROWS 1 PRECEDING) AS abandoned
FROM (VALUES (1, interval '10 s', true), (2, NULL, true), (3, '2 s', false), (4, '30 s', false)) AS v(id, w, a)
ORDER BY id;
-- a window whose first rows are skipped (NULL) or not offered (short abandon)
SELECT id, service_level(w, a, '20 s', '5 s') OVER (ORDER BY id ROWS 2 PRECEDING) AS sl,
	   service_level(w, a, '20 s') OVER (ORDER BY id ROWS 2 PRECEDING) AS sl3,
	   abandonment_rate(w, a, '5 s') OVER (ORDER BY id ROWS 2 PRECEDING) AS abandoned,
	   rate(service_level_agg(w, a, '20 s', '5 s') OVER (ORDER BY id ROWS 2 PRECEDING)) AS from_summary
FROM (VALUES (1, NULL::interval, true), (2, '1 s', false), (3, '3 s', NULL), (4, '15 s', true),
			 (5, '9 s', false), (6, NULL, NULL), (7, NULL, NULL), (8, NULL, NULL)) AS v(id, w, a)
ORDER BY id;

-- binary round trip of the summaries through COPY
CREATE TABLE copy_src AS SELECT queue, day, sl_s, ab_s FROM daily_calls;
\copy copy_src TO 'results/contact_summary.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/contact_summary.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied,
	   count(*) FILTER (WHERE a.sl_s::text = b.sl_s::text AND a.ab_s::text = b.ab_s::text
						AND a.sl_s::text = a.sl_s::text::rate_summary::text) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (queue, day);

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE calls_big AS SELECT * FROM calls_t, generate_series(1, 20) AS rep;
ANALYZE calls_big;
CREATE TEMP TABLE serial_result AS
SELECT service_level(wait, answered, '20 s', '5 s') AS sl, service_level(wait, answered, '20 s') AS sl3,
	   abandonment_rate(wait, answered, '5 s') AS ab, service_level_agg(wait, answered, '20 s', '5 s')::text AS s
FROM calls_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT service_level(wait, answered, '20 s', '5 s'), service_level(wait, answered, '20 s'),
	   abandonment_rate(wait, answered, '5 s'), service_level_agg(wait, answered, '20 s', '5 s')
FROM calls_big;
SELECT p.sl = s.sl AS sl_ok, p.sl3 = s.sl3 AS sl3_ok, p.ab = s.ab AS ab_ok, p.s = s.s AS summary_ok
FROM (SELECT service_level(wait, answered, '20 s', '5 s') AS sl, service_level(wait, answered, '20 s') AS sl3,
			 abandonment_rate(wait, answered, '5 s') AS ab, service_level_agg(wait, answered, '20 s', '5 s')::text AS s
	  FROM calls_big) AS p, serial_result AS s;
SELECT hits(p.s) = 20 * hits(o.s) AND trials(p.s) = 20 * trials(o.s) AS twenty_copies_ok
FROM (SELECT service_level_agg(wait, answered, '20 s', '5 s') AS s FROM calls_big) AS p,
	 (SELECT service_level_agg(wait, answered, '20 s', '5 s') AS s FROM calls_t) AS o;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors
SELECT service_level(w, true, '20 s') FROM (VALUES (interval '-1 s')) AS v(w);
SELECT service_level(w, true, '-20 s') FROM (VALUES (interval '1 s')) AS v(w);
SELECT service_level(w, true, '20 s', '-5 s') FROM (VALUES (interval '1 s')) AS v(w);
SELECT abandonment_rate(w, false, '-5 s') FROM (VALUES (interval '1 s')) AS v(w);
SELECT abandonment_rate(w, false, '5 s') FROM (VALUES (interval '-1 s')) AS v(w);
SELECT service_level(w, NULL, '-20 s') FROM (VALUES (NULL::interval)) AS v(w);
SELECT service_level(w, true, '2147483647 months') FROM (VALUES (interval '1 s')) AS v(w);
SELECT service_level_agg(w, true, '20 s', '5 s') OVER (ORDER BY w ROWS 1 PRECEDING)
FROM (VALUES (interval '1 s'), ('-1 s')) AS v(w);

--
-- Erlang C
--

-- reference 1: the closed form, in numeric, for small agent counts
--   C = (A^N / N! * N / (N - A)) / (sum_{k<N} A^k / k! + A^N / N! * N / (N - A))
CREATE FUNCTION ref_erlang_c_closed(a numeric, n integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
	SELECT top / (bottom + top)
	FROM (SELECT power(a, n) / factorial(n) * n / (n - a) AS top,
				 (SELECT sum(power(a, k) / factorial(k)) FROM generate_series(0, n - 1) AS k) AS bottom) AS t
$$;

-- reference 2: the Erlang B recurrence, in PL/pgSQL, for any agent count
CREATE FUNCTION ref_erlang_c(a double precision, n integer) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	b double precision := 1;
BEGIN
	FOR k IN 1..n LOOP
		b := a * b / (k + a * b);
	END LOOP;
	RETURN n * b / (n - a * (1 - b));
END
$$;

-- reference 3: the staffing search, in PL/pgSQL
CREATE FUNCTION ref_erlang_agents(a double precision, aht_s double precision, target numeric, t_s double precision)
RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	n integer := floor(a)::integer + 1;
BEGIN
	IF a = 0 THEN
		RETURN 0;
	END IF;
	WHILE (100 * (1 - ref_erlang_c(a, n) * exp(-(n - a) * t_s / aht_s)))::numeric < target LOOP
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

-- the classic example: 100 calls in 30 minutes, AHT 3 minutes = 10 erlangs;
-- published tables give 13 agents: P(wait) 28.5%, service level 79.6% in 20 s,
-- ASA 17.1 s; 14 agents: 17.4%, 88.8%, 7.8 s
SELECT n AS agents,
	   round(erlang_c(100, '180 s', '30 min', n)::numeric, 4) AS p_wait,
	   round(erlang_service_level(100, '180 s', '30 min', n, '20 s'), 1) AS service_level,
	   date_trunc('second', erlang_asa(100, '180 s', '30 min', n) + interval '0.05 s') AS asa_s,
	   round(extract(epoch FROM erlang_asa(100, '180 s', '30 min', n)), 1) AS asa
FROM generate_series(11, 15) AS n
ORDER BY n;
SELECT erlang_agents(100, '180 s', '30 min', 80, '20 s') AS agents_80_20,
	   erlang_agents(100, '180 s', '30 min', 79.5, '20 s') AS agents_79_5_20,
	   erlang_agents(100, '180 s', '30 min', 80, '20 s', 0.3) AS staff_30pct_shrinkage,
	   erlang_agents(100, '3 min', '0.5 hour', 90, '15 s') AS agents_90_15;

-- against the closed form: traffic 0.5 to 17.5 erlangs, every N from floor(A) + 1
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE abs(erlang_c(arrivals, '4 min', '1 hour', n)::numeric
								  - ref_erlang_c_closed(arrivals * 4 / 60.0, n)) < 1e-12) AS equal
FROM unnest(ARRAY[7.5, 34.5, 150, 262.5]) AS arrivals,
	 generate_series(floor(arrivals * 4 / 60.0)::integer + 1, floor(arrivals * 4 / 60.0)::integer + 20) AS n;

-- against the PL/pgSQL recurrence, up to thousands of agents
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE abs(erlang_c(arrivals, '300 s', '15 min', n) - ref_erlang_c(arrivals / 3.0, n)) < 1e-12) AS c_equal,
	   count(*) FILTER (WHERE abs(erlang_service_level(arrivals, '300 s', '15 min', n, '30 s')
								  - (100 * (1 - ref_erlang_c(arrivals / 3.0, n) * exp(-(n - arrivals / 3.0) * 30 / 300)))::numeric) < 1e-9) AS sl_equal,
	   count(*) FILTER (WHERE abs(extract(epoch FROM erlang_asa(arrivals, '300 s', '15 min', n))
								  - (ref_erlang_c(arrivals / 3.0, n) * 300 / (n - arrivals / 3.0))::numeric) <= 0.000001) AS asa_equal
FROM unnest(ARRAY[1, 29, 300, 1500, 6000, 27000]) AS arrivals,
	 generate_series(floor(arrivals / 3.0)::integer + 1, floor(arrivals / 3.0)::integer + 60 + 4 * ceil(sqrt(arrivals / 3.0))::integer, 3) AS n;

-- the staffing search against its PL/pgSQL reference, and minimality
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE agents = ref_erlang_agents(arrivals * 240 / 1800.0, 240, target, t)) AS equal,
	   count(*) FILTER (WHERE erlang_service_level(arrivals, '4 min', '30 min', agents, make_interval(secs => t)) >= target) AS reaches_target,
	   count(*) FILTER (WHERE agents - 1 <= arrivals * 240 / 1800.0
						   OR erlang_service_level(arrivals, '4 min', '30 min', agents - 1, make_interval(secs => t)) < target) AS minimal
FROM (SELECT arrivals, target, t,
			 erlang_agents(arrivals, '4 min', '30 min', target, make_interval(secs => t)) AS agents
	  FROM unnest(ARRAY[0.3, 3, 17, 75, 120.5, 600, 2400]) AS arrivals,
		   unnest(ARRAY[50, 70, 80, 90, 95, 99.5]) AS target,
		   unnest(ARRAY[0, 10, 20, 60, 600]) AS t) AS s;

-- hundreds and thousands of agents: no overflow, a service level close to the target
SELECT arrivals,
	   erlang_agents(arrivals, '3 min', '30 min', 80, '20 s') AS agents,
	   erlang_agents(arrivals, '3 min', '30 min', 80, '20 s') = ref_erlang_agents(arrivals / 10.0, 180, 80, 20) AS ref_ok,
	   round(erlang_service_level(arrivals, '3 min', '30 min', erlang_agents(arrivals, '3 min', '30 min', 80, '20 s'), '20 s'), 2) AS service_level
FROM unnest(ARRAY[1000, 10000, 100000]) AS arrivals
ORDER BY arrivals;
SELECT erlang_c(1e6, '3 min', '30 min', 100001) AS p_wait_100001,
	   erlang_c(1e6, '3 min', '30 min', 101000) AS p_wait_101000,
	   erlang_c(1e6, '3 min', '30 min', 2000000) AS p_wait_2000000,
	   erlang_c(1, '3 min', '30 min', 2147483647) AS p_wait_max_agents,
	   erlang_service_level(1, '3 min', '30 min', 2147483647, '0 s') AS sl_max_agents;

-- shrinkage: N / (1 - shrinkage) rounded up, exactly in decimal
SELECT s AS shrinkage,
	   erlang_agents(100, '180 s', '30 min', 80, '20 s', s) AS staff,
	   ceil(14 / (1 - s::numeric)) AS expected
FROM unnest(ARRAY[0, 0.125, 0.3, 0.35, 0.5, 0.9, 0.999]::double precision[]) AS s
ORDER BY s;
-- 21 agents at 30% shrinkage are exactly 30 staff, though 21 / (1 - 0.3::float8) > 30
SELECT erlang_agents(170, '3 min', '30 min', 80, '20 s') AS agents,
	   erlang_agents(170, '3 min', '30 min', 80, '20 s', 0.3) AS staff,
	   21 / (1 - 0.3::double precision) > 30 AS binary_quotient_above_30;

-- no traffic: nobody waits, and no agents are needed
SELECT erlang_c(0, '3 min', '30 min', 1) AS p_wait,
	   erlang_service_level(0, '3 min', '30 min', 1, '20 s') AS service_level,
	   erlang_asa(0, '3 min', '30 min', 1) AS asa,
	   erlang_agents(0, '3 min', '30 min', 80, '20 s') AS agents,
	   erlang_agents(0, '3 min', '30 min', 80, '20 s', 0.3) AS staff;

-- a zero threshold: the share answered without waiting, 100 * (1 - C)
SELECT erlang_service_level(100, '180 s', '30 min', 13, '0 s')
	   = round((100 * (1 - ref_erlang_c(10, 13)))::numeric, 13) AS zero_threshold_ok;
-- months count as 30 days, as everywhere in kpi_ext
SELECT erlang_c(1, '1 month', '30 days', 2) = erlang_c(1, '30 days', '30 days', 2) AS month_ok;

-- NULL in, NULL out
SELECT erlang_c(NULL, '3 min', '30 min', 13) IS NULL AS c_null,
	   erlang_service_level(100, '3 min', '30 min', 13, NULL) IS NULL AS sl_null,
	   erlang_asa(100, NULL, '30 min', 13) IS NULL AS asa_null,
	   erlang_agents(100, '3 min', '30 min', NULL, '20 s') IS NULL AS agents_null,
	   erlang_agents(100, '3 min', '30 min', 80, '20 s', NULL) IS NULL AS shrinkage_null;

-- errors
-- (overloaded periods and an AHT of 0 give limits, not errors: see sql/erlang.sql)
SELECT erlang_c(-1, '180 s', '30 min', 13);
SELECT erlang_c('NaN', '180 s', '30 min', 13);
SELECT erlang_c('Infinity', '180 s', '30 min', 13);
SELECT erlang_c(100, '-3 min', '30 min', 13);
SELECT erlang_c(100, '3 min', '0 s', 13);
SELECT erlang_c(100, '3 min', '-30 min', 13);
SELECT erlang_c(1e308, '3 min', '1 microsecond', 13);
SELECT erlang_c(1, '3 min', '2147483647 months', 13);
SELECT erlang_service_level(100, '3 min', '30 min', 13, '-1 s');
SELECT erlang_agents(100, '3 min', '30 min', 0, '20 s');
SELECT erlang_agents(100, '3 min', '30 min', 100, '20 s');
SELECT erlang_agents(100, '3 min', '30 min', -5, '20 s');
SELECT erlang_agents(100, '3 min', '30 min', 'NaN', '20 s');
SELECT erlang_agents(100, '3 min', '30 min', 80, '-20 s');
SELECT erlang_agents(100, '3 min', '30 min', 80, '20 s', 1);
SELECT erlang_agents(100, '3 min', '30 min', 80, '20 s', -0.1);
SELECT erlang_agents(100, '3 min', '30 min', 80, '20 s', 'NaN');
SELECT erlang_agents(1e11, '3 min', '30 min', 80, '20 s');
SELECT erlang_agents(1e8, '3 min', '30 min', 80, '20 s', 0.9999999);

--
-- business formulas
--

-- retention: 100 * (end - new) / start; integer, bigint and numeric (sum()) arguments
SELECT retention_rate(1000, 950, 100) AS retention,
	   retention_rate(1000, 950, 100) = 100.0 * (950 - 100) / 1000 AS retention_ok,
	   retention_rate(3::bigint, 2::bigint, 0::bigint) = 100.0 * 2 / 3 AS bigint_ok,
	   retention_rate(1000, 1000, 0) AS all_kept,
	   retention_rate(1000, 100, 100) AS none_kept,
	   retention_rate(0, 20, 20) AS no_start;
SELECT round(retention_rate(sum(s), sum(e), sum(n)), 2) AS retention,
	   retention_rate(sum(s), sum(e), sum(n)) = 100.0 * (sum(e) - sum(n)) / sum(s) AS ok
FROM (VALUES (400::bigint, 390::bigint, 20::bigint), (600, 580, 75)) AS v(s, e, n);
-- customer lifetime value: average revenue per period * average lifespan in periods
SELECT clv(49.90, 26) AS clv, clv(49.90, 26) = 49.90 * 26 AS clv_ok, clv(-5, 3) AS negative_margin, clv(120, 0) AS zero_life;
-- cost per contact: NULL without contacts
SELECT cost_per_contact(12500.00, 1000) AS cpc,
	   cost_per_contact(12500.00, 1000) = 12500.00 / 1000 AS cpc_ok,
	   round(cost_per_contact(100, 3), 4) AS thirds,
	   cost_per_contact(0, 10) AS free,
	   cost_per_contact(12500.00, 0) AS no_contacts;
SELECT round(cost_per_contact(sum(cost), count(*)), 2) AS cpc
FROM (VALUES (4.10), (7.25), (1.00)) AS v(cost);
SELECT retention_rate(NULL, 1, 1) IS NULL AS r_null, clv(NULL, 2) IS NULL AS clv_null,
	   cost_per_contact(1, NULL) IS NULL AS cpc_null;

-- errors
SELECT retention_rate(-1, 10, 1);
SELECT retention_rate(10, -1, 0);
SELECT retention_rate(10, 5, -1);
SELECT retention_rate(10, 5, 6);
SELECT retention_rate(10, 20, 5);
SELECT retention_rate('NaN', 5, 1);
SELECT retention_rate('Infinity', 5, 1);
SELECT clv(10, -1);
SELECT clv('NaN', 1);
SELECT cost_per_contact(-1, 10);
SELECT cost_per_contact(10, -1);
SELECT cost_per_contact(10, 'Infinity');
