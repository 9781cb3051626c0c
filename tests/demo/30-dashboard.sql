/*
 * The support dashboard: monthly KPIs rolled up from the daily summaries in
 * daily_kpis and daily_agents (20-summary.sql), company-wide and per team.
 * Every figure is exact: rollup() merges the daily summaries, nothing is an
 * average of daily percentages.
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'

SELECT to_char(sum(tickets), 'FM999,999,999') AS tickets,
	count(*) AS summary_rows,
	min(day) AS first_day, max(day) AS last_day
FROM daily_kpis \gset

\echo
\echo '================================================================================'
\echo ' Support dashboard: ':tickets' tickets, ':first_day' to ':last_day
\echo ' (monthly figures merged from ':summary_rows' daily summary rows in daily_kpis)'
\echo
\echo ' FCR, CSAT, SLA, reopen, escal(ation), auto(mated), util(ization), QA: % (0-100)'
\echo ' NPS: -100..100   CES: 1-7, higher = easier   AHT: mm:ss per agent-handled ticket'
\echo ' SLA 1st: first response within target   SLA res: resolved within target'
\echo '================================================================================'

/* the same columns for both tables */
CREATE TEMP VIEW dashboard_monthly AS
WITH k AS (
	SELECT team, date_trunc('month', day)::date AS month,
		sum(tickets) AS tickets,
		nps(rollup(nps_scores)) AS nps,
		csat(rollup(csat_scores)) AS csat,
		ces(rollup(ces_scores)) AS ces,
		rate(rollup(fcr)) AS fcr,
		rate(rollup(first_response_sla)) AS sla_first,
		rate(rollup(resolution_sla)) AS sla_resolved,
		rate(rollup(reopens)) AS reopen,
		rate(rollup(escalations)) AS escalation,
		rate(rollup(automation)) AS automation,
		quality_score(rollup(quality)) AS quality,
		aht(rollup(handle)) AS aht
	FROM daily_kpis
	GROUP BY GROUPING SETS ((team, date_trunc('month', day)), (date_trunc('month', day)))
), a AS (
	SELECT team, date_trunc('month', day)::date AS month,
		utilization(rollup(utilization)) AS utilization
	FROM daily_agents
	GROUP BY GROUPING SETS ((team, date_trunc('month', day)), (date_trunc('month', day)))
)
SELECT k.team, k.month, k.tickets, k.nps, k.csat, k.ces, k.fcr, k.sla_first, k.sla_resolved,
	k.reopen, k.escalation, k.automation, a.utilization, k.quality, k.aht
FROM k LEFT JOIN a ON a.month = k.month AND a.team IS NOT DISTINCT FROM k.team;

CREATE TEMP VIEW dashboard_rows AS
SELECT team, month AS month_start,
	to_char(month, 'YYYY-MM') AS "month",
	lpad(to_char(tickets, 'FM999,999,999'), 7) AS "tickets",
	round(fcr, 1) AS "FCR",
	round(csat, 1) AS "CSAT",
	round(nps) AS "NPS",
	round(ces, 1) AS "CES",
	round(sla_first, 1) AS "SLA 1st",
	round(sla_resolved, 1) AS "SLA res",
	round(reopen, 1) AS "reopen",
	round(escalation, 1) AS "escal",
	round(automation, 1) AS "auto",
	round(utilization, 1) AS "util",
	round(quality, 1) AS "QA",
	to_char(date_trunc('second', aht + interval '0.5 second'),
		CASE WHEN aht < interval '59 minutes 59.5 seconds' THEN 'MI:SS' ELSE 'HH24:MI:SS' END) AS "AHT"
FROM dashboard_monthly;

\echo
\echo 'Company-wide, per month'
SELECT "month", "tickets", "FCR", "CSAT", "NPS", "CES", "SLA 1st", "SLA res",
	"reopen", "escal", "auto", "util", "QA", "AHT"
FROM dashboard_rows
WHERE team IS NULL
ORDER BY month_start;

\echo 'Per team, last three months'
SELECT CASE WHEN month_start = min(month_start) OVER (PARTITION BY team) THEN team ELSE '' END AS team,
	"month", "tickets", "FCR", "CSAT", "NPS", "CES", "SLA 1st", "SLA res",
	"reopen", "escal", "auto", "util", "QA", "AHT"
FROM dashboard_rows
WHERE team IS NOT NULL
	AND month_start > (SELECT max(month_start) FROM dashboard_rows) - interval '3 months'
ORDER BY dashboard_rows.team, month_start;

/*
 * Each KPI of the last month beside the ranges the industry articles publish
 * for it (kpi_benchmarks, shipped with the extension): where a published
 * range or average puts it.  Benchmarks are context, not targets.
 */
