// lodedb/compat — the synchronous, better-sqlite3-shaped API over the native
// addon (or the wasm engine where the addon is not built: js/fallback.mjs):
// `new Database(path, options)` opens at once and every call returns its
// result directly.
import * as core from './core.mjs';
import engine from './fallback.mjs';
import { SqliteError } from './errors.mjs';

export const Database = engine.native
  ? class Database extends core.Database {
    constructor(path = ':memory:', options = {}) {
      super(engine.driver, path, options, false);
    }
  }
  : engine.wasm.SyncDatabase;
// better-sqlite3 has it as Database.SqliteError too.
if (!Object.hasOwn(Database, 'SqliteError')) Object.defineProperty(Database, 'SqliteError', { value: SqliteError });
export { SqliteError };
export const Statement = core.Statement;
export default Database;
