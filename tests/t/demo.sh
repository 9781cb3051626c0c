#!/usr/bin/env bash
# The demo pipeline on a small data set: the generator is deterministic and
# consistent, the daily summary views and the dashboard run, and monthly KPIs
# rolled up from daily_kpis/daily_agents equal the one-step aggregates over
# the raw rows; the ticket histories agree with the ticket columns and the
# lifecycle dashboard equals plain SQL over them; the live summary table
# (21-live-kpis.sql) equals a fresh GROUP BY, and a new ticket reaches the live
# dashboard (31-live-dashboard.sql) without a refresh.
. "$(dirname "$0")/lib.sh"
export PGTZ=UTC
fresh_db

gen() { q -v scale=20000 -v seed="$1" -f "$top/tests/demo/10-generate.sql"; }
digest() {
	q -c "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM tickets t" \
		-c "SELECT md5(string_agg(t::text, ',' ORDER BY agent_id, day)) FROM agent_days t" \
		-c "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM calls t"
}
gen 7
first=$(digest)
gen 8
isnt "$(digest)" "$first" "the generator: another seed gives other data"
gen 7
is "$(digest)" "$first" "the generator: the same seed gives the same data"

# the data is what the schema and the story promise
bad=$(q <<'EOF'
SELECT concat_ws(' ',
	CASE WHEN count(*) <> 20000 OR count(DISTINCT id) <> 20000 THEN 'count' END,
	CASE WHEN min(opened_at) < '2025-10-01' OR max(opened_at) >= '2026-11-01' THEN 'range' END,
	CASE WHEN count(DISTINCT team) <> 5 THEN 'teams' END,
	CASE WHEN bool_or(channel NOT IN ('email', 'chat', 'phone')) THEN 'channel' END,
	CASE WHEN bool_or(priority NOT IN ('low', 'normal', 'high', 'urgent')) THEN 'priority' END,
	CASE WHEN bool_or(first_response_at < opened_at OR resolved_at < first_response_at) THEN 'order' END,
	CASE WHEN bool_or(resolved_at IS NOT NULL AND first_response_at IS NULL) THEN 'unanswered' END,
	CASE WHEN bool_or(channel = 'email' AND (talk_time IS NOT NULL OR hold_time IS NOT NULL)) THEN 'email' END,
	CASE WHEN bool_or(nps_score NOT BETWEEN 0 AND 10 OR csat_score NOT BETWEEN 1 AND 5
		OR ces_score NOT BETWEEN 1 AND 7) THEN 'scores' END,
	CASE WHEN bool_or(qa_points > qa_max OR qa_points < 0) THEN 'qa' END,
	CASE WHEN count(nps_score)::float8 / count(*) NOT BETWEEN 0.12 AND 0.25 THEN 'nps-rate' END,
	CASE WHEN count(csat_score)::float8 / count(*) NOT BETWEEN 0.17 AND 0.30 THEN 'csat-rate' END,
	CASE WHEN count(ces_score)::float8 / count(*) NOT BETWEEN 0.07 AND 0.13 THEN 'ces-rate' END,
	CASE WHEN count(*) FILTER (WHERE resolved_at IS NULL) = 0 THEN 'open' END,
	CASE WHEN count(DISTINCT agent_id) < 15 THEN 'agents' END)
FROM tickets;
SELECT 'agent_days' WHERE EXISTS (SELECT FROM tickets t WHERE agent_id IS NOT NULL
	AND NOT EXISTS (SELECT FROM agent_days a WHERE a.agent_id = t.agent_id AND a.team = t.team));
SELECT 'busy' WHERE EXISTS (SELECT FROM agent_days WHERE busy > available OR available > scheduled
	OR adherent > scheduled);
SELECT 'calls' WHERE (SELECT count(*) FROM calls) <> 6666
	OR EXISTS (SELECT FROM calls WHERE answered <> (handle IS NOT NULL));
EOF
)
is "$(printf '%s' "$bad" | tr -s '[:space:]' ' ' | sed 's/^ //; s/ $//')" "" \
	"the generated data is what the schema and the story promise (the names of broken promises)"

