# Incremental summaries (SPEC §12): what the trigger recipe of docs/cookbook.md
# section 11 (tests/demo/21-live-kpis.sql) costs the writers, and the freshness it
# buys.  In a database of its own, bench_live (BENCH_LIVE_DB), where `tickets`
# carries the recipe and `plain_tickets` is the same table without it, both
# loaded from the first BENCH_LIVE_ROWS (1M) tickets of kpi_bench:
#   - the load in batches of 1,000 (1,000 INSERT ... SELECT statements, each
#     committed), with the maintained table against without (target <= 1.5x);
#   - BENCH_LIVE_SINGLE (5,000) single-row inserts, each committed;
#   - a new ticket on the dashboard: its insert (the trigger makes it visible)
#     against an insert and REFRESH MATERIALIZED VIEW CONCURRENTLY of the
#     demo's daily view (tests/demo/20-summary.sql's daily_kpis) over the same
#     tickets.
# And the exact ratio sums against plain SQL over the tickets of kpi_bench.
# Sourced by tests/bench/bench.sh.

live_db=${BENCH_LIVE_DB:-bench_live}
live_rows=${BENCH_LIVE_ROWS:-1000000}
live_single=${BENCH_LIVE_SINGLE:-5000}
live_batches=$((live_rows / 1000))

live_psql() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$live_db" "$@"; }
thousands() { printf '%s' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }

if [ "$(psql -X -qAt -d "${PGDATABASE:-postgres}" -c "SELECT count(*) FROM pg_database WHERE datname = '$live_db'")" = 0 ] ||
	[ "$(live_psql -c "SELECT count(*) FROM src" 2>/dev/null)" != "$live_rows" ]; then
	kpi_say "bench: $live_db with the first $live_rows tickets of $BENCH_DB" >&2
	psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" \
		-c "DROP DATABASE IF EXISTS \"$live_db\"" -c "CREATE DATABASE \"$live_db\""
	live_psql -c "CREATE EXTENSION kpi_ext"
	# the demo's tables (a few rows, then emptied), and the source rows copied from kpi_bench
	kpi_generate "$live_db" 100 >&2
	live_psql -c "TRUNCATE tickets" -c "CREATE UNLOGGED TABLE src (LIKE tickets INCLUDING ALL)" \
		-c "CREATE TABLE plain_tickets (LIKE tickets INCLUDING ALL)" -c "CREATE TABLE bare_tickets (LIKE tickets INCLUDING ALL)" \
		-c "CREATE INDEX ON plain_tickets (team, opened_at)"
	bench_psql -c "COPY (SELECT * FROM tickets ORDER BY id LIMIT $live_rows) TO STDOUT" | live_psql -c "COPY src FROM STDIN"
	live_psql -c "VACUUM ANALYZE src"
fi

# the recipe on the empty tickets table; the demo's daily view (tests/demo/20-summary.sql) over plain_tickets
live_psql -c "SET client_min_messages = warning" -c "TRUNCATE tickets, plain_tickets, bare_tickets" \
	-c "DROP MATERIALIZED VIEW IF EXISTS plain_daily_kpis" -f tests/demo/21-live-kpis.sql
sed -n '/^CREATE MATERIALIZED VIEW daily_kpis AS/,/^GROUP BY 1, 2;/p' tests/demo/20-summary.sql |
	sed -e 's/^CREATE MATERIALIZED VIEW daily_kpis AS/CREATE MATERIALIZED VIEW plain_daily_kpis AS/' \
		-e 's/^FROM tickets$/FROM plain_tickets/' | live_psql
live_psql -c "CREATE UNIQUE INDEX ON plain_daily_kpis (team, day)" \
	-c "DROP SEQUENCE IF EXISTS bench_ids" -c "CREATE SEQUENCE bench_ids START 200000000"

live_psql <<'EOF'
-- target: tickets (with live_kpis) or plain_tickets; batches of 1,000, each committed
CREATE OR REPLACE PROCEDURE bench_load(target text, batches int) LANGUAGE plpgsql AS $$
DECLARE
	first bigint := (SELECT min(id) - 1 FROM src);
BEGIN
	EXECUTE format('TRUNCATE %I', target);
	COMMIT;
	FOR b IN 0 .. batches - 1 LOOP
		EXECUTE format('INSERT INTO %I SELECT * FROM src WHERE id > $1 AND id <= $1 + 1000', target)
			USING first + b * 1000;
		COMMIT;
	END LOOP;
END $$;
-- n single-row inserts of new tickets (copies of source rows with new ids), each committed
CREATE OR REPLACE PROCEDURE bench_single(target text, n int) LANGUAGE plpgsql AS $$
DECLARE
	first bigint := (SELECT min(id) FROM src);
