#!/usr/bin/env bash
# Property and fuzz checks for the trends family (run by `make test` with the
# PG* connection settings set):
#   1. backlog_series against a correlated count over local days and weeks, for
#      zones with unusual rules (half-hour offsets, negative DST, DST at
#      midnight, a skipped day) over several years of random tickets;
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
	  FROM tk, (VALUES ('1 day'::interval, 'Europe/Berlin'), ('6 hours', 'UTC'), ('1 week', 'Asia/Kolkata')) AS v(b, z)
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
	grep -v 'corrupt ticket_flow value\|invalid ticket_flow value\|invalid binary ticket_flow\|unsupported ticket_flow format\|time zone .* not recognized\|insufficient data left in message\|invalid message format\|invalid string in message\|incorrect binary data format\|invalid byte sequence\|counter out of range\|would span more than\|row field count' | head -5 || true)
is "$unexpected" "" "every refused binary ticket_flow has an expected error"
ok "some binary ticket_flows are refused ($errors of $n): the fuzzer is fuzzing" [ "$errors" -gt 0 ]
IFS='|' read -r accepted same <<<"$(q -c "SELECT count(*), count(*) FILTER (WHERE f::text::ticket_flow::text = f::text) FROM fz")"
is "$same" "$accepted" "every accepted ticket_flow ($accepted) reads back the same through its text form"
is "$(q -c "SELECT 1")" 1 "the server is still answering"
done_testing
