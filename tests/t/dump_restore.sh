#!/usr/bin/env bash
# pg_dump and pg_restore of a database whose tables and materialized views hold every
# summary type give equal values, in the custom format and in plain SQL.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=kpi_dump_src
tmp=$(mktemp -d)
dbs="$src kpi_dump_custom kpi_dump_plain"
cleanup() { for db in $dbs; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
for db in $dbs; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null; done
q() { local db=$1; shift; psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# one table per type holding its samples, and a materialized view of rollups
q $src -c "CREATE EXTENSION kpi_ext" -f "$top/tests/samples.sql" -c "
	DO \$\$
	DECLARE t regtype;
	BEGIN
		FOR t IN SELECT DISTINCT typ FROM kpi_samples LOOP
			EXECUTE format('CREATE TABLE %I (id serial, v %s)', 'stored_' || t::text, t);
			EXECUTE format('INSERT INTO %I (v) SELECT lit::%s FROM kpi_samples WHERE typ = %L::regtype ORDER BY kpi_samples.lit',
						   'stored_' || t::text, t, t);
		END LOOP;
	END \$\$;
	CREATE MATERIALIZED VIEW stored_rollups AS
		SELECT g % 5 AS k, score_agg(g % 11) AS s FROM generate_series(1, 2000) AS g GROUP BY g % 5;"

dump_values() {
	# every column of every table and materialized view, as text, in a stable order
	for rel in $(q "$1" -c "SELECT relname FROM pg_class WHERE relname LIKE 'stored\_%' AND relkind IN ('r', 'm') ORDER BY 1"); do
		echo "== $rel"
		q "$1" -c "SELECT t::text FROM $rel AS t ORDER BY 1"
	done
}

pg_dump -Fc -d $src -f "$tmp/db.dump"
pg_restore --exit-on-error -d kpi_dump_custom "$tmp/db.dump"
pg_dump -Fp -d $src -f "$tmp/db.sql"
q kpi_dump_plain -f "$tmp/db.sql" >/dev/null

dump_values $src >"$tmp/src.txt"
n=$(grep -vc '^==' "$tmp/src.txt")
[ "$n" -gt 0 ] || { echo "nothing was stored"; exit 1; }
for db in kpi_dump_custom kpi_dump_plain; do
	dump_values $db >"$tmp/$db.txt"
	if ! diff "$tmp/src.txt" "$tmp/$db.txt"; then
		echo "values differ after restoring into $db"; exit 1
	fi
done
echo "$n stored values identical after pg_dump -Fc/pg_restore and pg_dump -Fp/psql"
