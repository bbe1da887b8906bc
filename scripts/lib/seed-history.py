#!/usr/bin/env python3
"""Fills a data directory's run history with N finished runs of the templates t1..t5, copying the
spec of the run already there (a run of `true` takes ~15 ms; 100,000 of them would take half an
hour). Usage: seed-history.py DB N   (benchmarks only)."""
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
spec, key = con.execute("SELECT spec, run_key FROM runs LIMIT 1").fetchone()
now = int(time.time() * 1000)
statuses = ["succeeded", "failed", "cancelled", "timed_out", "succeeded", "succeeded"]
rows = []
for i in range(n):
    t = i % 5 + 1
    start = now - (n - i) * 1000
    rows.append((t, f"t{t}", i // 5 + 2, statuses[i % len(statuses)], "cli", "{}", spec, start, start + 1, start + 900,
                 0, 3, key))
con.executemany("INSERT INTO runs (template_id, template_name, number, status, trigger, params, spec, queued_at,"
                " started_at, finished_at, exit_code, log_lines, run_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
con.commit()
print(f"history: {con.execute('SELECT COUNT(*) FROM runs').fetchone()[0]} runs")
