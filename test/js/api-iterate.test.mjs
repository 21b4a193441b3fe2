// api-iterate.test.mjs — the promise API's iterate() reads rows from the
// engine in batches (core.kRowBatch, native rows()): what a consumer sees must
// stay what reading them one by one gives.  Rows before an error come first,
// then the error; the statement and connection stay busy until the rows run
// out or the loop breaks; statements that call back into JavaScript step one
// row at a time; next() calls made at once are answered in order.
import assert from 'node:assert/strict';
import { promiseEntries } from './entries.mjs';

const ROWS = 1000;

for (const [name, load, { skip }] of promiseEntries) {
  describe(`${name}: iterate() over many rows`, function () {
    let db;
    beforeEach(async function () {
      if (skip) this.skip();
      db = await (await load()).connect(':memory:');
      await db.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
        INSERT INTO t SELECT i, 'v' || i FROM n`);
    });
    afterEach(async () => {
      await db?.close();
      db = null;
    });

    it('yields every row in order, as all() gives them', async () => {
      const stmt = db.prepare('SELECT * FROM t');
      const seen = [];
      for await (const r of stmt.iterate()) seen.push(r);
      assert.deepEqual(seen, await stmt.all());
      assert.equal(seen.length, ROWS);
      assert.equal(seen[700][1], 'v701');
    });

    it('hands out the rows before an error, then throws it', async () => {
      const sql = 'SELECT id, CASE WHEN id = 300 THEN abs(-9223372036854775807 - 1) ELSE id END AS x FROM t';
      const seen = [];
      await assert.rejects(async () => {
        for await (const r of db.prepare(sql).iterate()) seen.push(r.x);
      }, /integer overflow/);
      assert.deepEqual(seen, Array.from({ length: 299 }, (_, i) => i + 1));
      assert.deepEqual(await db.prepare('SELECT count(*) AS n FROM t').get(), { n: ROWS });
    });

    it('an unsafe integer mid-way: the rows before it, then RangeError', async () => {
      const sql = 'SELECT CASE WHEN id = 40 THEN 9007199254740993 ELSE id END AS x FROM t';
      const seen = [];
      await assert.rejects(async () => {
        for await (const r of db.prepare(sql).iterate()) seen.push(r.x);
      }, RangeError);
      assert.equal(seen.length, 39);
    });

    it('the statement is busy until the last row was taken, and free after a break', async () => {
      const stmt = db.prepare('SELECT * FROM t');
      let n = 0;
      for await (const r of stmt.iterate()) {
        n++;
        if (r.id === ROWS) {
          assert.equal(stmt.busy, true);
          await assert.rejects(db.exec('CREATE TABLE u(x)'), /busy executing a query/);
        }
      }
      assert.equal(n, ROWS);
      assert.equal(stmt.busy, false);
      for await (const r of stmt.iterate()) if (r.id === 5) break;
      assert.equal(stmt.busy, false);
      await db.exec('CREATE TABLE u(x)');
      assert.deepEqual(await stmt.get(), { id: 1, v: 'v1' });
    });

    it('a user function runs once per row taken, not for rows read ahead', async () => {
      let calls = 0;
      db.function('seen', (x) => {
        calls++;
        return x;
      });
      for await (const r of db.prepare('SELECT seen(id) AS x FROM t').iterate()) if (r.x === 3) break;
      assert.equal(calls, 3);
    });

    it('next() calls made at once are answered in order; return() ends the rows', async () => {
      const it = db.prepare('SELECT id FROM t').iterate();
      const got = await Promise.all([it.next(), it.next(), it.next()]);
      assert.deepEqual(got.map((r) => r.value.id), [1, 2, 3]);
      assert.deepEqual(await it.return(7), { done: true, value: 7 });
      assert.deepEqual(await it.next(), { done: true, value: undefined });
      assert.equal(typeof it[Symbol.asyncIterator], 'function');
      assert.equal(it[Symbol.asyncIterator](), it);
    });

    it('a failed start rejects the first next() and ends the iterator', async () => {
      const it = db.prepare('SELECT * FROM t WHERE id = ?').iterate(1, 2);
      await assert.rejects(it.next(), RangeError);
      assert.deepEqual(await it.next(), { done: true, value: undefined });
    });

    it('a transaction ends the iterators opened inside it: next() then throws', async () => {
      let it;
      await db.transaction(async () => {
        it = db.prepare('SELECT id FROM t').iterate();
        assert.equal((await it.next()).value.id, 1);
      })();
      await assert.rejects(it.next(), { name: 'TypeError', message: 'The transaction has already completed' });
      assert.deepEqual(await it.next(), { done: true, value: undefined });
    });
  });
}
