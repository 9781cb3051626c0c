#!/usr/bin/env bash
# Exact ratio sums against exact rational arithmetic: tests/property/exact_sums.py
# (moving frames of ratio_agg, utilization, quality_score and rollup equal their
# recomputation and the exact sums; + in random orders and groupings; (a + b) - b = a;
# binary input accepts exactly the canonical expansions), on seeded adversarial data
# (EXACT_DATASETS, PROPERTY_SEED).  Python's standard library only; it talks to the
# server through psql.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "no python3"
fresh_db
status=0
python3 "$top/tests/property/exact_sums.py" >"$work/verdicts" || status=$?
verdicts "$work/verdicts"
ok "tests/property/exact_sums.py reported verdicts" test -s "$work/verdicts"
failed=$(grep -c '^not ok' "$work/verdicts" || true)
is "$status" "$([ "$failed" -gt 0 ] && echo 1 || echo 0)" \
	"tests/property/exact_sums.py ran to its end (exit status 0, or 1 after a failed verdict)"
done_testing
