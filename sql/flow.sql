-- Ticket flow, backlog over time and age buckets, each against plain SQL
CREATE SCHEMA flow_test;
SET search_path = flow_test, public;

-- deterministic tickets from mid-January to mid-December 2026 (both DST changes
-- in New York and Berlin), some still open, some closed on the dot of a local
-- midnight, some opened and closed in the same bucket
CREATE TABLE tickets AS
SELECT i AS id,
	   (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
	   o AS opened,
	   CASE WHEN i % 11 = 0 THEN NULL
			WHEN i % 13 = 0 THEN date_trunc('day', o + interval '2 days', 'America/New_York')
			ELSE o + ((i * 37) % 240) * interval '1 hour' + ((i * 7) % 60) * interval '1 minute' END AS closed
FROM generate_series(1, 4000) AS i,
	 LATERAL (SELECT timestamptz '2026-01-15 00:00+00' + ((i * 7919) % 480000) * interval '1 minute' AS o) AS t;

-- daily backlog in New York against a correlated count over local days
CREATE TEMP TABLE ny_days AS
SELECT d::date AS day, d AT TIME ZONE 'America/New_York' AS bucket_start,
	   (d + interval '1 day') AT TIME ZONE 'America/New_York' AS bucket_end
FROM generate_series(timestamp '2026-02-01', timestamp '2026-11-30', interval '1 day') AS d;

CREATE TEMP TABLE ny_flow AS
SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York') AS f FROM tickets;

SELECT count(*) AS days,
	   count(*) FILTER (WHERE b.bucket_start = d.bucket_start) AS starts_equal,
	   count(*) FILTER (WHERE b.opened = (SELECT count(*) FROM tickets AS t
										  WHERE t.opened >= d.bucket_start AND t.opened < d.bucket_end)) AS opened_equal,
	   count(*) FILTER (WHERE b.closed = (SELECT count(*) FROM tickets AS t
										  WHERE t.closed >= d.bucket_start AND t.closed < d.bucket_end)) AS closed_equal,
	   count(*) FILTER (WHERE b.backlog = (SELECT count(*) FROM tickets AS t
										   WHERE t.opened < d.bucket_end AND (t.closed IS NULL OR t.closed >= d.bucket_end))) AS backlog_equal,
	   min(b.backlog) AS min_backlog, max(b.backlog) AS max_backlog
FROM backlog_series((SELECT f FROM ny_flow), '2026-02-01 05:00+00', '2026-11-30 05:00+00') AS b
FULL JOIN ny_days AS d ON d.bucket_start = b.bucket_start;

-- the same against the event-delta running sum (the usual window query)
WITH events AS (
	SELECT date_trunc('day', opened, 'America/New_York') AS day, 1 AS o, 0 AS c FROM tickets
	UNION ALL
	SELECT date_trunc('day', closed, 'America/New_York'), 0, 1 FROM tickets WHERE closed IS NOT NULL
), per_day AS (
	SELECT day, sum(o) AS opened, sum(c) AS closed FROM events GROUP BY day
), running AS (
	SELECT day, opened, closed, sum(opened - closed) OVER (ORDER BY day) AS backlog FROM per_day
)
SELECT count(*) AS days_with_events,
	   count(*) FILTER (WHERE (r.opened, r.closed, r.backlog) = (b.opened, b.closed, b.backlog)) AS equal
FROM running AS r
JOIN backlog_series((SELECT f FROM ny_flow), '2026-01-01', '2027-01-31') AS b ON b.bucket_start = r.day;

-- the buckets around both DST changes: 24, 23, 24 ... 24, 25 hours long
SELECT bucket_start, lead(bucket_start) OVER (ORDER BY bucket_start) - bucket_start AS length, opened, closed, backlog
FROM backlog_series((SELECT f FROM ny_flow), '2026-03-07 00:00-05', '2026-03-10 00:00-04')
UNION ALL
SELECT bucket_start, lead(bucket_start) OVER (ORDER BY bucket_start) - bucket_start, opened, closed, backlog
FROM backlog_series((SELECT f FROM ny_flow), '2026-10-31 00:00-04', '2026-11-02 00:00-05')
ORDER BY 1;

-- weekly buckets in Berlin start on Monday at local midnight
WITH weeks AS (
	SELECT w AT TIME ZONE 'Europe/Berlin' AS bucket_start, (w + interval '7 days') AT TIME ZONE 'Europe/Berlin' AS bucket_end
	FROM generate_series(timestamp '2026-01-12', timestamp '2026-12-28', interval '7 days') AS w
)
SELECT count(*) AS weeks,
	   count(*) FILTER (WHERE extract(isodow FROM b.bucket_start AT TIME ZONE 'Europe/Berlin') = 1
						AND (b.bucket_start AT TIME ZONE 'Europe/Berlin')::time = '00:00') AS monday_midnight,
	   count(*) FILTER (WHERE b.opened = (SELECT count(*) FROM tickets AS t WHERE t.opened >= w.bucket_start AND t.opened < w.bucket_end)
						AND b.closed = (SELECT count(*) FROM tickets AS t WHERE t.closed >= w.bucket_start AND t.closed < w.bucket_end)
						AND b.backlog = (SELECT count(*) FROM tickets AS t WHERE t.opened < w.bucket_end AND (t.closed IS NULL OR t.closed >= w.bucket_end))) AS equal
FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 week', 'Europe/Berlin') FROM tickets),
					'2026-01-11 23:00+00', '2026-12-27 23:00+00') AS b
