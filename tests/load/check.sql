/*
 * make load, after the load: the quiet re-run.  Each row is a check and the
 * number of rows that differ (0 = pass).  psql variables: expected_tickets.
 */
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET timezone = 'UTC';

-- the views as the last concurrent refresh left them, refreshed once more in quiet
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_kpis;
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_durations;
SELECT format('CREATE TEMP TABLE fresh_kpis AS %s', rtrim(pg_get_viewdef('daily_kpis'::regclass), '; ')) \gexec
SELECT format('CREATE TEMP TABLE fresh_durations AS %s', rtrim(pg_get_viewdef('daily_durations'::regclass), '; ')) \gexec

CREATE TEMP VIEW rollup_dashboard AS
SELECT team, date_trunc('month', day)::date AS month, sum(tickets) AS tickets,
	nps(rollup(nps_scores)) AS nps, csat(rollup(csat_scores)) AS csat, ces(rollup(ces_scores)) AS ces,
	responses(rollup(nps_scores)) AS nps_responses,
	rate(rollup(fcr)) AS fcr, rate(rollup(reopens)) AS reopen, rate(rollup(escalations)) AS escalation,
	rate(rollup(automation)) AS automation, rate(rollup(first_response_sla)) AS sla_first,
	rate(rollup(resolution_sla)) AS sla_resolved, quality_score(rollup(quality)) AS quality,
	aht(rollup(handle)) AS aht
FROM daily_kpis
GROUP BY GROUPING SETS ((team, date_trunc('month', day)), (date_trunc('month', day)));

CREATE TEMP VIEW raw_dashboard AS
SELECT team, date_trunc('month', opened_at AT TIME ZONE 'UTC')::date AS month, count(*) AS tickets,
	nps(nps_score) AS nps, csat(csat_score) AS csat, ces(ces_score) AS ces,
	count(nps_score) AS nps_responses,
	rate(first_contact_resolved) AS fcr, rate(reopened) AS reopen, rate(escalated) AS escalation,
	rate(automated) AS automation, rate(first_response_at - opened_at <= first_response_target) AS sla_first,
	rate(resolved_at - opened_at <= resolution_target) AS sla_resolved,
	quality_score(qa_points, qa_max) AS quality, aht(talk_time, hold_time, wrap_time) AS aht
FROM tickets
GROUP BY GROUPING SETS ((team, date_trunc('month', opened_at AT TIME ZONE 'UTC')),
	(date_trunc('month', opened_at AT TIME ZONE 'UTC')));

CREATE TEMP VIEW rollup_durations AS
SELECT team, date_trunc('month', day)::date AS month,
	percentiles(rollup(resolution), '{0,0.5,0.9,0.99,1}') AS resolution,
	percentiles(rollup(first_response), '{0,0.5,0.9,0.99,1}') AS first_response,
	num_values(rollup(resolution)) AS n, mean(rollup(resolution)) AS mean
FROM daily_durations
GROUP BY team, date_trunc('month', day);

CREATE TEMP VIEW raw_durations AS
SELECT team, date_trunc('month', opened_at AT TIME ZONE 'UTC')::date AS month,
	percentiles(duration_agg(resolved_at - opened_at), '{0,0.5,0.9,0.99,1}') AS resolution,
	percentiles(duration_agg(first_response_at - opened_at), '{0,0.5,0.9,0.99,1}') AS first_response,
	num_values(duration_agg(resolved_at - opened_at)) AS n, mean(duration_agg(resolved_at - opened_at)) AS mean
FROM tickets
GROUP BY team, date_trunc('month', opened_at AT TIME ZONE 'UTC');

\pset footer off
\pset format unaligned
\pset tuples_only on
SELECT 'tickets counted', abs(count(*) - :expected_tickets) FROM tickets
UNION ALL
SELECT 'daily_kpis = its query recomputed', count(*) FROM (
	(SELECT d::text FROM daily_kpis AS d EXCEPT ALL SELECT f::text FROM fresh_kpis AS f)
	UNION ALL
	(SELECT f::text FROM fresh_kpis AS f EXCEPT ALL SELECT d::text FROM daily_kpis AS d)) AS x
UNION ALL
SELECT 'daily_durations = its query recomputed', count(*) FROM (
	(SELECT d::text FROM daily_durations AS d EXCEPT ALL SELECT f::text FROM fresh_durations AS f)
	UNION ALL
	(SELECT f::text FROM fresh_durations AS f EXCEPT ALL SELECT d::text FROM daily_durations AS d)) AS x
UNION ALL
SELECT 'dashboard rows (team x month + totals)', CASE WHEN count(*) >= 60 THEN 0 ELSE 1 END FROM rollup_dashboard
UNION ALL
SELECT 'dashboard: rollup = one-step from raw rows', count(*) FROM (
	(SELECT * FROM rollup_dashboard EXCEPT ALL SELECT * FROM raw_dashboard)
	UNION ALL
	(SELECT * FROM raw_dashboard EXCEPT ALL SELECT * FROM rollup_dashboard)) AS x
UNION ALL
SELECT 'sketch percentiles: rollup = one-step', count(*) FROM (
	(SELECT * FROM rollup_durations EXCEPT ALL SELECT * FROM raw_durations)
	UNION ALL
	(SELECT * FROM raw_durations EXCEPT ALL SELECT * FROM rollup_durations)) AS x
UNION ALL
SELECT 'exact median = percentile_cont', count(*) FROM (
	SELECT team,
		median(resolved_at - opened_at) AS m,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - opened_at) AS pc,
		percentile(first_response_at - opened_at, 0.9) AS p,
		percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_at - opened_at) AS pcp
	FROM tickets GROUP BY team) AS x
WHERE m IS DISTINCT FROM pc OR p IS DISTINCT FROM pcp;
