// api-functions.test.mjs — Database.function(), aggregate(), serialize(),
// new Database(buffer), backup(), interrupt(), loadExtension() and table()'s argument checks.
// The synchronous entries ('lodedb/compat', wasm SyncDatabase) run each
// scenario next to better-sqlite3 and must observe what it observes (values,
// their types, errors and their classes); the promise entries get the same
// methods.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promiseEntries, syncEntries } from './entries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// What a scenario observed, in a form both libraries give alike: BLOBs as
// hex (Buffer vs Uint8Array), BigInt tagged, errors as class, code, message.
function observe(f) {
  try {
    return JSON.stringify(f(), (k, v) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) return `x'${Buffer.from(v.data).toString('hex')}'`;
      if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
      return v;
    });
  } catch (e) {
    return `${e.constructor.name}${e.code ? ` ${e.code}` : ''}: ${e.message}`;
  }
}

const ROWS = "SELECT 1 v UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4";

const scenarios = {
  'number results are REAL, other JS values map to their SQL types'(db) {
    db.function('f', (x) => x);
    return db.prepare("SELECT typeof(f(1)) a, typeof(f(1.5)) b, typeof(f('x')) c, typeof(f(x'00')) d, typeof(f(NULL)) e, f(7) g").get();
  },
  'arguments arrive as JS values'(db) {
    db.function('kinds', (a, b, c, d, e) => [a, b, c, d, e].map((v) => (v === null ? 'null' : v instanceof Uint8Array ? 'blob' : typeof v)).join());
    return db.prepare("SELECT kinds(1, 2.5, 'x', x'0102', NULL)").pluck().get();
  },
  'bigint, NaN, undefined, typed arrays and DataView results'(db) {
    db.function('r', (k) => [12n, NaN, undefined, new Uint16Array([1, 2]), new DataView(new ArrayBuffer(2)), -(2n ** 63n), 2 ** 70][k]);
    return db.prepare('SELECT typeof(r(0)), r(0), typeof(r(1)), typeof(r(2)), hex(r(3)), hex(r(4)), r(5), r(6)')
      .raw().safeIntegers().get();
  },
  'a boolean result is an invalid value'(db) {
    db.function('h', () => true);
    return db.prepare('SELECT h()').get();
  },
  'an object result is an invalid value'(db) {
    db.function('h', () => ({}));
    return db.prepare('SELECT h()').get();
  },
  'an ArrayBuffer result is an invalid value'(db) {
    db.function('h', () => new ArrayBuffer(2));
    return db.prepare('SELECT h()').get();
  },
  'a promise (async function) result is refused'(db) {
    db.function('h', async () => 1);
    return db.prepare('SELECT h()').get();
  },
  'a bigint beyond 64 bits is a RangeError'(db) {
    db.function('h', () => 2n ** 64n);
    return db.prepare('SELECT h()').get();
  },
  'an exception thrown by the function ends the statement with that exception'(db) {
    db.function('h', (x) => {
      if (x > 2) throw new RangeError(`boom ${x}`);
      return x;
    });
    db.exec('CREATE TABLE t(a)');
    let err;
    try {
      db.prepare(`INSERT INTO t SELECT h(v) FROM (${ROWS})`).run();
    } catch (e) {
      err = `${e.constructor.name}: ${e.message}`;
    }
    return [err, db.prepare('SELECT count(*) FROM t').pluck().get(), db.prepare('SELECT h(1)').pluck().get()];
  },
  'the argument count comes from fn.length'(db) {
    db.function('two', (a, b) => a + b);
    return [observe(() => db.prepare('SELECT two(1, 2)').pluck().get()), observe(() => db.prepare('SELECT two(1)').get())];
  },
  'varargs takes any count; an exact count wins over varargs'(db) {
    db.function('v', { varargs: true }, (...a) => a.length);
    db.function('ff', () => 2);
    db.function('ff', { varargs: true }, () => 3);
    return db.prepare('SELECT v(), v(1, 2, 3), ff(), ff(1)').raw().get();
  },
  're-registering replaces the function'(db) {
    db.function('ff', () => 1);
    const before = db.prepare('SELECT ff()').pluck().get();
    db.function('ff', () => 2);
    return [before, db.prepare('SELECT ff()').pluck().get()];
  },
  'safeIntegers gives BigInt arguments; the default follows defaultSafeIntegers'(db) {
    db.function('s', { safeIntegers: true }, (x) => typeof x);
    db.function('n', (x) => typeof x);
    db.defaultSafeIntegers(true);
    db.function('d', (x) => typeof x);
    db.function('off', { safeIntegers: false }, (x) => typeof x);
    return db.prepare('SELECT s(1), s(1.0), n(1), d(1), off(1)').raw().get();
  },
  'a deterministic function may index an expression'(db) {
    db.function('twice', { deterministic: true }, (x) => x * 2);
    db.exec('CREATE TABLE t(a); CREATE INDEX i ON t(twice(a)); INSERT INTO t VALUES (1), (2), (3)');
    return db.prepare('SELECT a FROM t WHERE twice(a) = 4').all();
  },
  'a function not declared deterministic may not index an expression'(db) {
    db.function('twice', (x) => x * 2);
    db.exec('CREATE TABLE t(a)');
    return [observe(() => db.exec('CREATE INDEX i ON t(twice(a))')), observe(() => db.exec('CREATE INDEX j ON t(a) WHERE twice(a) > 2'))];
  },
  'argument validation'(db) {
    return [
      observe(() => db.function('bad')),
      observe(() => db.function(1, () => 1)),
      observe(() => db.function('', () => 1)),
      observe(() => db.function('x', { varargs: 1 }, () => 1)),
      observe(() => db.function('x', 'opts', () => 1)),
      observe(() => db.function('x', (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z, a1, b1, c1, d1, e1, f1, g1, h1, i1, j1, k1, l1, m1, n1, o1, p1, q1, r1, s1, t1, u1, v1, w1, x1, y1, z1, a2, b2, c2, d2, e2, f2, g2, h2, i2, j2, k2, l2, m2, n2, o2, p2, q2, r2, s2, t2, u2, v2, w2, x2, y2, z2, a3, b3, c3, d3, e3, f3, g3, h3, i3, j3, k3, l3, m3, n3, o3, p3, q3, r3, s3, t3, u3, v3, w3, x3) => 1)),
      db.function('ok', () => 1) === db,
    ];
  },
  'aggregate: start value, step result, result function'(db) {
    db.aggregate('sm', { start: 0, step: (t, x) => t + x });
    db.aggregate('cat', { start: () => [], step: (t, x) => { t.push(x); }, result: (t) => t.join(',') });
    return [
      db.prepare(`SELECT sm(v) FROM (${ROWS})`).pluck().get(),
      db.prepare(`SELECT cat(v) FROM (${ROWS})`).pluck().get(),
      db.prepare(`SELECT cat(v) FROM (${ROWS}) WHERE v > 9`).pluck().get(),
      db.prepare(`SELECT sm(v) FROM (${ROWS}) WHERE v > 9`).pluck().get(),
    ];
  },
  'aggregate: every group starts afresh'(db) {
    db.aggregate('cat', { start: () => [], step: (t, x) => { t.push(x); }, result: (t) => t.join('+') });
    return db.prepare(`SELECT v % 2 k, cat(v) FROM (${ROWS}) GROUP BY k ORDER BY k`).raw().all();
  },
  'aggregate: varargs, safeIntegers and argument count from step.length - 1'(db) {
    db.aggregate('cnt', { varargs: true, start: 0, step: (t, ...a) => t + a.length });
    db.aggregate('big', { safeIntegers: true, start: 0n, step: (t, x) => t + x });
    db.aggregate('none', { step: () => {} });
    return [
      db.prepare(`SELECT cnt(v, v, v) FROM (${ROWS})`).pluck().get(),
      db.prepare(`SELECT typeof(big(v)), big(v) FROM (${ROWS})`).raw().get(),
      observe(() => db.prepare('SELECT none(1)').get()),
      db.prepare('SELECT none()').pluck().get(),
    ];
  },
  'aggregate: an exception from step or result ends the statement'(db) {
    db.aggregate('bad', { start: 0, step: (t, x) => { if (x === 3) throw new TypeError('in step'); return t + x; } });
    db.aggregate('badr', { start: 0, step: (t, x) => t + x, result: () => { throw new Error('in result'); } });
    return [observe(() => db.prepare(`SELECT bad(v) FROM (${ROWS})`).get()), observe(() => db.prepare(`SELECT badr(v) FROM (${ROWS})`).get())];
  },
  'aggregate with inverse serves as a window function'(db) {
    db.aggregate('sw', { start: 0, step: (t, x) => t + x, inverse: (t, x) => t - x });
    return [
      db.prepare(`SELECT v, sw(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (${ROWS})`).raw().all(),
      db.prepare(`SELECT v, sw(v) OVER (ORDER BY v) FROM (${ROWS})`).raw().all(),
      db.prepare(`SELECT sw(v) FROM (${ROWS})`).pluck().get(),
    ];
  },
  'aggregate without inverse may not be used as a window function'(db) {
    db.aggregate('sm', { start: 0, step: (t, x) => t + x });
    return db.prepare(`SELECT sm(v) OVER (ORDER BY v) FROM (${ROWS})`).all();
  },
  'aggregate argument validation'(db) {
    return [
      observe(() => db.aggregate('q', { step: 1 })),
      observe(() => db.aggregate('q', {})),
      observe(() => db.aggregate('q')),
      observe(() => db.aggregate('q', { step: () => {}, result: 'x' })),
      observe(() => db.aggregate('q', { step: () => {}, deterministic: 'yes' })),
    ];
  },
  'serialize, then open the image from a buffer'(db, Database) {
    db.exec("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'one'), (2, x'ff'); CREATE INDEX i ON t(b)");
    const image = db.serialize();
    const copy = new Database(image);
    const out = [image.length, copy.name, copy.memory, copy.prepare('SELECT * FROM t ORDER BY a').raw().all(),
      copy.prepare('SELECT name FROM sqlite_master ORDER BY name').pluck().all()];
    copy.exec('INSERT INTO t VALUES (3, 3)');
    out.push(db.prepare('SELECT count(*) FROM t').pluck().get()); // the copy is its own
    return out;
  },
  'serialize of a database never written is the image of an empty database'(db, Database) {
    const image = db.serialize();
    const copy = new Database(image);
    copy.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1)');
    return [Buffer.from(image).toString('hex'), copy.prepare('SELECT a FROM t').pluck().all(),
      copy.pragma('page_size', { simple: true })];
  },
  'opening bytes that are no database fails when they are read'(db, Database) {
    const bad = new Database(Buffer.from('hello'));
    return observe(() => bad.prepare('SELECT * FROM sqlite_master').all());
  },
  'serialize options'(db) {
    return [observe(() => db.serialize('x')), observe(() => db.serialize({ attached: 1 })), observe(() => db.serialize({ attached: '' }))];
  },
  'loadExtension of a missing library and table without rows throw'(db) {
    return [observe(() => db.loadExtension('/nonexistent')) !== 'null', observe(() => db.table('x', {})) !== 'null'];
  },
};

