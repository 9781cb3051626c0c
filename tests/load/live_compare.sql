/*
 * live_kpis (the trigger recipe, tests/demo/21-live-kpis.sql) against a fresh
 * GROUP BY over tickets written here, summary by summary, byte for byte
 * (binary output): one row, the number of groups, then how many are missing,
 * left over or differ in each column.  Read by tests/load/live.sh and
 * tests/property/live_kpis.py.
 */
WITH fresh AS (
    SELECT team, (opened_at AT TIME ZONE 'UTC')::date AS day, count(*) AS tickets,
           score_agg(nps_score) AS nps_scores, score_agg(csat_score) AS csat_scores,
           rate_agg(first_contact_resolved) AS fcr,
           rate_agg(first_response_at - opened_at <= first_response_target) AS first_response_sla,
           ratio_agg(qa_points, qa_max) AS quality,
           aht_agg(talk_time, hold_time, wrap_time) AS handle,
           ticket_flow_agg(opened_at, resolved_at, interval '1 day') AS flow,
           duration_agg(first_response_at - opened_at) AS first_response,
           duration_agg(resolved_at - opened_at) AS resolution
    FROM tickets GROUP BY 1, 2
)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE l.team IS NULL) AS missing,
       count(*) FILTER (WHERE f.team IS NULL) AS left_over,
       count(*) FILTER (WHERE l.tickets IS DISTINCT FROM f.tickets) AS tickets,
       count(*) FILTER (WHERE kpi_score_summary_send(l.nps_scores) IS DISTINCT FROM kpi_score_summary_send(f.nps_scores)) AS nps_scores,
       count(*) FILTER (WHERE kpi_score_summary_send(l.csat_scores) IS DISTINCT FROM kpi_score_summary_send(f.csat_scores)) AS csat_scores,
       count(*) FILTER (WHERE kpi_rate_summary_send(l.fcr) IS DISTINCT FROM kpi_rate_summary_send(f.fcr)) AS fcr,
       count(*) FILTER (WHERE kpi_rate_summary_send(l.first_response_sla) IS DISTINCT FROM kpi_rate_summary_send(f.first_response_sla)) AS first_response_sla,
       count(*) FILTER (WHERE kpi_ratio_summary_send(l.quality) IS DISTINCT FROM kpi_ratio_summary_send(f.quality)) AS quality,
       count(*) FILTER (WHERE kpi_ratio_summary_send(l.handle) IS DISTINCT FROM kpi_ratio_summary_send(f.handle)) AS handle,
       count(*) FILTER (WHERE kpi_ticket_flow_send(l.flow) IS DISTINCT FROM kpi_ticket_flow_send(f.flow)) AS flow,
       count(*) FILTER (WHERE kpi_duration_summary_send(l.first_response) IS DISTINCT FROM kpi_duration_summary_send(f.first_response)) AS first_response,
       count(*) FILTER (WHERE kpi_duration_summary_send(l.resolution) IS DISTINCT FROM kpi_duration_summary_send(f.resolution)) AS resolution
FROM live_kpis AS l FULL JOIN fresh AS f USING (team, day);
