-- Ticket histories: timeline, timeline_agg, rollup, +, and the accessors, against
-- hand-computed values and the plain-SQL reference of tests/property/timeline_ref.psql
CREATE SCHEMA timeline_test;
SET search_path = timeline_test, public;

-- a ticket: new, open, pending (waiting on the customer), open again, solved
CREATE TABLE history (ticket int, at timestamptz, status text, audit_id bigint);
INSERT INTO history VALUES
	(1, '2026-03-02 09:00', 'new', 101),
	(1, '2026-03-02 09:30', 'open', 102),
	(1, '2026-03-02 10:00', 'pending', 103),
	(1, '2026-03-02 12:00', 'open', 104),
	(1, '2026-03-02 13:00', 'solved', 105);
SELECT timeline_agg(at, status) FROM history;
SELECT tl IS NOT NULL AS agg,
	   duration_in(tl, '{new,open,hold}') AS requester_wait,
	   duration_in(tl, '{new,open}') AS agent_work,
	   duration_in(tl, '{pending}') AS agent_wait,
	   duration_in(tl, '{solved}') AS solved_open_end,
	   duration_in(tl, '{solved}', timestamptz '2026-03-03 00:00') AS solved_until_midnight,
	   duration_in(tl, '{open}', timestamptz '2026-03-02 09:45', timestamptz '2026-03-02 12:30') AS open_clipped,
	   state_at(tl, '2026-03-02 08:59') AS before_first,
	   state_at(tl, '2026-03-02 10:00') AS at_change,
	   state_at(tl, '2099-01-01') AS long_after,
	   first_entered(tl, 'open') AS first_open,
	   last_entered(tl, 'open') AS last_open,
	   first_entered(tl, 'hold') AS never_hold,
	   entries(tl, 'open') AS open_entries,
	   transitions(tl, 'pending', 'open') AS pending_to_open,
	   segment_durations(tl, 'open') AS open_stays,
	   segment_durations(tl, 'solved') AS solved_stays
FROM (SELECT timeline_agg(at, status) AS tl FROM history) AS t \gx
SELECT * FROM state_timeline((SELECT timeline_agg(at, status) FROM history));

-- SLA clocks that pause while the ticket waits on the customer
SELECT sla_elapsed(tl, '2026-03-02 09:00', '2026-03-02 14:00', '{pending}') AS elapsed_pausing,
	   sla_elapsed(tl, '2026-03-02 09:00', '2026-03-02 14:00', '{}') AS elapsed_running,
	   sla_elapsed(tl, '2026-03-02 08:00', '2026-03-02 09:00', '{new}') AS before_first_runs,
	   sla_elapsed(tl, '2026-03-02 10:30', '2026-03-02 11:00', '{pending}') AS paused_throughout,
	   sla_due(tl, '2026-03-02 09:00', '1 hour', '{pending}') AS due_before_pause,
	   sla_due(tl, '2026-03-02 09:00', '2 hours', '{pending}') AS due_at_boundary,
	   sla_due(tl, '2026-03-02 09:00', '150 minutes', '{pending}') AS due_after_pause,
	   sla_due(tl, '2026-03-02 09:00', '3 hours', '{pending,solved}') AS stopped_for_good,
	   sla_due(tl, '2026-03-02 09:00', '2 hours', '{pending,solved}') AS reached_as_it_stops,
	   sla_due(tl, '2026-03-02 10:30', '0', '{pending}') AS zero_target_paused,
	   sla_due(tl, '2026-03-02 07:00', '1 hour', '{new,open}') AS before_first_event
FROM (SELECT timeline_agg(at, status) AS tl FROM history) AS t \gx

