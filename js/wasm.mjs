// lodedb/wasm — the same promise API as lodedb, over the engine compiled to
// WebAssembly (dist/wasm/lode.mjs, built by wasm/build.sh).  BLOBs come back
// as Uint8Array.  Databases live in the module's in-memory VFS: a file name
// stays valid (and keeps its data) for the life of this module instance.
//
// Also exports SyncDatabase: the synchronous (compat) API on the same module.

import createLodeModule from '../dist/wasm/lode.mjs';
import * as core from './core.mjs';
import { makeError, SqliteError } from './errors.mjs';
import { createPromiseApi } from './promise.mjs';
import { createWasmDriver } from './wasm-driver.mjs';

const module = await createLodeModule();
const driver = createWasmDriver(module, makeError);
const api = createPromiseApi(driver);

export const { connect, Database, Statement } = api;
export { SqliteError };
export const version = driver.version();

export class SyncDatabase extends core.Database {
  constructor(path = ':memory:', options = {}) {
    super(driver, path, options, false);
  }
}
export default api;
