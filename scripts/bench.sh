#!/usr/bin/env bash
# Prints performance figures of simple-cicd (no assertions; the numbers go into the issue notes):
#   (i)   cost of one `scicd run` of a template whose script is `true`, vs a bare `sh -c true`
#   (ii)  1,000,000 log lines through `scicd run` (stdout to /dev/null) vs the same script writing
#         to a file, for `seq 1 1000000` and for a pure-sh loop printing `line $i`
#   (v)   reading a 1,000,000-line log back: `scicd logs ID >/dev/null` of a `seq 1 1000000` run vs
#         `cat` of a file holding the same lines
#   (iv)  pipelines: a 20-step chain of `true` and a 50-step graph (5 levels of 10 steps, each level
#         needing the one before) through `scicd run`, vs 20 / 50 bare `sh -c true`: cost per step
#   (iii) desktop app: spawn to first painted dashboard (the app writes the time in ms to
#         $SIMPLE_CICD_BENCH_READY_FILE), and idle RSS 5 s later (app alone, and with its WebKit children)
# Uses hyperfine when installed (scripts/bootstrap.sh installs it), else a timed loop.
#
# Usage: scripts/bench.sh [--debug] [--build] [--only i|ii|iii|iv|v[,...]]
#   --debug   use target/debug binaries (default: target/release)
#   --build   build the UI and the workspace binaries of that profile first
#   SCICD_BIN / TAURI_APP_BIN  override the CLI / app binaries
#   BENCH_RUNS (default 30) runs for (i); BENCH_BIG_RUNS (default 3) for (ii) and (v);
#   BENCH_START_RUNS (default 3) for (iii); BENCH_BIG_KINDS (default "seq loop") the scripts of (ii)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

RUNS=${BENCH_RUNS:-30}
BIG_RUNS=${BENCH_BIG_RUNS:-3}
START_RUNS=${BENCH_START_RUNS:-3}
LOOP_SCRIPT='i=0; while [ "$i" -lt 1000000 ]; do i=$((i + 1)); echo "line $i"; done'
SEQ_SCRIPT='seq 1 1000000'

# template_yaml NAME SCRIPT: a parameterless shell template.
template_yaml() {
  printf 'kind: shell\nname: %s\ndescription: benchmark\nparams: []\ntimeoutSeconds: 3600\nscript: |\n  %s\n' "$1" "$2"
}

apply_template() {
  local name=$1 script=$2 file=$BENCH_TMP/$1.yaml
  template_yaml "$name" "$script" >"$file"
  "$CLI" --data-dir "$BENCH_TMP/data" template apply -f "$file" >/dev/null
}

# mean_ms NAME CMD...: mean wall time of CMD in ms over RUNS_N runs (output discarded), on stdout.
mean_ms() {
  local runs=$1; shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$BENCH_TMP/h.json" \
      "$(printf '%q ' "$@")" >/dev/null 2>&1 ||
      { hyperfine -N --warmup 1 --runs "$runs" "$(printf '%q ' "$@")" >&2 || true; die "benchmark command failed: $*"; }
    python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$BENCH_TMP/h.json"
  else
    local i start
    "$@" >/dev/null 2>&1 || die "benchmark command failed: $*"
    start=$(date +%s%N)
    for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1; done
    awk -v ns=$(($(date +%s%N) - start)) -v n="$runs" 'BEGIN{printf "%.2f\n", ns/n/1e6}'
  fi
}

bench_run_overhead() {
  info "(i) run overhead: $RUNS runs each"
  apply_template bench-true true
  local scicd sh
  scicd=$(mean_ms "$RUNS" "$CLI" --data-dir "$BENCH_TMP/data" run bench-true)
  sh=$(mean_ms "$RUNS" sh -c true)
  echo "(i) run overhead ($RUNS runs each, mean)"
  printf '    %-44s %10.2f ms\n' "scicd run bench-true (script: true)" "$scicd" "sh -c true" "$sh"
  printf '    %-44s %10.2f ms\n' "overhead of scicd run" "$(awk -v a="$scicd" -v b="$sh" 'BEGIN{print a-b}')"
  printf '    %-44s %10.2f x\n' "ratio" "$(awk -v a="$scicd" -v b="$sh" 'BEGIN{print a/b}')"
  # What the run asks of SQLite (sqlx logs each statement at debug): exact, whatever the load.
  local statements
  statements=$(SCICD_LOG=sqlx=debug "$CLI" --data-dir "$BENCH_TMP/data" run bench-true 2>&1 >/dev/null | grep -c 'db.statement' || true)
  printf '    %-44s %10d\n' "SQL statements of one scicd run bench-true" "$statements"
}

