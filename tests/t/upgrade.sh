#!/usr/bin/env bash
# The oldest release upgrades through every script, one ALTER EXTENSION ... UPDATE at a
# time, to the same objects as a fresh install, and summaries stored by the oldest
# release still read back equal.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
old=kpi_upgrade_old
new=kpi_upgrade_new
for db in $old $new; do
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
done
trap 'for db in $old $new; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"; done' EXIT
q() { local db=$1; shift; psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" -c "$*"; }

first=$(ls "$top"/sql/kpi_ext--*.sql | sed -n 's/.*kpi_ext--\([0-9.]*\)\.sql$/\1/p' | sort -V | head -1)
target=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$top/kpi_ext.control")
echo "oldest install script: $first; default version: $target"

q $old "CREATE EXTENSION kpi_ext VERSION '$first'"
# summaries stored by the oldest release
# (every summary type of the first release, read back through its text form and a KPI)
q $old "CREATE TABLE stored AS
	SELECT g % 7 AS k, score_agg(g % 11) AS s, rate_agg(g % 3 = 0) AS r,
		   ratio_agg(g * interval '1 second', interval '1 hour') AS q
	FROM generate_series(1, 5000) AS g GROUP BY g % 7"
stored="SELECT string_agg(concat_ws('=', k, s, nps(s), r, rate(r), q, ratio(q)), ';' ORDER BY k) FROM stored"
before=$(q $old "$stored")

version=$first
while [ "$version" != "$target" ]; do
	next=$(ls "$top"/sql/kpi_ext--"$version"--*.sql 2>/dev/null | sed -n "s/.*kpi_ext--$version--\([0-9.]*\)\.sql$/\1/p" | sort -V | head -1)
	[ -n "$next" ] || { echo "no upgrade script from $version toward $target"; exit 1; }
	echo "ALTER EXTENSION kpi_ext UPDATE TO '$next'"
	q $old "ALTER EXTENSION kpi_ext UPDATE TO '$next'"
	version=$next
done
[ "$(q $old "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'")" = "$target" ]

after=$(q $old "$stored")
if [ "$before" != "$after" ]; then
	echo "stored summaries changed across the upgrade:"; echo "$before"; echo "$after"; exit 1
fi

q $new "CREATE EXTENSION kpi_ext"
catalog="SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
	|| coalesce(' ' || (SELECT concat_ws(' ', p.provolatile, p.proparallel, p.proisstrict, p.prosecdef,
									p.prorettype::regtype, p.prosrc, p.prokind)
					   FROM pg_proc AS p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid), '')
	|| coalesce(' ' || (SELECT concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
									a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn,
									a.aggtranstype::regtype, a.aggmtranstype::regtype, a.aggfinalmodify)
					   FROM pg_aggregate AS a WHERE d.classid = 'pg_proc'::regclass AND a.aggfnoid = d.objid), '')
	|| coalesce(' -- ' || obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid)::name), '')
	FROM pg_depend AS d
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
	ORDER BY 1"
if ! diff <(q $old "$catalog") <(q $new "$catalog"); then
	echo "an upgraded install differs from a fresh one (< upgraded, > fresh)"; exit 1
fi
echo "$(q $new "$catalog" | wc -l) objects identical; stored values intact"
