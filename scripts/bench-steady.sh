#!/usr/bin/env bash
# Prints whether simple-cicd stays steady under long use (no assertions): runs back to back through
# the HTTP API with retention on, each followed to its end over its event stream while an app-event
# stream stays open (scripts/lib/steady.py), sampling the serving process's resident memory, open
# file descriptors and threads, the database files and the working directories every 100 runs. The
# growth after warm-up (run 200 to the end) is printed against the warm-up itself (run 0 to 200),
# the baseline measured in the same run: a leak per run grows in both, a steady server only in the
# warm-up.
#   serve     `scicd serve` on a fresh data dir: 1,000 shell runs, then 100 pipeline runs (4 steps)
#   desktop   the desktop app under Xvfb (its window on the run history, which follows every run's
#             status), driven through its own local server; RSS of the app and of its WebKit
#             processes (--desktop; BENCH_DESKTOP_RUNS, default the same counts)
#
# Usage: scripts/bench-steady.sh [--debug] [--desktop | --only-desktop]
#   BENCH_RUNS (default 1000), BENCH_PIPELINES (default 100), BENCH_KEEP (retention.maxRunsPerTemplate,
#   default 100), BENCH_KEEP_AUDIT (retention.maxAuditEntries, default 200), SCICD_BIN / TAURI_APP_BIN (default: release builds in $CARGO_TARGET_DIR)
# Needs: python3, curl; the desktop part Xvfb, dbus-run-session (scripts/bootstrap.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

RUNS=${BENCH_RUNS:-1000}
PIPELINES=${BENCH_PIPELINES:-100}
KEEP=${BENCH_KEEP:-100}
KEEP_AUDIT=${BENCH_KEEP_AUDIT:-200}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# prepare DATA: retention on, an admin with an API token (printed).
prepare() {
  local data=$1
  S() { "$CLI" --data-dir "$data" "$@"; }
  S config set secrets.backend file >/dev/null
  S config set retention.maxRunsPerTemplate "$KEEP" >/dev/null
  S config set retention.maxAuditEntries "$KEEP_AUDIT" >/dev/null
  printf 'steady-password-1' | S user add steady --role admin >/dev/null
  S token create steady --user steady --scopes read,run,write | grep -o 'scicd_[A-Za-z0-9_-]*' | head -1
}

wait_health() {
  local port=$1 pid=$2 log=$3 i
  for ((i = 0; i < 600; i++)); do
    curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  die "the server on port $port did not answer /api/health"
}

bench_serve() {
  local data=$tmp/serve token port pid
  token=$(prepare "$data")
  [[ -n $token ]] || die "scicd token create printed no token"
  port=$(free_port)
  "$CLI" --data-dir "$data" serve --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
  pid=$!
  wait_health "$port" "$pid" "$tmp/serve.log"
  python3 "$REPO_ROOT/scripts/lib/steady.py" --base "http://127.0.0.1:$port" --token "$token" --pid "$pid" \
    --data-dir "$data" --runs "$RUNS" --pipelines "$PIPELINES" \
    --label "scicd serve ($profile), retention.maxRunsPerTemplate $KEEP"
  stop_pid "$pid" "scicd serve"
}

# In the desktop session: the app on the run history, driven through its local server.
desktop_in_session() {
  local app=$1 data=$2 port=$3 token=$4 pid
  SIMPLE_CICD_DATA_DIR=$data SIMPLE_CICD_START_ROUTE=/runs "$app" >"$HOME/app.log" 2>&1 &
  pid=$!
  wait_health "$port" "$pid" "$HOME/app.log"
  sleep 5   # the window and its WebKit processes up before the first sample
  python3 "$REPO_ROOT/scripts/lib/steady.py" --base "http://127.0.0.1:$port" --token "$token" --pid "$pid" \
    --data-dir "$data" --runs "${BENCH_DESKTOP_RUNS:-$RUNS}" --pipelines "${BENCH_DESKTOP_PIPELINES:-$PIPELINES}" \
    --label "desktop app ($profile) under Xvfb, window on /runs, retention.maxRunsPerTemplate $KEEP"
  stop_pid "$pid" simple-cicd
}

bench_desktop() {
  local app=${TAURI_APP_BIN:-$(app_bin "$profile")} data=$tmp/desktop token port
  [[ -x $app ]] || die "$app not found: (cd ui && npm run build) && cargo build --$profile -p simple-cicd"
  token=$(prepare "$data")
  port=$(free_port)
  "$CLI" --data-dir "$data" config set server.listen "127.0.0.1:$port" >/dev/null
  xvfb_start 1280x800x24
  in_desktop_session "$tmp/home" "$REPO_ROOT/scripts/bench-steady.sh" --in-session "$app" "$data" "$port" "$token"
  xvfb_stop
}

main() {
  if [[ ${1:-} == --in-session ]]; then
    shift
    profile=${BENCH_PROFILE:-release}
    desktop_in_session "$@"
    return
  fi
  profile=release serve=1 desktop=0
  while (($#)); do
    case $1 in
      --debug) profile=debug ;;
      --desktop) desktop=1 ;;
      --only-desktop) desktop=1 serve=0 ;;
      -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option: $1" ;;
    esac
    shift
  done
  export BENCH_PROFILE=$profile
  CLI=${SCICD_BIN:-$(cli_bin "$profile")}
  [[ -x $CLI ]] || die "$CLI not found: cargo build --$profile -p scicd"
  proc_tag_init
  tmp=$(mktemp -d -t simple-cicd-bench-steady.XXXXXX)
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$tmp"' EXIT
  echo "steady state, $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg): other work on this machine adds noise)"
  ((serve)) && bench_serve
  ((desktop)) && bench_desktop
  return 0
}

main "$@"
