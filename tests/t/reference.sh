#!/usr/bin/env bash
# docs/reference-examples.md: every ```sql block runs and prints exactly the ``` block
# that follows it (trailing whitespace trimmed), and every user-facing function,
# aggregate and type of the extension (from the catalog) appears in some ```sql block.
# REFERENCE_WRITE=1 rewrites the output blocks from the real output instead of comparing.
. "$(dirname "$0")/lib.sh"
doc=$top/docs/reference-examples.md
# the settings the document states at its top
export PGOPTIONS="-c timezone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=1 -c client_min_messages=warning"
export PGCLIENTENCODING=UTF8
fresh_db kpi_t_reference "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"

# split: ```sql block N into $work/N.sql, the ``` block right after it into $work/N.out,
# the line where it starts into $work/N.line
ok "docs/reference-examples.md is a sequence of \`\`\`sql blocks, each followed by its output" awk -v dir="$work" '
	function bad(m) { print FILENAME ":" NR ": " m > "/dev/stderr"; err = 1; exit 1 }
	state == 0 && /^```sql$/ { n++; f = sprintf("%s/%03d.sql", dir, n); printf "" > f; state = 1
		print NR > sprintf("%s/%03d.line", dir, n); close(sprintf("%s/%03d.line", dir, n)); next }
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

n=0
for f in "$work"/[0-9][0-9][0-9].sql; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	name="example $n (docs/reference-examples.md line $(cat "${f%.sql}.line")) prints its documented output"
	status=0
	out=$(run "$f") || status=$?
	if [ $status -ne 0 ]; then
		fail "$name" "    it failed:" "$(sed 's/^/      /' "$f")" "$(sed 's/^/      /' <<<"$out")"
		continue
	fi
	printf '%s\n' "$out" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"${f%.sql}.got"
	if [ -n "${REFERENCE_WRITE:-}" ]; then
		pass "$name (rewritten)"
	elif diff -u <(trim "${f%.sql}.out") "${f%.sql}.got" >"$work/diff"; then
		pass "$name"
	else
		fail "$name" "$(sed 's/^/      /' "$f")" "    --- diff (document, actual):" "$(sed 's/^/      /' "$work/diff")"
	fi
done
ok "the document has at least 30 examples ($n)" [ "$n" -ge 30 ]

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
	note "rewrote the outputs of $n blocks in $doc"
fi

# coverage, from the catalog: functions and aggregates not named kpi_*, and every type
members="FROM pg_depend AS d
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')"
names=$(q -c "SELECT 'f ' || p.proname FROM pg_proc AS p
	WHERE p.proname NOT LIKE 'kpi\_%' AND p.oid IN (SELECT d.objid $members AND d.classid = 'pg_proc'::regclass)
	UNION SELECT 't ' || t.typname FROM pg_type AS t
	WHERE t.oid IN (SELECT d.objid $members AND d.classid = 'pg_type'::regclass)
	  AND NOT (t.typelem <> 0 AND t.typname LIKE '\_%') ORDER BY 1")
cat "$work"/[0-9][0-9][0-9].sql >"$work/all.sql"
nf=0 nt=0 missing_f="" missing_t=""
while read -r kind name; do
	if [ "$kind" = f ]; then
		nf=$((nf + 1))
		grep -qE "(^|[^[:alnum:]_])$name[[:space:]]*\(" "$work/all.sql" || missing_f="$missing_f $name()"
	else
		nt=$((nt + 1))
		grep -qE "(^|[^[:alnum:]_])$name([^[:alnum:]_]|$)" "$work/all.sql" || missing_t="$missing_t $name"
	fi
done <<<"$names"
ok "the catalog lists at least 50 function and aggregate names ($nf) and 5 types ($nt)" [ "$nf" -ge 50 -a "$nt" -ge 5 ]
is "${missing_f# }" "" "every user-facing function and aggregate has an example"
is "${missing_t# }" "" "every type has an example"
done_testing
