#!/usr/bin/env bash
# Schemathesis against a real `scicd serve` on a fresh data dir: every operation of the served
# OpenAPI document (/api/openapi.json) fuzzed, one request at a time and in sequences that follow the
# document's links (create a template, get it, run it, get the run, cancel it, delete the template).
# Fails on any 5xx, an answer that does not fit the document (schema, content type), a route that
# ignores its authentication, a resource missing right after it was created, or one still there
# after it was deleted.
#   1. every operation but the users' and tokens', with an admin's API token;
#   2. the users' and tokens' operations (/api/v1/users..., /api/v1/tokens...), with a second admin's
#      signed-in access token: fuzzed with the first run's API token, `DELETE /api/v1/tokens/{id}`
#      with the small ids schemathesis tries first revoked that token itself (id 1) and left the
#      rest of the run unauthenticated; a session is no API token, so no id ends it.
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

CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance,ignored_auth
STATEFUL_CHECKS=$CHECKS,use_after_free,ensure_resource_availability
# fuzz TOKEN WHAT ARGS...: one schemathesis run; its failures are reported, and the next still runs.
fuzz() {
  local token=$1 what=$2; shift 2
  echo "api-fuzz: $what"
  (cd "$tmp" && "$ST" run "http://127.0.0.1:$PORT/api/openapi.json" -H "Authorization: Bearer $token" \
    --max-examples "$EXAMPLES" --workers 1 --seed 1 "$@") || rc=$?
}
rc=0
fuzz "$TOKEN" "every operation but users' and tokens', one request at a time" \
  --phases examples,fuzzing --checks "$CHECKS" --exclude-path-regex '^/api/v1/(tokens|users)'
fuzz "$TOKEN" "sequences along the document's links (template, run, configuration)" \
  --phases stateful --checks "$STATEFUL_CHECKS" --exclude-path-regex '^/api/v1/(tokens|users)' \
  --max-examples $((EXAMPLES * 20))
printf 'api-fuzz-password-2' | S user add fuzz-admin2 --role admin >/dev/null
SESSION=$(curl -sf -H 'Content-Type: application/json' -d '{"name":"fuzz-admin2","password":"api-fuzz-password-2"}' \
  "http://127.0.0.1:$PORT/api/v1/auth/signin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
[[ -n $SESSION ]] || { echo "api-fuzz: signing in fuzz-admin2 gave no access token" >&2; exit 1; }
fuzz "$SESSION" "users' and tokens' operations, one at a time and in sequences, as a signed-in admin" \
  --phases examples,fuzzing,stateful --checks "$STATEFUL_CHECKS" --include-path-regex '^/api/v1/(tokens|users)'
if ((rc != 0)); then
  echo "api-fuzz: schemathesis found problems (above); the server's log:" >&2
  tail -50 "$tmp/serve.log" >&2
fi
exit "$rc"