ok "tests/demo/20-summary.sql builds the daily summary views" q -f "$top/tests/demo/20-summary.sql"
ok "tests/demo/21-live-kpis.sql builds the live summary table and its triggers" q -f "$top/tests/demo/21-live-kpis.sql"
out=$(q -f "$top/tests/demo/30-dashboard.sql")
like "$out" 'Per team, last three months' "the dashboard prints its per-team section"
like "$out" '2026-10' "the dashboard shows October 2026"
like "$out" 'beside the published industry benchmarks' "the dashboard shows the KPIs beside the industry benchmarks"
like "$out" '^FCR\|[0-9.]+\|70-80\|percent\|most industries\|(within|below|above)\|The 12 customer' "the dashboard puts FCR beside its published 70-80 % range"

# the live dashboard: the new ticket is counted at once, and gone again after its DELETE
out=$(q -f "$top/tests/demo/31-live-dashboard.sql")
like "$out" 'live from live_kpis' "the live dashboard prints today's figures from live_kpis"
line=$(printf '%s\n' "$out" | grep 'billing tickets today:' || true)
live=$(sed -n 's/.*today: \([0-9]*\) in live_kpis.*/\1/p' <<<"$line")
mv=$(sed -n 's/.*still says \([0-9]*\) until.*/\1/p' <<<"$line")
is "$live" "$(( ${mv:-0} + 1 ))" "a new ticket is counted in live_kpis at once, one more than daily_kpis before a refresh"
is "$(q -F ' ' -f "$top/tests/load/live_compare.sql" | awk '{ s = 0; for (i = 2; i <= NF; i++) s += $i; print s }')" 0 \
	"live_kpis equals a fresh GROUP BY after the ticket's insert and delete, summary by summary"

