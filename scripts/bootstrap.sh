#!/usr/bin/env bash
# Installs everything simple-cicd needs to build, run and test on Debian 12, and only what is missing,
# so a second run takes seconds:
#   * Debian packages (Tauri build deps, headless desktop tools, test services) via apt-get
#   * tauri-driver 2.x (WebDriver bridge for the e2e tests) via cargo install into ~/.cargo/bin
#   * npm dependencies of ui/, tests/e2e/ and tests/browser/ (playwright-core, which never downloads
#     a browser here: it drives Debian's chromium) via npm ci, when node_modules is missing or older than
#     package-lock.json
#   * the deployment tools (compose v2, Helm 3 and 4, kubectl; checksums verified) via
#     scripts/deploy-tools.sh. The test Kubernetes cluster is built by scripts/services/k8s.sh build
#     (scripts/test.sh starts that build in the background)
# Rust (rustup toolchain with rustfmt + clippy) and Node.js >= 20.19 are expected to be present.
#
# Usage: scripts/bootstrap.sh [--no-apt] [--no-npm]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

# --- Debian packages: add a package to the list where it belongs, nothing else to change. ----------

# Tauri 2 / WebKitGTK 4.1 build dependencies (RECIPE §0).
APT_BUILD=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev libssl-dev pkg-config
  build-essential file curl wget
)
# Running the desktop app headless: Xvfb, D-Bus session, screenshots, WebDriver, notifications, keyring.
APT_DESKTOP=(
  xvfb dbus-x11 imagemagick x11-utils webkit2gtk-driver dunst libnotify-bin
  gnome-keyring libsecret-tools
  fonts-droid-fallback   # CJK glyphs, so the zh-CN UI renders in screenshots
  fonts-noto-cjk         # Noto Sans CJK: the CJK font most zh-CN desktops have (metrics for D-ED-1, D-G-2)
  chromium               # the browser UI's end-to-end tests (tests/browser, playwright-core drives it)
)
# Services used by the tests and tools used by scripts/bench.sh.
# Coming with later issues: docker.io docker-registry busybox-static lighttpd keyutils
APT_SERVICES=(
  hyperfine
  python3-aiosmtpd openssl   # e-mail tests: a real SMTP server on loopback, with a certificate they make
  dbus                       # desktop-notification tests start their own dbus-daemon (with dunst on Xvfb)
  lighttpd openssh-server    # git tests: smart HTTP (git-http-backend) and ssh servers on loopback, started by the tests
  docker.io docker-registry busybox-static curl   # Docker tests: dockerd (scripts/services/dockerd.sh), a registry, base images FROM scratch
  socat                      # kubectl port-forward into the test cluster's pods (the example's Helm check)
  python3-venv wrk           # schemathesis (PyPI, in a venv outside the clone) fuzzes the HTTP API; wrk for bench-api
)

TAURI_DRIVER_REQ='^2'   # the crate registry also has 3.0 alphas (RECIPE pitfall 5)

NPM_PROJECTS=(ui tests/e2e tests/browser)

# -------------------------------------------------------------------------------------------------

as_root() {
  if ((EUID == 0)); then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root for: $* (run as root or install sudo)"
  fi
}

missing_apt_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

# apt_lists_fresh: package lists exist and were refreshed less than 24 h ago.
apt_lists_fresh() {
  [[ -n $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null) ]]
}

