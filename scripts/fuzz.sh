#!/usr/bin/env bash
# Fuzzes the parsers that take outside input (cargo fuzz, libFuzzer; the targets are
# fuzz/fuzz_targets/*.rs, each documenting its properties) and keeps their corpora in
# fuzz/corpus/<target>/ (committed, minimised).
#
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS]   fuzz each target SECONDS (default 300) on one core,
#                                                 adding what finds new coverage to its corpus
#        scripts/fuzz.sh --smoke                  CI: build every target once, run each over its
#                                                 committed corpus, then FUZZ_SMOKE_SECONDS (10) of
#                                                 new inputs in a scratch corpus (the committed one
#                                                 is not written)
#        scripts/fuzz.sh --cmin [TARGET|all]      minimise the committed corpus (cargo fuzz cmin): the
#                                                 fewest inputs that keep every edge covered
#        scripts/fuzz.sh --plateau [TARGET|all] [QUIET_SECONDS] [MAX_SECONDS]
#                                                 fuzz each target (one core) until its edge coverage
#                                                 (libFuzzer's cov:) has not grown for QUIET_SECONDS
#                                                 (default 600) or MAX_SECONDS (2400) have passed,
#                                                 both counted in the fuzzer's CPU seconds (so a
#                                                 niced run on a busy machine measures fuzzing),
#                                                 adding to its corpus; prints one line per target on
#                                                 stdout: seconds run, executions, cov/ft at load and
#                                                 at the end, and whether it reached that plateau
#        scripts/fuzz.sh --list                   the targets
# A crash, a failed property or a hang stops the run; its input is kept in fuzz/artifacts/<target>/
# (not committed): reproduce with `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/<file>`,
# then fix it with a regression test in the engine.
#
# Needs the nightly toolchain (libFuzzer's instrumentation; `rustup toolchain install nightly`)
# and cargo-fuzz, installed here into $CARGO_FUZZ_ROOT/bin when missing (pinned version).
#   FUZZ_TARGET_DIR (default /var/cache/simple-cicd/fuzz-target), CARGO_FUZZ_ROOT (default
#   /var/cache/simple-cicd/cargo-fuzz). The targets are safe Rust over safe Rust: built without a
#   sanitizer (-s none), which builds and runs several times faster; debug assertions are on.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

CARGO_FUZZ_VERSION=0.13.2
CARGO_FUZZ_ROOT=${CARGO_FUZZ_ROOT:-/var/cache/simple-cicd/cargo-fuzz}
FUZZ_TARGET_DIR=${FUZZ_TARGET_DIR:-/var/cache/simple-cicd/fuzz-target}
# The server embeds the built UI; the fuzz targets need none (and must not rebuild when it changes).
NO_UI=/var/cache/simple-cicd/fuzz-no-ui
FUZZ_DIR=$REPO_ROOT/fuzz

