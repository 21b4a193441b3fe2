// Constraint failures leave a table and its indexes as they were.  A seeded
// generator writes statements that fail part-way: multi-row INSERTs (VALUES
// and INSERT … SELECT) whose k-th row breaks a UNIQUE column, a UNIQUE
// index over a NOCASE column or an expression, an INTEGER PRIMARY KEY, NOT
// NULL or CHECK, after rows that were fine; UPDATEs over ranges of rows that
// break one of them at a row in the middle — as plain, OR ABORT, OR IGNORE
// and OR REPLACE statements, in autocommit or inside BEGIN … COMMIT after a
// statement that succeeded.  Around each statement the script reads every
// row and every index in full (INDEXED BY, in index order) and runs PRAGMA
// integrity_check.
//
// Lode must (1) read the same rows and index entries after a statement that
// failed as before it, with integrity_check ok, whatever sqlite3 does; (2)
// print what sqlite3 prints for every statement and read (so OR IGNORE and
// OR REPLACE keep and replace the rows sqlite3 does); (3) leave a file on
// which sqlite3's integrity_check is ok and which holds sqlite3's rows.
//
// INDEX_CONSTRAINT_SEED / INDEX_CONSTRAINT_CASES override the seed and the
// number of statements; failures print the seed and the case.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LODE, SQLITE3, normalize, prng, requireLode, requireSqlite3, runMergedAsync, splitMarked,
} from '../diff/lib.mjs';

const ROWS = 30;

const SCHEMA = [
  'CREATE TABLE t1(id INTEGER PRIMARY KEY, u UNIQUE, a TEXT COLLATE NOCASE, b INTEGER NOT NULL, ' +
    "c CHECK (c IS NULL OR c <> 'bad'), d);",
  'CREATE UNIQUE INDEX t1_ab ON t1(a, b);',
  'CREATE INDEX t1_bd ON t1(b DESC, d);',
  'CREATE UNIQUE INDEX t1_ld ON t1(lower(d)) WHERE d IS NOT NULL;',
  'CREATE INDEX t1_c ON t1(c) WHERE c > 0;',
  'CREATE INDEX t1_ac ON t1(a COLLATE BINARY, c DESC);',
  'CREATE TABLE t2(k TEXT PRIMARY KEY, v NOT NULL, w, UNIQUE(v, w));',
  'CREATE INDEX t2_w ON t2(w, v DESC);',
  "CREATE UNIQUE INDEX t2_kw ON t2(k || w);",
];

// Every index read in full, in its own order (INDEXED BY: the planner must
// use it), then the tables in rowid order.
const READ = [
  'SELECT u, rowid FROM t1 INDEXED BY sqlite_autoindex_t1_1;',
  'SELECT a, b, rowid FROM t1 INDEXED BY t1_ab;',
  'SELECT b, quote(d), rowid FROM t1 INDEXED BY t1_bd;',
  'SELECT lower(d), rowid FROM t1 INDEXED BY t1_ld WHERE d IS NOT NULL;',
  'SELECT c, rowid FROM t1 INDEXED BY t1_c WHERE c > 0;',
  'SELECT a, quote(c), rowid FROM t1 INDEXED BY t1_ac;',
  'SELECT k, rowid FROM t2 INDEXED BY sqlite_autoindex_t2_1;',
  'SELECT v, w, rowid FROM t2 INDEXED BY sqlite_autoindex_t2_2;',
  'SELECT w, v, rowid FROM t2 INDEXED BY t2_w;',
  'SELECT id, quote(u), quote(a), quote(b), quote(c), quote(d) FROM t1 ORDER BY id;',
  'SELECT rowid, quote(k), quote(v), quote(w) FROM t2 ORDER BY rowid;',
  'PRAGMA integrity_check;',
];

