#!/usr/bin/env bash
# The oldest release upgrades through every released script, one ALTER EXTENSION ... UPDATE
# at a time, to the same catalog as a fresh install of the current version (built from the
# one API source sql/kpi_ext.sql), and summaries stored by the oldest release read back
# equal.  The catalog compared is every member object with every attribute that matters
# (functions, aggregates with all support functions and flags, types, operators, casts,
# comments).  The comparison proves it can fail: the newest upgrade script with one line
# left out (a COMMENT ON, a support-function clause of a CREATE AGGREGATE) must give a
# different catalog.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
old=kpi_upgrade_old
new=kpi_upgrade_new
mut=kpi_upgrade_mutant
for db in $old $new $mut; do
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
done
extdir=$(psql -X -qAt -d postgres -c "SELECT setting || '/extension' FROM pg_config WHERE name = 'SHAREDIR'")
cleanup() {
	for db in $old $new $mut; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"; done
	rm -f "$extdir"/kpi_ext--*mutant*.sql
}
trap cleanup EXIT
q() { local db=$1; shift; psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" -c "$*"; }

first=$(ls "$top"/sql/kpi_ext--*.sql | sed -n 's/.*kpi_ext--\([0-9.]*\)\.sql$/\1/p' | sort -V | head -1)
target=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$top/kpi_ext.control")
echo "oldest install script: $first; default version: $target"
[ "$first" != "$target" ] || { echo "no release older than $target to upgrade from"; exit 1; }
# a fresh install must run the one built script, not the chain
[ -f "$extdir/kpi_ext--$target.sql" ] || { echo "no install script kpi_ext--$target.sql in $extdir"; exit 1; }
cmp -s "$extdir/kpi_ext--$target.sql" "$top/sql/kpi_ext.sql" ||
	{ echo "the installed kpi_ext--$target.sql is not sql/kpi_ext.sql"; exit 1; }

q $old "CREATE EXTENSION kpi_ext VERSION '$first'"
# summaries stored by the oldest release
# (every summary type of the first release, read back through its text form and a KPI)
# (ratio_summary: the working form the 0.1.0 definitions, without a final function, store with
# the current library, and a version 1 literal as 0.6.0 wrote them)
q $old "CREATE TABLE stored AS
	SELECT g % 7 AS k, score_agg(g % 11) AS s, rate_agg(g % 3 = 0) AS r,
		   ratio_agg(g * interval '1 second', interval '1 hour') AS q,
		   'v1:n=3,num=0.30000000000000004-2.7755575615628914e-17,den=3'::ratio_summary AS q1
	FROM generate_series(1, 5000) AS g GROUP BY g % 7"
stored="SELECT string_agg(concat_ws('=', k, s, nps(s), r, rate(r), q, ratio(q), q1, ratio(q1)), ';' ORDER BY k)
	FROM stored"
before=$(q $old "$stored")

# the chain of releases from $1 to $2, one version per line
chain() {
	local version=$1 next
	while [ "$version" != "$2" ]; do
		next=$(ls "$top"/sql/kpi_ext--"$version"--*.sql 2>/dev/null | sed -n "s/.*kpi_ext--$version--\([0-9.]*\)\.sql$/\1/p" | sort -V | head -1)
		[ -n "$next" ] || { echo "no upgrade script from $version toward $2" >&2; return 1; }
		echo "$next"
		version=$next
	done
}
versions=$(chain "$first" "$target")
for v in $versions; do
	echo "ALTER EXTENSION kpi_ext UPDATE TO '$v'"
	q $old "ALTER EXTENSION kpi_ext UPDATE TO '$v'"
done
[ "$(q $old "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'")" = "$target" ]

after=$(q $old "$stored")
if [ "$before" != "$after" ]; then
	echo "stored summaries changed across the upgrade:"; echo "$before"; echo "$after"; exit 1
fi
# the stored ratio summaries merge into the same value as the aggregate over their rows
merged=$(q $old "SELECT rollup(q)::text = (SELECT ratio_agg(g * interval '1 second', interval '1 hour')
	FROM generate_series(1, 5000) AS g)::text FROM stored")
[ "$merged" = t ] || { echo "rollup of the stored ratio summaries differs from the aggregate over their rows"; exit 1; }

# Every member of the extension, described by name (never by OID, which differs between
# databases), with the attributes of its catalog row and its comment.
catalog="
WITH m AS (
	SELECT d.classid, d.objid, d.objsubid FROM pg_depend AS d
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
)
SELECT pg_describe_object(m.classid, m.objid, m.objsubid)
	|| coalesce(' | ' || (
		SELECT concat_ws(' ', 'args', pg_get_function_arguments(p.oid), 'returns', pg_get_function_result(p.oid),
						 p.prokind, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef, p.proleakproof,
						 p.procost, p.prorows, p.proretset, l.lanname, p.prosrc, p.probin, p.proconfig::text,
						 p.prosupport::regproc)
		FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang
		WHERE m.classid = 'pg_proc'::regclass AND p.oid = m.objid), '')
	|| coalesce(' | ' || (
		SELECT concat_ws(' ', a.aggkind, a.aggnumdirectargs, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
						 a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn,
						 a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
						 a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
						 a.aggmtranstype::regtype, a.aggmtransspace,
						 coalesce(a.agginitval, '<null>'), coalesce(a.aggminitval, '<null>'))
		FROM pg_aggregate AS a WHERE m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid), '')
	|| coalesce(' | ' || (
		SELECT concat_ws(' ', t.typlen, t.typbyval, t.typtype, t.typcategory, t.typispreferred, t.typdelim,
						 t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout,
						 t.typanalyze, t.typalign, t.typstorage, t.typelem::regtype, t.typarray::regtype,
						 t.typnotnull, t.typdefault, t.typcollation)
		FROM pg_type AS t WHERE m.classid = 'pg_type'::regclass AND t.oid = m.objid), '')
	|| coalesce(' | ' || (
		SELECT concat_ws(' ', o.oprkind, o.oprleft::regtype, o.oprright::regtype, o.oprresult::regtype,
						 o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin,
						 o.oprcanmerge, o.oprcanhash)
		FROM pg_operator AS o WHERE m.classid = 'pg_operator'::regclass AND o.oid = m.objid), '')
	|| coalesce(' | ' || (
		SELECT concat_ws(' ', c.castfunc::regprocedure, c.castcontext, c.castmethod)
		FROM pg_cast AS c WHERE m.classid = 'pg_cast'::regclass AND c.oid = m.objid), '')
	|| coalesce(' -- ' || pg_catalog.obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)::name), '')
