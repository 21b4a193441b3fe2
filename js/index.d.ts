// Types of lodedb and lodedb/wasm (the promise API).  BLOBs are Buffer from the
// native entry and Uint8Array from wasm.
export type Value = number | bigint | string | Uint8Array | null;
export type BindValue = Value | boolean | undefined;
export type BindArgs = BindValue[] | [BindValue[]] | [Record<string, BindValue>, ...BindValue[]];

export interface RunResult { changes: number; lastInsertRowid: number | bigint }
// column/table/database: where the result column reads from (null for an expression).
export interface ColumnInfo {
  name: string; column: string | null; table: string | null; database: string | null; type: string | null;
}
// A trailing argument of run/get/all/iterate (not the only one: stmt.get(undefined, { queryTimeout: 100 })).
export interface QueryOptions { queryTimeout: number }
// batch(): an SQL string or { sql, args }; one result per statement.
export type BatchStatement = string | { sql: string; args?: BindValue[] | Record<string, BindValue> | BindValue };
export type BatchMode = 'deferred' | 'immediate' | 'exclusive' | 'concurrent' | 'read' | 'write';
export interface BatchResult {
  columns: string[]; columnTypes: string[]; rows: any[]; rowsAffected: number;
}
export interface Options {
  readonly?: boolean; fileMustExist?: boolean; defaultSafeIntegers?: boolean;
  /** Busy timeout in ms: how long a statement waits for another connection's lock before SQLITE_BUSY
   *  (default: 5000 in lodedb/compat and SyncDatabase, as better-sqlite3; 0 in the promise API, as Turso). */
  timeout?: number;
  /** Each call into the engine (run/get/all/exec, one step of iterate) that runs longer than this many ms stops
   *  with SqliteError SQLITE_INTERRUPT (as @tursodatabase/database's option). */
  defaultQueryTimeout?: number;
  /** Page encryption, as @tursodatabase/database takes it: cipher "aegis256", "aes256gcm", ...; hexkey in hex. */
  encryption?: { cipher: string; hexkey: string };
  /** Turso's experimental feature names, accepted as @tursodatabase/database takes them; Lode has
   *  'index_method' (CREATE INDEX … USING) and 'mvcc' (PRAGMA journal_mode = mvcc, BEGIN CONCURRENT) on either way. */
  experimental?: string[];
  /** Called with each statement's text as it starts to run, its parameters replaced by their values
   *  (better-sqlite3's option); exec() calls it once per statement. */
  verbose?: ((sql: string) => void) | null;
}

export class SqliteError extends Error {
  constructor(message: string, code: string, rawCode?: number);
  code: string;
  rawCode: number;
}

export class Statement<Row = any> {
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  // Whether its iterator is open.
  readonly busy: boolean;
  readonly database: Database;
  run(...params: BindArgs): Promise<RunResult>;
  get(...params: BindArgs): Promise<Row | undefined>;
  all(...params: BindArgs): Promise<Row[]>;
  iterate(...params: BindArgs): AsyncGenerator<Row>;
  raw(on?: boolean): this;
  pluck(on?: boolean): this;
  // Rows as { table: { column: value } }, expressions under "$" (better-sqlite3's expand()).
  expand(on?: boolean): this;
  safeIntegers(on?: boolean): this;
  columns(): ColumnInfo[];
  bind(...params: BindArgs): this;
  close(): void;
}

// What a transaction's function receives first where there is no
// AsyncLocalStorage (browsers): its calls run inside the transaction, calls
// through the Database wait for it to end.  Used after the end, it throws
// TypeError "The transaction has already completed".
export interface Transaction {
  readonly database: Database;
  readonly open: boolean;
  prepare<Row = any>(sql: string): Statement<Row>;
  exec(sql: string): Promise<void>;
  pragma(source: string, options?: { simple?: boolean }): Promise<any>;
  run(sql: string, ...params: BindArgs): Promise<RunResult>;
  get(sql: string, ...params: BindArgs): Promise<any>;
  all(sql: string, ...params: BindArgs): Promise<any[]>;
  iterate(sql: string, ...params: BindArgs): AsyncGenerator<any>;
  batch(statements: BatchStatement[], options?: BatchMode | { mode?: BatchMode; raw?: boolean }): Promise<BatchResult[]>;
  // A transaction nested in this one (SAVEPOINT … RELEASE); its function gets its own handle.
  transaction<A extends any[], R>(
    fn: (txn: Transaction, ...args: A) => R | Promise<R>,
  ): TransactionFunction<A, R>;
  transactionAsync<A extends any[], R>(
    fn: (txn: Transaction, ...args: A) => R | Promise<R>,
  ): TransactionFunction<A, R>;
}

// The class of those handles (made by the API only, never by new).
export const Transaction: { readonly prototype: Transaction };