JOIN weeks AS w USING (bucket_start);

-- a clock that went back a whole day: America/Juneau, 1867-10-19 (from
-- +15:02:19 to -08:57:41), so that local dates repeat; each bucket starts at
-- the first instant of its local date, 48 hours before the next one once, and
-- counts the tickets of that date
CREATE TEMP TABLE juneau AS
SELECT timestamptz '1867-10-16 00:00+00' + i * interval '1 hour' AS opened
FROM generate_series(0, 6 * 24 - 1) AS i;
WITH ref AS (
	SELECT min(g) AS bucket_start
	FROM generate_series(timestamptz '1867-10-16 00:00+00', '1867-10-21 00:00+00', interval '1 second') AS g
	GROUP BY (g AT TIME ZONE 'America/Juneau')::date
)
SELECT b.bucket_start, (b.bucket_start AT TIME ZONE 'America/Juneau')::date AS local_date,
	   lead(b.bucket_start) OVER (ORDER BY b.bucket_start) - b.bucket_start AS length, b.opened,
	   b.opened = (SELECT count(*) FROM juneau AS j
				   WHERE (j.opened AT TIME ZONE 'America/Juneau')::date = (b.bucket_start AT TIME ZONE 'America/Juneau')::date) AS opened_ok,
	   b.bucket_start IN (SELECT bucket_start FROM ref) AS first_instant
FROM backlog_series((SELECT ticket_flow_agg(opened, NULL, '1 day', 'America/Juneau') FROM juneau),
					'1867-10-16', '1867-10-21') AS b
ORDER BY 1;

-- hour buckets: elapsed hours, also across the DST change of the zone passed
SELECT h AS hours, count(*) AS buckets,
	   count(*) FILTER (WHERE b.opened = (SELECT count(*) FROM tickets AS t WHERE t.opened >= b.bucket_start AND t.opened < b.bucket_start + h * interval '1 hour')
						AND b.backlog = (SELECT count(*) FROM tickets AS t WHERE t.opened < b.bucket_start + h * interval '1 hour'
										 AND (t.closed IS NULL OR t.closed >= b.bucket_start + h * interval '1 hour'))) AS equal,
	   count(*) FILTER (WHERE extract(epoch FROM b.bucket_start)::bigint % (h * 3600) = 0) AS aligned
FROM (VALUES (1), (6), (24)) AS v(h),
	 LATERAL backlog_series((SELECT ticket_flow_agg(opened, closed, h * interval '1 hour', 'America/New_York') FROM tickets),
							'2026-03-07 12:00+00', '2026-03-09 12:00+00') AS b
GROUP BY h ORDER BY h;

