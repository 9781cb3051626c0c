/* kpi_ext 0.5.0: time series and window helpers (SPEC section 7) */

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
