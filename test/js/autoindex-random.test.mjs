// autoindex-random.test.mjs — random joins of tables few indexes serve (autoindex-random.mjs), compared with SQLite
// 3.53: the rows always agree; wherever the plans agree but for the word PARTIAL, that word agrees too; and most
// plans agree outright (the join order of scans and automatic indexes is SQLite's own search).
import assert from 'node:assert/strict';
import { compareAutoindex } from './autoindex-random.mjs';

const bigint = (k, v) => (typeof v === 'bigint' ? `${v}n` : v);

describe('automatic (partial) indexes in random joins, lode vs better-sqlite3', function () {
  for (const seed of [3, 17]) {
    it(`500 joins (seed ${seed}): the same rows, PARTIAL where SQLite has it`, async function () {
      const res = await compareAutoindex({ cases: 500, seed });
      const show = (kind) =>
        res.examples.filter((e) => e.kind === kind).slice(0, 3).map((e) => JSON.stringify(e, bigint)).join('\n');
      assert.equal(res.rowsDiffer, 0, show('rows'));
      assert.equal(res.partialDiffer, 0, show('partial'));
      assert.ok(res.comparable > 250, `only ${res.comparable} plans comparable`);
      assert.ok(res.withPartial > 100, `only ${res.withPartial} plans with a partial index`);
      // LEFT JOINs keep Lode's FROM order, and some plans through the schema's indexes differ: not all agree.
      assert.ok(res.same > 0.7 * res.cases, `only ${res.same} of ${res.cases} plans agree`);
    });
  }
});
