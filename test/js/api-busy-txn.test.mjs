// api-busy-txn.test.mjs — what a connection does while it is in use: a
// statement whose iterator is open is busy (better-sqlite3's rules, on every
// entry), and the promise API's transaction() owns the connection until it
// ends (calls from its body run inside it, every other call waits and then
// commits on its own).  Run on 'lodedb', 'lodedb/wasm', the synchronous
// 'lodedb/compat' and wasm SyncDatabase, and the promise API without
// AsyncLocalStorage (what a browser gets: the body receives a handle, which
// also nests transactions).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  COMPLETED, promiseApiWithoutContext, promiseEntries, skipWasm, syncEntries, tick, WOULD_DEADLOCK,
} from './entries.mjs';

const root = new URL('../..', import.meta.url).pathname;
const STMT_BUSY = { name: 'TypeError', message: 'This statement is busy executing a query' };
const DB_BUSY = { name: 'TypeError', message: 'This database connection is busy executing a query' };

for (const [name, load, opts] of promiseEntries) {
  describe(`${name}: busy statements and transactions`, function () {
    let mod;
    let db;
    let tmp;

    before(async function () {
      if (opts.skip) this.skip();
      mod = await load();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-busy-'));
    });
    beforeEach(async () => {
      db = await mod.connect(':memory:');
      await db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3)');
    });
    afterEach(async () => {
      if (db?.open) await db.close();
    });
    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    const rows = () => db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all();

    describe('while an iterator is open', () => {
      it('its statement is busy; the iterator keeps its rows', async () => {
        const s = db.prepare('SELECT a FROM t ORDER BY a');
        const it = s.iterate();
        assert.deepEqual((await it.next()).value, { a: 1 });
        for (const use of [() => s.get(), () => s.all(), () => s.run(), () => s.iterate().next()]) {
          await assert.rejects(use(), STMT_BUSY);
        }
        for (const use of [() => s.raw(), () => s.pluck(), () => s.safeIntegers(), () => s.bind(), () => s.close()]) {
          assert.throws(use, STMT_BUSY);
        }
        assert.deepEqual((await it.next()).value, { a: 2 });
        assert.deepEqual((await it.next()).value, { a: 3 });
        assert.equal((await it.next()).done, true);
        assert.deepEqual(await s.pluck().all(), [1, 2, 3]);
      });

      it('a loop that runs its own statement fails instead of restarting forever', async () => {
        const s = db.prepare('SELECT a FROM t ORDER BY a');
        let n = 0;
        await assert.rejects((async () => {
          for await (const row of s.iterate()) {
            if (++n > 3) break;
            await s.get(row.a);
          }
        })(), { name: 'TypeError' });
        assert.equal(n, 1);
        assert.deepEqual(await s.pluck().all(), [1, 2, 3]);
      });

      it('the connection refuses run, exec, pragma, transaction and close; other reads work', async () => {
        const it = db.prepare('SELECT a FROM t ORDER BY a').iterate();
        await it.next();
        await assert.rejects(db.prepare('INSERT INTO t VALUES (4)').run(), DB_BUSY);
        await assert.rejects(db.prepare('SELECT 1').run(), DB_BUSY);
        await assert.rejects(db.run('INSERT INTO t VALUES (4)'), DB_BUSY);
        await assert.rejects(db.exec('SELECT 1'), DB_BUSY);
        await assert.rejects(db.pragma('user_version'), DB_BUSY);
        await assert.rejects(db.transaction(async () => {})(), DB_BUSY);
        await assert.rejects(db.close(), DB_BUSY);
        assert.equal(db.open, true);
        assert.deepEqual(await db.prepare('SELECT count(*) AS n FROM t').get(), { n: 3 });
        assert.deepEqual(await db.all('SELECT a FROM t WHERE a = 2'), [{ a: 2 }]);
        const inner = [];
        for await (const r of db.iterate('SELECT a FROM t ORDER BY a')) inner.push(r.a);
        assert.deepEqual(inner, [1, 2, 3]);
        await it.return();
        await db.exec('INSERT INTO t VALUES (4)');
        assert.deepEqual(await rows(), [1, 2, 3, 4]);
      });
    });

    describe('transaction()', () => {
      it('a write from outside the body waits and commits on its own, also when the body rolls back', async () => {
        const tx = db.transaction(async () => {
          await db.exec('INSERT INTO t VALUES (10)');
          await tick();
          throw new Error('boom');
        });
        const p = tx();
        const write = db.run('INSERT INTO t VALUES (20)');
        const read = db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all();
        await assert.rejects(p, /boom/);
        assert.equal((await write).changes, 1);
        assert.deepEqual(await read, [1, 2, 3, 20]);
        assert.equal(db.inTransaction, false);
        assert.deepEqual(await rows(), [1, 2, 3, 20]);
      });

      it('the outside write is committed: another connection sees it', async () => {
        const file = path.join(tmp, `durable-${Date.now()}.db`);
        const a = await mod.connect(file);
        await a.exec('CREATE TABLE t(a)');
        const p = a.transaction(async () => {
          await a.exec('INSERT INTO t VALUES (1)');
          await tick();
          throw new Error('undo');
        })();
        const write = a.run('INSERT INTO t VALUES (2)');
        await assert.rejects(p, /undo/);
        await write;
        const b = await mod.connect(file);
        assert.deepEqual(await b.prepare('SELECT a FROM t').pluck().all(), [2]);
        await b.close();
        await a.close();
      });

      it('calls made by the body run inside it, however deeply awaited', async () => {
        const ins = db.prepare('INSERT INTO t VALUES (?)');
        const add = async (x) => {
          await tick();
          return ins.run(x);
        };
        let seenInside;
        const tx = db.transaction(async (base) => {
          await db.run('INSERT INTO t VALUES (?)', base);
          await Promise.all([add(base + 1), add(base + 2)]);
          await new Promise((resolve, reject) => setTimeout(() => add(base + 3).then(resolve, reject), 1));
          for await (const r of db.iterate('SELECT count(*) AS n FROM t')) seenInside = r.n;
          await db.pragma('user_version');
          await tick();
          await db.exec(`INSERT INTO t VALUES (${base + 4})`);
        });
        const p = tx(100);
        const outside = rows();
        await p;
        assert.equal(seenInside, 7);
        // The read issued from outside while the body ran waited for the commit.
        assert.deepEqual(await outside, [1, 2, 3, 100, 101, 102, 103, 104]);
        assert.deepEqual(await rows(), [1, 2, 3, 100, 101, 102, 103, 104]);

        const failing = db.transaction(async () => {
          await add(200);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await add(201);
          throw new Error('no');
        });
        await assert.rejects(failing(), /no/);
        assert.deepEqual(await rows(), [1, 2, 3, 100, 101, 102, 103, 104]);
      });

      it('a transaction called from outside waits for the one in progress; one called from inside nests in it',
        async () => {
          const second = db.transaction(async () => {
            await db.run('INSERT INTO t VALUES (12)');
            throw new Error('second fails');
          });
          let nested;
          const first = db.transaction(async () => {
            await db.run('INSERT INTO t VALUES (10)');
            await tick();
            await second().catch((e) => {
              nested = e;
            });
            await db.run('INSERT INTO t VALUES (11)');
          });
          const p1 = first();
          const p2 = second();
          await p1;
          await assert.rejects(p2, /second fails/);
          // The nested call rolled back to its savepoint only: 10 and 11 stay.
          assert.equal(nested?.message, 'second fails');
          assert.deepEqual(await rows(), [1, 2, 3, 10, 11]);
        });

      it('calls waiting for a transaction run in the order they were made', async () => {
        const tx = db.transaction(async (x) => {
          await tick();
          await db.run('INSERT INTO t VALUES (?)', x);
        });
        await Promise.all([tx(10), db.run('INSERT INTO t VALUES (11)'), tx(12), db.exec('INSERT INTO t VALUES (13)'),
          tx(14)]);
        assert.deepEqual(await rows(), [1, 2, 3, 10, 11, 12, 13, 14]);
      });

      it('close() from outside waits for the commit', async () => {
        const file = path.join(tmp, `close-${Date.now()}.db`);
        const a = await mod.connect(file);
        await a.exec('CREATE TABLE t(a)');
        const p = a.transaction(async () => {
          await a.run('INSERT INTO t VALUES (1)');
          await tick();
          await a.run('INSERT INTO t VALUES (2)');
        })();
        const closed = a.close();
        await p;
        await closed;
        assert.equal(a.open, false);
        const b = await mod.connect(file);
        assert.deepEqual(await b.prepare('SELECT a FROM t').pluck().all(), [1, 2]);
        await b.close();
      });

      it('the body awaiting a call that waits for it gets a TypeError, not a deadlock; the call runs after', async () => {
        let outside;
        const tx = db.transaction(async () => {
          await db.run('INSERT INTO t VALUES (10)');
          await tick();
          await outside;
        });
        const p = tx();
        outside = db.run('INSERT INTO t VALUES (20)');
        await assert.rejects(p, WOULD_DEADLOCK);
        assert.equal((await outside).changes, 1);
        assert.deepEqual(await rows(), [1, 2, 3, 20]);

        // Same for an iterator opened outside and read by the body; it must
        // not be left open (busy) once the transaction is over.
        let it;
        const reader = db.transaction(async () => {
          await tick();
          for await (const r of it) assert.fail(`read ${r.a}`);
        });
        const p2 = reader();
        it = db.prepare('SELECT a FROM t').iterate();
        await assert.rejects(p2, WOULD_DEADLOCK);
        await db.exec('INSERT INTO t VALUES (30)');
        assert.deepEqual(await rows(), [1, 2, 3, 20, 30]);
      });

      it('an iterator the body leaves open is closed by the commit', async () => {
        let it;
        await db.transaction(async () => {
          it = db.prepare('SELECT a FROM t ORDER BY a').iterate();
          assert.deepEqual((await it.next()).value, { a: 1 });
        })();
        assert.equal(db.inTransaction, false);
        await assert.rejects(it.next(), COMPLETED);
        await db.exec('INSERT INTO t VALUES (4)');
        assert.deepEqual(await rows(), [1, 2, 3, 4]);
      });
    });
  });
}

