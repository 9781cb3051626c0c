#!/usr/bin/env bash
# Generated from the catalog: every object of the extension has a COMMENT ON, every
# user-facing function and type is in the README's reference, and none is SECURITY DEFINER.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_catalog_check
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"' EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
q "CREATE EXTENSION kpi_ext"

members="FROM pg_depend AS d
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')"
fail=0

uncommented=$(q "SELECT pg_describe_object(d.classid, d.objid, 0) $members
	AND d.classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass)
	AND obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid)::name) IS NULL
	AND NOT (d.classid = 'pg_type'::regclass AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = d.objid AND t.typelem <> 0 AND t.typname LIKE '\_%'))
	ORDER BY 1")
if [ -n "$uncommented" ]; then
	echo "objects without COMMENT ON:"; echo "$uncommented"; fail=1
fi

# user-facing: every function whose name does not start with kpi_, and every type
names=$(q "SELECT DISTINCT p.proname FROM pg_depend AS d JOIN pg_proc AS p ON p.oid = d.objid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.classid = 'pg_proc'::regclass
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext') AND p.proname NOT LIKE 'kpi\_%'")
# every type but the array types PostgreSQL makes for them (members too from 17 on)
types=$(q "SELECT t.typname FROM pg_depend AS d JOIN pg_type AS t ON t.oid = d.objid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.classid = 'pg_type'::regclass
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
	  AND NOT EXISTS (SELECT 1 FROM pg_type AS e WHERE e.typarray = t.oid)")
missing=""
for n in $names; do
	grep -qE "\`$n[\`( ]|\b$n\(" "$top/README.md" || missing="$missing $n"
done
for t in $types; do
	grep -q "\`$t\`" "$top/README.md" || missing="$missing $t"
done
if [ -n "$missing" ]; then
	echo "not in the README reference:$missing"; fail=1
fi

definer=$(q "SELECT p.oid::regprocedure FROM pg_depend AS d JOIN pg_proc AS p ON p.oid = d.objid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.classid = 'pg_proc'::regclass
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext') AND p.prosecdef")
if [ -n "$definer" ]; then
	echo "SECURITY DEFINER functions: $definer"; fail=1
fi
echo "checked $(echo "$names" | wc -w) function names and $(echo "$types" | wc -w) types"
exit $fail
