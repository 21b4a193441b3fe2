#!/bin/sh
# Builds the addon (build/Release/lode.node) with the headers of the Node that
# runs npm, so no header download happens even where the project .npmrc is not
# read (an installed tarball).  node-gyp is on PATH inside npm scripts (npm's
# bundled copy): by hand, run `npm run install` or `npm run build:addon`.
#   --incremental   reconfigure (picks up new engine files) and rebuild only
#                   what changed, instead of a clean rebuild
set -e
cd "$(dirname "$0")/.."
node_bin=${npm_node_execpath:-$(command -v node)}
: "${npm_config_nodedir:=$(dirname "$(dirname "$(readlink -f "$node_bin")")")}"
[ -f "$npm_config_nodedir/include/node/node_api.h" ] || {
  echo "node headers not found in $npm_config_nodedir/include/node" >&2; exit 1; }
jobs=${JOBS:-2}
if [ "${1:-}" = --incremental ] && [ -f build/Makefile ]; then
  shift
  node-gyp configure --nodedir="$npm_config_nodedir" "$@"
  exec node-gyp build --jobs "$jobs" --nodedir="$npm_config_nodedir" "$@"
fi
[ "${1:-}" = --incremental ] && shift
exec node-gyp rebuild --jobs "$jobs" --nodedir="$npm_config_nodedir" "$@"
