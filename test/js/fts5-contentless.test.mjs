// contentless_delete=1 and contentless_unindexed=1 FTS5 tables against
// better-sqlite3's SQLite 3.5x: random inserts, deletes, updates of every
// column, REPLACE, savepoints and transactions give the same %_data
// (tombstone hash pages, the structure record with origins), %_idx,
// %_docsize (with origins) and %_content bytes and the same query results;
// each engine then reads and changes the other's file.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstDifference, prng, requireLode, shellOutput } from '../diff/lib.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'common'];

function doc(r, k) {
  const a = [];
  for (let i = 1 + Math.floor(r() * k); i > 0; i--) a.push(WORDS[Math.floor(Math.pow(r(), 1.5) * WORDS.length)] + (r() < 0.3 ? Math.floor(r() * 40) : ''));
  return a.join(' ');
}

// A random script over t(a, b, c UNINDEXED) with the given options.
function script(seed, ops, options, maxid) {
  const r = prng(seed);
  const out = [`CREATE VIRTUAL TABLE t USING fts5(a, b, c UNINDEXED, content='', ${options});`, 'BEGIN;'];
  const id = () => 1 + Math.floor(r() * maxid);
  for (let i = 0; i < ops; i++) {
    const k = r();
    if (k < 0.45) out.push(`INSERT INTO t(rowid, a, b, c) VALUES(${id()}, '${doc(r, 8)}', '${doc(r, 12)}', 'u${i}');`);
    else if (k < 0.7) out.push(`DELETE FROM t WHERE rowid = ${id()};`);
    else if (k < 0.78) out.push(`DELETE FROM t WHERE rowid BETWEEN ${id()} AND ${id()};`);
    else if (k < 0.84) out.push(`UPDATE t SET a = '${doc(r, 5)}', b = '${doc(r, 5)}', c = 'v${i}' WHERE rowid = ${id()};`);
    else if (k < 0.88) out.push(`REPLACE INTO t(rowid, a, b, c) VALUES(${id()}, '${doc(r, 6)}', '', 'r${i}');`);
    else if (k < 0.93) out.push('COMMIT; BEGIN;');
    else if (k < 0.95) out.push(`SAVEPOINT s; DELETE FROM t WHERE rowid < ${id()}; INSERT INTO t(rowid, a) VALUES(${id()}, 'rolled'); ROLLBACK TO s; RELEASE s;`);
    else if (k < 0.96) out.push(`SAVEPOINT s; DELETE FROM t WHERE rowid = ${id()}; RELEASE s;`);
    else if (k < 0.97) out.push("COMMIT; INSERT INTO t(t) VALUES('optimize'); BEGIN;");
    else if (k < 0.98) out.push("COMMIT; INSERT INTO t(t, rank) VALUES('merge', 40); BEGIN;");
    else out.push(`INSERT INTO t(rowid, a, b) VALUES(${id()}, '${doc(r, 4)}', NULL);`);
  }
  out.push('COMMIT;');
  return out.join('\n') + '\n';
}

const QUERIES = ['alpha', 'common', 'beta OR gamma', '"alpha beta"', 'al*', 'NEAR(common alpha, 3)', 'a:delta', 'b:iota NOT eta',
  'common AND theta*', 'kappa1*'];
function queries(withContent) {
  return QUERIES.map((q) => `SELECT rowid${withContent ? ', a, c' : ''} FROM t('${q}') ORDER BY rowid;`).join('\n') +
    "\nSELECT rowid FROM t WHERE t MATCH 'common' ORDER BY rank, rowid LIMIT 7;\nSELECT count(*) FROM t;\n";
}

const DUMP = ['SELECT id, hex(block) FROM t_data ORDER BY id', 'SELECT segid, hex(term), pgno FROM t_idx ORDER BY 1, 2',
  'SELECT id, hex(sz), origin FROM t_docsize ORDER BY id'];
function dump(file, content) {
  const db = new Database(file, { readonly: true });
  const lines = [];
  const docsize = /contentless_delete/.test(db.prepare("SELECT sql FROM sqlite_master WHERE name = 't'").pluck().get());
  for (const q of DUMP.map((x) => (docsize ? x : x.replace(', origin', ''))).concat(content ? ['SELECT * FROM t_content ORDER BY id'] : [])) {
    for (const row of db.prepare(q).safeIntegers().raw().all()) lines.push(row.join('|'));
    lines.push('--');
  }
  db.close();
  return lines.join('\n');
}

// What better-sqlite3 prints for a script of queries, in the shell's list format.
function sqliteRun(db, sql) {
  const lines = [];
  /* no statement here has a ';' inside a string */
  for (const q of sql.split(';').map((l) => l.trim()).filter(Boolean)) {
    try {
      const st = db.prepare(q);
      if (st.reader) lines.push(...st.raw().all().map((row) => row.map((v) => (v === null ? '' : v)).join('|')));
      else st.run();
    } catch (e) {
      lines.push(`ERROR: ${e.message}`);
    }
  }
  return lines.join('\n');
}
// One statement a line: after an error the shell skips the rest of its line.
const lodeRun = (file, sql) => shellOutput('lode', file, sql.replace(/; /g, ';\n')).replace(/\n$/, '');

