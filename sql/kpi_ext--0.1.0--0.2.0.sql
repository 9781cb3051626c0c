/* kpi_ext 0.1.0 -> 0.2.0: durations */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.2.0'" to load this file. \quit

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