for (const kind of ['native', 'wasm']) {
  describe(`promise API without AsyncLocalStorage (${kind}): the body gets a handle`, function () {
    let api;
    let db;

    before(async function () {
      if (kind === 'wasm' && skipWasm) this.skip();
      api = await promiseApiWithoutContext(kind);
    });
    beforeEach(async () => {
      db = await api.connect(':memory:');
      await db.exec('CREATE TABLE t(a)');
    });
    afterEach(async () => {
      if (db?.open) await db.close();
    });

    const rows = () => db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all();

    it('calls through the handle run inside; calls through the database wait and commit on their own', async () => {
      let handle;
      let inside;
      const tx = db.transaction(async (txn, x) => {
        handle = txn;
        assert.equal(txn.open, true);
        await txn.run('INSERT INTO t VALUES (?)', x);
        await txn.prepare('INSERT INTO t VALUES (?)').run(x + 1);
        await tick();
        await txn.exec(`INSERT INTO t VALUES (${x + 2})`);
        inside = [];
        for await (const r of txn.iterate('SELECT a FROM t ORDER BY rowid')) inside.push(r.a);
        assert.deepEqual(await txn.all('SELECT a FROM t ORDER BY rowid'), [{ a: x }, { a: x + 1 }, { a: x + 2 }]);
        throw new Error('undo');
      });
      const p = tx(10);
      const write = db.run('INSERT INTO t VALUES (20)');
      await assert.rejects(p, /undo/);
      assert.deepEqual(inside, [10, 11, 12]);
      assert.equal((await write).changes, 1);
      assert.deepEqual(await rows(), [20]);
      assert.equal(handle.open, false);
      await assert.rejects(handle.run('SELECT 1'), COMPLETED);
      assert.throws(() => handle.prepare('SELECT 1'), COMPLETED);
    });

    it('commits what the handle did', async () => {
      await db.transaction(async (txn) => {
        await txn.run('INSERT INTO t VALUES (1)');
        await tick();
        await txn.run('INSERT INTO t VALUES (2)');
      })();
      assert.deepEqual(await rows(), [1, 2]);
    });

    it('txn.transaction() nests; its body gets its own handle; a failure undoes only it', async () => {
      let innerHandle;
      await db.transaction(async (txn) => {
        await txn.run('INSERT INTO t VALUES (1)');
        const inner = txn.transaction(async (t2, x) => {
          innerHandle = t2;
          assert.notEqual(t2, txn);
          await t2.run('INSERT INTO t VALUES (?)', x);
          await tick();
          if (x === 2) throw new Error('two');
        });
        await assert.rejects(inner(2), /two/);
        await inner.immediate(3);
        assert.equal(innerHandle.open, false);
        assert.equal(txn.open, true);
        await txn.run('INSERT INTO t VALUES (4)');
      })();
      assert.deepEqual(await rows(), [1, 3, 4]);
    });

    it('the handle of an ended transaction cannot start a nested one', async () => {
      let handle;
      await db.transaction(async (txn) => {
        handle = txn;
      })();
      await assert.rejects(handle.transaction(async () => {})(), COMPLETED);
      assert.equal(db.inTransaction, false);
    });
  });
}

