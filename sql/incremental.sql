-- Incremental summaries: + on every summary type, - where invertible, exact ratio
-- sums (windows that do not drift), ratios without spurious overflow, one byte
-- representation per value.  Byte equality is checked on the binary form
-- (the types' send functions), which is what a table stores in compact form.
CREATE SCHEMA incremental_test;
SET search_path = incremental_test, public;

-- deterministic tickets: 2 teams over 6 days, some NULLs
CREATE TABLE t AS
SELECT i AS id,
	   (ARRAY['billing', 'tech'])[1 + i % 2] AS team,
	   timestamptz '2026-03-01' + (i % 6) * interval '1 day' + (i * 7919 % 86400) * interval '1 second' AS opened,
	   CASE WHEN i % 5 = 0 THEN NULL
			ELSE timestamptz '2026-03-01' + (i % 6) * interval '1 day' + (i * 7919 % 86400 + i * 613 % 300000) * interval '1 second' END AS closed,
	   CASE WHEN i % 3 = 0 THEN NULL ELSE (i * 37) % 11 END AS nps,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE i % 7 <> 0 END AS fcr,
	   CASE WHEN i % 6 = 0 THEN NULL ELSE ((i * 47) % 101) / 4.0 END AS qa_points,
	   CASE WHEN i % 6 = 0 THEN NULL ELSE 25.25 END AS qa_max,
	   make_interval(secs => (i * 53) % 900 + 0.001 * (i % 997)) AS talk,
	   make_interval(secs => (i * 61) % 3600 + 0.000007 * (i % 13)) AS resolution
FROM generate_series(1, 400) AS i;

-- two halves of the rows, and one summary of each kind per half
CREATE TABLE halves AS
SELECT id % 2 AS half, score_agg(nps) AS s, rate_agg(fcr) AS r,
	   ratio_agg(qa_points, qa_max) AS q, aht_agg(talk, NULL, NULL) AS h,
	   duration_agg(resolution) AS d, ticket_flow_agg(opened, closed, '1 day') AS f
FROM t GROUP BY 1;
CREATE TABLE whole AS
SELECT score_agg(nps) AS s, rate_agg(fcr) AS r, ratio_agg(qa_points, qa_max) AS q,
	   aht_agg(talk, NULL, NULL) AS h, duration_agg(resolution) AS d,
	   ticket_flow_agg(opened, closed, '1 day') AS f
FROM t;

-- a + b is the summary of both halves: the same bytes as the one-step aggregate and rollup
SELECT kpi_score_summary_send(a.s + b.s) = kpi_score_summary_send(w.s) AS score_plus,
	   kpi_rate_summary_send(a.r + b.r) = kpi_rate_summary_send(w.r) AS rate_plus,
	   kpi_ratio_summary_send(a.q + b.q) = kpi_ratio_summary_send(w.q) AS ratio_plus,
	   kpi_ratio_summary_send(a.h + b.h) = kpi_ratio_summary_send(w.h) AS aht_plus,
	   kpi_duration_summary_send(a.d + b.d) = kpi_duration_summary_send(w.d) AS duration_plus,
	   kpi_ticket_flow_send(a.f + b.f) = kpi_ticket_flow_send(w.f) AS flow_plus,
	   (a.s + b.s)::text = (b.s + a.s)::text AND (a.q + b.q)::text = (b.q + a.q)::text
		   AND (a.d + b.d)::text = (b.d + a.d)::text AND (a.f + b.f)::text = (b.f + a.f)::text AS commutative
FROM halves AS a, halves AS b, whole AS w WHERE a.half = 0 AND b.half = 1;
SELECT (SELECT rollup(s) FROM halves)::text = (SELECT s FROM whole)::text AS score_rollup,
	   (SELECT rollup(q) FROM halves)::text = (SELECT q FROM whole)::text AS ratio_rollup,
	   (SELECT rollup(d) FROM halves)::text = (SELECT d FROM whole)::text AS duration_rollup,
	   (SELECT rollup(f) FROM halves)::text = (SELECT f FROM whole)::text AS flow_rollup;

-- (a + b) - b = a, byte for byte, for every invertible type
SELECT kpi_score_summary_send((a.s + b.s) - b.s) = kpi_score_summary_send(a.s) AS score_minus,
	   kpi_rate_summary_send((a.r + b.r) - b.r) = kpi_rate_summary_send(a.r) AS rate_minus,
	   kpi_ratio_summary_send((a.q + b.q) - b.q) = kpi_ratio_summary_send(a.q) AS ratio_minus,
	   kpi_ratio_summary_send((a.h + b.h) - b.h) = kpi_ratio_summary_send(a.h) AS aht_minus,
	   kpi_ticket_flow_send((a.f + b.f) - b.f) = kpi_ticket_flow_send(a.f) AS flow_minus,
	   kpi_ratio_summary_send(w.q - a.q) = kpi_ratio_summary_send(b.q) AS whole_minus_half
FROM halves AS a, halves AS b, whole AS w WHERE a.half = 0 AND b.half = 1;

-- associative: every grouping and order of ten daily summaries gives the same bytes
CREATE TABLE daily AS
SELECT (opened AT TIME ZONE 'UTC')::date AS day, score_agg(nps) AS s, rate_agg(fcr) AS r,
	   ratio_agg(qa_points, qa_max) AS q, duration_agg(resolution) AS d,
	   ticket_flow_agg(opened, closed, '1 day') AS f
FROM t GROUP BY 1;
WITH RECURSIVE fold(k, s, q, d, f) AS (
	SELECT 1, s, q, d, f FROM daily WHERE day = '2026-03-06'
	UNION ALL
	SELECT k + 1, fold.s + daily.s, daily.q + fold.q, fold.d + daily.d, daily.f + fold.f
	FROM fold JOIN daily ON daily.day = date '2026-03-06' - k
)
SELECT fold.s::text = w.s::text AS score_folded, fold.q::text = w.q::text AS ratio_folded,
	   fold.d::text = w.d::text AS duration_folded, fold.f::text = w.f::text AS flow_folded
FROM fold, whole AS w WHERE k = 6;
SELECT (SELECT rollup(q ORDER BY day DESC) FROM daily)::text = (SELECT rollup(q ORDER BY day) FROM daily)::text AS ratio_order,
	   (SELECT rollup(q) FROM (SELECT rollup(q) AS q FROM daily GROUP BY extract(day FROM day)::int % 2) AS x)::text
		   = (SELECT q FROM whole)::text AS ratio_regrouped;

-- NULL is a summary of no rows: NULL + b = b, a - NULL = a, NULL + NULL = NULL;
-- a - b with no row left is NULL, like an aggregate over no rows
SELECT (NULL::score_summary + s)::text = s::text AS score_null_plus,
	   (q + NULL::ratio_summary)::text = q::text AS ratio_plus_null,
	   (d + NULL)::text = d::text AS duration_plus_null,
	   (NULL + f)::text = f::text AS flow_null_plus,
	   (q - NULL)::text = q::text AS ratio_minus_null,
	   NULL::rate_summary + NULL IS NULL AS null_plus_null,
	   s - s IS NULL AND r - r IS NULL AND q - q IS NULL AND f - f IS NULL AS minus_self_null,
	   NULL::score_summary - NULL IS NULL AS null_minus_null
FROM whole;
SELECT NULL::score_summary - 'v1:0,0,0,0,0,0,0,0,0,0,0' IS NULL AS null_minus_empty,
	   'v1:0,0,0,0,0,0,0,0,0,0,0'::score_summary + 'v1:0,0,0,0,0,0,0,0,0,0,0' AS empty_plus_empty,
	   'v2:n=0,num=0,den=0'::ratio_summary + 'v2:n=0,num=0,den=0' AS empty_ratios,
	   'v1:a=0.01,n=0,z=0,sum=0,min=0,max=0;'::duration_summary
		   + 'v1:a=0.01,n=0,z=0,sum=0,min=0,max=0;' IS NULL AS empty_durations_null,
	   'v1:1d;UTC;0;'::ticket_flow + 'v1:1d;UTC;0;' IS NULL AS empty_flows_null;

-- readable results
SELECT 'v1:1,0,0,0,0,0,0,2,0,3,4'::score_summary + 'v1:0,1,0,0,0,0,0,0,0,0,1' AS score_sum,
	   'v1:1,1,0,0,0,0,0,2,0,3,5'::score_summary - 'v1:0,1,0,0,0,0,0,0,0,0,1' AS score_difference,
	   'v1:3/5'::rate_summary + 'v1:1/1' AS rate_sum, 'v1:4/6'::rate_summary - 'v1:1/1' AS rate_difference;
SELECT 'v2:n=2,num=0.1,den=3'::ratio_summary + 'v2:n=1,num=0.2,den=1' AS ratio_sum,
	   'v2:n=3,num=0.30000000000000004-2.7755575615628914e-17,den=4'::ratio_summary - 'v2:n=1,num=0.2,den=1' AS ratio_difference;
SELECT 'v1:1d;UTC;9497;2/0,0/1'::ticket_flow + 'v1:1d;UTC;9498;1/0,0/1' AS flow_sum,
	   'v1:1d;UTC;9497;2/0,1/1,0/2'::ticket_flow - 'v1:1d;UTC;9498;1/0,0/1' AS flow_difference;
SELECT 'v1:a=0.01,n=1,z=0,sum=1000000,min=1000000,max=1000000;691:1'::duration_summary
	   + 'v1:a=0.01,n=1,z=1,sum=0,min=0,max=0;' AS duration_sum;

-- errors: a difference that would hold a negative count (22003, with a hint)
SELECT 'v1:1,0,0,0,0,0,0,0,0,0,0'::score_summary - 'v1:0,1,0,0,0,0,0,0,0,0,0';
SELECT 'v1:3/5'::rate_summary - 'v1:4/4';
SELECT 'v1:3/5'::rate_summary - 'v1:0/3';
SELECT NULL::rate_summary - 'v1:0/1';
SELECT 'v2:n=1,num=1,den=1'::ratio_summary - 'v2:n=2,num=1,den=1';
SELECT 'v2:n=1,num=1,den=1'::ratio_summary - 'v2:n=1,num=2,den=1';
SELECT 'v1:1d;UTC;9497;1/0,0/1'::ticket_flow - 'v1:1d;UTC;9496;1/0';
SELECT 'v1:1d;UTC;9497;1/0,0/1'::ticket_flow - 'v1:1d;UTC;9497;1/0';
\set VERBOSITY sqlstate
SELECT 'v1:3/5'::rate_summary - 'v1:4/4';
SELECT 'v2:n=1,num=1,den=1'::ratio_summary - 'v2:n=1,num=2,den=1';
\set VERBOSITY default
-- errors: summaries that do not add up
SELECT 'v1:1d;UTC;9497;1/0'::ticket_flow + 'v1:1w;UTC;1357;1/0';
SELECT 'v1:1d;UTC;9497;1/0'::ticket_flow - 'v1:1d;Europe/Berlin;9497;1/0';
SELECT 'v1:a=0.01,n=1,z=1,sum=0,min=0,max=0;'::duration_summary + 'v1:a=0.02,n=1,z=1,sum=0,min=0,max=0;';
-- errors: counts beyond 64 bits
SELECT 'v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807'::score_summary + 'v1:0,0,0,0,0,0,0,0,0,0,1';
SELECT 'v2:n=1,num=1.7976931348623157e+308,den=1'::ratio_summary + 'v2:n=1,num=1.7976931348623157e+308,den=1';

-- an upsert reads s = t.s + excluded.s
CREATE TABLE team_day (team text, day date, s score_summary, q ratio_summary, PRIMARY KEY (team, day));
INSERT INTO team_day AS d
SELECT team, (opened AT TIME ZONE 'UTC')::date, score_agg(nps), ratio_agg(qa_points, qa_max)
FROM t WHERE id <= 200 GROUP BY 1, 2 ORDER BY 1, 2
ON CONFLICT (team, day) DO UPDATE SET s = d.s + excluded.s, q = d.q + excluded.q;
INSERT INTO team_day AS d
SELECT team, (opened AT TIME ZONE 'UTC')::date, score_agg(nps), ratio_agg(qa_points, qa_max)
FROM t WHERE id > 200 GROUP BY 1, 2 ORDER BY 1, 2
ON CONFLICT (team, day) DO UPDATE SET s = d.s + excluded.s, q = d.q + excluded.q;
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE d.s::text IS NOT DISTINCT FROM g.s::text
						AND d.q::text IS NOT DISTINCT FROM g.q::text) AS equal
