// api-columns.test.mjs — stmt.columns() on every entry against
// better-sqlite3: each result column's name, declared type and origin
// (column, table, database), as SQLite's sqlite3_column_origin_name() and
// friends report it.  The origin traces a column through views, FROM
// subqueries, CTEs and scalar subqueries to the table column it reads; an
// expression has none; a compound SELECT takes its first arm's origins, a
// compound in FROM (or a view's) its last arm's; the schema table is
// sqlite_master (sqlite_temp_master in temp); a RETURNING clause's column of
// the changed table has that column as its origin.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { promiseEntries, syncEntries } from './entries.mjs';

const SCHEMA = `
  CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c);
  CREATE TABLE u(x, y);
  CREATE TEMP TABLE tt(k INT, l);
  ATTACH ':memory:' AS aux;
  CREATE TABLE aux.w(m REAL, n);
  CREATE VIEW aux.wv AS SELECT m AS mm FROM w;
  CREATE VIEW v AS SELECT a AS va, b, c + 1 AS e FROM t;
  CREATE VIEW vv AS SELECT va AS w, b FROM v;
  CREATE VIEW vc AS SELECT a, b FROM t UNION ALL SELECT x, y FROM u;
  CREATE VIEW v2(p, q) AS SELECT a, b FROM t;
  CREATE TABLE wr(id INTEGER, z, PRIMARY KEY(id)) WITHOUT ROWID;`;

const QUERIES = [
  // straight from tables
  'SELECT a, b, c FROM t', 'SELECT rowid, _rowid_, oid FROM t', 'SELECT rowid FROM u', 'SELECT t.* FROM t',
  'SELECT z.b AS bb FROM t AS z', 'SELECT main.t.b FROM main.t', 'SELECT k, l FROM tt', 'SELECT m, n FROM aux.w',
  'SELECT id, z FROM wr', 'SELECT * FROM t JOIN t AS t2 USING (a)', 'SELECT a, x FROM t FULL JOIN u ON a = x',
  'SELECT * FROM (t JOIN u ON a = x)', 'SELECT b FROM t ORDER BY c', 'SELECT DISTINCT a, b FROM t ORDER BY 2 LIMIT 5',
  'SELECT x FROM u GROUP BY x', 'SELECT t1.b FROM t t1 WHERE a IN (SELECT x FROM u)',
  // expressions have none
  'VALUES (1, 2)', 'SELECT +a, (a), a COLLATE nocase, CAST(a AS TEXT) FROM t', 'SELECT coalesce(a, b), iif(a, b, c) FROM t',
  'SELECT max(b), b FROM t', 'SELECT a, row_number() OVER () FROM t',
  // views, subqueries, CTEs
  'SELECT va, b, e FROM v', 'SELECT w, b FROM vv', 'SELECT * FROM v2', 'SELECT * FROM aux.wv',
  'SELECT * FROM (SELECT a AS q, b FROM t)', 'SELECT x FROM (SELECT * FROM (SELECT x FROM u))',
  'SELECT * FROM t AS t1, (SELECT * FROM u) s', 'SELECT v.va FROM v JOIN t ON t.a = v.va',
  'SELECT va, count(*) FROM v GROUP BY va', 'SELECT DISTINCT b FROM v', 'SELECT b FROM (SELECT b FROM t ORDER BY b LIMIT 3)',
  'SELECT a FROM (SELECT a FROM t) GROUP BY a HAVING count(*) > 0',
  'SELECT q FROM (SELECT a AS q, row_number() OVER () AS r FROM t)',
  'SELECT b, sum(a) OVER (ORDER BY a) FROM v2 JOIN t ON p = a',
  'WITH c AS (SELECT b AS z, a FROM t) SELECT z, a FROM c',
  'WITH c(p1, p2) AS (SELECT b, c FROM t) SELECT * FROM c, c AS c2',
  'WITH q AS MATERIALIZED (SELECT y FROM u) SELECT y FROM q',
  'WITH RECURSIVE r(n) AS (SELECT a FROM t UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r',
  // scalar subqueries
  'SELECT (SELECT b FROM t), max(a), a FROM t',
  'SELECT (SELECT x FROM u WHERE x = a), (SELECT max(x) FROM u), EXISTS (SELECT 1 FROM u) FROM t',
  'SELECT (SELECT p FROM v2) FROM u', 'SELECT * FROM (SELECT (SELECT b FROM t) AS sb)',
  // compounds: the statement's own from its first arm, one in FROM from its last
  'SELECT a, b FROM t UNION SELECT x, y FROM u', 'SELECT x FROM u UNION ALL SELECT a FROM t',
  'SELECT a FROM t INTERSECT SELECT x FROM u', 'SELECT a FROM t UNION SELECT x FROM (SELECT x FROM u)',
  'SELECT a FROM t WHERE a IN (SELECT x FROM u) UNION ALL SELECT x FROM u ORDER BY 1',
  'SELECT a, b FROM vc', 'SELECT * FROM (SELECT x FROM u UNION ALL SELECT a FROM t)',
  'SELECT * FROM (SELECT a FROM t EXCEPT SELECT x FROM u)',
  // table-valued functions and the schema table
  "SELECT * FROM json_each('[1]')", "SELECT j.value FROM json_each('[1]') AS j", "SELECT * FROM pragma_table_info('t')",
  'SELECT name FROM sqlite_master', 'SELECT name FROM sqlite_schema', 'SELECT name FROM temp.sqlite_master',
  'SELECT name FROM sqlite_temp_schema',
  // RETURNING: a column of the changed table is its origin, as in a SELECT
  "INSERT INTO t(b) VALUES ('x') RETURNING a, b, c, rowid, oid, b AS bb, (c), t.b, +b, b || 'z', (SELECT 1)",
  "INSERT INTO t(b) VALUES ('x') RETURNING *", 'UPDATE t SET c = 1 RETURNING a, c', 'DELETE FROM u RETURNING y, rowid',
  "INSERT INTO t(a, b) VALUES (1, 'x') ON CONFLICT(a) DO UPDATE SET c = excluded.c RETURNING b, c",
  'INSERT INTO aux.w VALUES (1, 2) RETURNING m, n, rowid', 'INSERT INTO wr VALUES (1, 2) RETURNING id, z',
  'UPDATE t SET c = u.y FROM u WHERE u.x = t.a RETURNING t.c, a',
];

