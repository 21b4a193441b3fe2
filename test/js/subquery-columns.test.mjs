// A FROM subquery's result columns that its query never reads are not
// computed, as in SQLite 3.53: an application function in such a column is
// not called (and where SQLite must compute it — DISTINCT, UNION, ORDER BY,
// GROUP BY, a WHERE that names it — it is called as often as in SQLite).
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';

const SHAPES = [
  'SELECT a FROM (SELECT a, f(b) AS fb FROM t)',
  'SELECT count(*) FROM (SELECT a, f(b) AS fb FROM t UNION ALL SELECT 1, f(2))',
  'SELECT count(*) FROM (SELECT a, f(b) AS fb FROM t UNION ALL SELECT 1, f(2) UNION ALL SELECT a, f(a) FROM t)',
  'SELECT x.a FROM (SELECT a, f(b) AS fb FROM t) x JOIN t ON t.a = x.a',
  'SELECT x.fb FROM (SELECT a, f(b) AS fb FROM t) x JOIN t ON t.a = x.a',
  'SELECT * FROM (SELECT a, f(b) AS fb FROM t) x LEFT JOIN t ON t.a = x.a',
  'SELECT x.* FROM (SELECT a, f(b) AS fb FROM t) x',
  'SELECT count(*) FROM (SELECT DISTINCT a, f(b) FROM t)',
  'SELECT count(*) FROM (SELECT a, f(b) FROM t UNION SELECT 1, 2)',
  'SELECT a FROM (SELECT a, f(b) AS fb FROM t ORDER BY fb)',
  'SELECT a FROM (SELECT a, f(b) AS fb FROM t WHERE fb > 2)',
  'SELECT count(*) FROM (SELECT a, count(f(b)) FROM t GROUP BY a)',
  'SELECT (SELECT count(*) FROM (SELECT a, f(b) FROM t) WHERE a > o.a) FROM t o',
  'SELECT max(a) FROM (SELECT a, f(b) AS fb FROM t) WHERE a > 1',
  'SELECT a FROM (SELECT a, f(b) AS fb FROM t) ORDER BY fb',
  'WITH w AS (SELECT a, f(b) AS fb FROM t) SELECT count(*) FROM w',
  'SELECT count(*) FROM v',
  'SELECT sum(fb) FROM v',
];

function calls(Database, sql) {
  const db = new Database(':memory:');
  let n = 0;
  db.function('f', { deterministic: false }, (x) => {
    n++;
    return x;
  });
  db.exec('CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (3, 4), (5, 6);');
  db.exec('CREATE VIEW v AS SELECT a, f(b) AS fb FROM t UNION ALL SELECT b, f(a) FROM t');
  const rows = db.prepare(sql).raw(true).all();
  db.close();
  return { rows, calls: n };
}

describe('unused columns of FROM subqueries (against better-sqlite3)', function () {
  let Lode;
  before(async function () {
    Lode = (await import('lodedb/compat')).default;
  });
  for (const sql of SHAPES) {
    it(sql, function () {
      assert.deepEqual(calls(Lode, sql), calls(BetterSqlite3, sql));
    });
  }
});
