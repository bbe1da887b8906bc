#!/usr/bin/env bash
# Prints how long the Apps page's refresh takes with 100 apps (no assertions): 100 compose apps on
# the local endpoint, each with 10 revisions (a 40-line configuration, two services by digest),
# seeded into a fresh data dir; then, through the engine API as the UI calls it
# (src-tauri/engine/examples/bench_apps.rs): app_list, one app_get, and the page refresh
# (app_list, then app_get of every app, four at a time). app_get asks the endpoint what runs
# (`docker compose ps`), so dockerd and compose v2 must be there (scripts/services/dockerd.sh,
# scripts/deploy-tools.sh); the seeded projects run nothing, which is the cheapest answer.
#
# Usage: scripts/bench-apps.sh [--debug]      (default: release build of the example)
#   BENCH_APPS (default 100), BENCH_REVISIONS (default 10), BENCH_ROUNDS (default 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile=(--release)
[[ ${1:-} == --debug ]] && profile=()
APPS=${BENCH_APPS:-100}
REVS=${BENCH_REVISIONS:-10}
ROUNDS=${BENCH_ROUNDS:-5}
tmp=$(mktemp -d -t simple-cicd-bench-apps.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cargo build -q "${profile[@]}" -p simple-cicd-engine --example bench_apps
bin=${CARGO_TARGET_DIR:-target}/$([[ ${#profile[@]} -gt 0 ]] && echo release || echo debug)/examples/bench_apps
# The engine creates its schema on first open (the example opens it, finds no app, and stops).
"$bin" "$tmp/data" 1 >/dev/null 2>&1 || true

/usr/bin/python3 - "$tmp/data/simple-cicd.db" "$APPS" "$REVS" <<'PY'
import json, sqlite3, sys, time
db, apps, revs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(db)
now = int(time.time() * 1000)
for a in range(apps):
    name = f"bench-app-{a:03d}"
    cur = con.execute("INSERT INTO apps (kind, name, target, template_name, created_at) VALUES ('compose', ?, 'local', ?, ?)",
                      (name, name, now))
    app_id = cur.lastrowid
    for n in range(1, revs + 1):
        config = f"name: {name}\nservices:\n" + "".join(
            f"  {svc}:\n    image: localhost:5000/{name}/{svc}:{n}\n    environment:\n      TOKEN: ${{TOKEN}}\n"
            f"      LEVEL: info\n    ports:\n      - 127.0.0.1:{8000 + a}:8080\n    healthcheck:\n"
            f"      test: [CMD, wget, -q, -O-, http://localhost:8080/]\n      interval: 5s\n      retries: 3\n"
            f"    restart: unless-stopped\n    labels:\n      team: web\n      tier: front\n"
            for svc in ("web", "worker"))
        services = json.dumps([{"service": s, "state": "running", "health": "healthy",
                                "image": f"localhost:5000/{name}/{s}:{n}",
                                "pinned": f"localhost:5000/{name}/{s}@sha256:{(f'{a:03d}{n:03d}' * 11)[:64]}"}
                               for s in ("web", "worker")])
        con.execute("INSERT INTO app_revisions (app_id, number, run_id, step_idx, trigger, config, services, status,"
                    " created_at) VALUES (?, ?, NULL, 0, 'manual', ?, ?, 'deployed', ?)",
                    (app_id, n, config, services, now - (revs - n) * 60000))
con.commit()
print(f"seeded {apps} apps with {revs} revisions each")
PY
"$bin" "$tmp/data" "$ROUNDS"
