#!/bin/sh
# Builds bench/hot.c against the wasm build's objects (wasm/build.sh's files and
# tiers, kept with LODE_WASM_OBJ) as a Node program: out/hot-wasm/hot.cjs, run as
#   node --no-liftoff --no-wasm-lazy-compilation out/hot-wasm/hot.cjs WORKLOAD [ROWS]
# Those flags compile every function with the optimizing tier before main runs,
# so that the timed workload neither runs baseline code nor waits for a compile:
# its CPU time (Node's process.cpuUsage) is then comparable with out/hot's for
# the same workload, the wasm engine against the native one with no JS between.
# LODE_WASM_PROFILE=1 keeps the function names (node --cpu-prof).
set -eu
cd "$(dirname "$0")/.."
OUT=out/hot-wasm
mkdir -p "$OUT"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
LODE_WASM_OBJ="$OUT/obj" LODE_WASM_BUNDLE=0 sh wasm/build.sh "$OUT/module"
FLAGS="-O3 -DNDEBUG -msimd128 -mbulk-memory -D_Thread_local="
# 3.1.6 would fetch() hot.wasm, which Node's fetch cannot read from a path.
printf '%s\n' "Module['wasmBinary'] = require('fs').readFileSync(require('path').join(__dirname, 'hot.wasm'));" \
  > "$OUT/pre.js"
# shellcheck disable=SC2086
emcc $FLAGS -Iengine/include -c bench/hot.c -o "$OUT/hot.o"
PROF=""
[ "${LODE_WASM_PROFILE:-0}" = 1 ] && PROF="--profiling-funcs"
# shellcheck disable=SC2086
emcc $FLAGS $PROF "$OUT/hot.o" "$OUT"/obj/engine_*.o "$OUT/obj/wasm_memcmp.c.o" \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB -sENVIRONMENT=node -sWASM_BIGINT=1 -sFILESYSTEM=0 \
  --js-library wasm/library_lode_io.js --pre-js "$OUT/pre.js" -o "$OUT/hot.js"
# CommonJS (require, __dirname) in a package of ES modules
mv "$OUT/hot.js" "$OUT/hot.cjs"
ls -l "$OUT/hot.cjs" "$OUT/hot.wasm"
