// api-bs3-suite.test.mjs — behaviours of better-sqlite3 that running its own
// test suite against lodedb/compat found missing: Database() called without
// `new` and subclassed, the anonymous temporary database of no path, the
// argument checks of the constructor and of pragma(), transaction() on a
// closed database, SqliteError called without `new`, plain objects of another
// realm as named parameters, the 16 MB page cache, and a statement that
// writes a read-only database failing when it runs rather than when it is
// prepared, statements refused while a user function runs, what the verbose
// option is told, the image serialize() gives of a file database,
// double-quoted strings refused in the statements written (its SQLITE_DQS=0),
// PRAGMA journal_mode of a new file and of a read-only one, and how values
// bind to anonymous, named and ?NNN parameters (and which error a wrong call
// gets first).  Each
// scenario runs on better-sqlite3 and on lodedb/compat and the outcomes must
// be equal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import BetterSqlite3 from 'better-sqlite3';
import { skipWasm } from './entries.mjs';

const { default: Compat, SqliteError } = await import('lodedb/compat');

const outcome = (fn) => {
  try {
    const v = fn();
    return v === undefined ? 'ok' : v;
  } catch (e) {
    return `${e.constructor.name}: ${e.message}${e.code ? ` (${e.code})` : ''}`;
  }
};

const both = (scenario) => {
  const expected = scenario(BetterSqlite3);
  const actual = scenario(Compat);
  assert.deepEqual(actual, expected);
  return actual;
};

