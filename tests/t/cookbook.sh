#!/usr/bin/env bash
# The code a user copies from the documentation runs as printed and prints what the page
# shows: every code block of README.md, docs/cookbook.md, docs/clients.md and
# docs/benchmarks.md runs, in order, on the demo data (the tables of `make demo`:
# tests/demo/10-generate.sql at its default scale and seed, and the histories of
# tests/demo/15-histories.sql, without the demo's summary views: the pages create what
# they use), each page in a database of its own.
#
#   ```sql                 must succeed, also when run a second time (the pages say
#                          their blocks can be pasted twice)
#   ```sql error SQLSTATE  must fail with that SQLSTATE
#   ```sql pg_cron         runs against a stand-in cron.schedule() that executes
#                          the command at once
#   ```sql metabase|superset|grafana
#                          template variables replaced by values (with the
#                          optional filters set and left out); must succeed, and
#                          with the filters set give the same rows as the next
#                          plain ```sql block (its psql equivalent)
#   ```python              runs once, by Debian's python3 with psycopg2, connected
#                          with the PG* settings to the page's database
#   ```java                runs once: the statements of a main() that may throw,
#                          with java.sql, java.io and the driver's classes imported
#                          and the connection in String url, user and password
#                          (run with Debian's JDBC driver)
#   ```text                on the line right after one of the blocks above: what it
#                          prints, compared with the real output (psql -X -q: aligned,
#                          with footers; PGTZ=UTC; no CONTEXT lines; trailing blanks
#                          ignored)
# Any other ```sql marker fails the check.  Not run, so keep them correct by hand:
# ```sh blocks (they install packages, build, start servers or publish releases, which
# need a system rather than a database) and ``` blocks without a language (formulas,
# formats, other output).
#
# DOCS_WRITE=1 rewrites every ```text output block from the real output instead of
# comparing (after a change of the data generator or of a result).
. "$(dirname "$0")/lib.sh"
. "$top/tests/demo/lib.sh"
export PGTZ=UTC
template=kpi_docs_template
new_db $template
kpi_psql $template -c "CREATE EXTENSION kpi_ext"
kpi_generate $template 250000
kpi_psql $template -f "$top/tests/demo/15-histories.sql"
kpi_psql $template -c "VACUUM ANALYZE"

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

# SQL from stdin, as a user's psql shows it
run_sql() {
	psql -X -q -v ON_ERROR_STOP=1 -v SHOW_CONTEXT=never -d "$db" "$@" 2>&1 | sed -e 's/^psql:<stdin>:[0-9]*: //'
	return "${PIPESTATUS[0]}"
}

run_python() {
	local py
	for py in /usr/bin/python3 python3; do
		"$py" -c 'import psycopg2' 2>/dev/null && break
	done
	PGDATABASE=$db "$py" "$1" 2>&1
}

