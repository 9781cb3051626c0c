/*
 * kpi_ext demo data: a seeded, deterministic helpdesk.
 *
 *   psql -v scale=250000 -v seed=20261031 -v unlogged=false -f tests/demo/10-generate.sql
 *
 * :scale    number of tickets (default 250000); calls are a third of that
 * :seed     any integer; the same seed and scale give the same rows
 * :unlogged true creates the tables UNLOGGED (the benchmark database)
 *
 * Thirteen months of tickets (2025-10-01 .. 2026-10-31, UTC) for five teams,
 * with growth, yearly/weekly/daily seasonality, a few incidents, SLA targets by
 * channel and priority, survey responses whose scores depend on how the ticket
 * went, agent days and phone-queue calls.  Every random draw is a hash of the
 * row's key and a draw number, so the data does not depend on the plan or on
 * the order rows are produced in; everything is set-based.
 */
\set ON_ERROR_STOP on
\if :{?scale}
\else
\set scale 250000
\endif
\if :{?seed}
\else
\set seed 20261031
\endif
\if :{?unlogged}
\else
\set unlogged false
\endif
\if :{?generator}
\else
\set generator ''
\endif
\if :unlogged
\set table_kind 'UNLOGGED TABLE'
\else
\set table_kind 'TABLE'
\endif

SET client_min_messages = warning;
SET timezone = 'UTC';
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';

DROP TABLE IF EXISTS demo_meta, tickets, agent_days, calls CASCADE;

/*
 * u(key, k): the k-th uniform draw (0 < u < 1) of a row; z(key, k): a standard
 * normal (Box-Muller on draws k and k + 1).  Both are inlined by the planner.
 * Keys stay below 2^31 / 64 per table up to 33M tickets, where hashint8 is a
 * plain 32-bit hash.
 */
\set u_body 'SELECT (hashint8(($1 * 64 + $2) # ' :seed ')::float8 + 2147483648.5) / 4294967296.0'
CREATE FUNCTION pg_temp.u(bigint, integer) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS :'u_body';
CREATE FUNCTION pg_temp.z(bigint, integer) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT sqrt(-2 * ln(pg_temp.u($1, $2))) * cos(6.283185307179586 * pg_temp.u($1, $2 + 1))';

/*
 * Teams and their character.  share: part of the volume; growth: volume
 * growth per year; wkend: weekend volume factor; p_email/p_chat: channel mix
 * (phone is the rest; chat gains 10 points over the period); pr_*: priority
 * mix (urgent is the rest); auto: bot-resolved share mid-period; esc, fcr,
 * reopen: escalation, first-contact resolution and reopen (of non-FCR)
 * probabilities; fr_m/res_m: median first response / resolution time as a
 * share of the SLA target; sat: satisfaction baseline; *_rr: survey response
 * rates; talk/chat/mail: median handle minutes; qa: mean QA score share;
 * per_agent: tickets per agent-day; util: utilization baseline.
 */
CREATE TEMP TABLE gen_team (
	team text, ord int, share float8, growth float8, wkend float8,
	p_email float8, p_chat float8, pr_low float8, pr_normal float8, pr_high float8,
	auto float8, esc float8, fcr float8, reopen float8, fr_m float8, res_m float8,
	sat float8, nps_rr float8, csat_rr float8, ces_rr float8,
	talk float8, chat float8, mail float8, qa float8, per_agent float8, util float8
);
INSERT INTO gen_team VALUES
	('billing',    1, 0.26, 0.20, 0.55, 0.45, 0.30, 0.30, 0.50, 0.15,
	 0.14, 0.05, 0.76, 0.16, 0.26, 0.30, 0.35, 0.20, 0.26, 0.10, 5.5,  9, 5, 0.87, 40, 0.74),
	('technical',  2, 0.30, 0.25, 0.70, 0.40, 0.35, 0.15, 0.50, 0.25,
	 0.06, 0.16, 0.63, 0.22, 0.36, 0.45, 0.00, 0.16, 0.21, 0.08, 9.0, 14, 9, 0.82, 28, 0.79),
	('onboarding', 3, 0.14, 0.45, 0.40, 0.30, 0.52, 0.35, 0.50, 0.12,
	 0.10, 0.04, 0.71, 0.15, 0.22, 0.30, 0.45, 0.24, 0.30, 0.12, 7.0, 12, 6, 0.89, 36, 0.68),
	('enterprise', 4, 0.12, 0.30, 0.35, 0.55, 0.15, 0.10, 0.45, 0.30,
	 0.02, 0.12, 0.67, 0.14, 0.17, 0.25, 0.25, 0.22, 0.28, 0.11, 8.0, 13, 8, 0.91, 22, 0.72),
	('returns',    5, 0.18, 0.30, 1.30, 0.42, 0.40, 0.40, 0.48, 0.10,
	 0.18, 0.03, 0.80, 0.18, 0.32, 0.35, 0.15, 0.15, 0.22, 0.09, 4.5,  8, 4, 0.84, 45, 0.76);

