// compat-native.mjs — lodedb/compat over the native addon alone, with no
// top-level await anywhere in its imports, so that require() can load it
// (js/compat.cjs).
import driver from './native.mjs';
import { makeCompat, SqliteError, Statement } from './compat-class.mjs';

const Database = makeCompat({ native: true, driver });
export { Database, SqliteError, Statement };
export default Database;
