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

-- daily backlog in New York, by local dates, against a correlated count over
-- local days: the label is the local date, bucket_start its first instant
CREATE TEMP TABLE ny_days AS
SELECT d::date AS day, d AT TIME ZONE 'America/New_York' AS bucket_start,
	   (d + interval '1 day') AT TIME ZONE 'America/New_York' AS bucket_end
FROM generate_series(timestamp '2026-02-01', timestamp '2026-11-30', interval '1 day') AS d;

CREATE TEMP TABLE ny_flow AS
SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York') AS f FROM tickets;

SELECT count(*) AS days,
	   count(*) FILTER (WHERE b.bucket = d.day AND b.bucket_start = d.bucket_start) AS labels_equal,
	   count(*) FILTER (WHERE b.opened = (SELECT count(*) FROM tickets AS t
										  WHERE t.opened >= d.bucket_start AND t.opened < d.bucket_end)) AS opened_equal,
	   count(*) FILTER (WHERE b.closed = (SELECT count(*) FROM tickets AS t
										  WHERE t.closed >= d.bucket_start AND t.closed < d.bucket_end)) AS closed_equal,
	   count(*) FILTER (WHERE b.backlog = (SELECT count(*) FROM tickets AS t
										   WHERE t.opened < d.bucket_end AND (t.closed IS NULL OR t.closed >= d.bucket_end))) AS backlog_equal,
	   min(b.backlog) AS min_backlog, max(b.backlog) AS max_backlog
FROM backlog_series((SELECT f FROM ny_flow), '2026-02-01', '2026-11-30') AS b
FULL JOIN ny_days AS d ON d.day = b.bucket;

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
SELECT bucket, bucket_start, lead(bucket_start) OVER (ORDER BY bucket_start) - bucket_start AS length, opened, closed, backlog
FROM backlog_series((SELECT f FROM ny_flow), '2026-03-07', '2026-03-10')
UNION ALL
SELECT bucket, bucket_start, lead(bucket_start) OVER (ORDER BY bucket_start) - bucket_start, opened, closed, backlog
FROM backlog_series((SELECT f FROM ny_flow), '2026-10-31', '2026-11-02')
ORDER BY 2;

-- local dates in any session time zone: every local day of the range, with
-- its opened tickets, whatever the session's zone (a UTC session used to lose a
-- São Paulo flow's last day and a Berlin flow's first)
CREATE TEMP TABLE zone_flows AS
SELECT z AS zone, ticket_flow_agg(opened, closed, '1 day', z) AS f
FROM tickets, unnest(ARRAY['UTC', 'Europe/Berlin', 'America/Sao_Paulo']) AS z GROUP BY z;
CREATE TEMP VIEW local_days_check AS
SELECT current_setting('TimeZone') AS session_zone, zf.zone AS flow_zone, count(*) AS days,
	   min(b.bucket)::date AS first_day, max(b.bucket)::date AS last_day,
	   count(*) FILTER (WHERE b.bucket_start = b.bucket AT TIME ZONE zf.zone) AS starts_ok,
	   count(*) FILTER (WHERE b.opened = (SELECT count(*) FROM tickets AS t
										  WHERE (t.opened AT TIME ZONE zf.zone)::date = b.bucket::date)
						AND b.closed = (SELECT count(*) FROM tickets AS t
										WHERE (t.closed AT TIME ZONE zf.zone)::date = b.bucket::date)
						AND b.backlog = (SELECT count(*) FROM tickets AS t
										 WHERE (t.opened AT TIME ZONE zf.zone)::date <= b.bucket::date
										   AND (t.closed IS NULL OR (t.closed AT TIME ZONE zf.zone)::date > b.bucket::date))) AS counts_ok
FROM zone_flows AS zf, LATERAL backlog_series(zf.f, '2026-01-15', '2026-03-31') AS b
GROUP BY zf.zone;
SELECT * FROM local_days_check ORDER BY flow_zone;
SET timezone = 'Europe/Berlin';
SELECT * FROM local_days_check ORDER BY flow_zone;
SET timezone = 'America/Sao_Paulo';
SELECT * FROM local_days_check ORDER BY flow_zone;
RESET timezone;
-- an explicit timestamptz bound is an instant: the buckets starting in [from, to]
-- (in this UTC session, the Berlin day 2026-01-15 started the evening before)
SELECT count(*) AS rows, min(bucket_start) AS first_start, max(bucket_start) AS last_start
FROM backlog_series((SELECT f FROM zone_flows WHERE zone = 'Europe/Berlin'), timestamptz '2026-01-15', timestamptz '2026-03-31');

-- which form an argument picks: untyped literals and dates the local dates
-- (five columns), timestamptz the instants (four)
SELECT * FROM backlog_series('v2:1d;UTC;9496;1/0', '2026-01-01', '2026-01-01');
SELECT * FROM backlog_series('v2:1d;UTC;9496;1/0', date '2026-01-01', '2026-01-01');
SELECT * FROM backlog_series('v2:1d;UTC;9496;1/0', '2026-01-01', date '2026-01-01');
SELECT * FROM backlog_series('v2:1d;UTC;9496;1/0', '2026-01-01', timestamptz '2026-01-01');
SELECT * FROM backlog_series('v2:1d;UTC;9496;1/0', 'Jan 1 2026', '20260101');
SELECT count(*) FROM backlog_series('v2:1d;UTC;9496;1/0', current_date - 1, current_date);

