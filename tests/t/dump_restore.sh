#!/usr/bin/env bash
# pg_dump and pg_restore of a database whose tables and materialized views hold every
# summary type give equal values, in the custom format and in plain SQL.
. "$(dirname "$0")/lib.sh"
fresh_db
new_db kpi_t_dump_custom
new_db kpi_t_dump_plain

# one table per type holding its samples, and a materialized view of rollups
q -f "$top/tests/samples.sql" -c "
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

# every column of every table and materialized view, as text, in a stable order
dump_values() {
	local rel
	for rel in $(q_db "$1" -c "SELECT relname FROM pg_class WHERE relname LIKE 'stored\_%' AND relkind IN ('r', 'm') ORDER BY 1"); do
		echo "== $rel"
		q_db "$1" -c "SELECT t::text FROM $rel AS t ORDER BY 1"
	done
}
src=$(dump_values "$db")
n=$(grep -vc '^==' <<<"$src" || true)
ok "stored $n values in $(grep -c '^==' <<<"$src") tables and materialized views" [ "$n" -gt 0 ]

ok "pg_dump -Fc" pg_dump -Fc -d "$db" -f "$work/db.dump"
ok "pg_restore --exit-on-error of the custom dump" pg_restore --exit-on-error -d kpi_t_dump_custom "$work/db.dump"
is "$(dump_values kpi_t_dump_custom)" "$src" "every value equal after pg_dump -Fc / pg_restore"

ok "pg_dump -Fp" pg_dump -Fp -d "$db" -f "$work/db.sql"
ok "psql of the plain dump" q_db kpi_t_dump_plain -f "$work/db.sql"
is "$(dump_values kpi_t_dump_plain)" "$src" "every value equal after pg_dump -Fp / psql"
done_testing
