// Randomized differential test of index maintenance.  A seeded generator
// writes schemas with indexes of every kind (multi-column, DESC, COLLATE
// NOCASE, partial, expressions, UNIQUE indexes, UNIQUE and PRIMARY KEY column
// constraints, INTEGER PRIMARY KEY tables, WITHOUT ROWID tables with simple,
// composite, DESC and NOCASE keys) and random row changes (INSERT [OR
// ABORT|OR IGNORE|OR REPLACE], REPLACE, UPDATE [OR ABORT|OR IGNORE|OR
// REPLACE], DELETE; multi-row INSERTs that fail halfway on a UNIQUE key) over
// data full of NULLs, duplicates, mixed types (1, 1.0, '1', x'31') and case
// variants.  The same script runs through `lode` and the sqlite3 CLI, each
// on a database file of its own; after every statement both must print the
// same error or the same changes(), and at checkpoints the same table
// contents (ORDER BY rowid, or a WITHOUT ROWID table's key), the same answers
// to queries on indexed columns and PRAGMA integrity_check.
// Finally sqlite3 opens the file Lode wrote: integrity_check must be ok, and
// every index must answer its queries (INDEXED BY) as the table does (NOT
// INDEXED) — on that file, in sqlite3 and in Lode.
//
// INDEX_SEED overrides the seed; LODE_DIFF_INDEX_STMTS the total number of
// statements (default 3000, spread over rounds of STMTS_PER_ROUND).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, SQLITE3, compareScript, describeMismatches, prng, requireLode, requireSqlite3, run, runMerged } from '../diff/lib.mjs';

const STMTS_PER_ROUND = 150;
const CHECK_EVERY = 25;


// Few distinct values, so that keys collide often; every storage class and
// the values that compare equal across classes or under NOCASE.
const VALUES = ['NULL', 'NULL', '1', '1.0', "'1'", "x'31'", '2', '2.5', '-3', "'a'", "'A'", "'b'", "'B '", "'ab'",
  "'Ab'", "''", '0', '10', "'10'", '1e2'];

