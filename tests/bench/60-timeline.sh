# shellcheck shell=bash
# Ticket histories (SPEC §10, §11): per ticket, requester wait (new + open + hold),
# agent work (new + open) and on-hold time, and the first-reply SLA clock (paused
# on pending, stopped once solved), all in business hours, from the status history
# of the first TIMELINE_TICKETS tickets (default 1M; tests/demo/15-histories.sql
# derives it from the ticket columns, into bench_timeline_events), against:
#   - the best window-function SQL: lead() over the events, business_duration()
#     once per segment (and once per clipped segment for the SLA clock);
#   - on TIMELINE_SPINE_TICKETS tickets (default 10k), the plain-SQL day spine in
#     the manner of dbt_zendesk: every status segment joined to the local days it
#     spans and to the schedule's working ranges of those days, AT TIME ZONE per
#     range, holidays removed.
# Both comparisons first check that the per-ticket results are identical.
# Sourced by tests/bench/bench.sh.

TIMELINE_TICKETS=${TIMELINE_TICKETS:-1000000}
TIMELINE_SPINE_TICKETS=${TIMELINE_SPINE_TICKETS:-10000}

if [ "$(bench_psql -c "SELECT count(*) FROM pg_class WHERE relname = 'bench_timeline_events'")" = 0 ] ||
	[ "$(bench_psql -c "SELECT coalesce(max(ticket_id), 0) FROM bench_timeline_events")" != \
		"$(bench_psql -c "SELECT coalesce(max(id), 0) FROM (SELECT id FROM tickets ORDER BY id LIMIT $TIMELINE_TICKETS) AS t")" ]; then
	kpi_say "deriving the status histories of $TIMELINE_TICKETS tickets (bench_timeline_events)" >&2
	bench_psql -v max_ticket="$TIMELINE_TICKETS" -v events_table=bench_timeline_events \
		-v messages_table=bench_timeline_messages -v agent_states=false -f "$kpi_top/tests/demo/15-histories.sql" >&2
	bench_psql -c "VACUUM (FREEZE, ANALYZE) bench_timeline_events" >&2
fi
bench_psql <<'EOF'
DROP TABLE IF EXISTS bench_timeline_calendar, bench_timeline_ranges;
CREATE TABLE bench_timeline_calendar (cal business_calendar, tz text, holidays date[]);
INSERT INTO bench_timeline_calendar VALUES ('mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin;
	holidays=2025-12-25,2025-12-26,2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03',
	'Europe/Berlin', '{2025-12-25,2025-12-26,2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03}');
CREATE TABLE bench_timeline_ranges (dow int, lo time, hi time);
INSERT INTO bench_timeline_ranges
SELECT d, time '09:00', time '12:00' FROM generate_series(1, 5) AS d
UNION ALL SELECT d, '13:00', '17:30' FROM generate_series(1, 5) AS d
UNION ALL SELECT 6, '10:00', '14:00';
ANALYZE bench_timeline_calendar, bench_timeline_ranges;
EOF
# the tickets' own columns (opened, first reply) for both sides, as small tables of their own
bench_psql -c "DROP TABLE IF EXISTS bench_timeline_spine_events, bench_timeline_tickets, bench_timeline_spine_tickets" \
	-c "CREATE TABLE bench_timeline_tickets AS SELECT id, opened_at, first_response_at FROM tickets
		WHERE id IN (SELECT DISTINCT ticket_id FROM bench_timeline_events) ORDER BY id" \
	-c "ALTER TABLE bench_timeline_tickets ADD PRIMARY KEY (id)" \
	-c "CREATE TABLE bench_timeline_spine_tickets AS SELECT * FROM bench_timeline_tickets ORDER BY id LIMIT $TIMELINE_SPINE_TICKETS" \
	-c "ALTER TABLE bench_timeline_spine_tickets ADD PRIMARY KEY (id)" \
	-c "CREATE TABLE bench_timeline_spine_events AS SELECT e.* FROM bench_timeline_events AS e
		WHERE e.ticket_id IN (SELECT id FROM bench_timeline_spine_tickets) ORDER BY e.ticket_id, e.seq" \
	-c "CREATE INDEX ON bench_timeline_spine_events (ticket_id)" \
	-c "VACUUM (FREEZE, ANALYZE) bench_timeline_tickets, bench_timeline_spine_tickets, bench_timeline_spine_events"