const describe_ = (cols) => cols.map(({ name, column, table, database, type }) => ({ name, column, table, database, type }));

function expected() {
  const db = new BetterSqlite3(':memory:');
  db.exec(SCHEMA);
  const want = QUERIES.map((q) => describe_(db.prepare(q).columns()));
  db.close();
  return want;
}

describe('JS API: columns() — names, declared types and origins as better-sqlite3 reports them', function () {
  this.timeout(60_000);
  let want;
  before(() => {
    want = expected();
  });

  it('better-sqlite3 traces origins through views, subqueries and CTEs (what the cases are meant to show)', () => {
    const of = (q) => want[QUERIES.indexOf(q)].map((c) => [c.column, c.table, c.database]);
    assert.deepEqual(of('SELECT w, b FROM vv'), [['a', 't', 'main'], ['b', 't', 'main']]);
    assert.deepEqual(of('SELECT va, b, e FROM v')[2], [null, null, null]);
    assert.deepEqual(of('SELECT a, b FROM vc')[0], ['x', 'u', 'main']);
    assert.deepEqual(of('SELECT x FROM u UNION ALL SELECT a FROM t')[0], ['x', 'u', 'main']);
    assert.deepEqual(of('SELECT (SELECT p FROM v2) FROM u')[0], ['a', 't', 'main']);
  });

  for (const [name, load, opts] of syncEntries) {
    it(`${name}: every case matches`, async function () {
      if (opts.skip) this.skip();
      const Database = await load();
      const db = new Database(':memory:');
      db.exec(SCHEMA);
      QUERIES.forEach((q, i) => assert.deepEqual(describe_(db.prepare(q).columns()), want[i], q));
      db.close();
    });
  }

  for (const [name, load, opts] of promiseEntries) {
    it(`${name}: every case matches`, async function () {
      if (opts.skip) this.skip();
      const { connect } = await load();
      const db = await connect(':memory:');
      await db.exec(SCHEMA);
      QUERIES.forEach((q, i) => assert.deepEqual(describe_(db.prepare(q).columns()), want[i], q));
      await db.close();
    });
  }
});
