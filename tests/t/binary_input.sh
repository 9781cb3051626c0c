#!/usr/bin/env bash
# Binary input of the summary types: hand-made COPY ... (FORMAT binary) payloads
# fed to score_summary, rate_summary, ratio_summary and timeline.  Valid payloads must be
# accepted and equal their text form; malformed ones (wrong version byte,
# truncated, trailing bytes, negative counts, hits > trials, NaN and infinite
# doubles, unnormalized sums) must be refused with a clean ERROR, and the server
# must still be up afterwards.  ratio_summary reads the version 1 payloads of
# 0.6.0 (converted to version 2, a -0.0 compensation included) and refuses a
# version 2 payload that is not canonical (a zero or -0.0 term, terms that are
# not the rest rounded), so that binary output of what binary input accepts
# gives back the same bytes.
#
. "$(dirname "$0")/lib.sh"
fresh_db
# verbose errors show the SQLSTATE: ERROR:  22P03: invalid rate_summary value
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" "$@"; }
q -c "CREATE TABLE t_score (s score_summary)" -c "CREATE TABLE t_rate (s rate_summary)" \
	-c "CREATE TABLE t_ratio (s ratio_summary)" -c "CREATE TABLE t_timeline (s timeline)"

# --- payload builders: everything is written as hex, then emitted as bytes with
# printf octal escapes (no tool beyond bash's printf needed)
bytes() {
	local hex=$1 out='' i
	for ((i = 0; i < ${#hex}; i += 2)); do
		out+=$(printf '\\%03o' "0x${hex:i:2}")
	done
	printf "$out"
}
i64() { printf '%016x' "$1"; }
# IEEE 754 doubles used below, big-endian
D_0=0000000000000000
D_0_5=3fe0000000000000
D_1=3ff0000000000000
D_2=4000000000000000
D_3=4008000000000000
D_1E16=4341c37937e08000
D_NAN=7ff8000000000000
D_INF=7ff0000000000000
D_NINF=fff0000000000000
D_NEG0=8000000000000000
D_NEG1=bff0000000000000
D_MAX=7fefffffffffffff
D_MIN_SUB=0000000000000001

# one row with one field whose bytes are the given hex
copy_payload() {
	local data=$1
	bytes "5047434f50590aff0d0a00"$(printf '%08x' 0)$(printf '%08x' 0)
	bytes "0001"$(printf '%08x' $((${#data} / 2)))"$data"
	bytes "ffff"
}

# expect_ok table hex expected_text: accepted, read as that text, equal to the text form
expect_ok() {
	local table=$1 hex=$2 want=$3 got err
	psql_db -c "TRUNCATE $table"
	if ! err=$(copy_payload "$hex" | psql_db -c "\\copy $table FROM pstdin WITH (FORMAT binary)" 2>&1); then
		fail "$table accepts $want" "    refused: $err"
		return
	fi
	got=$(q -c "SELECT s::text FROM $table")
	if [ "$got" != "$want" ]; then
		is "$got" "$want" "$table accepts $want"
		return
	fi
	# and the value equals its text form read back
	is "$(q -c "SELECT count(*) FROM $table WHERE s::text = '$want'::$(table_type "$table")::text")" 1 \
		"$table accepts $want"
}

table_type() {
	case $1 in
	t_score) echo score_summary ;;
	t_rate) echo rate_summary ;;
	t_ratio) echo ratio_summary ;;
	t_timeline) echo timeline ;;
	esac
}

# expect_error table hex what pattern [detail]: refused with an ERROR matching
# pattern (and a DETAIL matching detail), no row stored
expect_error() {
	local table=$1 hex=$2 what=$3 pattern=$4 detail=${5:-} err name
	name="$table refuses $what: $pattern${detail:+ ($detail)}"
	psql_db -c "TRUNCATE $table"
	if err=$(copy_payload "$hex" | psql_db -c "\\copy $table FROM pstdin WITH (FORMAT binary)" 2>&1); then
		fail "$name" "    accepted it"
	elif ! grep -q '^ERROR: ' <<<"$err" || grep -qiE 'server closed|terminated abnormally|PANIC' <<<"$err"; then
		fail "$name" "    not a clean error: $err"
	elif ! grep -qE "$pattern" <<<"$err" || { [ -n "$detail" ] && ! grep -qE "^DETAIL: .*$detail" <<<"$err"; }; then
		fail "$name" "    unexpected error: $err"
	else
		is "$(q -c "SELECT count(*) FROM $table")" 0 "$name"
	fi
}

# --- score_summary: version byte, 11 counts ---------------------------------
score_hex() {
	local version=$1 out
	shift
	out=$(printf '%02x' "$version")
	for c in "$@"; do out+=$(i64 "$c"); done
	printf '%s' "$out"
}
expect_ok t_score "$(score_hex 1 1 0 0 0 0 0 2 0 0 3 4)" "v1:1,0,0,0,0,0,2,0,0,3,4"
expect_ok t_score "$(score_hex 1 0 0 0 0 0 0 0 0 0 0 0)" "v1:0,0,0,0,0,0,0,0,0,0,0"
expect_ok t_score "$(score_hex 1 0 0 0 0 0 0 0 0 0 0 9223372036854775807)" "v1:0,0,0,0,0,0,0,0,0,0,9223372036854775807"
expect_error t_score "$(score_hex 2 1 0 0 0 0 0 2 0 0 3 4)" "version 2" "22P03: unsupported score_summary format version 2" "reads format version 1"
expect_error t_score "$(score_hex 0 1 0 0 0 0 0 2 0 0 3 4)" "version 0" "22P03: unsupported score_summary format version 0"
expect_error t_score "$(score_hex 1 1 0 0 0 0 0 2 0 0 3)" "10 counts (truncated)" "08P01: insufficient data left in message"
expect_error t_score "$(score_hex 1 1 0 0 0 0 0 2 0 0 3 4)00" "a trailing byte" "08P01: invalid message format"
expect_error t_score "$(score_hex 1 1 0 0 0 0 0 2 0 0 3 4 5)" "12 counts" "08P01: invalid message format"
expect_error t_score "01" "a version byte alone" "08P01: insufficient data left in message"
expect_error t_score "" "an empty value" "08P01: no data left in message"
expect_error t_score "$(score_hex 1 1 0 0 0 0 0 -2 0 0 3 4)" "a negative count" "22P03: invalid score_summary value" "A count is negative"
expect_error t_score "$(score_hex 1 0 0 0 0 0 0 0 0 0 9223372036854775807 1)" "counts whose total overflows" "22003: score_summary counter out of range"

# --- rate_summary: version byte, hits, trials --------------------------------
rate_hex() { printf '%02x%s%s' "$1" "$(i64 "$2")" "$(i64 "$3")"; }
expect_ok t_rate "$(rate_hex 1 3 4)" "v1:3/4"
expect_ok t_rate "$(rate_hex 1 0 0)" "v1:0/0"
expect_ok t_rate "$(rate_hex 1 9223372036854775807 9223372036854775807)" "v1:9223372036854775807/9223372036854775807"
expect_error t_rate "$(rate_hex 2 3 4)" "version 2" "22P03: unsupported rate_summary format version 2"
expect_error t_rate "$(rate_hex 255 3 4)" "version 255" "22P03: unsupported rate_summary format version 255"
expect_error t_rate "01$(i64 3)" "a missing trials count (truncated)" "08P01: insufficient data left in message"
expect_error t_rate "01$(i64 3)00000004" "half a trials count (truncated)" "08P01: insufficient data left in message"
expect_error t_rate "" "an empty value" "08P01: no data left in message"
expect_error t_rate "$(rate_hex 1 3 4)ff" "a trailing byte" "08P01: invalid message format"
expect_error t_rate "$(rate_hex 1 -1 4)" "negative hits" "22P03: invalid rate_summary value" "A count is negative"
expect_error t_rate "$(rate_hex 1 0 -4)" "negative trials" "22P03: invalid rate_summary value" "A count is negative"
expect_error t_rate "$(rate_hex 1 5 4)" "hits > trials" "22P03: invalid rate_summary value" "more hits than trials"

# --- ratio_summary version 1 (0.6.0): version byte, n, num.sum, num.comp, den.sum, den.comp
ratio_hex() { printf '%02x%s%s%s%s%s' "$1" "$(i64 "$2")" "$3" "$4" "$5" "$6"; }
expect_ok t_ratio "$(ratio_hex 1 2 $D_3 $D_0 $D_2 $D_0)" "v2:n=2,num=3,den=2"
expect_ok t_ratio "$(ratio_hex 1 0 $D_0 $D_0 $D_0 $D_0)" "v2:n=0,num=0,den=0"
expect_ok t_ratio "$(ratio_hex 1 2 $D_1E16 $D_1 $D_2 $D_0)" "v2:n=2,num=1e+16+1,den=2"
expect_ok t_ratio "$(ratio_hex 1 1 $D_0_5 $D_0 $D_0 $D_0)" "v2:n=1,num=0.5,den=0"
# a -0.0 compensation (or sum) is the same value as +0: canonicalised
expect_ok t_ratio "$(ratio_hex 1 2 $D_3 $D_NEG0 $D_2 $D_NEG0)" "v2:n=2,num=3,den=2"
expect_ok t_ratio "$(ratio_hex 1 1 $D_NEG0 $D_0 $D_1 $D_0)" "v2:n=1,num=0,den=1"
expect_error t_ratio "$(ratio_hex 3 2 $D_3 $D_0 $D_2 $D_0)" "version 3" "22P03: unsupported ratio_summary format version 3" "reads format versions 1 to 2"
expect_error t_ratio "01$(i64 2)$D_3$D_0$D_2" "a missing compensation (truncated)" "08P01: insufficient data left in message"
expect_error t_ratio "" "an empty value" "08P01: no data left in message"
expect_error t_ratio "$(ratio_hex 1 2 $D_3 $D_0 $D_2 $D_0)00" "a trailing byte" "08P01: invalid message format"
expect_error t_ratio "$(ratio_hex 1 -2 $D_3 $D_0 $D_2 $D_0)" "a negative row count" "22P03: invalid ratio_summary value" "row count is negative"
expect_error t_ratio "$(ratio_hex 1 2 $D_NAN $D_0 $D_2 $D_0)" "a NaN sum" "22P03: invalid ratio_summary value" "not finite"
expect_error t_ratio "$(ratio_hex 1 2 $D_3 $D_0 $D_INF $D_0)" "an infinite sum" "22P03: invalid ratio_summary value" "not finite"
expect_error t_ratio "$(ratio_hex 1 2 $D_3 $D_NINF $D_2 $D_0)" "an infinite compensation" "22P03: invalid ratio_summary value" "not finite"
expect_error t_ratio "$(ratio_hex 1 2 $D_3 $D_0 $D_2 $D_NAN)" "a NaN compensation" "22P03: invalid ratio_summary value" "not finite"
expect_error t_ratio "$(ratio_hex 1 2 $D_1 $D_0_5 $D_2 $D_0)" "an unnormalized sum" "22P03: invalid ratio_summary value" "not normalized"
expect_error t_ratio "$(ratio_hex 1 2 $D_0 $D_1 $D_2 $D_0)" "a compensation of a zero sum" "22P03: invalid ratio_summary value" "not normalized"
expect_error t_ratio "$(ratio_hex 1 0 $D_1 $D_0 $D_0 $D_0)" "sums without rows" "22P03: invalid ratio_summary value" "no rows has non-zero sums"

# --- ratio_summary version 2: version byte, n, then per sum a term count (byte) and the terms
# ratio2_hex n "num terms" "den terms"
ratio2_hex() {
	local out t
	out=$(printf '02%s' "$(i64 "$1")")
	for part in "$2" "$3"; do
		set -- $part
		out+=$(printf '%02x' $#)
		for t in "$@"; do out+=$t; done
	done
	printf '%s' "$out"
}
# expect_canonical hex text: accepted, reads as text, and binary output gives back the same bytes
expect_canonical() {
	expect_ok t_ratio "$1" "$2"
	is "$(q -c "SELECT encode(kpi_ratio_summary_send(s), 'hex') FROM t_ratio")" "$1" \
		"t_ratio sends back the payload of $2"
}
expect_canonical "$(ratio2_hex 2 "$D_3" "$D_2")" "v2:n=2,num=3,den=2"
expect_canonical "$(ratio2_hex 0 "" "")" "v2:n=0,num=0,den=0"
expect_canonical "$(ratio2_hex 2 "$D_1E16 $D_1" "$D_2")" "v2:n=2,num=1e+16+1,den=2"
expect_canonical "$(ratio2_hex 3 "$D_MAX" "$D_MIN_SUB")" "v2:n=3,num=1.7976931348623157e+308,den=5e-324"
expect_canonical "$(ratio2_hex 1 "$D_NEG1" "")" "v2:n=1,num=-1,den=0"
expect_error t_ratio "$(ratio2_hex 2 "$D_3 $D_NEG0" "$D_2")" "a -0.0 term" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex 2 "$D_NEG0" "$D_2")" "a -0.0 sum" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex 2 "$D_0" "$D_2")" "a zero term" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex 2 "$D_1 $D_0_5" "$D_2")" "terms that are not the rest rounded" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex 2 "$D_0_5 $D_1" "$D_2")" "terms in increasing order" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex 2 "$D_NAN" "$D_2")" "a NaN term" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex 2 "$D_3" "$D_INF")" "an infinite term" "22P03: invalid ratio_summary value" "not in its canonical form"
expect_error t_ratio "$(ratio2_hex -1 "$D_3" "$D_2")" "a negative row count" "22P03: invalid ratio_summary value" "row count is negative"
expect_error t_ratio "$(ratio2_hex 0 "$D_3" "")" "sums without rows" "22P03: invalid ratio_summary value" "no rows has non-zero sums"
expect_error t_ratio "02$(i64 2)29$D_3" "41 terms" "22P03: invalid ratio_summary value" "too many terms"
expect_error t_ratio "02$(i64 2)02$D_3" "a missing term (truncated)" "08P01: insufficient data left in message"
expect_error t_ratio "$(ratio2_hex 2 "$D_3" "$D_2")00" "a trailing byte" "08P01: invalid message format"

# --- timeline: version byte; int32 nlabels, each int32 length + bytes; int32 nevents,
# each int64 instant (microseconds from 2000-01-01 UTC), byte seq flag, [int64 seq], int32 label
i32() { printf '%08x' "$1"; }
label_hex() { local s=$1 out='' i; for ((i = 0; i < ${#s}; i++)); do out+=$(printf '%02x' "'${s:i:1}"); done; printf '%s%s' "$(i32 ${#s})" "$out"; }
T0=825757200000000	# 2026-03-02 09:00:00+00
T1=825759000000000	# 2026-03-02 09:30:00+00
ev() { if [ "$2" = - ]; then printf '%s00%s' "$(i64 "$1")" "$(i32 "$3")"; else printf '%s01%s%s' "$(i64 "$1")" "$(i64 "$2")" "$(i32 "$3")"; fi; }
TWO_LABELS="01$(i32 2)$(label_hex new)$(label_hex open)"
expect_ok t_timeline "$TWO_LABELS$(i32 2)$(ev $T0 - 0)$(ev $T1 7 1)" 'v1:2026-03-02 09:00:00+00 "new", 2026-03-02 09:30:00+00 #7 "open"'
expect_ok t_timeline "01$(i32 0)$(i32 0)" 'v1:'
expect_ok t_timeline "$TWO_LABELS$(i32 3)$(ev $T1 - 1)$(ev $T0 - 0)$(ev $T1 - 1)" 'v1:2026-03-02 09:00:00+00 "new", 2026-03-02 09:30:00+00 "open"'
expect_ok t_timeline "01$(i32 1)$(label_hex 'a"b')$(i32 1)$(ev -1 -9223372036854775808 0)" 'v1:1999-12-31 23:59:59.999999+00 #-9223372036854775808 "a\"b"'
expect_error t_timeline "02$(i32 0)$(i32 0)" "version 2" "22P03: unsupported timeline format version 2"
expect_error t_timeline "" "an empty value" "08P01: no data left in message"
expect_error t_timeline "01$(i32 2)$(label_hex new)" "a missing label (truncated)" "08P01: insufficient data left in message"
expect_error t_timeline "$TWO_LABELS$(i32 2)$(ev $T0 - 0)" "a missing event (truncated)" "22P03: invalid timeline value" "number of events is out of range"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(i64 $T0)01$(i64 5)" "a missing label index (truncated)" "08P01: insufficient data left in message"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(ev $T0 - 0)00" "a trailing byte" "08P01: invalid message format"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(ev $T0 - 2)" "a label index past the labels" "22P03: invalid timeline value" "label index is out of range"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(ev $T0 - -1)" "a negative label index" "22P03: invalid timeline value" "label index is out of range"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(i64 $T0)02$(i32 0)" "a seq flag of 2" "22P03: invalid timeline value" "seq flag is neither 0 nor 1"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(ev 9223372036854775807 - 0)" "an infinite instant" "22P03: invalid timeline value" "infinite or out of range"
expect_error t_timeline "$TWO_LABELS$(i32 1)$(ev 9223371331200000000 - 0)" "an instant past the timestamp range" "22P03: invalid timeline value" "infinite or out of range"
expect_error t_timeline "01$(i32 1)$(i32 0)$(i32 0)" "an empty label" "22P03: invalid timeline value" "label length is out of range"
expect_error t_timeline "01$(i32 1)$(label_hex "$(printf 'x%.0s' {1..256})")$(i32 0)" "a label of 256 bytes" "22P03: invalid timeline value" "too long"
expect_error t_timeline "01$(i32 1)$(i32 2)ff41$(i32 0)" "a label that is not UTF-8" "22021: invalid byte sequence"
expect_error t_timeline "01$(i32 1)$(i32 2)0041$(i32 0)" "a label with a NUL byte" "22021: invalid byte sequence"
expect_error t_timeline "01$(i32 2147483647)" "a huge label count" "22P03: invalid timeline value" "number of labels is out of range"
expect_error t_timeline "01$(i32 -1)" "a negative label count" "22P03: invalid timeline value" "number of labels is out of range"
expect_error t_timeline "$TWO_LABELS$(i32 -1)" "a negative event count" "22P03: invalid timeline value" "number of events is out of range"
expect_error t_timeline "$TWO_LABELS$(i32 1000001)" "more events than the limit" "22P03: invalid timeline value" "number of events is out of range"

# the server survived all of it
is "$(q -c 'SELECT 1')" 1 "the server is still answering"
done_testing
