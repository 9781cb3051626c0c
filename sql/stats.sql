-- Confidence intervals, change tests and anomaly scores against plain-SQL formulas
CREATE SCHEMA stats_test;
SET search_path = stats_test, public;

-- an independent standard normal CDF in plain SQL: Marsaglia's series
-- Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...), summed until the terms vanish
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

-- the normal distribution: known values to full double precision
SELECT normal_quantile(0.975) = 1.959963984540054 AS z975_exact,
	   normal_cdf(1.96) = 0.9750021048517795 AS phi196_exact,
	   abs(normal_quantile(0.995) - 2.5758293035489004) < 1e-15 AS z995_ok,
	   abs(normal_quantile(0.9) - 1.2815515655446004) < 1e-15 AS z90_ok,
	   abs(normal_quantile(0.841344746068542948) - 1) < 1e-14 AS z_one_ok,
	   normal_quantile(0.5) AS z50, normal_cdf(0) AS phi0,
	   abs(normal_cdf(-1) - 0.15865525393145705) < 1e-16 AS phi_minus_one_ok,
	   normal_quantile(0) AS z0, normal_quantile(1) AS z1, normal_cdf(-40) AS phi_minus_40, normal_cdf(40) AS phi40;

-- the CDF against the series, and the quantile inverting the CDF, over the range
SELECT count(*) AS points,
	   count(*) FILTER (WHERE abs(normal_cdf(x) - sql_phi(x)) <= 1e-15) AS cdf_equal
FROM generate_series(-60, 60) AS i, LATERAL (SELECT i / 10.0 AS x) AS v;
SELECT count(*) AS points,
	   count(*) FILTER (WHERE abs(normal_cdf(normal_quantile(p)) / p - 1) < 1e-13) AS roundtrip_ok,
	   count(*) FILTER (WHERE normal_quantile(p) = -normal_quantile(1 - p)) AS symmetric
FROM (SELECT k / 1024.0 AS p FROM generate_series(1, 1023) AS k) AS v;
SELECT p, abs(normal_cdf(normal_quantile(p)) / p - 1) < 1e-13 AS tail_ok, round(normal_quantile(p)::numeric, 6) AS z
FROM unnest(ARRAY[1e-300, 1e-100, 1e-20, 1e-10, 0.001, 0.02425, 0.0242500001]::float8[]) AS p;
-- subnormal probabilities: finite and close (refined while the density does not underflow)
SELECT p, round(normal_quantile(p)::numeric, 3) AS z, abs(normal_cdf(normal_quantile(p)) / p - 1) < 1e-6 AS close
FROM unnest(ARRAY[1e-310, 1e-320, 5e-324]::float8[]) AS p;

-- survey responses for two periods and three teams
CREATE TABLE responses_t AS
SELECT i AS id,
	   (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   CASE WHEN i <= 1500 THEN 'before' ELSE 'after' END AS period,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 7919) % 101 + (i % 3) * 20 + (i / 1500) * 9) % 11 END AS score,
	   (i * 31) % 100 < 35 + (i % 3) * 10 + (i / 1500) * 4 AS fcr
FROM generate_series(1, 3000) AS i;

CREATE TABLE counts_t AS
SELECT team, period,
	   count(score)::float8 AS n,
	   count(*) FILTER (WHERE score >= 9) / count(score)::float8 AS p,
	   count(*) FILTER (WHERE score <= 6) / count(score)::float8 AS d,
	   count(*) FILTER (WHERE score >= 4) AS top4,
	   count(*) FILTER (WHERE fcr) AS hits, count(*)::float8 AS trials,
	   score_agg(score) AS s, rate_agg(fcr) AS r
FROM responses_t GROUP BY team, period;

-- NPS margin of error: z * 100 * sqrt((p + d - (p - d)^2) / n)
SELECT team, period, round(nps(s), 2) AS nps, round(nps_margin(s), 3) AS margin,
	   abs(nps_margin(s) - 1.959963984540054 * 100 * sqrt((p + d - (p - d) ^ 2) / n)) < 1e-9 AS margin_ok,
	   abs(nps_margin(s, 0.99) - 2.5758293035489004 * 100 * sqrt((p + d - (p - d) ^ 2) / n)) < 1e-9 AS margin99_ok,
	   abs(nps_margin(s, 0.8) - normal_quantile(0.9) * 100 * sqrt((p + d - (p - d) ^ 2) / n)) < 1e-9 AS margin80_ok
FROM counts_t ORDER BY team, period DESC;

-- all promoters: no variance, no margin; a single response; no response
SELECT nps_margin('v1:0,0,0,0,0,0,0,0,0,0,5'), nps_margin('v1:0,0,0,0,0,0,0,1,0,0,0'),
	   nps_margin('v1:0,0,0,0,0,0,0,0,0,0,0'), nps_margin('v1:0,0,0,0,0,0,0,0,0,0,5', NULL);
