#!/usr/bin/env bash
# A real Python client: tests/clients/kpi_client.py through psycopg2 (Debian's
# python3-psycopg2, hence Debian's /usr/bin/python3 when it has the module: another
# python3 first in PATH, e.g. pyenv's, would not see it).  KPIs with parameters, summaries
# as text and back, binary COPY, NULL and errors as psycopg2 reports them.  The client
# stops at its first failed check and names it.
. "$(dirname "$0")/lib.sh"

py=
for candidate in /usr/bin/python3 python3; do
	if "$candidate" -c 'import psycopg2' 2>/dev/null; then py=$candidate; break; fi
done
ok "a python3 with psycopg2 (apt-get install python3-psycopg2)" [ -n "$py" ]
[ -n "$py" ] || done_testing

fresh_db --bare
status=0
out=$("$py" "$top/tests/clients/kpi_client.py" 2>&1) || status=$?
is "$status" 0 "kpi_client.py passes all its checks"
[ "$status" -eq 0 ] && note "${out##*$'\n'}" || diag "$(tail -n 30 <<<"$out")"
like "$out" '^kpi_client\.py: [1-9][0-9]* checks passed' "kpi_client.py reports how many checks passed"
done_testing
