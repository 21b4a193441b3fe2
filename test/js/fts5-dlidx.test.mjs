// Doclist indexes against better-sqlite3's SQLite 3.5x: doclists spanning
// thousands of small pages get the multi-level doclist indexes SQLite writes
// (a flush, a merge), with the marker of a leaf that holds no rowid; a query
// pairing a rare term with a frequent one seeks through the frequent term's
// index, gives SQLite's rows in either order and, as SQLite, does not read the
// leaves it passes over.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, firstDifference, prng, requireLode, runMerged, shellOutput } from '../diff/lib.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');

const DUMP = ['SELECT id, hex(block) FROM t_data ORDER BY id', 'SELECT segid, hex(term), pgno FROM t_idx ORDER BY 1, 2',
  'SELECT count(*) FROM t_data WHERE (id >> 36) & 1', 'SELECT max((id >> 31) & 31) FROM t_data WHERE (id >> 36) & 1'];

// Runs sql in better-sqlite3 (in memory) and in the Lode shell (file): the outputs of its queries.
function both(sql, file) {
  const db = new Database(':memory:');
  const expected = [];
  for (const q of sql.split('\n').filter(Boolean)) {
    const st = db.prepare(q);
    if (st.reader) expected.push(...st.raw().all().map((row) => row.join('|')));
    else st.run();
  }
  db.close();
  rmSync(file, { force: true });
  return { expected: expected.join('\n'), got: shellOutput('lode', file, sql).replace(/\n$/, '') };
}

// Rows of 'common' over many leaves of `pgsz` bytes; now and then a rare
// term, a frequent one, or a poslist longer than a leaf.  messy: rowids out
// of order, REPLACE and DELETE (SQLite 3.5x then merges what 3.40 and Lode
// merge into other pages: only queries are compared).
function build(seed, detail, txs, rows, pgsz, messy) {
  const r = prng(seed);
  const out = [`CREATE VIRTUAL TABLE t USING fts5(a, b, detail=${detail});`, `INSERT INTO t(t, rank) VALUES('pgsz', ${pgsz});`];
  for (let tx = 0; tx < txs; tx++) {
    out.push('BEGIN;');
    for (let i = 1; i <= rows; i++) {
      const w = ['common'];
      if (r() < 0.3) w.push('freq' + Math.floor(r() * 2));
      if (r() < 0.004) w.push('rare' + Math.floor(r() * 3));
      if (r() < 0.002) w.push(Array(150).fill('common').join(' '));
      const id = tx * 1000000 + i * (messy ? 1 + Math.floor(r() * 3) : 1) * 5;
      out.push(`INSERT OR REPLACE INTO t(rowid, a, b) VALUES(${id}, '${w.join(' ')}', 'x${i % 3}');`);
    }
    if (tx === 1 && messy) out.push('DELETE FROM t WHERE rowid % 11 = 0;');
    out.push('COMMIT;');
  }
  return out;
}

