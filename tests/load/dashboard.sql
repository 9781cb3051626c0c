-- one team's monthly KPIs rolled up from the daily summaries (the dashboard)
\set t random(1, 5)
SELECT date_trunc('month', day) AS month, sum(tickets) AS tickets,
	nps(rollup(nps_scores)) AS nps, csat(rollup(csat_scores)) AS csat, ces(rollup(ces_scores)) AS ces,
	rate(rollup(fcr)) AS fcr, rate(rollup(first_response_sla)) AS sla_first,
	rate(rollup(resolution_sla)) AS sla_resolved, rate(rollup(reopens)) AS reopen,
	quality_score(rollup(quality)) AS quality, aht(rollup(handle)) AS aht,
	nps_margin(rollup(nps_scores)) AS nps_margin, wilson_low(rollup(fcr)) AS fcr_low
FROM daily_kpis
WHERE team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[:t]
GROUP BY 1
ORDER BY 1;