# rolled-up monthly KPIs equal the one-step aggregates over the raw rows
diff=$(q <<'EOF'
WITH rolled AS (
	SELECT team, date_trunc('month', day) AS month, sum(tickets) AS tickets,
		nps(rollup(nps_scores)) AS nps, csat(rollup(csat_scores)) AS csat, ces(rollup(ces_scores)) AS ces,
		rate(rollup(fcr)) AS fcr, rate(rollup(reopens)) AS reopen, rate(rollup(escalations)) AS escalation,
		rate(rollup(automation)) AS automation, rate(rollup(first_response_sla)) AS sla,
		rate(rollup(resolution_sla)) AS sla_res,
		round(quality_score(rollup(quality)), 9) AS quality,
		date_trunc('milliseconds', aht(rollup(handle))) AS aht
	FROM daily_kpis GROUP BY 1, 2
), direct AS (
	SELECT team, date_trunc('month', opened_at AT TIME ZONE 'UTC') AS month, count(*) AS tickets,
		nps(nps_score), csat(csat_score), ces(ces_score),
		fcr_rate(first_contact_resolved), reopen_rate(reopened), escalation_rate(escalated),
		automation_rate(automated), sla_adherence(first_response_at - opened_at, first_response_target),
		sla_adherence(resolved_at - opened_at <= resolution_target),
		round(quality_score(qa_points, qa_max), 9),
		date_trunc('milliseconds', aht(talk_time, hold_time, wrap_time))
	FROM tickets GROUP BY 1, 2
)
SELECT count(*) FROM ((TABLE rolled EXCEPT TABLE direct) UNION ALL (TABLE direct EXCEPT TABLE rolled)) d;
SELECT count(*) FROM (
	SELECT team, date_trunc('month', day), round(utilization(rollup(utilization)), 9),
		round(schedule_adherence(rollup(adherence)), 9)
	FROM daily_agents GROUP BY 1, 2
	EXCEPT
	SELECT team, date_trunc('month', day), round(utilization(busy, available), 9),
		round(schedule_adherence(adherent, scheduled), 9)
	FROM agent_days GROUP BY 1, 2) d;
SELECT count(*) FROM daily_kpis;
EOF
)
{ read -r tickets_diff; read -r agents_diff; read -r daily_rows; } <<<"$diff"
is "$tickets_diff" 0 "monthly KPIs rolled up from daily_kpis equal the one-step aggregates (rows that differ)"
is "$agents_diff" 0 "monthly KPIs rolled up from daily_agents equal the one-step aggregates (rows that differ)"
ok "daily_kpis has more than 1500 rows ($daily_rows)" [ "$daily_rows" -gt 1500 ]
# the histories tell the ticket columns' story, and the lifecycle dashboard (80-lifecycle.sql)
# equals the same figures in plain SQL: lead() over the events and business_duration per segment
q -f "$top/tests/demo/50-business-hours.sql" >/dev/null
q -f "$top/tests/demo/15-histories.sql"
out=$(q -f "$top/tests/demo/80-lifecycle.sql")
like "$out" 'Per team and month, last three months' "the lifecycle dashboard prints its table"
like "$out" '2026-10' "the lifecycle dashboard reaches October 2026"
bad=$(q <<'EOF'
SELECT concat_ws(' ',
	CASE WHEN count(*) <> 20000 THEN 'tickets' END,
	CASE WHEN bool_or(first_entered(l.tl, 'new') <> t.opened_at) THEN 'new' END,
	CASE WHEN bool_or(last_entered(l.tl, 'solved') IS DISTINCT FROM t.resolved_at) THEN 'solved' END,
	CASE WHEN bool_or((l.reopens > 0) <> coalesce(t.reopened AND t.resolved_at IS NOT NULL, false)) THEN 'reopened' END,
	CASE WHEN bool_or(NOT t.automated AND t.first_response_at IS DISTINCT FROM
		(SELECT min(at) FROM ticket_messages AS m WHERE m.ticket_id = t.id AND m.author = 'agent')) THEN 'first-reply' END,
	CASE WHEN bool_or(t.first_contact_resolved AND NOT t.automated AND t.resolved_at IS NOT NULL AND l.agent_replies <> 1) THEN 'one-touch' END,
	CASE WHEN count(*) FILTER (WHERE entries(l.tl, 'hold') > 0) = 0 OR count(*) FILTER (WHERE l.reopens > 0) = 0 THEN 'variety' END)
FROM ticket_lifecycle AS l JOIN tickets AS t ON t.id = l.ticket_id;
SELECT 'agent-states' WHERE EXISTS (SELECT FROM agent_shifts AS s JOIN agent_days AS d USING (agent_id, day)
	WHERE s.busy <> d.busy OR s.logged_in <> d.available OR s.shift <> d.scheduled);
EOF
)
is "$(printf '%s' "$bad" | tr -d '[:space:]')" "" "the histories agree with the ticket columns and agent days (failed checks)"
diff=$(q <<'EOF'
SELECT max(opened_at) AS data_end FROM tickets \gset
CREATE TEMP TABLE plain_ticket AS
WITH ev AS (
	SELECT e.ticket_id, e.at, e.status, lead(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.at, e.seq) AS next_at
	FROM ticket_events AS e
), seg AS (
	SELECT ev.ticket_id, ev.status,
		business_duration(ev.at, least(coalesce(ev.next_at, :'data_end'), :'data_end'), c.calendar) AS bh,
		business_duration(greatest(ev.at, t.opened_at),
			greatest(ev.at, t.opened_at, least(coalesce(ev.next_at, 'infinity'), coalesce(t.resolved_at, :'data_end'))),
			c.calendar) AS clock
	FROM ev JOIN tickets AS t ON t.id = ev.ticket_id JOIN team_calendars AS c USING (team)
	WHERE ev.at < :'data_end'
), per_ticket AS (
	SELECT ticket_id,
		sum(bh) FILTER (WHERE status IN ('new', 'open', 'hold')) AS requester_wait,
		sum(bh) FILTER (WHERE status IN ('new', 'open')) AS agent_work,
		sum(bh) FILTER (WHERE status = 'hold') AS on_hold,
		sum(bh) FILTER (WHERE status = 'pending') AS agent_wait,
		sum(clock) FILTER (WHERE status NOT IN ('pending', 'solved', 'closed')) AS resolution_clock
	FROM seg GROUP BY ticket_id
), reopen AS (
	SELECT ticket_id, count(*) FILTER (WHERE prev = 'solved' AND status = 'open') AS reopens
	FROM (SELECT ticket_id, status, lag(status) OVER (PARTITION BY ticket_id ORDER BY at, seq) AS prev
		  FROM ticket_events) AS x
	GROUP BY ticket_id
), msg AS (
	SELECT ticket_id, min(at) FILTER (WHERE author = 'customer') AS first_customer,
		min(at) FILTER (WHERE author = 'agent') AS first_agent,
		count(*) FILTER (WHERE author = 'agent') AS agent_replies
	FROM ticket_messages GROUP BY ticket_id
)
SELECT t.id, t.team, (t.opened_at AT TIME ZONE 'UTC')::date AS day, t.resolved_at, t.first_response_target, t.resolution_target,
	coalesce(p.requester_wait, '0') AS requester_wait, coalesce(p.agent_work, '0') AS agent_work,
	coalesce(p.on_hold, '0') AS on_hold, coalesce(p.agent_wait, '0') AS agent_wait,
	coalesce(p.resolution_clock, '0') AS resolution_clock,
	/* the conversation opens with the customer's message: the first agent message answers it */
	business_duration(msg.first_customer, msg.first_agent, c.calendar) AS first_reply,
	r.reopens, coalesce(msg.agent_replies, 0) AS agent_replies
FROM tickets AS t JOIN team_calendars AS c USING (team)
LEFT JOIN per_ticket AS p ON p.ticket_id = t.id LEFT JOIN reopen AS r ON r.ticket_id = t.id
LEFT JOIN msg ON msg.ticket_id = t.id;
-- per ticket
SELECT count(*) FROM plain_ticket AS p JOIN ticket_lifecycle AS l ON l.ticket_id = p.id
WHERE p.requester_wait <> l.requester_wait OR p.agent_work <> l.agent_work OR p.on_hold <> l.on_hold
   OR p.agent_wait <> l.agent_wait OR p.resolution_clock <> l.resolution_clock
   OR p.first_reply IS DISTINCT FROM l.first_reply OR p.reopens <> l.reopens OR p.agent_replies <> l.agent_replies;
-- per team and month, as the dashboard rolls them up
SELECT count(*) FROM (
	(SELECT team, date_trunc('month', day), sum(tickets),
		total(rollup(requester_wait)), total(rollup(agent_work)), total(rollup(on_hold)), total(rollup(first_reply)),
		rate(rollup(first_reply_sla)), hits(rollup(resolution_breaches)), rate(rollup(resolution_breaches)),
		rate(rollup(reopened)), rate(rollup(one_touch)), rate(rollup(two_touch))
	 FROM daily_lifecycle GROUP BY 1, 2
	 EXCEPT
	 SELECT team, date_trunc('month', day), count(*),
		sum(requester_wait) FILTER (WHERE resolved_at IS NOT NULL), sum(agent_work) FILTER (WHERE resolved_at IS NOT NULL),
		sum(on_hold) FILTER (WHERE resolved_at IS NOT NULL), sum(first_reply),
		100.0 * count(*) FILTER (WHERE first_reply <= first_response_target) / nullif(count(first_reply), 0),
		count(*) FILTER (WHERE resolution_clock > resolution_target),
		100.0 * count(*) FILTER (WHERE resolution_clock > resolution_target)
			/ nullif(count(*) FILTER (WHERE resolved_at IS NOT NULL OR resolution_clock > resolution_target), 0),
		100.0 * count(*) FILTER (WHERE resolved_at IS NOT NULL AND reopens > 0) / nullif(count(resolved_at), 0),
		100.0 * count(*) FILTER (WHERE resolved_at IS NOT NULL AND agent_replies = 1 AND reopens = 0)
			/ nullif(count(*) FILTER (WHERE resolved_at IS NOT NULL AND agent_replies > 0), 0),
		100.0 * count(*) FILTER (WHERE resolved_at IS NOT NULL AND agent_replies = 2 AND reopens = 0)
			/ nullif(count(*) FILTER (WHERE resolved_at IS NOT NULL AND agent_replies > 0), 0)
	 FROM plain_ticket GROUP BY 1, 2)) AS d;
SELECT count(*) FROM (
	SELECT team, date_trunc('month', day), occupancy(busy, logged_in), utilization(busy, shift) FROM agent_shifts GROUP BY 1, 2
	EXCEPT
	SELECT team, date_trunc('month', day), utilization(busy, available), utilization(busy, scheduled) FROM agent_days GROUP BY 1, 2) AS d;
EOF
)
{ read -r ticket_diff; read -r month_diff; read -r agent_diff; } <<<"$diff"
is "$ticket_diff" 0 "per-ticket lifecycle metrics equal lead() + business_duration (tickets that differ)"
is "$month_diff" 0 "the monthly lifecycle rollups equal plain SQL over the tickets (rows that differ)"
is "$agent_diff" 0 "occupancy and utilization from the state logs equal agent_days (rows that differ)"
done_testing
