-- SQL-level fuzzing of every function and aggregate of kpi_ext, driven by the
-- catalog: whatever the extension holds (pg_depend) is called with boundary
-- values chosen by argument type (and, where the argument's name says what it
-- is, such as tz or confidence, by its meaning).  A function added later is
-- covered without touching this file, as long as its argument types have
-- values here or samples in tests/samples.sql.
--
--   calls    every function and aggregate, iterations times, with random
--            boundary values (NULL, +-infinity, NaN, -0, subnormals, extreme
--            intervals and timestamps, huge arrays, extreme summaries).  A
--            clean error is fine; an XX SQLSTATE ("cannot happen", corrupt
--            data) or a NaN from arguments without NaN is a failure.
--   windows  every aggregate over random window frames (ROWS, RANGE with
--            ties, running, EXCLUDE) of a random table, against the same
--            aggregate recomputed over each frame: the same value, or an
--            error in the window exactly when some frame's recomputation fails.
--
-- psql variables: iterations (calls per function), window_rounds (random
-- tables per aggregate), seed (0..1).  A crash ends the session, which the
-- caller (tests/t/fuzz_calls.sh) notices.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS kpi_ext;
SELECT setseed(:seed);
SET kpi_fuzz.iterations = :iterations;
SET kpi_fuzz.window_rounds = :window_rounds;
-- a call that takes long is cancelled (57014, counted like any clean error):
-- the long operations themselves are tests/t/cancel.sh's
SET statement_timeout = :'statement_timeout';

\ir ../samples.sql

-- the values: (type, hint, expression, benign).  hint: NULL for any argument of
-- the type, else a word of argument names (tz, confidence, ...) the value is
-- meant for.  benign values are the likely ones, drawn more often so that
-- calls also get past their argument checks.
CREATE TEMP TABLE fuzz_pool (typ regtype, hint text, expr text, benign bool);

INSERT INTO fuzz_pool
SELECT 'integer'::regtype, NULL::text, v, v IN ('0', '4', '5', '7', '9', '10', '3') FROM unnest(ARRAY[
	'0', '1', '3', '4', '5', '7', '9', '10', '11', '-1', '2', '6', '2147483647', '-2147483648', '1000000', '100000000']) AS v
UNION ALL
SELECT 'smallint', NULL, v, v IN ('0', '5', '10') FROM unnest(ARRAY['0', '5', '10', '-1', '11', '32767', '-32768']) AS v
UNION ALL
SELECT 'bigint', NULL, v, v IN ('0', '7', '10', '1') FROM unnest(ARRAY[
	'0', '1', '7', '10', '-1', '11', '9223372036854775807', '-9223372036854775808', '4294967296']) AS v
UNION ALL
SELECT 'numeric', NULL, v, v IN ('0', '1', '5', '10', '0.5', '80', '100', '1000', '250.75') FROM unnest(ARRAY[
	'0', '1', '5', '10', '0.5', '80', '100', '1000', '250.75', '-1', '-0.5', '0.8', '7.5', '''NaN''', '''Infinity''', '''-Infinity''',
	'1e-400', '-1e-400', '1e400', '-1e400', '1e-16000', '12345678901234567890.123456789', '0.99999999999999999999999',
	'1.0000000000000000000001', '9223372036854775808', '1e308', '1e309']) AS v
UNION ALL
SELECT 'double precision', NULL, v, v IN ('0', '0.5', '1', '2', '10', '0.95', '0.9', '100', '3600', '0.25', '42.5') FROM unnest(ARRAY[
	'0', '0.5', '1', '2', '10', '0.95', '0.9', '100', '3600', '0.25', '42.5', '''-0''', '-1', '-0.5', '''NaN''', '''Infinity''', '''-Infinity''',
	'5e-324', '-5e-324', '2.2250738585072014e-308', '1.7976931348623157e308', '-1.7976931348623157e308', '1e-300', '1e300',
	'0.9999999999999999', '1.0000000000000002', '0.49999999999999994', '1e15', '1e-15', '9.223372036854776e18', '1e19']) AS v
UNION ALL
SELECT 'boolean', NULL, v, true FROM unnest(ARRAY['true', 'false']) AS v
UNION ALL
SELECT 'interval', NULL, v, v IN ('''0''', '''1 second''', '''20 seconds''', '''5 minutes''', '''1 hour''', '''1 day''', '''8 hours''', '''30 minutes''', '''1 week''', '''3 days 04:05:06''')
FROM unnest(ARRAY[
	'''0''', '''1 second''', '''20 seconds''', '''5 minutes''', '''1 hour''', '''1 day''', '''8 hours''', '''30 minutes''', '''1 week''', '''3 days 04:05:06''',
	'''1 microsecond''', '''-1 microsecond''', '''-1 second''', '''-1 day''', '''1 mon''', '''1 mon -30 days''', '''-1 mon 31 days''', '''178000000 years''', '''-178000000 years''',
	'''2147483647 days''', '''-2147483648 days''', '''9223372036854775807 microseconds''', '''-9223372036854775807 microseconds''',
	'''2147483647 mons 2147483647 days 2562047788 hours''', '''-2147483648 mons -2147483648 days''', '''0.5 microseconds''',
	'''infinity''', '''-infinity''']) AS v
