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
# Usage: tests/harness.sh demo|test|bench|fuzz|start|stop|valgrind|asan
#
# valgrind and asan check memory (local mode only): the throw-away cluster's
# server runs under valgrind memcheck, or with an ASan/UBSan-instrumented
# kpi_ext.so, while the regression suite and the tests/t checks run against it.
set -euo pipefail

job=${1:?usage: tests/harness.sh demo|test|bench|fuzz|start|stop|valgrind|asan}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# The PostgreSQL major version: PG=<major> (make test PG=17), else the default.  This is the
# one place that names the default; every path and package name follows from PG_MAJOR.
PG_MAJOR=${PG:-15}
export PG_MAJOR
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

# --- the Debian release of each PostgreSQL ----------------------------------------
#
# Each major comes from the Debian release that ships it (its postgresql-N and
# postgresql-server-dev-N packages).  When that is the host's own release, the job runs
# here; otherwise it runs in a Debian root of that release: a minimal system made with
# debootstrap from the host's own Debian mirror, kept in $KPI_EXT_ROOTS (shared by every
# checkout on the machine, reused while complete), with /proc, /dev, /dev/shm and this
# checkout (at the same path) mounted into it for the job, and this same script run inside.
# The servers inside share the host's network: they listen on 127.0.0.1 like the host's.
debian_suite() {
	case $1 in
	15) echo bookworm ;;	# Debian 12
	17) echo trixie ;;		# Debian 13
	18) echo forky ;;		# Debian testing
	*) return 1 ;;
	esac
}

roots=${KPI_EXT_ROOTS:-/var/cache/kpi_ext/roots}

host_suite() {
	(. /etc/os-release 2>/dev/null && printf '%s\n' "${VERSION_CODENAME:-}")
}

# The host's Debian mirror, from its apt sources (deb822 .sources or one-line lists): the
# URI that serves the host's own release.  DEBIAN_MIRROR overrides it.
host_mirror() {
	local codename uris
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		printf '%s\n' "$DEBIAN_MIRROR"
		return
	fi
	codename=$(host_suite)
	uris=$({
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v c="$codename" '
			function flush() { if (deb && want && uri != "") print uri; deb = want = 0; uri = "" }
			/^[[:space:]]*#/ { next }
			/^[[:space:]]*$/ { flush(); next }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == c) want = 1 }
			tolower($1) == "uris:" { uri = $2 }
			END { flush() }'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -e 's/\[[^]]*\]//' | awk -v c="$codename" '$1 == "deb" && $3 == c { print $2 }'
	} || true)
	[ -n "$uris" ] || return 1
	printf '%s\n' "${uris%%$'\n'*}"
}

