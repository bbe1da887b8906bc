#!/usr/bin/env bash
# Prints every figure of "under load, faults and hostile input" (issue 15) in one go (no
# assertions): it runs the part scripts one after the other, each measuring its own baseline in
# the same run, shows their output as it comes, and ends with a summary of the headline lines.
#   hooks     scripts/bench-hooks.sh   signed deliveries/s and p50/p99 at 16 and 8 connections
#                                      (baseline: forged deliveries, the same HTTP and signature
#                                      work without a write); a 10,000-delivery burst with 10%
#                                      replays and 10% forged and kill -9 halfway: runs, lost, twice
#   logpath   scripts/bench.sh         a `true` run vs `sh -c true`; 1,000,000 lines through a run vs
#                                      redirected to a file; that log read back vs `cat`
#   api       scripts/bench-api.sh     the runs list with 100,000 runs vs GET /me; live log over SSE
#   memory    scripts/bench-memory.sh  idle PSS of scicd serve (vs python3 -m http.server) and, with
#                                      --desktop, of the app and its WebKit processes (vs an empty
#                                      WebKitGTK window)
#   steady    scripts/bench-steady.sh  1,000 runs and 100 pipeline runs with retention on: memory,
#                                      descriptors, database size, growth after warm-up vs warm-up
#   faults    scripts/bench-faults.sh  the fault tests' outcomes as a table (status, message, what
#                                      was left behind, time to the end)
#
# Usage: scripts/bench-load.sh [--quick] [--desktop] [--only PART,...] [--skip PART,...]
#   --quick     smaller counts (hooks 4,000/2,000, steady 300 runs and 30 pipelines, logpath 10 runs)
#   --desktop   the desktop app's figures too (needs its release build: scripts/bench.sh --build)
#   Release binaries in $CARGO_TARGET_DIR (default target/): build them first with
#   `cargo build --release -p scicd` (and the app for --desktop). faults needs what its tests need
#   (root, dockerd, the test cluster: see scripts/bench-faults.sh). It takes 20-40 minutes whole.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

ALL=(hooks logpath api memory steady faults)
quick=0 desktop=0 only='' skip=''
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --desktop) desktop=1 ;;
    --only) only=${2:?--only needs a list of parts: ${ALL[*]}}; shift ;;
    --skip) skip=${2:?--skip needs a list of parts: ${ALL[*]}}; shift ;;
    -h | --help) sed -n '2,/^set -/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
for p in ${only//,/ } ${skip//,/ }; do
  [[ " ${ALL[*]} " == *" $p "* ]] || die "no part named $p: the parts are ${ALL[*]}"
done

wanted() { # wanted PART: whether PART runs
  [[ ",$skip," != *",$1,"* ]] && { [[ -z $only ]] || [[ ",$only," == *",$1,"* ]]; }
}

SCICD_BIN=${SCICD_BIN:-${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/scicd}
[[ -x $SCICD_BIN ]] || die "no release build of scicd at $SCICD_BIN: build it with cargo build --release -p scicd"
export SCICD_BIN

OUT=$(mktemp -d -t simple-cicd-bench-load.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
declare -A STATUS=() SECONDS_TAKEN=()

# part NAME CMD...: runs one part script, its output shown and kept for the summary.
part() {
  local name=$1 start rc=0
  shift
  wanted "$name" || return 0
  printf '\n######## %s: %s\n' "$name" "$*"
  start=$(date +%s)
  "$@" 2>&1 | tee "$OUT/$name.log" || rc=$?
  SECONDS_TAKEN[$name]=$(($(date +%s) - start))
  STATUS[$name]=$([[ $rc == 0 ]] && echo ok || echo "FAILED (exit $rc)")
}

S=$REPO_ROOT/scripts
if ((quick)); then
  part hooks "$S/bench-hooks.sh" 4000 2000
  part logpath env BENCH_RUNS=10 BENCH_BIG_RUNS=1 BENCH_BIG_KINDS=seq "$S/bench.sh" --only i,ii,v
else
  part hooks "$S/bench-hooks.sh"
  part logpath "$S/bench.sh" --only i,ii,v
fi
part api "$S/bench-api.sh"
if ((desktop)); then part memory "$S/bench-memory.sh"; else part memory "$S/bench-memory.sh" --only serve; fi
steady_args=()
((desktop)) && steady_args+=(--desktop)
if ((quick)); then
  part steady env BENCH_RUNS=300 BENCH_PIPELINES=30 "$S/bench-steady.sh" "${steady_args[@]}"
else
  part steady "$S/bench-steady.sh" "${steady_args[@]}"
fi
part faults "$S/bench-faults.sh"

# The headline lines of each part (the full output is above).
printf '\n######## summary (%s, %s)\n' "$(uname -n)" "$(date -u +%FT%TZ)"
printf 'machine: %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
headline() { # headline PART REGEX: the lines of PART's output that match
  [[ -f $OUT/$1.log ]] || return 0
  printf '%s (%s, %s s):\n' "$1" "${STATUS[$1]:-ok}" "${SECONDS_TAKEN[$1]:-?}"
  grep -E "$2" "$OUT/$1.log" | sed 's/^ */    /' || printf '    (no figure: see its output above)\n'
}
headline hooks 'connections|forged \(|accepted \(|ratio|== burst|^ *runs  |without a run|duplicate runs|lost after'
headline logpath '^\(|ms$| x$| us$'
headline api 'req/s|SSE'
headline memory 'PSS'
headline steady 'did not succeed|growth after|^ *(RSS|open fds|threads|database files|working dirs)  '
headline faults '^ *[|]|FAILED|passed|failed'
failed=0
for p in "${!STATUS[@]}"; do [[ ${STATUS[$p]} == ok ]] || { warn "part $p: ${STATUS[$p]}"; failed=1; }; done
exit $failed
