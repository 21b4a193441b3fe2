// lodedb/compat — the synchronous, better-sqlite3-shaped API over the native
// addon: `new Database(path, options)` opens at once and every call returns
// its result directly.
import * as core from './core.mjs';
import driver from './native.mjs';
import { SqliteError } from './errors.mjs';

export class Database extends core.Database {
  constructor(path = ':memory:', options = {}) {
    super(driver, path, options, false);
  }
}
export { SqliteError };
export const Statement = core.Statement;
export default Database;
