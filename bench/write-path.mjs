// write-path.mjs — the write loops of bench/run.mjs alone (bulk insert, UNIQUE
// insert, point UPDATE, UPDATE every row) through lodedb/compat and
// better-sqlite3 in :memory:, for profiling the Node boundary apart from the
// rest of the suite (`node --cpu-prof bench/write-path.mjs lode insert`).
//
// Usage: node bench/write-path.mjs [ENGINE[,ENGINE]] [WORKLOAD[,WORKLOAD]] [--runs N]
//   ENGINE: lode | bs3 (default both); WORKLOAD: insert | unique | point | all (default all four);
//   --rows N: rows of t (100000; UNIQUE inserts N/2, point updates N/5 up to 20000 twice).
// --runs 0 runs each workload once, untimed: under `valgrind --tool=callgrind` the difference of the
// instruction counts of two --rows values, divided by the rows between them, is the cost of one op.
// Prints the median ops/s (per CPU second) of the timed runs per engine and workload, and
// lode/bs3 when both ran.
import BetterSqlite3 from 'better-sqlite3';
import LodeDatabase from '../js/compat.mjs';
import { insertRows, pointUpdates, tRows, uniqueRows } from './data.mjs';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 5;
const rowsAt = argv.indexOf('--rows');
const ROWS = rowsAt >= 0 ? Number(argv.splice(rowsAt, 2)[1]) : 100_000;
const engines = (argv[0] ?? 'lode,bs3').split(',');
const workloads = (argv[1] ?? 'insert,unique,point,all').split(',');
const LOOKUPS = Math.min(20_000, ROWS / 5);

const OPEN = { lode: (f) => new LodeDatabase(f), bs3: (f) => new BetterSqlite3(f) };

const ROW_DATA = tRows(ROWS);
const UNIQ = uniqueRows(ROWS / 2);
const LOOKUP_IDS = Array.from({ length: LOOKUPS }, (_, i) => ((i * 7919) % ROWS) + 1);

function fill(db) {
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT)');
  const ins = db.prepare('INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)');
  db.exec('BEGIN');
  for (const r of ROW_DATA) ins.run(r[0], r[1], r[2], r[3], r[4]);
  db.exec('COMMIT');
}

// Each: (db) → { ops, ms } on a fresh :memory: db.
const WORK = {
  insert(db) {
    db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT)');
    const ins = db.prepare('INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)');
    const t0 = clock();
    insertRows(db, ins, ROW_DATA, ROWS);
    return { ops: ROWS, ms: clock() - t0 };
  },
  unique(db) {
    db.exec('CREATE TABLE tu(id INTEGER PRIMARY KEY, email TEXT UNIQUE, code INTEGER UNIQUE, v REAL)');
    const ins = db.prepare('INSERT INTO tu(email, code, v) VALUES (?, ?, ?)');
    const t0 = clock();
    insertRows(db, ins, UNIQ, UNIQ.length);
    return { ops: UNIQ.length, ms: clock() - t0 };
  },
  point(db) {
    fill(db);
    const up = db.prepare('UPDATE t SET x = x + ? WHERE id = ?');
    const t0 = clock();
    const n = pointUpdates(db, up, LOOKUP_IDS);
    if (n !== 2 * LOOKUPS) throw new Error(`point: ${n} changes`);
    return { ops: n, ms: clock() - t0 };
  },
  all(db) {
    fill(db);
    const up = db.prepare('UPDATE t SET x = x + 1');
    const down = db.prepare('UPDATE t SET x = x - 1');
    const t0 = clock();
    const n = up.run().changes + down.run().changes;
    return { ops: n, ms: clock() - t0 };
  },
};

// CPU time of the process (user + system, ms) rather than wall time: on a shared, loaded machine it varies far
// less, and the loops never wait on I/O (:memory:).
function clock() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
// Engines take turns run by run, so that a change in the machine's load falls on both.
for (const w of workloads) {
  const ms = Object.fromEntries(engines.map((e) => [e, []]));
  for (let run = 0; run <= RUNS; run++) {
    for (const e of engines) {
      const db = OPEN[e](':memory:');
      db.exec('PRAGMA cache_size = -16000');
      const r = WORK[w](db);
      db.close();
      if (run > 0) ms[e].push(r.ms / r.ops); // run 0 warms up
    }
  }
  if (!RUNS) continue;
  const rate = {};
  for (const e of engines) {
    rate[e] = 1000 / median(ms[e]);
    console.log(`${w.padEnd(7)} ${e.padEnd(5)} ${(rate[e] / 1000).toFixed(0).padStart(6)}k ops/s (CPU time)`);
  }
  if (rate.lode && rate.bs3) console.log(`${w.padEnd(7)} lode/bs3 ${(rate.lode / rate.bs3).toFixed(2)}`);
}
