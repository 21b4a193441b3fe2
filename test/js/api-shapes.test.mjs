// V8 gives objects built by one constructor one hidden class, which keeps
// every property and private field access on them monomorphic, unless
// new.target is something other than that function (a Proxy, say): then
// every instance gets a class of its own and each database call takes V8's
// slow path.  These checks need V8's natives syntax, so they run in a child.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const url = (f) => pathToFileURL(path.join(root, f)).href;

function sameShapes(module, exportName, make) {
  const script = `
    const { ${exportName}: D } = await import(${JSON.stringify(url(module))});
    const made = [];
    for (let i = 0; i < 20; i++) made.push(${make});
    class Sub extends D {}
    const subs = [new Sub(':memory:'), new Sub(':memory:')];
    const out = {
      plain: made.every((d) => %HaveSameMap(d, made[0])),
      sub: %HaveSameMap(subs[0], subs[1]) && subs[0] instanceof Sub && subs[0] instanceof D,
    };
    for (const d of [...made, ...subs]) d.close();
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: root });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('database objects share one hidden class', function () {
  this.timeout(60000);
  it('lodedb/compat: new Database(), Database() and a subclass', () => {
    assert.deepEqual(sameShapes('js/compat.mjs', 'default', "i % 2 ? new D(':memory:') : D(':memory:')"),
      { plain: true, sub: true });
  });
  it('lodedb/wasm: SyncDatabase', () => {
    assert.deepEqual(sameShapes('js/wasm.mjs', 'SyncDatabase', "new D(':memory:')"), { plain: true, sub: true });
  });
});
