// Randomized differential test of queries that the planner answers through
// indexes: seeded random schemas (indexes over one or two columns, DESC,
// COLLATE NOCASE, UNIQUE; an INTEGER PRIMARY KEY table), rows full of NULLs,
// duplicates, case variants and mixed types (1, 1.0, '1', x'01'), and
// queries with equality, ranges, BETWEEN, IS NULL, COLLATE and two-table
// joins on indexed columns.  Each script runs through Debian's sqlite3 and
// `lode -m list`; every query must print the same rows.  An index may change
// how rows are found, never which.  INDEX_QUERY_SEED / INDEX_QUERY_SCRIPTS /
// INDEX_QUERY_COUNT override the seed, the number of scripts and queries per
// script; failures print the seed.
import assert from 'node:assert/strict';
import { prng, requireLode, requireSqlite3, runBoth, splitMarked } from '../diff/lib.mjs';


const VALUES = ['NULL', '1', '2', '3', '1.0', '2.5', '-1', "'1'", "'a'", "'A'", "'b'", "'B'", "'abc'", "x'01'",
  "'10'", '10', '100', "''"];
const INDEXES = [
  'CREATE INDEX t_a ON t(a)', 'CREATE INDEX t_bc ON t(b, c)', 'CREATE INDEX t_cd ON t(c DESC, d)',
  'CREATE INDEX t_e ON t(e)', 'CREATE INDEX t_ad ON t(a DESC)', 'CREATE INDEX t_eb ON t(e, b DESC)',
  'CREATE INDEX t_b_nocase ON t(b COLLATE NOCASE)', 'CREATE UNIQUE INDEX t_dc ON t(d, c)',
  'CREATE INDEX t_lb ON t(lower(b))', 'CREATE INDEX t_sum ON t(a + c)',
  'CREATE INDEX t_pc ON t(c) WHERE c IS NOT NULL', "CREATE INDEX t_pa ON t(a) WHERE b > 'a'",
  'CREATE INDEX u_y ON u(y)', 'CREATE INDEX u_zy ON u(z, y)', 'CREATE INDEX u_yd ON u(y DESC)',
];
const COLS = { t: ['a', 'b', 'c', 'd', 'e', 'rowid'], u: ['x', 'y', 'z', 'rowid'] };

