/*
 * Ticket lifecycle (kpi_ext 0.7.0, SPEC section 11): the KPIs that need the
 * status history and the message log (15-histories.sql), in each team's
 * business hours (team_calendars, 50-business-hours.sql).
 *
 *   ticket_lifecycle   one row per ticket: its status timeline, its message
 *                      timeline and the per-ticket metrics read from them
 *   daily_lifecycle    per team and day (of opening): summaries of those metrics,
 *                      for rollup() to months in the dashboard below
 *   agent_shifts       per agent and day: busy, logged-in and shift time from the
 *                      agent state log, clipped to the scheduled shift
 *
 * Definitions (Zendesk's where it has one): requester wait = time in new, open
 * and hold; agent work = new and open; on-hold = hold; agent wait = pending;
 * first reply = first customer message to the first agent reply, next replies =
 * oldest unanswered customer message to the next agent reply; all in business
 * hours.  The resolution SLA clock pauses while the ticket waits on the customer
 * (pending) and stops when solved.  One-touch: solved with exactly one agent
 * reply and never reopened; reopens = solved -> open changes.
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
SET client_min_messages = warning;

/* the end of the data stands for "now": open tickets are measured up to it */
SELECT max(opened_at) AS data_end FROM tickets \gset

DROP MATERIALIZED VIEW IF EXISTS ticket_lifecycle CASCADE;
CREATE MATERIALIZED VIEW ticket_lifecycle AS
WITH h AS (
	SELECT ticket_id, timeline_agg(at, status, seq) AS tl FROM ticket_events GROUP BY ticket_id
), m AS (
	/* a customer message leaves the ticket awaiting an agent, an agent reply awaiting the customer */
	SELECT ticket_id,
		timeline_agg(at, CASE author WHEN 'customer' THEN 'awaiting_agent' ELSE 'awaiting_customer' END, seq) AS msgs,
		count(*) FILTER (WHERE author = 'agent') AS agent_replies
	FROM ticket_messages GROUP BY ticket_id
)
SELECT t.id AS ticket_id, t.team, (t.opened_at AT TIME ZONE 'UTC')::date AS day,
	h.tl, m.msgs,
	duration_in(h.tl, '{new,open,hold}', :'data_end'::timestamptz, c.calendar) AS requester_wait,
	duration_in(h.tl, '{new,open}', :'data_end'::timestamptz, c.calendar) AS agent_work,
	duration_in(h.tl, '{hold}', :'data_end'::timestamptz, c.calendar) AS on_hold,
	duration_in(h.tl, '{pending}', :'data_end'::timestamptz, c.calendar) AS agent_wait,
	r.replies[1] AS first_reply,
	/* the next replies as a summary of their own, merged per day with rollup() */
	(SELECT duration_agg(n) FROM unnest(r.replies[2:]) AS n) AS next_replies,
	t.first_response_target,
	/* the resolution clock: paused on pending, stopped once solved */
	sla_elapsed(h.tl, t.opened_at, coalesce(t.resolved_at, :'data_end'::timestamptz),
				'{pending,solved,closed}', c.calendar) AS resolution_clock,
	sla_due(h.tl, t.opened_at, t.resolution_target, '{pending,solved,closed}', c.calendar) AS resolution_due,
	t.resolution_target,
	t.resolved_at,
	transitions(h.tl, 'solved', 'open') AS reopens,
	coalesce(m.agent_replies, 0) AS agent_replies
FROM tickets AS t
JOIN h ON h.ticket_id = t.id
JOIN team_calendars AS c USING (team)
LEFT JOIN m ON m.ticket_id = t.id
CROSS JOIN LATERAL (SELECT segment_durations(m.msgs, 'awaiting_agent', c.calendar) AS replies) AS r;
CREATE UNIQUE INDEX ticket_lifecycle_id ON ticket_lifecycle (ticket_id);
COMMENT ON MATERIALIZED VIEW ticket_lifecycle IS
	'kpi_ext demo: per ticket, its status and message timelines and the lifecycle metrics in business hours';

