#!/usr/bin/env python3
"""Drives runs back to back through simple-cicd's HTTP API and samples the serving process(es):
resident memory, open file descriptors, threads, the database files and the working directories.
Used by scripts/bench-steady.sh (scicd serve, and the desktop app's local server). No assertions:
it prints a table and the growth after warm-up against the warm-up itself (the baseline).

Each run is started with POST /api/v1/runs and followed to its end over its event stream
(GET /api/v1/runs/{id}/events), as the UI's run view does; one /api/v1/events stream stays open
for the whole drive, as the UI's shell does. Standard library only.
"""
import argparse
import json
import os
import sys
import threading
import time
import urllib.request

TEMPLATE = """kind: shell
name: steady-shell
description: a true-ish run with some log output
script: |
  for i in 1 2 3 4 5 6 7 8 9 10; do echo "steady line $i of run $SIMPLE_CICD_RUN_ID: some text to store"; done
  echo "to stderr" >&2
  true
"""

PIPELINE = """kind: pipeline
name: steady-pipeline
description: a few steps, one after the other and side by side
steps:
  - { name: one, kind: shell, script: "echo one; echo 1 > f" }
  - { name: two, needs: [one], kind: shell, script: "echo two; cat f" }
  - { name: three, needs: [one], kind: shell, script: "for i in 1 2 3 4 5; do echo three $i; done" }
  - { name: four, needs: [two, three], kind: shell, script: "echo done" }
"""


class Api:
    def __init__(self, base, token):
        self.base, self.token = base.rstrip("/"), token

    def request(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"null")

    def stream(self, path, timeout=120):
        req = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {self.token}",
                                                                "Accept": "text/event-stream"})
        return urllib.request.urlopen(req, timeout=timeout)


def follow_run(api, run_id):
    """Reads the run's events until `end`; returns the lines received."""
    lines, event = 0, None
    with api.stream(f"/api/v1/runs/{run_id}/events") as r:
        for raw in r:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "lines":
                lines += len(json.loads(line[5:])["data"])
            elif line.startswith("data:") and event == "end":
                return lines
    return lines


def watch_events(api, counter, stop):
    """The UI shell's stream of app events, read for the whole drive (reconnecting if it ends)."""
    while not stop.is_set():
        try:
            with api.stream("/api/v1/events", timeout=3600) as r:
                for raw in r:
                    if raw.startswith(b"event:"):
                        counter[0] += 1
                    if stop.is_set():
                        return
        except Exception:  # noqa: BLE001 - a dropped stream is reopened, as EventSource does
            time.sleep(0.2)


