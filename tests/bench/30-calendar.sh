# Business hours (SPEC §6): business_duration against plain finish - start on the
# same rows, spans of a year against spans of a day (the cost must not grow with
# the span), and against the day-by-day SQL an analyst would write otherwise.
# Sourced by tests/bench/bench.sh.  The rows are the first 1M resolved tickets
# (CALENDAR_ROWS), built once into bench_calendar_rows.

CALENDAR_ROWS=${CALENDAR_ROWS:-1000000}
CALENDAR_SQL_ROWS=${CALENDAR_SQL_ROWS:-10000}

bench_psql <<EOF
CREATE TABLE IF NOT EXISTS bench_calendar_rows AS
SELECT id, opened_at, resolved_at
FROM tickets WHERE resolved_at IS NOT NULL ORDER BY id LIMIT $CALENDAR_ROWS;
CREATE TABLE IF NOT EXISTS bench_calendar_sql_rows AS
SELECT * FROM bench_calendar_rows ORDER BY id LIMIT $CALENDAR_SQL_ROWS;
-- the calendar, also as plain rows for the day-by-day SQL
CREATE TABLE IF NOT EXISTS bench_calendar (cal business_calendar);
TRUNCATE bench_calendar;
INSERT INTO bench_calendar VALUES ('mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00; tz=Europe/Berlin;
	holidays=2025-12-25,2025-12-26,2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03');
CREATE TABLE IF NOT EXISTS bench_calendar_ranges (dow int, lo time, hi time);
TRUNCATE bench_calendar_ranges;
INSERT INTO bench_calendar_ranges
SELECT d, time '09:00', time '12:00' FROM generate_series(1, 5) AS d
UNION ALL SELECT d, '13:00', '17:30' FROM generate_series(1, 5) AS d
UNION ALL SELECT 6, '10:00', '14:00';
ANALYZE bench_calendar_rows, bench_calendar_sql_rows, bench_calendar, bench_calendar_ranges;
EOF
cal="'$(bench_psql -c "SELECT cal FROM bench_calendar")'::business_calendar"
n=$(bench_psql -c "SELECT count(*) FROM bench_calendar_rows")
nsql=$(bench_psql -c "SELECT count(*) FROM bench_calendar_sql_rows")

bench_compare "business_duration vs resolved_at - opened_at ($n rows)" "≤ 3×" \
	"SELECT sum(business_duration(opened_at, resolved_at, $cal)) FROM bench_calendar_rows" \
	"SELECT sum(resolved_at - opened_at) FROM bench_calendar_rows"

bench_compare "business_duration: spans of a year vs spans of a day ($n rows)" "≤ 1.5×" \
	"SELECT sum(business_duration(opened_at, opened_at + interval '365 days', $cal)) FROM bench_calendar_rows" \
	"SELECT sum(business_duration(opened_at, opened_at + interval '1 day', $cal)) FROM bench_calendar_rows"

bench_compare "business_duration vs day-by-day SQL ($nsql rows)" "≥ 10× faster" \
	"SELECT sum(business_duration(opened_at, resolved_at, $cal)) FROM bench_calendar_sql_rows" \
	"SELECT sum(w) FROM bench_calendar_sql_rows AS t CROSS JOIN LATERAL (
		SELECT coalesce(sum(least(t.resolved_at, (d + r.hi) AT TIME ZONE 'Europe/Berlin')
						  - greatest(t.opened_at, (d + r.lo) AT TIME ZONE 'Europe/Berlin')), interval '0') AS w
		FROM generate_series((t.opened_at AT TIME ZONE 'Europe/Berlin')::date,
							 (t.resolved_at AT TIME ZONE 'Europe/Berlin')::date, interval '1 day') AS g(day)
		CROSS JOIN LATERAL (SELECT g.day::date AS d) AS dd
		JOIN bench_calendar_ranges AS r ON r.dow = extract(isodow FROM d)
		WHERE d <> ALL ('{2025-12-25,2025-12-26,2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03}'::date[])
		  AND (d + r.hi) AT TIME ZONE 'Europe/Berlin' > t.opened_at
		  AND (d + r.lo) AT TIME ZONE 'Europe/Berlin' < t.resolved_at) AS x"

bench_compare "business_add (4 business hours) vs opened_at + 4 hours ($n rows)" "≤ 3×" \
	"SELECT max(business_add(opened_at, interval '4 hours', $cal)) FROM bench_calendar_rows" \
	"SELECT max(opened_at + interval '4 hours') FROM bench_calendar_rows"
