/* kpi_ext 0.1.0 -> 0.2.0: durations: the duration sketch duration_summary (src/sketch.c)
 * and the exact percentiles (src/percentile.c) */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.2.0'" to load this file. \quit

/*
 * ===========================================================================
 * Durations, sketched: duration_summary (src/sketch.c)
 * ===========================================================================
 */

CREATE TYPE duration_summary;

CREATE FUNCTION kpi_duration_summary_in(cstring) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_duration_summary_out(duration_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_duration_summary_recv(internal) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_duration_summary_send(duration_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE duration_summary (
	INPUT = kpi_duration_summary_in,
	OUTPUT = kpi_duration_summary_out,
	RECEIVE = kpi_duration_summary_recv,
	SEND = kpi_duration_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE duration_summary IS 'mergeable sketch of durations: relative-error log buckets with exact count, sum, min and max; text form v1:a=..,n=..,z=..,sum=..,min=..,max=..;index:count,...';

COMMENT ON FUNCTION kpi_duration_summary_in(cstring) IS 'duration_summary input: parses and validates the v1 text form';
COMMENT ON FUNCTION kpi_duration_summary_out(duration_summary) IS 'duration_summary output: the v1 text form';
COMMENT ON FUNCTION kpi_duration_summary_recv(internal) IS 'duration_summary binary input, validated';
COMMENT ON FUNCTION kpi_duration_summary_send(duration_summary) IS 'duration_summary binary output';

-- transition, inverse, combine and final functions (not for direct use)
CREATE FUNCTION kpi_sketch_accum(duration_summary, interval) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_accum_seconds(duration_summary, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_accum_alpha(duration_summary, interval, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_inv(duration_summary, interval) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_inv_seconds(duration_summary, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_inv_alpha(duration_summary, interval, double precision) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_combine(duration_summary, duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_uncombine(duration_summary, duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_sketch_final(duration_summary) RETURNS duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_sketch_accum(duration_summary, interval) IS 'duration_agg transition: adds a duration';
COMMENT ON FUNCTION kpi_sketch_accum_seconds(duration_summary, double precision) IS 'duration_agg transition: adds a duration in seconds';
COMMENT ON FUNCTION kpi_sketch_accum_alpha(duration_summary, interval, double precision) IS 'duration_agg(interval, relative_error) transition: adds a duration';
COMMENT ON FUNCTION kpi_sketch_inv(duration_summary, interval) IS 'moving-aggregate inverse of duration_agg(interval); NULL asks for recomputation when the value is the minimum or maximum';
COMMENT ON FUNCTION kpi_sketch_inv_seconds(duration_summary, double precision) IS 'moving-aggregate inverse of duration_agg(double precision)';
COMMENT ON FUNCTION kpi_sketch_inv_alpha(duration_summary, interval, double precision) IS 'moving-aggregate inverse of duration_agg(interval, relative_error)';
COMMENT ON FUNCTION kpi_sketch_combine(duration_summary, duration_summary) IS 'merges two duration summaries (rollup, parallel combine)';
COMMENT ON FUNCTION kpi_sketch_uncombine(duration_summary, duration_summary) IS 'moving-aggregate inverse of rollup(duration_summary); NULL asks for recomputation when the removed summary holds the minimum or maximum';
COMMENT ON FUNCTION kpi_sketch_final(duration_summary) IS 'duration_agg and rollup final: the canonical compact summary, NULL without values';

-- accessors
CREATE FUNCTION percentile(duration_summary, fraction double precision) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION percentile(duration_summary, double precision) IS 'estimated duration at rank max(1, ceil(fraction * n)), as percentile_disc, within the summary''s relative error; NULL when empty';
CREATE FUNCTION percentiles(duration_summary, fractions double precision[]) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_sketch_percentiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION percentiles(duration_summary, double precision[]) IS 'estimated durations at several fractions, an array of the same shape; NULL when empty';
CREATE FUNCTION median(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION median(duration_summary) IS 'estimated median duration (percentile 0.5) within the summary''s relative error; NULL when empty';
CREATE FUNCTION mean(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean(duration_summary) IS 'exact mean duration, rounded to the microsecond; NULL when empty';
CREATE FUNCTION total(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION total(duration_summary) IS 'exact sum of the durations; NULL when empty';
CREATE FUNCTION num_values(duration_summary) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_sketch_num_values' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION num_values(duration_summary) IS 'number of durations summarized';
CREATE FUNCTION min_value(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_min_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION min_value(duration_summary) IS 'exact shortest duration; NULL when empty';
CREATE FUNCTION max_value(duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_sketch_max_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_value(duration_summary) IS 'exact longest duration; NULL when empty';
CREATE FUNCTION relative_error(duration_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_sketch_relative_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION relative_error(duration_summary) IS 'the relative error guaranteed for every percentile of the summary';

-- aggregates
CREATE AGGREGATE duration_agg(interval) (
	SFUNC = kpi_sketch_accum, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_accum, MINVFUNC = kpi_sketch_inv, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE duration_agg(interval) IS 'sketch of durations with relative error 1%, for percentile(), median(), mean() and rollup()';

CREATE AGGREGATE duration_agg(double precision) (
	SFUNC = kpi_sketch_accum_seconds, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_accum_seconds, MINVFUNC = kpi_sketch_inv_seconds, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE duration_agg(double precision) IS 'sketch of durations given in seconds (rounded to the microsecond) with relative error 1%';

CREATE AGGREGATE duration_agg(interval, relative_error double precision) (
	SFUNC = kpi_sketch_accum_alpha, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_accum_alpha, MINVFUNC = kpi_sketch_inv_alpha, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE duration_agg(interval, double precision) IS 'sketch of durations with the given relative error, from 0.0001 to less than 0.5';

CREATE AGGREGATE rollup(duration_summary) (
	SFUNC = kpi_sketch_combine, STYPE = duration_summary, FINALFUNC = kpi_sketch_final,
	COMBINEFUNC = kpi_sketch_combine,
	MSFUNC = kpi_sketch_combine, MINVFUNC = kpi_sketch_uncombine, MSTYPE = duration_summary,
	MFINALFUNC = kpi_sketch_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(duration_summary) IS 'merges duration summaries of the same relative error, such as daily ones into a month';

/*
 * ===========================================================================
 * Durations, exact: median, percentile, median_resolution,
 * handle_time_percentile (src/percentile.c)
 * ===========================================================================
 */

-- transition, inverse, combine, serial and final functions (not for direct use)
CREATE FUNCTION kpi_percentile_float8_accum(internal, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_accum(internal, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_accum(internal, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_accum(internal, interval, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_span_accum(internal, timestamptz, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_inv(internal, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_inv(internal, interval) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_inv(internal, interval, double precision) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_span_inv(internal, timestamptz, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_float8_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentile_interval_final(internal) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_percentile_float8_accum(internal, double precision) IS 'median(double precision) transition: keeps a finite number';
COMMENT ON FUNCTION kpi_percentile_float8_accum(internal, double precision, double precision) IS 'percentile(double precision, fraction) transition: keeps a finite number, checks the fraction';
COMMENT ON FUNCTION kpi_percentile_interval_accum(internal, interval) IS 'median(interval) transition: keeps a duration >= 0';
COMMENT ON FUNCTION kpi_percentile_interval_accum(internal, interval, double precision) IS 'percentile(interval, fraction) transition: keeps a duration >= 0, checks the fraction';
COMMENT ON FUNCTION kpi_percentile_span_accum(internal, timestamptz, timestamptz) IS 'median_resolution(opened, resolved) transition: keeps resolved - opened';
COMMENT ON FUNCTION kpi_percentile_float8_inv(internal, double precision) IS 'moving-aggregate inverse: removes a number';
COMMENT ON FUNCTION kpi_percentile_float8_inv(internal, double precision, double precision) IS 'moving-aggregate inverse: removes a number';
COMMENT ON FUNCTION kpi_percentile_interval_inv(internal, interval) IS 'moving-aggregate inverse: removes a duration';
COMMENT ON FUNCTION kpi_percentile_interval_inv(internal, interval, double precision) IS 'moving-aggregate inverse: removes a duration';
COMMENT ON FUNCTION kpi_percentile_span_inv(internal, timestamptz, timestamptz) IS 'moving-aggregate inverse: removes resolved - opened';
COMMENT ON FUNCTION kpi_percentile_combine(internal, internal) IS 'exact percentiles: concatenates the values of two partial states (parallel combine)';
COMMENT ON FUNCTION kpi_percentile_serialize(internal) IS 'exact percentiles: partial state to bytea (parallel query)';
COMMENT ON FUNCTION kpi_percentile_deserialize(bytea, internal) IS 'exact percentiles: validated bytea to partial state (parallel query)';
COMMENT ON FUNCTION kpi_percentile_float8_final(internal) IS 'exact percentile of numbers, as percentile_cont computes it';
COMMENT ON FUNCTION kpi_percentile_interval_final(internal) IS 'exact percentile of durations, as percentile_cont computes it';

-- aggregates
CREATE AGGREGATE median(double precision) (
	SFUNC = kpi_percentile_float8_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_float8_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_float8_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median(double precision) IS 'exact median of finite numbers, equal to percentile_cont(0.5) WITHIN GROUP (ORDER BY x)';

CREATE AGGREGATE percentile(double precision, double precision) (
	SFUNC = kpi_percentile_float8_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_float8_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_float8_accum, MINVFUNC = kpi_percentile_float8_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_float8_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile(double precision, double precision) IS 'exact percentile (value, fraction 0..1, the same on every row) of finite numbers, equal to percentile_cont(fraction) WITHIN GROUP (ORDER BY value)';

CREATE AGGREGATE median(interval) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median(interval) IS 'exact median of durations >= 0, equal to percentile_cont(0.5) WITHIN GROUP (ORDER BY x)';

CREATE AGGREGATE percentile(interval, double precision) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentile(interval, double precision) IS 'exact percentile (duration, fraction 0..1, the same on every row) of durations >= 0, equal to percentile_cont(fraction) WITHIN GROUP (ORDER BY duration)';

CREATE AGGREGATE median_resolution(interval) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_resolution(interval) IS 'exact median resolution time of resolution durations >= 0 (same as median(interval))';

CREATE AGGREGATE median_resolution(timestamptz, timestamptz) (
	SFUNC = kpi_percentile_span_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_span_accum, MINVFUNC = kpi_percentile_span_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE median_resolution(timestamptz, timestamptz) IS 'exact median of resolved - opened (opened, resolved); rows with a NULL timestamp (unresolved tickets) are skipped';

CREATE AGGREGATE handle_time_percentile(interval, double precision) (
	SFUNC = kpi_percentile_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentile_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentile_interval_accum, MINVFUNC = kpi_percentile_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentile_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE handle_time_percentile(interval, double precision) IS 'exact percentile (handle, fraction 0..1) of handle times >= 0 (same as percentile(interval, fraction))';
