// leftjoin-random.mjs — random queries over LEFT, RIGHT and FULL joins with random WHERE terms, compared between
// Lode and SQLite 3.53 (better-sqlite3).  A WHERE term that cannot be true on a row of NULLs of an outer join's
// item makes that join inner (codegen/outer_join.c): done wrongly, rows of NULLs go missing, so the rows must
// always match.  The EXPLAIN QUERY PLAN lines must also keep as many outer joins ("LEFT-JOIN" on a loop, a
// "RIGHT-JOIN" pass) as SQLite's, which says both engines made the same joins inner; whole plans are counted
// (they may differ for reasons of their own: join order ties, automatic partial indexes).
//   node test/js/leftjoin-random.mjs [cases=300] [seed=1] [--verbose]
// Also run (fewer cases) by leftjoin-random.test.mjs.
import { compareQueries, createTable, fillTable, runFromCommandLine } from './random-sql.mjs';

const TYPES = ['INT', 'TEXT', '', 'REAL', 'TEXT COLLATE NOCASE', 'NUMERIC'];

function schema(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const tables = [];
  const sql = [];
  const ntab = 3 + Math.floor(r() * 2);
  for (let i = 0; i < ntab; i++) {
    const { cols, ipk, sql: create } = createTable(r, i, TYPES, 0.4);
    sql.push(create);
    const nidx = Math.floor(r() * 3);
    for (let k = 0; k < nidx; k++) {
      const a = pick(cols).name, b = pick(cols).name;
      sql.push(`CREATE INDEX t${i}i${k} ON t${i}(${r() < 0.5 || a === b ? a : `${a}, ${b}`})`);
    }
    const n = [0, 5, 30, 120][Math.floor(r() * 4)];
    const m = 1 + Math.floor(r() * (n + 1));
    if (n > 0) sql.push(fillTable(r, i, cols, n, m, 'INSERT OR IGNORE'));
    tables.push({ name: `t${i}`, cols, ipk, n });
  }
  sql.push('CREATE VIEW v0 AS SELECT c0, c1, c2 FROM t0');
  sql.push('CREATE VIEW v1 AS SELECT c0, c1 + 1 AS c1, 7 AS c2 FROM t1');
  return { tables, sql };
}

// A column of one of the items, qualified (now and then through an expression or a collation).
function col(r, items) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const it = pick(items);
  const c = `${it.alias}.${pick(it.cols)}`;
  const shape = r();
  if (shape < 0.08) return `(${c} + 1)`;
  if (shape < 0.12) return `CAST(${c} AS TEXT)`;
  if (shape < 0.15) return `${c} COLLATE NOCASE`;
  if (shape < 0.18) return `-${c}`;
  return c;
}

const value = (r) => ['5', "'k1'", '2.0', 'NULL', '0', "'K2'"][Math.floor(r() * 6)];

// A WHERE term of the shapes that do and do not need a row of the items they read.  In an ON clause (on) a
// LIKE reads its column through a unary plus: SQLite (3.40 and 3.53) turns a LIKE prefix there into a range of
// the right item's index or rowid that loses the row of NULLs (test/diff/pending/index-mismatches.sql).
function term(r, items, depth, on = false) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const a = () => col(r, items);
  const other = () => (r() < 0.5 ? a() : value(r));
  const k = Math.floor(r() * (depth > 1 ? 24 : 30));
  switch (k) {
    case 0: case 1: case 2: return `${a()} ${pick(['=', '<', '>=', '!=', '=='])} ${other()}`;
    case 3: return `${a()} IS NULL`;
    case 4: return `${a()} IS NOT NULL`;
    case 5: return `${a()} IS ${other()}`;
    case 6: return `${a()} IS NOT ${other()}`;
    case 7: return `${a()} IN (${value(r)}, ${other()})`;
    case 8: return `${a()} NOT IN (${value(r)}, 'k3')`;
    case 9: return `${value(r)} IN (${a()}, 5)`;
    case 10: return `${on ? '+' : ''}${a()} LIKE 'k1%'`;
    case 11: return `${a()} BETWEEN ${other()} AND ${other()}`;
    case 12: return `${value(r)} NOT BETWEEN ${a()} AND ${a()}`;
    case 13: return `coalesce(${a()}, ${value(r)}) = ${value(r)}`;
    case 14: return `ifnull(${a()}, 0) > 1`;
    case 15: return `CASE WHEN ${a()} > 2 THEN 1 ELSE 0 END`;
    case 16: return `likely(${a()} = ${other()})`;
    case 17: return `abs(${a()}) >= 0`;
    case 18: return `${a()} IN (SELECT c0 FROM ${pick(['t0', 't1', 't2'])})`;
    case 19: return `EXISTS (SELECT 1 FROM t2 AS x WHERE x.c0 = ${a()})`;
    case 20: return `(${a()}, ${a()}) = (${value(r)}, ${value(r)})`;
    case 21: return `${a()} IS TRUE`;
    case 22: return `${a()}`;
    case 23: return `${a()} + ${a()} > 3`;
    case 24: case 25: return `(${term(r, items, depth + 1, on)} OR ${term(r, items, depth + 1, on)})`;
    case 26: case 27: return `(${term(r, items, depth + 1, on)} AND ${term(r, items, depth + 1, on)})`;
    default: return `NOT (${term(r, items, depth + 1, on)})`;
  }
}