function generator(seed) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const int = (n) => Math.floor(rnd() * n);
  const chance = (p) => rnd() < p;
  let fresh = 1000;

  const setup = [...SCHEMA];
  for (let i = 1; i <= ROWS; i++) {
    const c = chance(0.2) ? 'NULL' : i;
    const d = chance(0.2) ? 'NULL' : `'d${i}'`;
    setup.push(`INSERT INTO t1(u, a, b, c, d) VALUES (${i}, '${pick(['a', 'B', 'c'])}${i}', ${i}, ${c}, ${d});`);
    setup.push(`INSERT INTO t2(k, v, w) VALUES ('k${i}', ${i % 7}, ${chance(0.2) ? 'NULL' : i});`);
  }

  // A t1 row that conflicts with nothing, and the ways to spoil one.
  const goodT1 = () => {
    const n = fresh++;
    return { id: 'NULL', u: n, a: `'f${n}'`, b: n, c: n, d: `'g${n}'` };
  };
  const spoilT1 = (row, earlier) => {
    const e = earlier.length ? pick(earlier) : null;
    const kinds = [
      () => { row.u = e && chance(0.5) ? e.u : 1 + int(ROWS); },                   // UNIQUE column
      () => { [row.a, row.b] = e ? [e.a.toUpperCase(), e.b] : ["'A1'", 1]; },      // UNIQUE (a, b), a NOCASE
      () => { row.b = 'NULL'; },                                                      // NOT NULL
      () => { row.c = "'bad'"; },                                                     // CHECK
      () => { row.d = e ? e.d.toUpperCase() : `'D${1 + int(ROWS)}'`; },               // UNIQUE lower(d)
      () => { row.id = String(1 + int(ROWS)); },                                      // INTEGER PRIMARY KEY
    ];
    pick(kinds)();
    return row;
  };
  const valuesOf = (r) => `(${[r.id, r.u, r.a, r.b, r.c, r.d].join(', ')})`;

  function insertT1(verb) {
    const n = 2 + int(5);
    const bad = 1 + int(n - 1); // at least one good row before it
    const rows = [];
    for (let i = 0; i < n; i++) rows.push(i === bad || (i > bad && chance(0.2)) ? spoilT1(goodT1(), rows) : goodT1());
    return `${verb} INTO t1(id, u, a, b, c, d) VALUES ${rows.map(valuesOf).join(', ')};`;
  }
  function insertSelectT1(verb) {
    // Copies of a range of rows, made fresh except for one row that keeps a key.
    const lo = 1 + int(ROWS - 5);
    const x = lo + 1 + int(4);
    const key = pick([
      ['u', `CASE WHEN id = ${x} THEN u ELSE u + ${fresh} END`],
      ['d', `CASE WHEN id = ${x} THEN upper(d) ELSE d || '${fresh}' END`],
      ['b', `CASE WHEN id = ${x} THEN NULL ELSE b END`],
    ]);
    fresh += 100;
    const cols = { u: `u + ${fresh}`, a: `a || 'z${fresh}'`, b: 'b', c: 'c', d: `d || 'y${fresh}'` };
    cols[key[0]] = key[1];
    return `${verb} INTO t1(u, a, b, c, d) SELECT ${Object.values(cols).join(', ')} FROM t1 ` +
      `WHERE id BETWEEN ${lo} AND ${lo + 6} ORDER BY id;`;
  }
  function updateT1(verb) {
    const lo = 1 + int(ROWS);
    const hi = lo + 2 + int(8);
    const x = lo + 1 + int(hi - lo);
    const y = 1 + int(ROWS);
    const set = pick([
      'u = u + 1',                                                      // shifts into the next row's key
      `b = CASE WHEN id = ${x} THEN NULL ELSE b + 1000 END`,
      `c = CASE WHEN id = ${x} THEN 'bad' ELSE c END`,
      `d = CASE WHEN id = ${x} THEN (SELECT upper(d) FROM t1 AS o WHERE o.id = ${y}) ELSE d END`,
      `a = CASE WHEN id = ${x} THEN (SELECT upper(a) FROM t1 AS o WHERE o.id = ${y}) ELSE a END, ` +
        `b = CASE WHEN id = ${x} THEN (SELECT b FROM t1 AS o WHERE o.id = ${y}) ELSE b END`,
      `id = CASE WHEN id = ${x} THEN ${y} ELSE id END, u = u + ${fresh++}`,
    ]);
    // Rowid order (NOT INDEXED): which rows IGNORE skips and REPLACE deletes
    // depends on the order rows are visited in.
    return `${verb} t1 NOT INDEXED SET ${set} WHERE id BETWEEN ${lo} AND ${hi};`;
  }
  function t2Statement(verb) {
    if (chance(0.5)) {
      const n = fresh++;
      const rows = [`('n${n}', ${n}, ${n})`, `('m${n}', ${n + 1}, NULL)`];
      // Between good rows, one that may break a key of t2 (k, (v, w) or
      // k || w) or its NOT NULL v.
      const spoiled = pick([`('k${1 + int(ROWS)}', 1, 1)`, `('p${n}', NULL, 1)`, `('q${n}', ${n}, ${n})`,
        `('K${1 + int(ROWS)}', 99, 99)`, `('k1', ${n + 2}, ${n + 3})`]);
      rows.splice(1 + int(rows.length), 0, spoiled);
      return `${verb} INTO t2(k, v, w) VALUES ${rows.join(', ')};`;
    }
    const lo = 1 + int(ROWS);
    const set = pick(['v = v + 1, w = w', 'w = w + 1', "k = k || 'x'",
      `v = CASE WHEN rowid = ${lo + 2} THEN NULL ELSE v END`]);
    return `${verb.replace('INSERT', 'UPDATE')} t2 NOT INDEXED SET ${set} WHERE rowid BETWEEN ${lo} AND ${lo + 5};`;
  }

  function statement() {
    const r = rnd();
    // No OR FAIL / OR ROLLBACK: see test/diff/pending/conflict-modes.sql.
    const verb = pick(['INSERT', 'INSERT', 'INSERT OR ABORT', 'INSERT OR IGNORE', 'INSERT OR REPLACE', 'REPLACE']);
    if (r < 0.35) return insertT1(verb);
    if (r < 0.5) return insertSelectT1(verb);
    if (r < 0.85) return updateT1(verb === 'REPLACE' ? 'UPDATE OR REPLACE' : verb.replace('INSERT', 'UPDATE'));
    return t2Statement(verb === 'REPLACE' ? 'INSERT OR REPLACE' : verb);
  }
  return { setup, statement, chance, goodT1, valuesOf };
}

