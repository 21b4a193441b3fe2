// entries.mjs — the JS entries the API tests run on, shared by them: the
// promise API ('lodedb', 'lodedb/wasm', and either driver without
// AsyncLocalStorage, as a browser has it), the synchronous API
// ('lodedb/compat', wasm SyncDatabase), and what their transaction tests
// expect.  The wasm entries skip outside CI when dist/wasm is not built.
import fs from 'node:fs';
import path from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
export const skipWasm = !fs.existsSync(path.join(root, 'dist/wasm/lode.mjs')) && !process.env.CI;

export const promiseEntries = [
  ['lodedb (native)', () => import('lodedb'), {}],
  ['lodedb/wasm', () => import('lodedb/wasm'), { skip: skipWasm }],
];

export const syncEntries = [
  ['lodedb/compat', async () => (await import('lodedb/compat')).default, {}],
  ['lodedb/wasm SyncDatabase', async () => (await import('lodedb/wasm')).SyncDatabase, { skip: skipWasm }],
];

// The promise API without AsyncLocalStorage, on the native or the wasm driver.
export async function promiseApiWithoutContext(kind) {
  const { createPromiseApi } = await import('../../js/promise.mjs');
  if (kind === 'native') return createPromiseApi((await import('../../js/native.mjs')).default, null);
  const { default: createLodeModule } = await import('../../dist/wasm/lode.mjs');
  const { createWasmDriver } = await import('../../js/wasm-driver.mjs');
  const { makeError } = await import('../../js/errors.mjs');
  return createPromiseApi(createWasmDriver(await createLodeModule(), makeError), null);
}

export const COMPLETED = { name: 'TypeError', message: 'The transaction has already completed' };
export const WOULD_DEADLOCK = { name: 'TypeError', message: /awaiting it inside that transaction would wait forever/ };

// Lets other tasks run: transaction bodies stay pending across it.
export const tick = () => new Promise((resolve) => setImmediate(resolve));
