# What every tests/t/*.sh check shares (sourced, never run by itself).
#
# A check is a bash script that prints TAP, the Test Anything Protocol
# ("ok 3 - what", "not ok 4 - what", the plan "1..N"), and runs under prove, as
# PostgreSQL's own TAP tests do.  `make test` runs each selected check with
# `prove --exec bash --merge -v` (log in log/<check>.log); by hand, with the
# PG* settings that `make start` prints:
#
#     prove -v tests/t/catalog.sh
#
# How to write a check:
#
#     #!/usr/bin/env bash
#     # What the check proves, in a few lines.
#     . "$(dirname "$0")/lib.sh"
#     fresh_db                    # a throw-away database with kpi_ext; q() talks to it
#     is "$(q -c "SELECT nps(s) FROM (VALUES (10), (0)) AS v(s)")" 0 "nps of a promoter and a detractor"
#     ok "the server is still up" q -c "SELECT 1"
#     done_testing
#
# - One assertion per property, named by what it asserts, so that a failure
#   ("not ok 7 - rate_summary refuses hits > trials") points at it; got and
#   expected follow it as diagnostics (lines starting with #).
# - Assertions: is GOT EXPECTED NAME; isnt GOT UNEXPECTED NAME; like GOT ERE NAME
#   and unlike GOT ERE NAME (some line of GOT matches the extended regular
#   expression ERE, or none does); ok NAME COMMAND [ARG...] (the command, run in a
#   subshell with its output captured, exits 0; its output is shown when it
#   does not); pass NAME; fail NAME [DIAGNOSTIC...]; skip NAME REASON;
#   verdicts FILE (the "ok|NAME" / "not ok|NAME|DIAGNOSTIC" lines of a helper).
#   diag TEXT... adds diagnostics (stderr), note TEXT... remarks (stdout).
# - Set-up: fresh_db [--bare] [NAME [CREATE DATABASE options]] makes a new
#   database (by default kpi_t_<check>), with kpi_ext unless --bare, as $db and
#   as PGDATABASE; new_db NAME [options] another one.  Both are dropped when the
#   check ends (KPI_TAP_KEEP=1 keeps them).  q ARG... is psql -X -qAt with
#   ON_ERROR_STOP on $db, q_db DB ARG... on another database, q_admin ARG... on
#   the one they were created from.  $work is a private temporary directory,
#   $top the checkout; at_exit COMMAND runs COMMAND when the check ends.
#   client_min_messages is warning (PGOPTIONS), so NOTICEs do not clutter logs.
# - The check runs under set -Eeuo pipefail: a command that fails outside an
#   assertion ends it with "not ok N - ended early: line L: COMMAND (exit S)".
# - End with done_testing: it prints the plan, and the check's exit status is
#   0 only when every assertion passed.  skip_all REASON, before the first
#   assertion, skips a check that cannot run here (e.g. no python3).

set -Eeuo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
check_name=$(basename "$0" .sh)
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

_tap_lib=${BASH_SOURCE[0]}
_tap_admin_db=${PGDATABASE:-postgres}
_tap_dbs=()
_tap_exits=()
_tap_err=
_tap_done=
work=$(mktemp -d "${TMPDIR:-/tmp}/kpi_t_${check_name}.XXXXXX")
chmod 755 "$work"
# the count of assertions and of failed ones, in a file: an assertion made in a
# subshell (a pipeline into `while read`) counts too
_tap_state=$work/.tap
echo "0 0" >"$_tap_state"

# --- output --------------------------------------------------------------------

# one TAP line per argument line, prefixed by "# "
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
note() { printf '%s\n' "$@" | sed 's/^/# /'; }

