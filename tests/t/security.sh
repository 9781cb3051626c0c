#!/usr/bin/env bash
# Security: kpi_ext installs as trusted without superuser (sql/install.sql), has no
# SECURITY DEFINER function (tests/t/catalog.sh), every function that is not C pins its
# search_path, and the KPIs give the same results under a hostile search_path whose
# first schema shadows the built-in functions and operators they could call.
. "$(dirname "$0")/lib.sh"
fresh_db --bare
q -c "CREATE SCHEMA kpi" -c "CREATE EXTENSION kpi_ext SCHEMA kpi"

unpinned=$(q -c "SELECT p.oid::regprocedure FROM pg_depend AS d JOIN pg_proc AS p ON p.oid = d.objid
	JOIN pg_language AS l ON l.oid = p.prolang
	WHERE d.refclassid = 'pg_extension'::regclass AND d.classid = 'pg_proc'::regclass
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
	  AND l.lanname NOT IN ('c', 'internal')
	  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%')")
is "$unpinned" "" "every function in an interpreted language has SET search_path"

# the data is made under the normal search_path; only the KPI queries run under the hostile one
q -c "CREATE TABLE public.x AS SELECT g % 11 AS s, 1 + g % 5 AS c, 1 + g % 7 AS e, g % 3 = 0 AS f,
		g * interval '1 second' AS b, g * interval '2 seconds' AS a FROM generate_series(1, 500) AS g"
queries="SELECT kpi.nps(s), kpi.csat(c), kpi.ces(e), kpi.rate(f), kpi.utilization(b, a), kpi.aht(b, a, b),
		kpi.nps(kpi.score_agg(s)), kpi.rate(kpi.rate_agg(f)), kpi.ratio(kpi.ratio_agg(b, a))
	FROM public.x"
extra=$(q -c "SELECT string_agg(format('SELECT %s::text', sig), ' UNION ALL ') FROM (VALUES
	('kpi.erlang_agents(100, ''3 minutes'', ''30 minutes'', 80, ''20 seconds'', 0.3)'),
	('kpi.retention_rate(1000, 950, 100)'), ('kpi.cost_per_contact(125, 10)')) AS v(sig)
	WHERE to_regproc('kpi.erlang_agents') IS NOT NULL")
normal=$(q -c "$queries")
normal_extra=$([ -z "$extra" ] || q -c "$extra")

# a hostile schema searched before pg_catalog: shadows of operators and functions
# that C or SQL code might resolve by name
q -c "CREATE SCHEMA hostile" -c "
	CREATE FUNCTION hostile.int4pl_evil(integer, integer) RETURNS integer LANGUAGE sql AS 'SELECT 42';
	CREATE OPERATOR hostile.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = hostile.int4pl_evil);
	CREATE FUNCTION hostile.numeric_div_evil(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 42';
	CREATE OPERATOR hostile./ (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = hostile.numeric_div_evil);
	CREATE FUNCTION hostile.numeric_mul_evil(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 42';
	CREATE OPERATOR hostile.* (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = hostile.numeric_mul_evil);
	CREATE FUNCTION hostile.round(numeric, integer) RETURNS numeric LANGUAGE sql AS 'SELECT 42';
	CREATE FUNCTION hostile.sqrt(double precision) RETURNS double precision LANGUAGE sql AS 'SELECT 42';
	CREATE FUNCTION hostile.exp(double precision) RETURNS double precision LANGUAGE sql AS 'SELECT 42';
	CREATE FUNCTION hostile.ceil(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 42';
	CREATE FUNCTION hostile.coalesce_evil(anyelement) RETURNS anyelement LANGUAGE sql AS 'SELECT \$1';"
hostile="SET search_path = hostile, kpi, pg_catalog"
is "$(q -c "$hostile" -c "$queries")" "$normal" "the aggregates give the same results under a hostile search_path"
if [ -n "$extra" ]; then
	is "$(q -c "$hostile" -c "$extra")" "$normal_extra" "erlang_agents, retention_rate, cost_per_contact give the same results under a hostile search_path"
else
	skip "erlang_agents, retention_rate, cost_per_contact under a hostile search_path" "not in this version"
fi
done_testing
