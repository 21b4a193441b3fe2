// lodedb — the promise API over the native addon (see js/promise.mjs).
import driver from './native.mjs';
import { createPromiseApi } from './promise.mjs';

const api = createPromiseApi(driver);
export const { connect, Database, Statement, SqliteError } = api;
export const version = driver.version();
export default api;