FROM team_day AS d JOIN (SELECT team, (opened AT TIME ZONE 'UTC')::date AS day, score_agg(nps) AS s,
								ratio_agg(qa_points, qa_max) AS q FROM t GROUP BY 1, 2) AS g USING (team, day);

-- exact sums: small terms survive the large ones that leave a moving frame
SELECT id, ratio(ratio_agg(x, 1) OVER w), numerator(ratio_agg(x, 1) OVER w),
	   ratio_agg(x, 1) OVER w
FROM (VALUES (1, 1e300::float8), (2, 1e200), (3, 1), (4, 0), (5, 0), (6, -1e300), (7, 1e-300), (8, 1e300)) AS v(id, x)
WINDOW w AS (ORDER BY id ROWS 2 PRECEDING)
ORDER BY id;
SELECT id, utilization(b, a) OVER w, quality_score(p, m) OVER w
FROM (VALUES (1, interval '100000 years', interval '100000 years', 1e300, 1e300),
			 (2, interval '1 second', interval '2 seconds', 2, 2e-300),
			 (3, interval '1 second', interval '3 seconds', 1, 3),
			 (4, interval '0', interval '0', 0, 0),
			 (5, interval '0.000001 seconds', interval '0.000003 seconds', 0.5, 1.5)) AS v(id, b, a, p, m)
