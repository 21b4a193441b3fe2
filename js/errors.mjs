// errors.mjs — SqliteError and the names of SQLite's result codes.
//
// Both drivers (native addon, wasm) report a failed engine call as
// (message, rawCode); makeError turns that into a SqliteError whose .code is
// SQLite's name of the *extended* code ('SQLITE_CONSTRAINT_PRIMARYKEY') and
// whose .rawCode is the number.  An extended code is primary | (n << 8).

// A function rather than a class so that, as in better-sqlite3, it also
// works when called without `new`; subclasses and instanceof work as with a
// class.  The object is made by Error itself (a real error, with its stack).
export function SqliteError(message, code, rawCode) {
  if (new.target === undefined) return new SqliteError(message, code, rawCode);
  const err = Reflect.construct(Error, [message], new.target);
  err.code = code;
  err.rawCode = rawCode;
  if (Error.captureStackTrace) Error.captureStackTrace(err, new.target);
  return err;
}
Object.setPrototypeOf(SqliteError, Error);
SqliteError.prototype = Object.create(Error.prototype, {
  constructor: { value: SqliteError, writable: true, configurable: true },
  name: { value: 'SqliteError', writable: true, configurable: true },
});

// lodedb/compat's SqliteError: better-sqlite3's constructor, which refuses a
// code that is no string and stringifies the message (undefined becomes
// 'undefined', where Error would leave it empty).  It shares SqliteError's
// prototype, so every error either entry throws is an instance of both
// constructors, while lodedb keeps Turso's unchecked (message, code, rawCode).
export function CompatSqliteError(message, code) {
  if (new.target === undefined) return new CompatSqliteError(message, code);
  if (typeof code !== 'string') throw new TypeError('Expected second argument to be a string');
  const err = Reflect.construct(Error, [`${message}`], new.target);
  err.code = code;
  if (Error.captureStackTrace) Error.captureStackTrace(err, new.target);
  return err;
}
Object.setPrototypeOf(CompatSqliteError, Error);
CompatSqliteError.prototype = SqliteError.prototype;

const PRIMARY = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR',
  'CORRUPT', 'NOTFOUND', 'FULL', 'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH',
  'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB', 'NOTICE', 'WARNING',
];

// Extended codes of each primary code, in order of n (1, 2, ...).
const EXTENDED = {
  OK: ['LOAD_PERMANENTLY'],
  ERROR: ['MISSING_COLLSEQ', 'RETRY', 'SNAPSHOT'],
  IOERR: ['READ', 'SHORT_READ', 'WRITE', 'FSYNC', 'DIR_FSYNC', 'TRUNCATE', 'FSTAT', 'UNLOCK', 'RDLOCK', 'DELETE',
    'BLOCKED', 'NOMEM', 'ACCESS', 'CHECKRESERVEDLOCK', 'LOCK', 'CLOSE', 'DIR_CLOSE', 'SHMOPEN', 'SHMSIZE',
    'SHMLOCK', 'SHMMAP', 'SEEK', 'DELETE_NOENT', 'MMAP', 'GETTEMPPATH', 'CONVPATH', 'VNODE', 'AUTH',
    'BEGIN_ATOMIC', 'COMMIT_ATOMIC', 'ROLLBACK_ATOMIC', 'DATA', 'CORRUPTFS'],
  LOCKED: ['SHAREDCACHE', 'VTAB'],
  BUSY: ['RECOVERY', 'SNAPSHOT', 'TIMEOUT'],
  CANTOPEN: ['NOTEMPDIR', 'ISDIR', 'FULLPATH', 'CONVPATH', 'DIRTYWAL', 'SYMLINK'],
  CORRUPT: ['VTAB', 'SEQUENCE', 'INDEX'],
  READONLY: ['RECOVERY', 'CANTLOCK', 'ROLLBACK', 'DBMOVED', 'CANTINIT', 'DIRECTORY'],
  ABORT: ['ROLLBACK'],
  CONSTRAINT: ['CHECK', 'COMMITHOOK', 'FOREIGNKEY', 'FUNCTION', 'NOTNULL', 'PRIMARYKEY', 'TRIGGER', 'UNIQUE',
    'VTAB', 'ROWID', 'PINNED', 'DATATYPE'],
  NOTICE: ['RECOVER_WAL', 'RECOVER_ROLLBACK'],
  WARNING: ['AUTOINDEX'],
  AUTH: ['USER'],
};

const BYTE = 8;
const PRIMARY_MASK = 0xff;
const SPECIAL = { 100: 'SQLITE_ROW', 101: 'SQLITE_DONE' };

export function codeName(rawCode) {
  if (SPECIAL[rawCode]) return SPECIAL[rawCode];
  const primary = PRIMARY[rawCode & PRIMARY_MASK];
  if (!primary) return 'SQLITE_UNKNOWN';
  const n = rawCode >> BYTE;
  const ext = n > 0 && EXTENDED[primary] ? EXTENDED[primary][n - 1] : undefined;
  return ext ? `SQLITE_${primary}_${ext}` : `SQLITE_${primary}`;
}

export function makeError(message, rawCode) {
  return new SqliteError(message, codeName(rawCode), rawCode);
}
