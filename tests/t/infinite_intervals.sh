#!/usr/bin/env bash
# PostgreSQL 17 added infinite intervals.  Every function and aggregate of kpi_ext that
# takes an interval (from the catalog), called with 'infinity' and '-infinity' in each of
# its interval arguments (the others valid), gives a clean data exception (SQLSTATE class
# 22, e.g. "duration is out of range" with a detail saying why), never an internal error
# or a crash.  A server without infinite intervals (before 17): skipped.
. "$(dirname "$0")/lib.sh"
psql -X -qAt -c "SELECT 'infinity'::interval" >/dev/null 2>&1 ||
	skip_all "$(psql -X -qAt -c 'SHOW server_version') has no infinite intervals"
fresh_db

out=$(q <<'SQL'
-- a valid argument of each type the functions take besides the interval under test
CREATE TEMP TABLE arg_sample (typ regtype PRIMARY KEY, lit text);
INSERT INTO arg_sample VALUES
	('interval', '''5 min''::interval'), ('boolean', 'true'), ('double precision', '0.5::float8'),
	('integer', '20'), ('numeric', '0.8'), ('text', '''UTC'''),
	('timestamp with time zone', '''2026-01-05 10:00+00''::timestamptz'),
	('business_calendar', '''mon-fri 09:00-17:00''::business_calendar'),
	('double precision[]', '''{0.5}''::float8[]'), ('interval[]', '''{1 hour,1 day}''::interval[]'),
	('text[]', '''{pending}''::text[]'),
	('timeline', '''v1:2026-01-05 09:00:00+00 "open", 2026-01-05 10:00:00+00 "pending", 2026-01-05 11:00:00+00 "open"''::timeline');
CREATE FUNCTION pg_temp.probe() RETURNS TABLE (call text, outcome text) LANGUAGE plpgsql AS $$
DECLARE
	f record;
	i int;
	j int;
	inf text;
	args text[];
	a text;
	r text;
BEGIN
	FOR f IN SELECT p.proname, p.proargtypes::oid[] AS t FROM pg_proc AS p
		JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
		WHERE 'interval'::regtype = ANY (p.proargtypes::oid[]) AND p.proname NOT LIKE 'kpi\_%'
		ORDER BY p.oid::regprocedure::text
	LOOP
		-- proargtypes is an oidvector: its subscripts start at 0
		FOR i IN array_lower(f.t, 1)..array_upper(f.t, 1) LOOP
			CONTINUE WHEN f.t[i] <> 'interval'::regtype;
			FOREACH inf IN ARRAY ARRAY['infinity', '-infinity'] LOOP
				args := '{}';
				FOR j IN array_lower(f.t, 1)..array_upper(f.t, 1) LOOP
					IF j = i THEN
						a := quote_literal(inf) || '::interval';
					ELSE
						SELECT lit INTO a FROM arg_sample WHERE typ = f.t[j];
						IF a IS NULL THEN
							RAISE EXCEPTION 'no sample argument of type % (for %)', f.t[j]::regtype, f.proname;
						END IF;
					END IF;
					args := args || a;
				END LOOP;
				call := format('%s(%s)', f.proname, array_to_string(args, ', '));
				BEGIN
					EXECUTE 'SELECT (' || call || ')::text' INTO r;
					outcome := 'result ' || coalesce(r, 'NULL');
				EXCEPTION WHEN OTHERS THEN
					outcome := SQLSTATE || ' ' || SQLERRM;
				END;
				RETURN NEXT;
			END LOOP;
		END LOOP;
	END LOOP;
END $$;
SELECT call || ' -> ' || outcome FROM pg_temp.probe();
SQL
)
n=$(grep -c ' -> ' <<<"$out" || true)
ok "the catalog gives the calls ($n)" [ "$n" -ge 50 ]
# one assertion per call: a data exception (SQLSTATE class 22), never an internal error
while IFS= read -r line; do
	like "$line" ' -> 22[0-9A-Z]{3} ' "${line%% -> *}: a data exception"
done <<<"$out"
# the detail of the interval conversion every family shares
like "$(q -c '\set VERBOSITY verbose' -c "SELECT median(x) FROM (VALUES ('infinity'::interval)) AS v(x)" 2>&1 || true)" \
	'DETAIL:  An infinite interval has no length in microseconds\.' "median(infinity): the detail says why"
ok "the server is still up" q -c "SELECT 1"
done_testing
