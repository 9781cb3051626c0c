/*
 * kpi_ext demo data, part two: the histories a helpdesk exports, derived from
 * the ticket columns of 10-generate.sql so that both tell the same story.
 *
 *   ticket_events   (ticket_id, at, status, seq)   a status-change log (Zendesk
 *                   ticket field history: new, open, pending, hold, solved, closed)
 *   ticket_messages (ticket_id, at, author, seq)   public comments: customer or agent
 *   agent_states    (agent_id, day, at, state, seq) an agent state log per working day:
 *                   available, busy, break, offline (seq orders changes at one instant)
 *
 * Consistent with the columns: the first event is 'new' at opened_at; the first
 * agent message is at first_response_at (tickets answered by a person); the last
 * 'solved' is at resolved_at; reopened tickets go solved -> open once; escalated
 * ones wait on hold; first-contact-resolved ones get one agent reply.  Agent
 * states sum to agent_days' busy and available time within the scheduled shift.
 * Every draw is a hash of the ticket id, like the generator's.
 *
 * psql variables (for the benchmarks): max_ticket (default 0: all tickets),
 * events_table, messages_table (default ticket_events, ticket_messages),
 * agent_states (default true).
 */
\set ON_ERROR_STOP on
\if :{?max_ticket}
\else
\set max_ticket 0
\endif
\if :{?events_table}
\else
\set events_table ticket_events
\endif
\if :{?messages_table}
\else
\set messages_table ticket_messages
\endif
\if :{?agent_states}
\else
\set agent_states true
\endif
SET client_min_messages = warning;
SET timezone = 'UTC';
SET work_mem = '256MB';

SELECT value AS seed FROM demo_meta WHERE key = 'seed' \gset
\set u_body 'SELECT (hashint8(($1 * 64 + $2) # ' :seed ' # 104729)::float8 + 2147483648.5) / 4294967296.0'
CREATE FUNCTION pg_temp.u(bigint, integer) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS :'u_body';

/*
 * Each ticket's candidate events with the message each one comes with, if any
 * (a NULL status: a message alone; keep = whether it happens).  f = first_response_at, r = resolved_at, span =
 * r - f; the data ends at 2026-11-01 (now): later events have not happened yet.
 */
DROP TABLE IF EXISTS :events_table, :messages_table;
CREATE TEMP TABLE gen_history AS
SELECT t.id AS ticket_id, e.k, e.at, e.status, e.author
FROM (
	SELECT id, opened_at AS o, first_response_at AS f, resolved_at AS r,
		resolved_at - first_response_at AS span,
		automated, first_contact_resolved AS fcr, reopened, escalated,
		pg_temp.u(id, 1) AS u1, pg_temp.u(id, 2) AS u2, pg_temp.u(id, 3) AS u3
	FROM tickets
	WHERE :max_ticket = 0 OR id <= :max_ticket
	OFFSET 0) AS t
CROSS JOIN LATERAL (VALUES
	/* k orders the events of a ticket, also those at one instant */
	(0, t.o, 'new', 'customer', true),
	/* an agent picks it up ... */
	(1, t.o + (t.f - t.o) * (0.3 + 0.5 * t.u1), 'open', NULL, NOT t.automated),
	/* ... or a bot answers (a reopened ticket is solved by the bot first) */
	(2, t.f, 'open', NULL, t.automated AND t.r IS NULL),
	(3, t.f, 'solved', NULL, t.automated AND t.reopened),
	/* resolved at first contact: the agent's one reply (no status change) */
	(4, t.f, NULL, 'agent', NOT t.automated AND t.fcr),
	/* otherwise the agent replies and waits on the customer ... */
	(5, t.f, 'pending', 'agent', NOT t.automated AND NOT t.fcr),
	/* ... still open: the customer may have answered */
	(6, t.f + (timestamptz '2026-11-01' - t.f) * t.u2, 'open', 'customer',
		NOT t.automated AND NOT t.fcr AND t.r IS NULL AND t.u3 < 0.5),
	(7, t.f + t.span * 0.5, 'open', 'customer', t.automated AND t.reopened),
	/* ... resolved: the customer answers, escalations wait on hold for tier 2 */
	(8, t.f + t.span * 0.2, 'open', 'customer', NOT t.automated AND NOT t.fcr),
	(9, t.f + t.span * 0.3, 'hold', NULL, NOT t.automated AND NOT t.fcr AND t.escalated),
	(10, t.f + t.span * 0.5, 'open', NULL, NOT t.automated AND NOT t.fcr AND t.escalated),
	/* a second question to the customer now and then */
	(11, t.f + t.span * 0.55, 'pending', 'agent', NOT t.automated AND NOT t.fcr AND t.u3 < 0.35),
	(12, t.f + t.span * 0.62, 'open', 'customer', NOT t.automated AND NOT t.fcr AND t.u3 < 0.35),
	/* solved, reopened by the customer, solved again at resolved_at */
	(13, t.f + t.span * 0.7, 'solved', 'agent', NOT t.automated AND NOT t.fcr AND t.reopened),
	(14, t.f + t.span * 0.85, 'open', 'customer', NOT t.automated AND NOT t.fcr AND t.reopened),
	(15, t.r, 'solved', 'agent', NOT t.automated AND NOT t.fcr),
	(16, t.r, 'solved', NULL, t.automated OR t.fcr),
	/* closed four days after the last solve */
	(17, t.r + interval '4 days', 'closed', NULL, true)
) AS e(k, at, status, author, keep)
WHERE e.keep AND e.at IS NOT NULL AND e.at < timestamptz '2026-11-01';

