// stat4-random.test.mjs — ANALYZE's rows of sqlite_stat1 and sqlite_stat4
// against SQLite 3.53 (better-sqlite3, built with SQLITE_ENABLE_STAT4) on
// random tables: indexes of one to three columns (DESC, NOCASE and RTRIM
// collations, expressions, partial), a WITHOUT ROWID table with a
// two-column key, values with long runs of duplicates, NULLs, an INTEGER and
// a REAL of the same value side by side, texts equal under NOCASE or RTRIM
// only, and keys long enough to spill to overflow pages.  Every row of both
// tables must be byte for byte SQLite's (the samples compared as hex).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { rng } from './random-sql.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

function literal(r, kind, runs) {
  const pick = (n) => Math.floor(r() * n);
  if (r() < 0.08) return 'NULL';
  // Few distinct values make long runs; many make a nearly unique key.
  const v = pick(runs);
  switch (kind) {
    case 'int': return r() < 0.2 ? `${v}.0` : `${v}`;
    case 'real': return r() < 0.3 ? `${v}` : `${v / 4}`;
    case 'text': {
      const base = ['ab', 'AB', 'Ab', 'ab ', 'b', 'B  ', 'c'][v % 7] + Math.floor(v / 7);
      return `'${base}'`;
    }
    case 'long': return `'${'x'.repeat(600 + (v % 3) * 900)}${v}'`;
    default: return r() < 0.5 ? `${v}` : `'${v}'`; // no affinity: numbers and texts mixed
  }
}

function script(seed) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const kinds = ['int', 'real', 'text', 'any', pick(['text', 'long', 'int'])];
  const decl = { int: 'INT', real: 'REAL', text: 'TEXT', long: 'TEXT', any: '' };
  const cols = kinds.map((k, i) => `c${i} ${decl[k]}`);
  const stmts = [`CREATE TABLE t(id INTEGER PRIMARY KEY, ${cols.join(', ')})`];
  const nidx = 2 + Math.floor(r() * 3);
  for (let i = 0; i < nidx; i++) {
    const n = 1 + Math.floor(r() * 3);
    const terms = [];
    for (let j = 0; j < n; j++) {
      const c = `c${Math.floor(r() * kinds.length)}`;
      const shape = r();
      if (shape < 0.15) terms.push(`${c} COLLATE NOCASE`);
      else if (shape < 0.25) terms.push(`${c} COLLATE RTRIM`);
      else if (shape < 0.35) terms.push(`${c} DESC`);
      else if (shape < 0.42) terms.push(`(${c} || 'z')`);
      else terms.push(c);
    }
    const where = r() < 0.15 ? ` WHERE c0 > ${Math.floor(r() * 5)}` : '';
    stmts.push(`CREATE INDEX i${i} ON t(${terms.join(', ')})${where}`);
  }
  stmts.push('CREATE TABLE w(k1 TEXT, k2 INT, v, PRIMARY KEY(k1, k2)) WITHOUT ROWID');
  stmts.push('CREATE INDEX wv ON w(v, k2 DESC)');
  const rows = 200 + Math.floor(r() * 1800);
  const runs = pick([3, 20, 200, 5000]);
  for (let i = 1; i <= rows; i++) {
    stmts.push(`INSERT INTO t VALUES(${i}, ${kinds.map((k) => literal(r, k, runs)).join(', ')})`);
    if (i % 2) stmts.push(`INSERT OR IGNORE INTO w VALUES(${literal(r, 'text', runs)}, ${i % 97}, ${literal(r, 'any', runs)})`);
  }
  stmts.push('ANALYZE');
  return stmts;
}

const STAT1 = 'SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx';
const STAT4 = 'SELECT tbl, idx, neq, nlt, ndlt, hex(sample) AS s FROM sqlite_stat4 ORDER BY tbl, idx, nlt, s';

function observe(db, stmts) {
  db.exec('BEGIN');
  for (const sql of stmts) db.exec(sql);
  db.exec('COMMIT');
  return { stat1: db.prepare(STAT1).raw().all(), stat4: db.prepare(STAT4).raw().all() };
}

describe('ANALYZE against SQLite 3.53 on random tables (sqlite_stat1, sqlite_stat4)', function () {
  this.timeout(120000);
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });
  for (let seed = 1; seed <= 24; seed++) {
    it(`seed ${seed}`, function () {
      const stmts = script(seed * 7919);
      const want = observe(new BetterSqlite3(':memory:'), stmts);
      const db = new Database(':memory:');
      let got;
      try {
        got = observe(db, stmts);
      } finally {
        db.close();
      }
      assert.ok(want.stat4.length > 0, 'SQLite wrote samples');
      assert.deepEqual(got.stat1, want.stat1);
      assert.deepEqual(got.stat4, want.stat4);
    });
  }
});