-- the default time zone is UTC
SELECT ticket_flow_agg(opened, closed, '1 day')::text = ticket_flow_agg(opened, closed, '1 day', 'UTC')::text AS utc_default,
	   ticket_flow_agg(opened, closed, '1 day', 'utc')::text = ticket_flow_agg(opened, closed, '1 day', 'UTC')::text AS canonical_name,
	   ticket_flow_agg(opened, closed, '7 days', 'UTC')::text = ticket_flow_agg(opened, closed, '1 week', 'UTC')::text AS week_spellings
FROM tickets;

-- a small flow, readable: still open, closed the same day, opened before "from"
CREATE TEMP TABLE small(opened timestamptz, closed timestamptz);
INSERT INTO small VALUES
	('2026-03-01 10:00+00', '2026-03-03 12:00+00'),
	('2026-03-02 09:00+00', NULL),
	('2026-03-02 10:00+00', '2026-03-02 11:00+00'),
	('2026-03-05 00:00+00', '2026-03-06 00:00+00'),
	(NULL, '2026-03-04 00:00+00'),
	('2026-03-09 23:59:59.999999+00', NULL);
SELECT ticket_flow_agg(opened, closed, '1 day') FROM small;
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-03-02', '2026-03-11');
-- from inside a bucket skips it; to on a bucket start includes it
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-03-02 00:00:00.000001', '2026-03-04');
-- from after to, and a range before every ticket
SELECT count(*) FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-03-04', '2026-03-03');
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-02-27', '2026-02-28');
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-03-09 12:00', '2026-03-09 13:00');

-- NULL and empty: no ticket gives NULL, and a NULL flow gives no rows
SELECT ticket_flow_agg(opened, closed, '1 day') IS NULL AS empty_is_null FROM small WHERE false;
SELECT ticket_flow_agg(opened, closed, '1 day') IS NULL AS null_opened_is_null FROM small WHERE opened IS NULL;
SELECT count(*) FROM backlog_series(NULL, '2026-01-01', '2026-02-01');
SELECT count(*) FROM backlog_series('v1:1d;UTC;0;1/0', NULL, '2026-02-01');

-- GROUP BY team, and rollup of the team flows equals the flow of all tickets
CREATE TEMP TABLE team_flows AS
SELECT team, ticket_flow_agg(opened, closed, '1 day', 'America/New_York') AS f FROM tickets GROUP BY team;
SELECT team,
	   (SELECT sum(opened) FROM backlog_series(f, '2026-01-01', '2027-01-31')) =
	   (SELECT count(*) FROM tickets AS t WHERE t.team = tf.team) AS opened_ok,
	   (SELECT backlog FROM backlog_series(f, '2027-01-01', '2027-01-31') ORDER BY bucket_start DESC LIMIT 1) =
	   (SELECT count(*) FROM tickets AS t WHERE t.team = tf.team AND t.closed IS NULL) AS still_open_ok
FROM team_flows AS tf ORDER BY team;
SELECT rollup(f)::text = (SELECT f::text FROM ny_flow) AS rollup_ok FROM team_flows;
SELECT rollup(f) IS NULL AS rollup_empty_is_null FROM team_flows WHERE false;

-- GROUP BY with the groups' rows interleaved (every row updates another
-- group's state than the row before), UTC by default: per-day counts equal
-- count(*) per group and day
SELECT count(*) AS group_days,
	   count(*) FILTER (WHERE
		   b.opened = (SELECT count(*) FROM tickets AS t
					   WHERE t.id % 7 = g.k AND date_trunc('day', t.opened) = b.bucket_start) AND
		   b.closed = (SELECT count(*) FROM tickets AS t
					   WHERE t.id % 7 = g.k AND date_trunc('day', t.closed) = b.bucket_start)) AS equal
FROM (SELECT id % 7 AS k, ticket_flow_agg(opened, closed, '1 day') AS f
	  FROM tickets GROUP BY id % 7) AS g,
	 LATERAL backlog_series(g.f, '2026-01-01', '2027-01-31') AS b;

