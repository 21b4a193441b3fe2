#!/bin/sh
# Builds the wasm engine: dist/wasm/lode.mjs + lode.wasm (ES module factory
# createLodeModule, for Node >= 20.16 and browsers).  Under __EMSCRIPTEN__ the
# engine's files are the host's (engine/src/os/os_host.c calling the object
# given as Module.lodeIO: node:fs, or OPFS in a browser worker; imports in
# wasm/library_lode_io.js); without one they live in memory for the life of
# the module instance.  wasm/lode_wasm.c adds the exports js/wasm-driver.mjs
# uses to cross into wasm once per call or row; wasm/memcmp.c replaces the C
# library's byte-at-a-time memcmp.  Usage: sh wasm/build.sh [OUTDIR] (EMCC_DEBUG_BUILD=1
# for -O0 -g with assertions).  With esbuild installed it also writes the
# single-file bundle dist/wasm/lodedb.bundle.mjs (tools/wasm-bundle.mjs).
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-dist/wasm}
mkdir -p "$OUT"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's optimizer needs acorn from here
# OPT for compiling and linking, LINK_OPT for the link only.
if [ "${EMCC_DEBUG_BUILD:-0}" = 1 ]; then OPT="-O0 -g"; LINK_OPT="-sASSERTIONS=1"; else OPT="-O3 -DNDEBUG"; LINK_OPT="-sASSERTIONS=0"; fi
# LODE_WASM_PROFILE=1 keeps the wasm function names (node --cpu-prof then shows them).
[ "${LODE_WASM_PROFILE:-0}" = 1 ] && LINK_OPT="$LINK_OPT --profiling-funcs"

FUNCS="lode_libversion lode_open_v2 lode_close lode_errmsg lode_errstr lode_extended_errcode
  lode_exec lode_free lode_prepare lode_step lode_reset lode_finalize lode_stmt_readonly
  lode_bind_parameter_count lode_bind_parameter_name lode_bind_null lode_bind_int64 lode_bind_double
  lode_bind_text lode_bind_blob lode_clear_bindings lode_column_count lode_column_name
  lode_column_decltype lode_column_table_name lode_column_origin_name lode_column_database_name
  lode_progress_handler lode_column_type lode_column_int64 lode_column_double lode_column_text
  lode_column_blob lode_column_bytes lode_changes lode_total_changes lode_last_insert_rowid
  lode_get_autocommit lode_busy_timeout lode_double_quoted_strings lode_defensive lode_interrupt lode_serialize lode_deserialize lode_backup_init lode_backup_step
  lode_load_extension lode_backup_finish lode_backup_remaining lode_backup_pagecount lode_create_function lode_user_data
  lode_aggregate_context lode_value_type lode_value_int64 lode_value_double lode_value_text lode_value_blob
  lode_value_bytes lode_result_null lode_result_int64 lode_result_double lode_result_text lode_result_blob
  lode_result_error lode_result_error_code lodew_bind lodew_row lodew_step_row lodew_rows lodew_names_same lodew_run lodew_bind_run
  lodew_vtab_hooks lodew_declare_vtab lodew_vtab_directonly lodew_vtab_param lodew_create_module malloc free"
EXPORTS=$(printf '_%s,' $FUNCS); EXPORTS=${EXPORTS%,}

# LODE_WASM_SRCS / LODE_WASM_CFLAGS replace the sources / add flags (test builds).
# SIMD128 (vector distance kernels; every current browser and Node >= 16.4 run
# it); LODE_WASM_SIMD= builds without it.
SIMD=${LODE_WASM_SIMD--msimd128}
# Bulk memory: memcpy/memset become memory.copy/memory.fill, where without it
# a copy of 512 bytes or more (a page) is a call out to JS.  With it the
# linker wants atomics for thread-local storage; the build has no threads,
# so _Thread_local variables are plain statics (-D_Thread_local=).
BULK="-mbulk-memory -D_Thread_local="
SRCS=${LODE_WASM_SRCS:-$(find engine/src -name '*.c' | sort)}
CFLAGS="$OPT $SIMD $BULK -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Iengine/include -Iengine/src ${LODE_WASM_CFLAGS:-}"
# Each file is compiled on its own, LODE_WASM_JOBS (default 2) at a time, into
# a fresh folder of objects (named after their paths), then linked once.
# LODE_WASM_OBJ=DIR keeps the objects in DIR (bench/hot-wasm.sh links them).
if [ -n "${LODE_WASM_OBJ:-}" ]; then
  OBJ=$LODE_WASM_OBJ; rm -rf "$OBJ"; mkdir -p "$OBJ"
else
  OBJ=$(mktemp -d "${TMPDIR:-/tmp}/lode-wasm-obj.XXXXXX")
  trap 'rm -rf "$OBJ"' EXIT
