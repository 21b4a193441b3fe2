// observe.mjs — runs SQL statements one by one through a synchronous
// better-sqlite3-shaped API and records what each gave, for comparisons.

/** The values a statement ending in "-- params: [...]" (a JSON array) binds:
 *  a string like "5n" is the integer 5 (a JS number binds as a REAL in
 *  better-sqlite3, as an INTEGER in Lode when it has no fraction). */
function boundParams(sql) {
  const m = /--\s*params:\s*(\[.*\])\s*$/.exec(sql);
  if (!m) return [];
  return JSON.parse(m[1]).map((v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v));
}

/** Each statement's rows (raw arrays) or error message; with plans, the
 *  lines of each EXPLAIN QUERY PLAN as well (their text only: the ids and
 *  parent ids number the program's own steps); with names, the names of
 *  the result columns too. */
export function observeScript(db, statements, { plans = false, names = false } = {}) {
  return statements.map((sql) => {
    try {
      const stmt = db.prepare(sql);
      const params = boundParams(sql);
      if (plans && /^\s*EXPLAIN\s+QUERY\s+PLAN\b/i.test(sql)) {
        return { plan: stmt.raw().all(...params).map((r) => r[3]) };
      }
      // sqlite3 marks a few ALTER programs as readers (they run a check
      // query); only statements meant to return rows are compared as such.
      if (stmt.reader && /^\s*(SELECT|PRAGMA|VALUES|WITH)|RETURNING/i.test(sql)) {
        if (names) return { names: stmt.columns().map((c) => c.name), rows: stmt.raw().all(...params) };
        return { rows: stmt.raw().all(...params) };
      }
      if (stmt.reader) {
        stmt.raw().all(...params);
        return { ok: true };
      }
      stmt.run(...params);
      return { ok: true };
    } catch (e) {
      return { error: e.message };
    }
  });
}

export function scriptStatements(text) {
  return text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--'));
}
