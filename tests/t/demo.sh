#!/usr/bin/env bash
# The demo pipeline on a small data set: the generator is deterministic and
# consistent, the daily summary views and the dashboard run, and monthly KPIs
# rolled up from daily_kpis/daily_agents equal the one-step aggregates over
# the raw rows.
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
out=$(q -f "$top/tests/demo/30-dashboard.sql")
like "$out" 'Per team, last three months' "the dashboard prints its per-team section"
like "$out" '2026-10' "the dashboard shows October 2026"
like "$out" 'beside the published industry benchmarks' "the dashboard shows the KPIs beside the industry benchmarks"
like "$out" '^FCR\|[0-9.]+\|70-80\|percent\|most industries\|(within|below|above)\|The 12 customer' "the dashboard puts FCR beside its published 70-80 % range"

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
done_testing
