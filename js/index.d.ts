// Types of lodedb and lodedb/wasm (the promise API).  BLOBs are Buffer from the
// native entry and Uint8Array from wasm.
export type Value = number | bigint | string | Uint8Array | null;
export type BindValue = Value | boolean | undefined;
export type BindArgs = BindValue[] | [BindValue[]] | [Record<string, BindValue>, ...BindValue[]];

export interface RunResult { changes: number; lastInsertRowid: number | bigint }
export interface ColumnInfo { name: string; column: null; table: null; database: null; type: string | null }
export interface Options { readonly?: boolean; fileMustExist?: boolean; defaultSafeIntegers?: boolean }

export class SqliteError extends Error {
  constructor(message: string, code: string, rawCode?: number);
  code: string;
  rawCode: number;
}

export class Statement<Row = any> {
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly database: Database;
  run(...params: BindArgs): Promise<RunResult>;
  get(...params: BindArgs): Promise<Row | undefined>;
  all(...params: BindArgs): Promise<Row[]>;
  iterate(...params: BindArgs): AsyncGenerator<Row>;
  raw(on?: boolean): this;
  pluck(on?: boolean): this;
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
  // A transaction nested in this one (SAVEPOINT … RELEASE); its function gets its own handle.
  transaction<A extends unknown[], R>(
    fn: (txn: Transaction, ...args: A) => R | Promise<R>,
  ): TransactionFunction<A, R>;
}

export interface TransactionFunction<A extends unknown[], R> {
  (...args: A): Promise<R>;
  default(...args: A): Promise<R>;
  deferred(...args: A): Promise<R>;
  immediate(...args: A): Promise<R>;
  exclusive(...args: A): Promise<R>;
  database: Database;
}

export class Database {
  constructor(path?: string, options?: Options);
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  readonly open: boolean;
  readonly inTransaction: boolean;
  connect(): Promise<void>;
  prepare<Row = any>(sql: string): Statement<Row>;
  exec(sql: string): Promise<void>;
  pragma(source: string, options?: { simple?: boolean }): Promise<any>;
  // In Node fn(...args); without AsyncLocalStorage fn(txn: Transaction, ...args).  Called inside a
  // transaction, it nests: SAVEPOINT, fn, RELEASE (ROLLBACK TO and RELEASE if fn fails).
  transaction<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>): TransactionFunction<A, R>;
  defaultSafeIntegers(on?: boolean): this;
  run(sql: string, ...params: BindArgs): Promise<RunResult>;
  get(sql: string, ...params: BindArgs): Promise<any>;
  all(sql: string, ...params: BindArgs): Promise<any[]>;
  iterate(sql: string, ...params: BindArgs): AsyncGenerator<any>;
  close(): Promise<void>;
}

export function connect(path: string, options?: Options): Promise<Database>;
export const version: string;
