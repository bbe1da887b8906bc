#!/usr/bin/env bash
# Prints how long `scicd runs list` takes with 100,000 runs in the history (no assertions), against
# `scicd config list` on the same data as a baseline (the same process start and database open).
#
# Usage: scripts/bench-history.sh [--debug]      (default: target/release/scicd; build it first)
#   BENCH_RUNS_IN_HISTORY (default 100000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile=release
[[ ${1:-} == --debug ]] && profile=debug
CLI=${SCICD_BIN:-${CARGO_TARGET_DIR:-target}/$profile/scicd}
[[ -x $CLI ]] || { echo "$CLI not found: cargo build --$profile -p scicd" >&2; exit 2; }
N=${BENCH_RUNS_IN_HISTORY:-100000}
tmp=$(mktemp -d -t simple-cicd-bench-history.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

printf 'kind: shell\nname: t%s\nscript: "true"\n' 1 2 3 4 5 | csplit -s -z -f "$tmp/t" - '/^kind/' '{*}'
for f in "$tmp"/t0*; do "$CLI" --data-dir "$tmp/data" template apply -f "$f" >/dev/null; done
"$CLI" --data-dir "$tmp/data" run t1 >/dev/null 2>&1

# Fill the history directly (a run of `true` takes ~15 ms; 100,000 of them would take half an hour).
/usr/bin/python3 scripts/lib/seed-history.py "$tmp/data/simple-cicd.db" "$N"

time_ms() {
  local runs=20 start end
  "$@" >/dev/null 2>&1
  start=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n=$runs 'BEGIN{printf "%.1f", ns/n/1e6}'
}
base=$(time_ms "$CLI" --data-dir "$tmp/data" config list)
tpl=$(time_ms "$CLI" --data-dir "$tmp/data" template list)
list=$(time_ms "$CLI" --data-dir "$tmp/data" runs list)
json=$(time_ms "$CLI" --data-dir "$tmp/data" runs list --json --limit 100)
filtered=$(time_ms "$CLI" --data-dir "$tmp/data" runs list --template t3 --status failed)
printf 'scicd config list (baseline: start + open)     %8s ms\n' "$base"
printf 'scicd template list (last run of each)         %8s ms\n' "$tpl"
printf 'scicd runs list (20 newest of %d)            %8s ms\n' "$N" "$list"
printf 'scicd runs list --json --limit 100            %8s ms\n' "$json"
printf 'scicd runs list --template t3 --status failed %8s ms\n' "$filtered"
awk -v a="$list" -v b="$base" 'BEGIN{printf "runs list over baseline: +%.1f ms (ratio %.2f)\n", a-b, a/b}'
