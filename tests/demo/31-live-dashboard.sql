/*
 * The current day, live: figures from live_kpis, the summary table the
 * triggers of 21-live-kpis.sql keep exact after every commit, so a new ticket
 * reaches the dashboard without a refresh (the materialized view daily_kpis
 * of 20-summary.sql only shows it after REFRESH MATERIALIZED VIEW).
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'

SELECT max(day) AS today, max(day)::timestamp AT TIME ZONE 'UTC' + interval '12 hours' AS noon,
	(SELECT max(id) + 1 FROM tickets) AS new_id
FROM live_kpis \gset

CREATE TEMP VIEW live_today AS
SELECT team, tickets,
	round(rate(fcr), 1) AS "FCR", round(csat(csat_scores), 1) AS "CSAT", round(nps(nps_scores)) AS "NPS",
	round(rate(first_response_sla), 1) AS "SLA 1st", round(quality_score(quality), 1) AS "QA",
	to_char(date_trunc('second', aht(handle) + interval '0.5 second'), 'MI:SS') AS "AHT",
	date_trunc('second', median(resolution)) AS "median resolution"
FROM live_kpis
WHERE day = :'today'
UNION ALL
SELECT 'all teams', sum(tickets),
	round(rate(rollup(fcr)), 1), round(csat(rollup(csat_scores)), 1), round(nps(rollup(nps_scores))),
	round(rate(rollup(first_response_sla)), 1), round(quality_score(rollup(quality)), 1),
	to_char(date_trunc('second', aht(rollup(handle)) + interval '0.5 second'), 'MI:SS'),
	date_trunc('second', median(rollup(resolution)))
FROM live_kpis
WHERE day = :'today';

\echo
\echo '================================================================================'
\echo ' Today, ':today', live from live_kpis (kept by triggers: no refresh)'
\echo '================================================================================'
SELECT * FROM live_today;

\echo 'A new billing ticket arrives (first response after 2 minutes, NPS 10, CSAT 5)...'
INSERT INTO tickets (id, team, channel, priority, agent_id, opened_at, first_response_at, resolved_at,
	first_response_target, resolution_target, first_contact_resolved, reopened, escalated, automated,
	talk_time, hold_time, wrap_time, nps_score, csat_score, qa_points, qa_max)
VALUES (:new_id, 'billing', 'chat', 'normal', 1, :'noon', timestamptz :'noon' + interval '2 minutes',
	timestamptz :'noon' + interval '20 minutes', interval '5 minutes', interval '1 day', true, false, false,
	false, interval '6 minutes', NULL, interval '1 minute', 10, 5, 45, 50);
\echo '... and is on the dashboard at once:'
SELECT * FROM live_today WHERE team IN ('billing', 'all teams');
SELECT (SELECT tickets FROM daily_kpis WHERE team = 'billing' AND day = :'today') AS in_daily_kpis,
	(SELECT tickets FROM live_kpis WHERE team = 'billing' AND day = :'today') AS in_live_kpis \gset
\echo 'billing tickets today: ':in_live_kpis' in live_kpis; the materialized view daily_kpis still says ':in_daily_kpis' until it is refreshed.'

\echo 'The ticket is deleted again (the demo data stays as generated), and the dashboard follows:'
DELETE FROM tickets WHERE id = :new_id;
SELECT * FROM live_today WHERE team IN ('billing', 'all teams');
\echo 'The SQL behind this: tests/demo/21-live-kpis.sql (docs/cookbook.md section 11).'
