// lodedb/wasm in Node keeps file databases in real files (node:fs through
// engine/src/os/os_host.c): what it writes opens in better-sqlite3 and the
// reverse, including a WAL that was never checkpointed; ':memory:' stays in
// memory.  Skipped outside CI when dist/wasm is not built.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipWasm } from './entries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// Copies a database and its WAL as they are on disk now, as a crash would leave them.
function snapshotFiles(from, to) {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

describe('lodedb/wasm on real files in Node', function () {
  let dir, wasm;
  before(async function () {
    if (skipWasm) this.skip();
    wasm = await import('lodedb/wasm');
    dir = mkdtempSync(join(tmpdir(), 'lode-wasm-files-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('a database written by lodedb/wasm opens in better-sqlite3 with the same rows', async () => {
    const file = join(dir, 'w2b.db');
    const db = await wasm.connect(file);
    await db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB); CREATE INDEX t_v ON t(v)');
    const ins = db.prepare('INSERT INTO t(v, b) VALUES (?, ?)');
    await db.transaction(async () => {
      for (let i = 0; i < 2000; i++) await ins.run(`row ${i} ✓`, new Uint8Array(i % 50).fill(i & 0xff));
    })();
    await db.close();
    assert.ok(statSync(file).size > 4096, 'the rows are in the file');
    const b = new BetterSqlite3(file, { readonly: true });
    assert.equal(b.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(b.prepare('SELECT count(*) FROM t').pluck().get(), 2000);
    assert.equal(b.prepare('SELECT v FROM t WHERE id = 1234').pluck().get(), 'row 1233 ✓');
    assert.deepEqual(b.prepare('SELECT b FROM t WHERE id = 8').pluck().get(), Buffer.alloc(7, 7));
    b.close();
  });

  it('a database written by better-sqlite3 opens in lodedb/wasm, which writes to it', async () => {
    const file = join(dir, 'b2w.db');
    const b = new BetterSqlite3(file);
    b.exec("CREATE TABLE t(a INTEGER, s TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two')");
    b.close();
    const db = await wasm.connect(file);
    assert.deepEqual(await db.all('SELECT a, s FROM t ORDER BY a'), [{ a: 1, s: 'one' }, { a: 2, s: 'two' }]);
    await db.run("INSERT INTO t VALUES (3, 'three')");
    await db.close();
    const again = new BetterSqlite3(file, { readonly: true });
    assert.deepEqual(again.prepare('SELECT s FROM t ORDER BY a').pluck().all(), ['one', 'two', 'three']);
    assert.equal(again.pragma('integrity_check', { simple: true }), 'ok');
    again.close();
  });

  it("reads commits that sit only in better-sqlite3's WAL (never checkpointed)", async () => {
    const file = join(dir, 'bwal.db'), copy = join(dir, 'bwal-copy.db');
    const b = new BetterSqlite3(file);
    b.pragma('journal_mode = WAL');
    b.pragma('wal_autocheckpoint = 0');
    b.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    b.exec('INSERT INTO t SELECT x + 1 FROM t; INSERT INTO t SELECT x + 2 FROM t');
    snapshotFiles(file, copy); // while b is open: the commits are in the WAL only
    b.close();
    assert.ok(statSync(`${copy}-wal`).size > 0);
    const db = await wasm.connect(copy);
    assert.deepEqual(await db.prepare('SELECT x FROM t ORDER BY x').pluck().all(), [1, 2, 3, 4]);
    await db.close();
    assert.equal(existsSync(`${copy}-wal`), false, 'the last close checkpoints and removes the WAL');
  });

  it('better-sqlite3 reads commits that sit only in the WAL lodedb/wasm wrote', async () => {
    const file = join(dir, 'wwal.db'), copy = join(dir, 'wwal-copy.db');
    const db = await wasm.connect(file);
    await db.exec('PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x TEXT)');
    await db.run("INSERT INTO t VALUES ('in the wal')");
    assert.ok(statSync(`${file}-wal`).size > 0, 'lodedb/wasm keeps a -wal file beside the database');
    snapshotFiles(file, copy);
    await db.close();
    const b = new BetterSqlite3(copy);
    assert.deepEqual(b.prepare('SELECT x FROM t').pluck().all(), ['in the wal']);
    assert.equal(b.pragma('integrity_check', { simple: true }), 'ok');
    b.close();
  });

  it('data outlives the wasm instance: a second instance reads it back', async () => {
    const file = join(dir, 'instances.db');
    const one = await (await import('../../js/wasm-engine.mjs')).createEngine({
      lodeIO: (await import('../../js/io-node.mjs')).nodeIO((await import('node:fs')).default),
    });
    const db = await one.api.connect(file);
    await db.exec("CREATE TABLE t(v); INSERT INTO t VALUES ('kept')");
    await db.close();
    const db2 = await wasm.connect(file);
    assert.equal(await db2.prepare('SELECT v FROM t').pluck().get(), 'kept');
    await db2.close();
  });

  it('the synchronous SyncDatabase uses the same files', () => {
    const file = join(dir, 'sync.db');
    const s = new wasm.SyncDatabase(file);
    s.exec('CREATE TABLE t(v); INSERT INTO t VALUES (42)');
    s.close();
    const b = new BetterSqlite3(file, { readonly: true });
    assert.equal(b.prepare('SELECT v FROM t').pluck().get(), 42);
    b.close();
  });

  it('fileMustExist and readonly refuse a missing file without creating it', async () => {
    const file = join(dir, 'missing.db');
    await assert.rejects(wasm.connect(file, { fileMustExist: true }), { name: 'SqliteError', code: 'SQLITE_CANTOPEN' });
    await assert.rejects(wasm.connect(file, { readonly: true }), { name: 'SqliteError', code: 'SQLITE_CANTOPEN' });
    assert.equal(existsSync(file), false);
  });

  it('a readonly connection cannot write (SQLITE_READONLY) and the file is unchanged', async () => {
    const file = join(dir, 'ro.db');
    const b = new BetterSqlite3(file);
    b.exec('CREATE TABLE t(v); INSERT INTO t VALUES (1)');
    b.close();
    const before = statSync(file).mtimeMs;
    const db = await wasm.connect(file, { readonly: true });
    await assert.rejects(db.run('INSERT INTO t VALUES (2)'), { code: 'SQLITE_READONLY' });
    assert.equal(await db.prepare('SELECT count(*) FROM t').pluck().get(), 1);
    await db.close();
    assert.equal(statSync(file).mtimeMs, before);
  });

  it('a relative name and a relative URI (encryption) name the same file as the absolute path', async () => {
    const name = `lode-wasm-rel-${process.pid}.db`;
    const abs = join(process.cwd(), name);
    try {
      const encryption = { cipher: 'aegis256', hexkey: 'ab'.repeat(32) };
      const a = await wasm.connect(abs, { encryption });
      await a.exec('CREATE TABLE t(v); INSERT INTO t VALUES (1)');
      const r = await wasm.connect(name, { encryption });
      await r.run('INSERT INTO t VALUES (2)');
      // One file state: a's snapshot sees r's commit at once.
      assert.deepEqual(await a.prepare('SELECT v FROM t ORDER BY v').pluck().all(), [1, 2]);
      await r.close();
      await a.close();
      const again = await wasm.connect(abs, { encryption });
      assert.deepEqual(await again.prepare('SELECT v FROM t ORDER BY v').pluck().all(), [1, 2]);
      await again.close();
    } finally {
      for (const f of [abs, `${abs}-wal`]) rmSync(f, { force: true });
    }
  });

  it("':memory:' creates no file", async () => {
    const before = readdirSync(process.cwd());
    const db = await wasm.connect(':memory:');
    await db.exec('CREATE TABLE t(v); INSERT INTO t VALUES (1)');
    assert.equal(await db.prepare('SELECT v FROM t').pluck().get(), 1);
    await db.close();
    assert.deepEqual(readdirSync(process.cwd()), before);
  });

  it('a missing directory fails with SQLITE_CANTOPEN', async () => {
    await assert.rejects(wasm.connect(join(dir, 'no-such-dir', 'x.db')), { code: 'SQLITE_CANTOPEN' });
  });
});