UNION ALL
SELECT 'timestamp with time zone', NULL, v, v IN (
	'''2026-03-02 09:30:00+00''', '''2026-03-02 17:45:00+00''', '''2026-03-29 01:30:00+00''', '''2026-10-25 00:30:00+00''', '''2026-12-25 12:00:00+00''', '''2026-03-06 23:00:00+00''', '''2026-03-09 08:00:00+00''')
FROM unnest(ARRAY[
	'''2026-03-02 09:30:00+00''', '''2026-03-02 17:45:00+00''', '''2026-03-29 01:30:00+00''', '''2026-10-25 00:30:00+00''', '''2026-12-25 12:00:00+00''',
	'''2026-03-06 23:00:00+00''', '''2026-03-09 08:00:00+00''', '''-infinity''', '''infinity''', '''4713-11-24 00:00:00+00 BC''', '''294276-12-31 23:59:59.999999+00''',
	'''1900-01-01 00:00:00+00''', '''2199-12-31 23:59:59+00''', '''2200-01-01 00:00:00+00''', '''1867-10-18 12:00:00+00''', '''2011-12-30 10:00:00+00''',
	'''0001-01-01 00:00:00+00''', '''1899-12-31 23:59:59.999999+00''', '''100000-06-01 00:00:00+00''']) AS v
UNION ALL
SELECT 'date', NULL, v, v = '''2026-03-02''' FROM unnest(ARRAY[
	'''2026-03-02''', '''infinity''', '''-infinity''', '''4713-11-24 BC''', '''5874897-12-31''', '''1900-01-01''', '''2200-01-01''']) AS v
UNION ALL
SELECT 'text', NULL, v, v IN ('''UTC''', '''Europe/Berlin''', '''open''') FROM unnest(ARRAY[
	'''UTC''', '''Europe/Berlin''', '''America/New_York''', '''open''', '''pending''', '''solved''', '''closed''', '''''', '''x''', 'repeat(''x'', 5000)',
	'''Not/AZone''', '''<+14>-14''']) AS v
UNION ALL
SELECT 'text', 'tz', v, v IN ('''UTC''', '''Europe/Berlin''', '''America/New_York''', '''Asia/Kolkata''') FROM unnest(ARRAY[
	'''UTC''', '''Europe/Berlin''', '''America/New_York''', '''Asia/Kolkata''', '''America/Juneau''', '''Pacific/Apia''', '''Australia/Lord_Howe''',
	'''Asia/Kathmandu''', '''Etc/GMT+12''', '''Etc/GMT-14''', '''<+14>-14''', '''EST5EDT,M3.2.0,M11.1.0''', '''XXX-25:00''', '''ABC+167:59:59''',
	'''<-01>1<+00>,0/0,J365/25''', '''''', '''Not/AZone''', 'repeat(''x'', 300)']) AS v
UNION ALL
SELECT 'double precision', hint, v, v IN ('0.95', '0.9', '0.99', '0.8', '0.5') FROM unnest(ARRAY['confidence']) AS hint, unnest(ARRAY[
	'0.95', '0.9', '0.99', '0.8', '0.5', '0', '1', '0.9999999999999999', '1e-300', '5e-324', '''NaN''', '-0.95', '1.5']) AS v
UNION ALL
SELECT 'double precision', hint, v, v IN ('0', '0.5', '0.9', '1', '0.25', '0.99') FROM unnest(ARRAY['fraction', 'p']) AS hint, unnest(ARRAY[
	'0', '0.5', '0.9', '1', '0.25', '0.99', '5e-324', '0.9999999999999999', '1e-300', '''NaN''', '-0.1', '1.1', '''-0''']) AS v
UNION ALL
SELECT 'double precision', 'relative_error', v, v IN ('0.01', '0.0001', '0.05', '0.2') FROM unnest(ARRAY[
	'0.01', '0.0001', '0.05', '0.2', '0.4999999999999999', '0.5', '0', '0.00009999999999999999', '''NaN''', '-0.01']) AS v
UNION ALL
SELECT 'double precision', 'alpha', v, v IN ('0.3', '0.1', '1') FROM unnest(ARRAY['0.3', '0.1', '1', '5e-324', '0', '1.0000000000000002', '''NaN''']) AS v
UNION ALL
SELECT 'double precision', 'arrivals', v, v IN ('100', '250', '40.5') FROM unnest(ARRAY['100', '250', '40.5', '0', '1e6', '1e15', '5e-324', '-1', '''Infinity''']) AS v
UNION ALL
SELECT 'double precision', 'shrinkage', v, v IN ('0', '0.3', '0.35') FROM unnest(ARRAY['0', '0.3', '0.35', '0.9999999999999999', '1', '-0.1', '''NaN''', '5e-324']) AS v
UNION ALL
SELECT 'integer', 'agents', v, v IN ('10', '25', '50') FROM unnest(ARRAY['10', '25', '50', '1', '0', '-1', '2147483647', '100000']) AS v
UNION ALL
SELECT 'interval', hint, v, v IN ('''1 hour''', '''1 day''', '''6 hours''', '''1 week''', '''3 days''') FROM unnest(ARRAY['bucket']) AS hint, unnest(ARRAY[
	'''1 hour''', '''1 day''', '''6 hours''', '''1 week''', '''3 days''', '''90 minutes''', '''0''', '''-1 day''', '''1 mon''', '''1 microsecond''',
	'''2 weeks''', '''25 hours''', '''1000000 hours''']) AS v