DROP MATERIALIZED VIEW IF EXISTS daily_lifecycle CASCADE;
CREATE MATERIALIZED VIEW daily_lifecycle AS
SELECT team, day, count(*) AS tickets,
	duration_agg(requester_wait) FILTER (WHERE resolved_at IS NOT NULL) AS requester_wait,
	duration_agg(agent_work) FILTER (WHERE resolved_at IS NOT NULL) AS agent_work,
	duration_agg(on_hold) FILTER (WHERE resolved_at IS NOT NULL) AS on_hold,
	duration_agg(first_reply) AS first_reply,
	rollup(next_replies) AS next_reply,
	rate_agg(first_reply <= first_response_target) AS first_reply_sla,
	/* breached: over the target on the paused clock, solved or not */
	rate_agg(resolution_clock > resolution_target)
		FILTER (WHERE resolved_at IS NOT NULL OR resolution_clock > resolution_target) AS resolution_breaches,
	rate_agg(reopens > 0) FILTER (WHERE resolved_at IS NOT NULL) AS reopened,
	rate_agg(agent_replies = 1 AND reopens = 0) FILTER (WHERE resolved_at IS NOT NULL AND agent_replies > 0) AS one_touch,
	rate_agg(agent_replies = 2 AND reopens = 0) FILTER (WHERE resolved_at IS NOT NULL AND agent_replies > 0) AS two_touch
FROM ticket_lifecycle
GROUP BY team, day;
CREATE UNIQUE INDEX daily_lifecycle_team_day ON daily_lifecycle (team, day);
COMMENT ON MATERIALIZED VIEW daily_lifecycle IS
	'kpi_ext demo: per team and day of opening, lifecycle metrics as summaries; roll up with rollup()';

/* agents: their state log clipped to the scheduled shift (08:00 UTC + scheduled) */
DROP MATERIALIZED VIEW IF EXISTS agent_shifts CASCADE;
CREATE MATERIALIZED VIEW agent_shifts AS
SELECT d.agent_id, d.team, d.day,
	duration_in(s.tl, '{busy}', x.shift_start, x.shift_end) AS busy,
	duration_in(s.tl, '{busy,available}', x.shift_start, x.shift_end) AS logged_in,
	x.shift_end - x.shift_start AS shift
FROM agent_days AS d
JOIN (SELECT agent_id, day, timeline_agg(at, state, seq) AS tl FROM agent_states GROUP BY agent_id, day) AS s
	USING (agent_id, day)
CROSS JOIN LATERAL (SELECT (d.day + time '08:00') AT TIME ZONE 'UTC' AS shift_start,
						   (d.day + time '08:00') AT TIME ZONE 'UTC' + d.scheduled AS shift_end) AS x;
COMMENT ON MATERIALIZED VIEW agent_shifts IS
	'kpi_ext demo: per agent and day, busy and logged-in time from the agent state log within the shift';
ANALYZE ticket_lifecycle, daily_lifecycle, agent_shifts;

\echo
\echo '================================================================================'
\echo ' Ticket lifecycle: from the status history and the message log, in each'
\echo ' team''s business hours (monthly figures rolled up from daily_lifecycle)'
\echo
\echo ' wait: requester wait (new+open+hold)   work: agent work (new+open)'
\echo ' hold: on-hold   (median hours per solved ticket; on-hold: mean)'
\echo ' 1st reply / next reply: median minutes   SLA 1st: first reply within target, %'
\echo ' breach: resolution SLA breached, clock paused while pending, %'
\echo ' reopen, 1-touch, 2-touch: % of solved tickets   occ(upancy), util(ization): %'
\echo '================================================================================'

