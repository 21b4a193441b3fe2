// The benchmarks' deterministic data: every engine stores the same rows,
// so the result checks can compare engines.

// A 32-bit xorshift generator.
export function xorshift(seed) {
  return () => {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed;
  };
}

export const X_RANGE = 1_000_000;
export const GROUPS = 1000;  // distinct values of g for GROUP BY

// Row i of table t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT).
export function tRow(next, i) {
  const x = next() % X_RANGE;
  const y = (next() % 1_000_000) / 1000;  // same doubles bound in every engine
  return [i + 1, x, y, x % GROUPS, `row-${i}-${x.toString(36)}`];
}

// The first n rows of t.
export function tRows(n) {
  const next = xorshift(0x2545f491);
  return Array.from({ length: n }, (_, i) => tRow(next, i));
}

// Rows (email, code, v) for UNIQUE inserts: code = i * an odd constant mod 2^32
// is a permutation, so both keys are distinct yet unordered.
export function uniqueRows(n) {
  return Array.from({ length: n }, (_, i) => {
    const code = Math.imul(i + 1, 0x9e3779b1) >>> 0;
    return [`${code.toString(36)}.${i}@example.com`, code, i / 8];
  });
}

// Inserts rows[0..n) of t (five columns) or of the UNIQUE table (three)
// through ins in one transaction.  The arguments are passed one by one, as an
// application would, rather than spread.
export function insertRows(db, ins, rows, n) {
  db.exec('BEGIN');
  if (rows[0].length === 5) {
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      ins.run(r[0], r[1], r[2], r[3], r[4]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      ins.run(r[0], r[1], r[2]);
    }
  }
  db.exec('COMMIT');
}

// Adds 1 to x of each row of ids, then takes it away again, in one
// transaction, through up = UPDATE t SET x = x + ? WHERE id = ?; returns the
// rows changed.
export function pointUpdates(db, up, ids) {
  let n = 0;
  db.exec('BEGIN');
  for (const id of ids) n += up.run(1, id).changes;
  for (const id of ids) n += up.run(-1, id).changes;
  db.exec('COMMIT');
  return n;
}
