// The generator of the randomized index/planner differential test
// (test/js/diff-index-queries.test.mjs): seeded random schemas with indexes,
// data that makes index order hard to get right, and queries of every shape
// the planner answers through indexes.  Each query comes in two forms: as
// written, and with NOT INDEXED on every table it reads, so that a run can
// check that an index changes how rows are found, never which.
//
//   node test/diff/index-queries.mjs SEED [QUERIES]            prints the script of a seed
//   node test/diff/index-queries.mjs SEED [QUERIES] --check    runs it, shrinks what differs
//
// Schemas: two to five tables of three to five columns of every declared
// type (none, INTEGER, TEXT, REAL, NUMERIC, BLOB) and collation (BINARY,
// NOCASE, RTRIM), an INTEGER PRIMARY KEY or a PRIMARY KEY / UNIQUE column
// (autoindexes) sometimes, and up to five indexes per table: multi-column,
// DESC, COLLATE, UNIQUE, partial, on expressions; created before or after
// the rows; ANALYZE sometimes.  WITHOUT ROWID tables only with
// { withoutRowid: true } (the test's default; INDEX_DIFF_WITHOUT_ROWID=0 leaves them out).
//
// Queries: point and range terms, BETWEEN, IN lists and subqueries, OR on
// one column and across columns, IS [NOT] NULL, LIKE and GLOB prefixes,
// COLLATE in terms, index expressions, partial-index conditions; joins of
// two to five tables (inner, ON, LEFT, self-joins); ORDER BY … [LIMIT
// [OFFSET]]; GROUP BY [HAVING]; count, count(DISTINCT), min/max.
//
// What makes two correct answers differ, and how the queries avoid it:
// - Row order without ORDER BY is the plan's: such results are compared as
//   sorted multisets (query.ordered false).  An ORDER BY always ends with
//   the key of every table it reads, so that it is total and LIMIT cuts in
//   the same place.
// - Values that compare equal but print differently (1 and 1.0 in a column
//   without affinity; 'a', 'A' under NOCASE; 'a' and 'a ' under RTRIM):
//   which of them min(), max() or a GROUP BY key returns depends on the row
//   a plan meets first.  Such results go through canon(), which maps every
//   value of one class of equals to one text.
// - sum() of integers fails on an intermediate overflow, which depends on
//   the order it adds in: sums are over length(), never over raw values.
// - sqlite3 3.40 (the oracle) carries a constant across a comparison of
//   two columns of different collations ("t.b = u.z AND u.z = 'B'" used as
//   "t.b = 'B'"), which SQLite 3.53, the SQL Lode targets, no longer does:
//   column-to-column comparisons only pair columns of one collation.
import BetterSqlite3 from 'better-sqlite3';
import { LODE, SQLITE3, normalize, prng, runMergedAsync, splitMarked } from './lib.mjs';

// The text of a REAL has 15 digits in sqlite3 3.40 and up to 17 in SQLite 3.53
// (Lode's target): lengths are measured on 3.40's text in both.
function sumOfLengths(col) {
  return `sum(length(iif(typeof(${col}) = 'real', printf('%!.15g', ${col}), ${col})))`;
}

// Few distinct values so that keys repeat; every storage class; values
// equal across classes (1, 1.0, '1' under numeric affinity), under NOCASE
// ('a', 'A') and under RTRIM ('a', 'a '); non-ASCII letters that NOCASE
// does not fold; LIKE's wildcards as data; the integer extremes (the
// largest one also stored in REAL columns, as 9223372036854775808.0, which
// an integer key must not find).
export const VALUES = ['NULL', 'NULL', 'NULL', '0', '1', '2', '3', '-1', '1.0', '2.5', '-0.5', '10', '100',
  '-9223372036854775808', '9223372036854775807', "'1'", "'1.0'", "' 1'", "'01'", "'10'", "'2'", "'a'", "'A'",
  "'a '", "'A '", "'ab'", "'aB'", "'Ab'", "'abc'", "'b'", "'B'", "'b '", "''", "' '", "'a%'", "'a_b'", "'é'",
  "'É'", "x'31'", "x'61'", "x''", "x'00ff'"];
