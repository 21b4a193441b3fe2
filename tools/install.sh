#!/bin/sh
# npm's install step for lodedb: builds the Node addon (tools/node-gyp-rebuild.sh).
# Where that fails (no C compiler or no Node headers, as on many serverless
# images) the install still succeeds when the wasm engine is packed
# (dist/wasm): lodedb then falls back to it at run time with a one-line notice.
# A checkout without dist/wasm, CI, or LODE_REQUIRE_ADDON=1 make a failed
# build fail the install.
# In this repository itself (npm ci at its root), it also links
# node_modules/.bin/lode so that `npx lode` runs the local shell instead of
# asking the registry for a package.
cd "$(dirname "$0")/.."
if [ "${INIT_CWD:-}" = "$(pwd)" ] && [ -d node_modules ] && [ ! -e node_modules/.bin/lode ]; then
  mkdir -p node_modules/.bin && ln -s ../../bin/lode.mjs node_modules/.bin/lode 2>/dev/null || true
fi
if sh tools/node-gyp-rebuild.sh "$@"; then exit 0; fi
if [ -f dist/wasm/lode.mjs ] && [ -z "${CI:-}" ] && [ "${LODE_REQUIRE_ADDON:-0}" != 1 ]; then
  echo "lodedb: the native addon could not be built; lodedb will use the wasm engine (lodedb/wasm)" >&2
  exit 0
fi
exit 1