/* one row per team and day: volume weight and agents on staff */
CREATE TEMP TABLE gen_day AS
SELECT t.team, t.ord, d, day, dow,
	(dow BETWEEN 1 AND 5 AND day NOT IN ('2025-12-25', '2026-01-01')) AS working,
	t.share
	* (1 + t.growth * d / 365.0)
	* (ARRAY[1.22, 1.12, 1.06, 1.02, 0.92, 0.38, 0.30])[dow]
	* CASE WHEN dow >= 6 THEN t.wkend ELSE 1 END
	* (1 + 0.08 * cos(2 * pi() * (d - 105) / 365.0))	/* winter is busier */
	* CASE day WHEN '2025-12-25' THEN 0.25 WHEN '2026-01-01' THEN 0.35
		WHEN '2025-12-24' THEN 0.6 WHEN '2025-12-31' THEN 0.6 ELSE 1 END
	* CASE t.team
		WHEN 'billing' THEN CASE WHEN extract(day FROM day) <= 3 THEN 1.35 ELSE 1 END	/* invoices */
			* CASE WHEN extract(month FROM day) = 1 THEN 1.15 ELSE 1 END	/* renewals */
		WHEN 'returns' THEN CASE WHEN day BETWEEN '2025-12-27' AND '2026-01-15' THEN 1.6
			WHEN day BETWEEN '2025-11-28' AND '2025-12-05' THEN 1.3 ELSE 1 END
		WHEN 'onboarding' THEN CASE WHEN extract(month FROM day) = 9 THEN 1.2 ELSE 1 END
		WHEN 'technical' THEN CASE day WHEN '2026-03-17' THEN 3.5 WHEN '2026-03-18' THEN 1.8
			WHEN '2026-06-09' THEN 1.5 ELSE 1 END	/* an outage and a release */
		ELSE 1 END AS w,
	t.per_agent, t.growth
FROM gen_team t,
	generate_series(0, 395) AS d,
	LATERAL (SELECT '2025-10-01'::date + d AS day) AS x,
	LATERAL (SELECT extract(isodow FROM x.day)::int AS dow) AS y;

/*
 * Staff: n_total agents per team at the end, n0 of them from the start, the
 * others hired evenly over the period (agent j of the hires starts on day
 * j * 396 / (m + 1)), so that the staff grows with the volume.
 */
