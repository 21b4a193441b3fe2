// FTS5 'secure-delete' against better-sqlite3's SQLite 3.53: with the option
// on, a deleted row's entries are cut out of the segment leaves in place
// (the following rowid takes over the delta, a term left without rows goes
// with its %_idx row, poslists spanning leaves are cut from each), %_config
// gets the option and version 5; random workloads over every detail mode,
// prefix indexes, small pages (poslists and doclists over many leaves,
// doclist indexes) give the same %_data, %_idx, %_config bytes and the same
// query results, and each engine then changes the other's file.
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

// A random script over t(a, b) with the given options; secure-delete is set
// after `plain` operations (0: at once).
function script(seed, ops, options, maxid, { pgsz = 0, plain = 0, long = 0 } = {}) {
  const r = prng(seed);
  const out = [`CREATE VIRTUAL TABLE t USING fts5(a, b, ${options});`];
  if (pgsz) out.push(`INSERT INTO t(t, rank) VALUES('pgsz', ${pgsz});`);
  if (!plain) out.push("INSERT INTO t(t, rank) VALUES('secure-delete', 1);");
  out.push('BEGIN;');
  const id = () => 1 + Math.floor(r() * maxid);
  for (let i = 0; i < ops; i++) {
    if (plain && i === plain) out.push("COMMIT; INSERT INTO t(t, rank) VALUES('secure-delete', 1); BEGIN;");
    const k = r();
    if (k < 0.45) out.push(`INSERT OR REPLACE INTO t(rowid, a, b) VALUES(${id()}, '${doc(r, long && r() < 0.2 ? long : 8)}', '${doc(r, 12)}');`);
    else if (k < 0.7) out.push(`DELETE FROM t WHERE rowid = ${id()};`);
    else if (k < 0.76) out.push(`DELETE FROM t WHERE rowid BETWEEN ${id()} AND ${id()};`);
    else if (k < 0.84) out.push(`UPDATE t SET a = '${doc(r, 5)}' WHERE rowid = ${id()};`);
    else if (k < 0.92) out.push('COMMIT; BEGIN;');
    else if (k < 0.94) out.push(`SAVEPOINT s; DELETE FROM t WHERE rowid < ${id()}; INSERT OR REPLACE INTO t(rowid, a) VALUES(${id()}, 'rolled'); ROLLBACK TO s; RELEASE s;`);
    else if (k < 0.96) out.push(`SAVEPOINT s; DELETE FROM t WHERE rowid = ${id()}; RELEASE s;`);
    else if (k < 0.97) out.push("COMMIT; INSERT INTO t(t) VALUES('optimize'); BEGIN;");
    else if (k < 0.98) out.push("COMMIT; INSERT INTO t(t, rank) VALUES('merge', 40); BEGIN;");
    else out.push(`DELETE FROM t WHERE rowid = ${id()}; INSERT INTO t(rowid, a) VALUES(${id() + maxid}, 'common again');`);
  }
  out.push('COMMIT;');
  return out.join('\n') + '\n';
}

const QUERIES = ['alpha', 'common', 'beta OR gamma', '"alpha beta"', 'al*', 'NEAR(common alpha, 3)', 'a:delta', 'b:iota NOT eta',
  'common AND theta*', 'kappa1*', 'e*', 'rolled'];
const queries = () => QUERIES.map((q) => `SELECT rowid FROM t('${q}') ORDER BY rowid;`).join('\n') +
  "\nSELECT rowid FROM t WHERE t MATCH 'common' ORDER BY rank, rowid LIMIT 7;\nSELECT count(*) FROM t;\n" +
  "INSERT INTO t(t) VALUES('integrity-check');\n";

const DUMP = ['SELECT id, hex(block) FROM t_data ORDER BY id', 'SELECT segid, hex(term), pgno FROM t_idx ORDER BY 1, 2',
  'SELECT k, v, typeof(v) FROM t_config ORDER BY k'];
function dump(file) {
  const db = new Database(file, { readonly: true });
  const lines = [];
  for (const q of DUMP) {
    for (const row of db.prepare(q).safeIntegers().raw().all()) lines.push(row.join('|'));
    lines.push('--');
  }
  db.close();
  return lines.join('\n');
}

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
const lodeRun = (file, sql) => shellOutput('lode', file, sql.replace(/; /g, ';\n')).replace(/\n$/, '');