def descendants(pid):
    """pid and every process below it."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def proc_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def dir_bytes(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def sample(main_pid, data_dir, runs_done, started):
    """One row: the main process, the processes below it that stay (WebKit's, not the runs'),
    the database files and the working directories."""
    procs = [p for p in descendants(main_pid) if p == main_pid or proc_name(p).startswith("WebKit")]
    web = [p for p in procs if p != main_pid]
    db = sum(os.path.getsize(os.path.join(data_dir, f)) for f in
             ("simple-cicd.db", "simple-cicd.db-wal", "simple-cicd.db-shm") if os.path.exists(os.path.join(data_dir, f)))
    wal = os.path.getsize(os.path.join(data_dir, "simple-cicd.db-wal")) if os.path.exists(
        os.path.join(data_dir, "simple-cicd.db-wal")) else 0
    return {
        "runs": runs_done,
        "secs": time.time() - started,
        "rss": status_kib(main_pid, "VmRSS"),
        "web_rss": sum(status_kib(p, "VmRSS") for p in web),
        "fds": fds(main_pid),
        "threads": status_kib(main_pid, "Threads"),
        "db": db,
        "wal": wal,
        "ws": dir_bytes(os.path.join(data_dir, "workspaces")),
    }


def fmt_row(s, kept):
    return (f"{s['runs']:6d} {s['secs']:7.0f} {s['rss'] / 1024:9.1f} {s['web_rss'] / 1024:9.1f} {s['fds']:5d} "
            f"{s['threads']:7d} {s['db'] / 1048576:8.2f} {s['wal'] / 1048576:7.2f} {s['ws'] / 1024:8.0f} {kept:6d}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the serving process (scicd serve or the app)")
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--runs", type=int, default=1000, help="template runs")
    ap.add_argument("--pipelines", type=int, default=100, help="pipeline runs, after the template runs")
    ap.add_argument("--every", type=int, default=100, help="sample every this many runs")
    ap.add_argument("--warmup", type=int, default=200, help="runs before the steady phase")
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    api = Api(a.base, a.token)
    for yaml in (TEMPLATE, PIPELINE):
        api.request("POST", "/api/v1/yaml/import", {"yaml": yaml})

    stop, app_events = threading.Event(), [0]
    watcher = threading.Thread(target=watch_events, args=(api, app_events, stop), daemon=True)
    watcher.start()
    started = time.time()
    rows = [sample(a.pid, a.data_dir, 0, started)]
    print(f"{a.label}: {a.runs} template runs, then {a.pipelines} pipeline runs (4 steps), back to back; "
          f"each followed to its end over its event stream", flush=True)
    print("  runs    secs   RSS MiB  WebKit MiB  fds threads  DB MiB  WAL MiB   ws KiB   kept", flush=True)
    print("  " + fmt_row(rows[0], 0), flush=True)
    total, failed, lines = a.runs + a.pipelines, 0, 0
    for n in range(1, total + 1):
        template = "steady-shell" if n <= a.runs else "steady-pipeline"
        run = api.request("POST", "/api/v1/runs", {"template": template, "params": {}})
        lines += follow_run(api, run["id"])
        ended = api.request("GET", f"/api/v1/runs/{run['id']}")
        if ended["status"] != "succeeded":
            failed += 1
            if failed <= 3:
                steps = api.request("GET", f"/api/v1/runs/{run['id']}/steps")
                print(f"  run {run['id']} ({template}) {ended['status']}: {ended.get('error')}; steps: "
                      + ", ".join(f"{s.get('name')} {s.get('status')}" for s in steps), flush=True)
        if n % a.every == 0 or n == total:
            kept = api.request("GET", "/api/v1/runs?limit=1")["total"]
            row = sample(a.pid, a.data_dir, n, started)
            row["kept"] = kept
            rows.append(row)
            print("  " + fmt_row(row, kept), flush=True)
    stop.set()

    def at(runs):
        return min(rows, key=lambda r: abs(r["runs"] - runs))

    first, warm, last = rows[0], at(a.warmup), rows[-1]
    steady_runs = last["runs"] - warm["runs"]
    print(f"  {failed} of {total} runs did not succeed; {lines} log lines followed; "
          f"{app_events[0]} app events received on /api/v1/events", flush=True)
    print(f"  growth after warm-up (run {warm['runs']} -> run {last['runs']}, {steady_runs} runs) against the "
          f"warm-up itself (run 0 -> run {warm['runs']}, the baseline):")
    for key, name, unit, scale in (("rss", "RSS", "MiB", 1 / 1024), ("web_rss", "WebKit RSS", "MiB", 1 / 1024),
                                   ("fds", "open fds", "", 1), ("threads", "threads", "", 1),
                                   ("db", "database files", "MiB", 1 / 1048576),
                                   ("ws", "working dirs", "MiB", 1 / 1048576)):
        if key == "web_rss" and not any(r["web_rss"] for r in rows):
            continue
        base = (warm[key] - first[key]) * scale
        grown = (last[key] - warm[key]) * scale
        per_100 = grown / steady_runs * 100 if steady_runs else 0
        print(f"    {name:15s} {warm[key] * scale:9.2f} -> {last[key] * scale:9.2f} {unit:3s}  "
              f"steady {grown:+9.2f} ({per_100:+.3f} per 100 runs)   warm-up {base:+9.2f}")


if __name__ == "__main__":
    sys.exit(main())
