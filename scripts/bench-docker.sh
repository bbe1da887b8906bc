#!/usr/bin/env bash
# Docker benchmarks of simple-cicd against the Docker CLI, on the same daemon, same context, same
# image, both with the classic builder (dockerd 20.10 has no buildx here; DOCKER_BUILDKIT=0 for the
# CLI so both sides build the same way):
#   build, cold   every step but FROM re-runs (a fresh stamp file is the first COPY)
#   build, cached nothing changed: every step from the cache
#   push          a docker-build run with `push:` (cached build + push) vs `docker build` (cached)
#                 + `docker push`, each to a fresh, empty registry
#   log, 1M lines a shell step in a container printing `seq 1 1000000` vs `docker run IMG seq 1
#                 1000000 > file`; every run's log is checked to hold all 1,000,000 lines
# Prints the median of N runs of each and the ratio simple-cicd / Docker CLI (below 1: faster).
#
# Usage: scripts/bench-docker.sh [N] [--only log]   (N runs per figure, default 5; --only log
#                                                  measures the container log alone)
# Needs: dockerd (scripts/services/dockerd.sh), docker-registry, busybox-static, the docker CLI, and
# scicd built (SCICD=path, default $CARGO_TARGET_DIR/release/scicd, else .../debug/scicd).
set -euo pipefail

N=5
ONLY=
while (($#)); do
  case $1 in
    --only) ONLY=${2:?--only needs a figure: log}; shift 2 ;;
    *) N=$1; shift ;;
  esac
done
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SCICD=${SCICD:-$([[ -x $TARGET/release/scicd ]] && echo "$TARGET/release/scicd" || echo "$TARGET/debug/scicd")}
[[ -x $SCICD ]] || { echo "scicd not found at $SCICD: cargo build -p scicd (or set SCICD)" >&2; exit 1; }
"$ROOT/scripts/services/dockerd.sh" status >/dev/null 2>&1 || "$ROOT/scripts/services/dockerd.sh"
export DOCKER_BUILDKIT=0

