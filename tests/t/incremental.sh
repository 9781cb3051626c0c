#!/usr/bin/env bash
# The trigger recipe of docs/cookbook.md section 11 (tests/demo/21-live-kpis.sql): after a
# seeded random mix of 10,000 statements on tickets (INSERT, INSERT ... ON CONFLICT, UPDATE
# of scores, teams and days, DELETE, COPY, MERGE, rolled-back transactions and savepoints,
# TRUNCATE), live_kpis equals a fresh GROUP BY, summary by summary and byte for byte
# (tests/property/live_kpis.py; LIVE_STATEMENTS, LIVE_SEED, LIVE_SCALE).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "no python3"
export PGTZ=UTC
fresh_db
status=0
python3 "$top/tests/property/live_kpis.py" >"$work/verdicts" || status=$?
verdicts "$work/verdicts"
ok "tests/property/live_kpis.py reported verdicts" test -s "$work/verdicts"
failed=$(grep -c '^not ok' "$work/verdicts" || true)
is "$status" "$([ "$failed" -gt 0 ] && echo 1 || echo 0)" \
	"tests/property/live_kpis.py ran to its end (exit status 0, or 1 after a failed verdict)"
done_testing
