/*
 * Business hours: each team answers within its own opening hours, time zone and
 * public holidays (a business_calendar per team), so its first-response SLA is a
 * promise in business hours.  Printed: first response time in business hours
 * against wall-clock time, business-hours SLA adherence per team, and the
 * tickets still waiting for a first reply after their business-hours due time.
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'

DROP TABLE IF EXISTS team_calendars;
CREATE TABLE team_calendars (team text PRIMARY KEY, calendar business_calendar NOT NULL);
INSERT INTO team_calendars VALUES
	('billing', 'mon-fri 08:00-18:00; tz=Europe/Berlin; holidays=2025-10-03,2025-12-25,2025-12-26,2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03'),
	('technical', 'mon-fri 07:00-22:00; sat-sun 09:00-17:00; tz=Europe/Berlin'),
	('onboarding', 'mon-fri 09:00-12:00,13:00-17:30; tz=Europe/Berlin; holidays=2025-10-03,2025-12-25,2025-12-26,2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03'),
	('enterprise', 'mon-sun 00:00-24:00; tz=UTC'),
	('returns', 'mon-fri 08:00-20:00; sat 09:00-14:00; tz=America/New_York; holidays=2025-11-27,2025-12-25,2026-01-01,2026-01-19,2026-02-16,2026-05-25,2026-07-03,2026-09-07');

/* the end of the data stands for "now" */
SELECT max(opened_at) AS data_end FROM tickets \gset

\echo
\echo '================================================================================'
\echo ' Business hours: first response per team in its own business calendar'
\echo ' wall: clock time from opening to first reply   bh: business hours of the team'
\echo ' SLA 1st: first reply within first_response_target, % (0-100)'
\echo '================================================================================'
\echo
\echo 'Team calendars'
SELECT team, split_part(calendar::text, '; tz=', 1) AS "working hours",
	substring(calendar::text FROM 'tz=([^;]*)') AS "time zone",
	coalesce(array_length(string_to_array(substring(calendar::text FROM 'holidays=(.*)$'), ','), 1), 0) AS "holidays"
FROM team_calendars ORDER BY team;

\echo
\echo 'First response and first-response SLA, per team (times in minutes)'
SELECT t.team,
	lpad(to_char(count(t.first_response_at), 'FM999,999,999'), 9) AS "replied",
	round((extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY t.first_response_at - t.opened_at)) / 60)::numeric, 1) AS "median wall",
	round((extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY business_duration(t.opened_at, t.first_response_at, c.calendar))) / 60)::numeric, 1) AS "median bh",
	round((extract(epoch FROM avg(t.first_response_at - t.opened_at)) / 60)::numeric, 1) AS "mean wall",
	round((extract(epoch FROM avg(business_duration(t.opened_at, t.first_response_at, c.calendar))) / 60)::numeric, 1) AS "mean bh",
	round(sla_adherence(t.first_response_at - t.opened_at, t.first_response_target), 1) AS "SLA 1st wall",
	round(sla_adherence(business_duration(t.opened_at, t.first_response_at, c.calendar), t.first_response_target), 1) AS "SLA 1st bh"
FROM tickets AS t JOIN team_calendars AS c USING (team)
WHERE t.first_response_at IS NOT NULL
GROUP BY t.team
ORDER BY t.team;

\echo
\echo 'Business-hours first-response SLA per team and priority, % (0-100)'
SELECT t.team,
	round(sla_adherence(business_duration(t.opened_at, t.first_response_at, c.calendar), t.first_response_target)
		FILTER (WHERE t.priority = 'urgent'), 1) AS "urgent",
	round(sla_adherence(business_duration(t.opened_at, t.first_response_at, c.calendar), t.first_response_target)
		FILTER (WHERE t.priority = 'high'), 1) AS "high",
	round(sla_adherence(business_duration(t.opened_at, t.first_response_at, c.calendar), t.first_response_target)
		FILTER (WHERE t.priority = 'normal'), 1) AS "normal",
	round(sla_adherence(business_duration(t.opened_at, t.first_response_at, c.calendar), t.first_response_target)
		FILTER (WHERE t.priority = 'low'), 1) AS "low",
	round(100.0 * count(*) FILTER (WHERE business_duration(t.opened_at, t.first_response_at, c.calendar) <= t.first_response_target)
		/ count(*), 1) AS "all (by hand)"
FROM tickets AS t JOIN team_calendars AS c USING (team)
WHERE t.first_response_at IS NOT NULL
GROUP BY t.team
ORDER BY t.team;

\echo
\echo 'Waiting for a first reply at the end of the data (':data_end'), per team'
SELECT t.team,
	count(*) AS "waiting",
	count(*) FILTER (WHERE business_add(t.opened_at, t.first_response_target, c.calendar) < :'data_end') AS "past due (bh)",
	count(*) FILTER (WHERE t.opened_at + t.first_response_target < :'data_end') AS "past due (wall)",
	to_char(min(business_add(t.opened_at, t.first_response_target, c.calendar)) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS "earliest due, UTC"
FROM tickets AS t JOIN team_calendars AS c USING (team)
WHERE t.first_response_at IS NULL
GROUP BY t.team
ORDER BY t.team;
