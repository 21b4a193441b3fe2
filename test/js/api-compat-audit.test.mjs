// api-compat-audit.test.mjs — members of better-sqlite3's documented API
// that the audit of lodedb/compat (docs/js-api.md) found missing:
// db.unsafeMode() (and the defensive mode it lifts), stmt.busy and
// Database.SqliteError, and the errors it found to differ: a file in a
// missing directory, pragma()'s options, columns() of a statement that
// returns no data, a BigInt too big to bind.
// Each scenario runs on better-sqlite3 and on the synchronous entries (the
// errors also on the promise entries), and the results must be equal.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { promiseEntries, syncEntries } from './entries.mjs';

const outcome = (fn) => {
  try {
    const v = fn();
    return v === undefined ? 'ok' : v;
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
};

function unsafeScenario(Database) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t(x); CREATE TABLE u(y); INSERT INTO t VALUES (1), (2)');
  const out = {};
  const st = db.prepare('SELECT x FROM t ORDER BY x');
  out.busyBefore = st.busy;
  const it = st.iterate();
  out.first = it.next().value;
  out.busyDuring = st.busy;
  out.safeRun = outcome(() => db.prepare('INSERT INTO u VALUES (0)').run().changes);
  out.safeExec = outcome(() => db.exec('INSERT INTO u VALUES (0)') && 'ok');
  out.returnsThis = db.unsafeMode() === db && db.unsafeMode(true) === db;
  out.unsafeRun = outcome(() => db.prepare('INSERT INTO u VALUES (1)').run().changes);
  out.unsafeExec = outcome(() => db.exec('INSERT INTO u VALUES (2)') && 'ok');
  out.unsafePragma = outcome(() => db.pragma('user_version', { simple: true }));
  out.unsafeTransaction = outcome(() => db.transaction(() => db.prepare('INSERT INTO u VALUES (3)').run().changes)());
  out.unsafeFunction = outcome(() => db.function('f', () => 1) && 'ok');
  out.unsafeClose = outcome(() => db.close() && 'ok');
  out.rest = [...it];
  out.busyAfter = st.busy;
  out.notBoolean = outcome(() => db.unsafeMode('yes'));
  db.unsafeMode(false);
  const it2 = st.iterate();
  it2.next();
  out.safeAgain = outcome(() => db.prepare('INSERT INTO u VALUES (4)').run().changes);
  it2.return();
  out.u = db.prepare('SELECT y FROM u ORDER BY rowid').pluck().all();
  out.open = db.open;
  db.close();
  return out;
}

// Defensive mode, on but in unsafe mode: sqlite_schema is written under
// PRAGMA writable_schema only in unsafe mode, a virtual table's shadow tables
// likewise.
function defensiveScenario(Database) {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE foo(x); CREATE VIRTUAL TABLE ft USING fts5(body); INSERT INTO ft VALUES ('a b')");
  const rename = (from, to) => outcome(() => db.exec(`UPDATE sqlite_master SET name = '${to}' WHERE name = '${from}'`) && 'ok');
  const shadow = () => outcome(() => db.prepare("DELETE FROM ft_data WHERE id > 1").run().changes > 0);
  db.pragma('writable_schema = ON');
  const out = { safe: rename('foo', 'bar'), safeShadow: shadow() };
  db.unsafeMode();
  out.unsafe = rename('foo', 'bar');
  out.unsafeShadow = shadow();
  db.unsafeMode(false);
  out.safeAgain = rename('bar', 'foo');
  db.unsafeMode(true);
  out.unsafeAgain = rename('bar', 'foo');
  out.names = db.prepare("SELECT name FROM sqlite_master WHERE name IN ('foo', 'bar')").pluck().all();
  db.close();
  return out;
}

