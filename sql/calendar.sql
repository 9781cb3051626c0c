-- Business hours: business_calendar, business_duration, business_add, is_business_time,
-- each against an independent day-by-day reference in plain SQL
CREATE SCHEMA calendar_test;
SET search_path = calendar_test, public;

-- literals: case, spaces, day lists and ranges (also wrapping), several ranges a day,
-- 24:00, touching ranges of one day merge, holidays sorted and deduplicated
SELECT lit, lit::business_calendar AS canonical
FROM (VALUES
	('mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-12-25,2026-12-26'),
	('  MON - FRI  09:00 - 17:00 ;TZ = europe/berlin ; Holidays = 2026-12-26 , 2026-12-25,2026-12-25 ;'),
	('fri-mon 08:00-20:00'),
	('mon,wed,fri 9:00-12:00; tue 12:00-13:00,09:00-12:00; thu 13:00-14:00, 09:00-12:00'),
	('monday-sunday 00:00-24:00; tz=America/New_York'),
	('mon-fri 22:00-24:00; tue-sat 00:00-06:00; tz=America/New_York'),
	('sat 10:00:30-14:00:15'),
	('tz=Asia/Kolkata'),
	('tz=UTC; holidays=2026-01-01')) AS v(lit);

-- canonical text reads back equal, and the = operator is equality of the canonical form
SELECT c::text::business_calendar = c AS text_round_trip,
	   c = 'mon-fri 09:00-17:00; tz=Europe/Berlin'::business_calendar AS eq_other,
	   c <> 'mon-fri 09:00-17:00; tz=Europe/Berlin'::business_calendar AS ne_other
FROM (VALUES ('mon-fri 09:00-17:00; tz=Europe/Berlin'::business_calendar),
			 ('tue-fri 09:00-17:00; mon 9:00-17:00; tz=europe/berlin'),
			 ('mon-fri 09:00-17:00; tz=Europe/Paris')) AS v(c);

