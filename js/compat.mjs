// lodedb/compat — the synchronous, better-sqlite3-shaped API over the native
// addon (or the wasm engine where the addon is not built: js/fallback.mjs):
// `new Database(path, options)` opens at once and every call returns its
// result directly.
import engine from './fallback.mjs';
import { makeCompat, SqliteError, Statement } from './compat-class.mjs';

const Database = makeCompat(engine);
export { Database, SqliteError, Statement };
export default Database;
