#!/usr/bin/env bash
# Schemathesis against a real `scicd serve` on a fresh data dir: every operation of the served
# OpenAPI document (/api/openapi.json) fuzzed with an admin's API token. Fails on any 5xx, an answer
# that does not fit the document (schema, content type) or a route that ignores its authentication.
# The routes that would revoke the test's own token or remove its user are left out.
#
# Usage: scripts/api-fuzz.sh [--examples N]   (default 5 per operation; CI runs the default)
#   SCICD_BIN (default $CARGO_TARGET_DIR/debug/scicd), SCHEMATHESIS_VENV (see scripts/bootstrap.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXAMPLES=5
[[ ${1:-} == --examples ]] && EXAMPLES=${2:?--examples needs a number}
BIN=${SCICD_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/scicd}
ST=${SCHEMATHESIS_VENV:-/var/cache/simple-cicd/schemathesis}/bin/st
[[ -x $BIN ]] || { echo "api-fuzz: $BIN not found: cargo build -p scicd" >&2; exit 2; }
[[ -x $ST ]] || { echo "api-fuzz: schemathesis not found at $ST: scripts/bootstrap.sh installs it" >&2; exit 2; }

tmp=$(mktemp -d -t simple-cicd-api-fuzz.XXXXXX)
pid=
cleanup() {
  [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
export SIMPLE_CICD_SECRETS_KEY=api-fuzz-$RANDOM-$RANDOM-passphrase
S() { "$BIN" --data-dir "$tmp/data" "$@"; }
S config set secrets.backend file >/dev/null
printf 'kind: shell\nname: hello\nscript: "echo hi"\n' >"$tmp/hello.yaml"
S template apply -f "$tmp/hello.yaml" >/dev/null
printf 'api-fuzz-password-1' | S user add fuzz --role admin >/dev/null
TOKEN=$(S token create fuzz --user fuzz --scopes read,run,deploy,write,admin 2>&1 | grep -o 'scicd_[A-Za-z0-9_-]*' | head -1)
[[ -n $TOKEN ]] || { echo "api-fuzz: scicd token create printed no token" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The binary itself in the background (through the S function, $! would be a subshell and
# killing it would leave scicd running).
"$BIN" --data-dir "$tmp/data" serve --listen "127.0.0.1:$PORT" >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null || { echo "api-fuzz: scicd serve did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }

rc=0
(cd "$tmp" && "$ST" run "http://127.0.0.1:$PORT/api/openapi.json" -H "Authorization: Bearer $TOKEN" \
  --max-examples "$EXAMPLES" --workers 1 --phases examples,fuzzing --seed 1 \
  --exclude-path-regex '^/api/v1/(tokens/|users/)' \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance,ignored_auth) || rc=$?
if ((rc != 0)); then
  echo "api-fuzz: schemathesis found problems (above); the server's log:" >&2
  tail -50 "$tmp/serve.log" >&2
fi
exit "$rc"
