#!/usr/bin/env bash
# Benchmarks of issue 4 (figures only, no assertions), all on loopback:
#  1. clone and fetch through simple-cicd (`scicd repo sync`, libgit2) against `git clone --bare`
#     and `git fetch` of the same repository, over git:// (git daemon) and smart HTTP (lighttpd +
#     git-http-backend), as a ratio;
#  2. a run that checks the repository out into its workspace;
#  3. webhook deliveries per second accepted by `scicd serve` with signature checks (202, a run
#     queued each) and refused by the branch filter (200), with p50/p99 latency (at 16
#     connections, against a baseline, and with a burst killed halfway: scripts/bench-hooks.sh).
# Needs: git, lighttpd (optional), python3. Builds the release binaries first.
# Usage: scripts/bench-git.sh [COMMITS] [DELIVERIES]
set -euo pipefail
COMMITS=${1:-1500}
DELIVERIES=${2:-2000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p scicd --bin scicd --example webhook_load --manifest-path "$ROOT/Cargo.toml"
SCICD=$CARGO_TARGET_DIR/release/scicd
LOAD=$CARGO_TARGET_DIR/release/examples/webhook_load
W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

echo "== building a test repository: $COMMITS commits over 3000 files"
mkdir -p "$W/srv" && git init -q --bare -b main "$W/srv/repo.git"
python3 - "$COMMITS" <<'PY' | git -C "$W/srv/repo.git" fast-import --quiet
import random, sys
random.seed(4)
n = int(sys.argv[1]); words = [f"w{i}" for i in range(5000)]
for c in range(n):
    print(f"commit refs/heads/main\ncommitter Bench <b@example.com> {1700000000 + c} +0000")
    msg = f"commit {c}"
    print(f"data {len(msg)}\n{msg}")
    for _ in range(10 if c else 3000):
        path = f"src/d{random.randrange(60)}/f{random.randrange(3000)}.txt"
        text = " ".join(random.choice(words) for _ in range(300)) + "\n"
        print(f"M 644 inline {path}\ndata {len(text)}\n{text}")
    print()
PY
git -C "$W/srv/repo.git" gc -q
echo "   $(du -sh "$W/srv/repo.git" | cut -f1) packed, $(git -C "$W/srv/repo.git" rev-list --count main) commits"

GPORT=$(free_port)
"$(git --exec-path)/git-daemon" --reuseaddr --export-all --listen=127.0.0.1 --port="$GPORT" --base-path="$W/srv" "$W/srv" & PIDS+=($!)
URLS=("git://127.0.0.1:$GPORT/repo.git")
if command -v lighttpd >/dev/null; then
  HPORT=$(free_port)
  cat >"$W/lighttpd.conf" <<CONF
server.modules = ( "mod_alias", "mod_cgi", "mod_setenv" )
server.document-root = "$W/srv"
server.bind = "127.0.0.1"
server.port = $HPORT
alias.url = ( "/git" => "$(git --exec-path)/git-http-backend" )
\$HTTP["url"] =~ "^/git" {
  cgi.assign = ( "" => "" )
  setenv.add-environment = ( "GIT_PROJECT_ROOT" => "$W/srv", "GIT_HTTP_EXPORT_ALL" => "1" )
}
CONF
  lighttpd -D -f "$W/lighttpd.conf" & PIDS+=($!)
  URLS+=("http://127.0.0.1:$HPORT/git/repo.git")
fi
sleep 0.5

# A work clone to push new commits from.
git clone -q "$W/srv/repo.git" "$W/work"
add_commits() { for i in $(seq 1 "$1"); do echo "$RANDOM $i" >>"$W/work/src/new.txt"; git -C "$W/work" add -A; git -C "$W/work" commit -qm "new $i"; done; git -C "$W/work" push -q origin main; }

for URL in "${URLS[@]}"; do
  echo "== clone and fetch over ${URL%%:*}://"
  D="$W/data-$RANDOM"; export SIMPLE_CICD_DATA_DIR=$D
  "$SCICD" repo add bench "$URL" >/dev/null 2>&1
  t=$(ms); git clone -q --bare "$URL" "$W/gitclone-$RANDOM.git"; g_clone=$(( $(ms) - t ))
  GITCLONE=$(ls -d "$W"/gitclone-*.git | tail -1)
  t=$(ms); "$SCICD" repo sync bench >/dev/null 2>&1; s_clone=$(( $(ms) - t ))
  add_commits 20
  t=$(ms); git -C "$GITCLONE" fetch -q origin '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'; g_fetch=$(( $(ms) - t ))
  t=$(ms); "$SCICD" repo sync bench >/dev/null 2>&1; s_fetch=$(( $(ms) - t ))
  printf '   clone: simple-cicd %5d ms   git %5d ms   ratio %.2f\n' "$s_clone" "$g_clone" "$(python3 -c "print($s_clone / max($g_clone, 1))")"
  printf '   fetch (20 new commits): simple-cicd %5d ms   git %5d ms   ratio %.2f\n' "$s_fetch" "$g_fetch" "$(python3 -c "print($s_fetch / max($g_fetch, 1))")"
  rm -rf "$GITCLONE"
done

echo "== a run that checks out the repository (3000 files) into its workspace"
printf 'kind: shell\nname: co\nsource: { repo: bench, ref: main }\nscript: "true"\n' >"$W/co.yaml"
"$SCICD" template apply -f "$W/co.yaml" >/dev/null
for i in 1 2 3; do
  t=$(ms); "$SCICD" run co >/dev/null 2>&1; echo "   run $i (fetch + checkout + script): $(( $(ms) - t )) ms"
done
t=$(ms); git clone -q --shared "$W/srv/repo.git" "$W/shared-clone"; echo "   git clone --shared of the same repository: $(( $(ms) - t )) ms"

echo "== webhook deliveries (signature checked, each with its own delivery id)"
export SIMPLE_CICD_DATA_DIR="$W/hooks" SIMPLE_CICD_SECRETS_KEY="bench passphrase for webhooks"
SHA=$(git -C "$W/srv/repo.git" rev-parse main)
"$SCICD" config set secrets.backend file >/dev/null
"$SCICD" config set runs.maxParallel 1 >/dev/null
printf 'bench-secret' | "$SCICD" secret set HOOK >/dev/null
"$SCICD" repo add small "file://$W/srv/repo.git" >/dev/null 2>&1
printf 'kind: shell\nname: hooked\nsource: { repo: small, ref: main }\ntriggers:\n  - webhook: { provider: github, secret: HOOK, branches: ["main"] }\nscript: "true"\n' >"$W/h.yaml"
"$SCICD" template apply -f "$W/h.yaml" >/dev/null
"$SCICD" serve --listen 127.0.0.1:0 >"$W/serve.out" 2>/dev/null & SERVE=$!; PIDS+=($SERVE)
for _ in $(seq 1 100); do grep -q listening "$W/serve.out" && break; sleep 0.1; done
ADDR=$(sed -n 's/^listening //p' "$W/serve.out")
echo "   accepted pushes (202, a run queued each), 8 connections:"
echo "     $("$LOAD" "$ADDR" hooked bench-secret "$SHA" refs/heads/main "$DELIVERIES" 8)"
echo "   filtered pushes (200, signature checked, no run), 8 connections:"
echo "     $("$LOAD" "$ADDR" hooked bench-secret "$SHA" refs/heads/other "$DELIVERIES" 8)"
echo "   wrong signature (401), 8 connections:"
echo "     $("$LOAD" "$ADDR" hooked not-the-secret "$SHA" refs/heads/main "$DELIVERIES" 8)"
kill -TERM "$SERVE" 2>/dev/null || true
