/*
 * Trends: weekly NPS with its margin of error, the backlog over time, and the
 * weeks that stand out (kpi_ext 0.5.0, SPEC section 7).
 *
 * Weekly figures are rollup()s of the daily summaries in daily_kpis
 * (20-summary.sql); the backlog comes from one ticket_flow per team, stored in
 * the materialized view team_flow: a counter pair per day, so the backlog of
 * any day is a running sum, not a scan of every ticket open at that time.
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
SET client_min_messages = warning;

DROP MATERIALIZED VIEW IF EXISTS team_flow CASCADE;
CREATE MATERIALIZED VIEW team_flow AS
SELECT team, ticket_flow_agg(opened_at, resolved_at, '1 day', 'UTC') AS flow
FROM tickets
GROUP BY team;
CREATE UNIQUE INDEX team_flow_team ON team_flow (team);
COMMENT ON MATERIALIZED VIEW team_flow IS
	'kpi_ext demo: tickets opened and resolved per UTC day and team; backlog_series(flow, from, to) gives the backlog';

/* the last complete week (Monday to Sunday) of the data, and the end of the data */
SELECT (date_trunc('week', max(day) + 1) - interval '7 days')::date AS last_week,
	(max(day) + 1)::timestamptz AS data_end,
	min(day) AS first_day
FROM daily_kpis \gset

CREATE TEMP TABLE trend_weeks AS
SELECT team, date_trunc('week', day)::date AS week,
	sum(tickets) AS tickets,
	rollup(nps_scores) AS nps_scores,
	rollup(fcr) AS fcr
FROM daily_kpis
WHERE day >= date_trunc('week', :'first_day'::date + 6) AND day < :'last_week'::date + 7
GROUP BY GROUPING SETS ((team, date_trunc('week', day)), (date_trunc('week', day)));

\echo
\echo '================================================================================'
\echo ' Trends: weekly NPS with its 95% margin of error, 26 weeks up to the week of ':last_week
\echo ' (each sparkline is scaled to its own row: ▁ = the lowest week, █ = the highest)'
\echo '================================================================================'
WITH ranked AS (
	SELECT t.*, (:'last_week'::date - week) / 7 AS weeks_ago FROM trend_weeks AS t
)
SELECT coalesce(team, 'all teams') AS team,
	sparkline(nps(nps_scores)::float8 ORDER BY week) FILTER (WHERE weeks_ago < 26) AS "weekly NPS, 26 weeks",
	round(min(nps(nps_scores)) FILTER (WHERE weeks_ago < 26)) || '..' ||
		round(max(nps(nps_scores)) FILTER (WHERE weeks_ago < 26)) AS "range",
	round(nps(rollup(nps_scores) FILTER (WHERE weeks_ago = 0)), 1) || ' ± ' ||
		round(nps_margin(rollup(nps_scores) FILTER (WHERE weeks_ago = 0)), 1) AS "last week",
	round(nps(rollup(nps_scores) FILTER (WHERE weeks_ago < 13)), 1) || ' ± ' ||
		round(nps_margin(rollup(nps_scores) FILTER (WHERE weeks_ago < 13)), 1) AS "last 13 weeks",
	round(nps(rollup(nps_scores) FILTER (WHERE weeks_ago BETWEEN 13 AND 25)), 1) AS "13 before",
	to_char(nps_change_pvalue(rollup(nps_scores) FILTER (WHERE weeks_ago BETWEEN 13 AND 25),
							  rollup(nps_scores) FILTER (WHERE weeks_ago < 13)), 'FM0.0000') AS "change p"
FROM ranked
GROUP BY team
ORDER BY team NULLS LAST;
\echo ' ± is the half-width of the 95% interval, 1.96 * 100 * sqrt((p + d - (p - d)^2) / n):'
\echo ' one week of survey answers pins NPS down to several points only.  "change p" is the'
\echo ' two-sided p-value of last 13 weeks against the 13 before; below 0.05 the change is'
\echo ' unlikely to be noise.'