-- one promoter and one detractor: p = d = 1/2, margin = 1.96 * 100 * sqrt(1/2)
SELECT round(nps_margin('v1:1,0,0,0,0,0,0,0,0,0,1'), 6) AS margin,
	   abs(nps_margin('v1:1,0,0,0,0,0,0,0,0,0,1') - 1.959963984540054 * 100 * sqrt(0.5)) < 1e-9 AS two_ok;

-- the NPS change test: z = (NPS2 - NPS1) / sqrt(v1/n1 + v2/n2), two-sided p = 2 (1 - Phi(|z|))
WITH z AS (
	SELECT b.team, nps_change_pvalue(b.s, a.s) AS pvalue,
		   ((a.p - a.d) - (b.p - b.d)) / sqrt((b.p + b.d - (b.p - b.d) ^ 2) / b.n + (a.p + a.d - (a.p - a.d) ^ 2) / a.n) AS z
	FROM counts_t AS b JOIN counts_t AS a ON a.team = b.team AND a.period = 'after' AND b.period = 'before'
)
SELECT team, round(z::numeric, 4) AS z, round(pvalue::numeric, 6) AS pvalue,
	   abs(pvalue - 2 * (1 - sql_phi(abs(z)))) < 1e-12 AS pvalue_ok,
	   nps_change_pvalue((SELECT s FROM counts_t AS c WHERE c.team = z.team AND period = 'after'),
						 (SELECT s FROM counts_t AS c WHERE c.team = z.team AND period = 'before')) = pvalue AS symmetric
FROM z ORDER BY team;
SELECT nps_change_pvalue(s, s) AS same, nps_change_pvalue(s, 'v1:0,0,0,0,0,0,0,0,0,0,0') AS after_empty,
	   nps_change_pvalue('v1:0,0,0,0,0,0,0,0,0,0,4', 'v1:0,0,0,0,0,0,0,0,0,0,9') AS all_promoters,
	   nps_change_pvalue('v1:0,0,0,0,0,0,0,0,0,0,4', 'v1:9,0,0,0,0,0,0,0,0,0,0') AS no_spread_all_changed
FROM counts_t WHERE team = 'tech' AND period = 'before';

-- Wilson score interval of a rate (x hits of n) and of a top-box share, in percent:
-- (x + z^2/2 -+ z sqrt(x (n - x) / n + z^2/4)) / (n + z^2)
SELECT team, period, round(rate(r), 2) AS rate, round(wilson_low(r), 3) AS low, round(wilson_high(r), 3) AS high,
	   abs(wilson_low(r) - 100 * (hits + 1.959963984540054 ^ 2 / 2 - 1.959963984540054 * sqrt(hits * (trials - hits) / trials + 1.959963984540054 ^ 2 / 4)) / (trials + 1.959963984540054 ^ 2)) < 1e-9 AS low_ok,
	   abs(wilson_high(r) - 100 * (hits + 1.959963984540054 ^ 2 / 2 + 1.959963984540054 * sqrt(hits * (trials - hits) / trials + 1.959963984540054 ^ 2 / 4)) / (trials + 1.959963984540054 ^ 2)) < 1e-9 AS high_ok,
	   abs(wilson_low(s, 4, 0.9) - 100 * (top4 + normal_quantile(0.95) ^ 2 / 2 - normal_quantile(0.95) * sqrt(top4 * (n - top4) / n + normal_quantile(0.95) ^ 2 / 4)) / (n + normal_quantile(0.95) ^ 2)) < 1e-9 AS box_low_ok,
	   abs(wilson_high(s, 4, 0.9) - 100 * (top4 + normal_quantile(0.95) ^ 2 / 2 + normal_quantile(0.95) * sqrt(top4 * (n - top4) / n + normal_quantile(0.95) ^ 2 / 4)) / (n + normal_quantile(0.95) ^ 2)) < 1e-9 AS box_high_ok,
	   wilson_low(r) < rate(r) AND rate(r) < wilson_high(r) AS brackets,
	   wilson_low(r, 0.99) < wilson_low(r) AND wilson_high(r) < wilson_high(r, 0.99) AS wider_at_99