// Unsafe mode's point: changing the very table an open iterator reads.
function changeWhileReading(Database) {
  const db = new Database(':memory:');
  db.unsafeMode();
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v); CREATE INDEX tv ON t(v)');
  const ins = db.prepare('INSERT INTO t(v) VALUES (?)');
  for (let i = 0; i < 2000; i++) ins.run(i);
  const upd = db.prepare('UPDATE t SET v = v + 10000 WHERE id = ?');
  const del = db.prepare('DELETE FROM t WHERE id = ?');
  let n = 0;
  for (const r of db.prepare('SELECT id, v FROM t ORDER BY v').iterate()) {
    if (++n > 10000) break;
    if (r.id % 3 === 0) upd.run(r.id);
    else if (r.id % 3 === 1) del.run(r.id + 1);
    if (r.id % 50 === 0) ins.run(-r.id);
  }
  const out = { n, ...db.prepare('SELECT count(*) AS c, sum(v) AS s FROM t').get(), check: db.pragma('integrity_check', { simple: true }) };
  db.close();
  return out;
}

describe('JS API: better-sqlite3 members found missing by the audit (unsafeMode, busy, Database.SqliteError)', () => {
  let want;
  before(() => {
    want = unsafeScenario(BetterSqlite3);
  });

  it('better-sqlite3 gives what the scenario expects', () => {
    assert.equal(want.busyDuring, true);
    assert.match(want.safeRun, /busy executing a query/);
    assert.equal(want.unsafeRun, 1);
    assert.match(want.unsafeClose, /busy executing a query/);
    assert.deepEqual(want.u, [1, 2, 3]);
  });

  for (const [name, load, opts] of syncEntries) {
    describe(name, () => {
      let Database;
      before(async function () {
        if (opts.skip) this.skip();
        Database = await load();
      });

      it('unsafeMode() lets statements run while an iterator is open; busy tells an open iterator', () => {
        assert.deepEqual(unsafeScenario(Database), want);
      });

      it('unsafe mode: updates, deletes and inserts into the table being iterated end as in better-sqlite3', () => {
        const got = changeWhileReading(Database);
        assert.equal(got.check, 'ok');
        assert.deepEqual(got, changeWhileReading(BetterSqlite3));
      });

      it('Database.SqliteError is the error class, as in better-sqlite3', async () => {
        assert.equal(typeof BetterSqlite3.SqliteError, 'function');
        assert.equal(typeof Database.SqliteError, 'function');
        const db = new Database(':memory:');
        assert.throws(() => db.exec('SELEC 1'), Database.SqliteError);
        db.close();
      });
    });
  }

  // Each: (Database) => a value, or throws; the outcome must be better-sqlite3's.
  const ERRORS = {
    missingDirectory: (D, dir) => new D(path.join(dir, 'no', 'such', 'dir.db')),
    pragmaOptions: (D) => new D(':memory:').pragma('user_version', 1),
    pragmaNullOptions: (D) => new D(':memory:').pragma('user_version', null),
    columnsOfWrite: (D) => {
      const db = new D(':memory:');
      db.exec('CREATE TABLE t(x)');
      return db.prepare('INSERT INTO t VALUES (1)').columns();
    },
    bigintTooBig: (D) => new D(':memory:').prepare('SELECT ? AS v').get(2n ** 64n),
    bigintTooSmall: (D) => new D(':memory:').prepare('SELECT ? AS v').get(-(2n ** 63n) - 1n),
  };
  const describeOutcome = (fn) => {
    try {
      const v = fn();
      return { value: v?.constructor?.name === 'Database' ? 'Database' : v };
    } catch (e) {
      return { error: e.constructor.name, message: e.message };
    }
  };

  describe('errors the audit found to differ now match better-sqlite3', () => {
    let dir, want;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-audit-'));
      want = Object.fromEntries(Object.entries(ERRORS).map(([k, f]) => [k, describeOutcome(() => f(BetterSqlite3, dir))]));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('better-sqlite3 throws in every case but null pragma options (the defaults)', () => {
      for (const [k, o] of Object.entries(want)) assert.equal(!!o.error, k !== 'pragmaNullOptions', k);
    });

    for (const [name, load, opts] of syncEntries) {
      it(`${name}: the same error classes and messages`, async function () {
        if (opts.skip) this.skip();
        const Database = await load();
        for (const [k, f] of Object.entries(ERRORS)) assert.deepEqual(describeOutcome(() => f(Database, dir)), want[k], k);
      });
    }

    for (const [name, load, opts] of promiseEntries) {
      it(`${name}: pragma()'s options, columns() and BigInts fail as in better-sqlite3`, async function () {
        if (opts.skip) this.skip();
        const { connect } = await load();
        const db = await connect(':memory:');
        await db.exec('CREATE TABLE t(x)');
        const { pragmaOptions, columnsOfWrite, bigintTooBig } = want;
        await assert.rejects(async () => db.pragma('user_version', 1),
          { name: pragmaOptions.error, message: pragmaOptions.message });
        assert.throws(() => db.prepare('INSERT INTO t VALUES (1)').columns(),
          { name: columnsOfWrite.error, message: columnsOfWrite.message });
        await assert.rejects(db.get('SELECT ? AS v', 2n ** 64n), { name: bigintTooBig.error, message: bigintTooBig.message });
        await db.close();
      });
    }
  });
});

