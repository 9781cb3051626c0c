/*
 * Durations: first response, resolution and handle time per team and month,
 * as medians and 90th percentiles merged from daily duration sketches.
 *
 * daily_durations holds one duration_summary per team, day and duration: a
 * few kilobytes that roll up into any longer period with rollup(), and whose
 * percentiles are within 1% of the exact ones (the value percentile_disc
 * returns), whatever the period.  Refresh daily with
 *   REFRESH MATERIALIZED VIEW CONCURRENTLY daily_durations;
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
SET client_min_messages = warning;

DROP MATERIALIZED VIEW IF EXISTS daily_durations CASCADE;
CREATE MATERIALIZED VIEW daily_durations AS
SELECT team,
	(opened_at AT TIME ZONE 'UTC')::date AS day,
	count(*) AS tickets,
	duration_agg(first_response_at - opened_at) AS first_response,
	duration_agg(resolved_at - opened_at) AS resolution,
	/* agent-handled tickets only: bot-resolved ones have no handle time */
	duration_agg(CASE WHEN talk_time IS NOT NULL OR hold_time IS NOT NULL OR wrap_time IS NOT NULL
		THEN coalesce(talk_time, interval '0') + coalesce(hold_time, interval '0')
			+ coalesce(wrap_time, interval '0') END) AS handle
FROM tickets
GROUP BY 1, 2;
CREATE UNIQUE INDEX daily_durations_team_day ON daily_durations (team, day);
COMMENT ON MATERIALIZED VIEW daily_durations IS
	'kpi_ext demo: per team and day, first response, resolution and handle time as duration sketches';
ANALYZE daily_durations;

/* a duration in two units: 45s, 12m 30s, 3h 25m, 2d 03h */
CREATE FUNCTION pg_temp.short_duration(d interval) RETURNS text
	LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN d IS NULL THEN NULL
		WHEN s < 60 THEN format('%ss', round(s))
		WHEN s < 3600 THEN format('%sm %ss', floor(s / 60), lpad(round(s - 60 * floor(s / 60))::text, 2, '0'))
		WHEN s < 86400 THEN format('%sh %sm', floor(s / 3600), lpad(floor((s - 3600 * floor(s / 3600)) / 60)::text, 2, '0'))
		ELSE format('%sd %sh', floor(s / 86400), lpad(floor((s - 86400 * floor(s / 86400)) / 3600)::text, 2, '0'))
	END
	FROM (SELECT extract(epoch FROM d) AS s) AS x
$$;

SELECT to_char(sum(tickets), 'FM999,999,999') AS tickets, count(*) AS summary_rows,
	pg_size_pretty(sum(pg_column_size(first_response) + pg_column_size(resolution) + pg_column_size(handle))) AS summary_size
FROM daily_durations \gset

\echo
\echo '================================================================================'
\echo ' Durations: ':tickets' tickets; monthly medians and 90th percentiles merged from'
\echo ' ':summary_rows' daily rows of duration sketches in daily_durations (':summary_size')'
\echo ' Every percentile is within 1% of the exact one; rollup() merges days exactly.'
\echo '================================================================================'

CREATE TEMP VIEW duration_rows AS
SELECT team, date_trunc('month', day)::date AS month_start,
	to_char(date_trunc('month', day), 'YYYY-MM') AS "month",
	to_char(sum(tickets), 'FM999,999,999') AS "tickets",
	pg_temp.short_duration(median(rollup(first_response))) AS "1st resp p50",
	pg_temp.short_duration(percentile(rollup(first_response), 0.9)) AS "1st resp p90",
	pg_temp.short_duration(median(rollup(resolution))) AS "resolution p50",
	pg_temp.short_duration(percentile(rollup(resolution), 0.9)) AS "resolution p90",
	pg_temp.short_duration(median(rollup(handle))) AS "handle p50",
	pg_temp.short_duration(percentile(rollup(handle), 0.9)) AS "handle p90"
FROM daily_durations
GROUP BY GROUPING SETS ((team, date_trunc('month', day)), (date_trunc('month', day)));

\echo
\echo 'Company-wide, per month'
SELECT "month", "tickets", "1st resp p50", "1st resp p90", "resolution p50", "resolution p90",
	"handle p50", "handle p90"
FROM duration_rows WHERE team IS NULL ORDER BY month_start;

\echo
\echo 'Per team, per month'
SELECT team, "month", "tickets", "1st resp p50", "1st resp p90", "resolution p50", "resolution p90",
	"handle p50", "handle p90"
FROM duration_rows WHERE team IS NOT NULL ORDER BY team, month_start;

\echo
\echo 'Per team, whole period: the same rollup over every day, against the exact percentiles of the raw rows'
WITH s AS (
	SELECT team, rollup(first_response) AS fr, rollup(resolution) AS res, rollup(handle) AS h
	FROM daily_durations GROUP BY team
), e AS (
	SELECT team,
		percentile_disc(0.5) WITHIN GROUP (ORDER BY first_response_at - opened_at) AS fr50,
		percentile_disc(0.9) WITHIN GROUP (ORDER BY first_response_at - opened_at) AS fr90,
		percentile_disc(0.5) WITHIN GROUP (ORDER BY resolved_at - opened_at) AS res50,
		percentile_disc(0.9) WITHIN GROUP (ORDER BY resolved_at - opened_at) AS res90
	FROM tickets GROUP BY team
)
SELECT s.team,
	pg_temp.short_duration(median(s.fr)) AS "1st resp p50",
	pg_temp.short_duration(e.fr50) AS "exact",
	pg_temp.short_duration(percentile(s.fr, 0.9)) AS "1st resp p90",
	pg_temp.short_duration(e.fr90) AS "exact ",
	pg_temp.short_duration(median(s.res)) AS "resolution p50",
	pg_temp.short_duration(e.res50) AS " exact",
	pg_temp.short_duration(percentile(s.res, 0.9)) AS "resolution p90",
	pg_temp.short_duration(e.res90) AS " exact ",
	to_char(100 * greatest(
		abs(extract(epoch FROM median(s.fr)) / nullif(extract(epoch FROM e.fr50), 0) - 1),
		abs(extract(epoch FROM percentile(s.fr, 0.9)) / nullif(extract(epoch FROM e.fr90), 0) - 1),
		abs(extract(epoch FROM median(s.res)) / nullif(extract(epoch FROM e.res50), 0) - 1),
		abs(extract(epoch FROM percentile(s.res, 0.9)) / nullif(extract(epoch FROM e.res90), 0) - 1)), 'FM0.000')
		|| '%' AS "worst error"
FROM s JOIN e USING (team)
ORDER BY s.team;