FROM counts_t ORDER BY team, period DESC;
-- the ends: 0 hits starts at 0, all hits ends at 100; no trials gives NULL
SELECT wilson_low(r), round(wilson_high(r), 6) AS high_0_of_10 FROM (SELECT rate_agg(false) AS r FROM generate_series(1, 10)) AS x;
SELECT round(wilson_low(r), 6) AS low_10_of_10, wilson_high(r) FROM (SELECT rate_agg(true) AS r FROM generate_series(1, 10)) AS x;
SELECT wilson_low(r), wilson_high(r) FROM (SELECT rate_agg(NULL::boolean) AS r) AS x;
SELECT wilson_low('v1:0,0,0,0,0,0,0,0,0,0,0'::score_summary, 9), wilson_high('v1:0,0,0,0,0,0,0,0,0,0,3'::score_summary, 9);

-- the rate change test: pooled p = (x1 + x2) / (n1 + n2), z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2))
WITH z AS (
	SELECT b.team, rate_change_pvalue(b.r, a.r) AS pvalue,
		   (a.hits / a.trials - b.hits / b.trials) /
		   sqrt((a.hits + b.hits) / (a.trials + b.trials) * (1 - (a.hits + b.hits) / (a.trials + b.trials)) * (1 / a.trials + 1 / b.trials)) AS z
	FROM counts_t AS b JOIN counts_t AS a ON a.team = b.team AND a.period = 'after' AND b.period = 'before'
)
SELECT team, round(z::numeric, 4) AS z, round(pvalue::numeric, 6) AS pvalue,
	   abs(pvalue - 2 * (1 - sql_phi(abs(z)))) < 1e-12 AS pvalue_ok
FROM z ORDER BY team;
-- a textbook case: 45 of 100 against 60 of 100, z = 2.1240, p = 0.0337
SELECT round(rate_change_pvalue(a, b)::numeric, 4) AS pvalue
FROM (SELECT rate_agg(i <= 45) AS a, rate_agg(i <= 60) AS b FROM generate_series(1, 100) AS i) AS x;
SELECT rate_change_pvalue(a, a) AS same, rate_change_pvalue(b, b) AS both_zero, rate_change_pvalue(a, c) AS no_trials,
	   rate_change_pvalue(a, b) < 1e-8 AS half_to_zero, rate_change_pvalue(b, d) < 1e-20 AS zero_to_all
FROM (SELECT rate_agg(i % 2 = 0) AS a, rate_agg(false) AS b, rate_agg(NULL::boolean) AS c, rate_agg(true) AS d
	  FROM generate_series(1, 50) AS i) AS x;

-- anomaly scores: 150 days of ticket volume with a weekly pattern (quiet
-- weekends) and noise, spikes planted on days 70, 97 and 131, and a drop on
-- day 120.  The baseline of a day is the same weekday of the 8 weeks before.
CREATE TABLE volume AS
SELECT day, date '2026-01-01' + day AS date,
	   (100 - 40 * (day % 7 IN (5, 6))::int + (day::bigint * 7919 * 104729) % 1009 % 21 - 10
		+ CASE day WHEN 70 THEN 90 WHEN 97 THEN 100 WHEN 131 THEN 150 WHEN 120 THEN -70 ELSE 0 END)::float8 AS n
FROM generate_series(1, 150) AS day;

CREATE TABLE volume_scores AS
SELECT day, n, history,
	   robust_zscore(n, history) AS robust_z,
	   ewma_zscore(n, history) AS ewma_z
FROM (SELECT day, n, array_agg(n) OVER (PARTITION BY day % 7 ORDER BY day ROWS BETWEEN 8 PRECEDING AND 1 PRECEDING) AS history
	  FROM volume) AS w;

-- robust z-score against the median and MAD computed with percentile_cont
SELECT count(*) AS days,
	   count(*) FILTER (WHERE robust_z IS NULL) AS too_short,
	   count(*) FILTER (WHERE abs(robust_z - (n - m.median) / (1.482602218505602 * nullif(m.mad, 0))) < 1e-9) AS robust_equal,
	   count(*) FILTER (WHERE abs(robust_z - robust_zscore(n, m.median, m.mad)) < 1e-12) AS three_arg_equal,
	   count(*) FILTER (WHERE m.mad = 0) AS no_spread
FROM volume_scores AS v,
	 LATERAL (SELECT med AS median,
					 (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(x - med)) FROM unnest(v.history) AS x) AS mad
			  FROM (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS med FROM unnest(v.history) AS x) AS m0) AS m;

-- EWMA z-score against the recursion written in SQL
SELECT count(*) AS days,
	   count(*) FILTER (WHERE abs(ewma_z - (n - e.m) / sqrt(e.v)) < 1e-9) AS ewma_equal
FROM volume_scores AS vs,
	 LATERAL (WITH RECURSIVE r(i, m, v) AS (
				  SELECT 1, vs.history[1], 0::float8
				  UNION ALL
				  SELECT i + 1, m + 0.3 * (vs.history[i + 1] - m),
						 0.7 * (v + 0.3 * (vs.history[i + 1] - m) ^ 2)
				  FROM r WHERE i < cardinality(vs.history))
			  SELECT m, v FROM r ORDER BY i DESC LIMIT 1) AS e