WORK=$(mktemp -d -t simple-cicd-bench-docker.XXXXXX)
REG_PID=
stop_registry() {
  if [[ -n $REG_PID ]]; then
    kill "$REG_PID" 2>/dev/null || true
    wait "$REG_PID" 2>/dev/null || true
    REG_PID=
  fi
}
cleanup() {
  stop_registry
  docker rmi -f bench/scicd:cold bench/cli:cold bench/scicd:cached bench/cli:cached >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA=$WORK/data
S() { "$SCICD" --data-dir "$DATA" "$@"; }
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

# The base image, built by simple-cicd from busybox-static, and the context: 200 files, 20 MiB.
mkdir -p "$WORK/base" "$WORK/ctx/files"
cp /bin/busybox "$WORK/base/busybox"
cat >"$WORK/base.yaml" <<EOF
kind: docker-build
name: bench-base
context: $WORK/base
dockerfileInline: |
  FROM scratch
  COPY busybox /bin/busybox
  RUN ["/bin/busybox", "--install", "-s", "/bin"]
tags: ["simple-cicd-test/busybox:1"]
EOF
S template apply -f "$WORK/base.yaml" >/dev/null
S run bench-base >/dev/null 2>&1
for i in $(seq 1 200); do head -c 104857 /dev/urandom >"$WORK/ctx/files/f$i.bin"; done
cat >"$WORK/ctx/Dockerfile" <<'EOF'
FROM simple-cicd-test/busybox:1
COPY stamp /stamp
COPY files /files
RUN sha256sum /files/* > /sums && wc -l /sums
RUN echo built at $(cat /stamp)
EOF
echo 0 >"$WORK/ctx/stamp"
for tag in cold cached; do
  cat >"$WORK/$tag.yaml" <<EOF
kind: docker-build
name: bench-$tag
context: $WORK/ctx
tags: ["bench/scicd:$tag"]
EOF
  S template apply -f "$WORK/$tag.yaml" >/dev/null
done

build_scicd() { S run "bench-$1" >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }; }
build_cli() { docker build -q -t "bench/cli:$1" "$WORK/ctx" >/dev/null 2>&1; }
time_ms() { local t0; t0=$(ms); "$@"; echo $(($(ms) - t0)); }

declare -A MED
measure() { # name cmd... : N timed runs, median in MED[name]
  local name=$1 i
  shift
  for i in $(seq 1 "$N"); do
    [[ $name == *cold* ]] && date +%s%N >"$WORK/ctx/stamp"
    time_ms "$@"
  done | median >"$WORK/$name.med"
  MED[$name]=$(cat "$WORK/$name.med")
}

# The container log: the time against the CLI, and all lines kept (checked after every run).
printf 'kind: shell\nname: bench-cseq\nimage: simple-cicd-test/busybox:1\nscript: seq 1 1000000\n' >"$WORK/cseq.yaml"
S template apply -f "$WORK/cseq.yaml" >/dev/null
log_run() { S run bench-cseq >/dev/null 2>&1 || { echo "bench-cseq failed" >&2; exit 1; }; }
log_check() {
  local id kept
  id=$(S runs list --template bench-cseq --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  kept=$(S logs "$id" | grep -c '^[0-9][0-9]*$' || true)
  [[ $kept == 1000000 ]] || { echo "run $id kept $kept of 1000000 lines" >&2; exit 1; }
}
log_cli() { docker run --rm simple-cicd-test/busybox:1 seq 1 1000000 >"$WORK/cseq.out"; }
echo "Measuring the container log..." >&2
: >"$WORK/l1"
: >"$WORK/l2"
for _ in $(seq 1 "$N"); do time_ms log_cli >>"$WORK/l1"; done
for _ in $(seq 1 "$N"); do time_ms log_run >>"$WORK/l2"; log_check; done
MED[cli-log]=$(median <"$WORK/l1")
MED[scicd-log]=$(median <"$WORK/l2")
FIGURES=(log)

if [[ $ONLY != log ]]; then
FIGURES+=(cold cached push)
echo "Measuring builds..." >&2
measure scicd-cold build_scicd cold
measure cli-cold build_cli cold
# Both sides share the daemon's cache: fill it for the last context, then measure.
build_scicd cached
build_cli cached
measure scicd-cached build_scicd cached
measure cli-cached build_cli cached

# Push: each run to a fresh registry, so every layer is uploaded.
start_registry() {
  stop_registry
  local port dir=$WORK/reg-$RANDOM$RANDOM
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  printf 'version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: 127.0.0.1:%s }\n' "$dir" "$port" >"$dir/config.yml"
  docker-registry serve "$dir/config.yml" >/dev/null 2>&1 &
  REG_PID=$!
  REG=127.0.0.1:$port
  for _ in $(seq 1 100); do curl -sf "http://$REG/v2/" >/dev/null && return; sleep 0.05; done
  echo "docker-registry did not start" >&2; exit 1
}
push_scicd() {
  start_registry
  S registry rm bench >/dev/null 2>&1 || true
  S registry add bench "$REG" >/dev/null
  printf 'kind: docker-build\nname: bench-push\ncontext: %s\ntags: ["%s/bench/app:1"]\npush: { registry: bench }\n' "$WORK/ctx" "$REG" >"$WORK/push.yaml"
  S template apply -f "$WORK/push.yaml" >/dev/null
  time_ms build_push_scicd
}
build_push_scicd() { S run bench-push >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }; }
push_cli() {
  start_registry
  time_ms build_push_cli
}
build_push_cli() { docker build -q -t "$REG/bench/app:1" "$WORK/ctx" >/dev/null && docker push -q "$REG/bench/app:1" >/dev/null; }
# Not in a pipeline: the registry must be started (and stopped) by this shell.
: >"$WORK/p1"
: >"$WORK/p2"
for _ in $(seq 1 "$N"); do push_scicd >>"$WORK/p1"; done
for _ in $(seq 1 "$N"); do push_cli >>"$WORK/p2"; done
stop_registry
MED[scicd-push]=$(median <"$WORK/p1")
MED[cli-push]=$(median <"$WORK/p2")
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\nDocker benchmarks, median of %s runs (ms), %s\n' "$N" "$(docker version --format 'dockerd {{.Server.Version}}, API {{.Server.APIVersion}}')"
printf '%-34s %12s %12s %8s\n' "" "simple-cicd" "docker CLI" "ratio"
for k in "${FIGURES[@]}"; do
  case $k in
    push) label="build (cached) + push" ;;
    log) label="container log, 1M lines (all kept)" ;;
    *) label="build, $k" ;;
  esac
  printf '%-34s %12s %12s %8s\n' "$label" "${MED[scicd-$k]}" "${MED[cli-$k]}" "$(ratio "${MED[scicd-$k]}" "${MED[cli-$k]}")"
done
printf '(context: 200 files, 20 MiB; simple-cicd figures include starting %s, opening its database and writing the log)\n' "$SCICD"