for (const [name, load, opts] of syncEntries) {
  describe(`${name}: busy statements and transaction()`, function () {
    let Database;
    let db;

    before(async function () {
      if (opts.skip) this.skip();
      Database = await load();
    });
    beforeEach(() => {
      db = new Database(':memory:');
      db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3)');
    });
    afterEach(() => {
      if (db?.open) db.close();
    });

    it('a second iterate() of a busy statement is a TypeError instead of stealing its cursor', () => {
      const s = db.prepare('SELECT a FROM t ORDER BY a');
      const it1 = s.iterate();
      assert.deepEqual(it1.next().value, { a: 1 });
      assert.throws(() => s.iterate(), STMT_BUSY);
      assert.throws(() => s.all(), STMT_BUSY);
      assert.deepEqual(it1.next().value, { a: 2 });
      assert.deepEqual([...it1], [{ a: 3 }]);
      assert.deepEqual(s.pluck().all(), [1, 2, 3]);
    });

    it('all() inside its own for…of throws instead of restarting the loop forever', () => {
      const s = db.prepare('SELECT a FROM t ORDER BY a');
      const seen = [];
      assert.throws(() => {
        for (const r of s.iterate()) {
          seen.push(r.a);
          if (seen.length > 3) break;
          s.all();
        }
      }, STMT_BUSY);
      assert.deepEqual(seen, [1]);
      assert.deepEqual(s.pluck().all(), [1, 2, 3]);
    });

    it('the connection refuses writes, exec, pragma, transaction and close while iterating; reads work', () => {
      const it = db.prepare('SELECT a FROM t ORDER BY a').iterate();
      it.next();
      assert.throws(() => db.prepare('INSERT INTO t VALUES (4)').run(), DB_BUSY);
      assert.throws(() => db.exec('SELECT 1'), DB_BUSY);
      assert.throws(() => db.pragma('user_version'), DB_BUSY);
      assert.throws(() => db.transaction(() => {})(), DB_BUSY);
      assert.throws(() => db.close(), DB_BUSY);
      assert.equal(db.inTransaction, false);
      assert.deepEqual(db.prepare('SELECT count(*) AS n FROM t').get(), { n: 3 });
      const pairs = [];
      const other = db.prepare('SELECT a FROM t WHERE a < 3 ORDER BY a').pluck();
      for (const x of it) for (const y of other.iterate()) pairs.push([x.a, y]);
      assert.deepEqual(pairs, [[2, 1], [2, 2], [3, 1], [3, 2]]);
      db.exec('INSERT INTO t VALUES (4)');
      assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 4);
    });

    it('break and throw in a for…of free the statement', () => {
      const s = db.prepare('SELECT a FROM t ORDER BY a').pluck();
      for (const x of s.iterate()) if (x === 1) break;
      assert.deepEqual(s.all(), [1, 2, 3]);
      assert.throws(() => {
        for (const x of s.iterate()) throw new Error(`at ${x}`);
      }, /at 1/);
      db.exec('DELETE FROM t WHERE a = 3');
      assert.deepEqual(s.all(), [1, 2]);
    });

    it('transaction() refuses a function that returns a promise, and rolls back what it did', async () => {
      const asyncTx = db.transaction(async () => {
        db.exec('INSERT INTO t VALUES (9)');
      });
      assert.throws(() => asyncTx(), { name: 'TypeError', message: 'Transaction function cannot return a promise' });
      assert.equal(db.inTransaction, false);
      const thenable = db.transaction(() => {
        db.exec('INSERT INTO t VALUES (10)');
        return { then() {} };
      });
      assert.throws(() => thenable(), { name: 'TypeError', message: 'Transaction function cannot return a promise' });
      assert.equal(db.inTransaction, false);
      assert.deepEqual(db.prepare('SELECT a FROM t').pluck().all(), [1, 2, 3]);
      assert.equal(db.transaction(() => 5)(), 5);
    });
  });
}

describe('lodedb/wasm loads without Node built-ins', () => {
  // A browser has no node: modules; AsyncLocalStorage must be looked up at
  // run time, not imported.
  it('no module it imports imports node:*', () => {
    const seen = new Set();
    const visit = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = fs.readFileSync(file, 'utf8');
      const specs = [...src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm)]
        .concat([...src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)]);
      for (const [, spec] of specs) {
        assert.ok(!spec.startsWith('node:') && !/^(?:async_hooks|fs|path|module)$/.test(spec),
          `${path.relative(root, file)} imports ${spec}`);
        if (spec.startsWith('.') && spec.endsWith('.mjs') && !spec.includes('dist/')) {
          visit(path.join(path.dirname(file), spec));
        }
      }
    };
    visit(path.join(root, 'js/wasm.mjs'));
    assert.ok(seen.has(path.join(root, 'js/promise.mjs')));
  });
});