WINDOW w AS (ORDER BY id ROWS 2 PRECEDING)
ORDER BY id;
-- every frame of a mix of magnitudes equals the frame recomputed, byte for byte
CREATE TABLE adversarial AS
SELECT i AS id,
	   (ARRAY[1e300, -1e300, 1e-300, 5e-324, -0.0, 0, 1, 0.1, -2.5e-310, 1.7976931348623157e308,
			  -1.7976931348623157e308, 3.14159, 1e16, -1, 2.2250738585072014e-308])[1 + (i * 7) % 15]::float8
		   * (ARRAY[1, -1, 1])[1 + (i * 11) % 3] AS x,
	   (ARRAY[1, 1e-300, 1e300, 7, 0.3])[1 + (i * 13) % 5]::float8 AS y
FROM generate_series(1, 300) AS i;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE w.s::text = (SELECT ratio_agg(x, y) FROM adversarial AS r
											WHERE r.id BETWEEN w.id - 4 AND w.id + 1)::text) AS equal
FROM (SELECT id, ratio_agg(x, y) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND 1 FOLLOWING) AS s
	  FROM adversarial) AS w;
SELECT count(*) AS frames,
	   count(*) FILTER (WHERE w.s::text = (SELECT rollup(s) FROM (SELECT ratio_agg(x, y) AS s FROM adversarial AS r
									 WHERE r.id BETWEEN w.id - 9 AND w.id GROUP BY id) AS x)::text) AS equal
