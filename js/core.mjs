// core.mjs — the synchronous Database and Statement shared by every entry.
//
// They sit on a *driver*: the native addon (native/addon.c) or the wasm
// driver (js/wasm-driver.mjs), which offer the same functions (see the head
// comment of native/addon.c); get, all and step of the native driver return
// driver.thrown instead of throwing, which the Statement checks (see
// js/native.mjs).  lodedb/compat exposes these classes directly;
// lodedb and lodedb/wasm wrap them in the promise API (js/promise.mjs).
//
// Where @tursodatabase/database is lax or broken, this follows better-sqlite3:
// get()/all() on a statement that returns no data throw TypeError, bind() is
// permanent, nested transaction() uses a SAVEPOINT, a closed database throws
// TypeError "The database connection is not open", a transaction() function
// that returns a promise is refused.
//
// function(), aggregate(), table(), serialize() and backup() follow
// better-sqlite3 (argument rules in js/functions.mjs); new Database(buffer)
// opens an in-memory copy of a serialized image.  loadExtension() loads an
// SQLite extension library (not in the wasm build, which has none).
//
// options.timeout (ms) is the busy timeout: how long a statement waits for a
// lock another connection holds before it fails with SQLITE_BUSY "database is
// locked" (lode_busy_timeout, as PRAGMA busy_timeout, set at open).  Checked as better-sqlite3
// checks it; without it the synchronous API waits 5000 ms as better-sqlite3
// does and the promise API (lazy) not at all, as @tursodatabase/database.
//
// While a statement's iterator is open the statement is busy: using it again
// (run/get/all/iterate/bind/raw/pluck/safeIntegers/close) throws TypeError
// "This statement is busy executing a query" instead of resetting the cursor
// under the iterator.  The connection is busy too, for what better-sqlite3
// refuses then: run() of any statement, exec(), pragma(), transaction() and
// close() throw "This database connection is busy executing a query"; get(),
// all() and iterate() of other statements and prepare() still work.
// db.unsafeMode() lifts the connection's refusals but those of close(),
// function() and aggregate(), as better-sqlite3's does; stmt.busy tells
// whether the statement's iterator is open.
//
// While a user function (or aggregate callback, or virtual-table code) runs,
// the connection is busy executing the statement that called it: as in
// better-sqlite3, every use of the connection and of its statements and open
// iterators (run/get/all/iterate/bind/raw/pluck/expand/safeIntegers/columns,
// next/return) throws "This database connection is busy executing a query",
// unsafe mode or not.

import { kNative } from './internal.mjs';
import { SqliteError } from './errors.mjs';
import { aggregateArgs, backupArgs, functionArgs, runBackup, serializeSchema, tableArgs } from './functions.mjs';
import { expandSql, splitStatements } from './verbose.mjs';

const kWithTimeout = Symbol('withTimeout');

const ROW_RAW = 1;
const ROW_PLUCK = 2;
const ROW_SAFE_INT = 4;
const ROW_EXPAND = 8;
const ROW_INDEXED = 16;
const ROW_SHAPE = ROW_RAW | ROW_PLUCK | ROW_EXPAND;

const OPEN_READONLY = 0x1;
const OPEN_READWRITE = 0x2;
const OPEN_CREATE = 0x4;
const OPEN_URI = 0x40;
const SYNC_DEFAULT_TIMEOUT = 5000;
const MAX_TIMEOUT = 0x7fffffff;

function timeoutOption(options, lazy) {
  const timeout = 'timeout' in options ? options.timeout : lazy ? 0 : SYNC_DEFAULT_TIMEOUT;
  if (!Number.isInteger(timeout) || timeout < 0) throw new TypeError('Expected the "timeout" option to be a positive integer');
  if (timeout > MAX_TIMEOUT) throw new RangeError(`Option "timeout" cannot be greater than ${MAX_TIMEOUT}`);
  return timeout;
}

// Query timeouts, as @tursodatabase/database takes them: options
// .defaultQueryTimeout (ms) for every statement, or a trailing
// { queryTimeout: ms } argument of one call (recognised only when it is not
// the call's only argument, so that a lone object still binds named
// parameters).  A call into the engine that runs longer stops with
// SqliteError SQLITE_INTERRUPT "interrupted" — one run/get/all/exec, or one
// step of an iteration (time spent in JavaScript between rows not counted).
function queryTimeoutOption(value, what) {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`Expected the "${what}" option to be a positive integer`);
  if (value > MAX_TIMEOUT) throw new RangeError(`Option "${what}" cannot be greater than ${MAX_TIMEOUT}`);
  return value;
}

function isQueryOptions(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'queryTimeout');
}

// [args without the query options, its timeout or undefined].
export function splitQueryOptions(args) {
  if (args.length < 2 || !isQueryOptions(args[args.length - 1])) return [args, undefined];
  const ms = queryTimeoutOption(args[args.length - 1].queryTimeout, 'queryTimeout');
  // stmt.get(undefined, { queryTimeout }) binds nothing, as in Turso.
  return [args.length === 2 && args[0] === undefined ? EMPTY : args.slice(0, -1), ms];
}