CREATE TABLE :events_table AS
SELECT ticket_id, at, status, ticket_id * 32 + k AS seq FROM gen_history WHERE status IS NOT NULL ORDER BY ticket_id, k;
CREATE TABLE :messages_table AS
SELECT ticket_id, at, author, ticket_id * 32 + k AS seq FROM gen_history WHERE author IS NOT NULL ORDER BY ticket_id, k;
DROP TABLE gen_history;
CREATE INDEX ON :events_table (ticket_id);
CREATE INDEX ON :messages_table (ticket_id);
ANALYZE :events_table;
ANALYZE :messages_table;

\if :agent_states
/*
 * Agent states: the shift starts at 08:00 UTC and lasts the scheduled time;
 * the available (logged-in) time is split into four busy blocks with idle
 * time between, a break fills the rest of the shift before the last blocks.
 * Whole seconds, so that the states add up to busy and available exactly.
 */
DROP TABLE IF EXISTS agent_states;
CREATE TABLE agent_states AS
WITH a AS (
	SELECT agent_id, day, (day + time '08:00') AT TIME ZONE 'UTC' AS s,
		extract(epoch FROM busy)::bigint AS b, extract(epoch FROM available - busy)::bigint AS i,
		extract(epoch FROM scheduled - available)::bigint AS p
	FROM agent_days
), parts AS (
	/* quarters of the busy and idle time, the remainder in the last one */
	SELECT a.*, b / 4 AS b1, b - 3 * (b / 4) AS b4, i / 4 AS i1, i - 3 * (i / 4) AS i4 FROM a
)
SELECT agent_id, day, s + x.offs * interval '1 second' AS at, x.state, x.k AS seq
FROM parts CROSS JOIN LATERAL (VALUES
	(0, 0::bigint, 'available'),
	(1, i1, 'busy'),
	(2, i1 + b1, 'available'),
	(3, 2 * i1 + b1, 'busy'),
	(4, 2 * i1 + 2 * b1, 'break'),
	(5, 2 * i1 + 2 * b1 + p, 'available'),
	(6, 3 * i1 + 2 * b1 + p, 'busy'),
	(7, 3 * i1 + 3 * b1 + p, 'available'),
	(8, 3 * i1 + 3 * b1 + p + i4, 'busy'),
	(9, 3 * i1 + 3 * b1 + p + i4 + b4, 'offline')) AS x(k, offs, state)
ORDER BY agent_id, day, x.k;
CREATE INDEX ON agent_states (agent_id, day);
ANALYZE agent_states;
COMMENT ON TABLE agent_states IS 'kpi_ext demo: agent state log per working day (tests/demo/15-histories.sql)';
\endif

COMMENT ON TABLE :events_table IS 'kpi_ext demo: ticket status changes (tests/demo/15-histories.sql)';
COMMENT ON TABLE :messages_table IS 'kpi_ext demo: public comments per ticket, customer or agent (tests/demo/15-histories.sql)';
