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
