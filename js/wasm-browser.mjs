// wasm-browser.mjs — lodedb/wasm in a browser page: the promise API, with
// the engine in a Dedicated Worker (js/wasm-worker.mjs; files in OPFS) that
// this module starts once and talks to with postMessage.  Nothing needs
// SharedArrayBuffer, so the page need not be cross-origin isolated.
//
// Differences from the promise API in Node, all due to the worker:
//   - prepare() returns at once and the worker prepares behind it: an SQL
//     error rejects the statement's first call (and `await stmt.ready`);
//     reader, readonly and columns() are known once it is ready.
//   - transaction bodies receive the transaction handle first, fn(txn, ...args),
//     for transaction() as for transactionAsync(): calls through txn run
//     inside it; calls through the Database wait until it has ended
//     (awaiting one inside the body would wait forever).
//   - user functions (function, aggregate) cannot cross to the worker, and
//     interrupt() waits behind the statement it would stop (use the
//     defaultQueryTimeout option instead).
//   - backup() copies the database in one step (its image, a consistent
//     snapshot) into the OPFS file: progress, if given, is called once
//     before the copy with {totalPages, remainingPages: totalPages}, and the
//     destination must not be open.
//   - values cross by structured clone: BLOBs are Uint8Array; a parameter
//     that cannot be cloned (a function, a symbol) is a TypeError; a row
//     keeps its values under column names only (the clone drops the ones
//     under column numbers, which are not enumerable).

import { changes } from './changes.mjs';
import { backupArgs } from './functions.mjs';
import { SqliteError } from './errors.mjs';

const BIND_TYPE_ERROR = 'SQLite3 can only bind numbers, strings, bigints, buffers, and null';
const NO_HANDLE = 'transactionAsync() callbacks receive a Transaction handle as their first argument '
  + 'and must declare it: db.transactionAsync(async (txn, ...args) => { await txn.run(...) })';
const ROWS_PER_MESSAGE = 256;

const worker = new Worker(new URL('./wasm-worker.mjs', import.meta.url), { type: 'module', name: 'lodedb' });
const pending = new Map(); // message id -> { resolve, reject }
const databases = new Map(); // db id -> Database (for the state replies carry)
let nextId = 1;
let failure = null;

function revive(data) {
  if (data.name === 'SqliteError') return new SqliteError(data.message, data.code, data.rawCode);
  const Ctor = { TypeError, RangeError }[data.name] ?? Error;
  const e = new Ctor(data.message);
  if (data.code !== undefined) e.code = data.code;
  return e;
}

