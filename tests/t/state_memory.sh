#!/usr/bin/env bash
# Every aggregate's state is bounded by its rows, not by their values: hash
# aggregation admits a group by its estimated size, so a state that then grows
# with the span of its inputs (a sketch window from 1 microsecond to a century,
# a flow of hour buckets over centuries) defeats work_mem.  For each aggregate
# of the extension (from the catalog, so new ones are covered), 200 groups of
# two rows as far apart as the aggregate accepts are aggregated under
# HashAggregate with work_mem = 64kB, every group's first row before any
# second one; the hash table's peak memory must stay within a few times
# work_mem (states of hundreds of bytes), where one state of the span would
# take megabytes.
# ticket_flow_agg and rollup(ticket_flow) are the flow family's own check.
. "$(dirname "$0")/lib.sh"
fresh_db
sed "s|TOP|$top|" <<'SQL' | q -q -f -
CREATE SCHEMA mem;
SET search_path = mem, public;
\i 'TOP/tests/samples.sql'
-- pairs of values per type, the widest first: each aggregate takes the first
-- combination of pairs (one per argument) it accepts for both rows
CREATE TABLE pairs (typ regtype, rank int, lo text, hi text);
INSERT INTO pairs VALUES
	('interval', 1, '''1 microsecond''', '''290000 years'''),
	('interval', 2, '''0''', '''100000 years'''),
	('interval', 3, '''1 second''', '''1 hour'''),
	('timestamp with time zone', 1, '''4713-11-24 00:00:00+00 BC''', '''294276-12-31 23:59:59+00'''),
	('timestamp with time zone', 2, '''1900-01-01 00:00:00+00''', '''2199-12-31 00:00:00+00'''),
	('timestamp with time zone', 3, '''2026-03-02 09:00:00+00''', '''2026-03-02 17:00:00+00'''),
	('double precision', 1, '-1.7976931348623157e308', '1.7976931348623157e308'),
	('double precision', 2, '0.000001', '9.2e12'),
	('double precision', 2, '5e-324', '1e308'),
	('double precision', 3, '0.5', '0.5'),
	('double precision', 4, '0.95', '0.95'),
	('double precision', 5, '0.0001', '0.0001'),
	('double precision[]', 1, '''{0,0.5,1}''', '''{0,0.5,1}'''),
	('numeric', 1, '-1e300', '1e300'),
	('numeric', 2, '0', '10'),
	('numeric', 3, '1', '5'),
	('integer', 1, '0', '10'),
	('integer', 2, '1', '5'),
	('integer', 3, '5', '5'),
	('integer', 4, '10', '10'),
	('smallint', 1, '0', '10'),
	('smallint', 2, '1', '5'),
	('bigint', 1, '0', '10'),
	('bigint', 2, '1', '5'),
	('boolean', 1, 'true', 'false'),
	('text', 1, '''UTC''', '''UTC'''),
	('duration_summary', 1,
	 '(SELECT duration_agg(x, 0.0001) FROM (VALUES (interval ''1 microsecond''), (interval ''1 second'')) AS v(x))',
	 '(SELECT duration_agg(x, 0.0001) FROM (VALUES (interval ''100000 years''), (interval ''178000000 years'')) AS v(x))');
-- every other type: its first and last sample, then its first twice
INSERT INTO pairs
SELECT typ, 10, format('%L::%s', min(lit), typ), format('%L::%s', max(lit), typ) FROM kpi_samples GROUP BY typ
UNION ALL
SELECT typ, 11, format('%L::%s', min(lit), typ), format('%L::%s', min(lit), typ) FROM kpi_samples GROUP BY typ;

CREATE TABLE aggs AS
SELECT p.oid::regprocedure AS agg, p.oid::regproc AS fn, ARRAY(SELECT unnest(p.proargtypes::oid[]))::regtype[] AS args
FROM pg_proc AS p
JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'kpi_ext'
WHERE p.prokind = 'a' AND p.proname <> 'ticket_flow_agg'
  AND NOT (p.proname = 'rollup' AND p.proargtypes[0] = 'ticket_flow'::regtype);

