#!/usr/bin/env bash
# The trigger recipe of docs/cookbook.md section 8 (tests/demo/21-live-kpis.sql): after a
# seeded random mix of 10,000 statements on tickets (INSERT, INSERT ... ON CONFLICT, UPDATE
# of scores, teams and days, DELETE, COPY, MERGE, rolled-back transactions and savepoints,
# TRUNCATE), live_kpis equals a fresh GROUP BY, summary by summary and byte for byte
# (tests/property/live_kpis.py; LIVE_STATEMENTS, LIVE_SEED).  Prints TAP lines.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export PGTZ=UTC PGOPTIONS="-c client_min_messages=warning"
exec python3 "$top/tests/property/live_kpis.py"
