#!/usr/bin/env bash
# Builds and launches the simple-cicd desktop app: installs what is missing (fast when done), builds
# the UI (ui/dist, embedded into the binary), builds the app with cargo, then runs it in place of
# this script. Needs a display: a desktop session, or Xvfb (DISPLAY=:99 after `Xvfb :99 &`).
#
# Usage: scripts/app.sh [--debug] [--no-bootstrap] [-- APP_ARGS...]
#   --debug          debug build (faster to compile) instead of release
#   --no-bootstrap   skip scripts/bootstrap.sh
#   SIMPLE_CICD_DATA_DIR=DIR  use DIR as the data dir (default: the app's own per-user dir)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

check_display() {
  [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]] && return 0
  die "no display: neither DISPLAY nor WAYLAND_DISPLAY is set.
  Run this from a desktop session, or start a virtual display first:
    Xvfb :99 -screen 0 1280x800x24 -nolisten tcp &  DISPLAY=:99 scripts/app.sh
  (scripts/screenshot.sh shows the app headless and saves a PNG.)"
}

main() {
  local profile=release bootstrap=1
  while (($#)); do
    case $1 in
      --debug) profile=debug; shift ;;
      --no-bootstrap) bootstrap=0; shift ;;
      --) shift; break ;;
      -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option: $1 (app arguments go after --)" ;;
    esac
  done
  check_display
  cd "$REPO_ROOT"
  ((bootstrap)) && scripts/bootstrap.sh
  info "building the UI (ui/dist)"
  build_ui
  info "cargo build ($profile) -p simple-cicd"
  if [[ $profile == release ]]; then cargo build --release -p simple-cicd; else cargo build -p simple-cicd; fi
  info "starting $(app_bin "$profile")"
  exec "$(app_bin "$profile")" "$@"
}

main "$@"
