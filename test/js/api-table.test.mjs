// api-table.test.mjs — Database.table(): virtual tables defined in JavaScript
// (a definition object: an eponymous table; a factory: tables made by CREATE
// VIRTUAL TABLE), in lodedb/compat against better-sqlite3.  Each scenario
// runs on both and must give the same rows or the same error: parameters
// (declared or taken from rows.length) as hidden columns and table-function
// arguments, rows as arrays or objects, every value type, the checks of the
// definition and of each yielded row, exceptions of the generator and the
// factory, safeIntegers, directOnly (no use from a view), rowids, a
// parameter constrained by anything but =, a parameter taken from a table
// later in FROM, and the connection refused to the generator's body; the
// same on the wasm engine (lodedb/wasm SyncDatabase).
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { skipWasm } from './entries.mjs';

const { default: Compat } = await import('lodedb/compat');

const show = (v) =>
  JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : Buffer.isBuffer(x) ? `buf:${x.toString('hex')}` : x));

const outcome = (Database, fn) => {
  const db = new Database(':memory:');
  try {
    return show(fn(db));
  } catch (e) {
    return `${e.constructor.name}: ${e.message}${e.code ? ` ${e.code}` : ''}`;
  } finally {
    db.close();
  }
};

const scenarios = {
  eponymousObject: (db) => {
    db.table('seq', { columns: ['v'], parameters: ['n'], *rows(n) { for (let i = 0; i < n; i++) yield [i]; } });
    return [db.prepare('SELECT * FROM seq(3)').all(), db.prepare('SELECT v, n FROM seq WHERE n = 2').all(), db.prepare('SELECT * FROM seq').all()];
  },
  inferredParams: (db) => {
    db.table('rng', { columns: ['x'], *rows(a, b) { for (let i = a; i <= b; i++) yield { x: i }; } });
    return [db.prepare('SELECT x, "$1", "$2" FROM rng(2, 4)').all(), db.prepare('SELECT * FROM rng(1)').all(), db.prepare('SELECT count(*) FROM rng(NULL, 4)').all()];
  },
  factory: (db) => {
    db.table('fac', function (...args) {
      const ctx = [this.module, this.database, this.table, args];
      return { columns: ['a', 'b'], *rows() { yield { a: JSON.stringify(ctx), b: 1 }; yield [null, 2.5]; } };
    });
    db.exec("CREATE VIRTUAL TABLE t1 USING fac(one, 'two', 3)");
    return [db.prepare('SELECT * FROM t1').all(), db.prepare('SELECT * FROM fac').all(), db.prepare("SELECT type, name FROM sqlite_schema").all()];
  },
  eponymousCreate: (db) => {
    db.table('seq2', { columns: ['v'], *rows() { yield [1]; } });
    db.exec('CREATE VIRTUAL TABLE t2 USING seq2');
  },
  join: (db) => {
    db.table('digits', { columns: ['d'], parameters: ['base'], *rows(base) { for (let i = 0; i < base; i++) yield [i]; } });
    db.exec('CREATE TABLE b(n); INSERT INTO b VALUES (2),(3)');
    return [db.prepare('SELECT n, d FROM b, digits(b.n) ORDER BY n, d').all(), db.prepare('SELECT n, d FROM b JOIN digits ON digits.base = b.n ORDER BY 1, 2').all()];
  },
  joinTableFirst: (db) => {
    // The table comes first in FROM, its parameter from a later table: the join scans that one first.
    db.table('digits', { columns: ['d'], parameters: ['base'], *rows(base) { for (let i = 0; i < base; i++) yield [i]; } });
    db.exec('CREATE TABLE c(base); INSERT INTO c VALUES (2),(3)');
    return [db.prepare('SELECT base, d FROM digits JOIN c USING (base) ORDER BY 1, 2').raw().all(),
      db.prepare('SELECT c.base, d FROM digits, c WHERE digits.base = c.base ORDER BY 1, 2').raw().all()];
  },
  rowsBodyBusy: (db) => {
    // The generator runs while its statement does: it cannot use the connection, at any row.
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    const st = db.prepare('SELECT x FROM t');
    const seen = [];
    const probe = (f) => { try { f(); return 'ok'; } catch (e) { return `${e.constructor.name}: ${e.message}`; } };
    db.table('busy', { columns: ['v'], *rows() {
      for (let i = 0; i < 2; i++) {
        seen.push([probe(() => db.exec('SELECT 1')), probe(() => db.prepare('SELECT 1')), probe(() => st.get()),
          probe(() => db.pragma('cache_size')), probe(() => db.function('f', () => 1)),
          probe(() => db.table('u', { columns: ['w'], *rows() {} }))]);
        yield [i];
      }
    } });
    return [db.prepare('SELECT v FROM busy').pluck().all(), seen, st.get()];
  },
  rowsLookalikes: (db) => {
    const proto = Object.getPrototypeOf(function* () {});
    const out = [];
    for (const rows of [Object.create(proto), Object.setPrototypeOf(() => {}, Object.create(proto))]) {
      try { db.table('look', { columns: ['v'], rows }); out.push('ok'); } catch (e) { out.push(`${e.constructor.name}: ${e.message}`); }
    }
    return out;
  },
  nonEqParam: (db) => {
    db.table('p1', { columns: ['v'], parameters: ['n'], *rows(n) { yield [n]; } });
    return db.prepare('SELECT * FROM p1 WHERE n > 1').all();
  },
  types: (db) => {
    db.table('ty', { columns: ['v'], *rows() { yield [1]; yield [1.5]; yield ['s']; yield [Buffer.from('ab')]; yield [null]; yield [12n]; yield [undefined]; } });
    return db.prepare('SELECT v, typeof(v) FROM ty').raw().all();
  },
  badValue: (db) => {
    db.table('bv', { columns: ['v'], *rows() { yield [{}]; } });
    return db.prepare('SELECT * FROM bv').all();
  },
  bigBig: (db) => {
    db.table('bb', { columns: ['v'], *rows() { yield [2n ** 70n]; } });
    return db.prepare('SELECT * FROM bb').all();
  },
  throwing: (db) => {
    db.table('th', { columns: ['v'], *rows() { yield [1]; throw new Error('boom'); } });
    return db.prepare('SELECT * FROM th').all();
  },
  badRow: (db) => {
    db.table('br', { columns: ['v', 'w'], *rows() { yield [1]; } });
    return db.prepare('SELECT * FROM br').all();
  },
  badRowObj: (db) => {
    db.table('bo', { columns: ['v'], *rows() { yield { zz: 1 }; } });
    return db.prepare('SELECT * FROM bo').all();
  },
  badRowPrim: (db) => { db.table('bp', { columns: ['v'], *rows() { yield 5; } }); return db.prepare('SELECT * FROM bp').all(); },
  missingCols: (db) => { db.table('mc', { columns: ['v', 'w'], *rows() { yield { v: 1 }; } }); return db.prepare('SELECT * FROM mc').all(); },
  defErrors: (db) => {
    const out = [];
    const tries = [
      [1, {}], ['', {}], ['x', 5], ['x', {}], ['x', { rows: 1 }], ['x', { columns: ['a'], rows() {} }],
      ['x', { columns: 'a', *rows() {} }], ['x', { columns: ['a', 'a'], *rows() {} }], ['x', { columns: [], *rows() {} }],
      ['x', { columns: ['a'], parameters: [1], *rows() {} }], ['x', { columns: ['a'], parameters: ['a'], *rows() {} }],
      ['x', { columns: ['a'], parameters: ['p', 'p'], *rows() {} }], ['x', { columns: ['a'], safeIntegers: 1, *rows() {} }],
      ['x', { columns: ['a'], directOnly: 'y', *rows() {} }], ['x', { columns: ['a'], parameters: Array.from({ length: 33 }, (_, i) => `p${i}`), *rows() {} }],
    ];
    for (const [n, d] of tries) { try { db.table(n, d); out.push('ok'); } catch (e) { out.push(`${e.constructor.name}: ${e.message}`); } }
    return out;
  },
  factoryBad: (db) => { db.table('fb', () => 5); db.exec('CREATE VIRTUAL TABLE t3 USING fb'); },
  factoryThrows: (db) => { db.table('ft', () => { throw new RangeError('nope'); }); db.exec('CREATE VIRTUAL TABLE t4 USING ft'); },
  safeInts: (db) => {
    db.table('si', { columns: ['v'], parameters: ['p'], safeIntegers: true, *rows(p) { yield [typeof p]; } });
    db.table('si2', { columns: ['v'], parameters: ['p'], *rows(p) { yield [typeof p]; } });
    return [db.prepare('SELECT * FROM si(5)').all(), db.prepare('SELECT * FROM si2(5)').all()];
  },
  defaultSafe: (db) => {
    db.defaultSafeIntegers(true);
    db.table('ds', { columns: ['v'], parameters: ['p'], *rows(p) { yield [typeof p]; } });
    return db.prepare('SELECT * FROM ds(5)').all();
  },
  directOnly: (db) => {
    db.table('dox', { columns: ['v'], directOnly: true, *rows() { yield [1]; } });
    const a = db.prepare('SELECT * FROM dox').all();
    db.exec('CREATE VIEW vdo AS SELECT * FROM dox');
    return [a, db.prepare('SELECT * FROM vdo').all()];
  },
  rowid: (db) => {
    db.table('rw', { columns: ['v'], *rows() { yield ['a']; yield ['b']; } });
    return db.prepare('SELECT rowid, v FROM rw').all();
  },
  bufArg: (db) => {
    db.table('ba', { columns: ['v'], parameters: ['b'], *rows(b) { b[0] = 0x7a; yield [b]; } });
    return db.prepare("SELECT hex(b), hex(v) FROM ba(x'6162')").raw().all();
  },
  replaced: (db) => {
    db.table('rp', { columns: ['v'], *rows() { yield [1]; } });
    db.table('rp', { columns: ['w'], *rows() { yield [2]; } });
    return db.prepare('SELECT * FROM rp').all();
  },
  returnsThis: (db) => db.table('rt', { columns: ['v'], *rows() {} }) === db,
  whereFilter: (db) => {
    db.table('wf', { columns: ['v', 'w'], *rows() { for (let i = 0; i < 10; i++) yield [i, i % 3]; } });
    return [db.prepare('SELECT v FROM wf WHERE w = 1 AND v > 2').pluck().all(), db.prepare('SELECT count(*), sum(v) FROM wf').raw().get()];
  },
  iterateEarlyStop: (db) => {
    let closed = 0;
    db.table('ie', { columns: ['v'], *rows() { try { for (let i = 0; ; i++) yield [i]; } finally { closed++; } } });
    const r = db.prepare('SELECT * FROM ie LIMIT 3').pluck().all();
    return [r];
  },
  hiddenInStar: (db) => {
    db.table('hs', { columns: ['v'], parameters: ['p'], *rows(p) { yield [p * 2]; } });
    return [db.prepare('SELECT * FROM hs(4)').all(), db.prepare('SELECT p, v FROM hs(4)').all(), db.prepare('PRAGMA table_xinfo(hs)').all()];
  },
  quotedNames: (db) => {
    db.table('qn', { columns: ['a"b', 'select'], parameters: ['x y'], *rows() { yield [1, 2]; } });
    return db.prepare('SELECT * FROM qn(1)').all();
  },
};

