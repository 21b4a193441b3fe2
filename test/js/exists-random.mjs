// exists-random.mjs — random queries with EXISTS subqueries in WHERE, compared between Lode and SQLite 3.53
// (better-sqlite3): the rows always (each outer row counted once, however many rows match), and the EXPLAIN
// QUERY PLAN lines that say how each EXISTS runs — as a joined loop ("SEARCH t EXISTS …") or as a subquery — so
// that Lode joins exactly the EXISTS terms SQLite joins.  Whole plans are counted too (they may differ for
// reasons of their own: join order ties, automatic partial indexes).
//   node test/js/exists-random.mjs [cases=300] [seed=1] [--verbose]
// Also run (fewer cases) by exists-random.test.mjs.
import { compareQueries, createTable, fillTable, runFromCommandLine } from './random-sql.mjs';

const TYPES = ['INT', 'TEXT', '', 'REAL', 'TEXT COLLATE NOCASE', 'NUMERIC'];

function schema(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const tables = [];
  const sql = [];
  const ntab = 3 + Math.floor(r() * 2);
  for (let i = 0; i < ntab; i++) {
    const { cols, ipk, sql: create } = createTable(r, i, TYPES, 0.5);
    sql.push(create);
    const nidx = Math.floor(r() * 3);
    for (let k = 0; k < nidx; k++) {
      const a = pick(cols).name, b = pick(cols).name;
      const cs = r() < 0.5 || a === b ? a : `${a}, ${b}`;
      sql.push(`CREATE ${r() < 0.15 && cs === a ? 'UNIQUE ' : ''}INDEX t${i}i${k} ON t${i}(${cs})`);
    }
    const n = [0, 6, 40, 300][Math.floor(r() * 4)];
    const m = 1 + Math.floor(r() * (n + 1));
    if (n > 0) sql.push(fillTable(r, i, cols, n, m, 'INSERT OR IGNORE'));
    tables.push({ name: `t${i}`, cols, ipk, n });
  }
  return { tables, sql };
}

// A comparison of a column of the subquery's table with a value from outside it (or a constant).
function correlation(r, inner, outer) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const ops = ['=', '=', '=', 'IS', '<', '>=', '!='];
  const op = pick(ops);
  const right = outer ? `${outer.alias}.${pick(outer.t.cols).name}` : pick(['5', "'k1'", '2.0', 'NULL']);
  if (r() < 0.1) return `${inner}.${pick(['c0', 'c1', 'c2', 'c3'])} LIKE 'k1%'`;
  return `${inner}.${pick(['c0', 'c1', 'c2', 'c3'])} ${op} ${right}`;
}

// An EXISTS term over a random table, correlated to none, one or two of the outer items; now and then of a shape
// SQLite does not join (an aggregate, a LIMIT, a join of its own, a FROM subquery), or under NOT or OR.
function existsTerm(r, s, outer, k) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const t = pick(s.tables);
  const alias = `e${k}`;
  if (r() < 0.08) { // a table-valued function over outer values
    const o = pick(outer), o2 = pick(outer);
    const filter = r() < 0.7 ? ` WHERE ${alias}.value ${pick(['=', 'IS', '>'])} ${o2.alias}.${pick(o2.t.cols).name}` : '';
    return `EXISTS (SELECT 1 FROM json_each(json_array(${o.alias}.c1, ${o.alias}.c2, 5)) AS ${alias}${filter})`;
  }
  const terms = [];
  const nouter = Math.floor(r() * 3);
  for (let i = 0; i < nouter; i++) terms.push(correlation(r, alias, pick(outer)));
  if (r() < 0.4) terms.push(correlation(r, alias, null));
  if (r() < 0.1) terms.push(`${alias}.c1 IN (SELECT c2 FROM ${pick(s.tables).name} AS n${k} WHERE n${k}.c0 = ${alias}.c0)`);
  if (r() < 0.05) terms.push(`${alias}.c0 = ${alias}.rowid % 3`);
  const where = terms.length ? ` WHERE ${terms.join(r() < 0.12 ? ' OR ' : ' AND ')}` : '';
  let from = `${t.name} AS ${alias}`;
  let tail = '';
  const shape = r();
  if (shape < 0.05) from += ` JOIN ${pick(s.tables).name} AS j${k} ON j${k}.c0 = ${alias}.c1`;
  else if (shape < 0.08) from = `(SELECT * FROM ${t.name}) AS ${alias}`;
  else if (shape < 0.11) tail = ' LIMIT 1';
  else if (shape < 0.14) tail = ' GROUP BY c0';
  const result = shape >= 0.14 && shape < 0.17 ? 'count(*)' : pick(['1', '*', `${alias}.c2`, 'DISTINCT c1']);
  const e = `EXISTS (SELECT ${result} FROM ${from}${where}${tail})`;
  const wrap = r();
  return wrap < 0.08 ? `NOT ${e}` : wrap < 0.12 ? `(${e} OR ${outer[0].alias}.c0 = 1)` : e;
}

