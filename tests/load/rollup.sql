-- rollups: quarter by team and company-wide from the daily summaries; a backlog series
\set t random(1, 5)
SELECT team, date_trunc('quarter', day) AS quarter, sum(tickets),
	nps(rollup(nps_scores)), rate(rollup(fcr)), rate(rollup(escalations)),
	rate(rollup(automation)), aht(rollup(handle))
FROM daily_kpis
GROUP BY GROUPING SETS ((team, date_trunc('quarter', day)), (date_trunc('quarter', day)))
ORDER BY 2, 1;
SELECT bucket_start, opened, closed, backlog
FROM backlog_series((SELECT ticket_flow_agg(opened_at, resolved_at, '1 day')
		FROM tickets
		WHERE team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[:t]
			AND opened_at >= timestamptz '2026-09-01'),
	'2026-10-01', '2026-10-31');
