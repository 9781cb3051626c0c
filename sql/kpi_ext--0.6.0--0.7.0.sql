/* kpi_ext 0.6.0 -> 0.7.0 */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.7.0'" to load this file. \quit

/*
 * --- analysts (issue #16: Erlang for real history and Erlang A; #15: finite
 * confidence intervals, Erlang arithmetic) ------------------------------------
 */

-- Erlang C: overloaded periods give the limits, targets of 1 or less are taken for fractions
COMMENT ON FUNCTION erlang_c(double precision, interval, interval, integer) IS 'Erlang C probability 0..1 that a contact waits, for arrivals per period, average handle time and agents; 1 in an overloaded period (agents <= arrivals * aht / period, or no agents), 0 without traffic; ignores abandonment';
COMMENT ON FUNCTION erlang_service_level(double precision, interval, interval, integer, interval) IS 'Erlang C service level 0..100: 100 * (1 - C * exp(-(agents - A) * threshold / aht)), the share of contacts answered within threshold; 0 in an overloaded period, 100 without traffic; ignores abandonment';
COMMENT ON FUNCTION erlang_asa(double precision, interval, interval, integer) IS 'Erlang C average speed of answer: C * aht / (agents - A); NULL (unbounded) in an overloaded period; ignores abandonment';
COMMENT ON FUNCTION erlang_agents(double precision, interval, interval, numeric, interval, double precision) IS 'smallest number of agents whose Erlang C service level reaches target_service_level (a percentage, 1 < target < 100) within threshold, divided by 1 - shrinkage and rounded up; 0 without traffic';

-- Erlang A (M/M/N+M): contacts abandon after an exponential patience of the given mean
CREATE FUNCTION erlang_a_service_level(arrivals double precision, aht interval, period interval, agents integer,
									   threshold interval, patience interval)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_service_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_service_level(double precision, interval, interval, integer, interval, interval) IS 'Erlang A service level 0..100: the share of offered contacts answered within threshold when waiting contacts abandon after an exponential patience of mean patience; any number of agents';
CREATE FUNCTION erlang_a_abandonment(arrivals double precision, aht interval, period interval, agents integer,
									 patience interval)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_abandonment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_abandonment(double precision, interval, interval, integer, interval) IS 'Erlang A abandonment 0..100: the share of offered contacts that hang up before an agent answers, for an exponential patience of mean patience';
CREATE FUNCTION erlang_a_asa(arrivals double precision, aht interval, period interval, agents integer,
							 patience interval)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_asa' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_asa(double precision, interval, interval, integer, interval) IS 'Erlang A average speed of answer: the mean wait of the answered contacts, for an exponential patience of mean patience; NULL without agents';
CREATE FUNCTION erlang_a_agents(arrivals double precision, aht interval, period interval,
								target_service_level numeric, threshold interval, patience interval,
								shrinkage double precision DEFAULT 0)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_erlang_a_agents' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION erlang_a_agents(double precision, interval, interval, numeric, interval, interval, double precision) IS 'smallest number of agents whose Erlang A service level reaches target_service_level (a percentage, 1 < target < 100) within threshold, for an exponential patience of mean patience, divided by 1 - shrinkage and rounded up; 0 without traffic';

-- smallint, bigint and numeric survey scores

