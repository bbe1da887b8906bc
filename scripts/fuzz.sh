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
trap 'rm -rf "$SCRATCH"' EXIT
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
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' ;;
    *)
      need_tools
      local t seconds=${2:-300}
      fuzz build
      for t in $([[ ${1:-all} == all ]] && targets || echo "$1"); do run_target "$t" "$seconds"; done
      ;;
  esac
}

main "$@"
