// Where the native addon is not built (an install without a C toolchain),
// lodedb and lodedb/compat fall back to the wasm engine with a one-line
// notice, and keep working on real files.  Simulated with LODE_ADDON naming
// an addon that does not exist.  Skipped outside CI when dist/wasm is missing.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipWasm } from './entries.mjs';

const root = new URL('../..', import.meta.url).pathname;
const NOTICE = 'lodedb: the native addon is not built here; using the wasm engine (lodedb/wasm)';

describe('install fallback: lodedb without its native addon', function () {
  this.timeout(60_000);
  let dir;
  before(function () {
    if (skipWasm) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-fallback-'));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const runNode = (script) => spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root, encoding: 'utf8', env: { ...process.env, LODE_ADDON: path.join(dir, 'missing', 'lode.node') },
  });

  it('lodedb and lodedb/compat run on the wasm engine, with one notice line on stderr', () => {
    const file = path.join(dir, 'f.db');
    const r = runNode(`
      import { connect } from 'lodedb';
      import Database from 'lodedb/compat';
      const db = await connect(${JSON.stringify(file)});
      await db.exec("CREATE TABLE t(v); INSERT INTO t VALUES ('via wasm')");
      await db.close();
      const s = new Database(${JSON.stringify(file)});
      const b = s.prepare('SELECT v FROM t').get();
      console.log(JSON.stringify({ v: s.prepare('SELECT v FROM t').pluck().get(), blob: s.prepare("SELECT x'00'").pluck().get() instanceof Buffer }));
      s.close();`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `${NOTICE}\n`);
    assert.deepEqual(JSON.parse(r.stdout), { v: 'via wasm', blob: false });
    // what the wasm engine wrote is an ordinary database file
    const check = execFileSync(process.execPath, ['--input-type=module', '-e',
      `import D from 'better-sqlite3'; const d = new D(${JSON.stringify(file)}); console.log(d.prepare('SELECT v FROM t').pluck().get());`],
    { cwd: root, encoding: 'utf8' });
    assert.equal(check.trim(), 'via wasm');
  });

  it('with the addon present there is no notice', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e',
      "import { connect } from 'lodedb'; const d = await connect(':memory:'); console.log(await d.prepare('SELECT 1').pluck().get());"],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LODE_ADDON: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), '1');
  });

  it('the lode shell says it needs the addon instead of crashing', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/lode.mjs'), ':memory:'], {
      encoding: 'utf8', input: 'SELECT 1;\n', env: { ...process.env, LODE_ADDON: path.join(dir, 'missing.node') },
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs the native addon/);
  });

  it('the install step succeeds without a working addon build when the wasm engine is there', () => {
    const r = spawnSync('sh', [path.join(root, 'tools/install.sh')], {
      cwd: root, encoding: 'utf8',
      env: { ...process.env, CI: '', LODE_REQUIRE_ADDON: '', INIT_CWD: dir, npm_config_nodedir: path.join(dir, 'no-headers') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /could not be built; lodedb will use the wasm engine/);
  });
});
