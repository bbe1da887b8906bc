#!/usr/bin/env bash
# Prints the idle memory of simple-cicd (no assertions), each figure beside a baseline measured in
# the same run. PSS (proportional set size, /proc/PID/smaps_rollup) is the honest sum over several
# processes: a shared library counts once in all, not once per process; RSS is printed beside it.
#   (a) scicd serve, idle after start and again after 100 runs (each printing 1,000 lines) started
#       over its API; baseline: an idle HTTP server (python3 -m http.server) on loopback
#   (b) the desktop app under Xvfb, idle 5 s after its dashboard is painted, with its WebKit
#       processes (WebKitWebProcess, WebKitNetworkProcess, ...); baseline: an empty WebKitGTK window
#       (the same WebKitGTK 4.1, through python3-gi) showing one short HTML page
# Each idle figure is sampled 3 times, a second apart; the printed figure is the last sample.
#
# Usage: scripts/bench-memory.sh [--debug] [--only serve|desktop]
#   default: the release binaries in $CARGO_TARGET_DIR (build them first: scripts/bench.sh --build)
#   SCICD_BIN / TAURI_APP_BIN override the CLI / app binaries
# Needs: curl, python3 (and for (b) Xvfb, dbus-run-session, python3-gi with gir1.2-webkit2-4.1).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

RUNS=100

