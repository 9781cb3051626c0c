#!/usr/bin/env bash
# Coverage of the confidence intervals, by simulation: many seeded samples from
# populations whose percentiles and mean are known, and the share of intervals that
# contain the true value.  Percentile intervals (percentile_ci_low/high, median_ci_low/high)
# must cover as often as the exact binomial probability of their ranks says (computed
# here in plain SQL with exact numeric arithmetic), which is at least the confidence;
# with ties (a discrete population) at least as often.  The t interval of the mean score
# (mean_ci_low/high) must cover close to its confidence.  Every check allows four
# standard errors of the simulation.  INTERVALS_SAMPLES sets the samples per check.
. "$(dirname "$0")/lib.sh"
samples=${INTERVALS_SAMPLES:-3000}
fresh_db
# exact binomial coverage of the ranks l..u for n, p, c: P(l <= B <= u - 1), l and u as
# percentile_ci chooses them (the equal-tailed conservative ranks), in exact numeric
q <<'SQL'
CREATE FUNCTION ranks_coverage(n integer, p numeric, c numeric, OUT l integer, OUT u integer, OUT coverage numeric)
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE pmf numeric[]; acc numeric := 0; a numeric := 1; b numeric := 1; whole numeric := 1;
BEGIN
	-- P(B = j) = C(n, j) (100 p)^j (100 - 100 p)^(n - j) / 100^n, in integers (p has two decimals)
	FOR i IN 1..n LOOP whole := whole * 100; END LOOP;
	FOR j IN 0..n LOOP
		a := 1;
		FOR i IN 1..j LOOP a := a * (100 * p); END LOOP;
		b := 1;
		FOR i IN 1..n - j LOOP b := b * (100 - 100 * p); END LOOP;
		pmf[j + 1] := round(factorial(n) / (factorial(j) * factorial(n - j))) * a * b / whole;
	END LOOP;
	l := 0;
	FOR j IN 0..n LOOP
		EXIT WHEN acc + pmf[j + 1] > (1 - c) / 2;
		acc := acc + pmf[j + 1];
		l := j + 1;
	END LOOP;
	acc := 0; u := n + 1;
	FOR j IN REVERSE n..0 LOOP
		EXIT WHEN acc + pmf[j + 1] > (1 - c) / 2;
		acc := acc + pmf[j + 1];
		u := j;
	END LOOP;
	coverage := 0;
	FOR j IN l..u - 1 LOOP coverage := coverage + pmf[j + 1]; END LOOP;
END $$;
SQL
# an assertion from a query returning "t|detail" (or "f|detail") on its last line
check() {
	local name=$1 out
	out=$(q -c "$2" | tail -1)
	note "$name: ${out#*|}"
	is "${out%%|*}" t "$name"
}

# continuous populations: exponential (median ln 2, p90 ln 10) and a lognormal handle time
check "median_ci of exponential samples of 25 at 95%: coverage = the ranks' binomial probability" "
SELECT setseed(0.11);
WITH s AS (SELECT k, -ln(1 - random()) AS x FROM generate_series(1, $samples) AS k, generate_series(1, 25)),
	 ci AS (SELECT k, median_ci_low(x, 0.95) AS lo, median_ci_high(x, 0.95) AS hi FROM s GROUP BY k),
	 r AS (SELECT avg((lo <= ln(2) AND ln(2) <= hi)::int) AS cover FROM ci),
	 e AS (SELECT coverage::float8 AS exact FROM ranks_coverage(25, 0.5, 0.95))
SELECT abs(cover - exact) <= 4 * sqrt(exact * (1 - exact) / $samples) AND exact >= 0.95,
	   format('simulated %s, exact %s', round(cover, 4), round(exact::numeric, 4)) FROM r, e;"
check "percentile_ci of the p90 of exponential samples of 60 at 90%" "
SELECT setseed(0.22);
WITH s AS (SELECT k, -ln(1 - random()) AS x FROM generate_series(1, $samples) AS k, generate_series(1, 60)),
	 ci AS (SELECT k, percentile_ci_low(x, 0.9, 0.9) AS lo, percentile_ci_high(x, 0.9, 0.9) AS hi FROM s GROUP BY k),
	 r AS (SELECT avg((lo <= ln(10) AND ln(10) <= hi)::int) AS cover, count(*) FILTER (WHERE hi IS NULL) AS open FROM ci),
	 e AS (SELECT coverage::float8 AS exact FROM ranks_coverage(60, 0.9, 0.9))