describe('FTS5 contentless_delete and contentless_unindexed tables against better-sqlite3', function () {
  this.timeout(300000);
  let dir;
  before(function () {
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-fts5cd-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const cases = [
    [1, 'contentless_delete=1', 300, 60],
    [2, 'contentless_delete=1, contentless_unindexed=1', 300, 60],
    [3, 'contentless_delete=1, detail=column', 400, 200],
    [4, "contentless_delete=1, detail=none, prefix='1,2'", 400, 200],
    [5, 'contentless_unindexed=1', 200, 1e9],
    [6, 'contentless_delete=1', 3000, 5000],
  ];
  for (const [seed, options, ops, maxid] of cases) {
    it(`fts5(${options}): ${ops} random changes write what SQLite writes`, function () {
      let sql = script(seed, ops, options, maxid);
      if (!/contentless_delete/.test(options)) sql = sql.replace(/^(DELETE|UPDATE|REPLACE).*$/gm, '');
      const content = /unindexed/.test(options);
      const mine = join(dir, `l${seed}.db`), theirs = join(dir, `s${seed}.db`);
      const ref = new Database(theirs);
      const expectedLog = sqliteRun(ref, sql);
      const expectedQ = sqliteRun(ref, queries(content));
      ref.close();
      const gotLog = lodeRun(mine, sql);
      assert.equal(gotLog, expectedLog);
      const expected = dump(theirs, content), got = dump(mine, content);
      assert.ok(expected.length > 100);
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
      assert.equal(lodeRun(mine, queries(content)), expectedQ);
      /* each engine reads and changes the other's file */
      const more = script(seed + 100, 200, options, maxid).replace(/^CREATE.*$/m, '');
      const a = new Database(mine);
      sqliteRun(a, more);
      a.close();
      lodeRun(theirs, more);
      assert.equal(dump(theirs, content), dump(mine, content));
      assert.equal(lodeRun(theirs, queries(content)), lodeRun(mine, queries(content)));
    });
  }

  it('tombstone hashes grow over pages; deletemerge rewrites a level; large rowids take 8-byte keys', function () {
    const out = ["CREATE VIRTUAL TABLE t USING fts5(a, content='', contentless_delete=1);", 'BEGIN;'];
    for (let i = 1; i <= 4000; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${i * 3}, 'w${i % 50} common');`);
    out.push(`INSERT INTO t(rowid, a) VALUES(0, 'zero'); INSERT INTO t(rowid, a) VALUES(9000000000, 'big');`, 'COMMIT;');
    for (let i = 1; i <= 700; i++) out.push(`DELETE FROM t WHERE rowid = ${(i * 7) % 4000 * 3};`);
    out.push('DELETE FROM t WHERE rowid = 0;', 'DELETE FROM t WHERE rowid = 9000000000;');
    out.push("INSERT INTO t(t, rank) VALUES('deletemerge', 50);", "INSERT INTO t(t, rank) VALUES('pgsz', 500);");
    out.push('BEGIN;');
    for (let i = 1; i <= 400; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${20000 + i}, 'late${i % 9}');`);
    for (let i = 1; i <= 300; i++) out.push(`DELETE FROM t WHERE rowid = ${20000 + ((i * 13) % 400)};`);
    out.push('COMMIT;');
    const sql = out.join('\n') + '\n';
    const mine = join(dir, 'grow-l.db'), theirs = join(dir, 'grow-s.db');
    const ref = new Database(theirs);
    ref.exec(sql);
    const q = "SELECT count(*) FROM t('common'); SELECT rowid FROM t('w7') ORDER BY rowid LIMIT 9; SELECT count(*) FROM t('late*');";
    const expectedQ = sqliteRun(ref, q.replace(/; /g, ';\n'));
    ref.close();
    lodeRun(mine, sql);
    const expected = dump(theirs, false), got = dump(mine, false);
    assert.ok((expected.match(/^900[0-9]{13}\|/gm) || []).length > 3, 'tombstone pages');
    assert.equal(got, expected, firstDifference(expected, got) ?? '');
    assert.equal(lodeRun(mine, q.replace(/; /g, ';\n')), expectedQ);
  });

  it('damaged tombstone pages and structure records fail with SQLITE_CORRUPT_VTAB, never a crash', function () {
    let sql = "CREATE VIRTUAL TABLE t USING fts5(a, content='', contentless_delete=1);\nBEGIN;\n";
    for (let i = 1; i <= 400; i++) sql += `INSERT INTO t(rowid, a) VALUES(${i}, 'w${i % 13} common');\n`;
    sql += 'COMMIT;\n';
    for (let i = 1; i <= 60; i++) sql += `DELETE FROM t WHERE rowid = ${i * 5};\n`;
    const look = "SELECT count(*) FROM t('common'); DELETE FROM t WHERE rowid = 7; INSERT INTO t(t) VALUES('optimize');\n";
    const bad = ["X'04'", "X'0800000000000001'", "X'05000000000000010000000000000002'", "zeroblob(3)",
      "substr(block, 1, 9)", "X'04000000FFFFFFFF00000001'"];
    for (const b of bad) sql += `SAVEPOINT c; UPDATE t_data SET block = ${b} WHERE id = 9007336693694464;\n${look}ROLLBACK TO c; RELEASE c;\n`;
    for (const b of ["X'00000000FF00000101010101010101010FFFFFFF0F01'", "X'00000000FF000001'", "X'00000000FF0000010101010001010101FFFFFFFFFF0001'"])
      sql += `SAVEPOINT c; UPDATE t_data SET block = ${b} WHERE id = 10;\n${look}ROLLBACK TO c; RELEASE c;\n`;
    const out = lodeRun(':memory:', sql);
    const errors = out.split('\n').filter((l) => /error/i.test(l));
    assert.ok(errors.length >= 6, out);
    for (const e of errors) assert.match(e, /database disk image is malformed/);
  });

  it('options and errors as SQLite gives them', function () {
    const sql = [
      "CREATE VIRTUAL TABLE e1 USING fts5(a, contentless_delete=1);",
      "CREATE VIRTUAL TABLE e2 USING fts5(a, content='', contentless_delete=1, columnsize=0);",
      "CREATE VIRTUAL TABLE e3 USING fts5(a, content='', contentless_delete=2);",
      "CREATE VIRTUAL TABLE e4 USING fts5(a, b UNINDEXED, contentless_unindexed=1);",
      "CREATE VIRTUAL TABLE e5 USING fts5(a, content='', contentless_unindexed=x);",
      "CREATE VIRTUAL TABLE t USING fts5(a, b UNINDEXED, content='', contentless_delete=1, contentless_unindexed=1);",
      "CREATE VIRTUAL TABLE w USING fts5(a, content='', contentless_unindexed=1);",
      "SELECT name, sql FROM sqlite_master WHERE name LIKE 't%' OR name LIKE 'w%' ORDER BY name;",
      "INSERT INTO t(rowid, a, b) VALUES(1, 'x y', 'kept'), (2, 'y', 'two');",
      "INSERT INTO t(t, rowid, a, b) VALUES('delete', 1, 'x y', 'kept');",
      "INSERT INTO t(rowid, a, b) VALUES(1, 'again', 'dup');",
      "SELECT rowid, a, b FROM t ORDER BY rowid;",
      "SELECT rowid, a, b FROM t('y') ORDER BY rowid;",
      "INSERT INTO t(t, rank) VALUES('deletemerge', 'x');",
      "INSERT INTO t(t, rank) VALUES('deletemerge', -3);",
      "SELECT * FROM t_config ORDER BY k;",
      "INSERT INTO t(t) VALUES('delete-all');",
      "SELECT hex(block) FROM t_data WHERE id = 10;",
      "SELECT count(*) FROM t_content;",
    ].join('\n');
    const db = new Database(':memory:');
    const expected = sqliteRun(db, sql);
    db.close();
    assert.match(expected, /incompatible with columnsize=0/);
    assert.equal(lodeRun(':memory:', sql), expected);
  });

  it('an UPDATE that leaves indexed columns unchanged is refused on a contentless_delete table, as SQLite', function () {
    const sql = [
      "CREATE VIRTUAL TABLE t USING fts5(a, b, content='', contentless_delete=1);",
      "CREATE VIRTUAL TABLE u USING fts5(a, b UNINDEXED, content='', contentless_delete=1, contentless_unindexed=1);",
      "CREATE VIRTUAL TABLE n USING fts5(a, b);",
      "INSERT INTO t(rowid, a, b) VALUES(1, 'x y', 'z'), (2, 'y', 'w');",
      "INSERT INTO u(rowid, a, b) VALUES(1, 'x y', 'z');",
      "INSERT INTO n(rowid, a, b) VALUES(1, 'x y', 'z');",
      "UPDATE t SET a = 'q' WHERE rowid = 1;",
      "UPDATE t SET b = 'q';",
      "UPDATE t SET a = 'q', b = 'r' WHERE rowid = 1;",
      "UPDATE t SET rowid = 5, a = 'p', b = 's' WHERE rowid = 2;",
      "SELECT rowid FROM t('q') ORDER BY rowid;",
      "SELECT rowid FROM t('p OR y') ORDER BY rowid;",
      "UPDATE u SET b = 'kept2' WHERE rowid = 1;",
      "UPDATE u SET a = 'v' WHERE rowid = 1;",
      "SELECT rowid, a, b FROM u ORDER BY rowid;",
      "UPDATE n SET a = 'q' WHERE rowid = 1;",
      "SELECT rowid, a, b FROM n('q');",
      "SELECT id, hex(block) FROM t_data ORDER BY id;",
    ].join('\n');
    const db = new Database(':memory:');
    const expected = sqliteRun(db, sql);
    db.close();
    assert.match(expected, /cannot UPDATE a subset of columns/);
    assert.equal(lodeRun(':memory:', sql), expected);
  });
});