const KEY_VALUES = VALUES.filter((v) => v !== 'NULL');
const TYPES = ['', 'INTEGER', 'TEXT', 'REAL', 'NUMERIC', 'BLOB'];
const COLLS = ['BINARY', 'BINARY', 'BINARY', 'NOCASE', 'RTRIM'];
const NI = '/*NI*/';

/** The text that stands for every value equal to x under collation coll:
 *  numbers as REAL, text folded as the collation compares it. */
export function canon(x, coll = 'BINARY') {
  const text = coll === 'NOCASE' ? `lower(${x})` : coll === 'RTRIM' ? `rtrim(${x}, ' ')` : x;
  return `CASE WHEN typeof(${x}) IN ('integer', 'real') THEN quote(${x} * 1.0) ` +
    `WHEN typeof(${x}) = 'text' THEN quote(${text}) ELSE quote(${x}) END`;
}

export function generate(seed, nqueries, { withoutRowid = false } = {}) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p) => rnd() < p;
  const int = (n) => Math.floor(rnd() * n);
  const some = (n, f) => Array.from({ length: n }, f);

  // ---- schema ---------------------------------------------------------
  function makeTable(name, nrows) {
    const ncols = 3 + int(3);
    const cols = some(ncols, (_, i) => ({ name: 'abcde'[i], type: pick(TYPES), coll: pick(COLLS) }));
    const t = { name, cols, nrows, ipk: false, wr: false, key: ['rowid'], exprs: [], partials: [] };
    const defs = [];
    if (withoutRowid && chance(0.3)) {
      t.wr = true;
      const pk = chance(0.5) ? [cols[0].name] : [cols[0].name, cols[1].name];
      t.key = pk;
      for (const c of cols) defs.push(colDef(c));
      defs.push(`PRIMARY KEY(${pk.join(', ')})`);
      t.sql = `CREATE TABLE ${name}(${defs.join(', ')}) WITHOUT ROWID;`;
      return t;
    }
    if (chance(0.35)) {
      t.ipk = true;
      defs.push('id INTEGER PRIMARY KEY');
      t.cols.unshift({ name: 'id', type: 'INTEGER', coll: 'BINARY', ipk: true });
    }
    let pkUsed = t.ipk;
    for (const c of cols) {
      if (c.ipk) continue;
      let d = colDef(c);
      // Not on an INTEGER column: that would be a rowid alias, and a row
      // given the largest rowid makes the next rowid a random one.
      if (!pkUsed && c.type !== 'INTEGER' && chance(0.08)) {
        d += ' PRIMARY KEY';
        pkUsed = true;
      } else if (chance(0.08)) d += ' UNIQUE';
      defs.push(d);
    }
    t.sql = `CREATE TABLE ${name}(${defs.join(', ')});`;
    return t;
  }
  function colDef(c) {
    c.explicit = c.coll !== 'BINARY' || chance(0.1);
    return `${c.name}${c.type ? ' ' + c.type : ''}${c.explicit ? ' COLLATE ' + c.coll : ''}`;
  }
  const dataCols = (t) => t.cols.filter((c) => !c.ipk);
  // Index expressions and partial conditions are kept with '@' before each
  // column, to be written for the index (no prefix) or for a query (alias.).
  const at = (e, prefix) => e.replaceAll('@', prefix);

  function indexTerm(t) {
    const cs = dataCols(t);
    const c = pick(cs);
    const r = rnd();
    if (r < 0.65) {
      let term = c.name;
      if (chance(0.2)) term += ` COLLATE ${pick(['NOCASE', 'BINARY', 'RTRIM'])}`;
      if (chance(0.3)) term += ' DESC';
      return term;
    }
    const d = pick(cs);
    const e = pick([`lower(@${c.name})`, `@${c.name} + @${d.name}`, `-@${c.name}`, `coalesce(@${c.name}, @${d.name})`,
      `length(@${c.name})`, `substr(@${c.name}, 1, 1)`]);
    t.exprs.push(e);
    return at(e, '') + (chance(0.2) ? ' DESC' : '');
  }
  function partialCondition(t) {
    const c = `@${pick(dataCols(t)).name}`;
    return pick([`${c} IS NOT NULL`, `${c} > 1`, `${c} < 'b'`, `typeof(${c}) = 'text'`, `${c} <> 2`, `${c} = 'a'`]);
  }
  function makeIndex(t, name) {
    const terms = some(1 + int(3), () => indexTerm(t));
    const unique = chance(0.15) ? 'UNIQUE ' : '';
    let where = '';
    if (chance(0.25)) {
      const w = partialCondition(t);
      t.partials.push(w);
      where = ` WHERE ${at(w, '')}`;
    }
    return `CREATE ${unique}INDEX ${name} ON ${t.name}(${terms.join(', ')})${where};`;
  }

  const ntables = 2 + int(4);
  const tables = some(ntables, (_, i) => makeTable(`t${i + 1}`, i === 0 ? 20 + int(40) : 5 + int(20)));
  const setup = tables.map((t) => t.sql);
  const indexes = [];
  let k = 0;
  for (const t of tables) {
    const n = int(6);
    for (let i = 0; i < n; i++) indexes.push(makeIndex(t, `${t.name}_i${k++}`));
  }
  // Some indexes exist before the rows (upkeep), others are built over them.
  const early = indexes.filter(() => chance(0.5));
  setup.push(...early);
  for (const t of tables) {
    const cs = dataCols(t);
    for (let i = 0; i < t.nrows; i++) {
      const names = cs.map((c) => c.name);
      const vals = cs.map(() => pick(VALUES));
      if (t.wr) for (const kc of t.key) vals[names.indexOf(kc)] = pick(KEY_VALUES);
      if (t.ipk && chance(0.3)) {
        names.unshift('id');
        vals.unshift(String(1 + int(3 * t.nrows)));
      }
      setup.push(`INSERT OR IGNORE INTO ${t.name}(${names.join(', ')}) VALUES (${vals.join(', ')});`);
    }
  }
  setup.push(...indexes.filter((ix) => !early.includes(ix)));
  for (const t of tables) {
    if (!chance(0.5)) continue;
    const c = pick(dataCols(t)).name;
    const where = t.wr ? `${t.key[0]} = ${pick(KEY_VALUES)}` : `rowid % ${3 + int(5)} = 0`;
    setup.push(`UPDATE OR IGNORE ${t.name} NOT INDEXED SET ${c} = ${pick(VALUES)} WHERE ${where};`);
    setup.push(`DELETE FROM ${t.name} NOT INDEXED WHERE ${pick(dataCols(t)).name} = ${pick(KEY_VALUES)};`);
  }
  if (chance(0.3)) setup.push('ANALYZE;');

  // ---- queries --------------------------------------------------------
  // A FROM item: the table under an alias, with the NOT INDEXED slot.
  const item = (t, alias) => `${t.name} AS ${alias}${NI}`;
  const colOf = (t) => pick([...t.cols, ...t.cols, { name: 'rowid', type: 'INTEGER', coll: 'BINARY', rowid: true }]
    .filter((c) => !(c.rowid && t.wr)));
  const val = () => pick(KEY_VALUES);
  const op = () => pick(['=', '=', '<', '<=', '>', '>=', '<>', 'IS', 'IS NOT']);
  const likePattern = () =>
    `'${pick(['a', 'A', 'ab', 'aB', '1', 'b', 'é', '', 'a_', 'a\\'])}${pick(['%', '%', '_%', '%b'])}'`;

  function term(t, a, depth = 0, inLeftOn = false) {
    const c = colOf(t);
    const x = `${a}.${c.name}`;
    const r = rnd();
    if (r < 0.25) return `${x} ${op()} ${val()}`;
    if (r < 0.32) return `${val()} ${pick(['=', '<', '>='])} ${x}`;
    if (r < 0.40) return `${x} BETWEEN ${val()} AND ${val()}`;
    if (r < 0.45) return `${x} > ${val()} AND ${x} < ${val()}`;
    if (r < 0.50) return `${x} IS ${pick(['', 'NOT '])}NULL`;
    // NOT IN lists only on BINARY columns: sqlite3 3.40 reports "database
    // disk image is malformed" for "b NOT IN (' ', '', ' ')" on an RTRIM
    // column (SQLite 3.53 does not).
    if (r < 0.58) {
      const not = c.coll === 'BINARY' && chance(0.3) ? 'NOT ' : '';
      return `${x} ${not}IN (${some(1 + int(4), val).join(', ')})`;
    }
    if (r < 0.64) return `(${x} = ${val()} OR ${x} = ${val()}${chance(0.4) ? ` OR ${val()} = ${x}` : ''})`;
    if (r < 0.70) {
      // OR across columns: no single index range serves it.
      const y = `${a}.${colOf(t).name}`;
      return `(${x} ${op()} ${val()} OR ${y} ${pick(['=', '<', '>', 'IS'])} ${val()})`;
    }
    if (r < 0.77 && !inLeftOn) {
      // Not in a LEFT JOIN's ON clause: SQLite turns a LIKE prefix there into
      // an index or rowid range that loses the row of NULLs (see the pending
      // mismatches file).
      if (chance(0.25)) return `${x} GLOB '${pick(['a', 'A', 'ab', '1', 'b'])}${pick(['*', '?*'])}'`;
      return `${x} ${chance(0.15) ? 'NOT ' : ''}LIKE ${likePattern()}${chance(0.1) ? " ESCAPE '\\'" : ''}`;
    }
    if (r < 0.82) return `${x} ${pick(['=', '<', '>'])} ${val()} COLLATE ${pick(['NOCASE', 'BINARY', 'RTRIM'])}`;
    if (r < 0.85) return `${x} COLLATE ${pick(['NOCASE', 'RTRIM'])} ${pick(['=', '>=', '<'])} ${val()}`;
    if (r < 0.88) return `${x} = CAST(${val()} AS ${pick(['TEXT', 'INTEGER', 'REAL', 'NUMERIC', 'BLOB'])})`;
    if (r < 0.93 && t.exprs.length) {
      // An index expression, written as the index has it.
      const e = at(pick(t.exprs), `${a}.`);
      const v = e.startsWith('length') ? String(int(4)) : val();
      return chance(0.2) ? `${e} IN (${v}, ${val()})` : `${e} ${pick(['=', '=', '<', '>='])} ${v}`;
    }
    if (r < 0.96 && t.partials.length) return at(pick(t.partials), `${a}.`);
    if (depth === 0 && tables.length > 1) {
      // An IN or EXISTS subquery over another table.
      const u = pick(tables.filter((v) => v !== t));
      const binary = dataCols(u).filter((v) => v.coll === 'BINARY');
      const inner = chance(0.6) ? ` WHERE ${term(u, 's', 1)}` : '';
      if (chance(0.3)) return `${x} IN (SELECT s.${pick(dataCols(u)).name} FROM ${item(u, 's')}${inner})`;
      if (c.coll === 'BINARY' && binary.length && chance(0.7)) {
        if (chance(0.6)) return `${x} IN (SELECT s.${pick(binary).name} FROM ${item(u, 's')}${inner})`;
        // NOT IN's subquery always has a WHERE: SQLite reads a bare "SELECT
        // c FROM t" through an index on c (NOT INDEXED or not) and looks for
        // a NULL at its start, where a DESC index has none, so it answers
        // TRUE where the answer is NULL (see the pending mismatches file).
        return `${x} NOT IN (SELECT s.${pick(binary).name} FROM ${item(u, 's')}${inner || ' WHERE 1'})`;
      }
      const uc = pick(dataCols(u));
      return `EXISTS (SELECT 1 FROM ${item(u, 's')} WHERE s.${uc.name} = ${x}${inner.replace(' WHERE', ' AND')})`;
    }
    return `${x} = ${val()}`;
  }
  const terms = (t, a, n) => some(n, () => term(t, a)).join(' AND ');
  // The key of a table under an alias: rowid, or a WITHOUT ROWID primary key.
  const keyOf = (t, a) => t.key.map((kc) => `${a}.${kc}`);
  const quoted = (t, a, n) => some(n, () => `quote(${a}.${colOf(t).name})`);

  function orderTerm(t, a) {
    if (t.exprs.length && chance(0.15)) return `${at(pick(t.exprs), `${a}.`)}${pick(['', ' DESC'])}`;
    const c = colOf(t);
    const coll = chance(0.15) ? ` COLLATE ${pick(['NOCASE', 'BINARY', 'RTRIM'])}` : '';
    const nulls = chance(0.1) ? pick([' NULLS FIRST', ' NULLS LAST']) : '';
    return `${a}.${c.name}${coll}${pick(['', ' DESC'])}${nulls}`;
  }
  const limit = () =>
    chance(0.6) ? ` LIMIT ${pick([1, 2, 3, 5, 10])}${chance(0.3) ? ` OFFSET ${1 + int(4)}` : ''}` : '';

  function single() {
    const t = pick(tables);
    const w = ` WHERE ${terms(t, 'x', 1 + int(3))}`;
    const cols = [...keyOf(t, 'x'), ...quoted(t, 'x', 1 + int(3))];
    return { sql: `SELECT ${cols.join(', ')} FROM ${item(t, 'x')}${w}`, ordered: false };
  }
  function ordered() {
    const t = pick(tables);
    const w = chance(0.7) ? ` WHERE ${terms(t, 'x', 1 + int(2))}` : '';
    const by = some(1 + int(2), () => orderTerm(t, 'x'));
    const dir = pick(['', ' DESC']);
    const cols = [...keyOf(t, 'x'), ...quoted(t, 'x', 1 + int(2))];
    const order = [...by, ...keyOf(t, 'x').map((kc) => kc + dir)].join(', ');
    return { sql: `SELECT ${cols.join(', ')} FROM ${item(t, 'x')}${w} ORDER BY ${order}${limit()}`, ordered: true };
  }
  // min() and max() of any column but one declared COLLATE BINARY:
  // SQLite's max() then compares the values a WHERE comparison converted
  // to numbers in place, so that of '1' and '1.0' (both = 1) it keeps the
  // first (see the pending mismatches file).
  const notExplicitBinary = (c) => !(c.coll === 'BINARY' && c.explicit);
  const binaryCol = (t) => {
    const c = colOf(t);
    if (notExplicitBinary(c)) return c;
    return t.wr ? t.cols.find(notExplicitBinary) ?? { name: '1', coll: 'BINARY', constant: true }
      : { name: 'rowid', coll: 'BINARY' };
  };
  function minmax() {
    const t = pick(tables);
    const c = binaryCol(t);
    const w = chance(0.5) ? ` WHERE ${terms(t, 'x', 1)}` : '';
    const f = pick(['min', 'max']);
    const more = chance(0.4) ? `, count(*), count(x.${pick(dataCols(t)).name})` : '';
    const arg = c.constant ? c.name : `x.${c.name}`;
    return { sql: `SELECT ${canon(`${f}(${arg})`, c.coll)}${more} FROM ${item(t, 'x')}${w}`, ordered: false };
  }
  function counts() {
    const t = pick(tables);
    const w = chance(0.8) ? ` WHERE ${terms(t, 'x', 1 + int(2))}` : '';
    const d = chance(0.4) ? `, count(DISTINCT x.${colOf(t).name})` : '';
    return { sql: `SELECT count(*), count(x.${colOf(t).name})${d} FROM ${item(t, 'x')}${w}`, ordered: false };
  }
  function grouped() {
    const t = pick(tables);
    const g = some(1 + int(2), () => colOf(t));
    const keys = g.map((c) => `x.${c.name}`);
    const w = chance(0.6) ? ` WHERE ${terms(t, 'x', 1 + int(2))}` : '';
    const m = binaryCol(t);
    const aggs = ['count(*)', canon(`${pick(['min', 'max'])}(x.${m.name})`, m.coll),
      sumOfLengths(`x.${pick(dataCols(t)).name}`)];
    const having = chance(0.25) ? ` HAVING count(*) ${pick(['>', '='])} ${1 + int(2)}` : '';
    const sel = [...g.map((c, i) => canon(keys[i], c.coll)), ...aggs.filter(() => chance(0.7))];
    const sql = `SELECT ${sel.join(', ')} FROM ${item(t, 'x')}${w} GROUP BY ${keys.join(', ')}${having}`;
    return { sql, ordered: false };
  }
  function join() {
    const n = 2 + int(Math.min(4, tables.length + 1));
    const picked = some(n, () => pick(tables)); // self-joins allowed
    const aliases = picked.map((_, i) => `j${i}`);
    let from = item(picked[0], aliases[0]);
    const where = [];
    let left = false;
    for (let i = 1; i < n; i++) {
      const t = picked[i];
      const p = int(i);
      const u = picked[p];
      // Equal collations only: see the 3.40 note at the top.
      const c = colOf(t);
      const same = [...u.cols, ...(u.wr ? [] : [{ name: 'rowid', coll: 'BINARY' }])].filter((v) => v.coll === c.coll);
      const on = same.length
        ? `${aliases[i]}.${c.name} = ${aliases[p]}.${pick(same).name}`
        : `${aliases[i]}.${c.name} IS NOT NULL`;
      const r = rnd();
      const isLeft = r >= 0.8 && !left;
      const filter = chance(0.5) ? term(t, aliases[i], 1, isLeft) : '';
      if (r < 0.4) {
        from += `, ${item(t, aliases[i])}`;
        where.push(on);
        if (filter) where.push(filter);
      } else if (!isLeft) {
        from += ` JOIN ${item(t, aliases[i])} ON ${on}${filter ? ' AND ' + filter : ''}`;
      } else {
        left = true;
        from += ` LEFT JOIN ${item(t, aliases[i])} ON ${on}${filter ? ' AND ' + filter : ''}`;
      }
    }
    if (chance(0.6)) where.push(term(picked[0], aliases[0], 1));
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const keys = picked.flatMap((t, i) => keyOf(t, aliases[i]));
    const r = rnd();
    if (r < 0.2) return { sql: `SELECT count(*) FROM ${from}${w}`, ordered: false };
    const cols = [...keys, ...quoted(picked[n - 1], aliases[n - 1], 1)];
    if (r < 0.5) {
      const by = [orderTerm(picked[0], aliases[0]), ...keys];
      return { sql: `SELECT ${cols.join(', ')} FROM ${from}${w} ORDER BY ${by.join(', ')}${limit()}`, ordered: true };
    }
    return { sql: `SELECT ${cols.join(', ')} FROM ${from}${w}`, ordered: false };
  }

  const queries = [];
  for (let q = 0; q < nqueries; q++) {
    const r = rnd();
    const shape = r < 0.25 ? single : r < 0.42 ? ordered : r < 0.48 ? minmax : r < 0.55 ? counts : r < 0.67 ? grouped
      : join;
    const g = shape();
    queries.push({
      sql: g.sql.replaceAll(NI, '') + ';',
      notIndexed: g.sql.replaceAll(NI, ' NOT INDEXED') + ';',
      ordered: g.ordered,
    });
  }
  return { setup, queries };
}