-- every literal error: SQLSTATE and the detail that quotes the offending part
CREATE FUNCTION try_calendar(lit text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	detail text;
BEGIN
	PERFORM lit::business_calendar;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
	RETURN state || ': ' || coalesce(detail, SQLERRM);
END $$;

SELECT lit, try_calendar(lit) AS result
FROM (VALUES
	('mon-fry 09:00-17:00'),
	('mon-fri 9-17'),
	('mon-fri 09:60-17:00'),
	('mon-fri 09:00-24:01'),
	('mon-fri 24:00-24:00'),
	('mon-fri 25:00-26:00'),
	('mon-fri 17:00-09:00'),
	('mon-fri 09:00-09:00'),
	('mon-fri 22:00-06:00'),
	('mon-fri 09:00-12:00,11:00-13:00'),
	('mon-fri 09:00-17:00; wed 16:00-18:00'),
	('mon-fri 09:00-17:00; mon-fri 09:00-17:00'),
	('mon-fri 09:00-17:00; tz=Mars/Olympus'),
	('mon-fri 09:00-17:00; tz='),
	('mon-fri 09:00-17:00; holidays=2026-02-30'),
	('mon-fri 09:00-17:00; holidays=2026-13-01'),
	('mon-fri 09:00-17:00; holidays=26-12-25'),
	('mon-fri 09:00-17:00; holidays='),
	('mon-fri 09:00-17:00; tz=UTC; tz=UTC'),
	('mon-fri 09:00-17:00; holidays=2026-12-25; holidays=2026-12-26'),
	('mon-fri 09:00-17:00; colour=blue'),
	('mon-fri'),
	('09:00-17:00'),
	('mon-fri 09:00-17:00 extra'),
	('mon-fri 09:00'),
	(''),
	(' ; ')) AS v(lit);
\set VERBOSITY sqlstate
SELECT 'mon-fri 09:00-17:00; tz=Mars/Olympus'::business_calendar;
SELECT 'mon-fri 17:00-09:00'::business_calendar;
\set VERBOSITY default

-- the test calendars, and the same calendars as plain rows for the reference
CREATE TABLE cals (name text PRIMARY KEY, cal business_calendar, tz text, holidays date[]);
INSERT INTO cals VALUES
	('berlin_split', 'mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-04-03,2026-04-06,2026-10-26,2026-12-25,2026-12-26',
		'Europe/Berlin', '{2026-04-03,2026-04-06,2026-10-26,2026-12-25,2026-12-26}'),
	('ny_office', 'mon-fri 08:30-17:00; tz=America/New_York; holidays=2026-03-09,2026-07-03,2026-11-02,2026-11-26',
		'America/New_York', '{2026-03-09,2026-07-03,2026-11-02,2026-11-26}'),
	('ny_night', 'mon-fri 22:00-24:00; tue-sat 00:00-06:00; tz=America/New_York; holidays=2026-03-10,2026-11-03',
		'America/New_York', '{2026-03-10,2026-11-03}'),
	('berlin_night', 'mon-fri 22:00-24:00; tue-sat 00:00-06:00; tz=Europe/Berlin',
		'Europe/Berlin', '{}'),
	('berlin_247', 'mon-sun 00:00-24:00; tz=Europe/Berlin', 'Europe/Berlin', '{}'),
	('ny_247', 'mon-sun 00:00-24:00; tz=America/New_York', 'America/New_York', '{}'),
	('utc_office', 'mon-fri 09:00-17:00', 'UTC', '{}'),
	('berlin_weekend', 'sat 22:00-24:00; sun 00:00-06:00; tz=Europe/Berlin', 'Europe/Berlin', '{}'),
	('ny_weekend', 'sat-sun 00:00-04:00,20:00-24:00; tz=America/New_York', 'America/New_York', '{}');

CREATE TABLE cal_ranges (name text, dow int, lo time, hi time);
INSERT INTO cal_ranges
SELECT 'berlin_split', d, time '09:00', time '12:00' FROM generate_series(1, 5) AS d
UNION ALL SELECT 'berlin_split', d, '13:00', '17:30' FROM generate_series(1, 5) AS d
UNION ALL SELECT 'berlin_split', 6, '10:00', '14:00'
UNION ALL SELECT 'ny_office', d, '08:30', '17:00' FROM generate_series(1, 5) AS d
UNION ALL SELECT n, d, '22:00', '24:00' FROM generate_series(1, 5) AS d, (VALUES ('ny_night'), ('berlin_night')) AS v(n)
UNION ALL SELECT n, d, '00:00', '06:00' FROM generate_series(2, 6) AS d, (VALUES ('ny_night'), ('berlin_night')) AS v(n)
UNION ALL SELECT n, d, '00:00', '24:00' FROM generate_series(1, 7) AS d, (VALUES ('berlin_247'), ('ny_247')) AS v(n)
UNION ALL SELECT 'utc_office', d, '09:00', '17:00' FROM generate_series(1, 5) AS d
UNION ALL SELECT 'berlin_weekend', 6, '22:00', '24:00'
UNION ALL SELECT 'berlin_weekend', 7, '00:00', '06:00'
UNION ALL SELECT 'ny_weekend', d, lo, hi FROM generate_series(6, 7) AS d,
	(VALUES (time '00:00', time '04:00'), ('20:00', '24:00')) AS v(lo, hi);

-- the calendars read back equal from their canonical text
SELECT name, cal, cal::text::business_calendar = cal AS round_trip FROM cals ORDER BY name;

-- the reference: every local date of the span, each range converted with AT TIME ZONE,
-- intersected with [s, f]
CREATE FUNCTION ref_duration(cname text, s timestamptz, f timestamptz) RETURNS interval
LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(least(f, (d + r.hi) AT TIME ZONE c.tz) - greatest(s, (d + r.lo) AT TIME ZONE c.tz)),
					interval '0')
	FROM cals AS c
	JOIN cal_ranges AS r ON r.name = c.name
	CROSS JOIN LATERAL (SELECT g::date AS d
						FROM generate_series((s AT TIME ZONE c.tz)::date - 1, (f AT TIME ZONE c.tz)::date + 1,
											 interval '1 day') AS g) AS days
	WHERE c.name = cname
	  AND extract(isodow FROM d) = r.dow
	  AND d <> ALL (c.holidays)
	  AND (d + r.hi) AT TIME ZONE c.tz > s
	  AND (d + r.lo) AT TIME ZONE c.tz < f
$$;

