// wasm-engine.mjs — one instance of the wasm engine (dist/wasm/lode.mjs) and
// the APIs over it: the promise API (as lodedb) and the synchronous one (as
// lodedb/compat).  lodeIO, when given, is the engine's file system (see
// engine/src/os/os_host.c); without it file databases live in the instance's
// memory.  canonical(name, isUri) maps a file name to the one name the engine sees for it
// (the engine shares one file state per name within the instance).

import createLodeModule from '../dist/wasm/lode.mjs';
import wasmBinary from './wasm-binary.mjs';
import * as core from './core.mjs';
import { CompatSqliteError, makeError, SqliteError } from './errors.mjs';
import { createPromiseApi } from './promise.mjs';
import { createWasmDriver } from './wasm-driver.mjs';

// Names the engine opens as they are: memory databases.
const OPEN_URI = 0x40;
const isFileName = (name) => typeof name === 'string' && name !== '' && name !== ':memory:';

export async function createEngine({ lodeIO, canonical, moduleOptions } = {}) {
  const module = await createLodeModule({ ...(wasmBinary && { wasmBinary }), ...moduleOptions, lodeIO });
  const driver = createWasmDriver(module, makeError);
  if (canonical) {
    const open = driver.open;
    driver.open = (path, flags) => open(isFileName(path) ? canonical(path, (flags & OPEN_URI) !== 0) : path, flags);
  }
  const api = createPromiseApi(driver);
  class SyncDatabase extends core.Database {
    static SqliteError = CompatSqliteError; // as better-sqlite3's Database.SqliteError

    constructor(path = ':memory:', options = {}) {
      super(driver, path, options, false);
    }
  }
  return { module, driver, api, SyncDatabase, SqliteError, version: driver.version() };
}
