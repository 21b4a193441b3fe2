// printf-digits.test.mjs — printf's %f, %e and %g (with and without the '!'
// flag, precisions 0..20) and round(x, n) (n = 0..16) over random doubles of
// every magnitude, compared digit for digit with better-sqlite3 (SQLite 3.53,
// which rounds its own fixed-point digits of the double half up at the
// requested place, ties included, and keeps at most 16 significant digits).
// Seeded, so a failure repeats; PRINTF_DIGITS_SEED and PRINTF_DIGITS_COUNT
// change the run (PRINTF_DIGITS_COUNT=200000 is the long run).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomDouble, rng } from './random-doubles.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const COUNT = Number(process.env.PRINTF_DIGITS_COUNT || 12000);
const SEED = Number(process.env.PRINTF_DIGITS_SEED || 20261203);

const FORMS = [];
for (const type of ['f', 'e', 'g']) {
  for (let p = 0; p <= 20; p++) FORMS.push(`printf('%.${p}${type}', x)`);
}
FORMS.push("printf('%g', x)", "printf('%e', x)", "printf('%f', x)", "printf('%#.5g', x)", "printf('%,.3f', x)");
for (const p of [0, 3, 5, 15, 16, 17, 18, 20]) FORMS.push(`printf('%!.${p}e', x)`, `printf('%!.${p}f', x)`);
FORMS.push("printf('%!.5g', x)", "printf('%!.16g', x)", "printf('%!.18g', x)");
for (let p = 0; p <= 16; p++) FORMS.push(`round(x, ${p})`);
FORMS.push('round(x)');

describe('printf and round digits as SQLite 3.53 computes them', function () {
  this.timeout(600000);
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });

  it('fixed cases: no 3e-16 nudge, ties by the digit after the place, 16 digits', function () {
    const lode = new Database(':memory:');
    try {
      const one = (sql) => lode.prepare(sql).pluck().get();
      assert.equal(one("select printf('%.2f', 1.005)"), '1.00'); // 1.00499999999999989...
      assert.equal(one('select round(1.005, 2)'), 1);
      assert.equal(one("select printf('%.0f', 2.5)"), '3');
      assert.equal(one("select printf('%.2e', 6075000000000000.0)"), '6.07e+15'); // cut digits: 6074.99...
      assert.equal(one("select printf('%.16g', 70754.655225)"), '70754.65522499999');
      assert.equal(one("select printf('%.17g', 70754.655225)"), '70754.655225'); // 16 digits at most
      assert.equal(one("select printf('%!.20e', 0.1)"), '1.000000000000000056e-01');
      assert.equal(one("select printf('%!.16e', 49.47)"), '4.947e+01'); // 17 digits: the shortest that reads back
      assert.equal(one("select printf('%,.2f', -1234567.891)"), '-1,234,567.89');
      assert.equal(one('select round(-174.03951596528546, 14)'), -174.03951596528546);
    } finally {
      lode.close();
    }
  });

  it(`${COUNT} random doubles in ${FORMS.length} conversions match better-sqlite3 (seed ${SEED})`, function () {
    const next = rng(SEED);
    const sql = `select ${FORMS.join(', ')} from (select cast(? as real) as x)`;
    const oracle = new BetterSqlite3(':memory:');
    const lode = new Database(':memory:');
    const mismatches = [];
    try {
      const want = oracle.prepare(sql).raw();
      const got = lode.prepare(sql).raw();
      for (let i = 0; i < COUNT && mismatches.length < 20; i++) {
        const r = randomDouble(next, i, { ties: true });
        const a = want.get(r);
        const b = got.get(r);
        for (let k = 0; k < FORMS.length; k++) {
          if (a[k] !== b[k] && mismatches.length < 20) {
            mismatches.push(`${FORMS[k]} of ${r}: sqlite ${a[k]} lode ${b[k]}`);
          }
        }
      }
    } finally {
      oracle.close();
      lode.close();
    }
    assert.deepEqual(mismatches, []);
  });
});
