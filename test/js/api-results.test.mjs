// api-results.test.mjs — what rows look like and when reading them fails,
// on every entry, checked against better-sqlite3 where it has the feature:
//   - expand(): rows as { table: { column: value } }, "$" for the rest;
//   - columns(): the column, table and database a result column reads;
//   - an INTEGER outside Number's safe range is a RangeError unless the
//     statement reads BigInts (better-sqlite3 12 silently rounds it: a
//     documented improvement), for get/all/iterate/raw/pluck, and the
//     statement is usable afterwards.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { promiseEntries, syncEntries } from './entries.mjs';

const SCHEMA = 'CREATE TABLE a(id INTEGER PRIMARY KEY, x); CREATE TABLE b(id INTEGER PRIMARY KEY, y);'
  + 'INSERT INTO a VALUES (1, 10), (2, 20); INSERT INTO b VALUES (1, 100), (2, 200)';
const JOIN = 'SELECT a.id, b.id, b.y, a.x + b.y AS total, 7 FROM a JOIN b USING (id) ORDER BY a.id';
const ORIGINS = 'SELECT a.id, b.y AS yy, a.x * 2 AS dbl, (SELECT max(y) FROM b) AS sub FROM a JOIN b USING (id)';
const BIG = 9007199254740993n; // 2^53 + 1
const UNSAFE = /^The integer -?\d+ is outside the range of safe JavaScript numbers/;

function reference(fn) {
  const db = new BetterSqlite3(':memory:');
  try {
    db.exec(SCHEMA);
    return fn(db);
  } finally {
    db.close();
  }
}

for (const [name, load, opts] of syncEntries) {
  describe(`${name}: expand(), columns() origins, unsafe integers`, function () {
    let db;
    before(async function () {
      if (opts.skip) this.skip();
      const Database = await load();
      db = new Database(':memory:');
      db.exec(SCHEMA);
    });
    after(() => db?.close());

    it('expand() gives the rows better-sqlite3 gives, for get, all and iterate', () => {
      const want = reference((r) => r.prepare(JOIN).expand().all());
      assert.deepEqual(db.prepare(JOIN).expand().all(), want);
      assert.deepEqual(db.prepare(JOIN).expand().get(), want[0]);
      assert.deepEqual([...db.prepare(JOIN).expand().iterate()], want);
      assert.deepEqual(want[0], { a: { id: 1 }, b: { id: 1, y: 100 }, $: { total: 110, 7: 7 } });
    });

    it('expand() puts a computed column of a subquery in FROM under "$" as better-sqlite3 does', () => {
      const sql = 'SELECT a.id, s.n FROM a JOIN (SELECT count(*) AS n FROM b) AS s ORDER BY a.id';
      assert.deepEqual(db.prepare(sql).expand().all(), reference((r) => r.prepare(sql).expand().all()));
    });

    it('raw, pluck and expand exclude each other; switching one off gives objects', () => {
      const st = db.prepare(JOIN);
      assert.deepEqual(st.expand().raw().get(), [1, 1, 100, 110, 7]);
      assert.equal(st.expand().pluck().get(), 1);
      assert.deepEqual(st.raw().expand().get(), { a: { id: 1 }, b: { id: 1, y: 100 }, $: { total: 110, 7: 7 } });
      assert.deepEqual(st.expand().expand(false).get(), { id: 1, y: 100, total: 110, 7: 7 });
      assert.throws(() => db.prepare('INSERT INTO a VALUES (9, 9)').expand(), {
        name: 'TypeError', message: 'The expand() method is only for statements that return data',
      });
    });

    it('columns() names the table, column and database of each result column as better-sqlite3 does', () => {
      const want = reference((r) => r.prepare(ORIGINS).columns());
      assert.deepEqual(db.prepare(ORIGINS).columns(), want);
      assert.deepEqual(want[1], { name: 'yy', column: 'y', table: 'b', database: 'main', type: null });
    });

    it('an unsafe INTEGER is a RangeError for get, all, iterate, raw and pluck; the statement still works', () => {
      db.exec(`CREATE TABLE big(id INTEGER PRIMARY KEY, v); INSERT INTO big VALUES (1, ${BIG}), (2, -${BIG}), (3, 5)`);
      const st = db.prepare('SELECT v FROM big WHERE id = ?');
      assert.throws(() => st.get(1), { name: 'RangeError', message: UNSAFE });
      assert.throws(() => st.get(2), { name: 'RangeError', message: UNSAFE });
      assert.equal(st.get(3).v, 5);
      const all = db.prepare('SELECT v FROM big ORDER BY id');
      assert.throws(() => all.all(), { name: 'RangeError', message: UNSAFE });
      assert.throws(() => [...all.iterate()], { name: 'RangeError', message: UNSAFE });
      assert.throws(() => all.raw().all(), { name: 'RangeError', message: UNSAFE });
      assert.throws(() => all.pluck().get(), { name: 'RangeError', message: UNSAFE });
      assert.throws(() => all.expand().get(), { name: 'RangeError', message: UNSAFE });
      // nothing is left running: the connection writes at once
      db.exec('INSERT INTO big VALUES (4, 6)');
      assert.deepEqual(all.safeIntegers().pluck().all(), [BIG, -BIG, 5n, 6n]);
      assert.equal(db.prepare('SELECT 9007199254740991 AS m').get().m, Number.MAX_SAFE_INTEGER);
      assert.equal(db.prepare('SELECT -9007199254740991 AS m').get().m, -Number.MAX_SAFE_INTEGER);
    });

    it('better-sqlite3 rounds the same value silently (why Lode throws)', () => {
      const got = reference((r) => r.prepare(`SELECT ${BIG} AS v`).get().v);
      assert.equal(got, Number(BIG));
      assert.notEqual(BigInt(got), BIG);
    });
  });
}

for (const [name, load, opts] of promiseEntries) {
  describe(`${name}: expand() and unsafe integers in the promise API`, function () {
    let db;
    before(async function () {
      if (opts.skip) this.skip();
      const { connect } = await load();
      db = await connect(':memory:');
      await db.exec(SCHEMA);
    });
    after(() => db?.close());

    it('expand() rows as better-sqlite3 gives them, for get, all and iterate', async () => {
      const want = reference((r) => r.prepare(JOIN).expand().all());
      assert.deepEqual(await db.prepare(JOIN).expand().all(), want);
      assert.deepEqual(await db.prepare(JOIN).expand().get(), want[0]);
      const rows = [];
      for await (const r of db.prepare(JOIN).expand().iterate()) rows.push(r);
      assert.deepEqual(rows, want);
      assert.deepEqual(db.prepare(ORIGINS).columns(), reference((r) => r.prepare(ORIGINS).columns()));
    });

    it('an unsafe INTEGER rejects with RangeError for get, all, iterate, raw and pluck', async () => {
      const st = () => db.prepare(`SELECT ${BIG} AS v UNION ALL SELECT 1`);
      await assert.rejects(st().get(), { name: 'RangeError', message: UNSAFE });
      await assert.rejects(st().all(), { name: 'RangeError', message: UNSAFE });
      await assert.rejects(st().raw().all(), { name: 'RangeError', message: UNSAFE });
      await assert.rejects(st().pluck().get(), { name: 'RangeError', message: UNSAFE });
      await assert.rejects(async () => {
        for await (const r of st().iterate()) assert.fail(`read ${r.v}`);
      }, { name: 'RangeError', message: UNSAFE });
      assert.deepEqual(await st().safeIntegers().pluck().all(), [BIG, 1n]);
      await db.exec('CREATE TABLE w(x)'); // the connection is not left busy
    });
  });
}
