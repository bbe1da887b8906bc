# shellcheck shell=bash
# A virtual X display (Xvfb) and a private desktop session (D-Bus session bus, unlocked gnome-keyring,
# dunst) for running the real desktop app headless: e2e tests, screenshots, benchmarks.
# Requires log.sh, env.sh and procs.sh to be sourced first.

XVFB_PID=''

# xvfb_start [WIDTHxHEIGHTxDEPTH]: start Xvfb on a display number it picks itself (-displayfd, so
# parallel runs never collide) and export DISPLAY. Returns once the server accepts clients.
xvfb_start() {
  local screen=${1:-1280x800x24} xvfb_dir num='' i
  command -v Xvfb >/dev/null || die "Xvfb is not installed: run scripts/bootstrap.sh"
  xvfb_dir=$(mktemp -d -t simple-cicd-xvfb.XXXXXX)
  : >"$xvfb_dir/display"
  # -br: black root window (screenshot.sh trims it away); -nolisten tcp: unix socket only.
  Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -br -noreset \
    3>"$xvfb_dir/display" >"$xvfb_dir/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for ((i = 0; i < 100; i++)); do
    read -r num <"$xvfb_dir/display" || true
    [[ -n $num ]] && break
    kill -0 "$XVFB_PID" 2>/dev/null || { cat "$xvfb_dir/xvfb.log" >&2; die "Xvfb exited during start-up"; }
    sleep 0.1
  done
  [[ -n $num ]] || die "Xvfb did not report a display within 10 s (log: $xvfb_dir/xvfb.log)"
  rm -rf "$xvfb_dir"
  export DISPLAY=:$num
  info "Xvfb running on DISPLAY=$DISPLAY ($screen, pid $XVFB_PID)"
}

xvfb_stop() {
  [[ -n $XVFB_PID ]] || return 0
  stop_pid "$XVFB_PID" Xvfb
  XVFB_PID=''
}

# in_desktop_session HOME_DIR CMD...: run CMD inside one private dbus-run-session with HOME=HOME_DIR,
# NO_AT_BRIDGE=1, gnome-keyring unlocked and dunst running (RECIPE §2, §5, §6, pitfalls 6, 7, 23).
# Everything started inside ends with the session. Returns CMD's exit status.
# The chatter of the bus and of the services it activates (portals, AT-SPI) goes to
# $DESKTOP_SESSION_LOG_DIR/session-bus.log (default: HOME_DIR); CMD keeps this stderr (fd 3 below).
in_desktop_session() {
  local home=$1; shift
  [[ -n ${DISPLAY:-} ]] || die "in_desktop_session needs DISPLAY (start Xvfb first)"
  mkdir -p "$home" "${DESKTOP_SESSION_LOG_DIR:-$home}"
  HOME=$home NO_AT_BRIDGE=1 dbus-run-session -- "$REPO_ROOT/scripts/lib/desktop-session.sh" "$@" \
    3>&2 2>>"${DESKTOP_SESSION_LOG_DIR:-$home}/session-bus.log"
}
