-- tests/load/live.sh: a ticket of the last week moves to another team and day
-- (its group loses it, another gains it)
\set k random(0, 20000)
\set shift random(-1, 1)
UPDATE tickets SET team = (ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[1 + :k % 5],
	opened_at = opened_at + :shift * interval '1 day',
	first_response_at = first_response_at + :shift * interval '1 day',
	resolved_at = resolved_at + :shift * interval '1 day'
WHERE id = (SELECT id FROM tickets WHERE opened_at >= '2026-10-25' ORDER BY id OFFSET :k % 50 LIMIT 1);
