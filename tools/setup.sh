#!/bin/sh
# Prepares a Debian 12 machine (run as root, like CI) and this checkout:
# installs the apt packages that are missing (checked with dpkg-query first,
# so a ready machine needs no network for apt), then the npm packages
# (`npm ci` when package-lock.json exists), which also builds the Node addon
# (the package's install script runs node-gyp against /usr/include/node).
# With --shell only what the shell needs: the compiler and the libraries the
# addon links, and no dev dependencies (the test and benchmark engines, the
# wasm toolchain), so that `npx lode` is ready in a minute.
set -eu
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SHELL_ONLY=0
[ "${1:-}" = "--shell" ] && SHELL_ONLY=1
PACKAGES="build-essential clang libclang-rt-14-dev pkg-config python3 sqlite3 libsqlite3-dev liburing-dev libedit-dev libnats-dev tmux emscripten nats-server chromium"
[ "$SHELL_ONLY" = 1 ] && PACKAGES="build-essential python3 liburing-dev libedit-dev libnats-dev"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "=== apt-get install$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
command -v node >/dev/null 2>&1 || { echo "node (>= 20.16) is required" >&2; exit 1; }
echo "=== npm packages + node addon"
OMIT=""
[ "$SHELL_ONLY" = 1 ] && OMIT="--omit=dev"
# shellcheck disable=SC2086
if [ -f package-lock.json ]; then npm ci --foreground-scripts $OMIT; else npm install --foreground-scripts $OMIT; fi