CREATE FUNCTION ref_is_business(cname text, t timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (
		SELECT FROM cals AS c
		JOIN cal_ranges AS r ON r.name = c.name
		CROSS JOIN LATERAL (SELECT g::date AS d
							FROM generate_series((t AT TIME ZONE c.tz)::date - 1, (t AT TIME ZONE c.tz)::date + 1,
												 interval '1 day') AS g) AS days
		WHERE c.name = cname
		  AND extract(isodow FROM d) = r.dow
		  AND d <> ALL (c.holidays)
		  AND (d + r.lo) AT TIME ZONE c.tz <= t
		  AND t < (d + r.hi) AT TIME ZONE c.tz)
$$;

-- random instants over 2026 (seeded), spans from minutes to a year, plus instants on
-- and around the DST changes of Europe (03-29, 10-25) and North America (03-08, 11-01)
SELECT setseed(0.42);
CREATE TABLE spans AS
SELECT i, s, s + span AS f
FROM (SELECT i, timestamptz '2026-01-01 00:00Z' + random() * interval '365 days' AS s,
			 CASE i % 4
				 WHEN 0 THEN random() * interval '6 hours'
				 WHEN 1 THEN random() * interval '3 days'
				 WHEN 2 THEN random() * interval '40 days'
				 ELSE random() * interval '330 days' END AS span
	  FROM generate_series(1, 240) AS i) AS r;
INSERT INTO spans
SELECT 1000 + row_number() OVER (), s, s + span
FROM (VALUES (timestamptz '2026-03-28 21:00Z'), ('2026-03-29 00:30Z'), ('2026-03-29 01:00Z'),
			 ('2026-10-24 21:00Z'), ('2026-10-25 00:30Z'), ('2026-10-25 01:00Z'),
			 ('2026-03-07 23:00Z'), ('2026-03-08 06:30Z'), ('2026-03-08 07:00Z'),
			 ('2026-10-31 23:00Z'), ('2026-11-01 05:30Z'), ('2026-11-01 06:00Z'),
			 ('2026-12-24 16:00Z'), ('2026-04-02 15:00Z'), ('2026-01-01 00:00Z')) AS v(s),
	 (VALUES (interval '0'), ('30 minutes'), ('2 hours'), ('1 day'), ('3 days 7 hours'), ('9 days')) AS w(span);

-- business_duration against the reference, per calendar: every row agrees
SELECT c.name, count(*) AS spans,
	   count(*) FILTER (WHERE business_duration(s, f, c.cal) = ref_duration(c.name, s, f)) AS equal_to_reference,
	   count(*) FILTER (WHERE extract(day FROM business_duration(s, f, c.cal)) <> 0) AS with_days_part
FROM spans CROSS JOIN cals AS c
GROUP BY c.name ORDER BY c.name;

-- a 24/7 calendar in a DST zone gives exactly finish - start
SELECT c.name, count(*) FILTER (WHERE business_duration(s, f, c.cal) = f - s) AS equal_to_elapsed, count(*)
FROM spans CROSS JOIN cals AS c
WHERE c.name IN ('berlin_247', 'ny_247')
GROUP BY c.name ORDER BY c.name;

-- readable values on the DST days (always Sundays): a range over the jump is an hour
-- shorter in spring and longer in autumn; 24/7 days are 23 h and 25 h; Monday is normal
SELECT c.name, d,
	   business_duration((d::timestamp) AT TIME ZONE c.tz, ((d + 1)::timestamp) AT TIME ZONE c.tz, c.cal) AS day_total
FROM cals AS c,
	 (VALUES (date '2026-03-08'), ('2026-03-09'), ('2026-11-01'), ('2026-11-02'),
			 ('2026-03-29'), ('2026-03-30'), ('2026-10-25'), ('2026-10-26')) AS v(d)
WHERE (c.tz = 'America/New_York' AND (d BETWEEN '2026-03-08' AND '2026-03-09' OR d BETWEEN '2026-11-01' AND '2026-11-02')
	   AND c.name IN ('ny_weekend', 'ny_247', 'ny_office'))
   OR (c.tz = 'Europe/Berlin' AND (d BETWEEN '2026-03-29' AND '2026-03-30' OR d BETWEEN '2026-10-25' AND '2026-10-26')
	   AND c.name IN ('berlin_weekend', 'berlin_247', 'berlin_split'))
ORDER BY c.name, d;

-- a range boundary inside the skipped or the repeated hour: the time during which the
-- clock shows working time (2 h in spring, 0.5 h + 2.5 h in autumn), where converting
-- the boundaries with AT TIME ZONE would give 1.5 h and 2.5 h
SELECT business_duration('2026-03-29 00:00 Europe/Berlin', '2026-03-30 00:00 Europe/Berlin', c) AS spring,
	   ('2026-03-29 05:00'::timestamp AT TIME ZONE 'Europe/Berlin') - ('2026-03-29 02:30'::timestamp AT TIME ZONE 'Europe/Berlin') AS spring_at_time_zone,
	   business_duration('2026-10-25 00:00 Europe/Berlin', '2026-10-26 00:00 Europe/Berlin', c) AS autumn,
	   ('2026-10-25 05:00'::timestamp AT TIME ZONE 'Europe/Berlin') - ('2026-10-25 02:30'::timestamp AT TIME ZONE 'Europe/Berlin') AS autumn_at_time_zone,
	   is_business_time('2026-10-25 00:45Z', c) AS first_pass,
	   is_business_time('2026-10-25 01:45Z', c) AS second_pass,
	   business_add('2026-03-29 00:00 Europe/Berlin', '1 hour', c) AS spring_due
FROM (VALUES ('sun 02:30-05:00; tz=Europe/Berlin'::business_calendar)) AS v(c);

-- far from today: before 1900 and after 2200 the offsets are looked up one change at a
-- time; spans across those limits agree with the 24/7 rule and the reference
SELECT c.name, s, f,
	   business_duration(s, f, c.cal) = ref_duration(c.name, s, f) AS equal_to_reference,
	   business_duration(s, f, c.cal) AS duration
FROM cals AS c,
	 (VALUES (timestamptz '1899-12-20 00:00Z', timestamptz '1900-01-10 00:00Z'),
			 ('2199-10-20 00:00Z', '2200-04-10 00:00Z'),
			 ('2250-03-01 00:00Z', '2250-11-30 00:00Z'),
			 ('1850-06-01 00:00Z', '1850-06-15 00:00Z')) AS v(s, f)
WHERE c.name IN ('berlin_247', 'ny_office', 'berlin_weekend')
ORDER BY c.name, s;
SELECT c.name, business_duration(s, business_add(s, d, c.cal), c.cal) = d AS inverse
FROM cals AS c,
	 (VALUES (timestamptz '2199-12-30 00:00Z', interval '300 hours'), ('1899-12-30 00:00Z', '300 hours'),
			 ('2026-01-01 00:00Z', '100000 hours')) AS v(s, d)
WHERE c.name IN ('berlin_247', 'ny_office', 'berlin_weekend')
ORDER BY c.name, s;

-- spans split anywhere add up, also across a change 400 years after a tabulated one
-- (where pg_next_dst_boundary alone would report no more changes)
SELECT count(*) AS splits,
	   count(*) FILTER (WHERE business_duration(a, c, cal) = business_duration(a, b, cal) + business_duration(b, c, cal)) AS additive
FROM (VALUES ('sun 01:00-05:00; tz=Europe/Berlin'::business_calendar), ('mon-fri 08:30-17:00; tz=America/New_York')) AS v(cal),
	 (VALUES (timestamptz '2769-01-01 00:00Z', timestamptz '2770-03-01 00:00Z', timestamptz '2770-04-30 00:00Z'),
			 ('2026-01-01 00:00Z', '2770-03-01 00:00Z', '2770-04-30 00:00Z'),
			 ('2026-01-01 00:00Z', '2199-06-01 00:00Z', '2400-11-30 00:00Z'),
			 ('1800-01-01 00:00Z', '1950-03-01 00:00Z', '2026-04-30 00:00Z')) AS w(a, b, c);

-- fixed-offset and POSIX zones
SELECT business_duration('2026-03-02 00:00Z', '2026-03-03 00:00Z', 'mon 09:00-17:00; tz=Asia/Kolkata') AS kolkata,
	   business_add('2026-03-02 00:00Z', '1 hour', 'mon 09:00-17:00; tz=Asia/Kolkata') AS kolkata_due,
	   'mon 09:00-17:00; tz=EST5EDT'::business_calendar AS posix_rule_zone,
	   business_add('2026-03-02 00:00Z', '1 hour', 'mon 09:00-17:00; tz=EST5EDT') AS est5edt_due;

-- week arithmetic: a whole year of the Berlin split shift, and a single week
SELECT business_duration('2026-01-05 00:00 Europe/Berlin', '2026-01-12 00:00 Europe/Berlin', cal) AS one_week,
	   business_duration('2026-01-01 00:00 Europe/Berlin', '2027-01-01 00:00 Europe/Berlin', cal) AS year_2026,
	   ref_duration('berlin_split', '2026-01-01 00:00 Europe/Berlin', '2027-01-01 00:00 Europe/Berlin') AS reference
FROM cals WHERE name = 'berlin_split';

-- holidays: Christmas 2026 (Fri 25th, Sat 26th) count nothing
SELECT business_duration('2026-12-24 00:00 Europe/Berlin', '2026-12-28 00:00 Europe/Berlin', cal) AS dec_24_to_27
FROM cals WHERE name = 'berlin_split';

-- is_business_time against the reference, at random instants and at range bounds
-- (start inclusive, end exclusive)
CREATE TABLE instants AS
SELECT s AS t FROM spans
UNION ALL SELECT timestamptz '2026-03-02 09:00 Europe/Berlin' + o
FROM (VALUES (interval '0'), ('-1 microsecond'), ('3 hours'), ('3 hours -1 microsecond'), ('4 hours'),
			 ('8 hours 30 minutes'), ('8 hours 30 minutes -1 microsecond')) AS v(o)
UNION ALL SELECT timestamptz '2026-03-10 00:00 America/New_York' + o
FROM (VALUES (interval '0'), ('-1 microsecond'), ('6 hours'), ('-2 hours'), ('-2 hours -1 microsecond')) AS v(o);
SELECT c.name, count(*) AS instants,
	   count(*) FILTER (WHERE is_business_time(t, c.cal) = ref_is_business(c.name, t)) AS equal_to_reference,
	   count(*) FILTER (WHERE is_business_time(t, c.cal)) AS business
FROM instants CROSS JOIN cals AS c
GROUP BY c.name ORDER BY c.name;
SELECT is_business_time('2026-03-02 09:00 Europe/Berlin', cal) AS at_start,
	   is_business_time('2026-03-02 12:00 Europe/Berlin', cal) AS at_end,
	   is_business_time('2026-03-02 11:59:59.999999 Europe/Berlin', cal) AS before_end,
	   is_business_time('2026-12-25 10:00 Europe/Berlin', cal) AS holiday
FROM cals WHERE name = 'berlin_split';

-- business_add: the inverse property, checked against business_duration and against the
-- reference; minimality (1 microsecond earlier is not enough, and is working time)
SELECT setseed(0.17);
CREATE TABLE adds AS
SELECT i, s,
	   CASE i % 3 WHEN 0 THEN date_trunc('minute', random() * interval '12 hours')
				  WHEN 1 THEN random() * interval '3 days'
				  ELSE random() * interval '40 days' END AS d
FROM (SELECT i, s FROM spans) AS x(i, s);
INSERT INTO adds SELECT 5000 + i, s, d
FROM (SELECT row_number() OVER (), s FROM spans WHERE i > 1000 AND f = s) AS x(i, s),
	 (VALUES (interval '0'), ('1 microsecond'), ('4 hours'), ('8 hours 30 minutes'), ('1 day')) AS v(d);
CREATE TABLE added AS
SELECT c.name, a.s, a.d, business_add(a.s, a.d, c.cal) AS due, c.cal
FROM adds AS a CROSS JOIN cals AS c;
SELECT name, count(*) AS adds,
	   count(*) FILTER (WHERE business_duration(s, due, cal) = d) AS inverse,
	   count(*) FILTER (WHERE ref_duration(name, s, due) = d) AS inverse_by_reference,
	   count(*) FILTER (WHERE d = '0' OR business_duration(s, due - interval '1 microsecond', cal) < d) AS minimal,
	   count(*) FILTER (WHERE d = '0' OR is_business_time(due - interval '1 microsecond', cal)) AS working_before_due,
	   count(*) FILTER (WHERE d = '0' AND due = s) AS zero_is_start
FROM added GROUP BY name ORDER BY name;

-- readable due times: 4 business hours from Friday 16:00 Berlin are 1.5 h on Friday and
-- 2.5 h on Saturday; from Thursday 16:00 before Easter they skip Good Friday; 3 hours from
-- 09:00 end at the lunch break, not after it
SELECT business_add('2026-03-06 16:00 Europe/Berlin', '4 hours', cal) AT TIME ZONE 'Europe/Berlin' AS due_local,
	   business_add('2026-04-02 16:00 Europe/Berlin', '4 hours', cal) AT TIME ZONE 'Europe/Berlin' AS due_over_easter,
	   business_add('2026-03-06 09:00 Europe/Berlin', '3 hours', cal) AT TIME ZONE 'Europe/Berlin' AS due_at_lunch
FROM cals WHERE name = 'berlin_split';
-- the work ends when the range ends, not when the next one starts
SELECT business_add('2026-03-02 09:00Z', '8 hours', 'mon-fri 09:00-17:00') AS end_of_day,
	   business_add('2026-03-02 09:00Z', '40 hours', 'mon-fri 09:00-17:00') AS end_of_week,
	   business_add('2026-03-02 09:00Z', '1 day', 'mon-fri 09:00-17:00') AS one_day_is_24_hours;

-- the result is an interval of hours, without a days part
SELECT business_duration('2026-01-01 00:00Z', '2026-02-01 00:00Z', 'mon-sun 00:00-24:00') AS january;

-- NULL in, NULL out
SELECT business_duration(NULL, now(), 'mon-fri 09:00-17:00') IS NULL AS d1,
	   business_duration(now(), now(), NULL) IS NULL AS d2,
	   business_add(now(), NULL, 'mon-fri 09:00-17:00') IS NULL AS a1,
	   is_business_time(NULL, 'mon-fri 09:00-17:00') IS NULL AS b1;

-- empty spans and a calendar without working time
SELECT business_duration('2026-03-02 10:00Z', '2026-03-02 10:00Z', 'mon-fri 09:00-17:00') AS empty_span,
	   business_duration('2026-03-02 10:00Z', '2026-03-09 10:00Z', 'tz=UTC') AS no_working_time,
	   business_add('2026-03-02 10:00Z', '0', 'tz=UTC') AS zero_duration,
	   is_business_time('2026-03-02 10:00Z', 'tz=UTC') AS never;

-- errors
SELECT business_duration('2026-03-02 10:00Z', '2026-03-01 10:00Z', 'mon-fri 09:00-17:00');
SELECT business_add('2026-03-02 10:00Z', '-1 hour', 'mon-fri 09:00-17:00');
SELECT business_add('2026-03-02 10:00Z', '1 hour', 'tz=Europe/Berlin; holidays=2026-03-03');
SELECT business_duration('-infinity', '2026-03-01 10:00Z', 'mon-fri 09:00-17:00');
SELECT business_add('294270-01-01 00:00Z', '1000 years', 'mon 00:00-00:01');
\set VERBOSITY sqlstate
SELECT business_duration('2026-03-02 10:00Z', '2026-03-01 10:00Z', 'mon-fri 09:00-17:00');
SELECT business_add('2026-03-02 10:00Z', '-1 hour', 'mon-fri 09:00-17:00');
SELECT business_add('2026-03-02 10:00Z', '1 hour', 'tz=UTC');
\set VERBOSITY default

-- the session time zone does not matter
SET timezone = 'Pacific/Auckland';
SELECT count(*) FILTER (WHERE business_duration(s, f, c.cal) = ref_duration(c.name, s, f)) = count(*) AS same_in_auckland
FROM spans CROSS JOIN cals AS c WHERE c.name = 'berlin_split';
SET timezone = 'UTC';

-- parallel workers give the same results (the functions are PARALLEL SAFE)
CREATE TABLE many AS
SELECT g AS id, timestamptz '2026-01-01 00:00Z' + g * interval '7 minutes 13 seconds' AS s,
	   timestamptz '2026-01-01 00:00Z' + g * interval '7 minutes 13 seconds' + (g % 97) * interval '1 hour 1 minute' AS f
FROM generate_series(1, 30000) AS g;
ANALYZE many;
CREATE TABLE serial_result AS
SELECT c.name, sum(business_duration(m.s, m.f, c.cal)) AS total, max(business_add(m.s, interval '3 hours', c.cal)) AS last_due,
	   count(*) FILTER (WHERE is_business_time(m.s, c.cal)) AS open
FROM many AS m CROSS JOIN cals AS c WHERE c.name IN ('berlin_split', 'ny_night') GROUP BY c.name;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT sum(business_duration(m.s, m.f, 'mon-fri 09:00-17:00'::business_calendar)) FROM many AS m;
SELECT c.name, p.total = r.total AND p.last_due = r.last_due AND p.open = r.open AS same_in_parallel, p.total
FROM (SELECT c.name, sum(business_duration(m.s, m.f, c.cal)) AS total, max(business_add(m.s, interval '3 hours', c.cal)) AS last_due,
			 count(*) FILTER (WHERE is_business_time(m.s, c.cal)) AS open
	  FROM many AS m CROSS JOIN cals AS c WHERE c.name IN ('berlin_split', 'ny_night') GROUP BY c.name) AS p
JOIN serial_result AS r USING (name)
JOIN cals AS c USING (name)
ORDER BY c.name;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- binary round trip
\copy cals TO 'results/business_calendar.bin' WITH (FORMAT binary)
CREATE TABLE cals_back (LIKE cals);
\copy cals_back FROM 'results/business_calendar.bin' WITH (FORMAT binary)
SELECT count(*) AS calendars, count(*) FILTER (WHERE a.cal = b.cal AND a.cal::text = b.cal::text) AS equal
FROM cals AS a JOIN cals_back AS b USING (name);

-- binary input is validated byte by byte
CREATE TABLE bin_in (v business_calendar);
CREATE FUNCTION try_binary(payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	lo oid;
	state text;
	detail text;
	msg text;
	val text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea || '\x0001'::bytea
		|| int4send(length(payload)) || payload || '\xffff'::bytea);
	PERFORM lo_export(lo, 'kpi_calendar_test.bin');
	PERFORM lo_unlink(lo);
	TRUNCATE bin_in;
	COPY bin_in FROM 'kpi_calendar_test.bin' WITH (FORMAT binary);
	SELECT v::text INTO val FROM bin_in;
	RETURN 'accepted: ' || val;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL, msg = MESSAGE_TEXT;
	RETURN state || ': ' || coalesce(nullif(detail, ''), msg);
END $$;
-- a valid value: version 1, one range Monday 09:00-17:00, one holiday, zone "UTC"
SELECT kpi_calendar_send('mon 09:00-17:00; holidays=2026-01-05') AS sent;
-- payloads are written as hex pieces
SELECT what, try_binary(decode(replace(payload, '\x', ''), 'hex')) AS result
FROM (VALUES
	('valid', '\x01' || '\x00000001' || '\x00007e90' || '\x0000ef10' || '\x00000001' || '\x0000251d' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('version 2', '\x02' || '\x00000001' || '\x00007e90' || '\x0000ef10' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('negative range count', '\x01' || '\xffffffff' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('range count too large', '\x01' || '\x00000009' || '\x00007e90' || '\x0000ef10' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('end before start', '\x01' || '\x00000001' || '\x0000ef10' || '\x00007e90' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('range over midnight', '\x01' || '\x00000001' || '\x0000ef10' || '\x00015181' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('range after the week', '\x01' || '\x00000001' || '\x00093a80' || '\x00093a81' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('ranges unsorted', '\x01' || '\x00000002' || '\x0000ef10' || '\x0000ef11' || '\x00007e90' || '\x00007e91' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('ranges touching', '\x01' || '\x00000002' || '\x00007e90' || '\x0000ef10' || '\x0000ef10' || '\x0000ef11' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('holidays unsorted', '\x01' || '\x00000000' || '\x00000002' || '\x0000251d' || '\x0000251c' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('holiday out of range', '\x01' || '\x00000000' || '\x00000001' || '\x7fffffff' || '\x00000003' || convert_to('UTC', 'UTF8')),
	('unknown zone', '\x01' || '\x00000000' || '\x00000000' || '\x00000003' || convert_to('XYZ', 'UTF8')),
	('zone not canonical', '\x01' || '\x00000000' || '\x00000000' || '\x00000003' || convert_to('utc', 'UTF8')),
	('zone with zero byte', '\x01' || '\x00000000' || '\x00000000' || '\x00000003' || '\x555400'),
	('empty zone', '\x01' || '\x00000000' || '\x00000000' || '\x00000000'),
	('truncated', '\x01' || '\x00000001' || '\x00007e90'),
	('trailing byte', '\x01' || '\x00000000' || '\x00000000' || '\x00000003' || convert_to('UTC', 'UTF8') || '\x00')
	) AS v(what, payload);
