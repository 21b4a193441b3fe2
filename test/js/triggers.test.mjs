// Triggers through the synchronous API, compared with better-sqlite3 (SQLite
// 3.53): what the sqlite3 3.40 CLI of the differential scripts cannot check
// (RAISE with a message computed from the row, error codes) and what it
// checks only as text (the order several triggers fire in, changes() and
// last_insert_rowid() as the API reports them, the recursion limit).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const SETUP = [
  'CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT)',
  'CREATE TABLE log(seq INTEGER PRIMARY KEY, x)',
];

const SCENARIOS = {
  'several triggers on one event fire newest first, BEFORE ones before the change, AFTER ones after it': [
    "CREATE TRIGGER a1 AFTER INSERT ON t BEGIN INSERT INTO log(x) VALUES ('a1 ' || (SELECT count(*) FROM t)); END",
    "CREATE TRIGGER b1 BEFORE INSERT ON t BEGIN INSERT INTO log(x) VALUES ('b1 ' || (SELECT count(*) FROM t)); END",
    "CREATE TRIGGER a2 AFTER INSERT ON t BEGIN INSERT INTO log(x) VALUES ('a2'); END",
    "CREATE TRIGGER b2 BEFORE INSERT ON t BEGIN INSERT INTO log(x) VALUES ('b2'); END",
    "CREATE TRIGGER a3 AFTER INSERT ON t WHEN new.a > 1 BEGIN INSERT INTO log(x) VALUES ('a3'); END",
    'INSERT INTO t(a) VALUES (1), (2)',
    'SELECT x FROM log ORDER BY seq',
    'DROP TRIGGER a2',
    "CREATE TRIGGER a2 AFTER INSERT ON t BEGIN INSERT INTO log(x) VALUES ('a2 again'); END",
    'DELETE FROM log',
    'INSERT INTO t(a) VALUES (3)',
    'SELECT x FROM log ORDER BY seq',
  ],
  'RAISE takes a message computed from the row and fails with SQLITE_CONSTRAINT_TRIGGER': [
    "CREATE TRIGGER r BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'bad a: ' || new.a) WHERE new.a < 0; END",
    "CREATE TRIGGER f BEFORE UPDATE ON t BEGIN SELECT RAISE(FAIL, new.a * 2) WHERE new.a > 100; END",
    'INSERT INTO t(a) VALUES (1), (-5), (2)',
    'SELECT count(*) AS n FROM t',
    'INSERT INTO t(a) VALUES (1), (2), (3)',
    'UPDATE t SET a = a * 60',
    'SELECT a FROM t ORDER BY id',
    "SELECT RAISE(ABORT, 'outside')",
  ],
  'changes(), total_changes() and last_insert_rowid() inside and after triggers': [
    "CREATE TRIGGER c AFTER INSERT ON t BEGIN INSERT INTO log(x) VALUES (changes() || ' ' || last_insert_rowid()); " +
      "INSERT INTO log(x) VALUES (changes() || ' ' || last_insert_rowid()); END",
    'INSERT INTO t(id, a) VALUES (10, 1), (20, 2)',
    'SELECT changes() AS c, total_changes() AS tc, last_insert_rowid() AS lid',
    'SELECT x FROM log ORDER BY seq',
    "CREATE TRIGGER d AFTER DELETE ON t BEGIN DELETE FROM log WHERE seq = (SELECT min(seq) FROM log); END",
    'DELETE FROM t',
    'SELECT changes() AS c, total_changes() AS tc, last_insert_rowid() AS lid',
  ],
  'recursive triggers stop at 1000 levels with "too many levels of trigger recursion"': [
    'PRAGMA recursive_triggers = on',
    'CREATE TRIGGER deep AFTER INSERT ON t WHEN new.a > 0 BEGIN INSERT INTO t(a) VALUES (new.a - 1); END',
    'INSERT INTO t(a) VALUES (999)',
    'SELECT count(*) AS n FROM t',
    'DELETE FROM t',
    'INSERT INTO t(a) VALUES (1000)',
    'SELECT count(*) AS n FROM t',
    'PRAGMA recursive_triggers',
  ],
  'a trigger that fails undoes the whole statement, also inside a transaction': [
    'CREATE TRIGGER u AFTER UPDATE ON t BEGIN INSERT INTO log(x) VALUES (new.a); ' +
      "SELECT RAISE(ABORT, 'stop') WHERE new.a = 3; END",
    'INSERT INTO t(a) VALUES (1), (2), (3)',
    'BEGIN',
    'UPDATE t SET a = a + 1',
    'SELECT count(*) AS n FROM log',
    'UPDATE t SET a = a + 10',
    'COMMIT',
    'SELECT a FROM t ORDER BY id',
    'SELECT x FROM log ORDER BY seq',
  ],
  'INSTEAD OF triggers on a view; changes() reads 0 after a change to a view': [
    'CREATE VIEW v AS SELECT id, a, b FROM t',
    "CREATE TRIGGER vi INSTEAD OF INSERT ON v BEGIN INSERT INTO t(a, b) VALUES (new.a * 10, 'via view'); END",
    'INSERT INTO v(a) VALUES (1), (2)',
    'SELECT changes() AS c',
    'SELECT a, b FROM t ORDER BY id',
    'UPDATE v SET a = 0',
    'DELETE FROM v',
  ],
};

function observe(db, sql) {
  let stmt;
  try {
    stmt = db.prepare(sql);
    if (stmt.reader) return { rows: stmt.all() };
    const r = stmt.run();
    return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
  } catch (e) {
    return { error: e.message, code: e.code };
  }
}

function runScenario(db, statements) {
  for (const sql of SETUP) db.prepare(sql).run();
  return statements.map((sql) => [sql, observe(db, sql)]);
}

describe('triggers, lodedb/compat against better-sqlite3', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
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