-- every bucket size over local dates against plain SQL, across the DST changes
-- of New York and in Kathmandu (+05:45): a bucket belongs to the rows when it
-- holds an instant of the dates; elapsed buckets are labelled with the local
-- time they start at, local ones with their first day
CREATE TEMP TABLE ref_buckets AS
SELECT z, w, s AS bucket_start, s + w AS bucket_end, s AT TIME ZONE z AS bucket
FROM (VALUES ('America/New_York'), ('Asia/Kathmandu')) AS zones(z),
	 (VALUES (interval '15 minutes'), (interval '30 minutes'), (interval '1 hour'), (interval '6 hours')) AS widths(w),
	 LATERAL generate_series(date_bin(w, timestamp '2026-03-07' AT TIME ZONE z, timestamptz '2000-01-01 00:00+00'),
							 (timestamp '2026-03-10' AT TIME ZONE z) - interval '1 microsecond', w) AS s
UNION ALL
SELECT z, w, l AT TIME ZONE z, (l + w) AT TIME ZONE z, l
FROM (VALUES ('America/New_York'), ('Asia/Kathmandu')) AS zones(z),
	 (VALUES (interval '1 day', 'day'), (interval '1 week', 'week'), (interval '1 month', 'month')) AS units(w, unit),
	 LATERAL generate_series(date_trunc(unit, timestamp '2026-03-07'), timestamp '2026-03-09', w) AS l;
SELECT r.z, r.w, count(*) AS buckets,
	   count(*) FILTER (WHERE b.bucket = r.bucket AND b.bucket_start = r.bucket_start
						AND b.opened = (SELECT count(*) FROM tickets AS t WHERE t.opened >= r.bucket_start AND t.opened < r.bucket_end)
						AND b.closed = (SELECT count(*) FROM tickets AS t WHERE t.closed >= r.bucket_start AND t.closed < r.bucket_end)
						AND b.backlog = (SELECT count(*) FROM tickets AS t WHERE t.opened < r.bucket_end
										 AND (t.closed IS NULL OR t.closed >= r.bucket_end))) AS equal
FROM ref_buckets AS r
LEFT JOIN LATERAL (SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, r.w, r.z) FROM tickets),
												'2026-03-07', '2026-03-09') AS b
				   WHERE b.bucket_start = r.bucket_start) AS b ON true
GROUP BY r.z, r.w ORDER BY r.z, r.w;
SELECT z, w, count(*) AS rows
FROM (VALUES ('America/New_York'), ('Asia/Kathmandu')) AS zones(z),
	 (VALUES (interval '15 minutes'), (interval '30 minutes'), (interval '1 hour'), (interval '6 hours'),
			 (interval '1 day'), (interval '1 week'), (interval '1 month')) AS widths(w),
	 LATERAL backlog_series((SELECT ticket_flow_agg(opened, closed, w, z) FROM tickets), '2026-03-07', '2026-03-09') AS b
GROUP BY z, w ORDER BY z, w;

-- local months in Berlin: from the 1st at local midnight, 28 to 31 days long
SELECT bucket, bucket_start, lead(bucket_start) OVER (ORDER BY bucket) - bucket_start AS length, opened, closed, backlog,
	   opened = (SELECT count(*) FROM tickets AS t WHERE date_trunc('month', t.opened AT TIME ZONE 'Europe/Berlin') = bucket) AS opened_ok
FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 month', 'Europe/Berlin') FROM tickets), '2026-01-15', '2026-12-31');

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
					'2026-01-12', '2027-01-03') AS b
JOIN weeks AS w USING (bucket_start);

-- a clock that went back a whole day: America/Juneau, 1867-10-19 (from
-- +15:02:19 to -08:57:41), so that local dates repeat.  Each bucket starts at
-- the first instant of its local date, 48 hours before the next one once,
-- and counts the tickets of that date; a ticket closes on its local date, or
-- on the one it opened on when that is later, and the backlog at the end of a
-- date counts the tickets opened by then and not closed by then
CREATE TEMP TABLE juneau AS
SELECT timestamptz '1867-10-16 00:00+00' + i * interval '1 hour' AS opened,
	   CASE WHEN i % 3 = 0 THEN NULL ELSE timestamptz '1867-10-16 00:00+00' + (i + (i * 7) % 41) * interval '1 hour' END AS closed
FROM generate_series(0, 6 * 24 - 1) AS i;
CREATE TEMP TABLE juneau_local AS
SELECT (opened AT TIME ZONE 'America/Juneau')::date AS od,
	   CASE WHEN closed IS NOT NULL
			THEN greatest((closed AT TIME ZONE 'America/Juneau')::date, (opened AT TIME ZONE 'America/Juneau')::date) END AS cd
FROM juneau;
WITH ref AS (
	SELECT min(g) AS bucket_start
	FROM generate_series(timestamptz '1867-10-14 00:00+00', '1867-10-23 00:00+00', interval '1 second') AS g
	GROUP BY (g AT TIME ZONE 'America/Juneau')::date
)
SELECT b.bucket::date AS local_date, b.bucket_start,
	   lead(b.bucket_start) OVER (ORDER BY b.bucket_start) - b.bucket_start AS length, b.opened, b.closed, b.backlog,
	   b.bucket_start IN (SELECT bucket_start FROM ref) AS first_instant,
	   (b.bucket_start AT TIME ZONE 'America/Juneau')::date = b.bucket::date AS label_ok,
	   (b.opened, b.closed, b.backlog) = (SELECT count(*) FILTER (WHERE od = b.bucket::date), count(*) FILTER (WHERE cd = b.bucket::date),
											 count(*) FILTER (WHERE od <= b.bucket::date AND (cd IS NULL OR cd > b.bucket::date))
										  FROM juneau_local) AS counts_ok
FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day', 'America/Juneau') FROM juneau), '1867-10-15', '1867-10-22') AS b
ORDER BY 2;
-- weeks and months there too: the same rule by local week and month
SELECT w, count(*) AS buckets,
	   count(*) FILTER (WHERE (b.opened, b.closed, b.backlog) =
		   (SELECT count(*) FILTER (WHERE date_trunc(unit, od) = b.bucket), count(*) FILTER (WHERE date_trunc(unit, cd) = b.bucket),
				   count(*) FILTER (WHERE date_trunc(unit, od) <= b.bucket AND (cd IS NULL OR date_trunc(unit, cd) > b.bucket))
			FROM juneau_local)) AS counts_ok
FROM (VALUES (interval '1 week', 'week'), (interval '1 month', 'month')) AS v(w, unit),
	 LATERAL backlog_series((SELECT ticket_flow_agg(opened, closed, w, 'America/Juneau') FROM juneau), '1867-10-01', '1867-11-30') AS b
GROUP BY w ORDER BY w;

-- a day a zone skipped (Samoa, 2011-12-30) has no instant and no row; hours go on
SELECT bucket, bucket_start, opened, backlog
FROM backlog_series((SELECT ticket_flow_agg(o, NULL, '1 day', 'Pacific/Apia')
					 FROM generate_series(timestamptz '2011-12-28 12:00+00', '2011-12-31 12:00+00', interval '6 hours') AS o),
					'2011-12-29', '2011-12-31');
SELECT min(bucket) AS first_label, max(bucket) AS last_label, count(*) AS hours, sum(opened) AS opened
FROM backlog_series((SELECT ticket_flow_agg(o, NULL, '1 hour', 'Pacific/Apia')
					 FROM generate_series(timestamptz '2011-12-28 12:00+00', '2011-12-31 12:00+00', interval '6 hours') AS o),
					'2011-12-29', '2011-12-31');

-- hour buckets: elapsed hours, also across the DST change of the zone passed
SELECT h AS hours, count(*) AS buckets,
	   count(*) FILTER (WHERE b.opened = (SELECT count(*) FROM tickets AS t WHERE t.opened >= b.bucket_start AND t.opened < b.bucket_start + h * interval '1 hour')
						AND b.backlog = (SELECT count(*) FROM tickets AS t WHERE t.opened < b.bucket_start + h * interval '1 hour'
										 AND (t.closed IS NULL OR t.closed >= b.bucket_start + h * interval '1 hour'))) AS equal,
	   count(*) FILTER (WHERE extract(epoch FROM b.bucket_start)::bigint % (h * 3600) = 0) AS aligned
FROM (VALUES (1), (6), (24)) AS v(h),
	 LATERAL backlog_series((SELECT ticket_flow_agg(opened, closed, h * interval '1 hour', 'America/New_York') FROM tickets),
							timestamptz '2026-03-07 12:00+00', timestamptz '2026-03-09 12:00+00') AS b
GROUP BY h ORDER BY h;

-- the default time zone is UTC
SELECT ticket_flow_agg(opened, closed, '1 day')::text = ticket_flow_agg(opened, closed, '1 day', 'UTC')::text AS utc_default,
	   ticket_flow_agg(opened, closed, '1 day', 'utc')::text = ticket_flow_agg(opened, closed, '1 day', 'UTC')::text AS canonical_name,
	   ticket_flow_agg(opened, closed, '7 days', 'UTC')::text = ticket_flow_agg(opened, closed, '1 week', 'UTC')::text AS week_spellings,
	   ticket_flow_agg(opened, closed, '60 minutes')::text = ticket_flow_agg(opened, closed, '1 hour')::text AS hour_spellings
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
-- instants: from inside a bucket skips it; to on a bucket start includes it
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small),
							 timestamptz '2026-03-02 00:00:00.000001', timestamptz '2026-03-04');
-- from after to, and a range before every ticket
SELECT count(*) FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-03-04', '2026-03-03');
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small), '2026-02-27', '2026-02-28');
SELECT * FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '1 day') FROM small),
							 timestamptz '2026-03-09 12:00', timestamptz '2026-03-09 13:00');
-- 15-minute buckets of local days: the whole of both days
SELECT count(*) AS buckets, min(bucket) AS first_label, max(bucket) AS last_label, sum(opened) AS opened, max(backlog) AS max_backlog
FROM backlog_series((SELECT ticket_flow_agg(opened, closed, '15 minutes', 'Europe/Berlin') FROM small), '2026-03-02', '2026-03-03');