-- smallint, bigint and numeric scores (pandas writes bigint, spreadsheets numeric): the
-- same transition functions, which read the score by its declared type; a numeric score
-- must be a whole number.  An integer argument, such as a literal 5, still picks the
-- integer form.
CREATE FUNCTION kpi_score_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, smallint) IS 'score_agg transition: adds a score 0..10 (smallint scores)';
CREATE FUNCTION kpi_nps_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_nps_accum(score_summary, smallint) IS 'nps transition: adds an NPS score 0..10 (smallint scores)';
CREATE FUNCTION kpi_csat_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_accum(score_summary, smallint) IS 'csat transition: adds a CSAT score 1..5 (smallint scores)';
CREATE FUNCTION kpi_csat_scale_accum(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, smallint, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top (smallint scores)';
CREATE FUNCTION kpi_ces_accum(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_accum(score_summary, smallint) IS 'ces transition: adds a CES score 1..7 (smallint scores)';
CREATE FUNCTION kpi_ces_scale_accum(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, smallint, integer) IS 'ces(score, scale) transition: adds a score 1..scale (smallint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, smallint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, smallint) IS 'moving-aggregate inverse: removes a score (smallint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, smallint, integer) IS 'moving-aggregate inverse: removes a score (smallint scores)';
CREATE FUNCTION kpi_csat_scale_inv(score_summary, smallint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, smallint, integer) IS 'moving-aggregate inverse of csat(score, scale) (smallint scores)';
CREATE FUNCTION kpi_score_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, bigint) IS 'score_agg transition: adds a score 0..10 (bigint scores)';
CREATE FUNCTION kpi_nps_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_nps_accum(score_summary, bigint) IS 'nps transition: adds an NPS score 0..10 (bigint scores)';
CREATE FUNCTION kpi_csat_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_accum(score_summary, bigint) IS 'csat transition: adds a CSAT score 1..5 (bigint scores)';
CREATE FUNCTION kpi_csat_scale_accum(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, bigint, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top (bigint scores)';
CREATE FUNCTION kpi_ces_accum(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_accum(score_summary, bigint) IS 'ces transition: adds a CES score 1..7 (bigint scores)';
CREATE FUNCTION kpi_ces_scale_accum(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, bigint, integer) IS 'ces(score, scale) transition: adds a score 1..scale (bigint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, bigint) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, bigint) IS 'moving-aggregate inverse: removes a score (bigint scores)';
CREATE FUNCTION kpi_score_inv(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, bigint, integer) IS 'moving-aggregate inverse: removes a score (bigint scores)';
CREATE FUNCTION kpi_csat_scale_inv(score_summary, bigint, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, bigint, integer) IS 'moving-aggregate inverse of csat(score, scale) (bigint scores)';
CREATE FUNCTION kpi_score_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_accum(score_summary, numeric) IS 'score_agg transition: adds a score 0..10 (numeric scores)';
CREATE FUNCTION kpi_nps_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_nps_accum(score_summary, numeric) IS 'nps transition: adds an NPS score 0..10 (numeric scores)';
CREATE FUNCTION kpi_csat_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_accum(score_summary, numeric) IS 'csat transition: adds a CSAT score 1..5 (numeric scores)';
CREATE FUNCTION kpi_csat_scale_accum(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_accum(score_summary, numeric, integer) IS 'csat(score, scale) transition: counts a score 1..scale by its distance from the top (numeric scores)';
CREATE FUNCTION kpi_ces_accum(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_accum(score_summary, numeric) IS 'ces transition: adds a CES score 1..7 (numeric scores)';
CREATE FUNCTION kpi_ces_scale_accum(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ces_scale_accum(score_summary, numeric, integer) IS 'ces(score, scale) transition: adds a score 1..scale (numeric scores)';
CREATE FUNCTION kpi_score_inv(score_summary, numeric) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, numeric) IS 'moving-aggregate inverse: removes a score (numeric scores)';
CREATE FUNCTION kpi_score_inv(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_inv(score_summary, numeric, integer) IS 'moving-aggregate inverse: removes a score (numeric scores)';
CREATE FUNCTION kpi_csat_scale_inv(score_summary, numeric, integer) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_csat_scale_inv(score_summary, numeric, integer) IS 'moving-aggregate inverse of csat(score, scale) (numeric scores)';

CREATE AGGREGATE score_agg(smallint) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(smallint) IS 'summary of smallint survey scores 0..10, for nps(), csat(), ces() and rollup()';
CREATE AGGREGATE nps(smallint) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(smallint) IS 'Net Promoter Score -100..100 of smallint scores 0..10: 100 * (promoters - detractors) / responses';
CREATE AGGREGATE csat(smallint) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(smallint) IS 'CSAT 0..100 of smallint scores 1..5: 100 * responses of 4 or 5 / responses';
CREATE AGGREGATE csat(smallint, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(smallint, integer) IS 'CSAT 0..100 of smallint scores 1..scale: 100 * responses in the top two scores / responses';
CREATE AGGREGATE ces(smallint) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(smallint) IS 'Customer Effort Score: mean of smallint scores 1..7';
CREATE AGGREGATE ces(smallint, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(smallint, integer) IS 'Customer Effort Score: mean of smallint scores 1..scale';

CREATE AGGREGATE score_agg(bigint) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(bigint) IS 'summary of bigint survey scores 0..10, for nps(), csat(), ces() and rollup()';
CREATE AGGREGATE nps(bigint) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(bigint) IS 'Net Promoter Score -100..100 of bigint scores 0..10: 100 * (promoters - detractors) / responses';
CREATE AGGREGATE csat(bigint) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(bigint) IS 'CSAT 0..100 of bigint scores 1..5: 100 * responses of 4 or 5 / responses';
CREATE AGGREGATE csat(bigint, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(bigint, integer) IS 'CSAT 0..100 of bigint scores 1..scale: 100 * responses in the top two scores / responses';
CREATE AGGREGATE ces(bigint) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(bigint) IS 'Customer Effort Score: mean of bigint scores 1..7';
CREATE AGGREGATE ces(bigint, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(bigint, integer) IS 'Customer Effort Score: mean of bigint scores 1..scale';

CREATE AGGREGATE score_agg(numeric) (
	SFUNC = kpi_score_accum, STYPE = score_summary,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_score_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE score_agg(numeric) IS 'summary of whole-number numeric survey scores 0..10, for nps(), csat(), ces() and rollup()';
CREATE AGGREGATE nps(numeric) (
	SFUNC = kpi_nps_accum, STYPE = score_summary, FINALFUNC = nps,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_nps_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(numeric) IS 'Net Promoter Score -100..100 of whole-number numeric scores 0..10: 100 * (promoters - detractors) / responses';
CREATE AGGREGATE csat(numeric) (
	SFUNC = kpi_csat_accum, STYPE = score_summary, FINALFUNC = csat,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(numeric) IS 'CSAT 0..100 of whole-number numeric scores 1..5: 100 * responses of 4 or 5 / responses';
CREATE AGGREGATE csat(numeric, integer) (
	SFUNC = kpi_csat_scale_accum, STYPE = score_summary, FINALFUNC = kpi_csat_scale_final,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_csat_scale_accum, MINVFUNC = kpi_csat_scale_inv, MSTYPE = score_summary,
	MFINALFUNC = kpi_csat_scale_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(numeric, integer) IS 'CSAT 0..100 of whole-number numeric scores 1..scale: 100 * responses in the top two scores / responses';
CREATE AGGREGATE ces(numeric) (
	SFUNC = kpi_ces_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(numeric) IS 'Customer Effort Score: mean of whole-number numeric scores 1..7';
CREATE AGGREGATE ces(numeric, integer) (
	SFUNC = kpi_ces_scale_accum, STYPE = score_summary, FINALFUNC = ces,
	COMBINEFUNC = kpi_score_combine,
	MSFUNC = kpi_ces_scale_accum, MINVFUNC = kpi_score_inv, MSTYPE = score_summary, MFINALFUNC = ces,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ces(numeric, integer) IS 'Customer Effort Score: mean of whole-number numeric scores 1..scale';

-- distribution-free confidence intervals of exact percentiles: order statistics whose
-- ranks come from the binomial distribution; (fraction, confidence) ride in the
-- percentiles() state as its two-element fractions array
CREATE FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_inv(internal, interval, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_float8_low(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_float8_high(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_low(internal) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_ci_interval_high(internal) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision) IS 'median_ci_low/high(double precision, confidence) transition: collects the value';
COMMENT ON FUNCTION kpi_percentile_ci_float8_accum(internal, double precision, double precision, double precision) IS 'percentile_ci_low/high(double precision, fraction, confidence) transition: collects the value';
COMMENT ON FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision) IS 'median_ci_low/high(interval, confidence) transition: collects the duration';
COMMENT ON FUNCTION kpi_percentile_ci_interval_accum(internal, interval, double precision, double precision) IS 'percentile_ci_low/high(interval, fraction, confidence) transition: collects the duration';
COMMENT ON FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision, double precision) IS 'moving-aggregate inverse of percentile_ci_low/high(double precision, fraction, confidence)';
COMMENT ON FUNCTION kpi_percentile_interval_inv(internal, interval, double precision, double precision) IS 'moving-aggregate inverse of percentile_ci_low/high(interval, fraction, confidence)';
COMMENT ON FUNCTION kpi_percentile_ci_float8_low(internal) IS 'percentile_ci_low final: the order statistic of the lower binomial rank';
COMMENT ON FUNCTION kpi_percentile_ci_float8_high(internal) IS 'percentile_ci_high final: the order statistic of the upper binomial rank';
COMMENT ON FUNCTION kpi_percentile_ci_interval_low(internal) IS 'percentile_ci_low final for durations: the order statistic of the lower binomial rank';
COMMENT ON FUNCTION kpi_percentile_ci_interval_high(internal) IS 'percentile_ci_high final for durations: the order statistic of the upper binomial rank';

CREATE AGGREGATE percentile_ci_low(double precision, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_low(double precision, double precision, double precision) IS 'lower bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_low(double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_low(double precision, double precision) IS 'lower bound of the distribution-free confidence interval of the exact median (value, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

CREATE AGGREGATE percentile_ci_low(interval, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_low(interval, double precision, double precision) IS 'lower bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_low(interval, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_low,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_low,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_low(interval, double precision) IS 'lower bound of the distribution-free confidence interval of the exact median (value, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

CREATE AGGREGATE percentile_ci_high(double precision, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_high(double precision, double precision, double precision) IS 'upper bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_high(double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_float8_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_float8_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_float8_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_high(double precision, double precision) IS 'upper bound of the distribution-free confidence interval of the exact median (value, confidence) of finite numbers: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

CREATE AGGREGATE percentile_ci_high(interval, fraction double precision, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile_ci_high(interval, double precision, double precision) IS 'upper bound of the distribution-free confidence interval of the exact percentile (value, fraction strictly between 0 and 1, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound';
CREATE AGGREGATE median_ci_high(interval, confidence double precision) (
	SFUNC = kpi_percentile_ci_interval_accum, STYPE = internal, FINALFUNC = kpi_percentile_ci_interval_high,
	COMBINEFUNC = kpi_percentile_combine, SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_ci_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal, MFINALFUNC = kpi_percentile_ci_interval_high,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_ci_high(interval, double precision) IS 'upper bound of the distribution-free confidence interval of the exact median (value, confidence) of durations >= 0: an order statistic with binomial rank; NULL when the sample is too small for the bound (fewer than 6 values at 95%)';

-- top-box shares (CSAT) from summaries: a rate_summary, its change test, and the
-- t interval of the mean score (CES, CSAT means)
CREATE FUNCTION top_box_summary(summary score_summary, min_score integer) RETURNS rate_summary
	AS 'MODULE_PATHNAME', 'kpi_score_top_box_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION top_box_summary(score_summary, integer) IS 'the responses scoring min_score or more as a rate_summary (hits = top-box responses, trials = responses), for rate(), wilson_low/high(), rate_change_pvalue() and pchart_zscore()';
CREATE FUNCTION top_box_change_pvalue(before score_summary, after score_summary, min_score integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_top_box_change_pvalue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION top_box_change_pvalue(score_summary, score_summary, integer) IS 'two-sided p-value of the change of top_box(summary, min_score) between two periods, such as CSAT with min_score 4: the two-proportion z-test of rate_change_pvalue; NULL when a period has no responses';
CREATE FUNCTION mean_ci_low(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_mean_ci_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_ci_low(score_summary, double precision) IS 'lower bound of the Student t confidence interval of mean_score(summary) (and so of ces()): mean - t(n - 1) * s / sqrt(n); NULL with fewer than 2 responses';
CREATE FUNCTION mean_ci_high(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_mean_ci_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_ci_high(score_summary, double precision) IS 'upper bound of the Student t confidence interval of mean_score(summary): mean + t(n - 1) * s / sqrt(n); NULL with fewer than 2 responses';
CREATE FUNCTION mean_margin(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_mean_margin' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_margin(score_summary, double precision) IS 'margin of error of mean_score(summary), the half-width of its t interval: t(n - 1) * s / sqrt(n); NULL with fewer than 2 responses';
CREATE FUNCTION t_quantile(p double precision, degrees_of_freedom double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_t_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION t_quantile(double precision, double precision) IS 'quantile of Student''s t distribution: the t with P(T <= t) = p for whole degrees of freedom >= 1; t_quantile(0.975, 10) = 2.2281388519649';

-- industry benchmarks from the seed articles
CREATE VIEW kpi_benchmarks AS
SELECT kpi, measured_by, low, high, unit, segment, published, source
FROM (VALUES
	('FCR', 'fcr_rate', 70, 80, 'percent', 'most industries', '70-80 %', 'The 12 customer service KPIs worth tracking — at a glance'),
	('FCR', 'fcr_rate', 70, 70, 'percent', 'industry average', 'industry average: 70 %', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('FCR', 'fcr_rate', 85, NULL, 'percent', 'top performers', 'top performers: 85 %+', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CSAT', 'csat', 75, 85, 'percent', 'most industries', '75-85 % is considered good across most industries', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CSAT', 'csat', 85, 90, 'percent', 'working target', '85-90 % is the working target; below 80 % needs root-cause work', 'The 12 customer service KPIs worth tracking — at a glance'),
	('CSAT', 'csat', 90, NULL, 'percent', 'top SaaS and ecommerce teams', 'top SaaS and ecommerce teams target 90 %+', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 30, NULL, 'NPS points', 'B2B SaaS: good', '30+ is solid for B2B SaaS', 'The 12 customer service KPIs worth tracking — at a glance'),
	('NPS', 'nps', 50, NULL, 'NPS points', 'great', '50+ is genuinely good', 'The 12 customer service KPIs worth tracking — at a glance'),
	('NPS', 'nps', 70, NULL, 'NPS points', 'world-class', '70+ is rare', 'The 12 customer service KPIs worth tracking — at a glance'),
	('NPS', 'nps', 32, 32, 'NPS points', 'global average, all sectors', 'global average: 32 across all sectors', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 49, 49, 'NPS points', 'B2C average', 'B2C average: 49', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 38, 38, 'NPS points', 'B2B average', 'B2B average: 38', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('NPS', 'nps', 66, 66, 'NPS points', 'technology companies average', 'technology companies average 66', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CES', 'ces', 5.5, 7, 'score 1-7', '7-point scale', 'above 5.5 on a 7-point scale indicates low customer effort', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('CES top-2-box', 'top_box(summary, 6)', 70, 100, 'percent', '7-point scale', '70 %+ top-2-box', 'The 12 customer service KPIs worth tracking — at a glance'),
	('first response time', 'median, percentile', NULL, 60, 'seconds', 'live chat', 'live chat: under 1 minute', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('first response time', 'median, percentile', NULL, 28, 'seconds', 'phone', 'phone: under 28 seconds (80/20 service level standard)', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('first response time', 'median, percentile', NULL, 3600, 'seconds', 'email, paid tiers', 'email < 1 hour for paid tiers, < 4 hours otherwise', 'The 12 customer service KPIs worth tracking — at a glance'),
	('first response time', 'median, percentile', NULL, 14400, 'seconds', 'email, business hours', 'email: under 4 hours for business-hours response', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('resolution time', 'median_resolution', NULL, 86400, 'seconds', 'email, standard tiers', '< 24 hours for email on standard tiers', 'The 12 customer service KPIs worth tracking — at a glance'),
	('resolution time', 'median_resolution', NULL, 14400, 'seconds', 'paid SLAs', '< 4 hours on paid SLAs; track the median, not just the mean', 'The 12 customer service KPIs worth tracking — at a glance'),
	('resolution time', 'median_resolution', 21600, 36000, 'seconds', 'ecommerce email', 'for ecommerce, email TTR of 6-10 hours is standard', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('resolution time', 'median_resolution', 86400, 259200, 'seconds', 'complex B2B issues', 'complex B2B issues may legitimately take 24-72 hours', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 370, 370, 'seconds', 'across industries (average)', '6 minutes 10 seconds across industries', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 300, 300, 'seconds', 'retail and ecommerce (average)', 'retail/ecommerce ~5 min', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 540, 540, 'seconds', 'financial services (average)', 'financial services ~9 min', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('AHT', 'aht', 720, 720, 'seconds', 'healthcare (average)', 'healthcare ~12 min', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('abandonment rate', 'abandonment_rate', NULL, 5, 'percent', 'most contact centers', 'under 5 % is the target; above 8 % indicates a significant wait time problem', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('service level', 'service_level, erlang_service_level', 80, NULL, 'percent answered within 20 s', 'most industries', '80/20: 80 % of calls answered within 20 seconds', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('service level', 'service_level, erlang_service_level', 80, NULL, 'percent answered within 30 s', 'healthcare', 'healthcare often targets 80 % within 30 seconds', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('SLA adherence', 'sla_adherence', 95, NULL, 'percent', 'paid SLAs', '95 %+ for paid SLAs', 'The 12 customer service KPIs worth tracking — at a glance'),
	('utilization', 'utilization, occupancy', 85, 90, 'percent', 'agent time on customer interactions', '85-90 % is the target range; above 90 % risks burnout, below 80 % suggests overstaffing', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('quality score', 'quality_score', 85, NULL, 'percent', 'QA passing threshold', 'most QA programs target 85 %+; elite teams aim for 90 %+', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('backlog', 'backlog_series', NULL, 5, 'percent of weekly volume open beyond 24 h', 'all teams', 'less than 5 % of the weekly volume open beyond 24 hours, less than 1 % beyond 7 days', 'The 12 customer service KPIs worth tracking — at a glance'),
	('cost per contact', 'cost_per_contact', 5, 15, 'USD', 'SMB-focused teams', '$5-15 for SMB-focused teams', 'The 12 customer service KPIs worth tracking — at a glance'),
	('cost per contact', 'cost_per_contact', 25, 75, 'USD', 'enterprise and complex products', '$25-75 for enterprise/complex products', 'The 12 customer service KPIs worth tracking — at a glance'),
	('cost per contact', 'cost_per_contact', 5, 15, 'USD', 'voice', 'voice calls: $5-$15 per contact', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('cost per contact', 'cost_per_contact', 2, 5, 'USD', 'chat', 'chat: $2-$5', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('cost per contact', 'cost_per_contact', 0.10, 0.50, 'USD', 'self-service', 'self-service: $0.10-$0.50', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('retention rate', 'retention_rate', 85, 95, 'percent per year', 'SaaS', 'SaaS: 85-95 % annual retention is healthy', '15 Customer Service Metrics Every Team Should Track in 2026'),
	('retention rate', 'retention_rate', 90, NULL, 'percent per year', 'higher-value B2B', 'higher-value B2B relationships should target 90 %+ annually', '15 Customer Service Metrics Every Team Should Track in 2026')
) AS b(kpi, measured_by, low, high, unit, segment, published, source);
COMMENT ON VIEW kpi_benchmarks IS 'published benchmark ranges of the KPIs (low and high in unit, NULL for an open end; equal for a published average), with the segment they apply to, the wording and the article they come from; directional context, not targets';

-- robust_zscore and ewma_zscore: the exact constant and the EWMA recurrence in the comments
COMMENT ON FUNCTION robust_zscore(double precision, double precision, double precision) IS 'robust z-score (value - median) / (1.482602218505602 * mad), the constant 1 / Phi^-1(3/4); |z| > 3.5 is an outlier';
COMMENT ON FUNCTION ewma_zscore(double precision, double precision[], double precision) IS 'z-score of value against the exponentially weighted mean and standard deviation of the history (oldest first: m = x1, v = 0, then d = x - m, m += alpha d, v = (1 - alpha)(v + alpha d^2)); NULL with fewer than 2 values';

/*
 * ===========================================================================
 * Ticket histories: time in status, SLA clocks that pause (src/timeline.c)
 * ===========================================================================
 */

CREATE TYPE timeline;

CREATE FUNCTION kpi_timeline_in(cstring) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_out(timeline) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_recv(internal) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_send(timeline) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_timeline_in(cstring) IS 'timeline text input: reads and validates v1:<instant> [#<seq> ]"<state>", ... (instants in UTC, any order, duplicates merged)';
COMMENT ON FUNCTION kpi_timeline_out(timeline) IS 'timeline text output: the events in order, instants in UTC';
COMMENT ON FUNCTION kpi_timeline_recv(internal) IS 'timeline binary input: reads and validates the version byte, the labels and every event';
COMMENT ON FUNCTION kpi_timeline_send(timeline) IS 'timeline binary output: version byte, labels, events (instant, seq flag, seq, label index)';

CREATE TYPE timeline (
	INPUT = kpi_timeline_in,
	OUTPUT = kpi_timeline_out,
	RECEIVE = kpi_timeline_recv,
	SEND = kpi_timeline_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE timeline IS 'history of one entity as (instant, state [, seq]) events, mergeable; text form v1:<instant UTC> [#<seq> ]"<state>", ...';

-- transition, combine and final functions (not for direct use)
CREATE FUNCTION kpi_timeline_accum(timeline, timestamptz, text) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_accum_seq(timeline, timestamptz, text, bigint) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_combine(timeline, timeline) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_timeline_final(timeline) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_timeline_accum(timeline, timestamptz, text) IS 'timeline_agg transition: adds an event (at, state); NULL at or state skips the row';
COMMENT ON FUNCTION kpi_timeline_accum_seq(timeline, timestamptz, text, bigint) IS 'timeline_agg(at, state, seq) transition: adds an event; a NULL seq is an event without seq';
COMMENT ON FUNCTION kpi_timeline_combine(timeline, timeline) IS 'merges two timelines: the union of their events (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_timeline_final(timeline) IS 'timeline_agg and rollup final: the canonical compact form; NULL without events';

CREATE FUNCTION kpi_timeline_plus(timeline, timeline) RETURNS timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_timeline_plus(timeline, timeline) IS 'implementation of timeline + timeline';
CREATE OPERATOR + (
	LEFTARG = timeline, RIGHTARG = timeline, FUNCTION = kpi_timeline_plus, COMMUTATOR = +
);
COMMENT ON OPERATOR + (timeline, timeline) IS 'a + b: the union of the events, equal to rollup over both (commutative, associative)';

-- SSPACE: a ticket's history in the accumulating form is a few hundred bytes; with
-- the default estimate the planner hashes a million tickets in work_mem and spills
CREATE AGGREGATE timeline_agg(at timestamptz, state text) (
	SFUNC = kpi_timeline_accum, STYPE = timeline, SSPACE = 400, FINALFUNC = kpi_timeline_final,
	COMBINEFUNC = kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE timeline_agg(timestamptz, text) IS 'history of one entity (GROUP BY it) from its state changes, in any input order; events at one instant ordered by state label in byte order';

CREATE AGGREGATE timeline_agg(at timestamptz, state text, seq bigint) (
	SFUNC = kpi_timeline_accum_seq, STYPE = timeline, SSPACE = 400, FINALFUNC = kpi_timeline_final,
	COMBINEFUNC = kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE timeline_agg(timestamptz, text, bigint) IS 'history of one entity; seq (such as the audit event id) orders events at one instant, events without seq first';

CREATE AGGREGATE rollup(timeline) (
	SFUNC = kpi_timeline_combine, STYPE = timeline, SSPACE = 400, FINALFUNC = kpi_timeline_final,
	COMBINEFUNC = kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(timeline) IS 'merges partial histories of one entity (days, parallel workers) into the one-step timeline, byte for byte';

-- time in states
CREATE FUNCTION duration_in(tl timeline, states text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[]) IS 'time spent in any of states from the first to the last event (the open last segment counts 0)';
CREATE FUNCTION duration_in(tl timeline, states text[], calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], business_calendar) IS 'working time spent in any of states from the first to the last event; 0 when all of it lies outside business hours';
CREATE FUNCTION duration_in(tl timeline, states text[], "until" timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_until' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz) IS 'time spent in any of states up to until, the state in force then running until it (open tickets); later events ignored';
CREATE FUNCTION duration_in(tl timeline, states text[], "until" timestamptz, calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_until_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz, business_calendar) IS 'working time spent in any of states up to until, the last state running until it';
CREATE FUNCTION duration_in(tl timeline, states text[], since timestamptz, "until" timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_range' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz, timestamptz) IS 'time spent in any of states within [since, until), the state in force at since carried in; until < since is an error';
CREATE FUNCTION duration_in(tl timeline, states text[], since timestamptz, "until" timestamptz, calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_duration_in_range_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION duration_in(timeline, text[], timestamptz, timestamptz, business_calendar) IS 'working time spent in any of states within [since, until), the state in force at since carried in';

-- states, entries, transitions, segments
CREATE FUNCTION state_at(tl timeline, at timestamptz) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_timeline_state_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION state_at(timeline, timestamptz) IS 'the state in force at the instant (after every event at that instant); NULL before the first event';
CREATE FUNCTION first_entered(tl timeline, state text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_first_entered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION first_entered(timeline, text) IS 'start of the first segment in state; NULL when never in it';
CREATE FUNCTION last_entered(tl timeline, state text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_last_entered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION last_entered(timeline, text) IS 'start of the last segment in state (such as the last solve); NULL when never in it';
CREATE FUNCTION entries(tl timeline, state text) RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_timeline_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entries(timeline, text) IS 'number of segments in state (times the entity entered it, the first event included)';
CREATE FUNCTION transitions(tl timeline, from_state text, to_state text) RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_timeline_transitions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION transitions(timeline, text, text) IS 'number of changes from from_state directly to to_state, such as reopens = transitions(tl, ''solved'', ''open'')';
CREATE FUNCTION state_timeline(tl timeline, OUT state text, OUT start_time timestamptz, OUT end_time timestamptz)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_timeline_state_timeline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION state_timeline(timeline) IS 'the segments in order: state, start_time, end_time (NULL for the last, open one)';
CREATE FUNCTION segment_durations(tl timeline, state text) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_timeline_segment_durations' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_durations(timeline, text) IS 'the length of each stay in state, in order; NULL for a stay still open at the last event (from a message log: first and next reply times)';
CREATE FUNCTION segment_durations(tl timeline, state text, calendar business_calendar) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_timeline_segment_durations_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_durations(timeline, text, business_calendar) IS 'the working time of each stay in state, in order; NULL for a stay still open';

-- SLA clocks that pause
CREATE FUNCTION sla_elapsed(tl timeline, start timestamptz, "until" timestamptz, paused text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_elapsed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_elapsed(timeline, timestamptz, timestamptz, text[]) IS 'time an SLA clock ran in [start, until): not in a paused state (before the first event it runs, the last state continues)';
CREATE FUNCTION sla_elapsed(tl timeline, start timestamptz, "until" timestamptz, paused text[], calendar business_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_elapsed_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_elapsed(timeline, timestamptz, timestamptz, text[], business_calendar) IS 'working time an SLA clock ran in [start, until), not in a paused state';
CREATE FUNCTION sla_due(tl timeline, start timestamptz, target interval, paused text[]) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_due' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_due(timeline, timestamptz, interval, text[]) IS 'earliest instant at which sla_elapsed from start reaches target, the last state continuing; NULL when the clock stays paused before';
CREATE FUNCTION sla_due(tl timeline, start timestamptz, target interval, paused text[], calendar business_calendar) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_sla_due_cal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sla_due(timeline, timestamptz, interval, text[], business_calendar) IS 'earliest instant at which the business-hours sla_elapsed reaches target; NULL when the clock stays paused before';

/*
 * ===========================================================================
 * Incremental summaries (issue #17, #15 items 1, 2, 8): exact ratio sums, the
 * + and - operators
 * ===========================================================================
 */

-- ratio_summary stores exact sums (format version 2); values stored by 0.6.0
-- (version 1) are read as they are.  The aggregates that return a
-- ratio_summary get a final function that returns the compact value.
COMMENT ON TYPE ratio_summary IS 'rows and exact sums of a numerator and a denominator; text form v2:n=<rows>,num=<sum>,den=<sum>, each sum the terms of its exact expansion (12.5+1e-17); reads the v1 values of 0.6.0';
CREATE FUNCTION kpi_ratio_final(ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_final(ratio_summary) IS 'final function of ratio_agg, aht_agg and rollup(ratio_summary): the compact value of the working state';
CREATE OR REPLACE AGGREGATE ratio_agg(double precision, double precision) (
	SFUNC = kpi_ratio_accum, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_accum, MINVFUNC = kpi_ratio_inv, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE ratio_agg(interval, interval) (
	SFUNC = kpi_ratio_interval_accum, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_interval_accum, MINVFUNC = kpi_ratio_interval_inv, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE rollup(ratio_summary) (
	SFUNC = kpi_ratio_combine, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_ratio_combine, MINVFUNC = kpi_ratio_uncombine, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE aht_agg(interval, interval, interval) (
	SFUNC = kpi_aht_accum, STYPE = ratio_summary, FINALFUNC = kpi_ratio_final,
	COMBINEFUNC = kpi_ratio_combine,
	MSFUNC = kpi_aht_accum, MINVFUNC = kpi_aht_inv, MSTYPE = ratio_summary,
	MFINALFUNC = kpi_ratio_final,
	PARALLEL = SAFE
);

-- operators: incremental summaries
CREATE FUNCTION kpi_score_plus(score_summary, score_summary) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_plus(score_summary, score_summary) IS 'a + b: the summary of the responses of both, equal to rollup() over the two; NULL counts as no responses';
CREATE FUNCTION kpi_score_minus(score_summary, score_summary) RETURNS score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_score_minus(score_summary, score_summary) IS 'a - b: the summary of the responses of a without those of b, so (a + b) - b = a; NULL when none is left; an error when b holds responses a does not';
CREATE OPERATOR + (
	LEFTARG = score_summary, RIGHTARG = score_summary, FUNCTION = kpi_score_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (score_summary, score_summary) IS 'the summary of the responses of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = score_summary, RIGHTARG = score_summary, FUNCTION = kpi_score_minus
);
COMMENT ON OPERATOR - (score_summary, score_summary) IS 'the summary of the responses of the left one without those of the right one; (a + b) - b = a';

-- operators: incremental summaries
CREATE FUNCTION kpi_rate_plus(rate_summary, rate_summary) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_rate_plus(rate_summary, rate_summary) IS 'a + b: the summary of the trials of both, equal to rollup() over the two; NULL counts as no trials';
CREATE FUNCTION kpi_rate_minus(rate_summary, rate_summary) RETURNS rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_rate_minus(rate_summary, rate_summary) IS 'a - b: the summary of the trials of a without those of b, so (a + b) - b = a; NULL when none is left; an error when b holds trials a does not';
CREATE OPERATOR + (
	LEFTARG = rate_summary, RIGHTARG = rate_summary, FUNCTION = kpi_rate_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (rate_summary, rate_summary) IS 'the summary of the trials of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = rate_summary, RIGHTARG = rate_summary, FUNCTION = kpi_rate_minus
);
COMMENT ON OPERATOR - (rate_summary, rate_summary) IS 'the summary of the trials of the left one without those of the right one; (a + b) - b = a';

-- operators: incremental summaries
CREATE FUNCTION kpi_ratio_plus(ratio_summary, ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_plus(ratio_summary, ratio_summary) IS 'a + b: the summary of the rows of both, equal to rollup() over the two; NULL counts as no rows';
CREATE FUNCTION kpi_ratio_minus(ratio_summary, ratio_summary) RETURNS ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ratio_minus(ratio_summary, ratio_summary) IS 'a - b: the summary of the rows of a without those of b, exact, so (a + b) - b = a; NULL when no row is left; an error when b holds rows a does not';
CREATE OPERATOR + (
	LEFTARG = ratio_summary, RIGHTARG = ratio_summary, FUNCTION = kpi_ratio_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (ratio_summary, ratio_summary) IS 'the summary of the rows of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = ratio_summary, RIGHTARG = ratio_summary, FUNCTION = kpi_ratio_minus
);
COMMENT ON OPERATOR - (ratio_summary, ratio_summary) IS 'the summary of the rows of the left one without those of the right one; (a + b) - b = a';

-- operators: incremental summaries
CREATE FUNCTION kpi_sketch_plus(duration_summary, duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_sketch_plus(duration_summary, duration_summary) IS 'a + b: the summary of the durations of both, equal to rollup() over the two; NULL counts as no durations (no -: the exact minimum and maximum cannot be kept when values leave)';
CREATE OPERATOR + (
	LEFTARG = duration_summary, RIGHTARG = duration_summary, FUNCTION = kpi_sketch_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (duration_summary, duration_summary) IS 'the summary of the durations of both: rollup() of the two';

-- operators: incremental summaries
CREATE FUNCTION kpi_flow_plus(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_flow_plus(ticket_flow, ticket_flow) IS 'a + b: the summary of the tickets of both, equal to rollup() over the two; NULL counts as no tickets';
CREATE FUNCTION kpi_flow_minus(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_flow_minus(ticket_flow, ticket_flow) IS 'a - b: the summary of the tickets of a without those of b, so (a + b) - b = a; NULL when none is left; an error when b holds tickets a does not';
CREATE OPERATOR + (
	LEFTARG = ticket_flow, RIGHTARG = ticket_flow, FUNCTION = kpi_flow_plus,
	COMMUTATOR = +
);
COMMENT ON OPERATOR + (ticket_flow, ticket_flow) IS 'the summary of the tickets of both: rollup() of the two';
CREATE OPERATOR - (
	LEFTARG = ticket_flow, RIGHTARG = ticket_flow, FUNCTION = kpi_flow_minus
);
COMMENT ON OPERATOR - (ticket_flow, ticket_flow) IS 'the summary of the tickets of the left one without those of the right one; (a + b) - b = a';
