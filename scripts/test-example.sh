#!/usr/bin/env bash
# The worked example, end to end, as the tutorial tells it (docs/example.md), with the real scicd
# and scripts/example.sh in a temp dir of their own:
#   1. scripts/example.sh --no-approve: the first push reaches `scicd serve` as a signed webhook and
#      starts the pipeline webapp, which tests, builds and pushes, then waits for its approval;
#      nothing is served before it;
#   2. `scicd approve`: the app answers on its port with page version 1 (the pushed commit);
#   3. a second push (VERSION 2), delivered by the webhook, approved: page version 2;
#   4. `scicd app rollback webapp --to 1`: page version 1 again;
#   5. scripts/example.sh again: idempotent, nothing started twice, nothing run;
#   6. (Helm) scripts/example.sh --helm: the pipeline webapp-k8s deploys the chart to the local
#      cluster, the page answers through kubectl port-forward;
#   7. scripts/example.sh --down: no container, release, port or process of the example is left;
#      --down --purge removes its files and images.
# Docker (scripts/services/dockerd.sh), compose v2 and, for the Helm part, the cluster
# (scripts/services/k8s.sh) must be running: a missing one fails the test, it never skips.
#
# Usage: scripts/test-example.sh [--no-helm]
#   SCICD  the scicd binary [$CARGO_TARGET_DIR/debug/scicd, built by `cargo build -p scicd`]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"

HELM=1
[[ ${1:-} == --no-helm ]] && HELM=0
SCICD=${SCICD:-$(cli_bin debug)}
export SCICD
EXAMPLE_DIR=   # made once the checks before the test passed
DATA=
APP=http://127.0.0.1:8088
KUBECTL=${SIMPLE_CICD_KUBECTL:-/var/cache/simple-cicd/tools/kubectl/kubectl}
KUBECONFIG_FILE=${SIMPLE_CICD_TEST_KUBECONFIG:-/var/cache/k8s-local/run/admin.kubeconfig}
PASSED=0
# No desktop here: with DISPLAY set and no session bus, notifications would autolaunch a D-Bus.
unset DISPLAY WAYLAND_DISPLAY
FAILED=0
DOWN_DONE=0
T0=$SECONDS

scicd() { SIMPLE_CICD_DATA_DIR=$DATA SIMPLE_CICD_SECRETS_KEY=$(cat "$EXAMPLE_DIR/secrets.key") "$SCICD" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
pass() { PASSED=$((PASSED + 1)); ok "ok ($((SECONDS - T0)) s): $*"; }
fail() { FAILED=$((FAILED + 1)); printf '%s[%s] FAIL: %s%s\n' "$_c_red" "$LOG_PREFIX" "$*" "$_c_off" >&2; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# expect: a check that must pass for the rest to mean anything.
expect() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; finish; fi; }

page() { curl -fsS --max-time 3 "$APP/" 2>/dev/null; }
# page_says VERSION [COMMIT]: the page shows that version (and commit), within 20 s.
page_says() {
  local i p
  for ((i = 0; i < 40; i++)); do
    p=$(page || true)
    if grep -q "Version <strong id=\"version\">$1</strong>" <<<"$p" && { [[ -z ${2:-} ]] || grep -q "${2:0:8}" <<<"$p"; }; then
      return 0
    fi
    sleep 0.5
  done
  printf 'the page at %s/ says:\n%s\n' "$APP" "${p:-(nothing: it does not answer)}" >&2
  return 1
}
newest_run() { scicd runs list --json --template "$1" --limit 1 | json 'd[0]["id"] if d else 0'; }
run_field() { scicd runs show "$1" --json | json "$2"; }
# wait_status RUN STATUS: within 5 minutes (1 when the run ended otherwise).
wait_status() {
  local i s
  for ((i = 0; i < 600; i++)); do
    s=$(run_field "$1" 'd["status"]')
    [[ $s == "$2" ]] && return 0
    case $s in succeeded | failed | cancelled | timed_out | interrupted)
      scicd runs show "$1" >&2 || true
      scicd logs "$1" 2>&1 | tail -40 >&2 || true
      return 1 ;;
    esac
    sleep 0.5
  done
  warn "run $1 is still $s after 5 minutes"
  return 1
}
# wait_new_run TEMPLATE BEFORE: the id of a run newer than BEFORE, within 20 s.
wait_new_run() {
  local i id
  for ((i = 0; i < 100; i++)); do
    id=$(newest_run "$1")
    [[ $id != "$2" ]] && { printf '%s\n' "$id"; return 0; }
    sleep 0.2
  done
  return 1
}
head_commit() { git -C "$EXAMPLE_DIR/work" rev-parse HEAD; }
port_closed() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
example_containers() { docker ps -aq --filter label=com.docker.compose.project=webapp; }
helm_release_pods() {
  "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=10s -n webapp get pods \
    -l app.kubernetes.io/instance=webapp -o name 2>/dev/null || echo "(kubectl could not list the pods)"
}