/** The script of one run.  Case i has four parts, each ended by marker
 *  4i+k: (1) what comes before its statement — every 10th case deletes the
 *  rows added since the start, so that the tables stay small; a quarter of
 *  the cases open a transaction and insert a row first; (2) the reads after
 *  that part, when it had statements; (3) the statement; (4) the reads
 *  after it (then COMMIT when a transaction is open).  Part 0: the setup;
 *  part -1, the reads after it, ends at marker "init". */
function script(seed, ncases) {
  const g = generator(seed);
  const lines = [...g.setup, "SELECT '#0';", ...READ, "SELECT '#init';"];
  const cases = [];
  for (let i = 0; i < ncases; i++) {
    const txn = g.chance(0.25);
    const prefix = [];
    if (i % 10 === 9) {
      prefix.push(`DELETE FROM t1 WHERE id > ${ROWS + 10};`, `DELETE FROM t2 WHERE rowid > ${ROWS + 10};`);
    }
    if (txn) prefix.push('BEGIN;', `INSERT INTO t1(id, u, a, b, c, d) VALUES ${g.valuesOf(g.goodT1())};`);
    const stmt = g.statement();
    cases.push({ stmt, txn, prefix: prefix.length > 0 });
    lines.push(...prefix, `SELECT '#${4 * i + 1}';`, ...(prefix.length ? READ : []), `SELECT '#${4 * i + 2}';`);
    lines.push(stmt, `SELECT '#${4 * i + 3}';`, ...READ, `SELECT '#${4 * i + 4}';`);
    if (txn) lines.push('COMMIT;');
  }
  return { text: lines.join('\n') + '\n', cases };
}

