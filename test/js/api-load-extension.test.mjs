// api-load-extension.test.mjs — Database#loadExtension() loads an SQLite
// extension library as better-sqlite3's does: the library test/capi/ext/sample.c
// (built here against Lode's sqlite3ext.h, whose routine table has SQLite
// 3.53's layout) is loaded by better-sqlite3 and by lodedb/compat, and every
// outcome must be equal: its functions and collation, a named entry point, a
// missing library or entry point and a failing init (SqliteError SQLITE_ERROR
// with SQLite's message), the SQL function load_extension() still refused,
// the argument checks, and the refusals while busy or closed.  The promise
// API loads too; the wasm build has no shared libraries (SqliteError).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { skipWasm } from './entries.mjs';

const root = new URL('../..', import.meta.url).pathname;
const { default: Compat } = await import('lodedb/compat');

const outcome = (fn) => {
  try {
    const v = fn();
    return v === undefined ? 'ok' : v;
  } catch (e) {
    return `${e.constructor.name === 'SqliteError' || e.code ? 'SqliteError' : e.constructor.name}: ${e.message}${e.code ? ` (${e.code})` : ''}`;
  }
};

describe('Database#loadExtension() (lodedb/compat vs better-sqlite3)', function () {
  this.timeout(60000);
  let dir;
  let lib;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-loadext-'));
    lib = path.join(dir, 'sample.so');
    try {
      execFileSync(process.env.CC || 'cc', ['-shared', '-fPIC', '-I', path.join(root, 'engine/include'), '-o', lib,
        path.join(root, 'test/capi/ext/sample.c')], { stdio: 'pipe' });
    } catch (e) {
      console.log(`      SKIP (no C compiler to build the sample extension): ${e.message.split('\n')[0]}`);
      this.skip();
    }
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const both = (scenario) => {
    const expected = scenario(BetterSqlite3);
    const actual = scenario(Compat);
    assert.deepEqual(actual, expected);
    return actual;
  };

  it('loads the library: its functions and collation, and returns the database', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      const r = [db.loadExtension(lib) === db,
        db.prepare("SELECT half(9) AS h, describe('a', 2) AS d, 'bb' < 'a' COLLATE bylen AS c").get()];
      db.close();
      return r;
    });
    assert.deepEqual(out, [true, { h: 4.5, d: 'a,2!!', c: 0 }]);
  });

  it('takes a named entry point', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      const r = [outcome(() => db.prepare('SELECT seven()')), db.loadExtension(lib, 'sample_other_init') === db,
        db.prepare('SELECT seven() AS s').get()];
      db.close();
      return r;
    });
    assert.deepEqual(out[2], { s: 7 });
  });

  it('a missing library, a missing entry point and a failing init are SqliteError SQLITE_ERROR', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      const r = [outcome(() => db.loadExtension(`${lib}x`)), outcome(() => db.loadExtension(lib, 'nope_init')),
        outcome(() => db.loadExtension(lib, 'sample_failing_init')), db.prepare('SELECT 1 AS one').get()];
      db.close();
      return r;
    });
    assert.equal(out[0], `SqliteError: ${lib}x.so: cannot open shared object file: No such file or directory (SQLITE_ERROR)`);
    assert.match(out[1], /undefined symbol: nope_init \(SQLITE_ERROR\)$/);
    assert.equal(out[2], 'SqliteError: error during initialization: sample refuses: 42 (SQLITE_ERROR)');
  });

  it('the SQL function load_extension() stays refused', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      const sql = () => outcome(() => db.prepare('SELECT load_extension(?)').get(lib));
      const r = [sql()];
      db.loadExtension(lib);
      r.push(sql());
      db.close();
      return r;
    });
    assert.deepEqual(out, ['SqliteError: not authorized (SQLITE_ERROR)', 'SqliteError: not authorized (SQLITE_ERROR)']);
  });

  it('checks its arguments, and refuses while an iterator is open (unsafe mode too) and once closed', () => {
    const out = both((Database) => {
      const db = new Database(':memory:');
      const r = [undefined, null, 7, new String(lib), [lib]].map((file) => outcome(() => db.loadExtension(file)));
      r.push(...[undefined, null, 7].map((entry) => outcome(() => db.loadExtension(lib, entry))));
      for (const unsafe of [false, true]) {
        db.unsafeMode(unsafe);
        for (const _ of db.prepare('SELECT 1').iterate()) r.push(outcome(() => db.loadExtension(lib)));
      }
      db.close();
      r.push(outcome(() => db.loadExtension(lib)), outcome(() => db.loadExtension(5)));
      return r;
    });
    assert.equal(out[0], 'TypeError: Expected first argument to be a string');
    assert.equal(out[5], 'TypeError: Expected second argument to be a string');
    assert.equal(out[8], 'TypeError: This database connection is busy executing a query');
    assert.equal(out[9], 'TypeError: This database connection is busy executing a query');
    assert.equal(out[10], 'TypeError: The database connection is not open');
  });

  it('the promise API loads too, synchronously, and returns the database', async () => {
    const { connect } = await import('lodedb');
    const db = await connect(':memory:');
    assert.equal(db.loadExtension(lib), db);
    assert.deepEqual(await db.get('SELECT half(5) AS h'), { h: 2.5 });
    await db.close();
  });

  it('the wasm build has no shared libraries: SqliteError SQLITE_ERROR', async function () {
    if (skipWasm) this.skip();
    const { SyncDatabase } = await import('lodedb/wasm');
    const db = new SyncDatabase(':memory:');
    assert.throws(() => db.loadExtension(lib), { name: 'SqliteError', code: 'SQLITE_ERROR', message: `unable to open shared library [${lib}]` });
    assert.equal(db.prepare('SELECT 1 AS one').get().one, 1);
    db.close();
  });
});