BEGIN
	FOR i IN 1 .. n LOOP
		EXECUTE format('INSERT INTO %I SELECT nextval(''bench_ids''), team, channel, priority, agent_id, opened_at,
			first_response_at, resolved_at, first_response_target, resolution_target, first_contact_resolved,
			reopened, escalated, automated, talk_time, hold_time, wrap_time, nps_score, csat_score, ces_score,
			qa_points, qa_max FROM src WHERE id = $1', target) USING first + i;
		COMMIT;
	END LOOP;
END $$;
-- a new ticket reaching the dashboard: its insert (the trigger), or its insert and a refresh
CREATE OR REPLACE PROCEDURE bench_fresh(target text) LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('INSERT INTO %I SELECT nextval(''bench_ids''), team, channel, priority, agent_id, now(), NULL, NULL,
		first_response_target, resolution_target, first_contact_resolved, reopened, escalated, automated,
		talk_time, hold_time, wrap_time, nps_score, csat_score, ces_score, qa_points, qa_max
		FROM src WHERE id = (SELECT min(id) FROM src)', target);
	IF target = 'plain_tickets' THEN
		REFRESH MATERIALIZED VIEW CONCURRENTLY plain_daily_kpis;
	END IF;
END $$;
EOF

BENCH_DB=$live_db bench_compare "load $(thousands "$live_rows") tickets in batches of 1,000: with live_kpis vs without" "≤ 1.5×" \
	"CALL bench_load('tickets', $live_batches)" \
	"CALL bench_load('plain_tickets', $live_batches)"
BENCH_DB=$live_db bench_compare "load $(thousands "$live_rows") tickets in batches of 1,000: the (team, opened_at) index vs none" "" \
	"CALL bench_load('plain_tickets', $live_batches)" \
	"CALL bench_load('bare_tickets', $live_batches)"
# the tables hold the rows now: the view over plain_tickets, and the check that the table is exact
live_psql -c "REFRESH MATERIALIZED VIEW plain_daily_kpis" -c "VACUUM ANALYZE tickets, plain_tickets, live_kpis"
if [ "$(live_psql -f tests/load/live_compare.sql | awk -F'|' '{ s = 0; for (i = 2; i <= NF; i++) s += $i; print s }')" != 0 ]; then
	echo "bench: live_kpis differs from a fresh GROUP BY after the load" >&2
	bench_failed=1
fi
BENCH_DB=$live_db bench_compare "$(thousands "$live_single") single-row inserts, each committed: with live_kpis vs without" "≤ 3×" \
	"CALL bench_single('tickets', $live_single)" \
	"CALL bench_single('plain_tickets', $live_single)"
BENCH_DB=$live_db bench_compare "a new ticket on the dashboard: insert with live_kpis vs insert + REFRESH CONCURRENTLY of daily_kpis ($(thousands "$live_rows") tickets)" "≥ 100× faster" \
	"CALL bench_fresh('tickets')" \
	"CALL bench_fresh('plain_tickets')"

# the exact ratio sums against the same sums in plain SQL (float8 sum, numeric sum)
bench_compare "utilization(first response, resolution) exact sums vs 100 * sum / sum (float8)" "≤ 1.5×" \
	"SELECT team, utilization(first_response_at - opened_at, resolved_at - opened_at) FROM tickets GROUP BY team" \
	"SELECT team, 100 * sum(extract(epoch FROM first_response_at - opened_at)::float8) FILTER (WHERE resolved_at IS NOT NULL)
		/ sum(extract(epoch FROM resolved_at - opened_at)::float8) FILTER (WHERE first_response_at IS NOT NULL)
	FROM tickets GROUP BY team"
bench_compare "quality_score(qa_points, qa_max) exact sums vs 100 * sum / sum (numeric)" "faster" \
	"SELECT team, quality_score(qa_points, qa_max) FROM tickets GROUP BY team" \
	"SELECT team, 100 * sum(qa_points) FILTER (WHERE qa_max IS NOT NULL) / sum(qa_max) FILTER (WHERE qa_points IS NOT NULL)
	FROM tickets GROUP BY team"
bench_compare "rolling 7-row utilization OVER, exact inverse vs recomputing sums (float8 sum OVER)" "≤ 1.5×" \
	"SELECT utilization(talk_time, talk_time + hold_time) OVER (ORDER BY id ROWS 6 PRECEDING) FROM tickets WHERE id <= 1000000" \
	"SELECT 100 * sum(extract(epoch FROM talk_time)::float8) FILTER (WHERE hold_time IS NOT NULL) OVER w
		/ sum(extract(epoch FROM talk_time + hold_time)::float8) OVER w FROM tickets WHERE id <= 1000000
	WINDOW w AS (ORDER BY id ROWS 6 PRECEDING)"
