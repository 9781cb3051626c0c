# Shared by tests/demo/demo.sh and tests/bench/bench.sh (sourced, not run).
# Expects the PG* connection settings in the environment.

kpi_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

kpi_say() { printf '%s\n' "== $*"; }

# psql on database $1, quiet, stop at the first error
kpi_psql() {
	local db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

kpi_ensure_db() {
	local db=$1
	if [ "$(psql -X -qAt -d "${PGDATABASE:-postgres}" -v ON_ERROR_STOP=1 \
		-c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
		kpi_say "creating database $db"
		psql -X -q -d "${PGDATABASE:-postgres}" -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\""
	fi
}

# CREATE EXTENSION, or ALTER EXTENSION ... UPDATE when it is there.  When the
# install scripts changed under an unchanged version (a development checkout),
# UPDATE cannot see it: then the extension is dropped and created again (the
# demo's tables do not depend on it; its views are rebuilt by the scripts).
kpi_ensure_extension() {
	local db=$1 fingerprint old_version new_version old_fingerprint
	fingerprint=$(cat "$kpi_top"/sql/kpi_ext.sql "$kpi_top"/sql/kpi_ext--*--*.sql | md5sum | cut -c1-32)
	kpi_psql "$db" -c "CREATE TABLE IF NOT EXISTS demo_extension (scripts_md5 text)"
	old_version=$(psql -X -qAt -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'")
	old_fingerprint=$(psql -X -qAt -d "$db" -c "SELECT scripts_md5 FROM demo_extension")
	if [ -z "$old_version" ]; then
		kpi_psql "$db" -c "CREATE EXTENSION kpi_ext"
	else
		kpi_psql "$db" -c "SET client_min_messages = warning" -c "ALTER EXTENSION kpi_ext UPDATE"
		new_version=$(psql -X -qAt -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'")
		if [ "$new_version" = "$old_version" ] && [ -n "$old_fingerprint" ] && [ "$old_fingerprint" != "$fingerprint" ]; then
			kpi_say "kpi_ext $old_version changed in this checkout: creating it again in $db"
			kpi_psql "$db" -c "SET client_min_messages = warning" \
				-c "DROP EXTENSION kpi_ext CASCADE" -c "CREATE EXTENSION kpi_ext"
		elif [ "$new_version" != "$old_version" ]; then
			kpi_say "kpi_ext updated from $old_version to $new_version in $db"
		fi
	fi
	kpi_psql "$db" -c "DELETE FROM demo_extension" \
		-c "INSERT INTO demo_extension VALUES ('$fingerprint')"
}

# the generator's checksum: data from another version of it is not reused
kpi_generator_md5() {
	md5sum <"$kpi_top/tests/demo/10-generate.sql" | cut -c1-32
}

# true when database $1 holds a complete data set of $2 tickets from this generator
kpi_data_ready() {
	local db=$1 scale=$2
	[ "$(psql -X -qAt -d "$db" -c "SELECT to_regclass('public.demo_meta') IS NOT NULL")" = t ] &&
		[ "$(psql -X -qAt -d "$db" -c "SELECT string_agg(value, ',' ORDER BY key) FROM demo_meta
			WHERE key IN ('generator', 'scale', 'tickets')")" = "$(kpi_generator_md5),$scale,$scale" ]
}

# generate $2 tickets into database $1; $3 = true for UNLOGGED tables
kpi_generate() {
	local db=$1 scale=$2 unlogged=${3:-false} t0 t1
	t0=$EPOCHREALTIME
	kpi_psql "$db" -v scale="$scale" -v unlogged="$unlogged" -v generator="$(kpi_generator_md5)" \
		-f "$kpi_top/tests/demo/10-generate.sql"
	t1=$EPOCHREALTIME
	kpi_say "generated $scale tickets in $(kpi_seconds "$t0" "$t1") s"
}

# seconds from $EPOCHREALTIME $1 to $2, one decimal
kpi_seconds() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}
