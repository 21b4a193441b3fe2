// api-nested-txn.test.mjs — transaction() called inside a transaction nests
// with a SAVEPOINT, as better-sqlite3 does: a failing inner function rolls
// back only what it did, and the outer one goes on (or fails, undoing all).
// The synchronous entries ('lodedb/compat', wasm SyncDatabase) run the same
// scenarios as better-sqlite3 itself and must give its results; the promise
// entries ('lodedb', 'lodedb/wasm') follow the same rules with async bodies
// (nesting through the handle without AsyncLocalStorage: api-busy-txn).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  COMPLETED, promiseEntries, syncEntries, tick, WOULD_DEADLOCK,
} from './entries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// ---- synchronous API: the same scenarios on better-sqlite3 and on Lode ----------

// Each scenario gets a fresh database with CREATE TABLE t(a UNIQUE) and
// returns what it observed; `expected` is better-sqlite3's answer, written
// out so that the test says what nesting means.
const rowsOf = (db) => db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all();
const errorOf = (f) => {
  try {
    f();
    return null;
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
};

const syncScenarios = {
  'a failing inner function undoes only itself; the outer one commits': {
    run(db) {
      const ins = db.prepare('INSERT INTO t VALUES (?)');
      const inner = db.transaction((x) => {
        ins.run(x);
        if (x < 0) throw new Error(`bad ${x}`);
        return x * 10;
      });
      const outer = db.transaction((xs) => xs.map((x) => {
        try {
          return inner(x);
        } catch (e) {
          return e.message;
        }
      }));
      const result = outer([1, -2, 3]);
      return { result, rows: rowsOf(db), inTransaction: db.inTransaction };
    },
    expected: { result: [10, 'bad -2', 30], rows: [1, 3], inTransaction: false },
  },
  'an outer function that throws undoes its committed inner ones too': {
    run(db) {
      const inner = db.transaction((x) => db.prepare('INSERT INTO t VALUES (?)').run(x));
      const outer = db.transaction(() => {
        inner(1);
        inner(2);
        throw new Error('outer');
      });
      return { error: errorOf(() => outer()), rows: rowsOf(db), inTransaction: db.inTransaction };
    },
    expected: { error: 'Error: outer', rows: [], inTransaction: false },
  },
  'three levels: the middle one failing undoes the innermost with it': {
    run(db) {
      const add = (x) => db.prepare('INSERT INTO t VALUES (?)').run(x);
      const innermost = db.transaction(() => add(3));
      const middle = db.transaction(() => {
        add(2);
        innermost();
        add(1); // UNIQUE fails: the middle level is undone, innermost included
      });
      const outer = db.transaction(() => {
        add(1);
        const error = errorOf(() => middle());
        add(4);
        return error;
      });
      return { error: outer(), rows: rowsOf(db) };
    },
    expected: { error: 'SqliteError: UNIQUE constraint failed: t.a', rows: [1, 4] },
  },
  'inside BEGIN every variant nests, and the transaction stays open': {
    run(db) {
      const tx = db.transaction((x) => {
        db.prepare('INSERT INTO t VALUES (?)').run(x);
        if (x === 3) throw new Error('three');
      });
      db.exec('BEGIN');
      tx.immediate(1);
      tx.exclusive(2);
      const error = errorOf(() => tx.deferred(3));
      tx.default(5);
      const inTransaction = db.inTransaction;
      db.exec('COMMIT');
      return { error, inTransaction, rows: rowsOf(db) };
    },
    expected: { error: 'Error: three', inTransaction: true, rows: [1, 2, 5] },
  },
  'this and the arguments reach the function; its value comes back': {
    run(db) {
      const tx = db.transaction(function f(a, b) {
        return [this?.tag, a, b];
      });
      const outer = db.transaction(() => tx.call({ tag: 'inner' }, 1, 2));
      return { outer: outer(), alone: tx.call({ tag: 'alone' }, 3, 4) };
    },
    expected: { outer: ['inner', 1, 2], alone: ['alone', 3, 4] },
  },
  'an inner OR ROLLBACK ends the whole transaction: the outer commit then fails': {
    run(db) {
      db.exec('INSERT INTO t VALUES (1)');
      const inner = db.transaction(() => db.exec('INSERT OR ROLLBACK INTO t VALUES (2), (1)'));
      const outer = db.transaction(() => {
        db.exec('INSERT INTO t VALUES (3)');
        const innerError = errorOf(inner);
        const afterInner = db.inTransaction;
        db.exec('INSERT INTO t VALUES (4)'); // autocommit now
        return { innerError, afterInner };
      });
      const error = errorOf(outer);
      return { error, rows: rowsOf(db), inTransaction: db.inTransaction };
    },
    expected: {
      error: 'SqliteError: cannot commit - no transaction is active', rows: [1, 4], inTransaction: false,
    },
  },
  'a failing statement inside the inner function: the error rolls the inner part back': {
    run(db) {
      const inner = db.transaction(() => {
        db.exec('INSERT INTO t VALUES (2)');
        db.exec('INSERT OR FAIL INTO t VALUES (3), (1), (5)');
      });
      const outer = db.transaction(() => {
        db.exec('INSERT INTO t VALUES (1)');
        return errorOf(inner);
      });
      return { error: outer(), rows: rowsOf(db), changes: db.prepare('SELECT changes()').pluck().get() };
    },
    expected: { error: 'SqliteError: UNIQUE constraint failed: t.a', rows: [1], changes: 1 },
  },
};

// The scenarios on a fresh database of the class Database each.
function syncScenarioTests(getDatabase) {
  for (const [title, { run, expected }] of Object.entries(syncScenarios)) {
    it(title, () => {
      const Database = getDatabase();
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t(a UNIQUE)');
      try {
        assert.deepEqual(run(db), expected);
      } finally {
        db.close();
      }
    });
  }
}

describe('nested transaction(): better-sqlite3 itself', () => syncScenarioTests(() => BetterSqlite3));

for (const [name, load, opts] of syncEntries) {
  describe(`${name}: nested transaction() as in better-sqlite3`, function () {
    let Database;
    before(async function () {
      if (opts.skip) this.skip();
      Database = await load();
    });
    syncScenarioTests(() => Database);
  });
}

// ---- promise API ------------------------------------------------------------------

for (const [name, load, opts] of promiseEntries) {
  describe(`${name}: nested transaction()`, function () {
    let mod;
    let db;

    before(async function () {
      if (opts.skip) this.skip();
      mod = await load();
    });
    beforeEach(async () => {
      db = await mod.connect(':memory:');
      await db.exec('CREATE TABLE t(a UNIQUE)');
    });
    afterEach(async () => {
      if (db?.open) await db.close();
    });

    const rows = () => db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all();
    const add = (x) => db.run('INSERT INTO t VALUES (?)', x);

    it('a failing inner transaction undoes only itself; the outer one goes on and commits', async () => {
      const inner = db.transaction(async (x) => {
        await add(x);
        await tick();
        if (x < 0) throw new Error(`bad ${x}`);
        return x * 10;
      });
      const outer = db.transaction(async (xs) => {
        const out = [];
        for (const x of xs) out.push(await inner(x).catch((e) => e.message));
        out.push(db.inTransaction);
        return out;
      });
      assert.deepEqual(await outer([1, -2, 3]), [10, 'bad -2', 30, true]);
      assert.equal(db.inTransaction, false);
      assert.deepEqual(await rows(), [1, 3]);
    });

    it('an outer transaction that fails undoes its committed inner ones; so does a failing statement', async () => {
      const inner = db.transaction((x) => add(x));
      await assert.rejects(db.transaction(async () => {
        await inner(1);
        await inner(2);
        throw new Error('outer');
      })(), /outer/);
      assert.deepEqual(await rows(), []);
      const middle = db.transaction(async () => {
        await add(2);
        await inner(3);
        await add(1);
      });
      await db.transaction(async () => {
        await add(1);
        await assert.rejects(middle(), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
        await add(4);
      })();
      assert.deepEqual(await rows(), [1, 4]);
    });

    it("the outer body's own calls wait while an inner transaction is pending; its rollback keeps them", async () => {
      const inner = db.transaction(async () => {
        await add(2);
        await tick();
        await add(3);
        throw new Error('inner');
      });
      let order;
      await db.transaction(async () => {
        await add(1);
        const p = inner();
        const mine = add(4); // made while inner is pending: runs after it
        await assert.rejects(p, /inner/);
        await mine;
        order = await rows();
      })();
      assert.deepEqual(order, [1, 4]);
      assert.deepEqual(await rows(), [1, 4]);
    });

    it('calls from outside wait for the outermost transaction, after every nested one', async () => {
      const inner = db.transaction(async (x) => {
        await tick();
        await add(x);
      });
      const p = db.transaction(async () => {
        await inner(1);
        await tick();
        await inner(2);
        throw new Error('undo');
      })();
      const outside = add(9);
      await assert.rejects(p, /undo/);
      await outside;
      assert.deepEqual(await rows(), [9]);
    });

    it('the outer transaction commits only after the nested ones it did not await', async () => {
      const inner = db.transaction(async (x) => {
        await tick();
        await add(x);
        if (x < 0) throw new Error('neg');
      });
      await db.transaction(async () => {
        inner(-1).catch(() => {});
        inner(2); // queued behind inner(-1), started when it ends
        await add(1);
      })();
      assert.equal(db.inTransaction, false);
      assert.deepEqual((await rows()).sort(), [1, 2]);
    });

    it('three levels deep, with transaction variants', async () => {
      const l3 = db.transaction(async () => add(3));
      const l2 = db.transaction(async (fail) => {
        await add(2);
        await l3.immediate();
        if (fail) throw new Error('l2');
      });
      await db.transaction(async () => {
        await add(1);
        await assert.rejects(l2.exclusive(true), /l2/);
        await l2.deferred(false);
      })();
      assert.deepEqual(await rows(), [1, 2, 3]);
    });

    it('inside a BEGIN of its own, transaction() nests and leaves the transaction open', async () => {
      const tx = db.transaction(async (x) => {
        await add(x);
        if (x === 2) throw new Error('two');
      });
      await db.exec('BEGIN');
      await tx(1);
      await assert.rejects(tx(2), /two/);
      assert.equal(db.inTransaction, true);
      await db.exec('COMMIT');
      assert.deepEqual(await rows(), [1]);
    });

    it('awaiting a call that waits for an enclosing transaction is refused, not a deadlock', async () => {
      let outside;
      let fromOuter;
      const inner = db.transaction(async () => {
        await tick();
        await fromOuter; // made by the outer body while this one is pending
      });
      const p = db.transaction(async () => {
        const i = inner();
        fromOuter = add(2);
        await assert.rejects(i, WOULD_DEADLOCK);
        await fromOuter;
        await tick();
        await outside; // waits for this very transaction
      })();
      outside = add(3);
      await assert.rejects(p, WOULD_DEADLOCK);
      await outside;
      assert.deepEqual(await rows(), [3]);
    });

    it('an iterator opened in an inner transaction is closed when it ends', async () => {
      await db.exec('INSERT INTO t VALUES (1), (2)');
      let it;
      await db.transaction(async () => {
        await db.transaction(async () => {
          it = db.prepare('SELECT a FROM t ORDER BY a').iterate();
          assert.deepEqual((await it.next()).value, { a: 1 });
        })();
        await add(3);
      })();
      await assert.rejects(it.next(), COMPLETED);
      assert.deepEqual(await rows(), [1, 2, 3]);
    });
  });
}
