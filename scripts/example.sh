#!/usr/bin/env bash
# The worked example: from a push to a running app on this machine, with no server to install.
# It starts what the example needs, imports webapp's templates and pipeline
# (examples/webapp/simple-cicd/), pushes the app to a git repository whose hook sends a signed
# webhook to `scicd serve`, approves the run's deploy step, and prints the app's URL and what to
# look at in the desktop app. Run it again: what runs is left alone. `--down` stops what it started.
#
# Usage: scripts/example.sh [--helm] [--no-approve] [--data-dir DIR]    set up, push, run, approve
#        scripts/example.sh --down [--purge]                              stop what it started
#   --helm        also deploy to a local Kubernetes (scripts/services/k8s.sh; building it the first
#                 time takes about 14 minutes) with the pipeline webapp-k8s
#   --no-approve  leave the approval to you (the run page, the notification, or `scicd approve N`)
#   --data-dir    the simple-cicd data to use (default: $EXAMPLE_DIR/data, the example's own)
#   --purge       with --down: also remove $EXAMPLE_DIR (data, repository, registry) and the images
#
# Environment (defaults in brackets):
#   EXAMPLE_DIR         [${XDG_STATE_HOME:-~/.local/state}/simple-cicd-example] the example's files
#   EXAMPLE_PORT        [8088] where the app is served (the pipeline's PORT parameter)
#   EXAMPLE_GIT_PORT    [9418] git daemon, serving the repository on 127.0.0.1
#   EXAMPLE_SERVE_PORT  [8751] `scicd serve` (webhooks) on 127.0.0.1
#   SCICD               [$CARGO_TARGET_DIR/debug/scicd, built from this checkout by cargo]
# The registry is localhost:5000, as the templates name it.
# Needs Debian 12 and root (or sudo) for what it installs when missing: docker.io, docker-registry,
# busybox-static, git, curl, openssl, and compose v2 (scripts/deploy-tools.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

EXAMPLE_DIR=${EXAMPLE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/simple-cicd-example}
APP_PORT=${EXAMPLE_PORT:-8088}
GIT_PORT=${EXAMPLE_GIT_PORT:-9418}
SERVE_PORT=${EXAMPLE_SERVE_PORT:-8751}
REGISTRY=localhost:5000
BASE_IMAGE=simple-cicd-example/busybox:1
SRC=$REPO_ROOT/examples/webapp
FILES=(webapp-test webapp-image webapp-deploy webapp-check webapp-helm pipeline pipeline-helm)
RUN_DIR=$EXAMPLE_DIR/run
BARE=$EXAMPLE_DIR/git/webapp.git
WORK=$EXAMPLE_DIR/work
GIT_URL=git://127.0.0.1:$GIT_PORT/webapp.git
HELM_APP=webapp@local/webapp
DATA=
SCICD_BIN=
STARTED=()   # what this invocation started, for the summary

# --- small helpers -------------------------------------------------------------------------------

