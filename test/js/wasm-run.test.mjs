// lodedb/wasm's run(): up to eight plain values are packed from the call's
// parameters and bound and run in one call into wasm; more values, an object
// of named parameters or strict binding take the general path.  Both give
// better-sqlite3's results and errors.  Skipped outside CI when dist/wasm is
// not built.
import assert from 'node:assert/strict';
import { skipWasm } from './entries.mjs';

describe('lodedb/wasm SyncDatabase: run() with its values', function () {
  let db;
  let SyncDatabase;
  const cols = Array.from({ length: 10 }, (_, i) => `c${i}`);
  before(async function () {
    if (skipWasm) this.skip();
    ({ SyncDatabase } = await import('lodedb/wasm'));
    db = new SyncDatabase(':memory:');
    db.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, ${cols.join(', ')})`);
  });
  after(() => db?.close());

  const insertOf = (n) => db.prepare(`INSERT INTO t(${cols.slice(0, n).join(', ')}) VALUES (${'?, '.repeat(n - 1)}?)`);
  const rowOf = (id, n) => Object.values(db.prepare(`SELECT ${cols.slice(0, n).join(', ')} FROM t WHERE id = ?`)
    .get(id));

  for (const n of [1, 5, 8, 9, 10]) {
    it(`binds ${n} values of every type in their places`, () => {
      const kinds = [7, 'text ✓', 2.5, null, new Uint8Array([1, 2, 3]), 12345678901n, true, -3, 'x'.repeat(200), 0];
      const values = kinds.slice(0, n);
      const r = insertOf(n).run(...values);
      assert.equal(r.changes, 1);
      const expected = values.map((v) => (typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : v));
      assert.deepEqual(rowOf(r.lastInsertRowid, n), expected);
    });
  }

  for (const n of [3, 9]) {
    it(`refuses too few and too many of ${n} values, running nothing`, () => {
      const before = db.prepare('SELECT count(*) AS n FROM t').get().n;
      const ins = insertOf(n);
      const values = Array.from({ length: n }, (_, i) => i);
      assert.throws(() => ins.run(...values.slice(1)), { name: 'RangeError', message: 'Too few parameter values were provided' });
      assert.throws(() => ins.run(...values, 1), { name: 'RangeError', message: 'Too many parameter values were provided' });
      assert.throws(() => ins.run(...values.slice(1), Symbol('s')), TypeError);
      assert.equal(db.prepare('SELECT count(*) AS n FROM t').get().n, before);
      assert.equal(ins.run(...values).changes, 1);
    });
  }

  it('reports rowids and change counts past 2^31 exactly', () => {
    const id = 2 ** 40 + 3;
    assert.deepEqual(db.prepare('INSERT INTO t(id, c0) VALUES (?, ?)').run(id, 'big'), { changes: 1, lastInsertRowid: id });
    const r = db.prepare('INSERT INTO t(id, c0) VALUES (?, ?)').safeIntegers().run(BigInt(id) + 1n, 'bigger');
    assert.deepEqual(r, { changes: 1, lastInsertRowid: BigInt(id) + 1n });
    assert.equal(db.prepare('UPDATE t SET c1 = ? WHERE id >= ?').run('seen', id).changes, 2);
  });

  // Every run() packs its values into the one scratch buffer of the driver:
  // a run made from a user function during another's step packs its own
  // there, which must not change what the outer one bound.
  it('a run() made by a user function during another run() leaves the outer values as bound', () => {
    const other = new SyncDatabase(':memory:');
    try {
      other.exec('CREATE TABLE w(v)');
      const inner = other.prepare('INSERT INTO w VALUES (?)');
      db.function('inner_run', (k) => inner.run(`${'Z'.repeat(40)}${k}`).changes);
      const outer = db.prepare('INSERT INTO t(c0, c1, c2, c3) VALUES (inner_run(1), ?, inner_run(2), ?)');
      const blob = new Uint8Array([9, 8, 7, 6, 5]);
      const r = outer.run('outer text ✓ kept', blob);
      assert.deepEqual(rowOf(r.lastInsertRowid, 4), [1, 'outer text ✓ kept', 1, blob]);
      const r2 = outer.run('second', 'x'.repeat(5000));
      assert.deepEqual(rowOf(r2.lastInsertRowid, 4), [1, 'second', 1, 'x'.repeat(5000)]);
      assert.deepEqual(other.prepare('SELECT v FROM w').pluck().all(),
        [1, 2, 1, 2].map((k) => `${'Z'.repeat(40)}${k}`));
    } finally {
      other.close();
    }
  });

  it('binds named parameters, with or without positional ones, through the same run()', () => {
    const r = db.prepare('INSERT INTO t(c0, c1, c2) VALUES (:a, ?, @b)').run(1, { a: 'named', b: 2.5 });
    assert.deepEqual(rowOf(r.lastInsertRowid, 3), ['named', 1, 2.5]);
  });
});
