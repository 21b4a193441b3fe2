// The dbstat virtual table against better-sqlite3's SQLite (built with
// SQLITE_ENABLE_DBSTAT_VTAB).  Databases of several shapes are written by
// one engine and closed; then Lode and better-sqlite3 each open the same
// file and must list the same rows, in the same order: every page (path,
// page type, cells, payload, unused and largest payload bytes, offset, size)
// and the aggregate rows, for main and an attached database, with the
// schema and aggregate constraints given as arguments or in WHERE.
// Shapes: rowid tables with indexes, WITHOUT ROWID tables with long keys
// (interior cells that overflow), payloads from a few bytes to several
// overflow pages, page sizes 512 to 65536, auto-vacuum (pointer-map pages),
// a freelist, a WAL database, and files Lode wrote.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from '../../js/compat.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// A small deterministic generator, so that both engines' files hold the same rows.
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Text of n characters (sizes chosen so that some cells fit, some spill).
const text = (rnd, n) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
const SIZES = [0, 3, 40, 200, 480, 900, 1500, 4000, 9000, 70000];

// Fills db (either engine: both take exec and prepare().run()) with one shape.
function fill(db, shape, seed) {
  const rnd = prng(seed);
  const size = () => SIZES[Math.floor(rnd() * SIZES.length)];
  if (shape.pageSize) db.exec(`PRAGMA page_size = ${shape.pageSize}`);
  if (shape.autoVacuum) db.exec(`PRAGMA auto_vacuum = ${shape.autoVacuum}`);
  if (shape.wal) db.exec('PRAGMA journal_mode = wal');
  db.exec(`CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB);
           CREATE INDEX t_b ON t(b);
           CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
           CREATE TABLE u(x UNIQUE, y);
           CREATE VIEW vw AS SELECT * FROM t;
           CREATE TABLE e(z);`);
  db.exec('BEGIN');
  const it = db.prepare('INSERT INTO t(b, c) VALUES (?, ?)');
  const iw = db.prepare('INSERT OR IGNORE INTO w VALUES (?, ?)');
  const iu = db.prepare('INSERT INTO u VALUES (?, ?)');
  for (let i = 0; i < shape.rows; i++) {
    it.run(text(rnd, size() % 2000), Buffer.alloc(size(), i & 0xff));
    iw.run(`${i}:${text(rnd, size() % 3000)}`, i);
    iu.run(i * 7, text(rnd, size()));
  }
  db.exec('COMMIT');
  if (shape.deletes) db.exec('DELETE FROM t WHERE a % 3 = 0; DELETE FROM u WHERE rowid % 2 = 0');
  if (shape.drop) db.exec('DROP TABLE u');
}

const SHAPES = [
  { name: 'page size 1024, rowid tables, indexes, overflow', pageSize: 1024, rows: 150 },
  { name: 'page size 512, deep trees', pageSize: 512, rows: 250 },
  { name: 'page size 4096 with a freelist', pageSize: 4096, rows: 200, deletes: true, drop: true },
  { name: 'page size 65536', pageSize: 65536, rows: 60 },
  { name: 'auto_vacuum full (pointer maps)', pageSize: 1024, rows: 120, autoVacuum: 'full', deletes: true },
  { name: 'auto_vacuum incremental with free pages', pageSize: 2048, rows: 120, autoVacuum: 'incremental', deletes: true, drop: true },
  { name: 'WAL database', pageSize: 4096, rows: 100, wal: true, deletes: true },
];

const QUERIES = [
  'SELECT rowid, * FROM dbstat',
  "SELECT rowid, * FROM dbstat('main', 1)",
  "SELECT * FROM dbstat WHERE schema = 'main' AND aggregate = 1",
  "SELECT name, path, pageno, schema, aggregate FROM dbstat('main', 0)",
  'SELECT name, sum(pgsize), count(*) FROM dbstat GROUP BY name ORDER BY name',
  "SELECT * FROM dbstat WHERE name = 't_b' AND pagetype = 'overflow'",
  "SELECT * FROM dbstat('aux1')",
  "SELECT rowid, * FROM dbstat WHERE schema = 'aux1' AND aggregate = 1",
  "SELECT * FROM dbstat('AUX1', 1)",
  "SELECT count(*) FROM dbstat('nosuch')",
  "SELECT count(*) FROM dbstat('main', 2)",
  "SELECT count(*) FROM dbstat('main', 'x')",
  "SELECT count(*) FROM dbstat('main', '1')",
  'SELECT count(*) FROM dbstat(NULL)',
  "SELECT count(*) FROM dbstat WHERE aggregate = 1.0",
];

function rows(db, sql) {
  return db.prepare(sql).raw().all();
}

// Opens file (and aux as aux1) with both engines and compares every query.
function compare(file, aux, what) {
  const oracle = new BetterSqlite3(file);
  const lode = new Database(file);
  try {
    for (const db of [oracle, lode]) db.exec(`ATTACH '${aux}' AS aux1`);
    for (const q of QUERIES) {
      const want = rows(oracle, q), got = rows(lode, q);
      if (q.startsWith('SELECT rowid, * FROM dbstat') && !q.includes('aux1')) assert.ok(want.length > 0, `${what}: ${q}`);
      assert.deepEqual(got, want, `${what}: ${q}`);
    }
  } finally {
    oracle.close();
    lode.close();
  }
}

