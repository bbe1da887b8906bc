# shellcheck shell=bash
# Knowing exactly which processes a script started, so that it can stop them all and nothing else.
#
# proc_tag_init exports SCICD_PROC_TAG=<unique>; every process started afterwards inherits it in its
# environment, including daemons that double-fork or are D-Bus-activated (dbus-daemon passes its own
# environment on). proc_tag_sweep then finds what is still alive by reading /proc/PID/environ, without
# matching process names, and stops it by PID. Needs read access to /proc/PID/environ (same user).

proc_tag_init() {
  SCICD_PROC_TAG="$(basename "$0" .sh)-$$-$(date +%s%N)"
  export SCICD_PROC_TAG
}

# _proc_ancestors: PIDs of this shell and its ancestors (they carry the tag only if nested; never stop them).
_proc_ancestors() {
  local pid=$$ stat rest
  while ((pid > 1)); do
    printf '%s\n' "$pid"
    read -r stat <"/proc/$pid/stat" 2>/dev/null || break
    rest=${stat##*) }            # fields after "(comm) "
    read -r _ pid _ <<<"$rest"   # state, ppid
  done
}

# proc_tag_list: "PID COMMAND" of live processes carrying our tag (builtins only: no forks to find).
proc_tag_list() {
  [[ -n ${SCICD_PROC_TAG:-} ]] || return 0
  local -A ancestors=()
  local p env_vars v dir comm
  while read -r p; do ancestors[$p]=1; done < <(_proc_ancestors)
  for dir in /proc/[0-9]*; do
    p=${dir#/proc/}
    [[ -n ${ancestors[$p]:-} ]] && continue
    { mapfile -d '' -t env_vars <"$dir/environ"; } 2>/dev/null || continue
    for v in "${env_vars[@]}"; do
      if [[ $v == "SCICD_PROC_TAG=$SCICD_PROC_TAG" ]]; then
        read -r comm <"$dir/comm" 2>/dev/null || comm='?'
        printf '%s %s\n' "$p" "$comm"
        break
      fi
    done
  done
}

# proc_tag_sweep: report processes we started that are still alive, then TERM them (KILL after 5 s).
# Prints "no leftover processes" or the list; returns 0 either way (leaks are reported, not fatal).
proc_tag_sweep() {
  local left pids i p
  left=$(proc_tag_list)
  if [[ -z $left ]]; then
    info "no leftover processes (checked /proc for SCICD_PROC_TAG=$SCICD_PROC_TAG)"
    return 0
  fi
  warn "leftover processes started by this run (stopping them by PID):"
  while IFS= read -r p; do printf '    %s\n' "$p" >&2; done <<<"$left"
  pids=$(cut -d' ' -f1 <<<"$left")
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    [[ -z $(proc_tag_list) ]] && return 0
    sleep 0.1
  done
  left=$(proc_tag_list)
  [[ -z $left ]] && return 0
  # shellcheck disable=SC2046
  kill -KILL $(cut -d' ' -f1 <<<"$left") 2>/dev/null || true
  warn "had to SIGKILL: $(tr '\n' ' ' <<<"$left")"
}

# stop_pid PID [NAME]: TERM, wait up to 5 s, then KILL. Quiet if it is already gone.
stop_pid() {
  local pid=$1 name=${2:-process} i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  warn "$name (pid $pid) ignored SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# descendants PID: all descendant PIDs (from /proc/*/stat parent links).
descendants() {
  local -A kids=()
  local stat rest pid ppid
  for stat in /proc/[0-9]*/stat; do
    { read -r rest <"$stat"; } 2>/dev/null || continue
    pid=${rest%% *}
    rest=${rest##*) }
    read -r _ ppid _ <<<"$rest"
    kids[$ppid]+=" $pid"
  done
  local queue=("$1") p c
  while ((${#queue[@]})); do
    p=${queue[0]}; queue=("${queue[@]:1}")
    for c in ${kids[$p]:-}; do printf '%s\n' "$c"; queue+=("$c"); done
  done
}