-- NULL and empty: no ticket gives NULL, and a NULL flow or bound gives no rows
SELECT ticket_flow_agg(opened, closed, '1 day') IS NULL AS empty_is_null FROM small WHERE false;
SELECT ticket_flow_agg(opened, closed, '1 day') IS NULL AS null_opened_is_null FROM small WHERE opened IS NULL;
SELECT count(*) FROM backlog_series(NULL, '2026-01-01', '2026-02-01');
SELECT count(*) FROM backlog_series('v2:1d;UTC;0;1/0', NULL, '2026-02-01');
SELECT count(*) FROM backlog_series('v2:1d;UTC;0;1/0', date '2026-01-01', NULL);
SELECT count(*) FROM backlog_series('v2:1d;UTC;0;1/0', timestamptz '2026-01-01', NULL);

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
FROM (VALUES (1, NULL::ticket_flow), (2, 'v2:1d;UTC;9000;1/0'), (3, NULL), (4, NULL), (5, 'v2:1d;UTC;9002;0/0,1/1')) AS v(id, f)
ORDER BY id;
-- a frame that has emptied forgets its buckets: flows and tickets of another
-- bucket size or zone may enter it, as in a recomputation of the frame; an
-- empty flow merges with any
SELECT id, rollup(f) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, 'v2:1d;UTC;9000;1/0'::ticket_flow), (2, NULL), (3, 'v2:1h;UTC;216000;1/0'), (4, 'v2:1h;UTC;216001;1/1'),
			 (5, 'v2:1w;UTC;0;'), (6, 'v2:1mon;Europe/Berlin;300;2/1'), (7, 'v2:15m;UTC;0;')) AS v(id, f)
ORDER BY id;
SELECT id, ticket_flow_agg(o, c, b, z) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, timestamptz '2026-01-01 10:00+00', NULL::timestamptz, interval '1 day', 'UTC'),
			 (2, NULL, NULL, '1 day', 'UTC'),
			 (3, '2026-01-01 10:00+00', '2026-01-01 10:40+00', '15 minutes', 'UTC'),
			 (4, '2026-01-01 11:00+00', NULL, '15 minutes', 'UTC'),
			 (5, NULL, NULL, '1 month', 'Europe/Berlin'),
			 (6, NULL, NULL, '1 month', 'Europe/Berlin'),
			 (7, '2026-01-31 23:30+00', NULL, '1 month', 'Europe/Berlin')) AS v(id, o, c, b, z)
ORDER BY id;
SELECT rollup(f) FROM (VALUES ('v2:1w;UTC;0;'::ticket_flow), ('v2:1d;Europe/Berlin;9000;1/0'), ('v2:6h;UTC;5;')) AS v(f);

-- state memory follows the tickets, not the span of their timestamps: one
-- ticket open for a century of hours or quarter hours is two buckets
SELECT w, f, pg_column_size(f) AS bytes,
	   (SELECT count(*) FROM backlog_series(f, '2026-01-01', '2026-01-01')) AS rows_of_a_day,
	   (SELECT backlog FROM backlog_series(f, '2090-06-01', '2090-06-01') LIMIT 1) AS open_in_2090
FROM (VALUES (interval '15 minutes'), (interval '1 hour'), (interval '1 day')) AS v(w),
	 LATERAL (SELECT ticket_flow_agg(o, c, w) AS f
			  FROM (VALUES (timestamptz '2000-01-01 00:00+00', timestamptz '2100-01-01 00:00+00')) AS t(o, c)) AS x;
-- hash aggregation within work_mem: 5000 groups of one such ticket each (a
-- dense state would take 13.9 MB per group); the peak memory of the hash
-- table stays near work_mem (hash_mem_multiplier = 2), and every group's flow
-- is right
CREATE FUNCTION pg_temp.hash_agg_memory(q text) RETURNS TABLE (hash_aggregate boolean, peak_below_1mb boolean)
LANGUAGE plpgsql AS $$
DECLARE
	line text;
	kb bigint;
BEGIN
	hash_aggregate := false;
	peak_below_1mb := false;
	FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
		hash_aggregate := hash_aggregate OR line LIKE '%HashAggregate%';
		kb := substring(line FROM 'Memory Usage: ([0-9]+)kB')::bigint;
		IF kb IS NOT NULL THEN
			peak_below_1mb := kb < 1024;
		END IF;
	END LOOP;
	RETURN NEXT;
END $$;
CREATE TEMP TABLE wide AS
SELECT g, timestamptz '1950-01-01 00:00+00' + g * interval '1 minute' AS o FROM generate_series(1, 5000) AS g;
ANALYZE wide;
SET work_mem = '256kB';
SET enable_sort = off;
SELECT * FROM pg_temp.hash_agg_memory('SELECT g, ticket_flow_agg(o, o + interval ''100 years'', ''1 hour'') FROM wide GROUP BY g');
SELECT * FROM pg_temp.hash_agg_memory('SELECT g % 1000, ticket_flow_agg(o, o + interval ''100 years'', ''15 minutes'', ''Europe/Berlin'') FROM wide GROUP BY g % 1000');
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE f::text = format('v2:1h;UTC;%s;1/0,~%s,0/1', floor(extract(epoch FROM o - timestamptz '2000-01-01 00:00+00') / 3600),
											   floor(extract(epoch FROM o + interval '100 years' - timestamptz '2000-01-01 00:00+00') / 3600)
											   - floor(extract(epoch FROM o - timestamptz '2000-01-01 00:00+00') / 3600) - 1)) AS right
FROM (SELECT g, min(o) AS o, ticket_flow_agg(o, o + interval '100 years', '1 hour') AS f FROM wide GROUP BY g) AS x;
RESET work_mem;
RESET enable_sort;