const ready = new Promise((resolve, reject) => {
  worker.onmessage = ({ data }) => {
    if (data.ready) return resolve(data);
    const p = pending.get(data.id);
    if (!p) return undefined;
    pending.delete(data.id);
    if (data.state) databases.get(p.db)?._state(data.state);
    return data.error ? p.reject(revive(data.error)) : p.resolve(data.value);
  };
  worker.onerror = (e) => {
    e.preventDefault?.();
    failure = new Error(`lodedb: the database worker failed: ${e.message || 'could not load it'}`);
    reject(failure);
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
});

export const { version } = await ready;

// Sends one request; the promise settles with the worker's reply.
function request(msg, id = nextId++) {
  return new Promise((resolve, reject) => {
    if (failure) return reject(failure);
    pending.set(id, { resolve, reject, db: msg.db });
    try {
      worker.postMessage({ ...msg, id });
    } catch (e) {
      pending.delete(id);
      reject(e.name === 'DataCloneError' ? new TypeError(BIND_TYPE_ERROR) : e);
    }
    return undefined;
  });
}

// A reply the worker will send later under id, without a request of its own.
function expect(id, db) {
  return new Promise((resolve, reject) => {
    if (failure) return reject(failure);
    pending.set(id, { resolve, reject, db });
    return undefined;
  });
}

const quiet = (p) => {
  p.catch(() => {});
  return p;
};

// Frees the worker's object when the page's proxy is collected.
const registry = new FinalizationRegistry((id) => {
  if (!failure) worker.postMessage({ op: 'free', target: id });
});

// What a Database and a transaction handle share: calls on a worker object.
class Target {
  _db;
  _id;

  constructor(db, id) {
    this._db = db;
    this._id = id;
  }

  _call(method, args) {
    return this._db._send({ op: 'call', target: this._id, method, args });
  }

  prepare(sql) {
    if (typeof sql !== 'string') throw new TypeError('Expected first argument to be a string');
    return new Statement(this._db, this._id, sql);
  }

  // queryOptions: { queryTimeout } for this call, as in Node.
  exec(sql, queryOptions) {
    return this._call('exec', queryOptions === undefined ? [sql] : [sql, queryOptions]);
  }

  // One message: the worker runs the whole batch before anything else.
  batch(statements, options) {
    return this._call('batch', options === undefined ? [statements] : [statements, options]);
  }

  pragma(source, options) {
    return this._call('pragma', options === undefined ? [source] : [source, options]);
  }

  run(sql, ...args) {
    return this._call('run', [sql, ...args]);
  }

  get(sql, ...args) {
    return this._call('get', [sql, ...args]);
  }

  all(sql, ...args) {
    return this._call('all', [sql, ...args]);
  }

  iterate(sql, ...args) {
    return rows(this._db, this._id, 'iterate', [sql, ...args]);
  }

  transaction(fn) {
    return transactionFunction(this._db, this._id, fn);
  }

  // As transaction() here (the body gets the handle either way), but a body
  // that declares no parameter is refused, as in Node and in Turso.
  transactionAsync(fn) {
    if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
    if (fn.length === 0) throw new TypeError(NO_HANDLE);
    return transactionFunction(this._db, this._id, fn);
  }
}

async function* rows(db, target, method, args) {
  const iter = nextId++;
  await db._send({ op: 'iter', target, iter, method, args });
  let done = false;
  try {
    while (!done) {
      const batch = await db._send({ op: 'next', iter, n: ROWS_PER_MESSAGE });
      done = batch.done;
      yield* batch.rows;
    }
  } finally {
    if (!done) await db._send({ op: 'return', iter });
  }
}

function transactionFunction(db, target, fn) {
  if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
  const make = (mode) => async (...args) => {
    const txn = nextId++, done = nextId++;
    const finished = quiet(expect(done, db._id));
    await db._send({ op: 'txn', target, txn, mode, done });
    const handle = new Transaction(db, txn);
    let result, error, ok = true;
    try {
      result = await fn(handle, ...args);
    } catch (e) {
      ok = false;
      error = e;
    }
    handle._ended();
    const data = ok ? undefined : { name: error?.name, message: String(error?.message ?? error) };
    await db._send({ op: 'txn-end', txn, ok, error: data });
    try {
      await finished;
    } catch (e) {
      if (ok) throw e; // COMMIT failed
    }
    if (!ok) throw error;
    return result;
  };
  const wrapper = make(undefined);
  wrapper.default = wrapper;
  for (const mode of ['deferred', 'immediate', 'exclusive', 'concurrent']) wrapper[mode] = make(mode);
  wrapper.database = db;
  return wrapper;
}

export class Transaction extends Target {
  #open = true;

  get database() {
    return this._db;
  }

  get open() {
    return this.#open;
  }

  _ended() {
    this.#open = false;
  }
}

export class Statement {
  #db;
  #id = nextId++;
  #source;
  #info = null;
  #ready;
  #iterators = 0;

  constructor(db, target, sql) {
    this.#db = db;
    this.#source = sql;
    this.#ready = quiet(db._send({ op: 'prepare', target, stmt: this.#id, sql }).then((info) => {
      this.#info = info;
      return this;
    }));
    registry.register(this, this.#id);
  }

  // Resolves to the statement once the worker has prepared it.
  get ready() {
    return this.#ready;
  }

  get database() {
    return this.#db;
  }

  get source() {
    return this.#source;
  }

  #known(what) {
    if (!this.#info) throw new TypeError(`${what} is known once the statement is ready (await stmt.ready)`);
    return this.#info;
  }

  get reader() {
    return this.#known('reader').reader;
  }

  get readonly() {
    return this.#known('readonly').readonly;
  }

  columns() {
    const { columns } = this.#known('columns()');
    if (!columns) throw new TypeError('The columns() method is only for statements that return data');
    return columns;
  }

  #call(method, args) {
    return this.#db._send({ op: 'call', target: this.#id, method, args });
  }

  #set(method, args) {
    quiet(this.#db._send({ op: 'set', target: this.#id, method, args }));
    return this;
  }

  run(...args) {
    return this.#call('run', args);
  }

  get(...args) {
    return this.#call('get', args);
  }

  all(...args) {
    return this.#call('all', args);
  }

  iterate(...args) {
    return this.#rows(args);
  }

  // Busy while an iterator of it is open, as in Node: from its first next()
  // until its rows run out, it fails or it is closed.
  async *#rows(args) {
    this.#iterators++;
    try {
      yield* rows(this.#db, this.#id, 'iterate', args);
    } finally {
      this.#iterators--;
    }
  }

  get busy() {
    return this.#iterators > 0;
  }

  raw(on = true) {
    return this.#set('raw', [on]);
  }

  pluck(on = true) {
    return this.#set('pluck', [on]);
  }

  expand(on = true) {
    return this.#set('expand', [on]);
  }

  safeIntegers(on = true) {
    return this.#set('safeIntegers', [on]);
  }

  bind(...args) {
    return this.#set('bind', args);
  }

  close() {
    return this.#set('close', []);
  }
}

