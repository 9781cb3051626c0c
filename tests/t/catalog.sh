#!/usr/bin/env bash
# Generated from the catalog: every object of the extension has a COMMENT ON, every
# user-facing function and type is in the README's reference, and none is SECURITY DEFINER.
# The types PostgreSQL makes for others -- array types (_score_summary ...) and the row
# type of a view (kpi_benchmarks), members of the extension from PostgreSQL 17 on -- come
# with their element type or relation and need neither.
. "$(dirname "$0")/lib.sh"
fresh_db

member="d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')"
array="EXISTS (SELECT 1 FROM pg_type AS a WHERE a.oid = d.objid
	AND (a.typelem <> 0 AND a.typname LIKE '\_%' OR a.typrelid <> 0))"

uncommented=$(q -c "SELECT pg_describe_object(d.classid, d.objid, 0) FROM pg_depend AS d WHERE $member
	AND d.classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass)
	AND obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid)::name) IS NULL
	AND NOT (d.classid = 'pg_type'::regclass AND $array)
	ORDER BY 1")
is "$uncommented" "" "every function, type and operator has a COMMENT ON"

# user-facing: every function whose name does not start with kpi_, and every type
names=$(q -c "SELECT DISTINCT p.proname FROM pg_depend AS d JOIN pg_proc AS p ON p.oid = d.objid
	WHERE $member AND d.classid = 'pg_proc'::regclass AND p.proname NOT LIKE 'kpi\_%' ORDER BY 1")
types=$(q -c "SELECT t.typname FROM pg_depend AS d JOIN pg_type AS t ON t.oid = d.objid
	WHERE $member AND d.classid = 'pg_type'::regclass AND NOT $array ORDER BY 1")
ok "the catalog lists user-facing functions ($(wc -w <<<"$names"))" [ "$(wc -w <<<"$names")" -ge 50 ]
ok "the catalog lists types ($(wc -w <<<"$types"))" [ "$(wc -w <<<"$types")" -ge 5 ]

missing=
for n in $names; do
	grep -qE "\`$n[\`( ]|\b$n\(" "$top/README.md" || missing="$missing $n"
done
is "${missing# }" "" "every user-facing function is in the README reference"
missing=
for t in $types; do
	grep -q "\`$t\`" "$top/README.md" || missing="$missing $t"
done
is "${missing# }" "" "every type is in the README reference"

definer=$(q -c "SELECT p.oid::regprocedure FROM pg_depend AS d JOIN pg_proc AS p ON p.oid = d.objid
	WHERE $member AND d.classid = 'pg_proc'::regclass AND p.prosecdef")
is "$definer" "" "no function is SECURITY DEFINER"
done_testing
