-- Property tests of the timeline family's fast paths on seeded random histories: the
-- values an accessor gives through them equal those of the general path, and a
-- plain-SQL formula over state_timeline() and business_duration():
--   - accessors over timeline_agg(...) in the same query (the final function leaves the
--     decoded value in the view cache), rows in order (one-pass encoding) or not;
--   - the same timelines stored in a table and read row after row (decoded, labels
--     matched through the masks a call site keeps for the last label sets);
--   - constant calendars and states (read once per call site) next to calendars and
--     states that change from row to row, call sites alternating between calendars
--     (the business clocks kept with a view belong to one calendar at a time);
--   - instants outside 1900-2200 (no closed-form business clock: the engine's walk),
--     labels longer than 7 bytes that share their first 7 (the integer label keys),
--     non-ASCII labels, more than 16 labels, a timeline too large for the view cache;
--   - a forced-parallel plan (partial states combined without a second validation).
-- psql variables: datasets, seed.
\ir common.psql
SET timezone = 'UTC';

CREATE TABLE p_events (entity int, at timestamptz, state text, seq bigint);
CREATE TABLE p_cals (cid int, cal business_calendar);
INSERT INTO p_cals VALUES
	(0, 'mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-04-03,2026-04-06,1850-06-03,2250-06-04'),
	(1, 'mon-sun 00:00-24:00; tz=America/New_York'),
	(2, 'tue,thu 17:00-23:30; sun 00:30-05:30; tz=Asia/Kolkata');
-- per entity: a calendar, states and paused states (rows of a table: not constants)
CREATE TABLE p_ent (entity int, cid int, states text[], paused text[], start_at timestamptz, until_at timestamptz);

CREATE FUNCTION pg_temp.pick(a anyarray) RETURNS anyelement LANGUAGE sql VOLATILE AS
	'SELECT a[1 + floor(random() * array_length(a, 1))::int]';

-- plain SQL: time in states from the first to the last event (the last segment runs to
-- the last event, last_at), and an SLA clock over [start, until)
CREATE FUNCTION pg_temp.sql_in(tl timeline, states text[], cal business_calendar, last_at timestamptz)
RETURNS interval LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(business_duration(s.start_time, coalesce(s.end_time, last_at), cal)), interval '0')
	FROM state_timeline(tl) AS s WHERE s.state = ANY (states)
$$;
CREATE FUNCTION pg_temp.sql_elapsed(tl timeline, start_at timestamptz, until_at timestamptz, paused text[],
									cal business_calendar) RETURNS interval
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT sum(business_duration(greatest(s.start_time, start_at),
												   least(coalesce(s.end_time, until_at), until_at), cal))
					 FROM state_timeline(tl) AS s
					 WHERE NOT (s.state = ANY (paused))
					   AND greatest(s.start_time, start_at) < least(coalesce(s.end_time, until_at), until_at)),
					interval '0')
		+ coalesce((SELECT business_duration(start_at, least(min(s.start_time), until_at), cal)
					FROM state_timeline(tl) AS s
					HAVING start_at < least(min(s.start_time), until_at)), interval '0')
$$;

-- every accessor of a timeline, with the arguments of its entity
CREATE FUNCTION pg_temp.all_kpis(tl timeline, e p_ent, cal business_calendar) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY[duration_in(tl, e.states)::text, duration_in(tl, e.states, cal)::text,
		duration_in(tl, '{new,s3,awaiting_agenT}', e.until_at, cal)::text,
		duration_in(tl, e.paused, e.start_at, e.until_at, cal)::text,
		sla_elapsed(tl, e.start_at, e.until_at, e.paused, cal)::text,
		sla_due(tl, e.start_at, interval '7 hours', e.paused, cal)::text,
		sla_due(tl, e.start_at, interval '7 hours', '{pending}')::text,
		segment_durations(tl, 'awaiting_agent', cal)::text, segment_durations(tl, 'open')::text,
		entries(tl, 'awaiting_agenT')::text, transitions(tl, 'open', 'awaiting_agent')::text,
		first_entered(tl, 'résolu')::text, last_entered(tl, 'open')::text, state_at(tl, e.until_at)]
$$;

