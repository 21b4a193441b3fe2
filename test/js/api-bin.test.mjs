// api-bin.test.mjs — bin/lode.mjs (what `npx lode` runs): the shell compiled
// into the Node addon, driven through a pipe.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const bin = new URL('../../bin/lode.mjs', import.meta.url).pathname;
const run = (args, input) => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });

describe('bin/lode.mjs (npx lode)', () => {
  it('runs SQL from a pipe', () => {
    const r = run(['-m', 'list'], "SELECT 'hello, world';\n");
    assert.equal(r.stdout, 'hello, world\n');
    assert.equal(r.status, 0);
  });

  it('exits 1 after an error and keeps going', () => {
    const r = run(['-m', 'list'], 'SELEC 1;\nSELECT 2;\n');
    assert.match(r.stderr, /near "SELEC": syntax error/);
    assert.equal(r.stdout, '2\n');
    assert.equal(r.status, 1);
  });

  it('can be called twice in one process (no global state)', () => {
    const script = "import d from './js/native.mjs'; const a = d.shellMain(['--version']);" +
      'const b = d.shellMain([\'--version\']); console.log(a, b);';
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script],
      { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
    assert.match(r.stdout, /Lode v\S+\nLode v\S+\n0 0\n$/);
  });
});
