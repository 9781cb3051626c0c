#!/bin/sh
# The session every regression test (sql/<family>.sql) runs in.  pg_regress
# starts each one as `tests/regress_session.sh psql -X -a -q -d kpi_regress
# < sql/<family>.sql` (the --launcher of REGRESS_OPTS in the Makefile), in a
# database where --load-extension has created kpi_ext in public.  For
# PostgreSQL's own tests pg_regress sets PGTZ=PST8PDT, PGDATESTYLE='Postgres,
# MDY' and, last in PGOPTIONS, intervalstyle=postgres_verbose; the client's
# settings take precedence over ALTER DATABASE ... SET, so kpi_ext's settings
# are replaced here, where each test's connection is made (and every \c in it).
PGTZ=UTC
PGDATESTYLE='ISO, YMD'
PGOPTIONS="${PGOPTIONS:-} -c intervalstyle=postgres -c extra_float_digits=0"
export PGTZ PGDATESTYLE PGOPTIONS
exec "$@"
