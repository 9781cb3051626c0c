-- Survey scores: NPS, CSAT, CES and score_summary, each against a plain-SQL formula
CREATE SCHEMA survey_test;
SET search_path = survey_test, public;

-- deterministic responses: 3 teams over 60 days, some NULLs, distributions differ by team
CREATE TABLE responses_t AS
SELECT i AS id,
	   (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   date '2026-01-01' + (i / 50) AS day,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 7919) % 101 + (i % 3) * 20) % 11 END AS nps_score,
	   CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + ((i * 31) % 97 + i % 3) % 5 END AS csat_score,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + ((i * 37) % 89) % 7 END AS ces_score,
	   CASE WHEN i % 19 = 0 THEN NULL ELSE 1 + ((i * 41) % 83) % 10 END AS csat10_score
FROM generate_series(1, 3000) AS i;

-- one-step aggregates against their formulas, per team
SELECT team,
	   nps(nps_score),
	   nps(nps_score) = 100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6)) / count(nps_score) AS nps_ok,
	   csat(csat_score),
	   csat(csat_score) = 100.0 * count(*) FILTER (WHERE csat_score >= 4) / count(csat_score) AS csat_ok,
	   ces(ces_score),
	   ces(ces_score) = avg(ces_score) AS ces_ok,
	   csat(csat10_score, 10) = 100.0 * count(*) FILTER (WHERE csat10_score >= 9) / count(csat10_score) AS csat10_ok,
	   ces(csat10_score, 10) = avg(csat10_score) AS ces10_ok
FROM responses_t
GROUP BY team
ORDER BY team;

-- csat(score, scale) counts the top two of each row's own scale
SELECT csat(s, k) FROM (VALUES (3, 3), (2, 3), (1, 3), (5, 5), (3, 5)) AS v(s, k);
SELECT ces(s, 5) FROM (VALUES (1), (5), (5)) AS v(s);

-- boundary scores
SELECT nps(s), promoters(score_agg(s)), passives(score_agg(s)), detractors(score_agg(s))
FROM (VALUES (0), (6), (7), (8), (9), (10)) AS v(s);
SELECT nps(s) FROM (VALUES (10), (9)) AS v(s);
SELECT nps(s) FROM (VALUES (0), (6)) AS v(s);
SELECT csat(s), top_box(score_agg(s), 5), mean_score(score_agg(s))
FROM (VALUES (1), (3), (4), (5)) AS v(s);
SELECT ces(s) FROM (VALUES (1), (7)) AS v(s);

-- NULL and empty: NULLs are skipped; no non-NULL input gives NULL, counts give 0
SELECT nps(s), csat(s), ces(s), csat(s, 5), ces(s, 5), score_agg(s)
FROM (VALUES (NULL::integer), (NULL)) AS v(s);
SELECT nps(s), score_agg(s) FROM responses_t, (VALUES (1)) AS v(s) WHERE false;
SELECT nps(s) FROM (VALUES (NULL::integer), (10), (NULL), (0)) AS v(s);
SELECT responses(s), promoters(s), nps(s), csat(s), ces(s), top_box(s, 9), score_histogram(s)
FROM (SELECT 'v1:0,0,0,0,0,0,0,0,0,0,0'::score_summary AS s) AS e;

-- accessors on a summary against the raw data
WITH s AS (SELECT score_agg(nps_score) AS s FROM responses_t)
SELECT responses(s) = (SELECT count(nps_score) FROM responses_t) AS responses_ok,
	   promoters(s) = (SELECT count(*) FROM responses_t WHERE nps_score >= 9) AS promoters_ok,
	   passives(s) = (SELECT count(*) FROM responses_t WHERE nps_score IN (7, 8)) AS passives_ok,
	   detractors(s) = (SELECT count(*) FROM responses_t WHERE nps_score <= 6) AS detractors_ok,
	   mean_score(s) = (SELECT avg(nps_score) FROM responses_t) AS mean_ok,
	   top_box(s, 7) = (SELECT 100.0 * count(*) FILTER (WHERE nps_score >= 7) / count(nps_score) FROM responses_t) AS top_box_ok,
	   csat(s, 8) = top_box(s, 8) AS csat_min_ok,
	   score_histogram(s) = (SELECT array_agg(c ORDER BY k) FROM (SELECT k, count(r.nps_score) AS c FROM generate_series(0, 10) AS k LEFT JOIN responses_t AS r ON r.nps_score = k GROUP BY k) AS h) AS histogram_ok,
	   s