describe('better-sqlite3 suite behaviours in lodedb/compat', function () {
  this.timeout(60000);
  let dir;
  let n = 0;
  const file = () => path.join(dir, `${++n}.db`);
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-bs3-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('Database() works without new, and subclassed', () => {
    const out = both((Database) => {
      const db = Database(':memory:');
      class Mine extends Database {
        answer() { return 42; }
      }
      const mine = new Mine(':memory:');
      const r = {
        instance: db instanceof Database,
        ctor: db.constructor === Database,
        protoCtor: Database.prototype.constructor === Database,
        proto: Object.getPrototypeOf(db) === Database.prototype,
        close: db.close === Database.prototype.close,
        mine: mine instanceof Mine && mine instanceof Database && mine.constructor === Mine && mine.answer(),
        mineProto: Object.getPrototypeOf(Mine.prototype) === Database.prototype,
        sqliteError: typeof Database.SqliteError,
      };
      db.close();
      mine.close();
      return r;
    });
    assert.equal(out.ctor, true);
    assert.equal(out.mine, 42);
  });

  it('no path, null, undefined and "" open an anonymous temporary database named ""', () => {
    const out = both((Database) => [[], [null], [undefined], [''], ['', { timeout: 2000 }], [':memory:']].map((args) => {
      const db = new Database(...args);
      const r = [db.name, db.memory, db.readonly, db.open, db.inTransaction];
      db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
      r.push(db.prepare('SELECT count(*) AS n FROM t').get().n);
      db.close();
      return r;
    }));
    assert.deepEqual(out[0], ['', true, false, true, false, 1]);
  });

  it('the constructor checks its options as better-sqlite3 does', () => {
    const f = file();
    new BetterSqlite3(f).close();
    const out = both((Database) => [
      outcome(() => new Database(f, { readOnly: false }).close()),
      outcome(() => new Database(f, { readonly: undefined }).close()),
      outcome(() => new Database(f, { fileMustExist: 'yes' }).close()),
      outcome(() => new Database(':memory:', { readonly: true }).close()),
      outcome(() => new Database('', { readonly: true }).close()),
      outcome(() => new Database(f, 'options').close()),
      outcome(() => new Database(f, { readonly: false, fileMustExist: true }).close() && 'closed'),
      outcome(() => new Database(f, { readonly: true }).readonly),
    ]);
    assert.match(out[0], /^TypeError: Misspelled option "readOnly"/);
    assert.match(out[1], /^TypeError: Expected the "readonly" option to be a boolean/);
    assert.match(out[3], /^TypeError: In-memory\/temporary databases cannot be readonly/);
    assert.equal(out[7], true);
  });

  it('a serialized image opens read-only', () => {
    const src = new BetterSqlite3(':memory:');
    src.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)');
    const image = src.serialize();
    src.close();
    const out = both((Database) => {
      const db = new Database(image, { readonly: true });
      const r = [db.readonly, db.prepare('SELECT sum(x) AS s FROM t').get().s,
        outcome(() => db.exec('INSERT INTO t VALUES (3)'))];
      db.close();
      return r;
    });
    assert.deepEqual(out[0], true);
    assert.match(out[2], /SQLITE_READONLY/);
  });

  it('the page cache is 16 MB and pragma() checks its simple option', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      const r = [
        db.pragma('cache_size', { simple: true }),
        outcome(() => db.pragma('cache_size', { simple: undefined })),
        outcome(() => db.pragma('cache_size', { simple: 1 })),
        db.pragma('cache_size = -8000', { simple: true }) ?? null,
        db.pragma('cache_size', { simple: true }),
      ];
      db.close();
      return r;
    });
    assert.equal(out[0], -16000);
    assert.match(out[1], /^TypeError: Expected the "simple" option to be a boolean/);
  });

  it('transaction() on a closed database throws TypeError', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      db.close();
      return outcome(() => db.transaction(() => {}));
    });
    assert.equal(out, 'TypeError: The database connection is not open');
  });

  it('SqliteError works without new and names itself on its prototype', () => {
    const out = both((Database) => {
      const E = Database.SqliteError;
      const a = E('boom', 'SQLITE_ERROR');
      const b = new E('bang', 'SQLITE_BUSY');
      return [a instanceof E, a instanceof Error, a.message, a.code, a.name, E.prototype.name,
        b instanceof E, b.code, typeof a.stack, Object.keys(a).includes('code')];
    });
    assert.equal(out[0], true);
    assert.equal(SqliteError, Compat.SqliteError);
  });

  it('SqliteError refuses a code that is no string and stringifies the message', () => {
    const out = both((Database) => {
      const E = Database.SqliteError;
      return [outcome(() => E('foo')), outcome(() => new E('foo', 123)), E(123, 'x').message,
        E(undefined, 'x').message, E(null, 'x').message, outcome(() => E('m', 'c').code)];
    });
    assert.equal(out[0], 'TypeError: Expected second argument to be a string');
  });

  it('an error thrown by lodedb/compat is an instance of both entries\' SqliteError; lodedb\'s checks no code', async () => {
    const { SqliteError: PromiseSqliteError } = await import('lodedb');
    const db = new Compat(':memory:');
    let err;
    try {
      db.exec('SELECT nope');
    } catch (e) {
      err = e;
    }
    db.close();
    assert.ok(err instanceof SqliteError && err instanceof PromiseSqliteError);
    assert.equal(err.code, 'SQLITE_ERROR');
    const lax = new PromiseSqliteError('m');
    assert.ok(lax instanceof SqliteError);
    assert.equal(lax.code, undefined);
  });

  it('binds plain objects of another realm as named parameters, and refuses its class instances', () => {
    const context = vm.createContext({});
    const plain = vm.runInContext('({ a: "x", b: 2 })', context);
    const bare = vm.runInContext('Object.assign(Object.create(null), { a: "y", b: 3 })', context);
    const instance = vm.runInContext('new (class { get a() { return "z"; } })()', context);
    const out = both((Database) => {
      const db = new Database(':memory:');
      const st = db.prepare('SELECT @a AS a, @b AS b');
      const r = [st.get(plain), st.get(bare), outcome(() => st.get(instance)).split(':')[0]];
      db.close();
      return r;
    });
    assert.deepEqual(out, [{ a: 'x', b: 2 }, { a: 'y', b: 3 }, 'TypeError']);
  });

  it('backup(): URIs and missing directories refused, destination opened later, a new file deleted on failure', async () => {
    const scenario = async (Database) => {
      const src = new Database(file());
      src.exec("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(9000))");
      const settle = (p) => p.then(() => 'ok', (e) => `${e.constructor.name}`);
      const out = {
        uri: await settle(src.backup(`file:${file()}`)),
        upper: await settle(src.backup(`FILE:${file()}`)),
        dir: await settle(src.backup(path.join(dir, 'missing', 'x.db'))),
      };
      const dest = file();
      const p = src.backup(dest);
      out.existsAtOnce = fs.existsSync(dest);
      out.done = await p;
      const aborted = file();
      out.thrown = await settle(src.backup(aborted, { progress: () => { throw new SyntaxError('stop'); } }));
      out.abortedKept = fs.existsSync(aborted);
      const closing = file();
      const calls = [];
      const q = src.backup(closing, { progress: (state) => { calls.push(state); return 1; } });
      q.catch(() => {});
      while (!calls.length) await new Promise(setImmediate);
      src.close();
      out.closed = await settle(q);
      out.closedKept = fs.existsSync(closing);
      return out;
    };
    const expected = await scenario(BetterSqlite3);
    const actual = await scenario(Compat);
    assert.deepEqual(actual, expected);
    assert.equal(actual.uri, 'TypeError');
    assert.equal(actual.existsAtOnce, false);
    assert.equal(actual.abortedKept, false);
    assert.equal(actual.closed, 'TypeError');
  });

  const aggregateScenario = (Database) => {
    const WIN = 'WINDOW win AS (ORDER BY rowid ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY rowid';
    const db = new Database(':memory:');
    db.exec('CREATE TABLE ints(x); INSERT INTO ints VALUES (3), (5), (7), (11); CREATE TABLE empty(x)');
    const calls = [];
    const boom = new Error('boom');
    const make = (name, failAt) => db.aggregate(name, {
      start: () => { calls.push('start'); if (failAt === 'start') throw boom; return 0; },
      step: (acc, x) => { calls.push('step'); if (failAt === 'step') throw boom; return acc + x; },
      inverse: (acc, x) => { calls.push('inverse'); if (failAt === 'inverse') throw boom; return acc - x; },
      result: (acc) => { calls.push('result'); if (failAt === 'result') throw boom; return failAt === 'invalid' ? {} : acc; },
    });
    const r = {};
    for (const failAt of [null, 'start', 'step', 'inverse', 'result', 'invalid']) {
      const name = `agg_${failAt}`;
      make(name, failAt);
      for (const [label, sql] of [['window', `SELECT ${name}(x) OVER win FROM ints ${WIN}`],
        ['group', `SELECT ${name}(x) FROM ints`], ['empty', `SELECT ${name}(x) FROM empty`]]) {
        const got = outcome(() => db.prepare(sql).pluck().all());
        r[`${failAt} ${label}`] = [typeof got === 'string' ? got.split(':')[0] : got, calls.splice(0).join(' ')];
      }
    }
    db.close();
    return r;
  };

  it('aggregates: result() once per window row, nothing called after a callback failed', () => {
    const out = both(aggregateScenario);
    assert.deepEqual(out['null window'][0], [8, 15, 23, 18]);
    assert.equal(out['null window'][1].split(' ').filter((c) => c === 'result').length, 4);
  });

  it('aggregates on the wasm engine are called as on the native one', async function () {
    if (skipWasm) this.skip();
    const { SyncDatabase } = await import('lodedb/wasm');
    assert.deepEqual(aggregateScenario(SyncDatabase), aggregateScenario(BetterSqlite3));
  });

  it('a user function cannot use its connection while its statement runs', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)');
      const seen = [];
      const probe = () => {
        for (const f of [() => db.exec('SELECT 1'), () => db.prepare('SELECT 1'), () => db.pragma('cache_size'),
          () => db.function('g', () => 1), () => db.aggregate('h', { step: () => {} })]) seen.push(outcome(f));
      };
      db.function('f', (x) => { probe(); return x; });
      db.aggregate('a', { step: (acc, x) => { probe(); } });
      db.prepare('SELECT f(x) FROM t').all();
      db.prepare('SELECT a(x) FROM t').get();
      const after = [outcome(() => db.exec('SELECT 1') && 'ok'), outcome(() => db.prepare('SELECT 1') && 'ok')];
      db.close();
      return [seen, after];
    });
    assert.equal(out[0].length, 20);
    assert.ok(out[0].every((o) => o === 'TypeError: This database connection is busy executing a query'));
    assert.deepEqual(out[1], ['ok', 'ok']);
  });

  it("a user function cannot use its connection's statements or open iterators while its statement runs", () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)');
      const reader = db.prepare('SELECT x FROM t');
      const writer = db.prepare('UPDATE t SET x = x');
      const seen = [];
      let open;
      db.function('f', (x) => {
        for (const use of [() => writer.run(), () => reader.get(), () => reader.all(), () => reader.iterate(),
          () => reader.pluck(), () => reader.raw(), () => reader.expand(), () => reader.safeIntegers(),
          () => reader.columns(), () => reader.bind(), () => open.next(), () => open.return()]) {
          seen.push(outcome(use));
        }
        return x;
      });
      open = db.prepare('SELECT x FROM t').iterate();
      open.next();
      db.prepare('SELECT f(1)').get();
      const after = [open.next().value, open.return().done, reader.get().x];
      db.close();
      return [seen, after];
    });
    assert.equal(out[0].length, 12);
    assert.ok(out[0].every((o) => o === 'TypeError: This database connection is busy executing a query'));
    assert.deepEqual(out[1], [{ x: 2 }, true, 1]);
  });

  it('verbose: called without this, an iterator told at its first next(), long values cut at 32 bytes', () => {
    const out = both((Database) => {
      const calls = [];
      const db = new Database(':memory:', { verbose(sql) { calls.push([this, sql]); } });
      const st = db.prepare('SELECT ?');
      st.iterate('never run').return();
      const it = st.iterate('run');
      calls.push('iterate() returned');
      it.next();
      it.return();
      for (const v of ['x'.repeat(32), 'y'.repeat(33), "it's quoted ''twice'' and long enough", 'é'.repeat(20),
        Buffer.alloc(32, 1), Buffer.alloc(40, 0xab)]) {
        st.get(v);
      }
      db.close();
      return calls;
    });
    assert.deepEqual(out.slice(0, 2), ['iterate() returned', [undefined, "SELECT 'run'"]]);
    assert.equal(out[3][1], `SELECT '${'y'.repeat(32)}'/*+1 bytes*/`);
  });

  it('a file database serializes to an image that opens in better-sqlite3 and serializes back to itself', () => {
    const out = both((Database) => {
      const db = new Database(file());
      db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), ('two')");
      const image = db.serialize();
      db.close();
      const copy = new Database(image);
      const again = copy.serialize();
      copy.close();
      const other = new BetterSqlite3(image);
      const rows = other.prepare('SELECT x FROM t ORDER BY rowid').pluck().all();
      other.close();
      return [image[18], image[19], again.equals(image), rows];
    });
    assert.deepEqual(out, [1, 1, true, [1, 'two']]);
  });

  it('a "double-quoted" word naming no column is an error in the statements written (SQLITE_DQS=0)', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1)');
      db.table('tv', { columns: ['v'], *rows(x) { yield [x]; } });
      const r = [
        outcome(() => db.prepare('SELECT "abc"').all()),
        outcome(() => db.prepare('SELECT "a" FROM t').all()),
        outcome(() => db.prepare("SELECT 'abc' AS s").get()),
        outcome(() => db.prepare('SELECT * FROM tv WHERE "$1" = ? AND "$2" = ?').all(1, 2)),
        outcome(() => db.exec('UPDATE t SET a = "b"')),
      ];
      db.close();
      return r;
    });
    assert.equal(out[0], 'SqliteError: no such column: "abc" - should this be a string literal in single-quotes? (SQLITE_ERROR)');
    assert.deepEqual(out[1], [{ a: 1 }]);
  });

  it('double-quoted strings are refused in CREATE TABLE and CREATE INDEX, in views and trigger bodies as they '
    + 'run, but kept where the schema already holds them', () => {
    const f = file();
    // sqlite3's shell takes them (its build leaves the fallback on).
    execFileSync('sqlite3', [f, 'CREATE TABLE s(a, b CHECK(b <> "x")); CREATE INDEX si ON s(a || "y");'
      + 'CREATE VIEW sv AS SELECT "x" AS c FROM s; CREATE TABLE log(m);'
      + 'CREATE TRIGGER st AFTER DELETE ON s BEGIN INSERT INTO log VALUES ("gone"); END;']);
    const out = both((Database) => {
      const copy = file();
      fs.copyFileSync(f, copy);
      const db = new Database(copy);
      const run = (sql) => outcome(() => { db.exec(sql); });
      const r = [
        run('CREATE TABLE t1(a CHECK(a <> "x"))'),
        run('CREATE TABLE t2(a, b AS (a || "x"))'),
        run('CREATE TABLE t3(a)'),
        run('CREATE INDEX i1 ON t3("zz")'),
        run('CREATE INDEX i2 ON t3(a) WHERE a <> "x"'),
        run('CREATE TABLE t4(a, CHECK("a" > 0)); CREATE INDEX i3 ON t4("a")'),
        run('ALTER TABLE t3 ADD COLUMN b CHECK(b <> "x")'),
        run('INSERT INTO s VALUES (1, 2)'),
        run("INSERT INTO s VALUES (1, 'x')"),
        outcome(() => db.prepare('SELECT a || "y" FROM s INDEXED BY si').all()),
        outcome(() => db.prepare('SELECT * FROM sv').all()),
        run('DELETE FROM s'),
        outcome(() => db.prepare('SELECT count(*) AS n FROM s').get()),
      ];
      db.close();
      return r;
    });
    const hint = (w) => `SqliteError: no such column: "${w}" - should this be a string literal in single-quotes? `
      + '(SQLITE_ERROR)';
    assert.deepEqual(out.slice(0, 5), [hint('x'), hint('x'), 'ok', hint('zz'), hint('x')]);
    assert.deepEqual(out.slice(7, 9), ['ok', 'SqliteError: CHECK constraint failed: b <> "x" (SQLITE_CONSTRAINT_CHECK)']);
    assert.equal(out[10], hint('x'));
    assert.equal(out[11], hint('gone'));
  });

  it('a write to a read-only database fails when it runs, not when it is prepared', () => {
    const f = file();
    const w = new BetterSqlite3(f);
    w.exec('CREATE TABLE t(x)');
    w.close();
    const out = both((Database) => {
      const db = new Database(f, { readonly: true });
      const r = [];
      for (const sql of ['CREATE TABLE u(y)', 'INSERT INTO t VALUES (1)', 'DELETE FROM t', 'UPDATE t SET x = 1',
        'CREATE INDEX i ON t(x)', 'DROP TABLE t', 'CREATE VIEW v AS SELECT 1', 'ALTER TABLE t ADD COLUMN z']) {
        let st;
        const prepared = outcome(() => { st = db.prepare(sql); });
        r.push([sql, prepared, st ? st.readonly : null, st ? outcome(() => st.run()) : null]);
      }
      r.push(db.prepare('SELECT count(*) AS n FROM sqlite_schema').get().n);
      db.close();
      return r;
    });
    assert.equal(out[0][1], 'ok');
    assert.match(out[0][3], /SQLITE_READONLY/);
  });

  it('PRAGMA journal_mode says delete for a new file and for a read-only one still in rollback format', () => {
    const out = both((Database) => {
      const f = file();
      const db = new Database(f);
      const mode = (d) => d.pragma('journal_mode', { simple: true });
      const r = [mode(db), db.pragma('journal_mode = wal', { simple: true }), mode(db)];
      db.exec('CREATE TABLE t(x)');
      db.close();
      const again = new Database(f, { readonly: true });
      r.push(mode(again));
      again.close();
      const empty = file();
      new Database(empty).close();
      const ro = new Database(empty, { readonly: true, fileMustExist: true });
      r.push(mode(ro), outcome(() => ro.pragma('journal_mode = wal')), mode(ro));
      ro.close();
      return r;
    });
    assert.deepEqual(out.slice(0, 5), ['delete', 'wal', 'wal', 'wal', 'delete']);
    assert.match(out[5], /^SqliteError: attempt to write a readonly database \(SQLITE_READONLY\)$/);
    assert.equal(out[6], 'delete');
    // Where they part: better-sqlite3 writes a new file in rollback mode, Lode
    // through its WAL, and the file says so from its first write on.
    const fresh = new Compat(file());
    fresh.exec('CREATE TABLE t(x)');
    assert.equal(fresh.pragma('journal_mode', { simple: true }), 'wal');
    fresh.close();
  });

  it('PRAGMA journal_mode refuses the rollback modes (docs/sql.md); better-sqlite3 takes them', () => {
    const db = new Compat(file());
    for (const mode of ['delete', 'TRUNCATE', 'persist', 'memory', 'off'])
      assert.throws(() => db.pragma(`journal_mode = ${mode}`),
        { name: 'SqliteError', code: 'SQLITE_ERROR', message: `journal mode ${mode} is not supported: Lode writes through a WAL (wal or mvcc)` });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
    db.close();
    const mem = new Compat(':memory:');
    assert.equal(mem.pragma('journal_mode = off', { simple: true }), 'memory'); // as SQLite answers in memory
    mem.close();
  });

  it('parameters bind by better-sqlite3\'s rules: positional values only to "?", named ones and ?NNN from the object', async () => {
    const fn = () => {};
    class K { constructor() { this.a = 1; } }
    const calls = [
      ['SELECT ?, @a, ?', [{ a: 5 }, 1, 2]], ['SELECT ?, @a, ?', [1, { a: 5 }, 2]], ['SELECT ?, @a, ?', [1, 2, { a: 5 }]],
      ['SELECT :a, $a, @a', [{ a: 1 }]], ['SELECT ?1, ?2', [{ 1: 5, 2: 6 }]], ['SELECT @a, @a', [{ a: 1 }]],
      ['SELECT @a', [5]], ['SELECT @a', []], ['SELECT @a', [undefined]], ['SELECT @a', [[5]]], ['SELECT ?, @a', [1]],
      ['SELECT ?, @a', [1, 2]], ['SELECT ?1, ?', [5, 6]], ['SELECT ?, ?1', [5]], ['SELECT ?3', [5]], ['SELECT ?3', []],
      ['SELECT @a', [fn]], ['SELECT @a', [new Date()]], ['SELECT @a', [new K()]], ['SELECT @a', [{ a: 1 }, new K()]],
      ['SELECT ?, @a', [1, fn]], ['SELECT ?1', [fn]], ['SELECT @a', [Symbol('s')]], ['SELECT ?', [1, new K()]],
      ['SELECT ?', [new Date()]], ['SELECT ?, ?', [[1, 2, fn, 4]]], ['SELECT ?, ?', [1, 2, Symbol('s'), 3]],
      ['SELECT ?, ?', [1, 2, 3, Symbol('s')]], ['SELECT ?, ?', [1, 2, 2n ** 70n]], ['SELECT ?', [Buffer.from('a'), fn]],
      ['SELECT 1', [new Date()]], ['SELECT 1', [fn]], ['SELECT ?, @a, ?', [{ a: 5 }, 1]], ['SELECT ?, @a, ?', [1, {}, 2]],
      ['SELECT ?, ?', [1, 2, { a: 1 }, { b: 1 }]], ['SELECT ?, ?', [1, undefined]], ['SELECT ?, @a, ?', [{ a: 5 }, 1, fn]],
    ];
    const scenario = (Database) => {
      const db = new Database(':memory:');
      const r = calls.map(([sql, args]) => {
        const [run, bind] = [db.prepare(sql).raw(), db.prepare(sql).raw()];
        return [sql, outcome(() => run.get(...args)), outcome(() => bind.bind(...args).get())];
      });
      db.close();
      return r;
    };
    const out = both(scenario);
    if (!skipWasm) { // lodedb/compat over the wasm engine (js/fallback.mjs's)
      const { makeCompat } = await import('../../js/compat-class.mjs');
      const { SyncDatabase } = await import('lodedb/wasm');
      assert.deepEqual(scenario(makeCompat({ native: false, wasm: { SyncDatabase } })), out);
    }
    assert.deepEqual(out[4], ['SELECT ?1, ?2', [5, 6], [5, 6]]);
    assert.equal(out[6][1], 'RangeError: Too many parameter values were provided');
    assert.equal(out[7][1], 'TypeError: Missing named parameters');
    assert.equal(out[16][1], 'TypeError: Named parameters can only be passed within plain objects');
  });

  it('lodedb keeps Turso\'s rules: positional values bind named parameters and ?NNN in order', async () => {
    const { connect } = await import('lodedb');
    const db = await connect(':memory:');
    assert.deepEqual(await db.prepare('SELECT @a AS a, ?2 AS two, ?1 AS one').get(5, 6), { a: 5, two: 6, one: 5 });
    await db.close();
  });
});