# Make the Debian root of a release unless it is there and complete: debootstrap into
# <suite>.new (a release newer than the host's debootstrap, i.e. testing, with the script
# of unstable), then rename.  Called with the root's lock held.
make_root() {
	local suite=$1 dir=$roots/$1 mirror script log
	[ -f "$dir/etc/kpi_ext-root" ] && return 0
	if ! command -v debootstrap >/dev/null; then
		say "installing Debian packages: debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
	fi
	mirror=$(host_mirror) || die "no Debian mirror for $(host_suite) in the apt sources (set DEBIAN_MIRROR)"
	script=/usr/share/debootstrap/scripts/$suite
	[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
	log=$roots/$suite.debootstrap.log
	remove_root "$dir.new"
	[ -e "$dir" ] && remove_root "$dir"
	say "creating the Debian $suite root $dir (debootstrap --variant=minbase $suite, from $mirror; log $log)"
	if ! debootstrap --variant=minbase "$suite" "$dir.new" "$mirror" "$script" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "debootstrap $suite failed (log: $log)"
	fi
	# Debian testing's Release files are valid for a week: a mirror that is a fixed
	# snapshot is older than that
	printf 'Acquire::Check-Valid-Until "false";\n' >"$dir.new/etc/apt/apt.conf.d/90kpi_ext"
	# no services started by package scripts, no cluster created by postgresql-common
	printf '#!/bin/sh\nexit 101\n' >"$dir.new/usr/sbin/policy-rc.d"
	chmod 755 "$dir.new/usr/sbin/policy-rc.d"
	mkdir -p "$dir.new/etc/postgresql-common"
	printf 'create_main_cluster = false\n' >"$dir.new/etc/postgresql-common/createcluster.conf"
	printf 'suite=%s\nmirror=%s\ncreated=%s\n' "$suite" "$mirror" "$(date -u +%FT%TZ)" >"$dir.new/etc/kpi_ext-root"
	mv "$dir.new" "$dir"
}

# Remove an incomplete root, never through a mount into it (another checkout's job) nor
# while a process runs in it.
remove_root() {
	local dir=$1 p
	[ -e "$dir" ] || return 0
	if awk -v d="$dir/" 'index($2 "/", d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		die "$dir is incomplete and still has mounts: unmount them and remove it"
	fi
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$dir" ] && die "$dir is incomplete and process ${p#/proc/} runs in it"
	done
	rm -rf --one-file-system "$dir"
}

# Run the job in the Debian root of PG_MAJOR's release; exits with the job's status.
run_in_root() {
	local suite lock status=0
	suite=$(debian_suite "$PG_MAJOR") || die "no Debian release is known to ship PostgreSQL $PG_MAJOR (see debian_suite in tests/harness.sh); for a server of your own, name its pg_config and connection: PG_CONFIG=... PGHOST=... make test"
	[ "$(id -u)" -eq 0 ] || die "PostgreSQL $PG_MAJOR runs in a Debian $suite root (debootstrap, chroot): run as root"
	root_dir=$roots/$suite
	# the mounts a server of this checkout still running in the root needs (make demo, make start)
	root_held=$roots/$suite.mounts.$(printf '%s' "$top" | md5sum | cut -c1-12)
	root_mounts=()
	mkdir -p "$roots"
	lock=$roots/$suite.lock
	trap leave_root EXIT
	# creating the root and installing packages into it: one checkout at a time
	exec 9>"$lock"
	flock 9
	make_root "$suite"
	mount_root
	# the host's name and name servers, for apt and for the servers' host name lookups
	cp -L /etc/resolv.conf /etc/hosts "$root_dir/etc/" 2>/dev/null || true
	say "PostgreSQL $PG_MAJOR: job '$job' in the Debian $suite root $root_dir"
	in_root KPI_EXT_PACKAGES_ONLY=1 bash "$top/tests/harness.sh" "$job" || die "installing packages into $root_dir failed"
	flock -u 9
	exec 9>&-
	if [ "$job" = package-test ]; then
		# the files of the package's source: the root has no git (see tests/package.sh)
		export KPI_EXT_FILES=/tmp/kpi_ext-files.$$
		git -C "$top" ls-files -z --cached --others --exclude-standard >"$root_dir$KPI_EXT_FILES" ||
			die "git ls-files failed in $top"
	fi
	in_root bash "$top/tests/harness.sh" "$job" || status=$?
	[ -z "${KPI_EXT_FILES:-}" ] || rm -f "$root_dir$KPI_EXT_FILES"
	exit $status
}

# /proc, /dev (with /dev/pts and /dev/shm, which a bind of /dev leaves out) and the
# checkout at its own path; or the mounts a server left running kept (root_held).
mount_root() {
	local m
	if [ -f "$root_held" ]; then
		mapfile -t root_mounts <"$root_held"
		rm -f "$root_held"
		for m in "${root_mounts[@]}"; do
			mountpoint -q "$m" || { unmount_root; break; }
		done
		[ ${#root_mounts[@]} -gt 0 ] && return 0
	fi
	mkdir -p "$root_dir$top"
	mount -t proc proc "$root_dir/proc" && root_mounts+=("$root_dir/proc")
	mount --bind /dev "$root_dir/dev" && root_mounts+=("$root_dir/dev")
	mount --bind /dev/pts "$root_dir/dev/pts" && root_mounts+=("$root_dir/dev/pts")
	mount --bind /dev/shm "$root_dir/dev/shm" && root_mounts+=("$root_dir/dev/shm")
	mount --bind "$top" "$root_dir$top" && root_mounts+=("$root_dir$top")
}

# Is a server of this checkout running in the root (its working directory, the data
# directory, below the checkout or below /tmp/kpi_ext-*, see pick_run_dir)?
root_server_running() {
	local p cwd
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root_dir" ] || continue
		[ "$(cat "$p/comm" 2>/dev/null)" = postgres ] || continue
		cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $cwd in
		"$root_dir$top"/* | "$root_dir/tmp/kpi_ext-$(printf '%s' "$top" | md5sum | cut -c1-12)"/*) return 0 ;;
		esac
	done
	return 1
}

# On exit: unmount, unless a server of this checkout still runs in the root (it loads the
# extension from the checkout and its shared memory lives in /dev/shm): then the mounts
# stay for it, and the next job here (make stop PG=N) takes them over.
leave_root() {
	if [ ${#root_mounts[@]} -gt 0 ] && root_server_running; then
		printf '%s\n' "${root_mounts[@]}" >"$root_held"
		say "the server keeps running in $root_dir, with its mounts; 'make stop PG=$PG_MAJOR' stops it and unmounts them"
		return
	fi
	unmount_root
}

# Unmount in reverse order, lazily (a process of the job that has not quite ended yet).
unmount_root() {
	local i
	for ((i = ${#root_mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${root_mounts[i]}" || printf 'harness: could not unmount %s\n' "${root_mounts[i]}" >&2
	done
	root_mounts=()
}

in_root() {
	chroot "$root_dir" /usr/bin/env -u TMPDIR PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		KPI_EXT_IN_ROOT="$(basename "$root_dir")" PG="$PG_MAJOR" "$@"
}

# Does this job run here (local mode: the host's release ships PG_MAJOR), or in a root?
runs_here() {
	[ "$mode" = existing ] || [ -n "${KPI_EXT_IN_ROOT:-}" ] ||
		[ "$(debian_suite "$PG_MAJOR" || true)" = "$(host_suite)" ]
}

# --- Debian packages -------------------------------------------------------

install_packages() {
	local need=()
	command -v make >/dev/null || need+=(make)
	command -v gcc >/dev/null || need+=(gcc)
	# perl, with prove (the tests/t checks run under it; perl-base alone has no prove)
	command -v prove >/dev/null || need+=(perl)
	if [ "$mode" = local ]; then
		[ -x /usr/lib/postgresql/$PG_MAJOR/bin/postgres ] || need+=(postgresql-$PG_MAJOR)
	fi
	if [ -n "${PG_CONFIG:-}" ] && [ -f "$("$PG_CONFIG" --includedir-server 2>/dev/null)/postgres.h" ]; then
		: # a PostgreSQL of the user's own (e.g. 16, which no Debian release ships)
	else
		[ -f /usr/include/postgresql/$PG_MAJOR/server/postgres.h ] || need+=(postgresql-server-dev-$PG_MAJOR)
		[ -x /usr/lib/postgresql/$PG_MAJOR/bin/psql ] || need+=(postgresql-client-$PG_MAJOR)
	fi
	if [ "$job" = valgrind ]; then
		command -v valgrind >/dev/null || need+=(valgrind)
	fi
	if [ "$job" = bench ] && [ "$mode" = local ]; then
		[ -f /usr/share/postgresql/$PG_MAJOR/extension/tdigest.control ] || need+=(postgresql-$PG_MAJOR-tdigest)
	fi
	if [ "$job" = package-test ]; then
		# tests/package.sh: the build dependencies (postgresql-all for the suite the build runs)
		local p
		for p in build-essential debhelper devscripts fakeroot postgresql-server-dev-all python3; do
			dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || need+=("$p")
		done
		if [ "${PACKAGE_NOCHECK:-0}" != 1 ]; then
			dpkg-query -W -f '${db:Status-Status}' postgresql-all 2>/dev/null | grep -qx installed || need+=(postgresql-all)
		fi
	fi
	if [ "$job" = test ] || [ "$job" = valgrind ] || [ "$job" = asan ]; then
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
	# keep a configuration file already there (a Debian root's createcluster.conf)
	apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "${need[@]}" >/dev/null
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

# one cluster directory per major: servers of several versions may run side by side
# (the cross-version checks), and a reused cluster is always of the right version
pick_run_dir() {
	run="$top/tmp_cluster/$PG_MAJOR"
	if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$top" 2>/dev/null; then
		# e.g. a checkout below /root: keep the cluster where `postgres` can reach it
		run="/tmp/kpi_ext-$(printf '%s' "$top" | md5sum | cut -c1-12)/$PG_MAJOR"
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

# --- memory checking (make valgrind, make asan) ------------------------------

# Replace the throw-away cluster's server by one started through a command
# prefix ("$@": valgrind and its options, or env with LD_PRELOAD).  The
# postmaster is started directly, not through pg_ctl, so that the prefix wraps
# the server itself (its backends are forks of it).  Under valgrind it is slow
# to come up and to run, hence the long waits, a smaller shared_buffers and no
# autovacuum (it would only compete for the CPU; the suite does not need it).
start_wrapped() {
	local bin i
	bin=$(server_bin)
	stop_local
	# the port is not in postgresql.conf: start_local picked it
	as_server "$@" "$bin/postgres" -D "$data" -p "$port" -c shared_buffers=128MB -c autovacuum=off \
		-c statement_timeout=0 -c log_min_messages=warning >>"$logfile" 2>&1 </dev/null &
	server_pid=$!
	for i in $(seq 1 600); do
		"$bin/pg_isready" -q -h "$sock" -p "$port" -t 5 && return 0
		kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$logfile" >&2; die "the server did not start"; }
		sleep 1
	done
	die "the server did not accept connections within 10 minutes"
}

stop_wrapped() {
	as_server "$(server_bin)/pg_ctl" -D "$data" -m fast -w -t 600 stop >/dev/null 2>&1 || true
	wait "$server_pid" 2>/dev/null || true
}

# Sort the valgrind errors (between the error markers in every process's log)
# into those whose stacks (or origin stacks) go through kpi_ext -- its shared
# object, one of its source files or a kpi_* function -- and those purely
# inside PostgreSQL.  Prints both, deduplicated; fails on any kpi_ext error.
valgrind_report() {
	local dir=$1 srcs
	srcs=$(cd src && ls -- *.c | sed 's/\.c$//' | paste -sd'|')
	KPI_RE="kpi_ext\\.so|[(/]($srcs)\\.c:[0-9]+\\)|: kpi_[a-z0-9_]+ [(]" \
	awk -v dir="$dir" '
		FNR == 1 { file = FILENAME; sub(/.*\//, "", file) }
		/VALGRINDERROR-BEGIN/ { inerr = 1; block = ""; key = ""; kpi = 0; n = 0; next }
		/VALGRINDERROR-END/ {
			inerr = 0
			out = kpi ? dir "/kpi_ext-errors.txt" : dir "/postgres-errors.txt"
			if (kpi) nkpi++; else npg++
			if (!(key in seen)) {
				seen[key] = 1
				if (kpi) ukpi++; else upg++
				printf "--- %s (first in %s)\n%s", (kpi ? "kpi_ext" : "postgres"), file, block >> out
			}
			next
		}
		inerr {
			line = $0
			sub(/^==[0-9]+== ?/, "", line)
			if (line ~ ENVIRON["KPI_RE"]) kpi = 1
			block = block line "\n"
			# the key: the kind of error and its first frames, without addresses
			if (n == 0 || line ~ /^ *(at|by) 0x/) {
				k = line; sub(/0x[0-9A-Fa-f]+: /, "", k)
				if (n++ < 10) key = key k "|"
			}
		}
		/ERROR SUMMARY: [1-9]/ { procs++ }
		END {
			printf "%d kpi_ext error(s) (%d distinct), %d PostgreSQL-only error(s) (%d distinct), in %d process(es) with errors\n", nkpi, ukpi, npg, upg, procs
			exit nkpi > 0
		}
	' "$dir"/*.log
}

valgrind_job() {
	local vgdir status=0
	[ "$mode" = local ] || die "make valgrind runs its own throw-away cluster: unset PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE"
	setup yes
	vgdir="$run/valgrind"
	rm -rf "$vgdir"
	mkdir -p "$vgdir"
	cp tests/valgrind/kpi_ext.supp "$vgdir/"
	if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$vgdir"; fi
	say "restarting the server under valgrind memcheck (slow); logs in $vgdir"
	start_wrapped valgrind --trace-children=yes --leak-check=no --track-origins=yes \
		--read-var-info=no --error-limit=no --num-callers=30 --gen-suppressions=all \
		--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
		--suppressions="$vgdir/kpi_ext.supp" --log-file="$vgdir/%p.log"
	# every sql/*.sql test, but only the tests/t checks that go through the
	# input and output paths quickly (names not present are skipped):
	# TESTS=all runs every check, which takes hours under valgrind
	if [ "${TESTS:-}" = all ]; then
		unset TESTS
	else
		export TESTS="${TESTS:-binary_input catalog dump_restore fuzz property upgrade security sketch trends client_python}"
	fi
	FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-100} PROPERTY_DATASETS=${PROPERTY_DATASETS:-3} run_tests || status=$?
	say "stopping the server under valgrind"
	stop_wrapped
	say "valgrind errors (details: $vgdir/kpi_ext-errors.txt, $vgdir/postgres-errors.txt)"
	if ! valgrind_report "$vgdir"; then
		head -n 150 "$vgdir/kpi_ext-errors.txt"
		status=1
	fi
	if [ -s "$vgdir/postgres-errors.txt" ]; then
		# not kpi_ext's: reported, tolerated (see tests/valgrind/kpi_ext.supp)
		say "PostgreSQL-only errors (tolerated; first ones):"
		head -n 60 "$vgdir/postgres-errors.txt"
	fi
	[ $status -eq 0 ] && rm -rf "$data"
	exit $status
}

# kpi_ext built with UndefinedBehaviorSanitizer (and float-cast-overflow,
# which -fsanitize=undefined leaves out in gcc) into the private install
# tree, and the suite run against it: signed overflow, bad shifts, misaligned
# or null accesses, out-of-range float conversions and the like in kpi_ext's
# code abort the backend (a crash the tests notice), the report is kept in
# $run/asan/.  UBSan's runtime is a plain dependency of kpi_ext.so, loaded
# with it: the server needs no preloading.
#
# KPI_SANITIZE=address,undefined,float-cast-overflow adds AddressSanitizer, whose runtime must be
# preloaded (LD_PRELOAD) into the uninstrumented server.  With Debian 12's
# gcc 12 libasan and glibc 2.36 that preloading hangs the server (and psql,
# initdb) before main(): glibc's gettext lock is already inconsistent (one
# more reader unlock than lock) when main() starts, and bindtextdomain() then
# waits forever.  The job checks this first and stops with a message.
asan_job() {
	# gcc leaves float-cast-overflow (a double out of an integer's range) out
	# of -fsanitize=undefined; kpi_ext converts doubles to counts and usecs
	local sanitize=${KPI_SANITIZE:-undefined,float-cast-overflow} flags preload="" lib status=0 src crashed
	[ "$mode" = local ] || die "make asan runs its own throw-away cluster: unset PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE"
	setup yes
	# PostgreSQL compiles with -fwrapv, under which signed overflow is defined
	# and UBSan does not look for it: kpi_ext must never rely on wrapping (it
	# checks with pg_add_s64_overflow and friends), so check it here.
	flags="-fsanitize=$sanitize -fno-sanitize-recover=all -fno-omit-frame-pointer -fno-wrapv"
	src="$run/asan-src"
	say "building kpi_ext with $flags (in $src)"
	rm -rf "$src" "$run/asan"
	mkdir -p "$src" "$run/asan"
	cp -a Makefile kpi_ext.control src sql "$src/"
	make -s -C "$src" clean >/dev/null
	make -s -j2 -C "$src" PG_CONFIG="$PG_CONFIG" PG_CFLAGS="${PG_CFLAGS:-} $flags" PG_LDFLAGS="$flags" all
	make -s -C "$src" PG_CONFIG="$PG_CONFIG" DESTDIR="$inst" install >/dev/null
	chmod -R a+rX "$inst"
	# ASan's runtime must come first in an uninstrumented program
	for lib in $(ldd "$src/kpi_ext.so" | awk '/libasan\.so/ { print $3 }'); do
		preload="$preload${preload:+:}$lib"
	done
	if [ -n "$preload" ] &&
		! LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 timeout 30 "$(server_bin)/postgres" --version >/dev/null 2>&1; then
		stop_local
		die "the server does not start with LD_PRELOAD=$preload (it hangs before main with Debian 12's libasan); use KPI_SANITIZE=undefined"
	fi
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$run/asan"; fi
	say "restarting the server${preload:+ with LD_PRELOAD=$preload}"
	# UBSan reads its options only when kpi_ext.so is loaded, from
	# /proc/self/environ, which the server has overwritten with its process
	# title by then: UBSAN_OPTIONS has no effect, a report goes to the server
	# log (file:line, no stack) and -fno-sanitize-recover ends the backend.
	start_wrapped env ${preload:+LD_PRELOAD="$preload"} \
		ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:log_path=$run/asan/asan"
	FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-1000} run_tests || status=$?
	stop_wrapped
	# a report, or a backend that died (a parallel worker exits with code 1
	# after any ERROR: its sanitizer report is what counts)
	crashed='runtime error:|AddressSanitizer|server process .* exited with exit code|was terminated by signal'
	if grep -qE "$crashed" "$logfile" ||
		compgen -G "$run/asan/*" >/dev/null; then
		say "sanitizer reports or crashed backends:"
		grep -E -A3 "$crashed" "$logfile" | head -n 60
		compgen -G "$run/asan/*" >/dev/null && head -n 100 "$run/asan"/*
		status=1
	else
		say "no sanitizer reports"
	fi
	# the next job installs the ordinary build again
	[ $status -eq 0 ] && rm -rf "$data"
	exit $status
}

# --- the jobs ----------------------------------------------------------------

# pg_regress on the sql/<family>.sql files (REGRESS="a b" or none), then each
# tests/t check (TESTS="a b" or none) under prove.  The closing line counts
# files: a regression file or a check passes when all of its assertions do.
run_tests() {
	local passed=0 failed=0 out t name log n bad assertions=0 failed_assertions=0 status
	mkdir -p "$top/log"
	if [ "${REGRESS:-}" != none ]; then
		say "pg_regress: ${REGRESS:-every sql/*.sql test}"
		out="$top/log/regress.log"
		if make -s PG_CONFIG="$PG_CONFIG" installcheck ${REGRESS:+REGRESS="$REGRESS"} >"$out" 2>&1; then :; fi
		# a line per file: "test x ... ok" up to PostgreSQL 15, TAP from 16
		# ("ok 1 - x", "not ok 2 - x", a + instead of - in parallel groups)
		grep -E '^test |\.\.\. |^(not )?ok +[0-9]+ +[-+] ' "$out" || true
		passed=$(grep -cE '\.\.\. +ok |^ok +[0-9]+ +[-+] ' "$out" || true)
		failed=$(grep -cE '\.\.\. +(FAILED|failed)|^not ok +[0-9]+ +[-+] ' "$out" || true)
		if ! grep -qE 'tests? passed|tests? failed' "$out"; then
			# pg_regress did not get to its summary
			cat "$out"
			failed=$((failed + 1))
		fi
		if [ "$failed" -gt 0 ] && [ -f regression.diffs ]; then
			head -n 200 regression.diffs
		fi
	fi

	if [ "${TESTS:-}" != none ]; then
		say "tests/t: ${TESTS:-every check}, under prove (logs in log/)"
	fi
	for t in tests/t/*.sh; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .sh)
		[ "$name" != lib ] || continue
		case " ${TESTS:-$name} " in *" $name "*) ;; *) continue ;; esac
		log="$top/log/$name.log"
		prove --exec bash --merge -v "$t" >"$log" 2>&1 && status=0 || status=$?
		# the assertions of the check, from its TAP lines
		n=$(grep -cE '^(not )?ok [0-9]+' "$log" || true)
		bad=$(grep -cE '^not ok [0-9]+' "$log" || true)
		assertions=$((assertions + n))
		failed_assertions=$((failed_assertions + bad))
		if [ "$status" -eq 0 ]; then
			passed=$((passed + 1))
			if grep -q '^tests/t/.*\.\. skipped' "$log"; then
				printf 'ok     %-22s %s\n' "$name" "$(sed -n 's/^tests\/t\/.*\.\. \(skipped.*\)/\1/p' "$log")"
			else
				printf 'ok     %-22s %4d assertions\n' "$name" "$n"
			fi
		else
			failed=$((failed + 1))
			printf 'FAILED %-22s %4d assertions, %d not ok (log/%s.log):\n' "$name" "$n" "$bad" "$name"
			# what failed: everything but the passing assertions and prove's
			# own lines, the end of it when it is long
			grep -vE '^ok [0-9]+|^1\.\.[0-9]+$|^tests/t/.*\.\. *$|^(Dubious|Test Summary Report|-+$|Files=|Result: )|^tests/t/.*\(Wstat|^  (Failed tests?|Non-zero exit status):' "$log" |
				tail -n 80 | sed 's/^/    /'
			if [ "$n" -eq 0 ]; then
				printf '    (no TAP from %s: a check prints "ok N - what" lines and a plan; see tests/t/lib.sh)\n' "$t"
			fi
		fi
	done
	if [ "${TESTS:-}" != none ]; then
		say "tests/t: $assertions assertions, $failed_assertions not ok"
	fi
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

runs_here || run_in_root
if [ -n "${KPI_EXT_PACKAGES_ONLY:-}" ]; then
	install_packages
	exit 0
fi

case "$job" in
demo)
	setup reuse
	bash tests/demo/demo.sh
	if [ "$mode" = local ]; then
		say "the demo cluster is still running: psql -h $PGHOST -p $PGPORT -U postgres kpi_demo"
		say "stop it with 'make stop${PG:+ PG=$PG}'; it is reused by the next 'make demo'"
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
valgrind)
	valgrind_job
	;;
asan)
	asan_job
	;;
start)
	setup reuse
	;;
package-test)
	install_packages
	bash tests/package.sh
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
