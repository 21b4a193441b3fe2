// api-garbage.test.mjs — what a statement call leaves for V8's garbage
// collector: lodedb/compat's run(), get(), all() and iterate() allocate no
// more on the JS heap than better-sqlite3's same calls (within 2% and 8
// bytes a call).  Garbage per call is what sets how often the collector
// runs in an application's process, and a large heap makes each of its runs
// dear.  Measured in a child node with a young generation large enough that
// no collection runs during a measurement (test/js/call-garbage.mjs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const script = new URL('./call-garbage.mjs', import.meta.url).pathname;

describe('JS API: garbage per statement call, against better-sqlite3', function () {
  this.timeout(300_000);
  let bytes;
  before(() => {
    const out = execFileSync(process.execPath,
      ['--expose-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', script], { encoding: 'utf8' });
    bytes = JSON.parse(out);
  });

  for (const workload of ['run(), three values', 'run(), no values', 'run(), named object', 'get(), one value',
    'all(), 10 rows', 'iterate(), 10 rows']) {
    it(`${workload}: no more bytes a call than better-sqlite3`, () => {
      const { lode, bs3 } = bytes[workload];
      assert.ok(lode !== null && bs3 !== null, 'a collection ran during every measurement');
      assert.ok(lode <= bs3 * 1.02 + 8, `lodedb/compat ${lode.toFixed(1)} bytes a call, better-sqlite3 ${bs3.toFixed(1)}`);
    });
  }
});