helm_pods_gone() {
  local i
  for ((i = 0; i < 120; i++)); do [[ -z $(helm_release_pods) ]] && return 0; sleep 0.5; done
  helm_release_pods >&2
  return 1
}

# The page through `kubectl port-forward` to the release's Service.
helm_page_says() {
  local port=18089 pf rc=1 i p
  "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" -n webapp port-forward svc/webapp "$port:80" >"$EXAMPLE_DIR/pf.log" 2>&1 &
  pf=$!
  for ((i = 0; i < 40; i++)); do
    p=$(curl -fsS --max-time 3 "http://127.0.0.1:$port/" 2>/dev/null || true)
    if grep -q "Version <strong id=\"version\">$1</strong>" <<<"$p"; then rc=0; break; fi
    sleep 0.5
  done
  kill "$pf" 2>/dev/null || true
  wait "$pf" 2>/dev/null || true
  ((rc == 0)) || { cat "$EXAMPLE_DIR/pf.log" >&2; printf 'the page through port-forward says:\n%s\n' "${p:-(nothing)}" >&2; }
  return $rc
}

down() {
  ((DOWN_DONE)) && return 0
  DOWN_DONE=1
  "$REPO_ROOT/scripts/example.sh" --down
}

finish() {
  local rc=0 left
  trap - EXIT
  down || fail "scripts/example.sh --down failed"
  check "no container of the example is left" test -z "$(example_containers)"
  for port in 8088 8751 9418 5000; do check "nothing listens on 127.0.0.1:$port any more" port_closed "$port"; done
  if ((HELM)); then check "the Helm release's pods are gone (within 60 s)" helm_pods_gone; fi
  left=$(proc_tag_list)
  if [[ -n $left ]]; then
    fail "processes of the example are still running: $(tr '\n' ' ' <<<"$left")"
    proc_tag_sweep
  else
    pass "no process of the example is left (checked /proc for SCICD_PROC_TAG)"
  fi
  if ((FAILED)); then
    local log
    for log in "$EXAMPLE_DIR"/run/*.log; do
      [[ -s $log ]] || continue
      printf '%s--- the last lines of %s ---%s\n' "$_c_bold" "$log" "$_c_off" >&2
      tail -30 "$log" >&2
    done
  fi
  "$REPO_ROOT/scripts/example.sh" --down --purge >/dev/null 2>&1 || true
  check "--down --purge removes the example's files" test ! -e "$EXAMPLE_DIR"
  check "--down --purge removes the example's images" \
    test -z "$(docker images -q 'localhost:5000/webapp'; docker images -q simple-cicd-example/busybox)"
  rm -rf "$EXAMPLE_DIR"
  ((FAILED == 0)) || rc=1
  printf 'example: %d passed, %d failed\n' "$PASSED" "$FAILED"
  exit "$rc"
}

main() {
  local before run1 run2 run3 commit1 commit2
  [[ -x $SCICD ]] || die "$SCICD not found: cargo build -p scicd (or set SCICD)"
  docker info >/dev/null 2>&1 || die "no Docker daemon answers: scripts/services/dockerd.sh start (scripts/test.sh's services step)"
  docker compose version 2>/dev/null | grep -q 'version v2\.' || die "Docker Compose v2 is missing: scripts/deploy-tools.sh install"
  if ((HELM)); then
    "$REPO_ROOT/scripts/services/k8s.sh" status >/dev/null 2>&1 ||
      die "the local Kubernetes does not answer: scripts/services/k8s.sh start (scripts/test.sh's services step), or --no-helm"
  fi
  for port in 8088 8751 9418 5000; do
    port_closed "$port" || die "127.0.0.1:$port is taken: the example needs it (is scripts/example.sh running? --down stops it)"
  done
  [[ -z $(example_containers) ]] || die "containers of the compose project webapp exist already: scripts/example.sh --down"
  EXAMPLE_DIR=$(mktemp -d -t simple-cicd-example-test.XXXXXX)
  DATA=$EXAMPLE_DIR/data
  export EXAMPLE_DIR
  proc_tag_init
  trap finish EXIT
  info "example dir $EXAMPLE_DIR, scicd $SCICD"

  # 1. The first push starts the pipeline by webhook; it waits for the approval.
  expect "scripts/example.sh --no-approve sets everything up and pushes" "$REPO_ROOT/scripts/example.sh" --no-approve
  run1=$(newest_run webapp)
  commit1=$(head_commit)
  check "the push started run #1 of webapp by webhook" test "$(run_field "$run1" 'd["number"], d["trigger"].split(" delivery ")[0]')" == "(1, 'webhook gitea')"
  check "the run builds the pushed commit" test "$(run_field "$run1" 'd["commit"]["sha"]')" == "$commit1"
  expect "run #1 waits for its approval" wait_status "$run1" waiting
  check "nothing is served before the approval" test -z "$(page || true)"

  # 2. The approval is given: deploy and check; version 1 is served.
  expect "scicd approve gives the approval" scicd approve "$run1" --comment "from test-example.sh"
  expect "run #1 succeeds" wait_status "$run1" succeeded
  check "the app answers on port 8088 with page version 1 of the pushed commit" page_says 1 "$commit1"
  check "the JSON API answers with version 1" bash -c "curl -fsS $APP/cgi-bin/info | grep -q '\"version\": \"1\"'"

  # 3. A second push, delivered by the webhook: version 2.
  before=$(newest_run webapp)
  (cd "$EXAMPLE_DIR/work" && echo 2 >VERSION && git -c user.name=tester -c user.email=t@localhost commit -qam "version 2" &&
    git push -q origin main) 2>&1 | sed 's/^/    /' >&2
  commit2=$(head_commit)
  run2=$(wait_new_run webapp "$before") || { fail "the second push started no run"; finish; }
  check "the second push started run #2 by webhook" test "$(run_field "$run2" 'd["number"], d["trigger"].split(" delivery ")[0]')" == "(2, 'webhook gitea')"
  expect "run #2 waits for its approval" wait_status "$run2" waiting
  check "version 1 is still served while run #2 waits" page_says 1
  expect "scicd approve gives the approval" scicd approve "$run2"
  expect "run #2 succeeds" wait_status "$run2" succeeded
  check "the app serves page version 2 of the second commit" page_says 2 "$commit2"

  # 4. Rollback to the first revision.
  expect "scicd app rollback webapp --to 1 succeeds" scicd app rollback webapp --to 1
  check "the app serves page version 1 again" page_says 1 "$commit1"
  check "the app's newest revision is the rollback to #1" \
    test "$(scicd app show webapp --json | json '(d["revisions"][0]["number"], d["revisions"][0]["trigger"].split(" by ")[0], d["healthy"])')" == "(3, 'rollback to #1', True)"

  # 5. Idempotent: a second scripts/example.sh starts nothing and runs nothing.
  before=$(scicd runs list --json --limit 100 | json 'len(d)')
  "$REPO_ROOT/scripts/example.sh" >"$EXAMPLE_DIR/again.out" 2>&1 || { cat "$EXAMPLE_DIR/again.out" >&2; fail "scripts/example.sh again"; finish; }
  check "the second scripts/example.sh started nothing" grep -q "Started now: nothing, it was all running already" "$EXAMPLE_DIR/again.out"
  check "the second scripts/example.sh ran nothing" test "$(scicd runs list --json --limit 100 | json 'len(d)')" == "$before"

  # 6. Helm: the chart on the local cluster, the page through port-forward.
  if ((HELM)); then
    before=$(newest_run webapp-k8s)
    expect "scripts/example.sh --helm deploys to the local cluster" "$REPO_ROOT/scripts/example.sh" --helm
    run3=$(newest_run webapp-k8s)
    check "the pipeline webapp-k8s succeeded" test "$(run_field "$run3" 'd["status"]')" == succeeded
    check "the Helm app is healthy" test "$(scicd app show webapp@local/webapp --json | json 'd["healthy"]')" == True
    check "the release serves page version 2 (through kubectl port-forward)" helm_page_says 2
  fi
  finish
}

main "$@"
