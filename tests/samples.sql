-- Valid sample values of every type of kpi_ext, as text: the seeds of the fuzzer
-- (tests/fuzz/fuzz.sql) and the contents of the dump/restore check
-- (tests/t/dump_restore.sh).  Each family adds its type's samples here.
CREATE TEMP TABLE kpi_samples (typ regtype, lit text);

INSERT INTO kpi_samples
SELECT 'score_summary', s::text FROM (
	SELECT score_agg(g % 11) AS s FROM generate_series(1, 1000) AS g
	UNION ALL SELECT score_agg(10)
	UNION ALL SELECT 'v1:0,0,0,0,0,0,0,0,0,0,0'::score_summary
	UNION ALL SELECT 'v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807'::score_summary) AS x;

INSERT INTO kpi_samples
SELECT 'rate_summary', s::text FROM (
	SELECT rate_agg(g % 3 = 0) AS s FROM generate_series(1, 1000) AS g
	UNION ALL SELECT rate_agg(true)
	UNION ALL SELECT 'v1:0/0'::rate_summary
	UNION ALL SELECT 'v1:9223372036854775807/9223372036854775807'::rate_summary) AS x;

INSERT INTO kpi_samples
SELECT 'ratio_summary', s::text FROM (
	SELECT ratio_agg(g * 0.37, 1 + g % 7) AS s FROM generate_series(1, 1000) AS g
	UNION ALL SELECT ratio_agg(interval '1 hour', interval '8 hours')
	UNION ALL SELECT aht_agg(interval '5 min', NULL, interval '30 s')
	UNION ALL SELECT ratio_agg(0.1::float8, 0.3::float8)) AS x
WHERE s IS NOT NULL;

INSERT INTO kpi_samples
SELECT 'duration_summary', s::text FROM (
	SELECT duration_agg(exp(g % 97 / 7.0) * interval '1 second') AS s FROM generate_series(1, 1000) AS g
	UNION ALL SELECT duration_agg(g * interval '1 second') FROM generate_series(0, 3) AS g
	UNION ALL SELECT duration_agg(interval '5 minutes', 0.2)
	UNION ALL SELECT duration_agg(g * interval '1 microsecond', 0.0001) FROM generate_series(1, 50) AS g
	UNION ALL SELECT 'v1:a=0.01,n=0,z=0,sum=0,min=0,max=0;'::duration_summary) AS x;

INSERT INTO kpi_samples
SELECT 'business_calendar', lit FROM (VALUES
	('mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin; holidays=2026-12-25,2026-12-26'),
	('mon-fri 22:00-24:00; tue-sat 00:00-06:00; tz=America/New_York'),
	('mon-sun 00:00-24:00; tz=Asia/Kolkata'),
	('sat 10:00:30-14:00:15; holidays=2026-01-01'),
	('tz=UTC')) AS v(lit);

INSERT INTO kpi_samples
SELECT 'ticket_flow', f::text FROM (
	SELECT ticket_flow_agg(o, CASE WHEN g % 7 = 0 THEN NULL ELSE o + (g % 50) * interval '7 hours' END,
						   '1 day', 'Europe/Berlin') AS f
	FROM generate_series(1, 1000) AS g, LATERAL (SELECT timestamptz '2026-03-01' + g * interval '97 minutes' AS o) AS x
	UNION ALL SELECT ticket_flow_agg(timestamptz '2026-01-05 10:00+00', NULL, '1 week', 'America/New_York')
	UNION ALL SELECT ticket_flow_agg(timestamptz '2026-01-05 10:00+00' + g * interval '1 hour', NULL, '6 hours')
		FROM generate_series(1, 40) AS g
	UNION ALL SELECT 'v1:1h;UTC;-5;1/0,~3,0/1'::ticket_flow) AS x;

INSERT INTO kpi_samples
SELECT 'timeline', tl::text FROM (
	SELECT timeline_agg(timestamptz '2026-03-27 08:00+00' + g * interval '47 minutes',
						(ARRAY['new', 'open', 'pending', 'open', 'hold', 'solved'])[1 + g % 6],
						CASE WHEN g % 4 <> 0 THEN g END) AS tl
	FROM generate_series(1, 60) AS g
	UNION ALL SELECT timeline_agg(timestamptz '2026-01-01 00:00+00' + (g % 7) * interval '1 day', 'state ' || (g % 20))
		FROM generate_series(1, 100) AS g
	UNION ALL SELECT 'v1:2026-03-02 09:00:00+00 "new", 2026-03-02 09:00:00+00 #-7 "a\"b\\c", 2026-03-02 09:30:00.25+00 #3 "ö"'::timeline
	UNION ALL SELECT 'v1:0044-03-15 12:00:00+00 BC "ides", 294276-12-31 23:59:59.999999+00 #9223372036854775807 "last"'::timeline
	UNION ALL SELECT 'v1:'::timeline) AS x;
