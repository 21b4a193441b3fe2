// The addon carries the shell, whose optional libraries (libedit, and
// libnats with libssl and libcrypto behind it) load only when the shell
// needs them (engine/shell/shell_dl.h): a program that opens databases maps
// none of them (about 3 MiB of resident memory and 2 ms of linking at every
// start).  Linux only (/proc/self/maps).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

describe('addon libraries', () => {
  it('opening a database maps neither libedit nor libnats, libssl or libcrypto', function () {
    if (!existsSync('/proc/self/maps')) this.skip();
    const script = `
      import Database from './js/compat.mjs';
      const db = new Database(':memory:');
      db.prepare('CREATE TABLE t(a)').run();
      db.prepare('INSERT INTO t VALUES (1)').run();
      const maps = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8');
      const lode = /lode\\.node/.test(maps);
      const libs = ['libedit', 'libnats', 'libssl', 'libcrypto'].filter((l) => maps.includes(l + '.so'));
      process.stdout.write(JSON.stringify({ lode, libs }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { lode, libs } = JSON.parse(r.stdout);
    if (!lode) this.skip(); // the wasm fallback: no addon to look at
    assert.deepEqual(libs, []);
  });
});
