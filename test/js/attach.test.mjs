// ATTACH / DETACH of database files and TEMP objects through the synchronous
// API, compared with better-sqlite3 (SQLite 3.53): what the differential
// scripts cannot check (files in a directory of their own, SQLite 3.53's
// rules where the 3.40 CLI differs, error codes, a second connection).
// Each engine works in a fresh directory; "$DIR" in a statement stands for
// it, and the directory's name in results reads "$DIR" again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const SCENARIOS = {
  'attached files keep their rows and schema across DETACH and ATTACH': [
    "ATTACH '$DIR/a.db' AS a",
    "ATTACH DATABASE '$DIR/b.db' AS b",
    'PRAGMA database_list',
    'CREATE TABLE a.t(x INTEGER PRIMARY KEY, y TEXT UNIQUE)',
    'CREATE TABLE b.t(x, y)',
    'CREATE TABLE t(x, y)',
    "INSERT INTO a.t VALUES (1, 'one'), (2, 'two')",
    "INSERT INTO b.t SELECT x * 10, y || '!' FROM a.t",
    "INSERT INTO t VALUES (0, 'main')",
    'SELECT * FROM t',
    'SELECT * FROM b.t ORDER BY x',
    'SELECT a.t.y, b.t.y FROM a.t JOIN b.t ON b.t.x = a.t.x * 10 ORDER BY 1',
    'DETACH a',
    'SELECT * FROM a.t',
    "ATTACH '$DIR/a.db' AS again",
    'SELECT * FROM again.t ORDER BY x',
    'SELECT name, sql FROM again.sqlite_master ORDER BY name',
    'PRAGMA database_list',
    'PRAGMA again.integrity_check',
    "ATTACH '$DIR/a.db' AS b",
    "ATTACH '$DIR/nodir/x.db' AS c",
  ],
  'a transaction spans the databases it touches; savepoints roll back in each': [
    "ATTACH '$DIR/a.db' AS a",
    'CREATE TABLE a.t(x)',
    'CREATE TABLE t(x)',
    'CREATE TEMP TABLE tt(x)',
    'BEGIN',
    'INSERT INTO a.t VALUES (1)',
    'INSERT INTO main.t VALUES (1)',
    'INSERT INTO tt VALUES (1)',
    'ROLLBACK',
    'SELECT (SELECT count(*) FROM a.t), (SELECT count(*) FROM main.t), (SELECT count(*) FROM tt)',
    'BEGIN',
    'INSERT INTO a.t VALUES (2)',
    'SAVEPOINT s',
    'INSERT INTO main.t VALUES (2)',
    'INSERT INTO a.t VALUES (3)',
    'INSERT INTO tt VALUES (3)',
    'ROLLBACK TO s',
    'INSERT INTO tt VALUES (4)',
    'RELEASE s',
    'COMMIT',
    'SELECT x FROM a.t',
    'SELECT x FROM main.t',
    'SELECT x FROM tt',
    'BEGIN IMMEDIATE',
    'INSERT INTO a.t VALUES (5)',
    'DETACH a',
    'COMMIT',
    'BEGIN',
    'SELECT count(*) FROM a.t',
    'DETACH a',
    'COMMIT',
    'DETACH a',
    'SELECT * FROM a.t',
  ],
  'a failing statement is undone in every database it wrote': [
    "ATTACH '$DIR/a.db' AS a",
    'CREATE TABLE a.t(x UNIQUE)',
    'CREATE TABLE log(x)',
    'CREATE TEMP TRIGGER tr AFTER INSERT ON a.t BEGIN INSERT INTO main.log VALUES (new.x); END',
    'INSERT INTO a.t VALUES (1), (2)',
    'INSERT INTO a.t VALUES (3), (1)',
    'SELECT (SELECT group_concat(x) FROM a.t), (SELECT group_concat(x) FROM log)',
    'BEGIN',
    'INSERT INTO a.t VALUES (4), (2)',
    'COMMIT',
    'SELECT (SELECT group_concat(x) FROM a.t), (SELECT group_concat(x) FROM log)',
  ],
  'names and limits: SQLite\'s errors': [
    "ATTACH ':memory:' AS aux",
    "ATTACH ':memory:' AS AUX",
    "ATTACH ':memory:' AS main",
    "ATTACH ':memory:' AS temp",
    'DETACH main',
    'DETACH temp',
    'DETACH nosuch',
    "ATTACH ':memory:' AS a2",
    "ATTACH ':memory:' AS a3",
    "ATTACH ':memory:' AS a4",
    "ATTACH ':memory:' AS a5",
    "ATTACH ':memory:' AS a6",
    "ATTACH ':memory:' AS a7",
    "ATTACH ':memory:' AS a8",
    "ATTACH ':memory:' AS a9",
    "ATTACH ':memory:' AS a10",
    "ATTACH ':memory:' AS a11",
    'DETACH a5',
    "ATTACH ':memory:' AS a11",
    'PRAGMA database_list',
    'CREATE TABLE nosuch.t(x)',
    'SELECT * FROM nosuch.t',
    'PRAGMA nosuch.user_version',
    "ATTACH '$DIR/notadb.txt' AS junk",
  ],
  'a TEMP trigger stays on the table it was created on; after DETACH it is on none': [
    "ATTACH '$DIR/a.db' AS aux",
    'CREATE TABLE aux.t3(x)',
    'CREATE TEMP TABLE log(v)',
    'CREATE TEMP TRIGGER tr3 AFTER INSERT ON aux.t3 BEGIN INSERT INTO log VALUES (new.x); END',
    'INSERT INTO aux.t3 VALUES (1)',
    'DETACH aux',
    "SELECT name, tbl_name FROM sqlite_temp_master WHERE type = 'trigger'",
    "ATTACH '$DIR/a.db' AS aux",
    'INSERT INTO aux.t3 VALUES (2)',
    'CREATE TEMP TABLE t3(x)',
    'INSERT INTO t3 VALUES (3)',
    'DROP TABLE t3',
    'CREATE TABLE m(x)',
    "CREATE TEMP TRIGGER trm AFTER INSERT ON m BEGIN INSERT INTO log VALUES ('m' || new.x); END",
    'CREATE TEMP TABLE m(x)',
    'INSERT INTO temp.m VALUES (4)',
    'CREATE TABLE aux.m(x)',
    'INSERT INTO aux.m VALUES (5)',
    'INSERT INTO main.m VALUES (6)',
    'DROP TABLE temp.m',
    'SELECT * FROM log',
    "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' ORDER BY name",
    'DROP TABLE main.m',
    "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' ORDER BY name",
  ],
  'TEMP objects shadow main ones; triggers, views and pragmas per database': [
    'CREATE TABLE t(a)',
    'INSERT INTO t VALUES (1)',
    'CREATE TEMP TABLE t(a, b)',
    'INSERT INTO t VALUES (2, 3)',
    'SELECT * FROM t',
    'SELECT * FROM main.t',
    'CREATE TABLE log(x)',
    'CREATE TEMP TRIGGER tr AFTER INSERT ON main.t BEGIN INSERT INTO log VALUES (new.a); END',
    'INSERT INTO main.t VALUES (5)',
    'SELECT * FROM log',
    'CREATE TEMP VIEW v AS SELECT a FROM main.t',
    'SELECT * FROM v',
    'CREATE VIEW w AS SELECT a FROM temp.t',
    'CREATE VIEW w AS SELECT a FROM t',
    'SELECT * FROM w',
    'PRAGMA temp.table_info(t)',
    'PRAGMA main.table_info(t)',
    'PRAGMA table_info(t)',
    'PRAGMA temp.user_version = 3',
    'PRAGMA temp.user_version',
    'PRAGMA main.user_version',
    'SELECT type, name, tbl_name FROM sqlite_temp_master ORDER BY name',
    'DROP TABLE t',
    'SELECT * FROM t',
    'PRAGMA database_list',
  ],
};