as_root() { if ((EUID == 0)); then "$@"; else sudo "$@"; fi; }
pid_alive() { local p; p=$(cat "$RUN_DIR/$1.pid" 2>/dev/null) && [[ -n $p ]] && kill -0 "$p" 2>/dev/null; }
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
scicd() { SIMPLE_CICD_DATA_DIR=$DATA SIMPLE_CICD_SECRETS_KEY=$(cat "$EXAMPLE_DIR/secrets.key") "$SCICD_BIN" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

# start_bg NAME CMD...: CMD in its own session, log and pid in $RUN_DIR.
start_bg() {
  local name=$1
  shift
  (setsid "$@" >>"$RUN_DIR/$name.log" 2>&1 </dev/null &
   echo $! >"$RUN_DIR/$name.pid")
}

# wait_port PORT NAME: up to 15 s for 127.0.0.1:PORT to accept connections.
wait_port() {
  local i
  for ((i = 0; i < 150; i++)); do port_answers "$1" && return 0; sleep 0.1; done
  tail -20 "$RUN_DIR/$2.log" >&2 2>/dev/null || true
  die "$2 does not listen on 127.0.0.1:$1 (log above, $RUN_DIR/$2.log)"
}

# stop_bg NAME: TERM the process of $RUN_DIR/NAME.pid, KILL after 10 s.
stop_bg() {
  local name=$1 pid i
  pid=$(cat "$RUN_DIR/$name.pid" 2>/dev/null || true)
  rm -f "$RUN_DIR/$name.pid"
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || { info "stopped $name (pid $pid)"; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  warn "$name (pid $pid) ignored SIGTERM: killed"
}

# --- what the example needs ----------------------------------------------------------------------

ensure_packages() {
  local missing=() c
  for c in dockerd:docker.io docker-registry:docker-registry git:git curl:curl openssl:openssl python3:python3; do
    command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}")
  done
  # The base image copies /bin/busybox into an empty image: it must be the static one.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
  if ((${#missing[@]})); then
    info "installing ${missing[*]} (apt)"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if ! docker compose version 2>/dev/null | grep -q 'version v2\.'; then
    info "installing Docker Compose v2 (scripts/deploy-tools.sh)"
    "$REPO_ROOT/scripts/deploy-tools.sh" install
  fi
}

ensure_scicd() {
  if [[ -n ${SCICD:-} ]]; then
    [[ -x $SCICD ]] || die "SCICD=$SCICD is not an executable"
    SCICD_BIN=$SCICD
    return
  fi
  # Built from this checkout (a few minutes the first time, a second when it is up to date): an
  # older binary may not read the example's files.
  info "cargo build -p scicd"
  (cd "$REPO_ROOT" && cargo build -q -p scicd) ||
    die "cargo build -p scicd failed (above): scripts/bootstrap.sh installs what the build needs; or set SCICD to a scicd binary"
  SCICD_BIN=$(cli_bin debug)
}

ensure_docker() {
  if docker info >/dev/null 2>&1; then return; fi
  info "no Docker daemon answers: starting one (scripts/services/dockerd.sh)"
  "$REPO_ROOT/scripts/services/dockerd.sh" start
  touch "$RUN_DIR/started-dockerd"
  STARTED+=(dockerd)
}

# The app's base image, built here from Debian's busybox-static: nothing is downloaded.
ensure_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return
  local dir
  dir=$(mktemp -d)
  cp /bin/busybox "$dir/busybox"
  cat >"$dir/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /tmp /etc && chmod 1777 /tmp
EOF
  info "building the base image $BASE_IMAGE from /bin/busybox (busybox-static)"
  DOCKER_BUILDKIT=0 docker build -q -t "$BASE_IMAGE" "$dir" >/dev/null
  rm -rf "$dir"
}

ensure_registry() {
  if curl -sf --max-time 2 "http://$REGISTRY/v2/" >/dev/null; then
    pid_alive registry || info "a registry already answers on $REGISTRY: using it"
    return
  fi
  port_answers 5000 &&
    die "something on port 5000 is not a registry: stop it, or change $REGISTRY in examples/webapp/simple-cicd/webapp-image.yaml"
  mkdir -p "$EXAMPLE_DIR/registry/data"
  cat >"$EXAMPLE_DIR/registry/config.yml" <<EOF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $EXAMPLE_DIR/registry/data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:5000 }
EOF
  start_bg registry docker-registry serve "$EXAMPLE_DIR/registry/config.yml"
  wait_port 5000 registry
  STARTED+=(registry)
}

# The repository: a bare repository served by git daemon, its post-receive hook sending each push
# to simple-cicd as a signed Gitea webhook, and a clone in $WORK to edit and push from.
ensure_git() {
  if [[ ! -d $BARE ]]; then
    mkdir -p "$(dirname "$BARE")"
    git init -q --bare -b main "$BARE"
  fi
  cat >"$BARE/hooks/post-receive" <<EOF
#!/bin/sh
# Written by scripts/example.sh: tells simple-cicd of each push as Gitea would, with a JSON body
# signed by HMAC-SHA256 (X-Gitea-Signature) with the secret WEBAPP_HOOK.
url='http://127.0.0.1:$SERVE_PORT/hooks/gitea/webapp'
secret=\$(cat '$EXAMPLE_DIR/hook.secret')
while read -r old new ref; do
  body=\$(printf '{"ref":"%s","before":"%s","after":"%s","repository":{"name":"webapp","full_name":"example/webapp","clone_url":"$GIT_URL"}}' "\$ref" "\$old" "\$new")
  signature=\$(printf '%s' "\$body" | openssl dgst -sha256 -hmac "\$secret" -r | cut -d' ' -f1)
  printf 'simple-cicd: %s ' "\$url"
  curl -sS --max-time 10 -H 'Content-Type: application/json' -H 'X-Gitea-Event: push' \\
    -H "X-Gitea-Delivery: \$(cat /proc/sys/kernel/random/uuid)" -H "X-Gitea-Signature: \$signature" \\
    --data-binary "\$body" "\$url" || echo "(not delivered: is scicd serve running? scripts/example.sh starts it)"
  echo
done
EOF
  chmod 755 "$BARE/hooks/post-receive"
  if ! pid_alive git-daemon; then
    port_answers "$GIT_PORT" && die "port $GIT_PORT is taken: set EXAMPLE_GIT_PORT"
    start_bg git-daemon git daemon --listen=127.0.0.1 --port="$GIT_PORT" --base-path="$EXAMPLE_DIR/git" \
      --export-all --enable=receive-pack --reuseaddr "$EXAMPLE_DIR/git"
    wait_port "$GIT_PORT" git-daemon
    STARTED+=("git daemon")
  fi
}

# simple-cicd's side: its own data dir with secrets in an encrypted file (no desktop keyring
# needed), the repository, the registry, the webhook's secret and the templates.
ensure_simple_cicd() {
  mkdir -p "$DATA"
  [[ -s $EXAMPLE_DIR/secrets.key ]] || (umask 077 && openssl rand -hex 32 >"$EXAMPLE_DIR/secrets.key")
  [[ -s $EXAMPLE_DIR/hook.secret ]] || (umask 077 && openssl rand -hex 24 >"$EXAMPLE_DIR/hook.secret")
  scicd config set secrets.backend file >/dev/null
  scicd config set server.listen "127.0.0.1:$SERVE_PORT" >/dev/null
  scicd secret set WEBAPP_HOOK <"$EXAMPLE_DIR/hook.secret" >/dev/null
  if ! scicd repo list --json | json '[r["name"] for r in d]' | grep -q "'webapp'"; then
    out=$(scicd repo add webapp "$GIT_URL" 2>&1) || die "scicd repo add webapp $GIT_URL: $out"
  fi
  if ! scicd registry list --json | json '[r["name"] for r in d]' | grep -q "'local'"; then
    out=$(scicd registry add local "$REGISTRY" 2>&1) || die "scicd registry add local $REGISTRY: $out"
  fi
  local f file out
  for f in "${FILES[@]}"; do
    file=$SRC/simple-cicd/$f.yaml
    if [[ $f == pipeline && $APP_PORT != 8088 ]]; then
      # EXAMPLE_PORT: the pipeline's PORT parameter defaults to it (webhook runs take defaults).
      sed "s/{ name: PORT, type: number, default: 8088,/{ name: PORT, type: number, default: $APP_PORT,/" "$file" \
        >"$RUN_DIR/pipeline.yaml"
      file=$RUN_DIR/pipeline.yaml
    fi
    scicd template apply -f "$file" >/dev/null
  done
  info "templates applied: webapp-test, webapp-image, webapp-deploy, webapp-check, webapp-helm, webapp, webapp-k8s"
}

ensure_serve() {
  pid_alive serve && return
  port_answers "$SERVE_PORT" && die "port $SERVE_PORT is taken: set EXAMPLE_SERVE_PORT"
  SIMPLE_CICD_DATA_DIR=$DATA SIMPLE_CICD_SECRETS_KEY=$(cat "$EXAMPLE_DIR/secrets.key") \
    start_bg serve "$SCICD_BIN" serve --listen "127.0.0.1:$SERVE_PORT"
  wait_port "$SERVE_PORT" serve
  STARTED+=("scicd serve")
}

# --- the run -------------------------------------------------------------------------------------

# newest_run TEMPLATE: the id of its newest run, or 0.
newest_run() { scicd runs list --json --template "$1" --limit 1 | json 'd[0]["id"] if d else 0'; }

# push_first_version: the app's files as the repository's first commit, pushed (the hook delivers
# the webhook, which starts a run). Returns 1 when the repository already had commits.
push_first_version() {
  [[ -z $(git --git-dir="$BARE" rev-parse -q --verify refs/heads/main 2>/dev/null) ]] || return 1
  rm -rf "$WORK"
  git clone -q "$GIT_URL" "$WORK" 2>/dev/null
  cp -a "$SRC/." "$WORK/"
  git -C "$WORK" checkout -q -b main 2>/dev/null || true
  git -C "$WORK" add -A
  git -C "$WORK" -c user.name="simple-cicd example" -c user.email=example@localhost commit -q -m "webapp, version 1"
  info "pushing webapp to $GIT_URL (the hook sends the webhook)"
  git -C "$WORK" push -q origin main 2>&1 | sed 's/^/    /' >&2
}

# wait_status RUN STATUS...: until the run has one of the statuses (1 when it ended otherwise).
wait_status() {
  local run=$1 i status s
  shift
  for ((i = 0; i < 1200; i++)); do
    status=$(scicd runs show "$run" --json | json 'd["status"]')
    for s in "$@"; do [[ $status == "$s" ]] && return 0; done
    case $status in succeeded | failed | cancelled | timed_out | interrupted) return 1 ;; esac
    sleep 0.5
  done
  warn "run $run is still $status after 10 minutes"
  return 1
}

# follow_run TEMPLATE RUN APPROVE: waits for the approval, gives it (APPROVE=1), waits for the end.
follow_run() {
  local template=$1 run=$2 approve=$3 number
  number=$(scicd runs show "$run" --json | json 'd["number"]')
  info "run #$number of $template (id $run) started; waiting for its approval step"
  if ! wait_status "$run" waiting; then
    scicd runs show "$run" >&2 || true
    die "run $run of $template ended before its approval (above; its log: scicd logs $run)"
  fi
  if ((approve == 0)); then
    ok "run #$number of $template waits for your approval: the run page, the notification, or: $(scicd_cmd) approve $run"
    return 0
  fi
  scicd approve "$run" --comment "approved by scripts/example.sh" >/dev/null
  info "approved run $run; waiting for deploy and check"
  if ! wait_status "$run" succeeded; then
    scicd runs show "$run" >&2 || true
    die "run $run of $template did not succeed (above; its log: $(scicd_cmd) logs $run)"
  fi
  ok "run #$number of $template succeeded"
}

scicd_cmd() {
  printf 'SIMPLE_CICD_DATA_DIR=%q SIMPLE_CICD_SECRETS_KEY=$(cat %q) %q' "$DATA" "$EXAMPLE_DIR/secrets.key" "$SCICD_BIN"
}

app_answers() { curl -fsS --max-time 2 "http://127.0.0.1:$APP_PORT/" 2>/dev/null | grep -q 'Hello from webapp'; }

run_compose() {
  local approve=$1 before run i
  before=$(newest_run webapp)
  if push_first_version; then
    run=$before
    for ((i = 0; i < 100; i++)); do
      run=$(newest_run webapp)
      [[ $run != "$before" ]] && break
      sleep 0.2
    done
    [[ $run != "$before" ]] || die "the push started no run: see $RUN_DIR/serve.log and $(scicd_cmd) triggers webapp"
  elif [[ $before != 0 && $(scicd runs show "$before" --json | json 'd["status"]') =~ ^(queued|running|waiting)$ ]]; then
    info "run $before of webapp is still going: following it"
    run=$before
  elif app_answers; then
    info "webapp already answers on http://127.0.0.1:$APP_PORT/: no new run (push a change to deploy one)"
    return 0
  else
    info "the repository has commits already: starting the pipeline by hand"
    run=$(scicd run webapp --detach)
  fi
  follow_run webapp "$run" "$approve"
}

# --- Kubernetes (--helm) ---------------------------------------------------------------------------

ensure_cluster() {
  local tools=/var/cache/simple-cicd/tools
  if ! command -v socat >/dev/null; then   # the kubelet needs it for kubectl port-forward
    info "installing socat (apt)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends socat
  fi
  "$REPO_ROOT/scripts/deploy-tools.sh" install >&2
  if ! "$REPO_ROOT/scripts/services/k8s.sh" status >/dev/null 2>&1; then
    info "starting the local Kubernetes (scripts/services/k8s.sh; the first build takes about 14 minutes)"
    "$REPO_ROOT/scripts/services/k8s.sh" build
    "$REPO_ROOT/scripts/services/k8s.sh" start
    touch "$RUN_DIR/started-k8s"
    STARTED+=(Kubernetes)
  fi
  KUBECONFIG_FILE=$(eval "$("$REPO_ROOT/scripts/services/k8s.sh" env)" && echo "$SIMPLE_CICD_TEST_KUBECONFIG")
  KUBECTL_BIN=${SIMPLE_CICD_KUBECTL:-$tools/kubectl/kubectl}
  scicd config set kube.kubectl "$KUBECTL_BIN" >/dev/null
  scicd config set kube.helm "${SIMPLE_CICD_HELM:-$tools/helm3/helm}" >/dev/null
  scicd config set kube.kubeconfig "$KUBECONFIG_FILE" >/dev/null
  if ! scicd cluster list --json | json '[c["name"] for c in d]' | grep -q "'local'"; then
    scicd cluster add local --context local >/dev/null
  fi
}

run_helm() {
  local approve=$1 run
  ensure_cluster
  info "starting the pipeline webapp-k8s (Helm on the cluster local)"
  run=$(scicd run webapp-k8s --detach -p "KUBECONFIG=$KUBECONFIG_FILE" -p "KUBECTL=$KUBECTL_BIN")
  follow_run webapp-k8s "$run" "$approve"
}

# --- up and down ---------------------------------------------------------------------------------

up() {
  local helm=$1 approve=$2
  mkdir -p "$RUN_DIR"
  ensure_packages
  ensure_scicd
  ensure_docker
  ensure_base_image
  ensure_registry
  ensure_git
  ensure_simple_cicd
  ensure_serve
  run_compose "$approve"
  ((helm)) && run_helm "$approve"
  summary "$helm"
}

summary() {
  local helm=$1 s COMPOSE_APP=webapp
  ((helm)) && COMPOSE_APP=webapp@local   # two apps called webapp: the compose one is on endpoint local
  printf '\n%s== simple-cicd example ==%s\n' "$_c_bold" "$_c_off"
  printf 'Running for the example (stopped by --down):\n'
  printf '  - %s\n' "registry $REGISTRY (docker-registry, pid $(cat "$RUN_DIR/registry.pid" 2>/dev/null || echo '?, not ours: left alone'))" \
    "git daemon $GIT_URL (pid $(cat "$RUN_DIR/git-daemon.pid"))" \
    "scicd serve http://127.0.0.1:$SERVE_PORT (pid $(cat "$RUN_DIR/serve.pid"))" \
    "the compose project webapp (container webapp-web-1)"
  [[ -e $RUN_DIR/started-dockerd ]] && printf '  - dockerd (scripts/services/dockerd.sh)\n'
  [[ -e $RUN_DIR/started-k8s ]] && printf '  - Kubernetes on 127.0.0.1:6443 (scripts/services/k8s.sh)\n'
  ((helm)) && printf '  - the Helm release webapp in the namespace webapp\n'
  if ((${#STARTED[@]})); then
    printf 'Started now: %s\n' "$(IFS=,; echo "${STARTED[*]}" | sed 's/,/; /g')"
  else
    printf 'Started now: nothing, it was all running already.\n'
  fi
  cat <<EOF
The app:           http://127.0.0.1:$APP_PORT/   (JSON API: http://127.0.0.1:$APP_PORT/cgi-bin/info)
EOF
  ((helm)) && cat <<EOF
On Kubernetes:     $KUBECTL_BIN --kubeconfig $KUBECONFIG_FILE -n webapp port-forward svc/webapp 8089:80
                   then http://127.0.0.1:8089/
EOF
  cat <<EOF
Its repository:    $GIT_URL, a clone to edit in $WORK
Webhooks:          scicd serve on http://127.0.0.1:$SERVE_PORT (hook: $BARE/hooks/post-receive)
simple-cicd data:  $DATA

Deploy a change: the push starts the pipeline; approve it (desktop app, or scicd approve N) and
the new page is served:
  cd $WORK && echo 2 >VERSION && git commit -qam "version 2" && git push
$( ((helm)) && printf '%s\n' "(a push deploys with compose; to Kubernetes: scripts/example.sh --helm again)")

The command line on this data (scicd is $SCICD_BIN):
  export SIMPLE_CICD_DATA_DIR=$DATA SIMPLE_CICD_SECRETS_KEY=\$(cat $EXAMPLE_DIR/secrets.key)
$(printf '  %-38s # %s\n' "scicd runs list" "the runs: what started them, their status" \
    "scicd approve N" "a run waiting for your approval" \
    "scicd app show $COMPOSE_APP" "its revisions, by commit and image digest" \
    "scicd app rollback $COMPOSE_APP --to 1" "the first revision again")

The desktop app on this data: with the two variables above exported, scripts/app.sh
  Runs: the pipeline's steps as a graph, each step's log, the approval (Approve / Decline).
  Apps: $COMPOSE_APP (compose on local$( ((helm)) && printf ', and %s' "$HELM_APP")): health, revisions, Compare, Roll back.
  Templates: webapp and the templates its steps use; Repositories: webapp; Registries: local.
  Its Webhooks dot says port $SERVE_PORT is taken: scicd serve, started here, answers the webhooks.

Stop it all: scripts/example.sh --down   (add --purge to forget the data, repository and images)
EOF
}

down() {
  local purge=$1 run ids app running out
  [[ -d $EXAMPLE_DIR ]] || { info "nothing to stop: $EXAMPLE_DIR does not exist"; return 0; }
  mkdir -p "$RUN_DIR"
  if [[ -s $EXAMPLE_DIR/secrets.key && -d $DATA ]]; then
    ensure_scicd
    # Runs still going (one waiting for its approval, say) are cancelled, whichever process has them.
    for run in $(scicd runs list --json --limit 50 | json "' '.join(str(r['id']) for r in d if r['status'] in ('queued', 'running', 'waiting'))"); do
      scicd cancel "$run" >/dev/null 2>&1 && info "cancelled run $run"
    done
    # The apps that run: a compose app with services, a Helm release that is not missing.
    for app in webapp@local "$HELM_APP"; do
      running=$(scicd app show "$app" --json 2>/dev/null |
        json 'bool(d.get("services")) or (d.get("helm") or {}).get("status", "missing") != "missing"' 2>/dev/null || echo False)
      [[ $running == True ]] || continue
      if out=$(scicd app down "$app" 2>&1); then info "took down app $app"; else warn "could not take down app $app: $out"; fi
    done
  fi
  # Whatever the data says: no container of the compose project is left.
  ids=$(docker ps -aq --filter label=com.docker.compose.project=webapp 2>/dev/null || true)
  # shellcheck disable=SC2086
  [[ -z $ids ]] || { docker rm -f $ids >/dev/null && info "removed the webapp containers"; }
  docker network rm webapp_default >/dev/null 2>&1 || true
  stop_bg serve
  stop_bg git-daemon
  stop_bg registry
  if [[ -e $RUN_DIR/started-k8s ]]; then
    "$REPO_ROOT/scripts/services/k8s.sh" stop && rm -f "$RUN_DIR/started-k8s" && info "stopped the local Kubernetes"
  fi
  if [[ -e $RUN_DIR/started-dockerd ]]; then
    "$REPO_ROOT/scripts/services/dockerd.sh" stop && rm -f "$RUN_DIR/started-dockerd" && info "stopped dockerd"
  fi
  docker info >/dev/null 2>&1 && info "left running, as the example did not start it: dockerd"
  "$REPO_ROOT/scripts/services/k8s.sh" status >/dev/null 2>&1 &&
    info "left running, as the example did not start it: the local Kubernetes"
  if ((purge)); then
    # By id (the images compose pulled by digest have no tag), the app's before their base image.
    local repo
    for repo in "$REGISTRY/webapp" "${BASE_IMAGE%:*}"; do
      docker images --format '{{.ID}} {{.Repository}}' 2>/dev/null | awk -v r="$repo" '$2 == r { print $1 }' |
        sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || warn "could not remove every image of $repo"
    done
    rm -rf "$EXAMPLE_DIR"
    ok "removed $EXAMPLE_DIR and the example's images"
  else
    ok "stopped. Left: $EXAMPLE_DIR (the data, the repository, the registry's storage) and the images $BASE_IMAGE, $REGISTRY/webapp:*; scripts/example.sh --down --purge removes them"
  fi
}

main() {
  local mode=up helm=0 approve=1 purge=0
  while (($#)); do
    case $1 in
      --helm) helm=1 ;;
      --no-approve) approve=0 ;;
      --down) mode=down ;;
      --purge) purge=1 ;;
      --data-dir) DATA=${2:?--data-dir needs a directory}; shift ;;
      --data-dir=*) DATA=${1#*=} ;;
      -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  DATA=${DATA:-$EXAMPLE_DIR/data}
  case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
  if [[ $mode == down ]]; then down "$purge"; else up "$helm" "$approve"; fi
}

main "$@"
