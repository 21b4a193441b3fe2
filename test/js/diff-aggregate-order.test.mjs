// diff-aggregate-order.test.mjs — ORDER BY inside aggregate calls where a
// SQL script cannot show it: application-defined aggregates (through the
// native function API, with and without window operations) and the plan
// lines EXPLAIN QUERY PLAN gives the queued rows; each compared with
// SQLite 3.53 (better-sqlite3).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

function setup(db) {
  db.exec(`CREATE TABLE t(a, b, c);
    INSERT INTO t VALUES (1, 'x', 3), (1, 'y', 1), (2, 'z', 2), (1, 'x', 2), (2, 'y', 2), (1, NULL, 0);`);
  // A sequence-sensitive aggregate: the order of its steps shows in the result.
  db.aggregate('seq', { start: () => [], step: (acc, v) => { acc.push(v); return acc; }, result: (acc) => acc.join('|') });
  db.aggregate('wseq', {
    start: () => [],
    step: (acc, v) => { acc.push(v); return acc; },
    inverse: (acc) => { acc.shift(); return acc; },
    result: (acc) => acc.join('|'),
  });
  return db;
}

function outcome(db, sql) {
  try {
    return { rows: db.prepare(sql).raw().all() };
  } catch (e) {
    return { error: e.message };
  }
}

const queries = [
  'SELECT seq(b ORDER BY c) FROM t',
  'SELECT seq(b ORDER BY c DESC, b) FROM t',
  'SELECT seq(DISTINCT b ORDER BY c DESC) FROM t',
  'SELECT seq(b ORDER BY c) FILTER (WHERE a = 1) FROM t',
  'SELECT a, seq(b ORDER BY c), wseq(c ORDER BY b DESC NULLS FIRST) FROM t GROUP BY a',
  'SELECT wseq(b ORDER BY c) FROM t',
  'SELECT wseq(b ORDER BY c) OVER () FROM t',
  'SELECT seq(b ORDER BY c) OVER () FROM t',
  'SELECT seq(b ORDER BY c) FROM t WHERE 0',
];

describe('ORDER BY inside aggregate calls (against better-sqlite3)', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });

  for (const sql of queries) {
    it(`application aggregate: ${sql}`, function () {
      const expected = outcome(setup(new BetterSqlite3(':memory:')), sql);
      const db = setup(new Database(':memory:'));
      try {
        assert.deepEqual(outcome(db, sql), expected);
      } finally {
        db.close();
      }
    });
  }

  const plans = [
    'SELECT group_concat(b ORDER BY c) FROM t',
    'SELECT group_concat(DISTINCT b ORDER BY c) FROM t',
    'SELECT count(DISTINCT b), seq(b ORDER BY c) FROM t',
    'SELECT a, group_concat(DISTINCT b ORDER BY c), json_group_array(c ORDER BY 1) FROM t GROUP BY a',
  ];
  for (const sql of plans) {
    it(`query plan: ${sql}`, function () {
      const detail = (db) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).raw().all().map((r) => r[3]);
      const expected = detail(setup(new BetterSqlite3(':memory:')));
      const db = setup(new Database(':memory:'));
      try {
        assert.deepEqual(detail(db), expected);
      } finally {
        db.close();
      }
    });
  }
});
