#!/bin/sh
# Fails when an #include crosses the layering of docs/ARCHITECTURE.md.
# Each line of the table below names a module (a folder of engine/src, or
# of engine/src/ext for the extension families) and what it may include from
# other modules: whole modules, or single headers (module/file.h) where only
# that header is allowed.  The front doors (engine/shell, native, wasm)
# include only the public headers.
# Prints every crossing as "file: includes X" and exits 1 if there is any.
cd "$(dirname "$0")/.." || exit 2
table='
util:
os:      util
pager:   os util crypto
crypto:  util
btree:   pager util
value:   util
sql:     value util btree
func:    value util
plan:    sql value util
vtab:    sql btree/btree.h func value util
conn:    sql btree pager vtab/vtab.h func value util os/os.h
vdbe:    conn btree vtab func value util os/os.h idxmethod
codegen: conn plan sql vdbe vtab func value util idxmethod
capi:    conn codegen vdbe vtab sql btree func value util ext/vector ext/rtree ext/fts ext/fts3 ext/fts5 idxmethod
idxmethod: btree/btree.h value util ext/vector ext/vector_ann ext/fts
ext/vector: func value util
ext/vector_ann: ext/vector/vector.h util
ext/rtree:
ext/fts: func value util
ext/fts3: ext/fts/fts.h ext/fts/shadow.h
ext/fts5: ext/fts/fts.h ext/fts/shadow.h
'
# vtab holds the virtual-table modules (table-valued functions such as
# json_each): the VM drives their cursors, codegen reads their columns and
# asks best_index; they build on func (JSONB), value, and the schema (sql)
# for the PRAGMA functions (btree.h for the sqlite_schema root page number).
# The VM's sorter writes its spilled runs to temporary files through the I/O
# vtable (os/os.h), as SQLite's does: they are not database storage.
# conn owns the connection, its databases and the transaction state machine;
# it opens the pagers and is the only module above btree that reaches them
# (btree.h only forward-declares Pager).  It reads virtual tables' savepoint
# operations (vtab/vtab.h) for the upcalls it makes to the C API.
status=0
# The module an engine header belongs to: ext/NAME/x.h → ext/NAME, else the folder.
module_of() {
  case $1 in
    ext/*/*) printf '%s\n' "$1" | cut -d/ -f1-2 ;;
    *) printf '%s\n' "${1%%/*}" ;;
  esac
}
for dir in $(ls -d engine/src/*/ engine/src/ext/*/ 2>/dev/null | grep -v '^engine/src/ext/$'); do
  mod=${dir#engine/src/}
  mod=${mod%/}
  allowed=$(printf '%s\n' "$table" | sed -n "s|^$mod:[[:space:]]*||p")
  if ! printf '%s\n' "$table" | grep -q "^$mod:"; then
    echo "engine/src/$mod: not in the layering table (tools/check-layering.sh)"; status=1; continue
  fi
  for f in "$dir"*.c "$dir"*.h; do
    [ -f "$f" ] || continue
    for inc in $(sed -n 's/^#include "\([a-z_]*\/[a-z_0-9/]*\.h\)".*/\1/p' "$f"); do
      target=$(module_of "$inc")
      [ "$target" = "$mod" ] && continue
      ok=0
      for a in $allowed; do
        if [ "$a" = "$target" ] || [ "$a" = "$inc" ]; then ok=1; fi
      done
      if [ $ok -eq 0 ]; then echo "$f: includes $inc"; status=1; fi
    done
  done
done
for f in engine/shell/*.[ch] native/*.[ch] wasm/*.[ch]; do
  [ -f "$f" ] || continue
  for inc in $(sed -n 's/^#include "\([a-z_]*\/[^"]*\)".*/\1/p' "$f"); do
    echo "$f: includes $inc (front doors use lode.h only)"; status=1
  done
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
