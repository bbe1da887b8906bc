#!/usr/bin/env bash
# Runs the whole simple-cicd test suite, the same way on a developer machine and in CI (.ci/run):
# install what is missing, check formatting, lint/type-check/test/build the UI, clippy and test the
# Rust workspace, check that the committed ts-rs bindings are fresh, smoke-run the fuzz targets,
# build the desktop app and
# `scicd`, drive the browser UI of `scicd serve` in Chromium, and drive the real app end to end
# under Xvfb. Each step is timed; the first failure stops the run; a summary
# closes it. Everything started here is stopped on exit (and checked for in /proc).
#
# Usage: scripts/test.sh [--only STEP[,STEP...]] [--skip STEP[,STEP...]] [--list]
#   SKIP_E2E=1       skip the end-to-end step (the desktop app's; the browser step is `browser`)
#   CARGO_TARGET_DIR respected (the app binary for e2e is $CARGO_TARGET_DIR/debug/simple-cicd)
#   TAURI_APP_BIN    app binary for the e2e step instead of that
#   E2E_SPEC=PATH    run only that spec file (relative to tests/e2e), e.g. specs/01-*.e2e.js
#   CI=true          cargo uses --locked when Cargo.lock exists
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/procs.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/display.sh"

STEPS=(bootstrap fmt ui-lint ui-typecheck ui-test ui-build clippy services rust-test bindings fuzz app-build example browser api-fuzz e2e)
BINDINGS_DIR=ui/src/bindings
SERVICES_STARTED=$(mktemp -u -t simple-cicd-services.XXXXXX)
K8S_STARTED=$(mktemp -u -t simple-cicd-k8s.XXXXXX)

CARGO_LOCKED=()
if [[ ${CI:-} == true && -f $REPO_ROOT/Cargo.lock ]]; then CARGO_LOCKED=(--locked); fi

# --- steps: one function each; they run in a subshell with `set -e`, from the repo root ---------

# The Kubernetes binaries take about 14 min to build on a fresh machine (then they are cached in
# /var/cache/k8s-local): the build starts in the background here and the services step waits for it.
step_bootstrap()    {
  "$REPO_ROOT/scripts/bootstrap.sh"
  "$REPO_ROOT/scripts/services/k8s.sh" build --background
}
step_fmt()          { cargo fmt --all --check; }
step_ui-lint()      { cd ui && npm run lint; }
step_ui-typecheck() { cd ui && npm run typecheck; }
step_ui-test()      { cd ui && npm test; }
step_ui-build()     { build_ui; }
step_clippy()       { cargo clippy --workspace --all-targets "${CARGO_LOCKED[@]}" -- -D warnings; }
# The adapters are tested against the real services (Secret Service, notifications): a desktop session.
# Docker Engine for the Docker tests: the local socket and a TLS port (scripts/services/dockerd.sh).
# Kubernetes for the cluster and Helm tests: a real cluster on loopback (scripts/services/k8s.sh),
# with kubectl, Helm 3 and 4 and compose v2 from scripts/deploy-tools.sh (installed by bootstrap).
# Each is stopped at exit when this run started it.
step_services()     {
  if ! "$REPO_ROOT/scripts/services/dockerd.sh" status >/dev/null 2>&1; then
    "$REPO_ROOT/scripts/services/dockerd.sh" start
    touch "$SERVICES_STARTED"
  fi
  "$REPO_ROOT/scripts/services/dockerd.sh" status
  "$REPO_ROOT/scripts/deploy-tools.sh" check
  "$REPO_ROOT/scripts/services/k8s.sh" build   # waits for the background build of the bootstrap step
  if ! "$REPO_ROOT/scripts/services/k8s.sh" status >/dev/null 2>&1; then
    touch "$K8S_STARTED"
    "$REPO_ROOT/scripts/services/k8s.sh" start
  fi
  "$REPO_ROOT/scripts/services/k8s.sh" status
}
step_rust-test()    { headless_desktop rust-test cargo test --workspace "${CARGO_LOCKED[@]}"; }
# cargo fuzz (scripts/fuzz.sh --smoke): every target of fuzz/ built once (nightly; cargo-fuzz is
# installed outside the clone when missing), run over its committed corpus and 10 s of new inputs.
step_fuzz()         { "$REPO_ROOT/scripts/fuzz.sh" --smoke; }
step_app-build()    { cargo build --workspace --bins "${CARGO_LOCKED[@]}"; }
# The worked example as the tutorial tells it (scripts/example.sh with the real scicd built by
# app-build): a push, the approval, a second push by webhook, a rollback, Helm on the cluster, --down.
step_example()      { SCICD=$(cli_bin debug) "$REPO_ROOT/scripts/test-example.sh"; }

