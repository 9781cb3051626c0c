-- tests/load/live.sh: 1-5 new tickets in the last week of the data, where the
-- writers contend for the same (team, day) groups of live_kpis
\set n random(1, 5)
INSERT INTO tickets
SELECT id, team, channel, 'normal', 1 + id % 40, opened,
	opened + fr, CASE WHEN id % 10 <> 0 THEN opened + fr + res END,
	interval '1 hour', interval '3 days',
	id % 3 <> 0, id % 11 = 0, id % 13 = 0, id % 17 = 0,
	CASE WHEN channel <> 'email' THEN (id % 900) * interval '1 second' END,
	CASE WHEN id % 4 = 0 THEN (id % 120) * interval '1 second' END,
	(id % 300) * interval '1 second',
	CASE WHEN id % 5 = 0 THEN (id * 7) % 11 END,
	CASE WHEN id % 4 = 0 THEN 1 + id % 5 END,
	CASE WHEN id % 9 = 0 THEN 1 + id % 7 END,
	CASE WHEN id % 20 = 0 THEN (id % 100) / 2.0 END,
	CASE WHEN id % 20 = 0 THEN 50 END
FROM (
	SELECT nextval('live_ticket_id') AS id,
		(ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[1 + floor(random() * 5)::int] AS team,
		(ARRAY['email', 'chat', 'phone'])[1 + floor(random() * 3)::int] AS channel,
		timestamptz '2026-10-25' + random() * interval '7 days' AS opened,
		round(random() * 7200) * interval '1 second' AS fr,
		round(random() * 200000) * interval '1 second' AS res
	FROM generate_series(1, :n)
) AS s;
