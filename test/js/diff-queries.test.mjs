// Randomized query differential test: seeded random SELECT statements over
// small tables with mixed-type data and NULLs (joins, WHERE, GROUP BY/HAVING,
// aggregates, DISTINCT, subqueries, compound selects, ORDER BY/LIMIT) run
// through Debian's sqlite3 and `lode -m list`; every statement must print the
// same rows or the same error.  Each query ends in an ORDER BY over all of its
// result columns so that row order is defined.  QUERY_SEED / QUERY_COUNT
// override the seed and the number of queries; failures print the seed.
import assert from 'node:assert/strict';
import { prng, requireLode, requireSqlite3, runBoth, splitMarked } from '../diff/lib.mjs';

const SETUP = [
  'CREATE TABLE p(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL);',
  'CREATE TABLE q(id INTEGER PRIMARY KEY, pid INTEGER, v, w TEXT);',
  "INSERT INTO p VALUES (1, 10, 'x', 1.5), (2, 20, 'y', NULL), (3, NULL, 'x', 2.0), (4, 10, NULL, -1.0), " +
    "(5, 30, 'Z', 2.0), (6, 20, 'y', 0.5), (7, -5, '10', 3.25), (8, 0, 'x', NULL);",
  "INSERT INTO q VALUES (1, 1, 'a', 'k'), (2, 1, 5, 'k'), (3, 2, NULL, 'm'), (4, 3, 2.5, NULL), " +
    "(5, 9, x'01', 'k'), (6, 5, '10', 'n'), (7, 2, 10, 'm'), (8, NULL, 'b', 'k');",
];


function generator(seed) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p) => rnd() < p;
  const literal = () => pick(['0', '1', '2', '10', '20', '-1', '2.0', '0.5', "'x'", "'y'", "'10'", 'NULL', "''"]);
  const colsOf = { p: ['id', 'a', 'b', 'c'], q: ['id', 'pid', 'v', 'w'] };

  function column(tables) {
    const [t, alias] = pick(tables);
    return `${alias}.${pick(colsOf[t])}`;
  }
  function scalar(tables, depth = 0) {
    const r = rnd();
    if (depth > 2 || r < 0.35) return column(tables);
    if (r < 0.5) return literal();
    if (r < 0.7) return `(${scalar(tables, depth + 1)} ${pick(['+', '-', '*', '||', '%'])} ${scalar(tables, depth + 1)})`;
    if (r < 0.8) return `${pick(['abs', 'length', 'typeof', 'upper', 'lower'])}(${scalar(tables, depth + 1)})`;
    if (r < 0.9) return `coalesce(${scalar(tables, depth + 1)}, ${literal()})`;
    return `CASE WHEN ${condition(tables, depth + 1)} THEN ${scalar(tables, depth + 1)} ELSE ${literal()} END`;
  }
  function condition(tables, depth = 0) {
    const r = rnd();
    if (depth < 2 && r < 0.2) return `(${condition(tables, depth + 1)} ${pick(['AND', 'OR'])} ${condition(tables, depth + 1)})`;
    if (r < 0.3) return `${scalar(tables, depth + 1)} IS ${pick(['', 'NOT '])}NULL`;
    if (r < 0.4) return `${scalar(tables, depth + 1)} IN (${literal()}, ${literal()}, ${literal()})`;
    if (r < 0.47) return `${scalar(tables, depth + 1)} BETWEEN ${literal()} AND ${literal()}`;
    if (r < 0.53 && depth < 2) return `${pick(['', 'NOT '])}EXISTS (SELECT 1 FROM q AS s WHERE s.pid = ${column(tables)})`;
    if (r < 0.58 && depth < 2) return `${column(tables)} IN (SELECT pid FROM q AS s WHERE s.w = ${pick(["'k'", "'m'"])})`;
    if (r < 0.62) return `NOT ${condition(tables, depth + 1)}`;
    return `${scalar(tables, depth + 1)} ${pick(['=', '<', '>', '<=', '>=', '!=', 'IS', 'IS NOT'])} ${scalar(tables, depth + 1)}`;
  }
  function from() {
    const r = rnd();
    if (r < 0.5) return { sql: 'p', tables: [['p', 'p']] };
    if (r < 0.65) return { sql: 'q', tables: [['q', 'q']] };
    if (r < 0.8) return { sql: 'p JOIN q ON q.pid = p.id', tables: [['p', 'p'], ['q', 'q']] };
    if (r < 0.92) return { sql: 'p LEFT JOIN q ON q.pid = p.id', tables: [['p', 'p'], ['q', 'q']] };
    return { sql: 'p, q AS r', tables: [['p', 'p'], ['q', 'r']] };
  }
  function query() {
    const f = from();
    const where = chance(0.7) ? ` WHERE ${condition(f.tables)}` : '';
    const n = 1 + Math.floor(rnd() * 3);
    const order = Array.from({ length: n }, (_, i) => i + 1).join(', ');
    const kind = rnd();
    if (kind < 0.3) {
      // grouped
      const key = column(f.tables);
      const aggs = Array.from({ length: n }, () => `${pick(['count', 'sum', 'min', 'max', 'total'])}(${column(f.tables)})`);
      const having = chance(0.3) ? ` HAVING count(*) ${pick(['>', '>=', '='])} ${pick(['1', '2'])}` : '';
      return `SELECT ${key}, ${aggs.join(', ')} FROM ${f.sql}${where} GROUP BY ${key}${having} ORDER BY ${order}, ${n + 1};`;
    }
    if (kind < 0.4) {
      const aggs = Array.from({ length: n }, () => `${pick(['count', 'sum', 'min', 'max', 'avg'])}(${scalar(f.tables)})`);
      return `SELECT ${aggs.join(', ')} FROM ${f.sql}${where};`;
    }
    const cols = Array.from({ length: n }, () => scalar(f.tables));
    const distinct = chance(0.2) ? 'DISTINCT ' : '';
    let sql = `SELECT ${distinct}${cols.join(', ')} FROM ${f.sql}${where}`;
    if (chance(0.15)) sql += ` ${pick(['UNION', 'UNION ALL', 'EXCEPT', 'INTERSECT'])} SELECT ${cols.map(() => literal()).join(', ')}`;
    sql += ` ORDER BY ${order}`;
    if (chance(0.2)) sql += ` LIMIT ${pick(['1', '3', '0', '-1'])}${chance(0.5) ? ` OFFSET ${pick(['1', '2'])}` : ''}`;
    return `${sql};`;
  }
  return query;
}