fi
# Optimization by the kind of work a file does, so that lode.wasm stays within
# its 1.5 MB budget at no cost per row: what a statement runs row by row (VM,
# b-trees, pager, values, functions, the per-call API) at OPT (-O3);
# connection state, encryption's page cipher, index methods, vector kernels
# and the WAL at -O2; the compiler's front end (parser, planner, code
# generation: once per prepared statement, ~15% slower to compile than at -O3)
# at -Os; and rarely used pieces (sessions, FTS3/FTS5's query side, R-Tree,
# virtual tables, date and printf(), AEGIS's portable code, EXPLAIN, VACUUM,
# ANALYZE, integrity_check...) at -Oz.  FTS5's index (fts5_index.c) is half
# the size at -Os but builds an index 7-16% slower; at OPT inlining only what
# its source marks inline it is 20% smaller than at -O2, its speed within noise.  The
# index methods stay at -O2 because binaryen inlines some of them into the VM
# loop (vdbe_step), whose scan rows ran 5% slower with them at -Oz.  The link
# runs wasm-opt at OPT: at -Os it is 46 KB smaller but 5-15% slower per row.
# wasm-opt inlines a function with one caller whatever its size (clang's
# noinline does not reach it), which folds the VM's out-of-line op helpers
# back into vdbe_step; V8 then compiles one much bigger loop whose every op
# reloads more spilled values (V8's wasm code keeps no register across a
# call).  Capping that inlining at 150 wasm instructions keeps them out of
# line: scan, ORDER BY, UPDATE, LIKE, Q1 and Q6 rows 2-18% faster, 5.5 KB.
ONE_CALLER="-sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=150"
# LODE_WASM_TIERS=0 builds every file with OPT.
tier_of() {
  case "$1" in
    engine/src/capi/sqlite3_api.c|engine/src/capi/values.c|engine/src/capi/prepare.c|engine/src/capi/stmt.c|\
    engine/src/capi/func_api.c) echo hot ;;
    engine/src/sql/*|engine/src/codegen/*|engine/src/plan/*) echo small ;;
    engine/src/ext/fts5/fts5_index.c) echo lean ;;
    engine/src/conn/txn.c|engine/src/conn/conn_db.c|engine/src/conn/conn.c|engine/src/conn/index_methods.c|\
    engine/src/conn/settings.c|engine/src/conn/storage.c|engine/src/idxmethod/fts_method.c|\
    engine/src/idxmethod/idxmethod.c|engine/src/idxmethod/store.c|engine/src/idxmethod/vector_ann_method.c|\
    engine/src/crypto/aes.c|engine/src/crypto/aes_ct.c|engine/src/ext/vector/*|engine/src/pager/wal.c|\
    engine/src/pager/wal_index.c|engine/src/pager/pager_crypt.c|engine/src/btree/btree_copy.c|\
    engine/src/func/percentile.c) echo warm ;;
    engine/src/capi/*|engine/src/vtab/*|engine/src/ext/fts3/*|engine/src/ext/rtree/*|engine/src/ext/fts5/*|\
    engine/src/ext/fts/*|engine/src/ext/vector_ann/*|engine/src/idxmethod/*|engine/src/conn/*|\
    engine/src/func/cdc_json.c|engine/src/func/date.c|engine/src/func/printf.c|engine/src/crypto/*|\
    engine/src/vdbe/vdbe_explain.c|engine/src/vdbe/vdbe_vacuum.c|engine/src/vdbe/vdbe_stat4.c|\
    engine/src/btree/btree_check.c|engine/src/btree/btree_stat.c|engine/src/btree/btree_ptrmap.c|\
    engine/src/pager/journal.c|engine/src/vdbe/vdbe_blob.c|engine/src/os/os_fault.c) echo cold ;;
    *) echo hot ;;
  esac
}
if [ "${EMCC_DEBUG_BUILD:-0}" = 1 ] || [ "${LODE_WASM_TIERS:-1}" = 0 ]; then TIERS=0; else TIERS=1; fi
# Each line is a file and the flag its tier adds (a later -O wins over OPT's;
# a hot file's is an inert define, as xargs takes two words a line).
# shellcheck disable=SC2086,SC2016
for f in $SRCS wasm/lode_wasm.c wasm/memcmp.c; do
  case "$TIERS:$(tier_of "$f")" in
    1:cold) t=-Oz ;; 1:small) t=-Os ;; 1:warm) t=-O2 ;; 1:lean) t=-finline-hint-functions ;; *) t=-DLODE_WASM_HOT ;;
  esac
  printf '%s %s\n' "$f" "$t"
done | CFLAGS="$CFLAGS" OBJ="$OBJ" xargs -P "${LODE_WASM_JOBS:-2}" -n 2 \
  sh -c 'emcc $CFLAGS $2 -c "$1" -o "$OBJ/$(printf %s "$1" | tr / _).o"' sh
# shellcheck disable=SC2086
emcc $OPT $LINK_OPT $ONE_CALLER $SIMD $BULK "$OBJ"/*.o \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createLodeModule -sENVIRONMENT=web,worker,node \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB \
  -sEXPORTED_FUNCTIONS="$EXPORTS" \
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8,addFunction \
  -sALLOW_TABLE_GROWTH=1 \
  -sWASM_BIGINT=1 -sFILESYSTEM=0 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -sDYNAMIC_EXECUTION=0 \
  --js-library wasm/library_lode_io.js --extern-pre-js wasm/esm-node-shim.js --pre-js wasm/node-wasm-binary.js \
  -o "$OUT/lode.mjs"
ls -l "$OUT/lode.mjs" "$OUT/lode.wasm"
# The single-file bundle (lodedb/wasm/bundle: wasm inlined) needs esbuild, a dev dependency.
if [ "${LODE_WASM_BUNDLE:-1}" = 1 ] && [ -z "${LODE_WASM_SRCS:-}" ] && [ "$OUT" = dist/wasm ]; then
  if node -e "import('esbuild').catch(() => process.exit(1))" 2>/dev/null; then node tools/wasm-bundle.mjs
  else echo "esbuild is not installed: skipping dist/wasm/lodedb.bundle.mjs" >&2; fi
fi
