#!/usr/bin/env bash
# Runs one command inside a private desktop session; meant to be started as
#   HOME=<temp> NO_AT_BRIDGE=1 dbus-run-session -- scripts/lib/desktop-session.sh CMD [ARGS...]
# (see in_desktop_session in display.sh). Before CMD it makes the session look like a desktop:
# D-Bus activation sees DISPLAY, an unlocked gnome-keyring serves org.freedesktop.secrets and dunst
# serves org.freedesktop.Notifications. After CMD it stops both by PID; the bus ends with the session.
# Exits with CMD's status.
set -uo pipefail
# in_desktop_session hands over the caller's stderr as fd 3 (fd 2 is the bus log): take it back.
if { : >&3; } 2>/dev/null; then exec 2>&3 3>&-; fi
LOG_PREFIX=desktop-session
source "$(dirname "${BASH_SOURCE[0]}")/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

: "${DISPLAY:?DISPLAY must be set}"
: "${DBUS_SESSION_BUS_ADDRESS:?run me through dbus-run-session}"
export NO_AT_BRIDGE=1
LOG_DIR=${DESKTOP_SESSION_LOG_DIR:-$HOME}
mkdir -p "$LOG_DIR"

KEYRING_PID='' DUNST_PID=''

stop_services() {
  stop_pid "$DUNST_PID" dunst
  stop_pid "$KEYRING_PID" gnome-keyring-daemon
}
trap stop_services EXIT

bus_name_owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}

wait_for_bus_name() {
  local name=$1 pid=$2 i
  for ((i = 0; i < 100; i++)); do
    bus_name_owned "$name" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Without this, services activated on this bus (xdg-desktop-portal-gtk, ...) cannot open the display.
dbus-update-activation-environment DISPLAY NO_AT_BRIDGE HOME 2>/dev/null ||
  warn "dbus-update-activation-environment failed"

if command -v gnome-keyring-daemon >/dev/null; then
  # --unlock reads the login keyring's password from stdin; a D-Bus-activated daemon stays locked.
  printf '%s' "${DESKTOP_SESSION_KEYRING_PASSWORD:-simple-cicd-ci}" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >"$LOG_DIR/gnome-keyring.log" 2>&1 &
  KEYRING_PID=$!
  wait_for_bus_name org.freedesktop.secrets "$KEYRING_PID" ||
    warn "gnome-keyring did not take org.freedesktop.secrets (log: $LOG_DIR/gnome-keyring.log)"
else
  warn "gnome-keyring-daemon not installed: no Secret Service in this session"
fi

if command -v dunst >/dev/null; then
  dunst -config "$(dirname "${BASH_SOURCE[0]}")/dunstrc" >"$LOG_DIR/dunst.log" 2>&1 &
  DUNST_PID=$!
  wait_for_bus_name org.freedesktop.Notifications "$DUNST_PID" ||
    warn "dunst did not take org.freedesktop.Notifications (log: $LOG_DIR/dunst.log)"
else
  warn "dunst not installed: no notification server in this session"
fi

"$@"
