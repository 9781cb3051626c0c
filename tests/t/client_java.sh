#!/usr/bin/env bash
# A real Java client: tests/clients/KpiClient.java through the PostgreSQL JDBC driver
# (Debian's libpostgresql-jdbc-java), launched as a single source file (needs a JDK 11+).
# KPIs with PreparedStatement parameters, summaries with getString and back with
# setObject(Types.OTHER)/PGobject, binary COPY through CopyManager, NULL and errors as
# SQLExceptions with SQLSTATE, message, detail and hint.  The client stops at its first
# failed check and names it.
#
# JDBC speaks TCP only: when PGHOST is a socket directory (or unset), connect to
# 127.0.0.1 on $PGPORT (the harness's cluster listens there too); KPI_JDBC_HOST overrides.
. "$(dirname "$0")/lib.sh"
jar=${KPI_JDBC_JAR:-/usr/share/java/postgresql.jar}

ok "the JDBC driver at $jar (apt-get install libpostgresql-jdbc-java)" [ -f "$jar" ]
ok "java can run source files (a JDK with jdk.compiler: apt-get install default-jdk-headless)" \
	sh -c "java --list-modules 2>/dev/null | grep -q '^jdk\.compiler@'"
[ -f "$jar" ] && java --list-modules 2>/dev/null | grep -q '^jdk\.compiler@' || done_testing

case "${PGHOST:-}" in
'' | /*) host=127.0.0.1 ;;
*) host=$PGHOST ;;
esac
export KPI_JDBC_HOST=${KPI_JDBC_HOST:-$host} PGPORT=${PGPORT:-5432}

fresh_db --bare
note "$(java -version 2>&1 | head -n 1)"
status=0
out=$(java -cp "$jar" "$top/tests/clients/KpiClient.java" 2>&1) || status=$?
is "$status" 0 "KpiClient.java passes all its checks"
[ "$status" -eq 0 ] && note "${out##*$'\n'}" || diag "$(tail -n 30 <<<"$out")"
like "$out" '^KpiClient\.java: [1-9][0-9]* checks passed' "KpiClient.java reports how many checks passed"
done_testing