FROM (SELECT id, rollup(ratio_agg(x, y)) OVER (ORDER BY id ROWS 9 PRECEDING) AS s
	  FROM adversarial GROUP BY id) AS w;

-- ratios without spurious overflow or underflow: 100 * sum(num) would overflow
SELECT quality_score(p, m), utilization(ratio_agg(p::float8, m::float8)), ratio(ratio_agg(p::float8, m::float8))
FROM (VALUES (1e307, 2e307), (0, 2e307)) AS v(p, m);
SELECT utilization(ratio_agg(n, d)), ratio(ratio_agg(n, d))
FROM (VALUES (1e-310::float8, 2e-310::float8)) AS v(n, d);
SELECT ratio(ratio_agg(n, d)) FROM (VALUES (1e300::float8, 1e-300::float8)) AS v(n, d);
SELECT ratio(ratio_agg(n, d)) FROM (VALUES (1e-200::float8, 1e100::float8)) AS v(n, d);
-- a ratio below the range of double precision is an error, as float8 division's underflow
SELECT ratio(ratio_agg(n, d)) FROM (VALUES (1e-200::float8, 1e200::float8)) AS v(n, d);
-- numeric points below the range of double precision are refused, not summed as 0
SELECT quality_score(p, m) FROM (VALUES (1e-400, 1e-400)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES (1, 1e-320)) AS v(p, m);
SELECT quality_score(p, m) FROM (VALUES (0.0, 1), (0, 2.2250738585072014e-308)) AS v(p, m);