describe('JS API: user functions, aggregates, serialize, backup (sync entries vs better-sqlite3)', () => {
  const oracle = {};
  before(() => {
    for (const [name, run] of Object.entries(scenarios)) {
      const db = new BetterSqlite3(':memory:');
      oracle[name] = observe(() => run(db, BetterSqlite3));
      db.close();
    }
  });

  for (const [entry, load, { skip }] of syncEntries) {
    describe(entry, () => {
      let Database;
      before(async function () {
        if (skip) this.skip();
        Database = await load();
      });
      for (const [name, run] of Object.entries(scenarios)) {
        it(name, () => {
          const db = new Database(':memory:');
          try {
            assert.equal(observe(() => run(db, Database)), oracle[name]);
          } finally {
            db.close();
          }
        });
      }

      it('rethrows the very exception object the function threw', () => {
        const db = new Database(':memory:');
        const thrown = new Error('mine');
        db.function('h', () => { throw thrown; });
        assert.throws(() => db.prepare('SELECT h()').get(), (e) => e === thrown);
        assert.throws(() => db.exec('SELECT h()'), (e) => e === thrown);
        // a later failure of another kind is an SqliteError again
        assert.throws(() => db.prepare('SELECT nope()').get(), { name: 'SqliteError', message: 'no such function: nope' });
        db.close();
      });

      it('interrupt() stops the running statement with SQLITE_INTERRUPT', () => {
        const db = new Database(':memory:');
        let calls = 0;
        db.function('tick', (x) => {
          if (++calls === 10) db.interrupt();
          return x;
        });
        db.exec('CREATE TABLE t(a); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) INSERT INTO t SELECT x FROM c');
        assert.throws(() => db.prepare('SELECT sum(tick(a)) FROM t').get(),
          { code: 'SQLITE_INTERRUPT', message: 'interrupted' });
        assert.ok(calls < 1000);
        assert.equal(db.prepare('SELECT 1').pluck().get(), 1); // the next statement runs
        db.close();
      });

      it('loadExtension of a missing library is an SqliteError (api-load-extension.test.mjs); table() checks its definition (api-table.test.mjs)', () => {
        const db = new Database(':memory:');
        assert.throws(() => db.loadExtension('/nonexistent/x'), { name: 'SqliteError', code: 'SQLITE_ERROR' });
        assert.throws(() => db.table('x', {}), { name: 'TypeError', message: /without a "rows" property/ });
        db.close();
      });

      it('backup() copies into a file better-sqlite3 reads, reporting progress', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-backup-'));
        const db = new Database(':memory:');
        db.exec("CREATE TABLE t(a, b); CREATE INDEX tb ON t(b)");
        const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
        db.transaction(() => { for (let i = 0; i < 2000; i++) ins.run(i, `row ${i} ${'x'.repeat(i % 50)}`); })();
        const seen = [];
        const dest = path.join(dir, 'copy.db');
        const done = await db.backup(dest, { progress: (p) => { seen.push(p); return 5; } });
        const pages = db.pragma('page_count', { simple: true });
        assert.deepEqual(done, { totalPages: pages, remainingPages: 0 });
        assert.ok(seen.length > 0 && seen.every((p) => p.totalPages === pages));
        db.close();
        const isWasm = entry.includes('wasm'); // the wasm VFS keeps files in memory
        if (!isWasm) {
          const check = new BetterSqlite3(dest, { readonly: true });
          assert.equal(check.prepare('SELECT count(*) FROM t').pluck().get(), 2000);
          assert.equal(check.prepare('SELECT b FROM t WHERE a = 1999').pluck().get(), `row 1999 ${'x'.repeat(1999 % 50)}`);
          assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
          check.close();
        } else {
          const again = new Database(dest);
          assert.equal(again.prepare('SELECT count(*) FROM t').pluck().get(), 2000);
          again.close();
        }
        await assert.rejects(db.backup(dest), { name: 'TypeError', message: 'The database connection is not open' });
        fs.rmSync(dir, { recursive: true, force: true });
      });

      it('backup() argument rules', async () => {
        const db = new Database(':memory:');
        await assert.rejects(db.backup(':memory:'), { name: 'TypeError', message: 'Invalid backup filename ":memory:"' });
        await assert.rejects(db.backup('  '), { name: 'TypeError', message: 'Backup filename cannot be an empty string' });
        await assert.rejects(db.backup('x.db', { progress: 1 }), { name: 'TypeError', message: 'Expected the "progress" option to be a function' });
        db.close();
      });
    });
  }
});

