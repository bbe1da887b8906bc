#!/usr/bin/env bash
# Webhook benchmark of issue 15 (figures only, no assertions), on loopback against a release
# `scicd serve`:
#  1. signed GitHub push deliveries per second and p50/p99 at 16 connections (and 8): accepted
#     (202: the delivery's claim and its run committed with fsync before the answer), filtered
#     by the branch filter (200: claim committed, no run), and forged (401: nothing written) as
#     the baseline measured in the same run: the same HTTP and signature work, no database write;
#  2. a burst (default 10,000 deliveries: 10% replays, 10% forged) with `kill -9` of the server
#     halfway and a restart on the same data directory: what was answered, what the database holds.
# The template runs `true` from a one-commit repository; runs.maxParallel is 1, so queued runs
# execute one at a time beside the load (they share the CPU with it).
# Usage: scripts/bench-hooks.sh [DELIVERIES] [BURST]
#   SCICD_BIN=/path/to/scicd measures another build of scicd (an older one, for a before/after)
#   with this load generator.
set -euo pipefail
DELIVERIES=${1:-4000}
BURST=${2:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p scicd --bin scicd --example webhook_load --manifest-path "$ROOT/Cargo.toml"
SCICD=${SCICD_BIN:-$CARGO_TARGET_DIR/release/scicd}
LOAD=$CARGO_TARGET_DIR/release/examples/webhook_load
W=$(mktemp -d)
SERVE=
cleanup() { [ -n "$SERVE" ] && kill "$SERVE" 2>/dev/null && wait "$SERVE" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
export SIMPLE_CICD_SECRETS_KEY="bench passphrase for webhooks" GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=b@example.com \
  GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=b@example.com
unset SIMPLE_CICD_DATA_DIR

git init -q -b main "$W/repo" && echo hi >"$W/repo/f" && git -C "$W/repo" add f && git -C "$W/repo" commit -qm one
SHA=$(git -C "$W/repo" rev-parse HEAD)
setup() { # DATA_DIR: the template `hooked` with a GitHub webhook trigger on main and its secret
  local d=$1
  "$SCICD" --data-dir "$d" config set secrets.backend file >/dev/null
  "$SCICD" --data-dir "$d" config set runs.maxParallel 1 >/dev/null
  printf 'bench-secret' | "$SCICD" --data-dir "$d" secret set HOOK >/dev/null
  "$SCICD" --data-dir "$d" repo add small "file://$W/repo" >/dev/null 2>&1
  printf 'kind: shell\nname: hooked\nsource: { repo: small, ref: main }\ntriggers:\n  - webhook: { provider: github, secret: HOOK, branches: ["main"] }\nscript: "true"\n' >"$W/h.yaml"
  "$SCICD" --data-dir "$d" template apply -f "$W/h.yaml" >/dev/null
}

echo "== webhook deliveries, release build, loopback (2-core machine: figures are noisy while others compile)"
setup "$W/load"
"$SCICD" --data-dir "$W/load" serve --listen 127.0.0.1:0 >"$W/serve.out" 2>/dev/null & SERVE=$!
for _ in $(seq 1 100); do grep -q listening "$W/serve.out" && break; sleep 0.1; done
ADDR=$(sed -n 's/^listening //p' "$W/serve.out")
"$LOAD" "$ADDR" hooked bench-secret "$SHA" refs/heads/main 200 4 >/dev/null # warm-up
row() { printf '   %-44s %s\n' "$1" "$2"; }
for C in 16 8; do
  echo "   $C connections, $DELIVERIES deliveries each:"
  F=$("$LOAD" "$ADDR" hooked not-the-secret "$SHA" refs/heads/main "$DELIVERIES" "$C")
  A=$("$LOAD" "$ADDR" hooked bench-secret "$SHA" refs/heads/main "$DELIVERIES" "$C")
  R=$("$LOAD" "$ADDR" hooked bench-secret "$SHA" refs/heads/other "$DELIVERIES" "$C")
  row "baseline: forged (401, nothing written)" "$F"
  row "accepted (202, claim + run committed)" "$A"
  row "filtered (200, claim committed, no run)" "$R"
  rate() { sed -n 's/.*per_second=\([0-9]*\).*/\1/p' <<<"$1"; }
  row "ratio accepted/baseline (deliveries/s)" "$(python3 -c "print(f'{$(rate "$A")/max($(rate "$F"),1):.2f}')")"
done
kill -TERM "$SERVE"; wait "$SERVE" 2>/dev/null || true; SERVE=

echo "== burst of $BURST deliveries, 16 connections, kill -9 of scicd serve halfway, restart on the same data dir"
setup "$W/burst"
"$LOAD" burst "$SCICD" "$W/burst" hooked bench-secret "$SHA" "$BURST" 16
