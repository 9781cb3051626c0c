-- Property tests for ticket flows on many seeded random datasets: random tickets (some
-- open, some open for decades) in a random zone (with DST, half-hour and 45-minute
-- offsets, negative DST, DST at midnight) and a random bucket of every kind.  Each
-- dataset: backlog_series over random local dates equals the running sums of a
-- plain-SQL count per bucket (the bucket of an instant from date_trunc over its local
-- time, or from its epoch for elapsed buckets); the rollup of random partitions merged
-- in a random order is byte for byte the one-step flow, so is its text round trip;
-- a sliding frame equals the flow recomputed over the frame.  Then a forced-parallel
-- plan gives the bytes of the serial one.  psql variables: datasets, seed.
\ir common.psql

CREATE TABLE prop_tickets (id int, part int, o timestamptz, c timestamptz);

DO $prop$
DECLARE
	datasets int := current_setting('kpi_prop.datasets')::int;
	zones text[] := ARRAY['UTC', 'Europe/Berlin', 'America/Sao_Paulo', 'Asia/Kathmandu', 'Australia/Lord_Howe',
						  'America/St_Johns', 'Pacific/Chatham', 'America/Havana', 'Europe/Dublin', 'Pacific/Apia'];
	buckets text[] := ARRAY['15 minutes', '30 minutes', '1 hour', '6 hours', '1 day', '1 week', '1 month'];
	units text[] := ARRAY[NULL, NULL, NULL, NULL, 'day', 'week', 'month'];
	n int;
	z text;
	b interval;
	unit text;
	parts int;
	from_day date;
	to_day date;
	bad bigint;
	rows_checked bigint;
	one bytea;
	rolled bytea;
	k_bucket int;
BEGIN
	FOR k IN 1 .. datasets LOOP
		n := (ARRAY[0, 1, 2, 7, 50, 333, 1000, 2000])[1 + floor(random() * 8)::int];
		z := zones[1 + floor(random() * array_length(zones, 1))::int];
		k_bucket := 1 + floor(random() * array_length(buckets, 1))::int;
		b := buckets[k_bucket]::interval;
		unit := units[k_bucket];
		parts := 1 + floor(random() * 30)::int;
		TRUNCATE prop_tickets;
		INSERT INTO prop_tickets
		SELECT i, floor(random() * parts)::int, o,
			   CASE WHEN r < 0.15 THEN NULL
					WHEN r < 0.25 THEN o + random() * interval '30 years'
					WHEN r < 0.3 THEN o
					ELSE o + random() ^ 3 * interval '20 days' END
		FROM generate_series(1, n) AS i,
			 LATERAL (SELECT timestamptz '2010-01-01 00:00+00' + random() * interval '6 years' + i * interval '0 s' AS o,
							 random() AS r) AS x;
		from_day := date '2010-01-01' + floor(random() * 2000)::int;
		to_day := from_day + floor(random() * (CASE WHEN unit IS NULL THEN 20 ELSE 400 END))::int;

		-- backlog_series against the running sums of a count per bucket: buckets are
		-- keyed by their local label (local kinds) or their first instant (elapsed)
		EXECUTE $q$
			WITH keyed AS (
				SELECT ok, CASE WHEN c IS NOT NULL THEN greatest(ck, ok) END AS ck
				FROM (SELECT CASE WHEN $3 IS NULL THEN extract(epoch FROM date_bin($2, o, timestamptz '2000-01-01 00:00+00'))
								  ELSE extract(epoch FROM date_trunc($3, o AT TIME ZONE $1)) END AS ok,
							 CASE WHEN $3 IS NULL THEN extract(epoch FROM date_bin($2, c, timestamptz '2000-01-01 00:00+00'))
								  ELSE extract(epoch FROM date_trunc($3, c AT TIME ZONE $1)) END AS ck,
							 c
					  FROM prop_tickets) AS t
			), per AS (
				SELECT key, sum(o) AS o, sum(c) AS c
				FROM (SELECT ok AS key, 1 AS o, 0 AS c FROM keyed
					  UNION ALL SELECT ck, 0, 1 FROM keyed WHERE ck IS NOT NULL) AS e
				GROUP BY key
			), series AS (
				SELECT CASE WHEN $3 IS NULL THEN extract(epoch FROM s.bucket_start) ELSE extract(epoch FROM s.bucket) END AS key,
					   s.bucket, s.bucket_start, s.opened, s.closed, s.backlog
				FROM backlog_series((SELECT ticket_flow_agg(o, c, $2, $1) FROM prop_tickets), $4, $5) AS s
			), merged AS (
				SELECT key, false AS is_row, o, c, NULL::bigint AS opened, NULL::bigint AS closed, NULL::bigint AS backlog,
					   NULL::timestamp AS bucket, NULL::timestamptz AS bucket_start
				FROM per
				UNION ALL
				SELECT key, true, 0, 0, opened, closed, backlog, bucket, bucket_start FROM series
			), running AS (
				SELECT *, sum(o - c) OVER (ORDER BY key, is_row ROWS UNBOUNDED PRECEDING) AS ref_backlog,
					   lag(o) OVER (ORDER BY key, is_row) AS ref_o, lag(c) OVER (ORDER BY key, is_row) AS ref_c,
					   lag(key) OVER (ORDER BY key, is_row) AS prev_key, lag(is_row) OVER (ORDER BY key, is_row) AS prev_is_row
				FROM merged
			)
			SELECT count(*) FILTER (WHERE backlog IS DISTINCT FROM coalesce(ref_backlog, 0)
									OR opened <> CASE WHEN prev_key = key AND NOT prev_is_row THEN ref_o ELSE 0 END
									OR closed <> CASE WHEN prev_key = key AND NOT prev_is_row THEN ref_c ELSE 0 END
									OR (bucket IS NOT NULL AND bucket_start IS NOT NULL
										AND CASE WHEN $3 IS NULL THEN bucket <> bucket_start AT TIME ZONE $1
												 ELSE date_trunc($3, bucket_start AT TIME ZONE $1) <> bucket END)),
				   count(*)
			FROM running WHERE is_row
		$q$ INTO bad, rows_checked USING z, b, unit, from_day, to_day;
		IF bad <> 0 THEN
			RAISE EXCEPTION 'dataset %: % of % rows of backlog_series(% in %, %, %) differ from plain SQL',
				k, bad, rows_checked, b, z, from_day, to_day;
		END IF;
		-- every bucket that holds a local day of the range has a row (a day the zone
		-- skipped has none)
		IF unit = 'day' AND rows_checked <> (SELECT count(DISTINCT (g AT TIME ZONE z)::date)
											 FROM generate_series(from_day::timestamp AT TIME ZONE z,
																  (to_day + 1)::timestamp AT TIME ZONE z - interval '1 microsecond',
																  interval '15 minutes') AS g
											 WHERE (g AT TIME ZONE z)::date BETWEEN from_day AND to_day) THEN
			RAISE EXCEPTION 'dataset %: % rows for the days % to % in %', k, rows_checked, from_day, to_day, z;
		END IF;

		-- rollup of random partitions in random order: the one-step bytes
		SELECT kpi_ticket_flow_send(ticket_flow_agg(o, c, b, z)) INTO one FROM prop_tickets;
		SELECT kpi_ticket_flow_send(rollup(f ORDER BY random())) INTO rolled
		FROM (SELECT ticket_flow_agg(o, c, b, z) AS f FROM prop_tickets GROUP BY part) AS x;
		IF one IS DISTINCT FROM rolled THEN
			RAISE EXCEPTION 'dataset %: the rollup of % partitions differs from the one-step flow (% in %)', k, parts, b, z;
		END IF;
		IF (SELECT f::text::ticket_flow::text <> f::text OR pg_column_size(f::text::ticket_flow) <> pg_column_size(f)
			FROM (SELECT ticket_flow_agg(o, c, b, z) AS f FROM prop_tickets) AS x) THEN
			RAISE EXCEPTION 'dataset %: the text round trip changes the flow', k;
		END IF;

		-- a sliding frame against the flow recomputed over it (small datasets)
		IF n <= 333 THEN
			SELECT count(*) INTO bad
			FROM (SELECT id, ticket_flow_agg(o, c, b, z) OVER (ORDER BY id ROWS BETWEEN 7 PRECEDING AND 2 FOLLOWING) AS f
				  FROM prop_tickets) AS w
			WHERE w.f::text IS DISTINCT FROM (SELECT ticket_flow_agg(o, c, b, z)::text FROM prop_tickets AS t
											  WHERE t.id BETWEEN w.id - 7 AND w.id + 2);
			IF bad <> 0 THEN
				RAISE EXCEPTION 'dataset %: % sliding frames differ from recomputation (% in %)', k, bad, b, z;
			END IF;
		END IF;
	END LOOP;
