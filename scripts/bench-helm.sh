#!/usr/bin/env bash
# A Helm upgrade through simple-cicd against the helm CLI, on the same release of the same cluster
# (scripts/services/k8s.sh): the tests' demo chart (a Deployment of the local nginx stand-in with a
# readiness probe), each upgrade changing a value of the pod template so that a new pod rolls out,
# N times each way, alternating:
#   simple-cicd   `scicd run`: checks, git source, helm lint, helm template, helm upgrade --install
#                 --wait with rollback on failure, status and readiness, the revision recorded
#   helm CLI      `helm upgrade --install --wait --atomic` (Helm 3) / `--wait=watcher
#                 --rollback-on-failure` (Helm 4)
# Prints the median of each and the ratio simple-cicd / helm CLI (aim: within 1.10).
#
# Usage: scripts/bench-helm.sh [N]   (default 5)
# Needs: the cluster (scripts/services/k8s.sh start), helm and kubectl (scripts/deploy-tools.sh;
# HELM=path, default the Helm 4 of the tools), and scicd built (SCICD=path, default
# $CARGO_TARGET_DIR/release/scicd, else .../debug/scicd).
set -euo pipefail

N=${1:-5}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SCICD=${SCICD:-$([[ -x $TARGET/release/scicd ]] && echo "$TARGET/release/scicd" || echo "$TARGET/debug/scicd")}
TOOLS=/var/cache/simple-cicd/tools
HELM=${HELM:-$TOOLS/helm4/helm}
KUBECTL=${SIMPLE_CICD_KUBECTL:-$TOOLS/kubectl/kubectl}
KUBECONFIG_FILE=${SIMPLE_CICD_TEST_KUBECONFIG:-/var/cache/k8s-local/run/admin.kubeconfig}
[[ -x $SCICD ]] || { echo "scicd not found at $SCICD: cargo build -p scicd (or set SCICD)" >&2; exit 1; }
[[ -x $HELM ]] || { echo "helm not found at $HELM: scripts/deploy-tools.sh (or set HELM)" >&2; exit 1; }
"$ROOT/scripts/services/k8s.sh" status >/dev/null 2>&1 || { echo "the cluster is not up: scripts/services/k8s.sh start" >&2; exit 1; }

WORK=$(mktemp -d -t simple-cicd-bench-helm.XXXXXX)
NS=bench-helm-$$
RELEASE=bench
cleanup() {
  KUBECONFIG=$KUBECONFIG_FILE "$HELM" uninstall "$RELEASE" -n "$NS" --kube-context local >/dev/null 2>&1 || true
  "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

# The chart, in a git repository (a helm template reads its chart from the run's source).
C=$WORK/src/chart
mkdir -p "$C/templates"
printf 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1"\n' >"$C/Chart.yaml"
printf 'message: hello\nprobePath: /\n' >"$C/values.yaml"
cat >"$C/templates/deployment.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
      annotations: {message: {{ .Values.message | quote }}}
    spec:
      containers:
      - name: web
        image: nginx:1.16.0
        imagePullPolicy: Never
        ports: [{containerPort: 80, name: http}]
        readinessProbe:
          httpGet: {path: {{ .Values.probePath | quote }}, port: http}
          periodSeconds: 1
EOF
git -C "$WORK/src" init -q -b main
git -C "$WORK/src" add .
git -C "$WORK/src" -c user.name=bench -c user.email=bench@localhost commit -qm chart

DATA=$WORK/data
S() { "$SCICD" --data-dir "$DATA" "$@"; }
S config set kube.kubectl "$KUBECTL" >/dev/null
S config set kube.kubeconfig "$KUBECONFIG_FILE" >/dev/null
S config set kube.helm "$HELM" >/dev/null
S cluster add k --context local >/dev/null
S repo add charts "file://$WORK/src" >/dev/null
cat >"$WORK/release.yaml" <<EOF
kind: helm
name: release
source: { repo: charts, ref: main }
params:
  - { name: MESSAGE, type: string, default: first }
chartPath: chart
release: $RELEASE
namespace: $NS
cluster: k
waitSeconds: 120
set:
  message: "\${MESSAGE}"
EOF
S template apply -f "$WORK/release.yaml" >/dev/null
S run release >/dev/null 2>&1 || { echo "the first install through scicd failed" >&2; S runs list --limit 1 >&2; exit 1; }

MAJOR=$("$HELM" version --short | sed 's/^v\([0-9]*\).*/\1/')
if [[ $MAJOR == 3 ]]; then WAIT=(--wait --atomic); else WAIT=(--wait=watcher --rollback-on-failure); fi
scicd_times=() cli_times=()
for i in $(seq "$N"); do
  t0=$(ms); S run release -p "MESSAGE=scicd-$i" >/dev/null 2>&1 || { echo "the scicd upgrade failed" >&2; exit 1; }; t1=$(ms)
  scicd_times+=($((t1 - t0)))
  t0=$(ms)
  KUBECONFIG=$KUBECONFIG_FILE "$HELM" upgrade --install "$RELEASE" "$C" -n "$NS" --create-namespace "${WAIT[@]}" \
    --timeout 120s --kube-context local --set "message=cli-$i" >/dev/null
  t1=$(ms)
  cli_times+=($((t1 - t0)))
done
SM=$(printf '%s\n' "${scicd_times[@]}" | median)
CM=$(printf '%s\n' "${cli_times[@]}" | median)
printf 'helm upgrade (Helm %s, one Deployment rolled out), %s runs each (median)\n' "$MAJOR" "$N"
printf '  simple-cicd  %6d ms   (%s)\n' "$SM" "${scicd_times[*]}"
printf '  helm CLI     %6d ms   (%s)\n' "$CM" "${cli_times[*]}"
awk -v s="$SM" -v c="$CM" 'BEGIN { printf "  ratio        %6.2f   (aim: within 1.10)\n", s / c }'