-- one byte representation: a literal reads into the bytes the aggregate stores, and
-- text -> value -> text and binary -> value -> binary are identities
SELECT kpi_ratio_summary_send('v2:n=2,num=1.25,den=2.5'::ratio_summary)
		   = kpi_ratio_summary_send(ratio_agg(x, y)) AS literal_equals_aggregate
FROM (VALUES (1.5, 2.0), (-0.25, 0.5)) AS v(x, y);
SELECT 'v2:n=1,num=-0,den=1'::ratio_summary AS minus_zero,
	   'v2:n=1,num=1e16+1+0.5-0.25,den=2'::ratio_summary AS terms_summed,
	   'v2:n=1,num=1e300-1e300,den=5e-324+5e-324'::ratio_summary AS cancelled;
SELECT kpi_ticket_flow_send('v1:1d;UTC;9495;~2,1/0,~3'::ticket_flow)
		   = kpi_ticket_flow_send(ticket_flow_agg(timestamptz '2026-01-01', NULL, '1 day')) AS flow_literal_trimmed,
	   'v1:1d;UTC;9495;~2,1/0,~3'::ticket_flow AS trimmed, 'v1:1h;UTC;12345;~4'::ticket_flow AS empty;
SELECT count(*) AS values, count(*) FILTER (WHERE s::text::ratio_summary::text = s::text
	   AND kpi_ratio_summary_send(s::text::ratio_summary) = kpi_ratio_summary_send(s)) AS round_trips
FROM (SELECT ratio_agg(x, y) OVER (ORDER BY id ROWS 3 PRECEDING) AS s FROM adversarial) AS w;

-- values stored by 0.6.0 (format version 1) read as the same sums
SELECT 'v1:n=2,num=1e+16+1,den=2'::ratio_summary AS v1_compensated,
	   'v1:n=3,num=0.30000000000000004-2.7755575615628914e-17,den=3'::ratio_summary AS v1_negative_comp,
	   'v1:n=1,num=1+1e-16,den=1'::ratio_summary AS v1_unnormalized,
	   'v1:n=4,num=27168013.875,den=40370577'::ratio_summary + 'v2:n=0,num=0,den=0' AS v1_plus,
	   quality_score('v1:n=2,num=25.5,den=30'::ratio_summary) AS v1_kpi;