// options.encryption = { cipher, hexkey } (as @tursodatabase/database takes
// it) opens the file through the engine's URI parameters cipher= and hexkey=.
function encryptedName(path, enc) {
  if (enc === null || typeof enc !== 'object' || typeof enc.cipher !== 'string' || typeof enc.hexkey !== 'string')
    throw new TypeError('Expected the encryption option to be { cipher, hexkey } with string values');
  const esc = (s) => s.replace(/[%?#&=]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'));
  return `file:${esc(path)}?cipher=${esc(enc.cipher)}&hexkey=${esc(enc.hexkey)}`;
}

const NOT_OPEN = 'The database connection is not open';
const NO_DATA = 'This statement does not return data. Use run() instead';
const STMT_BUSY = 'This statement is busy executing a query';
const DB_BUSY = 'This database connection is busy executing a query';
const RETURNS_PROMISE = 'Transaction function cannot return a promise';
const EMPTY = Object.freeze([]);

// How a nested transaction() brackets its function.  The name, like
// better-sqlite3's, holds tabs so that it cannot meet a savepoint the
// application names itself; RELEASE and ROLLBACK TO mean the newest
// savepoint of that name, which is the innermost transaction's.
const NEST_NAME = '`\t_lode.\t`';
export const NEST = Object.freeze({
  begin: `SAVEPOINT ${NEST_NAME}`,
  commit: `RELEASE ${NEST_NAME}`,
  rollback: `ROLLBACK TO ${NEST_NAME}; RELEASE ${NEST_NAME}`,
});

// batch()'s mode as the BEGIN keyword, as @tursodatabase/database maps it.
function batchMode(mode) {
  const m = String(mode).toLowerCase();
  return { write: 'IMMEDIATE', read: 'DEFERRED' }[m] ?? m.toUpperCase();
}

// The synchronous entry refuses a file in a missing directory with
// better-sqlite3's TypeError (in Node; elsewhere the open reports it).
function checkDirectory(path) {
  if (path === ':memory:' || path === '' || path.startsWith('file:')) return;
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  const nodePath = globalThis.process?.getBuiltinModule?.('node:path');
  if (fs && nodePath && !fs.existsSync(nodePath.dirname(path)))
    throw new TypeError('Cannot open database because the directory does not exist');
}

function notOpen() {
  return new TypeError(NOT_OPEN);
}

// What for…of and the iterator helpers expect of an iterator (next() is ours).
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || isForeignObjectPrototype(proto);
}

// The Object.prototype of another realm (a vm context, an iframe): a plain
// object made there is plain here too, a class instance made there is not.
function isForeignObjectPrototype(proto) {
  if (Object.getPrototypeOf(proto) !== null) return false;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  return typeof ctor === 'function' && ctor.prototype === proto && ctor.name === 'Object';
}

// The file of an empty database: page 1 alone, holding the 100-byte header
// and the empty table-leaf page of sqlite_schema.  Its header says what
// SQLite writes for a database it has not written yet: legacy (rollback)
// file format, change counter 0, schema format and text encoding not yet
// chosen (0: the first write sets them).
const HEADER_MAGIC = 'SQLite format 3\0';
const HEADER_WRITE_VERSION = 18;
const HEADER_READ_VERSION = 19;
const FORMAT_LEGACY = 1;
const FORMAT_WAL = 2;
const LEAF_TABLE_PAGE = 0x0d;
function emptyDatabaseImage(pageSize) {
  const page = new Uint8Array(pageSize);
  const view = new DataView(page.buffer);
  for (let i = 0; i < HEADER_MAGIC.length; i++) page[i] = HEADER_MAGIC.charCodeAt(i);
  view.setUint16(16, pageSize === 65536 ? 1 : pageSize);
  page[HEADER_WRITE_VERSION] = FORMAT_LEGACY;
  page[HEADER_READ_VERSION] = FORMAT_LEGACY;
  page[21] = 64; // maximum embedded payload fraction
  page[22] = 32; // minimum embedded payload fraction
  page[23] = 32; // leaf payload fraction
  view.setUint32(28, 1); // pages in the database
  page[100] = LEAF_TABLE_PAGE;
  view.setUint16(105, pageSize & 0xffff); // cell content starts at the end (65536 as 0)
  return page;
}

// Whether an argument is an object: an array to flatten, named parameters,
// query options or a value of its own (a buffer).  Called with the
// arguments spread, as the callers have them (see Statement's #execute).
function anyObject(...args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== null && typeof a === 'object') return true;
  }
  return false;
}

// Splits call arguments into positional values and one named-parameter object;
// arrays are flattened like better-sqlite3 does.
export function splitArgs(args) {
  if (args.length === 0) return [EMPTY, undefined];
  if (args.length === 1 && Array.isArray(args[0])) return [args[0], undefined];
  let positional = null;
  let named;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (Array.isArray(a) || isPlainObject(a)) {
      positional ??= args.slice(0, i);
      if (Array.isArray(a)) positional.push(...a);
      else if (named) throw new TypeError('You cannot specify named parameters in two different objects');
      else named = a;
    } else if (positional) positional.push(a);
  }
  return [positional ?? args, named];
}

// What a RowIterator does to its statement, set by Statement's static block
// (they read its private fields): stepping once, ending the rows and the
// check made before each use.  Module functions rather than closures made
// per iterate() call, which would be garbage left by every call.
let stepRows;
let stepRowsTimed;
let stepRowBatch;
let endRows;
let guardRows;
let readsAhead;