-- sliding frames over sparse flows (tickets open for years, hour buckets)
-- against recomputation of every frame
CREATE TEMP TABLE long_tickets AS
SELECT i AS id, o, CASE WHEN i % 5 = 0 THEN NULL ELSE o + ((i * 7919) % 10007) * interval '1 day' + (i % 24) * interval '1 hour' END AS c
FROM generate_series(1, 600) AS i,
	 LATERAL (SELECT timestamptz '1990-01-01 00:00+00' + ((i * 104729) % 300007) * interval '1 hour' AS o) AS x;
SELECT count(*) AS rows_checked,
	   count(*) FILTER (WHERE w.f::text IS NOT DISTINCT FROM (
		   SELECT ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin')::text FROM long_tickets AS t WHERE t.id BETWEEN w.id - 24 AND w.id)) AS flow_equal,
	   count(*) FILTER (WHERE w.r::text IS NOT DISTINCT FROM (
		   SELECT ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin')::text FROM long_tickets AS t WHERE t.id BETWEEN w.id - 70 AND w.id + 3)) AS rollup_equal,
	   count(*) FILTER (WHERE w.m::text IS NOT DISTINCT FROM (
		   SELECT ticket_flow_agg(o, c, '1 month', 'Europe/Berlin')::text FROM long_tickets AS t WHERE t.id BETWEEN w.id - 9 AND w.id)) AS month_equal
FROM (SELECT id,
			 ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin') OVER (ORDER BY id ROWS 24 PRECEDING) AS f,
			 rollup(one) OVER (ORDER BY id ROWS BETWEEN 70 PRECEDING AND 3 FOLLOWING) AS r,
			 ticket_flow_agg(o, c, '1 month', 'Europe/Berlin') OVER (ORDER BY id ROWS 9 PRECEDING) AS m
	  FROM (SELECT id, o, c, ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin') OVER (PARTITION BY id) AS one
			FROM long_tickets) AS one_each) AS w;

-- rollup of random partitions, merged in a random order, is byte for byte the
-- one-step flow (dense and sparse ones), and a text or binary round trip gives
-- the same bytes
SELECT setseed(0.31);
CREATE TEMP TABLE partitionings AS
SELECT w, k, 1 + floor(random() * 40)::int AS parts
FROM (VALUES (interval '1 hour'), (interval '1 day'), (interval '1 month')) AS v(w), generate_series(1, 6) AS k;
SELECT p.w, count(*) AS partitionings,
	   count(*) FILTER (WHERE (SELECT kpi_ticket_flow_send(rollup(f ORDER BY random()))
							   FROM (SELECT ticket_flow_agg(o, c, p.w, 'America/Sao_Paulo') AS f
									 FROM long_tickets GROUP BY (id * 31 + p.k) % p.parts) AS x) = one.bytes) AS rollup_equal,
	   count(*) FILTER (WHERE kpi_ticket_flow_send(one.f::text::ticket_flow) = one.bytes
						AND pg_column_size(one.f::text::ticket_flow) = pg_column_size(one.f)) AS text_round_trip_equal
FROM partitionings AS p,
	 LATERAL (SELECT ticket_flow_agg(o, c, p.w, 'America/Sao_Paulo') AS f,
					 kpi_ticket_flow_send(ticket_flow_agg(o, c, p.w, 'America/Sao_Paulo')) AS bytes
			  FROM long_tickets) AS one
GROUP BY p.w ORDER BY p.w;

-- the + and - operators on sparse and dense flows: a fold of + over random
-- partitions in a random order is byte for byte the one-step flow, (a + b) - b
-- is a, a - a is NULL; format-1 literals add to format-2 values
CREATE TEMP TABLE op_parts AS
SELECT w, id % 9 AS part, ticket_flow_agg(o, c, w, 'Europe/Berlin') AS f
FROM long_tickets, (VALUES (interval '1 hour'), (interval '1 day'), (interval '15 minutes')) AS v(w)
GROUP BY w, id % 9;
CREATE FUNCTION pg_temp.plus_fold(width interval) RETURNS ticket_flow LANGUAGE plpgsql AS $$
DECLARE
	acc ticket_flow;
	p ticket_flow;
BEGIN
	FOR p IN SELECT f FROM op_parts WHERE w = width ORDER BY random() LOOP
		acc := acc + p;
	END LOOP;
	RETURN acc;
END $$;
SELECT setseed(0.5);
SELECT w,
	   kpi_ticket_flow_send(pg_temp.plus_fold(w)) = kpi_ticket_flow_send(one) AS fold_equal,
	   pg_column_size(pg_temp.plus_fold(w)) = pg_column_size(one) AS same_size,
	   (SELECT bool_and(kpi_ticket_flow_send((a.f + b.f) - b.f) = kpi_ticket_flow_send(a.f)
						AND kpi_ticket_flow_send(a.f + b.f) = kpi_ticket_flow_send(b.f + a.f))
		FROM op_parts AS a JOIN op_parts AS b USING (w) WHERE a.w = x.w) AS plus_minus_ok,
	   (one - one) IS NULL AS difference_empty
FROM (SELECT w, ticket_flow_agg(o, c, w, 'Europe/Berlin') AS one
	  FROM long_tickets, (VALUES (interval '1 hour'), (interval '1 day'), (interval '15 minutes')) AS v(w) GROUP BY w) AS x
ORDER BY w;
SELECT 'v1:1h;UTC;0;1/0'::ticket_flow + 'v2:1h;UTC;876000;1/1' AS sparse_sum,
	   ('v1:1h;UTC;0;1/0'::ticket_flow + 'v2:1h;UTC;876000;1/1') - 'v2:1h;UTC;876000;1/1' AS back,
	   'v2:1w;UTC;0;'::ticket_flow + 'v2:1d;UTC;9000;1/0' AS empty_adds_to_any;
-- a backlog that would fall below zero (the opening taken away, the closure left)
SELECT 'v2:1h;UTC;0;1/0,~875999,0/1'::ticket_flow - 'v1:1h;UTC;0;1/0';

-- text round trip (canonical form), and binary round trip through COPY
SELECT f::text::ticket_flow::text = f::text AS text_ok, length(f::text) > 100 AS long_enough FROM ny_flow;
SELECT 'v1:1w; europe/berlin ;1356;2/1, ~ 8,1/0,~3,0/1'::ticket_flow;
SELECT 'v1:6h;UTC;-5;1/0,0/0,0/0,0/1'::ticket_flow;
SELECT 'v1:1d;UTC;9000;'::ticket_flow, 'v1:1d;UTC;9000;0/0,~2,0/0'::ticket_flow, 'v2:1d;UTC;9000;~5,1/0,~7'::ticket_flow;
SELECT 'v2:15m;Asia/Kathmandu;900000;1/0,~3,0/1'::ticket_flow, 'v2:30m;UTC;-1;1/1'::ticket_flow, 'v2:1mon;America/New_York;314;3/2,~11,0/1'::ticket_flow;
-- the two encodings: dense when not larger than sparse (span * 16 <= buckets * 24)
SELECT f::text, pg_column_size(f) AS bytes
FROM (VALUES ('v2:1d;UTC;0;1/0,~1,1/0'::ticket_flow), ('v2:1d;UTC;0;1/0,~2,1/0'), ('v2:1d;UTC;0;1/0,~1,1/0,~1,1/0'),
			 ('v2:1d;UTC;0;1/0,~2,1/0,~2,1/0')) AS v(f);
CREATE TABLE copy_src AS
SELECT team, f FROM team_flows
UNION ALL SELECT 'sparse', ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin') FROM long_tickets
UNION ALL SELECT 'months', ticket_flow_agg(o, c, '1 month', 'Pacific/Chatham') FROM long_tickets
UNION ALL SELECT 'empty', 'v2:30m;UTC;0;';
\copy copy_src TO 'results/ticket_flow.bin' WITH (FORMAT binary)
CREATE TABLE copy_dst (LIKE copy_src);
\copy copy_dst FROM 'results/ticket_flow.bin' WITH (FORMAT binary)
SELECT count(*) AS rows_copied, count(*) FILTER (WHERE a.f::text = b.f::text AND pg_column_size(a.f) = pg_column_size(b.f)) AS equal
FROM copy_src AS a JOIN copy_dst AS b USING (team);

-- forced parallel plan: Partial Aggregate in the workers, identical results
-- (dense daily flows, and sparse ones whose worker states are logs)
CREATE TABLE tickets_big AS SELECT * FROM tickets, generate_series(1, 20) AS rep;
ANALYZE tickets_big;
CREATE TABLE long_big AS SELECT l.*, rep FROM long_tickets AS l, generate_series(1, 50) AS rep;
ANALYZE long_big;
CREATE TEMP TABLE serial_flow AS
SELECT (SELECT ticket_flow_agg(opened, closed, '1 day', 'America/New_York')::text FROM tickets_big) AS f,
	   (SELECT kpi_ticket_flow_send(ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin')) FROM long_big) AS sparse;
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
EXPLAIN (COSTS OFF)
SELECT ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin') FROM long_big;
SELECT kpi_ticket_flow_send(ticket_flow_agg(o, c, '1 hour', 'Europe/Berlin')) = (SELECT sparse FROM serial_flow) AS parallel_sparse_ok
FROM long_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- support functions called directly: a checked value in, the canonical value
-- out, and a clean error for removing what a flow does not hold
SELECT kpi_flow_accum(NULL, '2026-03-02 10:00+00', NULL, '1 day'),
	   kpi_flow_accum('v1:1d;UTC;9556;1/0', '2026-03-02 10:00+00', '2026-03-04 10:00+00', '1 day'),
	   kpi_flow_tz_inv('v2:1d;UTC;9556;1/0,1/0', '2026-03-01 10:00+00', NULL, '1 day', 'UTC'),
	   kpi_flow_combine('v2:1h;UTC;0;1/0', 'v2:1h;UTC;1000;1/1'),
	   kpi_flow_uncombine('v2:1h;UTC;0;1/0,~999,1/1', 'v2:1h;UTC;1000;1/1'),
	   kpi_flow_final('v1:1d;UTC;9000;0/0,1/0,0/0');
\set VERBOSITY sqlstate
SELECT kpi_flow_inv('v2:1d;UTC;9556;1/1', '2026-03-01 10:00+00', NULL, '1 day');
SELECT kpi_flow_inv('v2:1d;UTC;9556;1/0', '2027-03-01 10:00+00', NULL, '1 day');
SELECT kpi_flow_uncombine('v2:1d;UTC;0;1/0', 'v2:1d;UTC;5;1/0');
SELECT kpi_flow_uncombine('v2:1d;UTC;0;1/1', 'v2:1d;UTC;0;1/0');
SELECT kpi_flow_combine('v2:1d;UTC;0;9223372036854775807/0', 'v2:1d;UTC;5;1/0');
SELECT kpi_flow_accum('v2:1d;UTC;0;9223372036854775807/0', '2000-01-05', NULL, '1 day');
\set VERBOSITY default

-- POSIX zone strings: fixed offsets, rules, daylight time all year, offsets
-- beyond a day, each against PostgreSQL's own local dates
SELECT z, ticket_flow_agg(o, NULL, '1 day', z) AS flow,
	   (SELECT count(*) FROM backlog_series(ticket_flow_agg(o, NULL, '1 day', z), '2026-01-01', '2026-12-31')) AS days,
	   (SELECT string_agg(DISTINCT (b.bucket_start AT TIME ZONE z)::time::text, ',')
		FROM backlog_series(ticket_flow_agg(o, NULL, '1 day', z), '2026-01-01', '2026-12-31') AS b) AS local_start_times,
	   ticket_flow_agg(o, NULL, '1 day', z)::text =
	   'v2:1d;' || z || ';' || string_agg(((o AT TIME ZONE z)::date - date '2000-01-01')::text || ';1/0', '' ORDER BY o) AS matches_postgres
FROM (VALUES ('UTC+3'), ('<+03>-3'), ('EST5EDT,M3.2.0,M11.1.0'), ('XXX3YYY,0/0,J365/25'), ('<+167>-167'),
			 ('AAA167'), ('<-0530>5:30<-0430>,M3.5.0,M10.5.0/3')) AS zones(z),
	 (VALUES (timestamptz '2026-06-15 12:00+00')) AS t(o)
GROUP BY z ORDER BY z;
SELECT z, count(*) AS hours,
	   count(*) FILTER (WHERE is_business_time(h, ('mon-fri 09:00-17:00; tz=' || z)::business_calendar) =
						(extract(isodow FROM h AT TIME ZONE z) BETWEEN 1 AND 5 AND (h AT TIME ZONE z)::time >= '09:00'
						 AND (h AT TIME ZONE z)::time < '17:00')) AS business_hours_ok
FROM (VALUES ('UTC+3'), ('<+03>-3'), ('EST5EDT,M3.2.0,M11.1.0'), ('XXX3YYY,0/0,J365/25'), ('<+167>-167'),
			 ('AAA167'), ('<-0530>5:30<-0430>,M3.5.0,M10.5.0/3')) AS zones(z),
	 generate_series(timestamptz '2026-03-01', '2026-03-31', interval '37 minutes') AS h
GROUP BY z ORDER BY z;
-- every bucket of the timestamp range's ends, in the zones of the widest
-- offsets: the aggregates, the text form and the series accept their own values
SELECT z, w, f::text::ticket_flow::text = f::text AS round_trip,
	   (SELECT count(*) FROM backlog_series(f, '4714-11-24 BC', '4714-12-31 BC')) > 0 AS first_days,
	   (SELECT count(*) FROM backlog_series(f, '294276-12-01', '294276-12-31')) > 0 AS last_days,
	   (SELECT count(*) FROM backlog_series(f, '294276-12-01', '5874897-12-31')) > 0 AS beyond,
	   (SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE bucket IS NULL) || ' unlabelled'
		FROM backlog_series(f, '294277-01-01', '294277-12-31')) AS local_past_the_range
FROM (VALUES ('<+167:59>-167:59'), ('<-167:59>167:59'), ('Pacific/Kiritimati'), ('UTC')) AS zones(z),
	 (VALUES (interval '15 minutes'), (interval '1 day'), (interval '1 week'), (interval '1 month')) AS widths(w),
	 LATERAL (SELECT ticket_flow_agg(o, c, w, z) AS f
			  FROM (VALUES (timestamptz '4714-11-24 00:00+00 BC', timestamptz '294276-12-31 23:59:59.999999+00'),
						   ('294276-12-31 23:59:59.999999+00', NULL)) AS v(o, c)) AS x
ORDER BY z, w;

-- every named zone: a ticket at instants of many eras falls on PostgreSQL's
-- local date of it, and the bucket of that date starts at its first instant
-- (the instant before it has another local date)
CREATE FUNCTION pg_temp.check_zones() RETURNS TABLE (zones bigint, instants bigint, wrong_day bigint, wrong_start bigint)
LANGUAGE plpgsql AS $$
DECLARE
	z text;
	bad_day bigint;
	bad_start bigint;
	n bigint;
BEGIN
	zones := 0;
	instants := 0;
	wrong_day := 0;
	wrong_start := 0;
	FOR z IN SELECT name FROM pg_timezone_names ORDER BY name LOOP
		-- the session's zone is read by pg_tzset, like ticket_flow_agg's
		PERFORM set_config('timezone', z, true);
		SELECT count(*),
			   count(*) FILTER (WHERE ticket_flow_agg_text <> format('v2:1d;%s;%s;1/0', z, t::date - date '2000-01-01')),
			   count(*) FILTER (WHERE (s::date <> t::date) OR ((s - interval '1 microsecond')::date = t::date))
		  INTO n, bad_day, bad_start
		  FROM (SELECT t, f::text AS ticket_flow_agg_text,
					   (SELECT bucket_start FROM backlog_series(f, t::date, t::date)) AS s
				  FROM (SELECT t, (SELECT ticket_flow_agg(x, NULL, '1 day', z) FROM (SELECT t) AS one(x)) AS f
						  FROM unnest(ARRAY[timestamptz '1850-06-01 12:00+00', '1890-01-01 00:00+00', '1901-12-13 20:45:52+00',
											'1918-03-31 12:00+00', '1942-02-09 12:00+00', '1970-01-01 00:00+00',
											'1996-10-27 01:30+00', '2011-12-30 10:00+00', '2016-03-27 00:30+00',
											'2026-03-08 07:00+00', '2026-03-29 01:00+00', '2026-10-25 01:00+00',
											'2026-11-01 06:00+00', '2037-11-01 06:00+00', '2100-07-01 00:00+00',
											'2437-03-08 07:00+00']) AS t) AS x) AS y;
		zones := zones + 1;
		instants := instants + n;
		wrong_day := wrong_day + bad_day;
		wrong_start := wrong_start + bad_start;
	END LOOP;
	RETURN NEXT;
END $$;
SELECT zones > 400 AS all_zones, instants = 16 * zones AS all_instants, wrong_day, wrong_start FROM pg_temp.check_zones();

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
SELECT ticket_flow_agg(opened, closed, '2 months') FROM small;
SELECT ticket_flow_agg(opened, closed, '5 hours') FROM small;
SELECT ticket_flow_agg(opened, closed, '20 minutes') FROM small;
SELECT ticket_flow_agg(opened, closed, '-1 day') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day 1 hour') FROM small;
SELECT ticket_flow_agg(opened, closed, NULL) FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', NULL) FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', 'Mars/Olympus_Mons') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', '') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', 'AAA167:59:59') FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', 'EST5EDT,M13.1.0') FROM small;
SELECT 'tz=AAA167:59:59'::business_calendar;
SELECT ticket_flow_agg(opened, closed, CASE WHEN opened < '2026-03-03' THEN interval '1 day' ELSE interval '1 week' END) FROM small;
SELECT ticket_flow_agg(opened, closed, '1 day', CASE WHEN opened < '2026-03-03' THEN 'UTC' ELSE 'Europe/Berlin' END) FROM small;
SELECT rollup(f) FROM (VALUES ('v2:1d;UTC;9000;1/0'::ticket_flow), ('v2:1d;Europe/Berlin;9000;1/0')) AS v(f);
SELECT rollup(f) FROM (VALUES ('v2:1d;UTC;9000;1/0'::ticket_flow), ('v2:6h;UTC;9000;1/0')) AS v(f);
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('2026-03-02 10:00+00'::timestamptz, '2026-03-02 09:59+00'::timestamptz)) AS v(o, c);
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('infinity'::timestamptz, NULL::timestamptz)) AS v(o, c);
SELECT ticket_flow_agg(o, c, '1 day') FROM (VALUES ('2026-03-02'::timestamptz, 'infinity'::timestamptz)) AS v(o, c);
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', timestamptz '-infinity', timestamptz '2026-01-01');
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', date '2026-01-01', date 'infinity');
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '-infinity', '2026-01-01');
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '2026-01-01 10:00', '2026-01-02');
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '2026-01-01', '2026-01-02 00:00+01');
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '2026-01-01', '2026-01-02 Europe/Berlin');
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '2026-01-01', 'now');
-- date's own error (terse: its hint's wording differs between PostgreSQL versions)
\set VERBOSITY terse
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '2026-01-01', '2026-13-01');
\set VERBOSITY default
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
SELECT * FROM backlog_series('v2:1d;UTC;9000;1/0', '2026-01-01 10:00', '2026-01-02');
\set VERBOSITY default

