// autoindex-random.mjs — random joins of tables that few indexes serve, so that automatic indexes (and their
// PARTIAL form, filtered by the terms that read only the indexed table) are in play: EXPLAIN QUERY PLAN and rows
// compared between Lode and SQLite 3.53 (better-sqlite3), with and without ANALYZE, with bound parameters, and
// with an ORDER BY or GROUP BY that a scan's rowid order may give.
//   node test/js/autoindex-random.mjs [cases=300] [seed=1] [--verbose]
// Also run (fewer cases) by autoindex-random.test.mjs.
import { createRequire } from 'node:module';

import { createTable, eqp, fillTable, rng } from './random-sql.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const TYPES = ['INT', 'INT', 'TEXT', '', 'REAL', 'TEXT COLLATE NOCASE', 'NUMERIC'];

function schema(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const tables = [];
  const sql = [];
  const ntab = 2 + Math.floor(r() * 3);
  for (let i = 0; i < ntab; i++) {
    const { cols, ipk, sql: create } = createTable(r, i, TYPES, 0.4);
    sql.push(create);
    if (r() < 0.2) sql.push(`CREATE INDEX t${i}i ON t${i}(${pick(cols).name})`);
    const n = [3, 20, 150, 1000, 4000][Math.floor(r() * 5)];
    const m = 1 + Math.floor(r() * n);
    sql.push(fillTable(r, i, cols, n, m, 'INSERT'));
    tables.push({ name: `t${i}`, cols, ipk, n });
  }
  return { tables, sql };
}

// A term that reads only alias's table (most of them usable in a partial index; some not: a subquery, random(),
// a column of another table), or no table at all.  Integers are bound as BigInt: better-sqlite3 binds a JS
// number as a REAL, Lode an integral one as an INTEGER.
function filter(r, alias, t, other, params) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const c = `${alias}.${pick(t.cols).name}`;
  const p = () => {
    params.push(pick([1n, 2n, 5n, 'k1', 'K2', null, 2.5, 'x']));
    return '?';
  };
  return pick([
    () => `${c} > ${pick([1, 3, "'k'", p()])}`,
    () => `${c} < ${pick([2, 10, "'k5'", p()])}`,
    () => `${c} = ${pick([1, 2, 5, "'k1'", "'K1'", p()])}`,
    () => `${c} IN (1, 2, 'k1')`,
    () => `${c} LIKE 'k1%'`,
    () => `${c} IS NOT NULL`,
    () => `${c} IS NULL`,
    () => `${c} BETWEEN 1 AND ${p()}`,
    () => `${c} != 2`,
    () => `${c} = 'K1' COLLATE NOCASE`,
    () => `abs(${c}) < 3`,
    () => `${c} + 0 > (random() & 0)`,
    () => `${c} IN (SELECT c1 FROM ${t.name})`,
    () => `${c} > (SELECT 1)`,
    () => `${c} = ${alias}.${pick(t.cols).name}`,
    () => `(${c} = 1 OR ${alias}.${pick(t.cols).name} = 2)`,
    () => (other ? `${c} < ${other}` : `${c} > 0`),
    () => `${p()} > 1`,
  ])();
}

