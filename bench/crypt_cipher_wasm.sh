#!/bin/sh
# bench/crypt_cipher_wasm.sh — bench/crypt_cipher.c compiled as the wasm
# build compiles the engine (emcc -O2 -msimd128; one file, since emcc 3.1.6 would
# fetch() a separate .wasm by path), run in Node: the speed of the
# portable ciphers where wasm users get them.  Usage: sh bench/crypt_cipher_wasm.sh
set -eu
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
emcc -O2 -msimd128 -std=c11 -D_GNU_SOURCE -Iengine/include -Iengine/src bench/crypt_cipher.c engine/src/crypto/*.c \
  engine/src/util/*.c -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sSINGLE_FILE=1 -o "$OUT/crypt_cipher.js"
node "$OUT/crypt_cipher.js"
