// wasm-driver.mjs — the driver surface of native/addon.c (same functions,
// same binding and row rules; see its head comment) implemented in JS over
// the exports of the emscripten module dist/wasm/lode.mjs.
//
// Memory rules: strings and bytes are copied into malloc'd heap memory for a
// call and freed right after (bound values go to one buffer kept for the
// driver's life while they fit in it); strings are encoded with TextEncoder
// (short ASCII ones copied unit by unit) and decoded
// with TextDecoder only (a lone UTF-16 surrogate becomes U+FFFD, as the native
// addon does — emscripten's own UTF-8 helpers let it swallow the next
// character, which turns correctly escaped SQL text into injected SQL); results are copied out (TextDecoder / slice),
// never kept as views, and M.HEAPU8 is read again after every call that may
// allocate because memory growth replaces it.  int64 crosses as BigInt
// (-sWASM_BIGINT).  Handles are objects { ptr } whose ptr becomes 0 when
// finalized/closed, so stale handles throw instead of touching freed memory.
// A handle is { c: cell }: the cell ({ ptr, stmts } for a database, { ptr, db, onRow }
// for a statement, db being the database's cell) is what the database's stmts
// set and the FinalizationRegistry hold, so an unreachable handle can still be
// collected and its statement finalized (or its unclosed database closed).
//
// The hot calls cross the boundary once where they can (wasm/lode_wasm.c):
// binding a call's parameters is one lodew_bind over a slot array written
// here through typed-array views (an integral Number goes as a double, with
// no BigInt made for it), run() with its values is one lodew_bind_run, get()'s
// or a step's row is one lodew_step_row that leaves the row's columns in the
// slot array, and all() and rows() (the promise API's iterate()) read their
// rows in batches: one lodew_rows steps as many rows as its buffer holds and
// copies each row's slots and bytes into it, decoded here after it returns.
// Object rows come from the row maker of their column names
// (js/row-maker.mjs), as the native driver's do; TEXT of ASCII bytes only
// (tagged so by the C side) is made by Buffer's latin1Slice under Node.

import { makeRowMaker, runResult } from './row-maker.mjs';
import { createWasmFunctions } from './wasm-functions.mjs';

const LODE_OK = 0;
const LODE_ROW = 100;
const LODE_DONE = 101;
const LODE_INTEGER = 1;
const LODE_FLOAT = 2;
const LODE_TEXT = 3;
const LODE_BLOB = 4;
const LODE_NULL = 5;
const OPEN_DEFAULT = 0x2 | 0x4;

const ROW_RAW = 1;
const ROW_PLUCK = 2;
const ROW_SAFE_INT = 4;
const ROW_EXPAND = 8;
const ROW_INDEXED = 16; // object rows hold their values under column numbers too (native/addon.c)
// How often (VM instructions) a query timeout checks the clock.
const DEADLINE_EVERY = 1000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// Worded as native/addon.c words it.
const unsafeIntegerMessage = (x) =>
  `The integer ${x} is outside the range of safe JavaScript numbers: read it as a BigInt with safeIntegers()`;

const PTR_BYTES = 4;
// lodew_row's slots: int32 tag, int32 bytes, 8-byte value (wasm/lode_wasm.c).
const SLOT_BYTES = 16;
const SLOT_BIGINT = 6;
const SLOT_ASCII = 7; // TEXT of ASCII bytes only
// lodew_rows: no row fits the buffer (wasm/lode_wasm.c).
const ROWS_GROW = -1;
// lodew_rows's first buffer: its slots and bytes hold about a thousand rows of a few short columns.
const ROW_BUF_BYTES = 64 * 1024;
// all()'s count of rows: every one (lodew_rows reads as many as its buffer holds per call).
const ALL_ROWS = 0x7fffffff;
// Bound strings and blobs up to this many bytes go through the scratch buffer.
const BIND_SCRATCH = 3 * 4096 + 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_LIMIT = 2 ** 63;
const BIND_TYPE_ERROR = 'SQLite3 can only bind numbers, strings, bigints, buffers, and null';

