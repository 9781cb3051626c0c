/* kpi_ext 0.6.0 -> 0.7.0 */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.7.0'" to load this file. \quit

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
