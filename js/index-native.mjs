// index-native.mjs — lodedb (the promise API) over the native addon alone,
// with no top-level await in its imports, so that require() can load it
// (js/index.cjs).
import driver from './native.mjs';
import { createPromiseApi } from './promise.mjs';

const api = createPromiseApi(driver);
export const { connect, Database, Statement, Transaction, SqliteError } = api;
export const version = driver.version();
export default api;
