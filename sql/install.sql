-- Installing: into a custom schema, and by a database owner who is not a superuser
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS kpi_install_schema;
DROP DATABASE IF EXISTS kpi_install_owner;
DROP ROLE IF EXISTS kpi_install_owner;
RESET client_min_messages;

-- a custom schema: every object lands in it and works schema-qualified
CREATE DATABASE kpi_install_schema;
\c kpi_install_schema
CREATE SCHEMA kpi;
CREATE EXTENSION kpi_ext SCHEMA kpi;
SELECT count(*) AS objects_outside_kpi
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext')
  AND p.pronamespace <> 'kpi'::regnamespace;
SELECT kpi.nps(s) AS nps, kpi.responses(kpi.score_agg(s)) AS responses
FROM (VALUES (10), (9), (3), (NULL)) AS v(s);
SELECT kpi.nps(kpi.rollup(x)) FROM (VALUES ('v1:1,0,0,0,0,0,0,0,0,0,1'::kpi.score_summary)) AS v(x);
-- nothing leaks into public
SELECT count(*) AS public_functions FROM pg_proc WHERE pronamespace = 'public'::regnamespace;
-- the extension cannot be moved (its functions refer to each other by schema)
ALTER EXTENSION kpi_ext SET SCHEMA public;

-- a trusted extension: the database owner installs it without being a superuser
CREATE ROLE kpi_install_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE kpi_install_owner OWNER kpi_install_owner;
\c kpi_install_owner
-- SET ROLE, not a new login, so that the test does not depend on pg_hba.conf
SET ROLE kpi_install_owner;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE EXTENSION kpi_ext;
SELECT nps(s), csat(c)
FROM (VALUES (10, 5), (0, 1), (9, 4)) AS v(s, c);
SELECT extowner::regrole FROM pg_extension WHERE extname = 'kpi_ext';
-- no function is SECURITY DEFINER, every one is PARALLEL SAFE
SELECT count(*) FILTER (WHERE p.prosecdef) AS security_definer,
	   count(*) FILTER (WHERE p.proparallel <> 's') AS not_parallel_safe
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_ext');
DROP EXTENSION kpi_ext;
RESET ROLE;

\c :regress_db
DROP DATABASE kpi_install_schema;
DROP DATABASE kpi_install_owner;
DROP ROLE kpi_install_owner;