// better-sqlite3's build enforces foreign keys from the start; lodedb/compat
// follows it (the promise API keeps SQLite's and Turso's default, off).
function foreignKeysScenario(Database) {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE p(id INTEGER PRIMARY KEY);
    CREATE TABLE c(id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id) ON DELETE CASCADE);
    INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (10, 1), (20, 2)`);
  const out = { on: db.pragma('foreign_keys', { simple: true }) };
  db.prepare('DELETE FROM p WHERE id = 1').run();
  out.left = db.prepare('SELECT id FROM c').pluck().all();
  out.orphan = outcome(() => db.prepare('INSERT INTO c VALUES (30, 99)').run().changes);
  db.close();
  return out;
}

describe('lodedb/compat is defensive but in unsafe mode, as better-sqlite3 is', () => {
  it('sqlite_master under writable_schema and a virtual table\'s shadow tables as in better-sqlite3', async () => {
    const want = defensiveScenario(BetterSqlite3);
    assert.equal(want.safe, 'SqliteError: table sqlite_master may not be modified');
    const { default: Database } = await import('lodedb/compat');
    assert.deepEqual(defensiveScenario(Database), want);
  });

  it('writable_schema set in unsafe mode lets sqlite_master be written until unsafe mode ends', async () => {
    const run = (Database) => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE foo(x)');
      db.unsafeMode();
      db.pragma('writable_schema = ON');
      const rename = (from, to) => outcome(() => db.exec(`UPDATE sqlite_master SET name = '${to}' WHERE name = '${from}'`) && 'ok');
      const out = [rename('foo', 'bar')];
      db.unsafeMode(false);
      out.push(rename('bar', 'foo'));
      db.unsafeMode(true);
      out.push(rename('bar', 'foo'), db.pragma('writable_schema', { simple: true }));
      db.close();
      return out;
    };
    const want = run(BetterSqlite3);
    assert.deepEqual(want, ['ok', 'SqliteError: table sqlite_master may not be modified', 'ok', 1]);
    const { default: Database } = await import('lodedb/compat');
    assert.deepEqual(run(Database), want);
  });

  it('the promise API is not defensive', async () => {
    const { connect } = await import('lodedb');
    const db = await connect(':memory:');
    await db.exec("CREATE TABLE foo(x); PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = sql WHERE name = 'foo'");
    db.close();
  });
});

describe('lodedb/compat enforces foreign keys at open, as better-sqlite3 does', () => {
  it('the same cascade and the same error as better-sqlite3', async () => {
    const want = foreignKeysScenario(BetterSqlite3);
    assert.deepEqual(want, { on: 1, left: [20], orphan: 'SqliteError: FOREIGN KEY constraint failed' });
    const { default: Database } = await import('lodedb/compat');
    assert.deepEqual(foreignKeysScenario(Database), want);
  });

  it('the promise API keeps them off at open', async () => {
    const { connect } = await import('lodedb');
    const db = await connect(':memory:');
    assert.equal((await db.prepare('PRAGMA foreign_keys').get()).foreign_keys, 0);
    db.close();
  });
});
