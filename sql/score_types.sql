-- Survey scores stored as smallint, bigint or numeric: every aggregate of the survey
-- family in every form, against the integer form and a plain-SQL formula
CREATE SCHEMA score_types_test;
SET search_path = score_types_test, public;

-- the same scores in every type, as pandas (bigint) and spreadsheets (numeric) load them
CREATE TABLE answers AS
SELECT i AS id, (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   s, s::smallint AS s2, s::bigint AS s8, s::numeric AS sn, (s::numeric + 0.00) AS sn_scaled,
	   c, c::smallint AS c2, c::bigint AS c8, c::numeric AS cn,
	   e, e::smallint AS e2, e::bigint AS e8, e::numeric AS en
FROM generate_series(1, 2000) AS i,
	 LATERAL (SELECT CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 11 END AS s,
					 CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + (i * 31) % 5 END AS c,
					 CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + (i * 37) % 7 END AS e) AS v;

-- every aggregate, every type, per team: equal to the integer form and to plain SQL
SELECT team,
	   nps(s2) = nps(s) AND nps(s8) = nps(s) AND nps(sn) = nps(s) AND nps(sn_scaled) = nps(s) AS nps_same,
	   nps(s8) = 100.0 * (count(*) FILTER (WHERE s >= 9) - count(*) FILTER (WHERE s <= 6)) / count(s) AS nps_sql,
	   score_agg(s2)::text = score_agg(s)::text AND score_agg(s8)::text = score_agg(s)::text
	   AND score_agg(sn)::text = score_agg(s)::text AS score_agg_same,
	   csat(c2) = csat(c) AND csat(c8) = csat(c) AND csat(cn) = csat(c) AS csat_same,
	   csat(c8) = 100.0 * count(*) FILTER (WHERE c >= 4) / count(c) AS csat_sql,
	   csat(c2, 5) = csat(c, 5) AND csat(c8, 5) = csat(c, 5) AND csat(cn, 5) = csat(c, 5)
	   AND csat(e8, 7) = 100.0 * count(*) FILTER (WHERE e >= 6) / count(e) AS csat_scale_same,
	   ces(e2) = ces(e) AND ces(e8) = ces(e) AND ces(en) = ces(e) AND ces(e8) = avg(e) AS ces_same,
	   ces(c2, 5) = ces(c, 5) AND ces(c8, 5) = ces(c, 5) AND ces(cn, 5) = avg(c) AS ces_scale_same
FROM answers GROUP BY team ORDER BY team;

-- overload resolution: an integer argument (a literal, an expression) picks the integer
-- form, typed literals their own form; the results agree
SELECT pg_typeof(5) AS literal_type, nps(5) AS nps_int_literal, nps(5::smallint) AS nps_smallint,
	   nps(5::bigint) AS nps_bigint, nps(5.0) AS nps_numeric, nps(10 - 1) AS nps_expression,
	   csat(4) AS csat_int, csat(4::bigint) AS csat_bigint, csat(4.0) AS csat_numeric,
	   csat(9, 10) AS csat10_int, csat(9::bigint, 10) AS csat10_bigint, csat(9.0, 10) AS csat10_numeric,
	   ces(3) AS ces_int, ces(3::smallint) AS ces_smallint, ces(3, 5) AS ces5_int, ces(3::bigint, 5) AS ces5_bigint,
	   score_agg(7) AS agg_int, score_agg(7::bigint) AS agg_bigint, score_agg(7.000) AS agg_numeric;
-- which function each call resolves to
SELECT call, (SELECT string_agg(format_type(t, NULL), ', ') FROM unnest(p.proargtypes) AS t) AS argument_types
FROM (VALUES ('nps(5)', 'nps'::text, 'integer'::regtype, NULL::regtype), ('nps(5::bigint)', 'nps', 'bigint', NULL),
			 ('csat(4, 5)', 'csat', 'integer', 'integer'), ('csat(4.0, 5)', 'csat', 'numeric', 'integer'),
			 ('ces(2::smallint)', 'ces', 'smallint', NULL)) AS c(call, name, t1, t2)
	 JOIN pg_proc AS p ON p.proname = c.name AND p.prokind = 'a'
		  AND p.proargtypes[0] = c.t1 AND (c.t2 IS NULL) = (p.pronargs = 1) AND (c.t2 IS NULL OR p.proargtypes[1] = c.t2)
ORDER BY call;
SELECT nps('5');

-- windows (moving aggregates with the inverse), rollup of summaries, NULLs and empty input
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w8 = w4 AND wn = w4) AS window_equal
FROM (SELECT nps(s) OVER w AS w4, nps(s8) OVER w AS w8, nps(sn) OVER w AS wn
	  FROM answers WINDOW w AS (ORDER BY id ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)) AS x;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE a = b) AS csat_scale_window_equal
FROM (SELECT csat(c, 5) OVER w AS a, csat(cn, 5) OVER w AS b, ces(e8, 7) OVER w AS d
	  FROM answers WINDOW w AS (ORDER BY id ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)) AS x;
SELECT nps(rollup(s)) = (SELECT nps(s8) FROM answers) AS rollup_equal
FROM (SELECT team, score_agg(s8) AS s FROM answers GROUP BY team) AS d;
SELECT nps(x) AS no_rows_bigint, csat(x) AS no_rows_csat, score_agg(x) AS no_rows_agg FROM (SELECT NULL::bigint AS x WHERE false) AS v;
SELECT nps(x) AS nulls_numeric, ces(x, 5) AS nulls_ces FROM (VALUES (NULL::numeric), (NULL)) AS v(x);

-- forced parallel plan for the bigint and numeric forms
CREATE TABLE answers_big AS SELECT a.* FROM answers AS a, generate_series(1, 20);
ANALYZE answers_big;
CREATE TEMP TABLE serial_result AS
SELECT nps(s8) AS nps, csat(cn) AS csat, ces(e2) AS ces, csat(c8, 5) AS csat5, score_agg(sn)::text AS agg FROM answers_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT nps(s8), csat(cn), ces(e2), csat(c8, 5), score_agg(sn) FROM answers_big;
SELECT p.nps = s.nps AND p.csat = s.csat AND p.ces = s.ces AND p.csat5 = s.csat5 AND p.agg = s.agg AS parallel_equal
FROM (SELECT nps(s8) AS nps, csat(cn) AS csat, ces(e2) AS ces, csat(c8, 5) AS csat5, score_agg(sn)::text AS agg
	  FROM answers_big) AS p, serial_result AS s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors: fractional, out of range (also beyond integer), NaN and infinite scores
SELECT nps(x) FROM (VALUES (9.5)) AS v(x);
SELECT csat(x) FROM (VALUES (4.000001)) AS v(x);
SELECT nps(x) FROM (VALUES (11::bigint)) AS v(x);
SELECT nps(x) FROM (VALUES (9223372036854775807::bigint)) AS v(x);
SELECT nps(x) FROM (VALUES ((-32768)::smallint)) AS v(x);
SELECT ces(x) FROM (VALUES (8::numeric)) AS v(x);
SELECT ces(x, 5) FROM (VALUES (6::bigint)) AS v(x);
SELECT csat(x, 5) FROM (VALUES (0.0)) AS v(x);
SELECT nps(x) FROM (VALUES (1e100)) AS v(x);
SELECT nps(x) FROM (VALUES ('NaN'::numeric)) AS v(x);
SELECT nps(x) FROM (VALUES ('Infinity'::numeric)) AS v(x);
SELECT score_agg(x) FROM (VALUES (-0.5)) AS v(x);
