// File-format interoperability with SQLite through the two command-line
// shells: files written by lode must pass sqlite3's integrity_check and read
// back the same bytes in both tools; files sqlite3 wrote (rollback journal,
// WAL, and a WAL that was never checkpointed) must read the same in lode, and
// stay valid after lode writes to them.
//
// Needs /usr/bin/sqlite3: skipped locally without it, a failure under CI=1.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lode, requireLode, requireSqlite3, sqlite3 } from '../diff/lib.mjs';

const BIG_ROWS = 100000;
const ROWS_PER_INSERT = 1000;
const KB = 1024;
const MB = 1024 * 1024;

/** Deterministic text of n characters (no quotes, no NUL). */
function textOf(n, salt) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[(i * 7 + salt * 13 + (i >> 5)) % alphabet.length];
  return s;
}

/** Hex of n deterministic bytes in 1..255 (sqlite3 prints blobs up to a NUL). */
function hexOf(n, salt) {
  const buf = Buffer.alloc(n);
  for (let i = 0; i < n; i++) buf[i] = ((i * 31 + salt * 17 + (i >> 8)) % 255) + 1;
  return buf.toString('hex');
}

function bigInserts(table, from, to, row) {
  const out = [];
  for (let start = from; start < to; start += ROWS_PER_INSERT) {
    const values = [];
    for (let k = start; k < Math.min(start + ROWS_PER_INSERT, to); k++) values.push(row(k));
    out.push(`INSERT INTO ${table} VALUES ${values.join(', ')};`);
  }
  return out;
}

/** Runs a script in lode and insists it printed no error. */
function lodeOk(file, sql) {
  const r = lode(['-m', 'list', file], sql, { encoding: 'buffer', timeout: 600000 });
  assert.equal(r.stderr.toString(), '', `lode reported an error (exit ${r.status})`);
  assert.equal(r.status, 0, 'lode exit status');
  return r.stdout;
}

function sqliteOk(file, sql) {
  const r = sqlite3(['-batch', '-list', file], sql, { encoding: 'buffer', timeout: 600000 });
  assert.equal(r.stderr.toString(), '', 'sqlite3 reported an error');
  assert.equal(r.status, 0, 'sqlite3 exit status');
  return r.stdout;
}

function integrityOk(file) {
  assert.equal(sqliteOk(file, 'PRAGMA integrity_check;\n').toString(), 'ok\n', `integrity_check of ${file}`);
}

/** Byte equality with a short account of the first difference. */
function assertSameBytes(expected, actual, what) {
  if (expected.equals(actual)) return;
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const around = (b) => JSON.stringify(b.subarray(Math.max(0, i - 60), i + 60).toString('latin1'));
  assert.fail(
    `${what}: outputs differ at byte ${i} (sqlite3 ${expected.length} bytes, lode ${actual.length})\n` +
      `  sqlite3: ${around(expected)}\n  lode:    ${around(actual)}`,
  );
}

/** The same query through both tools (lode first: sqlite3 may checkpoint). */
function sameInBoth(file, sql) {
  const l = lodeOk(file, sql);
  const s = sqliteOk(file, sql);
  assertSameBytes(s, l, sql.trim());
  return s;
}

const ALL_TYPES_TABLE = 'CREATE TABLE all_types(id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n);';
const ALL_TYPES_ROWS = [
  "(1, 0, 0.0, '', x'', NULL)",
  "(2, 1, 1.5, 'abc', x'01ff', 1)",
  "(3, -1, -2.25, 'ünïcödé 日本', x'7f', 2.5)",
  "(4, 127, 1e300, 'x''y', x'0102030405', 'text in an untyped column')",
  "(5, 128, -1e-300, '12', x'ff', x'abcd')",
  "(6, 32767, 3.14159265358979, ' 4 ', x'80', NULL)",
  "(7, 32768, 0.1, 'line', x'41', -7)",
  "(8, 8388607, 1e20, 'eight', x'4243', 8)",
  "(9, 8388608, 123456.789, 'nine', x'44', 9.0)",
  "(10, 2147483647, -0.5, 'ten', x'45', 10)",
  "(11, 2147483648, 2.0, 'eleven', x'46', 11)",
  "(12, 140737488355327, 7.0, 'twelve', x'47', 12)",
  "(13, 140737488355328, 1e-7, 'thirteen', x'48', 13)",
  "(14, 9223372036854775807, 5e-324, 'fourteen', x'49', 14)",
  "(15, -9223372036854775808, 1.7976931348623157e308, 'fifteen', x'4a', 15)",
  '(16, NULL, NULL, NULL, NULL, NULL)',
];