describe('FTS5 secure-delete against better-sqlite3', function () {
  this.timeout(300000);
  let dir;
  before(function () {
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-fts5sd-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  function same(name, sql, withMore) {
    const mine = join(dir, `l-${name}.db`), theirs = join(dir, `s-${name}.db`);
    rmSync(mine, { force: true });
    rmSync(theirs, { force: true });
    const ref = new Database(theirs);
    const expectedLog = sqliteRun(ref, sql);
    const expectedQ = sqliteRun(ref, queries());
    ref.close();
    assert.equal(lodeRun(mine, sql), expectedLog);
    const expected = dump(theirs), got = dump(mine);
    assert.equal(got, expected, firstDifference(expected, got) ?? '');
    assert.equal(lodeRun(mine, queries()), expectedQ);
    if (withMore) {
      /* each engine reads and changes the other's file */
      const a = new Database(mine);
      sqliteRun(a, withMore);
      a.close();
      lodeRun(theirs, withMore);
      assert.equal(dump(theirs), dump(mine));
      assert.equal(lodeRun(theirs, queries()), lodeRun(mine, queries()));
    }
    return expected;
  }

  const cases = [
    [1, '', 300, 60, {}],
    [2, 'detail=column', 300, 60, {}],
    [3, 'detail=none', 300, 60, {}],
    [4, "prefix='1,2'", 300, 80, {}],
    [5, '', 400, 40, { pgsz: 64, long: 60 }],
    [6, 'detail=column', 400, 40, { pgsz: 64, long: 60 }],
    [7, '', 600, 300, { pgsz: 100, plain: 200 }],
    [8, "detail=none, prefix='2'", 500, 100, { pgsz: 80 }],
    [9, '', 2000, 3000, { pgsz: 200 }],
  ];
  for (const [seed, options, ops, maxid, opts] of cases) {
    it(`fts5(${options || 'a, b'}) ${JSON.stringify(opts)}: ${ops} random changes write what SQLite writes`, function () {
      /* detail=none: a row deleted and written again in one transaction ends its terms' doclists in SQLite (the
      ** rows after it are lost; Lode keeps them), so neither bytes nor queries could agree; that case has a test
      ** of its own */
      const none = (x) => (/none/.test(options) ? x.replace(/INSERT OR REPLACE/g, 'INSERT').replace(/^UPDATE.*$/gm, '') : x);
      const sql = none(script(seed, ops, options, maxid, opts));
      const more = none(script(seed + 100, 150, options, maxid, opts).replace(/^CREATE.*$/m, ''));
      const expected = same(`r${seed}`, sql, more);
      assert.match(expected, /secure-delete\|1\|integer/);
    });
  }

  it('long doclists over leaves with doclist indexes: deleting most rows cuts leaves empty and seeks still work', function () {
    const out = ["CREATE VIRTUAL TABLE t USING fts5(a, b);", "INSERT INTO t(t, rank) VALUES('pgsz', 64);", 'BEGIN;'];
    for (let i = 1; i <= 3000; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${i * 7}, 'common w${i % 37}${i % 5 ? '' : ' alpha'}');`);
    out.push('COMMIT;', "INSERT INTO t(t, rank) VALUES('secure-delete', 1);", 'BEGIN;');
    for (let i = 1; i <= 3000; i++) if (i % 13 !== 0) out.push(`DELETE FROM t WHERE rowid = ${i * 7};`);
    out.push('COMMIT;');
    const expected = same('long', out.join('\n') + '\n');
    assert.match(expected, /version\|5\|integer/);
  });

  it('one transaction deleting and writing again the same rows; a term deleted everywhere leaves no trace', function () {
    const out = ["CREATE VIRTUAL TABLE t USING fts5(a, b);", "INSERT INTO t(t, rank) VALUES('secure-delete', 1);"];
    for (let i = 1; i <= 40; i++) out.push(`INSERT INTO t(rowid, a, b) VALUES(${i}, 'w${i} common', 'unique${i} x');`);
    out.push('BEGIN;');
    for (let i = 1; i <= 40; i += 3) out.push(`DELETE FROM t WHERE rowid = ${i};`, `INSERT INTO t(rowid, a) VALUES(${i}, 'back${i} common');`);
    out.push('COMMIT;');
    for (let i = 2; i <= 40; i += 3) out.push(`DELETE FROM t WHERE rowid = ${i};`);
    const expected = same('again', out.join('\n') + '\n');
    assert.doesNotMatch(expected, /756E6971756532(?![0-9A-F])/i);
  });

  it('detail=none: a row deleted and written again in one transaction keeps the rows after it (SQLite 3.53 drops them)', function () {
    const out = ["CREATE VIRTUAL TABLE t USING fts5(a, b, detail=none);", "INSERT INTO t(t, rank) VALUES('secure-delete', 1);"];
    for (let i = 1; i <= 30; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${i}, 'w${i % 3} common');`);
    out.push('BEGIN;', "REPLACE INTO t(rowid, a) VALUES(5, 'common w2');", 'DELETE FROM t WHERE rowid = 9;', "INSERT INTO t(rowid, a) VALUES(40, 'common');", 'COMMIT;');
    const sql = out.join('\n') + '\n';
    const mine = join(dir, 'l-none.db');
    lodeRun(mine, sql);
    // 30 rows hold "common": rows 1..30 less 9, plus 40; rows past 5 stay in the index.
    assert.equal(lodeRun(mine, "SELECT count(*) FROM t('common');").trim(), '30');
    assert.equal(lodeRun(mine, "SELECT count(*) FROM t('w2');").trim(), '10');
    assert.equal(lodeRun(mine, "INSERT INTO t(t) VALUES('integrity-check');").trim(), '');
    // SQLite reads the file alike and finds it sound.
    const ref = new Database(mine);
    assert.equal(ref.prepare("SELECT count(*) AS n FROM t('common')").get().n, 30);
    ref.exec("INSERT INTO t(t) VALUES('integrity-check')");
    ref.close();
  });

  it('contentless_delete tables keep their tombstones with secure-delete on', function () {
    const out = ["CREATE VIRTUAL TABLE t USING fts5(a, b, content='', contentless_delete=1);",
      "INSERT INTO t(t, rank) VALUES('secure-delete', 1);", 'BEGIN;'];
    for (let i = 1; i <= 200; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${i}, 'w${i % 11} common');`);
    out.push('COMMIT;');
    for (let i = 1; i <= 200; i += 4) out.push(`DELETE FROM t WHERE rowid = ${i};`);
    same('cd', out.join('\n') + '\n');
  });

  it('the option: values, errors, turning it off, and older versions of the file', function () {
    const sql = [
      "CREATE VIRTUAL TABLE t USING fts5(a);",
      "INSERT INTO t(t, rank) VALUES('secure-delete', -1);",
      "INSERT INTO t(t, rank) VALUES('secure-delete', 'x');",
      "INSERT INTO t(t, rank) VALUES('secure-delete', '7');",
      "SELECT k, v, typeof(v) FROM t_config ORDER BY k;",
      "INSERT INTO t(rowid, a) VALUES(1, 'a b c'), (2, 'b c d'), (3, 'c d e');",
      "DELETE FROM t WHERE rowid = 2;",
      "SELECT k, v FROM t_config ORDER BY k;",
      "SELECT hex(block) FROM t_data ORDER BY id;",
      "INSERT INTO t(t, rank) VALUES('secure-delete', 0);",
      "DELETE FROM t WHERE rowid = 1;",
      "SELECT hex(block) FROM t_data ORDER BY id;",
      "SELECT rowid FROM t('c');",
    ].join('\n');
    const db = new Database(':memory:');
    const expected = sqliteRun(db, sql);
    db.close();
    assert.match(expected, /version\|5/);
    assert.equal(lodeRun(':memory:', sql), expected);
  });

  it('damaged leaves met by a secure-delete fail with SQLITE_CORRUPT_VTAB, never a crash', function () {
    let sql = "CREATE VIRTUAL TABLE t USING fts5(a);\nINSERT INTO t(t, rank) VALUES('pgsz', 64);\nBEGIN;\n";
    for (let i = 1; i <= 300; i++) sql += `INSERT INTO t(rowid, a) VALUES(${i}, 'w${i % 7} common${i % 3} x');\n`;
    sql += "COMMIT;\nINSERT INTO t(t, rank) VALUES('secure-delete', 1);\n";
    const bad = ["X'00'", "X'00000000'", "X'0000FFFF'", "X'000400080101'", "X'0000000630FF'", "X'00000006010203040506FF7F'",
      'substr(block, 1, 12)', "block || X'FFFF'", "X'00050005' || substr(block, 5)"];
    sql += 'CREATE TABLE keep AS SELECT * FROM t_data;\n';
    for (const b of bad) {
      for (const id of [137438953473, 137438953474, 137438953476]) {
        /* the delete's statement fails and is undone; the leaf is mended for the next */
        sql += `UPDATE t_data SET block = ${b} WHERE id = ${id};\n`;
        const k = 1 + (sql.length % 97);
        sql += `DELETE FROM t WHERE rowid IN (${k}, ${k + 1}, ${k + 2}, ${k + 97}, ${k + 150}, ${k + 151}, ${k + 200});\n`;
        sql += `UPDATE t_data SET block = (SELECT block FROM keep WHERE id = ${id}) WHERE id = ${id};\n`;
      }
    }
    sql += "SELECT count(*) FROM t('common1');\n";
    const out = lodeRun(':memory:', sql);
    const errors = out.split('\n').filter((l) => /error/i.test(l));
    assert.ok(errors.length >= 4, out);
    for (const e of errors) assert.match(e, /database disk image is malformed|SQL logic error/);
    assert.match(out, /\n[0-9]+$/);
  });
});