# where the check made the assertion: "file line N" in its main body, and the
# line in the check's own function that made it, if any
_tap_where() {
	local i last=$((${#BASH_SOURCE[@]} - 1))
	for ((i = 1; i < last; i++)); do
		[ "${BASH_SOURCE[$i]}" = "$_tap_lib" ] || break
	done
	printf '%s line %s' "${BASH_SOURCE[$last]}" "${BASH_LINENO[$((last - 1))]}"
	[ "$i" -ge "$last" ] || printf ' (line %s in %s)' "${BASH_LINENO[$((i - 1))]}" "${FUNCNAME[$i]}"
}

# a value for a diagnostic: 'x' on one line, or its lines indented below the label
_tap_value() {
	local label=$1 value=$2 lines
	if [[ $value != *$'\n'* ]]; then
		printf '%s: %s\n' "$label" "'$value'"
		return
	fi
	lines=$(printf '%s\n' "$value" | wc -l)
	printf '%s: (%d lines)\n' "$label" "$lines"
	printf '%s\n' "$value" | head -n 40 | sed 's/^/      | /'
	[ "$lines" -le 40 ] || printf '      | ... (%d more lines)\n' $((lines - 40))
}

# _tap_result ok|not NAME [DIAGNOSTIC...]
_tap_result() {
	local status=$1 name=$2 n failed
	shift 2
	# a name is one line, and a # in it would start a TAP directive
	name=${name//$'\n'/ }
	name=${name//#/\\#}
	read -r n failed <"$_tap_state"
	n=$((n + 1))
	if [ "$status" = ok ]; then
		printf 'ok %d - %s\n' "$n" "$name"
	else
		failed=$((failed + 1))
		printf 'not ok %d - %s\n' "$n" "$name"
		diag "  Failed test '$name'" "  at ${_tap_at:-$(_tap_where)}."
		[ $# -eq 0 ] || diag "$@"
	fi
	echo "$n $failed" >"$_tap_state"
}

# --- assertions (each returns 0, passed or not: a failure does not end the check) --

pass() { _tap_result ok "$1"; }
fail() { _tap_result not "$@"; }

is() {
	if [ "$1" == "$2" ]; then
		pass "$3"
	elif [[ $1$2 == *$'\n'* ]]; then
		fail "$3" "    got and expected differ (- expected, + got):" \
			"$(diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$1") | sed -e '1,2d' -e '41,$d' -e 's/^/      /')"
	else
		fail "$3" "$(_tap_value '         got' "$1")" "$(_tap_value '    expected' "$2")"
	fi
}

isnt() {
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3" "$(_tap_value '         got' "$1")" "    expected anything else"
	fi
}

like() {
	if grep -qE -- "$2" <<<"$1"; then
		pass "$3"
	else
		fail "$3" "$(_tap_value '                  got' "$1")" "    expected to match: $2"
	fi
}

unlike() {
	if ! grep -qE -- "$2" <<<"$1"; then
		pass "$3"
	else
		fail "$3" "$(_tap_value '                  got' "$1")" "    expected not to match: $2" \
			"    first match: $(grep -E -- "$2" <<<"$1" | head -n 1)"
	fi
}

ok() {
	local name=$1 out status=0
	shift
	out=$("$@" 2>&1) || status=$?
	if [ $status -eq 0 ]; then
		pass "$name"
	else
		fail "$name" "    command: $*" "    exit status $status" ${out:+"$(_tap_value '    output' "$out")"}
	fi
}

# verdicts FILE: the verdicts a helper program wrote, one per line, "ok|NAME" or
# "not ok|NAME|DIAGNOSTIC", as assertions (a Python property test, for instance)
verdicts() {
	local verdict name detail
	while IFS='|' read -r verdict name detail; do
		case $verdict in
		ok) pass "$name" ;;
		"not ok") fail "$name" ${detail:+"    $detail"} ;;
		esac
	done <"$1"
}

skip() {
	local n failed
	read -r n failed <"$_tap_state"
	n=$((n + 1))
	printf 'ok %d - %s # SKIP %s\n' "$n" "${1//#/\\#}" "${2:-}"
	echo "$n $failed" >"$_tap_state"
}

# prints the plan; returns 1 when an assertion failed
_tap_plan() {
	local n failed
	read -r n failed <"$_tap_state"
	if [ "$n" -eq 0 ]; then
		fail "the check made an assertion" "    a check that asserts nothing cannot fail"
		read -r n failed <"$_tap_state"
	fi
	printf '1..%d\n' "$n"
	_tap_done=yes
	[ "$failed" -eq 0 ]
}

done_testing() {
	local status=0
	_tap_plan || status=1
	exit $status
}

skip_all() {
	local n failed
	read -r n failed <"$_tap_state"
	if [ "$n" -eq 0 ]; then
		printf '1..0 # SKIP %s\n' "$1"
		_tap_done=skipped
		exit 0
	fi
	note "the rest skipped: $1"
	done_testing
}

# --- databases -------------------------------------------------------------------

q_db() {
	local d=$1
	shift
	psql -X -qAt -v ON_ERROR_STOP=1 -d "$d" "$@"
}
q() { q_db "$db" "$@"; }
q_admin() { q_db "$_tap_admin_db" "$@"; }

# new_db NAME [CREATE DATABASE options]: an empty database, dropped at the end
new_db() {
	q_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\" ${2:-}"
	_tap_dbs+=("$1")
}

# fresh_db [--bare] [NAME [CREATE DATABASE options]]: the check's own database
fresh_db() {
	local bare=no
	if [ "${1:-}" = --bare ]; then
		bare=yes
		shift
	fi
	db=${1:-kpi_t_${check_name//[^A-Za-z0-9_]/_}}
	new_db "$db" "${2:-}"
	export PGDATABASE=$db
	[ $bare = yes ] || q -c "CREATE EXTENSION kpi_ext"
}

at_exit() { _tap_exits+=("$*"); }

# --- the end -----------------------------------------------------------------

_tap_on_err() {
	local line=$1 cmd=$2 i
	# a failure inside this file's functions is reported where the check called them
	if [ "${BASH_SOURCE[1]:-}" = "$_tap_lib" ]; then
		for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
			if [ "${BASH_SOURCE[$i]}" != "$_tap_lib" ]; then
				line=${BASH_LINENO[$((i - 1))]}
				# the check's own line says more than psql ... "$@"
				cmd=$(sed -n "${line}{s/^[[:space:]]*//;p;q}" "${BASH_SOURCE[$i]}" 2>/dev/null | cut -c1-120)
				break
			fi
		done
	fi
	_tap_err="line $line: $cmd"
}

_tap_on_exit() {
	local status=$? i d
	set +eE
	trap - ERR
	if [ -z "$_tap_done" ]; then
		# ended without done_testing: by a failing command (set -e), or an exit
		[ $status -eq 0 ] || _tap_at="$0 ${_tap_err%%: *}" fail "ended early: ${_tap_err:-exit} (exit status $status)"
		status=0
		_tap_plan || status=1
	fi
	for ((i = ${#_tap_exits[@]} - 1; i >= 0; i--)); do
		eval "${_tap_exits[$i]}" >&2 || true
	done
	if [ -n "${KPI_TAP_KEEP:-}" ]; then
		[ ${#_tap_dbs[@]} -eq 0 ] || diag "kept the databases ${_tap_dbs[*]} (KPI_TAP_KEEP)"
	else
		for d in "${_tap_dbs[@]}"; do
			q_admin -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >&2 || true
		done
	fi
	rm -rf "$work"
	exit $status
}

trap '_tap_on_err "$LINENO" "$BASH_COMMAND"' ERR
trap _tap_on_exit EXIT