FROM s;

-- rollup of daily summaries equals the one-step result
CREATE TABLE daily_scores AS
SELECT team, day, score_agg(nps_score) AS nps_s, score_agg(csat_score) AS csat_s, score_agg(ces_score) AS ces_s
FROM responses_t GROUP BY team, day;

SELECT d.team,
	   nps(rollup(nps_s)) = (SELECT nps(nps_score) FROM responses_t AS r WHERE r.team = d.team) AS nps_ok,
	   csat(rollup(csat_s)) = (SELECT csat(csat_score) FROM responses_t AS r WHERE r.team = d.team) AS csat_ok,
	   ces(rollup(ces_s)) = (SELECT ces(ces_score) FROM responses_t AS r WHERE r.team = d.team) AS ces_ok
FROM daily_scores AS d
GROUP BY d.team ORDER BY d.team;

SELECT nps(rollup(s))::text = (SELECT nps(nps_score)::text FROM responses_t) AS rollup_of_rollups_ok
FROM (SELECT team, rollup(nps_s) AS s FROM daily_scores GROUP BY team) AS per_team;

-- OVER with ROWS frames against recomputation of every frame
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.nps IS NOT DISTINCT FROM (
		   SELECT 100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6)) / nullif(count(nps_score), 0)
		   FROM responses_t AS r WHERE r.id BETWEEN w.id - 27 AND w.id)) AS nps_equal,
	   count(*) FILTER (WHERE w.csat IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0)
		   FROM responses_t AS r WHERE r.id BETWEEN w.id - 6 AND w.id)) AS csat_equal,
	   count(*) FILTER (WHERE w.ces IS NOT DISTINCT FROM (
		   SELECT avg(ces_score) FROM responses_t AS r WHERE r.id BETWEEN w.id - 2 AND w.id + 2)) AS ces_equal,
	   count(*) FILTER (WHERE w.csat10 IS NOT DISTINCT FROM (
		   SELECT 100.0 * count(*) FILTER (WHERE csat10_score >= 9) / nullif(count(csat10_score), 0)
		   FROM responses_t AS r WHERE r.id BETWEEN w.id - 9 AND w.id)) AS csat10_equal
FROM (SELECT id,
			 nps(nps_score) OVER (ORDER BY id ROWS 27 PRECEDING) AS nps,
			 csat(csat_score) OVER (ORDER BY id ROWS 6 PRECEDING) AS csat,
			 ces(ces_score) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS ces,
			 csat(csat10_score, 10) OVER (ORDER BY id ROWS 9 PRECEDING) AS csat10
	  FROM responses_t) AS w;

-- a rolling 7-day NPS from daily summaries equals the one-step NPS over the same days
SELECT count(*) AS days_checked,
	   count(*) FILTER (WHERE w.nps = (SELECT nps(nps_score) FROM responses_t AS r
									   WHERE r.team = w.team AND r.day BETWEEN w.day - 6 AND w.day)) AS equal
FROM (SELECT team, day, nps(rollup(nps_s) OVER (PARTITION BY team ORDER BY day ROWS 6 PRECEDING)) AS nps
	  FROM daily_scores) AS w;

-- a frame that slides over NULL-only rows gives NULL, not 0; so does one that starts on them
SELECT id, nps(s) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, 10), (2, NULL), (3, NULL), (4, 0)) AS v(id, s) ORDER BY id;
SELECT id, nps(s) OVER w, csat(c, 5) OVER w, nps(rollup(x) OVER w) AS nps_of_rollup, responses(rollup(x) OVER w)
FROM (VALUES (1, NULL, NULL, NULL::score_summary), (2, NULL, NULL, NULL), (3, 10, 5, 'v1:0,0,0,0,0,0,0,0,0,0,1'), (4, 0, 1, NULL))
	 AS v(id, s, c, x)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING) ORDER BY id;

