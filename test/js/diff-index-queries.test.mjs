// Randomized differential test of queries that the planner answers through
// indexes: an index may change how rows are found, never which.  Seeded
// random schemas, data and queries come from test/diff/index-queries.mjs
// (what they cover, and how they avoid answers that may differ between two
// correct engines, is written there).  Per schema one script runs through
// Debian's sqlite3 and one through `lode -m list`, side by side; Lode's
// script runs every query twice, as written and with NOT INDEXED on each
// table it reads, and also asks for its plan (EXPLAIN QUERY PLAN).  Every
// query must give sqlite3's rows (where sqlite3 3.40 differs, SQLite 3.53's through
// better-sqlite3: the oracle of results), and the same rows without indexes — as
// sorted multisets, or line for line when the query has a total ORDER BY.
//
// INDEX_QUERY_SEED / INDEX_QUERY_SCRIPTS / INDEX_QUERY_COUNT override the
// first seed, the number of schemas and the queries per schema;
// WITHOUT ROWID tables are among them unless INDEX_DIFF_WITHOUT_ROWID=0.  A failure prints
// each differing query with its seed, and a shrunk script (the setup
// statements it still needs) that reproduces the first one.
import assert from 'node:assert/strict';
import { agreesWith353, comparable, generate, runSchema, shrink, utf8, verdict } from '../diff/index-queries.mjs';
import { requireLode, requireSqlite3 } from '../diff/lib.mjs';

const withoutRowid = process.env.INDEX_DIFF_WITHOUT_ROWID !== '0';

describe('differential: queries through indexes, lode vs lode NOT INDEXED vs sqlite3', function () {
  before(function () {
    requireSqlite3(this);
    requireLode();
  });

  const seed = Number(process.env.INDEX_QUERY_SEED ?? 4409) >>> 0;
  const scripts = Number(process.env.INDEX_QUERY_SCRIPTS ?? 100);
  const count = Number(process.env.INDEX_QUERY_COUNT ?? 220);

  const title = `${scripts} random schemas × ${count} queries (seed ${seed}${withoutRowid ? ', WITHOUT ROWID' : ''})`;
  it(`${title} give the same rows`, async function () {
    this.timeout(Math.max(120000, scripts * count * 20));
    const bad = [];
    let first = null;
    let withRows = 0;
    let by353 = 0;
    /* Lode agrees with itself without indexes (as the verdict compares: in any order unless the query orders
     * every row) and with SQLite 3.53 */
    const comparable353 = (setup, q, res) =>
      comparable(res.lode, q.ordered) === comparable(res.notIndexed, q.ordered) && agreesWith353(setup, q, res.lode);
    let indexed = 0;
    for (let k = 0; k < scripts; k++) {
      const s = seed + k;
      const { setup, queries } = generate(s, count, { withoutRowid });
      const r = await runSchema(setup, queries);
      if (r.crash) {
        bad.push(`seed ${s}: ${r.crash}`);
        first ??= { s, setup, q: queries.find((q, i) => r.results[i].lode === undefined) ?? queries[0], why: null };
        continue;
      }
      if (r.setup.sqlite !== r.setup.lode) {
        bad.push(`seed ${s}: the setup differs\n    sqlite3: ${utf8(r.setup.sqlite)}\n` +
          `    lode:    ${utf8(r.setup.lode)}`);
        continue;
      }
      queries.forEach((q, i) => {
        const res = r.results[i];
        let why = verdict(q, res);
        /* sqlite3 3.40 is the quick oracle; where it and Lode differ, SQLite 3.53 decides */
        if (why === 'lode differs from sqlite3' && comparable353(setup, q, res)) {
          why = null;
          by353++;
        }
        if (why) {
          bad.push(`seed ${s}: ${why}: ${utf8(q.sql)}\n    sqlite3: ${JSON.stringify(utf8(res.sqlite))}\n` +
            `    lode:    ${JSON.stringify(utf8(res.lode))}\n` +
            `    lode NOT INDEXED: ${JSON.stringify(utf8(res.notIndexed))}`);
          first ??= { s, setup, q, why };
        }
        if (res.sqlite) withRows++;
        if (/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING PRIMARY KEY/.test(res.plan ?? '')) indexed++;
      });
    }
    if (bad.length) {
      let repro = '';
      if (first) {
        const lines = await shrink(first.setup, first.q, first.why);
        repro = `\n\nshrunk repro (seed ${first.s}):\n${utf8([...lines, first.q.sql].join('\n'))}`;
      }
      assert.fail(`${bad.length} queries or setups differ\n${bad.slice(0, 8).join('\n')}${repro}`);
    }
    const total = scripts * count;
    if (process.env.INDEX_QUERY_STATS) {
      console.log(`${total} queries, ${withRows} with output, ${indexed} planned with an index or rowid seek, ` +
        `${by353} where sqlite3 3.40 differs and SQLite 3.53 gives Lode's rows`);
    }
    assert.ok(withRows > total / 3, `only ${withRows} of ${total} queries returned anything`);
    assert.ok(indexed > total / 4, `only ${indexed} of ${total} queries were planned with an index or rowid seek`);
  });
});