function query(r, s) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const nouter = 1 + Math.floor(r() * 2);
  const ts = [...s.tables].sort(() => r() - 0.5).slice(0, nouter);
  const outer = ts.map((t, i) => ({ t, alias: `a${i}` }));
  let from = `${ts[0].name} AS a0`;
  if (nouter > 1) {
    const jt = pick(['JOIN', 'JOIN', 'LEFT JOIN', 'CROSS JOIN', 'JOIN', 'LEFT JOIN', 'CROSS JOIN', 'RIGHT JOIN', 'FULL JOIN']);
    const on = jt === 'CROSS JOIN' ? '' : ` ON a1.${pick(ts[1].cols).name} = a0.${pick(ts[0].cols).name}`;
    from += ` ${jt} ${ts[1].name} AS a1${on}`;
  }
  const where = [];
  const nexists = 1 + (r() < 0.3 ? 1 : 0) + (r() < 0.1 ? 1 : 0);
  for (let k = 0; k < nexists; k++) where.push(existsTerm(r, s, outer, k));
  if (r() < 0.4) where.push(`a0.${pick(ts[0].cols).name} ${pick(['> 3', '< 10', '= 5', 'IS NOT NULL', "LIKE 'k1%'"])}`);
  where.sort(() => r() - 0.5);
  const shape = r();
  const cols = outer.map((o) => `${o.alias}.${pick(o.t.cols).name}`);
  const key = outer.map((o) => `${o.alias}.rowid`).join(', ');
  const w = ` WHERE ${where.join(' AND ')}`;
  if (shape < 0.25) return { sql: `SELECT count(*) FROM ${from}${w}`, ordered: true };
  if (shape < 0.4) return { sql: `SELECT DISTINCT ${cols[0]} FROM ${from}${w}`, ordered: false };
  if (shape < 0.55) return { sql: `SELECT ${cols[0]}, count(*) FROM ${from}${w} GROUP BY 1`, ordered: false };
  if (shape < 0.7) {
    const limit = pick(['', ' LIMIT 3', ' LIMIT 2 OFFSET 1']);
    return { sql: `SELECT ${cols.join(', ')}, ${key} FROM ${from}${w} ORDER BY ${cols[0]}, ${key}${limit}`, ordered: true };
  }
  if (shape < 0.75) return { sql: `SELECT max(${cols[0]}) FROM ${from}${w}`, ordered: true };
  return { sql: `SELECT ${cols.join(', ')}, ${key} FROM ${from}${w}`, ordered: false };
}

// How many EXISTS (and other scalar subqueries) stay subqueries: the others are joined (their loops say EXISTS,
// but for a MULTI-INDEX OR).
const existsShape = (plan) => plan.filter((d) => /SCALAR SUBQUERY/.test(d)).length;

export function compareExists({ cases = 300, seed = 1, verbose = false } = {}) {
  return compareQueries({
    cases, seed, verbose, schema, query, analyzeProb: 0.5, shape: existsShape,
    out: { joined: 0 },
    note: (out, q, plan) => {
      if (plan.some((d) => / EXISTS\b/.test(d))) out.joined++;
    },
  });
}

await runFromCommandLine(import.meta.url, compareExists);
