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
. "$(dirname "$0")/lib.sh"
doc=$top/docs/cookbook.md
export PGTZ=UTC
fresh_db
q -v scale=20000 -f "$top/tests/demo/10-generate.sql" >/dev/null
q -f "$top/tests/demo/20-summary.sql" >/dev/null

# split the document: block NNN into $work/NNN.sql, its marker into $work/NNN.kind,
# the line where it starts into $work/NNN.line
ok "docs/cookbook.md splits into \`\`\`sql blocks" awk -v dir="$work" '
	/^```sql/ && !inblock { n++; inblock = 1; kind = substr($0, 7); sub(/^ +/, "", kind);
		f = sprintf("%s/%03d.sql", dir, n); printf "%s\n", kind > sprintf("%s/%03d.kind", dir, n);
		print NR > sprintf("%s/%03d.line", dir, n); close(sprintf("%s/%03d.line", dir, n))
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

# show: a file's lines, indented, as one diagnostic
show() { sed 's/^/      /' "$@"; }

run_blocks() {
	local pass=$1 f kind n=0 errors=0 templates=0 crons=0 expected_rows="" template_name="" rendered out state name status
	for f in "$work"/[0-9][0-9][0-9].sql; do
		[ -e "$f" ] || continue
		kind=$(cat "${f%.sql}.kind")
		n=$((n + 1))
		name="pass $pass: block $n (docs/cookbook.md line $(cat "${f%.sql}.line")${kind:+, $kind})"
		case "$kind" in
		'')
			status=0
			out=$(q -f "$f" 2>&1) || status=$?
			if [ $status -ne 0 ]; then
				fail "$name runs" "$(show "$f")" "$(show <<<"$out")"
			elif [ -n "$expected_rows" ]; then
				is "$out" "$expected_rows" "$name runs and gives the rows of $template_name"
			else
				pass "$name runs"
			fi
			expected_rows=""
			;;
		error\ *)
			state=${kind#error }
			errors=$((errors + 1))
			if ! [[ "$state" =~ ^[0-9A-Z]{5}$ ]]; then
				fail "$name fails with $state" "    not a SQLSTATE: '$state'"
			elif out=$(q -v VERBOSITY=sqlstate -f "$f" 2>&1); then
				fail "$name fails with $state" "    it succeeded:" "$(show "$f")"
			else
				like "$out" "ERROR:  $state\$" "$name fails with $state"
			fi
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
			ok "$name runs its job through a stand-in cron.schedule()" q -f "$f"
			crons=$((crons + 1))
			;;
		metabase | superset | grafana)
			templates=$((templates + 1))
			rendered=$work/rendered.sql
			for filters in no yes; do
				render "$kind" $filters <"$f" >"$rendered"
				unlike "$(cat "$rendered")" '\{\{|\{%|\[\[|\$__|\$team' "$name with filters=$filters: every template variable replaced"
				status=0
				out=$(q -f "$rendered" 2>&1) || status=$?
				if [ $status -ne 0 ]; then
					fail "$name with filters=$filters runs" "$(show "$rendered")" "$(show <<<"$out")"
				elif [ $filters = yes ]; then
					ok "$name with filters=$filters runs and returns rows" [ -n "$out" ]
					expected_rows=$out
					template_name="the $kind block $n before it"
				else
					pass "$name with filters=$filters runs"
				fi
			done
			;;
		*)
			fail "$name has a known marker" "    unknown marker '\`\`\`sql $kind'"
			;;
		esac
	done
	is "$expected_rows" "" "pass $pass: the last template block has a psql equivalent after it"
	ok "pass $pass: the document has at least 20 blocks ($n), 3 expected errors ($errors), 3 BI templates ($templates), 1 pg_cron block ($crons)" \
		[ "$n" -ge 20 -a "$errors" -ge 3 -a "$templates" -ge 3 -a "$crons" -ge 1 ]
}

run_blocks 1
run_blocks 2
done_testing
