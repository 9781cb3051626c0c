#!/usr/bin/env python3
"""Exact ratio sums against exact rational arithmetic (Python's fractions).

On seeded random datasets mixing adversarial magnitudes (values near the
largest double, 1e-300, subnormals, -0.0, cancelling pairs, ordinary
values), checks that

  * every moving frame of ratio_agg, utilization, quality_score and
    rollup(ratio_summary) equals the same aggregate recomputed over the
    frame, byte for byte, and that the sums are exact: the terms of each
    sum add up to the exact sum of the frame's values, and are its greedy
    expansion (each term the rest rounded to nearest, ties to even);
  * ratio(), utilization() and quality_score() are the correctly rounded
    sums divided as documented, within 1e-12 of the exact ratio;
  * summaries of random partitions folded with + in random orders, and
    rollup() of them, are the bytes of the one-step aggregate, and
    (a + b) - b = a;
  * binary input accepts a list of terms exactly when it is the canonical
    expansion that text input makes of the same terms.

Talks to the server through psql (PG* settings from the environment, the
database PGDATABASE with kpi_ext created), so it needs nothing beyond Python's
standard library.  Prints one line per assertion, "ok|what" or
"not ok|what|diagnostic", for tests/t/exact_sums.sh to report in TAP.
Environment: EXACT_DATASETS (default 12, or PROPERTY_DATASETS when smaller),
PROPERTY_SEED.
"""

import math
import os
import random
import struct
import subprocess
import sys
import tempfile
from fractions import Fraction

DB = os.environ["PGDATABASE"]
# EXACT_DATASETS, else PROPERTY_DATASETS when smaller (make valgrind passes 3), else 12
DATASETS = int(os.environ.get("EXACT_DATASETS") or min(12, int(os.environ.get("PROPERTY_DATASETS") or 12)))
SEED = os.environ.get("PROPERTY_SEED", "0.25")

results = []


def tap(ok, what):
    results.append(ok)
    print("%s|%s" % ("ok" if ok else "not ok", what))
    sys.stdout.flush()


