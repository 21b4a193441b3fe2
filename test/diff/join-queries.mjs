// Seeded random joins for the differential test test/js/diff-joins.test.mjs:
// FROM clauses of two to four items joined by INNER/CROSS/comma, LEFT,
// RIGHT and FULL joins, NATURAL joins and USING, with ON clauses, and
// parenthesised join groups; WHERE terms that mix scalar and row-value
// predicates (comparisons, IS, BETWEEN, IN lists, IN (SELECT …) and
// comparisons with a subquery's row); results of *, t.*, columns, USING
// names, aggregates with and without GROUP BY, DISTINCT and correlated
// subqueries.  Tables share column names so that
// NATURAL and USING find columns in common (and sometimes not, for the
// errors); some have an INTEGER PRIMARY KEY, some indexes, one is WITHOUT
// ROWID, so that the planner's paths are part of the test.
//
// generate(seed, count) → { setup: [sql], queries: [sql] }.  Row order is
// not part of the comparison (the caller compares sorted rows): it is the
// SQL files' ORDER BY tests that check order.
import { prng } from './lib.mjs';

const COLUMNS = ['a', 'b', 'c', 'x', 'y'];

export function generate(seed, count) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p) => rnd() < p;
  const int = (n) => Math.floor(rnd() * n);
  const value = () => pick(['NULL', '0', '1', '2', '3', '1', '2', "'1'", "'x'", '2.0', '-1']);

  // Four tables, each with 2–4 of the shared column names.
  const tables = [];
  const setup = [];
  for (let k = 1; k <= 4; k++) {
    const cols = COLUMNS.filter(() => chance(0.55));
    while (cols.length < 2) {
      const c = pick(COLUMNS);
      if (!cols.includes(c)) cols.push(c);
    }
    const name = `t${k}`;
    const ipk = k === 1 && chance(0.6);
    const withoutRowid = k === 4 && chance(0.5);
    const defs = cols.map((c, i) => (ipk && i === 0 ? `${c} INTEGER PRIMARY KEY` : `${c}${chance(0.3) ? ' INTEGER' : ''}`));
    if (withoutRowid) defs.push(`PRIMARY KEY(${cols[0]})`);
    setup.push(`CREATE TABLE ${name}(${defs.join(', ')})${withoutRowid ? ' WITHOUT ROWID' : ''};`);
    const indexed = chance(0.5);
    if (indexed) setup.push(`CREATE INDEX ${name}_i ON ${name}(${cols.slice(0, 1 + int(2)).join(', ')});`);
    const rows = 2 + int(5);
    const seen = new Set();
    for (let r = 0; r < rows; r++) {
      const vals = cols.map((c, i) => {
        if ((ipk || withoutRowid) && i === 0) {
          let v;
          do v = 1 + int(9);
          while (seen.has(v));
          seen.add(v);
          return String(v);
        }
        return value();
      });
      setup.push(`INSERT INTO ${name} VALUES (${vals.join(', ')});`);
    }
    tables.push({ name, cols, indexed: indexed || withoutRowid });
  }

  // ---- expressions over the items in scope ----------------------------------
  const colRef = (items) => {
    const it = pick(items);
    return `${it.alias}.${pick(it.cols)}`;
  };
  const scalar = (items) => (chance(0.75) ? colRef(items) : value());
  function rowValue(items, n) {
    return `(${Array.from({ length: n }, () => scalar(items)).join(', ')})`;
  }
  // SQLite 3.53 filters a RIGHT or FULL join's unmatched rows wrongly with a WHERE term "row IN (…)"
  // (it keeps none, or one twice, where "row = …" and the IN as a result column agree with Lode):
  // such WHERE clauses use the other row-value predicates.
  let noRowIn = false;
  function rowPredicate(items) {
    const n = 2 + (chance(0.2) ? 1 : 0);
    let r = rnd();
    if (noRowIn && r >= 0.55) r *= 0.5;
    if (r < 0.35) return `${rowValue(items, n)} ${pick(['=', '<>', '<', '<=', '>', '>='])} ${rowValue(items, n)}`;
    if (r < 0.45) return `${rowValue(items, n)} IS ${pick(['', 'NOT '])}${rowValue(items, n)}`;
    if (r < 0.55) return `${rowValue(items, n)} ${pick(['', 'NOT '])}BETWEEN ${rowValue(items, n)} AND ${rowValue(items, n)}`;
    if (r < 0.7) {
      const list = Array.from({ length: 1 + int(3) }, () => `(${Array.from({ length: n }, value).join(', ')})`);
      return `${rowValue(items, n)} ${pick(['', 'NOT '])}IN (${list.join(', ')})`;
    }
    // SQLite answers "(x, NULL) IN (SELECT …)" through an index whose columns come in another order
    // as if NULL matched NULL; Lode answers NULL, as without the index: such tables are left out.
    const plain = tables.filter((t) => !t.indexed);
    const t = plain.length ? pick(plain) : { name: '(SELECT 1 AS a, 2 AS b)', cols: ['a', 'b'] };
    const cols = Array.from({ length: n }, () => pick(t.cols)).join(', ');
    if (r < 0.85) return `${rowValue(items, n)} ${pick(['', 'NOT '])}IN (SELECT ${cols} FROM ${t.name})`;
    return `${rowValue(items, n)} ${pick(['=', '<', '>='])} (SELECT ${cols} FROM ${t.name} ORDER BY 1, 2 LIMIT 1)`;
  }
  function condition(items, depth = 0) {
    const r = rnd();
    if (depth < 1 && r < 0.15) return `(${condition(items, depth + 1)} ${pick(['AND', 'OR'])} ${condition(items, depth + 1)})`;
    if (r < 0.35) return rowPredicate(items);
    if (r < 0.5) return `${colRef(items)} IS ${pick(['', 'NOT '])}NULL`;
    if (r < 0.6) return `coalesce(${colRef(items)}, ${value()}) ${pick(['=', '>', '<'])} ${value()}`;
    return `${scalar(items)} ${pick(['=', '=', '<', '>=', '<>', 'IS'])} ${scalar(items)}`;
  }

  // ---- FROM ------------------------------------------------------------------
  let aliasNo = 0;
  const leaf = () => {
    const t = pick(tables);
    const alias = `q${++aliasNo}`;
    return { sql: `${t.name} AS ${alias}`, items: [{ alias, cols: t.cols }] };
  };
  const common = (left, right) => {
    const l = new Set(left.flatMap((it) => it.cols));
    return [...new Set(right.flatMap((it) => it.cols))].filter((c) => l.has(c));
  };
  // One join operator and its constraint, joining `right` to the items so far.
  // SQLite 3.53 loses matches of a LEFT JOIN or a USING whose right side is a parenthesised group with a
  // RIGHT or FULL join inside (a cross join's "=" on the same columns finds them): not generated.
  let noLeft = false;
  function joinTo(left, right) {
    let r = rnd();
    let outer = pick(['', '', 'LEFT ', 'RIGHT ', 'FULL ', 'LEFT OUTER ', 'RIGHT OUTER ', 'FULL OUTER ', 'INNER ']);
    if (noLeft && outer.startsWith('LEFT')) outer = 'INNER ';
    if (noLeft && r < 0.3) r += 0.3;
    if (r < 0.12) {
      return `${pick(['NATURAL ', 'NATURAL LEFT ', 'NATURAL RIGHT ', 'NATURAL FULL ', 'NATURAL INNER '])}JOIN ${right.sql}`;
    }
    if (r < 0.3) {
      const shared = common(left.items, right.items);
      const cols = shared.length && chance(0.93) ? shared.filter(() => chance(0.6)) : [pick(COLUMNS)];
      if (!cols.length) cols.push(shared[0]);
      return `${outer}JOIN ${right.sql} USING (${cols.join(', ')})`;
    }
    if (r < 0.38) return `${pick(['CROSS JOIN', ','])} ${right.sql}`;
    const scope = [...left.items, ...right.items];
    const on = chance(0.85)
      ? `${colRef(left.items)} ${pick(['=', '=', '=', '<', 'IS'])} ${colRef(right.items)}`
      : condition(scope);
    return `${outer}JOIN ${right.sql} ON ${on}${chance(0.25) ? ` AND ${condition(scope)}` : ''}`;
  }
  function group(n) {
    let acc = leaf();
    for (let i = 1; i < n; i++) {
      const right = leaf();
      acc = { sql: `${acc.sql} ${joinTo(acc, right)}`, items: [...acc.items, ...right.items] };
    }
    return acc;
  }
  function from() {
    const n = 2 + int(3);
    if (n >= 3 && chance(0.25)) { // a parenthesised group, first or later
      const inner = group(2);
      const g = { sql: `(${inner.sql})`, items: inner.items };
      if (chance(0.5)) {
        const right = leaf();
        return { sql: `${g.sql} ${joinTo(g, right)}`, items: [...g.items, ...right.items] };
      }
      const first = leaf();
      noLeft = /RIGHT|FULL/.test(inner.sql);
      const sql = `${first.sql} ${joinTo(first, g)}`;
      noLeft = false;
      return { sql, items: [...first.items, ...g.items] };
    }
    return group(n);
  }

  function query() {
    aliasNo = 0;
    const f = from();
    noRowIn = /RIGHT|FULL/.test(f.sql);
    const where = chance(0.6) ? ` WHERE ${condition(f.items)}` : '';
    noRowIn = false;
    const r = rnd();
    let cols;
    if (r < 0.3) cols = '*';
    else if (r < 0.4) cols = `${pick(f.items).alias}.*, ${colRef(f.items)}`;
    else if (r < 0.5) cols = `count(*), ${pick(['sum', 'min', 'max', 'count'])}(${colRef(f.items)})`;
    else if (r < 0.6) cols = `${pick(COLUMNS)}, ${colRef(f.items)}`; // unqualified: a USING column, or an error
    else if (r < 0.7) cols = `${rowPredicate(f.items)}, ${colRef(f.items)}`;
    else if (r < 0.76) {
      const key = colRef(f.items);
      return `SELECT ${key}, count(*), max(${colRef(f.items)}) FROM ${f.sql}${where} GROUP BY ${key}`;
    } else if (r < 0.82) {
      const t = pick(tables);
      const c = pick(t.cols);
      cols = `(SELECT count(*) FROM ${t.name} WHERE ${t.name}.${c} = ${colRef(f.items)}), ${colRef(f.items)}`;
    } else if (r < 0.86) cols = `DISTINCT ${colRef(f.items)}, ${colRef(f.items)} IS NULL`;
    else cols = Array.from({ length: 1 + int(3) }, () => colRef(f.items)).join(', ');
    return `SELECT ${cols} FROM ${f.sql}${where}`;
  }
  return { setup, queries: Array.from({ length: count }, query) };
}
