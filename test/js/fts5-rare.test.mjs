// Queries pairing rare and frequent terms (AND, NOT, OR, NEAR, phrases, prefixes, column filters) against
// better-sqlite3: Lode reads the rarer side first and the other only for the rows still possible, and
// must still return SQLite's rows, bm25 values (which count each phrase's rows over the whole table) and
// highlights, over many segments, in and out of a transaction with changes not yet written.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { prng, requireLode, shellOutput } from '../diff/lib.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');

function setup(seed) {
  const r = prng(seed);
  const word = () => (r() < 0.5 ? 'f' + Math.floor(r() * 3) : 'r' + Math.floor(Math.pow(r(), 0.3) * 400));
  const out = ['CREATE VIRTUAL TABLE t USING fts5(a, b);'];
  for (let tx = 0; tx < 6; tx++) {
    out.push('BEGIN;');
    for (let i = 0; i < 300; i++) {
      const id = tx * 300 + i + 1;
      out.push(`INSERT INTO t(rowid, a, b) VALUES(${id}, '${Array.from({ length: 8 }, word).join(' ')}', '${Array.from({ length: 20 }, word).join(' ')}');`);
    }
    if (tx > 2) out.push(`DELETE FROM t WHERE rowid % 17 = ${tx};`, `UPDATE t SET a = 'f0 r1 f1 r2' WHERE rowid % 23 = ${tx};`);
    out.push('COMMIT;');
  }
  return out.join('\n') + '\n';
}
const QS = ['r5 AND f0', 'f0 AND r5', 'f1 r399', '"r3 f0"', '"f0 r3"', '"f0 f1 r7"', 'f0 NOT r9', 'r9 NOT f0', 'r9 OR f2 AND r10',
  '(f0 OR f1) AND r11', 'NEAR(f0 r12, 2)', 'NEAR(r12 f0 f1)', 'r1* AND f0', 'a:r4 AND b:f1', '{a b}:"f2 r6" AND f0', 'f0 AND f1 AND r15',
  '^f0 r2', 'r2 AND f0 NOT f1'];
const queries = () => QS.map((q) => `SELECT rowid, printf('%.9e', bm25(t)), highlight(t, 0, '[', ']') FROM t('${q}') ORDER BY rowid;`);

describe('FTS5 queries with rare and frequent terms against better-sqlite3', function () {
  this.timeout(120000);
  before(requireLode);
  it('the rows, bm25 and highlights SQLite gives, written and pending', function () {
    const pending = "BEGIN; INSERT INTO t(rowid, a) VALUES(5000, 'f0 r5 f1 r3'); DELETE FROM t WHERE rowid = 7;";
    const script = setup(4) + queries().join('\n') + '\n' + pending.replace(/; /g, ';\n') + '\n' + queries().join('\n') + '\nCOMMIT;\n';
    const db = new Database(':memory:');
    const expected = [];
    for (const q of script.split('\n').filter(Boolean)) {
      const st = db.prepare(q);
      if (st.reader) expected.push(...st.raw().all().map((row) => row.join('|')));
      else st.run();
    }
    db.close();
    const got = shellOutput('lode', ':memory:', script).replace(/\n$/, '').split('\n');
    assert.ok(expected.length > 200);
    assert.equal(got.join('\n'), expected.join('\n'));
  });
});
