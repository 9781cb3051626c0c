#!/usr/bin/python3
"""kpi_ext as a Python application sees it, through psycopg2 (Debian: python3-psycopg2).

Connects with the PG* environment variables (libpq reads them) to a database in which it
may create the extension and tables.  Checks: KPIs computed with query parameters (arrays,
ANY(), intervals, GROUP BY); summary values read as text, written back as parameters and
read again equal; summaries moved with binary COPY; NULL results as None; errors as
psycopg2 exceptions with the SQLSTATE, message, detail and hint of the server's report.
Exits non-zero (an AssertionError or any exception) on the first failure.
"""
import io
import sys
from datetime import timedelta
from decimal import Decimal

import psycopg2
import psycopg2.errors

checks = 0


def ok(cond, msg):
    global checks
    assert cond, msg
    checks += 1


def one(cur, sql, params=None):
    cur.execute(sql, params)
    row = cur.fetchone()
    return row[0] if len(row) == 1 else row


# --- plain-Python formulas, independent of the extension ------------------------
def nps_of(scores):
    s = [x for x in scores if x is not None]
    if not s:
        return None
    promoters = sum(1 for x in s if x >= 9)
    detractors = sum(1 for x in s if x <= 6)
    return Decimal(100 * (promoters - detractors)) / Decimal(len(s))


def rate_of(flags):
    f = [x for x in flags if x is not None]
    if not f:
        return None
    return Decimal(100 * sum(1 for x in f if x)) / Decimal(len(f))


def close(a, b, places=12):
    """numeric results carry their own scale: compare rounded"""
    if a is None or b is None:
        return a is None and b is None
    return round(Decimal(a), places) == round(Decimal(b), places)


conn = psycopg2.connect("")          # PGHOST, PGPORT, PGUSER, PGDATABASE
cur = conn.cursor()
cur.execute("SET client_min_messages = warning")
cur.execute("CREATE EXTENSION IF NOT EXISTS kpi_ext")
cur.execute("DROP SCHEMA IF EXISTS client_py CASCADE")
cur.execute("CREATE SCHEMA client_py")
cur.execute("SET search_path = client_py, public")
conn.commit()

# --- 1. KPIs with parameters ------------------------------------------------------
scores = [10, 9, 9, 8, 7, 3, 0, 10, None, 6]
got = one(cur, "SELECT nps(s) FROM unnest(%s::int[]) AS s", (scores,))
ok(isinstance(got, Decimal), "nps() should arrive as Decimal, got %r" % type(got))
ok(close(got, nps_of(scores)), "nps(%r) = %r, expected %r" % (scores, got, nps_of(scores)))

csat_scores = [5, 4, 3, 1, 5, None]
got = one(cur, "SELECT csat(s) FROM unnest(%s::int[]) AS s", (csat_scores,))
ok(close(got, Decimal(300) / 5), "csat(%r) = %r, expected 60" % (csat_scores, got))

flags = [True, False, None, True]
got = one(cur, "SELECT fcr_rate(b) FROM unnest(%s::boolean[]) AS b", (flags,))
ok(close(got, rate_of(flags)), "fcr_rate(%r) = %r, expected %r" % (flags, got, rate_of(flags)))

# a table filled with executemany, then GROUP BY with parameters in WHERE and in the
# aggregate's own arguments (a timedelta becomes an interval)
cur.execute("""CREATE TABLE tickets (id int PRIMARY KEY, team text, score int, fcr boolean,
                                     handle interval, busy interval, available interval)""")
rows = []
for i in range(1, 301):
    team = ("billing", "shipping", "returns")[i % 3]
    score = None if i % 17 == 0 else (i * 7) % 11
    fcr = None if i % 13 == 0 else (i % 4 != 0)
    handle = timedelta(seconds=60 + (i * 37) % 600)
    rows.append((i, team, score, fcr, handle, timedelta(minutes=i % 50), timedelta(minutes=60)))
