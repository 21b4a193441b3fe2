// sqlite_stat4 across engines, both directions, on files: a file SQLite 3.53
// (better-sqlite3, built with SQLITE_ENABLE_STAT4) analyzed loads into Lode,
// whose plans then are SQLite's on the same file (literals and bound values,
// a value bound again that changes the plan); a file Lode analyzed passes
// SQLite's integrity_check, holds the rows SQLite's ANALYZE writes for the
// same data, and SQLite plans with them as with its own.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const SETUP = [
  'CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, c REAL)',
  'CREATE INDEX ta ON t(a)',
  'CREATE INDEX tbc ON t(b DESC, c)',
  'CREATE INDEX tpart ON t(c) WHERE a > 10',
  'CREATE TABLE w(k TEXT PRIMARY KEY, v INT) WITHOUT ROWID',
  'CREATE INDEX wv ON w(v)',
  `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 4000)
   INSERT INTO t SELECT i, CASE WHEN i % 10 < 7 THEN 3 ELSE i END, 'b' || (i % 40), (i % 100) / 4.0 FROM r`,
  `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1500)
   INSERT INTO w SELECT 'k' || i, CASE WHEN i % 3 = 0 THEN 0 ELSE i END FROM r`,
  'ANALYZE',
];

// [SQL, runs of parameters]: each run's EXPLAIN QUERY PLAN is compared.
const QUERIES = [
  ['SELECT sum(c) FROM t WHERE a > 2', [[]]],
  ['SELECT sum(c) FROM t WHERE a > 3990', [[]]],
  ['SELECT sum(c) FROM t WHERE a = 3', [[]]],
  ['SELECT sum(c) FROM t WHERE a = 4', [[]]],
  ['SELECT sum(c) FROM t WHERE a > ?', [[2], [3990], [1], [3500]]],
  ['SELECT sum(c) FROM t WHERE a = ? AND c > 3', [[3], [17], [3]]],
  ["SELECT count(*) FROM t WHERE b > 'b1' AND b < 'b2'", [[]]],
  ['SELECT count(*) FROM w WHERE v = ?', [[0], [5], [0]]],
  ['SELECT count(*) FROM w WHERE v > ?', [[1], [1490]]],
];

function stat4Rows(db) {
  return db.prepare('SELECT tbl, idx, neq, nlt, ndlt, hex(sample) FROM sqlite_stat4').raw().all();
}

function plans(db) {
  const out = [];
  for (const [sql, runs] of QUERIES) {
    const st = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    for (const ps of runs) out.push(`${sql} ${JSON.stringify(ps)}: ${st.all(...ps).map((r) => r.detail).join(' | ')}`);
  }
  return out;
}

describe('interop: sqlite_stat4 between Lode and SQLite 3.53', function () {
  let Database, dir;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
    dir = mkdtempSync(join(tmpdir(), 'lode-stat4-'));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file SQLite analyzed loads into Lode, which plans as SQLite does on it', function () {
    const path = join(dir, 'by-sqlite.db');
    const s = new BetterSqlite3(path);
    for (const sql of SETUP) s.exec(sql);
    const rows = stat4Rows(s);
    const want = plans(s);
    s.close();
    assert.ok(rows.length > 48, 'SQLite wrote samples');
    const l = new Database(path);
    try {
      assert.deepEqual(stat4Rows(l), rows);
      assert.deepEqual(plans(l), want);
      // The samples decide: some plans scan, some seek.
      assert.ok(want.some((p) => p.endsWith(': SCAN t')) && want.some((p) => p.includes('USING INDEX ta (a>?)')));
    } finally {
      l.close();
    }
  });

  it('a file Lode analyzed is intact for SQLite and holds the rows SQLite writes', function () {
    const path = join(dir, 'by-lode.db');
    const l = new Database(path);
    for (const sql of SETUP) l.exec(sql);
    const lodePlans = plans(l);
    l.close();
    const s = new BetterSqlite3(path);
    try {
      assert.equal(s.prepare('PRAGMA integrity_check').pluck().get(), 'ok');
      const ref = new BetterSqlite3(':memory:');
      for (const sql of SETUP) ref.exec(sql);
      assert.deepEqual(stat4Rows(s), stat4Rows(ref));
      assert.deepEqual(plans(s), plans(ref));
      assert.deepEqual(lodePlans, plans(ref));
      ref.close();
    } finally {
      s.close();
    }
  });
});
