// On-disk interoperability with SQLite (Debian's sqlite3 CLI) for generated
// columns, ALTER TABLE DROP COLUMN and VACUUM, both directions: a file one
// engine wrote must pass the other's PRAGMA integrity_check, and both must
// read the same rows from it (every column, generated ones included, and
// through the indexes on generated columns).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, SQLITE3, normalize, prng, requireLode, requireSqlite3, runMerged } from '../diff/lib.mjs';

const GEN_SCHEMA = [
  'CREATE TABLE g(id INTEGER PRIMARY KEY, a INT, b TEXT, v AS (a * 2 + length(b)) VIRTUAL, ' +
    's TEXT AS (upper(b) || a) STORED, w REAL AS (a / 4.0), c, z AS (v + 1) STORED);',
  'CREATE INDEX g_v ON g(v);',
  'CREATE INDEX g_s ON g(s, w);',
  'CREATE UNIQUE INDEX g_z ON g(z, id);',
  'CREATE TABLE k(name TEXT PRIMARY KEY, n INT, lo AS (lower(name)) VIRTUAL, d AS (n * n) STORED, e) WITHOUT ROWID;',
  'CREATE INDEX k_lo ON k(lo);',
];

// What both engines read back: every row, and the rows found through the indexes.
const READ_BACK = [
  'PRAGMA integrity_check;',
  'SELECT id, a, b, v, s, w, c, z FROM g ORDER BY id;',
  'SELECT id FROM g WHERE v > 20 ORDER BY v, id;',
  "SELECT id, s FROM g WHERE s >= 'B' ORDER BY s, w, id;",
  'SELECT name, n, lo, d, e FROM k ORDER BY name;',
  "SELECT name FROM k WHERE lo = 'n3';",
].join('\n');

function writes(rnd, n) {
  const int = (m) => Math.floor(rnd() * m);
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.5) out.push(`INSERT INTO g(a, b, c) VALUES (${int(50)}, '${'xyz'.slice(0, int(4))}${int(9)}', ${int(5)});`);
    else if (r < 0.65) out.push(`UPDATE g SET a = a + ${int(7)} WHERE id % 5 = ${int(5)};`);
    else if (r < 0.75) out.push(`DELETE FROM g WHERE id % 7 = ${int(7)};`);
    else if (r < 0.9) out.push(`INSERT OR REPLACE INTO k(name, n, e) VALUES ('N${int(30)}', ${int(100)}, ${int(3)});`);
    else out.push(`UPDATE k SET n = n - 1 WHERE n > ${int(100)};`);
  }
  return out.join('\n');
}

/** The cells (hex, in key order) of a table b-tree that is a single leaf page. */
function leafCells(buf, root) {
  const pageSize = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
  const page = buf.subarray((root - 1) * pageSize, root * pageSize);
  assert.equal(page[0], 0x0d, 'a table leaf page');
  const n = page.readUInt16BE(3);
  const varint = (at) => {
    let v = 0;
    for (let i = 0; i < 9; i++) {
      const b = page[at + i];
      if (i === 8) return [v * 256 + b, at + 9];
      v = v * 128 + (b & 0x7f);
      if (!(b & 0x80)) return [v, at + i + 1];
    }
    return [v, at + 9];
  };
  const out = [];
  for (let i = 0; i < n; i++) {
    const at = page.readUInt16BE(8 + 2 * i);
    const [size, p1] = varint(at);
    const [, p2] = varint(p1);
    out.push(page.subarray(at, p2 + size).toString('hex'));
  }
  return out;
}

function shell(tool, file, sql) {
  const r = tool === 'lode' ? runMerged(LODE, ['-m', 'list', file], sql) : runMerged(SQLITE3, ['-batch', '-list', file], sql);
  return normalize(r.output);
}

function sameReadBack(file, what) {
  const a = shell('sqlite3', file, READ_BACK);
  const b = shell('lode', file, READ_BACK);
  assert.ok(a.startsWith('ok\n'), `${what}: sqlite3 integrity_check:\n${a.slice(0, 400)}`);
  assert.equal(b, a, `${what}: lode reads other rows than sqlite3`);
}

