// api-rows.test.mjs — row objects as the drivers build them (native: a row
// maker per statement; wasm: column names cached per statement), checked
// against better-sqlite3 for the same SQL: odd column names, repeated names,
// rows wider than a row maker takes, and a statement whose columns change
// when the schema does (it is re-prepared; its rows must follow).
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { syncEntries } from './entries.mjs';

const ODD_NAMES = "SELECT 1 AS __proto__, 2 AS \"a\"\"b\", 3 AS 'x\\y', 4 AS \"é ✓ 𝄞\", 5 AS \"\", 6 AS \"0\", 7 AS constructor";

function both(Database, fn) {
  const ours = new Database(':memory:');
  const ref = new BetterSqlite3(':memory:');
  try {
    return [fn(ours), fn(ref)];
  } finally {
    ours.close();
    ref.close();
  }
}

for (const [name, load, opts] of syncEntries) {
  describe(`${name}: row objects`, function () {
    let Database;
    before(async function () {
      if (opts.skip) this.skip();
      Database = await load();
    });

    it('odd column names become the same own properties as in better-sqlite3', () => {
      const [ours, ref] = both(Database, (db) => db.prepare(ODD_NAMES).get());
      assert.deepEqual(Object.entries(ours), Object.entries(ref));
      assert.equal(Object.keys(ours).length, 6);
      assert.equal(Object.getPrototypeOf(ours), Object.prototype);
      // "__proto__" sets the prototype, as it does in better-sqlite3: NULL gives a row without one
      const [nul, refNul] = both(Database, (db) => db.prepare('SELECT NULL AS __proto__, 1 AS a').get());
      assert.equal(Object.getPrototypeOf(nul), Object.getPrototypeOf(refNul));
      assert.deepEqual(Object.entries(nul), Object.entries(refNul));
    });

    it('a repeated column name keeps its first place and its last value', () => {
      const [ours, ref] = both(Database, (db) => db.prepare('SELECT 1 AS a, 2 AS b, 3 AS a').all());
      assert.deepEqual(ours, ref);
      assert.deepEqual(Object.keys(ours[0]), ['a', 'b']);
      assert.equal(ours[0].a, 3);
    });

    it('rows of 100 columns (wider than one row maker) match', () => {
      const cols = Array.from({ length: 100 }, (_, i) => `${i * 3} AS c${i}`).join(', ');
      const [ours, ref] = both(Database, (db) => [db.prepare(`SELECT ${cols}`).get(),
        db.prepare(`SELECT ${cols} UNION ALL SELECT ${cols}`).all()]);
      assert.deepEqual(ours, ref);
      assert.equal(Object.keys(ours[0]).length, 100);
    });

    it('a statement whose columns change with the schema gives rows with the new columns', () => {
      const run = (db) => {
        db.exec('CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2)');
        const st = db.prepare('SELECT * FROM t');
        const first = [st.get(), st.all()];
        db.exec('ALTER TABLE t ADD COLUMN c DEFAULT 3');
        const second = [st.get(), st.all()];
        db.exec('ALTER TABLE t RENAME COLUMN a TO z');
        const third = [st.get(), st.all(), [...st.iterate()]];
        db.exec('ALTER TABLE t ADD COLUMN d');
        const fourth = [st.all(), st.raw().all(), st.raw(false).pluck().all()];
        st.pluck(false);
        db.exec('ALTER TABLE t DROP COLUMN b');
        const fifth = [[...st.iterate()], st.get()];
        return [first, second, third, fourth, fifth];
      };
      const [ours, ref] = both(Database, run);
      assert.deepEqual(ours, ref);
      assert.deepEqual(ours[2][0], { z: 1, b: 2, c: 3 });
    });

    it('run() results and bound parameters through one call keep their shape', () => {
      const run = (db) => {
        db.exec('CREATE TABLE t(x)');
        const ins = db.prepare('INSERT INTO t VALUES (?)');
        const out = [ins.run(1), ins.run(2), db.prepare('SELECT ? + ? AS y').get(20, 22)];
        let err = null;
        try { ins.run(1, 2); } catch (e) { err = [e.constructor.name, e.message]; }
        return [...out, err, db.prepare('SELECT x FROM t WHERE x > :v').all({ v: 1 })];
      };
      const [ours, ref] = both(Database, run);
      assert.deepEqual(ours, ref);
    });
  });
}
