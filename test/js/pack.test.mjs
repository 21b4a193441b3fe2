// pack.test.mjs — the published package works: `npm pack`, install the
// tarball into a fresh project (no project .npmrc, no npm_config_* from the
// outer npm; its dependencies from npm's cache, or from the registry where
// the cache lacks their metadata, as on a fresh machine), and use it there.  The addon must build from the
// shipped sources with the local Node headers: node-gyp's header cache
// (npm_config_devdir) must stay empty, i.e. nothing was downloaded.
// Also: `npx lode` starts the installed shell without building anything, and
// an app bundled with esbuild from the installed package runs alone.  The
// tarball's size and the install's time are printed (measurements, not
// assertions).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

describe('npm package', function () {
  this.timeout(900_000);
  let tmp;
  let proj;
  let devdir;
  let tarball;
  let hadWasm;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-pack-'));
    proj = path.join(tmp, 'proj');
    devdir = path.join(tmp, 'node-gyp-devdir');
    fs.mkdirSync(proj);
    hadWasm = fs.existsSync(path.join(root, 'dist/wasm/lode.mjs'));
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp],
      { cwd: root, env: cleanEnv({}), encoding: 'utf8' });
    const packed = JSON.parse(out)[0];
    tarball = path.join(tmp, packed.filename);
    console.log(`      package: ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB ` +
      `unpacked, ${packed.entryCount} files`);
    fs.writeFileSync(path.join(proj, 'package.json'),
      JSON.stringify({ name: 'lode-pack-check', version: '1.0.0', private: true, type: 'module' }));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('packs only what an install needs', () => {
    const list = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/package.json', 'package/binding.gyp', 'package/js/index.mjs', 'package/native/addon.c',
      'package/engine/include/lode.h', 'package/bin/lode.mjs', 'package/tools/node-gyp-rebuild.sh']) {
      assert.ok(list.includes(f), `${f} missing from the tarball`);
    }
    assert.ok(!list.some((f) => f.startsWith('package/test/') || f.startsWith('package/node_modules/')));
    assert.equal(list.includes('package/dist/wasm/lode.wasm'), hadWasm);
  });

  it('installs and builds the addon from source without downloading headers', () => {
    const t0 = Date.now();
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: proj, stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({ npm_config_devdir: devdir, npm_config_update_notifier: 'false' }),
    });
    console.log(`      npm install of the tarball (addon built from source): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const addon = path.join(proj, 'node_modules/lodedb/build/Release/lode.node');
    assert.ok(fs.existsSync(addon), 'addon not built');
    const downloaded = fs.existsSync(devdir) ? fs.readdirSync(devdir) : [];
    assert.deepEqual(downloaded, [], 'node-gyp downloaded headers');
    assert.ok(fs.existsSync(path.join(proj, 'node_modules/.bin/lode')), 'bin link missing');
  });

  it("import { connect } from 'lodedb' works in the installing project", () => {
    const script = "import { connect } from 'lodedb';\n" +
      "const db = await connect(':memory:');\n" +
      "await db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (41)');\n" +
      "console.log(JSON.stringify(await db.prepare('SELECT x + 1 AS y FROM t').get()));\n";
    fs.writeFileSync(path.join(proj, 'check.mjs'), script);
    const out = execFileSync(process.execPath, ['check.mjs'], { cwd: proj, encoding: 'utf8' });
    assert.equal(out.trim(), '{"y":42}');
  });

  it("import { connect } from 'lodedb/wasm' works there when the wasm build was packed", function () {
    if (!hadWasm) this.skip();
    const script = "import { connect } from 'lodedb/wasm';\n" +
      "const db = await connect(':memory:');\n" +
      "console.log(JSON.stringify(await db.prepare('SELECT 6 * 7 AS y').get()));\n";
    fs.writeFileSync(path.join(proj, 'check-wasm.mjs'), script);
    const out = execFileSync(process.execPath, ['check-wasm.mjs'], { cwd: proj, encoding: 'utf8' });
    assert.equal(out.trim(), '{"y":42}');
  });

  it('npx lode starts the installed shell at once, building nothing', () => {
    const addon = path.join(proj, 'node_modules/lodedb/build/Release/lode.node');
    const before = fs.statSync(addon).mtimeMs;
    const t0 = Date.now();
    const out = execFileSync('npx', ['--offline', '--no-install', 'lode', ':memory:', 'SELECT 6 * 7'], {
      cwd: proj, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({ npm_config_update_notifier: 'false' }),
    });
    console.log(`      npx lode: ${Date.now() - t0} ms`);
    assert.match(out, /\b42\b/);
    assert.equal(fs.statSync(addon).mtimeMs, before, 'the addon was rebuilt');
  });

  it('an app bundled by esbuild with lodedb/wasm/bundle runs from its one output file', async function () {
    if (!fs.existsSync(path.join(proj, 'node_modules/lodedb/dist/wasm/lodedb.bundle.mjs'))) this.skip();
    const esbuild = await import('esbuild');
    fs.writeFileSync(path.join(proj, 'app.mjs'), "import { connect } from 'lodedb/wasm/bundle';\n" +
      "const db = await connect(process.argv[2]);\n" +
      "await db.exec('CREATE TABLE IF NOT EXISTS t(x); INSERT INTO t VALUES (1), (2)');\n" +
      "console.log(JSON.stringify(await db.prepare('SELECT count(*) AS n, sum(x) AS s FROM t').get()));\n" +
      'await db.close();\n');
    const alone = path.join(tmp, 'bundled-app');
    fs.mkdirSync(alone);
    await esbuild.build({ entryPoints: [path.join(proj, 'app.mjs')], outfile: path.join(alone, 'app.mjs'),
      bundle: true, format: 'esm', platform: 'node', logLevel: 'error' });
    assert.deepEqual(fs.readdirSync(alone), ['app.mjs']);
    const run = () => execFileSync(process.execPath, ['app.mjs', path.join(alone, 'app.db')],
      { cwd: alone, encoding: 'utf8' }).trim();
    assert.equal(run(), '{"n":2,"s":3}');
    assert.equal(run(), '{"n":4,"s":6}', 'the file database keeps its rows between runs');
  });
});