cal="'$(bench_psql -c "SELECT cal FROM bench_timeline_calendar")'::business_calendar"
data_end="'$(bench_psql -c "SELECT max(opened_at) FROM tickets")'::timestamptz"
tickets=$(bench_psql -c "SELECT count(*) FROM bench_timeline_tickets")
events=$(bench_psql -c "SELECT count(*) FROM bench_timeline_events")
spine_tickets=$(bench_psql -c "SELECT count(*) FROM bench_timeline_spine_tickets")

# per ticket: requester wait, agent work, on-hold, first-reply SLA clock; $1 the events, $2 the tickets.
# Each side lists the tickets in ticket order: for kpi_ext the query shape the README
# recommends (the histories grouped in a subquery, joined to the tickets, ORDER BY the
# ticket), with which PostgreSQL streams index scan -> GroupAggregate -> merge join
# instead of hashing every timeline or building all of them in each parallel worker;
# for the window query the order is free (the output of its GroupAggregate).
timeline_metrics() {
	cat <<EOF
SELECT h.ticket_id,
	duration_in(h.tl, '{new,open,hold}', $cal) AS requester_wait,
	duration_in(h.tl, '{new,open}', $cal) AS agent_work,
	duration_in(h.tl, '{hold}', $cal) AS on_hold,
	sla_elapsed(h.tl, t.opened_at, coalesce(t.first_response_at, $data_end), '{pending,solved,closed}', $cal) AS first_reply_clock
FROM (SELECT ticket_id, timeline_agg(at, status, seq) AS tl FROM $1 GROUP BY ticket_id) AS h
JOIN $2 AS t ON t.id = h.ticket_id
ORDER BY h.ticket_id
EOF
}

window_metrics() {
	cat <<EOF
SELECT s.ticket_id,
	coalesce(sum(s.bh) FILTER (WHERE s.status IN ('new', 'open', 'hold')), '0') AS requester_wait,
	coalesce(sum(s.bh) FILTER (WHERE s.status IN ('new', 'open')), '0') AS agent_work,
	coalesce(sum(s.bh) FILTER (WHERE s.status = 'hold'), '0') AS on_hold,
	coalesce(sum(business_duration(s.a, s.b, $cal))
		FILTER (WHERE s.status NOT IN ('pending', 'solved', 'closed') AND s.a < s.b), '0') AS first_reply_clock
FROM (
	SELECT e.ticket_id, e.status, business_duration(e.at, e.next_at, $cal) AS bh,
		greatest(e.at, t.opened_at) AS a,
		least(coalesce(e.next_at, 'infinity'), coalesce(t.first_response_at, $data_end)) AS b
	FROM (SELECT ticket_id, at, status, lead(at) OVER (PARTITION BY ticket_id ORDER BY at, seq) AS next_at
		  FROM $1) AS e
	JOIN $2 AS t ON t.id = e.ticket_id) AS s
GROUP BY s.ticket_id
ORDER BY s.ticket_id
EOF
}

# the day spine: each (clipped) segment against every working range of every local day it spans
spine_metrics() {
	cat <<EOF
WITH seg AS (
	SELECT e.ticket_id, e.status, e.at, lead(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.at, e.seq) AS next_at
	FROM $1 AS e
), pieces AS (
	SELECT ticket_id, status, 'stay' AS kind, at AS a, next_at AS b FROM seg WHERE next_at IS NOT NULL
	UNION ALL
	SELECT s.ticket_id, s.status, 'clock', greatest(s.at, t.opened_at),
		least(coalesce(s.next_at, 'infinity'), coalesce(t.first_response_at, $data_end))
	FROM seg AS s JOIN $2 AS t ON t.id = s.ticket_id
	WHERE s.status NOT IN ('pending', 'solved', 'closed')
), spine AS (
	SELECT p.ticket_id, p.status, p.kind,
		least(p.b, (d.day + r.hi) AT TIME ZONE k.tz) - greatest(p.a, (d.day + r.lo) AT TIME ZONE k.tz) AS worked
	FROM pieces AS p CROSS JOIN bench_timeline_calendar AS k
	CROSS JOIN LATERAL (SELECT g::date AS day FROM generate_series((p.a AT TIME ZONE k.tz)::date,
		(p.b AT TIME ZONE k.tz)::date, interval '1 day') AS g) AS d
	JOIN bench_timeline_ranges AS r ON r.dow = extract(isodow FROM d.day)
	WHERE p.a < p.b AND d.day <> ALL (k.holidays)
	  AND (d.day + r.hi) AT TIME ZONE k.tz > p.a AND (d.day + r.lo) AT TIME ZONE k.tz < p.b
)
SELECT t.ticket_id,
	coalesce(sum(s.worked) FILTER (WHERE s.kind = 'stay' AND s.status IN ('new', 'open', 'hold')), '0') AS requester_wait,
	coalesce(sum(s.worked) FILTER (WHERE s.kind = 'stay' AND s.status IN ('new', 'open')), '0') AS agent_work,
	coalesce(sum(s.worked) FILTER (WHERE s.kind = 'stay' AND s.status = 'hold'), '0') AS on_hold,
	coalesce(sum(s.worked) FILTER (WHERE s.kind = 'clock'), '0') AS first_reply_clock
FROM (SELECT DISTINCT ticket_id FROM $1) AS t LEFT JOIN spine AS s USING (ticket_id)
GROUP BY t.ticket_id
ORDER BY t.ticket_id
EOF
}

