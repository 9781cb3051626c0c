-- Change tests and intervals from summaries and raw values: top_box_summary,
-- top_box_change_pvalue, the t interval of a mean score, distribution-free
-- percentile intervals, and finite results for every accepted confidence level
CREATE SCHEMA intervals_test;
SET search_path = intervals_test, public;

-- CSAT answers of three teams in two periods
CREATE TABLE answers AS
SELECT i AS id, (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   CASE WHEN i <= 1200 THEN 'before' ELSE 'after' END AS period,
	   CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + ((i * 31) % 97 + i % 3 + (i / 1200)) % 5 END AS score
FROM generate_series(1, 2400) AS i;
CREATE TABLE daily AS
SELECT team, period, id / 100 AS day, score_agg(score) AS s FROM answers GROUP BY 1, 2, 3;

--
-- top_box_summary: the top-box responses as a rate_summary
--
SELECT team, period, top_box_summary(score_agg(score), 4) AS summary,
	   top_box_summary(score_agg(score), 4)::text
	   = format('v1:%s/%s', count(*) FILTER (WHERE score >= 4), count(score)) AS sql_equal,
	   rate(top_box_summary(score_agg(score), 4)) = csat(score) AS rate_is_csat,
	   (SELECT top_box_summary(rollup(d.s), 4) FROM daily AS d WHERE d.team = a.team AND d.period = a.period)::text
	   = top_box_summary(score_agg(score), 4)::text AS rollup_equal
FROM answers AS a GROUP BY team, period ORDER BY team, period DESC;
SELECT top_box_summary('v1:0,0,0,0,0,0,0,0,0,0,0', 4) AS empty, top_box_summary('v1:1,1,1,1,1,1,1,1,1,1,1', 0) AS all_hits,
	   top_box_summary('v1:1,1,1,1,1,1,1,1,1,1,1', 10) AS top_only, top_box_summary(NULL, 4) AS null_summary,
	   top_box_summary('v1:1,1,1,1,1,1,1,1,1,1,1', NULL) AS null_min;
SELECT top_box_summary('v1:1,1,1,1,1,1,1,1,1,1,1', 11);
SELECT top_box_summary('v1:1,1,1,1,1,1,1,1,1,1,1', -1);

--
-- top_box_change_pvalue: the two-proportion test of rate_change_pvalue
--
-- an independent two-sided p-value in plain SQL: z = (p2 - p1) / sqrt(pool (1 - pool) (1/n1 + 1/n2)),
-- p = 2 (1 - Phi(|z|)) with Phi from Marsaglia's series
CREATE FUNCTION sql_phi(x double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $$
	WITH RECURSIVE t(n, term, total) AS (
		SELECT 0, x, x
		UNION ALL
		SELECT n + 1, term * x * x / (2 * n + 3), total + term * x * x / (2 * n + 3)
		FROM t WHERE abs(term) > 1e-20 * abs(total)
	)
	SELECT 0.5 + exp(-x * x / 2) / sqrt(2 * pi()) * total FROM t ORDER BY n DESC LIMIT 1
$$;
CREATE TABLE periods AS
SELECT team, m, b.s AS before, a.s AS after,
	   (SELECT count(*) FILTER (WHERE score >= m) FROM answers AS x WHERE x.team = b.team AND x.period = 'before')::float8 AS x1,
	   (SELECT count(score) FROM answers AS x WHERE x.team = b.team AND x.period = 'before')::float8 AS n1,
	   (SELECT count(*) FILTER (WHERE score >= m) FROM answers AS x WHERE x.team = b.team AND x.period = 'after')::float8 AS x2,
	   (SELECT count(score) FROM answers AS x WHERE x.team = b.team AND x.period = 'after')::float8 AS n2
FROM (SELECT team, rollup(s) AS s FROM daily WHERE period = 'before' GROUP BY team) AS b
	 JOIN (SELECT team, rollup(s) AS s FROM daily WHERE period = 'after' GROUP BY team) AS a USING (team),
	 generate_series(2, 5) AS m;
SELECT team, m, round(top_box(before, m), 2) AS before, round(top_box(after, m), 2) AS after,
	   round(top_box_change_pvalue(before, after, m)::numeric, 6) AS pvalue,
	   top_box_change_pvalue(before, after, m)
	   = rate_change_pvalue(top_box_summary(before, m), top_box_summary(after, m)) AS same_as_rate_test,
	   abs(top_box_change_pvalue(before, after, m)
		   - 2 * (1 - sql_phi(abs(x2 / n2 - x1 / n1)
							  / sqrt((x1 + x2) / (n1 + n2) * (1 - (x1 + x2) / (n1 + n2)) * (1 / n1 + 1 / n2)))))
	   < 1e-12 AS sql_equal
FROM periods ORDER BY team, m;
-- no change: 1; no responses in a period: NULL; no spread (all top-box in both): 1
SELECT top_box_change_pvalue('v1:0,0,0,1,2,3,4,5,0,0,0', 'v1:0,0,0,1,2,3,4,5,0,0,0', 4) AS same,
	   top_box_change_pvalue('v1:0,0,0,0,0,0,0,0,0,0,0', 'v1:0,0,0,1,2,3,4,5,0,0,0', 4) AS empty_before,
	   top_box_change_pvalue('v1:0,0,0,0,0,9,0,0,0,0,0', 'v1:0,0,0,0,0,3,0,0,0,0,0', 4) AS all_top,
	   top_box_change_pvalue('v1:9,0,0,0,0,0,0,0,0,0,0', 'v1:0,0,0,0,0,9,0,0,0,0,0', 4) AS none_to_all,
	   top_box_change_pvalue(NULL, 'v1:0,0,0,1,2,3,4,5,0,0,0', 4) AS null_before;
SELECT top_box_change_pvalue('v1:0,0,0,1,2,3,4,5,0,0,0', 'v1:0,0,0,1,2,3,4,5,0,0,0', 11);

--
-- Student's t quantile against plain SQL: the CDF of the returned t by
-- Simpson's rule over the t density, whose constant Gamma((nu+1)/2) / Gamma(nu/2)
-- follows its recurrence c(nu + 2) = c(nu) (nu + 1) / nu; 1 degree of freedom
-- in closed form (the Cauchy distribution)
--
CREATE FUNCTION sql_t_cdf(t double precision, nu integer) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	c double precision := CASE WHEN nu % 2 = 1 THEN 1 / sqrt(pi()) ELSE sqrt(pi()) / 2 END;
	steps integer := 20000;
	total double precision := 0;
	x double precision;
BEGIN
	FOR k IN 1..(nu - 1) / 2 LOOP
		c := c * (2 * k - 1 + (nu + 1) % 2 + 1) / (2 * k - 1 + (nu + 1) % 2);
	END LOOP;
	FOR i IN 0..steps LOOP
		x := t * i / steps;
		total := total + (1 + x * x / nu) ^ (-(nu + 1) / 2.0)
						 * CASE WHEN i = 0 OR i = steps THEN 1 WHEN i % 2 = 1 THEN 4 ELSE 2 END;
	END LOOP;
	RETURN 0.5 + c / sqrt(nu * pi()) * total * t / steps / 3;
END $$;
SELECT nu, p, round(t_quantile(p, nu)::numeric, 10) AS t,
	   abs(sql_t_cdf(t_quantile(p, nu), nu) - p) < 1e-11 AS cdf_equal,
	   t_quantile(1 - p, nu) = -t_quantile(p, nu) AS symmetric
FROM unnest(ARRAY[2, 3, 4, 5, 9, 10, 29, 30, 100, 1000]) AS nu, unnest(ARRAY[0.6, 0.9, 0.975, 0.995]::float8[]) AS p
ORDER BY nu, p;
SELECT p, abs(t_quantile(p, 1) - tan(pi() * (p - 0.5))) < 1e-12 * tan(pi() * (p - 0.5)) AS cauchy_equal
FROM unnest(ARRAY[0.6, 0.9, 0.975, 0.995, 0.9999]::float8[]) AS p;
-- known values; across the switch to the Cornish-Fisher expansion (near 6312 degrees of
-- freedom at 97.5%) the quantile falls smoothly towards the normal one: its second
-- differences are those of the leading term z (z^2 + 1) / (4 nu), 2 g1 / nu^3, to 1e-12
-- (the incomplete-beta side is good to about 1e-13 there)
SELECT abs(t_quantile(0.975, 10) - 2.228138851986273) < 1e-13 AS t10_known,
	   abs(t_quantile(0.975, 30) - 2.042272456301238) < 1e-13 AS t30_known,
	   abs(t_quantile(0.995, 5) - 4.032142983555225) < 1e-13 AS t5_995_known,
	   t_quantile(0.975, 1e6) > normal_quantile(0.975) AND t_quantile(0.975, 1e6) < t_quantile(0.975, 1e5) AS decreasing,
	   bool_and(abs(t_quantile(0.975, nu - 1) - 2 * t_quantile(0.975, nu) + t_quantile(0.975, nu + 1)
					- 2 * (normal_quantile(0.975) ^ 3 + normal_quantile(0.975)) / 4 / nu ^ 3) < 1e-12) AS smooth_switch,
	   t_quantile(0.5, 7) AS median_zero
FROM generate_series(6280, 6340) AS nu;
SELECT t_quantile(1, 5);
SELECT t_quantile(0.975, 0);
SELECT t_quantile(0.975, 2.5);

--
-- the t interval of a mean score from its exact counts against plain SQL:
-- avg(x) +- t(n - 1) * stddev_samp(x) / sqrt(n)
--
SELECT team, period, round(mean_score(rollup(s)), 4) AS mean, round(mean_margin(rollup(s)), 4) AS margin,
	   abs(mean_ci_low(rollup(s)) - (SELECT avg(score) - t_quantile(0.975, count(score) - 1) * stddev_samp(score) / sqrt(count(score))
									 FROM answers AS a WHERE a.team = d.team AND a.period = d.period)::numeric) < 1e-12 AS low_equal,
	   abs(mean_ci_high(rollup(s), 0.9) - (SELECT avg(score) + t_quantile(0.95, count(score) - 1) * stddev_samp(score) / sqrt(count(score))
										   FROM answers AS a WHERE a.team = d.team AND a.period = d.period)::numeric) < 1e-12 AS high90_equal,
	   mean_ci_high(rollup(s)) - mean_score(rollup(s)) - mean_margin(rollup(s)) BETWEEN -1e-12 AND 1e-12 AS symmetric
FROM daily AS d GROUP BY team, period ORDER BY team, period DESC;
-- CES (mean of a 1..7 scale) the same way
SELECT round(ces(s), 4) AS ces, round(mean_ci_low(s), 4) AS low, round(mean_ci_high(s), 4) AS high,
	   abs(mean_ci_low(s) - (SELECT avg(e) - t_quantile(0.975, 7) * stddev_samp(e) / sqrt(8) FROM (VALUES (1), (2), (2), (3), (5), (7), (4), (4)) AS v(e))::numeric) < 1e-12 AS low_equal
FROM (SELECT score_agg(e) AS s FROM (VALUES (1), (2), (2), (3), (5), (7), (4), (4)) AS v(e)) AS x;
-- fewer than two responses: no spread, NULL; all equal: zero width
SELECT mean_ci_low('v1:0,0,0,0,0,0,0,0,0,0,0') AS empty, mean_ci_high('v1:0,0,0,0,1,0,0,0,0,0,0') AS one,
	   mean_margin('v1:0,0,0,0,1,0,0,0,0,0,0') AS one_margin,
	   mean_ci_low('v1:0,0,0,0,7,0,0,0,0,0,0') AS all_fours_low, mean_margin('v1:0,0,0,0,7,0,0,0,0,0,0') AS all_fours_margin,
	   mean_ci_low(NULL) AS null_summary, mean_ci_low('v1:0,0,0,0,7,0,0,0,0,0,0', NULL) AS null_confidence;
-- huge counts: finite, and as narrow as they should be
SELECT mean_ci_low('v1:0,4611686018427387903,0,0,0,0,0,0,0,0,4611686018427387903') AS low,
	   mean_ci_high('v1:0,4611686018427387903,0,0,0,0,0,0,0,0,4611686018427387903') AS high;

--
-- finite results for every accepted confidence level, in every function that takes one
--
CREATE TABLE confidences AS
SELECT c FROM unnest(ARRAY[5e-324, 1e-300, 1e-16, 0.5, 0.95, 1 - 1e-15, 0.9999999999999999]::float8[]) AS c;
SELECT c,
	   nps_margin('v1:1,2,3,4,5,6,7,8,9,10,11', c)::text NOT IN ('NaN', 'Infinity', '-Infinity') AS nps_margin_finite,
	   wilson_low('v1:1,2,3,4,5,6,7,8,9,10,11', 9, c) BETWEEN 0 AND 100 AS wilson_low_ok,
	   wilson_high('v1:1,2,3,4,5,6,7,8,9,10,11', 9, c) BETWEEN 0 AND 100 AS wilson_high_ok,
	   wilson_low('v1:3/7'::rate_summary, c) <= wilson_high('v1:3/7'::rate_summary, c) AS rate_wilson_ordered,
	   wilson_low('v1:0/7'::rate_summary, c) = 0 AND wilson_high('v1:7/7'::rate_summary, c) = 100 AS rate_wilson_ends,
	   mean_ci_low('v1:1,2,3,4,5,6,7,8,9,10,11', c)::text NOT IN ('NaN', 'Infinity', '-Infinity')
	   AND mean_ci_high('v1:1,2,3,4,5,6,7,8,9,10,11', c)::text NOT IN ('NaN', 'Infinity', '-Infinity')
	   AND mean_margin('v1:0,1,0,0,0,0,0,0,0,1,0', c)::text NOT IN ('NaN', 'Infinity', '-Infinity') AS mean_finite,
	   (SELECT median_ci_low(x, c) IS NULL OR median_ci_low(x, c) BETWEEN 1 AND 1000 FROM generate_series(1, 1000) AS x) AS median_ok,
	   (SELECT percentile_ci_high(x, 0.9, c) IS NULL OR percentile_ci_high(x, 0.9, c) BETWEEN 1 AND 1000 FROM generate_series(1, 1000) AS x) AS percentile_ok
FROM confidences ORDER BY c;
-- the largest confidence below 1 gives a critical value of 8.3, not infinity
SELECT round(nps_margin('v1:1,0,0,0,0,0,0,0,0,0,1', 0.9999999999999999) / 100 / sqrt(0.5), 4) AS z,
	   round(-normal_quantile(2 ^ -54)::numeric, 4) AS z_expected;
SELECT nps_margin('v1:1,0,0,0,0,0,0,0,0,0,1', 1);
SELECT wilson_low('v1:3/7'::rate_summary, 0);
SELECT wilson_high('v1:1,0,0,0,0,0,0,0,0,0,1', 4, 'NaN');
SELECT mean_ci_low('v1:1,0,0,0,0,0,0,0,0,0,1', 1.5);
SELECT mean_margin('v1:1,0,0,0,0,0,0,0,0,0,1', '-Infinity');

--
-- percentile and median intervals: order statistics whose ranks come from the
-- binomial distribution, against plain SQL with exact numeric binomial
-- probabilities and row_number()
--
CREATE TABLE cases AS
SELECT row_number() OVER (ORDER BY n, p, c) AS k, n, p, c
FROM unnest(ARRAY[1, 2, 3, 5, 6, 7, 8, 10, 13, 20, 31, 50, 100, 200]) AS n,
	 unnest(ARRAY[0.5, 0.1, 0.25, 0.9]) AS p, unnest(ARRAY[0.8, 0.9, 0.95, 0.99]) AS c;
CREATE TABLE samples AS
SELECT k, i, ((i * 7919 + k * 104729) % 100003) / 7.0 AS x
FROM cases, generate_series(1, n) AS i;
-- the exact binomial probabilities P(B = j), B ~ Binomial(n, p), in integers:
-- with p = a / 100, P(B = j) 100^n = C(n, j) a^j (100 - a)^(n - j)
CREATE FUNCTION ipow(b numeric, e integer) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE r numeric := 1;
BEGIN
	FOR i IN 1..e LOOP r := r * b; END LOOP;
	RETURN r;
END $$;
CREATE TABLE binomial AS
SELECT k, j, round(factorial(n) / (factorial(j) * factorial(n - j))) * ipow(100 * p, j) * ipow(100 - 100 * p, n - j) AS weight,
	   ipow(100, n) AS whole
FROM cases, generate_series(0, n) AS j;
-- l = the largest rank with P(B <= l - 1) <= (1 - c) / 2, u = the smallest with P(B >= u) <= (1 - c) / 2
CREATE TABLE ranks AS
SELECT k,
	   (SELECT max(l) FROM generate_series(0, n) AS l
		WHERE (SELECT coalesce(sum(weight), 0) FROM binomial AS b WHERE b.k = cases.k AND b.j <= l - 1)
			  <= (1 - c) / 2 * ipow(100, n)) AS l,
	   (SELECT min(u) FROM generate_series(1, n + 1) AS u
		WHERE (SELECT coalesce(sum(weight), 0) FROM binomial AS b WHERE b.k = cases.k AND b.j >= u)
			  <= (1 - c) / 2 * ipow(100, n)) AS u
FROM cases;
CREATE TABLE ordered AS SELECT k, x, row_number() OVER (PARTITION BY k ORDER BY x) AS r FROM samples;
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE r.l = 0) AS no_lower_bound, count(*) FILTER (WHERE r.u = c.n + 1) AS no_upper_bound,
	   count(*) FILTER (WHERE a.low IS NOT DISTINCT FROM (SELECT x FROM ordered AS o WHERE o.k = c.k AND o.r = r.l)
					AND a.high IS NOT DISTINCT FROM (SELECT x FROM ordered AS o WHERE o.k = c.k AND o.r = r.u)) AS order_statistics_equal,
	   count(*) FILTER (WHERE a.low <= a.pct AND a.pct <= a.high) AS contain_the_sample_percentile
FROM cases AS c JOIN ranks AS r USING (k)
	 JOIN (SELECT k, percentile_ci_low(x::float8, p, c) AS low, percentile_ci_high(x::float8, p, c) AS high,
				  percentile(x::float8, p) AS pct
		   FROM samples JOIN cases USING (k) GROUP BY k) AS a USING (k);
-- the median forms and durations: the same order statistics
SELECT count(*) AS median_cases,
	   count(*) FILTER (WHERE m.low IS NOT DISTINCT FROM (SELECT x FROM ordered AS o WHERE o.k = c.k AND o.r = r.l)
					AND m.high IS NOT DISTINCT FROM (SELECT x FROM ordered AS o WHERE o.k = c.k AND o.r = r.u)) AS median_equal,
	   count(*) FILTER (WHERE m.dlow IS NOT DISTINCT FROM (SELECT x * interval '1 s' FROM ordered AS o WHERE o.k = c.k AND o.r = r.l)
					AND m.dhigh IS NOT DISTINCT FROM (SELECT x * interval '1 s' FROM ordered AS o WHERE o.k = c.k AND o.r = r.u)) AS duration_equal
FROM cases AS c JOIN ranks AS r USING (k)
	 JOIN (SELECT k, median_ci_low(x::float8, c) AS low, median_ci_high(x::float8, c) AS high,
				  median_ci_low(x * interval '1 s', c) AS dlow, median_ci_high(x * interval '1 s', c) AS dhigh
		   FROM samples JOIN cases USING (k) GROUP BY k) AS m USING (k)
WHERE c.p = 0.5;
-- the ranks for a large sample: 10000 values, 95% interval of the median is the
-- 4902nd to the 5099th value (the normal approximation n/2 -+ 1.96 sqrt(n)/2, rounded out)
SELECT median_ci_low(x::float8, 0.95) AS low, median_ci_high(x::float8, 0.95) AS high,
	   percentile_ci_low(x * interval '1 min', 0.99, 0.95) AS p99_low, percentile_ci_high(x * interval '1 min', 0.99, 0.95) AS p99_high
FROM generate_series(1, 10000) AS x;
-- too few values for a bound: NULL; NULLs are skipped; no rows: NULL
SELECT median_ci_low(x::float8, 0.95) AS low_5, median_ci_high(x::float8, 0.95) AS high_5 FROM generate_series(1, 5) AS x;
SELECT median_ci_low(x::float8, 0.95) AS low_6, median_ci_high(x::float8, 0.95) AS high_6 FROM generate_series(1, 6) AS x;
SELECT median_ci_low(x, 0.9) AS low, median_ci_high(x, 0.9) AS high
FROM (VALUES (1.0::float8), (NULL), (3), (NULL), (2), (5), (4), (6)) AS v(x);
SELECT median_ci_low(x, 0.9) AS none FROM (SELECT 1.0::float8 AS x WHERE false) AS v;
-- GROUP BY, durations with months and days kept as written
SELECT team, median_ci_low(d, 0.9) AS low, median(d), median_ci_high(d, 0.9) AS high
FROM (SELECT (ARRAY['billing', 'tech'])[1 + i % 2] AS team, make_interval(days => i % 3, hours => i) AS d
	  FROM generate_series(1, 40) AS i) AS v
GROUP BY team ORDER BY team;

-- OVER: a sliding frame equals the aggregate recomputed over the frame
CREATE TABLE series AS SELECT i, ((i * 7919) % 1009) / 3.0 AS x FROM generate_series(1, 400) AS i;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.low IS NOT DISTINCT FROM (SELECT percentile_ci_low(x::float8, 0.5, 0.9) FROM series AS s WHERE s.i BETWEEN w.i - 29 AND w.i)
					AND w.high IS NOT DISTINCT FROM (SELECT percentile_ci_high(x::float8, 0.5, 0.9) FROM series AS s WHERE s.i BETWEEN w.i - 29 AND w.i)) AS frame_equal,
	   count(*) FILTER (WHERE w.low IS NULL) AS frames_too_small
