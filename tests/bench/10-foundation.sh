# Foundation benchmarks (SPEC §10): survey and rate aggregates against the
# executor's floor (count of the same column) and against the hand-written
# FILTER formulas, a per-team dashboard against plain SQL, and monthly KPIs
# from a daily summary view against the same from the raw rows.
# Sourced by tests/bench/bench.sh.

bench_compare "nps(nps_score) vs count(nps_score)" "≤ 1.15×" \
	"SELECT nps(nps_score) FROM tickets" \
	"SELECT count(nps_score) FROM tickets"
bench_compare "csat(csat_score) vs count(csat_score)" "≤ 1.15×" \
	"SELECT csat(csat_score) FROM tickets" \
	"SELECT count(csat_score) FROM tickets"
bench_compare "fcr_rate(first_contact_resolved) vs count(first_contact_resolved)" "≤ 1.15×" \
	"SELECT fcr_rate(first_contact_resolved) FROM tickets" \
	"SELECT count(first_contact_resolved) FROM tickets"

bench_compare "nps(nps_score) vs count(*) FILTER formula" "faster" \
	"SELECT nps(nps_score) FROM tickets" \
	"SELECT 100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6))
		/ nullif(count(nps_score), 0) FROM tickets"
bench_compare "csat(csat_score) vs count(*) FILTER formula" "faster" \
	"SELECT csat(csat_score) FROM tickets" \
	"SELECT 100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0) FROM tickets"
bench_compare "fcr_rate(first_contact_resolved) vs count(*) FILTER formula" "faster" \
	"SELECT fcr_rate(first_contact_resolved) FROM tickets" \
	"SELECT 100.0 * count(*) FILTER (WHERE first_contact_resolved) / nullif(count(first_contact_resolved), 0)
		FROM tickets"

# the same ten KPIs per team both ways
bench_compare "per-team dashboard (10 KPIs) vs plain SQL" "faster" \
	"SELECT team, count(*), nps(nps_score), csat(csat_score), ces(ces_score),
		fcr_rate(first_contact_resolved), reopen_rate(reopened), escalation_rate(escalated),
		sla_adherence(first_response_at - opened_at, first_response_target),
		quality_score(qa_points, qa_max), aht(talk_time, hold_time, wrap_time)
	FROM tickets GROUP BY team" \
	"SELECT team, count(*),
		100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6))
			/ nullif(count(nps_score), 0),
		100.0 * count(*) FILTER (WHERE csat_score >= 4) / nullif(count(csat_score), 0),
		avg(ces_score),
		100.0 * count(*) FILTER (WHERE first_contact_resolved) / nullif(count(first_contact_resolved), 0),
		100.0 * count(*) FILTER (WHERE reopened) / nullif(count(reopened), 0),
		100.0 * count(*) FILTER (WHERE escalated) / nullif(count(escalated), 0),
		100.0 * count(*) FILTER (WHERE first_response_at - opened_at <= first_response_target)
			/ nullif(count(first_response_at - opened_at <= first_response_target), 0),
		100.0 * sum(qa_points) FILTER (WHERE qa_max IS NOT NULL)
			/ nullif(sum(qa_max) FILTER (WHERE qa_points IS NOT NULL), 0),
		avg(coalesce(talk_time, interval '0') + coalesce(hold_time, interval '0') + coalesce(wrap_time, interval '0'))
			FILTER (WHERE talk_time IS NOT NULL OR hold_time IS NOT NULL OR wrap_time IS NOT NULL)
	FROM tickets GROUP BY team"

# monthly KPIs per team: from a daily summary view (built once, not timed)
# against the same one-step aggregates over the raw rows
bench_psql <<'EOF'
CREATE MATERIALIZED VIEW IF NOT EXISTS bench_daily AS
SELECT team, (opened_at AT TIME ZONE 'UTC')::date AS day, count(*) AS tickets,
	score_agg(nps_score) AS nps_scores, score_agg(csat_score) AS csat_scores,
	rate_agg(first_contact_resolved) AS fcr,
	rate_agg(first_response_at - opened_at <= first_response_target) AS first_response_sla
FROM tickets GROUP BY 1, 2;
ANALYZE bench_daily;
EOF
bench_compare "monthly KPIs per team: daily summary view vs raw rows" "≥ 50× faster" \
	"SELECT team, date_trunc('month', day), sum(tickets), nps(rollup(nps_scores)), csat(rollup(csat_scores)),
		rate(rollup(fcr)), rate(rollup(first_response_sla))
	FROM bench_daily GROUP BY 1, 2" \
	"SELECT team, date_trunc('month', opened_at AT TIME ZONE 'UTC'), count(*), nps(nps_score), csat(csat_score),
		fcr_rate(first_contact_resolved), sla_adherence(first_response_at - opened_at <= first_response_target)
	FROM tickets GROUP BY 1, 2"
