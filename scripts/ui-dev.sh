#!/usr/bin/env bash
# The browser UI in development against the real engine: builds `scicd` if it is missing, seeds a
# temporary data directory through the CLI (a few templates including a pipeline, runs with logs,
# an admin whose password is printed), starts `scicd serve` on it, then `npm run dev` (Vite, hot
# reload), which hands /api to that server. Ctrl+C stops both and removes the data directory.
# There is no fake backend: what the UI shows is what the engine answers.
#
# Usage: scripts/ui-dev.sh [--serve-only]
#   --serve-only        seed and serve, without Vite (e.g. to drive the built UI at the server's URL)
#   SCICD_PORT          the server's port (default 8750, `scicd serve`'s default; Vite's proxy follows)
#   SCICD_DEV_PASSWORD  the admin `dev`'s password (default dev-password-1)
#   SCICD_BIN           a scicd binary to use instead of $CARGO_TARGET_DIR/debug/scicd
#   KEEP_DATA=1         keep the data directory on exit (its path is printed)
set -euo pipefail
LOG_PREFIX=ui-dev
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$REPO_ROOT"

serve_only=false
case ${1:-} in
  --serve-only) serve_only=true ;;
  "") ;;
  -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option $1 (see --help)" ;;
esac
PORT=${SCICD_PORT:-8750}
PASSWORD=${SCICD_DEV_PASSWORD:-dev-password-1}
CLI=${SCICD_BIN:-$(cli_bin debug)}

if [[ ! -x $CLI ]]; then
  [[ -f ui/dist/index.html ]] || { info "building the UI (scicd serve embeds ui/dist)"; build_ui; }
  info "building scicd"
  cargo build -p scicd
fi
[[ -x $CLI ]] || die "$CLI not found after the build"
if ! $serve_only && [[ ! -d ui/node_modules ]]; then (cd ui && npm ci); fi

data=$(mktemp -d -t scicd-ui-dev.XXXXXX)
serve_pid=
cleanup() {
  if [[ -n $serve_pid ]]; then
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  if [[ -n ${KEEP_DATA:-} ]]; then info "data kept in $data"; else rm -rf "$data"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Secrets in the encrypted file, so a machine without a keyring works too.
export SIMPLE_CICD_DATA_DIR=$data SIMPLE_CICD_SECRETS_KEY="ui-dev passphrase, not a secret"
S() { "$CLI" "$@"; }

info "seeding $data"
S config set secrets.backend file >/dev/null
printf '%s\n' "$PASSWORD" | S user add dev --role admin >/dev/null
S template apply -f - >/dev/null <<'YAML'
kind: shell
name: hello
description: Greets someone
params:
  - name: WHO
    type: string
    default: world
script: |
  echo "hello $WHO"
  for i in 1 2 3; do echo "line $i"; done
YAML
S template apply -f - >/dev/null <<'YAML'
kind: shell
name: flaky-tests
description: Fails on purpose, to show a failed run
params:
  - name: SUITE
    type: choice
    choices: [unit, integration]
    default: unit
timeoutSeconds: 600
script: |
  echo "running the $SUITE tests"
  echo "1 passed, 1 failed" >&2
  exit 1
YAML
S template apply -f - >/dev/null <<'YAML'
kind: pipeline
name: release
description: Builds, tests, ships
steps:
  - name: build
    kind: shell
    script: echo "built web-1.0.tar"
  - name: test
    needs: [build]
    kind: shell
    script: echo "all tests pass"
  - name: ship
    needs: [test]
    kind: shell
    script: echo "shipped"
YAML
S run hello -p WHO=developer >/dev/null 2>&1
S run hello >/dev/null 2>&1
S run flaky-tests -p SUITE=integration >/dev/null 2>&1 || true
S run release >/dev/null 2>&1

"$CLI" serve --listen "127.0.0.1:$PORT" >"$data/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 ||
  { cat "$data/serve.log" >&2; die "scicd serve did not start on 127.0.0.1:$PORT (in use? set SCICD_PORT)"; }

ok "scicd serve on http://127.0.0.1:$PORT (data: $data)"
ok "sign in as dev / $PASSWORD"
if $serve_only; then
  wait "$serve_pid"
else
  info "UI with hot reload: http://localhost:5173"
  (cd ui && SCICD_API="http://127.0.0.1:$PORT" npm run dev)
fi