describe('JS API: user functions and serialize on the promise entries', () => {
  for (const [entry, load, { skip }] of promiseEntries) {
    describe(entry, () => {
      let api;
      before(async function () {
        if (skip) this.skip();
        api = await load();
      });

      it('function() and aggregate() register at once and return the database', async () => {
        const db = await api.connect(':memory:');
        assert.equal(db.function('twice', { deterministic: true }, (x) => x * 2), db);
        assert.equal(db.aggregate('cat', { start: () => [], step: (t, x) => { t.push(x); }, result: (t) => t.join() }), db);
        await db.exec('CREATE TABLE t(a); CREATE INDEX i ON t(twice(a)); INSERT INTO t VALUES (1), (2), (3)');
        assert.deepEqual(await db.prepare('SELECT twice(a) d FROM t ORDER BY a').pluck().all(), [2, 4, 6]);
        assert.equal(await db.prepare('SELECT cat(a) FROM t').pluck().get(), '1,2,3');
        const thrown = new Error('mine');
        db.function('boom', () => { throw thrown; });
        await assert.rejects(db.prepare('SELECT boom()').get(), (e) => e === thrown);
        await db.close();
      });

      it('serialize() resolves to the image; new Database(image) opens a copy', async () => {
        const db = await api.connect(':memory:');
        await db.exec("CREATE TABLE t(a); INSERT INTO t VALUES ('kept')");
        const image = await db.serialize();
        assert.ok(image instanceof Uint8Array && image.length % 4096 === 0);
        const copy = new api.Database(image);
        await copy.connect();
        assert.deepEqual(await copy.prepare('SELECT a FROM t').pluck().all(), ['kept']);
        await copy.close();
        await db.close();
      });
    });
  }
});
