-- tests/load/live.sh: the dashboard reads the current figures from live_kpis
SELECT team, sum(tickets) AS tickets, nps(rollup(nps_scores)) AS nps, csat(rollup(csat_scores)) AS csat,
	rate(rollup(fcr)) AS fcr, rate(rollup(first_response_sla)) AS sla, quality_score(rollup(quality)) AS quality,
	aht(rollup(handle)) AS aht, median(rollup(resolution)) AS median_resolution
FROM live_kpis
WHERE day >= date '2026-10-25'
GROUP BY team
ORDER BY team;
