-- tests/load/live.sh: survey answers and QA points arrive for a few recent tickets
\set k random(1, 1000000)
UPDATE tickets SET nps_score = (id + :k) % 11, csat_score = 1 + (id + :k) % 5,
	qa_points = CASE WHEN :k % 3 = 0 THEN (:k % 50) END, qa_max = CASE WHEN :k % 3 = 0 THEN 50 END,
	resolved_at = coalesce(resolved_at, first_response_at)
WHERE id BETWEEN (SELECT max(id) FROM tickets) - :k % 3000 - 2 AND (SELECT max(id) FROM tickets) - :k % 3000;
