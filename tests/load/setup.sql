/*
 * make load: set-up on top of the demo data (10-generate.sql) and its daily
 * summaries (20-summary.sql).  Adds what the load scripts need: a daily
 * duration sketch view (refreshed concurrently too) and the id sequence of
 * the tickets the writers insert.
 */
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP MATERIALIZED VIEW IF EXISTS daily_durations;
CREATE MATERIALIZED VIEW daily_durations AS
SELECT team,
	(opened_at AT TIME ZONE 'UTC')::date AS day,
	duration_agg(first_response_at - opened_at) AS first_response,
	duration_agg(resolved_at - opened_at) AS resolution
FROM tickets
GROUP BY 1, 2;
CREATE UNIQUE INDEX daily_durations_team_day ON daily_durations (team, day);

DROP SEQUENCE IF EXISTS load_ticket_id;
CREATE SEQUENCE load_ticket_id;
SELECT setval('load_ticket_id', (SELECT max(id) FROM tickets));

CREATE INDEX IF NOT EXISTS tickets_team_opened ON tickets (team, opened_at);
ANALYZE tickets;
ANALYZE daily_durations;
