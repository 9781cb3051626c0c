#!/usr/bin/env bash
# Moving between PostgreSQL major versions keeps every stored value.
#
# KPI_EXT_FROM names an older server with this checkout's kpi_ext, as libpq connection
# settings ("host=127.0.0.1 port=5415 user=postgres"; .ci/run points it at the 15 cluster
# while it tests 17 and 18).  On it, a database with a table of every type of kpi_ext
# (the values of tests/samples.sql) and materialized views of every summary type and of
# business_calendar is dumped by this server's (newer) pg_dump over TCP, and restored
# here: every value of every table reads back equal, as text and in binary, and the
# materialized views, refreshed by this server from the restored tables, hold the same
# values as on the older server.  Then a binary COPY of every type from the older server
# reads in here unchanged.  Without KPI_EXT_FROM there is no older server: skipped.
#
# Debian 12's 15.20 stores a pg_attver option on every column, which Debian testing's
# pg_dump 18.6 writes out as ALTER TABLE ... ALTER COLUMN ... SET (pg_attver=N) and its
# server rejects (Debian 13's pg_dump 17.12 leaves it out):
# when the plain restore fails with exactly that, those statements are left out of the
# restore (as the README tells users to do) and the restore is repeated.
. "$(dirname "$0")/lib.sh"
[ -n "${KPI_EXT_FROM:-}" ] || skip_all "no older server (set KPI_EXT_FROM to its connection settings)"
# the same output settings on both servers
export PGOPTIONS="$PGOPTIONS -c timezone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1"
old() { local d=$1; shift; psql -X -qAt -v ON_ERROR_STOP=1 -d "$KPI_EXT_FROM dbname=$d" "$@"; }

new_major=$(q_admin -c "SELECT current_setting('server_version_num')::int / 10000")
old_major=$(old postgres -c "SELECT current_setting('server_version_num')::int / 10000")
ok "KPI_EXT_FROM (PostgreSQL $old_major) is older than this server ($new_major)" [ "$old_major" -lt "$new_major" ]

src=kpi_cross_from_$new_major			# on the older server (17 and 18 may run at once)
old postgres -c "DROP DATABASE IF EXISTS $src" -c "CREATE DATABASE $src"
at_exit old postgres -c "'DROP DATABASE IF EXISTS $src'"
restored=kpi_t_cross_restored copied=kpi_t_cross_copied
new_db $restored
new_db $copied

# the older server's database: a table per type holding its samples, raw tickets, and
# materialized views of every summary type (daily, and the rollup of the days) and of
# business hours under every sample calendar
old $src -c "CREATE EXTENSION kpi_ext" -f "$top/tests/samples.sql" -c "
	DO \$\$
	DECLARE t regtype;
	BEGIN
		FOR t IN SELECT DISTINCT typ FROM kpi_samples LOOP
			EXECUTE format('CREATE TABLE %I (id serial, v %s)', 'stored_' || t::text, t);
			EXECUTE format('INSERT INTO %I (v) SELECT lit::%s FROM kpi_samples WHERE typ = %L::regtype ORDER BY kpi_samples.lit',
						   'stored_' || t::text, t, t);
		END LOOP;
	END \$\$;
	CREATE TABLE tickets AS
		SELECT g AS id, o AS opened,
			   CASE WHEN g % 9 <> 0 THEN o + (g % 97) * interval '13 minutes' END AS closed,
			   g % 11 AS score, g % 3 = 0 AS fcr,
			   (g % 50) * interval '1 minute' + interval '30 seconds' AS handle
		FROM generate_series(1, 5000) AS g,
			 LATERAL (SELECT timestamptz '2026-03-01' + g * interval '37 minutes' AS o) AS x;
	CREATE MATERIALIZED VIEW mv_daily AS
		SELECT date_trunc('day', opened, 'UTC') AS day, score_agg(score) AS s, rate_agg(fcr) AS r,
			   ratio_agg(handle, interval '8 hours') AS q, duration_agg(closed - opened) AS d,
			   ticket_flow_agg(opened, closed, '1 day', 'Europe/Berlin') AS f
		FROM tickets GROUP BY 1;
	CREATE MATERIALIZED VIEW mv_total AS
		SELECT rollup(s) AS s, rollup(r) AS r, rollup(q) AS q, rollup(d) AS d, rollup(f) AS f FROM mv_daily;
	CREATE MATERIALIZED VIEW mv_calendar AS
		SELECT c.id, t.id AS ticket, c.v AS calendar, business_duration(t.opened, t.closed, c.v) AS business
		FROM stored_business_calendar AS c, tickets AS t WHERE t.id % 250 = 1 AND t.closed IS NOT NULL;"

