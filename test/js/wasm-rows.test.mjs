// lodedb/wasm's batches of rows: all() and iterate() (SyncDatabase's and the
// promise API's) read rows through lodew_rows, several per call into wasm, their values copied
// into one buffer and decoded in JS.  Each case here is one the batching
// could get wrong — a batch that fills the buffer and leaves its last row for
// the next call, a row larger than the whole buffer, an error or an unsafe
// integer after some rows, a query run from inside another's step, ASCII
// against other text — and each is checked against better-sqlite3 running
// the same SQL.  Skipped outside CI when dist/wasm is not built.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { skipWasm } from './entries.mjs';

// value in 1..n: generate_series is not in every SQLite build better-sqlite3 may use.
const series = (n) => `(WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < ${n}) ` +
  'SELECT value FROM g)';

// Rows whose text adds up to several times the 64 KiB first buffer, with
// every type among them; the sizes vary so that a batch ends at no fixed row.
const MANY = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
  SELECT i, i * 1.5 AS f, printf('%.*c', i % 97, 'x') || i AS s,
    CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN zeroblob(i % 13) WHEN 2 THEN 'é✓' || i
      WHEN 3 THEN i * 4294967296 ELSE '' END AS v
  FROM n`;

describe('lodedb/wasm: rows read in batches', function () {
  let SyncDatabase;
  let connect;
  let db;
  let ref;
  before(async function () {
    if (skipWasm) this.skip();
    ({ SyncDatabase, connect } = await import('lodedb/wasm'));
  });
  beforeEach(() => {
    db = new SyncDatabase(':memory:');
    ref = new BetterSqlite3(':memory:');
  });
  afterEach(() => {
    db?.close();
    ref?.close();
  });

  // BLOBs come back as Uint8Array from lodedb/wasm, as Buffer from better-sqlite3.
  const plain = (rows) => rows.map((r) => (Array.isArray(r) ? r.map(plainValue)
    : r !== null && typeof r === 'object' ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainValue(v)]))
      : plainValue(r)));
  const plainValue = (v) => (v instanceof Uint8Array ? [...v] : v);

  it('all() gives every row of a result larger than one buffer, with types and values as better-sqlite3', () => {
    const ours = db.prepare(MANY).all();
    assert.equal(ours.length, 3000);
    assert.deepEqual(plain(ours), plain(ref.prepare(MANY).all()));
    assert.ok(ours[0].v instanceof Uint8Array);
    assert.equal(ours[1].v, 'é✓2');
    assert.equal(ours[2].v, 12884901888);
  });

  it('raw, pluck, expand and safeIntegers rows of a batch match better-sqlite3', () => {
    const sql = `SELECT n.i, n.i * 9007199254740993 AS big, n.s FROM
      (SELECT value AS i, printf('%d', value) AS s FROM json_each('[1,2,3,4,5]')) AS n`;
    const shape = (st, m) => (m === 'expand' ? st.expand() : m === 'raw' ? st.raw() : m === 'pluck' ? st.pluck() : st);
    for (const m of ['raw', 'pluck', 'expand', 'objects']) {
      for (const safe of [false, true]) {
        const q = safe ? sql : sql.replace('9007199254740993', '3');
        const ours = shape(db.prepare(q).safeIntegers(safe), m).all();
        const theirs = shape(ref.prepare(q).safeIntegers(safe), m).all();
        assert.deepEqual(ours, theirs, `${m}${safe ? ', safeIntegers' : ''}`);
      }
    }
    assert.equal(typeof db.prepare(sql).safeIntegers().pluck().all()[0], 'bigint');
  });

  it('an integer a Number cannot hold in a later row throws RangeError, and the statement runs again', () => {
    const st = db.prepare('SELECT value * (CASE WHEN value = 3 THEN 9007199254740993 ELSE 1 END) AS v FROM ' +
      "json_each('[1,2,3,4]')");
    assert.throws(() => st.all(),
      { name: 'RangeError', message: /^The integer 27021597764222979 is outside the range/ });
    assert.deepEqual(st.safeIntegers().all().map((r) => r.v), [1n, 2n, 27021597764222979n, 4n]);
  });

  it('a step that fails after some rows: all() throws the error and returns none of them', () => {
    const sql = 'SELECT value, abs(CASE WHEN value = 700 THEN -9223372036854775807 - 1 ELSE value END) FROM ' +
      series(1000);
    let theirs;
    try {
      ref.prepare(sql).all();
    } catch (e) {
      theirs = e;
    }
    let ours;
    try {
      db.prepare(sql).all();
    } catch (e) {
      ours = e;
    }
    assert.ok(theirs && ours, 'both fail');
    assert.equal(ours.code, theirs.code);
    assert.equal(ours.message, theirs.message);
  });

  it('a row larger than the whole buffer is read whole, between smaller ones', () => {
    const big = 'ü'.repeat(150000) + 'end';
    db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v)');
    ref.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v)');
    for (const d of [db, ref]) {
      const ins = d.prepare('INSERT INTO t(v) VALUES (?)');
      for (let i = 0; i < 50; i++) ins.run(i === 20 ? big : i === 30 ? Buffer.alloc(200000, 7) : `small ${i}`);
    }
    const ours = db.prepare('SELECT id, v FROM t').all();
    assert.deepEqual(plain(ours), plain(ref.prepare('SELECT id, v FROM t').all()));
    assert.equal(ours[20].v.length, big.length);
    assert.equal(ours[30].v.length, 200000);
  });

  it('text: ASCII, UTF-8, a kept leading BOM and bytes that are not UTF-8 decode as in better-sqlite3', () => {
    const sql = "SELECT 'plain ascii' AS a, 'ünïcødé 𝄞' AS b, char(65279) || 'bom' AS c, " +
      "CAST(x'41ff42' AS TEXT) AS d, " +
      "'' AS e, CAST(x'00' AS TEXT) AS f";
    assert.deepEqual(db.prepare(sql).all(), ref.prepare(sql).all());
    assert.deepEqual(db.prepare(sql).get(), ref.prepare(sql).get());
    assert.deepEqual([...db.prepare(sql).iterate()], [...ref.prepare(sql).iterate()]);
  });

  it('a query run from a user function inside another all() leaves the outer rows intact', () => {
    const other = new SyncDatabase(':memory:');
    try {
      other.exec("CREATE TABLE w(v); INSERT INTO w SELECT printf('w%d-', value) || hex(randomblob(40)) " +
        `FROM ${series(400)}`);
      let inner = 0;
      db.function('inner_rows', () => {
        inner += other.prepare('SELECT v FROM w').all().length;
        return inner;
      });
      const rows = db.prepare(`SELECT value AS i, printf('%.*c', 200, 'q') AS pad, inner_rows() AS n
        FROM ${series(600)}`).all();
      assert.equal(rows.length, 600);
      rows.forEach((r, k) => {
        assert.equal(r.i, k + 1);
        assert.equal(r.pad, 'q'.repeat(200));
        assert.equal(r.n, 400 * (k + 1));
      });
    } finally {
      other.close();
    }
  });

  it('SyncDatabase iterate() reads ahead in batches and gives the rows of all(), in order', () => {
    const got = [];
    for (const r of db.prepare(MANY).iterate()) got.push(r);
    assert.deepEqual(plain(got), plain(ref.prepare(MANY).all()));
    const raw = [...db.prepare(MANY).raw().iterate()];
    assert.deepEqual(plain(raw), plain(ref.prepare(MANY).raw().all()));
  });

  it('SyncDatabase iterate(): the rows before a failing step or an unsafe integer come first, then its error', () => {
    const failing = 'SELECT value, abs(CASE WHEN value = 50 THEN -9223372036854775807 - 1 ELSE value END) AS a ' +
      `FROM ${series(100)}`;
    const unsafe = `SELECT value * (CASE WHEN value = 40 THEN 9007199254740993 ELSE 1 END) AS a FROM ${series(100)}`;
    for (const [sql, error, rows] of [[failing, { message: 'integer overflow' }, 49],
      [unsafe, { name: 'RangeError' }, 39]]) {
      const st = db.prepare(sql);
      const got = [];
      assert.throws(() => {
        for (const r of st.iterate()) got.push(r.a);
      }, error);
      assert.deepEqual(got, Array.from({ length: rows }, (_, i) => i + 1));
      assert.equal(st.busy, false);
      assert.equal(db.prepare('SELECT 1 AS one').get().one, 1);
    }
  });

  it('SyncDatabase iterate() left early frees its statement and connection at once', () => {
    db.exec('CREATE TABLE t(v)');
    const st = db.prepare(`SELECT value AS i FROM ${series(1000)}`);
    for (const r of st.iterate()) {
      if (r.i === 3) break;
    }
    assert.equal(st.busy, false);
    assert.equal(db.prepare('INSERT INTO t VALUES (1)').run().changes, 1);
    assert.deepEqual(st.pluck().all().slice(0, 3), [1, 2, 3]);
    const it = st.pluck().iterate();
    assert.equal(it.next().value, 1);
    assert.throws(() => db.prepare('INSERT INTO t VALUES (2)').run(), { name: 'TypeError' });
    it.return();
    assert.equal(db.prepare('INSERT INTO t VALUES (2)').run().changes, 1);
  });

  it('the promise API iterates a result larger than a buffer in batches, the same rows as all()', async () => {
    const pdb = await connect(':memory:');
    try {
      const got = [];
      for await (const r of await pdb.prepare(MANY).iterate()) got.push(r);
      assert.deepEqual(plain(got), plain(ref.prepare(MANY).all()));
    } finally {
      await pdb.close();
    }
  });

  it('the promise API delivers the rows before a failing step, then throws its error', async () => {
    const pdb = await connect(':memory:');
    const sql = 'SELECT value, abs(CASE WHEN value = 50 THEN -9223372036854775807 - 1 ELSE value END) AS a ' +
      `FROM ${series(100)}`;
    try {
      const got = [];
      await assert.rejects(async () => {
        for await (const r of await pdb.prepare(sql).iterate()) got.push(r.a);
      }, { message: 'integer overflow' });
      assert.deepEqual(got, Array.from({ length: 49 }, (_, i) => i + 1));
    } finally {
      await pdb.close();
    }
  });

  it('an iteration left early (its next row waiting in wasm) does not leak into the next run', async () => {
    const pdb = await connect(':memory:');
    try {
      const st = await pdb.prepare("SELECT value AS i, printf('%.*c', 5000, 'z') AS s FROM " + series(100));
      let k = 0;
      for await (const r of await st.iterate()) {
        assert.equal(r.i, ++k);
        if (k === 30) break;
      }
      const again = await st.all();
      assert.deepEqual(again.map((r) => r.i), Array.from({ length: 100 }, (_, i) => i + 1));
    } finally {
      await pdb.close();
    }
  });
});
