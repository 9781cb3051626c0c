#!/usr/bin/env bash
# SQL-level fuzzing (tests/fuzz/calls.sql): every function and aggregate of
# the extension, found in the catalog, called with random boundary values,
# and every aggregate over random window frames against its recomputation
# frame by frame.  No call may raise an XX SQLSTATE or return NaN from
# arguments without NaN, a window must equal its recomputation (or fail
# exactly when a frame does), no support function of an internal state may
# raise one when a user-defined aggregate hands it a state of PostgreSQL's
# own, and no backend may crash.  A short run in
# `make test`; `make fuzz` runs FUZZ_CALL_ITERATIONS calls per function
# (default 20 here) and FUZZ_WINDOW_ROUNDS random tables per aggregate
# (default 4), each call bounded by FUZZ_STATEMENT_TIMEOUT (default 5s).
. "$(dirname "$0")/lib.sh"
fresh_db --bare
started=$(q -c "SELECT pg_postmaster_start_time()")
iterations=${FUZZ_CALL_ITERATIONS:-20}
rounds=${FUZZ_WINDOW_ROUNDS:-4}
seed=${FUZZ_SEED:-0.5}
status=0
out=$(q -v iterations="$iterations" -v window_rounds="$rounds" -v seed="$seed" \
	-v statement_timeout="${FUZZ_STATEMENT_TIMEOUT:-5s}" -f "$top/tests/fuzz/calls.sql" 2>&1) || status=$?
is "$status" 0 "the fuzzer ran to its end (seed $seed, $iterations calls per function, $rounds window tables per aggregate)"
[ "$status" -eq 0 ] || diag "$(tail -n 20 <<<"$out")"

calls=$(grep -c '^call|' <<<"$out" || true)
windows=$(grep -c '^window|' <<<"$out" || true)
functions=$(q -c "SELECT count(*) FROM pg_proc AS p JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'kpi_ext'
	WHERE p.prokind IN ('f', 'a') AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[]) AS t(oid) JOIN pg_type AS ty ON ty.oid = t.oid WHERE ty.typtype = 'p')")
aggregates=$(q -c "SELECT count(*) FROM pg_proc AS p JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'kpi_ext' WHERE p.prokind = 'a'")
is "$calls" "$functions" "every function and aggregate callable from SQL was called ($functions)"
is "$windows" "$aggregates" "every aggregate was checked over window frames ($aggregates)"
# the calls that got past their argument checks at least once, as a measure of reach
reached=$(awk -F'|' '$1 == "call" && $4 > 0' <<<"$out" | wc -l)
note "$reached of $calls functions returned a value at least once; window rounds: $(awk -F'|' '$1 == "window" { r += $3; e += $4; x += $5 } END { printf "%d, %d equal to the recomputation, %d failing as a frame does", r, e, x }' <<<"$out")"
ok "most functions return a value on some call (the boundary values are not all refused)" \
	test "$reached" -ge $((calls * 3 / 4))
# support functions of an internal state handed PostgreSQL's own states
foreign=$(grep '^foreign|' <<<"$out" || true)
foreign_fns=$(q -c "SELECT count(*) FROM pg_proc AS p JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'kpi_ext'
	WHERE p.prokind = 'f' AND p.proargtypes[0] = 'internal'::regtype AND NOT EXISTS (SELECT FROM pg_type AS t WHERE t.typreceive = p.oid)
	  AND (p.pronargs = 1 OR p.prorettype = 'internal'::regtype)
	  AND 'internal'::regtype <> ALL (ARRAY(SELECT unnest(p.proargtypes::oid[]) OFFSET 1))")
foreign_checked=$(cut -d'|' -f2 <<<"$foreign")
is "$foreign_checked" "$foreign_fns" "every support function of an internal state was tried with PostgreSQL's own states ($foreign_fns functions, ${foreign##*|} calls: $(cut -d'|' -f3 <<<"$foreign"))"
foreign_failures=$(grep '^failure|' <<<"$out" | grep '|foreign: ' || true)
is "$foreign_failures" "" "no support function handed a state of PostgreSQL's own raised an XX SQLSTATE"
call_failures=$(grep '^failure|' <<<"$out" | grep -v '|window: ' | grep -v '|foreign: ' || true)
is "$call_failures" "" "no call raised an XX SQLSTATE or returned NaN from arguments without NaN"
window_failures=$(grep '^failure|' <<<"$out" | grep '|window: ' || true)
is "$window_failures" "" "every window equals the aggregate recomputed over each frame"
is "$(q -c "SELECT pg_postmaster_start_time()")" "$started" "the server did not restart (no backend crashed)"
done_testing
