#!/usr/bin/env bash
# Fuzzing of every type's text and binary input (tests/fuzz/fuzz.sql): a short run in
# `make test`, FUZZ_ITERATIONS (per type and path) more with `make fuzz`.  The server
# must survive: a crash restarts the postmaster, which this check notices.
. "$(dirname "$0")/lib.sh"
fresh_db --bare
started=$(q -c "SELECT pg_postmaster_start_time()")
# in rounds of at most 1000 iterations per type and path, each in its own session with
# its own seed: every binary payload takes a large-object lock until the end of the
# transaction, and one transaction of 20000 would run out of lock memory
total=${FUZZ_ITERATIONS:-1000}
round=0
while [ "$total" -gt 0 ]; do
	n=$((total < 1000 ? total : 1000))
	seed=$(awk -v s="${FUZZ_SEED:-0.5}" -v r=$round 'BEGIN { x = s + r * 0.0618034; printf "%.7f", x - int(x) }')
	status=0
	out=$(q -v iterations="$n" -v seed="$seed" -f "$top/tests/fuzz/fuzz.sql" 2>&1) || status=$?
	is "$status" 0 "round $((round + 1)) (seed $seed, $n per type and path): no unexpected error, no round trip that changes a value"
	if [ "$status" -ne 0 ]; then
		diag "$(tail -n 20 <<<"$out")"
	else
		# typ|path|accepted|rejected|sqlstates: a mutated input is not always refused
		while IFS='|' read -r typ path accepted rejected states; do
			ok "round $((round + 1)): $typ $path input: $accepted accepted, $rejected refused $states" \
				[ $((accepted + rejected)) -eq "$n" -a "$rejected" -gt 0 ]
		done < <(grep -E '^[a-z_]+\|(text|binary)\|' <<<"$out")
	fi
	total=$((total - n))
	round=$((round + 1))
done
is "$(q -c "SELECT pg_postmaster_start_time()")" "$started" "the server did not restart (no backend crashed)"
done_testing
