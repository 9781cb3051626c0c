#!/usr/bin/env bash
# Set-up shared by `make demo`, `make test` and `make bench`, then the job itself.
#
# Two ways to run:
#   - local (default): install what is missing from Debian's packages (as root),
#     build, install this checkout's extension into a private copy of the server's
#     install tree (tmp_cluster/inst, like PostgreSQL's own `make check`), and run a
#     throw-away cluster from it as an unprivileged user, on a Unix socket only.
#   - existing server: when any of PGHOST, PGPORT, PGUSER, PGDATABASE or PGSERVICE
#     is set, build, `make install` (if we may write there) and use that server.
#
# Usage: tests/harness.sh demo|test|bench|fuzz|start|stop
set -euo pipefail

job=${1:?usage: tests/harness.sh demo|test|bench|fuzz|start|stop}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

PG_MAJOR=15
# The local cluster listens on its own socket directory and on 127.0.0.1 (for the JDBC
# client check).  Its TCP port: KPI_EXT_PORT, else 54$PG_MAJOR, else the next free one
# (see pick_port), so that checkouts testing side by side do not collide.
port=${KPI_EXT_PORT:-54${PG_MAJOR}}

say() { printf '%s\n' "== $*"; }
die() { printf 'harness: %s\n' "$*" >&2; exit 1; }

if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGDATABASE:-}${PGSERVICE:-}" ]; then
	mode=existing
else
	mode=local
fi

# --- Debian packages -------------------------------------------------------

