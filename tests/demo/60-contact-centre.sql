/*
 * Contact centre: service level, abandonment and Erlang C staffing for the
 * phone queues in `calls`.
 *
 * contact_halfhour holds one row per queue and 30-minute interval with
 * summaries, not percentages: any period's service level or abandonment rate
 * is a rollup() of these rows, exact.  The 80/20 service level counts calls
 * answered within 20 seconds out of the offered ones; callers who hang up
 * within 5 seconds (short abandons) are not offered.
 */
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
SET client_min_messages = warning;

DROP MATERIALIZED VIEW IF EXISTS contact_halfhour CASCADE;
CREATE MATERIALIZED VIEW contact_halfhour AS
SELECT queue,
	date_bin('30 minutes', arrived_at, timestamptz '2000-01-01 00:00+00') AS slot,
	count(*) AS arrivals,
	service_level_agg(wait, answered, '20 seconds', '5 seconds') AS service_level,
	abandonment_agg(wait, answered, '5 seconds') AS abandonment,
	sum(wait) FILTER (WHERE answered) AS answered_wait,
	count(*) FILTER (WHERE answered) AS answered,
	sum(handle) AS handle,
	count(handle) AS handled
FROM calls
GROUP BY 1, 2;
CREATE UNIQUE INDEX ON contact_halfhour (queue, slot);
COMMENT ON MATERIALIZED VIEW contact_halfhour IS 'kpi_ext demo: per queue and 30-minute interval, service level (80/20, short abandons < 5 s) and abandonment summaries';
ANALYZE contact_halfhour;

SELECT to_char(sum(arrivals), 'FM999,999,999') AS calls, count(*) AS slots,
	min(slot)::date AS first_day, max(slot)::date AS last_day
FROM contact_halfhour \gset

\echo
\echo '================================================================================'
\echo ' Contact centre: ':calls' calls, ':first_day' to ':last_day
\echo ' (rolled up from ':slots' half-hour summary rows in contact_halfhour)'
\echo
\echo ' offered: calls minus short abandons (hung up within 5 s)'
\echo ' SL 80/20: % of offered calls answered within 20 s   abandoned: % of offered'
\echo ' ASA: average speed of answer   AHT: average handle time of answered calls'
\echo '================================================================================'

SELECT coalesce(queue, 'all queues') AS queue,
	to_char(sum(arrivals), 'FM999,999') AS calls,
	to_char(trials(rollup(service_level)), 'FM999,999') AS offered,
	round(rate(rollup(service_level)), 1) AS "SL 80/20",
	round(rate(rollup(abandonment)), 1) AS abandoned,
	to_char(sum(answered_wait) / nullif(sum(answered), 0), 'MI:SS') AS "ASA",
	to_char(sum(handle) / nullif(sum(handled), 0), 'MI:SS') AS "AHT"
FROM contact_halfhour
GROUP BY ROLLUP (queue)
ORDER BY queue IS NULL, queue;

\echo
\echo ' Service level 80/20 by month (%), every queue: rollup() of the half-hour rows'
SELECT to_char(date_trunc('month', slot AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
	round(rate(rollup(service_level) FILTER (WHERE queue = 'billing')), 1) AS billing,
	round(rate(rollup(service_level) FILTER (WHERE queue = 'technical')), 1) AS technical,
	round(rate(rollup(service_level) FILTER (WHERE queue = 'onboarding')), 1) AS onboarding,
	round(rate(rollup(service_level) FILTER (WHERE queue = 'enterprise')), 1) AS enterprise,
	round(rate(rollup(service_level) FILTER (WHERE queue = 'returns')), 1) AS returns,
	round(rate(rollup(service_level)), 1) AS "all",
	round(rate(rollup(abandonment)), 1) AS "abandoned all"
FROM contact_halfhour
GROUP BY 1
ORDER BY 1;

\echo
\echo ' Staffing the busiest half-hour of each queue with Erlang C (target 80/20)'
\echo ' arrivals: calls in that half-hour   AHT: the queue''s AHT in that month'
\echo ' traffic: arrivals x AHT / 30 min in erlangs   agents: fewest that reach 80/20'
\echo ' SL, ASA: what Erlang C predicts with that many agents'
\echo ' staff: agents / (1 - 30% shrinkage), rounded up'
\echo ' actual SL: measured in that half-hour, with the agents who were on duty'
\echo ' Erlang C ignores abandonment, so it errs on the side of more agents.'
WITH busiest AS (
	SELECT DISTINCT ON (queue) queue, slot, arrivals, service_level
	FROM contact_halfhour
	ORDER BY queue, arrivals DESC, slot
), load AS (
	SELECT b.queue, b.slot, b.arrivals, b.service_level,
		(SELECT sum(h.handle) / sum(h.handled) FROM contact_halfhour AS h
		 WHERE h.queue = b.queue AND date_trunc('month', h.slot) = date_trunc('month', b.slot)) AS aht
	FROM busiest AS b
), staffed AS (
	SELECT l.*, erlang_agents(arrivals, aht, '30 minutes', 80, '20 seconds') AS agents
	FROM load AS l
)
SELECT queue,
	to_char(slot, 'YYYY-MM-DD Dy HH24:MI') AS "busiest half-hour",
	arrivals,
	to_char(aht, 'MI:SS') AS "AHT",
	round((arrivals * extract(epoch FROM aht) / 1800)::numeric, 2) AS traffic,
	agents,
	round(erlang_service_level(arrivals, aht, '30 minutes', agents, '20 seconds'), 1) AS "SL",
	to_char(erlang_asa(arrivals, aht, '30 minutes', agents), 'MI:SS') AS "ASA",
	erlang_agents(arrivals, aht, '30 minutes', 80, '20 seconds', 0.3) AS staff,
	round(rate(service_level), 1) AS "actual SL"
FROM staffed
ORDER BY queue;