END
$prop$;

-- a forced-parallel plan: the serial bytes, for a dense and a sparse flow
CREATE TABLE prop_big AS
SELECT i, o, CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.2 THEN o + random() * interval '25 years'
				  ELSE o + random() * interval '3 days' END AS c
FROM generate_series(1, 200000) AS i,
	 LATERAL (SELECT timestamptz '2015-01-01' + random() * interval '5 years' + i * interval '0 s' AS o) AS x;
ANALYZE prop_big;
CREATE TABLE prop_serial AS
SELECT kpi_ticket_flow_send(ticket_flow_agg(o, c, '1 day', 'Europe/Berlin')) AS dense,
	   kpi_ticket_flow_send(ticket_flow_agg(o, c, '15 minutes', 'Asia/Kathmandu')) AS sparse
FROM prop_big;
DO $par$
DECLARE
	q constant text := $q$SELECT kpi_ticket_flow_send(ticket_flow_agg(o, c, '1 day', 'Europe/Berlin')) AS dense,
								 kpi_ticket_flow_send(ticket_flow_agg(o, c, '15 minutes', 'Asia/Kathmandu')) AS sparse
						  FROM prop_big$q$;
	r record;
BEGIN
	PERFORM pg_temp.force_parallel(q);
	EXECUTE format('SELECT p.dense = s.dense AS dense_ok, p.sparse = s.sparse AS sparse_ok FROM (%s) AS p, prop_serial AS s', q)
		INTO r;
	IF NOT r.dense_ok OR NOT r.sparse_ok THEN
		RAISE EXCEPTION 'a parallel ticket_flow differs from the serial one (dense %, sparse %)', r.dense_ok, r.sparse_ok;
	END IF;
END
$par$;
SELECT 'ticket flows: properties hold' AS result;