-- text round trip, and binary round trip through COPY
SELECT s::text, s::text::score_summary::text = s::text AS text_ok
FROM (SELECT score_agg(nps_score) AS s FROM responses_t) AS x;
CREATE TABLE copy_src AS SELECT team, day, nps_s FROM daily_scores;
\copy copy_src TO 'results/score_summary.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/score_summary.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied,
	   count(*) FILTER (WHERE a.nps_s::text = b.nps_s::text) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (team, day);

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE responses_big AS SELECT * FROM responses_t, generate_series(1, 20) AS rep;
ANALYZE responses_big;
CREATE TEMP TABLE serial_result AS
SELECT nps(nps_score) AS nps, csat(csat_score) AS csat, ces(ces_score) AS ces, score_agg(nps_score)::text AS s
FROM responses_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT nps(nps_score), csat(csat_score), ces(ces_score), score_agg(nps_score) FROM responses_big;
SELECT p.nps = s.nps AS nps_ok, p.csat = s.csat AS csat_ok, p.ces = s.ces AS ces_ok, p.s = s.s AS summary_ok
FROM (SELECT nps(nps_score) AS nps, csat(csat_score) AS csat, ces(ces_score) AS ces, score_agg(nps_score)::text AS s
	  FROM responses_big) AS p, serial_result AS s;
SELECT team, nps(rollup(nps_s)) = (SELECT nps(nps_score) FROM responses_t AS r WHERE r.team = d.team) AS ok
FROM daily_scores AS d GROUP BY team ORDER BY team;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors: out-of-range scores and scales
SELECT nps(s) FROM (VALUES (10), (11)) AS v(s);
SELECT nps(s) FROM (VALUES (-1)) AS v(s);
SELECT csat(s) FROM (VALUES (0)) AS v(s);
SELECT csat(s) FROM (VALUES (6)) AS v(s);
SELECT ces(s) FROM (VALUES (8)) AS v(s);
SELECT ces(s) FROM (VALUES (0)) AS v(s);
SELECT score_agg(s) FROM (VALUES (11)) AS v(s);
SELECT csat(s, 5) FROM (VALUES (6)) AS v(s);
SELECT csat(s, 11) FROM (VALUES (6)) AS v(s);
SELECT csat(s, 1) FROM (VALUES (1)) AS v(s);
SELECT csat(s, NULL) FROM (VALUES (1)) AS v(s);
SELECT ces(s, 5) FROM (VALUES (6)) AS v(s);
SELECT top_box(score_agg(s), 11) FROM (VALUES (1)) AS v(s);
SELECT csat(score_agg(s), -1) FROM (VALUES (1)) AS v(s);
\set VERBOSITY sqlstate
SELECT nps(s) FROM (VALUES (12)) AS v(s);
\set VERBOSITY default

-- errors: malformed and corrupt literals
SELECT 'garbage'::score_summary;
SELECT ''::score_summary;
SELECT 'v2:0,0,0,0,0,0,0,0,0,0,0'::score_summary;
SELECT 'v1:0,0,0'::score_summary;
SELECT 'v1:0,0,0,0,0,0,0,0,0,0,0,0'::score_summary;
SELECT 'v1:0,0,0,0,0,0,0,0,0,0,-1'::score_summary;
SELECT 'v1:0,0,0,0,0,0,0,0,0,0,99999999999999999999'::score_summary;
SELECT 'v1:0,0,0,0,0,0,0,0,0,9223372036854775807,1'::score_summary;
SELECT 'v1:0,0,0,0,0,0,0,0,0,0,1 x'::score_summary;
SELECT ' v1: 0, 0,0,0,0,0,0,0,0,0, 1 '::score_summary;

-- overflow of a merged counter is an error, not a wrap
SELECT rollup(s) FROM (VALUES ('v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807'::score_summary),
							  ('v1:0,0,0,0,0,0,0,0,0,0,1')) AS v(s);

-- mean_score near the 64-bit limit: the weighted sum exceeds 64 bits, the mean does not
SELECT mean_score(s) AS mean, mean_score(s) = 10 AS mean_ok
FROM (SELECT 'v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807'::score_summary AS s) AS e;
SELECT mean_score(s) = (9 * 4611686018427387903::numeric + 10 * 4611686018427387904::numeric)
					   / 9223372036854775807 AS mean_ok
FROM (SELECT 'v1:0,0,0,0,0,0,0,0,0,4611686018427387903,4611686018427387904'::score_summary AS s) AS e;