describe('interop with sqlite3: generated columns, DROP COLUMN, VACUUM', function () {
  this.timeout(120000);
  let dir;
  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-gen-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const [first, second] of [['lode', 'sqlite3'], ['sqlite3', 'lode']]) {
    it(`generated columns: ${first} writes, ${second} reads and writes, ${first} reads`, function () {
      const file = join(dir, `gen-${first}.db`);
      const rnd = prng(first === 'lode' ? 11 : 12);
      const out = shell(first, file, GEN_SCHEMA.join('\n') + '\n' + writes(rnd, 300));
      assert.equal(out, '', `${first} setup`);
      sameReadBack(file, `${first}'s file`);
      assert.equal(shell(second, file, writes(rnd, 300)), '', `${second} writes`);
      sameReadBack(file, `${second}'s writes to ${first}'s file`);
    });
  }

  // (Integral values in REAL columns are left out: sqlite3 stores them as
  // integers, Lode as 8-byte reals, which either engine reads the same.)
  it('the record layout of a table with VIRTUAL and STORED columns is the same byte for byte', function () {
    const sql = [
      'CREATE TABLE r(id INTEGER PRIMARY KEY, a INT, v AS (a + 1), b TEXT, s AS (b || a) STORED, w AS (a * 2) VIRTUAL, c, ' +
        'd REAL AS (a + 0.5) STORED, e REAL, f AS (d) STORED, g INT AS (a / 2.0) STORED);',
      ...Array.from({ length: 20 }, (_, i) => `INSERT INTO r(a, b, c, e) VALUES (${i * 3}, 'b${i}', ${i % 3 ? 'NULL' : i / 2}, ${i + 0.25});`),
      'UPDATE r SET a = a + 100 WHERE id % 4 = 0;',
    ].join('\n');
    const cells = {};
    for (const tool of ['lode', 'sqlite3']) {
      const file = join(dir, `bytes-${tool}.db`);
      assert.equal(shell(tool, file, sql), '');
      const root = Number(shell('sqlite3', file, "SELECT rootpage FROM sqlite_schema WHERE name = 'r';"));
      cells[tool] = leafCells(readFileSync(file), root);
    }
    assert.equal(cells.lode.length, 20);
    assert.deepEqual(cells.lode, cells.sqlite3);
  });

  it('DROP COLUMN: the rewritten file passes sqlite3, which reads the same rows', function () {
    const file = join(dir, 'drop.db');
    const setup = [
      'CREATE TABLE t(a INTEGER PRIMARY KEY, b, c TEXT, d REAL, e);',
      'CREATE INDEX t_c ON t(c);',
      'CREATE TABLE w(k PRIMARY KEY, x, y, z) WITHOUT ROWID;',
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) " +
        "INSERT INTO t SELECT i, randomblob(i % 300), 'c' || i, i / 3.0, i FROM n;",
      "INSERT INTO w SELECT c, a, b, d FROM t WHERE a % 3 = 0;",
      'ALTER TABLE t DROP COLUMN b;',
      'ALTER TABLE t DROP COLUMN e;',
      'ALTER TABLE w DROP COLUMN y;',
    ].join('\n');
    assert.equal(shell('lode', file, setup), '');
    const read = "PRAGMA integrity_check; SELECT sql FROM sqlite_schema; SELECT count(*), sum(a), sum(d), max(c) FROM t; SELECT * FROM t WHERE c = 'c77'; SELECT count(*), sum(x), sum(z) FROM w;";
    const a = shell('sqlite3', file, read);
    assert.ok(a.startsWith('ok\n'), a.slice(0, 300));
    assert.equal(shell('lode', file, read), a);
    assert.match(a, /CREATE TABLE t\(a INTEGER PRIMARY KEY, c TEXT, d REAL\)/);
    // sqlite3 drops a column of Lode's file, Lode reads it.
    assert.equal(shell('sqlite3', file, 'ALTER TABLE t DROP COLUMN d;'), '');
    const read2 = read.replace('sum(d), ', '');
    const b = shell('sqlite3', file, read2);
    assert.ok(b.startsWith('ok\n'), b.slice(0, 300));
    assert.equal(shell('lode', file, read2), b);
  });

  it('VACUUM shrinks a file after deletes; sqlite3 reads the result, and Lode vacuums sqlite3 files', function () {
    for (const writer of ['lode', 'sqlite3']) {
      const file = join(dir, `vac-${writer}.db`);
      const setup = [
        'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB);',
        'CREATE INDEX t_b ON t(b);',
        'CREATE TABLE u(k TEXT PRIMARY KEY, v) WITHOUT ROWID;',
        'CREATE VIEW tv AS SELECT a, b FROM t WHERE a < 10;',
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) " +
          "INSERT INTO t SELECT i, 'b' || (i % 97), randomblob(300) FROM n;",
        "INSERT INTO u SELECT b || a, a FROM t WHERE a % 5 = 0;",
        'PRAGMA user_version = 9;',
        'DELETE FROM t WHERE a % 10 != 0;',
      ].join('\n');
      assert.equal(shell(writer, file, setup), '');
      const before = statSync(file).size;
      const read = 'PRAGMA integrity_check; PRAGMA freelist_count; PRAGMA user_version; ' +
        "SELECT count(*), sum(a), sum(length(c)) FROM t; SELECT * FROM t WHERE b = 'b10' ORDER BY a LIMIT 3; " +
        'SELECT count(*), sum(v) FROM u; SELECT * FROM tv;';
      const expectedRows = shell('sqlite3', file, read).split('\n').slice(2).join('\n');
      const v = shell('lode', file, 'PRAGMA schema_version; VACUUM; PRAGMA schema_version;').split('\n');
      assert.equal(Number(v[1]), Number(v[0]) + 1, 'VACUUM bumps the schema version');
      const after = statSync(file).size;
      assert.ok(after < before / 2, `${writer}'s file: ${before} bytes before VACUUM, ${after} after`);
      const a = shell('sqlite3', file, read);
      assert.ok(a.startsWith('ok\n0\n9\n'), a.slice(0, 300));
      assert.equal(a.split('\n').slice(2).join('\n'), expectedRows);
      assert.equal(shell('lode', file, read), a);
      // VACUUM INTO a new file; an existing one is refused.
      const copy = join(dir, `vac-${writer}-copy.db`);
      assert.equal(shell('lode', file, `VACUUM INTO '${copy}';`), '');
      assert.equal(shell('sqlite3', copy, read), a);
      assert.equal(shell('lode', file, `VACUUM INTO '${copy}';`), 'ERROR: output file already exists\n');
      const junk = join(dir, 'junk.txt');
      writeFileSync(junk, 'not empty');
      assert.equal(shell('lode', file, `VACUUM INTO '${junk}';`), 'ERROR: output file already exists\n');
      const nowhere = join(dir, 'no-such-dir', 'x.db');
      assert.equal(shell('lode', file, `VACUUM INTO '${nowhere}';`), `ERROR: unable to open database: ${nowhere}\n`);
      const empty = join(dir, `empty-${writer}.db`);
      writeFileSync(empty, '');
      assert.equal(shell('lode', file, `VACUUM INTO '${empty}';`), '');
      assert.equal(shell('sqlite3', empty, read), a);
    }
  });

  it('VACUUM keeps the page size of a file sqlite3 made with 1024-byte pages (WAL: PRAGMA page_size cannot change it)', function () {
    const file = join(dir, 'small-pages.db');
    const copy = join(dir, 'small-pages-copy.db');
    assert.equal(shell('sqlite3', file, 'PRAGMA page_size = 1024; CREATE TABLE t(a, b); ' +
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, randomblob(50) FROM n; ' +
      'CREATE INDEX tb ON t(b); DELETE FROM t WHERE a % 2 = 0;'), '');
    const before = statSync(file).size;
    assert.equal(shell('lode', file, `PRAGMA page_size = 8192; VACUUM; PRAGMA page_size; VACUUM INTO '${copy}';`), '1024\n');
    assert.ok(statSync(file).size < before);
    const read = 'PRAGMA integrity_check; PRAGMA page_size; PRAGMA freelist_count; SELECT count(*), sum(a), sum(length(b)) FROM t;';
    const a = shell('sqlite3', file, read);
    assert.equal(a, 'ok\n1024\n0\n1500|2250000|75000\n');
    assert.equal(shell('sqlite3', copy, read), a);
  });

  it('.dump of tables with generated columns leaves them out of the INSERTs, as sqlite3 does, and reloads', function () {
    const file = join(dir, 'dump.db');
    assert.equal(shell('lode', file, GEN_SCHEMA.join('\n') + '\n' + writes(prng(3), 100)), '');
    const dump = runMerged(LODE, [file, '.dump']).output;
    assert.equal(dump, runMerged(SQLITE3, [file, '.dump']).output);
    const reloaded = join(dir, 'dump-reloaded.db');
    assert.equal(shell('sqlite3', reloaded, dump), '');
    assert.equal(shell('sqlite3', reloaded, READ_BACK), shell('lode', file, READ_BACK));
  });
});
