#!/usr/bin/env bash
# Prints the HTTP API's figures against `scicd serve` on loopback (no assertions), each beside a
# baseline measured in the same run:
#   runs list    `GET /api/v1/runs?limit=50` with 100,000 runs in the history, wrk at 16 connections
#                (aim: p99 under 10 ms); baseline `GET /api/v1/me` (the same token check, no query)
#   live log     a run printing 10,000 lines a second for 5 s, followed over Server-Sent Events from
#                its start: lines received against lines logged (aim: none lost), and how long after
#                the run's end the stream ends
#   sign-in      `POST /api/v1/auth/signin` (argon2id), sequential; baseline `GET /api/v1/me`
#
# Usage: scripts/bench-api.sh [--debug]      (default: $CARGO_TARGET_DIR/release/scicd; build it first)
#   BENCH_RUNS_IN_HISTORY (default 100000), BENCH_SECONDS (wrk duration, default 10)
# Needs: wrk (apt install wrk), curl, python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile=release
[[ ${1:-} == --debug ]] && profile=debug
CLI=${SCICD_BIN:-${CARGO_TARGET_DIR:-target}/$profile/scicd}
[[ -x $CLI ]] || { echo "$CLI not found: cargo build --$profile -p scicd" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
N=${BENCH_RUNS_IN_HISTORY:-100000}
SECS=${BENCH_SECONDS:-10}
tmp=$(mktemp -d -t simple-cicd-bench-api.XXXXXX)
serve_pid=
cleanup() {
  [[ -n $serve_pid ]] && { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
S() { "$CLI" --data-dir "$tmp/data" "$@"; }

printf 'kind: shell\nname: t%s\nscript: "true"\n' 1 2 3 4 5 | csplit -s -z -f "$tmp/t" - '/^kind/' '{*}'
for f in "$tmp"/t0*; do S template apply -f "$f" >/dev/null; done
S run t1 >/dev/null 2>&1
/usr/bin/python3 scripts/lib/seed-history.py "$tmp/data/simple-cicd.db" "$N" >/dev/null
# 10,000 lines a second for 5 seconds.
printf '%s\n' 'kind: shell' 'name: lines' 'script: |' \
  '  for s in 0 1 2 3 4; do seq $((s * 10000 + 1)) $((s * 10000 + 10000)); sleep 1; done' >"$tmp/lines.yaml"
S template apply -f "$tmp/lines.yaml" >/dev/null
S config set retention.maxRunsPerTemplate 0 >/dev/null   # serve's retention would prune the seeded history

PASSWORD=bench-password-1
printf '%s' "$PASSWORD" | S user add ana --role admin >/dev/null
TOKEN=$(S token create bench --user ana --scopes read,run | grep -o 'scicd_[A-Za-z0-9_-]*' | head -1)
[[ -n $TOKEN ]] || { echo "no token was printed by scicd token create" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
# The binary itself in the background (through the S function, $! would be a subshell and
# killing it would leave scicd running).
"$CLI" --data-dir "$tmp/data" serve --listen "127.0.0.1:$PORT" >"$tmp/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 200); do curl -sf "$BASE/api/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$BASE/api/health" >/dev/null || { echo "scicd serve did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"

# wrk's summary: requests/s, p50 and p99 (in ms).
load() {
  wrk -t2 -c16 -d"${SECS}s" --latency -H "$AUTH" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%8.0f req/s   p50 %6.2f ms   p99 %6.2f ms%s\n", rps, p50, p99, (bad ? "   NON-2xx " bad : "") }'
}
echo "HTTP API, scicd serve ($profile) on loopback, $(nproc) cores; wrk 2 threads, 16 connections, ${SECS} s"
printf '  GET /api/v1/me (baseline)            %s\n' "$(load "$BASE/api/v1/me")"
printf '  GET /api/v1/runs?limit=50 (%d runs) %s\n' "$N" "$(load "$BASE/api/v1/runs?limit=50")"

# The live log over SSE, followed from the run's start.
run_json=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d '{"template":"lines","params":{}}' "$BASE/api/v1/runs")
RUN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$run_json")
python3 - "$BASE/api/v1/runs/$RUN/events" "$TOKEN" "$tmp/sse.txt" <<'PY'
import sys, time, json, urllib.request
url, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
lines, event, first, ended = 0, None, None, None
with urllib.request.urlopen(req, timeout=60) as r:
    for raw in r:
        line = raw.decode().rstrip("\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:") and event == "lines":
            lines += len(json.loads(line[5:])["data"])
            first = first or time.time()
        elif line.startswith("data:") and event == "end":
            ended = time.time()
            break
open(out, "w").write(f"{lines} {ended or 0:.3f}\n")
PY
read -r got sse_end <"$tmp/sse.txt"
read -r logged finished < <(S runs show "$RUN" --json | python3 -c '
import json, sys, datetime
r = json.load(sys.stdin); r = r.get("run", r)
end = r.get("finishedAt")
t = datetime.datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp() if end else 0
print(r.get("logLines", 0), f"{t:.3f}")')
awk -v g="$got" -v l="$logged" -v e="$sse_end" -v f="$finished" 'BEGIN {
  printf "  live log over SSE, 10,000 lines/s    %d of %d lines received (%s)", g, l, (g >= l ? "none lost" : "LOST " l - g)
  if (f > 0 && e > 0) printf ", the stream ended %.0f ms after the run", (e - f) * 1000
  printf "\n" }'

# Sign-in cost against a token-checked request, sequential.
avg_ms() {
  local n=20 start end
  start=$(date +%s%N)
  for ((i = 0; i < n; i++)); do "$@" >/dev/null; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n=$n 'BEGIN{printf "%.1f", ns/n/1e6}'
}
me=$(avg_ms curl -sf -H "$AUTH" "$BASE/api/v1/me")
signin=$(avg_ms curl -sf -H 'Content-Type: application/json' -d "{\"name\":\"ana\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/signin")
printf '  sign-in (argon2id), sequential       %6s ms   (GET /api/v1/me with curl: %s ms; ratio %s)\n' \
  "$signin" "$me" "$(awk -v a="$signin" -v b="$me" 'BEGIN{printf "%.1f", a/b}')"