FROM m
ORDER BY 1"

q $new "CREATE EXTENSION kpi_ext"
fresh=$(q $new "$catalog")
if ! diff <(q $old "$catalog") <(echo "$fresh"); then
	echo "an upgraded install differs from a fresh one (< upgraded, > fresh)"; exit 1
fi
echo "$(echo "$fresh" | wc -l) objects identical after $first -> ... -> $target; stored values intact"

# --- the comparison can fail --------------------------------------------------------------
# A copy of the newest upgrade script that has content, with one line left out, installed as
# the step to a made-up version "<target>mutant": the catalog it reaches must differ from
# the fresh one.  Needs write access to the server's extension directory (the throw-away
# cluster's private install tree); skipped, and said, against a server where it is not.
if [ ! -w "$extdir" ]; then
	echo "skipped the mutation check: $extdir is not writable"
	exit 0
fi
# the released steps as "from to", and the newest one whose script creates something
steps=()
prev=$first
for v in $versions; do steps+=("$prev $v"); prev=$v; done
k=-1
for i in "${!steps[@]}"; do
	set -- ${steps[$i]}
	grep -qE '^CREATE ' "$top/sql/kpi_ext--$1--$2.sql" && k=$i
done
[ $k -ge 0 ] || { echo "no upgrade script creates anything"; exit 1; }
set -- ${steps[$k]}
from=$1
script="$top/sql/kpi_ext--$1--$2.sql"
echo "mutation check on $(basename "$script")"
# Leave out one line and upgrade through the mutated step (then the later released steps as
# they are), under made-up versions; prints "same", "differs" or "fails".
mutate() {
	local n=$1 tag="mutant$1" f cur i
	set -- ${steps[$k]}
	f="$extdir/kpi_ext--$from--$2$tag.sql"
	sed "${n}d" "$script" >"$f"
	chmod a+r "$f"
	cur=$2$tag
	for ((i = k + 1; i < ${#steps[@]}; i++)); do
		set -- ${steps[$i]}
		f="$extdir/kpi_ext--$cur--$2$tag.sql"
		cp "$top/sql/kpi_ext--$1--$2.sql" "$f"
		chmod a+r "$f"
		cur=$2$tag
	done
	q postgres "DROP DATABASE IF EXISTS $mut" >/dev/null
	q postgres "CREATE DATABASE $mut" >/dev/null
	q $mut "CREATE EXTENSION kpi_ext VERSION '$from'" >/dev/null
	if ! psql -X -qAt -d $mut -c "ALTER EXTENSION kpi_ext UPDATE TO '$cur'" >/dev/null 2>&1; then
		echo fails
	elif diff <(q $mut "$catalog") <(echo "$fresh") >/dev/null; then
		echo same
	else
		echo differs
	fi
}
# Lines of each kind: a COMMENT ON statement, a support-function clause of an aggregate.  Without any one of them the catalog must differ (or the upgrade fail);
# of each kind, at least one removal must leave a valid script, to show the comparison.
for re in '^COMMENT ON ' '^[[:space:]]+(COMBINEFUNC|MINVFUNC|FINALFUNC|MFINALFUNC|SERIALFUNC) = '; do
	shown=no
	for n in $(grep -nE "$re" "$script" | cut -d: -f1); do
		line=$(sed -n "${n}p" "$script")
		case $(mutate "$n") in
		same) echo "the catalog comparison did not notice line $n left out of $(basename "$script"): $line"; exit 1 ;;
		differs) echo "ok: with line $n left out ($line) the catalogs differ"; shown=yes; break ;;
		fails) echo "ok: with line $n left out ($line) the upgrade fails" ;;
		esac
	done
	[ $shown = yes ] || { echo "no line matching $re could be left out to show the comparison"; exit 1; }
done
