// compat-class.mjs — the class behind lodedb/compat, made for one engine:
// js/compat.mjs gives it the native addon or the wasm fallback; js/compat.cjs
// (require()) the native addon alone.
import * as core from './core.mjs';
import { CompatSqliteError as SqliteError } from './errors.mjs';

// better-sqlite3's build settings, run when a connection opens: a 16 MB page
// cache (SQLite's default is 2 MB), which code written for it may read back,
// and foreign keys enforced from the start (SQLITE_DEFAULT_FOREIGN_KEYS=1):
// code written for it counts on ON DELETE CASCADE and the constraint errors.
// Double-quoted strings are off in the statements it writes (SQLITE_DQS=0):
// SELECT "x" with no column x fails with "no such column" (core.NO_DQS).
// Connections are defensive (SQLITE_DBCONFIG_DEFENSIVE) but in unsafe mode
// (core.DEFENSIVE).  Parameters bind by its rules (core.STRICT_BIND).
const SETUP = ['PRAGMA cache_size = -16000', 'PRAGMA foreign_keys = ON'];

function booleanOption(options, name) {
  if (name in options && typeof options[name] !== 'boolean')
    throw new TypeError(`Expected the "${name}" option to be a boolean`);
}

// better-sqlite3's argument rules, ahead of what both entries share: no path
// (or null) is an anonymous temporary database named '', boolean options
// must be booleans, and an in-memory or temporary database cannot be
// read-only (a serialized image can).
function compatArgs(path, options) {
  if (path === undefined || path === null) path = '';
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  if ('readOnly' in options) throw new TypeError('Misspelled option "readOnly" should be "readonly"');
  booleanOption(options, 'readonly');
  booleanOption(options, 'fileMustExist');
  if (options.readonly && (path === '' || path === ':memory:'))
    throw new TypeError('In-memory/temporary databases cannot be readonly');
  return [path, options];
}

// The compat Database class over an engine ({ native: true, driver } or
// { native: false, wasm }, as js/fallback.mjs gives it).
export function makeCompat(engine) {
  const Base = engine.native ? core.Database : engine.wasm.SyncDatabase;

  class Database extends Base {
    constructor(path, options) {
      [path, options] = compatArgs(path, options);
      options = {
        ...options, [core.SETUP]: SETUP, [core.NO_DQS]: true, [core.DEFENSIVE]: true, [core.STRICT_BIND]: true,
      };
      super(...(engine.native ? [engine.driver, path, options, false] : [path, options]));
    }

    pragma(source, options) {
      if (options !== null && typeof options === 'object') booleanOption(options, 'simple');
      return super.pragma(source, options);
    }
  }

  // better-sqlite3's Database can be called without `new`; a class cannot, so
  // the export is a proxy that constructs on a plain call.  The prototype's
  // constructor names the proxy, so db.constructor === Database holds.
  const CompatDatabase = new Proxy(Database, {
    apply(target, thisArg, args) {
      return new target(...args);
    },
    // new.target must be the class itself, not the proxy: V8 caches an
    // instance's initial map on the constructor function only, so every
    // instance built through the proxy got a map of its own, and every
    // property and private field access on a database went megamorphic.
    construct(target, args, newTarget) {
      return Reflect.construct(target, args, newTarget === CompatDatabase ? target : newTarget);
    },
  });
  Object.defineProperty(Database.prototype, 'constructor', { value: CompatDatabase, writable: true, configurable: true });
  // better-sqlite3 has it as Database.SqliteError too.
  if (!Object.hasOwn(Database, 'SqliteError')) Object.defineProperty(Database, 'SqliteError', { value: SqliteError });

  return CompatDatabase;
}

export { SqliteError };
export const Statement = core.Statement;
