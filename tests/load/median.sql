-- exact medians and percentiles per team over a recent window of raw tickets
\set days random(7, 60)
SELECT team, count(*),
	median(resolved_at - opened_at) AS resolution_p50,
	percentile(first_response_at - opened_at, 0.9) AS first_response_p90,
	median_resolution(opened_at, resolved_at) AS median_resolution,
	handle_time_percentile(talk_time, 0.75) AS talk_p75
FROM tickets
WHERE opened_at >= timestamptz '2026-11-01' - :days * interval '1 day'
GROUP BY team
ORDER BY team;