/** splitMarked, with the part that ends at "#init" as parts.init. */
function parts(out) {
  const [head, tail] = out.split(/^#init$/m);
  const p = splitMarked(tail.replace(/^\n/, ''));
  p.setup = splitMarked(head)[0];
  p.init = head.slice(head.indexOf('#0\n') + 3).replace(/\n$/, '');
  return p;
}

describe('constraint failures leave tables and indexes unchanged', function () {
  const seed = Number(process.env.INDEX_CONSTRAINT_SEED ?? 5150) >>> 0;
  const ncases = Number(process.env.INDEX_CONSTRAINT_CASES ?? 600);
  let dir;

  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-constraints-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const title = `${ncases} failing or conflicting statements (seed ${seed})`;
  it(`${title}: Lode as sqlite3, a failed one changes nothing`, async function () {
    this.timeout(Math.max(120000, ncases * 200));
    const { text, cases } = script(seed, ncases);
    const lodeFile = join(dir, 'lode.db');
    const sqliteFile = join(dir, 'sqlite.db');
    const [sr, lr] = await Promise.all([
      runMergedAsync(SQLITE3, ['-batch', '-list', sqliteFile], text),
      runMergedAsync(LODE, ['-m', 'list', lodeFile], text),
    ]);
    assert.equal(lr.signal, null, `seed ${seed}: lode killed by ${lr.signal}`);
    const s = parts(normalize(sr.output));
    const l = parts(normalize(lr.output));
    assert.equal(l.setup, s.setup, `seed ${seed}: the setup`);
    assert.equal(l.init, s.init, `seed ${seed}: the reads after the setup`);
    const problems = [];
    let failed = 0;
    let last = l.init;
    cases.forEach((c, i) => {
      const before = c.prefix ? l[4 * i + 2] : last;
      const [out, after] = [l[4 * i + 3], l[4 * i + 4]];
      last = after;
      const where = `seed ${seed}, case ${i}${c.txn ? ' (in a transaction)' : ''}: ${c.stmt}`;
      if (after === undefined || !after.endsWith('ok')) {
        problems.push(`${where}\n    integrity_check after it: ${after?.split('\n').pop()}`);
      }
      if (/^ERROR: /m.test(out ?? '')) {
        failed++;
        if (after !== before) problems.push(`${where}\n    failed (${out}) but changed the rows or index entries`);
      }
      for (const k of [1, 2, 3, 4]) {
        if (l[4 * i + k] !== s[4 * i + k]) {
          const what = ['the part before', 'reads before', 'the statement', 'reads after'][k - 1];
          problems.push(`${where}\n    ${what} differ from sqlite3's:\n` +
            `    sqlite3: ${JSON.stringify(s[4 * i + k])}\n    lode:    ${JSON.stringify(l[4 * i + k])}`);
          break;
        }
      }
    });
    if (problems.length) assert.fail(`${problems.length} problems\n${problems.slice(0, 5).join('\n')}`);
    assert.ok(failed > ncases / 4, `only ${failed} of ${ncases} statements failed: at least a quarter should`);
    // The file Lode wrote, in sqlite3: intact, with sqlite3's rows.
    const ic = await runMergedAsync(SQLITE3, ['-batch', lodeFile], 'PRAGMA integrity_check;\n');
    assert.equal(ic.output, 'ok\n', `seed ${seed}: sqlite3's integrity_check of Lode's file`);
    const dump = READ.slice(-3, -1).join('\n') + '\n';
    const [a, b] = await Promise.all([
      runMergedAsync(SQLITE3, ['-batch', '-list', sqliteFile], dump),
      runMergedAsync(SQLITE3, ['-batch', '-list', lodeFile], dump),
    ]);
    assert.ok(a.output === b.output, `seed ${seed}: sqlite3 reads other rows in Lode's file than in its own`);
  });
});