# The backend writes the TypeScript bindings into ui/src/bindings while `cargo test` runs
# (TS_RS_EXPORT_DIR, set in .cargo/config.toml). Anything it changed or added there that is not in
# git's index means the committed bindings were stale.
step_bindings() {
  if [[ -z ${RUST_TESTS_RAN:-} ]]; then
    info "rust-test did not run in this invocation: exporting the bindings with cargo test export_bindings"
    cargo test --workspace "${CARGO_LOCKED[@]}" export_bindings >/dev/null
  fi
  [[ -d $BINDINGS_DIR ]] || die "$BINDINGS_DIR does not exist after cargo test: is TS_RS_EXPORT_DIR set in .cargo/config.toml?"
  local untracked
  untracked=$(git ls-files --others --exclude-standard -- "$BINDINGS_DIR")
  if ! git diff --quiet -- "$BINDINGS_DIR" || [[ -n $untracked ]]; then
    git --no-pager diff --stat -- "$BINDINGS_DIR" >&2
    [[ -z $untracked ]] || printf 'new, not in git:\n%s\n' "$untracked" >&2
    die "$BINDINGS_DIR is stale: cargo test regenerated it (see above). Review and commit it: git add $BINDINGS_DIR"
  fi
  ok "$(find "$BINDINGS_DIR" -name '*.ts' | wc -l) binding files match git"
}

# The browser UI (tests/browser): a real `scicd serve` on a fresh data dir, driven by playwright-core
# in Debian's Chromium (both installed by bootstrap; no browser download). Screenshots and logs go
# to a temp dir, kept when the step fails.
step_browser() {
  local bin art rc=0
  bin=$(cli_bin debug)
  [[ -x $bin ]] || die "$bin not found: the app-build step builds it"
  [[ -f ui/dist/index.html ]] || build_ui
  art=$(mktemp -d -t simple-cicd-browser.XXXXXX)
  SCICD_BIN=$bin E2E_ARTIFACTS_DIR=$art node --test --test-concurrency=1 --test-timeout=600000 \
    tests/browser/specs/ || rc=$?
  if ((rc == 0)); then rm -rf "$art"; else warn "browser failed: screenshots and logs kept in $art"; fi
  return "$rc"
}

# Schemathesis against a real `scicd serve` (scripts/api-fuzz.sh): no 5xx, no answer that leaves
# the OpenAPI document, no route that ignores its authentication.
step_api-fuzz() { SCICD_BIN=$(cli_bin debug) "$REPO_ROOT/scripts/api-fuzz.sh"; }

# The real desktop app, driven by WebdriverIO through tauri-driver (tests/e2e), with a fresh data dir.
step_e2e() {
  local app
  app=${TAURI_APP_BIN:-$(app_bin debug)}
  [[ -x $app ]] || die "$app not found: the app-build step builds it"
  # shellcheck disable=SC2016  # expanded inside the session, where DESKTOP_TMP exists
  TAURI_APP_BIN=$app headless_desktop e2e bash -c '
    export SIMPLE_CICD_DATA_DIR=$DESKTOP_TMP/data E2E_ARTIFACTS_DIR=$DESKTOP_TMP/artifacts
    cd "$REPO_ROOT/tests/e2e" && exec node_modules/.bin/wdio run wdio.conf.js ${E2E_SPEC:+--spec "$E2E_SPEC"}'
}

# headless_desktop NAME CMD...: runs CMD on its own Xvfb display inside one private desktop session
# (D-Bus, unlocked gnome-keyring, dunst; see scripts/lib/desktop-session.sh) with HOME in a fresh
# temp dir, exported to CMD as DESKTOP_TMP (home/, data/, artifacts/ with the session's logs).
# The temp dir is removed when CMD succeeds and kept for inspection when it fails.
headless_desktop() {
  local name=$1 rc=0
  shift
  DESKTOP_TMP=$(mktemp -d -t "simple-cicd-$name.XXXXXX")
  export DESKTOP_TMP DESKTOP_SESSION_LOG_DIR=$DESKTOP_TMP/artifacts
  mkdir -p "$DESKTOP_TMP/home" "$DESKTOP_TMP/data" "$DESKTOP_TMP/artifacts"
  trap xvfb_stop EXIT
  xvfb_start 1280x800x24
  info "$name runs in a headless desktop session; temp dir $DESKTOP_TMP"
  in_desktop_session "$DESKTOP_TMP/home" "$@" || rc=$?
  xvfb_stop
  if ((rc == 0)); then
    rm -rf "$DESKTOP_TMP" || warn "could not remove $DESKTOP_TMP entirely"
  else
    warn "$name failed: logs (and e2e screenshots) kept in $DESKTOP_TMP/artifacts"
  fi
  return "$rc"
}