-- business hours: 09:00-17:00 Berlin, a holiday; a ticket wholly outside hours counts 0, not NULL
SELECT duration_in(tl, '{new,open}', cal) AS agent_work_bh,
	   duration_in(tl, '{new,open}', timestamptz '2026-03-02 23:00', cal) AS until_bh,
	   sla_elapsed(tl, '2026-03-02 09:00', '2026-03-03 09:00', '{pending}', cal) AS elapsed_bh,
	   sla_due(tl, '2026-03-02 09:00', '3 hours', '{pending}', cal) AS due_bh,
	   segment_durations(tl, 'open', cal) AS open_stays_bh
FROM (SELECT timeline_agg(at, status) AS tl FROM history) AS t,
	 (VALUES ('mon-fri 09:00-17:00; tz=Europe/Berlin; holidays=2026-03-03'::business_calendar)) AS c(cal) \gx
SELECT duration_in(tl, '{new,open}', cal) AS weekend_ticket_bh,
	   duration_in(tl, '{new,open}') AS weekend_ticket_wall,
	   sla_due(tl, '2026-03-07 10:00', '30 minutes', '{}', cal) AS due_monday
FROM (VALUES ('v1:2026-03-07 10:00:00+00 "new", 2026-03-07 10:20:00+00 "open", 2026-03-07 11:00:00+00 "solved"'::timeline)) AS t(tl),
	 (VALUES ('mon-fri 09:00-17:00; tz=Europe/Berlin'::business_calendar)) AS c(cal);
-- across the spring DST change in Berlin (2026-03-29): a 24/7 calendar equals elapsed time
SELECT duration_in(tl, '{open}') AS wall,
	   duration_in(tl, '{open}', 'mon-sun 00:00-24:00; tz=Europe/Berlin'::business_calendar) AS always,
	   duration_in(tl, '{open}', 'sun 00:00-06:00; tz=Europe/Berlin'::business_calendar) AS sunday_night
FROM (VALUES ('v1:2026-03-28 12:00:00+00 "open", 2026-03-30 12:00:00+00 "solved"'::timeline)) AS t(tl);

-- input order does not matter; duplicates are one event; equal consecutive states are one segment
SELECT timeline_agg(at, status ORDER BY at DESC)::text = timeline_agg(at, status ORDER BY at)::text AS order_free
FROM history;
SELECT timeline_agg(at, s) AS tl, entries(timeline_agg(at, s), 'open') AS open_entries
FROM (VALUES (timestamptz '2026-03-02 09:00', 'open'), ('2026-03-02 09:00', 'open'),
			 ('2026-03-02 10:00', 'open'), ('2026-03-02 11:00', 'solved')) AS v(at, s);
-- events at one instant: by seq when given (events without seq first), else by label in byte order
SELECT timeline_agg(at, s) AS by_label, timeline_agg(at, s, q) AS by_seq
FROM (VALUES (timestamptz '2026-03-02 09:00', 'open', 2), ('2026-03-02 09:00', 'Open', 1),
			 ('2026-03-02 09:00', 'new', 3)) AS v(at, s, q) \gx
SELECT timeline_agg(at, s, q) AS mixed, state_at(timeline_agg(at, s, q), '2026-03-02 09:00') AS state_after_all
FROM (VALUES (timestamptz '2026-03-02 09:00', 'solved', 5::bigint), ('2026-03-02 09:00', 'open', NULL),
			 ('2026-03-02 09:00', 'new', -3)) AS v(at, s, q);
-- the same label and instant with different seqs are two events (a zero-length segment between)
SELECT * FROM state_timeline((SELECT timeline_agg(at, s, q) FROM (VALUES
	(timestamptz '2026-03-02 09:00', 'open', 1), ('2026-03-02 09:00', 'pending', 2),
	('2026-03-02 09:00', 'open', 3), ('2026-03-02 09:05', 'solved', 4)) AS v(at, s, q)));
-- one event: every duration is 0, the state holds from then on
SELECT duration_in(tl, '{open}') AS d, duration_in(tl, '{open}', timestamptz '2026-03-02 10:00') AS until,
	   segment_durations(tl, 'open') AS stays, state_at(tl, '2026-03-02 09:00') AS st
