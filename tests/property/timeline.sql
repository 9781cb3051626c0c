-- Property tests of the timeline family on many seeded random histories: every accessor
-- equals its plain-SQL reference (tests/property/timeline_ref.psql: lead() over the
-- events for calendar time, a day-by-day walk with AT TIME ZONE for business hours),
-- in several zones across their DST changes, with holidays, out-of-order input,
-- duplicates, events at one instant, consecutive equal states, one-event timelines,
-- tickets entirely outside business hours (0, not NULL), open tickets (until), clip
-- windows that cut segments, clocks paused at the start or the end, and SLA targets
-- reached exactly at a boundary.  The rollup of random partitions merged in a random
-- order, a + b folds, and a forced-parallel plan give the one-step value byte for
-- byte.  psql variables: datasets, seed.
\ir common.psql
SET timezone = 'UTC';

CREATE TABLE tl_events (entity int, at timestamptz, state text, seq bigint, part int);
CREATE TABLE tl_cals (cid int, tz text, holidays date[], cal business_calendar);
CREATE TABLE tl_ranges (cid int, dow int, lo interval, hi interval);
\ir timeline_ref.psql

-- calendar templates without a range boundary inside a skipped or repeated hour of these
-- zones (where the engine's "the wall clock shows working time" and AT TIME ZONE differ);
-- the night ranges contain the changes of Berlin and New York (not used in Sao Paulo,
-- whose clocks change at midnight)
CREATE TABLE templates (tname text, hours text, ranges int[][]);
INSERT INTO templates VALUES
	('office', 'mon-fri 08:00-18:00', '{{1,480,1080},{2,480,1080},{3,480,1080},{4,480,1080},{5,480,1080}}'),
	('split', 'mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00',
		'{{1,540,720},{1,780,1050},{2,540,720},{2,780,1050},{3,540,720},{3,780,1050},{4,540,720},{4,780,1050},{5,540,720},{5,780,1050},{6,600,840}}'),
	('night', 'tue,thu 17:00-23:30; sun 00:30-05:30', '{{2,1020,1410},{4,1020,1410},{7,30,330}}'),
	('always', 'mon-sun 00:00-24:00', '{{1,0,1440},{2,0,1440},{3,0,1440},{4,0,1440},{5,0,1440},{6,0,1440},{7,0,1440}}');
-- zones and instants around their DST changes (Sao Paulo: 2018-11-04 at midnight, 2019-02-17)
CREATE TABLE zones (tz text, bases timestamptz[]);
INSERT INTO zones VALUES
	('Europe/Berlin', '{2026-03-27 12:00Z,2026-10-23 18:00Z,2026-12-23 08:00Z,2026-06-05 06:00Z}'),
	('America/Sao_Paulo', '{2018-11-02 15:00Z,2019-02-15 20:00Z,2026-04-01 10:00Z}'),
	('America/New_York', '{2026-03-06 22:00Z,2026-10-30 14:00Z,2026-11-25 12:00Z}'),
	('Asia/Kolkata', '{2026-03-27 03:00Z,2026-08-13 01:00Z}');

CREATE FUNCTION pg_temp.pick(a anyarray) RETURNS anyelement LANGUAGE sql VOLATILE AS
	'SELECT a[1 + floor(random() * array_length(a, 1))::int]';

-- a random subset of the labels (possibly empty, possibly with a label that never occurs)
CREATE FUNCTION pg_temp.some_states() RETURNS text[] LANGUAGE sql VOLATILE AS $$
	SELECT coalesce(array_agg(s), '{}') FROM unnest(ARRAY['new', 'open', 'pending', 'hold', 'solved', 'Open', 'a"b', 'never']) AS s
	WHERE random() < 0.35
$$;

DO $prop$
DECLARE
	datasets int := current_setting('kpi_prop.datasets')::int;
	z record;
	tmpl record;
	nent int;
	n int;
	t timestamptz;
	st text;
	sq bigint;
	with_seq bool;
	weekend bool;
	bad record;
	labels constant text[] := ARRAY['new', 'open', 'pending', 'hold', 'solved', 'Open', 'a"b'];
	checked bigint := 0;
	zero_bh bigint := 0;
	null_due bigint := 0;
	boundary_due bigint := 0;
BEGIN
	FOR ds IN 1 .. datasets LOOP
		TRUNCATE tl_events, tl_cals, tl_ranges;
		SELECT * INTO z FROM zones ORDER BY random() LIMIT 1;
		SELECT * INTO tmpl FROM templates
		WHERE NOT (tname = 'night' AND z.tz = 'America/Sao_Paulo') ORDER BY random() LIMIT 1;
		INSERT INTO tl_cals
		SELECT 1, z.tz, h.holidays,
			(tmpl.hours || '; tz=' || z.tz || coalesce('; holidays=' || array_to_string(h.holidays, ','), ''))::business_calendar
		FROM (SELECT array_agg(DISTINCT d ORDER BY d) AS holidays
			  FROM (SELECT (b AT TIME ZONE z.tz)::date + floor(random() * 8)::int - 2 AS d
					FROM unnest(z.bases) AS b, generate_series(1, 3)
					WHERE tmpl.tname <> 'always' AND random() < 0.5) AS x) AS h;
		INSERT INTO tl_ranges
		SELECT 1, tmpl.ranges[i][1], make_interval(mins => tmpl.ranges[i][2]), make_interval(mins => tmpl.ranges[i][3])
		FROM generate_subscripts(tmpl.ranges, 1) AS i;

		nent := 1 + floor(random() * 30)::int;
		FOR ent IN 1 .. nent LOOP
			n := (ARRAY[1, 1, 2, 3, 5, 8, 12, 20])[1 + floor(random() * 8)::int];
			with_seq := random() < 0.4;
			weekend := random() < 0.15;
			t := pg_temp.pick(z.bases) + random() * interval '3 days';
			IF weekend THEN
				-- a whole life on a Saturday afternoon, local time (outside mon-fri hours)
				t := (date_trunc('week', t AT TIME ZONE z.tz) + interval '5 days 14 hours') AT TIME ZONE z.tz;
			END IF;
			st := pg_temp.pick(labels);
			sq := floor(random() * 1000)::bigint - 500;
			FOR j IN 1 .. n LOOP
				INSERT INTO tl_events VALUES (ent, t, st, CASE WHEN with_seq AND random() < 0.9 THEN sq END,
											  floor(random() * 5)::int);
				IF random() < 0.1 THEN	-- an exact duplicate row
					INSERT INTO tl_events SELECT * FROM tl_events WHERE entity = ent ORDER BY random() LIMIT 1;
				END IF;
				IF random() < 0.03 THEN	-- rows that are skipped
					INSERT INTO tl_events VALUES (ent, NULL, 'open', NULL, 0), (ent, t, NULL, 7, 1);
				END IF;
				-- the next event: same instant, minutes, hours or days later
				t := t + CASE WHEN random() < 0.2 THEN interval '0'
							  WHEN weekend THEN random() * interval '20 minutes'
							  WHEN random() < 0.5 THEN random() * interval '3 hours'
							  ELSE random() * interval '2 days' END;
				t := date_trunc('second', t) + CASE WHEN random() < 0.2 THEN interval '0.123456 seconds' ELSE interval '0' END;
				IF random() >= 0.2 THEN	-- else a consecutive equal state
					st := pg_temp.pick(labels);
				END IF;
				sq := sq + floor(random() * 3)::bigint - 1;
			END LOOP;
		END LOOP;

		REFRESH MATERIALIZED VIEW ref_events;
		REFRESH MATERIALIZED VIEW ref_segments;
		ANALYZE tl_events, ref_events, ref_segments;

		-- per entity: its timeline (rows in random order) and random arguments
		CREATE TEMP TABLE tl_case AS
		SELECT entity, tl, first_at, last_at, states, paused,
			since, "until", start, target
		FROM (SELECT entity, timeline_agg(at, state, seq ORDER BY random()) AS tl,
					 min(at) AS first_at, max(at) AS last_at
			  FROM tl_events GROUP BY entity) AS o
		CROSS JOIN LATERAL (SELECT pg_temp.some_states() AS states, pg_temp.some_states() AS paused
							WHERE o.entity IS NOT NULL) AS s
		CROSS JOIN LATERAL (SELECT first_at + (random() * 1.4 - 0.2) * (last_at - first_at + interval '1 hour') AS a,
								   first_at + (random() * 1.4 - 0.2) * (last_at - first_at + interval '1 hour') AS b) AS w
		CROSS JOIN LATERAL (SELECT least(a, b) AS since, greatest(a, b) AS "until",
								   CASE WHEN random() < 0.4 THEN first_at ELSE least(a, b) END AS start) AS x
		CROSS JOIN LATERAL (SELECT random() AS u WHERE o.entity IS NOT NULL) AS r
		CROSS JOIN LATERAL (SELECT CASE
			-- exactly the clock reached at some event (calendar or business time): met at a boundary
			WHEN r.u < 0.4 THEN (SELECT ref_elapsed(o.entity, x.start, greatest(x.start, e.at), s.paused,
													CASE WHEN r.u < 0.25 THEN NULL ELSE 1 END)
								FROM ref_events AS e WHERE e.entity = o.entity ORDER BY random() LIMIT 1)
			WHEN r.u < 0.5 THEN interval '0'
			ELSE random() * interval '10 hours' END AS target) AS y;

		-- duration_in in every form, calendar time and business hours
		FOR bad IN
			SELECT c.entity, c.tl::text AS tl, c.states, c.since, c."until", v.form, v.got, v.want
			FROM tl_case AS c CROSS JOIN tl_cals AS k
			CROSS JOIN LATERAL (VALUES
				('all', duration_in(c.tl, c.states), ref_in_all(c.entity, c.states, NULL)),
				('all bh', duration_in(c.tl, c.states, k.cal), ref_in_all(c.entity, c.states, 1)),
				('until', duration_in(c.tl, c.states, c."until"), ref_in_until(c.entity, c.states, c."until", NULL)),
				('until bh', duration_in(c.tl, c.states, c."until", k.cal), ref_in_until(c.entity, c.states, c."until", 1)),
				('range', duration_in(c.tl, c.states, c.since, c."until"), ref_in(c.entity, c.states, c.since, c."until", NULL)),
				('range bh', duration_in(c.tl, c.states, c.since, c."until", k.cal), ref_in(c.entity, c.states, c.since, c."until", 1)),
				('sla_elapsed', sla_elapsed(c.tl, c.start, greatest(c.start, c."until"), c.paused),
					ref_elapsed(c.entity, c.start, greatest(c.start, c."until"), c.paused, NULL)),
				('sla_elapsed bh', sla_elapsed(c.tl, c.start, greatest(c.start, c."until"), c.paused, k.cal),
					ref_elapsed(c.entity, c.start, greatest(c.start, c."until"), c.paused, 1))) AS v(form, got, want)
			WHERE v.got IS DISTINCT FROM v.want OR v.got::text ~ 'day'
			LIMIT 1
		LOOP
			RAISE EXCEPTION 'dataset % (%, %): % of entity % % over [%, %): got %, reference %; %',
				ds, z.tz, tmpl.tname, bad.form, bad.entity, bad.states, bad.since, bad."until", bad.got, bad.want, bad.tl;
		END LOOP;

		-- sla_due: calendar time against the reference, business hours by its definition
		FOR bad IN
			SELECT c.entity, c.tl::text AS tl, c.start, c.target, c.paused, d.due, d.due_bh,
				ref_due(c.entity, c.start, c.target, c.paused) AS want
			FROM tl_case AS c CROSS JOIN tl_cals AS k
			CROSS JOIN LATERAL (SELECT sla_due(c.tl, c.start, c.target, c.paused) AS due,
									   sla_due(c.tl, c.start, c.target, c.paused, k.cal) AS due_bh) AS d
			WHERE d.due IS DISTINCT FROM ref_due(c.entity, c.start, c.target, c.paused)
			   OR (d.due_bh IS NULL) <> ref_due_null(c.entity, c.start, c.target, c.paused, 1)
			   OR (d.due_bh IS NOT NULL AND (d.due_bh < c.start
				   OR ref_elapsed(c.entity, c.start, d.due_bh, c.paused, 1) <> c.target
				   OR (c.target > interval '0'
					   AND ref_elapsed(c.entity, c.start, d.due_bh - interval '1 microsecond', c.paused, 1) >= c.target)))
			LIMIT 1
		LOOP
			RAISE EXCEPTION 'dataset % (%, %): sla_due of entity % from % for % paused %: got % / % (bh), reference %; %',
				ds, z.tz, tmpl.tname, bad.entity, bad.start, bad.target, bad.paused, bad.due, bad.due_bh, bad.want, bad.tl;
		END LOOP;

		-- states, entries, transitions, segments
		FOR bad IN
			SELECT c.entity, c.tl::text AS tl, v.what
			FROM tl_case AS c CROSS JOIN tl_cals AS k
			CROSS JOIN unnest(ARRAY['new', 'open', 'pending', 'Open', 'a"b', 'never']) AS s(lab)
			CROSS JOIN LATERAL (VALUES
				('first_entered', first_entered(c.tl, s.lab) IS DISTINCT FROM
					(SELECT min(start_time) FROM ref_segments WHERE entity = c.entity AND state = s.lab)),
				('last_entered', last_entered(c.tl, s.lab) IS DISTINCT FROM
					(SELECT max(start_time) FROM ref_segments WHERE entity = c.entity AND state = s.lab)),
				('entries', entries(c.tl, s.lab) <>
					(SELECT count(*) FROM ref_segments WHERE entity = c.entity AND state = s.lab)),
				('transitions', transitions(c.tl, s.lab, 'open') <> ref_transitions(c.entity, s.lab, 'open')
					OR transitions(c.tl, 'pending', s.lab) <> ref_transitions(c.entity, 'pending', s.lab)),
				('segment_durations', segment_durations(c.tl, s.lab) IS DISTINCT FROM ref_segment_durations(c.entity, s.lab, NULL)),
				('segment_durations bh', segment_durations(c.tl, s.lab, k.cal) IS DISTINCT FROM ref_segment_durations(c.entity, s.lab, 1))
			) AS v(what, wrong)
			WHERE v.wrong
			UNION ALL
			SELECT c.entity, c.tl::text, 'state_at' FROM tl_case AS c
			WHERE state_at(c.tl, c.since) IS DISTINCT FROM ref_state_at(c.entity, c.since)
			   OR state_at(c.tl, c."until") IS DISTINCT FROM ref_state_at(c.entity, c."until")
			   OR state_at(c.tl, c.last_at) IS DISTINCT FROM ref_state_at(c.entity, c.last_at)
			   OR state_at(c.tl, c.first_at - interval '1 microsecond') IS NOT NULL
			LIMIT 1
		LOOP
			RAISE EXCEPTION 'dataset % (%, %): % of entity % differs; %', ds, z.tz, tmpl.tname, bad.what, bad.entity, bad.tl;
		END LOOP;
		IF EXISTS (
			SELECT FROM tl_case AS c
			WHERE ARRAY(SELECT row(s.state, s.start_time, s.end_time)::text FROM state_timeline(c.tl) AS s)
			   <> ARRAY(SELECT row(r.state, r.start_time, r.end_time)::text FROM ref_segments AS r
						WHERE r.entity = c.entity ORDER BY r.k)) THEN
			RAISE EXCEPTION 'dataset %: state_timeline differs from the reference segments', ds;
		END IF;

		-- one value whatever the split: rollup of random partitions in random order, + folds
		IF EXISTS (
			WITH parts AS (
				SELECT entity, part, timeline_agg(at, state, seq) AS tl FROM tl_events GROUP BY entity, part
			), rolled AS (
				SELECT entity, rollup(tl ORDER BY random())::text AS r FROM parts GROUP BY entity
			)
			SELECT FROM tl_case AS c JOIN rolled AS r USING (entity)
			WHERE r.r <> c.tl::text
			   OR (SELECT rollup(x) FROM (VALUES (c.tl), (c.tl)) AS v(x))::text <> c.tl::text
			   OR c.tl::text::timeline::text <> c.tl::text) THEN
			RAISE EXCEPTION 'dataset %: rollup of partitions differs from the one-step timeline', ds;
		END IF;
		IF EXISTS (
			WITH parts AS (
				SELECT entity, part, timeline_agg(at, state, seq) AS tl FROM tl_events GROUP BY entity, part
			), folds AS (
				SELECT entity, array_agg(tl ORDER BY random()) AS a FROM parts GROUP BY entity
			)
			SELECT FROM folds AS f JOIN tl_case AS c USING (entity)
			WHERE (WITH RECURSIVE fold(i, acc) AS (
					   SELECT 1, f.a[1]
					   UNION ALL SELECT i + 1, CASE WHEN random() < 0.5 THEN acc + f.a[i + 1] ELSE f.a[i + 1] + acc END
					   FROM fold WHERE i < array_length(f.a, 1))
				   SELECT acc::text FROM fold ORDER BY i DESC LIMIT 1) <> c.tl::text) THEN
			RAISE EXCEPTION 'dataset %: a + b folds differ from the one-step timeline', ds;
		END IF;

		-- coverage counters
		checked := checked + (SELECT count(*) FROM tl_case);
		zero_bh := zero_bh + (SELECT count(*) FROM tl_case AS c, tl_cals AS k
							  WHERE c.last_at > c.first_at AND duration_in(c.tl, ARRAY['new', 'open', 'pending', 'hold', 'solved', 'Open', 'a"b'], k.cal) = interval '0');
		null_due := null_due + (SELECT count(*) FROM tl_case AS c, tl_cals AS k
								WHERE sla_due(c.tl, c.start, c.target, c.paused, k.cal) IS NULL);
		boundary_due := boundary_due + (SELECT count(*) FROM tl_case AS c
			WHERE c.target > interval '0' AND sla_due(c.tl, c.start, c.target, c.paused) IN (SELECT at FROM ref_events AS e WHERE e.entity = c.entity));
		DROP TABLE tl_case;
	END LOOP;
	RAISE NOTICE 'timeline: % histories checked; % entirely outside business hours, % SLA clocks stopped before their target, % due exactly at an event',
		checked, zero_bh, null_due, boundary_due;
	IF datasets >= 20 AND (zero_bh = 0 OR null_due = 0 OR boundary_due = 0) THEN
		RAISE EXCEPTION 'the random histories missed a case: % outside business hours, % stopped, % at a boundary', zero_bh, null_due, boundary_due;
	END IF;
END
$prop$;

-- forced-parallel plans give the serial values byte for byte
CREATE TABLE tl_big AS
SELECT g % 50 AS entity, timestamptz '2026-03-27 00:00Z' + (hashint4(g) % 100000) * interval '1 minute' AS at,
	(ARRAY['new', 'open', 'pending', 'hold', 'solved'])[1 + abs(hashint4(g * 7)) % 5] AS state,
	CASE WHEN g % 3 = 0 THEN g END::bigint AS seq
FROM generate_series(1, 20000) AS g;
ANALYZE tl_big;
CREATE TABLE tl_serial AS
SELECT entity, timeline_agg(at, state, seq)::text AS tl FROM tl_big GROUP BY entity;
CREATE TABLE tl_serial_all AS SELECT timeline_agg(at, entity || '/' || state, seq)::text AS tl FROM tl_big;
SELECT pg_temp.force_parallel('SELECT entity, timeline_agg(at, state, seq) FROM tl_big GROUP BY entity');
SELECT pg_temp.force_parallel('SELECT timeline_agg(at, entity || ''/'' || state, seq) FROM tl_big');
DO $$
BEGIN
	IF EXISTS (SELECT FROM tl_serial AS s
			   FULL JOIN (SELECT entity, timeline_agg(at, state, seq)::text AS tl FROM tl_big GROUP BY entity) AS p USING (entity)
			   WHERE s.tl IS DISTINCT FROM p.tl)
	   OR (SELECT tl FROM tl_serial_all) <> (SELECT timeline_agg(at, entity || '/' || state, seq)::text FROM tl_big) THEN
		RAISE EXCEPTION 'a forced-parallel timeline_agg differs from the serial one';
	END IF;
	RAISE NOTICE 'timeline: forced-parallel plans equal the serial values';
END $$;

-- the limit of 1,000,000 distinct events (54000), and many duplicate rows kept within it
-- by compaction of the accumulating state
DO $$
BEGIN
	BEGIN
		PERFORM timeline_agg(timestamptz '2026-01-01' + g * interval '1 second', 'x') FROM generate_series(1, 1000001) AS g;
		RAISE EXCEPTION 'a timeline of 1000001 events was accepted';
	EXCEPTION WHEN program_limit_exceeded THEN
		NULL;
	END;
	IF (SELECT timeline_agg(timestamptz '2026-01-01' + (g % 3) * interval '1 second', 'x' || g % 2)::text
		FROM generate_series(1, 2500000) AS g)
	   <> (SELECT timeline_agg(timestamptz '2026-01-01' + (g % 3) * interval '1 second', 'x' || g % 2)::text
		   FROM generate_series(1, 6) AS g) THEN
		RAISE EXCEPTION '2.5M duplicate rows did not give their 6 distinct events';
	END IF;
END $$;