missing=$(old $src -c "SELECT t.typname FROM pg_type AS t JOIN pg_depend AS d ON d.classid = 'pg_type'::regclass
	AND d.objid = t.oid AND d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
	WHERE NOT EXISTS (SELECT 1 FROM pg_type AS e WHERE e.typarray = t.oid)
	  AND to_regclass('stored_' || t.typname) IS NULL")
is "$missing" "" "every type of the extension has a table of samples (tests/samples.sql)"
version=$(old $src -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'")

# every relation with the order of its rows
rels=$(old $src -c "SELECT relname || ' ' || CASE relname WHEN 'mv_daily' THEN 'day' WHEN 'mv_total' THEN 's::text'
	WHEN 'mv_calendar' THEN 'id, ticket' ELSE 'id' END
	FROM pg_class WHERE relkind IN ('r', 'm') AND relnamespace = 'public'::regnamespace ORDER BY 1")
# each relation's rows as text and in binary, from either server (old, or q_db here)
export_all() {
	local side=$1 d=$2 dir=$3 rel order
	mkdir -p "$dir"
	while read -r rel order; do
		"$side" "$d" -c "COPY (SELECT * FROM $rel ORDER BY $order) TO STDOUT" >"$dir/$rel.txt"
		"$side" "$d" -c "COPY (SELECT * FROM $rel ORDER BY $order) TO STDOUT (FORMAT binary)" >"$dir/$rel.bin"
	done <<<"$rels"
}
# the same rows, relation by relation and value by value
compare() {
	local a=$1 b=$2 what=$3 rel order n
	while read -r rel order; do
		n=$(awk -F '\t' '{ n += NF } END { print n + 0 }' "$a/$rel.txt")
		ok "$what: $rel has values ($n) on PostgreSQL $old_major" [ "$n" -gt 0 ]
		is "$(cat "$b/$rel.txt")" "$(cat "$a/$rel.txt")" "$what: $rel as text on $new_major equals $old_major"
		ok "$what: $rel in binary on $new_major equals $old_major" cmp "$a/$rel.bin" "$b/$rel.bin"
	done <<<"$rels"
}
export_all old $src "$work/old"

# --- pg_dump by this server's pg_dump from the older server, pg_restore here ---------------
note "$(pg_dump --version), from $KPI_EXT_FROM"
pg_dump -Fc -d "$KPI_EXT_FROM dbname=$src" -f "$work/db.dump"
# the columns pg_dump writes out: of the tables and materialized views, not of the
# extension's own relations (its view kpi_benchmarks)
attver=$(old $src -c "SELECT count(*) FROM pg_attribute WHERE attrelid IN (SELECT c.oid FROM pg_class AS c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'm')
		  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
	AND array_to_string(attoptions, ',') ~ '(^|,)pg_attver='")
if pg_restore --exit-on-error -d $restored "$work/db.dump" 2>"$work/restore.err"; then
	pass "pg_restore of the PostgreSQL $old_major dump into $new_major ($attver columns with a pg_attver option)"
else
	like "$(cat "$work/restore.err")" 'unrecognized parameter "pg_attver"' \
		"pg_restore into $new_major fails only on the pg_attver option Debian's $old_major stores ($attver columns)"
	q_admin -c "DROP DATABASE $restored" -c "CREATE DATABASE $restored"
	pg_restore -f "$work/db.sql" "$work/db.dump"
	sed -E '/^ALTER TABLE ONLY .* ALTER COLUMN .* SET \(pg_attver=[0-9]+\);$/d' "$work/db.sql" >"$work/db-no-attver.sql"
	is "$(($(wc -l <"$work/db.sql") - $(wc -l <"$work/db-no-attver.sql")))" "$attver" \
		"one ALTER COLUMN ... SET (pg_attver=...) left out per column with the option"
	unlike "$(cat "$work/db-no-attver.sql")" 'pg_attver' "no pg_attver option left in the restore script"
	ok "the restore script without them runs on $new_major" q_db $restored -f "$work/db-no-attver.sql"
fi
is "$(q_db $restored -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'")" "$version" \
	"the restored extension is version $version"
export_all q_db $restored "$work/restored"
compare "$work/old" "$work/restored" "pg_dump from $old_major, pg_restore into $new_major"

# --- binary COPY of every type from the older server into this one ---------------------------
rels=$(grep '^stored_' <<<"$rels")
q_db $copied -c "CREATE EXTENSION kpi_ext"
while read -r rel order; do
	type=$(old $src -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '$rel'::regclass AND attname = 'v'")
	q_db $copied -c "CREATE TABLE $rel (id integer, v $type)"
	old $src -c "COPY (SELECT id, v FROM $rel ORDER BY id) TO STDOUT (FORMAT binary)" |
		q_db $copied -c "COPY $rel FROM STDIN (FORMAT binary)"
done <<<"$rels"
export_all q_db $copied "$work/copied"
compare "$work/old" "$work/copied" "binary COPY from $old_major into $new_major"
done_testing