FROM (SELECT i, percentile_ci_low(x::float8, 0.5, 0.9) OVER f AS low, percentile_ci_high(x::float8, 0.5, 0.9) OVER f AS high
	  FROM series WINDOW f AS (ORDER BY i ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)) AS w;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.low IS NOT DISTINCT FROM (SELECT median_ci_low(x * interval '1 s', 0.8) FROM series AS s WHERE s.i BETWEEN w.i - 9 AND w.i + 5)) AS duration_frame_equal
FROM (SELECT i, median_ci_low(x * interval '1 s', 0.8) OVER (ORDER BY i ROWS BETWEEN 9 PRECEDING AND 5 FOLLOWING) AS low
	  FROM series) AS w;

-- forced parallel plan: Partial Aggregate, the same bounds
CREATE TABLE big AS SELECT i, ((i * 7919) % 100003) * interval '1 s' AS d, ((i * 104729) % 99991) / 9.0 AS x
FROM generate_series(1, 60000::bigint) AS i;
ANALYZE big;
CREATE TEMP TABLE serial_result AS
SELECT median_ci_low(d, 0.95) AS a, median_ci_high(d, 0.95) AS b, percentile_ci_low(x::float8, 0.9, 0.99) AS c,
	   percentile_ci_high(x::float8, 0.9, 0.99) AS e FROM big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT median_ci_low(d, 0.95), median_ci_high(d, 0.95), percentile_ci_low(x::float8, 0.9, 0.99), percentile_ci_high(x::float8, 0.9, 0.99) FROM big;