need_tools() {
  rustup run nightly rustc --version >/dev/null 2>&1 ||
    die "the nightly toolchain is missing (libFuzzer needs it): rustup toolchain install nightly --profile minimal"
  export PATH=$CARGO_FUZZ_ROOT/bin:$PATH
  if [[ $(cargo fuzz --version 2>/dev/null) != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    info "installing cargo-fuzz $CARGO_FUZZ_VERSION into $CARGO_FUZZ_ROOT"
    CARGO_TARGET_DIR=$CARGO_FUZZ_ROOT/build cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked \
      --root "$CARGO_FUZZ_ROOT" --quiet
    rm -rf "$CARGO_FUZZ_ROOT/build"
  fi
  mkdir -p "$NO_UI"
}

targets() { cargo fuzz list --fuzz-dir "$FUZZ_DIR"; }

fuzz() { # fuzz SUBCOMMAND ARGS...: cargo fuzz, built the one way every command here shares
  local sub=$1
  shift
  SIMPLE_CICD_UI_DIST=$NO_UI cargo +nightly fuzz "$sub" --fuzz-dir "$FUZZ_DIR" -s none \
    --target-dir "$FUZZ_TARGET_DIR" "$@"
}

# The template target opens an engine on a data dir under $TMPDIR: a private one, removed at exit.
SCRATCH=$(mktemp -d -t simple-cicd-fuzz.XXXXXX)
FUZZER_PID=
trap '[[ -z $FUZZER_PID ]] || kill "$FUZZER_PID" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
export TMPDIR=$SCRATCH

run_target() { # run_target TARGET SECONDS
  local target=$1 seconds=$2 corpus=$FUZZ_DIR/corpus/$1 log=$SCRATCH/$1.log
  mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$target"
  info "$target: $seconds s, corpus $(find "$corpus" -type f | wc -l) inputs"
  if ! fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "$target failed: the input is in fuzz/artifacts/$target/"
  fi
  # The coverage when the corpus was loaded, and at the end (cov: edges, ft: features).
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | sed "s/^/$target: /"
  grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" | sed "s/^/$target: /"
}

# cov_ft LOG: "COV FT" of libFuzzer's last status line in LOG (they only grow), "0 0" before the first.
cov_ft() {
  grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$1" | tail -n 1 | awk '{print $2, $4} END {if (!NR) print 0, 0}'
}

# cpu_seconds PID: the CPU time (user + system) the process has used, in whole seconds.
cpu_seconds() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # Fields after the command name: state is the 3rd field, utime the 14th, stime the 15th.
  awk -v tick="$(getconf CLK_TCK)" '{print int(($12 + $13) / tick)}' <<<"${stat##*) }"
}

# Quiet time and the cap count the fuzzer's own CPU seconds, not the wall clock: on a shared or
# loaded machine (a niced fuzzer gets what others leave) ten wall minutes may be one minute of
# fuzzing, and a plateau claimed on wall time would be a claim about the load.
plateau_target() { # plateau_target TARGET QUIET_SECONDS MAX_SECONDS
  local target=$1 quiet=$2 max=$3 corpus=$FUZZ_DIR/corpus/$1 log=$SCRATCH/$1.log
  local bin=$FUZZ_TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release/$1
  local start loaded='' last_new now=0 cpu cov ft prev_cov=0 rc=0 interrupted='' execs
  mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$target"
  info "$target: until no new edge for $quiet CPU s (at most $max CPU s), corpus $(find "$corpus" -type f | wc -l) inputs"
  # The built binary itself (not cargo fuzz run): the watcher below must signal libFuzzer, whose
  # SIGINT handler prints the final stats and exits with -interrupted_exitcode; the corpus is written
  # as inputs are found, so stopping it loses nothing.
  start=$(date +%s)
  "$bin" -artifact_prefix="$FUZZ_DIR/artifacts/$target/" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -print_pcs=0 -interrupted_exitcode=72 "$corpus" >"$log" 2>&1 &
  FUZZER_PID=$!
  while kill -0 "$FUZZER_PID" 2>/dev/null; do
    sleep 5
    cpu=$(cpu_seconds "$FUZZER_PID") || break
    now=$cpu
    if [[ -z $loaded ]]; then
      # Quiet time counts from the end of the corpus load (INITED), not from the start.
      grep -Eq '^#[0-9]+[[:space:]]+INITED' "$log" || continue
      loaded=$(cov_ft "$log") last_new=$now prev_cov=${loaded%% *}
      info "$target: loaded in $((now)) CPU s ($(($(date +%s) - start)) s), cov/ft ${loaded/ //}"
      continue
    fi
    read -r cov ft < <(cov_ft "$log")
    if ((cov > prev_cov)); then prev_cov=$cov last_new=$now; fi
    if ((now - last_new >= quiet || now >= max)); then
      interrupted=1
      kill -INT "$FUZZER_PID" 2>/dev/null || true
      break
    fi
  done
  wait "$FUZZER_PID" || rc=$?
  FUZZER_PID=
  if ((rc != 0)) && ! [[ $interrupted && $rc == 72 ]]; then
    tail -n 40 "$log" >&2
    die "$target failed (exit $rc): the input is in fuzz/artifacts/$target/ (cargo +nightly fuzz run $target fuzz/artifacts/$target/<file>)"
  fi
  [[ -n $loaded ]] || loaded=$(cov_ft "$log") last_new=$now
  read -r cov ft < <(cov_ft "$log")
  if ((cov > prev_cov)); then last_new=$now; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [[ -n $execs ]] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
  local verdict
  if ((now - last_new >= quiet)); then
    verdict="plateau: no new edge in the last $((now - last_new)) CPU s"
  else
    verdict="NOT at a plateau: last new edge $((now - last_new)) CPU s before the $max CPU s cap"
  fi
  echo "$target: $now CPU s ($(($(date +%s) - start)) s wall), $execs execs, cov/ft ${loaded/ //} at load -> $cov/$ft at the end; $verdict"
}

smoke() {
  local seconds=${FUZZ_SMOKE_SECONDS:-10} t log
  info "building the targets"
  fuzz build
  for t in $(targets); do
    mkdir -p "$SCRATCH/$t" "$FUZZ_DIR/artifacts/$t"
    log=$SCRATCH/$t.log
    # New inputs go into the first directory (scratch); the committed corpus is only read.
    if ! fuzz run "$t" "$SCRATCH/$t" "$FUZZ_DIR/corpus/$t" -- -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      die "$t failed: the input is in fuzz/artifacts/$t/ (cargo +nightly fuzz run $t fuzz/artifacts/$t/<file>)"
    fi
    ok "$t: $(grep -Eo '^#[0-9]+[[:space:]]+INITED cov: [0-9]+ ft: [0-9]+' "$log" | sed -E 's/^#[0-9]+[[:space:]]+//' | head -1), $(grep -Eo '^Done [0-9]+ runs' "$log" | tail -1)"
  done
}

main() {
  case ${1:-all} in
    --list) need_tools; targets ;;
    --smoke) need_tools; smoke ;;
    --cmin)
      need_tools
      local t
      for t in $([[ ${2:-all} == all ]] && targets || echo "$2"); do
        fuzz cmin "$t" "$FUZZ_DIR/corpus/$t" -- -rss_limit_mb=2048 -use_counters=0
        ok "$t: $(find "$FUZZ_DIR/corpus/$t" -type f | wc -l) inputs"
      done
      ;;
    --plateau)
      need_tools
      local t quiet=${3:-600} max=${4:-2400}
      fuzz build
      for t in $([[ ${2:-all} == all ]] && targets || echo "$2"); do plateau_target "$t" "$quiet" "$max"; done
      ;;
    -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' ;;
    *)
      need_tools
      local t seconds=${2:-300}
      fuzz build
      for t in $([[ ${1:-all} == all ]] && targets || echo "$1"); do run_target "$t" "$seconds"; done
      ;;
  esac
}

main "$@"
