#!/usr/bin/env bash
# Property and fuzz checks for the trends family (run by `make test` with the
# PG* connection settings set):
#   1. backlog_series against a correlated count over local days and weeks, for
#      zones with unusual rules (half-hour offsets, negative DST, DST at
#      midnight, a skipped day) over several years of random tickets;
#      month and 15-minute buckets with their local labels; the same rows in any
#      session time zone; every named zone and POSIX zone strings in business
#      calendars and ticket flows against PostgreSQL's local time;
#   2. binary input fuzzing of ticket_flow: every mutated value is either
#      rejected with a clean error or accepted as a valid, re-readable value.
. "$(dirname "$0")/lib.sh"
fresh_db

q <<'SQL'
SELECT setseed(0.4242);
CREATE TABLE tk AS
SELECT i, o, CASE WHEN random() < 0.1 THEN NULL ELSE o + random() * interval '20 days' END AS c
FROM generate_series(1, 3000) AS i,
	 LATERAL (SELECT timestamptz '2010-06-01 00:00+00' + random() * interval '3 years' + i * interval '0 s' AS o) AS x;
SQL

for zone in UTC Asia/Kolkata Asia/Kathmandu Australia/Lord_Howe Europe/Dublin America/Sao_Paulo \
	Pacific/Apia America/Havana Europe/Berlin America/St_Johns; do
	for bucket in '1 day' '1 week'; do
		unit=${bucket#1 }
		bad=$(q -c "
			WITH b AS (
				SELECT * FROM backlog_series((SELECT ticket_flow_agg(o, c, '$bucket', '$zone') FROM tk),
											 '2010-07-01', '2013-05-01')
			), ref AS (
				-- a bucket starts at the first instant of its local day or week
				-- (UTC offsets and their changes are multiples of 15 minutes)
				SELECT s AS bucket_start, lead(s) OVER (ORDER BY s) AS bucket_end
				FROM (SELECT min(g) AS s
					  FROM generate_series(timestamptz '2010-06-20', '2013-05-20', interval '15 minutes') AS g
					  GROUP BY date_trunc('$unit', g AT TIME ZONE '$zone')) AS d
			)
			SELECT count(*) FILTER (WHERE r.bucket_start IS NULL
				OR b.opened <> (SELECT count(*) FROM tk WHERE o >= r.bucket_start AND o < r.bucket_end)
				OR b.closed <> (SELECT count(*) FROM tk WHERE c >= r.bucket_start AND c < r.bucket_end)
				OR b.backlog <> (SELECT count(*) FROM tk WHERE o < r.bucket_end AND (c IS NULL OR c >= r.bucket_end)))
				|| '/' || count(*)
			FROM b LEFT JOIN ref AS r USING (bucket_start)")
		is "${bad%%/*}" 0 "backlog_series in $zone by $unit equals the counts of each local $unit (${bad#*/} buckets)"
	done
done

# month and 15-minute buckets and the local label of every bucket, over local dates
for zone in Europe/Berlin America/Sao_Paulo Asia/Kathmandu Australia/Lord_Howe Pacific/Chatham America/Havana; do
	bad=$(q -c "
		WITH b AS (
			SELECT * FROM backlog_series((SELECT ticket_flow_agg(o, c, '1 month', '$zone') FROM tk), '2010-07-01', '2013-05-01')
		), ref AS (
			SELECT l, s AS bucket_start, lead(s) OVER (ORDER BY s) AS bucket_end
			FROM (SELECT date_trunc('month', g AT TIME ZONE '$zone') AS l, min(g) AS s
				  FROM generate_series(timestamptz '2010-06-20', '2013-06-20', interval '15 minutes') AS g
				  GROUP BY 1) AS d
		)
		SELECT count(*) FILTER (WHERE r.l IS NULL OR b.bucket_start <> r.bucket_start
			OR b.opened <> (SELECT count(*) FROM tk WHERE o >= r.bucket_start AND o < r.bucket_end)
			OR b.closed <> (SELECT count(*) FROM tk WHERE c >= r.bucket_start AND c < r.bucket_end)
			OR b.backlog <> (SELECT count(*) FROM tk WHERE o < r.bucket_end AND (c IS NULL OR c >= r.bucket_end)))
			|| '/' || count(*) || '/' || min(b.bucket)::date || '/' || max(b.bucket)::date
		FROM b LEFT JOIN ref AS r ON r.l = b.bucket")
	IFS=/ read -r wrong rows first last <<<"$bad"
	is "$wrong $rows $first $last" "0 35 2010-07-01 2013-05-01" "backlog_series in $zone by month: the 35 local months of the dates, each equal to its counts"
	bad=$(q -c "
		WITH b AS (
			SELECT * FROM backlog_series((SELECT ticket_flow_agg(o, c, '15 minutes', '$zone') FROM tk), '2012-03-24', '2012-04-08')
		)
		SELECT count(*) FILTER (WHERE b.bucket <> b.bucket_start AT TIME ZONE '$zone'
			OR b.opened <> (SELECT count(*) FROM tk WHERE o >= b.bucket_start AND o < b.bucket_start + interval '15 minutes')
			OR b.backlog <> (SELECT count(*) FROM tk WHERE o < b.bucket_start + interval '15 minutes'
							 AND (c IS NULL OR c >= b.bucket_start + interval '15 minutes')))
			|| '/' || count(*) || '/' || (count(*) = (SELECT count(*) FROM generate_series(timestamp '2012-03-24' AT TIME ZONE '$zone',
				timestamp '2012-04-09' AT TIME ZONE '$zone' - interval '1 microsecond', interval '15 minutes')))
		FROM b")
	IFS=/ read -r wrong rows all <<<"$bad"
	is "$wrong $all" "0 true" "backlog_series in $zone by 15 minutes across its DST changes of 2012: every quarter hour of the days ($rows), labelled with its local time"
done

# the same call gives the same rows in any session time zone
for tz in UTC Europe/Berlin America/Sao_Paulo Pacific/Kiritimati America/St_Johns; do
	PGTZ=$tz q -c "SELECT bucket, extract(epoch FROM bucket_start), opened, closed, backlog
		FROM backlog_series((SELECT ticket_flow_agg(o, c, '1 day', 'America/Sao_Paulo') FROM tk), '2011-01-01', '2011-12-31')" >"$work/session_${tz//\//_}"
done
for tz in Europe/Berlin America/Sao_Paulo Pacific/Kiritimati America/St_Johns; do
	ok "backlog_series(flow, '2011-01-01', '2011-12-31') gives the rows of a UTC session in a $tz session" cmp "$work/session_UTC" "$work/session_${tz//\//_}"
done
is "$(wc -l <"$work/session_UTC")" 365 "... which are the 365 local days of 2011"

# every named zone, and POSIX zone strings, in business calendars and ticket flows
# against PostgreSQL's own local times (the session's zone is set to each, so that
# names such as CET are read as zones, as kpi_ext reads them, not as abbreviations)
q <<'SQL'
CREATE TABLE zone_samples AS
SELECT t FROM (
	SELECT timestamptz '1850-01-01 00:00+00' + g * interval '31 days 7 hours 13 minutes' AS t FROM generate_series(0, 2400) AS g
	UNION ALL SELECT timestamptz '2437-01-01 00:00+00' + g * interval '3 days 5 hours 17 minutes' FROM generate_series(0, 200) AS g
	UNION ALL SELECT timestamptz '4713-12-01 00:00+00 BC' + g * interval '11 hours' FROM generate_series(0, 40) AS g
	UNION ALL SELECT timestamptz '294276-12-01 00:00+00' + g * interval '11 hours' FROM generate_series(0, 40) AS g) AS s;
CREATE FUNCTION zone_check(z text) RETURNS TABLE (samples bigint, calendar_wrong bigint, flow_wrong bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('timezone', z, true);
	RETURN QUERY
	SELECT count(*),
		   count(*) FILTER (WHERE is_business_time(t, cal) <>
							(extract(isodow FROM t::timestamp) BETWEEN 1 AND 5 AND t::time >= '09:00' AND t::time < '17:30')),
		   count(*) FILTER (WHERE f::text <> format('v2:1w;%s;%s;1/0', z, floor((t::date - date '2000-01-03') / 7.0)))
	FROM (SELECT t, ('mon-fri 09:00-17:30; tz=' || z)::business_calendar AS cal,
				 (SELECT ticket_flow_agg(x, NULL, '1 week', z) FROM (SELECT t) AS one(x)) AS f
		  FROM zone_samples) AS s;
END $$;
SQL
bad=$(q -c "SELECT count(*) || '/' || sum(samples) || '/' || sum(calendar_wrong) || '/' || sum(flow_wrong)
	|| '/' || coalesce(string_agg(name, ' ') FILTER (WHERE calendar_wrong + flow_wrong > 0), '')
	FROM pg_timezone_names, LATERAL zone_check(name)")
IFS=/ read -r zones samples cal flow which <<<"$bad"
is "$cal $flow $which" "0 0 " "business calendars and weekly flows in all $zones named zones agree with PostgreSQL's local time ($samples samples)"
bad=$(q -c "SELECT coalesce(string_agg(z || ': ' || calendar_wrong || ' ' || flow_wrong, ', ') FILTER (WHERE calendar_wrong + flow_wrong > 0), '')
	|| '/' || sum(samples)
	FROM unnest(ARRAY['UTC+3', '<+03>-3', 'EST5EDT,M3.2.0,M11.1.0', 'XXX3YYY,0/0,J365/25', '<+167>-167', 'AAA167', '<+167:59>-167:59', '<-167:59>167:59',
					  '<-0530>5:30<-0430>,M3.5.0,M10.5.0/3', 'AAA-10:30BBB,M10.1.0,M4.1.0/3', '<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45',
					  'WGT3WGST,M3.5.0/-2,M10.5.0/-1', '<>3']) AS z, LATERAL zone_check(z)")
is "${bad%%/*}" "" "business calendars and weekly flows in POSIX zones (rules, negative transition times, daylight time all year, offsets up to 167 h) agree with PostgreSQL (${bad#*/} samples)"
for z in 'AAA167:59:59' 'AAA168' 'EST5EDT,M13.1.0' 'UTC+' 'XXX3YYY,0/0,J366/25' 'A' ''; do
	err=$(q -v VERBOSITY=verbose -c "SELECT ticket_flow_agg(now(), NULL, '1 day', '$z')" 2>&1 || true)
	err2=$(q -v VERBOSITY=verbose -c "SELECT 'tz=$z'::business_calendar" 2>&1 || true)
	if grep -q '^ERROR:  22023: time zone' <<<"$err" && grep -qE '^ERROR:  (22023: time zone|22P02)' <<<"$err2"; then
		pass "the zone '$z' is refused when a flow or a calendar is made"
	else
		fail "the zone '$z' is refused when a flow or a calendar is made" "    flow: $err" "    calendar: $err2"
	fi
done

# far beyond the tabulated DST changes (2037): the rules, 400 years on
q <<'SQL'
SELECT setseed(0.1717);
CREATE TABLE far AS
SELECT o, CASE WHEN random() < 0.1 THEN NULL ELSE o + random() * interval '5 days' END AS c
FROM (SELECT timestamptz '2437-01-01 00:00+00' + random() * interval '1 year' AS o
	  FROM generate_series(1, 1500)) AS x;
SQL
for zone in America/New_York Europe/Berlin; do
	bad=$(q -c "
		WITH b AS (
			SELECT * FROM backlog_series((SELECT ticket_flow_agg(o, c, '1 day', '$zone') FROM far),
										 '2437-01-03', '2437-12-28')
		), ref AS (
			SELECT s AS bucket_start, lead(s) OVER (ORDER BY s) AS bucket_end
			FROM (SELECT min(g) AS s
				  FROM generate_series(timestamptz '2436-12-30', '2438-01-02', interval '15 minutes') AS g
				  GROUP BY date_trunc('day', g AT TIME ZONE '$zone')) AS d
		)
		SELECT count(*) FILTER (WHERE r.bucket_start IS NULL
			OR b.opened <> (SELECT count(*) FROM far WHERE o >= r.bucket_start AND o < r.bucket_end)
			OR b.backlog <> (SELECT count(*) FROM far WHERE o < r.bucket_end AND (c IS NULL OR c >= r.bucket_end)))
			|| '/' || count(*)
		FROM b LEFT JOIN ref AS r USING (bucket_start)")
	is "${bad%%/*}" 0 "backlog_series in $zone by day in 2437 follows the zone's rules (${bad#*/} buckets)"
done

# hour buckets: always exactly N hours of elapsed time
bad=$(q -c "
	SELECT count(*) FILTER (WHERE b.opened <> (SELECT count(*) FROM tk WHERE o >= b.bucket_start AND o < b.bucket_start + interval '6 hours')
						  OR extract(epoch FROM b.bucket_start)::bigint % 21600 <> 0)
	FROM backlog_series((SELECT ticket_flow_agg(o, c, '6 hours', 'Asia/Kathmandu') FROM tk), '2011-01-01', '2011-03-01') AS b")
is "$bad" 0 "6-hour buckets in Asia/Kathmandu are 6 hours of elapsed time from the epoch"

# binary fuzzing: mutate valid send() output (byte flips, truncation,
# trailing bytes), feed each through binary COPY (the receive function), and
# require a clean error or a valid value that reads back the same
if ! command -v python3 >/dev/null; then
	skip "binary input fuzzing of ticket_flow" "no python3"
	done_testing
fi
q -c "CREATE TABLE fz (f ticket_flow)"
q -c "SELECT encode(kpi_ticket_flow_send(ticket_flow_agg(o, c, b, z)), 'hex')
	  FROM tk, (VALUES ('1 day'::interval, 'Europe/Berlin'), ('6 hours', 'UTC'), ('1 week', 'Asia/Kolkata'),
					   ('15 minutes', 'Asia/Kathmandu'), ('1 month', 'America/Sao_Paulo')) AS v(b, z)
	  WHERE i % 50 < 3 GROUP BY i % 50, b, z" >"$work/seeds"
python3 - "$work" "${FUZZ_ITERATIONS:-600}" <<'PY'
import os, random, struct, sys
work, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
seeds = [bytes.fromhex(l.strip()) for l in open(os.path.join(work, "seeds")) if l.strip()]
header = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
with open(os.path.join(work, "script.sql"), "w") as script:
    for k in range(n):
        b = bytearray(random.choice(seeds))
        for _ in range(random.randint(1, 3)):
            r = random.random()
            pos = random.randrange(len(b))
            if r < 0.6:
                b[pos] = random.randrange(256)
            elif r < 0.8:
                del b[pos:]
                if not b:
                    b = bytearray(b"\x01")
            elif r < 0.9:
                b += bytes([random.randrange(256)])
            else:
                # a plausible but wrong count or bucket number
                if len(b) >= 8:
                    p8 = random.randrange(len(b) - 7)
                    b[p8:p8 + 8] = struct.pack("!q", random.choice([-1, 0, 1, 2**62, -2**62, 2**31]))
        path = os.path.join(work, "f%d.bin" % k)
        with open(path, "wb") as f:
            f.write(header + struct.pack("!hi", 1, len(b)) + bytes(b) + struct.pack("!h", -1))
        script.write("\\copy fz FROM '%s' WITH (FORMAT binary)\n" % path)
PY
n=${FUZZ_ITERATIONS:-600}
psql -X -q -d "$db" -f "$work/script.sql" >"$work/out" 2>&1 || true
unlike "$(cat "$work/out")" 'server closed|terminated abnormally|connection to server' "no crash on $n mutated binary ticket_flow values"
errors=$(grep -c 'ERROR' "$work/out" || true)
unexpected=$(grep 'ERROR' "$work/out" |
	grep -v 'corrupt ticket_flow value\|invalid ticket_flow value\|invalid binary ticket_flow\|unsupported ticket_flow format\|time zone .* not recognized\|no data left in message\|insufficient data left in message\|invalid message format\|invalid string in message\|incorrect binary data format\|invalid byte sequence\|counter out of range\|would hold more than\|not supported\|row field count' | head -5 || true)
is "$unexpected" "" "every refused binary ticket_flow has an expected error"
ok "some binary ticket_flows are refused ($errors of $n): the fuzzer is fuzzing" [ "$errors" -gt 0 ]
IFS='|' read -r accepted same <<<"$(q -c "SELECT count(*), count(*) FILTER (WHERE f::text::ticket_flow::text = f::text) FROM fz")"
is "$same" "$accepted" "every accepted ticket_flow ($accepted) reads back the same through its text form"
is "$(q -c "SELECT 1")" 1 "the server is still answering"
done_testing