function generator(seed) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p) => rnd() < p;
  const int = (n) => Math.floor(rnd() * n);

  function table(name) {
    const wr = chance(0.3);
    const ipk = !wr && chance(0.4);
    const cols = ['a', 'b', 'c', 'd'].slice(0, 3 + int(2));
    const types = ['', 'INTEGER', 'TEXT', 'REAL', 'NUMERIC', 'BLOB'];
    const defs = [];
    if (ipk) defs.push('id INTEGER PRIMARY KEY');
    let pkUsed = ipk;
    // A WITHOUT ROWID table's key: one column (as a column constraint or
    // not) or two, each maybe DESC; the rows are identified by it.
    const key = wr ? [cols[int(cols.length)]] : [];
    if (wr && chance(0.5)) key.push(pick(cols.filter((c) => c !== key[0])));
    const keyTerms = key.map((c) => c + (chance(0.3) ? ' DESC' : ''));
    const keyInline = wr && key.length === 1 && chance(0.5);
    for (const c of cols) {
      let d = `${c}${pick(types) ? ' ' + pick(types) : ''}`;
      if (chance(0.15)) d += ' COLLATE NOCASE';
      if (keyInline && c === key[0]) {
        d += ' PRIMARY KEY';
        pkUsed = true;
      } else if (!pkUsed && !wr && chance(0.2)) {
        d += ' PRIMARY KEY';
        pkUsed = true;
      } else if (chance(0.2)) {
        d += ' UNIQUE';
        if (chance(0.3)) d += ` ON CONFLICT ${pick(['IGNORE', 'REPLACE', 'ABORT'])}`;
      }
      defs.push(d);
    }
    if (chance(0.25)) defs.push(`UNIQUE(${pick(cols)}, ${pick(cols)})`);
    if (wr && !keyInline) defs.push(`PRIMARY KEY(${keyTerms.join(', ')})`);
    // What names a row: its rowid, or the key of a WITHOUT ROWID table.
    const ident = wr ? key.join(', ') : 'rowid';
    return { name, ipk, wr, cols, ident, sql: `CREATE TABLE ${name}(${defs.join(', ')})${wr ? ' WITHOUT ROWID' : ''};` };
  }

  function indexTerm(t) {
    const r = rnd();
    if (r < 0.6) {
      let term = pick(t.cols);
      if (chance(0.2)) term += ' COLLATE NOCASE';
      if (chance(0.25)) term += ' DESC';
      return term;
    }
    const [x, y] = [pick(t.cols), pick(t.cols)];
    return pick([`lower(${x})`, `${x}+${y}`, `abs(${x})`, `${x}||'x'`, `typeof(${x})`, `coalesce(${x}, ${y})`]);
  }

  function condition(t) {
    const c = pick(t.cols);
    return pick([`${c} IS NOT NULL`, `${c} > 1`, `${c} < 'b'`, `typeof(${c}) = 'text'`, `${c} <> 2`]);
  }

  function index(t, name) {
    const n = 1 + int(3);
    const terms = [];
    for (let i = 0; i < n; i++) terms.push(indexTerm(t));
    const unique = chance(0.3) ? 'UNIQUE ' : '';
    const where = chance(0.25) ? ` WHERE ${condition(t)}` : '';
    const sql = `CREATE ${unique}INDEX ${name} ON ${t.name}(${terms.join(', ')})${where};`;
    return { name, table: t.name, ident: t.ident, terms, where, unique, sql };
  }

  function rowValues(t, withId) {
    const vals = t.cols.map(() => pick(VALUES));
    if (withId) vals.unshift(chance(0.3) ? 'NULL' : String(1 + int(12)));
    return `(${vals.join(', ')})`;
  }

  function statement(t) {
    const r = rnd();
    const withId = t.ipk && chance(0.5);
    const cols = withId ? ['id', ...t.cols] : t.cols;
    if (r < 0.45) {
      // OR ABORT overrides a constraint's own ON CONFLICT IGNORE/REPLACE,
      // which a plain INSERT obeys.  No OR FAIL / OR ROLLBACK (Lode aborts
      // instead: test/diff/pending/conflict-modes.sql).
      const verb = pick(['INSERT', 'INSERT', 'INSERT OR ABORT', 'INSERT OR IGNORE', 'INSERT OR REPLACE', 'REPLACE']);
      const n = 1 + int(4);
      const rows = Array.from({ length: n }, () => rowValues(t, withId));
      return `${verb} INTO ${t.name}(${cols.join(', ')}) VALUES ${rows.join(', ')};`;
    }
    if (r < 0.8) {
      const verb = pick(['UPDATE', 'UPDATE', 'UPDATE OR ABORT', 'UPDATE OR IGNORE', 'UPDATE OR REPLACE']);
      const sets = [];
      const n = 1 + int(2);
      for (let i = 0; i < n; i++) {
        const c = pick(t.ipk && chance(0.15) ? ['id'] : t.cols);
        const v = chance(0.7) ? pick(VALUES) : pick([`${c} || ''`, `${c} + 1`, `upper(${c})`, pick(t.cols)]);
        if (!sets.some((s) => s.startsWith(`${c} =`))) sets.push(`${c} = ${v}`);
      }
      return `${verb} ${t.name} NOT INDEXED SET ${sets.join(', ')} WHERE ${whereClause(t)};`;
    }
    return `DELETE FROM ${t.name} NOT INDEXED WHERE ${whereClause(t)};`;
  }

  // UPDATE and DELETE say NOT INDEXED: which row an UPDATE OR IGNORE keeps
  // (or which error a failing UPDATE reports) depends on the order rows are
  // visited, and sqlite3 would otherwise visit them in the order of an index
  // it picked, Lode in rowid order.
  function whereClause(t) {
    const c = pick(t.cols);
    const other = pick(t.cols);
    return pick([`${c} = ${pick(VALUES)}`, `${c} IS NULL`,
      t.wr ? `${other} < ${pick(VALUES)}` : `rowid % ${2 + int(4)} = ${int(2)}`,
      `${c} > ${pick(VALUES)}`, t.wr ? `${other} = ${pick(VALUES)}` : `rowid = ${1 + int(12)}`]);
  }

  return { rnd, pick, chance, int, table, index, statement };
}

// A WHERE for the rows an index covers whose first term equals v: the
// term as the index has it, and the partial condition when there is one.
function indexedWhere(ix, v) {
  const first = ix.terms[0].replace(/ DESC$/, '');
  const term = /COLLATE/.test(first) ? `(${first}) = ${v}` : `${first} = ${v}`;
  return ix.where ? `${term} AND ${ix.where.replace(/^ WHERE /, '')}` : term;
}

function round(seed, nstmts) {
  const g = generator(seed);
  const tables = [g.table('t1')];
  if (g.chance(0.5)) tables.push(g.table('t2'));
  const indexes = [];
  const lines = tables.map((t) => t.sql);
  let k = 0;
  for (const t of tables) {
    const n = 1 + g.int(4);
    for (let i = 0; i < n; i++) {
      const ix = g.index(t, `${t.name}_i${k++}`);
      indexes.push(ix);
      lines.push(ix.sql);
    }
  }
  const checkpoint = () => {
    for (const t of tables) lines.push(`SELECT ${t.wr ? '' : 'rowid, '}* FROM ${t.name} ORDER BY ${t.ident};`);
    for (const ix of indexes) {
      const v = g.pick(VALUES.filter((x) => x !== 'NULL'));
      lines.push(`SELECT ${ix.ident} FROM ${ix.table} WHERE ${indexedWhere(ix, v)} ORDER BY ${ix.ident};`);
    }
    lines.push('PRAGMA integrity_check;');
  };
  for (let i = 0; i < nstmts; i++) {
    const t = g.pick(tables);
    // On one line: both shells skip the rest of a line after an error, so
    // changes() shows only after a statement that succeeded.  (After a failed
    // statement sqlite3's changes() is 0 while Lode's keeps the previous value.)
    lines.push(`${g.statement(t)} SELECT changes();`);
    if ((i + 1) % CHECK_EVERY === 0) checkpoint();
  }
  checkpoint();
  return { script: lines.join('\n') + '\n', tables, indexes, g };
}