DO $prop$
DECLARE
	datasets int := greatest(current_setting('kpi_prop.datasets')::int / 6, 2);
	-- labels: short ones, long ones sharing their first 7 bytes (and their length), non-ASCII
	pool constant text[] := ARRAY['new', 'open', 'pending', 'hold', 'solved', 'closed',
		'awaiting_agent', 'awaiting_agenT', 'awaiting_customer', 'résolu', 'en attente'];
	many constant text[] := ARRAY(SELECT 's' || g FROM generate_series(1, 20) AS g);
	-- labels whose set is too long for a call site's memo of label sets
	longs constant text[] := ARRAY(SELECT 'waiting for the customer, step ' || g FROM generate_series(1, 6) AS g);
	bases constant timestamptz[] := ARRAY['2026-03-26 08:00Z', '2026-10-22 16:00Z', '1850-06-01 09:00Z',
		'2249-12-30 12:00Z', '2026-04-02 10:00Z']::timestamptz[];
	nent int;
	n int;
	t timestamptz;
	labels text[];
	sq bigint;
	bad record;
	checked bigint := 0;
	par constant text := $q$SELECT x.entity, timeline_agg(x.at, x.state, x.seq) AS tl,
			duration_in(timeline_agg(x.at, x.state, x.seq), '{open,awaiting_agent,résolu}',
				'mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-04-03,2026-04-06,1850-06-03,2250-06-04'::business_calendar) AS c_in
		FROM p_events AS x GROUP BY x.entity$q$;