-- errors: malformed and corrupt literals
SELECT 'garbage'::ticket_flow;
SELECT 'v3:1d;UTC;0;1/0'::ticket_flow;
SELECT 'v2:2d;UTC;0;1/0'::ticket_flow;
SELECT 'v2:5h;UTC;0;1/0'::ticket_flow;
SELECT 'v2:45m;UTC;0;1/0'::ticket_flow;
SELECT 'v2:2mon;UTC;0;1/0'::ticket_flow;
SELECT 'v2:1x;UTC;0;1/0'::ticket_flow;
SELECT 'v2:1d;;0;1/0'::ticket_flow;
SELECT 'v2:1d;Nowhere/Atlantis;0;1/0'::ticket_flow;
SELECT 'v2:1d;UTC;x;1/0'::ticket_flow;
SELECT 'v2:1d;UTC;0;1/'::ticket_flow;
SELECT 'v2:1d;UTC;0;1/0,-1/0'::ticket_flow;
SELECT 'v2:1d;UTC;0;~0'::ticket_flow;
SELECT 'v2:1d;UTC;0;~1000000000'::ticket_flow;
SELECT 'v2:1d;UTC;0;1/0;'::ticket_flow;
SELECT 'v2:1d;UTC;0;0/1'::ticket_flow;
SELECT 'v2:1d;UTC;0;1/0,0/2'::ticket_flow;
SELECT 'v2:1d;UTC;99999999999;1/0'::ticket_flow;
SELECT 'v2:15m;UTC;-7418000000;1/0'::ticket_flow;
SELECT 'v2:1d;UTC;0;9223372036854775807/0,1/0'::ticket_flow;
SELECT 'v2:1d;UTC;0;99999999999999999999/0'::ticket_flow;
