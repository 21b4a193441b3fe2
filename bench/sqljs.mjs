// bench/sqljs.mjs — sql.js (SQLite compiled to wasm by its own project) behind the small better-sqlite3-shaped
// surface the benchmarks drive: prepare(sql).run/get/all/iterate, exec, close. Rows are objects built by
// sql.js's own getAsObject(), so the comparison with lodedb/wasm includes each binding's cost of making a row.
// sql.js keeps its database in the wasm instance's memory: ':memory:' only.
import initSqlJs from 'sql.js';

let SQL = null;

// Loads sql.js once; null (with the reason on stderr) when it is not installed.
export async function loadSqlJs() {
  if (SQL) return SQL;
  try {
    SQL = await initSqlJs();
  } catch (e) {
    console.error(`sql.js unavailable (${e.message}); skipping the sql.js column`);
    return null;
  }
  return SQL;
}

class SqlJsStatement {
  constructor(db, sql) {
    this.db = db;
    this.st = db.raw.prepare(sql);
    db.statements.add(this.st);
  }

  // bind() resets the statement before binding; an empty parameter list still clears old bindings.
  bind(params) {
    this.st.bind(params.length ? params : []);
  }

  run(...params) {
    this.bind(params);
    this.st.step();
    this.st.reset();
    return { changes: this.db.raw.getRowsModified() };
  }

  get(...params) {
    this.bind(params);
    const row = this.st.step() ? this.st.getAsObject() : undefined;
    this.st.reset();
    return row;
  }

  all(...params) {
    this.bind(params);
    const rows = [];
    while (this.st.step()) rows.push(this.st.getAsObject());
    this.st.reset();
    return rows;
  }

  * iterate(...params) {
    this.bind(params);
    try {
      while (this.st.step()) yield this.st.getAsObject();
    } finally {
      this.st.reset();
    }
  }
}

export class SqlJsDatabase {
  constructor(file = ':memory:') {
    if (!SQL) throw new Error('sql.js is not loaded (call loadSqlJs first)');
    if (file !== ':memory:') throw new Error('sql.js keeps databases in memory only');
    this.raw = new SQL.Database();
    this.statements = new Set();
  }

  exec(sql) {
    this.raw.exec(sql);
    return this;
  }

  prepare(sql) {
    return new SqlJsStatement(this, sql);
  }

  close() {
    for (const st of this.statements) st.free();
    this.statements.clear();
    this.raw.close();
  }
}
