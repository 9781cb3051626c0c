-- tests/load/live.sh: a recent ticket (one of the last 3,000 ids: the writers' own, all in
-- the last week) moves to another team and day (its group loses it, another gains it)
\set k random(0, 20000)
\set shift random(-1, 1)
UPDATE tickets SET team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[1 + :k % 5],
	opened_at = opened_at + :shift * interval '1 day',
	first_response_at = first_response_at + :shift * interval '1 day',
	resolved_at = resolved_at + :shift * interval '1 day'
WHERE id = (SELECT max(id) FROM tickets) - :k % 3000;