function script(seed, nqueries) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const out = [
    'CREATE TABLE t(a, b TEXT, c INTEGER, d REAL, e COLLATE NOCASE);',
    'CREATE TABLE u(x INTEGER PRIMARY KEY, y, z TEXT COLLATE NOCASE);',
  ];
  // Indexes before or after the rows: both the bulk build and upkeep.
  const chosen = INDEXES.filter(() => rnd() < 0.5);
  const early = chosen.filter(() => rnd() < 0.5);
  for (const ix of early) out.push(`${ix};`);
  for (let i = 0; i < 60; i++) out.push(`INSERT INTO t VALUES (${Array.from({ length: 5 }, () => pick(VALUES)).join(', ')});`);
  for (let i = 0; i < 30; i++) out.push(`INSERT INTO u(y, z) VALUES (${pick(VALUES)}, ${pick(VALUES)});`);
  for (const ix of chosen) if (!early.includes(ix)) out.push(`${ix};`);
  out.push("UPDATE t SET a = b WHERE rowid % 7 = 0;", 'DELETE FROM u WHERE x % 9 = 0;');
  const term = (tab, alias) => {
    const c = `${alias ? `${alias}.` : ''}${pick(COLS[tab])}`;
    const r = rnd();
    if (r < 0.4) return `${c} ${pick(['=', '<', '<=', '>', '>='])} ${pick(VALUES)}`;
    if (r < 0.55) return `${c} BETWEEN ${pick(VALUES)} AND ${pick(VALUES)}`;
    if (r < 0.65) return `${c} IS NULL`;
    if (r < 0.75) return `${c} = ${pick(VALUES)} COLLATE NOCASE`;
    if (r < 0.85) return `${pick(VALUES)} ${pick(['=', '<', '>='])} ${c}`;
    if (r < 0.88 && tab === 't') return pick([`lower(b) ${pick(['=', '>', '<='])} ${pick(VALUES)}`, `a + c = ${pick(VALUES)}`,
      `${alias ? `${alias}.` : ''}b > 'a'`, `${alias ? `${alias}.` : ''}b LIKE '${pick(['a', 'A', 'ab', '1', 'B'])}${pick(['%', '_%', '%c'])}'`,
      `${alias ? `${alias}.` : ''}b GLOB '${pick(['a', 'A', 'ab', '1'])}${pick(['*', '?*'])}'`]);
    if (r < 0.9) return `(${c} = ${pick(VALUES)} OR ${c} = ${pick(VALUES)}${rnd() < 0.5 ? ` OR ${pick(VALUES)} = ${c}` : ''})`;
    if (r < 0.93) return `${c} IN (${Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(VALUES)).join(', ')})`;
    return `${c} = CAST(${pick(VALUES)} AS ${pick(['TEXT', 'INTEGER', 'REAL'])})`;
  };
  const queries = [];
  const dir = () => pick(['', ' DESC']);
  for (let q = 0; q < nqueries; q++) {
    const kind = rnd();
    if (kind < 0.08) {
      // min()/max() alone: answered by the first non-NULL value in order.  Only
      // columns whose affinity leaves no equal-but-different values (1 and 1.0,
      // 'a' and 'A' under NOCASE): which of those is "the" minimum depends on
      // the index a plan visits, in SQLite as in Lode.
      queries.push(`SELECT ${pick(['min', 'max'])}(${pick(['b', 'c', 'd', 'rowid'])}) FROM t;`);
    } else if (kind < 0.25) {
      // ORDER BY an indexed column (rowid last, so that the order is total),
      // maybe with LIMIT: rows may come from the index in order, unsorted.
      const col = pick(['a', 'b', 'c', 'e', 'b COLLATE NOCASE', 'd']);
      const d = dir();
      const rowidDir = rnd() < 0.8 ? d : dir();
      const w = rnd() < 0.5 ? ` WHERE ${term('t')}` : '';
      const cols = pick(['rowid, a, b, c, d, e', `${col.split(' ')[0]}, rowid`, 'b, c, rowid']);
      const limit = rnd() < 0.4 ? ` LIMIT ${pick(['1', '3', '10'])}${rnd() < 0.3 ? ' OFFSET 2' : ''}` : '';
      queries.push(`SELECT ${cols} FROM t${w} ORDER BY ${col}${d}, rowid${rowidDir}${limit};`);
    } else if (kind < 0.7) {
      const w = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => term('t')).join(' AND ');
      queries.push(`SELECT rowid, a, b, c, d, e FROM t WHERE ${w} ORDER BY 1;`);
      // The same without indexes: an index changes how rows are found, never which.
      queries.push(`SELECT rowid, a, b, c, d, e FROM t NOT INDEXED WHERE ${w} ORDER BY 1;`);
    } else {
      // Join columns of one collation: sqlite3 3.40 (the oracle here) carries a
      // constant through "t.b = u.z AND u.z = 'B'" across collations wrongly
      // (3.53 does not).
      const on = pick(['u.x = t.c', 'u.y = t.a', 'u.z = t.e', 't.e = u.z', 't.rowid = u.x', 't.a = u.y AND t.e = u.z']);
      if (rnd() < 0.3) {
        // LEFT JOIN: the right table looked up by its ON clause, a row of NULLs when nothing matches.
        queries.push(`SELECT t.rowid, u.x, u.y FROM t LEFT JOIN u ON ${on} AND ${term('u', 'u')} WHERE ${term('t', 't')} ORDER BY 1, 2, 3;`);
      } else {
        queries.push(`SELECT t.rowid, u.x FROM t, u WHERE ${term('t', 't')} AND ${term('u', 'u')} AND ${on} ORDER BY 1, 2;`);
      }
    }
  }
  return { setup: out, queries };
}

describe('differential: queries through indexes, lode vs sqlite3', function () {
  before(function () {
    requireSqlite3(this);
    requireLode();
  });

  const seed = Number(process.env.INDEX_QUERY_SEED ?? 4409) >>> 0;
  const scripts = Number(process.env.INDEX_QUERY_SCRIPTS ?? 60);
  const count = Number(process.env.INDEX_QUERY_COUNT ?? 300);

  it(`${scripts} random schemas × ${count} queries (seed ${seed}) print the same rows`, function () {
    this.timeout(Math.max(60000, scripts * count * 2));
    const bad = [];
    let rows = 0;
    for (let k = 0; k < scripts; k++) {
      const { setup, queries } = script(seed + k, count);
      const text = [...setup, ...queries.flatMap((q, i) => [q, `SELECT '#${i}';`]), ''].join('\n');
      const r = runBoth(text);
      const a = splitMarked(r.sqlite);
      const b = splitMarked(r.lode);
      for (let i = 0; i < queries.length; i++) {
        if (a[i] !== b[i]) bad.push(`seed ${seed + k}: ${queries[i]}\n    sqlite3: ${JSON.stringify(a[i])}\n    lode:    ${JSON.stringify(b[i])}`);
        else if (a[i]) rows++;
      }
    }
    assert.equal(bad.length, 0, `${bad.length} queries differ\n${bad.slice(0, 8).join('\n')}`);
    assert.ok(rows > scripts * count / 4, 'a good share of the queries return rows');
  });
});
