// promise.mjs — the promise API of lodedb and lodedb/wasm, shaped like
// @tursodatabase/database: connect() resolves to a Database; prepare() is
// synchronous; execution (run/get/all, exec, pragma, close) returns Promises
// and iterate() is an async generator.  Everything runs on the synchronous
// core (js/core.mjs), so calls cannot interleave inside the engine.
//
// Transactions.  db.transaction(fn) returns a function that runs BEGIN, fn,
// then COMMIT (ROLLBACK and rethrow if fn throws or rejects).  While it is
// pending the connection belongs to it:
//   - calls made by fn — directly or from anything it awaits, however deep,
//     through the Database or its statements — run inside the transaction;
//   - every other call on the connection waits until the transaction has
//     committed or rolled back, then runs (in its own autocommit), in the
//     order the calls were made.  It never runs inside the transaction, so a
//     ROLLBACK cannot discard it.
// In Node, fn's calls are told apart with AsyncLocalStorage.  Where there is
// none (browsers), fn is called as fn(txn, ...args): calls through the handle
// txn (and statements from txn.prepare, and transactions from
// txn.transaction) run inside, every call through the Database waits.
//
// Nesting, as in better-sqlite3: a transaction function called from inside a
// transaction runs as SAVEPOINT, fn, RELEASE; if fn throws or rejects, ROLLBACK
// TO and RELEASE undo only what it did, and the outer function gets the error
// (and may go on).  The same rules apply one level down: while the nested one
// is pending, the outer function's own calls wait for it (a rollback to the
// savepoint must not discard them), and the outer transaction commits only
// after every transaction nested in it has ended.
//
// A body that awaits a call which is waiting for its own transaction would
// wait forever.  With AsyncLocalStorage that await (any then() on the call's
// own promise, from inside a transaction the call waits for) is refused at
// once with TypeError; the call keeps its place and still runs after the
// transaction.  Without it there is no telling who awaits, so the body must
// use the handle.  A promise made elsewhere from the call's (an outside async
// function awaiting it) is not recognised.
//
// An iterator opened inside a transaction is closed when that transaction
// ends (COMMIT or RELEASE would otherwise find the connection busy); its
// next() then throws.

import { kAfterCall, kNative } from './internal.mjs';
import { changes } from './changes.mjs';
import * as core from './core.mjs';
import { SqliteError } from './errors.mjs';

const COMPLETED = 'The transaction has already completed';
const NO_HANDLE = 'transactionAsync() callbacks receive a Transaction handle as their first argument '
  + 'and must declare it: db.transactionAsync(async (txn, ...args) => { await txn.run(...) })';
const WOULD_DEADLOCK = 'This call waits for the transaction in progress to finish: '
  + 'awaiting it inside that transaction would wait forever (make the call from the transaction instead)';

// AsyncLocalStorage when the platform has it (Node), without a static import
// so that lodedb/wasm still loads in a browser.
// A statement of a Database not yet connected, as @tursodatabase/database
// has it: prepared (and the database connected) at its first use, so that an
// error in its SQL is reported by that call.  Only its source is known before.
function deferredStatement(d, sql) {
  if (typeof sql !== 'string') throw new TypeError('Expected first argument to be a string');
  let stmt = null;
  const real = () => (stmt ??= d.prepare(sql));
  return new Proxy(Object.create(null), {
    get(_, key) {
      if (key === 'source') return sql;
      const s = real();
      const v = s[key];
      return typeof v === 'function' ? v.bind(s) : v;
    },
  });
}

function defaultContext() {
  const hooks = globalThis.process?.getBuiltinModule?.('node:async_hooks');
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : null;
}

// The promise of a call queued behind a transaction.  Its then() (what await
// uses) refuses callers inside that transaction, which would deadlock.
class Queued extends Promise {
  #gate = null;
  #entry = null;

  // Derived promises (then/catch/finally) are plain ones.
  static get [Symbol.species]() {
    return Promise;
  }

