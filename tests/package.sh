#!/usr/bin/env bash
# `make package-test [PG=<major>]`: build the Debian package postgresql-<major>-kpi-ext
# from this checkout, install it into the system with dpkg, and create the extension on a
# throw-away cluster started from the system's own server binaries.  Run by
# tests/harness.sh (which installs the build dependencies, and for a major the host's
# Debian release does not ship, runs it in a Debian root of the release that does).  Not
# part of `make test`: it needs root and changes the system's package set (the package
# is removed again at the end unless KEEP_PACKAGE=1).
#
#   1. versions: debian/changelog, META.json and kpi_ext.control's default_version agree
#   2. debian/control up to date with debian/control.in for every major of
#      debian/pgversions (PG_SUPPORTED_VERSIONS="15 17 18" pg_buildext updatecontrol);
#      the build copy's generated for this major alone
#   3. a copy of the tracked and unignored files in $PKGBUILD_DIR/kpi-ext-<version>/,
#      `dpkg-buildpackage -us -uc -b` there (which also runs the regression suite against
#      the package's files, unless PACKAGE_NOCHECK=1); the .deb lands in $PKGBUILD_DIR
#   4. the package's contents: library, control file, every install/upgrade script (and
#      lintian, when installed: errors fail)
#   5. unowned kpi_ext files (a `make install`) moved aside, put back at the end;
#      dpkg -i; a cluster in /tmp run by the postgres user (Unix socket only); as an
#      unprivileged database owner (kpi_ext is trusted): CREATE EXTENSION, the default
#      version, a few KPIs, and the oldest version updated through the packaged scripts
#   6. clean up: cluster stopped and removed, package removed (KEEP_PACKAGE=1 keeps it),
#      the build tree removed (the .deb and the build log are kept)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PG_MAJOR=${PG_MAJOR:?run through make package-test [PG=<major>]}
pkg=postgresql-$PG_MAJOR-kpi-ext
builddir=${PKGBUILD_DIR:-/tmp/pkgbuild}

