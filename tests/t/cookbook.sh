#!/usr/bin/env bash
# docs/cookbook.md: every ```sql block runs, in order, on a small demo data set.
#
#   ```sql                 must succeed (and again when run a second time: the
#                          recipes say they can be pasted twice)
#   ```sql error SQLSTATE  must fail with that SQLSTATE
#   ```sql pg_cron         runs against a stand-in cron.schedule() that executes
#                          the command at once
#   ```sql metabase|superset|grafana
#                          template variables replaced by values (with the
#                          optional filters set and left out); must succeed, and
#                          with the filters set give the same rows as the next
#                          plain ```sql block (its psql equivalent)
# Any other ```sql marker fails the check.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_cookbook_check
doc=$top/docs/cookbook.md
export PGTZ=UTC PGOPTIONS="-c client_min_messages=warning"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { printf 'FAILED: %s\n' "$*"; exit 1; }

psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -c "CREATE EXTENSION kpi_ext"
q -v scale=20000 -f "$top/tests/demo/10-generate.sql"
q -f "$top/tests/demo/20-summary.sql"
q -f "$top/tests/demo/15-histories.sql"

# split the document: block NNN into $work/NNN.sql, its marker into $work/NNN.kind
awk -v dir="$work" '
	/^```sql/ && !inblock { n++; inblock = 1; kind = substr($0, 7); sub(/^ +/, "", kind);
		f = sprintf("%s/%03d.sql", dir, n); printf "%s\n", kind > sprintf("%s/%03d.kind", dir, n);
		printf "" > f; next }
	/^```$/ && inblock { inblock = 0; close(f); next }
	inblock { print > f }
	END { if (inblock) { print "unterminated sql block" > "/dev/stderr"; exit 1 } }
' "$doc"

# replace the BI tools' template variables: $1 = tool, $2 = filters set (yes/no)
render() {
	local tool=$1 filters=$2
	case "$tool" in
	metabase)
		if [ "$filters" = yes ]; then
			sed -e 's/\[\[AND {{team}}\]\]/AND "team" IN ('\''billing'\'', '\''returns'\'')/'
		else
			sed -e 's/\[\[[^]]*\]\]//'
		fi | sed -e "s/{{start}}/DATE '2026-09-01'/g" -e "s/{{end}}/DATE '2026-11-01'/g"
		;;
	superset)
		if [ "$filters" = yes ]; then
			sed -e '/{% if filter_values/d' -e '/{% endif %}/d' \
				-e "s/{{ filter_values('team') | where_in }}/('billing', 'returns')/"
		else
			sed -e '/{% if filter_values/,/{% endif %}/d'
		fi | sed -e "s/{{ from_dttm }}/2026-09-01 00:00:00/g" -e "s/{{ to_dttm }}/2026-11-01 00:00:00/g"
		;;
	grafana)
		sed -e 's/\$__timeGroupAlias(day, 1d)/floor(extract(epoch FROM day) \/ 86400) * 86400 AS "time"/' \
			-e "s/\\\$__timeFilter(day)/day BETWEEN '2026-10-20T00:00:00Z' AND '2026-10-26T23:59:59Z'/" \
			-e "s/\\\$team/'billing','returns'/g" \
			-e "s/\$__timeFrom()/'2026-10-20T00:00:00Z'/g" -e "s/\$__timeTo()/'2026-10-26T23:59:59Z'/g"
		;;
	esac
}

run_blocks() {
	local pass=$1 f kind n=0 errors=0 templates=0 crons=0 expected_rows="" rendered out state
	for f in "$work"/[0-9][0-9][0-9].sql; do
		kind=$(cat "${f%.sql}.kind")
		n=$((n + 1))
		case "$kind" in
		'')
			out=$(q -At -f "$f" 2>&1) || fail "block $n failed (pass $pass):
$(cat "$f")
$out"
			if [ -n "$expected_rows" ]; then
				[ "$out" = "$expected_rows" ] ||
					fail "block $n differs from the template block before it:
$out
--- template gave:
$expected_rows"
				expected_rows=""
			fi
			;;
		error\ *)
			state=${kind#error }
			[[ "$state" =~ ^[0-9A-Z]{5}$ ]] || fail "block $n: bad SQLSTATE in marker '$kind'"
			if out=$(q -v VERBOSITY=sqlstate -f "$f" 2>&1); then
				fail "block $n should fail with $state but succeeded:
$(cat "$f")"
			fi
			printf '%s\n' "$out" | grep -q "ERROR:  $state\$" ||
				fail "block $n should fail with $state: $out"
			errors=$((errors + 1))
			;;
		pg_cron)
			q -c "CREATE SCHEMA IF NOT EXISTS cron" \
				-c "CREATE OR REPLACE FUNCTION cron.schedule(job_name text, schedule text, command text)
					RETURNS bigint LANGUAGE plpgsql AS \$\$
					BEGIN
						IF array_length(regexp_split_to_array(trim(schedule), '\\s+'), 1) <> 5 THEN
							RAISE EXCEPTION 'not a cron schedule: %', schedule;
						END IF;
						EXECUTE command;
						RETURN 1;
					END \$\$"
			out=$(q -At -f "$f" 2>&1) || fail "pg_cron block $n failed: $out"
			crons=$((crons + 1))
			;;
		metabase | superset | grafana)
			rendered=$work/rendered.sql
			render "$kind" no <"$f" >"$rendered"
			if grep -Eq '\{\{|\{%|\[\[|\$__|\$team' "$rendered"; then
				fail "block $n ($kind): template variables left: $(cat "$rendered")"
			fi
			out=$(q -At -f "$rendered" 2>&1) || fail "$kind block $n without filters failed:
$(cat "$rendered")
$out"
			render "$kind" yes <"$f" >"$rendered"
			if grep -Eq '\{\{|\{%|\[\[|\$__|\$team' "$rendered"; then
				fail "block $n ($kind): template variables left: $(cat "$rendered")"
			fi
			expected_rows=$(q -At -f "$rendered" 2>&1) || fail "$kind block $n failed:
$(cat "$rendered")
$expected_rows"
			[ -n "$expected_rows" ] || fail "$kind block $n returned no rows"
			templates=$((templates + 1))
			;;
		*)
			fail "block $n: unknown marker '\`\`\`sql $kind'"
			;;
		esac
	done
	[ -z "$expected_rows" ] || fail "the last template block has no psql equivalent after it"
	echo "pass $pass: $n blocks, $errors expected errors, $templates BI templates, $crons pg_cron: ok"
	[ "$n" -ge 20 ] && [ "$errors" -ge 3 ] && [ "$templates" -ge 3 ] && [ "$crons" -ge 1 ] ||
		fail "too few blocks found: is the document complete?"
}

run_blocks 1
run_blocks 2

psql -X -q -d "${PGDATABASE:-postgres}" -c "DROP DATABASE $db"