// A RowIterator over a driver whose batchSteps is set (the wasm driver, whose
// every call into wasm has a cost of its own) reads its rows through
// kRowBatch, READ_AHEAD_FIRST rows first and twice as many each time up to
// READ_AHEAD_MAX, and hands them out one by one: the same rows, errors and
// order, under kRowBatch's conditions (otherwise it steps row by row).
const READ_AHEAD_FIRST = 8;
const READ_AHEAD_MAX = 256;

// it[kRowBatch](max) → the next rows of a RowIterator, up to max of them, read
// in one call into the driver where it can (the native driver's rows()), one
// by one otherwise; an empty array once they have run out (the iterator then
// ended).  For the promise API's iterate(), whose rows are awaited one by one
// anyway: nothing of the iteration is seen between the rows read together but
// what a statement run meanwhile might change, which the connection refuses
// while an iterator is open, unless in unsafe mode, where rows are read one by
// one, as they are for statements that may call back into JavaScript or are
// timed step by step.  An error after some of the rows is thrown by the next
// call, once those before it were handed out.
export const kRowBatch = Symbol('lodedb row batch');

// The rows of one iterate() call.  The statement and its connection stay busy
// until the rows run out, an error is thrown, or return() is called (a for…of
// that breaks calls it).
class RowIterator {
  #stmt; // null once the rows have ended
  #mode;
  #ms; // each step's query timeout, or undefined
  #untold; // the arguments the verbose option hears of at the first step, or null
  #drained = false; // kRowBatch read the last row (the statement is reset)
  #failed = undefined; // what kRowBatch is to throw next
  // next()'s read-ahead, made only over a driver that batches (one field, so
  // that a native iterator costs no more than before): { rows, at, size } —
  // the rows read ahead (or null), the next of them to hand out, how many
  // the next read asks for.
  #ra = null;

  constructor(stmt, mode, ms, untold) {
    this.#stmt = stmt;
    this.#mode = mode;
    this.#ms = ms;
    this.#untold = untold;
    if (ms === undefined && untold === null && readsAhead(stmt)) {
      this.#ra = { rows: null, at: 0, size: READ_AHEAD_FIRST };
    }
  }

  next() {
    const ra = this.#ra;
    if (ra !== null && this.#stmt) {
      const ahead = ra.rows;
      if (ahead !== null && ra.at < ahead.length) {
        guardRows(this.#stmt);
        return { done: false, value: ahead[ra.at++] };
      }
      ra.rows = null;
      const rows = this.#batch(ra.size);
      if (rows !== null) {
        if (ra.size < READ_AHEAD_MAX) ra.size *= 2;
        if (rows.length === 0) return { done: true, value: undefined };
        ra.rows = rows;
        ra.at = 1;
        return { done: false, value: rows[0] };
      }
    }
    return this.#nextOne();
  }

  #nextOne() {
    const stmt = this.#stmt;
    if (!stmt) return { done: true, value: undefined };
    guardRows(stmt);
    let row;
    try {
      row = this.#ms === undefined ? this.#step() : stepRowsTimed(stmt, this.#ms, () => this.#step());
    } catch (e) {
      this.return();
      throw e;
    }
    if (row === undefined) {
      this.#finish(false);
      return { done: true, value: undefined };
    }
    return { done: false, value: row };
  }

  return(value) {
    if (this.#stmt) guardRows(this.#stmt);
    this.#finish(true);
    return { done: true, value };
  }

  [kRowBatch](max) {
    const rows = this.#batch(max);
    if (rows !== null) return rows;
    const r = this.#nextOne();
    return r.done ? EMPTY : [r.value];
  }

  // kRowBatch's rows, or null when they are to be stepped one by one.
  #batch(max) {
    const stmt = this.#stmt;
    if (!stmt) return EMPTY;
    if (this.#failed !== undefined) {
      const e = this.#failed;
      this.#failed = undefined;
      this.return();
      throw e;
    }
    if (this.#drained) {
      this.#finish(false);
      return EMPTY;
    }
    guardRows(stmt);
    if (this.#ms !== undefined || this.#untold !== null) return null;
    let rows;
    try {
      rows = stepRowBatch(stmt, this.#mode, max);
    } catch (e) {
      this.return();
      throw e;
    }
    if (rows === null) return null;
    if (rows.error !== undefined) this.#failed = rows.error;
    else if (rows.length < max) this.#drained = true;
    if (rows.length === 0) return this.#batch(max);
    return rows;
  }

  #step() {
    const untold = this.#untold;
    this.#untold = null;
    return stepRows(this.#stmt, this.#mode, untold);
  }

  #finish(reset) {
    const stmt = this.#stmt;
    if (this.#ra !== null) this.#ra.rows = null;
    if (!stmt) return;
    this.#stmt = null;
    endRows(stmt, reset);
  }
}
Object.setPrototypeOf(RowIterator.prototype, IteratorPrototype);

export class Statement {
  #db;
  #conn;
  #driver;
  #handle;
  #mode = 0;
  #bound = false;
  #reader;
  #iterating = false;
  #boundArgs = EMPTY; // what bind() bound, for verbose

  // conn: the connection's shared state ({ iterators: open iterator count }).
  // indexed: object rows also hold their values under column numbers (see
  // INDEXED_ROWS).
  constructor(db, conn, driver, handle, source, safeIntegers, indexed) {
    this.#db = db;
    this.#conn = conn;
    this.#driver = driver;
    this.#handle = handle;
    this.#reader = driver.reader(handle);
    if (safeIntegers) this.#mode |= ROW_SAFE_INT;
    if (indexed) this.#mode |= ROW_INDEXED;
    Object.defineProperty(this, 'source', { value: source, enumerable: true });
  }

  get database() {
    return this.#db;
  }

  get reader() {
    return this.#reader;
  }

  get busy() {
    return this.#iterating;
  }

  get readonly() {
    this.#check();
    return this.#driver.readonly(this.#handle);
  }

  #check() {
    if (!this.#db.open) throw notOpen();
  }

  // Also refused while a user function of the connection runs.
  #notBusy() {
    if (this.#iterating) throw new TypeError(STMT_BUSY);
    this.#notInCallback();
  }

  #notInCallback() {
    if (this.#conn.callbacks > 0) throw new TypeError(DB_BUSY);
  }

  // Binds the call's arguments unless bind() made them permanent; returns
  // the arguments the statement runs with.
  #prepareCall(args) {
    this.#notBusy();
    this.#check();
    if (this.#bound) {
      if (args.length) throw new TypeError('This statement already has bound parameters');
      return this.#boundArgs;
    }
    const [positional, named] = splitArgs(args);
    this.#driver.bind(this.#handle, named, ...positional);
    return args;
  }

  // Tells the verbose option of the statement about to run (nothing when
  // its arguments do not fit it: the call fails before it runs).  The
  // option is called as a plain function (this undefined), as better-sqlite3
  // calls it.
  #trace(args) {
    const verbose = this.#conn.verbose;
    if (!verbose) return;
    const [positional, named] = splitArgs(args);
    const sql = expandSql(this.source, positional, named);
    if (sql !== null) verbose(sql);
  }

