#!/usr/bin/env bash
# Prints how the desktop app's log view copes with big logs (no assertions), measured in the real app
# under Xvfb, each against a baseline measured in the same run:
#   (a) start with a run page open: a 1,000,000-line log vs a 3-line log, spawn to the log's first
#       painted lines (the UI reports `run-log-painted` through SIMPLE_CICD_BENCH_MARKS);
#   (b) a live run offering 10,000 lines per second for 15 s: lines per second the page painted and
#       frames slower than 50 ms (the UI reports `live-lines <per second> <slow frames>` every 5 s).
#
# Usage: scripts/bench-ui.sh [--debug]      (default: release binaries when built)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

# open_in_session APP MARKS WAIT_FOR SECONDS: runs inside the desktop session; starts the app, waits
# until MARKS holds a line with WAIT_FOR (or SECONDS pass), stops the app.
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

# spawn_to_mark DATA ROUTE MARK: ms from spawning the app on ROUTE to its MARK.
spawn_to_mark() {
  local data=$1 route=$2 mark=$3 marks=$tmp/marks.$RANDOM start
  start=$(now_ms)
  (
    export SIMPLE_CICD_DATA_DIR=$data SIMPLE_CICD_START_ROUTE=$route SIMPLE_CICD_BENCH_MARKS=$marks
    in_desktop_session "$tmp/home" "$REPO_ROOT/scripts/bench-ui.sh" --in-session "$app" "$marks" "$mark" 60 >&2
  )
  awk -v s="$start" -v m="$mark" '$2 == m { print $1 - s; exit }' "$marks"
}

main() {
  if [[ ${1:-} == --in-session ]]; then shift; open_in_session "$@"; return; fi
  local profile=release
  [[ ${1:-} == --debug || ! -x $(app_bin release) ]] && profile=debug
  app=${TAURI_APP_BIN:-$(app_bin "$profile")}
  local cli; cli=$(cli_bin "$profile")
  [[ -x $app && -x $cli ]] || die "build first: (cd ui && npm run build) && cargo build --workspace --bins"
  proc_tag_init
  tmp=$(mktemp -d -t simple-cicd-bench-ui.XXXXXX)
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$tmp"' EXIT
  local data=$tmp/data
  cat >"$tmp/small.yaml" <<'YAML'
kind: shell
name: small
script: echo one
YAML
  cat >"$tmp/big.yaml" <<'YAML'
kind: shell
name: big
script: seq 1 1000000
YAML
  cat >"$tmp/live.yaml" <<'YAML'
kind: shell
name: live
script: |
  awk 'BEGIN { for (s = 0; s < 150; s++) { for (i = 0; i < 1000; i++) printf "line %d of a steady stream of output\n", s * 1000 + i; fflush(); system("sleep 0.1") } }'
YAML
  for t in small big live; do "$cli" --data-dir "$data" template apply -f "$tmp/$t.yaml" >/dev/null; done
  "$cli" --data-dir "$data" run small >/dev/null 2>&1
  "$cli" --data-dir "$data" run big >/dev/null 2>&1
  xvfb_start 1280x800x24
  info "(a) opening a run page: 3 lines vs 1,000,000 lines ($profile build)"
  local small big
  small=$(spawn_to_mark "$data" /runs/1 run-log-painted)
  big=$(spawn_to_mark "$data" /runs/2 run-log-painted)
  small=${small:-none} big=${big:-none}
  printf 'spawn to painted log, 3-line run:          %s ms\n' "$small"
  printf 'spawn to painted log, 1,000,000-line run:  %s ms\n' "$big"
  [[ $small != none && $big != none ]] &&
    awk -v a="$big" -v b="$small" 'BEGIN{printf "cost of the million lines: %+d ms (ratio %.2f)\n", a-b, a/b}'

  info "(b) a live run offering 10,000 lines/s for 15 s"
  local id; id=$("$cli" --data-dir "$data" run live --detach)
  local marks=$tmp/live.marks
  (
    export SIMPLE_CICD_DATA_DIR=$data SIMPLE_CICD_START_ROUTE=/runs/$id SIMPLE_CICD_BENCH_MARKS=$marks
    in_desktop_session "$tmp/home" "$REPO_ROOT/scripts/bench-ui.sh" --in-session "$app" "$marks" no-such-mark 16 >&2
  )
  "$cli" --data-dir "$data" cancel "$id" >/dev/null 2>&1 || true
  if grep -q live-lines "$marks" 2>/dev/null; then
    grep live-lines "$marks" | awk '{printf "live: %s lines/s painted, %s frames over 50 ms (5 s window)\n", $3, $4}'
  else
    warn "the UI reported no live-lines marks"
  fi
}

main "$@"
