// exists-random.test.mjs — random queries with EXISTS in WHERE (exists-random.mjs): the same rows as SQLite 3.53,
// and the same EXISTS terms joined to the query (none left a subquery in one engine and joined in the other).
import assert from 'node:assert/strict';
import { compareExists } from './exists-random.mjs';

describe('EXISTS joined as SQLite 3.53 joins it, random queries, lode vs better-sqlite3', function () {
  for (const seed of [7, 11]) {
    it(`400 queries (seed ${seed}): the same rows and the same EXISTS joined`, async function () {
      const res = await compareExists({ cases: 400, seed });
      const show = res.examples.slice(0, 3).map((e) => JSON.stringify(e)).join('\n');
      assert.equal(res.errors, 0, show);
      assert.equal(res.rowsDiffer, 0, show);
      assert.equal(res.shapeDiffer, 0, show);
      assert.ok(res.joined > 200, `only ${res.joined} queries with a joined EXISTS`);
      assert.ok(res.planSame > 100, `only ${res.planSame} plans alike`);
    });
  }
});
