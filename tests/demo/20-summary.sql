/*
 * The daily summary materialized views behind the dashboards.
 *
 * One row per team and day holding summaries, not percentages: monthly,
 * quarterly or rolling KPIs are rollup()s of these rows, exact, and read a few
 * thousand rows instead of every ticket.  Refresh daily with
 *   REFRESH MATERIALIZED VIEW CONCURRENTLY daily_kpis;
 * (the unique index on (team, day) is what CONCURRENTLY needs).
 */
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP MATERIALIZED VIEW IF EXISTS daily_kpis CASCADE;
CREATE MATERIALIZED VIEW daily_kpis AS
SELECT team,
	(opened_at AT TIME ZONE 'UTC')::date AS day,
	count(*) AS tickets,
	score_agg(nps_score) AS nps_scores,
	score_agg(csat_score) AS csat_scores,
	score_agg(ces_score) AS ces_scores,
	rate_agg(first_contact_resolved) AS fcr,
	rate_agg(reopened) AS reopens,
	rate_agg(escalated) AS escalations,
	rate_agg(automated) AS automation,
	/* tickets answered yet: met when the first response came within its target */
	rate_agg(first_response_at - opened_at <= first_response_target) AS first_response_sla,
	rate_agg(resolved_at - opened_at <= resolution_target) AS resolution_sla,
	ratio_agg(qa_points, qa_max) AS quality,
	/* bot-resolved tickets have no handle time: aht_agg skips rows with no part */
	aht_agg(talk_time, hold_time, wrap_time) AS handle
FROM tickets
GROUP BY 1, 2;
CREATE UNIQUE INDEX daily_kpis_team_day ON daily_kpis (team, day);
COMMENT ON MATERIALIZED VIEW daily_kpis IS
	'kpi_ext demo: per team and day, ticket KPIs as summaries; roll up with rollup()';

DROP MATERIALIZED VIEW IF EXISTS daily_agents CASCADE;
CREATE MATERIALIZED VIEW daily_agents AS
SELECT team, day,
	count(*) AS agents,
	ratio_agg(busy, available) AS utilization,
	ratio_agg(adherent, scheduled) AS adherence
FROM agent_days
GROUP BY 1, 2;
CREATE UNIQUE INDEX daily_agents_team_day ON daily_agents (team, day);
COMMENT ON MATERIALIZED VIEW daily_agents IS
	'kpi_ext demo: per team and day, agent utilization and schedule adherence as summaries';

ANALYZE daily_kpis;
ANALYZE daily_agents;