export class Database extends Target {
  #path;
  #options;
  #connected = null;
  #state = { open: false, inTransaction: false };
  #info = null;

  constructor(path = ':memory:', options = {}) {
    if (typeof path !== 'string') throw new TypeError('Expected first argument to be a string');
    super(null, nextId++);
    this._db = this;
    this.#path = path;
    this.#options = options;
    databases.set(this._id, this);
  }

  connect() {
    this.#connected ??= request({ op: 'connect', db: this._id, path: this.#path, options: this.#options })
      .then((info) => {
        this.#info = info;
      });
    return this.#connected;
  }

  // Every request waits for the connection; they reach the worker in order.
  _send(msg) {
    return this.connect().then(() => request({ ...msg, db: this._id }));
  }

  _state(state) {
    this.#state = state;
  }

  get name() {
    return this.#path;
  }

  get memory() {
    return this.#path === ':memory:' || this.#path === '';
  }

  get readonly() {
    return this.#info?.readonly ?? !!this.#options?.readonly;
  }

  get open() {
    return this.#state.open;
  }

  get inTransaction() {
    return this.#state.inTransaction;
  }

  defaultSafeIntegers(on = true) {
    quiet(this._send({ op: 'set', target: this._id, method: 'defaultSafeIntegers', args: [on] }));
    return this;
  }

  serialize(options) {
    return this._call('serialize', options === undefined ? [] : [options]);
  }

  async backup(destination, options) {
    const [filename, schema, progress] = backupArgs(destination, options);
    if (progress) {
      const q = `"${schema.replace(/"/g, '""')}".page_count`;
      const totalPages = await this._call('pragma', [q, { simple: true }]);
      const n = progress({ totalPages, remainingPages: totalPages });
      if (n !== undefined && (typeof n !== 'number' || n !== n)) {
        throw new TypeError('Expected progress callback to return a number or undefined');
      }
    }
    return this._call('backup', [filename, { attached: schema }]);
  }

  // The change data capture records, read through this proxy's calls as in
  // Node (js/changes.mjs).
  changes(options) {
    return changes(this, options, () => connect(':memory:'));
  }

  interrupt() {
    quiet(this._send({ op: 'set', target: this._id, method: 'interrupt', args: [] }));
  }

  function() {
    throw new TypeError('User functions are not available in a page: they cannot cross to the database worker');
  }

  aggregate() {
    throw new TypeError('User functions are not available in a page: they cannot cross to the database worker');
  }

  async close() {
    if (!this.#connected) return;
    await this._call('close', []);
    databases.delete(this._id);
  }
}

export async function connect(path, options) {
  const db = new Database(path, options);
  await db.connect();
  return db;
}

export { SqliteError };
export const api = { connect, Database, Statement, SqliteError };
export const SyncDatabase = undefined;
