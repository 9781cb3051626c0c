#!/usr/bin/env python3
"""Rewrite the outputs in docs/cookbook.md from the demo database.

Runs every plain and error ```sql block of the page, in order, on kpi_demo
(`make demo` first; PG* settings as it prints them), and replaces the
```text block right after each with what psql printed.  Usage:
    PGOPTIONS="-c client_min_messages=warning" PGTZ=UTC python3 docs/cookbook-outputs.py
"""
import os, re, subprocess, sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "cookbook.md")
lines = open(path).read().split('\n')
out = []; i = 0
while i < len(lines):
    l = lines[i]
    m = re.match(r'^```sql(.*)$', l)
    if m:
        kind = m.group(1).strip()
        j = i + 1
        while lines[j] != '```': j += 1
        sql = '\n'.join(lines[i+1:j]) + '\n'
        out.extend(lines[i:j+1])
        i = j + 1
        if kind.split()[:1] in ([], ['error']):
            r = subprocess.run(['psql', '-X', '-q', '-d', 'kpi_demo'], input=sql, capture_output=True, text=True)
            if kind == '' and r.stderr: print(sql, r.stderr)
        if i < len(lines) and lines[i] == '```text' and kind.split()[:1] in ([], ['error']):
            k = i + 1
            while lines[k] != '```': k += 1
            res = (r.stdout + r.stderr).rstrip('\n')
            res = re.sub(r'^psql:<stdin>:\d+: ', '', res, flags=re.M)
            res = re.sub(r'\nCONTEXT:  parallel worker', '', res)
            out.append('```text'); out.extend(res.split('\n')); out.append('```')
            i = k + 1
        continue
    out.append(l); i += 1
open(path, 'w').write('\n'.join(out))
