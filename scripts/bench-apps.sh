#!/usr/bin/env bash
# Prints how long the Apps page's refresh takes with 100 apps (no assertions). 100 compose apps on
# the local endpoint, each with 10 revisions (a 40-line configuration, two services by digest), are
# seeded into a fresh data dir, then timed:
#   (a) through the engine API as the UI calls it (src-tauri/engine/examples/bench_apps.rs):
#       app_list, one app_get, and the page refresh (app_list, then app_get of every app, four at
#       a time like ui/src/stores/apps.ts);
#   (b) with --webview, in the real desktop app under Xvfb: spawn to the Apps page's list painted
#       (`apps-listed`) and to every app's state shown (`apps-checked`), against the same page
#       with one app (the UI reports its marks through SIMPLE_CICD_BENCH_MARKS).
# app_get asks the endpoint what runs, so dockerd must answer (scripts/services/dockerd.sh); the
# seeded projects run nothing, the cheapest answer.
#
# Usage: scripts/bench-apps.sh [--debug] [--webview]   (default: release build of the example;
#        --webview needs the desktop app and scicd built: (cd ui && npm run build) && cargo build)
#   BENCH_APPS (default 100), BENCH_REVISIONS (default 10), BENCH_ROUNDS (default 5)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

# seed DB APPS REVISIONS: apps and revisions written straight into the database (launching 1,000
# revisions through compose would take an hour).
seed() {
  /usr/bin/python3 - "$@" <<'PY'
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
}

# open_in_session APP MARKS WANT SECONDS: runs inside the desktop session; starts the app, waits
# until MARKS holds WANT (or SECONDS pass), stops the app.
open_in_session() {
  local app=$1 marks=$2 want=$3 secs=$4 pid i
  "$app" >"$HOME/app.log" 2>&1 &
  pid=$!
  for ((i = 0; i < secs * 20; i++)); do
    grep -q "$want" "$marks" 2>/dev/null && break
    sleep 0.05
  done
  stop_pid "$pid" simple-cicd
}

# spawn_marks DATA: "LISTED CHECKED" ms from spawning the app on /apps to each mark.
spawn_marks() {
  local data=$1 marks=$tmp/marks.$RANDOM start
  start=$(now_ms)
  (
    export SIMPLE_CICD_DATA_DIR=$data SIMPLE_CICD_START_ROUTE=/apps SIMPLE_CICD_BENCH_MARKS=$marks
    in_desktop_session "$tmp/home" "$REPO_ROOT/scripts/bench-apps.sh" --in-session "$app" "$marks" apps-checked 120 >&2
  )
  local listed checked
  listed=$(awk -v s="$start" '$2 == "apps-listed" { print $1 - s; exit }' "$marks" 2>/dev/null)
  checked=$(awk -v s="$start" '$2 == "apps-checked" { print $1 - s; exit }' "$marks" 2>/dev/null)
  echo "${listed:-none} ${checked:-none}"
}

webview() {
  local profile=$1
  app=${TAURI_APP_BIN:-$(app_bin "$profile")}
  local cli; cli=$(cli_bin "$profile")
  [[ -x $app && -x $cli ]] || die "build first: (cd ui && npm run build) && cargo build -p simple-cicd -p scicd"
  "$cli" --data-dir "$tmp/one" config list >/dev/null
  seed "$tmp/one/simple-cicd.db" 1 "$REVS" >/dev/null
  xvfb_start 1280x800x24
  info "(b) the Apps page in the desktop app ($profile build): 1 app, then $APPS apps"
  local one many
  one=$(spawn_marks "$tmp/one")
  many=$(spawn_marks "$tmp/data")
  printf 'spawn to list painted, 1 app:            %8s ms\n' "${one% *}"
  printf 'spawn to every state shown, 1 app:       %8s ms\n' "${one#* }"
  printf 'spawn to list painted, %d apps:         %8s ms\n' "$APPS" "${many% *}"
  printf 'spawn to every state shown, %d apps:    %8s ms\n' "$APPS" "${many#* }"
}

main() {
  if [[ ${1:-} == --in-session ]]; then shift; open_in_session "$@"; return; fi
  local profile=release view=
  for arg in "$@"; do
    case $arg in
      --debug) profile=debug ;;
      --webview) view=1 ;;
      *) die "unknown argument $arg (see the usage at the top of $0)" ;;
    esac
  done
  APPS=${BENCH_APPS:-100}
  REVS=${BENCH_REVISIONS:-10}
  local rounds=${BENCH_ROUNDS:-5}
  proc_tag_init
  tmp=$(mktemp -d -t simple-cicd-bench-apps.XXXXXX)
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$tmp"' EXIT
  local flags=()
  [[ $profile == release ]] && flags=(--release)
  (cd "$REPO_ROOT" && cargo build -q "${flags[@]}" -p simple-cicd-engine --example bench_apps)
  local bench=$TARGET_DIR/$profile/examples/bench_apps
  # The engine writes its schema when it first opens a data dir (it then finds no app and says so).
  "$bench" "$tmp/data" 1 >/dev/null 2>&1 || true
  seed "$tmp/data/simple-cicd.db" "$APPS" "$REVS"
  info "(a) through the engine API ($profile build)"
  "$bench" "$tmp/data" "$rounds"
  [[ -n $view ]] && webview "$profile"
  return 0
}

main "$@"
