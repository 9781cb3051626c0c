/* kpi_ext 0.4.0 -> 0.5.0: time series and window helpers (SPEC section 7): ticket flow and backlog, age buckets, confidence intervals and change tests, anomaly scores, sparklines */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.5.0'" to load this file. \quit

/*
 * ===========================================================================
 * Ticket flow and backlog over time, age buckets (src/flow.c)
 * ===========================================================================
 */

CREATE TYPE ticket_flow;

CREATE FUNCTION kpi_ticket_flow_in(cstring) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ticket_flow_out(ticket_flow) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ticket_flow_recv(internal) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_ticket_flow_send(ticket_flow) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_ticket_flow_in(cstring) IS 'ticket_flow text input: reads and validates v1:<bucket>;<zone>;<first bucket>;<counts>';
COMMENT ON FUNCTION kpi_ticket_flow_out(ticket_flow) IS 'ticket_flow text output, empty buckets at the ends dropped';
COMMENT ON FUNCTION kpi_ticket_flow_recv(internal) IS 'ticket_flow binary input: reads and validates the version byte and every field';
COMMENT ON FUNCTION kpi_ticket_flow_send(ticket_flow) IS 'ticket_flow binary output: version byte, bucket, zone, first bucket, counts';

CREATE TYPE ticket_flow (
	INPUT = kpi_ticket_flow_in,
	OUTPUT = kpi_ticket_flow_out,
	RECEIVE = kpi_ticket_flow_recv,
	SEND = kpi_ticket_flow_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE ticket_flow IS 'tickets opened and closed per time bucket; text form v1:<bucket>;<time zone>;<first bucket>;<opened>/<closed>,~<empty buckets>,...';

-- transition, inverse, combine and final functions (not for direct use)
CREATE FUNCTION kpi_flow_accum(ticket_flow, timestamptz, timestamptz, interval) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_tz_accum(ticket_flow, timestamptz, timestamptz, interval, text) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_inv(ticket_flow, timestamptz, timestamptz, interval) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_tz_inv(ticket_flow, timestamptz, timestamptz, interval, text) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_combine(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_uncombine(ticket_flow, ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_flow_final(ticket_flow) RETURNS ticket_flow
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_flow_accum(ticket_flow, timestamptz, timestamptz, interval) IS 'ticket_flow_agg transition: counts a ticket in the UTC buckets of its opened and closed timestamps';
COMMENT ON FUNCTION kpi_flow_tz_accum(ticket_flow, timestamptz, timestamptz, interval, text) IS 'ticket_flow_agg transition: counts a ticket in the local buckets of its opened and closed timestamps';
COMMENT ON FUNCTION kpi_flow_inv(ticket_flow, timestamptz, timestamptz, interval) IS 'moving-aggregate inverse: removes a ticket';
COMMENT ON FUNCTION kpi_flow_tz_inv(ticket_flow, timestamptz, timestamptz, interval, text) IS 'moving-aggregate inverse: removes a ticket';
COMMENT ON FUNCTION kpi_flow_combine(ticket_flow, ticket_flow) IS 'merges two ticket flows with the same buckets (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_flow_uncombine(ticket_flow, ticket_flow) IS 'moving-aggregate inverse of rollup(ticket_flow)';
COMMENT ON FUNCTION kpi_flow_final(ticket_flow) IS 'ticket_flow final: drops empty buckets at both ends; NULL without tickets';

CREATE AGGREGATE ticket_flow_agg(opened timestamptz, closed timestamptz, bucket interval) (
	SFUNC = kpi_flow_accum, STYPE = ticket_flow, FINALFUNC = kpi_flow_final,
	COMBINEFUNC = kpi_flow_combine,
	MSFUNC = kpi_flow_accum, MINVFUNC = kpi_flow_inv, MSTYPE = ticket_flow, MFINALFUNC = kpi_flow_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ticket_flow_agg(timestamptz, timestamptz, interval) IS 'tickets opened and closed per bucket (1 hour .. 24 hours, 1 day, 1 week) in UTC, for backlog_series(); a NULL closed means still open';

CREATE AGGREGATE ticket_flow_agg(opened timestamptz, closed timestamptz, bucket interval, tz text) (
	SFUNC = kpi_flow_tz_accum, STYPE = ticket_flow, FINALFUNC = kpi_flow_final,
	COMBINEFUNC = kpi_flow_combine,
	MSFUNC = kpi_flow_tz_accum, MINVFUNC = kpi_flow_tz_inv, MSTYPE = ticket_flow, MFINALFUNC = kpi_flow_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ticket_flow_agg(timestamptz, timestamptz, interval, text) IS 'tickets opened and closed per bucket; days start at local midnight in tz, weeks on Monday; a NULL closed means still open';

CREATE AGGREGATE rollup(ticket_flow) (
	SFUNC = kpi_flow_combine, STYPE = ticket_flow, FINALFUNC = kpi_flow_final,
	COMBINEFUNC = kpi_flow_combine,
	MSFUNC = kpi_flow_combine, MINVFUNC = kpi_flow_uncombine, MSTYPE = ticket_flow, MFINALFUNC = kpi_flow_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(ticket_flow) IS 'merges ticket flows with the same buckets, such as per-team flows into one';

CREATE FUNCTION backlog_series(flow ticket_flow, "from" timestamptz, "to" timestamptz,
							   OUT bucket_start timestamptz, OUT opened bigint, OUT closed bigint, OUT backlog bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_backlog_series' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION backlog_series(ticket_flow, timestamptz, timestamptz) IS 'one row per bucket starting in [from, to]: tickets opened and closed in it, and the backlog open at its end (tickets opened before from included)';

CREATE FUNCTION age_bucket(age interval) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_age_bucket' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION age_bucket(interval) IS 'aging label that sorts in age order: 1: 0-1d, 2: 1-3d, 3: 3-7d, 4: 7-14d, 5: 14-30d, 6: 30d+';
CREATE FUNCTION age_bucket(age interval, bounds interval[]) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_age_bucket_bounds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION age_bucket(interval, interval[]) IS 'aging label for increasing upper bounds, numbered so that it sorts in age order, such as 2: 4h-1d';

/*
 * ===========================================================================
 * Confidence intervals, change tests, anomaly scores (src/stats.c)
 * ===========================================================================
 */

CREATE FUNCTION normal_cdf(x double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_normal_cdf_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_cdf(double precision) IS 'standard normal cumulative distribution Phi(x) = erfc(-x / sqrt 2) / 2';
CREATE FUNCTION normal_quantile(p double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_normal_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normal_quantile(double precision) IS 'standard normal quantile Phi^-1(p) for p in [0, 1], to full double precision; normal_quantile(0.975) = 1.959963984540054';

CREATE FUNCTION nps_margin(summary score_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_nps_margin' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_margin(score_summary, double precision) IS 'NPS margin of error (half-width of the confidence interval, NPS points): z * 100 * sqrt((p + d - (p - d)^2) / n); NULL without responses';
CREATE FUNCTION nps_change_pvalue(before score_summary, after score_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_nps_change_pvalue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_change_pvalue(score_summary, score_summary) IS 'two-sided p-value of the NPS change between two periods (z-test, SE = sqrt(SE1^2 + SE2^2)); NULL when a period has no responses';

CREATE FUNCTION wilson_low(summary score_summary, min_score integer, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_wilson_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_low(score_summary, integer, double precision) IS 'lower Wilson score bound (percent) of top_box(summary, min_score); NULL without responses';
CREATE FUNCTION wilson_high(summary score_summary, min_score integer, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_score_wilson_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_high(score_summary, integer, double precision) IS 'upper Wilson score bound (percent) of top_box(summary, min_score); NULL without responses';

CREATE FUNCTION robust_zscore(value double precision, median double precision, mad double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_robust_zscore' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robust_zscore(double precision, double precision, double precision) IS 'robust z-score (value - median) / (1.4826 * mad); |z| > 3.5 is an outlier';
CREATE FUNCTION robust_zscore(value double precision, history double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_robust_zscore_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robust_zscore(double precision, double precision[]) IS 'robust z-score of value against the median and MAD of the non-NULL history values; NULL with fewer than 2';
CREATE FUNCTION ewma_zscore(value double precision, history double precision[], alpha double precision DEFAULT 0.3) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_ewma_zscore' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ewma_zscore(double precision, double precision[], double precision) IS 'z-score of value against the exponentially weighted mean and standard deviation of the history (oldest first); NULL with fewer than 2 values';

/*
 * ===========================================================================
 * Sparklines (src/sparkline.c)
 * ===========================================================================
 */

CREATE FUNCTION sparkline(double precision[]) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_sparkline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sparkline(double precision[]) IS 'draws the values with the eight block glyphs U+2581..U+2588 (minimum lowest, maximum full block, NULL a space, a flat series half blocks)';

CREATE AGGREGATE sparkline(double precision) (
	SFUNC = array_append, STYPE = double precision[], FINALFUNC = sparkline,
	COMBINEFUNC = array_cat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sparkline(double precision) IS 'draws the values in the order of ORDER BY inside the call, such as sparkline(n ORDER BY day)';

-- rates: Wilson interval, change test, p-chart (rate_summary)
CREATE FUNCTION wilson_low(summary rate_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_rate_wilson_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_low(rate_summary, double precision) IS 'lower Wilson score bound (percent) of rate(summary); NULL without trials';
CREATE FUNCTION wilson_high(summary rate_summary, confidence double precision DEFAULT 0.95) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_rate_wilson_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_high(rate_summary, double precision) IS 'upper Wilson score bound (percent) of rate(summary); NULL without trials';
CREATE FUNCTION rate_change_pvalue(before rate_summary, after rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_change_pvalue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rate_change_pvalue(rate_summary, rate_summary) IS 'two-sided p-value of the rate change between two periods (two-proportion z-test, pooled variance); NULL when a period has no trials';
CREATE FUNCTION pchart_zscore(current rate_summary, baseline rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_pchart_zscore' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pchart_zscore(rate_summary, rate_summary) IS 'p-chart z-score of the current rate against the baseline rate pbar: (p - pbar) / sqrt(pbar (1 - pbar) / n); |z| > 3 is outside the control limits';
