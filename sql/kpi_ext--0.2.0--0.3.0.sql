/* kpi_ext 0.2.0 -> 0.3.0: business hours (src/calendar.c) */

\echo Use "ALTER EXTENSION kpi_ext UPDATE TO '0.3.0'" to load this file. \quit

/*
 * ===========================================================================
 * Business hours: business_calendar, business_duration, business_add,
 * is_business_time (src/calendar.c)
 *
 * The functions depend on the calendar's own time zone, never on the
 * session's, so they are IMMUTABLE like timezone(text, timestamptz).
 * ===========================================================================
 */

CREATE TYPE business_calendar;

CREATE FUNCTION kpi_calendar_in(cstring) RETURNS business_calendar
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_out(business_calendar) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_recv(internal) RETURNS business_calendar
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_send(business_calendar) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_calendar_in(cstring) IS 'business_calendar input: parses weekday ranges, tz= and holidays=';
COMMENT ON FUNCTION kpi_calendar_out(business_calendar) IS 'business_calendar output: the canonical text form';
COMMENT ON FUNCTION kpi_calendar_recv(internal) IS 'business_calendar binary input, every byte validated';
COMMENT ON FUNCTION kpi_calendar_send(business_calendar) IS 'business_calendar binary output';

CREATE TYPE business_calendar (
	INPUT = kpi_calendar_in,
	OUTPUT = kpi_calendar_out,
	RECEIVE = kpi_calendar_recv,
	SEND = kpi_calendar_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE business_calendar IS 'weekly working hours in a time zone with holidays, e.g. ''mon-fri 09:00-17:00; tz=Europe/Berlin; holidays=2026-12-25''';

CREATE FUNCTION kpi_calendar_eq(business_calendar, business_calendar) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi_calendar_ne(business_calendar, business_calendar) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kpi_calendar_eq(business_calendar, business_calendar) IS 'business_calendar equality: identical canonical forms';
COMMENT ON FUNCTION kpi_calendar_ne(business_calendar, business_calendar) IS 'business_calendar inequality: different canonical forms';

CREATE OPERATOR = (
	LEFTARG = business_calendar, RIGHTARG = business_calendar,
	FUNCTION = kpi_calendar_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel
);
CREATE OPERATOR <> (
	LEFTARG = business_calendar, RIGHTARG = business_calendar,
	FUNCTION = kpi_calendar_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR = (business_calendar, business_calendar) IS 'equal: the calendars have the same canonical form';
COMMENT ON OPERATOR <> (business_calendar, business_calendar) IS 'not equal: the calendars have different canonical forms';

CREATE FUNCTION business_duration(start timestamptz, finish timestamptz, calendar business_calendar)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_calendar_duration' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION business_duration(timestamptz, timestamptz, business_calendar) IS 'working time between two instants in the calendar, as an interval of hours; start > finish is an error';

CREATE FUNCTION business_add(start timestamptz, duration interval, calendar business_calendar)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_calendar_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION business_add(timestamptz, interval, business_calendar) IS 'earliest instant at which duration of working time has elapsed since start (SLA due time)';

CREATE FUNCTION is_business_time(ts timestamptz, calendar business_calendar)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'kpi_calendar_is_business_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_business_time(timestamptz, business_calendar) IS 'whether the instant is working time: its local time is in a range (start inclusive, end exclusive) on a non-holiday';
