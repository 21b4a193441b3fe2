// exprorder-random.test.mjs — ORDER BY, min() and max() of expressions that
// expression indexes hold, against SQLite 3.53 (better-sqlite3): random
// indexes on a few expressions (ascending, descending, with a collation, with
// a second column), random data with NULLs, mixed types and duplicates, and
// random queries whose ORDER BY ends with the rowid (so the order is total);
// every query also runs with NOT INDEXED, which must not change its rows.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { rng } from './random-sql.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const EXPRS = ['lower(b)', 'b + 1', 'abs(c)', 'c * 2', 'substr(b, 1, 2)', "b || 'x'", 'length(b)', 'coalesce(c, a)'];

function setup(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const stmts = ['CREATE TABLE t(a INTEGER PRIMARY KEY, b, c REAL, d TEXT)'];
  const used = new Set();
  for (let i = 0; i < 3; i++) {
    const e = pick(EXPRS);
    if (used.has(e)) continue;
    used.add(e);
    const dir = r() < 0.3 ? ' DESC' : '';
    const coll = r() < 0.15 ? ' COLLATE NOCASE' : '';
    const more = r() < 0.3 ? ', d' : '';
    stmts.push(`CREATE INDEX i${i} ON t(${e}${coll}${dir}${more})`);
  }
  const vals = ["'Ab'", "'ab'", "'b'", "''", 'NULL', '1', '2.5', "'10'", "'aB'", "'x y'"];
  for (let i = 1; i <= 60; i++) {
    const c = r() < 0.15 ? 'NULL' : `${Math.floor(r() * 9) - 4}${r() < 0.3 ? '.5' : ''}`;
    stmts.push(`INSERT INTO t VALUES(${i}, ${pick(vals)}, ${c}, ${pick(["'p'", "'q'", 'NULL'])})`);
  }
  return { stmts, exprs: [...used] };
}

function queries(r, exprs) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const out = [];
  for (let i = 0; i < 25; i++) {
    const e = r() < 0.8 ? pick(exprs) : pick(EXPRS);
    const dir = r() < 0.4 ? ' DESC' : '';
    const coll = r() < 0.1 ? ' COLLATE NOCASE' : '';
    const second = r() < 0.3 ? `, d${r() < 0.5 ? ' DESC' : ''}` : '';
    const where = r() < 0.3 ? ` WHERE ${e} IS NOT NULL` : r() < 0.2 ? ' WHERE a > 20' : '';
    const limit = r() < 0.4 ? ` LIMIT ${1 + Math.floor(r() * 8)}` : '';
    out.push(`SELECT a, ${e} FROM t{X}${where} ORDER BY ${e}${coll}${dir}${second}, a${limit}`);
    if (r() < 0.4) out.push(`SELECT ${pick(['min', 'max'])}(${e}) FROM t{X}${where}`);
  }
  return out;
}

describe('ORDER BY and min/max of indexed expressions against SQLite 3.53', function () {
  this.timeout(120000);
  let Database;
  let ordered = 0; // ORDER BY queries whose plan reads an index in order (no sort)
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });
  for (let seed = 1; seed <= 20; seed++) {
    it(`seed ${seed}`, function () {
      const r = rng(seed * 104729);
      const { stmts, exprs } = setup(r);
      const want = new BetterSqlite3(':memory:');
      const db = new Database(':memory:');
      try {
        for (const sql of stmts) {
          want.exec(sql);
          db.exec(sql);
        }
        for (const q of queries(r, exprs)) {
          const sql = q.replace('{X}', '');
          const expected = want.prepare(sql).raw().all();
          assert.deepEqual(db.prepare(sql).raw().all(), expected, sql);
          assert.deepEqual(db.prepare(q.replace('{X}', ' NOT INDEXED')).raw().all(), expected, `${sql} NOT INDEXED`);
          const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => row.detail).join('\n');
          if (/ORDER BY/.test(sql) && / INDEX i\d/.test(plan) && !/TEMP B-TREE FOR ORDER BY/.test(plan)) ordered++;
        }
      } finally {
        want.close();
        db.close();
      }
    });
  }
  it('read an expression index in order for many of those queries', function () {
    assert.ok(ordered >= 50, `only ${ordered} ordered index scans`);
  });
});