// Runs queries (one per line) in one process and returns each one's output,
// errors included, split at marker rows.
function eachOutput(cmd, args, queries) {
  const script = queries.map((q, i) => `${q}\nSELECT '#@${i}';`).join('\n') + '\n';
  const out = runMerged(cmd, args, script).output.split('\n');
  const chunks = [];
  let current = [];
  for (const line of out) {
    if (line.startsWith('#@')) {
      chunks.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  return chunks;
}

// On the file Lode wrote: sqlite3's integrity_check, and each index's
// answers (INDEXED BY) against the table's (NOT INDEXED).  Lode answers the
// NOT INDEXED queries on the same file too.
function verifyLodeFile(file, r) {
  const problems = [];
  const ic = run(SQLITE3, ['-batch', file], 'PRAGMA integrity_check;\n');
  if (ic.stdout !== 'ok\n') problems.push(`sqlite3 integrity_check on Lode's file: ${ic.stdout}${ic.stderr}`);
  const probes = [];
  for (const ix of r.indexes) {
    for (const v of VALUES.filter((x) => x !== 'NULL')) probes.push({ ix, where: indexedWhere(ix, v) });
  }
  const query = (p, hint) => `SELECT ${p.ix.ident} FROM ${p.ix.table} ${hint} WHERE ${p.where} ORDER BY ${p.ix.ident};`;
  const byIndex = eachOutput(SQLITE3, ['-batch', file], probes.map((p) => query(p, `INDEXED BY ${p.ix.name}`)));
  const scans = probes.map((p) => query(p, 'NOT INDEXED'));
  const byTable = eachOutput(SQLITE3, ['-batch', file], scans);
  const byLode = eachOutput(LODE, ['-m', 'list', file], scans);
  let used = 0;
  probes.forEach((p, i) => {
    if (/no query solution/.test(byIndex[i])) return; // sqlite3 cannot use this index for the term
    used++;
    if (byIndex[i] !== byTable[i]) {
      const got = `INDEXED BY ${JSON.stringify(byIndex[i])} vs NOT INDEXED ${JSON.stringify(byTable[i])}`;
      problems.push(`${p.ix.sql} WHERE ${p.where}: ${got}`);
    }
    if (byLode[i] !== byTable[i]) {
      const got = `lode ${JSON.stringify(byLode[i])} vs sqlite3 ${JSON.stringify(byTable[i])}`;
      problems.push(`${p.ix.sql} WHERE ${p.where}: ${got}`);
    }
  });
  return { problems, used };
}

describe('differential: index maintenance (random row changes)', function () {
  this.timeout(600000);
  const seed = Number(process.env.INDEX_SEED ?? 20261202) >>> 0;
  const total = Number(process.env.LODE_DIFF_INDEX_STMTS ?? 3000);
  const rounds = Math.max(1, Math.ceil(total / STMTS_PER_ROUND));
  let dir;

  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-diff-indexes-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it(`${total} statements in ${rounds} rounds (seed ${seed})`, function () {
    const failures = [];
    let probed = 0;
    for (let i = 0; i < rounds && failures.length < 3; i++) {
      const s = seed + i;
      const r = round(s, Math.min(STMTS_PER_ROUND, total - i * STMTS_PER_ROUND));
      const sqliteDb = join(dir, `s${s}.db`);
      const lodeDb = join(dir, `l${s}.db`);
      const cmp = compareScript(r.script, { sqliteDb, lodeDb });
      if (cmp.mismatches.length) {
        failures.push(`round seed ${s}:\n${r.script.split('\n').filter((l) => /^CREATE/.test(l)).join('\n')}\n` +
          describeMismatches('script', cmp.mismatches, 5));
        continue;
      }
      const { problems, used } = verifyLodeFile(lodeDb, r);
      probed += used;
      if (problems.length) failures.push(`round seed ${s} (Lode's file):\n  ${problems.slice(0, 5).join('\n  ')}`);
    }
    if (failures.length) assert.fail(failures.join('\n\n'));
    assert.ok(probed > 0, 'no index could answer a probe query: the INDEXED BY checks tested nothing');
  });
});
