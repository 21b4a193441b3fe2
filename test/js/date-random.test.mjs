// date-random.test.mjs — seeded random calls of the date and time functions
// (date, time, datetime, julianday, unixepoch, strftime, timediff) over
// time values and modifiers of every shape, well-formed and not, compared
// with SQLite 3.53 (better-sqlite3) value by value.  DATE_SEED and
// DATE_COUNT override the seed and the number of calls.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { prng } from '../diff/lib.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

const FUNCS = ['date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime'];
const CONVERSIONS = 'dfHjJmMsSwWYeFGgkIlpPRTuUV%';

function generator(seed) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  const pad = (v, w) => String(v).padStart(w, '0');
  const chance = (p) => rnd() < p;

  function timeText() {
    let t = `${pad(int(chance(0.05) ? 26 : 24), 2)}:${pad(int(chance(0.05) ? 61 : 60), 2)}`;
    if (chance(0.7)) {
      t += `:${pad(int(chance(0.05) ? 61 : 60), 2)}`;
      if (chance(0.5)) t += '.' + String(int(10 ** (1 + int(6)))).padStart(1 + int(4), '0');
    }
    if (chance(0.2)) t += pick(['Z', 'z', '+05:30', '-08:00', ' +14:00', '-14:59', '+15:00', '+1:00', ' ']);
    return t;
  }

  function dateText() {
    const year = chance(0.1) ? pick([0, 1, 1582, 1969, 1970, 2038, 9999, 4713]) : 1800 + int(400);
    const month = chance(0.05) ? pick([0, 13]) : 1 + int(12);
    const day = chance(0.3) ? 27 + int(6) : chance(0.05) ? 0 : 1 + int(28);
    let d = `${chance(0.05) ? '-' : ''}${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    if (chance(0.6)) d += pick([' ', 'T', '  ', ' T']) + timeText();
    if (chance(0.03)) d = pick([' ', '']) + d + pick([' ', 'x', '']);
    return d;
  }

  function number() {
    switch (int(6)) {
      case 0: return String(int(5373485));
      case 1: return (rnd() * 5373485).toFixed(int(7));
      case 2: return String(int(4e9) - 2e9);
      case 3: return String(Math.round((rnd() - 0.3) * 3e11));
      case 4: return (rnd() * 1e6 - 5e5).toFixed(3);
      default: return pick(['0', '-1', '5373484.5', '5373484.4999', '253402300799', '253402300800', '-210866760000', '1e3', '.5']);
    }
  }

  function timeValue() {
    const r = int(10);
    if (r < 5) return `'${dateText()}'`;
    if (r < 6) return `'${timeText()}'`;
    if (r < 8) return number();
    if (r < 9) return `'${number()}'`;
    return pick(["'2024-02-30'", "'2023-02-29'", "'2024-02-29 23:59:59.999'", "NULL", "'x'", "''", "'24:00'"]);
  }

  function modifier(first) {
    const sign = pick(['+', '-', '']);
    const n = chance(0.7) ? String(int(40)) : (rnd() * 100).toFixed(1 + int(3));
    switch (int(first ? 16 : 13)) {
      case 0: return `'${sign}${n} ${pick(['day', 'days', 'hour', 'hours', 'minute', 'minutes', 'second', 'seconds', 'month', 'months', 'year', 'years', 'DAYS', 'week', 'ds'])}'`;
      case 1: return `'${sign}${n} ${pick(['month', 'months', 'year', 'years'])}'`;
      case 2: return `'${pick(['+', '-', ''])}${pad(int(25), 2)}:${pad(int(60), 2)}${chance(0.5) ? ':' + pad(int(60), 2) : ''}${chance(0.3) ? '.' + int(1000) : ''}'`;
      case 3: return `'${pick(['+', '-', ''])}${chance(0.2) ? '0' : ''}${pad(int(30), 4)}-${pad(int(13), 2)}-${pad(int(32), 2)}${chance(0.3) ? ' ' + pad(int(25), 2) + ':' + pad(int(60), 2) : ''}'`;
      case 4: return `'start of ${pick(['day', 'month', 'year', 'week', 'Day'])}'`;
      case 5: return `'weekday ${pick(['0', '1', '2', '3', '4', '5', '6', '7', '1.0', '2.5', '-1', ' 3'])}'`;
      case 6: return pick(["'floor'", "'ceiling'", "'FLOOR'"]);
      case 7: return pick(["'subsec'", "'subsecond'", "'SubSec'"]);
      case 8: return pick(["'localtime'", "'utc'"]);
      case 9: return pick(["'+1 month'", "'-1 month'", "'+12 months'", "'+1 year'", "'-1 year'"]);
      case 10: return pick(["'floor'", "'ceiling'"]);
      case 11: return pick(["NULL", "''", "'x'", "5", "'+1 days '", "'+1'"]);
      case 12: return `'${sign}${n} days'`;
      default: return pick(["'unixepoch'", "'julianday'", "'auto'"]);
    }
  }

  return function call() {
    if (chance(0.1)) return `timediff(${timeValue()}, ${timeValue()})`;
    const f = pick(FUNCS);
    const args = [timeValue()];
    const nmod = chance(0.2) ? 0 : 1 + int(3);
    for (let i = 0; i < nmod; i++) args.push(modifier(i === 0));
    if (f === 'strftime') {
      let fmt = '';
      for (let i = 0, k = 1 + int(4); i < k; i++) fmt += (chance(0.3) ? '-' : '') + '%' + CONVERSIONS[int(CONVERSIONS.length)];
      if (chance(0.03)) fmt += pick(['%', '%q', '%a']);
      args.unshift(`'${fmt}'`);
    }
    return `${f}(${args.join(', ')})`;
  };
}

function values(db, exprs) {
  const out = [];
  for (const e of exprs) {
    try {
      out.push(JSON.stringify(db.prepare(`SELECT ${e}`).raw().get()));
    } catch (err) {
      out.push(`error: ${err.message}`);
    }
  }
  return out;
}

describe('date and time functions: random calls against SQLite 3.53', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });

  const seed = Number(process.env.DATE_SEED ?? 20240305) >>> 0;
  const count = Number(process.env.DATE_COUNT ?? 20000);

  it(`${count} calls (seed ${seed})`, function () {
    const next = generator(seed);
    const exprs = Array.from({ length: count }, next);
    const expected = values(new BetterSqlite3(':memory:'), exprs);
    const db = new Database(':memory:');
    let got;
    try {
      got = values(db, exprs);
    } finally {
      db.close();
    }
    const diffs = [];
    exprs.forEach((e, i) => {
      if (expected[i] !== got[i]) diffs.push(`  SELECT ${e}\n    sqlite: ${expected[i]}\n    lode:   ${got[i]}`);
    });
    const nonNull = expected.filter((v) => v !== '[null]' && !v.startsWith('error')).length;
    assert.ok(nonNull > count / 3, `the generator should mostly make valid calls (${nonNull} of ${count})`);
    if (diffs.length) assert.fail(`${diffs.length} of ${count} calls differ (seed ${seed})\n${diffs.slice(0, 30).join('\n')}`);
  });
});