SELECT abs(cover - exact) <= 4 * sqrt(exact * (1 - exact) / $samples) AND exact >= 0.9 AND open = 0,
	   format('simulated %s, exact %s', round(cover, 4), round(exact::numeric, 4)) FROM r, e;"
check "median_ci of lognormal handle times (intervals) of 200 at 99%" "
SELECT setseed(0.33);
WITH s AS (SELECT k, make_interval(secs => round(exp(5 + 0.6 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))) AS x
		   FROM generate_series(1, $samples / 3) AS k, generate_series(1, 200)),
	 ci AS (SELECT k, median_ci_low(x, 0.99) AS lo, median_ci_high(x, 0.99) AS hi FROM s GROUP BY k),
	 r AS (SELECT avg((lo <= make_interval(secs => round(exp(5))) AND make_interval(secs => round(exp(5))) <= hi)::int) AS cover FROM ci),
	 e AS (SELECT coverage::float8 AS exact FROM ranks_coverage(200, 0.5, 0.99))
SELECT cover >= exact - 4 * sqrt(exact * (1 - exact) / ($samples / 3)) AND exact >= 0.99,
	   format('simulated %s, exact %s (rounded to seconds: the median is round(e^5) s, and ties only add coverage)', round(cover, 4), round(exact::numeric, 4)) FROM r, e;"
# a discrete population: ties make the order-statistic interval conservative
check "median_ci of discrete scores (ties) covers at least the ranks' probability" "
SELECT setseed(0.44);
WITH s AS (SELECT k, (1 + floor(5 * random()))::float8 AS x FROM generate_series(1, $samples) AS k, generate_series(1, 30)),
	 ci AS (SELECT k, median_ci_low(x, 0.95) AS lo, median_ci_high(x, 0.95) AS hi FROM s GROUP BY k),
	 r AS (SELECT avg((lo <= 3 AND 3 <= hi)::int) AS cover FROM ci),
	 e AS (SELECT coverage::float8 AS exact FROM ranks_coverage(30, 0.5, 0.95))
SELECT cover >= exact - 4 * sqrt(exact * (1 - exact) / $samples),
	   format('simulated %s, exact for a continuous population %s', round(cover, 4), round(exact::numeric, 4)) FROM r, e;"
# the t interval of a mean score: CES-like 1..5 answers with mean 3.5
check "mean_ci of 40 scores on 1..5 (mean 3.5) covers about 95%" "
SELECT setseed(0.55);
WITH u AS (SELECT k, random() AS u FROM generate_series(1, $samples) AS k, generate_series(1, 40)),
	 s AS (SELECT k, CASE WHEN u < 0.1 THEN 1 WHEN u < 0.25 THEN 2 WHEN u < 0.45 THEN 3 WHEN u < 0.7 THEN 4 ELSE 5 END AS x FROM u),
	 ci AS (SELECT k, mean_ci_low(score_agg(x)) AS lo, mean_ci_high(score_agg(x)) AS hi FROM s GROUP BY k),
	 r AS (SELECT avg((lo <= 3.5 AND 3.5 <= hi)::int) AS cover FROM ci)
SELECT abs(cover - 0.95) <= 4 * sqrt(0.95 * 0.05 / $samples) + 0.005, format('simulated %s, nominal 0.95', round(cover, 4)) FROM r;"
check "mean_ci of 8 scores at 90% (small samples: the t quantile, not z)" "
SELECT setseed(0.66);
WITH s AS (SELECT k, 1 + floor(7 * random())::int AS x FROM generate_series(1, $samples) AS k, generate_series(1, 8)),
	 ci AS (SELECT k, mean_ci_low(score_agg(x), 0.9) AS lo, mean_ci_high(score_agg(x), 0.9) AS hi FROM s GROUP BY k),
	 r AS (SELECT avg((lo <= 4 AND 4 <= hi)::int) AS cover FROM ci)
SELECT abs(cover - 0.9) <= 4 * sqrt(0.9 * 0.1 / $samples) + 0.01, format('simulated %s, nominal 0.90', round(cover, 4)) FROM r;"
done_testing