describe('interop with sqlite3', function () {
  let dir;
  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-interop-'));
  });
  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('lode writes, sqlite3 reads', function () {
    let file;
    before(function () {
      file = join(dir, 'lode-written.db');
    });

    it('a table with every storage class and serial type', function () {
      lodeOk(file, [ALL_TYPES_TABLE, `INSERT INTO all_types VALUES ${ALL_TYPES_ROWS.join(', ')};`, ''].join('\n'));
      integrityOk(file);
      sameInBoth(file, 'SELECT * FROM all_types ORDER BY id;\n');
      sameInBoth(file, 'SELECT typeof(i), typeof(r), typeof(s), typeof(b), typeof(n) FROM all_types ORDER BY id;\n');
    });

    it(`${BIG_ROWS} rows in one transaction`, function () {
      this.timeout(600000);
      const sql = [
        'CREATE TABLE big(id INTEGER PRIMARY KEY, s TEXT, r REAL, k INTEGER);',
        'BEGIN;',
        ...bigInserts('big', 1, BIG_ROWS + 1, (k) => `(${k}, 'row ${k}', ${k}.5, ${(k * 7919) % 100003})`),
        'COMMIT;',
        '',
      ].join('\n');
      lodeOk(file, sql);
      integrityOk(file);
      sameInBoth(file, 'SELECT count(*), min(id), max(id), sum(k) FROM big;\n');
      sameInBoth(file, 'SELECT id, s, r, k FROM big ORDER BY id;\n');
    });

    it('20 KB and 1 MB text and blob values (overflow pages)', function () {
      this.timeout(300000);
      const rows = [
        `(1, '${textOf(20 * KB, 1)}', x'${hexOf(20 * KB, 1)}')`,
        `(2, '${textOf(MB, 2)}', x'${hexOf(MB, 2)}')`,
        `(3, '${textOf(5000, 3)}', x'${hexOf(70 * KB, 3)}')`,
        `(4, 'small', x'00')`,
      ];
      const sql = ['CREATE TABLE blobs(id INTEGER PRIMARY KEY, t TEXT, b BLOB);',
        ...rows.map((r) => `INSERT INTO blobs VALUES ${r};`), ''].join('\n');
      lodeOk(file, sql);
      integrityOk(file);
      sameInBoth(file, 'SELECT id, length(t), length(b) FROM blobs ORDER BY id;\n');
      sameInBoth(file, 'SELECT id, t, b FROM blobs WHERE id < 4 ORDER BY id;\n');
    });

    it('updates and deletes, including of overflowing values', function () {
      this.timeout(300000);
      const sql = [
        "UPDATE big SET s = s || ' updated', r = -r WHERE id % 7 = 0;",
        'DELETE FROM big WHERE id % 3 = 0;',
        'DELETE FROM big WHERE id > 90000;',
        `UPDATE blobs SET t = 'shrunk', b = x'${hexOf(100, 9)}' WHERE id = 2;`,
        `UPDATE blobs SET t = '${textOf(100 * KB, 8)}' WHERE id = 1;`,
        'DELETE FROM blobs WHERE id = 3;',
        "UPDATE all_types SET s = upper(s), n = NULL WHERE id % 2 = 0;",
        '',
      ].join('\n');
      lodeOk(file, sql);
      integrityOk(file);
      sameInBoth(file, 'SELECT count(*), sum(id), sum(r) FROM big;\n');
      sameInBoth(file, 'SELECT id, s, r FROM big ORDER BY id;\n');
      sameInBoth(file, 'SELECT id, t, b FROM blobs ORDER BY id;\n');
      sameInBoth(file, 'SELECT * FROM all_types ORDER BY id;\n');
    });

    it('drop table frees its pages', function () {
      this.timeout(300000);
      const sql = [
        'CREATE TABLE doomed(id INTEGER PRIMARY KEY, v TEXT);',
        ...bigInserts('doomed', 1, 5001, (k) => `(${k}, '${textOf(50, k)}')`),
        `INSERT INTO doomed VALUES (6000, '${textOf(200 * KB, 6)}');`,
        'DROP TABLE doomed;',
        '',
      ].join('\n');
      lodeOk(file, sql);
      integrityOk(file);
      sameInBoth(file, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name;\n");
      const freelist = sqliteOk(file, 'PRAGMA freelist_count;\n').toString().trim();
      assert.ok(Number(freelist) > 0, `freelist_count ${freelist} after DROP TABLE`);
      sameInBoth(file, 'SELECT count(*) FROM big;\n');
    });
  });

  describe('sqlite3 writes, lode reads', function () {
    const script = [
      'CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT, r REAL, b BLOB);',
      'BEGIN;',
      ...bigInserts('t', 1, 20001, (k) => `(${k}, 'value ${k}', ${k} / 4.0, x'${hexOf(k % 40, k)}')`),
      'COMMIT;',
      `INSERT INTO t VALUES (30000, '${textOf(300 * KB, 1)}', 0.25, x'${hexOf(50 * KB, 2)}');`,
      'DELETE FROM t WHERE id % 5 = 0;',
      "UPDATE t SET s = s || '+' WHERE id % 11 = 0;",
      ALL_TYPES_TABLE,
      `INSERT INTO all_types VALUES ${ALL_TYPES_ROWS.join(', ')};`,
    ];
    const queries = [
      'SELECT count(*), min(id), max(id) FROM t;\n',
      'SELECT id, s, r, b FROM t ORDER BY id;\n',
      'SELECT * FROM all_types ORDER BY id;\n',
    ];
    const appendAndCheck = (file) => {
      lodeOk(file, "INSERT INTO t VALUES (40000, 'from lode', 1.5, x'0102');\nDELETE FROM t WHERE id < 100;\n");
      integrityOk(file);
      sameInBoth(file, 'SELECT count(*), max(id) FROM t;\n');
      sameInBoth(file, 'SELECT id, s, r, b FROM t ORDER BY id;\n');
    };

    it('a database in the default rollback-journal mode', function () {
      this.timeout(300000);
      const file = join(dir, 'sqlite-rollback.db');
      sqliteOk(file, [...script, ''].join('\n'));
      for (const q of queries) sameInBoth(file, q);
      appendAndCheck(file);
    });

    it('a database in WAL mode', function () {
      this.timeout(300000);
      const file = join(dir, 'sqlite-wal.db');
      const mode = sqliteOk(file, ['PRAGMA journal_mode=WAL;', ...script, ''].join('\n'));
      assert.equal(mode.toString(), 'wal\n');
      for (const q of queries) sameInBoth(file, q);
      appendAndCheck(file);
    });

    it('a WAL that was never checkpointed', function () {
      this.timeout(300000);
      const file = join(dir, 'sqlite-live.db');
      const copy = join(dir, 'sqlite-live-copy.db');
      // Copy the database and its WAL while sqlite3 still has them open, with
      // automatic checkpoints off, so the copy's rows live only in its WAL.
      const r = sqliteOk(
        file,
        [
          'PRAGMA journal_mode=WAL;',
          'PRAGMA wal_autocheckpoint=0;',
          ...script,
          `.system cp ${file} ${copy} && cp ${file}-wal ${copy}-wal`,
          '',
        ].join('\n'),
      );
      assert.equal(r.toString(), 'wal\n0\n');
      assert.ok(existsSync(`${copy}-wal`), 'the WAL was copied');
      assert.ok(statSync(`${copy}-wal`).size > 32 * KB, 'the copied WAL holds frames');
      for (const q of queries) {
        const expected = sqliteOk(file, q); // the original, checkpointed when sqlite3 closed
        assertSameBytes(expected, lodeOk(copy, q), `lode on the un-checkpointed copy: ${q.trim()}`);
      }
      appendAndCheck(copy);
    });

    it('a database with an index (lode reads the table)', function () {
      const file = join(dir, 'sqlite-index.db');
      const other = join(dir, 'sqlite-index-copy.db');
      sqliteOk(file, [...script.slice(0, script.indexOf('COMMIT;') + 1), 'CREATE INDEX t_s ON t(s);', ''].join('\n'));
      copyFileSync(file, other);
      sameInBoth(other, 'SELECT count(*), max(id) FROM t;\n');
      sameInBoth(other, 'SELECT id, s FROM t ORDER BY id;\n');
    });

    it('lode writes to tables with indexes, and sqlite3 finds the indexes complete', function () {
      const file = join(dir, 'sqlite-index-write.db');
      sqliteOk(file, [...script.slice(0, script.indexOf('COMMIT;') + 1), 'CREATE INDEX t_s ON t(s);', ''].join('\n'));
      const before = Number(sqliteOk(file, 'SELECT count(*) FROM t;\n').toString());
      const r = lode(['-m', 'list', file],
        "INSERT INTO t(s) VALUES ('new'), ('newer');\nUPDATE t SET s = s || '!' WHERE id % 7 = 0;\n" +
        'DELETE FROM t WHERE id % 11 = 0;\n', { encoding: 'utf8' });
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      integrityOk(file);
      const viaIndex = sqliteOk(file, "SELECT count(*) FROM t INDEXED BY t_s WHERE s >= '';\n").toString().trim();
      const viaTable = sqliteOk(file, "SELECT count(*) FROM t NOT INDEXED WHERE s >= '';\n").toString().trim();
      assert.equal(viaIndex, viaTable);
      assert.ok(Number(sqliteOk(file, 'SELECT count(*) FROM t;\n').toString()) > before - before / 10);
      assert.equal(sqliteOk(file, "SELECT count(*) FROM t INDEXED BY t_s WHERE s = 'newer';\n").toString(), '1\n');
    });

    // Deep b-trees of index-format pages in both directions: a composite,
    // DESC and NOCASE key, a UNIQUE column and a secondary index whose
    // entries end with the key.
    it('lode writes to a WITHOUT ROWID table, and sqlite3 finds table and indexes exact', function () {
      const file = join(dir, 'sqlite-without-rowid.db');
      sqliteOk(file, [
        'CREATE TABLE w(k TEXT COLLATE NOCASE, n INT, u UNIQUE, v, PRIMARY KEY(k, n DESC)) WITHOUT ROWID;',
        'CREATE INDEX w_v ON w(v, k);',
        'BEGIN;',
        ...bigInserts('w', 1, 20001, (k) => `('key ${k % 997}', ${k}, 'u${k}', ${k % 13})`),
        'COMMIT;', ''].join('\n'));
      const r = lode(['-m', 'list', file],
        "INSERT INTO w VALUES ('KEY 5', -1, 'new', 99), ('zz', 1, 'new2', NULL);\n" +
        'UPDATE w SET v = v + 100 WHERE n % 7 = 0;\n' +
        "UPDATE w SET k = upper(k) WHERE n % 5 = 0;\n" +
        'DELETE FROM w WHERE n % 11 = 0;\n' +
        "INSERT OR REPLACE INTO w VALUES ('key 3', 3, 'u4', 0);\n", { encoding: 'utf8' });
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      integrityOk(file);
      sameInBoth(file, 'SELECT count(*), sum(n), sum(v) FROM w;\n');
      sameInBoth(file, 'SELECT k, n, u, v FROM w ORDER BY k, n DESC;\n');
      sameInBoth(file, 'SELECT k, n FROM w WHERE v = 105 ORDER BY k, n;\n');
      const viaIndex = sqliteOk(file, 'SELECT count(*), sum(n) FROM w INDEXED BY w_v WHERE v >= 0;\n').toString();
      const viaTable = sqliteOk(file, 'SELECT count(*), sum(n) FROM w NOT INDEXED WHERE v >= 0;\n').toString();
      assert.equal(viaIndex, viaTable);
      assert.equal(sqliteOk(file, "SELECT n FROM w WHERE k = 'key 5' AND n < 0;\n").toString(), '-1\n');
      assert.equal(sqliteOk(file, "SELECT count(*) FROM w WHERE u = 'u4';\n").toString(), '1\n');
    });

    // sqlite3 made the table and its sqlite_sequence row; Lode must continue
    // from that row (not from the largest rowid left), update it in place,
    // and leave a file sqlite3 finds valid and continues from.
    it('lode inserts into an AUTOINCREMENT table sqlite3 made, and sqlite3 continues from its sqlite_sequence', function () {
      const file = join(dir, 'sqlite-autoinc.db');
      sqliteOk(file, [
        'CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, v);',
        'CREATE TABLE b(id INTEGER PRIMARY KEY AUTOINCREMENT, v);',
        "INSERT INTO a(v) VALUES ('s1'), ('s2'), ('s3');",
        "INSERT INTO b(v) VALUES ('s1');",
        'DELETE FROM a WHERE id = 3;', ''].join('\n'));
      lodeOk(file, "INSERT INTO a(v) VALUES ('l1');\nINSERT INTO a VALUES (10, 'l2');\nINSERT INTO a(v) VALUES ('l3');\n");
      integrityOk(file);
      assert.equal(sqliteOk(file, 'SELECT id, v FROM a ORDER BY id;\n').toString(), '1|s1\n2|s2\n4|l1\n10|l2\n11|l3\n');
      assert.equal(sqliteOk(file, 'SELECT rowid, name, seq FROM sqlite_sequence ORDER BY rowid;\n').toString(),
        '1|a|11\n2|b|1\n');
      sqliteOk(file, "DELETE FROM a WHERE id = 11;\nINSERT INTO a(v) VALUES ('s4');\n");
      assert.equal(sqliteOk(file, 'SELECT max(id) FROM a;\n').toString(), '12\n');
      lodeOk(file, 'DROP TABLE a;\n');
      integrityOk(file);
      assert.equal(sqliteOk(file, 'SELECT name, seq FROM sqlite_sequence;\n').toString(), 'b|1\n');
    });
  });
});