CREATE TEMP VIEW lifecycle_monthly AS
WITH l AS (
	SELECT team, date_trunc('month', day)::date AS month,
		sum(tickets) AS tickets,
		median(rollup(requester_wait)) AS wait,
		median(rollup(agent_work)) AS work,
		mean(rollup(on_hold)) AS hold,
		median(rollup(first_reply)) AS first_reply,
		median(rollup(next_reply)) AS next_reply,
		rate(rollup(first_reply_sla)) AS sla_first,
		rate(rollup(resolution_breaches)) AS breach,
		hits(rollup(resolution_breaches)) AS breaches,
		rate(rollup(reopened)) AS reopen,
		rate(rollup(one_touch)) AS one_touch,
		rate(rollup(two_touch)) AS two_touch
	FROM daily_lifecycle
	GROUP BY team, date_trunc('month', day)
), a AS (
	SELECT team, date_trunc('month', day)::date AS month,
		occupancy(busy, logged_in) AS occupancy,
		utilization(busy, shift) AS utilization
	FROM agent_shifts
	GROUP BY team, date_trunc('month', day)
)
SELECT l.*, a.occupancy, a.utilization
FROM l LEFT JOIN a USING (team, month);

\echo
\echo 'Per team and month, last three months'
SELECT CASE WHEN month = min(month) OVER (PARTITION BY team) THEN team ELSE '' END AS team,
	to_char(month, 'YYYY-MM') AS "month",
	lpad(to_char(tickets, 'FM999,999,999'), 7) AS "tickets",
	round((extract(epoch FROM wait) / 3600)::numeric, 1) AS "wait h",
	round((extract(epoch FROM work) / 3600)::numeric, 1) AS "work h",
	round((extract(epoch FROM hold) / 3600)::numeric, 2) AS "hold h",
	round((extract(epoch FROM first_reply) / 60)::numeric, 1) AS "1st reply",
	round((extract(epoch FROM next_reply) / 60)::numeric, 1) AS "next reply",
	round(sla_first, 1) AS "SLA 1st",
	breaches AS "breaches",
	round(breach, 1) AS "breach",
	round(reopen, 1) AS "reopen",
	round(one_touch, 1) AS "1-touch",
	round(two_touch, 1) AS "2-touch",
	round(occupancy, 1) AS "occ",
	round(utilization, 1) AS "util"
FROM lifecycle_monthly
WHERE month > (SELECT max(month) FROM lifecycle_monthly) - interval '3 months'
ORDER BY lifecycle_monthly.team, month;

\echo
\echo 'Resolution SLA per team: the clock paused while pending vs the same target on a running clock'
SELECT l.team,
	count(*) FILTER (WHERE l.resolved_at IS NOT NULL) AS "solved",
	round(100.0 * count(*) FILTER (WHERE l.resolved_at IS NOT NULL AND l.resolution_clock > l.resolution_target)
		/ nullif(count(*) FILTER (WHERE l.resolved_at IS NOT NULL), 0), 1) AS "breached, paused %",
	round(100.0 * count(*) FILTER (WHERE l.resolved_at IS NOT NULL
		AND business_duration(t.opened_at, l.resolved_at, c.calendar) > l.resolution_target)
		/ nullif(count(*) FILTER (WHERE l.resolved_at IS NOT NULL), 0), 1) AS "breached, running %",
	count(*) FILTER (WHERE l.resolved_at IS NULL AND l.resolution_due < :'data_end') AS "open past due",
	count(*) FILTER (WHERE l.resolved_at IS NULL AND l.resolution_due IS NULL) AS "open, clock paused"
FROM ticket_lifecycle AS l JOIN tickets AS t ON t.id = l.ticket_id JOIN team_calendars AS c ON c.team = l.team
GROUP BY l.team ORDER BY l.team;

\echo
\echo 'The SQL: tests/demo/80-lifecycle.sql, e.g. duration_in(tl, ''{new,open,hold}'', now(), calendar)'
\echo 'per ticket, median(rollup(requester_wait)) per month.'
