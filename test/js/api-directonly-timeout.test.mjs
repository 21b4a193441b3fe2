// api-directonly-timeout.test.mjs — function()/aggregate() with directOnly
// (refused with "unsafe use of f()" where a persistent schema's code calls
// them, allowed at top level and from TEMP objects) and the timeout option
// (busy timeout).  The synchronous entries run each scenario next to
// better-sqlite3 and must observe what it observes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { promiseEntries, syncEntries } from './entries.mjs';

const root = new URL('../..', import.meta.url).pathname;

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// Each statement's rows, or its error as class, code and message.
function runAll(db, statements) {
  return statements.map((sql) => {
    try {
      const st = db.prepare(sql);
      if (st.reader) return JSON.stringify(st.raw().all());
      st.run();
      return 'ok';
    } catch (e) {
      return `${e.constructor.name} ${e.code ?? ''}: ${e.message}`;
    }
  });
}

function register(db) {
  db.function('d', { directOnly: true }, (x) => x);
  db.function('dd', { directOnly: true, deterministic: true }, (x) => x);
  db.function('plain', { deterministic: true }, (x) => x);
  db.aggregate('dsum', { directOnly: true, start: 0, step: (acc, x) => acc + x });
  db.aggregate('wsum', { directOnly: true, start: 0, step: (acc, x) => acc + x, inverse: (acc, x) => acc - x });
}

const SCRIPT = [
  'SELECT d(1), dd(2), (SELECT d(3))',
  'WITH c(x) AS (SELECT d(4)) SELECT x FROM c',
  'CREATE TABLE t(a INTEGER PRIMARY KEY, b)',
  'INSERT INTO t(b) VALUES (1), (2), (3)',
  'SELECT dsum(b), sum(d(b)), wsum(b) OVER (ORDER BY a) FROM t',
  'CREATE VIEW v AS SELECT d(b) AS x FROM t',
  'SELECT * FROM v',
  'SELECT * FROM (SELECT * FROM v)',
  'CREATE VIEW va AS SELECT dsum(b) FROM t',
  'SELECT * FROM va',
  'CREATE VIEW vw AS SELECT wsum(b) OVER (ORDER BY a) FROM t',
  'SELECT * FROM vw',
  'CREATE VIEW vo AS SELECT count(*) OVER (ORDER BY d(a)) FROM t',
  'SELECT * FROM vo',
  'CREATE VIEW vp AS SELECT plain(b) FROM t',
  'SELECT * FROM vp',
  'CREATE TEMP VIEW tv AS SELECT d(b) AS x FROM t',
  'SELECT * FROM tv',
  'CREATE TEMP VIEW tv2 AS SELECT * FROM v',
  'SELECT * FROM tv2',
  'CREATE TABLE log(x)',
  'CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (d(new.b)); END',
  'INSERT INTO t(b) VALUES (4)',
  'SELECT count(*) FROM t',
  'DROP TRIGGER tr',
  'CREATE TRIGGER tr2 AFTER UPDATE ON t WHEN d(new.b) > 0 BEGIN SELECT 1; END',
  'UPDATE t SET b = b',
  'DROP TRIGGER tr2',
  'CREATE TEMP TRIGGER ttr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (d(new.b)); END',
  'INSERT INTO t(b) VALUES (5)',
  'SELECT * FROM log',
  'CREATE TABLE c1(a CHECK (d(a) > 0))',
  'CREATE TABLE c2(a, CHECK (plain(a) > 0))',
  'INSERT INTO c2 VALUES (1)',
  'CREATE TABLE g1(a, b AS (dd(a)))',
  'CREATE TABLE g2(a, b AS (dd(a)) STORED)',
  'CREATE TABLE df(a DEFAULT (d(7)), b)',
  'INSERT INTO df(b) VALUES (1)',
  'INSERT INTO df VALUES (2, 2)',
  'SELECT * FROM df',
  'CREATE INDEX i1 ON t(dd(b))',
  'CREATE INDEX i2 ON t(b) WHERE dd(b) > 0',
  'CREATE INDEX i3 ON t(plain(b))',
  'SELECT count(*) FROM t WHERE plain(b) > 1',
  'CREATE TEMP TABLE tt(a CHECK (d(a) > 0), b DEFAULT (d(9)), c AS (dd(a)))',
  'INSERT INTO tt(a) VALUES (3)',
  'SELECT * FROM tt',
  'CREATE INDEX temp.ti ON tt(dd(a))',
  'SELECT count(*) FROM tt WHERE dd(a) = 3',
];