UNION ALL
SELECT 'interval', hint, v, v IN ('''20 seconds''', '''30 minutes''', '''4 minutes''', '''5 seconds''', '''1 minute''') FROM unnest(ARRAY['aht', 'period', 'threshold', 'patience', 'short_abandon']) AS hint, unnest(ARRAY[
	'''20 seconds''', '''30 minutes''', '''4 minutes''', '''5 seconds''', '''1 minute''', '''0''', '''-1 second''', '''1 microsecond''', '''178000000 years''']) AS v
UNION ALL
SELECT 'double precision[]', NULL, v, v IN ('''{0.5}''', '''{0,0.25,0.5,0.75,1}''', '''{1,2,3,4,5,6,7,8,9,10}''', '''{0.5,0.9,0.99}''') FROM unnest(ARRAY[
	'''{}''', '''{0.5}''', '''{0,0.25,0.5,0.75,1}''', '''{1,2,3,4,5,6,7,8,9,10}''', '''{0.5,0.9,0.99}''', '''{NULL,0.5}''', '''{NULL}''',
	'''{{0.5,0.9},{0.1,0.2}}''', '''[0:2]={0.1,0.5,0.9}''', '''{NaN}''', '''{-0.1}''', '''{1.1}''', '''{Infinity,1}''',
	'''{5e-324,1e-323,1.5e-323}''', '''{-5e-324,0,5e-324}''', '''{-1.7e308,0,1.7e308}''', '''{1e300,-1e300,1e300,-1e300,0}''', '''{1,1,1,1}''',
	'''{2.2250738585072014e-308,3.3e-308,4.4e-308}''', 'array_fill(0.5::float8, ARRAY[20000])',
	'(SELECT array_agg(g::float8) FROM generate_series(1, 30000) AS g)', 'array_fill(1e308::float8, ARRAY[3])']) AS v
UNION ALL
SELECT 'text[]', NULL, v, v IN ('''{open}''', '''{open,pending}''', '''{pending}''', '''{new,open}''') FROM unnest(ARRAY[
	'''{open}''', '''{open,pending}''', '''{pending}''', '''{new,open}''', '''{}''', '''{NULL}''', '''{open,open}''', '''{""}''',
	'''{{open},{pending}}''', '''[0:1]={open,solved}''', 'ARRAY[repeat(''x'', 5000)]', 'array_fill(''open''::text, ARRAY[20000])',
	'(SELECT array_agg(''s'' || g) FROM generate_series(1, 5000) AS g)']) AS v
UNION ALL
SELECT 'interval[]', NULL, v, v IN ('''{1 day,3 days,7 days}''', '''{1 hour,4 hours}''') FROM unnest(ARRAY[
	'''{1 day,3 days,7 days}''', '''{1 hour,4 hours}''', '''{}''', '''{NULL}''', '''{-1 day}''', '''{3 days,1 day}''', '''{0}''', '''{1 microsecond,2 microseconds}''',
	'''{178000000 years}''', '''{{1 day},{2 days}}''', '''{1 mon,30 days}''', 'array_fill(''1 day''::interval, ARRAY[1000])',
	'(SELECT array_agg(g * interval ''1 second'') FROM generate_series(1, 999) AS g)']) AS v;