function query(r, s) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const ts = [...s.tables].sort(() => r() - 0.5).slice(0, 2 + Math.floor(r() * (s.tables.length - 1)));
  const col = (t) => (t.ipk && r() < 0.1 ? 'id' : pick(t.cols).name);
  const from = [];
  const where = [];
  const params = [];
  ts.forEach((t, i) => {
    const alias = `a${i}`;
    const on = [];
    const j = i > 0 ? Math.floor(r() * i) : -1;
    if (i > 0) {
      on.push(`${alias}.${col(t)} = a${j}.${pick(ts[j].cols).name}`);
      if (r() < 0.2) on.push(`a${j}.${pick(ts[j].cols).name} = ${alias}.${pick(t.cols).name}`);
    }
    const left = i > 0 && r() < 0.2;
    const nf = Math.floor(r() * 3);
    for (let k = 0; k < nf; k++) {
      const f = filter(r, alias, t, j >= 0 ? `a${j}.${pick(ts[j].cols).name}` : null, params);
      if (left && r() < 0.5) where.push(f);
      else on.push(f);
    }
    if (i === 0) {
      from.push(`${t.name} AS ${alias}`);
      where.push(...on);
    } else {
      from.push(`${left ? 'LEFT JOIN' : 'JOIN'} ${t.name} AS ${alias} ON ${on.join(' AND ')}`);
    }
  });
  const body = `FROM ${from.join(' ')}${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
  const aliases = ts.map((t, i) => `a${i}`);
  const shape = r();
  if (shape < 0.6) return { sql: `SELECT count(*), sum(length(a0.c1)) ${body}`, params };
  if (shape < 0.8) {
    // An ORDER BY that a scan's rowid order may give (its first term), made total by the other rowids.
    const keys = [...aliases].sort(() => r() - 0.5).map((a) => `${a}.rowid${r() < 0.3 ? ' DESC' : ''}`);
    const limit = r() < 0.5 ? ` LIMIT ${1 + Math.floor(r() * 20)}` : '';
    const cols = aliases.map((a) => `${a}.rowid`).join(', ');
    return { sql: `SELECT ${cols} ${body} ORDER BY ${keys.join(', ')}${limit}`, params, ordered: true };
  }
  const g = pick(aliases);
  const gcol = r() < 0.5 ? 'rowid' : pick(ts[Number(g.slice(1))].cols).name;
  return { sql: `SELECT ${g}.${gcol}, count(*) ${body} GROUP BY ${g}.${gcol}`, params };
}

const noPartial = (plan) => JSON.stringify(plan.map((d) => d.replace('AUTOMATIC PARTIAL ', 'AUTOMATIC ')));
// SQLite rewrites a column that "col = constant" fixes as that constant in the other terms (its constant
// propagation, which Lode lacks): a join term may then read one table only, and filter its automatic index.
const propagates = (sql) => /\.c\d = (\?|-?\d|'[^']*')(?! COLLATE)/.test(sql);
// Rows without a total ORDER BY come in the plan's order: compared sorted.
function rows(db, sql, params, ordered) {
  const got = db.prepare(sql).raw().all(...params).map((row) => JSON.stringify(row));
  return JSON.stringify(ordered ? got : got.sort());
}

export async function compareAutoindex({ cases = 300, seed = 1, verbose = false } = {}) {
  const Lode = (await import('lodedb/compat')).default;
  const r = rng(seed);
  const out = { cases: 0, same: 0, withAuto: 0, withPartial: 0, planDiffer: 0, rowsDiffer: 0, comparable: 0,
    partialDiffer: 0, examples: [] };
  let c = 0;
  while (c < cases) {
    const s = schema(r);
    const analyze = r() < 0.6;
    const a = new BetterSqlite3(':memory:');
    const b = new Lode(':memory:');
    try {
      for (const st of s.sql) { a.exec(st); b.exec(st); }
      if (analyze) { a.exec('ANALYZE'); b.exec('ANALYZE'); }
      for (let q = 0; q < 10 && c < cases; q++, c++) {
        const { sql, params, ordered } = query(r, s);
        const example = (kind, sqlite, lode) => ({ kind, sql, params, sqlite, lode, schema: s.sql, analyze });
        let pa, pb, rb;
        try { pa = eqp(a, sql, params); } catch { c--; continue; }
        try { pb = eqp(b, sql, params); } catch (e) { pb = [`error: ${e.message}`]; }
        out.cases++;
        const ra = rows(a, sql, params, ordered);
        try { rb = rows(b, sql, params, ordered); } catch (e) { rb = `error: ${e.message}`; }
        if (ra !== rb) {
          out.rowsDiffer++;
          out.examples.push(example('rows', ra, rb));
        }
        if (pa.some((d) => /AUTOMATIC/.test(d))) out.withAuto++;
        if (pa.some((d) => /AUTOMATIC PARTIAL/.test(d))) out.withPartial++;
        if (JSON.stringify(pa) === JSON.stringify(pb)) out.same++;
        else {
          out.planDiffer++;
          out.examples.push(example('plan', pa, pb));
        }
        // The PARTIAL rule, given the same plan otherwise.
        if (noPartial(pa) === noPartial(pb) && !propagates(sql)) {
          out.comparable++;
          if (JSON.stringify(pa) !== JSON.stringify(pb)) {
            out.partialDiffer++;
            out.examples.push(example('partial', pa, pb));
          }
        }
      }
    } finally { a.close(); b.close(); }
  }
  const bigint = (k, v) => (typeof v === 'bigint' ? `${v}n` : v);
  if (verbose) for (const e of out.examples) console.log(JSON.stringify(e, bigint));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((x) => !x.startsWith('--'));
  const verbose = process.argv.includes('--verbose');
  const res = await compareAutoindex({ cases: Number(args[0] ?? 300), seed: Number(args[1] ?? 1), verbose });
  const { examples, ...counts } = res;
  console.log(counts);
}