FROM (VALUES ('v1:2026-03-02 09:00:00+00 "open"'::timeline)) AS t(tl);

-- text form: canonical, instants in UTC whatever the session, quotes escaped, BC, microseconds
SET timezone = 'America/New_York';
SELECT 'v1: 2026-03-02 10:00:00+00 "b\"c\\d" , 2026-03-02 09:00:00.5+00 #-7 "new",0044-03-15 12:00:00+00 BC "ides"'::timeline;
SET timezone = 'UTC';
SELECT lit::timeline::text::timeline::text = lit::timeline::text AS round_trip
FROM (VALUES ('v1:'), ('v1:2026-03-02 09:00:00+00 "ü"'), ('v1:294276-12-31 23:59:59.999999+00 "last"'),
			 ('v1:4714-11-24 00:00:00+00 BC #-9223372036854775808 "first"')) AS v(lit);
-- malformed literals: 22P02 with a detail saying what was expected
CREATE FUNCTION try_timeline(lit text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	detail text;
	hint text;
BEGIN
	PERFORM lit::timeline;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN state || ': ' || coalesce(detail, SQLERRM) || coalesce(' / ' || hint, '');
END $$;
SELECT lit, try_timeline(lit) AS result
FROM (VALUES
	(''), ('v2:'), ('v1'), ('v1:2026-03-02 09:00:00+00'), ('v1:2026-03-02 09:00:00 "new"'),
	('v1:2026-03-02 09:00:00+01 "new"'), ('v1:2026-02-30 09:00:00+00 "new"'), ('v1:2026-03-02 24:00:00+00 "new"'),
	('v1:2026-03-02T09:00:00+00 "new"'), ('v1:2026-03-02 09:00:00.1234567+00 "new"'), ('v1:2026-03-02 09:00:00+00 ""'),
	('v1:2026-03-02 09:00:00+00 "new'), ('v1:2026-03-02 09:00:00+00 # "new"'), ('v1:2026-03-02 09:00:00+00 #99999999999999999999 "new"'),
	('v1:2026-03-02 09:00:00+00 "new" 2026-03-02 10:00:00+00 "open"'), ('v1:2026-03-02 09:00:00+00 "new",'),
	('v1:infinity "new"'), ('v1:294277-01-01 00:00:00+00 "new"'), ('v1:2026-03-02 09:00:00+00 "new" trailing')) AS v(lit);

-- NULL and empty: NULL rows are skipped; no event gives NULL; an empty literal is empty
SELECT timeline_agg(at, s) IS NULL AS no_rows FROM history AS h(t, at, s) WHERE false;
SELECT timeline_agg(at, s) AS nulls_skipped
FROM (VALUES (NULL::timestamptz, 'open'), ('2026-03-02 09:00', NULL), ('2026-03-02 10:00', 'open')) AS v(at, s);
SELECT timeline_agg(at, s) IS NULL AS all_null FROM (VALUES (NULL::timestamptz, NULL::text)) AS v(at, s);
SELECT rollup(tl) IS NULL AS rollup_nulls FROM (VALUES (NULL::timeline), (NULL)) AS v(tl);
SELECT rollup(tl) IS NULL AS rollup_empty, 'v1:'::timeline + 'v1:'::timeline AS plus_empty
FROM (VALUES ('v1:'::timeline)) AS v(tl);
SELECT duration_in(e, '{open}') AS d, duration_in(e, '{open}', timestamptz '2026-03-02 09:00') AS until,
	   state_at(e, '2026-03-02 09:00') AS st, entries(e, 'open') AS n, segment_durations(e, 'open') AS stays,
	   sla_elapsed(e, '2026-03-02 09:00', '2026-03-02 10:00', '{pending}') AS elapsed,
	   sla_due(e, '2026-03-02 09:00', '1 hour', '{pending}') AS due
FROM (VALUES ('v1:'::timeline)) AS v(e);
SELECT count(*) AS segments_of_empty FROM state_timeline('v1:');
-- labels that never occur match nothing: a ticket that was never pending
SELECT duration_in(tl, '{pending,unknown}') AS d, sla_elapsed(tl, '2026-03-02 09:00', '2026-03-02 10:00', '{pending}') AS e,
	   transitions(tl, 'open', 'nowhere') AS t
FROM (VALUES ('v1:2026-03-02 09:00:00+00 "open"'::timeline)) AS v(tl);

-- bad arguments: SQLSTATE, message, detail and hint
CREATE FUNCTION try(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	msg text;
	detail text;
	hint text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
		hint = PG_EXCEPTION_HINT;
	RETURN concat_ws(E'\n', state || ': ' || msg, 'DETAIL: ' || nullif(detail, ''), 'HINT: ' || nullif(hint, ''));
END $$;
\pset format unaligned
\pset tuples_only on
SELECT try(q) FROM (VALUES
	($$SELECT duration_in('v1:2026-03-02 09:00:00+00 "open"', '{open}', timestamptz '2026-03-02 10:00', timestamptz '2026-03-02 09:00')$$),
	($$SELECT sla_elapsed('v1:2026-03-02 09:00:00+00 "open"', '2026-03-02 10:00', '2026-03-02 09:00', '{}')$$),
	($$SELECT duration_in('v1:2026-03-02 09:00:00+00 "open"', ARRAY['open', NULL])$$),
	($$SELECT sla_due('v1:2026-03-02 09:00:00+00 "open"', '2026-03-02 09:00', '1 hour', ARRAY[''])$$),
	($$SELECT sla_elapsed('v1:2026-03-02 09:00:00+00 "open"', '2026-03-02 09:00', '2026-03-02 10:00', ARRAY[repeat('p', 300)])$$),
	($$SELECT sla_due('v1:2026-03-02 09:00:00+00 "open"', '2026-03-02 09:00', '-1 hour', '{}')$$),
	($$SELECT duration_in('v1:2026-03-02 09:00:00+00 "open"', '{{open},{new}}')$$),
	($$SELECT duration_in('v1:2026-03-02 09:00:00+00 "open"', '{open}', timestamptz 'infinity')$$),
	($$SELECT entries('v1:2026-03-02 09:00:00+00 "open"', '')$$),
	($$SELECT timeline_agg(at, s) FROM (VALUES (timestamptz 'infinity', 'open')) AS v(at, s)$$),
	($$SELECT timeline_agg(at, s) FROM (VALUES (timestamptz '2026-03-02 09:00', '')) AS v(at, s)$$),
	($$SELECT timeline_agg(at, repeat('x', 256)) FROM (VALUES (timestamptz '2026-03-02 09:00')) AS v(at)$$),
	($$SELECT timeline_agg(timestamptz '2026-03-02 09:00', 'state ' || g) FROM generate_series(1, 65536) AS g$$),
	($$SELECT sla_due('v1:2026-03-02 09:00:00+00 "open"', '2026-03-02 09:00', '1 hour', '{}', 'tz=UTC'::business_calendar)$$),
	($$SELECT duration_in('v1:2026-03-02 09:00:00+00 "open"', '{open}', '2026-03-03')$$)) AS v(q);
\pset format aligned
\pset tuples_only off
-- the limits themselves are fine
SELECT length(timeline_agg(timestamptz '2026-03-02 09:00', 'state ' || g)::text) FROM generate_series(1, 65535) AS g;
SELECT entries(timeline_agg(at, repeat('é', 127)), repeat('é', 127)) FROM (VALUES (timestamptz '2026-03-02 09:00')) AS v(at);

-- GROUP BY and the reference: deterministic random histories (out of order, duplicates,
-- instants shared, equal consecutive states, seq on some tickets)
SELECT setseed(0.42);
CREATE TABLE tl_events (entity int, at timestamptz, state text, seq bigint);
CREATE TABLE tl_cals (cid int, tz text, holidays date[], cal business_calendar);
CREATE TABLE tl_ranges (cid int, dow int, lo interval, hi interval);
INSERT INTO tl_cals VALUES (1, 'America/New_York', '{2026-03-10}',
	'mon-fri 08:00-18:00; sat 10:00-14:00; tz=America/New_York; holidays=2026-03-10');
INSERT INTO tl_ranges SELECT 1, d, interval '8 hours', interval '18 hours' FROM generate_series(1, 5) AS d
	UNION ALL SELECT 1, 6, interval '10 hours', interval '14 hours';
INSERT INTO tl_events
SELECT entity, at, (ARRAY['new', 'open', 'pending', 'hold', 'solved'])[1 + floor(random() * 5)::int],
	CASE WHEN entity % 3 = 0 THEN floor(random() * 4)::bigint END
FROM generate_series(1, 200) AS entity,
	LATERAL (SELECT timestamptz '2026-03-06 12:00' + floor(random() * 20) * interval '30 minutes'
				 + floor(random() * 10) * interval '1 day' AS at
			 FROM generate_series(1, 1 + entity % 9) WHERE entity > 0) AS e;
INSERT INTO tl_events SELECT * FROM tl_events WHERE entity % 7 = 0;	-- duplicate rows
\ir tests/property/timeline_ref.psql
REFRESH MATERIALIZED VIEW ref_events;
REFRESH MATERIALIZED VIEW ref_segments;
CREATE TABLE timelines AS
SELECT entity, timeline_agg(at, state, seq ORDER BY random()) AS tl, min(at) AS first_at, max(at) AS last_at
FROM tl_events GROUP BY entity;
SELECT count(*) AS histories,
	   count(*) FILTER (WHERE duration_in(tl, '{new,open,hold}') = ref_in_all(entity, '{new,open,hold}', NULL)) AS requester_wait,
	   count(*) FILTER (WHERE duration_in(tl, '{new,open}', k.cal) = ref_in_all(entity, '{new,open}', 1)) AS agent_work_bh,
	   count(*) FILTER (WHERE duration_in(tl, '{pending}', timestamptz '2026-03-12') = ref_in_until(entity, '{pending}', '2026-03-12', NULL)) AS until_report,
	   count(*) FILTER (WHERE duration_in(tl, '{open}', '2026-03-08 06:00', '2026-03-11 15:00', k.cal)
		   = ref_in(entity, '{open}', '2026-03-08 06:00', '2026-03-11 15:00', 1)) AS clipped_bh,
	   count(*) FILTER (WHERE sla_elapsed(tl, first_at, last_at + interval '1 day', '{pending,solved}', k.cal)
		   = ref_elapsed(entity, first_at, last_at + interval '1 day', '{pending,solved}', 1)) AS sla_bh,
	   count(*) FILTER (WHERE sla_due(tl, first_at, '5 hours', '{pending}') IS NOT DISTINCT FROM ref_due(entity, first_at, '5 hours', '{pending}')) AS due,
	   count(*) FILTER (WHERE sla_due(tl, first_at, '5 hours', '{pending}') IS NULL) AS due_null,
	   count(*) FILTER (WHERE state_at(tl, '2026-03-09 12:00') IS NOT DISTINCT FROM ref_state_at(entity, '2026-03-09 12:00')) AS state_at,
	   count(*) FILTER (WHERE transitions(tl, 'solved', 'open') = ref_transitions(entity, 'solved', 'open')) AS reopens,
	   count(*) FILTER (WHERE segment_durations(tl, 'open') = ref_segment_durations(entity, 'open', NULL)) AS stays
FROM timelines CROSS JOIN tl_cals AS k;

-- rollup of daily partial histories, and of any split, equals the one-step value; + likewise
CREATE TABLE daily AS
SELECT entity, (at AT TIME ZONE 'UTC')::date AS day, timeline_agg(at, state, seq) AS tl FROM tl_events GROUP BY 1, 2;
SELECT count(*) AS entities,
	   count(*) FILTER (WHERE r.tl::text = t.tl::text) AS rollup_equal
FROM (SELECT entity, rollup(tl ORDER BY random()) AS tl FROM daily GROUP BY entity) AS r JOIN timelines AS t USING (entity);
SELECT rollup(tl)::text = (SELECT timeline_agg(at, entity || ':' || state, seq)::text FROM tl_events) AS all_in_one
FROM (SELECT timeline_agg(at, entity || ':' || state, seq) AS tl FROM tl_events GROUP BY entity % 5) AS p;
SELECT count(*) FILTER (WHERE (a.tl + b.tl)::text = (b.tl + a.tl)::text) AS commutative,
	   count(*) FILTER (WHERE ((a.tl + b.tl) + c.tl)::text = (a.tl + (b.tl + c.tl))::text) AS associative,
	   count(*) FILTER (WHERE (a.tl + a.tl)::text = a.tl::text) AS idempotent,
	   count(*) AS triples
FROM daily AS a JOIN daily AS b USING (entity) JOIN daily AS c USING (entity)
WHERE a.day < b.day AND b.day < c.day;
-- a summary table kept current day by day with an upsert
CREATE TABLE live (entity int PRIMARY KEY, tl timeline NOT NULL);
DO $$
DECLARE
	d date;
BEGIN
	FOR d IN SELECT DISTINCT day FROM daily ORDER BY day DESC LOOP
		INSERT INTO live SELECT entity, tl FROM daily WHERE day = d
		ON CONFLICT (entity) DO UPDATE SET tl = live.tl + excluded.tl;
	END LOOP;
END $$;
SELECT count(*) AS upserted, count(*) FILTER (WHERE l.tl::text = t.tl::text) AS equal
FROM live AS l JOIN timelines AS t USING (entity);

-- OVER: a running history per ticket, the same as the history up to each event
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.tl = (SELECT timeline_agg(e.at, e.state, e.seq)::text FROM tl_events AS e
									   WHERE e.entity = w.entity AND e.at <= w.at)) AS equal
FROM (SELECT entity, at, timeline_agg(at, state, seq) OVER (PARTITION BY entity ORDER BY at)::text AS tl
	  FROM tl_events WHERE entity <= 40) AS w;
SELECT i, timeline_agg(at, s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS tl
FROM (VALUES (1, NULL::timestamptz, NULL::text), (2, '2026-03-02 09:00', 'open'), (3, NULL, NULL), (4, NULL, NULL)) AS v(i, at, s);

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE big AS SELECT * FROM tl_events, generate_series(1, 20) AS copy;
ANALYZE big;
CREATE TABLE serial AS SELECT entity % 10 AS g, timeline_agg(at, state, seq)::text AS tl FROM big GROUP BY 1;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT entity % 10, timeline_agg(at, state, seq) FROM big GROUP BY 1;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.tl = s.tl) AS equal
FROM (SELECT entity % 10 AS g, timeline_agg(at, state, seq)::text AS tl FROM big GROUP BY 1) AS p JOIN serial AS s USING (g);
EXPLAIN (COSTS OFF) SELECT rollup(tl) FROM daily;
SELECT rollup(tl)::text = (SELECT rollup(tl ORDER BY day)::text FROM daily) AS parallel_rollup_equal FROM daily;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- the stored size: about 8 bytes per event for hour-scale gaps, each label once
SELECT round(sum(pg_column_size(tl))::numeric / sum(n), 1) AS bytes_per_event
FROM (SELECT timeline_agg(timestamptz '2026-01-01' + g * interval '1 hour 7 minutes',
						  (ARRAY['new', 'open', 'pending', 'open', 'solved'])[1 + g % 5], g) AS tl, count(*) AS n
	  FROM generate_series(1, 10000) AS g GROUP BY g / 1000) AS s;

SET client_min_messages = warning;
DROP SCHEMA timeline_test CASCADE;
