// bloom-random.mjs — random joins whose EXPLAIN QUERY PLAN's Bloom filter lines ("BLOOM FILTER ON t (k=?)",
// "CREATE BLOOM FILTER") are compared between Lode and SQLite 3.53 (better-sqlite3), with and without ANALYZE.
// Only plans that agree once those lines are removed count: the filter rule is compared given the same plan.
// Rows are compared too (a filter must never drop a row).
//   node test/js/bloom-random.mjs [cases=300] [seed=1] [--verbose]
// Also run (fewer cases) by bloom-random.test.mjs.
import { createRequire } from 'node:module';

import { createTable, eqp, fillTable, rng } from './random-sql.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const TYPES = ['INT', 'TEXT', '', 'REAL', 'TEXT COLLATE NOCASE', 'NUMERIC'];

function schema(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const tables = [];
  const sql = [];
  const ntab = 2 + Math.floor(r() * 2);
  for (let i = 0; i < ntab; i++) {
    const { cols, ipk, sql: create } = createTable(r, i, TYPES, 0.5);
    sql.push(create);
    const nidx = Math.floor(r() * 3);
    for (let k = 0; k < nidx; k++) {
      const a = pick(cols).name, b = pick(cols).name;
      const cs = r() < 0.5 || a === b ? a : `${a}, ${b}`;
      sql.push(`CREATE INDEX t${i}i${k} ON t${i}(${cs})`);
    }
    const n = [5, 40, 300, 2000][Math.floor(r() * 4)];
    const m = 1 + Math.floor(r() * n);
    sql.push(fillTable(r, i, cols, n, m, 'INSERT OR IGNORE'));
    tables.push({ name: `t${i}`, cols, ipk, n });
  }
  return { tables, sql };
}

function query(r, s) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const ts = [...s.tables].sort(() => r() - 0.5).slice(0, 2 + Math.floor(r() * (s.tables.length - 1)));
  const col = (t) => (t.ipk && r() < 0.25 ? 'id' : pick(t.cols).name);
  const from = [];
  const where = [];
  ts.forEach((t, i) => {
    const alias = `a${i}`;
    let item = `${t.name} AS ${alias}`;
    if (r() < 0.12) item = `(SELECT ${t.cols.map((c) => c.name).join(', ')}, count(*) AS n FROM ${t.name} GROUP BY 1, 2, 3, 4) AS ${alias}`;
    const on = [];
    if (i > 0) {
      const j = Math.floor(r() * i);
      on.push(`${alias}.${item.startsWith('(') ? pick(t.cols).name : col(t)} = a${j}.${ts[j].cols[Math.floor(r() * 4)].name}`);
      if (r() < 0.2) on.push(`${alias}.${pick(t.cols).name} = a${j}.${pick(ts[j].cols).name}`);
    }
    const filters = [`> 3`, `< 10`, `= 5`, `IN (1, 2, 'k1')`, `LIKE 'k1%'`, `IS NOT NULL`, `BETWEEN 1 AND 9`, `!= 2`];
    if (r() < 0.5) on.push(`${alias}.${pick(t.cols).name} ${pick(filters)}`);
    if (r() < 0.1) on.push(`${alias}.${pick(t.cols).name} IN (SELECT c1 FROM ${pick(s.tables).name})`);
    const left = i > 0 && r() < 0.2;
    if (i === 0) { from.push(item); where.push(...on); }
    // A LIKE in a LEFT JOIN's ON reads its column through a unary plus: SQLite (3.40 and 3.53) makes a LIKE
    // prefix there a range of the right table's index or rowid that loses the row of NULLs
    // (test/diff/pending/index-mismatches.sql).
    else if (left) from.push(`LEFT JOIN ${item} ON ${on.map((c) => (c.endsWith(" LIKE 'k1%'") ? `+${c}` : c))
      .join(' AND ')}`);
    else { from.push(`JOIN ${item} ON ${on.join(' AND ')}`); }
  });
  return `SELECT count(*), sum(length(a0.c1)) FROM ${from.join(' ')}${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
}

const isBloom = (d) => /BLOOM FILTER/.test(d);

export async function compareBloom({ cases = 300, seed = 1, verbose = false } = {}) {
  const Lode = (await import('lodedb/compat')).default;
  const r = rng(seed);
  const out = { compared: 0, withBloom: 0, bloomDiffer: 0, otherDiffer: 0, rowsDiffer: 0, examples: [] };
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
        const sql = query(r, s);
        let pa, pb;
        try { pa = eqp(a, sql); } catch { c--; continue; }
        try { pb = eqp(b, sql); } catch (e) { out.otherDiffer++; continue; }
        const ra = JSON.stringify(a.prepare(sql).raw().all());
        const rb = JSON.stringify(b.prepare(sql).raw().all());
        if (ra !== rb) { out.rowsDiffer++; out.examples.push({ kind: 'rows', sql, sqlite: ra, lode: rb, schema: s.sql, analyze }); }
        if (JSON.stringify(pa.filter((d) => !isBloom(d))) !== JSON.stringify(pb.filter((d) => !isBloom(d)))) {
          out.otherDiffer++;
          continue;
        }
        out.compared++;
        if (pa.some(isBloom)) out.withBloom++;
        if (JSON.stringify(pa) !== JSON.stringify(pb)) {
          out.bloomDiffer++;
          out.examples.push({ kind: 'bloom', sql, sqlite: pa, lode: pb, schema: s.sql, analyze });
        }
      }
    } finally { a.close(); b.close(); }
  }
  if (verbose) for (const e of out.examples) console.log(JSON.stringify(e));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((x) => !x.startsWith('--'));
  const res = await compareBloom({ cases: Number(args[0] ?? 300), seed: Number(args[1] ?? 1), verbose: process.argv.includes('--verbose') });
  const { examples, ...counts } = res;
  console.log(counts);
}
