// bloom-random.test.mjs — random joins (bloom-random.mjs): wherever Lode's EXPLAIN QUERY PLAN agrees with SQLite
// 3.53's but for the Bloom filter lines, those lines agree too; and the rows agree everywhere.
import assert from 'node:assert/strict';
import { compareBloom } from './bloom-random.mjs';

describe('Bloom filters in random joins, lode vs better-sqlite3', function () {
  for (const seed of [7, 11]) {
    it(`600 joins (seed ${seed}): the same BLOOM FILTER lines and rows`, async function () {
      const res = await compareBloom({ cases: 600, seed });
      const show = res.examples.slice(0, 3).map((e) => JSON.stringify(e)).join('\n');
      assert.equal(res.rowsDiffer, 0, show);
      assert.equal(res.bloomDiffer, 0, show);
      assert.ok(res.compared > 200, `only ${res.compared} plans comparable`);
      assert.ok(res.withBloom > 50, `only ${res.withBloom} plans with a filter`);
    });
  }
});