-- the strategy of the plan's top node and its peak memory (kB), from EXPLAIN ANALYZE
CREATE FUNCTION hash_peak(query text, OUT strategy text, OUT peak_kb int) LANGUAGE plpgsql SET search_path = mem, public AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	strategy := plan -> 0 -> 'Plan' ->> 'Strategy';
	peak_kb := (plan -> 0 -> 'Plan' ->> 'Peak Memory Usage')::int;
END $$;

-- the table of one aggregate: 200 groups, first rows, then second rows
CREATE FUNCTION build(a regprocedure) RETURNS text LANGUAGE plpgsql SET search_path = mem, public AS $$
DECLARE
	r record;
	combo record;
	cols text;
	los text;
	his text;
	sel text;
BEGIN
	SELECT * INTO r FROM aggs WHERE agg = a;
	cols := (SELECT string_agg(format(', a%s %s', k, r.args[k]), '' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k);
	sel := (SELECT string_agg('a' || k, ', ' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k);
	-- the combinations of pairs, widest first
	FOR combo IN EXECUTE format(
		'SELECT %s FROM %s ORDER BY %s',
		(SELECT string_agg(format('p%s.lo AS lo%s, p%s.hi AS hi%s', k, k, k, k), ', ' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k),
		(SELECT string_agg(format('(SELECT * FROM pairs WHERE typ = %L::regtype) AS p%s', r.args[k], k), ', ' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k),
		(SELECT string_agg(format('p%s.rank', k), ' + ' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k))
	LOOP
		los := (SELECT string_agg(format(', (%s)::%s', to_jsonb(combo) ->> ('lo' || k), r.args[k]), '' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k);
		his := (SELECT string_agg(format(', (%s)::%s', to_jsonb(combo) ->> ('hi' || k), r.args[k]), '' ORDER BY k) FROM generate_series(1, cardinality(r.args)) AS k);
		BEGIN
			DROP TABLE IF EXISTS t;
			EXECUTE format('CREATE TABLE t (g int%s)', cols);
			EXECUTE format('INSERT INTO t SELECT g%s FROM generate_series(1, 200) AS g', los);
			EXECUTE format('INSERT INTO t SELECT g%s FROM generate_series(1, 200) AS g', his);
			EXECUTE format('SELECT count(x) FROM (SELECT (%s(%s))::text AS x FROM t GROUP BY g) AS s', r.fn, sel);
			RETURN ltrim(los, ', ') || ' and ' || ltrim(his, ', ');
		EXCEPTION WHEN OTHERS THEN
			NULL;	-- not accepted: the next combination
		END;
	END LOOP;
	RETURN NULL;
END $$;
SQL

q -c "SELECT agg FROM mem.aggs ORDER BY agg::text" >"$work/aggs"
while read -r agg; do
	pair=$(q -c "SELECT mem.build('$agg')")
	if [ -z "$pair" ]; then
		fail "$agg: a pair of rows it accepts" "    none of the value pairs of the types in mem.pairs"
		continue
	fi
	fn=${agg%%(*}
	cols=$(q -c "SELECT string_agg('a' || k, ', ' ORDER BY k) FROM generate_series(1, cardinality((SELECT args FROM mem.aggs WHERE agg = '$agg'::regprocedure))) AS k")
	IFS='|' read -r strategy peak < <(q -c "SET search_path = mem, public; SET work_mem = '64kB'; SET hash_mem_multiplier = 1;
		SET enable_sort = off; SET max_parallel_workers_per_gather = 0;
		SELECT * FROM mem.hash_peak('SELECT g, $fn($cols) FROM t GROUP BY g')")
	if [ "$strategy" != Hashed ] || [ -z "$peak" ]; then
		fail "$agg: hash aggregation" "    strategy '$strategy', peak '$peak'"
		continue
	fi
	ok "$agg under HashAggregate, work_mem 64kB: peak ${peak} kB for 200 groups of $pair" test "$peak" -le 256
done <"$work/aggs"
done_testing