  // The driver's run/get/all (fn) bind and execute in one call: (named,
  // ...positional) from the call's arguments, or nothing when bind() made
  // them permanent.  Plain values, the common call, go to the driver as
  // they came.  args is only read here or spread into another call, never
  // handed on as a value: V8 then forwards the caller's arguments without
  // making the array, which would otherwise be garbage left by every call
  // (run, get and all spread their own arguments in for the same reason).
  #execute(fn, ...args) {
    this.#notBusy();
    this.#check();
    const n = args.length;
    const plain = !this.#conn.verbose && !anyObject(...args);
    let r;
    if (!plain) {
      // One array of values or one object of named parameters, as splitArgs
      // would take it, with no copy.
      if (n !== 1 || this.#bound || this.#conn.verbose) return this.#executeObjects(fn, ...args);
      const a = args[0];
      if (Array.isArray(a)) r = fn(this.#handle, this.#mode, undefined, ...a);
      else if (isPlainObject(a)) r = fn(this.#handle, this.#mode, a);
      else r = fn(this.#handle, this.#mode, undefined, a);
    } else if (!this.#bound) r = fn(this.#handle, this.#mode, undefined, ...args);
    else if (n) throw new TypeError('This statement already has bound parameters');
    else r = fn(this.#handle, this.#mode);
    return r === this.#driver.thrown ? this.#driver.rethrow() : r;
  }

  // #execute's other calls: an object among the arguments (an array to
  // flatten, named parameters, the query options) or a verbose option.
  #executeObjects(fn, ...args) {
    if (args.length > 1 && isQueryOptions(args[args.length - 1])) {
      const [rest, ms] = splitQueryOptions(args);
      return this.#db[kWithTimeout](ms, () => this.#execute(fn, ...rest));
    }
    if (this.#bound && args.length) throw new TypeError('This statement already has bound parameters');
    if (this.#conn.verbose) this.#trace(this.#bound ? this.#boundArgs : args);
    let r;
    if (this.#bound) r = fn(this.#handle, this.#mode);
    else {
      const [positional, named] = splitArgs(args);
      r = fn(this.#handle, this.#mode, named, ...positional);
    }
    return r === this.#driver.thrown ? this.#driver.rethrow() : r;
  }

  run(...args) {
    this.#notBusy();
    if (this.#conn.iterators > 0 && !this.#conn.unsafe) throw new TypeError(DB_BUSY);
    return this.#execute(this.#driver.run, ...args);
  }

  get(...args) {
    if (!this.#reader) throw new TypeError(NO_DATA);
    return this.#execute(this.#driver.get, ...args);
  }

  all(...args) {
    if (!this.#reader) throw new TypeError(NO_DATA);
    return this.#execute(this.#driver.all, ...args);
  }

  // Busy from this call (not from the first next(), as a generator would be)
  // until the iterator ends, so that a second use fails where it happens.
  // The verbose option hears of the statement at the first next(), when it
  // starts running: an iterator closed before that ran nothing (as in
  // better-sqlite3).  Plain values bind as #execute passes them on, without
  // an array made per call.
  iterate(...args) {
    if (!this.#reader) throw new TypeError(NO_DATA);
    const n = args.length;
    const plain = !this.#conn.verbose && !anyObject(...args);
    if (!plain) return this.#iterateObjects(...args);
    this.#notBusy();
    this.#check();
    if (!this.#bound) this.#driver.bind(this.#handle, undefined, ...args);
    else if (n) throw new TypeError('This statement already has bound parameters');
    return this.#startRows(undefined, null);
  }

  // iterate()'s other calls (see #executeObjects).
  #iterateObjects(...args) {
    const [rest, ms] = splitQueryOptions(args);
    return this.#startRows(ms, this.#prepareCall(rest));
  }

  #startRows(ms, untold) {
    this.#iterating = true;
    this.#conn.iterators++;
    return new RowIterator(this, this.#mode, ms, this.#conn.verbose ? untold : null);
  }

  static {
    stepRows = (stmt, mode, untold) => {
      if (untold) stmt.#trace(untold);
      const r = stmt.#driver.step(stmt.#handle, mode);
      return r === stmt.#driver.thrown ? stmt.#driver.rethrow() : r;
    };
    stepRowsTimed = (stmt, ms, step) => stmt.#db[kWithTimeout](ms, step);
    stepRowBatch = (stmt, mode, max) => {
      const driver = stmt.#driver;
      if (!driver.rows || stmt.#conn.unsafe || stmt.#conn.stepsOnly) return null;
      const r = driver.rows(stmt.#handle, max, mode);
      return r === driver.thrown ? driver.rethrow() : r;
    };
    endRows = (stmt, reset) => {
      stmt.#iterating = false;
      stmt.#conn.iterators--;
      // The driver resets by itself at the end of the rows and on errors.
      if (reset && stmt.#db.open) stmt.#driver.reset(stmt.#handle);
    };
    guardRows = (stmt) => stmt.#notInCallback();
    readsAhead = (stmt) => stmt.#driver.batchSteps === true;
  }

  raw(on = true) {
    return this.#shape('raw', ROW_RAW, on);
  }

  pluck(on = true) {
    return this.#shape('pluck', ROW_PLUCK, on);
  }

  // Rows as { table: { column: value } }; columns that read no table
  // straight (expressions, views, subqueries) go under "$".
  expand(on = true) {
    return this.#shape('expand', ROW_EXPAND, on);
  }

  // raw, pluck and expand exclude each other: the last one switched on wins,
  // and switching any off gives object rows (as @tursodatabase/database).
  #shape(name, bit, on) {
    this.#notBusy();
    if (on && !this.#reader) throw new TypeError(`The ${name}() method is only for statements that return data`);
    this.#mode = (this.#mode & ~ROW_SHAPE) | (on ? bit : 0);
    return this;
  }

  safeIntegers(on = true) {
    this.#notBusy();
    this.#mode = (this.#mode & ~ROW_SAFE_INT) | (on ? ROW_SAFE_INT : 0);
    return this;
  }

  columns() {
    if (!this.#reader) throw new TypeError('The columns() method is only for statements that return data');
    this.#check();
    this.#notInCallback();
    return this.#driver.columns(this.#handle);
  }

  bind(...args) {
    this.#notBusy();
    this.#check();
    if (this.#bound) throw new TypeError('The bind() method can only be invoked once per statement object');
    const [positional, named] = splitArgs(args);
    this.#driver.bind(this.#handle, named, ...positional);
    this.#bound = true;
    this.#boundArgs = args;
    return this;
  }

  close() {
    this.#notBusy();
    this.#driver.finalize(this.#handle);
    return this;
  }

  interrupt() {
    throw new Error('not implemented');
  }
}

// An option key (not a string, so no user option collides): SQL the entry
// runs on a new connection as its own settings (lodedb/compat's).
export const SETUP = Symbol('lodedb setup');

// An option key: object rows also hold each value under its column number, a
// property that is not enumerable, as @tursodatabase/database's rows do
// (lodedb's; better-sqlite3's rows have names only, so lodedb/compat's too).
export const INDEXED_ROWS = Symbol('lodedb indexed rows');

// An option key: a "double-quoted" word naming no column is an error in the
// statements the application writes, not a string (better-sqlite3's build
// has SQLITE_DQS=0; lodedb/compat's).
export const NO_DQS = Symbol('lodedb no double-quoted strings');

// An option key: the connection starts in defensive mode, which unsafeMode()
// lifts (better-sqlite3 sets SQLITE_DBCONFIG_DEFENSIVE, so PRAGMA
// writable_schema lets sqlite_schema be written only in unsafe mode;
// lodedb/compat's).
export const DEFENSIVE = Symbol('lodedb defensive');

// An option key: parameters bind by better-sqlite3's rules (positional values
// bind only the anonymous "?" ones, named ones including ?NNN come from the
// object, a named statement without one is a TypeError; native/addon.c's
// bind_all_strict) instead of Turso's (lodedb/compat's).
export const STRICT_BIND = Symbol('lodedb strict binding');

export class Database {
  #driver;
  // callbacks: user function calls now running (the connection is busy
  // executing the statement that made them).
  // stepsOnly: the connection's statements may call back into JavaScript
  // (user functions, aggregates, tables) or are timed call by call
  // (defaultQueryTimeout), so an iteration steps one row at a time (see
  // kRowBatch).
  #conn = { iterators: 0, unsafe: false, verbose: null, callbacks: 0, stepsOnly: false };
  #handle = null;
  #closed = false;
  #safeIntegers = false;
  #indexedRows;
  #noDqs;
  #defensive;
  #strictBind;
  #flags;
  #openName;
  #timeout;
  #queryTimeout = 0;

  // lazy: open at the first use or connect() (the promise entry) instead of now.
  #image = null;

  // path: a file name, or a Buffer holding a serialized database (opened as
  // an in-memory copy named ':memory:').
  constructor(driver, path = ':memory:', options = {}, lazy = false) {
    if (ArrayBuffer.isView(path)) {
      this.#image = new Uint8Array(path.buffer, path.byteOffset, path.byteLength).slice();
      path = ':memory:';
    }
    if (typeof path !== 'string') throw new TypeError('Expected first argument to be a string');
    if (options === null || typeof options !== 'object') throw new TypeError('Expected the options to be an object');
    this.#driver = driver;
    this.#flags = options.readonly ? OPEN_READONLY
      : options.fileMustExist ? OPEN_READWRITE : OPEN_READWRITE | OPEN_CREATE;
    Object.defineProperty(this, 'name', { value: path, enumerable: true });
    Object.defineProperty(this, 'memory', { value: path === ':memory:' || path === '', enumerable: true });
    Object.defineProperty(this, 'readonly', { value: !!options.readonly, enumerable: true });
    if (options.defaultSafeIntegers) this.#safeIntegers = true;
    this.#indexedRows = options[INDEXED_ROWS] === true;
    this.#noDqs = options[NO_DQS] === true;
    this.#defensive = options[DEFENSIVE] === true;
    this.#strictBind = options[STRICT_BIND] === true;
    if (options.verbose != null && typeof options.verbose !== 'function')
      throw new TypeError('Expected the "verbose" option to be a function');
    this.#timeout = timeoutOption(options, lazy);
    this.#queryTimeout = queryTimeoutOption(options.defaultQueryTimeout, 'defaultQueryTimeout');
    if (this.#queryTimeout > 0) this.#conn.stepsOnly = true;
    this.#openName = path;
    if (!lazy) checkDirectory(path);
    if (options.encryption !== undefined) {
      this.#openName = encryptedName(path, options.encryption);
      this.#flags |= OPEN_URI;
    }
    if (!lazy) this.connect();
    // An entry's own settings, run before the verbose option listens; a file
    // that is no database (or a wrong key) fails at its first real use.
    for (const sql of (!lazy && options[SETUP]) || []) {
      try {
        this.#driver.exec(this.#handle, sql);
      } catch (e) {
        if (!(e instanceof SqliteError)) throw e;
      }
    }
    if (options.verbose != null) this.#conn.verbose = options.verbose;
  }

  connect() {
    if (this.#closed) throw notOpen();
    if (!this.#handle) {
      const handle = this.#driver.open(this.#openName, this.#flags);
      if (this.#timeout > 0) this.#driver.busyTimeout(handle, this.#timeout);
      if (this.#noDqs) this.#driver.doubleQuotedStrings(handle, false);
      if (this.#defensive) this.#driver.defensive(handle, !this.#conn.unsafe);
      if (this.#queryTimeout > 0) this.#driver.queryTimeout(handle, this.#queryTimeout);
      if (this.#image) {
        try {
          this.#driver.deserialize(handle, this.#image);
        } catch (e) {
          this.#driver.close(handle);
          throw e;
        }
        this.#image = null;
      }
      this.#handle = handle;
    }
    return this;
  }

  get open() {
    return this.#handle !== null;
  }

  // Runs fn with the connection's query timeout set to ms, then restores
  // the default (defaultQueryTimeout).
  [kWithTimeout](ms, fn) {
    const h = this.#h();
    this.#driver.queryTimeout(h, ms);
    try {
      return fn();
    } finally {
      if (this.#handle) this.#driver.queryTimeout(this.#handle, this.#queryTimeout);
    }
  }

  [kNative]() {
    return { driver: this.#driver, handle: this.#h() };
  }

  get inTransaction() {
    return this.#handle !== null && this.#driver.inTransaction(this.#handle);
  }

  #h() {
    if (!this.#handle) this.connect();
    return this.#handle;
  }

  // always: refused in unsafe mode too.
  #notBusy(always = false) {
    if (this.#conn.iterators > 0 && (always || !this.#conn.unsafe)) throw new TypeError(DB_BUSY);
    this.#notInCallback();
  }

  // As in better-sqlite3, a user function cannot use its connection while
  // the statement calling it runs.
  #notInCallback() {
    if (this.#conn.callbacks > 0) throw new TypeError(DB_BUSY);
  }

  // fn, counted in conn.callbacks while it runs.
  #callback(fn) {
    if (typeof fn !== 'function') return fn;
    const conn = this.#conn;
    conn.stepsOnly = true;
    return function (...args) {
      conn.callbacks++;
      try {
        return fn.apply(this, args);
      } finally {
        conn.callbacks--;
      }
    };
  }

  // Lets statements run while an iterator of the connection is open (what
  // they change may show in the rows still to come), and lifts defensive
  // mode where the entry set it.
  unsafeMode(on = true) {
    if (typeof on !== 'boolean') throw new TypeError('Expected first argument to be a boolean');
    this.#conn.unsafe = on;
    if (this.#defensive && this.#handle) this.#driver.defensive(this.#handle, !on);
    return this;
  }

  prepare(sql) {
    if (typeof sql !== 'string') throw new TypeError('Expected first argument to be a string');
    this.#notInCallback();
    const handle = this.#driver.prepare(this.#h(), sql);
    if (this.#strictBind) this.#driver.strictBind(handle);
    return new Statement(this, this.#conn, this.#driver, handle, sql, this.#safeIntegers, this.#indexedRows);
  }

  // queryOptions: { queryTimeout } (see queryTimeoutOption).
  exec(sql, queryOptions) {
    if (typeof sql !== 'string') throw new TypeError('Expected first argument to be a string');
    this.#notBusy();
    if (isQueryOptions(queryOptions)) {
      const ms = queryTimeoutOption(queryOptions.queryTimeout, 'queryTimeout');
      this[kWithTimeout](ms, () => this.#exec(sql));
    } else {
      this.#exec(sql);
    }
    return this;
  }

  // With the verbose option, statement by statement so that each is told
  // once it has compiled, before it runs.
  #exec(sql) {
    const h = this.#h();
    if (!this.#conn.verbose) return this.#driver.exec(h, sql);
    for (const statement of splitStatements(sql)) {
      this.#driver.finalize(this.#driver.prepare(h, statement));
      const verbose = this.#conn.verbose;
      verbose(statement);
      this.#driver.exec(h, statement);
    }
    return undefined;
  }

  pragma(source, options = {}) {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    if (options === null) options = {};
    else if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
    this.#notBusy();
    const stmt = this.prepare(`PRAGMA ${source}`);
    try {
      if (!stmt.reader) {
        stmt.run();
        return options.simple ? undefined : [];
      }
      return options.simple ? stmt.pluck().get() : stmt.all();
    } finally {
      stmt.close();
    }
  }

  defaultSafeIntegers(on = true) {
    this.#safeIntegers = !!on;
    return this;
  }

  // better-sqlite3's transaction(): BEGIN/COMMIT around fn, ROLLBACK on a
  // throw.  Called while a transaction is open (an outer transaction()'s
  // function, or after BEGIN) it nests: SAVEPOINT/RELEASE around fn, and a
  // throw rolls back to the savepoint and releases it, so only the inner
  // part is undone and the outer transaction goes on.  fn must finish before
  // it returns: a promise (an async fn) would be committed before the work
  // it stands for, so it is rolled back and refused.
  transaction(fn) {
    if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
    if (this.#closed) throw notOpen();
    const db = this;
    const make = (begin) => function sqliteTransaction(...args) {
      const nested = db.inTransaction;
      db.exec(nested ? NEST.begin : begin);
      try {
        const result = fn.apply(this, args);
        if (isThenable(result)) throw new TypeError(RETURNS_PROMISE);
        db.exec(nested ? NEST.commit : 'COMMIT');
        return result;
      } catch (e) {
        if (db.inTransaction) db.exec(nested ? NEST.rollback : 'ROLLBACK');
        throw e;
      }
    };
    const deferred = make('BEGIN DEFERRED');
    const props = {
      default: { value: make('BEGIN') }, deferred: { value: deferred }, immediate: { value: make('BEGIN IMMEDIATE') },
      exclusive: { value: make('BEGIN EXCLUSIVE') }, database: { value: this, enumerable: true },
    };
    for (const name of ['default', 'deferred', 'immediate', 'exclusive']) Object.defineProperties(props[name].value, props);
    return props.default.value;
  }

  // @tursodatabase/database's batch(): runs each statement (an SQL string or
  // { sql, args }) in order and returns one { columns, columnTypes, rows,
  // rowsAffected } per statement.  Without a mode each statement commits on
  // its own; with one (deferred, immediate, exclusive, concurrent, read,
  // write) the batch runs in BEGIN <mode> … COMMIT and a failure rolls it all
  // back — unless a transaction is open already, which the batch joins.
  batch(statements, options) {
    if (!Array.isArray(statements)) throw new TypeError('Expected first argument to be an array of statements');
    this.#notBusy();
    const { mode, raw } = options !== null && typeof options === 'object'
      ? { mode: options.mode, raw: options.raw === true } : { mode: options, raw: false };
    const wrap = mode != null && !this.inTransaction;
    if (wrap) this.exec(`BEGIN ${batchMode(mode)}`);
    try {
      const results = statements.map((st) => this.#batchOne(st, raw));
      if (wrap) this.exec('COMMIT');
      return results;
    } catch (e) {
      if (wrap && this.inTransaction) this.exec('ROLLBACK');
      throw e;
    }
  }

  #batchOne(statement, raw) {
    const [sql, args] = typeof statement === 'string' ? [statement, undefined] : [statement?.sql, statement?.args];
    const stmt = this.prepare(sql);
    try {
      const params = args === undefined ? [] : [args];
      if (stmt.reader) {
        const cols = stmt.columns();
        const rows = stmt.raw(raw).all(...params);
        return { columns: cols.map((c) => c.name), columnTypes: cols.map((c) => c.type ?? ''), rows, rowsAffected: 0 };
      }
      const { changes } = stmt.run(...params);
      return { columns: [], columnTypes: [], rows: [], rowsAffected: changes };
    } finally {
      stmt.close();
    }
  }

  get changes() {
    return this.#handle ? this.#driver.changes(this.#handle) : 0;
  }

  get lastInsertRowid() {
    return this.#handle ? this.#driver.lastInsertRowid(this.#handle, this.#safeIntegers ? ROW_SAFE_INT : 0) : 0;
  }

  close() {
    if (this.#handle) {
      this.#notBusy(true);
      this.#driver.close(this.#handle);
    }
    this.#handle = null;
    this.#closed = true;
    return this;
  }

  // A user function: fn(...args) for each call (see js/functions.mjs).
  function(name, options, fn) {
    const args = functionArgs(name, options, fn, this.#safeIntegers);
    args[args.length - 1] = this.#callback(args[args.length - 1]);
    this.#notBusy(true);
    this.#driver.createFunction(this.#h(), ...args);
    return this;
  }

  aggregate(name, options) {
    const args = aggregateArgs(name, options, this.#safeIntegers).map((a, i) => (i >= 5 ? this.#callback(a) : a));
    this.#notBusy(true);
    this.#driver.createAggregate(this.#h(), ...args);
    return this;
  }

  // The database file's bytes (a Buffer; Uint8Array under wasm).  A
  // database nothing was ever written to has no pages yet; its image is then
  // that of an empty database (one page, as better-sqlite3 gives), so that
  // it opens anywhere as one.
  serialize(options) {
    const schema = serializeSchema(options);
    const image = this.#driver.serialize(this.#h(), schema);
    if (image.length > 0) {
      // A file database is in WAL mode (header bytes 18-19 = 2), and SQLite
      // refuses to open an image that says so ("unable to open database
      // file"): the image, which already holds what the WAL held, says
      // rollback journal, as better-sqlite3's images of its rollback-mode
      // files do, so that it opens there and new Database(image) serializes
      // back to the same bytes.
      if (image.length > HEADER_READ_VERSION && image[HEADER_WRITE_VERSION] === FORMAT_WAL) {
        image[HEADER_WRITE_VERSION] = FORMAT_LEGACY;
        image[HEADER_READ_VERSION] = FORMAT_LEGACY;
      }
      return image;
    }
    const quoted = `"${schema.replace(/"/g, '""')}"`;
    const page = emptyDatabaseImage(this.prepare(`PRAGMA ${quoted}.page_size`).pluck().get());
    return globalThis.Buffer?.isBuffer(image) ? globalThis.Buffer.from(page.buffer) : page;
  }

  // Copies the database into the file destination; resolves to
  // { totalPages, remainingPages }.
  // As in better-sqlite3, the destination is opened on a later turn of the
  // event loop, and a destination file the backup created is deleted when
  // the backup fails.
  async backup(destination, options) {
    const [filename, schema, progress] = backupArgs(destination, options);
    const fs = globalThis.process?.getBuiltinModule?.('node:fs');
    const nodePath = globalThis.process?.getBuiltinModule?.('node:path');
    if (fs && nodePath && !fs.existsSync(nodePath.dirname(filename)))
      throw new TypeError('Cannot save backup because the directory does not exist');
    const isNewFile = fs ? !fs.existsSync(filename) : false;
    await null;
    const h = this.#h();
    const aborted = () => {
      if (isNewFile) for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(filename + suffix, { force: true });
    };
    let backup;
    try {
      backup = this.#driver.backupInit(h, filename, schema);
    } catch (e) {
      aborted();
      throw e;
    }
    return runBackup(this.#driver, backup, progress, () => this.#handle === h, aborted);
  }

  // Makes the statement now running stop with SQLITE_INTERRUPT "interrupted".
  interrupt() {
    if (this.#handle) this.#driver.interrupt(this.#handle);
    return this;
  }

  // Loads an SQLite extension library (lode_load_extension); the SQL
  // function load_extension() stays refused, as in better-sqlite3.
  loadExtension(file, ...entry) {
    if (typeof file !== 'string') throw new TypeError('Expected first argument to be a string');
    if (entry.length > 0 && typeof entry[0] !== 'string')
      throw new TypeError('Expected second argument to be a string');
    const h = this.#h();
    this.#notBusy(true);
    this.#driver.loadExtension(h, file, entry.length > 0 ? entry[0] : null);
    return this;
  }

  // A virtual-table module defined in JavaScript (see js/functions.mjs).
  table(name, factory) {
    const [module, eponymous, make] = tableArgs(name, factory, () => this.#safeIntegers);
    this.#notBusy(true);
    const counted = (...args) => this.#countedRows(make(...args));
    this.#driver.createTable(this.#h(), module, eponymous, this.#callback(counted));
    return this;
  }

  // A table definition (see js/functions.mjs) whose rows() iterators run each
  // step of the generator as a callback: the driver calls next() while the
  // statement scanning the table runs, so the generator's body may not use
  // the connection (as in better-sqlite3).  Creating the generator runs none
  // of its body.
  #countedRows(def) {
    const [sql, rows, ...rest] = def;
    const counted = (...params) => {
      const it = rows(...params);
      return { next: this.#callback(() => it.next()) };
    };
    return [sql, counted, ...rest];
  }

  // Convenience (libSQL): prepare + execute + finalize.
  run(sql, ...args) {
    return this.#once(sql, (s) => s.run(...args));
  }

  get(sql, ...args) {
    return this.#once(sql, (s) => s.get(...args));
  }

  all(sql, ...args) {
    return this.#once(sql, (s) => s.all(...args));
  }

  #once(sql, fn) {
    const stmt = this.prepare(sql);
    try {
      return fn(stmt);
    } finally {
      stmt.close();
    }
  }
}

