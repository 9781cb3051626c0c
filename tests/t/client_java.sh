#!/usr/bin/env bash
# A real Java client: tests/clients/KpiClient.java through the PostgreSQL JDBC driver
# (Debian's libpostgresql-jdbc-java), launched as a single source file (needs a JDK 11+).
# KPIs with PreparedStatement parameters, summaries with getString and back with
# setObject(Types.OTHER)/PGobject, binary COPY through CopyManager, NULL and errors as
# SQLExceptions with SQLSTATE, message, detail and hint.
#
# JDBC speaks TCP only: when PGHOST is a socket directory (or unset), connect to
# 127.0.0.1 on $PGPORT (the harness's cluster listens there too); KPI_JDBC_HOST overrides.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=kpi_client_java
jar=${KPI_JDBC_JAR:-/usr/share/java/postgresql.jar}

[ -f "$jar" ] || { echo "no JDBC driver at $jar: apt-get install libpostgresql-jdbc-java"; exit 1; }
command -v java >/dev/null || { echo "no java: apt-get install default-jdk-headless"; exit 1; }
java --list-modules 2>/dev/null | grep -q '^jdk\.compiler@' ||
	{ echo "java cannot run source files (no jdk.compiler: a JRE, not a JDK): apt-get install default-jdk-headless"; exit 1; }

case "${PGHOST:-}" in
'' | /*) host=127.0.0.1 ;;
*) host=$PGHOST ;;
esac
export KPI_JDBC_HOST=${KPI_JDBC_HOST:-$host} PGPORT=${PGPORT:-5432}

PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"' EXIT
java -version 2>&1 | head -n 1
PGDATABASE=$db java -cp "$jar" "$top/tests/clients/KpiClient.java"
