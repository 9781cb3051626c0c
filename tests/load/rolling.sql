-- rolling windows: 28-day KPIs from the daily summaries, and per-ticket moving windows
\set t random(1, 5)
SELECT day, nps(rollup(nps_scores) OVER w) AS nps_28d, rate(rollup(fcr) OVER w) AS fcr_28d,
	aht(rollup(handle) OVER w) AS aht_28d
FROM daily_kpis
WHERE team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[:t]
WINDOW w AS (ORDER BY day ROWS 27 PRECEDING)
ORDER BY day DESC
LIMIT 60;
SELECT id, nps(nps_score) OVER w AS nps_last_28, csat(csat_score) OVER w AS csat_last_28,
	median(resolved_at - opened_at) OVER w AS median_last_28
FROM tickets
WHERE team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[:t]
	AND opened_at >= timestamptz '2026-10-24'
WINDOW w AS (ORDER BY opened_at, id ROWS 27 PRECEDING)
ORDER BY opened_at DESC, id DESC
LIMIT 100;
