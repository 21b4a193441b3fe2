// The sqlite_dbpage virtual table (SQLite's SQLITE_ENABLE_DBPAGE_VTAB, which
// better-sqlite3 leaves out): on files better-sqlite3 wrote in rollback-journal
// mode, whose bytes on disk are the pages, Lode lists every page of the
// database named, its data the file's bytes, with SQLite 3.53's constraints,
// errors and order.  Writing pages through it is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from '../../js/compat.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// The pages of a file as Buffers, index 0 = page 1.
function filePages(file, pageSize) {
  const bytes = readFileSync(file);
  const pages = [];
  for (let at = 0; at < bytes.length; at += pageSize) pages.push(bytes.subarray(at, at + pageSize));
  return pages;
}

describe('sqlite_dbpage', function () {
  let dir, main, aux, db;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'lode-dbpage-'));
    main = join(dir, 'main.db');
    aux = join(dir, 'aux.db');
    const a = new BetterSqlite3(aux);
    a.exec("PRAGMA page_size = 1024; CREATE TABLE z(q); INSERT INTO z VALUES (zeroblob(3000)), ('x');");
    a.close();
    const m = new BetterSqlite3(main);
    m.exec(`CREATE TABLE t(a, b); INSERT INTO t VALUES (1, zeroblob(9000)), (2, randomblob(700));
            CREATE INDEX ti ON t(a);`);
    m.close();
    db = new Database(main);
    db.exec(`ATTACH '${aux}' AS aux`);
  });
  after(function () {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every page of main, in order, as the file holds it', function () {
    const want = filePages(main, 4096);
    const rows = db.prepare('SELECT pgno, data, schema FROM sqlite_dbpage').raw().all();
    assert.equal(rows.length, want.length);
    rows.forEach(([pgno, data, schema], i) => {
      assert.equal(pgno, i + 1);
      assert.equal(schema, 'main');
      assert.ok(Buffer.from(data).equals(want[i]), `page ${pgno}`);
    });
  });

  it('the schema argument or constraint picks the database; an unknown one has no pages', function () {
    const want = filePages(aux, 1024);
    const rows = db.prepare("SELECT pgno, data, schema FROM sqlite_dbpage('aux')").raw().all();
    assert.deepEqual(rows.map((r) => r[0]), want.map((_, i) => i + 1));
    rows.forEach(([, data, schema], i) => {
      assert.equal(schema, 'aux');
      assert.ok(Buffer.from(data).equals(want[i]));
    });
    assert.deepEqual(db.prepare("SELECT pgno FROM sqlite_dbpage WHERE schema = 'aux' ORDER BY pgno DESC").pluck().all(),
      want.map((_, i) => i + 1).reverse());
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_dbpage('nosuch')").pluck().get(), 0);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_dbpage('temp')").pluck().get(), 0);
  });

  it('pgno = N (or rowid = N) reads one page; none outside the file', function () {
    const want = filePages(main, 4096);
    const [pgno, data] = db.prepare('SELECT pgno, data FROM sqlite_dbpage WHERE pgno = 3').raw().get();
    assert.equal(pgno, 3);
    assert.ok(Buffer.from(data).equals(want[2]));
    assert.deepEqual(db.prepare('SELECT rowid, pgno FROM sqlite_dbpage WHERE rowid = 2').raw().get(), [2, 2]);
    assert.equal(db.prepare('SELECT count(*) FROM sqlite_dbpage WHERE pgno = 0').pluck().get(), 0);
    assert.equal(db.prepare('SELECT count(*) FROM sqlite_dbpage WHERE pgno = 99').pluck().get(), 0);
    assert.deepEqual(db.prepare('SELECT d.pgno FROM sqlite_dbpage d, t WHERE d.pgno = t.a').pluck().all(), [1, 2]);
    assert.deepEqual(db.prepare("SELECT pgno FROM sqlite_dbpage('aux') WHERE pgno > 2").pluck().all(), [3, 4]);
  });

  it('takes one argument, is direct-only, has SQLite\'s columns, and is not written through', function () {
    assert.throws(() => db.prepare("SELECT * FROM sqlite_dbpage('main', 2)"),
      /too many arguments on sqlite_dbpage\(\) - max 1/);
    db.exec('CREATE VIEW v AS SELECT * FROM sqlite_dbpage');
    assert.throws(() => db.prepare('SELECT count(*) FROM v').get(), /unsafe use of virtual table "sqlite_dbpage"/);
    assert.deepEqual(db.prepare('PRAGMA table_xinfo(sqlite_dbpage)').raw().all(),
      [[0, 'pgno', 'INTEGER', 0, null, 1, 0], [1, 'data', 'BLOB', 0, null, 0, 0], [2, 'schema', '', 0, null, 0, 1]]);
    db.exec("CREATE VIRTUAL TABLE temp.dp USING sqlite_dbpage");
    assert.deepEqual(db.prepare("SELECT pgno FROM dp WHERE schema = 'aux'").pluck().all(), [1, 2, 3, 4]);
    assert.throws(() => db.exec('UPDATE sqlite_dbpage SET data = data WHERE pgno = 2'));
  });
});
