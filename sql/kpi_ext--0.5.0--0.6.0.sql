/* kpi_ext 0.5.0 -> 0.6.0: percentiles(x, fractions[]), several exact percentiles from one collection of the values (src/percentile.c) */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.6.0'" to load this file. \quit

CREATE FUNCTION kpi_percentiles_float8_accum(internal, double precision, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_interval_accum(internal, interval, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_float8_inv(internal, double precision, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'kpi_percentile_float8_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_interval_inv(internal, interval, double precision[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'kpi_percentile_interval_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_float8_final(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi_percentiles_interval_final(internal) RETURNS interval[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kpi_percentiles_float8_accum(internal, double precision, double precision[]) IS 'percentiles(double precision, fractions) transition: keeps a finite number, checks the fractions';
COMMENT ON FUNCTION kpi_percentiles_interval_accum(internal, interval, double precision[]) IS 'percentiles(interval, fractions) transition: keeps a duration >= 0, checks the fractions';
COMMENT ON FUNCTION kpi_percentiles_float8_inv(internal, double precision, double precision[]) IS 'moving-aggregate inverse: removes a number';
COMMENT ON FUNCTION kpi_percentiles_interval_inv(internal, interval, double precision[]) IS 'moving-aggregate inverse: removes a duration';
COMMENT ON FUNCTION kpi_percentiles_float8_final(internal) IS 'exact percentiles of numbers at several fractions, as percentile_cont(fractions) computes them';
COMMENT ON FUNCTION kpi_percentiles_interval_final(internal) IS 'exact percentiles of durations at several fractions, as percentile_cont(fractions) computes them';

CREATE AGGREGATE percentiles(double precision, double precision[]) (
	SFUNC = kpi_percentiles_float8_accum, STYPE = internal,
	FINALFUNC = kpi_percentiles_float8_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentiles_float8_accum, MINVFUNC = kpi_percentiles_float8_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentiles_float8_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentiles(double precision, double precision[]) IS 'exact percentiles (value, fractions 0..1, the same array on every row) of finite numbers from one collection, equal to percentile_cont(fractions) WITHIN GROUP (ORDER BY value)';

CREATE AGGREGATE percentiles(interval, double precision[]) (
	SFUNC = kpi_percentiles_interval_accum, STYPE = internal,
	FINALFUNC = kpi_percentiles_interval_final,
	COMBINEFUNC = kpi_percentile_combine,
	SERIALFUNC = kpi_percentile_serialize, DESERIALFUNC = kpi_percentile_deserialize,
	MSFUNC = kpi_percentiles_interval_accum, MINVFUNC = kpi_percentiles_interval_inv, MSTYPE = internal,
	MFINALFUNC = kpi_percentiles_interval_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE percentiles(interval, double precision[]) IS 'exact percentiles (duration, fractions 0..1, the same array on every row) of durations >= 0 from one collection, equal to percentile_cont(fractions) WITHIN GROUP (ORDER BY duration)';
