// api-call-args.test.mjs — the forms a statement call's arguments take in
// lodedb/compat, each against better-sqlite3's answer to the same calls:
// plain values, one array of values, arrays mixed with values, one object of
// named parameters (null prototype too), a buffer or a typed array as a
// value, a statement with bind() given values again, and what run() returns
// ({changes, lastInsertRowid} as a plain object, numbers or, under
// safeIntegers, BigInts).  run(), get(), all() and iterate() take each form;
// lodedb/compat on the wasm engine too (makeCompat over lodedb/wasm).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { makeCompat } from '../../js/compat-class.mjs';
import { skipWasm } from './entries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// Every call of one kind (the four of them): what it returned, or its error.
function outcome(fn) {
  try {
    const r = fn();
    return { value: r };
  } catch (e) {
    return { error: `${e.constructor.name}: ${e.message}` };
  }
}

// What one statement (sql) gives for the arguments args through each call.
function calls(db, sql, args) {
  const st = () => db.prepare(sql);
  return {
    get: outcome(() => st().get(...args)),
    all: outcome(() => st().all(...args)),
    iterate: outcome(() => [...st().iterate(...args)]),
    run: outcome(() => st().run(...args)),
  };
}

const SQL_POSITIONAL = 'SELECT ? AS a, ? AS b, typeof(?) AS c';
const SQL_NAMED = 'SELECT :a AS a, @b AS b, $c AS c';
const SQL_MIXED = 'SELECT ? AS a, :b AS b, ? AS c';

const CASES = {
  'plain values': [SQL_POSITIONAL, [1, 'x', 2.5]],
  'null and undefined as values': [SQL_POSITIONAL, [null, undefined, 'y']],
  'one array of values': [SQL_POSITIONAL, [[1, 'x', 2.5]]],
  'arrays mixed with values': [SQL_POSITIONAL, [1, ['x'], [2.5]]],
  'one array, too short': [SQL_POSITIONAL, [[1, 'x']]],
  'too many values': [SQL_POSITIONAL, [1, 'x', 2.5, 4]],
  'one object of named parameters': [SQL_NAMED, [{ a: 1, b: 'x', c: 2.5 }]],
  'named parameters in a null-prototype object': [SQL_NAMED, [Object.assign(Object.create(null), { a: 1, b: 2, c: 3 })]],
  'named parameters, one missing': [SQL_NAMED, [{ a: 1, b: 'x' }]],
  'named parameters with positional values': [SQL_MIXED, [1, { b: 'x' }, 3]],
  'named parameters in two objects': [SQL_MIXED, [{ b: 1 }, { b: 2 }]],
  'a buffer as the one value': ['SELECT typeof(?) AS t, length(?1) AS n', [Buffer.from('abc')]],
  'a typed array as the one value': ['SELECT typeof(?) AS t, length(?1) AS n', [new Uint8Array([1, 2])]],
  'a date as the one value': ['SELECT ? AS a', [new Date(0)]],
  'a function as the one value': ['SELECT ? AS a', [() => 1]],
  'a class instance as the one value': ['SELECT ? AS a', [new (class Point { constructor() { this.x = 1; } })()]],
  'named parameters given to a statement without any': ['SELECT ? AS a', [{ a: 1 }]],
  'no values for a statement that has some': [SQL_POSITIONAL, []],
};

function scenario(Database) {
  const db = new Database(':memory:');
  const out = {};
  for (const [name, [sql, args]] of Object.entries(CASES)) out[name] = calls(db, sql, args);

  // bind() makes the values permanent: a call with values of any form is refused.
  const bound = () => db.prepare(SQL_POSITIONAL).bind(1, 'x', 2.5);
  for (const args of [[], [1], [[1]], [{ a: 1 }], [null]]) {
    out[`bound, then ${JSON.stringify(args)}`] = {
      get: outcome(() => bound().get(...args)),
      all: outcome(() => bound().all(...args)),
      iterate: outcome(() => [...bound().iterate(...args)]),
    };
  }

  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v)');
  const ins = db.prepare('INSERT INTO t(id, v) VALUES (?, ?)');
  const info = (r) => ({ r, proto: Object.getPrototypeOf(r) === Object.prototype, keys: Object.keys(r),
    types: [typeof r.changes, typeof r.lastInsertRowid] });
  out.run = [
    info(ins.run(1, 'a')),
    info(ins.run(2 ** 40, 'b')),
    info(ins.run(3, 'c')),
    info(db.prepare('UPDATE t SET v = v || ?').run('!')),
    info(db.prepare('DELETE FROM t WHERE id = ?').run(99)),
  ];
  const big = db.prepare('INSERT INTO t(id, v) VALUES (?, ?)').safeIntegers();
  out.safe = [String(big.run(2n ** 62n, 'd').lastInsertRowid), typeof big.run(5, 'e').lastInsertRowid];
  db.close();
  return out;
}

describe('JS API: the forms of a call\'s arguments match better-sqlite3', () => {
  const want = scenario(BetterSqlite3);
  const entries = [
    ['lodedb/compat', async () => (await import('lodedb/compat')).default, {}],
    ['lodedb/compat on the wasm engine', async () => makeCompat({ native: false, wasm: await import('lodedb/wasm') }),
      { skip: skipWasm }],
  ];
  for (const [entry, load, { skip }] of entries) {
    (skip ? describe.skip : describe)(entry, () => {
      let got;
      before(async () => {
        got = scenario(await load());
      });
      for (const name of Object.keys(want)) {
        it(name, () => assert.deepStrictEqual(got[name], want[name]));
      }
    });
  }
});