-- OVER with ROWS frames (moving aggregate) against recomputation of every frame
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.f::text IS NOT DISTINCT FROM (
		   SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York')::text
		   FROM tickets AS t WHERE t.id BETWEEN w.id - 49 AND w.id)) AS flow_equal,
	   count(*) FILTER (WHERE w.r::text IS NOT DISTINCT FROM (
		   SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York')::text
		   FROM tickets AS t WHERE t.id BETWEEN w.id - 29 AND w.id + 10)) AS rollup_equal
FROM (SELECT id,
			 ticket_flow_agg(opened, closed, '1 day', 'America/New_York') OVER (ORDER BY id ROWS 49 PRECEDING) AS f,
			 rollup(one) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND 10 FOLLOWING) AS r
	  FROM (SELECT id, ticket_flow_agg(opened, closed, '1 day', 'America/New_York') OVER (PARTITION BY id) AS one
			FROM tickets) AS one_each
	  JOIN tickets USING (id)) AS w;

-- a frame that slides over tickets without an opened timestamp gives NULL
SELECT id, ticket_flow_agg(o, NULL, '1 day') OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, NULL::timestamptz), (2, '2026-01-01'), (3, NULL), (4, NULL), (5, '2026-01-03')) AS v(id, o)
ORDER BY id;
SELECT id, rollup(f) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, NULL::ticket_flow), (2, 'v1:1d;UTC;9000;1/0'), (3, NULL), (4, NULL), (5, 'v1:1d;UTC;9002;0/0,1/1')) AS v(id, f)
ORDER BY id;

-- text round trip (canonical form), and binary round trip through COPY
SELECT f::text::ticket_flow::text = f::text AS text_ok, length(f::text) > 100 AS long_enough FROM ny_flow;
SELECT 'v1:1w; europe/berlin ;1356;2/1, ~ 8,1/0,~3,0/1'::ticket_flow;
SELECT 'v1:6h;UTC;-5;1/0,0/0,0/0,0/1'::ticket_flow;
SELECT 'v1:1d;UTC;9000;'::ticket_flow, 'v1:1d;UTC;9000;0/0,~2,0/0'::ticket_flow;
CREATE TABLE copy_src AS SELECT team, f FROM team_flows;
\copy copy_src TO 'results/ticket_flow.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/ticket_flow.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied, count(*) FILTER (WHERE a.f::text = b.f::text) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (team);

