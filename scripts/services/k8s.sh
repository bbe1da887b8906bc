#!/usr/bin/env bash
# A real Kubernetes v1.20.2 on loopback for simple-cicd's cluster and Helm tests (RECIPE-CD §2): the
# API server, controller-manager, scheduler and a kubelet built from Debian bookworm's `kubernetes`
# source package (offline, with Debian's Go 1.19), Debian's etcd 3.4, and a dockerd of its own (own
# socket, data root and bridge k8sr0, so the project's dockerd is not disturbed) for the pods.
#
#   scripts/services/k8s.sh build [--background]
#                                 build the binaries once per machine into $K8S_WORK/bin (about 14 min
#                                 of 2 cores, 3.7 GB); a second build waits for a running one (lock)
#   scripts/services/k8s.sh build-cancel   stop a build started with --background
#   scripts/services/k8s.sh [start]        certificates (kept), a fresh etcd, API server, node Ready
#   scripts/services/k8s.sh stop           stop everything start started, by PID; bridge, mounts
#   scripts/services/k8s.sh status         exit 1 unless the API server is ready and the node Ready
#   scripts/services/k8s.sh env            print the variables the tests read (eval "$(... env)")
#
# Environment (defaults in brackets):
#   K8S_WORK             [/var/cache/k8s-local]  binaries, sources, go cache, run/ (pki, logs, pids)
#   SIMPLE_CICD_KUBECTL  [/var/cache/simple-cicd/tools/kubectl/kubectl, else kubectl on PATH]
#                        (scripts/deploy-tools.sh installs it)
# The tests read SIMPLE_CICD_TEST_KUBECONFIG [$K8S_WORK/run/admin.kubeconfig].
#
# Sandbox pitfalls handled here: negative oom_score_adj is forbidden (a runc wrapper sets 0); the
# kubelet refuses a loopback node IP, so the API server reaches it by hostname; nothing can be pulled,
# so the pause image and an `nginx:1.16.0` stand-in (busybox httpd on :80) are built locally.
set -euo pipefail

W=${K8S_WORK:-/var/cache/k8s-local}
B=$W/bin R=$W/run P=$W/run/pki
SRCDIR=$W/k8s-src/kubernetes-1.20.2
K8S_SOURCE_VERSION=1.20.5+really1.20.2-1.1+deb12u1
DSOCK=unix://$W/docker/docker.sock
BRIDGE=k8sr0 BRIDGE_CIDR=172.31.254.1/24
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet)

