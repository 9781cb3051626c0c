-- sketch percentiles: merged from the daily sketches, and one-step from raw tickets
\set t random(1, 5)
SELECT team, percentiles(rollup(resolution), '{0.5,0.9,0.99}') AS resolution,
	median(rollup(first_response)) AS first_response_p50, num_values(rollup(resolution))
FROM daily_durations
WHERE day >= date '2026-08-01'
GROUP BY team
ORDER BY team;
SELECT percentiles(duration_agg(resolved_at - opened_at), '{0.5,0.9,0.99}')
FROM tickets
WHERE team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[:t]
	AND opened_at >= timestamptz '2026-10-01';