  static of(gate, entry) {
    const p = new Queued((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    p.#gate = gate;
    p.#entry = entry;
    return p;
  }

  then(onFulfilled, onRejected) {
    const gate = this.#gate;
    if (gate && this.#entry.waiting && gate.blocks(this.#entry.chain, gate.current())) {
      return Promise.reject(new TypeError(WOULD_DEADLOCK)).then(onFulfilled, onRejected);
    }
    return super.then(onFulfilled, onRejected);
  }
}

// One per connection: runs a call now, or queues it until the transaction in
// progress is over.  A transaction is a record { outer, parent, iterators,
// children, done }: outer is the chain of transactions its function was
// called from, so that a transaction on another connection started by a body
// still counts as part of that body; parent is the transaction of this
// connection it nests in (null for BEGIN), active the innermost one pending.
class Gate {
  active = null;
  after = null; // (start) => promise of start()'s result, or null
  #queue = [];
  #context;

  constructor(context) {
    this.#context = context;
  }

  // The transactions the caller runs in (innermost first), or null.
  current() {
    return this.#context?.getStore() ?? null;
  }

  // Whether a caller in chain runs inside txn (by default the innermost).
  inside(chain, txn = this.active) {
    for (let t = chain; t; t = t.outer) if (t === txn) return true;
    return false;
  }

  // Whether a caller in chain, awaiting a call queued from entryChain, would
  // wait forever: the call waits for a transaction in progress that the
  // caller is inside of.
  blocks(entryChain, chain) {
    for (let t = this.active; t; t = t.parent) if (!this.inside(entryChain, t) && this.inside(chain, t)) return true;
    return false;
  }

  // Whether a call runs now whoever makes it (no transaction in progress,
  // nothing queued, no after()): call() would run it at once, and the
  // caller's chain need not be looked up.
  free() {
    return this.after === null && this.active === null && this.#queue.length === 0;
  }

  // Runs start() now if the caller may, else after the transaction; returns a
  // promise of its result (through after(), when one is set).
  call(chain, start) {
    if (this.after) {
      const inner = start;
      start = () => this.after(inner);
    }
    if (this.active ? this.inside(chain) : this.#queue.length === 0) {
      try {
        return Promise.resolve(start());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const entry = { start, chain, waiting: true, resolve: null, reject: null };
    this.#queue.push(entry);
    return Queued.of(this, entry);
  }

  // Runs the transaction's function with the transaction as the caller.
  run(txn, fn, args) {
    return this.#context ? this.#context.run(txn, fn, ...args) : fn(...args);
  }

  get hasContext() {
    return this.#context !== null;
  }

  // txn is over: its parent (if any) is in progress again.  Runs, in order,
  // what waited and may run now (when no transaction is left: everything,
  // until one of those calls starts another transaction).
  release(txn) {
    this.active = txn.parent;
    for (let i = 0; i < this.#queue.length;) {
      const entry = this.#queue[i];
      if (this.active && !this.inside(entry.chain)) {
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      entry.waiting = false;
      try {
        entry.resolve(entry.start());
      } catch (e) {
        entry.reject(e);
      }
    }
  }
}

const DONE = Object.freeze({ done: true, value: undefined });
const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
const FIRST_BATCH = 16;
const MAX_BATCH = 256;

// What stmt.iterate() returns: an async iterator that behaves as an async
// generator would (nothing runs before the first next(); next() calls made
// while the first waits for the connection are answered in order after it;
// return() and throw() end it), written out so that each row costs one
// resolved promise, not an async generator's suspension and resumption.
// The rows are read from the statement's iterator in batches (core.kRowBatch)
// of FIRST_BATCH, then twice as many each time up to MAX_BATCH.
//
// An iterator opened inside a transaction cannot outlive it: the
// transaction's end closes it, and a later next() throws.
class RowStream {
  #gate;
  #chain;
  #s;
  #args;
  #state = 0; // 0 not started, 1 starting (#starting pending), 2 reading, 3 ended
  #starting = null;
  #abandoned = false; // the start failed: the call queued for it must open nothing
  #rows = null; // the statement's RowIterator
  #txn = null;
  #mark = null;
  #buf = [];
  #at = 0;
  #size = FIRST_BATCH;

  constructor(gate, chain, s, args) {
    this.#gate = gate;
    this.#chain = chain;
    this.#s = s;
    this.#args = args;
  }

  next() {
    switch (this.#state) {
      case 2:
        try {
          return Promise.resolve(this.#read());
        } catch (e) {
          return Promise.reject(e);
        }
      case 0:
        return this.#start().then(() => this.next());
      case 1:
        return this.#starting.then(() => this.next(), () => DONE);
      default:
        return Promise.resolve(DONE);
    }
  }

  return(value) {
    if (this.#state === 1) return this.#starting.then(() => this.return(value), () => ({ done: true, value }));
    try {
      this.#end();
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve({ done: true, value });
  }

  throw(error) {
    if (this.#state === 1) return this.#starting.then(() => this.throw(error), () => Promise.reject(error));
    try {
      this.#end();
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.reject(error);
  }

  // Opens the statement's rows once the connection is free for the caller.
  #start() {
    const gate = this.#gate;
    const chain = this.#chain;
    this.#state = 1;
    this.#starting = gate.call(chain, () => {
      // Nobody would read (nor close) rows opened after the start failed.
      if (this.#abandoned) return null;
      const it = this.#s.iterate(...this.#args);
      if (gate.active && gate.inside(chain)) {
        this.#txn = gate.active;
        this.#mark = { rows: it, cut: false };
        this.#txn.iterators.add(this.#mark);
      }
      return it;
    }).then((it) => {
      this.#rows = it;
      this.#state = 2;
    }, (e) => {
      this.#abandoned = true;
      this.#state = 3;
      throw e;
    });
    this.#args = null;
    return this.#starting;
  }

  // The next row as an iterator result; throws what reading it threw.
  #read() {
    if (this.#mark?.cut) {
      this.#end();
      throw new TypeError(COMPLETED);
    }
    if (this.#at < this.#buf.length) return { done: false, value: this.#buf[this.#at++] };
    let rows;
    try {
      rows = this.#rows[core.kRowBatch](this.#size);
    } catch (e) {
      this.#end();
      throw e;
    }
    if (this.#size < MAX_BATCH) this.#size *= 2;
    if (rows.length === 0) {
      this.#end();
      return DONE;
    }
    this.#buf = rows;
    this.#at = 1;
    return { done: false, value: rows[0] };
  }

  #end() {
    if (this.#state !== 2) {
      this.#state = 3;
      return;
    }
    this.#state = 3;
    this.#buf = [];
    try {
      this.#rows.return();
    } finally {
      this.#txn?.iterators.delete(this.#mark);
    }
  }
}
Object.setPrototypeOf(RowStream.prototype, AsyncIteratorPrototype);

export function createPromiseApi(driver, context = defaultContext()) {
  // chain: the caller, fixed (null: outside every transaction, a transaction
  // record: inside it), or undefined to ask the gate at each call.
  class Statement {
    #s;
    #db;
    #gate;
    #chain;

    constructor(syncStatement, db, gate, chain) {
      this.#s = syncStatement;
      this.#db = db;
      this.#gate = gate;
      this.#chain = chain;
    }

    get database() {
      return this.#db;
    }

    get source() {
      return this.#s.source;
    }

    get reader() {
      return this.#s.reader;
    }

    get readonly() {
      return this.#s.readonly;
    }

    get busy() {
      return this.#s.busy;
    }

    #call(start) {
      return this.#gate.call(this.#chain === undefined ? this.#gate.current() : this.#chain, start);
    }

    // run, get and all make no closure and look up no caller when the gate
    // is free (see Gate.free), the common case outside transactions.
    run(...args) {
      if (this.#gate.free()) {
        try {
          return Promise.resolve(this.#s.run(...args));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return this.#call(() => this.#s.run(...args));
    }

    get(...args) {
      if (this.#gate.free()) {
        try {
          return Promise.resolve(this.#s.get(...args));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return this.#call(() => this.#s.get(...args));
    }

    all(...args) {
      if (this.#gate.free()) {
        try {
          return Promise.resolve(this.#s.all(...args));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return this.#call(() => this.#s.all(...args));
    }

    iterate(...args) {
      const chain = this.#chain === undefined ? this.#gate.current() : this.#chain;
      return new RowStream(this.#gate, chain, this.#s, args);
    }

    raw(on = true) {
      this.#s.raw(on);
      return this;
    }

    pluck(on = true) {
      this.#s.pluck(on);
      return this;
    }

    expand(on = true) {
      this.#s.expand(on);
      return this;
    }

    safeIntegers(on = true) {
      this.#s.safeIntegers(on);
      return this;
    }

    columns() {
      return this.#s.columns();
    }

    bind(...args) {
      this.#s.bind(...args);
      return this;
    }

    close() {
      this.#s.close();
    }

    interrupt() {
      this.#s.interrupt();
    }
  }

  // What the Database and a transaction handle share: sql-level calls made on
  // behalf of a given caller.
  function once(d, sql, fn) {
    const stmt = d.prepare(sql);
    try {
      return fn(stmt);
    } finally {
      stmt.close();
    }
  }

  async function* iterateSql(db, d, gate, chain, sql, args) {
    const stmt = new Statement(d.prepare(sql), db, gate, chain);
    try {
      yield* stmt.iterate(...args);
    } finally {
      stmt.close();
    }
  }

  // Runs fn as a transaction for a caller in chain: BEGIN … COMMIT, or, when
  // the connection is inside a transaction already, SAVEPOINT … RELEASE.
  // With handle (transactionAsync), fn gets the transaction's handle first
  // even where AsyncLocalStorage tells its calls apart.
  function runTransaction(db, d, gate, chain, begin, fn, args, handle) {
    const nested = d.inTransaction;
    d.exec(nested ? core.NEST.begin : begin);
    const parent = gate.active;
    const txn = { outer: chain, parent, nested, iterators: new Set(), children: new Set(), done: false };
    gate.active = txn;
    let result;
    try {
      if (handle || !gate.hasContext) args = [new Transaction(db, d, gate, txn), ...args];
      result = gate.hasContext ? gate.run(txn, fn, args) : fn(...args);
    } catch (e) {
      result = Promise.reject(e);
    }
    // A transaction ends after those nested in it, including any that one of
    // them lets start when it ends.
    const end = async (commit) => {
      while (txn.children.size) await Promise.allSettled(txn.children);
      endTransaction(d, gate, txn, commit);
    };
    const settled = Promise.resolve(result).then(async (value) => {
      await end(true);
      return value;
    }, async (e) => {
      await end(false);
      throw e;
    });
    if (parent) {
      parent.children.add(settled);
      settled.then(() => parent.children.delete(settled), () => parent.children.delete(settled));
    }
    return settled;
  }

  function endTransaction(d, gate, txn, commit) {
    txn.done = true;
    try {
      for (const mark of txn.iterators) {
        mark.cut = true;
        mark.rows.return();
      }
      const [finish, undo] = txn.nested ? [core.NEST.commit, core.NEST.rollback] : ['COMMIT', 'ROLLBACK'];
      if (commit) {
        try {
          d.exec(finish);
        } catch (e) {
          if (d.inTransaction) d.exec(undo);
          throw e;
        }
      } else if (d.inTransaction) {
        d.exec(undo);
      }
    } finally {
      gate.release(txn);
    }
  }

  // db.transaction(fn) and txn.transaction(fn): the transaction function,
  // whose callers are told by callerOf() (a handle's: its transaction, which
  // must still be open).
  // withHandle: fn is called as fn(txn, ...args) (transactionAsync).
  function transactionFunction(db, d, gate, callerOf, fn, handle = false, withHandle = false) {
    if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
    const make = (begin) => (...args) => {
      const chain = callerOf();
      if (handle && chain.done) return Promise.reject(new TypeError(COMPLETED));
      return gate.call(chain, () => runTransaction(db, d, gate, chain, begin, fn, args, withHandle));
    };
    const wrapper = make('BEGIN');
    Object.assign(wrapper, {
      default: wrapper, deferred: make('BEGIN DEFERRED'), immediate: make('BEGIN IMMEDIATE'),
      exclusive: make('BEGIN EXCLUSIVE'), concurrent: make('BEGIN CONCURRENT'), database: db,
    });
    return wrapper;
  }

  // transactionAsync(fn) takes fn(txn, ...args) and refuses a function that
  // declares no parameter, as @tursodatabase/database does: there, only the
  // handle's calls run inside the transaction.  Here the function's calls
  // through the Database run inside too (where AsyncLocalStorage exists).
  function asyncTransactionFunction(db, d, gate, callerOf, fn, handle = false) {
    if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
    if (fn.length === 0) throw new TypeError(NO_HANDLE);
    return transactionFunction(db, d, gate, callerOf, fn, handle, true);
  }

  // The handle a transaction's function gets where there is no
  // AsyncLocalStorage: its calls run inside the transaction.
  class Transaction {
    #db;
    #d;
    #gate;
    #txn;

    constructor(db, d, gate, txn) {
      this.#db = db;
      this.#d = d;
      this.#gate = gate;
      this.#txn = txn;
    }

    get database() {
      return this.#db;
    }

    get open() {
      return !this.#txn.done;
    }

    #live() {
      if (this.#txn.done) throw new TypeError(COMPLETED);
    }

    #call(start) {
      if (this.#txn.done) return Promise.reject(new TypeError(COMPLETED));
      return this.#gate.call(this.#txn, start);
    }

    prepare(sql) {
      this.#live();
      return new Statement(this.#d.prepare(sql), this.#db, this.#gate, this.#txn);
    }

    exec(sql, queryOptions) {
      return this.#call(() => {
        this.#d.exec(sql, queryOptions);
      });
    }

    pragma(source, options) {
      return this.#call(() => this.#d.pragma(source, options));
    }

    run(sql, ...args) {
      return this.#call(() => once(this.#d, sql, (s) => s.run(...args)));
    }

    get(sql, ...args) {
      return this.#call(() => once(this.#d, sql, (s) => s.get(...args)));
    }

    all(sql, ...args) {
      return this.#call(() => once(this.#d, sql, (s) => s.all(...args)));
    }

    iterate(sql, ...args) {
      this.#live();
      return iterateSql(this.#db, this.#d, this.#gate, this.#txn, sql, args);
    }

    batch(statements, options) {
      return this.#call(() => this.#d.batch(statements, options));
    }

    // A transaction nested in this one (its function gets its own handle).
    transaction(fn) {
      return transactionFunction(this.#db, this.#d, this.#gate, () => this.#txn, fn, true);
    }

    transactionAsync(fn) {
      return asyncTransactionFunction(this.#db, this.#d, this.#gate, () => this.#txn, fn, true);
    }
  }

  class Database {
    #d;
    #gate = new Gate(context);
    #closing = false;

    constructor(path = ':memory:', options = {}) {
      // Rows as @tursodatabase/database's: row[i] reads column i (core.INDEXED_ROWS).
      const isObject = options !== null && typeof options === 'object';
      const opts = isObject ? { ...options, [core.INDEXED_ROWS]: true } : options;
      this.#d = new core.Database(driver, path, opts, true);
    }

    async connect() {
      this.#d.connect();
    }

    get name() {
      return this.#d.name;
    }

    get memory() {
      return this.#d.memory;
    }

    get readonly() {
      return this.#d.readonly;
    }

    get open() {
      return this.#d.open;
    }

    get inTransaction() {
      return this.#d.inTransaction;
    }

    [kNative]() {
      return this.#d[kNative]();
    }

    [kAfterCall](fn) {
      this.#gate.after = fn ?? null;
    }

    #call(start) {
      return this.#gate.call(this.#gate.current(), start);
    }

    prepare(sql) {
      const s = this.#d.open || this.#closing ? this.#d.prepare(sql) : deferredStatement(this.#d, sql);
      return new Statement(s, this, this.#gate, undefined);
    }

    exec(sql, queryOptions) {
      return this.#call(() => {
        this.#d.exec(sql, queryOptions);
      });
    }

    pragma(source, options) {
      return this.#call(() => this.#d.pragma(source, options));
    }

    defaultSafeIntegers(on = true) {
      this.#d.defaultSafeIntegers(on);
      return this;
    }

    // BEGIN / await fn / COMMIT, ROLLBACK and rethrow on failure (nested:
    // SAVEPOINT / RELEASE / ROLLBACK TO); the rules for other calls meanwhile
    // are in the head comment.
    transaction(fn) {
      return transactionFunction(this, this.#d, this.#gate, () => this.#gate.current(), fn);
    }

    // fn(txn, ...args): BEGIN … COMMIT as transaction(), the handle first.
    transactionAsync(fn) {
      return asyncTransactionFunction(this, this.#d, this.#gate, () => this.#gate.current(), fn);
    }

    // The whole batch is one call: nothing else on the connection runs
    // between its statements (see core.mjs for its modes and results).
    batch(statements, options) {
      return this.#call(() => this.#d.batch(statements, options));
    }

    run(sql, ...args) {
      return this.#call(() => this.#d.run(sql, ...args));
    }

    get(sql, ...args) {
      return this.#call(() => this.#d.get(sql, ...args));
    }

    all(sql, ...args) {
      return this.#call(() => this.#d.all(sql, ...args));
    }

    iterate(sql, ...args) {
      return iterateSql(this, this.#d, this.#gate, this.#gate.current(), sql, args);
    }

    close() {
      this.#closing = true;
      return this.#call(() => {
        this.#d.close();
      });
    }

    // The change data capture records from change_id `since` on, then those
    // later commits add (js/changes.mjs).
    changes(options) {
      return changes(this, options, () => connect(':memory:'));
    }

    // Registering a function changes no data and must be in place before
    // the statements that call it: synchronous, as in better-sqlite3.
    function(name, options, fn) {
      this.#d.function(name, options, fn);
      return this;
    }

    aggregate(name, options) {
      this.#d.aggregate(name, options);
      return this;
    }

    serialize(options) {
      return this.#call(() => this.#d.serialize(options));
    }

    backup(destination, options) {
      return this.#call(() => this.#d.backup(destination, options));
    }

    // Not queued: it is meant for the statement running now.
    interrupt() {
      this.#d.interrupt();
      return this;
    }

    // Synchronous, as function(): what it loads must be there for the
    // statements prepared next.
    loadExtension(...args) {
      this.#d.loadExtension(...args);
      return this;
    }

    table(...args) {
      return this.#d.table(...args);
    }
  }


  async function connect(path, options) {
    const db = new Database(path, options);
    await db.connect();
    return db;
  }

  return { connect, Database, Statement, Transaction, SqliteError };
}
