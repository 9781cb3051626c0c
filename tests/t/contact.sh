#!/usr/bin/env bash
# Property checks for the contact-centre functions on seeded random inputs:
#  - erlang_agents returns the fewest agents that reach the target (and the
#    staff count is the fewest whose available share covers them);
#  - service_level / abandonment_rate in random ROWS frames equal a
#    recomputation of each frame, with per-row thresholds.
# Each query gives a name and the number of cases where the property fails.
. "$(dirname "$0")/lib.sh"
fresh_db

out=$(q <<'SQL'
SELECT setseed(0.4242);

CREATE TABLE cases AS
SELECT i,
	   round((random() ^ 3 * 5000)::numeric, 2)::float8 AS arrivals,
	   make_interval(secs => 30 + floor(random() * 900)) AS aht,
	   (ARRAY[interval '15 min', '30 min', '1 hour'])[1 + floor(random() * 3)::int] AS period,
	   round((1 + random() * 98.9)::numeric, 1) AS target,
	   make_interval(secs => floor(random() * 120)) AS threshold,
	   CASE WHEN random() < 0.3 THEN 0 ELSE round((random() * 0.6)::numeric, 3)::float8 END AS shrinkage
FROM generate_series(1, 400) AS i;

CREATE TABLE staffed AS
SELECT c.*,
	   arrivals * extract(epoch FROM aht)::float8 / extract(epoch FROM period)::float8 AS a,
	   erlang_agents(arrivals, aht, period, target, threshold) AS agents,
	   erlang_agents(arrivals, aht, period, target, threshold, shrinkage) AS staff
FROM cases AS c;

SELECT 'agents_not_minimal', count(*) FROM staffed
WHERE agents > 0 AND NOT (
	erlang_service_level(arrivals, aht, period, agents, threshold) >= target
	AND (agents - 1 <= a OR erlang_service_level(arrivals, aht, period, agents - 1, threshold) < target));
SELECT 'zero_agents_with_traffic', count(*) FROM staffed WHERE agents = 0 AND arrivals > 0;
SELECT 'staff_not_minimal', count(*) FROM staffed
WHERE NOT (staff * (1 - shrinkage::numeric) >= agents AND (staff - 1) * (1 - shrinkage::numeric) < agents);

CREATE TABLE calls AS
SELECT i AS id,
	   CASE WHEN random() < 0.03 THEN NULL ELSE make_interval(secs => round((random() ^ 2 * 90)::numeric, 1)) END AS wait,
	   CASE WHEN random() < 0.03 THEN NULL ELSE random() < 0.8 END AS answered,
	   CASE WHEN random() < 0.05 THEN NULL ELSE make_interval(secs => floor(random() * 40)) END AS threshold
FROM generate_series(1, 3000) AS i;

CREATE FUNCTION frames_ok(pre integer, fol integer) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
	bad bigint;
BEGIN
	EXECUTE format($q$
		SELECT count(*) FROM (
			SELECT id,
				   service_level(wait, answered, threshold, '5 s') OVER w AS sl,
				   abandonment_rate(wait, answered, '5 s') OVER w AS ab
			FROM calls
			WINDOW w AS (ORDER BY id ROWS BETWEEN %s PRECEDING AND %s FOLLOWING)) AS x
		WHERE sl IS DISTINCT FROM (
				SELECT 100.0 * count(*) FILTER (WHERE answered AND wait <= threshold)
					   / nullif(count(*) FILTER (WHERE wait IS NOT NULL AND answered IS NOT NULL
												  AND threshold IS NOT NULL AND (answered OR wait >= '5 s')), 0)
				FROM calls AS c WHERE c.id BETWEEN x.id - %s AND x.id + %s)
		   OR ab IS DISTINCT FROM (
				SELECT 100.0 * count(*) FILTER (WHERE NOT answered AND wait >= '5 s')
					   / nullif(count(*) FILTER (WHERE wait IS NOT NULL AND answered IS NOT NULL
												  AND (answered OR wait >= '5 s')), 0)
				FROM calls AS c WHERE c.id BETWEEN x.id - %s AND x.id + %s)
		$q$, pre, fol, pre, fol, pre, fol) INTO bad;
	RETURN bad;
END
$f$;
SELECT 'frame_mismatches', sum(frames_ok(p, f))
FROM (VALUES (0, 0), (1, 0), (6, 0), (27, 0), (3, 3), (0, 9), (50, 50)) AS v(p, f);
SQL
)
declare -A what=(
	[agents_not_minimal]="erlang_agents is the fewest agents that reach the target (400 cases)"
	[zero_agents_with_traffic]="erlang_agents is never 0 with traffic"
	[staff_not_minimal]="the staff count is the fewest whose available share covers the agents"
	[frame_mismatches]="service_level and abandonment_rate in 7 ROWS frames equal each frame recomputed"
)
for name in agents_not_minimal zero_agents_with_traffic staff_not_minimal frame_mismatches; do
	is "$(sed -n "s/^$name|//p" <<<"$out")" 0 "${what[$name]} (failing cases: 0)"
done
done_testing
