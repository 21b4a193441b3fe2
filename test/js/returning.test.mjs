// returning.test.mjs — RETURNING through the synchronous API, compared with
// better-sqlite3 (SQLite 3.53).  Where the sqlite3 3.40 CLI that the
// differential scripts use gives other answers, Lode follows 3.53: a
// subquery in RETURNING is evaluated for each changed row (3.40 computed an
// uncorrelated one once, after the first row), so it sees the rows changed
// so far.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { syncEntries } from './entries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const SETUP = [
  'CREATE TABLE t(id INTEGER PRIMARY KEY, b INT, r REAL, s TEXT UNIQUE)',
  "INSERT INTO t VALUES (1, 1, 1, 'a'), (2, 2, 2, 'b'), (3, 3, 3, 'c')",
];

// Each scenario: statements run in turn; a statement's observation is its
// reader flag, then its rows (all()) or its error.
const SCENARIOS = {
  'a subquery in RETURNING sees the rows changed before its own':
    ['UPDATE t SET b = b * 10 RETURNING id, (SELECT sum(b) FROM t) AS total, (SELECT sum(b) FROM t WHERE id >= 0)'],
  'REAL values come back as stored, INSERT and UPDATE':
    ["INSERT INTO t VALUES (4, '4', 4, 'd') RETURNING b, r, typeof(b), typeof(r)",
      'UPDATE t SET r = 5 WHERE id = 4 RETURNING r, typeof(r)'],
  'DELETE returns the old rows, in the order they were deleted':
    ['DELETE FROM t WHERE id >= 2 RETURNING *', 'SELECT count(*) AS n FROM t'],
  'what DELETE RETURNING reads no longer has the rows deleted so far':
    ['DELETE FROM t WHERE id < 3 RETURNING id, (SELECT count(*) FROM t AS x WHERE x.id >= t.id) AS later, ' +
      '(SELECT group_concat(id) FROM t AS y WHERE y.b > 0) AS left_over'],
  'an upsert returns the rows it inserted and the rows it updated, not those it skipped':
    ["INSERT INTO t VALUES (1, 0, 0, 'x'), (9, 9, 9, 'y') " +
      "ON CONFLICT(id) DO UPDATE SET s = excluded.s || '!' RETURNING *",
      "INSERT INTO t VALUES (1, 0, 0, 'z') ON CONFLICT DO NOTHING RETURNING *"],
  'a failing statement returns no rows and changes nothing':
    ["INSERT INTO t VALUES (7, 7, 7, 'q'), (8, 8, 8, 'a') RETURNING id", 'SELECT count(*) AS n FROM t'],
  'aggregates and table.* are refused':
    ['DELETE FROM t RETURNING count(*)', 'UPDATE t SET b = 0 RETURNING t.*', 'SELECT count(*) AS n FROM t'],
};

function observe(db, sql) {
  let stmt;
  try {
    stmt = db.prepare(sql);
    return { reader: stmt.reader, rows: stmt.all() };
  } catch (e) {
    return { reader: stmt ? stmt.reader : null, error: e.message };
  }
}

function runScenario(db, statements) {
  for (const sql of SETUP) db.prepare(sql).run();
  return statements.map((sql) => observe(db, sql));
}

for (const [name, load, opts] of syncEntries) {
  describe(`RETURNING, ${name} against better-sqlite3`, function () {
    let Database;
    before(async function () {
      if (opts.skip) this.skip();
      Database = await load();
    });
    for (const [what, statements] of Object.entries(SCENARIOS)) {
      it(what, function () {
        const expected = runScenario(new BetterSqlite3(':memory:'), statements);
        const db = new Database(':memory:');
        try {
          assert.deepEqual(runScenario(db, statements), expected);
        } finally {
          db.close();
        }
      });
    }
  });
}
