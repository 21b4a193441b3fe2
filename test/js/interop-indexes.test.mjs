// On-disk interoperability of indexed tables with SQLite, both directions.
// A seeded stream of random INSERT / UPDATE / DELETE statements (multi-row;
// OR ABORT, OR IGNORE, OR REPLACE and plain ones that fail on a UNIQUE key,
// NOT NULL or CHECK; in transactions of a few hundred) runs in phases on two
// files: Lode writes one, sqlite3 the other, and both must report the same
// errors.  After every phase, with both shells
// closed: sqlite3's PRAGMA integrity_check on Lode's file and Lode's on
// sqlite3's file must say ok, and every table must hold the same rows in
// both files as either tool reads them (rowid and quote() of every column).
// The tables have several indexes each (multi-column, DESC, COLLATE NOCASE,
// partial, expression, UNIQUE), so integrity_check proves that each index
// holds exactly one entry per row, in the writer's order, readable by the
// other engine.
//
// INDEX_INTEROP_OPS (default 100000; INDEX_INTEROP_LONG=1: 1000000) sets the
// number of statements, INDEX_INTEROP_SEED the seed; failures print both.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LODE, SQLITE3, firstDifference, normalize, prng, requireLode, requireSqlite3, runMergedAsync,
} from '../diff/lib.mjs';

const PHASES = 10;
const TXN_OPS = 250;

// t1.e has a DEFAULT: OR REPLACE stores it in place of a NULL.
const SCHEMA = [
  'CREATE TABLE t1(id INTEGER PRIMARY KEY, a TEXT COLLATE NOCASE, b INTEGER, c REAL, d, e NOT NULL DEFAULT 7, ' +
    'CHECK (b IS NULL OR b > -1000));',
  'CREATE INDEX t1_a ON t1(a);',
  'CREATE INDEX t1_bc ON t1(b DESC, c);',
  'CREATE UNIQUE INDEX t1_d ON t1(d) WHERE d IS NOT NULL;',
  'CREATE INDEX t1_la ON t1(lower(a), b);',
  'CREATE INDEX t1_pc ON t1(c) WHERE c > 0;',
  'CREATE INDEX t1_ae ON t1(a COLLATE BINARY, e DESC);',
  'CREATE TABLE t2(k TEXT UNIQUE, v, w NUMERIC, x BLOB, UNIQUE(v, w));',
  'CREATE INDEX t2_w ON t2(w DESC) WHERE v IS NOT NULL;',
  "CREATE INDEX t2_kx ON t2(k || 'x', x);",
  'CREATE INDEX t2_vk ON t2(v COLLATE NOCASE, k DESC);',
];
const TABLES = {
  t1: { cols: ['a', 'b', 'c', 'd', 'e'], key: 'id' },
  t2: { cols: ['k', 'v', 'w', 'x'], key: 'rowid' },
};

/** The statements of one phase: a seeded stream over a small key space,
 *  so that UNIQUE keys collide and rows are found again. */
function operations(rnd, n, keys) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const int = (m) => Math.floor(rnd() * m);
  const chance = (p) => rnd() < p;
  const text = () => `'${pick(['a', 'A', 'b', 'B', 'ab', 'Ab', 'abc', 'x', 'é', ''])}${int(keys / 4)}'`;
  const blob = () => `x'${(int(255) + 1).toString(16).padStart(2, '0')}'`;
  const value = () => pick(['NULL', String(int(keys)), `${int(keys)}.5`, text(), blob()]);
  const col = {
    a: () => pick(['NULL', text()]),
    b: () => pick(['NULL', String(int(keys) - 10), String(int(keys)), '-2000']),
    c: () => pick(['NULL', `${int(keys)}.25`, String(-int(20)), String(int(keys))]),
    d: () => pick(['NULL', 'NULL', String(int(keys)), text()]),
    e: () => pick(['NULL', String(int(5)), text()]),
    k: () => pick(['NULL', text()]),
    v: () => value(),
    w: () => pick(['NULL', String(int(keys)), `'${int(keys)}'`, `${int(20)}.0`]),
    x: () => value(),
  };
  const out = [];
  for (let i = 0; i < n; i++) {
    if (i % TXN_OPS === 0) out.push('BEGIN;');
    const tn = pick(['t1', 't1', 't2']);
    const t = TABLES[tn];
    const r = rnd();
    const range = () => {
      const lo = 1 + int(keys);
      return chance(0.7) ? `${t.key} = ${lo}` : `${t.key} BETWEEN ${lo} AND ${lo + int(8)}`;
    };
    if (r < 0.5) {
      const verb = pick(['INSERT', 'INSERT', 'INSERT OR IGNORE', 'INSERT OR REPLACE', 'REPLACE', 'INSERT OR ABORT']);
      const row = () => `(${t.cols.map((c) => col[c]()).join(', ')})`;
      const rows = Array.from({ length: 1 + (chance(0.3) ? int(5) : 0) }, row);
      out.push(`${verb} INTO ${tn}(${t.cols.join(', ')}) VALUES ${rows.join(', ')};`);
    } else if (r < 0.8) {
      const verb = pick(['UPDATE', 'UPDATE', 'UPDATE OR IGNORE', 'UPDATE OR REPLACE', 'UPDATE OR ABORT']);
      const cols = new Set(Array.from({ length: 1 + int(2) }, () => pick(t.cols)));
      const sets = [...cols].map((c) => `${c} = ${col[c]()}`);
      // A plain or ABORT update ends the same whatever order it visits rows
      // in, so it may look rows up by an index; IGNORE and REPLACE keep
      // different rows in different orders, so they go in rowid order.
      const ordered = verb === 'UPDATE' || verb === 'UPDATE OR ABORT';
      const c = pick(t.cols);
      const where = ordered && chance(0.5) ? `${c} = ${col[c]()}` : range();
      out.push(`${verb} ${tn}${ordered ? '' : ' NOT INDEXED'} SET ${sets.join(', ')} WHERE ${where};`);
    } else {
      const c = pick(t.cols);
      out.push(`DELETE FROM ${tn} WHERE ${chance(0.5) ? range() : `${c} = ${col[c]()}`};`);
    }
    if (i % TXN_OPS === TXN_OPS - 1 || i === n - 1) out.push('COMMIT;');
  }
  return out;
}

