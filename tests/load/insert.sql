-- new tickets in the last month of the data, with the generator's value shapes
\set n random(1, 10)
INSERT INTO tickets
SELECT id, team, channel, priority,
	CASE WHEN NOT automated THEN 1 + floor(random() * 60)::int END,
	opened,
	CASE WHEN answered THEN opened + fr END,
	CASE WHEN answered AND resolved THEN opened + fr + res END,
	fr_target, res_target,
	fcr, NOT fcr AND random() < 0.18, escalated, automated,
	CASE WHEN NOT automated AND channel <> 'email' THEN round(60 * 8 * exp(0.55 * z)) * interval '1 second' END,
	CASE WHEN NOT automated AND channel <> 'email'
		THEN CASE WHEN random() < 0.3 THEN round(90 * exp(0.8 * z)) ELSE 0 END * interval '1 second' END,
	CASE WHEN NOT automated THEN round(60 * 1.5 * exp(0.5 * z)) * interval '1 second' END,
	CASE WHEN resolved AND random() < 0.2 THEN least(10, greatest(0, round(7.9 + 1.7 * z)))::int END,
	CASE WHEN resolved AND random() < 0.25 THEN 1 + floor(random() * 5)::int END,
	CASE WHEN resolved AND random() < 0.1 THEN 1 + floor(random() * 7)::int END,
	CASE WHEN qa THEN round(qa_max * (0.6 + 0.4 * random()) * 2) / 2 END,
	CASE WHEN qa THEN qa_max END
FROM (
	SELECT s.*,
		CASE priority WHEN 'urgent' THEN 14400 WHEN 'high' THEN 86400
			WHEN 'normal' THEN 259200 ELSE 432000 END * interval '1 second' AS res_target,
		CASE WHEN channel = 'phone' THEN 60 WHEN channel = 'chat' THEN 300 ELSE 14400 END
			* interval '1 second' AS fr_target,
		round(CASE WHEN channel = 'email' THEN 3600 ELSE 60 END * exp(0.85 * z)) * interval '1 second' AS fr,
		round(86400 * exp(1.1 * z)) * interval '1 second' AS res,
		NOT automated AND random() < 0.05 AS qa,
		CASE WHEN channel = 'phone' THEN 100 ELSE 50 END::numeric AS qa_max
	FROM (
		SELECT nextval('load_ticket_id') AS id,
			(ARRAY['billing', 'technical', 'onboarding', 'enterprise', 'returns'])[1 + floor(random() * 5)::int] AS team,
			(ARRAY['email', 'chat', 'phone'])[1 + floor(random() * 3)::int] AS channel,
			(ARRAY['low', 'normal', 'normal', 'high', 'urgent'])[1 + floor(random() * 5)::int] AS priority,
			timestamptz '2026-10-01' + random() * interval '30 days' AS opened,
			random() < 0.95 AS answered, random() < 0.9 AS resolved,
			random() < 0.7 AS fcr, random() < 0.1 AS escalated, random() < 0.1 AS automated,
			sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z
		FROM generate_series(1, :n)
	) AS s
) AS t;
