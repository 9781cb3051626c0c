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