bench_big_output() {
  local name script via_scicd to_file
  echo "(ii) 1,000,000 lines ($BIG_RUNS runs each, mean)"
  for name in ${BENCH_BIG_KINDS:-seq loop}; do
    if [[ $name == seq ]]; then script=$SEQ_SCRIPT; else script=$LOOP_SCRIPT; fi
    info "(ii) bench-$name: $script"
    apply_template "bench-$name" "$script"
    via_scicd=$(mean_ms "$BIG_RUNS" "$CLI" --data-dir "$BENCH_TMP/data" run "bench-$name")
    to_file=$(mean_ms "$BIG_RUNS" sh -c "$script >\"\$1\"" sh "$BENCH_TMP/out.txt")
    printf '    %-44s %10.2f ms\n' "scicd run bench-$name >/dev/null" "$via_scicd" "sh -c '<script>' >file" "$to_file"
    printf '    %-44s %10.2f x\n' "ratio" "$(awk -v a="$via_scicd" -v b="$to_file" 'BEGIN{print a/b}')"
    printf '    %-44s %10.3f us\n' "scicd's cost per line" "$(awk -v a="$via_scicd" -v b="$to_file" 'BEGIN{print (a-b)/1000}')"
  done
  rm -f "$BENCH_TMP/out.txt"
}

# last_run_id TEMPLATE: the id of the template's newest run.
last_run_id() {
  "$CLI" --data-dir "$BENCH_TMP/data" runs list --template "$1" --limit 1 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
runs = d if isinstance(d, list) else d.get("runs", d.get("items", []))
print(runs[0]["id"])'
}

bench_read_back() {
  info "(v) reading a 1,000,000-line log back: $BIG_RUNS runs each"
  apply_template bench-seq "$SEQ_SCRIPT"
  "$CLI" --data-dir "$BENCH_TMP/data" run bench-seq >/dev/null 2>&1 || die "scicd run bench-seq failed"
  local id logs cat_ms lines
  id=$(last_run_id bench-seq)
  seq 1 1000000 >"$BENCH_TMP/seq.txt"
  lines=$("$CLI" --data-dir "$BENCH_TMP/data" logs "$id" 2>/dev/null | wc -l)
  [[ $lines == 1000000 ]] || die "scicd logs $id printed $lines lines on stdout, not 1000000"
  logs=$(mean_ms "$BIG_RUNS" "$CLI" --data-dir "$BENCH_TMP/data" logs "$id")
  cat_ms=$(mean_ms "$BIG_RUNS" cat "$BENCH_TMP/seq.txt")
  echo "(v) reading a 1,000,000-line log back ($BIG_RUNS runs each, mean)"
  printf '    %-44s %10.2f ms\n' "scicd logs ID >/dev/null (run of bench-seq)" "$logs" "cat <the same lines> >/dev/null" "$cat_ms"
  printf '    %-44s %10.2f x\n' "ratio" "$(awk -v a="$logs" -v b="$cat_ms" 'BEGIN{print a/b}')"
  rm -f "$BENCH_TMP/seq.txt"
}

# rss_kb PID: VmRSS in kB (0 if gone).
rss_kb() { awk '/^VmRSS:/{print $2; f=1} END{if(!f) print 0}' "/proc/$1/status" 2>/dev/null || echo 0; }

# measure_start_in_session APP READY_FILE RESULT_FILE: one start, inside the desktop session; writes
# "startup_ms app_rss_kb total_rss_kb children" to RESULT_FILE (stdout is shared with D-Bus services).
measure_start_in_session() {
  local app=$1 ready=$2 result=$3 spawned app_pid i painted total c comm kb names=''
  spawned=$(now_ms)
  "$app" >"$HOME/app.log" 2>&1 &
  app_pid=$!
  for ((i = 0; i < 600; i++)); do
    [[ -s $ready ]] && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$HOME/app.log" >&2; die "the app exited during start-up"; }
    sleep 0.1
  done
  if [[ -s $ready ]]; then painted=$(($(tr -dc 0-9 <"$ready") - spawned)); else painted=n/a; fi
  sleep 5
  total=$(rss_kb "$app_pid")
  for c in $(descendants "$app_pid"); do
    { read -r comm <"/proc/$c/comm"; } 2>/dev/null || continue   # gone meanwhile
    kb=$(rss_kb "$c")
    total=$((total + kb))
    names+="$comm:$((kb / 1024))MB,"
  done
  echo "$painted $(rss_kb "$app_pid") $total ${names%,}" >"$result"
  stop_pid "$app_pid" simple-cicd
}

# pipeline_yaml NAME WIDTH LEVELS: LEVELS levels of WIDTH `true` steps; each step of a level needs
# every step of the level before (WIDTH 1: a chain).
pipeline_yaml() {
  local name=$1 width=$2 levels=$3 l w needs
  printf 'kind: pipeline\nname: %s\nsteps:\n' "$name"
  for ((l = 0; l < levels; l++)); do
    needs=''
    if ((l > 0)); then
      needs=$(for ((w = 0; w < width; w++)); do printf 's%d-%d,' $((l - 1)) "$w"; done)
      needs="needs: [${needs%,}], "
    fi
    for ((w = 0; w < width; w++)); do
      printf '  - { name: s%d-%d, %skind: shell, script: "true" }\n' "$l" "$w" "$needs"
    done
  done
}