export function createWasmDriver(M, makeError) {
  // ignoreBOM: keep a leading U+FEFF in the text (the default drops it).
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const encoder = new TextEncoder();
  const scratch = M._malloc(2 * PTR_BYTES); // out-parameters of open/prepare
  // lodew_run's two doubles; lodew_step_row's column count and whether the names are the same
  const runOut = M._malloc(2 * 8 + 2 * 4);
  const countAt = runOut + 16;
  const bindBuf = M._malloc(BIND_SCRATCH);
  let slotCap = 32;
  let slots = M._malloc(slotCap * SLOT_BYTES);
  if (!scratch || !runOut || !bindBuf || !slots) throw makeError('out of memory', 7);
  // The module's typed views over the heap, taken again when memory growth replaces them.
  let viewU8 = null;
  let i32 = null;
  let f64 = null;
  let i64 = null;
  // Under Node, a Buffer over the heap: its latin1Slice makes a string of
  // ASCII bytes in about half the time TextDecoder takes.
  const hasBuffer = typeof Buffer === 'function' && typeof Buffer.prototype.latin1Slice === 'function';
  let heapBuf = null;
  function views() {
    if (M.HEAPU8 !== viewU8) {
      viewU8 = M.HEAPU8;
      i32 = M.HEAP32;
      f64 = M.HEAPF64;
      i64 = M.HEAP64;
      if (hasBuffer) heapBuf = Buffer.from(viewU8.buffer);
    }
  }
  // The string of the n ASCII bytes at p (views() current).
  const ascii = (p, n) => (heapBuf ? heapBuf.latin1Slice(p, p + n) : decoder.decode(viewU8.subarray(p, p + n)));
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((c) => {
      try {
        if (c.ptr && 'stmts' in c) closeCell(c);
        else if (c.ptr && c.db.ptr) finalizeCell(c);
      } catch {
        // nothing to report to: the handle is gone
      }
    }) : null;

  const heap = () => M.HEAPU8;
  const readPtr = (addr) => new DataView(heap().buffer).getUint32(addr, true);
  const utf8 = (from, to) => decoder.decode(heap().subarray(from, to));
  const cstring = (p) => (p ? utf8(p, heap().indexOf(0, p)) : null);

  // Copies s into the heap as NUL-terminated UTF-8; returns [ptr, byteLength]
  // (caller frees).  A UTF-16 unit takes at most 3 bytes, so short strings are
  // encoded straight into a buffer of that bound; long ones are measured first
  // (by encoding them) so as not to allocate three times their size.
  function heapString(s) {
    if (s.length <= 4096) {
      const cap = s.length * 3 + 1;
      const p = M._malloc(cap);
      if (!p) throw makeError('out of memory', 7);
      const n = encoder.encodeInto(s, heap().subarray(p, p + cap - 1)).written;
      heap()[p + n] = 0;
      return [p, n];
    }
    const bytes = encoder.encode(s);
    const p = M._malloc(bytes.length + 1);
    if (!p) throw makeError('out of memory', 7);
    heap().set(bytes, p);
    heap()[p + bytes.length] = 0;
    return [p, bytes.length];
  }

  function dbError(db, rc) {
    const thrown = fns.takePending(); // a user function's own exception
    if (thrown) return thrown;
    const raw = db ? M._lode_extended_errcode(db) : rc;
    const msg = db ? cstring(M._lode_errmsg(db)) : cstring(M._lode_errstr(rc));
    return makeError(msg ?? 'unknown error', raw || rc);
  }

  function dbOf(h) {
    if (!h || typeof h !== 'object' || !h.c || !('stmts' in h.c)) throw new TypeError('Expected a database handle');
    if (!h.c.ptr) throw new TypeError('The database connection is not open');
    return h.c.ptr;
  }

  function stmtOf(h) {
    if (!h || typeof h !== 'object' || !h.c || !('db' in h.c)) throw new TypeError('Expected a statement handle');
    if (!h.c.db.ptr) throw new TypeError('The database connection is not open');
    if (!h.c.ptr) throw new TypeError('This statement has been finalized');
    return h.c.ptr;
  }

  function finalizeCell(c) {
    M._lode_finalize(c.ptr);
    c.ptr = 0;
    dropNames(c);
    c.db.stmts.delete(c);
  }

  // Frees the copy of a statement's column names (rowNames).
  function dropNames(c) {
    if (c.columns) M._free(c.columns.ptr);
    c.columns = undefined;
  }

  // Finalizes the database's statements, then closes it.
  function closeCell(c) {
    for (const st of c.stmts) {
      M._lode_finalize(st.ptr);
      st.ptr = 0;
      dropNames(st);
    }
    c.stmts.clear();
    watched.delete(c.ptr);
    check(c.ptr, M._lode_close(c.ptr));
    c.ptr = 0;
  }

  function check(db, rc) {
    if (rc !== LODE_OK) throw dbError(db, rc);
  }

  // ---- binding ----

  // bindValues writes each value into a slot (lodew_row's layout; NULL,
  // INTEGER as a double or SLOT_BIGINT, FLOAT, TEXT and BLOB as pointer and
  // byte count) and binds them all with one lodew_bind.  Text and blob bytes
  // go to bindBuf while they fit, else to a malloc'd copy freed after it.
  let bindUsed = 0;
  const owned = [];

  // A place for n bytes of the values being packed.
  function bytesAt(n) {
    if (n <= BIND_SCRATCH - bindUsed) {
      const p = bindBuf + bindUsed;
      bindUsed += n;
      return p;
    }
    const p = M._malloc(n || 1);
    if (!p) throw makeError('out of memory', 7);
    owned.push(p);
    views();
    return p;
  }

  function slotRef(k, tag, bytes, p) {
    const at = (slots >> 2) + k * (SLOT_BYTES >> 2);
    i32[at] = tag;
    i32[at + 1] = bytes;
    i32[at + 2] = p;
  }

  function slotNumber(k, tag, x) {
    const at = (slots >> 2) + k * (SLOT_BYTES >> 2);
    i32[at] = tag;
    f64[(at + 2) >> 1] = x;
  }

  function slotBigInt(k, x) {
    const at = (slots >> 2) + k * (SLOT_BYTES >> 2);
    i32[at] = SLOT_BIGINT;
    i64[(at + 2) >> 1] = x;
  }

  // s as UTF-8 into the packed bytes.  ASCII, the usual case, is copied unit
  // by unit: cheaper than a call to encodeInto for short text.
  function packText(k, s) {
    const n = s.length;
    if (n > 4096) {
      const bytes = encoder.encode(s);
      const p = bytesAt(bytes.length);
      M.HEAPU8.set(bytes, p);
      return slotRef(k, LODE_TEXT, bytes.length, p);
    }
    const cap = 3 * n;
    const inArena = cap <= BIND_SCRATCH - bindUsed;
    const p = bytesAt(cap);
    const mem = M.HEAPU8;
    let i = 0;
    if (n <= 64) {
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        mem[p + i] = c;
      }
    }
    const len = i === n ? n : encoder.encodeInto(s, mem.subarray(p, p + cap)).written;
    if (inArena) bindUsed -= cap - len;
    slotRef(k, LODE_TEXT, len, p);
  }

  function packValue(k, v) {
    switch (typeof v) {
      case 'number':
        if (Number.isNaN(v)) return slotNumber(k, LODE_NULL, 0);
        return slotNumber(k, Number.isInteger(v) && v >= -INT64_LIMIT && v < INT64_LIMIT ? LODE_INTEGER : LODE_FLOAT, v);
      case 'string':
        return packText(k, v);
      case 'bigint':
        if (v < INT64_MIN || v > INT64_MAX) {
          throw new RangeError('The bound string, buffer, or bigint is too big');
        }
        return slotBigInt(k, v);
      case 'boolean':
        return slotNumber(k, LODE_INTEGER, v ? 1 : 0);
      case 'undefined':
        return slotNumber(k, LODE_NULL, 0);
      case 'object':
        if (v === null) return slotNumber(k, LODE_NULL, 0);
        if (ArrayBuffer.isView(v)) {
          const p = bytesAt(v.byteLength);
          M.HEAPU8.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), p);
          return slotRef(k, LODE_BLOB, v.byteLength, p);
        }
        throw new TypeError(BIND_TYPE_ERROR);
      default:
        throw new TypeError(BIND_TYPE_ERROR);
    }
  }

  // Parameter names (null for anonymous ?), read once per statement.
  function paramNames(s) {
    const count = M._lode_bind_parameter_count(s);
    const names = new Array(count);
    for (let i = 1; i <= count; i++) names[i - 1] = cstring(M._lode_bind_parameter_name(s, i));
    return names;
  }

  function isNamed(name) {
    return name !== null && (name[0] === ':' || name[0] === '@' || name[0] === '$');
  }

  // bind(h, named, ...values), as the addon's.
  function bind(h, named, ...positional) {
    bindValues(h, positional, named);
  }

  // better-sqlite3's binding rules (strictBind: native/addon.c's
  // bind_all_strict): the k-th value binds the k-th anonymous parameter,
  // named ones (?NNN too) come from the object; each value's type is checked
  // before its place.
  const unbindableObject = (v) =>
    typeof v === 'function' || (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v));

  function packStrict(names, positional, named) {
    const hasNamed = names.some((name) => name !== null);
    const notPlain = () => new TypeError('Named parameters can only be passed within plain objects');
    let i = 0;
    for (const v of positional) {
      while (i < names.length && names[i] !== null) i++;
      if (hasNamed && unbindableObject(v)) throw notPlain();
      if (i >= names.length) {
        if (typeof v === 'symbol' || unbindableObject(v)) throw new TypeError(BIND_TYPE_ERROR);
        if (typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX))
          throw new RangeError('The bound string, buffer, or bigint is too big');
        throw new RangeError('Too many parameter values were provided');
      }
      packValue(i++, v);
    }
    while (i < names.length && names[i] !== null) i++;
    if (hasNamed) {
      if (named === null || typeof named !== 'object') throw new TypeError('Missing named parameters');
      names.forEach((name, j) => {
        if (name === null) return;
        const key = name.slice(1);
        if (!(key in named)) throw new RangeError(`Missing named parameter "${key}"`);
        packValue(j, named[key]);
      });
    }
    if (i < names.length) throw new RangeError('Too few parameter values were provided');
  }

  // Readies statement s for packing its parameters: reset, slots for all of
  // them, the scratch buffer empty; their count.
  function bindReady(h, s) {
    ensureReset(h, s);
    const count = (h.c.params ??= paramNames(s)).length;
    if (count > slotCap) growSlots(count);
    views();
    bindUsed = 0;
    return count;
  }

  function bindValues(h, positional, named) {
    const s = stmtOf(h);
    const db = h.c.db.ptr;
    const haveNamed = named !== null && typeof named === 'object';
    let used = 0;
    const count = bindReady(h, s);
    const names = h.c.params;
    try {
      if (h.c.strictBind) {
        packStrict(names, positional, named);
        if (count) check(db, M._lodew_bind(s, slots, count));
        return;
      }
      for (let i = 0; i < count; i++) {
        const name = names[i];
        let v;
        if (haveNamed && isNamed(name)) {
          const key = name.slice(1);
          if (!(key in named)) throw new RangeError(`Missing named parameter "${key}"`);
          v = named[key];
        } else {
          const at = haveNamed ? used++ : i;
          if (at >= positional.length) throw new RangeError('Too few parameter values were provided');
          if (!haveNamed) used = at + 1;
          v = positional[at];
        }
        packValue(i, v);
      }
      if (used < positional.length) throw new RangeError('Too many parameter values were provided');
      if (count) check(db, M._lodew_bind(s, slots, count));
    } finally {
      while (owned.length) M._free(owned.pop());
    }
  }

  // ---- rows ----

  // An INTEGER outside Number's safe range would silently become another
  // number: RangeError instead, unless the statement reads BigInts.
  function safeNumber(x) {
    if (x > MAX_SAFE || x < -MAX_SAFE) throw new RangeError(unsafeIntegerMessage(x));
    return Number(x);
  }

  // The value of the slot at int32 index at (views() current).
  function slotValueAt(at, mode) {
    switch (i32[at]) {
      case LODE_INTEGER: {
        const x = f64[(at + 2) >> 1];
        return mode & ROW_SAFE_INT ? BigInt(x) : x;
      }
      case SLOT_ASCII:
        return ascii(i32[at + 2] >>> 0, i32[at + 1]);
      case SLOT_BIGINT: {
        const x = i64[(at + 2) >> 1];
        return mode & ROW_SAFE_INT ? x : safeNumber(x);
      }
      case LODE_FLOAT:
        return f64[(at + 2) >> 1];
      case LODE_TEXT: {
        const p = i32[at + 2] >>> 0;
        return p ? decoder.decode(viewU8.subarray(p, p + i32[at + 1])) : '';
      }
      case LODE_BLOB: {
        const p = i32[at + 2] >>> 0;
        return p ? viewU8.slice(p, p + i32[at + 1]) : new Uint8Array(0);
      }
      default:
        return null;
    }
  }

  function columnNames(s) {
    const n = M._lode_column_count(s);
    const names = new Array(n);
    for (let i = 0; i < n; i++) names[i] = cstring(M._lode_column_name(s, i)) ?? '';
    return names;
  }

  // The column names of a statement's rows, decoded once and kept on its cell
  // (with the row makers for them) as { names, ptr, maker, imaker }, ptr a
  // malloc'd copy of their bytes for lodew_names_same: a re-prepare (after a
  // schema change) may give other names, so every call checks them (same:
  // what lodew_step_row found, or undefined to ask).
  function rowNames(h, s, same) {
    const cache = h.c.columns;
    if (cache && (same === 1 || (same === undefined && M._lodew_names_same(s, cache.ptr) === 1))) return cache;
    const n = M._lode_column_count(s);
    const at = new Array(n);
    let size = 4;
    for (let i = 0; i < n; i++) {
      const p = M._lode_column_name(s, i);
      at[i] = p;
      if (p) size += heap().indexOf(0, p) - p;
      size += 1;
    }
    const ptr = M._malloc(size);
    if (!ptr) throw makeError('out of memory', 7);
    views();
    i32[ptr >> 2] = n;
    let to = ptr + 4;
    for (let i = 0; i < n; i++) {
      const p = at[i];
      const end = p ? viewU8.indexOf(0, p) : 0;
      if (p) viewU8.copyWithin(to, p, end);
      to += p ? end - p : 0;
      viewU8[to++] = 0;
    }
    dropNames(h.c);
    h.c.columns = { names: columnNames(s), ptr, maker: undefined, imaker: undefined };
    return h.c.columns;
  }

  // { table: { column: value } }, columns that read no table straight under
  // "$"; the n values from the slots at int32 index at.
  function expandedRow(s, mode, n, at) {
    const row = {};
    for (let i = 0; i < n; i++) {
      const table = cstring(M._lode_column_table_name(s, i)) ?? '$';
      const nested = Object.hasOwn(row, table) ? row[table] : (row[table] = {});
      const name = cstring(M._lode_column_name(s, i)) ?? '';
      views();
      nested[name] = slotValueAt(at + 4 * i, mode);
    }
    return row;
  }

  // The maker of object rows with these names (js/row-maker.mjs): V8 makes
  // the object literal with its final shape at once, where setting the keys
  // one by one costs a shape transition and a key lookup each.  It is
  // compiled code (new Function): where a content security policy forbids
  // that, rows are made key by key (null here).
  let makersForbidden = false;
  function makerOf(cols, indexed) {
    const key = indexed ? 'imaker' : 'maker';
    if (cols[key] !== undefined || makersForbidden) return cols[key] ?? null;
    try {
      cols[key] = makeRowMaker(cols.names, indexed);
    } catch {
      makersForbidden = true;
      cols[key] = null;
    }
    return cols[key];
  }

  // A row of n values from the slots at int32 index at (views() current);
  // cols: rowNames' { names, maker } for object rows (null for the others).
  function rowAt(s, mode, cols, n, at) {
    if (mode & ROW_PLUCK) return n > 0 ? slotValueAt(at, mode) : null;
    if (mode & ROW_RAW) {
      const row = new Array(n);
      for (let i = 0; i < n; i++) row[i] = slotValueAt(at + 4 * i, mode);
      return row;
    }
    if (mode & ROW_EXPAND) return expandedRow(s, mode, n, at);
    const make = makerOf(cols, (mode & ROW_INDEXED) !== 0);
    if (make !== null) {
      switch (n) {
        case 1: return make(slotValueAt(at, mode));
        case 2: return make(slotValueAt(at, mode), slotValueAt(at + 4, mode));
        case 3: return make(slotValueAt(at, mode), slotValueAt(at + 4, mode), slotValueAt(at + 8, mode));
        case 4:
          return make(slotValueAt(at, mode), slotValueAt(at + 4, mode), slotValueAt(at + 8, mode),
            slotValueAt(at + 12, mode));
        case 5:
          return make(slotValueAt(at, mode), slotValueAt(at + 4, mode), slotValueAt(at + 8, mode),
            slotValueAt(at + 12, mode), slotValueAt(at + 16, mode));
        case 6:
          return make(slotValueAt(at, mode), slotValueAt(at + 4, mode), slotValueAt(at + 8, mode),
            slotValueAt(at + 12, mode), slotValueAt(at + 16, mode), slotValueAt(at + 20, mode));
        default: {
          const values = new Array(n);
          for (let i = 0; i < n; i++) values[i] = slotValueAt(at + 4 * i, mode);
          return make(...values);
        }
      }
    }
    const names = cols.names;
    const row = {};
    if (mode & ROW_INDEXED) {
      for (let i = 0; i < n; i++) {
        const v = slotValueAt(at + 4 * i, mode);
        row[names[i]] = v;
        Object.defineProperty(row, i, { value: v, writable: true, configurable: true });
      }
      return row;
    }
    for (let i = 0; i < n; i++) row[names[i]] = slotValueAt(at + 4 * i, mode);
    return row;
  }

  // The row stepRow left in the slots: n columns.
  function makeRow(s, mode, cols, n) {
    views();
    return rowAt(s, mode, cols, n, slots >> 2);
  }

  // Every call leaves its statement reset when it ends (at the end of the
  // rows, on an error, after get's row, at iterate's end); the cell's onRow
  // tells a statement stopped on a row apart, so that the next call resets
  // only that one: a reset is a pass over the statement's cursors and
  // registers.  Every parameter is bound by each call (or the call fails
  // before its statement runs), so old bindings need no clearing.
  function resetStmt(h, s) {
    h.c.onRow = false;
    h.c.pending = false;
    M._lode_reset(s);
  }

  function ensureReset(h, s) {
    if (h.c.onRow) resetStmt(h, s);
  }

  let namesSame; // what the last stepRow's lodew_step_row said of the column names (rowNames)

  // Steps once: the row's column count, its columns in the slots; or -1 when
  // done (statement reset); throws on error.  A row lodew_rows stepped to
  // but left for the next call (pending) is that step's row.
  function stepRow(h, s) {
    fns.takePending();
    let rc;
    let n = -1;
    namesSame = undefined;
    if (h.c.pending) {
      h.c.pending = false;
      rc = LODE_ROW;
      n = M._lodew_row(s, slots, slotCap);
    } else {
      rc = M._lodew_step_row(s, slots, slotCap, countAt, h.c.columns ? h.c.columns.ptr : 0);
    }
    if (rc === LODE_ROW) {
      h.c.onRow = true;
      views();
      if (n < 0) {
        n = i32[countAt >> 2];
        namesSame = i32[(countAt >> 2) + 1];
      }
      if (n > slotCap) {
        growSlots(n);
        M._lodew_row(s, slots, slotCap);
        views();
      }
      return n;
    }
    if (rc === LODE_DONE) {
      resetStmt(h, s);
      return -1;
    }
    const err = dbError(h.c.db.ptr, rc);
    resetStmt(h, s);
    throw err;
  }

  // Room for n slots (a row's columns or a statement's parameters).
  function growSlots(n) {
    const p = M._malloc(n * SLOT_BYTES);
    if (!p) throw makeError('out of memory', 7);
    M._free(slots);
    slots = p;
    slotCap = n;
  }

  function rowOrUndefined(h, mode, resetAfter) {
    const s = stmtOf(h);
    arm(h.c.db);
    const n = stepRow(h, s);
    if (n < 0) return undefined;
    let ok = false;
    try {
      const row = makeRow(s, mode, mode & (ROW_RAW | ROW_PLUCK | ROW_EXPAND) ? null : rowNames(h, s, namesSame), n);
      ok = true;
      return row;
    } finally {
      if (resetAfter || !ok) resetStmt(h, s);
    }
  }

  // ---- batches of rows (lodew_rows) ----

  // lodew_rows's buffers, by depth of nesting: a user function that a
  // batch's step calls may read rows of its own while the outer batch's are
  // in the first buffer.
  const rowBufs = [];
  let rowDepth = 0;
  const rowOut = M._malloc(4 * 4);
  if (!rowOut) throw makeError('out of memory', 7);

  function rowBuffer(depth, bytes) {
    const have = rowBufs[depth];
    if (have && have.bytes >= bytes) return have;
    const size = Math.max(bytes, ROW_BUF_BYTES, have ? 2 * have.bytes : 0);
    const p = M._malloc(size);
    if (!p) throw makeError('out of memory', 7);
    if (have) M._free(have.p);
    rowBufs[depth] = { p, bytes: size };
    return rowBufs[depth];
  }

  // Up to max rows of statement s pushed to out, read by lodew_rows in one
  // or more batches.  Returns LODE_ROW (max rows read; the statement on the
  // last, or on the next when it did not fit: pending), LODE_DONE (the rows
  // ran out, the statement reset) or the error code of a failed step, the
  // rows before it in out.  A row whose values cannot be made (an integer a
  // Number cannot hold) throws, the statement reset.
  function readRows(h, s, mode, max, out) {
    const depth = rowDepth++;
    try {
      let buf = rowBuffer(depth, 0);
      let cols = null;
      let left = max;
      for (;;) {
        fns.takePending();
        const rc = M._lodew_rows(s, buf.p, buf.bytes, left, h.c.pending ? 1 : 0, rowOut);
        views();
        const o = rowOut >> 2;
        const got = i32[o];
        const n = i32[o + 1];
        h.c.pending = i32[o + 2] === 1;
        h.c.onRow = rc === LODE_ROW || rc === ROWS_GROW;
        if (got > 0) {
          if (cols === null && !(mode & (ROW_RAW | ROW_PLUCK | ROW_EXPAND))) {
            cols = rowNames(h, s);
            views();
          }
          try {
            for (let r = 0, at = buf.p >> 2; r < got; r++, at += 4 * n) out.push(rowAt(s, mode, cols, n, at));
          } catch (e) {
            h.c.pending = false;
            resetStmt(h, s);
            throw e;
          }
          left -= got;
        }
        if (rc === ROWS_GROW) {
          buf = rowBuffer(depth, i32[o + 3]);
          continue;
        }
        if (rc !== LODE_ROW || left === 0) return rc;
      }
    } finally {
      rowDepth--;
    }
  }

  // all/run/get(h, mode, named?, ...values) bind when called with more than (h, mode).
  function all(h, mode, named, ...positional) {
    if (arguments.length > 2) bindValues(h, positional, named);
    const s = stmtOf(h);
    ensureReset(h, s);
    arm(h.c.db);
    const rows = [];
    const rc = readRows(h, s, mode, ALL_ROWS, rows);
    if (rc !== LODE_DONE) {
      const err = dbError(h.c.db.ptr, rc);
      resetStmt(h, s);
      throw err;
    }
    return rows;
  }

  // rows(h, max, mode) → up to max rows of an iteration, as step() would
  // give them one by one; fewer (maybe none) once they have run out, the
  // statement then reset.  An error after some rows leaves them in the array
  // and the error in its .error (the statement reset), so that the rows
  // before it are still delivered first (native/addon.c's rows()).
  function rows(h, max, mode) {
    const s = stmtOf(h);
    arm(h.c.db);
    const out = [];
    let rc;
    try {
      rc = readRows(h, s, mode, max < 1 ? 1 : max, out);
    } catch (e) {
      if (out.length === 0) throw e;
      out.error = e;
      return out;
    }
    if (rc === LODE_ROW || rc === LODE_DONE) return out;
    const err = dbError(h.c.db.ptr, rc);
    h.c.pending = false;
    resetStmt(h, s);
    if (out.length === 0) throw err;
    out.error = err;
    return out;
  }

  function int64Value(x, mode) {
    return mode & ROW_SAFE_INT ? x : Number(x);
  }

  // run(h, mode, named?, ...values).  Up to eight positional values and no
  // object of named parameters (the common call: an INSERT's row) are packed
  // straight from the parameters v0..v7, then bound and run by one
  // lodew_bind_run: no array is made for the values (arguments is only
  // counted, or handed on whole to runGeneral).  Other calls go through
  // runGeneral.
  function run(h, mode, named, v0, v1, v2, v3, v4, v5, v6, v7) {
    const argc = arguments.length;
    if (argc > 11 || (named !== null && typeof named === 'object')) return runGeneral.apply(null, arguments);
    const s = stmtOf(h);
    if (h.c.strictBind) return runGeneral.apply(null, arguments);
    if (argc <= 2) {
      ensureReset(h, s);
      return runBound(h, s, mode, 0);
    }
    const count = bindReady(h, s);
    const given = argc - 3;
    try {
      for (let i = 0; i < count; i++) {
        if (i >= given) throw new RangeError('Too few parameter values were provided');
        packValue(i, i < 4 ? (i < 2 ? (i === 0 ? v0 : v1) : (i === 2 ? v2 : v3))
          : (i < 6 ? (i === 4 ? v4 : v5) : (i === 6 ? v6 : v7)));
      }
      if (count < given) throw new RangeError('Too many parameter values were provided');
      return runBound(h, s, mode, count);
    } finally {
      while (owned.length) M._free(owned.pop());
    }
  }

  function runGeneral(h, mode, named, ...positional) {
    if (arguments.length > 2) bindValues(h, positional, named);
    const s = stmtOf(h);
    ensureReset(h, s);
    return runBound(h, s, mode, 0);
  }

  // Binds the first count slots (none: the bindings stand) and steps the
  // statement to its end (lodew_bind_run); its run() result.
  function runBound(h, s, mode, count) {
    const db = h.c.db.ptr;
    arm(h.c.db);
    fns.takePending();
    const rc = M._lodew_bind_run(s, slots, count, runOut);
    if (rc !== LODE_DONE) {
      const err = dbError(db, rc);
      resetStmt(h, s);
      throw err;
    }
    h.c.onRow = false;
    views();
    const changes = f64[runOut >> 3];
    if (mode & ROW_SAFE_INT) return runResult(changes, M._lode_last_insert_rowid(db));
    // a rowid past 2^53 rounds in the double, as Number() of its BigInt would
    const rowid = f64[(runOut >> 3) + 1];
    // Integers as int32 where they fit: V8 stores those in the object as they
    // are, where a double read from the heap view gets a box of its own.
    return (changes | 0) === changes && (rowid | 0) === rowid
      ? runResult(changes | 0, rowid | 0) : runResult(changes, rowid);
  }

  // ---- connections and statements ----

  function open(path, flags) {
    const [p] = heapString(String(path));
    let rc;
    try {
      rc = M._lode_open_v2(p, scratch, flags || OPEN_DEFAULT, 0);
    } finally {
      M._free(p);
    }
    const db = readPtr(scratch);
    if (rc !== LODE_OK) {
      const err = dbError(db, rc);
      if (db) M._lode_close(db);
      throw err;
    }
    const handle = { c: { ptr: db, stmts: new Set() } };
    registry?.register(handle, handle.c, handle);
    return handle;
  }

  function close(h) {
    if (!h || !h.c || !h.c.ptr) return;
    registry?.unregister(h);
    closeCell(h.c);
  }

  // ---- query timeout (native/addon.c's queryTimeout) ----

  // Database cells with a timeout, by engine pointer, for the progress handler.
  const watched = new Map();
  let progressFn = 0;

  // Starts the clock of one call into the engine on the database cell dc.
  function arm(dc) {
    if (dc.timeout) dc.deadline = performance.now() + dc.timeout;
  }

  function queryTimeout(h, ms) {
    const db = dbOf(h);
    h.c.timeout = ms > 0 ? ms : 0;
    h.c.deadline = 0;
    if (!h.c.timeout || watched.has(db)) return;
    progressFn ||= M.addFunction((arg) => {
      const dc = watched.get(arg);
      return dc && dc.timeout && performance.now() >= dc.deadline ? 1 : 0;
    }, 'ii');
    watched.set(db, h.c);
    M._lode_progress_handler(db, DEADLINE_EVERY, progressFn, db);
  }

  function exec(h, sql) {
    const db = dbOf(h);
    const [p] = heapString(sql);
    fns.takePending();
    arm(h.c);
    try {
      check(db, M._lode_exec(db, p, 0));
    } finally {
      M._free(p);
    }
  }

  // What may follow the one statement prepare() takes (as in better-sqlite3).
  function onlySpaceAndComments(z) {
    return /^(?:\s|;|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*$/.test(z);
  }

  function prepare(h, sql) {
    const db = dbOf(h);
    const [p, n] = heapString(sql);
    let rc;
    let rest = '';
    try {
      rc = M._lode_prepare(db, p, n, scratch, scratch + PTR_BYTES);
      const tail = readPtr(scratch + PTR_BYTES);
      if (rc === 0 && tail) rest = utf8(tail, p + n);
    } finally {
      M._free(p);
    }
    check(db, rc);
    const stmt = readPtr(scratch);
    if (!stmt) throw new RangeError('The supplied SQL string contains no statements');
    if (!onlySpaceAndComments(rest)) {
      M._lode_finalize(stmt);
      throw new RangeError('The supplied SQL string contains more than one statement');
    }
    const cell = { ptr: stmt, db: h.c, onRow: false, pending: false };
    h.c.stmts.add(cell);
    const handle = { c: cell };
    registry?.register(handle, cell, handle);
    return handle;
  }

  function finalize(h) {
    if (h && h.c && h.c.ptr && h.c.db.ptr) {
      registry?.unregister(h);
      finalizeCell(h.c);
    }
  }

  const boolOf = (x) => x !== 0;
  const fns = createWasmFunctions(M, { heap, heapString, cstring, decoder, dbOf, dbError, makeError });

  return {
    init() {},
    // The native driver's get/all/step return driver.thrown on failure;
    // these throw themselves, so this object is never returned.
    thrown: Object.freeze({}),
    open,
    close,
    exec,
    prepare,
    bind,
    step: (h, mode) => rowOrUndefined(h, mode, false),
    rows,
    // iterate()'s rows are read through rows() in batches (js/core.mjs, RowIterator)
    batchSteps: true,
    get(h, mode, named, ...positional) {
      if (arguments.length > 2) bindValues(h, positional, named);
      ensureReset(h, stmtOf(h));
      return rowOrUndefined(h, mode, true);
    },
    all,
    run,
    columns(h) {
      const s = stmtOf(h);
      return columnNames(s).map((name, i) => ({
        name,
        column: cstring(M._lode_column_origin_name(s, i)),
        table: cstring(M._lode_column_table_name(s, i)),
        database: cstring(M._lode_column_database_name(s, i)),
        type: cstring(M._lode_column_decltype(s, i)),
      }));
    },
    reader: (h) => M._lode_column_count(stmtOf(h)) > 0,
    strictBind(h) {
      stmtOf(h);
      h.c.strictBind = true;
    },
    readonly: (h) => boolOf(M._lode_stmt_readonly(stmtOf(h))),
    reset: (h) => resetStmt(h, stmtOf(h)),
    finalize,
    changes: (h) => Number(M._lode_changes(dbOf(h))),
    totalChanges: (h) => Number(M._lode_total_changes(dbOf(h))),
    lastInsertRowid: (h, mode) => int64Value(M._lode_last_insert_rowid(dbOf(h)), mode),
    inTransaction: (h) => !M._lode_get_autocommit(dbOf(h)),
    busyTimeout: (h, ms) => M._lode_busy_timeout(dbOf(h), ms),
    doubleQuotedStrings: (h, on) => M._lode_double_quoted_strings(dbOf(h), on ? 1 : 0),
    defensive: (h, on) => M._lode_defensive(dbOf(h), on ? 1 : 0),
    queryTimeout,
    shellMain() {
      throw new Error('the lode shell is not available in the wasm build');
    },
    version: () => cstring(M._lode_libversion()),
    createFunction: fns.createFunction,
    createAggregate: fns.createAggregate,
    createTable: fns.createTable,
    serialize: fns.serialize,
    deserialize: fns.deserialize,
    backupInit: fns.backupInit,
    backupStep: fns.backupStep,
    backupClose: fns.backupClose,
    interrupt: fns.interrupt,
    loadExtension(h, file, entry) {
      const db = dbOf(h);
      const [f] = heapString(file);
      const e = entry == null ? [0] : heapString(entry);
      try {
        check(db, M._lode_load_extension(db, f, e[0]));
      } finally {
        M._free(f);
        if (e[0]) M._free(e[0]);
      }
    },
  };
}
