#!/usr/bin/env bash
# Exact ratio sums against exact rational arithmetic: tests/property/exact_sums.py
# (moving frames of ratio_agg, utilization, quality_score and rollup equal their
# recomputation and the exact sums; + in random orders and groupings; (a + b) - b = a;
# binary input accepts exactly the canonical expansions).  Python's standard library
# only; it talks to the server through psql.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export PGOPTIONS="-c client_min_messages=warning"
exec python3 "$top/tests/property/exact_sums.py"
