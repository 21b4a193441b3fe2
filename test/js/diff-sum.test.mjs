// diff-sum.test.mjs — sum(), total() and avg() against SQLite 3.53
// (better-sqlite3): the Kahan-Babuska-Neumaier summation of REAL inputs, the
// switch from exact int64 sums to doubles, integer overflow, text that reads
// as numbers, and sliding window frames (whose inverse takes values back
// out), over seeded random columns that mix huge and tiny values.
// LODE_SUM_LONG=1 runs ten times as many tables.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { rng } from './random-doubles.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');
const TABLES = process.env.LODE_SUM_LONG ? 2000 : 200;

/* One value for the column: reals of wildly different sizes (so the
** compensation matters), integers near the int64 ends, small integers,
** numeric and non-numeric text, NULL. */
function randomValue(next) {
  const pick = next() % 20;
  const sign = next() % 2 ? -1 : 1;
  switch (pick) {
    case 0: case 1: case 2: return sign * (next() % 1000) * 10 ** ((next() % 40) - 20);
    case 3: case 4: return sign * (1 + (next() % 1000) / 997) * 2 ** ((next() % 120) - 30);
    case 5: return sign * 0.1 * (1 + (next() % 9));
    case 6: return `${sign * (next() % 100000)}`;
    case 7: return `${(sign * (next() % 1000)) / 8}`;
    case 8: return 'abc';
    case 9: return null;
    case 10: return BigInt(sign) * (2n ** 62n + BigInt(next()) * BigInt(next() % 2 ** 29));
    case 11: return BigInt(sign) * (2n ** 53n + BigInt(next() % 100000));
    case 12: return sign * 1e308;
    case 13: case 14: return BigInt(sign * (next() % 100));
    default: return sign * (next() % 100);
  }
}

/* Integers are read as BigInts in both engines: a sum past 2^53 is then
** compared exactly (better-sqlite3 would round it, lodedb/compat refuses it),
** and a window query whose later row overflows fails in both as it reaches that row. */
function outcome(db, sql) {
  try {
    return { rows: db.prepare(sql).safeIntegers(true).raw().all() };
  } catch (e) {
    return { error: e.message };
  }
}

/* Values go in as SQL literals: better-sqlite3 binds every JS number as a
** REAL, where Lode binds an integral one as an INTEGER. */
function literal(v) {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return `${v}`;
  return Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? `${v}.0` : `${v}`;
}

function fill(db, rows) {
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, g, x)');
  db.exec(`INSERT INTO t(g, x) VALUES ${rows.map(([g, x]) => `(${g}, ${literal(x)})`).join(', ')}`);
}

const QUERIES = [
  'SELECT sum(x), total(x), avg(x), count(x) FROM t',
  'SELECT g, sum(x), total(x), avg(x) FROM t GROUP BY g',
  'SELECT total(x ORDER BY x), avg(x ORDER BY x DESC) FROM t',
  'SELECT id, sum(x) OVER w, total(x) OVER w, avg(x) OVER w FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
  'SELECT id, total(x) OVER (PARTITION BY g ORDER BY id ROWS 3 PRECEDING), avg(x) OVER (ORDER BY id) FROM t',
];

describe('sum, total and avg against SQLite 3.53 (better-sqlite3)', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });

  it('fixed cases: compensation, overflow and its forgiveness', function () {
    const cases = [
      'SELECT sum(x), total(x), avg(x) FROM (SELECT 0.1 AS x UNION ALL SELECT 0.2 UNION ALL SELECT 0.3 UNION ALL SELECT -0.6)',
      'SELECT sum(x), total(x), avg(x) FROM (SELECT 1e100 AS x UNION ALL SELECT 1.0 UNION ALL SELECT -1e100)',
      'SELECT sum(x), total(x) FROM (SELECT 1e308 AS x UNION ALL SELECT 1e308 UNION ALL SELECT -1e308)',
      'SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1 UNION ALL SELECT 1)',
      'SELECT total(x), avg(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1 UNION ALL SELECT 1)',
      'SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1 UNION ALL SELECT 0.5)',
      'SELECT sum(x) FROM (SELECT 0.5 AS x UNION ALL SELECT 9223372036854775807 UNION ALL SELECT 1)',
      'SELECT sum(x), typeof(sum(x)) FROM (SELECT \'1e2\' AS x UNION ALL SELECT 1)',
      'SELECT sum(x), total(x) FROM (SELECT 9007199254740993 AS x UNION ALL SELECT 0.5 UNION ALL SELECT 9007199254740993)',
      'SELECT sum(x) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (SELECT 1 AS i, 9223372036854775807 AS x UNION ALL SELECT 2, -1 UNION ALL SELECT 3, -9223372036854775807 UNION ALL SELECT 4, -5)',
      'SELECT total(x) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (SELECT 1 AS i, -9223372036854775808 AS x UNION ALL SELECT 2, 0.5 UNION ALL SELECT 3, 2 UNION ALL SELECT 4, 3)',
    ];
    const sq = new BetterSqlite3(':memory:');
    const db = new Database(':memory:');
    try {
      for (const sql of cases) assert.deepEqual(outcome(db, sql), outcome(sq, sql), sql);
    } finally {
      db.close();
    }
  });

  it(`${TABLES} random tables of mixed huge and tiny values (seed 53)`, function () {
    this.timeout(0);
    const next = rng(53);
    const mismatches = [];
    for (let n = 0; n < TABLES && mismatches.length < 5; n++) {
      const rows = [];
      const count = 1 + (next() % 40);
      for (let i = 0; i < count; i++) rows.push([next() % 3, randomValue(next)]);
      const sq = new BetterSqlite3(':memory:');
      sq.defaultSafeIntegers(true);
      const db = new Database(':memory:');
      db.defaultSafeIntegers(true);
      try {
        fill(sq, rows);
        fill(db, rows);
        for (const sql of QUERIES) {
          const a = JSON.stringify(outcome(sq, sql), (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
          const b = JSON.stringify(outcome(db, sql), (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
          if (a !== b) mismatches.push(`table ${n} ${JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}\n  ${sql}\n  sqlite: ${a}\n  lode:   ${b}`);
        }
      } finally {
        db.close();
        sq.close();
      }
    }
    assert.equal(mismatches.length, 0, mismatches.join('\n'));
  });
});