export interface TransactionFunction<A extends any[], R> {
  (...args: A): Promise<R>;
  default(...args: A): Promise<R>;
  deferred(...args: A): Promise<R>;
  immediate(...args: A): Promise<R>;
  exclusive(...args: A): Promise<R>;
  concurrent(...args: A): Promise<R>;
  database: Database;
}

// db.function() options (better-sqlite3's).  The function's argument count is
// fn.length unless varargs; safeIntegers defaults to defaultSafeIntegers.
export interface FunctionOptions {
  varargs?: boolean;
  deterministic?: boolean;
  directOnly?: boolean;
  safeIntegers?: boolean;
}
// What a user function may return: number → REAL, bigint → INTEGER,
// string → TEXT, typed array / DataView → BLOB, null/undefined → NULL.
export type ResultValue = number | bigint | string | ArrayBufferView | null | undefined;
export type UserFunction = (...args: any[]) => ResultValue;
// db.aggregate(): step(acc, ...args) returns the new accumulator (undefined
// keeps it); start is the first accumulator, or makes it for each group;
// inverse makes the aggregate usable as a window function.
export interface AggregateOptions<T = any> extends FunctionOptions {
  start?: T | (() => T);
  step: (acc: T, ...args: any[]) => T | void;
  inverse?: (acc: T, ...args: any[]) => T | void;
  result?: (acc: T) => ResultValue;
}
export interface SerializeOptions { attached?: string }
export interface BackupProgress { totalPages: number; remainingPages: number }
export interface BackupOptions {
  attached?: string;
  // Returns how many pages the next step copies (default 100).
  progress?: (info: BackupProgress) => number | void;
}

export class Database {
  // A Buffer/Uint8Array opens an in-memory copy of that serialized database.
  constructor(path?: string | Uint8Array, options?: Options);
  function(name: string, fn: UserFunction): this;
  function(name: string, options: FunctionOptions, fn: UserFunction): this;
  aggregate<T = any>(name: string, options: AggregateOptions<T>): this;
  // The database file image (Buffer; Uint8Array under wasm).
  serialize(options?: SerializeOptions): Promise<Buffer | Uint8Array>;
  backup(destination: string, options?: BackupOptions): Promise<BackupProgress>;
  // Stops the statement now running with SQLITE_INTERRUPT "interrupted".
  interrupt(): this;
  // Loads an SQLite extension library (SqliteError under wasm, which has none).
  loadExtension(path: string, entryPoint?: string): this;
  // A virtual table defined in JavaScript, as better-sqlite3's (docs/js-api.md).
  table(name: string, definition: unknown): this;
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  readonly open: boolean;
  readonly inTransaction: boolean;
  connect(): Promise<void>;
  prepare<Row = any>(sql: string): Statement<Row>;
  exec(sql: string, options?: QueryOptions): Promise<void>;
  pragma(source: string, options?: { simple?: boolean }): Promise<any>;
  // fn(txn, ...args) everywhere (fn must declare txn); BEGIN … COMMIT as transaction().
  transactionAsync<A extends any[], R>(
    fn: (txn: Transaction, ...args: A) => R | Promise<R>,
  ): TransactionFunction<A, R>;
  // Every statement in order as one call; with a mode, atomic (BEGIN <mode> … COMMIT).
  batch(statements: BatchStatement[], options?: BatchMode | { mode?: BatchMode; raw?: boolean }): Promise<BatchResult[]>;
  // In Node fn(...args); without AsyncLocalStorage fn(txn: Transaction, ...args).  Called inside a
  // transaction, it nests: SAVEPOINT, fn, RELEASE (ROLLBACK TO and RELEASE if fn fails).
  transaction<A extends any[], R>(fn: (...args: A) => R | Promise<R>): TransactionFunction<A, R>;
  defaultSafeIntegers(on?: boolean): this;
  run(sql: string, ...params: BindArgs): Promise<RunResult>;
  get(sql: string, ...params: BindArgs): Promise<any>;
  all(sql: string, ...params: BindArgs): Promise<any[]>;
  iterate(sql: string, ...params: BindArgs): AsyncGenerator<any>;
  close(): Promise<void>;
  // Change data capture records (PRAGMA capture_data_changes_conn) after change_id `since`, oldest first;
  // with follow (default true) it then waits for new commits, polling every `interval` ms (default 100).
  changes(options?: ChangesOptions): AsyncGenerator<Change>;
}

export interface ChangesOptions {
  since?: number; // a change_id: records after it (default 0, all)
  table?: string; // the CDC table (default: the connection's, else turso_cdc)
  follow?: boolean;
  interval?: number;
  signal?: AbortSignal;
}

export interface Change {
  changeId: number;
  txnId: number;
  time: number;
  type: 'insert' | 'update' | 'delete' | 'commit';
  table: string | null; // 'sqlite_schema' for DDL, null for a commit
  id: number | bigint | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  updates: Record<string, unknown> | null; // full mode, UPDATE: the columns it assigned, new values
}

export function connect(path: string, options?: Options): Promise<Database>;
export const version: string;