\echo
\echo '================================================================================'
\echo ' Backlog: tickets open at the end of each week (Sunday), from team_flow'
\echo '================================================================================'
WITH weekly AS (
	SELECT f.team, b.bucket_start, b.backlog, b.opened, b.closed
	FROM (SELECT team, flow FROM team_flow
		  UNION ALL
		  SELECT NULL, rollup(flow) FROM team_flow) AS f,
		 LATERAL backlog_series(f.flow, date_trunc('week', :'first_day'::date + 6), :'data_end'::timestamptz - interval '1 day') AS b
)
SELECT coalesce(team, 'all teams') AS team,
	sparkline(backlog::float8 ORDER BY bucket_start)
		FILTER (WHERE extract(isodow FROM bucket_start) = 7) AS "open at each week's end",
	min(backlog) FILTER (WHERE extract(isodow FROM bucket_start) = 7) AS "min",
	max(backlog) FILTER (WHERE extract(isodow FROM bucket_start) = 7) AS "max",
	(array_agg(backlog ORDER BY bucket_start DESC))[1] AS "now",
	round(avg(opened) FILTER (WHERE bucket_start >= :'data_end'::timestamptz - interval '28 days'), 1) AS "opened/day",
	round(avg(closed) FILTER (WHERE bucket_start >= :'data_end'::timestamptz - interval '28 days'), 1) AS "closed/day"
FROM weekly
GROUP BY team
ORDER BY team NULLS LAST;
\echo ' opened/day and closed/day: the last 28 days.'

\echo
\echo 'Open tickets at the end of the data, by age (age_bucket labels sort by age)'
SELECT age_bucket(:'data_end'::timestamptz - opened_at) AS age,
	count(*) AS tickets,
	count(*) FILTER (WHERE team = 'billing') AS billing,
	count(*) FILTER (WHERE team = 'technical') AS technical,
	count(*) FILTER (WHERE team = 'onboarding') AS onboarding,
	count(*) FILTER (WHERE team = 'enterprise') AS enterprise,
	count(*) FILTER (WHERE team = 'returns') AS returns
FROM tickets
WHERE opened_at < :'data_end'::timestamptz AND (resolved_at IS NULL OR resolved_at >= :'data_end'::timestamptz)
GROUP BY 1
ORDER BY 1;

\echo
\echo '================================================================================'
\echo ' Weeks out of the ordinary, against the 8 weeks before each one'
\echo '   volume: robust z-score of the ticket count vs the median and MAD   |z| > 3.5'
\echo '           and at least 25% off the median'
\echo '   FCR:    p-chart z-score of the week''s FCR vs the 8 weeks'' rate    |z| > 3'
\echo '   NPS:    p-value of the week''s NPS against the 8 weeks''           p < 0.001'
\echo '================================================================================'
WITH scored AS (
	SELECT team, week, tickets, nps_scores, fcr,
		array_agg(tickets::float8) OVER w AS volume_history,
		rollup(fcr) OVER w AS fcr_baseline,
		rollup(nps_scores) OVER w AS nps_baseline
	FROM trend_weeks
	WHERE team IS NOT NULL
	WINDOW w AS (PARTITION BY team ORDER BY week ROWS BETWEEN 8 PRECEDING AND 1 PRECEDING)
), flags AS (
	SELECT team, week, 'volume' AS kpi,
		tickets::text AS "week's value",
		median::text AS "baseline",
		round(robust_zscore(tickets, volume_history)::numeric, 1) AS score
	FROM scored,
		 LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median FROM unnest(volume_history) AS x) AS m
	WHERE cardinality(volume_history) = 8 AND abs(robust_zscore(tickets, volume_history)) > 3.5
		AND abs(tickets - median) >= 0.25 * median
	UNION ALL
	SELECT team, week, 'FCR %', round(rate(fcr), 1)::text, round(rate(fcr_baseline), 1)::text,
		round(pchart_zscore(fcr, fcr_baseline)::numeric, 1)
	FROM scored
	WHERE trials(fcr_baseline) > 0 AND abs(pchart_zscore(fcr, fcr_baseline)) > 3
	UNION ALL
	SELECT team, week, 'NPS', round(nps(nps_scores), 1)::text, round(nps(nps_baseline), 1)::text,
		round(nps_change_pvalue(nps_baseline, nps_scores)::numeric, 5)
	FROM scored
	WHERE responses(nps_baseline) > 0 AND nps_change_pvalue(nps_baseline, nps_scores) < 0.001
)
SELECT team, week AS "week of", kpi, "week's value", "baseline", score AS "z / p"
FROM flags
ORDER BY week, team, kpi;
\echo ' The baseline of a week is the 8 weeks before it, so the first 8 weeks are never'
\echo ' flagged.  Median and MAD ignore earlier spikes in the baseline; a smooth series has'
\echo ' a tiny MAD, so small steps score high: the 25% floor keeps the flags material.'
