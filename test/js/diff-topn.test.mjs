// diff-topn.test.mjs — ORDER BY … LIMIT over more rows than the limit keeps,
// compared with SQLite 3.53 (better-sqlite3): once the kept rows are pruned,
// a row whose first sort key does not sort before the last one kept is
// dropped at one comparison (of REALs, inline in the VM). Ties with the cut,
// keys of mixed INTEGER/REAL type, NULLs, -0.0 against 0.0, descending keys,
// a second key that decides between equal first keys and OFFSET must give
// SQLite's rows in SQLite's order.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// 3000 rows: r is a REAL from 40 distinct values (many ties), with every 7th
// row an INTEGER of the same value, every 11th NULL and a few -0.0 and 0.0;
// s is a second key with ties of its own.
function setup(db) {
  db.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, r, s);
    WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < 3000)
    INSERT INTO t SELECT i,
      CASE WHEN i % 11 = 0 THEN NULL
           WHEN i % 97 = 0 THEN -0.0
           WHEN i % 89 = 0 THEN 0.0
           WHEN i % 7 = 0 THEN (i * 37) % 40 - 20
           ELSE ((i * 37) % 40 - 20) * 1.0 END,
      (i * 13) % 5 FROM q;`);
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
  'SELECT id, r FROM t ORDER BY r LIMIT 10',
  'SELECT id, r FROM t ORDER BY r DESC LIMIT 10',
  'SELECT id, r FROM t ORDER BY r LIMIT 150',
  'SELECT id, r FROM t ORDER BY r DESC LIMIT 150',
  'SELECT id, r FROM t ORDER BY r LIMIT 10 OFFSET 300',
  'SELECT id, r FROM t ORDER BY r NULLS LAST LIMIT 20',
  'SELECT id, r FROM t ORDER BY r DESC NULLS FIRST LIMIT 300',
  'SELECT id, r, s FROM t ORDER BY r, s DESC LIMIT 40',
  'SELECT id, r, s FROM t ORDER BY r DESC, s LIMIT 40',
  'SELECT id, r, s FROM t WHERE r IS NOT NULL ORDER BY r, s DESC LIMIT 40',
  'SELECT id, r, s FROM t ORDER BY r * 1.0 DESC, s LIMIT 40',
  'SELECT id, r, s FROM t ORDER BY r * 1.0 NULLS LAST, s DESC, id DESC LIMIT 70',
  'SELECT id, r FROM t ORDER BY r * 0.5 LIMIT 25',
  'SELECT id, r FROM t ORDER BY abs(r) LIMIT 60',
  'SELECT id, r FROM t ORDER BY abs(r) DESC LIMIT 60',
  'SELECT id, r FROM t WHERE r IS NOT NULL ORDER BY r + 0.0 LIMIT 12',
  'SELECT id, r FROM t ORDER BY (r * 1.0) / 3 DESC LIMIT 33',
  'SELECT id, r FROM t ORDER BY CASE WHEN id % 2 THEN r ELSE CAST(r AS INTEGER) END LIMIT 50',
  'SELECT id, r FROM t ORDER BY CASE WHEN id % 3 THEN r ELSE NULL END DESC LIMIT 50',
  'SELECT id, r FROM t ORDER BY CASE WHEN id > 2000 THEN r ELSE \'x\' END LIMIT 50',
  'SELECT id FROM t ORDER BY r LIMIT 0',
  'SELECT id, r FROM t ORDER BY r LIMIT -1 OFFSET 2990',
];

describe('ORDER BY … LIMIT past the kept rows (against better-sqlite3)', function () {
  let Database;
  let lode;
  let ref;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
    ref = setup(new BetterSqlite3(':memory:'));
    lode = setup(new Database(':memory:'));
  });
  after(function () {
    lode?.close();
    ref?.close();
  });

  for (const sql of queries) {
    it(sql, function () {
      assert.deepEqual(outcome(lode, sql), outcome(ref, sql));
    });
  }

  it('the same statement re-run after a rebind keeps no cut of its last run', function () {
    const sql = 'SELECT id, r FROM t ORDER BY r * ? LIMIT 15';
    const a = lode.prepare(sql);
    const b = ref.prepare(sql);
    for (const k of [1, -1, 0.5, -2, 1]) assert.deepEqual(a.raw().all(k), b.raw().all(k));
  });
});
