// Code written for better-sqlite3 loads it with require(): require('lodedb/compat')
// gives the Database class itself, require('lodedb') the promise API.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function runCjs(code, env = {}) {
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('require() of lodedb and lodedb/compat', function () {
  this.timeout(30000);

  it('require("lodedb/compat") is the Database class, as require("better-sqlite3") is', function () {
    const r = runCjs(`
      const Database = require('lodedb/compat');
      const db = Database(':memory:');
      db.exec('CREATE TABLE t(x)');
      db.prepare('INSERT INTO t VALUES (?)').run(7);
      const out = { rows: db.prepare('SELECT x FROM t').all(), isClass: db instanceof Database,
        ctor: db.constructor === Database, err: typeof Database.SqliteError, named: Database.Database === Database };
      try { db.prepare('SELECT nosuch'); } catch (e) { out.caught = e instanceof Database.SqliteError && e.code; }
      console.log(JSON.stringify(out));`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { rows: [{ x: 7 }], isClass: true, ctor: true, err: 'function', named: true,
      caught: 'SQLITE_ERROR' });
  });

  it('require("lodedb") has connect()', function () {
    const r = runCjs(`
      const { connect, Database } = require('lodedb');
      connect(':memory:').then(async (db) => {
        console.log(JSON.stringify({ row: await db.prepare('SELECT 40 + 2 AS v').get(), db: db instanceof Database }));
      });`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { row: { v: 42 }, db: true });
  });

  it('without an addon, require() says to import() for the wasm fallback', function () {
    const r = runCjs(`require('lodedb/compat')`, { LODE_ADDON: '/nonexistent/lode.node' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /import\('lodedb\/compat'\)/);
  });
});
