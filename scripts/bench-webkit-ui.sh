#!/usr/bin/env bash
# Prints how the WebKit processes' memory moves under runs when the desktop app's engine shows the
# UI without Tauri (no assertions): `scicd serve` on a fresh data dir with retention on, its
# browser UI in a bare WebKitGTK window with the app's webview settings (scripts/lib/webkit-ui.py,
# HTTP + SSE instead of Tauri's IPC), signed in and parked on one page while runs go back to back
# through the HTTP API (scripts/lib/steady.py: RSS of the WebKit processes every 100 runs, growth
# after warm-up against the warm-up itself). Read it next to scripts/bench-ui-heap.sh (the same page
# in Chromium: JS heap, DOM nodes, listeners after a forced GC) and scripts/bench-steady.sh
# --desktop (the app itself): a page whose objects stay flat while WebKit's RSS moves points at
# WebKit; growth here that the app shows more of points at the IPC between them.
#
# Usage: scripts/bench-webkit-ui.sh [--debug] [--route ROUTE] [--memory-limit MB] [--tauri-eval | --eval-args]
#   --route          the hash route to park on (default /runs)
#   --tauri-eval     also evaluate one script per app event in the page, with the payload in its
#                    source, as Tauri 2 delivers events to its webview (to a function that does nothing)
#   --eval-args      the same calls with the payload as an argument of one constant function body
#                    (webkit_web_view_call_async_javascript_function): no new source per event
#   --memory-limit   WebKit's memory-pressure limit for the web process (WebKitMemoryPressureSettings),
#                    to see whether that knob bounds the growth (default: WebKit's own)
#   BENCH_RUNS (default 1000), BENCH_KEEP (retention.maxRunsPerTemplate, default 100),
#   SCICD_BIN (default: the release build in $CARGO_TARGET_DIR)
# Needs: Xvfb, dbus-run-session, the system python3 with python3-gi and gir1.2-webkit2-4.1, curl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

RUNS=${BENCH_RUNS:-1000}
KEEP=${BENCH_KEEP:-100}
PASSWORD=webkit-ui-password-1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

main() {
  local profile=release route=/runs limit=0 tauri_eval=0 data port pid token ui window i
  while (($#)); do
    case $1 in
      --debug) profile=debug ;;
      --route) route=${2:?--route needs a route, e.g. /runs}; shift ;;
      --memory-limit) limit=${2:?--memory-limit needs megabytes}; shift ;;
      --tauri-eval) tauri_eval=1 ;;
      --eval-args) tauri_eval=1 && export WEBKIT_UI_EVAL_ARGS=1 ;;
      -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option: $1" ;;
    esac
    shift
  done
  CLI=${SCICD_BIN:-$(cli_bin "$profile")}
  [[ -x $CLI ]] || die "$CLI not found: (cd ui && npm run build) && cargo build --$profile -p scicd"
  /usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1")' 2>/dev/null ||
    die "WebKitGTK from Python is missing: apt-get install python3-gi gir1.2-webkit2-4.1"
  proc_tag_init
  tmp=$(mktemp -d -t simple-cicd-bench-webkit-ui.XXXXXX)
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$tmp"' EXIT
  data=$tmp/data
  export SIMPLE_CICD_SECRETS_KEY="bench-webkit-ui passphrase, not a secret"
  S() { "$CLI" --data-dir "$data" "$@"; }
  S config set secrets.backend file >/dev/null
  S config set retention.maxRunsPerTemplate "$KEEP" >/dev/null
  S config set retention.maxAuditEntries 200 >/dev/null
  printf '%s' "$PASSWORD" | S user add webkit --role admin >/dev/null
  token=$(S token create webkit --user webkit --scopes read,run,write | grep -o 'scicd_[A-Za-z0-9_-]*' | head -1)
  [[ -n $token ]] || die "scicd token create printed no token"
  port=$(free_port)
  "$CLI" --data-dir "$data" serve --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "scicd serve exited during start-up"; }
    sleep 0.1
  done

  echo "WebKit under runs, $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg): other work on this machine adds noise)"
  xvfb_start 1280x800x24
  mkdir -p "$tmp/home" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  ((tauri_eval)) && export WEBKIT_UI_EVAL_EVENTS=$token
  # Its own session bus, ended with it (else GTK autolaunches one that outlives the window).
  HOME=$tmp/home XDG_RUNTIME_DIR=$tmp/runtime NO_AT_BRIDGE=1 dbus-run-session -- \
    /usr/bin/python3 "$REPO_ROOT/scripts/lib/webkit-ui.py" \
    "http://127.0.0.1:$port" "$route" webkit "$PASSWORD" "$limit" >"$tmp/webkit.log" 2>&1 &
  ui=$!
  for ((i = 0; i < 300; i++)); do
    grep -q '^parked: \|^not signed in' "$tmp/webkit.log" && break
    kill -0 "$ui" 2>/dev/null || break
    sleep 0.1
  done
  grep -q '^parked: ' "$tmp/webkit.log" || { cat "$tmp/webkit.log" >&2; die "the WebKit window did not sign in and park on $route"; }
  grep '^parked: ' "$tmp/webkit.log"
  window=$(sed -n 's/^pid //p' "$tmp/webkit.log")
  sleep 3 # the page's first refresh in before the first sample
  python3 "$REPO_ROOT/scripts/lib/steady.py" --base "http://127.0.0.1:$port" --token "$token" --pid "$window" \
    --data-dir "$data" --runs "$RUNS" --pipelines 0 \
    --label "WebKitGTK $(/usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1"); from gi.repository import WebKit2 as W; print(f"{W.get_major_version()}.{W.get_minor_version()}.{W.get_micro_version()}")') window (no Tauri) on #$route, memory limit $( ((limit)) && echo "$limit MB" || echo "WebKit's default")$( ((tauri_eval)) && echo ", one $([[ ${WEBKIT_UI_EVAL_ARGS:-} == 1 ]] && echo "call of a constant function" || echo "evaluated script (as Tauri)") per app event"), retention.maxRunsPerTemplate $KEEP"
  if grep -q 'failed: ' "$tmp/webkit.log"; then
    warn "scripts in the page failed (the figures above are not what they say):"
    grep 'failed: ' "$tmp/webkit.log" | sort | uniq -c | head -5 >&2
  fi
  stop_pid "$window" webkit-ui.py
  stop_pid "$ui" dbus-run-session
  stop_pid "$pid" "scicd serve"
}

main "$@"
