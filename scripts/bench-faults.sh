#!/usr/bin/env bash
# Faults mid-flight (issue 15): runs the fault tests and prints one row per injected fault: the
# fault, the run's status, the first line of its message, what was left behind and the time from
# the fault to the run's end. The tests themselves assert every outcome (status, what happened and
# what to do, logs kept, nothing left, the engine still serving); this script only tabulates what
# they print (`FAULT-OUTCOME` lines) and says which tests failed.
#
#   engine (cargo test -p simple-cicd-engine --test engine faults):
#     a private dockerd stopped mid-build and mid-compose-deploy, the registry cut mid-push, an SMTP
#     server giving up after MAIL FROM (421, dropped), the git server cut mid-fetch, the Kubernetes
#     API server cut mid-Helm-upgrade (Helm 3 and 4, a proxy cut; the release left pending is
#     recovered once it is back), the disk filling mid-deploy, a full database mid-log
#   cli (cargo test -p scicd --test cli crash): the owning scicd killed (SIGKILL) during a shell,
#     pipeline, container, image build, compose launch and approval wait
#
# Usage: scripts/bench-faults.sh [--only engine|cli]
# Needs what the tests need: root (mount), dockerd (scripts/services/dockerd.sh), the test cluster
# (scripts/services/k8s.sh), compose v2, Helm and kubectl (scripts/deploy-tools.sh), docker-registry,
# git, busybox-static. Times are wall clock on a shared machine: noisy while others compile.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ONLY=
while (($#)); do
  case $1 in
    --only) ONLY=${2:?--only needs engine or cli}; shift 2 ;;
    *) echo "usage: $0 [--only engine|cli]" >&2; exit 2 ;;
  esac
done
"$ROOT/scripts/services/dockerd.sh" status >/dev/null 2>&1 || "$ROOT/scripts/services/dockerd.sh"

OUT=$(mktemp -t simple-cicd-bench-faults.XXXXXX)
trap 'rm -f "$OUT"' EXIT
rc=0
started=$(date +%s)
if [[ -z $ONLY || $ONLY == engine ]]; then
  cargo test -p simple-cicd-engine --test engine faults -- --nocapture >>"$OUT" 2>&1 || rc=$?
fi
if [[ -z $ONLY || $ONLY == cli ]]; then
  cargo test -p scicd --test cli crash -- --nocapture >>"$OUT" 2>&1 || rc=$?
fi
took=$(($(date +%s) - started))

printf '%-46s %-12s %-8s %-10s %s\n' "fault" "status" "outcome" "left" "message (first line)"
grep -a '^FAULT-OUTCOME' "$OUT" | sort -t$'\t' -k2,2 |
  awk -F'\t' '{ m = $4; if (length(m) > 110) m = substr(m, 1, 107) "..."; printf "%-46s %-12s %-8s %-10s %s\n", $2, $3, $6 " s", $5, m }'
echo
passed=$(grep -aEc '^test .* \.\.\. ok$' "$OUT" || true)
failed=$(grep -aE '^test .* \.\.\. FAILED$' "$OUT" || true)
echo "fault tests: $passed passed, $(printf '%s' "$failed" | grep -c . || true) failed, ${took}s in all (compile included)"
if [[ -n $failed || $rc -ne 0 ]]; then
  printf '%s\n' "$failed"
  echo "--- failures (cargo test output) ---"
  sed -n '/^failures:/,$p' "$OUT" | head -150
  exit 1
fi