BEGIN
	FOR ds IN 1..datasets LOOP
		TRUNCATE p_events, p_ent;
		nent := 40 + floor(random() * 40)::int;
		FOR ent IN 1..nent LOOP
			-- a few label sets shared by many entities, some entities with 20 labels
			labels := CASE WHEN random() < 0.1 THEN many
						   WHEN random() < 0.1 THEN longs || pool[1:2]
						   WHEN random() < 0.5 THEN pool[1:4 + floor(random() * 3)::int]
						   ELSE ARRAY(SELECT pg_temp.pick(pool) FROM generate_series(1, 2 + floor(random() * 6)::int)) END;
			n := CASE WHEN labels = many THEN 40 + floor(random() * 20)::int
					  WHEN random() < 0.1 THEN 1 ELSE 2 + floor(random() * 14)::int END;
			t := pg_temp.pick(bases) + random() * interval '3 days';
			sq := floor(random() * 100)::bigint;
			FOR i IN 1..n LOOP
				INSERT INTO p_events VALUES (ent, t, pg_temp.pick(labels), CASE WHEN random() < 0.8 THEN sq END);
				t := t + CASE WHEN random() < 0.1 THEN interval '0' ELSE random() * interval '30 hours' END;
				sq := sq + 1 + floor(random() * 2)::bigint;
			END LOOP;
			INSERT INTO p_ent
			SELECT ent, floor(random() * 3)::int,
				ARRAY(SELECT pg_temp.pick(pool || many) FROM generate_series(1, 1 + floor(random() * 4)::int)),
				ARRAY(SELECT pg_temp.pick(pool) FROM generate_series(1, floor(random() * 3)::int)),
				min(at) - random() * interval '5 hours', max(at) + (random() - 0.3) * interval '2 days'
			FROM p_events WHERE entity = ent;
		END LOOP;
		IF ds = 1 THEN
			-- a timeline larger than the view cache (256 kB stored)
			INSERT INTO p_events
			SELECT 0, timestamptz '2026-03-20 00:00Z' + g * interval '17 minutes 3.5 seconds',
				(ARRAY['new', 'open', 'pending', 'awaiting_agent'])[1 + g % 4], g
			FROM generate_series(1, 40000) AS g;
			INSERT INTO p_ent VALUES (0, 0, '{open,awaiting_agent}', '{pending}', '2026-03-19 00:00Z', '2026-04-30 00:00Z');
		END IF;
		UPDATE p_ent SET until_at = start_at WHERE until_at < start_at;
		ANALYZE p_events, p_ent;

		-- the accessors in the query that aggregates (rows in order, and not), and over stored values
		CREATE TEMP TABLE p_one AS
		SELECT e.entity, timeline_agg(x.at, x.state, x.seq ORDER BY x.at, x.seq) AS tl,
			duration_in(timeline_agg(x.at, x.state, x.seq ORDER BY x.at, x.seq), '{open,awaiting_agent,résolu}',
				'mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-04-03,2026-04-06,1850-06-03,2250-06-04'::business_calendar) AS c_in,
			duration_in(timeline_agg(x.at, x.state, x.seq ORDER BY x.at, x.seq), e.states,
				(SELECT cal FROM p_cals WHERE cid = e.cid)) AS v_in,
			sla_elapsed(timeline_agg(x.at, x.state, x.seq ORDER BY x.at, x.seq), e.start_at, e.until_at, '{pending,hold}',
				'mon-sun 00:00-24:00; tz=America/New_York'::business_calendar) AS c_sla,
			sla_elapsed(timeline_agg(x.at, x.state, x.seq ORDER BY x.at, x.seq), e.start_at, e.until_at, e.paused,
				(SELECT cal FROM p_cals WHERE cid = e.cid)) AS v_sla,
			duration_in(timeline_agg(x.at, x.state, x.seq ORDER BY random()), e.states,
				(SELECT cal FROM p_cals WHERE cid = e.cid)) AS r_in,
			sla_elapsed(timeline_agg(x.at, x.state, x.seq ORDER BY random()), e.start_at, e.until_at, e.paused,
				(SELECT cal FROM p_cals WHERE cid = e.cid)) AS r_sla
		FROM p_ent AS e JOIN p_events AS x USING (entity)
		GROUP BY e.entity, e.cid, e.states, e.paused, e.start_at, e.until_at;
		FOR bad IN
			SELECT o.entity, o.tl::text AS tl, v.what, v.a, v.b, v.c
			FROM p_one AS o JOIN p_ent AS e USING (entity) JOIN p_cals AS k USING (cid)
			CROSS JOIN LATERAL (SELECT max(x.at) AS last_at FROM p_events AS x WHERE x.entity = o.entity) AS l
			CROSS JOIN LATERAL (VALUES
				('duration_in, constant calendar and states', o.c_in,
					duration_in(o.tl, '{open,awaiting_agent,résolu}', (SELECT cal FROM p_cals WHERE cid = 0)),
					pg_temp.sql_in(o.tl, '{open,awaiting_agent,résolu}', (SELECT cal FROM p_cals WHERE cid = 0), l.last_at)),
				('duration_in, calendar and states of the row', o.v_in, duration_in(o.tl, e.states, k.cal),
					pg_temp.sql_in(o.tl, e.states, k.cal, l.last_at)),
				('duration_in, rows out of order', o.r_in, o.v_in, o.v_in),
				('sla_elapsed, constant calendar and states', o.c_sla,
					sla_elapsed(o.tl, e.start_at, e.until_at, '{pending,hold}', (SELECT cal FROM p_cals WHERE cid = 1)),
					pg_temp.sql_elapsed(o.tl, e.start_at, e.until_at, '{pending,hold}', (SELECT cal FROM p_cals WHERE cid = 1))),
				('sla_elapsed, calendar and states of the row', o.v_sla, sla_elapsed(o.tl, e.start_at, e.until_at, e.paused, k.cal),
					pg_temp.sql_elapsed(o.tl, e.start_at, e.until_at, e.paused, k.cal)),
				('sla_elapsed, rows out of order', o.r_sla, o.v_sla, o.v_sla)) AS v(what, a, b, c)
			WHERE v.a IS DISTINCT FROM v.b OR v.b IS DISTINCT FROM v.c
			LIMIT 1
		LOOP
			RAISE EXCEPTION 'dataset %: % of entity % differ: % in the aggregating query, % over the stored value, % in plain SQL; %',
				ds, bad.what, bad.entity, bad.a, bad.b, bad.c, left(bad.tl, 400);
		END LOOP;

		-- every accessor over the stored values in one query (many call sites, one view at a
		-- time), against the same after a text round trip, one entity at a time
		FOR bad IN
			SELECT o.entity, pg_temp.all_kpis(o.tl, e, k.cal) AS got, w.want
			FROM p_one AS o JOIN p_ent AS e USING (entity) JOIN p_cals AS k USING (cid)
			CROSS JOIN LATERAL (
				SELECT pg_temp.all_kpis(s.tl, e, k.cal) AS want
				FROM (SELECT o.tl::text::timeline AS tl OFFSET 0) AS s) AS w
			WHERE pg_temp.all_kpis(o.tl, e, k.cal) IS DISTINCT FROM w.want
			LIMIT 1
		LOOP
			RAISE EXCEPTION 'dataset %: the accessors of entity % differ between one query and separate ones: % / %',
				ds, bad.entity, bad.got, bad.want;
		END LOOP;

		-- a forced-parallel plan: partial states combined, then the same accessors
		PERFORM pg_temp.force_parallel(par);
		FOR bad IN EXECUTE
			'SELECT p.entity, p.tl::text AS got, o.tl::text AS want FROM (' || par || ') AS p
			 FULL JOIN p_one AS o USING (entity)
			 WHERE p.tl::text IS DISTINCT FROM o.tl::text OR p.c_in IS DISTINCT FROM o.c_in
			 LIMIT 1'
		LOOP
			RAISE EXCEPTION 'dataset %: the forced-parallel timeline of entity % differs: % / %',
				ds, bad.entity, left(bad.got, 300), left(bad.want, 300);
		END LOOP;
		RESET parallel_setup_cost;
		RESET parallel_tuple_cost;
		RESET min_parallel_table_scan_size;
		RESET parallel_leader_participation;
		RESET max_parallel_workers_per_gather;

		checked := checked + (SELECT count(*) FROM p_one);
		DROP TABLE p_one;
	END LOOP;
	RAISE NOTICE 'timeline paths: % histories checked', checked;
END
$prop$;
