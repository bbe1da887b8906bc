# shellcheck shell=bash
# Where things are: the repository root, cargo's target dir, the built binaries and the tools that
# bootstrap.sh installs. Sourced by every script in scripts/; sets variables only, starts nothing.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export REPO_ROOT

# cargo honours CARGO_TARGET_DIR (and the lead may set build.target-dir later; the env wins).
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO_ROOT/target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$REPO_ROOT/$TARGET_DIR ;; esac

if [[ -z ${HOME:-} ]]; then HOME=$(getent passwd "$(id -u)" | cut -d: -f6); export HOME; fi

# Pinned now, so that cargo and rustup keep working when a script points HOME at a temp dir.
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
if [[ -z ${RUSTUP_HOME:-} && -d $HOME/.rustup ]]; then export RUSTUP_HOME=$HOME/.rustup; fi
CARGO_BIN_DIR=$CARGO_HOME/bin
case :$PATH: in *":$CARGO_BIN_DIR:"*) ;; *) PATH=$CARGO_BIN_DIR:$PATH ;; esac
export PATH

# Resolved once here, before any script points HOME at a temp dir (RECIPE pitfalls 7 and 23).
TAURI_DRIVER=${TAURI_DRIVER:-$CARGO_BIN_DIR/tauri-driver}
export TAURI_DRIVER

# app_bin PROFILE / cli_bin PROFILE: paths of the desktop app and of the headless CLI.
app_bin() { printf '%s/%s/simple-cicd\n' "$TARGET_DIR" "${1:-debug}"; }
cli_bin() { printf '%s/%s/scicd\n' "$TARGET_DIR" "${1:-debug}"; }

# build_ui: the desktop binary embeds ui/dist at compile time, so this runs before any cargo build.
build_ui() { (cd "$REPO_ROOT/ui" && npm run build); }