install_packages() {
	local need=()
	command -v make >/dev/null || need+=(make)
	command -v gcc >/dev/null || need+=(gcc)
	command -v perl >/dev/null || need+=(perl)
	if [ "$mode" = local ]; then
		[ -x /usr/lib/postgresql/$PG_MAJOR/bin/postgres ] || need+=(postgresql-$PG_MAJOR)
	fi
	[ -f /usr/include/postgresql/$PG_MAJOR/server/postgres.h ] || need+=(postgresql-server-dev-$PG_MAJOR)
	[ -x /usr/lib/postgresql/$PG_MAJOR/bin/psql ] || need+=(postgresql-client-$PG_MAJOR)
	if [ "$job" = bench ] && [ "$mode" = local ]; then
		[ -f /usr/share/postgresql/$PG_MAJOR/extension/tdigest.control ] || need+=(postgresql-$PG_MAJOR-tdigest)
	fi
	if [ "$job" = test ]; then
		# the real-client checks: psycopg2, and the JDBC driver run by `java File.java`,
		# which needs a JDK (the source launcher uses the jdk.compiler module)
		/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
		[ -f /usr/share/java/postgresql.jar ] || need+=(libpostgresql-jdbc-java)
		java --list-modules 2>/dev/null | grep -q '^jdk\.compiler@' || need+=(default-jdk-headless)
	fi
	[ ${#need[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "missing Debian packages: ${need[*]} (install them with: sudo apt-get install ${need[*]})"
	fi
	say "installing Debian packages: ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# --- build -------------------------------------------------------------------

pick_pg_config() {
	if [ -n "${PG_CONFIG:-}" ]; then
		:
	elif [ "$mode" = local ] && [ -x /usr/lib/postgresql/$PG_MAJOR/bin/pg_config ]; then
		PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
	else
		PG_CONFIG=pg_config
	fi
	export PG_CONFIG
}

build() {
	say "building kpi_ext (PG_CFLAGS=${PG_CFLAGS:-})"
	make -s -j2 PG_CONFIG="$PG_CONFIG" PG_CFLAGS="${PG_CFLAGS:-}" all
}

# --- the local throw-away cluster -------------------------------------------

# The server refuses to run as root: as root it runs as the `postgres` user
# that Debian's server package creates, so its files must be reachable by it.
as_server() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pick_run_dir() {
	run="$top/tmp_cluster"
	if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$top" 2>/dev/null; then
		# e.g. a checkout below /root: keep the cluster where `postgres` can reach it
		run="/tmp/kpi_ext-$(printf '%s' "$top" | md5sum | cut -c1-12)"
		say "the checkout is not reachable by the postgres user; cluster in $run"
	fi
	inst="$run/inst"
	data="$run/data"
	sock="$run/sock"
	logfile="$run/log/server.log"
}

server_bin() {
	# the private copy of the server's install tree, laid out as the original so
	# that its relocatable paths find share/ and lib/ inside the copy
	printf '%s%s' "$inst" "$("$PG_CONFIG" --bindir)"
}

install_private() {
	local bindir libroot sharedir
	bindir=$("$PG_CONFIG" --bindir)
	libroot=$(dirname "$bindir")
	sharedir=$("$PG_CONFIG" --sharedir)
	rm -rf "$inst"
	mkdir -p "$inst$(dirname "$libroot")" "$inst$(dirname "$sharedir")"
	cp -al "$libroot" "$inst$(dirname "$libroot")/" 2>/dev/null || cp -a "$libroot" "$inst$(dirname "$libroot")/"
	cp -al "$sharedir" "$inst$(dirname "$sharedir")/" 2>/dev/null || cp -a "$sharedir" "$inst$(dirname "$sharedir")/"
	# never write through a hard link into the system's own copy of kpi_ext
	find "$inst" -name 'kpi_ext*' -prune -exec rm -rf {} +
	make -s PG_CONFIG="$PG_CONFIG" DESTDIR="$inst" install >/dev/null
	chmod -R a+rX "$inst"
}

# is something listening on 127.0.0.1:$1?
port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
	local p=$1 tries=0
	while port_busy "$p"; do
		[ -n "${KPI_EXT_PORT:-}" ] && die "port $p (KPI_EXT_PORT) is already in use on 127.0.0.1"
		tries=$((tries + 1))
		[ $tries -lt 100 ] || die "no free port in $1..$p on 127.0.0.1 (set KPI_EXT_PORT)"
		p=$((p + 1))
	done
	port=$p
}

stop_local() {
	if [ -f "$data/postmaster.pid" ]; then
		as_server "$(server_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
	fi
}

start_local() {
	local fresh=$1 bin
	mkdir -p "$run"
	chmod 755 "$run"
	stop_local
	install_private
	bin=$(server_bin)
	if [ "$fresh" = yes ] || [ ! -f "$data/PG_VERSION" ]; then
		rm -rf "$data" "$sock" "$run/log"
		mkdir -p "$data" "$sock" "$run/log"
		if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data" "$sock" "$run/log"; fi
		as_server "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$run/initdb.log" 2>&1 ||
			{ cat "$run/initdb.log" >&2; die "initdb failed"; }
		cat >>"$data/postgresql.conf" <<-EOF
			# kpi_ext throw-away cluster
			listen_addresses = '127.0.0.1'
			unix_socket_directories = '$sock'
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			shared_buffers = 1GB
			work_mem = 64MB
			maintenance_work_mem = 512MB
			max_wal_size = 4GB
			timezone = 'UTC'
			log_min_messages = warning
		EOF
	fi
	# the port is given at each start (not in postgresql.conf): a reused cluster takes a
	# free one too.  Another checkout may grab the same free port between the check and
	# the start: then try the next one.
	local first=$port attempt
	for attempt in 1 2 3 4 5; do
		pick_port "$port"
		if as_server "$bin/pg_ctl" -D "$data" -l "$logfile" -o "-p $port" -w -t 120 start >/dev/null; then
			break
		fi
		if [ $attempt -lt 5 ] && [ -z "${KPI_EXT_PORT:-}" ] &&
			tail -n 5 "$logfile" | grep -q 'could not \(bind\|create any\)'; then
			port=$((port + 1))
			continue
		fi
		tail -n 30 "$logfile" >&2
		die "the server did not start (port $port)"
	done
	[ "$port" = "$first" ] || say "port $first is taken on 127.0.0.1: using port $port"
	export PGHOST="$sock" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
	export PATH="$bin:$PATH"
}

# --- an existing server --------------------------------------------------------

use_existing() {
	local libdir
	libdir=$("$PG_CONFIG" --pkglibdir)
	if [ -w "$libdir" ]; then
		say "installing kpi_ext into $libdir"
		make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
	else
		say "cannot write $libdir: assuming 'sudo make install' was run"
	fi
	psql -X -q -c 'select 1' >/dev/null || die "cannot connect with the PG* settings given"
	psql -X -qAt -c "select 1 from pg_available_extensions where name = 'kpi_ext'" | grep -q 1 ||
		die "the server does not see kpi_ext: run 'sudo make install' for PG_CONFIG=$PG_CONFIG"
}

setup() {
	install_packages
	pick_pg_config
	build
	if [ "$mode" = local ]; then
		pick_run_dir
		start_local "$1"
		say "local cluster running: psql -h $PGHOST -p $PGPORT -U postgres"
	else
		use_existing
	fi
}

# --- the jobs ----------------------------------------------------------------

run_tests() {
	local passed=0 failed=0 out t name log
	mkdir -p "$top/log"
	if [ "${REGRESS:-}" != none ]; then
		say "pg_regress: ${REGRESS:-every sql/*.sql test}"
		out="$top/log/regress.log"
		if make -s PG_CONFIG="$PG_CONFIG" installcheck ${REGRESS:+REGRESS="$REGRESS"} >"$out" 2>&1; then :; fi
		grep -E '^test |\.\.\. ' "$out" || true
		passed=$(grep -cE '\.\.\. +ok ' "$out" || true)
		failed=$(grep -cE 'FAILED|failed \(ignored\)' "$out" || true)
		if ! grep -qE 'tests? passed|tests? failed' "$out"; then
			cat "$out"
			failed=$((failed + 1))
		fi
		if [ "$failed" -gt 0 ] && [ -f regression.diffs ]; then
			head -n 200 regression.diffs
		fi
	fi

	for t in tests/t/*.sh; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .sh)
		case " ${TESTS:-$name} " in *" $name "*) ;; *) continue ;; esac
		log="$top/log/$name.log"
		if bash "$t" >"$log" 2>&1; then
			passed=$((passed + 1))
			printf 'ok     %s\n' "$name"
		else
			failed=$((failed + 1))
			printf 'FAILED %s (log/%s.log):\n' "$name" "$name"
			tail -n 40 "$log" | sed 's/^/    /'
		fi
	done
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

case "$job" in
demo)
	setup reuse
	bash tests/demo/demo.sh
	if [ "$mode" = local ]; then
		say "the demo cluster is still running: psql -h $PGHOST -p $PGPORT -U postgres kpi_demo"
		say "stop it with 'make stop'; it is reused by the next 'make demo'"
	fi
	;;
test)
	setup yes
	status=0
	run_tests || status=$?
	if [ "$mode" = local ]; then
		stop_local
		[ $status -eq 0 ] && rm -rf "$data"
	fi
	exit $status
	;;
bench)
	setup reuse
	bash tests/bench/bench.sh
	;;
load)
	setup reuse
	KPI_SERVER_LOG=${logfile:-} bash tests/load/load.sh
	;;
fuzz)
	setup yes
	REGRESS=none TESTS=fuzz FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-20000} run_tests
	;;
start)
	setup reuse
	;;
stop)
	pick_pg_config
	pick_run_dir
	stop_local
	say "stopped"
	;;
*)
	die "unknown job '$job'"
	;;
esac