/** Every row of every table, as one text: the same query in both tools. */
const DUMP = Object.entries(TABLES)
  .map(([tn, t]) => {
    const cols = t.cols.map((c) => `quote(${c})`).join(', ');
    return `SELECT '${tn}', ${t.key}, ${cols} FROM ${tn} ORDER BY ${t.key};`;
  })
  .join('\n') + '\n';

async function shell(cmd, file, sql) {
  const args = cmd === LODE ? ['-m', 'list', file] : ['-batch', '-list', file];
  const r = await runMergedAsync(cmd, args, sql, { timeout: 600000 });
  if (r.signal) throw new Error(`${cmd} killed by ${r.signal} on ${file}`);
  return r.output;
}

describe('interop: indexed tables under random row changes, lode and sqlite3', function () {
  const seed = Number(process.env.INDEX_INTEROP_SEED ?? 77031) >>> 0;
  const total = Number(process.env.INDEX_INTEROP_OPS ?? (process.env.INDEX_INTEROP_LONG === '1' ? 1000000 : 100000));
  let dir;

  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-interop-indexes-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const title = `${total} statements in ${PHASES} phases (seed ${seed})`;
  it(`${title}: each file passes the other tool's integrity_check with the same rows`, async function () {
    this.timeout(Math.max(300000, total * 10));
    const lodeFile = join(dir, 'lode.db');
    const sqliteFile = join(dir, 'sqlite.db');
    const rnd = prng(seed);
    const keys = Math.max(50, Math.round(Math.sqrt(total) * 2));
    await Promise.all([shell(LODE, lodeFile, SCHEMA.join('\n')), shell(SQLITE3, sqliteFile, SCHEMA.join('\n'))]);
    let rows = 0;
    for (let p = 0; p < PHASES; p++) {
      const n = Math.floor(total / PHASES) + (p < total % PHASES ? 1 : 0);
      const ops = operations(rnd, n, keys).join('\n') + '\n';
      const where = `seed ${seed}, phase ${p + 1} of ${PHASES}`;
      const [lodeOut, sqliteOut] = await Promise.all([shell(LODE, lodeFile, ops), shell(SQLITE3, sqliteFile, ops)]);
      // Both tools met the same constraint failures, in the same order.
      const diff = firstDifference(normalize(sqliteOut), normalize(lodeOut));
      assert.equal(diff, null, `${where}: the statements' errors differ: ${diff}`);
      const [icSqlite, icLode] = await Promise.all([
        shell(SQLITE3, lodeFile, 'PRAGMA integrity_check;\n'),
        shell(LODE, sqliteFile, 'PRAGMA integrity_check;\n'),
      ]);
      assert.equal(icSqlite, 'ok\n', `${where}: sqlite3's integrity_check of the file Lode wrote`);
      assert.equal(icLode, 'ok\n', `${where}: Lode's integrity_check of the file sqlite3 wrote`);
      // Two tools at a time, one per file.
      const both = (cmd) => Promise.all([shell(cmd, sqliteFile, DUMP), shell(cmd, lodeFile, DUMP)]);
      const [expected, lodeBySqlite] = await both(SQLITE3);
      const [sqliteByLode, lodeByLode] = await both(LODE);
      assert.ok(lodeBySqlite === expected, `${where}: the rows of Lode's file (read by sqlite3) differ from sqlite3's`);
      assert.ok(sqliteByLode === expected, `${where}: the rows of sqlite3's file differ as Lode reads them`);
      assert.ok(lodeByLode === expected, `${where}: the rows of Lode's file differ as Lode reads them`);
      rows = expected.split('\n').length - 1;
    }
    assert.ok(rows > 100, `the tables end with ${rows} rows: the stream should keep them filled`);
  });
});
