// api-memory.test.mjs — statements are freed: a million prepare/step/finalize
// cycles leave the process's RSS within 10% of where it was after the first
// 10k (native addon, sync and promise entries).  Each entry runs in its own
// `node --expose-gc` (test/js/rss-cycles.mjs).  CI runs 250k cycles;
// LODE_JS_LONG=1 runs the full million.  The addon must not be a sanitizer
// build (its allocator keeps freed memory on purpose).
//
// The same bound holds for a loop that never yields to the event loop and
// never closes its statements (a million iterations in CI too): the addon's
// finalizers run inside garbage collection, not in a later turn.  That loop
// runs with V8's young generation held at its starting size (1 MB semi
// spaces): the statements that died since the last scavenge wait there with
// their C memory (a few KB each, a few hundred bytes of JS), so when V8
// doubles that generation, which it decides from what survives its
// scavenges, RSS steps up ~10 MB once and stays; where in the loop that
// happens moves with the garbage each call leaves, not with any leak.
//
// Failing calls while those finalizers run (test/js/throw-under-gc.mjs): the
// addon hands its errors back to JS instead of leaving them pending, which
// Node 20 would take for a finalizer's own exception if a collection ran in
// its rethrow, and abort the process.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const CYCLES = process.env.LODE_JS_LONG === '1' ? 1_000_000 : 250_000;
const script = new URL('./rss-cycles.mjs', import.meta.url).pathname;

describe(`JS API memory: ${CYCLES} prepare/step/finalize cycles`, function () {
  this.timeout(600_000);
  for (const entry of ['compat', 'promise']) {
    it(`${entry}: RSS stays within 10% of its value after 10k cycles`, () => {
      const out = execFileSync(process.execPath, ['--expose-gc', script, entry, String(CYCLES)], { encoding: 'utf8' });
      const { before, after } = JSON.parse(out);
      assert.ok(after <= before * 1.1, `RSS grew from ${(before / 1e6).toFixed(1)} MB to ${(after / 1e6).toFixed(1)} MB`);
    });
  }
  for (const entry of ['compat', 'promise']) {
    it(`${entry}: a loop that never yields nor closes its statements stays within 10% of its RSS at 500k after 1M iterations`, () => {
      const out = execFileSync(process.execPath,
        ['--expose-gc', '--max-semi-space-size=1', script, entry, '1000000', 'noyield'], { encoding: 'utf8' });
      const { before, after } = JSON.parse(out);
      assert.ok(after <= before * 1.1, `RSS grew from ${(before / 1e6).toFixed(1)} MB to ${(after / 1e6).toFixed(1)} MB`);
    });
  }

  it('errors thrown while garbage collection runs the finalizers arrive whole, and the process lives', () => {
    const n = 100_000;
    const out = execFileSync(process.execPath, ['--max-semi-space-size=1',
      new URL('./throw-under-gc.mjs', import.meta.url).pathname, String(n)], { encoding: 'utf8' });
    assert.equal(Number(out), 3 * n);
  });
});
