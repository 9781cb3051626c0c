-- Property tests for the ratio family and the duration sketch on many seeded random
-- datasets.  Ratio: the rollup of per-partition summaries merged in a random order
-- equals the one-step aggregate and the plain-SQL formula (to 1e-12 relative: the
-- sums are compensated, so only the last bit may depend on the order).  Sketch: the
-- rollup in a random order is byte-identical to the one-step summary, a forced-
-- parallel plan too, and every percentile p01..p99 is within the relative error of
-- percentile_disc.  psql variables: datasets, seed.
\ir common.psql

CREATE TABLE prop_rows (g int, part int, busy interval, avail interval, pts numeric, maxp numeric, d interval);

CREATE FUNCTION pg_temp.close_enough(what text, dataset int, a double precision, b double precision) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF (a IS NULL) <> (b IS NULL) OR abs(a - b) > 1e-12 * greatest(abs(a), abs(b), 1e-300) THEN
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
	worst float8;
BEGIN
	FOR k IN 1 .. datasets LOOP
		n := (ARRAY[0, 1, 2, 7, 50, 333, 2000, 4000])[1 + floor(random() * 8)::int];
		null_share := (ARRAY[0, 0.1, 0.5, 0.95, 1])[1 + floor(random() * 5)::int];
		parts := 1 + floor(random() * 40)::int;
		TRUNCATE prop_rows;
		INSERT INTO prop_rows
		SELECT floor(random() * 3)::int, floor(random() * parts)::int,
			   CASE WHEN random() < null_share THEN NULL ELSE random() * 3600 * interval '1 second' END,
			   CASE WHEN random() < null_share THEN NULL ELSE (1 + random() * 7200) * interval '1 second' END,
			   CASE WHEN random() < null_share THEN NULL ELSE round((random() * 100)::numeric, 2) END,
			   CASE WHEN random() < null_share THEN NULL ELSE 100 END,
			   CASE WHEN random() < null_share THEN NULL
					ELSE exp(3 + 3 * random() + random() * random() * 6) * interval '1 second' END
		FROM generate_series(1, n);

		FOR r IN
			WITH one_step AS (
				SELECT g, utilization(busy, avail)::float8 AS util, quality_score(pts, maxp)::float8 AS qa,
					   ratio(ratio_agg(busy, avail)) AS ratio, duration_agg(d)::text AS sk
				FROM prop_rows GROUP BY g),
			formula AS (
				SELECT g,
					   (100 * sum(extract(epoch FROM busy)) FILTER (WHERE avail IS NOT NULL)
						/ nullif(sum(extract(epoch FROM avail)) FILTER (WHERE busy IS NOT NULL), 0))::float8 AS util,
					   (100 * sum(pts) FILTER (WHERE maxp IS NOT NULL)
						/ nullif(sum(maxp) FILTER (WHERE pts IS NOT NULL), 0))::float8 AS qa
				FROM prop_rows GROUP BY g),
			partitioned AS (
				SELECT g, part, ratio_agg(busy, avail) AS rs, ratio_agg(pts, maxp) AS qs, duration_agg(d) AS ds
				FROM prop_rows GROUP BY g, part),
			rolled AS (
				SELECT g, utilization(rollup(rs ORDER BY random()))::float8 AS util,
					   quality_score(rollup(qs ORDER BY random()))::float8 AS qa,
					   ratio(rollup(rs ORDER BY random())) AS ratio,
					   rollup(ds ORDER BY random())::text AS sk
				FROM partitioned GROUP BY g)
			SELECT o.g, o.util, o.qa, o.ratio, o.sk, f.util AS f_util, f.qa AS f_qa,
				   ro.util AS r_util, ro.qa AS r_qa, ro.ratio AS r_ratio, ro.sk AS r_sk
			FROM one_step AS o JOIN formula AS f USING (g) JOIN rolled AS ro USING (g)
		LOOP
			PERFORM pg_temp.close_enough('utilization one-step vs formula', k, r.util, r.f_util);
			PERFORM pg_temp.close_enough('quality_score one-step vs formula', k, r.qa, r.f_qa);
			PERFORM pg_temp.close_enough('utilization rollup vs one-step', k, r.r_util, r.util);
			PERFORM pg_temp.close_enough('quality_score rollup vs one-step', k, r.r_qa, r.qa);
			PERFORM pg_temp.close_enough('ratio rollup vs one-step', k, r.r_ratio, r.ratio);
			IF r.sk IS DISTINCT FROM r.r_sk THEN
				RAISE EXCEPTION 'dataset %: sketch rollup % differs from one-step %', k, r.r_sk, r.sk;
			END IF;
		END LOOP;

		-- every percentile of the sketch within its relative error of percentile_disc
		SELECT max(abs(extract(epoch FROM percentile(s.sk, p / 100.0)) - extract(epoch FROM e.v))
				   / nullif(extract(epoch FROM e.v), 0)) INTO worst
		FROM (SELECT g, duration_agg(d) AS sk FROM prop_rows GROUP BY g) AS s,
			 generate_series(1, 99) AS p,
			 LATERAL (SELECT percentile_disc(p / 100.0) WITHIN GROUP (ORDER BY x.d) AS v
					  FROM prop_rows AS x WHERE x.g = s.g) AS e
		WHERE s.sk IS NOT NULL;
		-- half a microsecond of rounding on top of 1% (relative to a value of at least 20 s here)
		IF worst > 0.01 + 1e-6 THEN
			RAISE EXCEPTION 'dataset %: a sketch percentile is % off percentile_disc', k, worst;
		END IF;
	END LOOP;
END
$prop$;

-- a forced-parallel plan gives byte-identical sketches and the same ratios
CREATE TABLE prop_big AS
SELECT floor(random() * 5)::int AS g, exp(2 + 6 * random()) * interval '1 second' AS d,
	   random() * interval '1 hour' AS busy, interval '1 hour' AS avail
FROM generate_series(1, 200000);
ANALYZE prop_big;
CREATE TABLE prop_serial AS
SELECT g, duration_agg(d)::text AS sk, ratio_agg(busy, avail)::text AS rs FROM prop_big GROUP BY g;
DO $par$
DECLARE
	q constant text := 'SELECT g, duration_agg(d)::text AS sk, ratio_agg(busy, avail)::text AS rs FROM prop_big GROUP BY g';
	r record;
BEGIN
	PERFORM pg_temp.force_parallel(q);
	FOR r IN EXECUTE format('SELECT p.g, p.sk, s.sk AS s_sk, p.rs, s.rs AS s_rs FROM (%s) AS p JOIN prop_serial AS s USING (g)', q) LOOP
		IF r.sk <> r.s_sk THEN
			RAISE EXCEPTION 'group %: the parallel sketch differs from the serial one', r.g;
		END IF;
		PERFORM pg_temp.close_enough('parallel ratio', r.g, ratio(r.rs::ratio_summary), ratio(r.s_rs::ratio_summary));
	END LOOP;
END
$par$;
SELECT 'ratio family and sketch: properties hold' AS result;
