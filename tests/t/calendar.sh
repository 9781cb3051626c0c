#!/usr/bin/env bash
# Property check of the business-hours functions on more zones than the regression
# test: half-hour DST (Australia/Lord_Howe), DST at midnight (America/Santiago),
# odd offsets (Pacific/Chatham, America/St_Johns), Europe/London, a zone without DST
# (Asia/Kolkata), random holidays and random spans from 1990 to 2040.  For every
# calendar and span: business_duration equals the day-by-day reference (and
# finish - start for 24/7), business_add is its minimal inverse, is_business_time
# equals the reference.  CALENDAR_CHECKS spans per calendar (default 150).
. "$(dirname "$0")/lib.sh"
fresh_db
checks=${CALENDAR_CHECKS:-150}
q -v checks="$checks" <<'EOF'
SET timezone = 'UTC';
SELECT setseed(0.61) AS seeded \gset

-- templates without range boundaries inside a DST gap of these zones
CREATE TABLE templates (tname text, hours text, ranges int[][]);	-- ranges: isodow, start minute, end minute
INSERT INTO templates VALUES
	('office', 'mon-fri 08:00-18:00', '{{1,480,1080},{2,480,1080},{3,480,1080},{4,480,1080},{5,480,1080}}'),
	('split', 'mon-fri 09:00-12:00,13:00-17:00; sat 10:00-14:00',
		'{{1,540,720},{1,780,1020},{2,540,720},{2,780,1020},{3,540,720},{3,780,1020},{4,540,720},{4,780,1020},{5,540,720},{5,780,1020},{6,600,840}}'),
	('evening', 'tue,thu 17:00-23:30; sun 12:00-20:00', '{{2,1020,1410},{4,1020,1410},{7,720,1200}}'),
	('always', 'mon-sun 00:00-24:00', '{{1,0,1440},{2,0,1440},{3,0,1440},{4,0,1440},{5,0,1440},{6,0,1440},{7,0,1440}}');
CREATE TABLE zones (tz text);
INSERT INTO zones VALUES ('Australia/Lord_Howe'), ('America/Santiago'), ('Pacific/Chatham'),
	('America/St_Johns'), ('Europe/London'), ('Asia/Kolkata'), ('Europe/Berlin'), ('America/New_York');

CREATE TABLE cals AS
SELECT row_number() OVER () AS cid, t.tname, z.tz, t.ranges, h.holidays,
	(t.hours || '; tz=' || z.tz || coalesce('; holidays=' || array_to_string(h.holidays, ','), ''))::business_calendar AS cal
FROM templates AS t CROSS JOIN zones AS z
CROSS JOIN LATERAL (SELECT array_agg(day ORDER BY day) AS holidays
					FROM (SELECT DISTINCT date '1990-01-01' + (random() * 18262)::int AS day
						  FROM generate_series(1, 400) WHERE t.tname <> 'always' AND z.tz IS NOT NULL) AS hd) AS h;

CREATE TABLE ranges AS
SELECT c.cid, c.ranges[i][1] AS dow, make_interval(mins => c.ranges[i][2]) AS lo, make_interval(mins => c.ranges[i][3]) AS hi
FROM cals AS c, generate_subscripts(c.ranges, 1) AS i;

CREATE TABLE spans AS
SELECT c.cid, s, s + CASE WHEN g % 3 = 0 THEN random() * interval '2 days'
						  WHEN g % 3 = 1 THEN random() * interval '20 days'
						  ELSE random() * interval '400 days' END AS f,
	random() * CASE WHEN g % 2 = 0 THEN interval '10 hours' ELSE interval '200 hours' END AS d
FROM cals AS c, generate_series(1, :checks) AS g,
	LATERAL (SELECT timestamptz '1990-01-01 00:00Z' + random() * interval '18262 days' + g * interval '0' AS s) AS x;

CREATE FUNCTION ref_duration(id bigint, s timestamptz, f timestamptz) RETURNS interval
LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(least(f, (d + r.hi) AT TIME ZONE c.tz) - greatest(s, (d + r.lo) AT TIME ZONE c.tz)), interval '0')
	FROM cals AS c JOIN ranges AS r USING (cid)
	CROSS JOIN LATERAL (SELECT g::date AS d FROM generate_series((s AT TIME ZONE c.tz)::date - 1,
		(f AT TIME ZONE c.tz)::date + 1, interval '1 day') AS g) AS days
	WHERE c.cid = id AND extract(isodow FROM d) = r.dow AND d <> ALL (coalesce(c.holidays, '{}'))
	  AND (d + r.hi) AT TIME ZONE c.tz > s AND (d + r.lo) AT TIME ZONE c.tz < f
$$;

CREATE TABLE results AS
SELECT c.cid, c.tname, c.tz, s.s, s.f, s.d,
	business_duration(s.s, s.f, c.cal) AS got,
	CASE WHEN c.tname = 'always' THEN s.f - s.s ELSE ref_duration(c.cid, s.s, s.f) END AS want,
	business_add(s.s, s.d, c.cal) AS due,
	is_business_time(s.s, c.cal) AS open_got,
	c.tname = 'always' OR ref_duration(c.cid, s.s, s.s + interval '1 microsecond') > interval '0' AS open_want,
	c.cal
FROM spans AS s JOIN cals AS c USING (cid);

EOF

n=$(q -c "SELECT count(*) FROM results")
calendars=$(q -c "SELECT count(*) FROM cals")
is "$n" $((calendars * checks)) "$checks spans on each of $calendars calendars (8 zones, 4 templates)"
# the count of spans where a property fails, then up to 5 of them
property() {
	local name=$1 where=$2 show=$3 bad
	bad=$(q -c "SELECT count(*) FROM results AS r WHERE $where")
	is "$bad" 0 "$name"
	[ "$bad" = 0 ] ||
		diag "$(PGTZ=UTC q -c "SELECT $show FROM results AS r WHERE $where LIMIT 5")"
}
property "business_duration equals the day-by-day reference (finish - start for 24/7)" \
	"r.got <> r.want" "format('%s .. %s in %s (%s): got %s, reference %s', s, f, tz, tname, got, want)"
property "is_business_time equals the reference" \
	"r.open_got <> r.open_want" "format('%s in %s (%s): got %s, reference %s', s, tz, tname, open_got, open_want)"
property "business_add is the inverse of business_duration" \
	"business_duration(r.s, r.due, r.cal) <> r.d" \
	"format('business_add(%s, %s) in %s (%s): due %s, back %s', s, d, tz, tname, due, business_duration(s, due, cal))"
property "business_add gives the earliest such instant" \
	"r.d > interval '0' AND (business_duration(r.s, r.due - interval '1 microsecond', r.cal) >= r.d
		OR NOT is_business_time(r.due - interval '1 microsecond', r.cal))" \
	"format('business_add(%s, %s) in %s (%s): due %s is not minimal', s, d, tz, tname, due)"
done_testing