# kb_of PID FIELD: a field of smaps_rollup (Pss, Rss) in kB; 0 when the process is gone or hidden.
kb_of() { awk -v f="$2:" '$1 == f {print $2; found=1} END{if(!found) print 0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

# tree_memory PID: "PSS_KB RSS_KB NAMES" of PID and all its descendants (NAMES: comm:PSS_MB,...).
tree_memory() {
  local pss=0 rss=0 names='' p comm kb
  for p in "$1" $(descendants "$1"); do
    { read -r comm <"/proc/$p/comm"; } 2>/dev/null || continue
    kb=$(kb_of "$p" Pss)
    pss=$((pss + kb))
    rss=$((rss + $(kb_of "$p" Rss)))
    names+="$comm:$((kb / 1024)),"
  done
  echo "$pss $rss ${names%,}"
}

# idle_memory PID: tree_memory after 3 samples a second apart (the last one).
idle_memory() {
  local i m
  for ((i = 0; i < 3; i++)); do sleep 1; m=$(tree_memory "$1"); done
  echo "$m"
}

# row LABEL "PSS RSS NAMES" [BASE_PSS]: one line of figures, with the ratio to the baseline.
row() {
  local label=$1 pss rss names
  read -r pss rss names <<<"$2"
  printf '    %-50s PSS %7.1f MB   RSS %7.1f MB' "$label" "$(awk -v k="$pss" 'BEGIN{print k/1024}')" \
    "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
  if [[ -n ${3:-} ]]; then printf '   %5.1f x baseline' "$(awk -v a="$pss" -v b="$3" 'BEGIN{print a/b}')"; fi
  if [[ $names == *,* ]]; then printf '   [%s MB]' "$names"; fi
  printf '\n'
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {
  local url=$1 pid=$2 log=$3 i
  for ((i = 0; i < 200; i++)); do
    curl -sf "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "$url: the server exited during start-up"; }
    sleep 0.05
  done
  cat "$log" >&2
  die "$url did not answer within 10 s"
}

bench_serve() {
  local S=("$CLI" --data-dir "$BENCH_TMP/data") port pid base token auth i left
  info "(a) scicd serve: idle after start, and after $RUNS runs over its API"
  printf 'kind: shell\nname: lines\nscript: "seq 1 1000"\n' >"$BENCH_TMP/lines.yaml"
  "${S[@]}" template apply -f "$BENCH_TMP/lines.yaml" >/dev/null
  "${S[@]}" config set runs.maxParallel 4 >/dev/null
  printf '%s' bench-password-1 | "${S[@]}" user add ana --role admin >/dev/null
  token=$("${S[@]}" token create bench --user ana --scopes read,run 2>/dev/null | grep -o 'scicd_[A-Za-z0-9_-]*' | head -1)
  [[ -n $token ]] || die "no token was printed by scicd token create"
  auth="Authorization: Bearer $token"

  port=$(free_port)
  python3 -m http.server --bind 127.0.0.1 --directory "$BENCH_TMP" "$port" >"$BENCH_TMP/http.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/" "$pid" "$BENCH_TMP/http.log"
  local base_mem base_pss
  base_mem=$(idle_memory "$pid")
  base_pss=${base_mem%% *}
  stop_pid "$pid" python3

  port=$(free_port)
  base=http://127.0.0.1:$port
  "$CLI" --data-dir "$BENCH_TMP/data" serve --listen "127.0.0.1:$port" >"$BENCH_TMP/serve.log" 2>&1 &
  pid=$!
  wait_http "$base/api/health" "$pid" "$BENCH_TMP/serve.log"
  local started after
  started=$(idle_memory "$pid")
  for ((i = 0; i < RUNS; i++)); do
    curl -sf -H "$auth" -H 'Content-Type: application/json' -d '{"template":"lines","params":{}}' \
      "$base/api/v1/runs" >/dev/null || die "POST /api/v1/runs failed (serve log: $BENCH_TMP/serve.log)"
  done
  for ((i = 0; i < 1200; i++)); do
    left=$(curl -sf -H "$auth" "$base/api/v1/dashboard" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(c["count"] for c in d["counts"] if c["status"] in ("queued", "running", "waiting")))' 2>/dev/null || echo '?')
    [[ $left == 0 ]] && break
    sleep 0.1
  done
  [[ $left == 0 ]] || die "the $RUNS runs did not end within 2 minutes ($left left)"
  after=$(idle_memory "$pid")
  stop_pid "$pid" scicd
  echo "(a) scicd serve ($PROFILE build), idle"
  row "python3 -m http.server, idle (baseline)" "$base_mem"
  row "scicd serve, idle after start" "$started" "$base_pss"
  row "scicd serve, idle after $RUNS runs of 1,000 lines" "$after" "$base_pss"
}

# The baseline window: WebKitGTK 4.1 through python3-gi, one short page, nothing else.
BASELINE_WEBVIEW_PY='
import sys, gi
gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2, GLib
w = Gtk.Window(title="baseline")
w.set_default_size(1280, 800)
v = WebKit2.WebView()
v.load_html("<!doctype html><html><body><h1>Dashboard</h1><p>An empty page.</p></body></html>", "about:blank")
def loaded(view, event):
    if event == WebKit2.LoadEvent.FINISHED:
        open(sys.argv[1], "w").write("ready")
v.connect("load-changed", loaded)
w.add(v)
w.connect("destroy", Gtk.main_quit)
w.show_all()
Gtk.main()
'

# measure_in_session KIND CMD...: (inside the desktop session) starts CMD, waits for its ready file
# ($BENCH_READY), then prints its idle memory with its children to $BENCH_RESULT.
measure_in_session() {
  local cmd_pid i
  "$@" >"$HOME/process.log" 2>&1 &
  cmd_pid=$!
  for ((i = 0; i < 600; i++)); do
    [[ -s $BENCH_READY ]] && break
    kill -0 "$cmd_pid" 2>/dev/null || { cat "$HOME/process.log" >&2; die "$1 exited during start-up"; }
    sleep 0.1
  done
  [[ -s $BENCH_READY ]] || die "$1 did not signal readiness within 60 s"
  sleep 2
  idle_memory "$cmd_pid" >"$BENCH_RESULT"
  stop_pid "$cmd_pid" "$(basename "$1")"
}

# desktop_memory NAME CMD...: one measurement of CMD in a fresh desktop session; prints the result.
desktop_memory() {
  local name=$1; shift
  local dir=$BENCH_TMP/desk-$name
  rm -rf "$dir" && mkdir -p "$dir/data"
  SIMPLE_CICD_DATA_DIR=$dir/data SIMPLE_CICD_BENCH_READY_FILE=$dir/ready BENCH_READY=$dir/ready \
    BENCH_RESULT=$dir/result in_desktop_session "$dir/home" "$REPO_ROOT/scripts/bench-memory.sh" \
    --measure-in-session "$@" >/dev/null
  cat "$dir/result"
}

bench_desktop() {
  [[ -x $APP ]] || die "$APP not built: scripts/bench.sh --build"
  /usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1")' 2>/dev/null ||
    die "the baseline needs python3-gi and gir1.2-webkit2-4.1: apt-get install -y python3-gi gir1.2-webkit2-4.1"
  info "(b) desktop app under Xvfb: idle after the first paint, with its WebKit processes"
  xvfb_start 1280x800x24
  local base app base_pss
  base=$(desktop_memory baseline /usr/bin/python3 -c "$BASELINE_WEBVIEW_PY" "$BENCH_TMP/desk-baseline/ready")
  app=$(desktop_memory app "$APP")
  xvfb_stop
  base_pss=${base%% *}
  echo "(b) desktop app ($PROFILE build), idle 5 s after the first paint, with its child processes"
  row "empty WebKitGTK window (python3-gi, baseline)" "$base"
  row "simple-cicd desktop app" "$app" "$base_pss"
}

main() {
  case ${1:-} in
    --measure-in-session) shift; measure_in_session "$@"; return ;;
  esac
  local only=''
  PROFILE=release
  while (($#)); do
    case $1 in
      --debug) PROFILE=debug; shift ;;
      --only) only=$2; shift 2 ;;
      -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option: $1 (see --help)" ;;
    esac
  done
  CLI=${SCICD_BIN:-$(cli_bin "$PROFILE")} APP=${TAURI_APP_BIN:-$(app_bin "$PROFILE")}
  [[ -x $CLI ]] || die "$CLI not built: scripts/bench.sh --build"
  command -v curl >/dev/null || die "curl is missing: apt-get install -y curl"
  proc_tag_init
  BENCH_TMP=$(mktemp -d -t simple-cicd-bench-memory.XXXXXX)
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$BENCH_TMP"' EXIT
  echo "simple-cicd idle memory ($PROFILE build, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
  [[ -z $only || $only == serve ]] && bench_serve
  [[ -z $only || $only == desktop ]] && bench_desktop
  return 0
}

main "$@"
