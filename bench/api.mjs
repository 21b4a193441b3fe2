// bench/api.mjs — the JS API's own benchmark: what one call across the JS boundary costs, engine by engine, in
// one Node process and one run. The workloads are the ones the JS API promises numbers for: point get(), bulk
// insert in one transaction, all() over 10k rows and iterate() over 10k rows, on ':memory:' databases.
//
// Engines and the ratios they feed:
//   sync     lodedb/compat (native addon)        vs better-sqlite3                  → compat/bs3   (target ≥ 1)
//   promise  lodedb (native addon, promise API)  vs @tursodatabase/database          → promise/turso (target ≥ 2)
//   wasm     lodedb/wasm SyncDatabase            vs sql.js (SQLite's own wasm build) → wasm/sql.js  (target ≥ 1.5)
// Every engine runs each workload RUNS times after one warm-up, engines taking turns run by run; the median is
// reported as ops/s (an op is one row fetched or inserted, or one lookup).
//
// Event-loop blocking: while a promise API runs its calls, how long can the event loop go without a turn? Each
// promise engine runs all() over 10k rows, a 100-row insert transaction and 1000 point lookups, each awaited with a
// setImmediate between calls, under perf_hooks.monitorEventLoopDelay; the longest delay seen is reported (lower
// is better). It is a measurement, not a target check (no timed assertions).
//
// --clock cpu times each run by the process's CPU time (user + system, every thread: V8's GC helpers and
// any engine threads count) instead of the wall clock: on a machine shared with other work the wall clock
// counts the time other processes had the cores, the CPU clock much less so.
//
// Usage: node bench/api.mjs [--runs N] [--engines a,b] [--clock wall|cpu]
// Exported: runApiBench(), apiMarkdown(result).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { connect as tursoConnect } from '@tursodatabase/database';
import LodeDatabase from '../js/compat.mjs';
import { connect as lodeConnect } from '../js/index.mjs';
import { tRows } from './data.mjs';
import { loadSqlJs, SqlJsDatabase } from './sqljs.mjs';

const ROWS = 100_000;
const LOOKUPS = 20_000;
const SCAN = 10_000;
const SCHEMA = 'CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, s TEXT)';
const INSERT = 'INSERT INTO t(id, x, y, s) VALUES (?, ?, ?, ?)';
const GET = 'SELECT * FROM t WHERE id = ?';
const SCAN_SQL = `SELECT * FROM t WHERE id <= ${SCAN}`;

const DATA = tRows(ROWS).map((r) => [r[0], r[1], r[2], r[4]]);  // t without g
const IDS = Array.from({ length: LOOKUPS }, (_, i) => ((i * 7919) % ROWS) + 1);

const wallNow = () => Number(process.hrtime.bigint()) / 1e6;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let now = wallNow;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// A synchronous engine: open() gives a better-sqlite3-shaped database.
const syncOps = (open) => ({
  kind: 'sync',
  async open() { return open(); },
  async close(db) { db.close(); },
  async fill(db, rows) {
    db.exec(SCHEMA);
    const ins = db.prepare(INSERT);
    db.exec('BEGIN');
    for (const r of rows) ins.run(r[0], r[1], r[2], r[3]);
    db.exec('COMMIT');
  },
  async lookups(db, ids) {
    const st = db.prepare(GET);
    let acc = 0;
    for (const id of ids) acc += st.get(id).x;
    return acc;
  },
  async all(db) {
    return db.prepare(SCAN_SQL).all().reduce((a, r) => a + r.x, 0);
  },
  async iterate(db) {
    let acc = 0;
    for (const r of db.prepare(SCAN_SQL).iterate()) acc += r.x;
    return acc;
  },
});

