// Queries that look a term up in %_idx many times in one call (several terms, several segments of many leaves):
// after the first look-up of a call the %_idx statement stays on its row and each later one moves its cursor
// straight to the key.  Against better-sqlite3: the rows of terms before every key of a segment, after every
// key, between keys and absent; in a transaction whose secure-delete deletes seek %_idx and then write in the
// same call; queries repeated between commits and rollbacks (the %_idx rows kept between queries); and the
// shadow tables SQLite writes, byte for byte.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { prng, requireLode, shellOutput } from '../diff/lib.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');

function setup(seed) {
  const r = prng(seed);
  const word = () => 'w' + Math.floor(Math.pow(r(), 2) * 600).toString(36);
  // small leaves and no automatic merges: each segment has many %_idx rows, and a query reads several segments
  const out = ['CREATE VIRTUAL TABLE t USING fts5(a, b);', "INSERT INTO t(t, rank) VALUES('pgsz', 64);",
    "INSERT INTO t(t, rank) VALUES('automerge', 0);"];
  for (let tx = 0; tx < 5; tx++) {
    out.push('BEGIN;');
    for (let i = 0; i < 120; i++) {
      const id = tx * 120 + i + 1;
      const a = Array.from({ length: 4 }, word).join(' '), b = Array.from({ length: 12 }, word).join(' ');
      out.push(`INSERT INTO t(rowid, a, b) VALUES(${id}, '${a}', '${b}');`);
    }
    out.push('COMMIT;');
  }
  return out.join('\n') + '\n';
}

// Terms: frequent, rare, absent between two keys, before every term ('a'), after every term ('zz'), prefixes.
const QS = ['w0', 'wgr', 'wgr OR w1 OR w2 OR w3 OR wa OR wb OR wc OR wd', 'a OR zz OR w0', 'wg0x OR wfz OR w5',
  'w1* AND w2', 'a', 'zz', 'w0 AND w1 AND w2 AND w3 AND w4', '"w0 w1" OR "w2 w3"', 'NEAR(w0 w5, 3) OR wh',
  'b:wa OR a:wb OR wgq'];
const queries = () => QS.map((q) => `SELECT rowid, printf('%.9e', bm25(t)) FROM t('${q}') ORDER BY rowid;`);
const shadows = ['SELECT id, hex(block) FROM t_data ORDER BY id;',
  'SELECT segid, hex(term), pgno FROM t_idx ORDER BY segid, term;'];

function sqliteRows(script) {
  const db = new Database(':memory:');
  const rows = [];
  for (const q of script.split('\n').filter(Boolean)) {
    const st = db.prepare(q);
    if (st.reader) rows.push(...st.raw().all().map((row) => row.join('|')));
    else st.run();
  }
  db.close();
  return rows;
}

describe('FTS5 %_idx look-ups, many in one call, against better-sqlite3', function () {
  this.timeout(120000);
  before(requireLode);

  it('gives SQLite\'s rows for terms before, after, between and at the keys of many segments', function () {
    const script = setup(7) + queries().join('\n') + '\n';
    const expected = sqliteRows(script);
    assert.ok(expected.length > 300);
    const got = shellOutput('lode', ':memory:', script).replace(/\n$/, '').split('\n');
    assert.equal(got.join('\n'), expected.join('\n'));
  });

  it('gives SQLite\'s rows and shadow tables when secure-delete deletes seek and write in one call', function () {
    const change = ["INSERT INTO t(t, rank) VALUES('secure-delete', 1);", 'BEGIN;',
      'DELETE FROM t WHERE rowid % 7 = 3;', ...queries(), "INSERT INTO t(rowid, a) VALUES(9000, 'wgr a zz');",
      'DELETE FROM t WHERE rowid % 11 = 5;', ...queries(), 'COMMIT;', ...queries(), ...shadows];
    const script = setup(11) + change.join('\n') + '\n';
    const expected = sqliteRows(script);
    assert.ok(expected.length > 1000);
    const got = shellOutput('lode', ':memory:', script).replace(/\n$/, '').split('\n');
    assert.equal(got.join('\n'), expected.join('\n'));
  });

  // The same queries again and again: each segment's %_idx rows are then kept in memory between queries, and
  // must give way to every change (a commit, a rolled back transaction and savepoint, an optimize).
  it('gives SQLite\'s rows for repeated queries between commits and rollbacks', function () {
    const twice = () => [...queries(), ...queries()];
    const change = [...twice(), 'BEGIN;', "INSERT INTO t(rowid, a) VALUES(9001, 'wgr w0 zz');", ...queries(),
      'ROLLBACK;', ...twice(), "INSERT INTO t(rowid, a) VALUES(9002, 'w0 wgr w1');", ...twice(), 'SAVEPOINT s;',
      'DELETE FROM t WHERE rowid % 5 = 1;', ...queries(), 'ROLLBACK TO s;', 'RELEASE s;', ...twice(),
      "INSERT INTO t(t) VALUES('optimize');", ...twice(), "INSERT INTO t(t) VALUES('integrity-check');", ...shadows];
    const script = setup(13) + change.join('\n') + '\n';
    const expected = sqliteRows(script);
    assert.ok(expected.length > 3000);
    const got = shellOutput('lode', ':memory:', script).replace(/\n$/, '').split('\n');
    assert.equal(got.join('\n'), expected.join('\n'));
  });
});