WHERE cardinality(history) >= 2;

-- once the baseline is full (8 weeks), the planted days, and only they, are
-- flagged (|robust z| > 3.5, |EWMA z| > 3)
SELECT day, n, round(robust_z::numeric, 2) AS robust_z, round(ewma_z::numeric, 2) AS ewma_z
FROM volume_scores
WHERE cardinality(history) = 8 AND (abs(robust_z) > 3.5 OR abs(ewma_z) > 3)
ORDER BY day;
-- a plain 28-day baseline mixes quiet weekends with busy weekdays: the spikes
-- stand out less, and a quiet weekend day (104) is flagged as a drop
SELECT day, round(z::numeric, 2) AS robust_z_28_days
FROM (SELECT day, robust_zscore(n, array_agg(n) OVER (ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING)) AS z
	  FROM volume) AS w
WHERE abs(z) > 3.5 AND day > 56 ORDER BY day;

-- p-chart for a daily rate: 60 days of FCR with day 45 far below the baseline
CREATE TABLE fcr_days AS
SELECT day, rate_agg(CASE WHEN day = 45 THEN k % 10 < 3 ELSE (k * 7 + day) % 10 < 6 END) AS r
FROM generate_series(1, 60) AS day, generate_series(1, 80 + day % 5) AS k
GROUP BY day;
CREATE TABLE fcr_scores AS
SELECT day, r, baseline, pchart_zscore(r, baseline) AS z
FROM (SELECT day, r, rollup(r) OVER (ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING) AS baseline
	  FROM fcr_days) AS w;
SELECT count(*) AS days,
	   count(*) FILTER (WHERE z IS NULL) AS no_baseline,
	   count(*) FILTER (WHERE abs(z - (hits(r)::float8 / trials(r) - hits(baseline)::float8 / trials(baseline))
						/ sqrt(hits(baseline)::float8 / trials(baseline) * (1 - hits(baseline)::float8 / trials(baseline)) / trials(r))) < 1e-9) AS pchart_equal
FROM fcr_scores;
SELECT day, round(rate(r), 1) AS rate, round(rate(baseline), 1) AS baseline, round(z::numeric, 2) AS z
FROM fcr_scores WHERE abs(z) > 3 ORDER BY day;

-- no spread: a constant history gives 0 for the same value and an infinite score otherwise
SELECT robust_zscore(5, '{5,5,5}'), robust_zscore(6, '{5,5,5}'), robust_zscore(4, 5, 0),
	   ewma_zscore(5, '{5,5,5}'), ewma_zscore(7, '{5,5,5}'),
	   pchart_zscore('v1:3/10', 'v1:0/100'), pchart_zscore('v1:0/10', 'v1:0/100');
-- short and NULL histories give NULL; NULL history values are skipped
SELECT robust_zscore(5, '{}'), robust_zscore(5, '{4}'), robust_zscore(5, '{NULL, 4, NULL}'),
	   ewma_zscore(5, '{4}'), robust_zscore(5, NULL), robust_zscore(6, '{4, NULL, 6}') = robust_zscore(6, '{4, 6}') AS nulls_skipped,
	   pchart_zscore('v1:0/0', 'v1:5/10'), pchart_zscore('v1:1/10', 'v1:0/0');

-- errors
SELECT normal_quantile(-0.1);
SELECT normal_quantile(1.5);
SELECT normal_quantile('NaN');
SELECT nps_margin('v1:0,0,0,0,0,0,0,0,0,0,5', 1);
SELECT nps_margin('v1:0,0,0,0,0,0,0,0,0,0,5', 0);
SELECT nps_margin('v1:0,0,0,0,0,0,0,0,0,0,5', 95);
SELECT wilson_low('v1:3/10'::rate_summary, 'NaN');
SELECT wilson_high('v1:0,0,0,0,0,0,0,0,0,0,5'::score_summary, 11);
SELECT wilson_low('v1:0,0,0,0,0,0,0,0,0,0,5'::score_summary, -1);
SELECT robust_zscore(5, 5, -1);
SELECT robust_zscore('NaN', 5, 1);
SELECT robust_zscore(5, '{1, Infinity}');
SELECT robust_zscore(5, '{{1, 2}, {3, 4}}');
SELECT ewma_zscore(5, '{1, 2}', 0);
SELECT ewma_zscore(5, '{1, 2}', 1.5);
\set VERBOSITY sqlstate
SELECT nps_margin('v1:0,0,0,0,0,0,0,0,0,0,5', 1);
\set VERBOSITY default
