#!/usr/bin/env bash
# ticket_flow as stored: the raw values of format 1 (what 0.5.0 and 0.6.0 wrote to disk)
# are read as they are, and every stored byte is validated.
#   1. hand-made format-1 datums (this machine's byte order, through a binary-coercible
#      cast from bytea) read as their canonical format-2 value, in every function, and
#      stay readable in a table;
#   2. one byte representation per value: the one-step flow, the rollup of partitions,
#      the text and binary round trips and a forced-parallel plan give the same datum
#      bytes, dense and sparse;
#   3. damaged raw datums of both formats (each field, each reserved byte) are refused
#      with data_corrupted (XX001), never read.
. "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null; then
	skip_all "no python3 to build the raw values"
fi
fresh_db
# raw datums: raw is bytea's text form on a type laid out as ticket_flow (a varlena
# aligned to double), and the casts between the two relabel the bytes (superuser; the
# test database only)
q <<'SQL'
CREATE TYPE raw;
CREATE FUNCTION raw_in(cstring) RETURNS raw AS 'byteain' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION raw_out(raw) RETURNS cstring AS 'byteaout' LANGUAGE internal IMMUTABLE STRICT;
CREATE TYPE raw (INPUT = raw_in, OUTPUT = raw_out, INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
CREATE CAST (raw AS ticket_flow) WITHOUT FUNCTION;
CREATE CAST (ticket_flow AS raw) WITHOUT FUNCTION;
SQL

# --- 1. format 1, as 0.6.0 stored it ----------------------------------------------
# header: version, kind, hours, tzlen, int32 nbuckets, 4 zero bytes, int64 first, the
# zone name (NUL, zero padding to 8), then int64 opened, closed per bucket
python3 - "$work" <<'PY'
import struct, sys
work = sys.argv[1]
def v1(kind, hours, zone, first, counts, pad=b"\0\0\0\0"):
    name = zone.encode() + b"\0"
    name += b"\0" * (-len(name) % 8)
    out = struct.pack("=BBBBi", 1, kind, hours, len(zone), len(counts)) + pad + struct.pack("=q", first) + name
    out += b"".join(struct.pack("=qq", o, c) for o, c in counts)
    return out.hex()
def v2(kind, length, zone, form, n, nsorted, first, payload, spare=b"\0\0\0", spare2=0):
    name = zone.encode() + b"\0"
    name += b"\0" * (-len(name) % 8)
    out = struct.pack("=BBBBB", 2, kind, length, len(zone), form) + spare + struct.pack("=iiiq", n, nsorted, spare2, first) + name
    out += b"".join(struct.pack("=" + "q" * len(row), *row) for row in payload)
    return out.hex()
class Rows:
    """rows of a table (name, raw bytes, text), written as SQL"""
    def __init__(self, path, table):
        self.f = open(path, "w")
        self.f.write("CREATE TABLE %s (name text, raw raw, want text);\n" % table)
        self.table = table
    def write(self, line):
        name, hexed, want = line.rstrip("\n").split("|")
        self.f.write("INSERT INTO %s VALUES ('%s', '\\x%s', '%s');\n" % (self.table, name, hexed, want))
f = Rows(work + "/v1.sql", "v1_raw")
if True:
    # name, hex, expected text
    f.write("days|%s|v2:1d;UTC;9556;1/0,~1,2/1\n" % v1(2, 0, "UTC", 9556, [(1, 0), (0, 0), (2, 1)]))
    f.write("slack|%s|v2:1d;Europe/Berlin;9556;1/0,~1,2/1\n" % v1(2, 0, "Europe/Berlin", 9553, [(0, 0)] * 3 + [(1, 0), (0, 0), (2, 1)] + [(0, 0)] * 4))
    f.write("hours|%s|v2:6h;UTC;-5;1/0,~2,0/1\n" % v1(1, 6, "UTC", -5, [(1, 0), (0, 0), (0, 0), (0, 1)]))
    f.write("weeks|%s|v2:1w;America/New_York;1356;2/1,~8,1/0\n" % v1(3, 0, "America/New_York", 1356, [(2, 1)] + [(0, 0)] * 8 + [(1, 0)]))
    f.write("empty|%s|v2:1d;UTC;0;\n" % v1(2, 0, "UTC", 9000, [(0, 0)] * 3))
    f.write("sparse|%s|v2:1h;UTC;0;1/0,~999998,0/1\n" % v1(1, 1, "UTC", 0, [(1, 0)] + [(0, 0)] * 999998 + [(0, 1)]))
    f.write("nonzero_padding|%s|v2:1d;UTC;9556;1/0\n" % v1(2, 0, "UTC", 9556, [(1, 0)], pad=b"\1\2\3\4"))
f = Rows(work + "/bad.sql", "bad_raw")
if True:
    # damaged datums: name|hex|what the detail says
    good = [(1, 0), (0, 1)]
    f.write("v1 closed before opened|%s|More tickets are closed\n" % v1(2, 0, "UTC", 0, [(0, 1), (1, 0)]))
    f.write("v1 negative count|%s|A count is negative\n" % v1(2, 0, "UTC", 0, [(1, 0), (-1, 0)]))
    f.write("v1 minute kind|%s|bucket kind is unknown\n" % v1(4, 15, "UTC", 0, good))
    f.write("v1 5-hour buckets|%s|bucket kind is unknown\n" % v1(1, 5, "UTC", 0, good))
    f.write("v1 days with hours|%s|bucket kind is unknown\n" % v1(2, 1, "UTC", 0, good))
    f.write("v1 1000001 buckets|%s|unexpected size\n" % v1(2, 0, "UTC", 0, [(1, 0)] * 1000001))
    f.write("v1 truncated|%s|unexpected size\n" % v1(2, 0, "UTC", 0, good)[:-16])
    f.write("v1 past the range|%s|outside the timestamp range\n" % v1(2, 0, "UTC", 200000000, good))
    f.write("v1 unknown zone|%s|not known\n" % v1(2, 0, "Mars/Olympus", 0, good))
    f.write("v1 bad zone name|%s|name is malformed\n" % v1(2, 0, "UT C", 0, good))
    f.write("v1 too short|%s|too short\n" % "0102")
    dense = [(1, 0), (0, 1)]
    f.write("v2 unknown encoding|%s|unknown encoding\n" % v2(2, 0, "UTC", 3, 2, 0, 0, dense))
    f.write("v2 spare byte|%s|unknown encoding\n" % v2(2, 0, "UTC", 0, 2, 0, 0, dense, spare=b"\0\1\0"))
    f.write("v2 spare word|%s|unknown encoding\n" % v2(2, 0, "UTC", 0, 2, 0, 0, dense, spare2=7))
    f.write("v2 unknown kind|%s|bucket kind is unknown\n" % v2(9, 0, "UTC", 0, 2, 0, 0, dense))
    f.write("v2 dense size|%s|unexpected size\n" % v2(2, 0, "UTC", 0, 3, 0, 0, dense))
    f.write("v2 dense nsorted|%s|unexpected size\n" % v2(2, 0, "UTC", 0, 2, 1, 0, dense))
    f.write("v2 empty with a first bucket|%s|outside the timestamp range\n" % v2(2, 0, "UTC", 0, 0, 0, 5, []))
    f.write("v2 dense past the range|%s|outside the timestamp range\n" % v2(2, 0, "UTC", 0, 2, 0, 110000000, dense))
    f.write("v2 dense closed first|%s|More tickets are closed\n" % v2(2, 0, "UTC", 0, 2, 0, 0, [(0, 1), (1, 0)]))
    sparse = [(0, 1, 0), (1000, 0, 1)]
    f.write("v2 sparse unsorted|%s|not in increasing order\n" % v2(1, 1, "UTC", 1, 2, 2, 0, [(1000, 1, 0), (0, 0, 1)]))
    f.write("v2 sparse repeated|%s|not in increasing order\n" % v2(1, 1, "UTC", 1, 2, 2, 0, [(5, 1, 0), (5, 0, 1)]))
    f.write("v2 sparse empty entry|%s|without tickets\n" % v2(1, 1, "UTC", 1, 3, 3, 0, sparse + [(2000, 0, 0)]))
    f.write("v2 sparse nsorted|%s|unexpected size\n" % v2(1, 1, "UTC", 1, 2, 1, 0, sparse))
    f.write("v2 sparse first|%s|unexpected size\n" % v2(1, 1, "UTC", 1, 2, 2, 7, sparse))
    f.write("v2 sparse past the range|%s|outside the timestamp range\n" % v2(1, 1, "UTC", 1, 2, 2, 0, [(0, 1, 0), (2**62, 0, 1)]))
    f.write("v2 sparse closed first|%s|More tickets are closed\n" % v2(1, 1, "UTC", 1, 2, 2, 0, [(0, 0, 1), (1000, 1, 0)]))
    f.write("v2 log tail not zero|%s|bytes after its entries\n" % v2(1, 1, "UTC", 2, 2, 2, 0, sparse + [(0, 0, 1)]))
    f.write("v2 log unsorted prefix|%s|not in increasing order\n" % v2(1, 1, "UTC", 2, 2, 2, 0, [(1000, 1, 0), (0, 0, 1)]))
    f.write("v2 log more sorted than used|%s|unexpected size\n" % v2(1, 1, "UTC", 2, 2, 3, 0, sparse + [(0, 0, 0)]))
    f.write("v2 log closing before opening|%s|More tickets are closed\n" % v2(1, 1, "UTC", 2, 2, 0, 0, [(1000, 1, 0), (0, 0, 1)]))
    f.write("v2 log counts overflowing|%s|add up to more than\n" % v2(1, 1, "UTC", 2, 2, 0, 0, [(5, 2**63 - 1, 0), (5, 1, 0)]))
PY

q -q -f "$work/v1.sql" -f "$work/bad.sql"
q -c "CREATE TABLE old_flows AS SELECT name, raw::ticket_flow AS f, want FROM v1_raw"
q -c "SELECT name || '|' || want FROM v1_raw ORDER BY name" | while IFS='|' read -r name want; do
	is "$(q -c "SELECT raw::ticket_flow::text FROM v1_raw WHERE name = '$name'")" "$want" "a format-1 datum ($name) reads as $want"
done
# from a table, as 0.6.0 left them on disk
is "$(q -c "SELECT count(*) FROM old_flows WHERE left(f::raw::text, 4) = '\\x01'")" 7 "the table holds the format-1 bytes as they are"
is "$(q -c "SELECT count(*) FROM old_flows WHERE f::text = want")" 7 "every format-1 value in a table reads as its canonical text"
is "$(q -c "SELECT string_agg(format('%s/%s/%s', opened, closed, backlog), ' ' ORDER BY bucket)
	FROM old_flows, backlog_series(f, '2026-03-01', '2026-03-05') WHERE name = 'days'")" \
	"1/0/1 0/0/1 2/1/2 0/0/2 0/0/2" "backlog_series reads a format-1 value"
is "$(q -c "SELECT rollup(f)::text FROM (SELECT f FROM old_flows WHERE name IN ('days')
	UNION ALL SELECT 'v2:1d;UTC;9557;1/1'::ticket_flow) AS x")" "v2:1d;UTC;9556;1/0,1/1,2/1" "rollup merges format-1 and format-2 values"
is "$(q -c "SELECT kpi_flow_final(f)::text FROM old_flows WHERE name = 'slack'")" "v2:1d;Europe/Berlin;9556;1/0,~1,2/1" \
	"the final function called on a format-1 value returns its canonical form"
is "$(q -c "SELECT left(kpi_flow_combine(f, NULL)::raw::text, 4) = '\\x01' FROM old_flows WHERE name = 'days'")" t \
	"combine with NULL passes a format-1 value through unchanged"
is "$(q -c "SELECT encode(kpi_ticket_flow_send(f), 'hex') = encode(kpi_ticket_flow_send(f::text::ticket_flow), 'hex') FROM old_flows WHERE name = 'sparse'")" t \
	"binary output of a format-1 value is that of its canonical form"
is "$(q -c "SELECT pg_column_size(f::text::ticket_flow) FROM old_flows WHERE name = 'sparse'")" 88 \
	"a format-1 value of a million buckets reads as two sparse entries (88 bytes)"

# --- 2. one byte representation per value -------------------------------------------
q <<'SQL'
SELECT setseed(0.77);
CREATE TABLE tk AS
SELECT i, (i * 7) % 13 AS part, o,
	   CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.2 THEN o + random() * interval '1 year'
			ELSE o + random() * interval '10 days' END AS c
FROM generate_series(1, 20000) AS i,
	 LATERAL (SELECT timestamptz '2018-01-01' + random() * interval '4 years' + i * interval '0 s' AS o) AS x;
ANALYZE tk;
CREATE TABLE flows AS
SELECT b, z, ticket_flow_agg(o, c, b, z) AS f
FROM tk, (VALUES (interval '1 day', 'Europe/Berlin'), (interval '15 minutes', 'Asia/Kathmandu'),
				 (interval '1 month', 'America/Sao_Paulo'), (interval '1 hour', 'UTC')) AS v(b, z)
GROUP BY b, z;
SQL
is "$(q -c "SELECT string_agg(b || ' ' || CASE WHEN substr(f::raw::text, 11, 2) = '00' THEN 'dense' ELSE 'sparse' END, ', ' ORDER BY b)
	FROM flows")" "00:15:00 sparse, 01:00:00 sparse, 1 day dense, 1 mon dense" "the flows tested are dense and sparse"
is "$(q -c "SELECT count(*) FROM flows AS x
	WHERE f::raw::text = (SELECT rollup(p ORDER BY random())::raw::text
					  FROM (SELECT ticket_flow_agg(o, c, x.b, x.z) AS p FROM tk GROUP BY part) AS y)")" 4 \
	"the rollup of 13 partitions in random order has the one-step bytes"
is "$(q -c "SELECT count(*) FROM flows WHERE f::raw::text = f::text::ticket_flow::raw::text")" 4 "a text round trip gives the same bytes"
q -c "\\copy flows TO '$work/flows.bin' WITH (FORMAT binary)" -c "CREATE TABLE flows_in (LIKE flows)" \
	-c "\\copy flows_in FROM '$work/flows.bin' WITH (FORMAT binary)"
is "$(q -c "SELECT count(*) FROM flows JOIN flows_in AS i USING (b, z) WHERE i.f::raw::text = flows.f::raw::text")" 4 \
	"a binary round trip through COPY gives the same bytes"
parallel="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
	SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
like "$(q -c "$parallel EXPLAIN (COSTS OFF) SELECT ticket_flow_agg(o, c, '15 minutes', 'Asia/Kathmandu') FROM tk")" \
	"Partial Aggregate" "the forced-parallel plan has a Partial Aggregate"
is "$(q -c "$parallel SELECT count(*) FROM flows AS x
	WHERE f::raw::text = (SELECT ticket_flow_agg(o, c, x.b, x.z)::raw::text FROM tk)")" 4 \
	"a forced-parallel plan gives the same bytes (its worker states are logs and dense states)"
is "$(q -c "SELECT count(*) FROM flows WHERE f::raw::text = kpi_flow_final(f)::raw::text AND f::raw::text = kpi_flow_combine(NULL, f)::raw::text
	AND f::raw::text = kpi_flow_combine(f, 'v2:1w;UTC;0;')::raw::text")" 4 \
	"the support functions called directly return the same bytes"

# --- 3. damaged raw datums ------------------------------------------------------
q -c "SELECT name || '|' || want FROM bad_raw ORDER BY name" | while IFS='|' read -r name detail; do
	err=$(q -v VERBOSITY=verbose -c "SELECT raw::ticket_flow::text FROM bad_raw WHERE name = '$name'" 2>&1 || true)
	if grep -q "^ERROR:  XX001: corrupt ticket_flow value" <<<"$err" && grep -q "^DETAIL:  .*$detail" <<<"$err"; then
		pass "a damaged datum ($name) is refused as corrupt: $detail"
	else
		fail "a damaged datum ($name) is refused as corrupt: $detail" "    got: $err"
	fi
done
is "$(q -c 'SELECT 1')" 1 "the server is still answering"
done_testing