# identical per-ticket results (interval equality: 1 day = 24 hours)
timeline_same() {
	bench_psql -c "SELECT count(*) FROM (($2) EXCEPT ($3)) AS d" -c "SELECT count(*) FROM (($3) EXCEPT ($2)) AS d" |
		tr '\n' ' ' | grep -qx '0 0 \?' || { printf 'bench: %s: RESULTS DIFFER\n' "$1" >&2; bench_failed=1; echo "RESULTS DIFFER"; return; }
	echo "identical results"
}

verdict=$(timeline_same "timeline vs window SQL" "$(timeline_metrics bench_timeline_events bench_timeline_tickets)" "$(window_metrics bench_timeline_events bench_timeline_tickets)")
bench_compare "timeline: wait, work, on-hold, SLA clock in business hours, $tickets tickets, $events events vs lead() + business_duration ($verdict)" "≥ 3× faster" \
	"SELECT sum(requester_wait), sum(agent_work), sum(on_hold), sum(first_reply_clock) FROM ($(timeline_metrics bench_timeline_events bench_timeline_tickets)) AS m" \
	"SELECT sum(requester_wait), sum(agent_work), sum(on_hold), sum(first_reply_clock) FROM ($(window_metrics bench_timeline_events bench_timeline_tickets)) AS m"

verdict=$(timeline_same "timeline vs day spine" "$(timeline_metrics bench_timeline_spine_events bench_timeline_spine_tickets)" "$(spine_metrics bench_timeline_spine_events bench_timeline_spine_tickets)")
bench_compare "timeline: the same, $spine_tickets tickets, vs the plain-SQL day spine ($verdict)" "≥ 50× faster" \
	"SELECT sum(requester_wait), sum(agent_work), sum(on_hold), sum(first_reply_clock) FROM ($(timeline_metrics bench_timeline_spine_events bench_timeline_spine_tickets)) AS m" \
	"SELECT sum(requester_wait), sum(agent_work), sum(on_hold), sum(first_reply_clock) FROM ($(spine_metrics bench_timeline_spine_events bench_timeline_spine_tickets)) AS m"

# the stored size of the histories, per event: all of it, and without the labels (each stored once)
read -r bytes bytes_nolabels < <(bench_psql -F ' ' -c "SELECT round(sum(size)::numeric / sum(n), 1),
		round((sum(size) - sum(label_bytes))::numeric / sum(n), 1)
	FROM (SELECT pg_column_size(timeline_agg(at, status, seq)) AS size, count(*) AS n,
				 (SELECT sum(1 + octet_length(l)) FROM unnest(array_agg(DISTINCT status)) AS l) AS label_bytes
		  FROM bench_timeline_events GROUP BY ticket_id) AS h")
printf '| timeline: stored bytes per event, %s events of %s tickets (each distinct label once: %s with the labels) | %s | | | | ≤ 16 | %s |\n' \
	"$events" "$tickets" "$bytes" "$bytes_nolabels" "$(awk -v b="$bytes_nolabels" 'BEGIN { print (b <= 16 ? "✓" : "✗") }')"