// A promise engine: connect() resolves to a @tursodatabase/database-shaped database.
const promiseOps = (connect) => ({
  kind: 'promise',
  open: () => connect(':memory:'),
  async close(db) { await db.close(); },
  async fill(db, rows) {
    await db.exec(SCHEMA);
    const ins = db.prepare(INSERT);
    await db.exec('BEGIN');
    for (const r of rows) await ins.run(r[0], r[1], r[2], r[3]);
    await db.exec('COMMIT');
  },
  async lookups(db, ids) {
    const st = db.prepare(GET);
    let acc = 0;
    for (const id of ids) acc += (await st.get(id)).x;
    return acc;
  },
  async all(db) {
    return (await db.prepare(SCAN_SQL).all()).reduce((a, r) => a + r.x, 0);
  },
  async iterate(db) {
    let acc = 0;
    for await (const r of db.prepare(SCAN_SQL).iterate()) acc += r.x;
    return acc;
  },
});

async function engineList(only) {
  const list = [
    { name: 'lode', group: 'sync', ...syncOps(() => new LodeDatabase(':memory:')) },
    { name: 'better-sqlite3', group: 'sync', ...syncOps(() => new BetterSqlite3(':memory:')) },
    { name: 'lode-promise', group: 'promise', ...promiseOps(lodeConnect) },
    { name: 'turso-promise', group: 'promise', ...promiseOps(tursoConnect) },
  ];
  try {
    const { SyncDatabase } = await import('../js/wasm.mjs');
    list.push({ name: 'lode-wasm', group: 'wasm', ...syncOps(() => new SyncDatabase(':memory:')) });
  } catch (e) {
    console.error(`lodedb/wasm unavailable (${e.message}); skipping the wasm column`);
  }
  if (await loadSqlJs()) list.push({ name: 'sql.js', group: 'wasm', ...syncOps(() => new SqlJsDatabase()) });
  return list.filter((e) => !only || only.includes(e.name));
}

// Each workload: timed(engine, db, warm) → { ms, ops, check } on a database filled with DATA (fresh: an empty one).
const WORKLOADS = [
  {
    name: `point get() by rowid (${LOOKUPS / 1000}k)`,
    async timed(e, db, warm) {
      const ids = warm ? IDS.slice(0, LOOKUPS / 10) : IDS;
      const t0 = now();
      const check = await e.lookups(db, ids);
      return { ms: now() - t0, ops: ids.length, check };
    },
  },
  {
    name: `bulk insert ${ROWS / 1000}k rows, 1 txn`, fresh: true,
    async timed(e, db, warm) {
      const rows = warm ? DATA.slice(0, ROWS / 10) : DATA;
      const t0 = now();
      await e.fill(db, rows);
      return { ms: now() - t0, ops: rows.length, check: rows.length };
    },
  },
  {
    name: `all() over ${SCAN / 1000}k rows`,
    async timed(e, db) {
      const t0 = now();
      const check = await e.all(db);
      return { ms: now() - t0, ops: SCAN, check };
    },
  },
  {
    name: `iterate() over ${SCAN / 1000}k rows`,
    async timed(e, db) {
      const t0 = now();
      const check = await e.iterate(db);
      return { ms: now() - t0, ops: SCAN, check };
    },
  },
];

const turn = () => new Promise((resolve) => setImmediate(resolve));

// The longest stretch (ms) the event loop went without a turn while a promise engine served calls, each followed
// by a setImmediate: what an application sharing the loop (a server) would feel.
async function eventLoopBlock(e, db) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  await turn();
  h.enable();
  for (let i = 0; i < 3; i++) {
    await e.all(db);
    await turn();
  }
  await db.exec('BEGIN');
  const ins = db.prepare('INSERT INTO t(x, y, s) VALUES (?, ?, ?)');
  for (let i = 0; i < 100; i++) await ins.run(i, i / 2, 'x');
  await db.exec('ROLLBACK');
  await turn();
  const st = db.prepare(GET);
  for (let i = 0; i < 1000; i++) {
    await st.get(IDS[i]);
    if (i % 100 === 0) await turn();
  }
  await turn();
  h.disable();
  return h.max / 1e6;
}