describe('FTS5 doclist indexes against better-sqlite3', function () {
  this.timeout(300000);
  let dir;
  before(function () {
    requireLode(this);
    dir = mkdtempSync(join(tmpdir(), 'lode-fts5-dlidx-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const detail of ['full', 'column', 'none']) {
    it(`doclists over thousands of leaves get SQLite's multi-level doclist indexes (detail=${detail})`, function () {
      const sql = build(3, detail, 1, 20000, 32).join('\n') + '\n' + DUMP.join(';\n') + ';\n';
      const { expected, got } = both(sql, join(dir, `flush-${detail}.db`));
      assert.match(expected, /\n[2-9]$/, 'three levels or more');
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
    });
  }

  it("a merge writes SQLite's multi-level doclist indexes, and leaves without a rowid get their marker", function () {
    const sql = build(4, 'full', 3, 6000, 32).concat("INSERT INTO t(t) VALUES('optimize');").join('\n') + '\n' + DUMP.join(';\n') + ';\n';
    const { expected, got } = both(sql, join(dir, 'merge.db'));
    assert.equal(got, expected, firstDifference(expected, got) ?? '');
    const long = ['CREATE VIRTUAL TABLE t USING fts5(a);', "INSERT INTO t(t, rank) VALUES('pgsz', 64);", 'BEGIN;'];
    for (let i = 1; i <= 3000; i++) long.push(`INSERT INTO t(rowid, a) VALUES(${i}, '${i % 500 === 1 ? Array(300).fill('common').join(' ') : 'common y' + (i % 7)}');`);
    const b = both(long.concat('COMMIT;').join('\n') + '\n' + DUMP.join(';\n') + ';\n', join(dir, 'long.db'));
    assert.match(b.expected, /(00){4}/, 'leaves without a rowid');
    assert.equal(b.got, b.expected, firstDifference(b.expected, b.got) ?? '');
  });

  const QS = ['rare0 AND common', 'common AND rare1', 'rare2 common', '"rare0 common"', '"common rare1"', 'NEAR(rare0 common, 1)',
    'rare1 AND freq0', 'rare* AND common', 'rare0 AND comm*', 'common NOT rare0', 'rare0 NOT common', 'a:rare1 AND b:x1 AND common',
    'rare0 OR rare1 AND common', 'nosuch AND common', '"nosuch common"', 'rare0 AND nosuch AND common'];
  for (const detail of ['full', 'column', 'none']) {
    it(`rare and frequent terms: SQLite's rows in either order, written and pending (detail=${detail})`, function () {
      const qs = QS.filter((q) => detail === 'full' || (!/"|NEAR/.test(q) && (detail === 'column' || !/:/.test(q))));
      const queries = qs.map((q) => `SELECT count(*), sum(rowid), group_concat(rowid) FROM t('${q}');\n` +
        `SELECT group_concat(rowid) FROM (SELECT rowid FROM t('${q}') ORDER BY rowid DESC);`).join('\n') + '\n';
      const pending = "BEGIN;\nINSERT INTO t(rowid, a) VALUES(1000003, 'rare0 common rare1');\nDELETE FROM t WHERE rowid IN (SELECT rowid FROM t('rare1') LIMIT 3);\n";
      const sql = build(5, detail, 3, 8000, 32, true).join('\n') + '\n' + queries + pending + queries + 'COMMIT;\n';
      const { expected, got } = both(sql, join(dir, `q-${detail}.db`));
      assert.ok(expected.split('\n').length >= qs.length * 4);
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
    });
  }

  it('damaged doclist-index pages fail a query with SQLITE_CORRUPT_VTAB or give its rows, never a crash', function () {
    const file = join(dir, 'bad.db');
    rmSync(file, { force: true });
    shellOutput('lode', file, build(6, 'full', 1, 20000, 32).join('\n') + '\n');
    const ids = new Database(file, { readonly: true }).prepare('SELECT id FROM t_data WHERE (id >> 36) & 1 ORDER BY id LIMIT 6').pluck().all();
    const BAD = ["X''", "X'02'", "X'00'", "X'0001'", "X'01FFFFFFFF0F01'", "X'008101000000'", "X'0003050505'", "zeroblob(40)", 'NULL'];
    let sql = '';
    for (const id of ids.concat(ids.map((x) => x + 2 ** 31))) {
      for (const bad of BAD) {
        sql += `SAVEPOINT c; INSERT OR REPLACE INTO t_data(id, block) VALUES(${id}, ${bad});\n` +
          "SELECT count(*) FROM t('rare0 AND common'); SELECT count(*) FROM t('\"common rare1\"'); SELECT count(*) FROM t('rare* AND comm*');\n" +
          'ROLLBACK TO c; RELEASE c;\n';
      }
    }
    const r = runMerged(LODE, ['-m', 'list', file], sql);
    assert.equal(r.signal, null);
    assert.ok(r.output.split('\n').some((l) => /malformed/.test(l)), 'some damage is seen');
  });

  it('the leaves a seek passes over are not read: a damaged one there does not fail the query, as in SQLite', function () {
    const sql = ['CREATE VIRTUAL TABLE t USING fts5(a);', "INSERT INTO t(t, rank) VALUES('pgsz', 64);", 'BEGIN;'];
    for (let i = 1; i <= 20000; i++) sql.push(`INSERT INTO t(rowid, a) VALUES(${i}, 'common${i === 5 || i === 19990 ? ' rare' : ''}');`);
    const file = join(dir, 'skip.db');
    const db = new Database(file);
    db.exec(sql.concat('COMMIT;').join('\n'));
    db.close();
    /* leaf 600 of segment 1 holds only rows of 'common' */
    shellOutput('lode', file, 'UPDATE t_data SET block = zeroblob(64) WHERE id = (1 << 37) + 600;\n');
    const qs = ["SELECT rowid FROM t('rare AND common')", "SELECT rowid FROM t('\"common rare\"')",
      "SELECT rowid FROM t('rare common') ORDER BY rowid DESC", "SELECT rowid FROM t('NEAR(common rare)')"];
    const theirs = new Database(file, { readonly: true });
    const expected = qs.map((q) => theirs.prepare(q).pluck().all().join(',')).join('\n');
    theirs.close();
    assert.equal(expected, '5,19990\n5,19990\n19990,5\n5,19990');
    assert.equal(shellOutput('lode', file, qs.join(';\n') + ';\n'), expected.replace(/[\n,]/g, '\n') + '\n');
  });
});