# --- runner -------------------------------------------------------------------------------------

declare -A RESULT=()   # step -> "PASS 1m02.3s" | "FAIL 4.2s (exit 1)" | "skip"
RUN_STARTED=$(now_ms)

summary() {
  local name r passed=0 failed=0 skipped=0
  ((${#RESULT[@]})) || return 0
  printf '\n%s== summary ==%s\n' "$_c_bold" "$_c_off" >&2
  for name in "${STEPS[@]}"; do
    r=${RESULT[$name]:-not run}
    printf '  %-13s %s\n' "$name" "$r" >&2
    case $r in PASS*) passed=$((passed + 1)) ;; FAIL*) failed=$((failed + 1)) ;; *) skipped=$((skipped + 1)) ;; esac
  done
  printf '  total         %s\n' "$(format_ms $(($(now_ms) - RUN_STARTED)))" >&2
  printf 'steps: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  "$REPO_ROOT/scripts/services/k8s.sh" build-cancel || warn "could not stop the background Kubernetes build"
  if [[ -e $K8S_STARTED ]]; then
    "$REPO_ROOT/scripts/services/k8s.sh" stop || warn "could not stop the Kubernetes cluster"
    rm -f "$K8S_STARTED"
  fi
  if [[ -e $SERVICES_STARTED ]]; then
    "$REPO_ROOT/scripts/services/dockerd.sh" stop || warn "could not stop dockerd"
    rm -f "$SERVICES_STARTED"
  fi
  proc_tag_sweep
  summary
  exit "$rc"
}

run_step() {
  local name=$1 index=$2 started ms rc
  printf '\n%s==> [%d/%d] %s%s\n' "$_c_bold" "$index" "${#STEPS[@]}" "$name" "$_c_off" >&2
  started=$(now_ms)
  set +e
  (set -e; cd "$REPO_ROOT"; "step_$name")
  rc=$?
  set -e
  ms=$(($(now_ms) - started))
  if ((rc == 0)); then
    RESULT[$name]="PASS  $(format_ms "$ms")"
    ok "$name passed in $(format_ms "$ms")"
    if [[ $name == rust-test ]]; then RUST_TESTS_RAN=1; fi
  else
    RESULT[$name]="FAIL  $(format_ms "$ms") (exit $rc)"
    printf '%s[%s] %s FAILED after %s (exit %d)%s\n' "$_c_red" "$LOG_PREFIX" "$name" "$(format_ms "$ms")" "$rc" "$_c_off" >&2
    exit "$rc"
  fi
}

in_list() { local x=$1; shift; local y; for y in "$@"; do [[ $x == "$y" ]] && return 0; done; return 1; }

main() {
  local only=() skip=() name i=0
  while (($#)); do
    case $1 in
      --only) IFS=, read -ra only <<<"${2:?--only needs a step}"; shift 2 ;;
      --only=*) IFS=, read -ra only <<<"${1#*=}"; shift ;;
      --skip) IFS=, read -ra skip <<<"${2:?--skip needs a step}"; shift 2 ;;
      --skip=*) IFS=, read -ra skip <<<"${1#*=}"; shift ;;
      --list) printf '%s\n' "${STEPS[@]}"; exit 0 ;;
      -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown argument: $1 (see --help)" ;;
    esac
  done
  for name in "${only[@]}" "${skip[@]}"; do
    in_list "$name" "${STEPS[@]}" || die "unknown step '$name'; steps: ${STEPS[*]}"
  done
  [[ ${SKIP_E2E:-0} != 0 ]] && skip+=(e2e)

  proc_tag_init
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  info "repo $REPO_ROOT, cargo target dir $TARGET_DIR"
  for name in "${STEPS[@]}"; do
    i=$((i + 1))
    if { ((${#only[@]})) && ! in_list "$name" "${only[@]}"; } || in_list "$name" "${skip[@]}"; then
      RESULT[$name]=skip
      continue
    fi
    run_step "$name" "$i"
  done
}

main "$@"
