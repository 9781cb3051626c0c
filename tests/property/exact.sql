-- Property tests for the exact families on many seeded random datasets: for each
-- dataset, the one-step aggregate, the rollup of per-partition summaries merged in a
-- random order, the same under a forced-parallel plan, and the plain-SQL formula all
-- give the identical value.  psql variables: datasets, seed.
\ir common.psql

CREATE TABLE prop_rows (g int, part int, score int, csat int, ces int, flag boolean);

CREATE FUNCTION pg_temp.check_equal(what text, dataset int, a anyelement, b anyelement) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF a IS DISTINCT FROM b THEN
		RAISE EXCEPTION 'dataset %: % differs: % <> %', dataset, what, a, b;
	END IF;
END $$;

DO $prop$
DECLARE
	datasets int := current_setting('kpi_prop.datasets')::int;
	n int;
	null_share float8;
	parts int;
	r record;
BEGIN
	FOR d IN 1 .. datasets LOOP
		-- sizes from empty to a few thousand rows, NULL shares from none to all
		n := (ARRAY[0, 1, 2, 7, 50, 333, 2000, 4000])[1 + floor(random() * 8)::int];
		null_share := (ARRAY[0, 0.1, 0.5, 0.95, 1])[1 + floor(random() * 5)::int];
		parts := 1 + floor(random() * 40)::int;
		TRUNCATE prop_rows;
		INSERT INTO prop_rows
		SELECT floor(random() * 3)::int, floor(random() * parts)::int,
			   CASE WHEN random() < null_share THEN NULL ELSE floor(random() * 11)::int END,
			   CASE WHEN random() < null_share THEN NULL ELSE 1 + floor(random() * 5)::int END,
			   CASE WHEN random() < null_share THEN NULL ELSE 1 + floor(random() * 7)::int END,
			   CASE WHEN random() < null_share THEN NULL ELSE random() < 0.3 END
		FROM generate_series(1, n);

		FOR r IN
			WITH one_step AS (
				SELECT g, nps(score) AS nps, csat(csat) AS csat, ces(ces) AS ces, rate(flag) AS rate,
					   score_agg(score)::text AS s, rate_agg(flag)::text AS rs
				FROM prop_rows GROUP BY g),
			formula AS (
				SELECT g,
					   100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / nullif(count(score), 0) AS nps,
					   100.0 * count(*) FILTER (WHERE csat >= 4) / nullif(count(csat), 0) AS csat,
					   avg(ces) AS ces,
					   100.0 * count(*) FILTER (WHERE flag) / nullif(count(flag), 0) AS rate
				FROM prop_rows GROUP BY g),
			partitioned AS (
				SELECT g, part, score_agg(score) AS s, score_agg(csat) AS cs, score_agg(ces) AS es, rate_agg(flag) AS rs
				FROM prop_rows GROUP BY g, part),
			rolled AS (
				SELECT g, nps(rollup(s ORDER BY random())) AS nps, csat(rollup(cs ORDER BY random())) AS csat,
					   ces(rollup(es ORDER BY random())) AS ces, rate(rollup(rs ORDER BY random())) AS rate,
					   rollup(s ORDER BY random())::text AS s, rollup(rs ORDER BY random())::text AS rs
				FROM partitioned GROUP BY g)
			SELECT o.*, f.nps AS f_nps, f.csat AS f_csat, f.ces AS f_ces, f.rate AS f_rate,
				   ro.nps AS r_nps, ro.csat AS r_csat, ro.ces AS r_ces, ro.rate AS r_rate, ro.s AS r_s, ro.rs AS r_rs
			FROM one_step AS o JOIN formula AS f USING (g) JOIN rolled AS ro USING (g)
		LOOP
			PERFORM pg_temp.check_equal('nps one-step vs formula', d, r.nps, r.f_nps);
			PERFORM pg_temp.check_equal('csat one-step vs formula', d, r.csat, r.f_csat);
			PERFORM pg_temp.check_equal('ces one-step vs formula', d, r.ces, r.f_ces);
			PERFORM pg_temp.check_equal('rate one-step vs formula', d, r.rate, r.f_rate);
			PERFORM pg_temp.check_equal('nps rollup vs one-step', d, r.r_nps, r.nps);
			PERFORM pg_temp.check_equal('csat rollup vs one-step', d, r.r_csat, r.csat);
			PERFORM pg_temp.check_equal('ces rollup vs one-step', d, r.r_ces, r.ces);
			PERFORM pg_temp.check_equal('rate rollup vs one-step', d, r.r_rate, r.rate);
			PERFORM pg_temp.check_equal('score_summary rollup vs one-step', d, r.r_s, r.s);
			PERFORM pg_temp.check_equal('rate_summary rollup vs one-step', d, r.r_rs, r.rs);
		END LOOP;
	END LOOP;
END
$prop$;

-- the same for a large table under a forced-parallel plan against the serial one
CREATE TABLE prop_big AS
SELECT floor(random() * 11)::int AS score, random() < 0.4 AS flag, floor(random() * 5)::int AS g
FROM generate_series(1, 200000);
ANALYZE prop_big;
CREATE TABLE prop_serial AS
SELECT g, nps(score), score_agg(score)::text AS s, rate(flag), rate_agg(flag)::text AS rs FROM prop_big GROUP BY g;
DO $par$
DECLARE
	q constant text := 'SELECT g, nps(score), score_agg(score)::text AS s, rate(flag), rate_agg(flag)::text AS rs FROM prop_big GROUP BY g';
	diffs int;
BEGIN
	PERFORM pg_temp.force_parallel(q);
	EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT (SELECT * FROM prop_serial)) AS x', q) INTO diffs;
	IF diffs <> 0 THEN
		RAISE EXCEPTION 'the parallel plan gives % groups unlike the serial plan', diffs;
	END IF;
END
$par$;
SELECT 'exact families: properties hold' AS result;