function query(r, s) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const n = 2 + Math.floor(r() * 3);
  const items = [];
  let from = '';
  let size = 1; // the rows of the join with no condition: a query that could give too many is drawn again
  for (let i = 0; i < n; i++) {
    const alias = `a${i}`;
    const shape = r();
    let src, cols;
    if (shape < 0.08) {
      const v = Math.floor(r() * 2);
      src = `v${v}`;
      cols = ['c0', 'c1', 'c2'];
      size *= Math.max(1, s.tables[v].n);
    } else if (shape < 0.14) {
      const t = pick(s.tables);
      src = `(SELECT c0, c1, c2 FROM ${t.name})`;
      cols = ['c0', 'c1', 'c2'];
      size *= Math.max(1, t.n);
    } else {
      const t = pick(s.tables);
      src = t.name;
      cols = t.cols.map((c) => c.name).concat(t.ipk ? ['id'] : ['rowid']);
      size *= Math.max(1, t.n);
    }
    const it = { alias, cols };
    if (i === 0) from = `${src} AS ${alias}`;
    else {
      const jt = pick(['LEFT JOIN', 'LEFT JOIN', 'LEFT JOIN', 'JOIN', 'CROSS JOIN', ',', 'RIGHT JOIN', 'FULL JOIN']);
      let on = '';
      if (jt !== ',' && jt !== 'CROSS JOIN') {
        const conds = [`${alias}.${pick(cols)} = ${col(r, items)}`];
        if (r() < 0.3) conds.push(term(r, items.concat([it]), 2, true));
        on = ` ON ${conds.join(' AND ')}`;
      }
      from += `${jt === ',' ? ',' : ` ${jt}`} ${src} AS ${alias}${on}`;
    }
    items.push(it);
  }
  if (size > 50000) return null;
  const nterms = Math.floor(r() * 4);
  const terms = [];
  for (let k = 0; k < nterms; k++) terms.push(term(r, items, 0));
  const where = terms.length ? ` WHERE ${terms.join(' AND ')}` : '';
  const out = items.map((it) => `${it.alias}.${pick(it.cols)}`).join(', ');
  const shape = r();
  if (shape < 0.2) return { sql: `SELECT count(*) FROM ${from}${where}`, ordered: true };
  if (shape < 0.3) return { sql: `SELECT ${out} FROM ${from}${where} ORDER BY 1, 2`, ordered: false };
  return { sql: `SELECT ${out} FROM ${from}${where}`, ordered: false };
}

// The outer joins a plan keeps: its loops marked LEFT-JOIN, its RIGHT-JOIN passes.
const outerJoins = (plan) =>
  `${plan.filter((d) => / LEFT-JOIN$/.test(d)).length}/${plan.filter((d) => /^RIGHT-JOIN /.test(d)).length}`;

export function compareLeftJoins({ cases = 300, seed = 1, verbose = false } = {}) {
  return compareQueries({
    cases, seed, verbose, schema, query, analyzeProb: 0.3, shape: outerJoins,
    out: { simplified: 0 },
    note: (out, q, plan) => {
      const written = (q.sql.match(/ (LEFT|RIGHT|FULL) JOIN /g) || []).length;
      const kept = outerJoins(plan).split('/').map(Number);
      if (written > 0 && kept[0] + kept[1] < written) out.simplified++;
    },
  });
}

await runFromCommandLine(import.meta.url, compareLeftJoins);
