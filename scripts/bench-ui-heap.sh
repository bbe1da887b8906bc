#!/usr/bin/env bash
# Prints whether the UI's JavaScript holds memory per run (no assertions): `scicd serve` on a fresh
# data dir with retention on, its UI in Debian's Chromium (playwright-core over CDP), parked on one
# page at a time (the dashboard, the run history, a template's editor, the template list) while runs
# go back to back through the HTTP API. Every 100 runs a forced GC, then the JS heap in use, the DOM
# nodes and the JS event listeners; the growth after warm-up (run 200 to the end) is printed against
# the warm-up itself (run 0 to 200), the baseline measured in the same run
# (tests/browser/bench/ui-heap.js). It separates what our JavaScript keeps from what the browser
# engine keeps (scripts/bench-steady.sh --desktop measures the WebKit processes' RSS, which holds both).
#
# Usage: scripts/bench-ui-heap.sh [--debug] [--paced] [--snapshots DIR] [--ui-dist DIR]
#   --paced        300 ms between runs, so each run's events refresh the page (default back to back)
#   --snapshots    heap snapshots of each page after warm-up and at the end, into DIR (open two in
#                  Chrome DevTools > Memory > Comparison to see what grew and what holds it)
#   --ui-dist      serve this built UI (cd ui && npm run build) in front of the API instead of the UI
#                  built into scicd: measures a UI change without rebuilding scicd
#   BENCH_RUNS (runs per page, default 1000), BENCH_PAGES (hash routes, comma-separated), BENCH_KEEP
#   (retention.maxRunsPerTemplate, default 100), SCICD_BIN (default: the release build in $CARGO_TARGET_DIR)
# Needs: node, Debian's chromium, tests/browser's node_modules (npm ci here when missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

profile=release
while (($#)); do
  case $1 in
    --debug) profile=debug ;;
    --paced) export BENCH_PACE_MS=${BENCH_PACE_MS:-300} ;;
    --snapshots) export BENCH_SNAPSHOTS=${2:?--snapshots needs a directory}; shift ;;
    --ui-dist) BENCH_UI_DIST=$(cd "${2:?--ui-dist needs a directory}" && pwd); export BENCH_UI_DIST; shift ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1" ;;
  esac
  shift
done
export SCICD_BIN=${SCICD_BIN:-$(cli_bin "$profile")}
[[ -x $SCICD_BIN ]] || die "$SCICD_BIN not found: (cd ui && npm run build) && cargo build --$profile -p scicd"
browser_dir=$REPO_ROOT/tests/browser
[[ -d $browser_dir/node_modules/playwright-core ]] ||
  (cd "$browser_dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "UI heap, $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg): other work on this machine adds noise to the seconds, not to the sizes)"
cd "$browser_dir" && exec node bench/ui-heap.js