say() { printf 'k8s.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

kubectl_bin() {
  local k=${SIMPLE_CICD_KUBECTL:-/var/cache/simple-cicd/tools/kubectl/kubectl}
  if [[ -x $k ]]; then printf '%s\n' "$k"; return; fi
  command -v kubectl 2>/dev/null || die "kubectl not found ($k nor on PATH): install it with scripts/deploy-tools.sh"
}
kc() { "$(kubectl_bin)" --kubeconfig "$R/admin.kubeconfig" --request-timeout=5s "$@"; }

binaries_present() { local c; for c in "${COMPONENTS[@]}"; do [[ -x $B/$c ]] || return 1; done; }

# --- build ------------------------------------------------------------------------------------------

build() {
  if [[ ${1:-} == --background ]]; then
    binaries_present && { say "binaries present in $B"; return 0; }
    mkdir -p "$W"
    (setsid "$0" build >"$W/build.log" 2>&1 </dev/null &
     echo $! >"$W/build.pid")
    say "building in the background (pid $(cat "$W/build.pid"), log $W/build.log)"
    return 0
  fi
  mkdir -p "$W"
  exec 9>"$W/build.lock"
  if ! flock -n 9; then
    say "another build runs (log $W/build.log): waiting for it"
    flock 9
  fi
  binaries_present && { say "binaries present in $B"; return 0; }
  local started=$SECONDS policy=/usr/sbin/policy-rc.d added_policy=0
  # etcd-server would start the system's etcd on install; this script runs its own (policy-rc.d
  # 101 = refuse, as bootstrap.sh does).
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=1200 install -y -q --no-install-recommends \
    golang-1.19-go etcd-server rsync make gcc libc6-dev busybox-static iproute2 iptables openssl || {
    ((added_policy)) && rm -f "$policy"
    die "apt-get install of the build dependencies failed (above)"
  }
  ((added_policy)) && rm -f "$policy"
  # A private apt configuration: deb-src twins of the machine's own Debian entries; /etc/apt untouched.
  mkdir -p "$W/apt/lists/partial" "$W/apt/cache/archives/partial" "$W/apt/parts" "$W/k8s-src"
  [[ -f /etc/apt/sources.list.d/debian.sources ]] ||
    die "no /etc/apt/sources.list.d/debian.sources: this build expects Debian 12's deb822 sources"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$W/apt/parts/debian-src.sources"
  printf 'Dir::Etc::SourceList "/dev/null";\nDir::Etc::SourceParts "%s";\nDir::State::Lists "%s";\nDir::Cache "%s";\n' \
    "$W/apt/parts" "$W/apt/lists" "$W/apt/cache" >"$W/apt/apt.conf"
  if [[ ! -d $SRCDIR ]]; then
    APT_CONFIG=$W/apt/apt.conf apt-get update -q
    (cd "$W/k8s-src" && APT_CONFIG=$W/apt/apt.conf apt-get source --download-only "kubernetes=$K8S_SOURCE_VERSION" &&
      tar xzf kubernetes_1.20.5+really1.20.2.orig.tar.gz)
  fi
  printf "KUBE_GIT_COMMIT='debian-src-1.20.5-really1.20.2'\nKUBE_GIT_TREE_STATE='clean'\nKUBE_GIT_VERSION='v1.20.2'\nKUBE_GIT_MAJOR='1'\nKUBE_GIT_MINOR='20'\n" \
    >"$W/k8s-version.env"
  # GOCACHE in the work dir: an interrupted build resumes, whatever HOME the caller had.
  (cd "$SRCDIR" && PATH=/usr/lib/go-1.19/bin:$PATH GOPROXY=off GOCACHE=$W/go-cache \
    KUBE_GIT_VERSION_FILE=$W/k8s-version.env \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet" GOLDFLAGS="-s -w")
  mkdir -p "$B"
  local c
  for c in "${COMPONENTS[@]}"; do install -m 755 "$SRCDIR/_output/local/bin/linux/amd64/$c" "$B/$c.new"; done
  for c in "${COMPONENTS[@]}"; do mv -f "$B/$c.new" "$B/$c"; done
  say "built ${COMPONENTS[*]} into $B in $((SECONDS - started)) s"
}

build_cancel() {
  local pid
  pid=$(cat "$W/build.pid" 2>/dev/null || true)
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  say "stopping the background build (process group $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$W/build.pid"
}

# --- certificates: a CA, the API server's serving certificate, client certificates, kubeconfigs ------

pki() {
  local host
  host=$(hostname)
  # Kept across starts; made again when the hostname (in the kubelet's certificate) changed.
  if [[ -s $R/admin.kubeconfig && $(cat "$P/hostname" 2>/dev/null) == "$host" ]]; then return 0; fi
  rm -rf "$P" && mkdir -p "$P"
  (
    cd "$P"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=local-k8s-ca" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.0.0.1\nextendedKeyUsage=serverAuth\n' >srv.ext
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile srv.ext 2>/dev/null
    printf 'extendedKeyUsage=clientAuth,serverAuth\n' >cli.ext
    mk() { # file CN O
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/O=$3/CN=$2" 2>/dev/null
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile cli.ext 2>/dev/null
    }
    mk admin admin system:masters
    mk controller-manager system:kube-controller-manager system:kube-controller-manager
    mk scheduler system:kube-scheduler system:kube-scheduler
    mk kubelet "system:node:$host" system:nodes
    mk apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  local n k
  k=$(kubectl_bin)
  for n in admin controller-manager scheduler kubelet; do
    rm -f "$R/$n.kubeconfig"
    "$k" --kubeconfig "$R/$n.kubeconfig" config set-cluster local --server=https://127.0.0.1:6443 \
      --certificate-authority="$P/ca.crt" --embed-certs >/dev/null
    "$k" --kubeconfig "$R/$n.kubeconfig" config set-credentials "$n" --client-certificate="$P/$n.crt" \
      --client-key="$P/$n.key" --embed-certs >/dev/null
    "$k" --kubeconfig "$R/$n.kubeconfig" config set-context local --cluster=local --user="$n" >/dev/null
    "$k" --kubeconfig "$R/$n.kubeconfig" config use-context local >/dev/null
  done
  chmod 600 "$R"/*.kubeconfig "$P"/*.key
  printf '%s\n' "$host" >"$P/hostname"
}

# start_bg NAME CMD...: CMD in its own session, log in run/logs/NAME.log, pid in run/NAME.pid.
start_bg() {
  local name=$1
  shift
  (setsid "$@" >"$R/logs/$name.log" 2>&1 </dev/null &
   echo $! >"$R/$name.pid")
}

# --- the cluster's own dockerd, with the runc wrapper and the local images ----------------------------

docker_up() {
  mkdir -p "$W/docker/data" "$W/docker/exec" "$W/images/pause" "$W/images/nginx"
  cat >"$W/runc-nooom" <<'EOF'
#!/bin/sh
# runc, with a negative oomScoreAdj (forbidden in this sandbox) replaced by 0 in the bundle or process.
prev=""
for a in "$@"; do
  case "$prev" in
    --bundle|-b) [ -f "$a/config.json" ] && sed -i -E 's/"oomScoreAdj":-[0-9]+/"oomScoreAdj":0/' "$a/config.json" ;;
    --process|-p) [ -f "$a" ] && sed -i -E 's/"oomScoreAdj":-[0-9]+/"oomScoreAdj":0/' "$a" ;;
  esac
  prev="$a"
done
exec /usr/sbin/runc "$@"
EOF
  chmod +x "$W/runc-nooom"
  ip link show "$BRIDGE" >/dev/null 2>&1 ||
    { ip link add name "$BRIDGE" type bridge && ip addr add "$BRIDGE_CIDR" dev "$BRIDGE" && ip link set "$BRIDGE" up; }
  if ! DOCKER_HOST=$DSOCK docker version >/dev/null 2>&1; then
    (setsid dockerd --data-root "$W/docker/data" --exec-root "$W/docker/exec" -H "$DSOCK" \
      --pidfile "$W/docker/docker.pid" --bridge="$BRIDGE" --add-runtime "runc-nooom=$W/runc-nooom" \
      --default-runtime runc-nooom >"$W/docker/dockerd.log" 2>&1 </dev/null &)
    local i
    for i in $(seq 1 60); do DOCKER_HOST=$DSOCK docker version >/dev/null 2>&1 && break; sleep 0.5; done
    DOCKER_HOST=$DSOCK docker version >/dev/null 2>&1 || { tail -20 "$W/docker/dockerd.log" >&2; die "the cluster's dockerd did not answer on $DSOCK within 30 s (log above)"; }
  fi
  printf '#include <signal.h>\n#include <unistd.h>\n#include <sys/wait.h>\nstatic void d(int s){(void)s;_exit(0);}\nstatic void r(int s){(void)s;while(waitpid(-1,0,WNOHANG)>0);}\nint main(void){signal(SIGINT,d);signal(SIGTERM,d);signal(SIGCHLD,r);for(;;)pause();}\n' >"$W/images/pause/pause.c"
  [[ -x $W/images/pause/pause ]] || gcc -static -O2 -o "$W/images/pause/pause" "$W/images/pause/pause.c"
  printf 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause"]\n' >"$W/images/pause/Dockerfile"
  cp /bin/busybox "$W/images/nginx/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nRUN mkdir -p /www /tmp && echo ok > /www/index.html\nEXPOSE 80\nCMD ["/bin/httpd","-f","-v","-p","80","-h","/www"]\n' >"$W/images/nginx/Dockerfile"
  local image dir
  for image in local/pause:3.2=pause nginx:1.16.0=nginx; do
    dir=${image#*=} image=${image%=*}
    DOCKER_HOST=$DSOCK docker image inspect "$image" >/dev/null 2>&1 ||
      DOCKER_HOST=$DSOCK DOCKER_BUILDKIT=0 docker build -q -t "$image" "$W/images/$dir" >/dev/null
  done
}

# --- control plane and node --------------------------------------------------------------------------

apiserver_ready() { kc get --raw /readyz >/dev/null 2>&1; }
node_ready() { kc get node "$(hostname)" --no-headers 2>/dev/null | grep -qw Ready; }

control_plane_up() {
  rm -rf "$R/etcd-data"   # a fresh cluster on every start: nothing of an earlier run is left in it
  mkdir -p "$R/etcd-data" "$R/logs"
  start_bg etcd etcd --name local --data-dir "$R/etcd-data" \
    --listen-client-urls http://127.0.0.1:12379 --advertise-client-urls http://127.0.0.1:12379 \
    --listen-peer-urls http://127.0.0.1:12380 --initial-advertise-peer-urls http://127.0.0.1:12380 \
    --initial-cluster local=http://127.0.0.1:12380
  start_bg kube-apiserver "$B/kube-apiserver" --etcd-servers=http://127.0.0.1:12379 \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=6443 \
    --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" --client-ca-file="$P/ca.crt" \
    --kubelet-client-certificate="$P/apiserver-kubelet-client.crt" --kubelet-client-key="$P/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=Hostname \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 --authorization-mode=Node,RBAC --allow-privileged=true
  local i
  for i in $(seq 1 120); do apiserver_ready && { say "API server ready (${i}x0.5 s)"; return 0; }; sleep 0.5; done
  tail -20 "$R/logs/kube-apiserver.log" >&2
  die "the API server was not ready within 60 s (log above, $R/logs/kube-apiserver.log)"
}

node_up() {
  mkdir -p "$R/kubelet"
  start_bg kube-controller-manager "$B/kube-controller-manager" --kubeconfig="$R/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --port=0 --leader-elect=false --service-account-private-key-file="$P/sa.key" \
    --root-ca-file="$P/ca.crt" --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
    --use-service-account-credentials=true --authentication-kubeconfig="$R/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$R/controller-manager.kubeconfig"
  start_bg kube-scheduler "$B/kube-scheduler" --kubeconfig="$R/scheduler.kubeconfig" --bind-address=127.0.0.1 \
    --port=0 --leader-elect=false --authentication-kubeconfig="$R/scheduler.kubeconfig" \
    --authorization-kubeconfig="$R/scheduler.kubeconfig"
  cat >"$R/kubelet-config.yaml" <<EOC
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
readOnlyPort: 0
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $P/ca.crt}}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
clusterDomain: cluster.local
tlsCertFile: $P/kubelet.crt
tlsPrivateKeyFile: $P/kubelet.key
# Absolute thresholds: on a shared machine whose disk dips for a moment (a big build), a percentage
# made the kubelet delete the local images and refuse pods until it restarted.
evictionHard: {memory.available: "100Mi", nodefs.available: "256Mi", imagefs.available: "256Mi"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOC
  start_bg kubelet "$B/kubelet" --kubeconfig="$R/kubelet.kubeconfig" --config="$R/kubelet-config.yaml" \
    --root-dir="$R/kubelet" --container-runtime=docker --docker-endpoint="$DSOCK" \
    --pod-infra-container-image=local/pause:3.2 --hostname-override="$(hostname)"
  local i
  for i in $(seq 1 120); do node_ready && { say "node $(hostname) Ready (${i}x0.5 s)"; return 0; }; sleep 0.5; done
  tail -20 "$R/logs/kubelet.log" >&2
  die "node $(hostname) was not Ready within 60 s (log above, $R/logs/kubelet.log)"
}

start() {
  binaries_present || die "the Kubernetes binaries are not in $B: build them once with $0 build (about 14 min)"
  local c
  for c in etcd dockerd; do command -v "$c" >/dev/null || die "$c is missing: $0 build installs it (apt)"; done
  if apiserver_ready && node_ready; then
    say "the cluster already answers (https://127.0.0.1:6443, node $(hostname) Ready)"
    return 0
  fi
  # A half-started cluster from before (a crash): stop what its pid files name, then start afresh.
  stop 2>/dev/null || true
  local started=$SECONDS
  mkdir -p "$R/logs"
  pki
  docker_up
  control_plane_up
  node_up
  say "cluster up in $((SECONDS - started)) s; KUBECONFIG=$R/admin.kubeconfig"
}

# stop_pids PID...: TERM all, up to 15 s, TERM again (Kubernetes exits at once on a second
# signal), then KILL what is left.
stop_pids() {
  local pid alive
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 60); do
    alive=()
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    ((${#alive[@]})) || return 0
    sleep 0.25
  done
  kill "${alive[@]}" 2>/dev/null || true
  sleep 2
  kill -9 "${alive[@]}" 2>/dev/null || true
}

# pids_of NAME...: the recorded PIDs of these components (and forget them).
pids_of() {
  local c
  for c in "$@"; do
    [[ -f $R/$c.pid ]] && cat "$R/$c.pid"
    rm -f "$R/$c.pid"
  done
}

stop() {
  local ids pids
  # The Kubernetes components together, then etcd (which they write to), then their dockerd.
  mapfile -t pids < <(pids_of kubelet kube-scheduler kube-controller-manager kube-apiserver)
  ((${#pids[@]} == 0)) || stop_pids "${pids[@]}"
  mapfile -t pids < <(pids_of etcd)
  ((${#pids[@]} == 0)) || stop_pids "${pids[@]}"
  if [[ -f $W/docker/docker.pid ]]; then
    ids=$(DOCKER_HOST=$DSOCK docker ps -aq --filter name=k8s_ 2>/dev/null || true)
    # shellcheck disable=SC2086
    [[ -z $ids ]] || DOCKER_HOST=$DSOCK docker rm -f $ids >/dev/null 2>&1 || true
    stop_pids "$(cat "$W/docker/docker.pid")"
    rm -f "$W/docker/docker.pid"
  fi
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE" || true; fi
  # dockerd leaves its iptables rules behind; drop only those naming our bridge.
  iptables -t nat -S 2>/dev/null | grep -E "$BRIDGE|172\.31\.254\." | sed 's/^-A/-D/' |
    while read -r r; do eval "iptables -t nat $r" || true; done
  iptables -S 2>/dev/null | grep -E "$BRIDGE" | sed 's/^-A/-D/' | while read -r r; do eval "iptables $r" || true; done
  grep -o " $W/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null || true
}

status() {
  local rc=0
  if apiserver_ready; then say "API server https://127.0.0.1:6443 ready"; else say "API server https://127.0.0.1:6443 does not answer"; rc=1; fi
  if node_ready; then say "node $(hostname) Ready"; else say "node $(hostname) not Ready"; rc=1; fi
  return $rc
}

case ${1:-start} in
  build) build "${2:-}" ;;
  build-cancel) build_cancel ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) printf 'export SIMPLE_CICD_TEST_KUBECONFIG=%q\n' "$R/admin.kubeconfig" ;;
  -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "usage: $0 build [--background]|build-cancel|start|stop|status|env" ;;
esac
