// types.test.mjs — a TypeScript compile (tsc --noEmit, strict) of the
// README's JavaScript examples and of a typed use of every entry, against the
// package's own .d.ts files (resolved through package.json "exports", as an
// application importing lodedb resolves them).  Each ```js block of the
// README becomes one module, checked as JavaScript (checkJs;
// a catch variable is any there, as in plain JavaScript).  Needs the typescript and @types/node dev
// dependencies; skipped without them outside CI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(path.join(root, 'package.json'));

function findTsc() {
  try {
    require.resolve('@types/node/package.json');
    return require.resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

// The ```js blocks of a Markdown text, in order.
export function codeBlocks(markdown) {
  const blocks = [];
  const re = /^```(?:js|javascript|ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm;
  for (let m; (m = re.exec(markdown));) blocks.push(m[1]);
  return blocks;
}

// Uses of the declarations the README does not show: a mistake in a .d.ts
// (a missing member, a wrong return type) fails this compile.
const TYPED_USE = `
import { connect, Database, SqliteError, version } from 'lodedb';
import Compat from 'lodedb/compat';
import { connect as wasmConnect, SyncDatabase } from 'lodedb/wasm';
import type { RunResult } from 'lodedb';

const db: Database = await connect(':memory:', { timeout: 1000, defaultSafeIntegers: false });
db.function('twice', { deterministic: true, directOnly: true }, (x: number) => x * 2);
db.aggregate('total', { start: 0, step: (acc: number, x: number) => acc + x });
const r: RunResult = await db.run('CREATE TABLE t(x)');
const rows: { x: number }[] = await db.prepare<{ x: number }>('SELECT x FROM t').all();
const tx = db.transaction(async (n: number) => n + 1);
const two: number = await tx.immediate(1);
const e: SqliteError | null = null;
await db.close();

const sync = new Compat(':memory:', { timeout: 0, readonly: false });
const one: number | undefined = sync.prepare('SELECT 1 AS v').pluck().get();
sync.transaction((a: number) => a)(1);
sync.close();

const w = await wasmConnect(':memory:');
await w.close();
new SyncDatabase(':memory:').close();
export { r, rows, two, e, one, version };
`;

describe('TypeScript: the README examples and the .d.ts files compile', function () {
  this.timeout(120000);
  const tsc = findTsc();

  it('the README has JavaScript examples to check', () => {
    assert.ok(codeBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).length > 0);
  });

  it('tsc --noEmit --strict passes', function () {
    if (!tsc) {
      if (process.env.CI) assert.fail('typescript and @types/node are dev dependencies: run npm install');
      this.skip();
    }
    const dir = path.join(root, 'out', 'tscheck'); // inside the package: 'lodedb' resolves to it
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const files = codeBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).map((code, i) => {
      const name = `readme-${i + 1}.mjs`;
      fs.writeFileSync(path.join(dir, name), `${code}\nexport {};\n`);
      return name;
    });
    fs.writeFileSync(path.join(dir, 'typed-use.ts'), TYPED_USE);
    files.push('typed-use.ts');
    const config = {
      compilerOptions: {
        target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, useUnknownInCatchVariables: false,
        allowJs: true, checkJs: true, skipLibCheck: false, types: ['node'], typeRoots: [path.join(root, 'node_modules/@types')],
      },
      files: [...files, ...['index.d.ts', 'compat.d.ts', 'wasm.d.ts'].map((f) => path.join(root, 'js', f))],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
  });
});
