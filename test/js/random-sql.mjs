// random-sql.mjs — pieces the randomized differential tests share (bloom-random, exists-random, autoindex-random,
// leftjoin-random; stat4-random and exprorder-random take the generator only): a seeded generator, the SQL
// expressions that fill a generated table's columns from the row number i, the plan lines and rows of a query as the
// tests compare them, and the comparison loop of the query tests.
import { createRequire } from 'node:module';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// A 32-bit xorshift generator: numbers in [0, 1), the same sequence for the same seed.
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

// An expression of the row number i for column j, chosen by one draw of r: values repeat modulo m, with NULLs,
// text in two cases and reals mixed in, so that duplicates, affinities and collations matter.
export function rowValue(r, j, m) {
  return [`(i * ${j + 3}) % ${m}`, `'k' || ((i * ${j + 7}) % ${m})`, `((i * ${j + 5}) % ${m}) * 1.0`,
    `CASE WHEN i % 7 = 0 THEN NULL ELSE (i * ${j + 11}) % ${m} END`,
    `CASE i % 3 WHEN 0 THEN 'K' || (i % ${m}) ELSE 'k' || (i % ${m}) END`][Math.floor(r() * 5)];
}

// Table t<i>: columns c0..c3, each of a type drawn from types, and an INTEGER PRIMARY KEY id with probability
// ipkProb.  Returns its columns, whether it has the id, and its CREATE TABLE.
export function createTable(r, i, types, ipkProb) {
  const cols = ['c0', 'c1', 'c2', 'c3'].map((c) => ({ name: c, type: types[Math.floor(r() * types.length)] }));
  const ipk = r() < ipkProb;
  const defs = (ipk ? ['id INTEGER PRIMARY KEY'] : []).concat(cols.map((c) => `${c.name} ${c.type}`));
  return { cols, ipk, sql: `CREATE TABLE t${i}(${defs.join(', ')})` };
}

// The statement (verb: INSERT or INSERT OR IGNORE) that fills t<i>'s columns with n rows of rowValue modulo m.
export function fillTable(r, i, cols, n, m, verb) {
  return `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ${n})
    ${verb} INTO t${i}(${cols.map((c) => c.name).join(', ')}) SELECT ${cols.map((c, j) => rowValue(r, j, m)).join(', ')} FROM r`;
}

// EXPLAIN QUERY PLAN's detail lines of sql, with its parameters bound.
export const eqp = (db, sql, params = []) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((x) => x.detail);

// The rows of query q ({sql, ordered}) as one string, sorted unless the query orders them.
export function queryRows(db, q) {
  const all = db.prepare(q.sql).raw().all().map((x) => JSON.stringify(x));
  return JSON.stringify(q.ordered ? all : all.sort());
}

// The loop of a random query comparison: schemas from schema(r) (its statements in .sql), ANALYZE with
// probability analyzeProb, ten queries a schema from query(r, s) (null: none drawn), each run through better-sqlite3
// and Lode.  A query SQLite refuses is not a case.  Counts in out (which starts with the caller's own counters):
// Lode's errors, rows that differ, plans whose shape(plan) differs, whole plans alike; note(out, q, plan) counts
// the caller's own on SQLite's plan.  Examples of every difference go to out.examples.
export async function compareQueries({ cases, seed, verbose, schema, query, analyzeProb, shape, out, note }) {
  const Lode = (await import('lodedb/compat')).default;
  const r = rng(seed);
  Object.assign(out, { cases: 0, rowsDiffer: 0, shapeDiffer: 0, planSame: 0, errors: 0, examples: [] });
  while (out.cases < cases) {
    const s = schema(r);
    const analyze = r() < analyzeProb;
    const a = new BetterSqlite3(':memory:');
    const b = new Lode(':memory:');
    try {
      for (const st of s.sql) { a.exec(st); b.exec(st); }
      if (analyze) { a.exec('ANALYZE'); b.exec('ANALYZE'); }
      for (let k = 0; k < 10 && out.cases < cases; k++) {
        const q = query(r, s);
        if (!q) continue;
        let pa, pb, ra, rb;
        try { pa = eqp(a, q.sql); ra = queryRows(a, q); } catch { continue; } // SQLite refuses it: not a case
        out.cases++;
        try { pb = eqp(b, q.sql); rb = queryRows(b, q); } catch (e) {
          out.errors++;
          out.examples.push({ kind: 'error', sql: q.sql, lode: e.message, schema: s.sql, analyze });
          continue;
        }
        note(out, q, pa);
        if (ra !== rb) {
          out.rowsDiffer++;
          out.examples.push({ kind: 'rows', sql: q.sql, sqlite: ra, lode: rb, schema: s.sql, analyze });
        }
        if (shape(pa) !== shape(pb)) {
          out.shapeDiffer++;
          out.examples.push({ kind: 'shape', sql: q.sql, sqlite: pa, lode: pb, schema: s.sql, analyze });
        }
        if (JSON.stringify(pa) === JSON.stringify(pb)) out.planSame++;
      }
    } finally { a.close(); b.close(); }
  }
  if (verbose) for (const e of out.examples) console.log(JSON.stringify(e));
  return out;
}

// Runs compare from the command line when url (the caller's import.meta.url) is the script node was given:
// [cases=300] [seed=1] [--verbose]; prints the counts.
export async function runFromCommandLine(url, compare) {
  if (url !== `file://${process.argv[1]}`) return;
  const args = process.argv.slice(2).filter((x) => !x.startsWith('--'));
  const { examples, ...counts } = await compare({
    cases: Number(args[0] ?? 300), seed: Number(args[1] ?? 1), verbose: process.argv.includes('--verbose'),
  });
  console.log(counts);
}