CREATE TEMP TABLE gen_staff AS
WITH vol AS (
	SELECT team, ord, per_agent, growth,
		:scale::float8 * sum(w) / sum(sum(w)) OVER () AS tickets
	FROM gen_day GROUP BY team, ord, per_agent, growth
), sized AS (
	SELECT team, ord, growth,
		greatest(3, ceil(tickets / 283 / per_agent
			* (1 + growth * 396 / 365.0) / (1 + growth * 198 / 365.0)))::int AS n_total
	FROM vol
), split AS (
	SELECT team, ord, n_total,
		least(n_total, greatest(2, round(n_total / (1 + growth * 396 / 365.0))))::int AS n0
	FROM sized
)
SELECT team, ord, n_total, n0, n_total - n0 AS m,
	1 + coalesce(sum(n_total) OVER (ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS agent_lo
FROM split;

ALTER TABLE gen_day ADD COLUMN n_active int, ADD COLUMN load float8;
UPDATE gen_day g SET n_active = s.n0 + least(s.m, ((g.d + 1) * (s.m + 1) - 1) / 396)
FROM gen_staff s WHERE s.team = g.team;
/* load: volume per agent on duty (a third of the staff works weekends), 1 = the team's average */
UPDATE gen_day g SET load = x.r / x.mean
FROM (SELECT team, d, r, avg(r) OVER (PARTITION BY team) AS mean
	FROM (SELECT team, d, w / (n_active * CASE WHEN working THEN 1 ELSE 0.33 END) AS r FROM gen_day) r) x
WHERE x.team = g.team AND x.d = g.d;

/*
 * One row per team and hour, with the range of ticket ids (and call ids) that
 * open in it: the ids follow the cumulative volume, so they are in time order.
 */
CREATE TEMP TABLE gen_bucket AS
WITH h AS (
	SELECT g.*, hr,
		(ARRAY[0.10, 0.07, 0.05, 0.05, 0.06, 0.10, 0.22, 0.45, 0.80, 1.05, 1.15, 1.12,
			0.92, 0.98, 1.06, 1.02, 0.90, 0.70, 0.50, 0.38, 0.30, 0.24, 0.18, 0.13])[hr + 1] AS hw
	FROM gen_day g, generate_series(0, 23) AS hr
), c AS (
	SELECT h.*, w * hw AS bw,
		sum(w * hw) OVER (ORDER BY d, hr, ord) AS cum
	FROM h
), f AS (
	SELECT c.*, cum / max(cum) OVER () AS frac_hi,
		coalesce(lag(cum) OVER (ORDER BY d, hr, ord), 0) / max(cum) OVER () AS frac_lo
	FROM c
)
SELECT f.team, f.d, f.dow, f.hr, f.load, f.hw,
	extract(epoch FROM f.day::timestamp)::bigint + 3600 * f.hr AS ts,
	f.d / 396.0 AS t,
	s.agent_lo, f.n_active,
	floor(f.frac_lo * :scale)::bigint + 1 AS lo, floor(f.frac_hi * :scale)::bigint AS hi,
	floor(f.frac_lo * (:scale / 3))::bigint + 1 AS call_lo, floor(f.frac_hi * (:scale / 3))::bigint AS call_hi,
	tm.growth, tm.p_email, tm.p_chat, tm.pr_low, tm.pr_normal, tm.pr_high,
	tm.auto, tm.esc, tm.fcr, tm.reopen, tm.fr_m, tm.res_m, tm.sat, tm.nps_rr, tm.csat_rr, tm.ces_rr,
	tm.talk, tm.chat, tm.mail, tm.qa, tm.util
FROM f JOIN gen_staff s USING (team) JOIN gen_team tm USING (team);

CREATE :table_kind tickets (
	id bigint PRIMARY KEY,
	team text NOT NULL,
	channel text NOT NULL,
	priority text NOT NULL,
	agent_id int,
	opened_at timestamptz NOT NULL,
	first_response_at timestamptz,
	resolved_at timestamptz,
	first_response_target interval,
	resolution_target interval,
	first_contact_resolved boolean,
	reopened boolean,
	escalated boolean,
	automated boolean,
	talk_time interval,
	hold_time interval,
	wrap_time interval,
	nps_score int,
	csat_score int,
	ces_score int,
	qa_points numeric,
	qa_max numeric
);
ALTER TABLE tickets DROP CONSTRAINT tickets_pkey;	/* added back after the load */

CREATE :table_kind agent_days (
	agent_id int NOT NULL,
	team text NOT NULL,
	day date NOT NULL,
	busy interval,
	available interval,
	scheduled interval,
	adherent interval
);

CREATE :table_kind calls (
	id bigint NOT NULL,
	queue text NOT NULL,
	arrived_at timestamptz NOT NULL,
	wait interval,
	answered boolean,
	handle interval
);

/*
 * Tickets, in layers so that each draw and each derived value is computed
 * once per row (OFFSET 0 keeps the planner from flattening the layers).
 * Times are carried as epoch seconds and converted at the end.
 */
INSERT INTO tickets
SELECT id, team, channel, priority,
	CASE WHEN NOT automated THEN agent_lo + floor(u_agent * n_active)::int END,
	to_timestamp(opened),
	CASE WHEN fr_at < 1793491200 THEN to_timestamp(fr_at) END,	/* 2026-11-01: now */
	CASE WHEN fr_at + res_s < 1793491200 AND (automated OR u_stuck >= 0.002)
		THEN to_timestamp(fr_at + res_s) END,
	fr_target * interval '1 second',
	res_target * interval '1 second',
	fcr, reopened, escalated, automated,
	talk_s * interval '1 second', hold_s * interval '1 second', wrap_s * interval '1 second',
	CASE WHEN done AND u_nps < nps_rr * CASE WHEN automated THEN 0.6 ELSE 1 END
		THEN least(10, greatest(0, round(7.9 + 1.7 * (0.7 * s + 0.7 * z_nps))))::int END,
	CASE WHEN done AND u_csat < csat_rr * CASE WHEN automated THEN 0.7 ELSE 1 END
		THEN CASE WHEN s < -1.9 THEN 1 WHEN s < -1.3 THEN 2 WHEN s < -0.8 THEN 3
			WHEN s < 0.4 THEN 4 ELSE 5 END END,
	CASE WHEN done AND u_ces < ces_rr
		THEN least(7, greatest(1, round(5.3 + 0.9 * (0.7 * s + 0.7 * z_ces)
			- CASE WHEN channel = 'email' THEN 0.3 ELSE 0 END)))::int END,
	CASE WHEN qa_max IS NOT NULL THEN round(qa_max * least(1, greatest(0.2,
		qa + 0.07 * z_qa + CASE WHEN fcr THEN 0.03 ELSE 0 END
		- CASE WHEN reopened THEN 0.05 ELSE 0 END)) * 2) / 2 END,
	qa_max
FROM (
	SELECT l3.*,
		fr_at + res_s < 1793491200 AND (automated OR u_stuck >= 0.002) AS done,
		sat + CASE WHEN fcr THEN 0.55 ELSE 0 END - CASE WHEN reopened THEN 0.9 ELSE 0 END
		- CASE WHEN escalated THEN 0.45 ELSE 0 END - CASE WHEN automated THEN 0.15 ELSE 0 END
		- CASE WHEN fr_s > fr_target THEN 0.6 ELSE 0 END
		- CASE WHEN fr_s + res_s > res_target THEN 0.5 ELSE 0 END
		+ z_sat AS s,
		CASE WHEN NOT automated AND u_qa < 0.05
			AND fr_at + res_s < 1793491200 AND u_stuck >= 0.002
			THEN CASE WHEN channel = 'phone' THEN 100 ELSE 50 END END::numeric AS qa_max
	FROM (
		SELECT l2.*,
			opened + fr_s AS fr_at,
			CASE WHEN automated THEN round(20 * exp(0.5 * z_res))
				WHEN fcr THEN coalesce(talk_s, 0) + coalesce(hold_s, 0) + wrap_s
					+ CASE WHEN channel = 'email' THEN round(300 * exp(0.8 * z_res)) ELSE 0 END
				ELSE round(res_target * res_m * sqrt(load) * exp(1.1 * z_res)
					* CASE WHEN reopened THEN 2.5 ELSE 1 END
					* CASE WHEN escalated THEN 1.8 ELSE 1 END) END AS res_s
		FROM (
			SELECT l1.*,
				CASE WHEN automated THEN round(8 * exp(0.5 * z_fr))
					ELSE round(greatest(3, fr_target * fr_m * power(load, 0.7) * exp(0.85 * z_fr))) END
				/* chat and phone are staffed around the clock, email only Mon-Fri 08:00-18:00 UTC */
				+ CASE WHEN automated OR channel <> 'email' OR dow <= 5 AND hr >= 8 AND hr < 18 THEN 0
					ELSE opened - opened % 86400 + 28800 - opened + 86400 * CASE
						WHEN dow <= 5 AND hr < 8 THEN 0 WHEN dow <= 4 THEN 1 WHEN dow = 5 THEN 3
						WHEN dow = 6 THEN 2 ELSE 1 END END AS fr_s,
				CASE WHEN automated OR channel = 'email' THEN NULL
					ELSE round(60 * CASE WHEN channel = 'chat' THEN chat ELSE talk END
						* exp(0.55 * z_talk)
						* CASE WHEN escalated OR reopened THEN 1.3 ELSE 1 END) END AS talk_s,
				CASE WHEN automated OR channel = 'email' THEN NULL
					WHEN u_hold < CASE WHEN channel = 'chat' THEN 0.2 ELSE 0.35 END
					THEN round(CASE WHEN channel = 'chat' THEN 60 ELSE 90 END * exp(0.8 * z_hold))
					ELSE 0 END AS hold_s,
				CASE WHEN automated THEN NULL
					ELSE round(60 * CASE channel WHEN 'email' THEN mail WHEN 'chat' THEN 1 ELSE 1.5 END
						* exp(CASE WHEN channel = 'email' THEN 0.7 ELSE 0.5 END * z_wrap)) END AS wrap_s
			FROM (
				SELECT l0.*,
					CASE WHEN channel = 'phone' THEN 60
						WHEN channel = 'chat' THEN CASE WHEN priority IN ('urgent', 'high') THEN 120 ELSE 300 END
						ELSE CASE priority WHEN 'urgent' THEN 1800 WHEN 'high' THEN 3600
							WHEN 'normal' THEN 14400 ELSE 28800 END END AS fr_target,
					CASE priority WHEN 'urgent' THEN 14400 WHEN 'high' THEN 86400
						WHEN 'normal' THEN 259200 ELSE 432000 END AS res_target,
					automated AND u_fcr < 0.85
						OR NOT automated AND NOT escalated AND u_fcr < fcr_p
							+ CASE channel WHEN 'phone' THEN 0.05 WHEN 'chat' THEN 0.02 ELSE -0.07 END AS fcr,
					NOT (automated AND u_fcr < 0.85
						OR NOT automated AND NOT escalated AND u_fcr < fcr_p
							+ CASE channel WHEN 'phone' THEN 0.05 WHEN 'chat' THEN 0.02 ELSE -0.07 END)
						AND u_reo < reopen_p AS reopened
				FROM (
					SELECT c.*,
						u_auto < auto * (0.5 + t) * CASE channel WHEN 'chat' THEN 1.4 WHEN 'email' THEN 1.0 ELSE 0.2 END
							AND priority <> 'urgent' AS automated,
						NOT (u_auto < auto * (0.5 + t) * CASE channel WHEN 'chat' THEN 1.4 WHEN 'email' THEN 1.0 ELSE 0.2 END
							AND priority <> 'urgent')
							AND u_esc < esc * CASE priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 1.4
								WHEN 'normal' THEN 1 ELSE 0.6 END AS escalated
					FROM (
						SELECT r.*,
							CASE WHEN u_ch < p_email - 0.05 * t THEN 'email'
								WHEN u_ch < p_email + p_chat + 0.05 * t THEN 'chat'
								ELSE 'phone' END AS channel,
							CASE WHEN u_pr < pr_low THEN 'low'
								WHEN u_pr < pr_low + pr_normal THEN 'normal'
								WHEN u_pr < pr_low + pr_normal + pr_high THEN 'high'
								ELSE 'urgent' END AS priority
						FROM (
							SELECT b.team, g.id, b.ts + floor(pg_temp.u(g.id, 0) * 3600)::bigint AS opened,
								b.dow, b.hr,
								b.t, b.load, b.agent_lo, b.n_active,
								b.p_email, b.p_chat, b.pr_low, b.pr_normal, b.pr_high,
								b.auto, b.esc, b.fcr AS fcr_p, b.reopen AS reopen_p, b.fr_m, b.res_m, b.sat,
								b.nps_rr, b.csat_rr, b.ces_rr, b.talk, b.chat, b.mail, b.qa,
								pg_temp.u(g.id, 1) AS u_ch, pg_temp.u(g.id, 2) AS u_pr,
								pg_temp.u(g.id, 3) AS u_auto, pg_temp.u(g.id, 4) AS u_esc,
								pg_temp.u(g.id, 5) AS u_fcr, pg_temp.u(g.id, 6) AS u_reo,
								pg_temp.u(g.id, 7) AS u_agent, pg_temp.u(g.id, 8) AS u_hold,
								pg_temp.u(g.id, 9) AS u_nps, pg_temp.u(g.id, 10) AS u_csat,
								pg_temp.u(g.id, 11) AS u_ces, pg_temp.u(g.id, 12) AS u_qa,
								pg_temp.u(g.id, 13) AS u_stuck,
								pg_temp.z(g.id, 16) AS z_fr, pg_temp.z(g.id, 18) AS z_res,
								pg_temp.z(g.id, 20) AS z_talk, pg_temp.z(g.id, 22) AS z_hold,
								pg_temp.z(g.id, 24) AS z_wrap, pg_temp.z(g.id, 26) AS z_sat,
								pg_temp.z(g.id, 28) AS z_nps, pg_temp.z(g.id, 30) AS z_ces,
								pg_temp.z(g.id, 32) AS z_qa
							FROM gen_bucket b, generate_series(b.lo, b.hi) AS g(id)
							OFFSET 0) r
						OFFSET 0) c
					OFFSET 0) l0
				OFFSET 0) l1
			OFFSET 0) l2
		OFFSET 0) l3
	OFFSET 0) l4;
ALTER TABLE tickets ADD PRIMARY KEY (id);

/*
 * Agent days: every agent on staff, every working day, unless absent (6%).
 * Shrinkage (breaks, meetings, training) takes 10-20% of the scheduled time;
 * utilization follows the team's load; every fifth agent works part time.
 */
INSERT INTO agent_days
SELECT agent_id, team, day,
	round(avail * least(0.97, greatest(0.35, util * power(load, 0.5)
		+ 0.04 * pg_temp.z(agent_id, 40) + 0.04 * pg_temp.z(key, 2)))) * interval '1 second',
	avail * interval '1 second',
	sched * interval '1 second',
	round(sched * least(1, greatest(0.6, 0.93 + 0.03 * pg_temp.z(key, 4))) / 60) * interval '1 minute'
FROM (
	SELECT s.agent_lo + k AS agent_id, s.team, g.day, g.load, t.util,
		(s.agent_lo + k) * 512::bigint + g.d AS key,
		CASE WHEN k % 5 = 4 THEN 21600 ELSE 28800 END AS sched,
		60 * round(CASE WHEN k % 5 = 4 THEN 360 ELSE 480 END
			* (0.80 + 0.10 * pg_temp.u((s.agent_lo + k) * 512::bigint + g.d, 1))) AS avail
	FROM gen_staff s
		CROSS JOIN generate_series(0, s.n_total - 1) AS k
		JOIN gen_team t USING (team)
		JOIN gen_day g ON g.team = s.team AND g.working
			AND g.d >= CASE WHEN k < s.n0 THEN 0 ELSE ((k - s.n0 + 1) * 396) / (s.m + 1) END
	WHERE pg_temp.u((s.agent_lo + k) * 512::bigint + g.d, 0) >= 0.06
	OFFSET 0) a;
ALTER TABLE agent_days ADD PRIMARY KEY (agent_id, day);

/*
 * Calls to the phone queues (one per team), a third of the ticket volume,
 * arriving like the tickets.  A caller waits until answered or until their
 * patience (exponential, mean 400 s) runs out; waits grow with the load.
 */
INSERT INTO calls
SELECT id, team, to_timestamp(ts + floor(pg_temp.u(id, 40) * 3600)),
	round(least(w, p)) * interval '1 second',
	w <= p,
	CASE WHEN w <= p THEN round(60 * (talk * exp(0.55 * pg_temp.z(id, 46)) + 1)) * interval '1 second' END
FROM (
	SELECT g.id, b.team, b.ts, b.talk,
		10 * power(b.load, 2) * (0.6 + 0.4 * b.hw) * exp(1.1 * pg_temp.z(g.id, 42)) AS w,
		-400 * ln(pg_temp.u(g.id, 44)) AS p
	FROM gen_bucket b, generate_series(b.call_lo, b.call_hi) AS g(id)
	OFFSET 0) c;
ALTER TABLE calls ADD PRIMARY KEY (id);

CREATE TABLE demo_meta (key text PRIMARY KEY, value text NOT NULL);
COMMENT ON TABLE demo_meta IS 'kpi_ext demo data set: how it was generated (written last: its presence means the data is complete)';
COMMENT ON TABLE tickets IS 'kpi_ext demo: helpdesk tickets (generated by tests/demo/10-generate.sql)';
COMMENT ON TABLE agent_days IS 'kpi_ext demo: one row per agent and working day';
COMMENT ON TABLE calls IS 'kpi_ext demo: calls to the phone queues';

ANALYZE tickets;
ANALYZE agent_days;
ANALYZE calls;

INSERT INTO demo_meta VALUES
	('scale', :'scale'),
	('seed', :'seed'),
	('tickets', (SELECT count(*) FROM tickets)::text),
	('generator', :'generator'),	/* demo.sh: a checksum of this file */
	('generated_at', now()::text);