function observe(db, sql) {
  let stmt;
  try {
    stmt = db.prepare(sql);
    if (stmt.reader) return { rows: stmt.raw().all() };
    const r = stmt.run();
    return { changes: r.changes };
  } catch (e) {
    return { error: e.message, code: e.code };
  }
}

function runScenario(open, statements) {
  const dir = mkdtempSync(join(tmpdir(), 'lode-attach-'));
  const db = open(join(dir, 'main.db'));
  try {
    // A file that is no database (the shell's own script will do).
    createRequire(import.meta.url)('node:fs').writeFileSync(join(dir, 'notadb.txt'), 'not a database at all\n'.repeat(10));
    const out = statements.map((sql) => [sql, observe(db, sql.replaceAll('$DIR', dir))]);
    return JSON.parse(JSON.stringify(out).replaceAll(dir, '$DIR'));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ATTACH and TEMP, lodedb/compat against better-sqlite3', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });
  for (const [what, statements] of Object.entries(SCENARIOS)) {
    it(what, function () {
      const expected = runScenario((f) => new BetterSqlite3(f), statements);
      assert.deepEqual(runScenario((f) => new Database(f), statements), expected);
    });
  }

  it('a second connection sees what was committed to an attached file, and its schema changes', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-attach-'));
    try {
      const one = new Database(join(dir, 'main.db'));
      const two = new Database(join(dir, 'other.db'));
      one.exec(`ATTACH '${join(dir, 'shared.db')}' AS s`);
      two.exec(`ATTACH '${join(dir, 'shared.db')}' AS s`);
      one.exec('CREATE TABLE s.t(x); INSERT INTO s.t VALUES (1), (2)');
      assert.deepEqual(two.prepare('SELECT sum(x) AS n FROM s.t').get(), { n: 3 });
      const count = two.prepare('SELECT count(*) AS n FROM s.t');
      one.exec('ALTER TABLE s.t ADD COLUMN y; INSERT INTO s.t VALUES (3, 4)');
      assert.deepEqual(count.get(), { n: 3 });
      assert.deepEqual(two.prepare('SELECT y FROM s.t WHERE x = 3').get(), { y: 4 });
      one.close();
      two.close();
      const check = new BetterSqlite3(join(dir, 'shared.db'));
      assert.deepEqual(check.prepare('SELECT x, y FROM t ORDER BY x').raw().all(), [[1, null], [2, null], [3, 4]]);
      assert.deepEqual(check.prepare('PRAGMA integrity_check').raw().all(), [['ok']]);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
