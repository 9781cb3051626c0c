-- the summaries refreshed while everything else runs
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_kpis;
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_durations;
