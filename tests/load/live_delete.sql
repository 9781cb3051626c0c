-- tests/load/live.sh: a ticket of the last week is deleted
\set k random(0, 1000000)
DELETE FROM tickets WHERE id = (SELECT id FROM tickets WHERE opened_at >= '2026-10-25' ORDER BY id OFFSET :k % 300 LIMIT 1);