cur.executemany("INSERT INTO tickets VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)

target = timedelta(minutes=5)
wanted_teams = ["billing", "returns"]
cur.execute("""SELECT team, nps(score), fcr_rate(fcr), sla_adherence(handle, %s),
                      utilization(busy, available), responses(score_agg(score)), count(*)
               FROM tickets WHERE team = ANY(%s) GROUP BY team ORDER BY team""",
            (target, wanted_teams))
result = cur.fetchall()
ok([r[0] for r in result] == wanted_teams, "GROUP BY teams: %r" % [r[0] for r in result])
for team, nps, fcr, sla, util, responses, n in result:
    mine = [r for r in rows if r[1] == team]
    ok(close(nps, nps_of([r[2] for r in mine])), "%s: nps %r" % (team, nps))
    ok(close(fcr, rate_of([r[3] for r in mine])), "%s: fcr_rate %r" % (team, fcr))
    ok(close(sla, rate_of([r[4] <= target for r in mine])), "%s: sla_adherence %r" % (team, sla))
    busy = sum((r[5] for r in mine), timedelta())
    avail = sum((r[6] for r in mine), timedelta())
    ok(close(util, Decimal(100) * Decimal(busy.total_seconds()) / Decimal(avail.total_seconds()), 9),
       "%s: utilization %r" % (team, util))
    ok(isinstance(responses, int) and responses == sum(1 for r in mine if r[2] is not None),
       "%s: responses %r" % (team, responses))
    ok(n == len(mine), "%s: count %r" % (team, n))

got = one(cur, "SELECT aht(handle, NULL, NULL) FROM tickets WHERE team = %s", ("shipping",))
mine = [r[4] for r in rows if r[1] == "shipping"]
ok(isinstance(got, timedelta), "aht() should arrive as timedelta, got %r" % type(got))
ok(abs(got - sum(mine, timedelta()) / len(mine)) < timedelta(microseconds=2), "aht %r" % got)

# --- 2. summaries read as text, written back as parameters ------------------------
cur.execute("""SELECT team, score_agg(score), rate_agg(fcr), ratio_agg(busy, available)
               FROM tickets GROUP BY team ORDER BY team""")
summaries = cur.fetchall()
ok(len(summaries) == 3, "three teams")
for team, s, r, q in summaries:
    ok(all(isinstance(v, str) for v in (s, r, q)), "summaries should arrive as str: %r" % ((s, r, q),))
    mine = [x for x in rows if x[1] == team]
    counts = [sum(1 for x in mine if x[2] == k) for k in range(11)]
    ok(s == "v1:" + ",".join(map(str, counts)), "%s: score_summary text %r, counts %r" % (team, s, counts))
    f = [x[3] for x in mine if x[3] is not None]
    ok(r == "v1:%d/%d" % (sum(f), len(f)), "%s: rate_summary text %r" % (team, r))
    ok(q.startswith("v2:n=%d," % len(mine)), "%s: ratio_summary text %r" % (team, q))

cur.execute("""CREATE TABLE stored (team text PRIMARY KEY, s score_summary, r rate_summary,
                                    q ratio_summary)""")
cur.executemany("INSERT INTO stored VALUES (%s, %s, %s, %s)", summaries)
cur.execute("SELECT team, s, r, q FROM stored ORDER BY team")
ok(cur.fetchall() == summaries, "summaries written back as parameters read back different")
# as typed parameters of the accessors and of rollup()
for team, s, r, q in summaries:
    got = one(cur, "SELECT nps(%s::score_summary), rate(%s::rate_summary), ratio(%s::ratio_summary)",
              (s, r, q))
    want = one(cur, "SELECT nps(score), rate(fcr), sum(extract(epoch FROM busy)) / sum(extract(epoch FROM available))"
                    " FROM tickets WHERE team = %s", (team,))
    ok(close(got[0], want[0]) and close(got[1], want[1]), "%s: accessors of parameters %r vs %r" % (team, got, want))
    ok(abs(got[2] - float(want[2])) < 1e-12, "%s: ratio of a parameter %r vs %r" % (team, got[2], want[2]))
got = one(cur, "SELECT nps(rollup(s)), rate(rollup(r)) FROM unnest(%s::score_summary[], %s::rate_summary[]) AS u(s, r)",
          ([x[1] for x in summaries], [x[2] for x in summaries]))
want = one(cur, "SELECT nps(score), fcr_rate(fcr) FROM tickets")
ok(close(got[0], want[0]) and close(got[1], want[1]), "rollup of parameter arrays %r vs one step %r" % (got, want))
conn.commit()

# --- 3. binary COPY out of one table, into another ---------------------------------
buf = io.BytesIO()
cur.copy_expert("COPY stored TO STDOUT WITH (FORMAT binary)", buf)
payload = buf.getvalue()
ok(payload.startswith(b"PGCOPY\n\xff\r\n\0"), "binary COPY signature missing")
cur.execute("CREATE TABLE copied (LIKE stored)")
buf.seek(0)
cur.copy_expert("COPY copied FROM STDIN WITH (FORMAT binary)", buf)
ok(cur.rowcount == 3, "binary COPY in loaded %r rows" % cur.rowcount)
cur.execute("SELECT team, s::text, r::text, q::text FROM copied ORDER BY team")
ok(cur.fetchall() == summaries, "binary COPY changed the summaries")
got = one(cur, "SELECT count(*) FROM stored JOIN copied USING (team) "
               "WHERE stored.s::text = copied.s::text AND stored.r::text = copied.r::text "
               "AND stored.q::text = copied.q::text")
ok(got == 3, "binary COPY: %r of 3 rows equal" % got)
conn.commit()

# --- 4. NULL and empty as a client sees them ----------------------------------------
ok(one(cur, "SELECT nps(s) FROM unnest(%s::int[]) AS s", ([None, None],)) is None, "nps of NULLs -> None")
ok(one(cur, "SELECT nps(s) FROM unnest(%s::int[]) AS s", ([],)) is None, "nps of nothing -> None")
ok(one(cur, "SELECT score_agg(s) FROM unnest(%s::int[]) AS s", ([],)) is None, "score_agg of nothing -> None")
ok(one(cur, "SELECT fcr_rate(b) FROM unnest(%s::boolean[]) AS b", ([None],)) is None, "fcr_rate of NULL -> None")
ok(one(cur, "SELECT nps(%s::score_summary)", (None,)) is None, "nps(NULL summary) -> None")
ok(one(cur, "SELECT rate(%s::rate_summary)", ("v1:0/0",)) is None, "rate of an empty summary -> None")
ok(one(cur, "SELECT trials(%s::rate_summary)", ("v1:0/0",)) == 0, "trials of an empty summary -> 0")
cur.execute("INSERT INTO stored VALUES (%s, %s, %s, %s)", ("nobody", None, None, None))
ok(one(cur, "SELECT s FROM stored WHERE team = %s", ("nobody",)) is None, "a NULL summary reads back as None")
conn.rollback()

# --- 5. errors as a client sees them --------------------------------------------------
try:
    cur.execute("SELECT nps(s) FROM unnest(%s::int[]) AS s", ([9, 11],))
    ok(False, "an NPS score of 11 was accepted")
except psycopg2.errors.NumericValueOutOfRange as e:
    ok(e.pgcode == "22003", "pgcode %r" % e.pgcode)
    ok(e.diag.sqlstate == "22003", "diag.sqlstate %r" % e.diag.sqlstate)
    ok(e.diag.severity == "ERROR", "severity %r" % e.diag.severity)
    ok(e.diag.message_primary == "NPS score 11 is out of range", "message %r" % e.diag.message_primary)
    ok(e.diag.message_detail == "Scores must be integers from 0 to 10.", "detail %r" % e.diag.message_detail)
    ok(e.diag.message_hint == "Filter out-of-range scores with WHERE, or map them to NULL.",
       "hint %r" % e.diag.message_hint)
ok(conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INERROR,
   "the transaction should be aborted after the error")
conn.rollback()
ok(one(cur, "SELECT 1") == 1, "the connection is usable after rollback")

for typ, literal, detail in (("score_summary", "v1:xx", "Expected a count (responses per score) at \"xx\"."),
                             ("rate_summary", "v1:1/0", "The hits must not exceed the trials."),
                             ("ratio_summary", "v1:zz", "Expected \"n=\" at \"zz\".")):
    try:
        cur.execute("SELECT %%s::%s" % typ, (literal,))
        ok(False, "%s accepted %r" % (typ, literal))
    except psycopg2.errors.InvalidTextRepresentation as e:
        ok(e.pgcode == "22P02", "%s: pgcode %r" % (typ, e.pgcode))
        ok(e.diag.message_primary == 'invalid input syntax for type %s: "%s"' % (typ, literal),
           "%s: message %r" % (typ, e.diag.message_primary))
        ok(e.diag.message_detail == detail, "%s: detail %r" % (typ, e.diag.message_detail))
        ok(e.diag.message_hint is not None and "kpi_ext" in e.diag.message_hint, "%s: hint %r" % (typ, e.diag.message_hint))
    conn.rollback()

# a malformed summary written as a parameter into a table is refused the same way
try:
    cur.execute("INSERT INTO stored (team, r) VALUES (%s, %s)", ("bad", "v1:5/3"))
    ok(False, "a malformed rate_summary was stored")
except psycopg2.DataError as e:
    ok(e.pgcode == "22P02", "INSERT of a malformed summary: pgcode %r" % e.pgcode)
conn.rollback()
ok(one(cur, "SELECT count(*) FROM stored") == 3, "nothing stored by the failed INSERT")

cur.execute("DROP SCHEMA client_py CASCADE")
conn.commit()
conn.close()
print("kpi_client.py: %d checks passed (psycopg2 %s, server %s)"
      % (checks, psycopg2.__version__.split()[0], conn.server_version))