// Rows that compare equal may come out in either representation or order:
// ORDER BY leaves the order of equal keys open, 0 (INTEGER) equals 0.0
// (REAL), and DISTINCT/UNION/INTERSECT/EXCEPT keep one of several equal rows
// (which one depends on the join order the planner chose).  Such outputs are
// the same answer: accepted when they agree line by line once numbers are
// compared by value.  (Types of values are checked by the expression tests.)
function sameUpToNumericTies(x, y) {
  if (x === undefined || y === undefined) return false;
  const byValue = (line) => line.split('|').map((f) => (f !== '' && !Number.isNaN(Number(f)) ? String(Number(f)) : f)).join('|');
  const lx = x.split('\n').map(byValue);
  const ly = y.split('\n').map(byValue);
  return lx.length === ly.length && lx.every((line, i) => line === ly[i]);
}

describe('differential: random queries, lode vs sqlite3', function () {
  before(function () {
    requireSqlite3(this);
    requireLode();
  });

  const seed = Number(process.env.QUERY_SEED ?? 7301) >>> 0;
  const count = Number(process.env.QUERY_COUNT ?? 1500);

  it(`${count} random SELECTs (seed ${seed}) print the same rows and errors`, function () {
    const next = generator(seed);
    const queries = Array.from({ length: count }, next);
    // A marker after each query splits the merged output per statement.
    const script = [...SETUP, ...queries.flatMap((q, i) => [q, `SELECT '#${i}';`]), ''].join('\n');
    const r = runBoth(script);
    const a = splitMarked(r.sqlite);
    const b = splitMarked(r.lode);
    const bad = [];
    for (let i = 0; i < queries.length; i++) if (a[i] !== b[i] && !sameUpToNumericTies(a[i], b[i])) bad.push(i);
    const shown = bad
      .slice(0, 10)
      .map((i) => `  ${queries[i]}\n    sqlite3: ${JSON.stringify(a[i])}\n    lode:    ${JSON.stringify(b[i])}`);
    assert.equal(bad.length, 0, `seed ${seed}: ${bad.length} of ${queries.length} queries differ\n${shown.join('\n')}`);
    assert.ok(a.filter((x) => x && !x.startsWith('ERROR')).length > queries.length / 2, 'most queries return rows');
  });
});