run_java() {
	local jar=${KPI_JDBC_JAR:-/usr/share/java/postgresql.jar} host
	case "${PGHOST:-}" in '' | /*) host=${KPI_JDBC_HOST:-127.0.0.1} ;; *) host=$PGHOST ;; esac
	{
		cat <<-'EOF'
			import java.io.*;
			import java.sql.*;
			import org.postgresql.PGConnection;
			import org.postgresql.copy.CopyManager;
			import org.postgresql.util.PGInterval;
			import org.postgresql.util.PGobject;
			import org.postgresql.util.PSQLException;
			import org.postgresql.util.ServerErrorMessage;
			public class DocSnippet {
			public static void main(String[] args) throws Exception {
		EOF
		printf 'String url = "jdbc:postgresql://%s:%s/%s", user = "%s", password = "%s";\n' \
			"$host" "${PGPORT:-5432}" "$db" "${PGUSER:-$(id -un)}" "${PGPASSWORD:-}"
		cat "$1"
		printf '}\n}\n'
	} >"$work/DocSnippet.java"
	java -cp "$jar" "$work/DocSnippet.java" 2>&1
}

# run block $1 (its kind in $1.kind) and print its output; fails as the block fails
run_block() {
	local f=$1 kind rendered
	kind=$(cat "${f%.*}.kind")
	case "$kind" in
	python) run_python "$f" ;;
	java) run_java "$f" ;;
	metabase | superset | grafana)
		rendered=$work/rendered.sql
		render "$kind" no <"$f" >"$rendered"
		if grep -Eq '\{\{|\{%|\[\[|\$__|\$team' "$rendered"; then
			echo "template variables left: $(cat "$rendered")"; return 1
		fi
		run_sql <"$rendered" >/dev/null || { echo "without the filters it fails: $(run_sql <"$rendered")"; return 1; }
		render "$kind" yes <"$f" >"$rendered"
		run_sql <"$rendered"
		;;
	*) run_sql <"$f" ;;
	esac
}

# split the page into $work/<page>/NNN.{sql,py,java} (NNN.kind its marker, NNN.line the
# line it starts on, NNN.out the ```text block right after it), then run every block and
# compare.  $2..$5: the least number of blocks, error blocks, BI templates and pg_cron blocks
check_page() {
	local page=$1 min_blocks=$2 min_errors=$3 min_templates=$4 min_crons=$5 pass dir f kind out n errors templates crons outputs expected_rows
	local name block status
	name=$(basename "$page" .md | tr 'A-Z' 'a-z')
	db=kpi_docs_$name
	dir=$work/$name
	mkdir -p "$dir"
	ok "$page splits into code blocks" awk -v dir="$dir" '
		function bad(m) { print FILENAME ":" NR ": " m > "/dev/stderr"; err = 1; exit 1 }
		function open_block(lang, kind, ext) {
			n++; f = sprintf("%s/%03d.%s", dir, n, ext); printf "" > f
			printf "%s\n", kind > sprintf("%s/%03d.kind", dir, n)
			print NR > sprintf("%s/%03d.line", dir, n); close(sprintf("%s/%03d.line", dir, n)); state = 1 }
		state == 2 && /^```text$/ { o = sprintf("%s/%03d.out", dir, n); printf "" > o; state = 3; next }
		state == 2 { state = 0 }
		state == 0 && /^```sql( .*)?$/ { k = substr($0, 7); sub(/^ +/, "", k); open_block("sql", k, "sql"); next }
		state == 0 && /^```python$/ { open_block("python", "python", "py"); next }
		state == 0 && /^```java$/ { open_block("java", "java", "java"); next }
		state == 0 && /^```[^`]*$/ { state = 4; next }
		state == 1 && /^```$/ { close(f); state = 2; next }
		state == 1 { print > f; next }
		state == 3 && /^```$/ { close(o); state = 0; next }
		state == 3 { print > o; next }
		state == 4 && /^```$/ { state = 0; next }
		END { if (!err && (state == 1 || state == 3 || state == 4)) bad("unterminated block") }
	' "$top/$page"

	new_db "$db" "TEMPLATE $template"
	for pass in 1 2; do
		n=0 errors=0 templates=0 crons=0 outputs=0 expected_rows=""
		for f in "$dir"/[0-9][0-9][0-9].*; do
			case "$f" in *.kind | *.out | *.got | *.line) continue ;; esac
			kind=$(cat "${f%.*}.kind")
			n=$((n + 1))
			block="$page pass $pass: block $n (line $(cat "${f%.*}.line")${kind:+, $kind})"
			case "$kind" in
			'' | python | java) ;;
			error\ *)
				if ! [[ "${kind#error }" =~ ^[0-9A-Z]{5}$ ]]; then
					fail "$block has a SQLSTATE in its marker" "    marker: '$kind'"
					continue
				fi
				;;
			pg_cron)
				run_sql -c "CREATE SCHEMA IF NOT EXISTS cron" \
					-c "CREATE OR REPLACE FUNCTION cron.schedule(job_name text, schedule text, command text)
						RETURNS bigint LANGUAGE plpgsql AS \$\$
						BEGIN
							IF array_length(regexp_split_to_array(trim(schedule), '\\s+'), 1) <> 5 THEN
								RAISE EXCEPTION 'not a cron schedule: %', schedule;
							END IF;
							EXECUTE command;
							RETURN 1;
						END \$\$" </dev/null >/dev/null
				crons=$((crons + 1))
				;;
			metabase | superset | grafana) templates=$((templates + 1)) ;;
			*)
				fail "$block has a known marker" "    unknown marker '\`\`\`sql $kind'"
				continue
				;;
			esac
			# python and java blocks run once: they are programs, not recipes to paste
			if [ "$pass" = 2 ] && { [ "$kind" = python ] || [ "$kind" = java ]; }; then
				continue
			fi
			status=0
			case "$kind" in
			error\ *)
				errors=$((errors + 1))
				if out=$(run_sql -v VERBOSITY=sqlstate <"$f"); then
					fail "$block fails with ${kind#error }" "    it succeeded:" "$(sed 's/^/      /' "$f")"
					status=1
				else
					like "$out" "^ERROR:  ${kind#error }\$" "$block fails with ${kind#error }"
				fi
				out=$(run_sql <"$f") || true
				;;
			*)
				out=$(run_block "$f") || status=$?
				if [ $status -ne 0 ]; then
					fail "$block runs" "$(sed 's/^/      /' "$f")" "    --- it printed:" "$(sed 's/^/      /' <<<"$out")"
				else
					pass "$block runs"
				fi
				;;
			esac
			printf '%s\n' "$out" | sed -e 's/[[:space:]]*$//' >"${f%.*}.got"
			if [ -n "$expected_rows" ]; then
				is "$out" "$expected_rows" "$block gives the rows of the template block before it"
				expected_rows=""
			fi
			case "$kind" in
			metabase | superset | grafana)
				ok "$block returns rows" [ -n "$out" ]
				expected_rows=$out
				;;
			esac
			if [ -f "${f%.*}.out" ] && [ $status -eq 0 ]; then
				outputs=$((outputs + 1))
				if [ -n "${DOCS_WRITE:-}" ]; then
					:
				elif diff -u <(sed -e 's/[[:space:]]*$//' "${f%.*}.out") "${f%.*}.got" >"$work/diff"; then
					pass "$block prints what the page shows"
				else
					fail "$block prints what the page shows" "$(sed 's/^/      /' "$f")" \
						"    --- diff (page, actual):" "$(sed 's/^/      /' "$work/diff")"
				fi
			fi
		done
		is "$expected_rows" "" "$page pass $pass: the last template block has a psql equivalent after it"
		ok "$page pass $pass: at least $min_blocks blocks ($n), $min_errors expected errors ($errors), $min_templates BI templates ($templates), $min_crons pg_cron ($crons); $outputs outputs compared" \
			[ "$n" -ge "$min_blocks" -a "$errors" -ge "$min_errors" -a "$templates" -ge "$min_templates" -a "$crons" -ge "$min_crons" ]
		# pass 1 gives the outputs a page shows: write them, then check pass 2 against them
		if [ "$pass" = 1 ] && [ -n "${DOCS_WRITE:-}" ]; then
			awk -v dir="$dir" '
				state == 2 && /^```text$/ { print; g = sprintf("%s/%03d.got", dir, n)
					while ((getline line < g) > 0) print line; close(g); state = 3; next }
				state == 2 { state = 0 }
				state == 0 && /^```(sql( .*)?|python|java)$/ { n++; state = 1; print; next }
				state == 0 && /^```[^`]*$/ { state = 4; print; next }
				state == 1 && /^```$/ { state = 2; print; next }
				state == 3 && /^```$/ { state = 0; print; next }
				state == 3 { next }
				state == 4 && /^```$/ { state = 0; print; next }
				{ print }
			' "$top/$page" >"$work/page.md"
			cp "$work/page.md" "$top/$page"
			for f in "$dir"/*.got; do
				[ -f "${f%.got}.out" ] && cp "$f" "${f%.got}.out"
			done
			note "$page: rewrote $outputs outputs"
		fi
	done
	q_admin -c "DROP DATABASE $db"
}

check_page README.md 20 3 0 0
check_page docs/cookbook.md 20 3 3 1
check_page docs/clients.md 2 0 0 0
check_page docs/benchmarks.md 1 0 0 0
done_testing