-- every type's samples (tests/samples.sql), and extreme summaries
INSERT INTO fuzz_pool
SELECT typ, NULL, format('%L::%s', lit, typ), true FROM kpi_samples;
INSERT INTO fuzz_pool (typ, hint, expr, benign)
SELECT t::regtype, NULL, e, false FROM (VALUES
	('score_summary', '''v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807''::score_summary'),
	('score_summary', '''v1:9223372036854775807,0,0,0,0,0,0,0,0,0,0''::score_summary'),
	('score_summary', '''v1:4611686018427387903,0,0,0,0,0,0,0,0,0,4611686018427387904''::score_summary'),
	('score_summary', '''v1:1,1,1,1,1,1,1,1,1,1,1''::score_summary'),
	('rate_summary', '''v1:9223372036854775807/9223372036854775807''::rate_summary'),
	('rate_summary', '''v1:0/9223372036854775807''::rate_summary'),
	('rate_summary', '''v1:1/9223372036854775807''::rate_summary'),
	('duration_summary', '(SELECT duration_agg(x, 0.0001) FROM (VALUES (interval ''1 microsecond''), (interval ''178000000 years''), (interval ''0'')) AS v(x))'),
	('duration_summary', '(SELECT duration_agg(x, 0.49) FROM (VALUES (interval ''9223372036854775807 microseconds''), (interval ''1 microsecond'')) AS v(x))'),
	('duration_summary', '(SELECT duration_agg(g * interval ''1 microsecond'', 0.0001) FROM generate_series(1, 3000) AS g)'),
	('business_calendar', '''mon-sun 00:00-23:59:59''::business_calendar'),
	('business_calendar', '''mon-sun 00:00-24:00; tz=Pacific/Apia''::business_calendar'),
	('business_calendar', '''mon 09:00-09:00:01; holidays=0001-01-01,9999-12-31; tz=America/Juneau''::business_calendar'),
	('business_calendar', '''mon-sun 00:00-23:59:59; tz=Australia/Lord_Howe; holidays=2026-03-02''::business_calendar')
) AS v(t, e)
WHERE to_regtype(t) IS NOT NULL;

-- keep what this server accepts ('infinity' intervals exist from PostgreSQL 17 on)
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT ctid, * FROM fuzz_pool LOOP
		BEGIN
			EXECUTE format('SELECT (%s)::%s', r.expr, r.typ);
		EXCEPTION WHEN OTHERS THEN
			DELETE FROM fuzz_pool WHERE ctid = r.ctid;
		END;
	END LOOP;
END
$$;

-- the functions and aggregates of the extension that SQL can call: no
-- argument of a pseudo-type (internal, cstring)
CREATE TEMP TABLE fuzz_fn AS
SELECT p.oid AS fn, p.oid::regprocedure::text AS signature, p.proname::text AS name, p.prokind, p.proretset,
	   ARRAY(SELECT unnest(p.proargtypes::oid[])) AS argtypes,
	   coalesce(p.proargnames[1:p.pronargs], array_fill(''::text, ARRAY[p.pronargs])) AS argnames,
	   a.aggmtransfn <> 0 AS moving
FROM pg_proc AS p
JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'kpi_ext'
LEFT JOIN pg_aggregate AS a ON a.aggfnoid = p.oid
WHERE p.prokind IN ('f', 'a')
  AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[]) AS t(oid) JOIN pg_type AS ty ON ty.oid = t.oid WHERE ty.typtype = 'p');

-- a random value expression for an argument of this type and name, or NULL
CREATE FUNCTION pg_temp.pick(t regtype, argname text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	hinted bool;
	result text;
BEGIN
	IF random() < 0.07 THEN
		RETURN format('NULL::%s', t);
	END IF;
	SELECT EXISTS (SELECT FROM fuzz_pool WHERE typ = t AND hint IS NOT NULL AND argname ~* ('(^|_)' || hint || '($|_)'))
	INTO hinted;
	SELECT expr INTO result FROM fuzz_pool
	WHERE typ = t
	  AND CASE WHEN hinted AND random() < 0.85 THEN hint IS NOT NULL AND argname ~* ('(^|_)' || hint || '($|_)') ELSE hint IS NULL END
	  AND (benign OR random() < 0.5)
	ORDER BY random() LIMIT 1;
	IF result IS NULL THEN
		SELECT expr INTO result FROM fuzz_pool WHERE typ = t ORDER BY random() LIMIT 1;
	END IF;
	RETURN format('(%s)::%s', coalesce(result, 'NULL'), t);
END $$;

-- a benign value of the type, for the data of window checks (rarely NULL or a boundary value)
CREATE FUNCTION pg_temp.pick_data(t regtype, argname text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	IF random() < 0.1 THEN
		RETURN format('NULL::%s', t);
	END IF;
	IF random() < 0.05 THEN
		RETURN pg_temp.pick(t, argname);
	END IF;
	SELECT expr INTO result FROM fuzz_pool
	WHERE typ = t AND benign
	  AND (hint IS NULL OR argname ~* ('(^|_)' || hint || '($|_)'))
	ORDER BY (hint IS NULL), random() LIMIT 1;
	IF result IS NULL THEN
		RETURN pg_temp.pick(t, argname);
	END IF;
	RETURN format('(%s)::%s', result, t);
END $$;

-- does any of the expressions hold a NaN?
CREATE FUNCTION pg_temp.has_nan(exprs text[]) RETURNS bool LANGUAGE sql AS $$
	SELECT bool_or(e ~* 'nan') FROM unnest(exprs) AS e
$$;

CREATE TEMP TABLE fuzz_calls (signature text PRIMARY KEY, calls int, ok int, states jsonb, ms float8);
CREATE TEMP TABLE fuzz_windows (signature text PRIMARY KEY, rounds int, equal int, errors int, ms float8);
CREATE TEMP TABLE fuzz_failures (signature text, query text, problem text);
CREATE TEMP TABLE fuzz_infinite (signature text, query text, result text);

-- one query: its SQLSTATE ('00000' for a result), and a failure recorded when it must not happen
CREATE FUNCTION pg_temp.try(sig text, what text, query text, args text[], OUT state text, OUT result text)
LANGUAGE plpgsql AS $$
BEGIN
	state := '00000';
	BEGIN
		EXECUTE query INTO result;
	EXCEPTION
		WHEN query_canceled THEN
			state := SQLSTATE;	-- statement_timeout: slow, not wrong
			RETURN;
		WHEN OTHERS THEN
			state := SQLSTATE;
			IF SQLSTATE LIKE 'XX%' THEN
				INSERT INTO fuzz_failures VALUES (sig, query, format('%s: %s: %s', what, SQLSTATE, SQLERRM));
			END IF;
			RETURN;
	END;
	IF result ~* 'infinity' AND NOT EXISTS (SELECT FROM unnest(args) AS e WHERE e ~* 'infinity|e30[0-9]|e4[0-9][0-9]|1e19|9223372036854775807|2147483647|178000000') THEN
		INSERT INTO fuzz_infinite VALUES (sig, query, result);
	END IF;
	IF result ~* '(^|[^a-z])nan($|[^a-z])' AND NOT pg_temp.has_nan(args) THEN
		INSERT INTO fuzz_failures VALUES (sig, query, format('%s: NaN from arguments without NaN: %s', what, left(result, 200)));
	END IF;
END $$;

-- one random call of a function or aggregate
CREATE FUNCTION pg_temp.run_call(fn oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	f record;
	args text[] := ARRAY[]::text[];
	rows text[];
	q text;
	st text;
	res text;
	nrows int;
	constval text[];
	cells text[];
	likely bool;
	started timestamptz := clock_timestamp();
BEGIN
	SELECT * INTO f FROM fuzz_fn WHERE fuzz_fn.fn = run_call.fn;
	IF f.prokind = 'f' THEN
		FOR k IN 1 .. cardinality(f.argtypes) LOOP
			args := args || pg_temp.pick(f.argtypes[k]::regtype, f.argnames[k]);
		END LOOP;
		IF f.proretset THEN
			q := format('SELECT count(*)::text FROM (SELECT * FROM %s(%s) LIMIT 1000) AS r', f.fn::regproc, array_to_string(args, ', '));
		ELSE
			q := format('SELECT (%s(%s))::text', f.fn::regproc, array_to_string(args, ', '));
		END IF;
	ELSE
		-- an aggregate over 1 to 6 rows; each argument but the first constant or
		-- per row; the rows' values boundary ones, or (half of the calls) likely ones
		nrows := 1 + floor(random() * 6)::int;
		likely := random() < 0.5;
		constval := ARRAY[]::text[];
		FOR k IN 1 .. cardinality(f.argtypes) LOOP
			constval := constval || CASE WHEN k > 1 AND random() < 0.6
				THEN pg_temp.pick(f.argtypes[k]::regtype, f.argnames[k]) END;
		END LOOP;
		rows := ARRAY[]::text[];
		FOR r IN 1 .. nrows LOOP
			cells := ARRAY[r::text];
			FOR k IN 1 .. cardinality(f.argtypes) LOOP
				cells := cells || coalesce(constval[k],
										   CASE WHEN likely THEN pg_temp.pick_data(f.argtypes[k]::regtype, f.argnames[k])
										   ELSE pg_temp.pick(f.argtypes[k]::regtype, f.argnames[k]) END);
			END LOOP;
			rows := rows || array_to_string(cells, ', ');
			args := args || cells[2:];
		END LOOP;
		q := format('SELECT (%s(%s ORDER BY ord))::text FROM (VALUES (%s)) AS v(ord%s)', f.fn::regproc,
					(SELECT string_agg('a' || k, ', ' ORDER BY k) FROM generate_series(1, cardinality(f.argtypes)) AS k),
					array_to_string(rows, '), ('),
					(SELECT string_agg(', a' || k, '' ORDER BY k) FROM generate_series(1, cardinality(f.argtypes)) AS k));
	END IF;
	SELECT * INTO st, res FROM pg_temp.try(f.signature, 'call', q, args);
	INSERT INTO fuzz_calls VALUES (f.signature, 1, (st = '00000')::int,
								   CASE WHEN st = '00000' THEN '{}' ELSE jsonb_build_object(st, 1) END,
								   extract(epoch FROM clock_timestamp() - started) * 1000)
	ON CONFLICT (signature) DO UPDATE
		SET calls = fuzz_calls.calls + 1, ok = fuzz_calls.ok + excluded.ok, ms = fuzz_calls.ms + excluded.ms,
			states = CASE WHEN st = '00000' THEN fuzz_calls.states
					 ELSE jsonb_set(fuzz_calls.states, ARRAY[st], to_jsonb(coalesce((fuzz_calls.states ->> st)::int, 0) + 1)) END;
END $$;

-- one random table and frame for an aggregate: the window against each frame recomputed
CREATE FUNCTION pg_temp.run_window(fn oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	f record;
	nrows int := 3 + floor(random() * 22)::int;
	cols text;
	sel text;
	nulls text;
	frame text;
	cond text;
	orderkey text := 'i';
	w_state text;
	w_rows text[];
	empty text;
	r_state text;
	r_res text;
	any_frame_error bool := false;
	mismatch text;
	a int := floor(random() * 5)::int;
	b int := floor(random() * 5)::int - 2;
	kind int := floor(random() * 5)::int;
	constant bool[] := ARRAY[]::bool[];
	vals text[] := ARRAY[]::text[];
	ins text;
	fr record;
	started timestamptz := clock_timestamp();
BEGIN
	SELECT * INTO f FROM fuzz_fn WHERE fuzz_fn.fn = run_window.fn;
	-- a table: i (unique, in order), k (with ties, for RANGE), and one column per argument
	cols := (SELECT string_agg(format(', a%s %s', k, f.argtypes[k]::regtype), '' ORDER BY k)
			 FROM generate_series(1, cardinality(f.argtypes)) AS k);
	sel := (SELECT string_agg('a' || k, ', ' ORDER BY k) FROM generate_series(1, cardinality(f.argtypes)) AS k);
	nulls := (SELECT string_agg(format('NULL::%s AS a%s', f.argtypes[k]::regtype, k), ', ' ORDER BY k)
			  FROM generate_series(1, cardinality(f.argtypes)) AS k);
	DROP TABLE IF EXISTS fuzz_t;
	EXECUTE format('CREATE TEMP TABLE fuzz_t (i int, k int%s)', cols);
	FOR k IN 1 .. cardinality(f.argtypes) LOOP
		constant := constant || (k > 1 AND random() < 0.8);
		vals := vals || pg_temp.pick_data(f.argtypes[k]::regtype, f.argnames[k]);
	END LOOP;
	FOR r IN 1 .. nrows LOOP
		ins := format('%s, %s', r, r / (1 + floor(random() * 3)::int));
		FOR k IN 1 .. cardinality(f.argtypes) LOOP
			ins := ins || ', ' || CASE WHEN constant[k] THEN vals[k]
				ELSE pg_temp.pick_data(f.argtypes[k]::regtype, f.argnames[k]) END;
		END LOOP;
		BEGIN
			EXECUTE format('INSERT INTO fuzz_t VALUES (%s)', ins);
		EXCEPTION WHEN OTHERS THEN
			NULL;		-- a value this column does not take: leave the row out
		END;
	END LOOP;

	-- half of the rounds on rows that aggregate without an error: each row is
	-- kept only when the aggregate over the rows kept so far and it succeeds,
	-- so that the values are compared, not only the errors
	IF random() < 0.5 THEN
		FOR fr IN SELECT i FROM fuzz_t ORDER BY i LOOP
			BEGIN
				EXECUTE format('SELECT (%s(%s ORDER BY i))::text FROM fuzz_t WHERE i <= %s', f.fn::regproc, sel, fr.i)
				INTO r_res;
			EXCEPTION WHEN OTHERS THEN
				DELETE FROM fuzz_t WHERE i = fr.i;
			END;
		END LOOP;
	END IF;

	-- ROWS frames count rows: number them 1, 2, ... again after the gaps
	UPDATE fuzz_t SET i = -x.n FROM (SELECT i, row_number() OVER (ORDER BY i) AS n FROM fuzz_t) AS x WHERE fuzz_t.i = x.i;
	UPDATE fuzz_t SET i = -i;

	-- a frame, and the same rows as a condition on t2 relative to t1
	IF f.name = 'sparkline' AND kind = 2 THEN
		kind := 0;		-- the order of peers in a RANGE frame is not defined, and sparkline draws in order
	END IF;
	IF b < -a THEN
		b := -a;
	END IF;
	CASE kind
		WHEN 0, 1 THEN
			frame := format('ORDER BY i ROWS BETWEEN %s PRECEDING AND %s %s', a,
							abs(b), CASE WHEN b >= 0 THEN 'FOLLOWING' ELSE 'PRECEDING' END);
			cond := format('t2.i BETWEEN t1.i - %s AND t1.i + %s', a, b);
		WHEN 2 THEN
			frame := format('ORDER BY k RANGE BETWEEN %s PRECEDING AND %s %s', a,
							abs(b), CASE WHEN b >= 0 THEN 'FOLLOWING' ELSE 'PRECEDING' END);
			cond := format('t2.k BETWEEN t1.k - %s AND t1.k + %s', a, b);
			orderkey := 'k';
		WHEN 3 THEN
			frame := 'ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
			cond := 't2.i <= t1.i';
		ELSE
			frame := format('ORDER BY i ROWS BETWEEN %s PRECEDING AND %s FOLLOWING EXCLUDE CURRENT ROW', a, greatest(b, 0));
			cond := format('t2.i BETWEEN t1.i - %s AND t1.i + %s AND t2.i <> t1.i', a, greatest(b, 0));
	END CASE;

	-- the window
	SELECT * INTO w_state, empty FROM pg_temp.try(f.signature, 'window',
		format('SELECT array_agg(r ORDER BY i)::text FROM (SELECT i, (%s(%s) OVER (%s))::text AS r FROM fuzz_t) AS x',
			   f.fn::regproc, sel, frame), ARRAY[]::text[]);
	IF w_state = '57014' THEN
		RETURN;
	END IF;
	w_rows := empty::text[];
	-- what the window gives for a frame without input: an empty summary for the rollup-like aggregates
	BEGIN
		EXECUTE format('SELECT (%s(%s) OVER ())::text FROM (SELECT %s) AS x', f.fn::regproc, sel, nulls) INTO empty;
	EXCEPTION WHEN OTHERS THEN
		empty := NULL;
	END;

	-- each frame recomputed, as a plain aggregate over the frame's rows in the window's order
	FOR fr IN SELECT i, row_number() OVER (ORDER BY i) AS n FROM fuzz_t ORDER BY i LOOP
		SELECT * INTO r_state, r_res FROM pg_temp.try(f.signature, 'recomputed frame',
			format('SELECT (SELECT %s(%s ORDER BY t2.%s, t2.i) FROM fuzz_t AS t2 WHERE %s)::text FROM fuzz_t AS t1 WHERE t1.i = %s',
				   f.fn::regproc, regexp_replace(sel, '(a[0-9]+)', 't2.\1', 'g'), orderkey, cond, fr.i), ARRAY[]::text[]);
		IF r_state = '57014' THEN
			RETURN;
		END IF;
		any_frame_error := any_frame_error OR r_state <> '00000';
		IF w_state = '00000' AND r_state = '00000' AND w_rows[fr.n] IS DISTINCT FROM r_res AND
		   NOT (r_res IS NULL AND w_rows[fr.n] IS NOT DISTINCT FROM empty) THEN
			mismatch := coalesce(mismatch, format('row %s: window %s, recomputed %s', fr.i, left(w_rows[fr.n], 300), left(r_res, 300)));
		END IF;
	END LOOP;
	IF w_state = '00000' AND any_frame_error THEN
		mismatch := coalesce(mismatch, 'the window succeeded where a frame recomputed fails');
	ELSIF w_state <> '00000' AND NOT any_frame_error THEN
		mismatch := format('the window failed (%s) where every frame recomputed succeeds', w_state);
	END IF;
	IF mismatch IS NOT NULL THEN
		INSERT INTO fuzz_failures
		SELECT f.signature, frame || ' over ' || (SELECT string_agg(format('(%s)', x::text), ' ' ORDER BY x.i) FROM fuzz_t AS x),
			   'window: ' || mismatch;
	END IF;
	INSERT INTO fuzz_windows VALUES (f.signature, 1, (mismatch IS NULL AND w_state = '00000')::int,
									 (mismatch IS NULL AND w_state <> '00000')::int,
									 extract(epoch FROM clock_timestamp() - started) * 1000)
	ON CONFLICT (signature) DO UPDATE
		SET rounds = fuzz_windows.rounds + 1, equal = fuzz_windows.equal + excluded.equal,
			errors = fuzz_windows.errors + excluded.errors, ms = fuzz_windows.ms + excluded.ms;
END $$;

-- foreign states: a user-defined aggregate can hand the extension's support
-- functions of an internal state (its final and serial functions, and its
-- transition and inverse functions as the inverse of a moving aggregate) the
-- state of one of PostgreSQL's own aggregates, whose bytes the rows choose.
-- Each is tried with the states of PostgreSQL's internal-state transition
-- functions over 1, 2, 257 and a random number of rows of extreme values: a
-- clean error (or a value) every time, never an XX SQLSTATE or a crash.
CREATE TEMP TABLE fuzz_foreign_fn AS
SELECT p.oid AS fn, p.oid::regprocedure::text AS signature, p.pronargs, p.prorettype,
	   ARRAY(SELECT unnest(p.proargtypes::oid[])) AS argtypes
FROM pg_proc AS p
JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'kpi_ext'
WHERE p.prokind = 'f' AND p.proargtypes[0] = 'internal'::regtype
  AND NOT EXISTS (SELECT FROM pg_type AS t WHERE t.typreceive = p.oid)
  AND (p.pronargs = 1 OR p.prorettype = 'internal'::regtype)
  AND 'internal'::regtype <> ALL (ARRAY(SELECT unnest(p.proargtypes::oid[]) OFFSET 1));
-- PostgreSQL's own: (transition function, argument types, row values); for
-- the transition and inverse functions, every function of pg_catalog with the
-- same argument types that returns internal (interval_avg_accum from 17 on)
CREATE TEMP TABLE fuzz_foreign_sfunc (sfunc text, argtype text, val text);
INSERT INTO fuzz_foreign_sfunc VALUES
	('int8_avg_accum', 'bigint', '9000000000000000000 - g * 4294967297'),
	('int8_accum', 'bigint', 'CASE WHEN g % 2 = 0 THEN 9000000000000000000 + g ELSE -9000000000000000000 - g END'),
	('numeric_avg_accum', 'numeric', '(1e300 * g)::numeric'),
	('numeric_accum', 'numeric', 'g::numeric * 72340172838076673'),
	('array_agg_transfn', 'bigint', '72340172838076673 * (g % 127)'),
	('string_agg_transfn', 'text, text', $v$repeat(chr(1 + g % 250), g), E'\\x01'$v$);
CREATE TEMP TABLE fuzz_foreign (signature text, checks int, states text[]);

CREATE FUNCTION pg_temp.run_foreign(f oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	ff record;
	fs record;
	pair record;
	args text;
	vals text;
	n int;
	st text;
	res text;
	checks int := 0;
	states text[] := ARRAY[]::text[];
BEGIN
	SELECT * INTO ff FROM fuzz_foreign_fn WHERE fuzz_foreign_fn.fn = run_foreign.f;
	IF ff.pronargs = 1 THEN
		-- a final or serial function after PostgreSQL's transition function
		FOR fs IN SELECT * FROM fuzz_foreign_sfunc LOOP
			EXECUTE format('DROP AGGREGATE IF EXISTS pg_temp.fuzz_foreign_agg(%s)', fs.argtype);
			EXECUTE format('CREATE AGGREGATE pg_temp.fuzz_foreign_agg(%s) (sfunc = %s, stype = internal, finalfunc = %s)',
						   fs.argtype, fs.sfunc, ff.fn::regproc);
			FOREACH n IN ARRAY ARRAY[1, 2, 257, 1 + floor(random() * 600)::int] LOOP
				SELECT * INTO st, res FROM pg_temp.try(ff.signature, format('foreign: state of %s, %s rows', fs.sfunc, n),
					format('SELECT pg_temp.fuzz_foreign_agg(%s)::text FROM generate_series(1, %s) AS g', fs.val, n), ARRAY[]::text[]);
				checks := checks + 1;
				states := states || st;
			END LOOP;
		END LOOP;
	ELSE
		-- a transition or inverse function as the inverse of PostgreSQL's
		-- moving transition function of the same arguments
		SELECT string_agg(t::regtype::text, ', '),
			   string_agg(CASE t::regtype::text WHEN 'interval' THEN 'g * interval ''4294967297 microseconds'''
											   WHEN 'double precision' THEN 'g * 1e300'
											   WHEN 'double precision[]' THEN '''{0.5,0.9}''::float8[]'
											   WHEN 'timestamp with time zone' THEN 'timestamptz ''2000-01-01'' + g * interval ''1 day''' END, ', ')
		INTO args, vals FROM unnest(ff.argtypes[2:]) AS t;
		FOR pair IN SELECT p.oid::regproc AS sfunc FROM pg_proc AS p
					WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prorettype = 'internal'::regtype
					  AND ARRAY(SELECT unnest(p.proargtypes::oid[])) = ff.argtypes
					  -- a forward transition function (PostgreSQL 18's interval_avg_accum_inv
					  -- has the same arguments but is an inverse, which rightly raises its own error)
					  AND p.oid IN (SELECT a.aggtransfn FROM pg_aggregate AS a UNION SELECT a.aggmtransfn FROM pg_aggregate AS a) LOOP
			FOR fs IN SELECT * FROM fuzz_foreign_fn AS p WHERE p.pronargs = 1 AND p.prorettype <> 'bytea'::regtype LOOP
				EXECUTE format('DROP AGGREGATE IF EXISTS pg_temp.fuzz_foreign_moving(%s)', args);
				EXECUTE format('CREATE AGGREGATE pg_temp.fuzz_foreign_moving(%s) (sfunc = %s, stype = internal, finalfunc = %s, '
							   'msfunc = %s, minvfunc = %s, mstype = internal, mfinalfunc = %s)',
							   args, pair.sfunc, fs.fn::regproc, pair.sfunc, ff.fn::regproc, fs.fn::regproc);
				FOREACH n IN ARRAY ARRAY[3, 300] LOOP
					SELECT * INTO st, res FROM pg_temp.try(ff.signature, format('foreign: inverse of %s, %s rows', pair.sfunc, n),
						format('SELECT string_agg(m::text, '','') FROM (SELECT pg_temp.fuzz_foreign_moving(%s) OVER (ORDER BY g ROWS 1 PRECEDING) AS m FROM generate_series(1, %s) AS g) AS w',
							   vals, n), ARRAY[]::text[]);
					checks := checks + 1;
					states := states || st;
				END LOOP;
			END LOOP;
		END LOOP;
	END IF;
	INSERT INTO fuzz_foreign VALUES (ff.signature, checks, states);
END $$;

-- the plan, each step a statement of its own (so that statement_timeout bounds each)
CREATE TEMP TABLE fuzz_plan AS
SELECT 'call' AS kind, fn, g FROM fuzz_fn, generate_series(1, current_setting('kpi_fuzz.iterations')::int) AS g
UNION ALL
SELECT 'window', fn, g FROM fuzz_fn, generate_series(1, current_setting('kpi_fuzz.window_rounds')::int) AS g
WHERE prokind = 'a'
UNION ALL
SELECT 'foreign', fn, 1 FROM fuzz_foreign_fn;

\o /dev/null
SELECT format('SELECT pg_temp.run_%s(%s)', kind, fn) FROM fuzz_plan ORDER BY kind, g, fn \gexec
\o

\pset format unaligned
\pset tuples_only on
SELECT 'call|' || signature || '|' || calls || '|' || ok || '|' || states || '|' || round(ms) FROM fuzz_calls ORDER BY 1;
SELECT 'window|' || signature || '|' || rounds || '|' || equal || '|' || errors || '|' || round(ms) FROM fuzz_windows ORDER BY 1;
SELECT 'foreign|' || count(*) || '|' || coalesce((SELECT string_agg(st || ' ' || n, ', ' ORDER BY st)
													FROM (SELECT st, count(*) AS n FROM fuzz_foreign, unnest(states) AS st GROUP BY st) AS c), '')
	   || '|' || coalesce(sum(checks), 0) FROM fuzz_foreign;
SELECT 'infinite|' || signature || '|' || left(result, 100) || '|' || left(query, 1000) FROM fuzz_infinite ORDER BY 1;
SELECT 'failure|' || signature || '|' || problem || '|' || left(query, 2000) FROM fuzz_failures ORDER BY 1;