describe('Database.table(): virtual tables defined in JavaScript, lodedb/compat against better-sqlite3', function () {
  for (const [name, fn] of Object.entries(scenarios)) {
    it(name, () => {
      const expected = outcome(BetterSqlite3, fn);
      assert.equal(outcome(Compat, fn), expected);
    });
  }

  it('the results are what better-sqlite3 documents (not only equal)', () => {
    const rows = JSON.parse(outcome(Compat, scenarios.inferredParams));
    assert.deepEqual(rows[0], [{ x: 2, $1: 2, $2: 4 }, { x: 3, $1: 2, $2: 4 }, { x: 4, $1: 2, $2: 4 }]);
    assert.deepEqual(rows[2], [{ 'count(*)': 0 }]);
    assert.match(outcome(Compat, scenarios.throwing), /^Error: boom$/);
    assert.match(outcome(Compat, scenarios.nonEqParam), /can only be constrained by the '=' operator/);
  });

  it('a statement still runs after a generator threw, and the table works again', () => {
    const db = new Compat(':memory:');
    let fail = true;
    db.table('flaky', { columns: ['v'], *rows() { if (fail) throw new TypeError('once'); yield [7]; } });
    const st = db.prepare('SELECT v FROM flaky');
    assert.throws(() => st.all(), { name: 'TypeError', message: 'once' });
    fail = false;
    assert.deepEqual(st.pluck().all(), [7]);
    db.close();
  });
});

describe('Database.table() in lodedb/wasm SyncDatabase', function () {
  // The same scenarios on the wasm engine, whose BLOBs are Uint8Array.
  const showWasm = (v) => JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n`
    : x instanceof Uint8Array ? `buf:${Buffer.from(x).toString('hex')}`
      : x && x.type === 'Buffer' && Array.isArray(x.data) ? `buf:${Buffer.from(x.data).toString('hex')}` : x));
  const outcomeAs = (Database, fn) => {
    const db = new Database(':memory:');
    try {
      return showWasm(fn(db));
    } catch (e) {
      return `${e.constructor.name}: ${e.message}${e.code ? ` ${e.code}` : ''}`;
    } finally {
      db.close();
    }
  };
  for (const [name, fn] of Object.entries(scenarios)) {
    it(name, async function () {
      if (skipWasm) this.skip();
      const { SyncDatabase } = await import('lodedb/wasm');
      assert.equal(outcomeAs(SyncDatabase, fn), outcomeAs(BetterSqlite3, fn));
    });
  }
});