SELECT p.a = s.a AND p.b = s.b AND p.c = s.c AND p.e = s.e AS parallel_equal
FROM (SELECT median_ci_low(d, 0.95) AS a, median_ci_high(d, 0.95) AS b, percentile_ci_low(x::float8, 0.9, 0.99) AS c,
			 percentile_ci_high(x::float8, 0.9, 0.99) AS e FROM big) AS p, serial_result AS s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- errors
SELECT percentile_ci_low(x::float8, 0, 0.95) FROM generate_series(1, 10) AS x;
SELECT percentile_ci_high(x::float8, 1, 0.95) FROM generate_series(1, 10) AS x;
SELECT percentile_ci_low(x::float8, NULL, 0.95) FROM generate_series(1, 10) AS x;
SELECT median_ci_low(x::float8, NULL) FROM generate_series(1, 10) AS x;
SELECT median_ci_high(x::float8, 1) FROM generate_series(1, 10) AS x;
SELECT median_ci_high(x * interval '1 s', 'NaN') FROM generate_series(1, 10) AS x;
SELECT percentile_ci_low(x::float8, 0.5, 0.9 + x / 1e6) FROM generate_series(1, 10) AS x;
SELECT median_ci_low(x::float8, 0.95) FROM (VALUES (1.0), ('Infinity')) AS v(x);
SELECT median_ci_low(x, 0.95) FROM (VALUES (interval '1 s'), (interval '-1 s')) AS v(x);
