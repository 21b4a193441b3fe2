// call-garbage.mjs — run by api-garbage.test.mjs in its own node (flags
// there): the bytes each statement call leaves on the JS heap, through
// lodedb/compat and through better-sqlite3, for the same calls on the same
// :memory: data.  The young generation is made large enough that no
// collection runs while a workload is measured, so the growth of heapUsed is
// what the calls allocated; each workload is measured after a warm-up, seven
// times, and the least is kept (V8 may still be optimising the call path in
// the first rounds, and what its compiler allocates is not the calls').
// Prints {workload: {lode, bs3}} in bytes per call, null where a collection
// ran anyway.
import { PerformanceObserver } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import LodeDatabase from 'lodedb/compat';

const N = 20_000;
const ROWS = 1000;
let collections = 0;
new PerformanceObserver((list) => { collections += list.getEntries().length; }).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

const ints = Array.from({ length: N }, (_, i) => (i * 7919) % 1000003);
const reals = ints.map((x) => x / 8);
const texts = ints.map((x, i) => `${x.toString(36)}.${i}@example.com`);

// name → (db) → (n) => void: n calls of one kind on db.
const WORKLOADS = {
  'run(), three values': (db) => {
    const st = db.prepare('INSERT INTO t(x, y, s) VALUES (?, ?, ?)');
    return (n) => { for (let i = 0; i < n; i++) st.run(ints[i], reals[i], texts[i]); };
  },
  'run(), no values': (db) => {
    const st = db.prepare('UPDATE t SET x = x + 1 WHERE id = 1');
    return (n) => { for (let i = 0; i < n; i++) st.run(); };
  },
  'run(), named object': (db) => {
    const st = db.prepare('UPDATE t SET x = x + @d WHERE id = @id');
    const named = { d: 1, id: 5 };
    return (n) => { for (let i = 0; i < n; i++) st.run(named); };
  },
  'get(), one value': (db) => {
    const st = db.prepare('SELECT * FROM t WHERE id = ?');
    return (n) => { let acc = 0; for (let i = 0; i < n; i++) acc += st.get((i % ROWS) + 1).x; return acc; };
  },
  'all(), 10 rows': (db) => {
    const st = db.prepare('SELECT * FROM t WHERE id BETWEEN ? AND ?');
    return (n) => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += st.all((i % 990) + 1, (i % 990) + 10).length;
      return acc;
    };
  },
  'iterate(), 10 rows': (db) => {
    const st = db.prepare('SELECT * FROM t WHERE id BETWEEN ? AND ?');
    return (n) => {
      let acc = 0;
      for (let i = 0; i < n; i++) for (const r of st.iterate((i % 990) + 1, (i % 990) + 10)) acc += r.x;
      return acc;
    };
  },
};

async function bytesPerCall(Database, make) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, s TEXT)');
  const fill = db.prepare('INSERT INTO t(x, y, s) VALUES (?, ?, ?)');
  for (let i = 0; i < ROWS; i++) fill.run(ints[i], reals[i], texts[i]);
  const calls = make(db);
  db.exec('BEGIN');
  let least = Infinity;
  for (let round = 0; round < 8; round++) {
    globalThis.gc();
    await settle();
    const seen = collections;
    const before = process.memoryUsage().heapUsed;
    calls(N);
    const after = process.memoryUsage().heapUsed;
    await settle();
    // round 0 is the warm-up
    if (round > 0 && collections === seen) least = Math.min(least, (after - before) / N);
  }
  db.exec('COMMIT');
  db.close();
  return least === Infinity ? null : least;
}

const out = {};
for (const [name, make] of Object.entries(WORKLOADS)) {
  out[name] = { lode: await bytesPerCall(LodeDatabase, make), bs3: await bytesPerCall(BetterSqlite3, make) };
}
console.log(JSON.stringify(out));
