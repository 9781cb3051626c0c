#!/usr/bin/env bash
# A real Python client: tests/clients/kpi_client.py through psycopg2 (Debian's
# python3-psycopg2, hence Debian's /usr/bin/python3 when it has the module: another
# python3 first in PATH, e.g. pyenv's, would not see it).  KPIs with parameters, summaries
# as text and back, binary COPY, NULL and errors as psycopg2 reports them.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_client_python

py=
for candidate in /usr/bin/python3 python3; do
	if "$candidate" -c 'import psycopg2' 2>/dev/null; then py=$candidate; break; fi
done
[ -n "$py" ] || { echo "no python3 with psycopg2: apt-get install python3-psycopg2"; exit 1; }

PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"' EXIT
PGDATABASE=$db "$py" "$top/tests/clients/kpi_client.py"
