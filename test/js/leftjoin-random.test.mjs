// leftjoin-random.test.mjs — random queries over LEFT, RIGHT and FULL joins with random WHERE terms
// (leftjoin-random.mjs): the same rows as SQLite 3.53, and the same outer joins made inner.
import assert from 'node:assert/strict';
import { compareLeftJoins } from './leftjoin-random.mjs';

describe('outer joins made inner as SQLite 3.53 makes them, random queries, lode vs better-sqlite3', function () {
  for (const seed of [3, 17]) {
    it(`3000 queries (seed ${seed}): the same rows and the same outer joins kept`, async function () {
      const res = await compareLeftJoins({ cases: 3000, seed });
      const show = res.examples.slice(0, 3).map((e) => JSON.stringify(e)).join('\n');
      assert.equal(res.errors, 0, show);
      assert.equal(res.rowsDiffer, 0, show);
      assert.equal(res.shapeDiffer, 0, show);
      assert.ok(res.simplified > 500, `only ${res.simplified} queries with an outer join made inner`);
      assert.ok(res.planSame > 1000, `only ${res.planSame} plans alike`);
    });
  }
});