// ---- running ------------------------------------------------------------
const SQLITE_ARGS = ['-batch', '-list', ':memory:'];
const LODE_ARGS = ['-m', 'list', ':memory:'];

const marker = (n) => `SELECT '#${n}';`;
export const utf8 = (s) => Buffer.from(s ?? '<missing>', 'latin1').toString('utf8');

/** The output of one query as compared: sorted lines unless its order is total. */
export function comparable(out, ordered) {
  if (out === undefined) return '<no output: the script stopped before this query>';
  return ordered ? out : out.split('\n').sort().join('\n');
}

/** Runs setup + queries in sqlite3, and setup + each query (as written, NOT
 *  INDEXED, its plan) in Lode, at the same time.  Returns the setup's
 *  outputs, per query the three outputs and Lode's plan, and whether Lode
 *  died (crash: a signal, also the kill after a hang). */
export async function runSchema(setup, queries, { plans = true } = {}) {
  // No automatic indexes in the oracle: sqlite3 3.40 builds them with the
  // wrong comparison for a column of REAL affinity and RTRIM collation
  // (t3(b REAL COLLATE RTRIM) holding ' ': "t3.b = t1.b" misses t1.b = ''),
  // which SQLite 3.53 does not.  (Results must not depend on the plan, so
  // Lode still builds its own automatic indexes.)
  const s = ['PRAGMA automatic_index = OFF;', ...setup, marker(0)];
  const l = [...setup, marker(0)];
  queries.forEach((q, i) => {
    s.push(q.sql, marker(i + 1));
    l.push(q.sql, marker(3 * i + 1), q.notIndexed, marker(3 * i + 2));
    if (plans) l.push(`EXPLAIN QUERY PLAN ${q.sql}`);
    l.push(marker(3 * i + 3));
  });
  const [sr, lr] = await Promise.all([
    runMergedAsync(SQLITE3, SQLITE_ARGS, s.join('\n') + '\n'),
    runMergedAsync(LODE, LODE_ARGS, l.join('\n') + '\n'),
  ]);
  const a = splitMarked(normalize(sr.output));
  const b = splitMarked(normalize(lr.output));
  const crash = lr.signal ? `lode killed by ${lr.signal} (exit ${lr.status})` : null;
  return {
    crash,
    setup: { sqlite: a[0], lode: b[0] },
    results: queries.map((q, i) => ({
      sqlite: a[i + 1], lode: b[3 * i + 1], notIndexed: b[3 * i + 2], plan: b[3 * i + 3],
    })),
  };
}

