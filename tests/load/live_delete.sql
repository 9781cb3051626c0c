-- tests/load/live.sh: a recent ticket is deleted
\set k random(0, 1000000)
DELETE FROM tickets WHERE id = (SELECT max(id) FROM tickets) - :k % 3000;
