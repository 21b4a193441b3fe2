// promise.mjs — the promise API of lodedb and lodedb/wasm, shaped like
// @tursodatabase/database: connect() resolves to a Database; prepare() is
// synchronous; execution (run/get/all, exec, pragma, close) returns Promises
// and iterate() is an async generator.  Everything runs on the synchronous
// core (js/core.mjs), so calls cannot interleave inside the engine.

import * as core from './core.mjs';
import { SqliteError } from './errors.mjs';

export function createPromiseApi(driver) {
  class Statement {
    #s;
    #db;

    constructor(syncStatement, db) {
      this.#s = syncStatement;
      this.#db = db;
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

    async run(...args) {
      return this.#s.run(...args);
    }

    async get(...args) {
      return this.#s.get(...args);
    }

    async all(...args) {
      return this.#s.all(...args);
    }

    async *iterate(...args) {
      yield* this.#s.iterate(...args);
    }

    raw(on = true) {
      this.#s.raw(on);
      return this;
    }

    pluck(on = true) {
      this.#s.pluck(on);
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

  class Database {
    #d;

    constructor(path = ':memory:', options = {}) {
      this.#d = new core.Database(driver, path, options, true);
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

    prepare(sql) {
      return new Statement(this.#d.prepare(sql), this);
    }

    async exec(sql) {
      this.#d.exec(sql);
    }

    async pragma(source, options) {
      return this.#d.pragma(source, options);
    }

    defaultSafeIntegers(on = true) {
      this.#d.defaultSafeIntegers(on);
      return this;
    }

    // BEGIN / await fn / COMMIT, ROLLBACK and rethrow on failure.
    transaction(fn) {
      if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
      const make = (begin) => async (...args) => {
        this.#d.exec(begin);
        try {
          const result = await fn(...args);
          this.#d.exec('COMMIT');
          return result;
        } catch (e) {
          if (this.#d.inTransaction) this.#d.exec('ROLLBACK');
          throw e;
        }
      };
      const wrapper = make('BEGIN');
      Object.assign(wrapper, {
        deferred: wrapper, immediate: make('BEGIN IMMEDIATE'), exclusive: make('BEGIN EXCLUSIVE'), database: this,
      });
      return wrapper;
    }

    async run(sql, ...args) {
      return this.#d.run(sql, ...args);
    }

    async get(sql, ...args) {
      return this.#d.get(sql, ...args);
    }

    async all(sql, ...args) {
      return this.#d.all(sql, ...args);
    }

    async *iterate(sql, ...args) {
      const stmt = this.#d.prepare(sql);
      try {
        yield* stmt.iterate(...args);
      } finally {
        stmt.close();
      }
    }

    async close() {
      this.#d.close();
    }
  }

  for (const name of ['function', 'aggregate', 'table', 'backup', 'serialize', 'loadExtension', 'interrupt']) {
    Database.prototype[name] = function notImplemented() {
      throw new Error('not implemented');
    };
  }

  async function connect(path, options) {
    const db = new Database(path, options);
    await db.connect();
    return db;
  }

  return { connect, Database, Statement, SqliteError };
}
