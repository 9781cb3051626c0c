#!/usr/bin/env bash
# docs/reference-examples.md: every ```sql block runs and prints exactly the ``` block
# that follows it (trailing whitespace trimmed), and every user-facing function,
# aggregate and type of the extension (from the catalog) appears in some ```sql block.
# REFERENCE_WRITE=1 rewrites the output blocks from the real output instead of comparing.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_reference_check
doc=$top/docs/reference-examples.md
# the settings the document states at its top
export PGOPTIONS="-c timezone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=1 -c client_min_messages=warning"
export PGCLIENTENCODING=UTF8
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -X -q -d "${PGDATABASE:-postgres}" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
fail() { printf 'FAILED: %s\n' "$*"; exit 1; }

psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION kpi_ext"

# split: ```sql block N into $work/N.sql, the ``` block right after it into $work/N.out
awk -v dir="$work" '
	function bad(m) { print FILENAME ":" NR ": " m > "/dev/stderr"; err = 1; exit 1 }
	state == 0 && /^```sql$/ { n++; f = sprintf("%s/%03d.sql", dir, n); printf "" > f; state = 1; next }
	state == 0 && /^```/ { bad("a ``` block that does not follow a ```sql block") }
	state == 1 && /^```$/ { close(f); state = 2; next }
	state == 1 { print > f; next }
	state == 2 && /^```$/ { f = sprintf("%s/%03d.out", dir, n); printf "" > f; state = 3; next }
	state == 2 { bad("a ```sql block not followed at once by its ``` output block") }
	state == 3 && /^```$/ { close(f); state = 0; next }
	state == 3 { print > f; next }
	END { if (!err && state != 0) bad("unterminated block") }
' "$doc"

run() { psql -X -q -v ON_ERROR_STOP=1 -P footer=off -d "$db" -f "$1" 2>&1 | sed -e 's/[[:space:]]*$//'; }
trim() { sed -e 's/[[:space:]]*$//' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

n=0 bad=0
for f in "$work"/[0-9][0-9][0-9].sql; do
	n=$((n + 1))
	out=$(run "$f") || fail "block $n failed:
$(cat "$f")
$out"
	printf '%s\n' "$out" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"${f%.sql}.got"
	if [ -z "${REFERENCE_WRITE:-}" ] && ! diff -u <(trim "${f%.sql}.out") "${f%.sql}.got" >"$work/diff"; then
		printf 'block %d differs from the document:\n%s\n--- diff (document, actual):\n%s\n' \
			"$n" "$(cat "$f")" "$(cat "$work/diff")"
		bad=$((bad + 1))
	fi
done
[ "$n" -ge 30 ] || fail "only $n sql blocks found: is the document complete?"

if [ -n "${REFERENCE_WRITE:-}" ]; then
	# put each block's actual output into the ``` block after it
	awk -v dir="$work" '
		state == 0 && /^```sql$/ { n++; state = 1; print; next }
		state == 1 && /^```$/ { state = 2; print; next }
		state == 2 && /^```$/ { print; g = sprintf("%s/%03d.got", dir, n)
			while ((getline line < g) > 0) print line; close(g); state = 3; next }
		state == 3 && /^```$/ { state = 0; print; next }
		state == 3 { next }
		{ print }
	' "$doc" >"$work/doc.md"
	cp "$work/doc.md" "$doc"
	echo "rewrote the outputs of $n blocks in $doc"
fi
[ "$bad" -eq 0 ] || fail "$bad of $n blocks differ from docs/reference-examples.md (REFERENCE_WRITE=1 rewrites them)"

# coverage, from the catalog: functions and aggregates not named kpi_*, and every type but
# the array types PostgreSQL makes for them (extension members too from 17 on)
members="FROM pg_depend AS d
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')"
names=$(psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" -c "SELECT 'f ' || p.proname FROM pg_proc AS p
	WHERE p.proname NOT LIKE 'kpi\_%' AND p.oid IN (SELECT d.objid $members AND d.classid = 'pg_proc'::regclass)
	UNION SELECT 't ' || t.typname FROM pg_type AS t
	WHERE t.oid IN (SELECT d.objid $members AND d.classid = 'pg_type'::regclass)
	  AND NOT EXISTS (SELECT 1 FROM pg_type AS e WHERE e.typarray = t.oid) ORDER BY 1")
cat "$work"/[0-9][0-9][0-9].sql >"$work/all.sql"
nf=0 nt=0 missing=""
while read -r kind name; do
	if [ "$kind" = f ]; then
		nf=$((nf + 1))
		grep -qE "(^|[^[:alnum:]_])$name[[:space:]]*\(" "$work/all.sql" || missing="$missing $name()"
	else
		nt=$((nt + 1))
		grep -qE "(^|[^[:alnum:]_])$name([^[:alnum:]_]|$)" "$work/all.sql" || missing="$missing $name"
	fi
done <<<"$names"
[ "$nf" -ge 50 ] && [ "$nt" -ge 5 ] || fail "only $nf function names and $nt types in the catalog?"
[ -z "$missing" ] || fail "not in any example of docs/reference-examples.md:$missing"
echo "$n examples match their output; $nf function/aggregate names and $nt types all have an example: ok"
