// wasm-bundle.test.mjs — lodedb/wasm/bundle, the single-file build of
// lodedb/wasm (dist/wasm/lodedb.bundle.mjs, wasm inlined): the same API, and
// it needs no file beside it.  Its browser side (a page whose worker is the
// bundle itself, files in OPFS) is in browser.test.mjs.  Skipped outside CI
// when the bundle is not built (sh wasm/build.sh makes it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';

const root = new URL('../..', import.meta.url).pathname;
const bundle = path.join(root, 'dist/wasm/lodedb.bundle.mjs');

describe('lodedb/wasm/bundle (single file, wasm inlined)', function () {
  let tmp;
  before(function () {
    if (!fs.existsSync(bundle)) {
      if (process.env.CI) throw new Error(`${bundle} is missing`);
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-bundle-'));
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it('is what the package exports as lodedb/wasm/bundle, with the API of lodedb/wasm', async () => {
    const [viaName, wasm] = await Promise.all([import('lodedb/wasm/bundle'), import('lodedb/wasm')]);
    assert.deepEqual(Object.keys(viaName).sort(), Object.keys(wasm).sort());
    assert.equal(viaName.version, wasm.version);
    const db = await viaName.connect(':memory:');
    await assert.rejects(db.exec('SELEC 1'), { name: 'SqliteError', code: 'SQLITE_ERROR' });
    assert.deepEqual(await db.prepare("SELECT x'00ff' AS b, 'é' AS t").get(), { b: Uint8Array.from([0, 255]), t: 'é' });
    await db.close();
  });

  it('runs from a copy alone in a directory and writes a real database file', async () => {
    const alone = path.join(tmp, 'alone.mjs');
    fs.copyFileSync(bundle, alone);
    const lode = await import(pathToFileURL(alone).href);
    const file = path.join(tmp, 'bundle.db');
    const db = await lode.connect(file);
    await db.exec('CREATE TABLE t(x INTEGER, s TEXT)');
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    await db.transaction(async () => {
      for (let i = 0; i < 50; i++) await ins.run(i, `v${i}`);
    })();
    await db.close();
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => !f.startsWith('bundle.db')), ['alone.mjs']);
    const bs = new BetterSqlite3(file, { readonly: true });
    try {
      assert.deepEqual(bs.prepare('SELECT count(*) AS n, sum(x) AS s, max(s) AS m FROM t').get(),
        { n: 50, s: 1225, m: 'v9' });
    } finally {
      bs.close();
    }
  });
});
