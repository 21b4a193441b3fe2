// diff-generated.test.mjs — random tables with generated columns compared
// with better-sqlite3 (SQLite 3.53).  Each round makes a table of a few
// ordinary columns and several generated ones (VIRTUAL or STORED, with or
// without a declared type, reading ordinary columns and other generated
// columns declared before or after them), indexes on some generated columns
// (UNIQUE ones too, so that inserts fail on them), then runs a seeded stream
// of INSERT / UPDATE / DELETE (plain, OR IGNORE, OR REPLACE) and queries that
// filter and order by generated columns (through their indexes when the
// planner picks them).  Every statement must give the same rows or the same
// error in both engines, and PRAGMA integrity_check must say ok at the end.
//
// GEN_DIFF_ROUNDS (default 12) and GEN_DIFF_SEED override the size and seed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { prng } from '../diff/lib.mjs';
import { observeScript } from './observe.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');
const ROUNDS = Number(process.env.GEN_DIFF_ROUNDS ?? 12);
const SEED = Number(process.env.GEN_DIFF_SEED ?? 20261202) >>> 0;

const BASE = ['a INT', 'b TEXT', 'c', 'd REAL'];
const TYPES = ['', ' INT', ' TEXT', ' REAL', ' NUMERIC', ' BLOB'];
// Expression shapes over two operands x and y.
const SHAPES = [
  (x, y) => `${x} + ${y}`,
  (x) => `${x} * 2`,
  (x) => `length(${x})`,
  (x, y) => `coalesce(${x}, ${y}, 0)`,
  (x) => `upper(${x})`,
  (x, y) => `${x} || ${y}`,
  (x, y) => `abs(${x} - ${y})`,
  (x, y) => `CASE WHEN ${x} > 5 THEN ${y} ELSE ${x} END`,
  (x) => `${x} % 7`,
  (x) => `substr(${x}, 1, 2)`,
  (x) => `round(${x}, 1)`,
  (x) => `typeof(${x})`,
  (x) => `nullif(${x}, 3)`,
  (x, y) => `${x} IS ${y}`,
  (x) => `-${x}`,
];

function makeRound(rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const int = (m) => Math.floor(rnd() * m);
  const ngen = 2 + int(4);
  const base = BASE.slice(0, 2 + int(3));
  const baseNames = base.map((d) => d.split(' ')[0]);
  const genNames = Array.from({ length: ngen }, (_, i) => `g${i}`);
  // Generated column i may read generated columns of lower rank: rank is a
  // random permutation, so a column often reads one declared after it.
  const rank = genNames.map((_, i) => i).sort(() => rnd() - 0.5);
  const defs = genNames.map((g, i) => {
    const readable = [...baseNames, ...genNames.filter((_, j) => rank[j] < rank[i])];
    const e = pick(SHAPES)(pick(readable), pick(readable));
    const kind = pick([' VIRTUAL', ' STORED', '']);
    const nn = rnd() < 0.1 ? ' NOT NULL' : '';
    return `${g}${pick(TYPES)} ${rnd() < 0.5 ? 'GENERATED ALWAYS ' : ''}AS (${e})${kind}${nn}`;
  });
  const cols = [...base, ...defs];
  // Interleave: generated columns among the ordinary ones.
  const order = cols.map((c, i) => [i < base.length ? i * 2 : int(cols.length * 2), c]).sort((x, y) => x[0] - y[0]);
  const stmts = [`CREATE TABLE t(id INTEGER PRIMARY KEY, ${order.map((x) => x[1]).join(', ')});`];
  for (let i = 0; i < 1 + int(3); i++) {
    const g = pick(genNames);
    const unique = rnd() < 0.2 ? 'UNIQUE ' : '';
    stmts.push(`CREATE ${unique}INDEX i${i} ON t(${g}${rnd() < 0.5 ? `, ${pick(baseNames)}` : ''});`);
  }
  const value = () => pick(['NULL', String(int(12)), `${int(12)}.5`, `'${pick(['x', 'ab', '7', ''])}${int(5)}'`, "'3'"]);
  for (let i = 0; i < 60; i++) {
    const r = rnd();
    const or = pick(['', '', 'OR IGNORE ', 'OR REPLACE ']);
    if (r < 0.45) {
      const rows = Array.from({ length: 1 + int(3) }, () => `(${baseNames.map(value).join(', ')})`);
      stmts.push(`INSERT ${or}INTO t(${baseNames.join(', ')}) VALUES ${rows.join(', ')};`);
    } else if (r < 0.6) {
      stmts.push(`UPDATE ${or}t SET ${pick(baseNames)} = ${value()} WHERE id % 3 = ${int(3)};`);
    } else if (r < 0.68) {
      stmts.push(`DELETE FROM t WHERE ${pick(genNames)} ${pick(['<', '=', '>', 'IS'])} ${value()};`);
    } else {
      const g = pick(genNames);
      stmts.push(pick([
        `SELECT * FROM t ORDER BY id;`,
        `SELECT id, ${g} FROM t WHERE ${g} ${pick(['<', '=', '>=', 'IS NOT'])} ${value()} ORDER BY id;`,
        `SELECT ${g}, count(*) FROM t GROUP BY ${g} ORDER BY 1;`,
        `SELECT id FROM t ORDER BY ${g}, id LIMIT 5;`,
        `SELECT ${genNames.join(', ')} FROM t WHERE id > ${int(10)} ORDER BY id;`,
        `SELECT typeof(${g}), ${g} FROM t ORDER BY id;`,
      ]));
    }
  }
  stmts.push('PRAGMA integrity_check;', 'SELECT * FROM t ORDER BY id;');
  return stmts;
}

describe('random generated columns against better-sqlite3', function () {
  this.timeout(60000);
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });

  it(`${ROUNDS} random tables (seed ${SEED})`, function () {
    const rnd = prng(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const stmts = makeRound(rnd);
      const expected = observeScript(new BetterSqlite3(':memory:'), stmts);
      const db = new Database(':memory:');
      let got;
      try {
        got = observeScript(db, stmts);
      } finally {
        db.close();
      }
      stmts.forEach((sql, i) => {
        assert.deepEqual(got[i], expected[i], `seed ${SEED} round ${round}, statement ${i}:\n  ${stmts[0]}\n  ${sql}`);
      });
      assert.deepEqual(got[stmts.length - 2], { rows: [['ok']] }, `seed ${SEED} round ${round}: integrity_check`);
    }
  });
});
