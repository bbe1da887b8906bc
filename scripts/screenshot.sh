#!/usr/bin/env bash
# Takes a screenshot of the real desktop app, headless (used for the README's screenshot):
# starts Xvfb, optionally seeds a data dir with the scicd CLI, starts the app in a private desktop
# session, waits until the dashboard has painted, saves the screen as PNG, stops everything.
#
# Usage: scripts/screenshot.sh OUT.png [options]
#   --data-dir DIR     data dir to show (default: a fresh temp dir, removed afterwards)
#   --apply FILE       seed: scicd --data-dir DIR template apply -f FILE   (repeatable)
#   --run 'NAME [-p K=V ...]'  seed: scicd --data-dir DIR run NAME ...    (repeatable, after --apply)
#   --settle SECS      extra wait after the dashboard painted (default 2)
#   --size WxH         screen size (default 1280x800); the black border around the window is trimmed
#   --no-trim          keep the whole screen
#   --locale LOCALE    LANG for the app, e.g. zh_CN.UTF-8 or en_US.UTF-8
#   --click X,Y        after the settle, click the screen at X,Y (xdotool) and wait 3 s  (repeatable)
#   --debug            use target/debug binaries (default: release if built, else debug)
#   TAURI_APP_BIN=PATH app binary to run instead
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

READY_TIMEOUT_S=60

pick_profile() {
  if [[ $1 == debug || ! -x $(app_bin release) ]]; then echo debug; else echo release; fi
}

# capture_in_session OUT APP READY_FILE SETTLE: runs inside the desktop session (see main).
capture_in_session() {
  local out=$1 app=$2 ready=$3 settle=$4 app_pid i
  "$app" >"$HOME/app.log" 2>&1 &
  app_pid=$!
  for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
    [[ -s $ready ]] && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$HOME/app.log" >&2; die "the app exited during start-up"; }
    sleep 0.1
  done
  [[ -s $ready ]] || warn "the app did not report a painted dashboard (SIMPLE_CICD_BENCH_READY_FILE) within ${READY_TIMEOUT_S}s; capturing anyway"
  sleep "$settle"
  local click
  for click in ${SCREENSHOT_CLICKS:-}; do
    xdotool mousemove "${click%,*}" "${click#*,}" click 1
    sleep 3
  done
  import -display "$DISPLAY" -window root "$out"
  stop_pid "$app_pid" simple-cicd
}

main() {
  local out='' data_dir='' settle=2 size=1280x800 trim=1 locale='' profile=auto
  local -a applies=() runs=() clicks=()
  if [[ ${1:-} == --capture-in-session ]]; then shift; capture_in_session "$@"; return; fi
  while (($#)); do
    case $1 in
      --data-dir) data_dir=$2; shift 2 ;;
      --apply) applies+=("$2"); shift 2 ;;
      --run) runs+=("$2"); shift 2 ;;
      --settle) settle=$2; shift 2 ;;
      --size) size=$2; shift 2 ;;
      --no-trim) trim=0; shift ;;
      --locale) locale=$2; shift 2 ;;
      --click) [[ $2 =~ ^[0-9]+,[0-9]+$ ]] || die "--click takes X,Y in pixels, e.g. 640,400"; clicks+=("$2"); shift 2 ;;
      --debug) profile=debug; shift ;;
      -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*) die "unknown option: $1 (see --help)" ;;
      *) [[ -z $out ]] || die "only one output file"; out=$1; shift ;;
    esac
  done
  [[ -n $out ]] || die "usage: scripts/screenshot.sh OUT.png [options] (see --help)"
  [[ $out == /* ]] || out=$PWD/$out
  mkdir -p "$(dirname "$out")"
  profile=$(pick_profile "$profile")
  local app cli f r
  app=${TAURI_APP_BIN:-$(app_bin "$profile")} cli=$(cli_bin "$profile")
  [[ -x $app ]] || die "$app not built: (cd ui && npm run build) && cargo build -p simple-cicd"
  ((${#clicks[@]} == 0)) || command -v xdotool >/dev/null || die "--click needs xdotool (apt-get install xdotool)"

  proc_tag_init
  tmp=$(mktemp -d -t simple-cicd-screenshot.XXXXXX)   # global: the EXIT trap removes it
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$tmp"' EXIT
  [[ -n $data_dir ]] || data_dir=$tmp/data
  mkdir -p "$data_dir"

  for f in "${applies[@]}"; do
    [[ -x $cli ]] || die "$cli not built: cargo build --workspace --bins"
    info "seed: scicd template apply -f $f"
    "$cli" --data-dir "$data_dir" template apply -f "$f"
  done
  for r in "${runs[@]}"; do
    info "seed: scicd run $r"
    # shellcheck disable=SC2086  # NAME and -p K=V are given as one word on purpose
    "$cli" --data-dir "$data_dir" run $r >/dev/null || warn "scicd run $r exited non-zero (kept as a failed run)"
  done

  xvfb_start "${size}x24"
  info "starting $app ($profile) with data dir $data_dir"
  (
    export SIMPLE_CICD_DATA_DIR=$data_dir SIMPLE_CICD_BENCH_READY_FILE=$tmp/ready
    export SCREENSHOT_CLICKS="${clicks[*]}"
    if [[ -n $locale ]]; then export LANG=$locale; fi
    in_desktop_session "$tmp/home" "$REPO_ROOT/scripts/screenshot.sh" --capture-in-session \
      "$out" "$app" "$tmp/ready" "$settle"
  )
  if ((trim)); then
    # a 1 px black frame first, so -trim removes only the black root window, never the app's own edge
    convert "$out" -bordercolor black -border 1 -trim +repage "$out"
  fi
  ok "screenshot: $out ($(identify -format '%wx%h' "$out"))"
}

main "$@"
