// Types of lodedb/compat: the synchronous, better-sqlite3-shaped API.
import type {
  AggregateOptions, BackupOptions, BackupProgress, BatchMode, BatchResult, BatchStatement, BindArgs, ColumnInfo,
  FunctionOptions, Options, QueryOptions, RunResult, SerializeOptions, UserFunction,
} from './index.js';
export { SqliteError } from './index.js';

export class Statement<Row = any> {
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  // Whether its iterator is open.
  readonly busy: boolean;
  readonly database: Database;
  run(...params: BindArgs): RunResult;
  get(...params: BindArgs): Row | undefined;
  all(...params: BindArgs): Row[];
  iterate(...params: BindArgs): IterableIterator<Row>;
  raw(on?: boolean): this;
  pluck(on?: boolean): this;
  expand(on?: boolean): this;
  safeIntegers(on?: boolean): this;
  columns(): ColumnInfo[];
  bind(...params: BindArgs): this;
  close(): this;
}

import { SqliteError as SqliteErrorClass } from './index.js';
export default class Database {
  static readonly SqliteError: typeof SqliteErrorClass;
  // A Buffer/Uint8Array opens an in-memory copy of that serialized database.
  constructor(path?: string | Uint8Array, options?: Options);
  // Lets statements run while an iterator of the connection is open.
  unsafeMode(on?: boolean): this;
  function(name: string, fn: UserFunction): this;
  function(name: string, options: FunctionOptions, fn: UserFunction): this;
  aggregate<T = any>(name: string, options: AggregateOptions<T>): this;
  // The database file image (Buffer; Uint8Array under wasm).
  serialize(options?: SerializeOptions): Buffer;
  backup(destination: string, options?: BackupOptions): Promise<BackupProgress>;
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
  prepare<Row = any>(sql: string): Statement<Row>;
  exec(sql: string, options?: QueryOptions): this;
  batch(statements: BatchStatement[], options?: BatchMode | { mode?: BatchMode; raw?: boolean }): BatchResult[];
  pragma(source: string, options?: { simple?: boolean }): any;
  // Nested inside a transaction it runs as SAVEPOINT … RELEASE, as in better-sqlite3.
  transaction<F extends (...args: any[]) => any>(
    fn: F,
  ): F & { default: F; deferred: F; immediate: F; exclusive: F; database: Database };
  defaultSafeIntegers(on?: boolean): this;
  close(): this;
}
export { Database };
