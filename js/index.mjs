// lodedb — the promise API over the native addon (see js/promise.mjs), or
// over the wasm engine where the addon is not built (js/fallback.mjs).
import engine from './fallback.mjs';
import { createPromiseApi } from './promise.mjs';

const api = engine.native ? createPromiseApi(engine.driver) : engine.wasm.default;
export const { connect, Database, Statement, Transaction, SqliteError } = api;
export const version = engine.native ? engine.driver.version() : engine.wasm.version;
export default api;
