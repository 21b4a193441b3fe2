// observe.mjs — runs SQL statements one by one through a synchronous
// better-sqlite3-shaped API and records what each gave, for comparisons.

/** Each statement's rows (raw arrays) or error message; with plans, the
 *  lines of each EXPLAIN QUERY PLAN as well (their text only: the ids and
 *  parent ids number the program's own steps). */
export function observeScript(db, statements, { plans = false } = {}) {
  return statements.map((sql) => {
    try {
      const stmt = db.prepare(sql);
      if (plans && /^\s*EXPLAIN\s+QUERY\s+PLAN\b/i.test(sql)) return { plan: stmt.raw().all().map((r) => r[3]) };
      // sqlite3 marks a few ALTER programs as readers (they run a check
      // query); only statements meant to return rows are compared as such.
      if (stmt.reader && /^\s*(SELECT|PRAGMA|VALUES|WITH)|RETURNING/i.test(sql)) return { rows: stmt.raw().all() };
      if (stmt.reader) {
        stmt.raw().all();
        return { ok: true };
      }
      stmt.run();
      return { ok: true };
    } catch (e) {
      return { error: e.message };
    }
  });
}

export function scriptStatements(text) {
  return text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--'));
}