/** What is wrong with one query's outputs, or null. */
export function verdict(q, r) {
  const s = comparable(r.sqlite, q.ordered);
  const l = comparable(r.lode, q.ordered);
  const n = comparable(r.notIndexed, q.ordered);
  if (l !== s) return 'lode differs from sqlite3';
  if (n !== l) return 'lode differs from itself with NOT INDEXED';
  return null;
}

/** Whether Lode's rows for q are SQLite 3.53's (better-sqlite3), asked where they differ from sqlite3 3.40's:
 *  the oracle of query results is 3.53 (shared DECISIONS.md), and 3.40 answers some of these queries wrongly
 *  (fixed since).  3.53's values are printed as the shells print them in list mode, then normalized alike. */
export function agreesWith353(setup, q, lodeOut) {
  const db = new BetterSqlite3(':memory:');
  try {
    db.defaultSafeIntegers(true);
    for (const st of setup) {
      try {
        db.exec(st);
      } catch {
        /* a setup statement may fail in both engines alike (its error is compared with the setup's output) */
      }
    }
    const text = db.prepare('SELECT CAST(? AS TEXT)').pluck();
    /* the shells print a value's text with %s, up to its first zero byte; their output is read byte for byte
     * (latin1), as runMergedAsync reads it */
    const bytes = (v) => (Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : text.get(v), 'utf8'));
    const show = (v) => {
      if (v === null) return '';
      const b = bytes(v), nul = b.indexOf(0);
      return (nul < 0 ? b : b.subarray(0, nul)).toString('latin1');
    };
    const rows = db.prepare(q.sql).raw().all().map((r) => r.map(show).join('|'));
    return comparable(normalize(rows.join('\n')), q.ordered) === comparable(lodeOut, q.ordered);
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** The fewest setup statements with which q still fails the same way (why:
 *  a verdict, or null for a crash), by delta debugging over the statements:
 *  drop halves, quarters, …, single ones. */
export async function shrink(setup, q, why) {
  const fails = async (lines) => {
    const r = await runSchema(lines, [q], { plans: false });
    return why === null ? r.crash !== null : !r.crash && verdict(q, r.results[0]) === why;
  };
  let cur = setup;
  for (let size = Math.ceil(cur.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
    for (let at = 0; at < cur.length;) {
      const next = [...cur.slice(0, at), ...cur.slice(at + size)];
      if (next.length < cur.length && (await fails(next))) cur = next;
      else at += size;
    }
  }
  return cur;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const [seedArg = '1', countArg = '20', mode] = process.argv.slice(2);
  const { setup, queries } = generate(Number(seedArg) >>> 0, Number(countArg), {
    withoutRowid: process.env.INDEX_DIFF_WITHOUT_ROWID !== '0',
  });
  if (mode !== '--check') {
    console.log([...setup, ...queries.map((q) => q.sql)].join('\n'));
  } else {
    // Runs the seed and prints each differing query with a shrunk script.
    const r = await runSchema(setup, queries, { plans: false });
    if (r.crash) console.log(r.crash);
    for (const [i, q] of queries.entries()) {
      const why = verdict(q, r.results[i]);
      if (!why) continue;
      const lines = await shrink(setup, q, why);
      const res = (await runSchema(lines, [q], { plans: false })).results[0];
      console.log(`-- query ${i}: ${why}\n${utf8([...lines, q.sql].join('\n'))}\n` +
        `-- sqlite3: ${JSON.stringify(utf8(res.sqlite))}\n-- lode:    ${JSON.stringify(utf8(res.lode))}\n` +
        `-- lode NOT INDEXED: ${JSON.stringify(utf8(res.notIndexed))}\n`);
    }
  }
}