say() { printf '%s\n' "== $*"; }
die() { printf 'package-test: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs build dependencies and the package with dpkg)"

# --- 1. versions ---------------------------------------------------------------------
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" kpi_ext.control)
[ -n "$version" ] || die "no default_version in kpi_ext.control"
deb_version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
if [ "${deb_version%%[+~-]*}" != "$version" ]; then
	die "debian/changelog version $deb_version differs from kpi_ext.control default_version $version
  (add an entry: dch --newversion $version 'New upstream version.'; dch --release '')"
fi
meta_version=$(python3 -c 'import json; m = json.load(open("META.json")); print(m["version"], m["provides"]["kpi_ext"]["version"])')
[ "$meta_version" = "$version $version" ] || die "META.json versions ($meta_version) differ from $version"
say "version $version (debian $deb_version)"

# --- 2. debian/control --------------------------------------------------------------
# The committed file holds a package stanza for every major of debian/pgversions; a build
# on one Debian release makes the package of the major being tested (step 3).
majors=$(grep -E '^[0-9]+$' debian/pgversions | paste -sd' ')
grep -qx "$PG_MAJOR" debian/pgversions || die "PostgreSQL $PG_MAJOR is not in debian/pgversions ($majors)"
tmpcontrol=$(mktemp)
trap 'rm -f "$tmpcontrol"' EXIT
cp debian/control "$tmpcontrol"
PG_SUPPORTED_VERSIONS=$majors PG_UPDATECONTROL=no pg_buildext checkcontrol >/dev/null 2>&1 ||
	die "debian/control is stale: run 'PG_SUPPORTED_VERSIONS=\"$majors\" pg_buildext updatecontrol' and commit debian/control"
cmp -s debian/control "$tmpcontrol" || die "pg_buildext checkcontrol changed debian/control"

# --- 3. build in a copy of the tree ----------------------------------------------------
src="$builddir/kpi-ext-$version"
say "copying the tree to $src"
rm -rf "$src" "$builddir"/*kpi-ext*_"$version"_*
mkdir -p "$src"
# the tracked and unignored files; in a Debian root, which has no git, the list the harness
# made outside (KPI_EXT_FILES)
if [ -n "${KPI_EXT_FILES:-}" ]; then cat "$KPI_EXT_FILES"; else git ls-files -z --cached --others --exclude-standard; fi |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf - | tar -xf - -C "$src"
[ -f "$src/debian/rules" ] || die "the copy has no debian/rules"
# build this major's package only, whatever this release's default major is
export PG_SUPPORTED_VERSIONS=$PG_MAJOR
(cd "$src" && pg_buildext updatecontrol)

if [ "${PACKAGE_NOCHECK:-0}" = 1 ]; then
	export DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" DEB_BUILD_PROFILES=nocheck
	say "building without the regression suite (PACKAGE_NOCHECK=1)"
fi
buildlog="$builddir/kpi-ext_${version}_build.log"
say "dpkg-buildpackage -us -uc -b (log: $buildlog)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$buildlog" 2>&1; then
	tail -n 60 "$buildlog" >&2
	die "dpkg-buildpackage failed (whole log: $buildlog)"
fi
grep -E "^(dpkg-buildpackage|dh_pgxs_test|pg_buildext|# $PG_MAJOR)|"'^test |^ok |^not ok |\.\.\. +ok|tests? passed|FAILED' "$buildlog" | sed 's/^/   | /' | tail -n 40

arch=$(dpkg --print-architecture)
deb="$builddir/${pkg}_${deb_version}_${arch}.deb"
[ -f "$deb" ] || die "no $deb after the build"
say "built $deb ($(du -k "$deb" | cut -f1) kB)"
dpkg-deb -f "$deb" Package Version Architecture Depends | sed 's/^/   /'

if command -v lintian >/dev/null; then
	# informational warnings are shown, errors fail the test
	tags=$(lintian --allow-root "$deb" 2>&1 | grep -E '^[EW]:' || true)
	if [ -n "$tags" ]; then printf '%s\n' "$tags" | sed 's/^/   lintian /'; fi
	grep -q '^E:' <<<"$tags" && die "lintian reports errors"
	say "lintian: $(grep -c '^W:' <<<"$tags" || true) warnings, no errors"
fi

# --- 4. contents -------------------------------------------------------------------------
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|')
want=(/usr/lib/postgresql/$PG_MAJOR/lib/kpi_ext.so /usr/share/postgresql/$PG_MAJOR/extension/kpi_ext.control)
for f in sql/kpi_ext--*.sql; do
	want+=("/usr/share/postgresql/$PG_MAJOR/extension/$(basename "$f")")
done
for f in "${want[@]}"; do
	grep -qx "$f" <<<"$contents" || die "the package lacks $f"
done
say "the package holds all ${#want[@]} expected files (library, control file, scripts):"
grep -E 'kpi_ext[^/]*$' <<<"$contents" | sed 's/^/   /'

# --- 5. install, and use it on a throw-away cluster ---------------------------------------
# kpi_ext files in the server's directories that no package owns (a `make install`) would
# be overwritten by dpkg -i, deleted by dpkg -r, and could offer the cluster stray update
# scripts: move them aside for the test and put them back afterwards.
libdir=/usr/lib/postgresql/$PG_MAJOR/lib
extdir=/usr/share/postgresql/$PG_MAJOR/extension
backup="$builddir/system-kpi_ext-files.tar"
rm -f "$backup"
if ! dpkg-query -W -f '${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed; then
	mapfile -t stray < <(ls -d "$libdir"/kpi_ext.so "$libdir"/bitcode/kpi_ext "$libdir"/bitcode/kpi_ext.index.bc \
		"$extdir"/kpi_ext.control "$extdir"/kpi_ext--*.sql 2>/dev/null || true)
	if [ ${#stray[@]} -gt 0 ]; then
		tar -cPf "$backup" "${stray[@]}"
		rm -rf "${stray[@]}"
		say "moved ${#stray[@]} kpi_ext files of a 'make install' aside for the test ($backup)"
	fi
fi

bin=/usr/lib/postgresql/$PG_MAJOR/bin
run=$(mktemp -d /tmp/kpi_ext-package-test.XXXXXX)
cleanup() {
	if [ -f "$run/data/postmaster.pid" ]; then
		(cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$run/data" -m fast -w stop >/dev/null 2>&1) || true
	fi
	rm -rf "$run" "$tmpcontrol"
	if [ "${KEEP_PACKAGE:-0}" != 1 ]; then
		dpkg -r "$pkg" >/dev/null 2>&1 && echo "== removed the package $pkg (KEEP_PACKAGE=1 keeps it)"
		if [ -f "$backup" ]; then
			tar -xPf "$backup" && rm -f "$backup" && echo "== put the kpi_ext files of the 'make install' back"
		fi
	elif [ -f "$backup" ]; then
		echo "== the kpi_ext files of the earlier 'make install' are in $backup"
	fi
	if [ "${KEEP_BUILD:-0}" != 1 ]; then rm -rf "$src"; fi
}
trap cleanup EXIT

say "dpkg -i $(basename "$deb")"
dpkg -i "$deb" >"$builddir/dpkg-i.log" 2>&1 || { cat "$builddir/dpkg-i.log" >&2; die "dpkg -i failed"; }
dpkg-query -W -f '   ${Package} ${Version} ${db:Status-Status}\n' "$pkg"
stray=$(find "$libdir" "$extdir" -name 'kpi_ext*' -type f | while read -r f; do dpkg -S "$f" >/dev/null 2>&1 || echo "$f"; done)
[ -z "$stray" ] || die "kpi_ext files not from the package: $stray"

chmod 755 "$run"
mkdir "$run/data" "$run/sock"
chown postgres: "$run/data" "$run/sock"
as_pg() { (cd / && runuser -u postgres -- "$@"); }
as_pg "$bin/initdb" -D "$run/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$run/initdb.log" 2>&1 ||
	{ cat "$run/initdb.log" >&2; die "initdb failed"; }
cat >>"$run/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$run/sock'
port = 5432
fsync = off
EOF
as_pg "$bin/pg_ctl" -D "$run/data" -l "$run/data/server.log" -w start >/dev/null ||
	{ cat "$run/data/server.log" >&2; die "the server did not start"; }
say "cluster from the system binaries ($("$bin/postgres" --version)) on $run/sock"

psql_pg() { "$bin/psql" -X -v ON_ERROR_STOP=1 -h "$run/sock" -p 5432 -U postgres "$@"; }
psql_pg -q -d postgres -c "CREATE ROLE analyst LOGIN" -c "CREATE DATABASE kpi_pkg OWNER analyst"
# as the database owner, not a superuser: kpi_ext is trusted
got=$(psql_pg -U analyst -d kpi_pkg -qAt <<'SQL'
CREATE EXTENSION kpi_ext;
SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext';
SELECT round(nps(s), 2), score_agg(s)::text, rate(rate_agg(s >= 9)) = 100.0 * 3 / 12
FROM unnest(ARRAY[0, 3, 5, 6, 7, 7, 8, 8, 9, 10, 10, 2]) AS s;
SELECT DISTINCT probin FROM pg_proc WHERE probin LIKE '%kpi_ext%';
SQL
)
printf '%s\n' "$got" | sed 's/^/   | /'
want="$version
-16.67|v1:1,0,1,1,0,1,1,2,2,1,2|t"
[ "$got" = "$want
\$libdir/kpi_ext" ] || die "unexpected results from the installed extension"
lib=$(psql_pg -d kpi_pkg -qAt -c "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'")
[ -f "$lib/kpi_ext.so" ] && dpkg -S "$lib/kpi_ext.so" | grep -q "^$pkg:" ||
	die "the server's $lib/kpi_ext.so is not the package's"
say "CREATE EXTENSION kpi_ext as a non-superuser: version $version, KPIs correct, $lib/kpi_ext.so from $pkg"

# the oldest packaged version updates through the packaged scripts to the default one
oldest=$(ls sql/kpi_ext--*.sql | sed -n 's/.*kpi_ext--\([0-9.]*\)\.sql$/\1/p' | sort -V | head -n 1)
psql_pg -q -d postgres -c "CREATE DATABASE kpi_pkg_upgrade OWNER analyst"
psql_pg -U analyst -d kpi_pkg_upgrade -q -c "CREATE EXTENSION kpi_ext VERSION '$oldest'" \
	-c "CREATE TABLE kept AS SELECT score_agg(g % 11) AS s FROM generate_series(1, 100) AS g" \
	-c "ALTER EXTENSION kpi_ext UPDATE"
got=$(psql_pg -U analyst -d kpi_pkg_upgrade -qAt -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_ext'" \
	-c "SELECT nps(s) = nps(s::text::score_summary) AND responses(s) = 100 FROM kept")
[ "$got" = "$version
t" ] || die "update from $oldest: got '$got'"
say "CREATE EXTENSION kpi_ext VERSION '$oldest'; ALTER EXTENSION kpi_ext UPDATE -> $version: ok"

say "package test passed: $(basename "$deb")"
