// Randomized differential test of joins and row values: seeded random
// schemas and queries from test/diff/join-queries.mjs (RIGHT, FULL, LEFT,
// NATURAL, USING, CROSS and parenthesised joins of two to four tables, and
// row-value predicates) run on Lode and on better-sqlite3 (SQLite 3.53) in
// this process; every query must give the same rows (compared sorted: row
// order is the SQL files' business) or the same error message.
//
// JOIN_DIFF_SEED / JOIN_DIFF_SCHEMAS / JOIN_DIFF_COUNT override the first
// seed, the number of schemas and the queries per schema (CI runs 40 × 100;
// JOIN_DIFF_SCHEMAS=1000 for a long run).  SQLite 3.53 has slips of its own
// that the generator steers round (see there): WHERE "row IN (…)" over a
// RIGHT or FULL join's unmatched rows, "(x, NULL) IN (SELECT …)" through an
// index of other column order, and a LEFT JOIN or USING with a
// parenthesised group that has a RIGHT or FULL join inside.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Database from '../../js/compat.mjs';
import { generate } from '../diff/join-queries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

function outcome(db, sql) {
  try {
    const rows = db.prepare(sql).raw(true).all();
    return rows
      .map((r) => JSON.stringify(r.map((v) => (v instanceof Uint8Array ? `x'${Buffer.from(v).toString('hex')}'` : v))))
      .sort()
      .join('\n');
  } catch (e) {
    return `ERROR: ${e.message}`;
  }
}

describe('differential: random joins and row values, lode vs better-sqlite3', function () {
  const seed = Number(process.env.JOIN_DIFF_SEED ?? 9127) >>> 0;
  const schemas = Number(process.env.JOIN_DIFF_SCHEMAS ?? 40);
  const count = Number(process.env.JOIN_DIFF_COUNT ?? 100);

  it(`${schemas} random schemas × ${count} joins (seed ${seed}) give the same rows and errors`, function () {
    this.timeout(Math.max(60000, schemas * count * 50));
    const bad = [];
    let withRows = 0;
    let errors = 0;
    for (let k = 0; k < schemas; k++) {
      const s = seed + k;
      const { setup, queries } = generate(s, count);
      const oracle = new BetterSqlite3(':memory:');
      const lode = new Database(':memory:');
      try {
        for (const sql of setup) {
          oracle.exec(sql);
          lode.exec(sql);
        }
        for (const sql of queries) {
          const want = outcome(oracle, sql);
          const got = outcome(lode, sql);
          if (want.startsWith('ERROR')) errors++;
          else if (want) withRows++;
          if (want !== got) bad.push(`seed ${s}: ${sql}\n    sqlite: ${want.slice(0, 300)}\n    lode:   ${got.slice(0, 300)}`);
        }
      } finally {
        oracle.close();
        lode.close();
      }
      if (bad.length && k > 0 && bad.length > 20) break;
    }
    if (bad.length) {
      const first = bad[0].match(/^seed (\d+)/)[1];
      const { setup } = generate(Number(first), 0);
      assert.fail(`${bad.length} queries differ\n${bad.slice(0, 8).join('\n')}\n\nsetup of seed ${first}:\n${setup.join('\n')}`);
    }
    const total = schemas * count;
    assert.ok(withRows > total / 3, `only ${withRows} of ${total} queries returned rows`);
    assert.ok(errors < total / 3, `${errors} of ${total} queries failed in SQLite`);
  });
});
