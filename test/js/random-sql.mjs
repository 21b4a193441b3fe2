// random-sql.mjs — pieces the randomized differential tests share (bloom-random, exists-random, autoindex-random,
// leftjoin-random): a seeded generator, the SQL expressions that fill a generated table's columns from the row
// number i, and the plan lines and rows of a query as the tests compare them.

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