\echo 'Last month company-wide, beside the published industry benchmarks (kpi_benchmarks)'
WITH last AS (
	SELECT * FROM dashboard_monthly WHERE team IS NULL ORDER BY month DESC LIMIT 1
), ours(kpi, value) AS (
	SELECT v.kpi, v.value
	FROM last, LATERAL (VALUES ('FCR', fcr), ('CSAT', csat), ('NPS', nps), ('CES', ces),
		('SLA adherence', sla_resolved), ('utilization', utilization), ('quality score', quality),
		('AHT', extract(epoch FROM aht))) AS v(kpi, value)
)
SELECT CASE WHEN row_number() OVER (PARTITION BY b.kpi ORDER BY b.low IS NOT DISTINCT FROM b.high, b.low NULLS FIRST, b.high) = 1 THEN b.kpi ELSE '' END AS "KPI",
	CASE WHEN row_number() OVER (PARTITION BY b.kpi ORDER BY b.low IS NOT DISTINCT FROM b.high, b.low NULLS FIRST, b.high) = 1 THEN round(o.value, 1)::text ELSE '' END AS "ours",
	CASE WHEN b.low = b.high THEN 'average ' || b.low
		 WHEN b.low IS NULL THEN 'under ' || b.high
		 WHEN b.high IS NULL THEN b.low || ' or more'
		 ELSE b.low || '-' || b.high END AS "benchmark",
	b.unit, b.segment,
	CASE WHEN b.low = b.high THEN CASE WHEN o.value >= b.low THEN 'above average' ELSE 'below average' END
		 WHEN o.value < b.low THEN 'below'
		 WHEN o.value > b.high THEN 'above'
		 ELSE 'within' END AS "where",
	b.source
FROM ours AS o JOIN kpi_benchmarks AS b USING (kpi)
ORDER BY array_position(ARRAY['FCR', 'CSAT', 'NPS', 'CES', 'SLA adherence', 'utilization', 'quality score', 'AHT'], b.kpi),
	b.low IS NOT DISTINCT FROM b.high, b.low NULLS FIRST, b.high;

/*
 * Why summaries: the per-team monthly KPIs above, timed from daily_kpis and
 * from the raw tickets (best of three, so that caching does not decide).
 */
CREATE TEMP TABLE dashboard_timing (source text, ms float8);
DO $$
DECLARE
	t0 timestamptz;
	i int;
BEGIN
	FOR i IN 1..3 LOOP
		t0 := clock_timestamp();
		PERFORM * FROM (
			SELECT team, date_trunc('month', day), sum(tickets), nps(rollup(nps_scores)),
				csat(rollup(csat_scores)), ces(rollup(ces_scores)), rate(rollup(fcr)),
				rate(rollup(first_response_sla)), rate(rollup(resolution_sla)), rate(rollup(reopens)),
				rate(rollup(escalations)), rate(rollup(automation)), quality_score(rollup(quality)),
				aht(rollup(handle))
			FROM daily_kpis GROUP BY 1, 2) s;
		INSERT INTO dashboard_timing VALUES ('summaries', 1000 * extract(epoch FROM clock_timestamp() - t0));
		t0 := clock_timestamp();
		PERFORM * FROM (
			SELECT team, date_trunc('month', opened_at AT TIME ZONE 'UTC'), count(*), nps(nps_score),
				csat(csat_score), ces(ces_score), fcr_rate(first_contact_resolved),
				sla_adherence(first_response_at - opened_at, first_response_target),
				sla_adherence(resolved_at - opened_at, resolution_target), reopen_rate(reopened),
				escalation_rate(escalated), automation_rate(automated), quality_score(qa_points, qa_max),
				aht(talk_time, hold_time, wrap_time)
			FROM tickets GROUP BY 1, 2) s;
		INSERT INTO dashboard_timing VALUES ('rows', 1000 * extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
END
$$;
SELECT round(min(ms) FILTER (WHERE source = 'summaries')::numeric, 1) AS ms_summaries,
	round(min(ms) FILTER (WHERE source = 'rows')::numeric) AS ms_rows
FROM dashboard_timing \gset
\echo 'Per-team monthly KPIs:' :ms_summaries 'ms rolled up from daily_kpis,' :ms_rows 'ms from the' :tickets 'raw tickets.'
\echo
\echo 'The SQL behind these tables: tests/demo/20-summary.sql (the daily summary views) and'
\echo 'tests/demo/30-dashboard.sql (the monthly rollup), e.g. nps(rollup(nps_scores)) per month.'