// Another process holds the write lock of file until release() (waiting in
// one thread for a lock the same thread holds could never succeed, so the
// holder is a child process, as in better-sqlite3's own busy tests).
async function holdWriteLock(file) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    import Database from 'lodedb/compat';
    const db = new Database(${JSON.stringify(file)});
    db.exec('CREATE TABLE IF NOT EXISTS t(x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)');
    console.log('locked');
    process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });`],
  { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', reject);
  });
  return () => new Promise((resolve) => {
    child.once('exit', resolve);
    child.stdin.write('done\n');
  });
}

// A write on a new connection with options: its error and how long it took.
function timedWrite(Database, file, options) {
  const db = new Database(file, options);
  const start = Date.now();
  let error = null;
  try {
    db.exec('INSERT INTO t VALUES (2)');
  } catch (e) {
    error = `${e.constructor.name} ${e.code}: ${e.message}`;
  }
  const waited = Date.now() - start;
  db.close();
  return { error, waited };
}

const TIMEOUT_OPTIONS = [{ timeout: -1 }, { timeout: 1.5 }, { timeout: '10' }, { timeout: 2 ** 31 }, { timeout: 0x7fffffff }, { timeout: 0 }];

function optionErrors(Database) {
  return TIMEOUT_OPTIONS.map((o) => {
    try {
      new Database(':memory:', o).close();
      return 'ok';
    } catch (e) {
      return `${e.constructor.name}: ${e.message}`;
    }
  });
}

describe('JS API: directOnly functions and the timeout option (sync entries vs better-sqlite3)', () => {
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-busy-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('better-sqlite3 refuses directOnly calls from the schema (the expectation holds)', () => {
    const db = new BetterSqlite3(':memory:');
    register(db);
    const got = runAll(db, SCRIPT);
    assert.equal(got[SCRIPT.indexOf('SELECT * FROM v')], 'SqliteError SQLITE_ERROR: unsafe use of d()');
    assert.equal(got[SCRIPT.indexOf('SELECT * FROM tv')], '[[1],[2],[3]]');
  });

  for (const [entry, load, { skip }] of syncEntries) {
    describe(entry, () => {
      let Database;
      before(async function () {
        if (skip) this.skip();
        Database = await load();
      });

      it('directOnly: the same results and errors as better-sqlite3, statement by statement', () => {
        const ours = new Database(':memory:');
        const theirs = new BetterSqlite3(':memory:');
        register(ours);
        register(theirs);
        const want = runAll(theirs, SCRIPT);
        const got = runAll(ours, SCRIPT);
        for (let i = 0; i < SCRIPT.length; i++) assert.equal(got[i], want[i], SCRIPT[i]);
        ours.close();
        theirs.close();
      });

      it('a schema written by better-sqlite3 is refused the same way when read back', () => {
        const file = path.join(dir, `schema-${entry.replace(/\W/g, '')}.db`);
        const theirs = new BetterSqlite3(file);
        theirs.exec('CREATE TABLE t(a); CREATE VIEW v AS SELECT d(a) FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT d(new.a); END');
        theirs.close();
        if (entry.includes('wasm')) return; // the wasm engine's files are its own (in-memory VFS)
        const ours = new Database(file);
        assert.throws(() => ours.prepare('SELECT * FROM v').all(), { code: 'SQLITE_ERROR', message: 'no such function: d' });
        ours.function('d', { directOnly: true }, (x) => x);
        assert.throws(() => ours.prepare('SELECT * FROM v').all(), { code: 'SQLITE_ERROR', message: 'unsafe use of d()' });
        assert.throws(() => ours.prepare('INSERT INTO t VALUES (1)').run(), { message: 'unsafe use of d()' });
        assert.equal(ours.prepare('SELECT count(*) FROM t').pluck().get(), 0);
        ours.function('d', (x) => x); // without the flag it runs
        assert.deepEqual(ours.prepare('INSERT INTO t VALUES (1)').run().changes, 1);
        ours.close();
      });

      it('the timeout option is checked as better-sqlite3 checks it', () => {
        assert.deepEqual(optionErrors(Database), optionErrors(BetterSqlite3));
      });

      it('timeout: a write locked by another process waits about that long, then fails with SQLITE_BUSY', async function () {
        if (entry.includes('wasm')) this.skip(); // the wasm engine's files live in its own memory
        this.timeout(20000);
        const file = path.join(dir, 'busy-sync.db');
        const release = await holdWriteLock(file);
        try {
          const ours = timedWrite(Database, file, { timeout: 300 });
          const theirs = timedWrite(BetterSqlite3, file, { timeout: 300 });
          assert.equal(ours.error, 'SqliteError SQLITE_BUSY: database is locked');
          assert.equal(ours.error, theirs.error);
          assert.ok(ours.waited >= 250 && ours.waited < 3000, `waited ${ours.waited} ms`);
          const now = timedWrite(Database, file, { timeout: 0 });
          assert.equal(now.error, ours.error);
          assert.ok(now.waited < 200, `waited ${now.waited} ms`);
          const byDefault = timedWrite(Database, file, {}); // better-sqlite3's 5000 ms
          assert.equal(byDefault.error, ours.error);
          assert.ok(byDefault.waited >= 4500, `waited ${byDefault.waited} ms`);
        } finally {
          await release();
        }
      });
    });
  }
});

describe('JS API: directOnly and timeout on the promise entries', () => {
  for (const [entry, load, { skip }] of promiseEntries) {
    describe(entry, () => {
      let api;
      before(async function () {
        if (skip) this.skip();
        api = await load();
      });

      it('a directOnly function runs at top level and is refused from a view', async () => {
        const db = await api.connect(':memory:');
        db.function('d', { directOnly: true }, (x) => x * 2);
        assert.deepEqual(await db.prepare('SELECT d(21) AS v').get(), { v: 42 });
        await db.exec('CREATE VIEW v AS SELECT d(1)');
        assert.throws(() => db.prepare('SELECT * FROM v'), { code: 'SQLITE_ERROR', message: 'unsafe use of d()' });
        await db.close();
      });

      it('connect(path, { timeout }) waits for a lock, connect without it does not (as Turso)', async function () {
        if (entry.includes('wasm')) this.skip();
        this.timeout(20000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-busy-'));
        const file = path.join(dir, 'p.db');
        const release = await holdWriteLock(file);
        try {
          const patient = await api.connect(file, { timeout: 300 });
          const hasty = await api.connect(file);
          let start = Date.now();
          await assert.rejects(patient.exec('INSERT INTO t VALUES (2)'), { code: 'SQLITE_BUSY', message: 'database is locked' });
          assert.ok(Date.now() - start >= 250);
          start = Date.now();
          await assert.rejects(hasty.exec('INSERT INTO t VALUES (3)'), { code: 'SQLITE_BUSY' });
          assert.ok(Date.now() - start < 200);
          await assert.rejects(api.connect(file, { timeout: -5 }), TypeError);
          for (const db of [patient, hasty]) await db.close();
        } finally {
          await release();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  }
});
