/* kpi_ext 0.6.0 -> 0.7.0 */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.7.0'" to load this file. \quit

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