apt_get() {
  # Wait for the dpkg lock instead of failing when another apt-get runs at the same time.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

install_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages "${APT_BUILD[@]}" "${APT_DESKTOP[@]}" "${APT_SERVICES[@]}")
  if ((${#missing[@]} == 0)); then
    ok "apt: all $((${#APT_BUILD[@]} + ${#APT_DESKTOP[@]} + ${#APT_SERVICES[@]})) packages present"
    return
  fi
  info "apt: installing ${#missing[@]} missing package(s): ${missing[*]}"
  if ! apt_lists_fresh; then
    info "apt: package lists missing or older than a day: apt-get update"
    apt_get update -q
  fi
  # Packages such as lighttpd and openssh-server would start their daemons on install; the tests
  # start their own on loopback, so keep the system ones from starting (policy-rc.d, 101 = refuse).
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e $policy ]]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && added_policy=1
  fi
  # shellcheck disable=SC2064  # expand now: the trap must remove exactly the file made here
  ((added_policy)) && trap "as_root rm -f $policy" RETURN
  if ! apt_get install -y -q "${missing[@]}"; then
    info "apt: install failed; refreshing package lists and retrying once"
    apt_get update -q
    apt_get install -y -q "${missing[@]}"
  fi
  mapfile -t missing < <(missing_apt_packages "${missing[@]}")
  ((${#missing[@]} == 0)) || die "apt: still missing after install: ${missing[*]}"
  ok "apt: done"
}

check_toolchains() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  cargo fmt --version >/dev/null 2>&1 || die "rustfmt missing: rustup component add rustfmt"
  cargo clippy --version >/dev/null 2>&1 || die "clippy missing: rustup component add clippy"
  command -v node >/dev/null || die "node not found: install Node.js >= 20.19"
  local v; v=$(node -p 'process.versions.node')
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    die "Node.js $v is too old: vite 8 needs >= 20.19"
  ok "toolchains: $(cargo --version | cut -d' ' -f1-2), node $v, npm $(npm --version)"
}

install_tauri_driver() {
  local have
  have=$(cargo install --list 2>/dev/null | sed -n 's/^tauri-driver v\([0-9.]*\).*/\1/p')
  if [[ $have == 2.* && -x $CARGO_BIN_DIR/tauri-driver ]]; then
    ok "tauri-driver $have present ($CARGO_BIN_DIR/tauri-driver)"
    return
  fi
  info "cargo install tauri-driver --version '$TAURI_DRIVER_REQ' --locked (about 30 s)"
  cargo install tauri-driver --version "$TAURI_DRIVER_REQ" --locked --quiet
  ok "tauri-driver installed: $CARGO_BIN_DIR/tauri-driver"
}

# _newer_than_all FILE MARKER...: FILE is newer than every MARKER (missing markers count as old).
_newer_than_all() {
  local file=$1 m; shift
  for m in "$@"; do
    [[ -f $m && ! $file -nt $m ]] && return 1
  done
  return 0
}

# npm_ci_if_needed DIR: npm ci when node_modules is missing or older than package-lock.json.
npm_ci_if_needed() {
  local dir=$REPO_ROOT/$1 stamp
  [[ -f $dir/package.json ]] || die "npm: $1/package.json not found: is the checkout complete?"
  stamp=$dir/node_modules/.bootstrap-stamp
  if [[ -f $dir/package-lock.json ]]; then
    # npm itself rewrites node_modules/.package-lock.json on every install; our stamp marks our npm ci.
    if ! _newer_than_all "$dir/package-lock.json" "$stamp" "$dir/node_modules/.package-lock.json"; then
      ok "npm: $1/node_modules up to date"
      return
    fi
    info "npm: npm ci in $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    warn "npm: $1 has no package-lock.json: using npm install (commit the lock file!)"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
  touch "$stamp"
  ok "npm: $1 ready"
}

# Schemathesis (PyPI) in a venv outside the clone, pinned; reused when its version matches.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV=${SCHEMATHESIS_VENV:-/var/cache/simple-cicd/schemathesis}
install_schemathesis() {
  if [[ $("$SCHEMATHESIS_VENV/bin/st" --version 2>/dev/null) == *"$SCHEMATHESIS_VERSION"* ]]; then
    ok "schemathesis $SCHEMATHESIS_VERSION ready ($SCHEMATHESIS_VENV)"
    return
  fi
  info "schemathesis: installing $SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV"
  python3 -m venv "$SCHEMATHESIS_VENV" || die "python3 -m venv failed: apt-get install python3-venv"
  "$SCHEMATHESIS_VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" ||
    die "pip could not install schemathesis $SCHEMATHESIS_VERSION (is PyPI reachable?)"
  ok "schemathesis $SCHEMATHESIS_VERSION ready"
}

main() {
  local do_apt=1 do_npm=1 arg p
  for arg in "$@"; do
    case $arg in
      --no-apt) do_apt=0 ;;
      --no-npm) do_npm=0 ;;
      -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option: $arg" ;;
    esac
  done
  ((do_apt)) && install_apt_packages
  check_toolchains
  install_tauri_driver
  if ((do_npm)); then
    for p in "${NPM_PROJECTS[@]}"; do npm_ci_if_needed "$p"; done
  fi
  install_schemathesis
  "$REPO_ROOT/scripts/deploy-tools.sh" install
}

main "$@"