-- forced parallel plan: Partial Aggregate in the workers, identical results
CREATE TABLE tickets_big AS SELECT * FROM tickets, generate_series(1, 20) AS rep;
ANALYZE tickets_big;
CREATE TEMP TABLE serial_flow AS
SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York')::text AS f FROM tickets_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York') FROM tickets_big;
SELECT p.f = s.f AS parallel_ok
FROM (SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York')::text AS f FROM tickets_big) AS p, serial_flow AS s;
SELECT (SELECT sum(opened) FROM backlog_series(ticket_flow_agg(opened, closed, '1 day', 'America/New_York'), '2026-01-01', '2027-01-31')) = 80000 AS parallel_count_ok
FROM tickets_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- age buckets: labels sort in age order
SELECT a, age_bucket(a) FROM unnest('{0, 23:59:59, 1 day, 2 days, 3 days, 6 days 23:00, 7 days, 13 days, 14 days, 29 days, 30 days, 400 days}'::interval[]) AS a;
SELECT array_agg(age_bucket(a) ORDER BY age_bucket(a)) = array_agg(age_bucket(a) ORDER BY a) AS sorts_by_age
FROM (SELECT (i * 7) % 1000 * interval '1 hour' AS a FROM generate_series(1, 500) AS i) AS ages;
SELECT a, age_bucket(a, '{4 hours, 1 day, 36 hours, 2 days}')
FROM unnest('{0, 1 hour, 4 hours, 1 day, 30 hours, 36 hours, 47:59, 3 days}'::interval[]) AS a;
SELECT age_bucket('5 minutes', '{90 seconds, 2 minutes 30.5 seconds}');
SELECT age_bucket(a, ARRAY(SELECT i * interval '1 day' FROM generate_series(1, 12) AS i)) AS twelve_bounds
FROM unnest('{0, 5 days, 12 days}'::interval[]) AS a;
SELECT age_bucket(NULL), age_bucket('1 day', NULL);
SELECT age_bucket(now() - opened) IS NOT NULL AS ok FROM tickets LIMIT 1;

-- errors
SELECT ticket_flow_agg(opened, closed, '2 days') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 month') FROM small;
SELECT ticket_flow_agg(opened, closed, '5 hours') FROM small;
SELECT ticket_flow_agg(opened, closed, '30 minutes') FROM small;
SELECT ticket_flow_agg(opened, closed, '-1 day') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day 1 hour') FROM small;
SELECT ticket_flow_agg(opened, closed, NULL) FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', NULL) FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', 'Mars/Olympus_Mons') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', '') FROM small;
SELECT ticket_flow_agg(opened, closed, CASE WHEN opened < '2026-03-03' THEN interval '1 day' ELSE interval '1 week' END) FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', CASE WHEN opened < '2026-03-03' THEN 'UTC' ELSE 'Europe/Berlin' END) FROM small;
SELECT rollup(f) FROM (VALUES ('v1:1d;UTC;9000;1/0'::ticket_flow), ('v1:1d;Europe/Berlin;9000;1/0')) AS v(f);
SELECT rollup(f) FROM (VALUES ('v1:1d;UTC;9000;1/0'::ticket_flow), ('v1:6h;UTC;9000;1/0')) AS v(f);
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('2026-03-02 10:00+00'::timestamptz, '2026-03-02 09:59+00'::timestamptz)) AS v(o, c);
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('infinity'::timestamptz, NULL::timestamptz)) AS v(o, c);
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('2026-03-02'::timestamptz, 'infinity'::timestamptz)) AS v(o, c);
SELECT ticket_flow_agg(o, NULL, '1 hour') FROM (VALUES ('2026-03-02'::timestamptz), ('1900-01-01')) AS v(o);
SELECT ticket_flow_agg(o, NULL, '1 day') FROM (VALUES ('2026-03-02'::timestamptz), ('1900-01-01')) AS v(o);
SELECT * FROM backlog_series('v1:1d;UTC;9000;1/0', '-infinity', '2026-01-01');
SELECT age_bucket('-1 day');
SELECT age_bucket('1 day', '{}');
SELECT age_bucket('1 day', '{1 day, 1 day}');
SELECT age_bucket('1 day', '{0, 1 day}');
SELECT age_bucket('1 day', '{1 day, NULL}');
SELECT age_bucket('1 day', '{{1 day}, {2 days}}');
\set VERBOSITY sqlstate
SELECT ticket_flow_agg(opened, closed, '2 days') FROM small;
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('2026-03-02 10:00+00'::timestamptz, '2026-03-02 09:59+00'::timestamptz)) AS v(o, c);
SELECT 'v1:1d;UTC;0;0/1'::ticket_flow;
\set VERBOSITY default

-- errors: malformed and corrupt literals
SELECT 'garbage'::ticket_flow;
SELECT 'v2:1d;UTC;0;1/0'::ticket_flow;
SELECT 'v1:2d;UTC;0;1/0'::ticket_flow;
SELECT 'v1:5h;UTC;0;1/0'::ticket_flow;
SELECT 'v1:1d;;0;1/0'::ticket_flow;
SELECT 'v1:1d;Nowhere/Atlantis;0;1/0'::ticket_flow;
SELECT 'v1:1d;UTC;x;1/0'::ticket_flow;
SELECT 'v1:1d;UTC;0;1/'::ticket_flow;
SELECT 'v1:1d;UTC;0;1/0,-1/0'::ticket_flow;
SELECT 'v1:1d;UTC;0;~0'::ticket_flow;
SELECT 'v1:1d;UTC;0;~1000001'::ticket_flow;
SELECT 'v1:1d;UTC;0;1/0;'::ticket_flow;
SELECT 'v1:1d;UTC;0;0/1'::ticket_flow;
SELECT 'v1:1d;UTC;0;1/0,0/2'::ticket_flow;
SELECT 'v1:1d;UTC;99999999999;1/0'::ticket_flow;
SELECT 'v1:1d;UTC;0;9223372036854775807/0,1/0'::ticket_flow;