export async function runApiBench({ runs = 5, only = null, clock = 'wall', log = (s) => process.stderr.write(s) } = {}) {
  now = clock === 'cpu' ? cpuNow : wallNow;
  const engines = await engineList(only);
  const shared = {};
  for (const e of engines) {
    shared[e.name] = await e.open();
    await e.fill(shared[e.name], DATA);
  }
  const results = [];
  for (const wl of WORKLOADS) {
    const rates = Object.fromEntries(engines.map((e) => [e.name, []]));
    const checks = {};
    for (let run = 0; run <= runs; run++) {
      for (let k = 0; k < engines.length; k++) {
        const e = engines[(run + k) % engines.length];
        let db = shared[e.name];
        if (wl.fresh) db = await e.open();
        try {
          const r = await wl.timed(e, db, run === 0);
          if (run > 0) rates[e.name].push(r.ops / (r.ms / 1000));
          checks[e.name] = r.check;
        } finally {
          if (wl.fresh) await e.close(db);
        }
      }
    }
    const per = {};
    for (const e of engines) {
      per[e.name] = { opsPerSec: median(rates[e.name]), check: checks[e.name] };
      log(`  api ${wl.name.padEnd(30)} ${e.name.padEnd(14)} ${Math.round(per[e.name].opsPerSec)} ops/s\n`);
    }
    results.push({ workload: wl.name, per });
  }
  const block = {};
  for (const e of engines.filter((x) => x.kind === 'promise')) block[e.name] = await eventLoopBlock(e, shared[e.name]);
  for (const e of engines) await e.close(shared[e.name]);
  const mismatches = [];
  for (const { workload, per } of results) {
    const ref = JSON.stringify(per['better-sqlite3']?.check ?? Object.values(per)[0].check);
    for (const [name, v] of Object.entries(per)) {
      if (JSON.stringify(v.check) !== ref) mismatches.push(`${workload}: ${name} gave ${JSON.stringify(v.check)}`);
    }
  }
  return { runs, clock, results, block, mismatches, engines: engines.map((e) => e.name) };
}

function fmtOps(v) {
  if (v == null) return '—';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v.toFixed(0);
}
const ratio = (a, b) => (a == null || b == null ? '—' : `${(a / b).toFixed(2)}x`);

export function apiMarkdown({ runs, clock = 'wall', results, block, mismatches }) {
  const cols = ['lode', 'better-sqlite3', 'lode-promise', 'turso-promise', 'lode-wasm', 'sql.js'];
  const header = ['workload', ...cols, 'compat/bs3', 'promise/turso', 'wasm/sql.js'];
  const rows = results.map(({ workload, per }) => {
    const v = (n) => per[n]?.opsPerSec;
    return [workload, ...cols.map((c) => fmtOps(v(c))), ratio(v('lode'), v('better-sqlite3')),
      ratio(v('lode-promise'), v('turso-promise')), ratio(v('lode-wasm'), v('sql.js'))];
  });
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const out = [
    '## JS API boundary (bench/api.mjs)',
    '',
    line(header),
    line(header.map((_, i) => (i ? '---:' : '---'))),
    ...rows.map(line),
    '',
    `- ':memory:' databases, ${ROWS} rows of (id INTEGER PRIMARY KEY, x INTEGER, y REAL, s TEXT); median of ${runs} ` +
      `runs after a warm-up, engines taking turns; ops/s (one row fetched or inserted, or one lookup) by ${clock === 'cpu' ? 'CPU' : 'wall-clock'} time.`,
    '- Targets: compat/bs3 ≥ 1 (lodedb/compat vs better-sqlite3), promise/turso ≥ 2 (lodedb vs ' +
      '@tursodatabase/database, both promise APIs), wasm/sql.js ≥ 1.5 (lodedb/wasm SyncDatabase vs sql.js, ' +
      'rows as objects from its getAsObject()).',
    `- Longest event-loop stall while serving promise calls (all() over ${SCAN / 1000}k rows, a 100-row ` +
      'transaction, 1000 point lookups; lower is better): ' +
      Object.entries(block).map(([n, ms]) => `${n} ${ms.toFixed(1)} ms`).join(', ') + '.',
    mismatches.length ? `- Result mismatches: ${mismatches.join('; ')}` : '- Every engine returned the same results.',
    '',
  ];
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const at = (n) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : null);
  const res = await runApiBench({
    runs: Number(at('--runs') ?? 5), only: at('--engines')?.split(',') ?? null, clock: at('--clock') ?? 'wall',
  });
  console.log(apiMarkdown(res));
}