describe('interop: the dbstat virtual table, lode vs better-sqlite3', function () {
  let dir;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'lode-dbstat-'));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  SHAPES.forEach((shape, i) => {
    it(`files better-sqlite3 wrote: ${shape.name}`, function () {
      const file = join(dir, `bs3-${i}.db`), aux = join(dir, `bs3-${i}-aux.db`);
      for (const [f, seed] of [[file, i + 1], [aux, i + 100]]) {
        const db = new BetterSqlite3(f);
        fill(db, { ...shape, rows: f === aux ? 30 : shape.rows }, seed);
        db.close();
      }
      compare(file, aux, `bs3 ${shape.name}`);
    });

    it(`files Lode wrote: ${shape.name}`, function () {
      const file = join(dir, `lode-${i}.db`), aux = join(dir, `lode-${i}-aux.db`);
      for (const [f, seed] of [[file, i + 1], [aux, i + 100]]) {
        const db = new Database(f);
        fill(db, { ...shape, rows: f === aux ? 30 : shape.rows }, seed);
        db.close();
      }
      compare(file, aux, `lode ${shape.name}`);
    });
  });

  it('a named table: CREATE VIRTUAL TABLE temp.stat USING dbstat(...) reads the database named', function () {
    const file = join(dir, 'named.db'), aux = join(dir, 'named-aux.db');
    for (const [f, seed] of [[file, 7], [aux, 8]]) {
      const db = new BetterSqlite3(f);
      fill(db, { pageSize: 1024, rows: 40 }, seed);
      db.close();
    }
    const oracle = new BetterSqlite3(file);
    const lode = new Database(file);
    try {
      for (const db of [oracle, lode]) {
        db.exec(`ATTACH '${aux}' AS aux1;
                 CREATE VIRTUAL TABLE temp.s_main USING dbstat;
                 CREATE VIRTUAL TABLE temp.s_aux USING dbstat(aux1);
                 CREATE VIRTUAL TABLE temp.s_quoted USING dbstat('main');`);
      }
      for (const q of ['SELECT * FROM temp.s_main', 'SELECT * FROM s_aux', 'SELECT * FROM s_quoted WHERE aggregate = 1',
        "SELECT * FROM s_aux WHERE schema = 'main' AND aggregate = 1", 'SELECT count(*), min(schema) FROM s_aux']) {
        assert.deepEqual(rows(lode, q), rows(oracle, q), q);
      }
      for (const db of [oracle, lode]) {
        assert.throws(() => db.exec('CREATE VIRTUAL TABLE temp.bad USING dbstat(nosuch)'), /no such database: nosuch/);
        assert.throws(() => db.exec("INSERT INTO dbstat(name) VALUES ('x')"), /table dbstat may not be modified/);
      }
    } finally {
      oracle.close();
      lode.close();
    }
  });

  it('another page size in an attached database: pgsize and pgoffset count in the table\'s own database\'s', function () {
    // SQLite sizes a page of the database scanned by the page size of the
    // database the dbstat table belongs to (main for the eponymous one).
    const file = join(dir, 'sizes.db'), aux = join(dir, 'sizes-aux.db');
    for (const [f, seed, pageSize] of [[file, 11, 1024], [aux, 12, 8192]]) {
      const db = new BetterSqlite3(f);
      fill(db, { pageSize, rows: 40 }, seed);
      db.close();
    }
    const oracle = new BetterSqlite3(file);
    const lode = new Database(file);
    try {
      for (const db of [oracle, lode]) {
        db.exec(`ATTACH '${aux}' AS aux1; CREATE VIRTUAL TABLE temp.s_aux USING dbstat(aux1);`);
      }
      for (const q of ["SELECT * FROM dbstat('aux1')", "SELECT * FROM dbstat WHERE schema = 'aux1' AND aggregate = 1",
        'SELECT * FROM s_aux', "SELECT * FROM s_aux WHERE schema = 'main'",
        "SELECT * FROM s_aux WHERE schema = 'main' AND aggregate = 1"]) {
        assert.deepEqual(rows(lode, q), rows(oracle, q), q);
      }
    } finally {
      oracle.close();
      lode.close();
    }
  });

  it('an encrypted database lists every page as the engine decrypts it', function () {
    const file = join(dir, 'enc.db');
    const db = new Database(file);
    db.exec("PRAGMA cipher = 'aes256gcm'; PRAGMA hexkey = '" + '3a'.repeat(32) + "';");
    fill(db, { pageSize: 4096, rows: 80, deletes: true }, 3);
    const pages = db.prepare('PRAGMA page_count').pluck().get();
    const free = db.prepare('PRAGMA freelist_count').pluck().get();
    const listed = rows(db, 'SELECT pageno, pagetype, name FROM dbstat');
    assert.equal(listed.length, pages - free);
    assert.deepEqual(listed[0], [1, 'leaf', 'sqlite_schema']);
    assert.deepEqual(new Set(listed.map((r) => r[0])).size, listed.length);
    const agg = rows(db, "SELECT name, pageno FROM dbstat('main', 1) WHERE name = 't'");
    assert.equal(agg[0][1], listed.filter((r) => r[2] === 't').length);
    db.close();
  });
});
