#!/usr/bin/env bash
# A compose launch through simple-cicd against the compose CLI on the same daemon: a stack of 3
# services (httpd, each with a healthcheck) from a local registry, started from nothing (after
# `down`) N times each way:
#   simple-cicd   `scicd run stack`: checks, config, pull, up -d --remove-orphans --wait, ps and the
#                 image digests, the revision recorded
#   compose CLI   `docker compose pull && docker compose up -d --remove-orphans --wait`
# Prints the median of each and the ratio simple-cicd / compose CLI (aim: within 1.10).
#
# Usage: scripts/bench-compose.sh [N]   (default 5)
# Needs: dockerd (scripts/services/dockerd.sh), compose v2, docker-registry, busybox-static, and
# scicd built (SCICD=path, default $CARGO_TARGET_DIR/release/scicd, else .../debug/scicd).
set -euo pipefail

N=${1:-5}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SCICD=${SCICD:-$([[ -x $TARGET/release/scicd ]] && echo "$TARGET/release/scicd" || echo "$TARGET/debug/scicd")}
[[ -x $SCICD ]] || { echo "scicd not found at $SCICD: cargo build -p scicd (or set SCICD)" >&2; exit 1; }
"$ROOT/scripts/services/dockerd.sh" status >/dev/null 2>&1 || "$ROOT/scripts/services/dockerd.sh" start
docker compose version >/dev/null 2>&1 || { echo "compose v2 is missing: scripts/deploy-tools.sh (or docker-compose-plugin)" >&2; exit 1; }

WORK=$(mktemp -d -t simple-cicd-bench-compose.XXXXXX)
REG_PID=
PROJECT=bench-stack-$$
cleanup() {
  docker compose -p "$PROJECT" -f "$WORK/compose.yaml" down -t 1 >/dev/null 2>&1 || true
  [[ -n $REG_PID ]] && { kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

# A registry on a free port, and a busybox httpd image in it.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/reg" "$WORK/img"
printf 'version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: 127.0.0.1:%s }\n' "$WORK/reg" "$PORT" >"$WORK/reg/config.yml"
docker-registry serve "$WORK/reg/config.yml" >/dev/null 2>&1 &
REG_PID=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.05; done
cp /bin/busybox "$WORK/img/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nRUN mkdir /www && echo ok > /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n' >"$WORK/img/Dockerfile"
IMAGE=127.0.0.1:$PORT/bench/site:1
DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$WORK/img" >/dev/null
docker push -q "$IMAGE" >/dev/null

{
  echo "services:"
  for s in a b c; do
    printf '  %s:\n    image: %s\n    healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/"], interval: 1s, start_period: 1s }\n' "$s" "$IMAGE"
  done
} >"$WORK/compose.yaml"

DATA=$WORK/data
S() { "$SCICD" --data-dir "$DATA" "$@"; }
{
  printf 'kind: compose\nname: stack\nproject: %s\nwaitSeconds: 60\ncompose: |\n' "$PROJECT"
  sed 's/^/  /' "$WORK/compose.yaml"
} >"$WORK/stack.yaml"
S template apply -f "$WORK/stack.yaml" >/dev/null

down() { docker compose -p "$PROJECT" -f "$WORK/compose.yaml" down -t 1 >/dev/null 2>&1; }
scicd_times=() cli_times=()
for _ in $(seq "$N"); do
  down
  t0=$(ms); S run stack >/dev/null 2>&1 || { echo "the scicd launch failed" >&2; S runs list --limit 1 >&2; exit 1; }; t1=$(ms)
  scicd_times+=($((t1 - t0)))
  down
  t0=$(ms)
  docker compose -p "$PROJECT" -f "$WORK/compose.yaml" pull -q >/dev/null 2>&1
  docker compose -p "$PROJECT" -f "$WORK/compose.yaml" up -d --remove-orphans --wait >/dev/null 2>&1
  t1=$(ms)
  cli_times+=($((t1 - t0)))
done
S=$(printf '%s\n' "${scicd_times[@]}" | median)
C=$(printf '%s\n' "${cli_times[@]}" | median)
printf 'compose launch, 3 services, %s runs each (median)\n' "$N"
printf '  simple-cicd  %6d ms   (%s)\n' "$S" "${scicd_times[*]}"
printf '  compose CLI  %6d ms   (%s)\n' "$C" "${cli_times[*]}"
awk -v s="$S" -v c="$C" 'BEGIN { printf "  ratio        %6.2f   (simple-cicd / compose CLI; aim <= 1.10)\n", s / c }'