def psql(sql, db=DB, stdin=None):
    out = subprocess.run(
        ["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-F", "|", "-d", db, "-c", sql],
        input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("psql failed: %s\n%s" % (sql[:300], out.stderr))
    return [line.split("|") for line in out.stdout.splitlines()]


def psql_script(script, db=DB):
    out = subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-F", "|", "-d", db],
                         input=script, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("psql failed:\n%s" % out.stderr)
    return [line.split("|") for line in out.stdout.splitlines()]


# --- exact arithmetic ---------------------------------------------------------

def greedy(s):
    """The greedy expansion of the rational s: t1 = round(s), t2 = round(s - t1), ..."""
    terms = []
    while s != 0:
        try:
            t = float(s)        # correctly rounded, ties to even
        except OverflowError:
            return None
        terms.append(t)
        s -= Fraction(t)
    return terms


def parse_sum(text):
    """The terms of a sum as ratio_summary writes it: 12.5+1e-17-3e-34, or 0."""
    if text == "0":
        return []
    terms, start = [], 0
    i = 1
    while i <= len(text):
        if i == len(text) or (text[i] in "+-" and text[i - 1] not in "eE"):
            terms.append(float(text[start:i]))
            start = i
        i += 1
    return terms


def parse_summary(text):
    assert text.startswith("v2:n="), text
    n, num, den = text[3:].split(",")
    return int(n[2:]), parse_sum(num[4:]), parse_sum(den[4:])


def ratio_like_c(num, den, scale):
    """scale * num / den as ratio.c computes it: significands and exponents apart."""
    mn, en = math.frexp(num)
    md, ed = math.frexp(den)
    return math.ldexp(scale * mn / md, en - ed)


def numeric_of(value):
    """float8 -> numeric as PostgreSQL 15 converts it (15 significant digits)."""
    return float("%.15g" % value)


# --- data ----------------------------------------------------------------------

def adversarial(rng):
    kind = rng.randrange(9)
    sign = -1.0 if rng.random() < 0.5 else 1.0
    # at most 1e305, so that no frame or partition of 150 rows leaves the double range
    if kind == 0:
        return sign * rng.uniform(1, 10) * 10.0 ** rng.randint(250, 304)
    if kind == 1:
        return sign * rng.uniform(1, 10) * 10.0 ** rng.randint(-310, -290)
    if kind == 2:
        return sign * rng.randint(1, 1 << 20) * 5e-324          # subnormals
    if kind == 3:
        return -0.0 if rng.random() < 0.5 else 0.0
    if kind == 4:
        return sign * round(rng.uniform(0, 1000), rng.randint(0, 6))
    if kind == 5:
        return sign * rng.uniform(0, 1) * 2.0 ** rng.randint(-60, 60)
    if kind == 6:
        return sign * 1e305
    if kind == 7:
        return sign * 1e16
    return sign * rng.random()


def dataset(rng, n):
    rows = []
    pending = []
    for i in range(n):
        if pending and rng.random() < 0.4:
            x = -pending.pop()              # cancel a big value later on
        else:
            x = adversarial(rng)
            if abs(x) > 1e200 and rng.random() < 0.5:
                pending.append(x)
        y = abs(adversarial(rng)) if rng.random() < 0.7 else adversarial(rng)
        rows.append((i + 1, x, y))
    return rows


def usecs(rng):
    k = rng.randrange(4)
    if k == 0:
        return rng.randint(0, 10 ** 6)
    if k == 1:
        return rng.randint(0, 10 ** 11)
    if k == 2:
        return rng.randint(10 ** 15, 3 * 10 ** 17)       # centuries
    return rng.randint(0, 999)


def decimal_points(rng):
    """(points, maximum points) whose ratio of sums stays within double precision"""
    k = rng.randrange(4)
    if k == 0:
        p = "%d.%03d" % (rng.randint(0, 100), rng.randint(0, 999))
    elif k == 1:
        p = "%de%d" % (rng.randint(1, 9999), rng.randint(200, 296))
    elif k == 2:
        p = "%de-%d" % (rng.randint(1, 9999), rng.randint(100, 150))
    else:
        p = "0"
    k = rng.randrange(4)
    if k < 2:
        m = "%d.%03d" % (rng.randint(1, 1000), rng.randint(0, 999))
    elif k == 2:
        m = "%de%d" % (rng.randint(1, 9999), rng.randint(100, 146))
    else:
        m = "0"
    return p, m


# --- checks --------------------------------------------------------------------

def check_frames(ds, rows, rng):
    before, after = rng.randint(0, 12), rng.randint(0, 3)
    frame = "ROWS BETWEEN %d PRECEDING AND %d FOLLOWING" % (before, after)
    got = psql("""
        SELECT id, (ratio_agg(x, y) OVER w)::text,
               (SELECT ratio_agg(x, y) FROM ds AS r WHERE r.id BETWEEN w.id - %d AND w.id + %d)::text,
               (rollup(s) OVER w)::text, try_ratio(ratio_agg(x, y) OVER w)
        FROM (SELECT id, x, y, ratio_agg(x, y) OVER (ROWS CURRENT ROW) AS s FROM ds) AS w
        WINDOW w AS (ORDER BY id %s) ORDER BY id""" % (before, after, frame))
    bad_recompute = bad_exact = bad_rollup = bad_ratio = 0
    for id_, win, recomputed, rolled, ratio in got:
        id_ = int(id_)
        inside = [r for r in rows if id_ - before <= r[0] <= id_ + after]
        snum = sum(Fraction(r[1]) for r in inside)
        sden = sum(Fraction(r[2]) for r in inside)
        n, num, den = parse_summary(win)
        if win != recomputed:
            bad_recompute += 1
        if rolled != win:
            bad_rollup += 1
        if n != len(inside) or num != greedy(snum) or den != greedy(sden):
            bad_exact += 1
        if sden == 0:
            ok = ratio == ""
        else:
            try:
                want = ratio_like_c(num[0] if num else 0.0, den[0], 1.0)
            except OverflowError:
                want = math.inf
            if math.isinf(want) or (want == 0 and snum != 0):
                ok = ratio == "out of range"
            else:
                # within 1e-12 of the exact ratio; a subnormal result has fewer digits
                tolerance = max(abs(snum / sden) * Fraction(1, 10 ** 12), Fraction(5e-324))
                ok = ratio != "" and float(ratio) == want and \
                    abs(Fraction(want) - snum / sden) <= tolerance
        if not ok:
            print("# frame at %d: ratio %r, sums %r / %r" % (id_, ratio, num, den), file=sys.stderr)
            bad_ratio += 1
    tap(bad_recompute == 0, "dataset %d: %d frames (%s) of ratio_agg equal their recomputation (%d differ)"
        % (ds, len(got), frame, bad_recompute))
    tap(bad_exact == 0, "dataset %d: every frame's sums are the greedy expansions of the exact sums (%d differ)"
        % (ds, bad_exact))
    tap(bad_rollup == 0, "dataset %d: rollup(ratio_summary) over the same frames gives the same values (%d differ)"
        % (ds, bad_rollup))
    tap(bad_ratio == 0, "dataset %d: ratio() is the rounded sums divided, within 1e-12 of the exact ratio (%d differ)"
        % (ds, bad_ratio))


def check_kpi_frames(ds, rng):
    """utilization over microsecond intervals, quality_score over numeric points."""
    n = rng.randint(40, 120)
    rows = [(i + 1, usecs(rng), usecs(rng) + rng.randint(1, 10)) for i in range(n)]
    pts = [(i + 1,) + decimal_points(rng) for i in range(n)]
    psql_script("DROP TABLE IF EXISTS iv, qa;\nCREATE TABLE iv (id int, b interval, a interval);\n"
                "CREATE TABLE qa (id int, p numeric, m numeric);\n"
                "COPY iv FROM STDIN;\n" +
                "".join("%d\t%d microseconds\t%d microseconds\n" % r for r in rows) + "\\.\n"
                "COPY qa FROM STDIN;\n" + "".join("%d\t%s\t%s\n" % r for r in pts) + "\\.\n")
    before = rng.randint(0, 10)
    got = psql("""
        SELECT id, utilization(b, a) OVER w,
               (SELECT utilization(b, a) FROM iv AS r WHERE r.id BETWEEN w.id - %d AND w.id)
        FROM iv AS w WINDOW w AS (ORDER BY id ROWS %d PRECEDING) ORDER BY id""" % (before, before))
    bad = bad_exact = 0
    for id_, win, recomputed in got:
        id_ = int(id_)
        inside = [r for r in rows if id_ - before <= r[0] <= id_]
        num = sum(Fraction(r[1] / 1e6) for r in inside)        # as the C code: (double) usecs / 1e6
        den = sum(Fraction(r[2] / 1e6) for r in inside)
        want = numeric_of(ratio_like_c(float(num), float(den), 100.0))
        exact = 100 * Fraction(sum(r[1] for r in inside), sum(r[2] for r in inside))
        if win != recomputed:
            bad += 1
        if float(win) != want or abs(Fraction(float(win)) - exact) > exact * Fraction(1, 10 ** 12):
            bad_exact += 1
    tap(bad == 0, "dataset %d: utilization() OVER %d frames equals its recomputation (%d differ)"
        % (ds, len(got), bad))
    tap(bad_exact == 0, "dataset %d: utilization() is 100 * the rounded exact sums divided (%d differ)"
        % (ds, bad_exact))

    got = psql("""
        SELECT id, quality_score(p, m) OVER w,
               (SELECT quality_score(p, m) FROM qa AS r WHERE r.id BETWEEN w.id - %d AND w.id)
        FROM qa AS w WINDOW w AS (ORDER BY id ROWS %d PRECEDING) ORDER BY id""" % (before, before))
    bad = bad_exact = 0
    for id_, win, recomputed in got:
        id_ = int(id_)
        inside = [r for r in pts if id_ - before <= r[0] <= id_]
        num = sum(Fraction(float(r[1])) for r in inside)
        den = sum(Fraction(float(r[2])) for r in inside)
        if win != recomputed:
            bad += 1
        if den == 0:
            ok = win == ""
        else:
            want = ratio_like_c(float(num), float(den), 100.0)
            ok = win != "" and float(win) == numeric_of(want)
        if not ok:
            bad_exact += 1
    tap(bad == 0, "dataset %d: quality_score() OVER %d frames equals its recomputation (%d differ)"
        % (ds, len(got), bad))
    tap(bad_exact == 0, "dataset %d: quality_score() is 100 * the rounded exact sums divided (%d differ)"
        % (ds, bad_exact))


def check_partitions(ds, rng):
    k = rng.randint(2, 9)
    got = psql("""
        WITH parts AS (SELECT (id * %d) %% %d AS part, ratio_agg(x, y) AS s FROM ds GROUP BY 1)
        SELECT part, s::text FROM parts""" % (rng.randint(1, 97), k))
    parts = [s for _, s in got]
    one = psql("SELECT ratio_agg(x, y)::text FROM ds")[0][0]
    folded_ok = True
    for _ in range(4):
        order = parts[:]
        rng.shuffle(order)
        # a random bracketing: fold in an order, or pairwise
        expr = "'%s'::ratio_summary" % order[0]
        for s in order[1:]:
            if rng.random() < 0.5:
                expr = "(%s + '%s'::ratio_summary)" % (expr, s)
            else:
                expr = "('%s'::ratio_summary + %s)" % (s, expr)
        if psql("SELECT (%s)::text" % expr)[0][0] != one:
            folded_ok = False
    rolled = psql("SELECT rollup(s ORDER BY random())::text FROM (%s) AS p" %
                  " UNION ALL ".join("SELECT '%s'::ratio_summary AS s" % s for s in parts))[0][0]
    tap(folded_ok and rolled == one,
        "dataset %d: %d partitions folded with + in random orders and groupings, and rollup(), equal the one-step bytes"
        % (ds, len(parts)))
    a, b = rng.choice(parts), rng.choice(parts)
    back = psql("SELECT kpi_ratio_summary_send(('%s'::ratio_summary + '%s'::ratio_summary) - '%s'::ratio_summary)"
                " = kpi_ratio_summary_send('%s'::ratio_summary)" % (a, b, b, a))[0][0]
    tap(back == "t", "dataset %d: (a + b) - b = a, byte for byte" % ds)


def random_terms(rng):
    k = rng.randint(1, 4)
    base = adversarial(rng) or 1.0
    terms = [base]
    for _ in range(k - 1):
        t = terms[-1]
        if t == 0 or math.isinf(t):
            break
        ulp = math.ulp(t)
        choice = rng.randrange(5)
        if choice == 0:
            nxt = ulp / 2 * (1 if rng.random() < 0.5 else -1)        # exactly a tie
        elif choice == 1:
            nxt = rng.uniform(-1, 1) * ulp / 2
        elif choice == 2:
            nxt = rng.uniform(-3, 3) * ulp                            # not the rest rounded
        elif choice == 3:
            nxt = -0.0 if rng.random() < 0.5 else 0.0
        else:
            nxt = math.ldexp(rng.uniform(0.5, 1), math.frexp(ulp)[1] - rng.randint(1, 60))
        terms.append(nxt)
    return terms


def check_binary_canonical(ds, rng):
    cases = [random_terms(rng) for _ in range(60)]
    cases += [[1.0, 2.0 ** -53], [3.0, -2.0 ** -52], [1.0 + 2.0 ** -52, 2.0 ** -53],
              [1.0, -2.0 ** -54], [1.7976931348623157e308, 2.0 ** 970], [5e-324, 5e-324]]
    accepted_ok = 0
    with tempfile.TemporaryDirectory() as tmp:
        for terms in cases:
            text = "+".join(repr(t) for t in terms).replace("+-", "-")
            out = subprocess.run(["psql", "-X", "-qAt", "-d", DB, "-c",
                                  "SELECT '%s'::ratio_summary" % ("v2:n=1,num=%s,den=1" % text)],
                                 capture_output=True, text=True)
            canonical = None
            if out.returncode == 0:
                canonical = parse_summary(out.stdout.strip())[1]
            exact = greedy(sum(Fraction(t) for t in terms))
            # binary payload: header, one row with one field
            payload = struct.pack(">bqB", 2, 1, len(terms)) + b"".join(struct.pack(">d", t) for t in terms) + \
                struct.pack(">B", 1) + struct.pack(">d", 1.0)
            copy = b"PGCOPY\n\xff\r\n\0" + struct.pack(">ii", 0, 0) + struct.pack(">hi", 1, len(payload)) + \
                payload + struct.pack(">h", -1)
            path = os.path.join(tmp, "p.bin")
            with open(path, "wb") as f:
                f.write(copy)
            bin_out = subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", DB, "-c", "TRUNCATE bin",
                                      "-c", "\\copy bin FROM '%s' WITH (FORMAT binary)" % path,
                                      "-c", "SELECT s::text FROM bin"],
                                     capture_output=True, text=True)
            accepted = bin_out.returncode == 0
            is_canonical = exact is not None and [t for t in terms] == exact and \
                all(math.copysign(1, t) == math.copysign(1, e) for t, e in zip(terms, exact))
            if canonical == exact and accepted == is_canonical and \
                    (not accepted or parse_summary(bin_out.stdout.strip())[1] == exact):
                accepted_ok += 1
            else:
                print("# terms %r: text %r, exact %r, binary accepted %s" % (terms, canonical, exact, accepted),
                      file=sys.stderr)
    tap(accepted_ok == len(cases),
        "dataset %d: text input makes the exact sum's expansion of %d term lists, binary input accepts exactly the canonical ones"
        % (ds, len(cases)))


def main():
    psql("CREATE TABLE bin (s ratio_summary)")
    psql("""CREATE FUNCTION try_ratio(s ratio_summary) RETURNS text LANGUAGE plpgsql AS $$
            BEGIN RETURN ratio(s)::text;
            EXCEPTION WHEN numeric_value_out_of_range THEN RETURN 'out of range'; END $$""")
    rng = random.Random(SEED)
    for ds in range(1, DATASETS + 1):
        rows = dataset(rng, rng.randint(30, 150))
        psql_script("DROP TABLE IF EXISTS ds;\nCREATE TABLE ds (id int, x float8, y float8);\n"
                    "COPY ds FROM STDIN;\n" +
                    "".join("%d\t%r\t%r\n" % r for r in rows) + "\\.\n")
        check_frames(ds, rows, rng)
        check_kpi_frames(ds, rng)
        check_partitions(ds, rng)
        if ds <= 3:
            check_binary_canonical(ds, rng)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