bench_pipelines() {
  info "(iv) pipelines: $BIG_RUNS runs each"
  pipeline_yaml bench-chain 1 20 >"$BENCH_TMP/chain.yaml"
  pipeline_yaml bench-graph 10 5 >"$BENCH_TMP/graph.yaml"
  "$CLI" --data-dir "$BENCH_TMP/data" template apply -f "$BENCH_TMP/chain.yaml" >/dev/null
  "$CLI" --data-dir "$BENCH_TMP/data" template apply -f "$BENCH_TMP/graph.yaml" >/dev/null
  "$CLI" --data-dir "$BENCH_TMP/data" config set runs.maxParallel 10 >/dev/null
  local chain graph sh
  chain=$(mean_ms "$BIG_RUNS" "$CLI" --data-dir "$BENCH_TMP/data" run bench-chain)
  graph=$(mean_ms "$BIG_RUNS" "$CLI" --data-dir "$BENCH_TMP/data" run bench-graph)
  sh=$(mean_ms "$RUNS" sh -c true)
  printf '%-44s %10s ms\n' "20-step chain of true (scicd run)" "$chain"
  printf '%-44s %10s ms\n' "50-step graph, width 10 (scicd run)" "$graph"
  printf '%-44s %10s ms\n' "sh -c true (one)" "$sh"
  awk -v c="$chain" -v g="$graph" -v s="$sh" 'BEGIN {
    printf "%-44s %10.2f ms\n", "per step, chain: (chain - 20 x sh) / 20", (c - 20 * s) / 20
    printf "%-44s %10.2f ms\n", "per step, graph: (graph - 50 x sh) / 50", (g - 50 * s) / 50 }'
}

bench_desktop() {
  local i painted app_kb total_kb kids
  local -a starts=()
  info "(iii) desktop app start: $START_RUNS start(s), each with a fresh data dir"
  xvfb_start 1280x800x24
  echo "(iii) desktop app: spawn -> first painted dashboard, idle RSS 5 s later"
  for ((i = 1; i <= START_RUNS; i++)); do
    rm -rf "$BENCH_TMP/desk" && mkdir -p "$BENCH_TMP/desk/data"
    SIMPLE_CICD_DATA_DIR=$BENCH_TMP/desk/data SIMPLE_CICD_BENCH_READY_FILE=$BENCH_TMP/desk/ready \
      in_desktop_session "$BENCH_TMP/desk/home" "$REPO_ROOT/scripts/bench.sh" --measure-start-in-session \
      "$APP" "$BENCH_TMP/desk/ready" "$BENCH_TMP/desk/result" >/dev/null
    read -r painted app_kb total_kb kids <"$BENCH_TMP/desk/result"
    [[ $painted == n/a ]] || starts+=("$painted")
    printf '    start %d: %8s ms to dashboard; RSS app %6d MB, app+WebKit children %6d MB  [%s]\n' \
      "$i" "$painted" $((app_kb / 1024)) $((total_kb / 1024)) "${kids:-no children}"
  done
  xvfb_stop
  if ((${#starts[@]})); then
    printf '    median start: %s ms\n' "$(printf '%s\n' "${starts[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')"
  else
    echo "    no start time: the app never wrote SIMPLE_CICD_BENCH_READY_FILE (not implemented yet?)"
  fi
}

# picked PART: whether --only (a comma list; main's `only`) leaves PART in.
picked() { [[ -z $only || ",$only," == *",$1,"* ]]; }

main() {
  local profile=release build=0 only=''
  case ${1:-} in
    --measure-start-in-session) shift; measure_start_in_session "$@"; return ;;
  esac
  while (($#)); do
    case $1 in
      --debug) profile=debug; shift ;;
      --build) build=1; shift ;;
      --only) only=$2; shift 2 ;;
      -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option: $1 (see --help)" ;;
    esac
  done
  cd "$REPO_ROOT"
  if ((build)); then
    build_ui
    if [[ $profile == release ]]; then cargo build --release --workspace --bins; else cargo build --workspace --bins; fi
  fi
  CLI=${SCICD_BIN:-$(cli_bin "$profile")} APP=${TAURI_APP_BIN:-$(app_bin "$profile")}
  local hint="scripts/bench.sh --build"
  if [[ $profile == debug ]]; then hint+=" --debug"; fi
  [[ -x $CLI ]] || die "$CLI not built: $hint"
  proc_tag_init
  BENCH_TMP=$(mktemp -d -t simple-cicd-bench.XXXXXX)
  trap 'xvfb_stop; proc_tag_sweep; rm -rf "$BENCH_TMP"' EXIT
  echo "simple-cicd benchmarks ($profile build, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
  picked i && bench_run_overhead
  picked ii && bench_big_output
  picked v && bench_read_back
  picked iv && bench_pipelines
  if picked iii; then
    [[ -x $APP ]] || die "$APP not built: $hint"
    bench_desktop
  fi
}

main "$@"
