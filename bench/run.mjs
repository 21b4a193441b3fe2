// bench/run.mjs — Lode side by side with better-sqlite3 and @tursodatabase/database in one process.
//
// Every engine is driven through a synchronous, better-sqlite3-shaped API so the numbers compare the engines
// and their bindings, not promise overhead: lodedb/compat (native addon), lodedb/wasm SyncDatabase (the wasm
// build; in Node its files are real files through node:fs), better-sqlite3, and @tursodatabase/database/compat (Turso's sync entry point).
// Each workload gets one untimed, shortened warm-up run and RUNS timed runs; the median is reported as ops/s, where an
// "op" is one row inserted or indexed, one point lookup or one query. Ratios are ops/s of Lode divided by ops/s of
// the other engine, so > 1 means Lode is faster.
//
// The index workloads (CREATE INDEX, lookups, ranges, joins and ordered reads through indexes, UNIQUE inserts) run
// on their own tables in the same databases. Their SQL is also shown with EXPLAIN QUERY PLAN, Lode's and
// better-sqlite3's, and the report says whether Lode's plan uses the index the workload is about.
//
// The wasm build is also measured against sql.js (SQLite's own wasm build, :memory: only, driven through
// bench/sqljs.mjs), and the JS API's boundary workloads (point get, bulk insert, all, iterate; sync, promise and
// wasm entries; event-loop stalls) run from bench/api.mjs after the table (--no-api skips them).
//
// The vector search workload (brute-force top-k against Turso) is bench/vector.mjs, run last (--no-vector skips it).
//
// Usage: node bench/run.mjs [--runs N] [--rows N] [--cache-size N] [--no-write] [--no-vector]   (writes bench/results.md unless --no-write)
//        [--only REGEX] [--engines a,b] [--modes memory,file]: a subset, for measuring one change (implies --no-write)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import BetterSqlite3 from 'better-sqlite3';
import { Database as TursoDatabase } from '@tursodatabase/database/compat';
import LodeDatabase from '../js/compat.mjs';
import { version as lodeVersion } from '../js/index.mjs';
import { runVectorBench, vectorMarkdown } from './vector.mjs';
import { apiMarkdown, runApiBench } from './api.mjs';
import { loadSqlJs, SqlJsDatabase } from './sqljs.mjs';
import { GROUPS, insertRows, pointUpdates, tRows, uniqueRows, X_RANGE, xorshift } from './data.mjs';
import { olapNote, olapWorkloads, populateOlap } from './olap.mjs';
import { rssMarkdown, runRssBench } from './rss.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const argOf = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const strArg = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : null;
};
const ONLY = strArg('--only') ? new RegExp(strArg('--only'), 'i') : null;
const ONLY_ENGINES = strArg('--engines')?.split(',');
const MODES = strArg('--modes')?.split(',') ?? ['memory', 'file'];
const SUBSET = Boolean(ONLY || ONLY_ENGINES || strArg('--modes'));
const RUNS = argOf('--runs', 5);
const ROWS = argOf('--rows', 100_000);
const LOOKUPS = 20_000;
const AUTOCOMMIT_ROWS = 1000;
const OPENS = 200;           // opens per timed run of the open workload
const SCAN_QUERIES = 2;       // queries per timed run of the scan / sort / group-by workloads
const SORT_THRESHOLD = X_RANGE / 2;  // WHERE x > ? keeps about half the rows
// Index workloads.
const IDX_ROWS = ROWS;        // rows of ti, the table the index queries read
const CI_ROWS = 200_000;      // rows of big, which CREATE INDEX indexes (1M took 3-5 s per run in Lode and Turso)
const IDX_QUERIES = 2000;     // queries per timed run of an index query workload…
const QUERY_BUDGET_MS = 1000; // …unless they take longer than this (a plan that scans): then fewer, at least
const MIN_QUERIES = 20;       // this many; the result check covers only these first MIN_QUERIES queries
const RANGE_WIDTH = Math.round(100 * X_RANGE / IDX_ROWS);     // x BETWEEN v AND v+width: ~100 rows
const COVER_WIDTH = Math.round(1000 * X_RANGE / IDX_ROWS);    // a BETWEEN v AND v+width: ~1000 entries
const CUSTOMERS = 5000, ORDERS = 50_000, ITEMS_PER_ORDER = 3;  // join: ~10 orders, ~30 items per customer
const UNIQUE_ROWS = ROWS / 2;
// One page cache size for every engine, set explicitly after each open: the engines' defaults differ
// (better-sqlite3's build sets SQLITE_DEFAULT_CACHE_SIZE=-16000, 16 MB; Lode keeps SQLite's -2000, 2 MB), and a
// file workload whose table fits one cache and not the other measures the cache, not the engine. The default is
// better-sqlite3's, what its users get; --cache-size N (pages, or -KiB as in PRAGMA cache_size) changes it.
const CACHE_SIZE = argOf('--cache-size', -16000);

let wasmSync = null;
try {
  ({ SyncDatabase: wasmSync } = await import('../js/wasm.mjs'));
} catch (e) {
  console.error(`lodedb/wasm unavailable (${e.message}); skipping the wasm column`);
}

// name → { open(file), memoryOnly }
const ENGINES = [
  { name: 'lode', open: (f) => new LodeDatabase(f) },
  { name: 'lode-wasm', open: (f) => new wasmSync(f), skip: !wasmSync },
  {
    name: 'better-sqlite3',
    open: (f) => {
      const db = new BetterSqlite3(f);
      // Lode and Turso default to WAL with synchronous=FULL on files. better-sqlite3 defaults to a rollback
      // journal, and its build turns WAL mode's synchronous to NORMAL; put it on the same footing.
      if (f !== ':memory:') {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      return db;
    },
  },
  { name: 'turso', open: (f) => new TursoDatabase(f) },
  { name: 'sql.js', open: (f) => new SqlJsDatabase(f), memoryOnly: true, skip: !(await loadSqlJs()) },
].filter((e) => !e.skip && (!ONLY_ENGINES || ONLY_ENGINES.includes(e.name) || e.name === 'better-sqlite3'))
  .map((e) => ({ ...e, open: (f) => withCacheSize(e.name, e.open(f)) }));

// What each engine answered to PRAGMA cache_size after it was set (for the report: an engine that ignores the
// pragma shows its own value here).
const CACHE_SIZE_SEEN = {};
function withCacheSize(name, db) {
  db.exec(`PRAGMA cache_size = ${CACHE_SIZE}`);
  if (!(name in CACHE_SIZE_SEEN)) {
    try {
      const row = db.prepare('PRAGMA cache_size').get();
      CACHE_SIZE_SEEN[name] = row ? Object.values(row)[0] : 'no row';
    } catch (e) {
      CACHE_SIZE_SEEN[name] = `error: ${e.message}`;
    }
  }
  return db;
}

const SCHEMA = 'CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT)';

const ROW_DATA = tRows(ROWS);
const LOOKUP_IDS = Array.from({ length: LOOKUPS }, (_, i) => ((i * 7919) % ROWS) + 1);

// Rows of the index workloads' tables. Keys come in random order, so that index inserts land all over the tree.
function makeIndexData() {
  const next = xorshift(0x9e3779b9);
  const ti = new Array(IDX_ROWS);
  for (let i = 0; i < IDX_ROWS; i++) {
    ti[i] = [i + 1, next() % X_RANGE, next() % X_RANGE, next() % 1000, `${next().toString(36)}-${i}`];
  }
  const big = new Array(CI_ROWS);
  for (let i = 0; i < CI_ROWS; i++) big[i] = [i + 1, `${next().toString(36)}-${i}`, next() % X_RANGE];
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => [i + 1, `customer-${i}`, i % 17]);
  const orders = Array.from({ length: ORDERS }, (_, i) => [i + 1, (next() % CUSTOMERS) + 1, next() % 10000]);
  const items = Array.from({ length: ORDERS * ITEMS_PER_ORDER },
    (_, i) => [i + 1, (next() % ORDERS) + 1, next() % 1000]);
  const uniq = uniqueRows(UNIQUE_ROWS);
  const pick = (n, max) => Array.from({ length: n }, () => next() % max);
  return {
    ti, big, customers, orders, items, uniq,
    lookupKeys: pick(LOOKUPS, IDX_ROWS).map((i) => ti[i][4]),
    rangeStarts: pick(IDX_QUERIES, X_RANGE - RANGE_WIDTH),
    coverStarts: pick(IDX_QUERIES, X_RANGE - COVER_WIDTH),
    customerIds: pick(IDX_QUERIES, CUSTOMERS).map((i) => i + 1),
  };
}
const IDX = makeIndexData();

let tmpDir = null;
let fileSeq = 0;
function freshPath(mode, engine) {
  if (mode === 'memory') return ':memory:';
  return path.join(tmpDir, `${engine}-${++fileSeq}.db`);
}
function removeDb(file) {
  if (file === ':memory:') return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

function now() { return Number(process.hrtime.bigint()) / 1e6; }  // ms
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function insertAll(db, sql, rows) {
  const ins = db.prepare(sql);
  db.exec('BEGIN');
  for (const r of rows) ins.run(...r);
  db.exec('COMMIT');
}

function populate(db) {
  db.exec(SCHEMA);
  insertAll(db, 'INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)', ROW_DATA);
}

// The index workloads' database (its own, so that its size does not change the other workloads' numbers): tables
// filled first, indexed afterwards.
function populateIndex(db) {
  db.exec('CREATE TABLE ti(id INTEGER PRIMARY KEY, x INTEGER, a INTEGER, b INTEGER, k TEXT)');
  insertAll(db, 'INSERT INTO ti(id, x, a, b, k) VALUES (?, ?, ?, ?, ?)', IDX.ti);
  db.exec('CREATE INDEX ti_x ON ti(x)');
  db.exec('CREATE INDEX ti_ab ON ti(a, b)');
  db.exec('CREATE INDEX ti_k ON ti(k)');
  db.exec('CREATE TABLE big(id INTEGER PRIMARY KEY, k TEXT, x INTEGER)');
  insertAll(db, 'INSERT INTO big(id, k, x) VALUES (?, ?, ?)', IDX.big);
  db.exec('CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, region INTEGER)');
  db.exec('CREATE TABLE orders(id INTEGER PRIMARY KEY, cid INTEGER, total INTEGER)');
  db.exec('CREATE TABLE items(id INTEGER PRIMARY KEY, oid INTEGER, price INTEGER)');
  insertAll(db, 'INSERT INTO customers(id, name, region) VALUES (?, ?, ?)', IDX.customers);
  insertAll(db, 'INSERT INTO orders(id, cid, total) VALUES (?, ?, ?)', IDX.orders);
  insertAll(db, 'INSERT INTO items(id, oid, price) VALUES (?, ?, ?)', IDX.items);
  db.exec('CREATE INDEX orders_cid ON orders(cid)');
  db.exec('CREATE INDEX items_oid ON items(oid)');
}

// Many small transactions: AUTOCOMMIT_ROWS single-row INSERTs, each its own transaction, on a fresh file db with
// the given PRAGMA synchronous set explicitly on every engine (FULL syncs the WAL at each commit; NORMAL does not).
function autocommit(level, what) {
  return {
    name: `autocommit INSERT x${AUTOCOMMIT_ROWS}, sync=${level} (${what})`, ops: AUTOCOMMIT_ROWS, fresh: true,
    modes: ['file'],
    timed(db, warm) {
      db.exec(`PRAGMA synchronous = ${level}`);
      db.exec(SCHEMA);
      const ins = db.prepare('INSERT INTO t(x, y, g, s) VALUES (?, ?, ?, ?)');
      const n = warm ? AUTOCOMMIT_ROWS / 10 : AUTOCOMMIT_ROWS;
      const t0 = now();
      for (let i = 0; i < n; i++) {
        const r = ROW_DATA[i];
        ins.run(r[1], r[2], r[3], r[4]);
      }
      const ms = now() - t0;
      return { ms, check: db.prepare('SELECT count(*) AS n FROM t').get().n };
    },
  };
}

// Runs query(i) for i = 0, 1, … up to n times, or fewer once QUERY_BUDGET_MS have passed (after MIN_QUERIES): an
// engine whose plan scans where an index was meant then costs about a second per run instead of minutes. ops/s is
// taken from the queries it ran; the check is built from the first MIN_QUERIES results, which every engine runs.
function queryLoop(n, warm, query) {
  const limit = warm ? MIN_QUERIES : n;
  const checks = [];
  const t0 = now();
  let i = 0;
  while (i < limit) {
    const r = query(i);
    if (i < MIN_QUERIES) checks.push(r);
    i++;
    if (i >= MIN_QUERIES && (i & 15) === 0 && now() - t0 > QUERY_BUDGET_MS) break;
  }
  return { ms: now() - t0, ops: i, check: checks };
}

// Sums a column of rows so that a check stays short.
const sumOf = (rows, col) => rows.reduce((a, r) => a + r[col], 0);

function indexWorkloads() {
  const RANGE_SQL = 'SELECT * FROM ti WHERE x BETWEEN ? AND ?';
  const COVER_SQL = 'SELECT count(*) AS n, sum(b) AS sb FROM ti WHERE a BETWEEN ? AND ?';
  const COVER_GE_LE_SQL = 'SELECT count(*) AS n, sum(b) AS sb FROM ti WHERE a >= ? AND a <= ?';
  const JOIN_SQL = 'SELECT c.name, o.id AS oid, i.price FROM customers c JOIN orders o ON o.cid = c.id ' +
    'JOIN items i ON i.oid = o.id WHERE c.id = ?';
  const ORDER_SQL = 'SELECT * FROM ti ORDER BY x LIMIT 10';
  const cover = (sql, label) => ({
    name: `covering index count/sum, ${label}`, db: 'idx', plan: { sql, params: [1, 2], indexes: ['ti_ab'] },
    timed(db, warm) {
      const st = db.prepare(sql);
      return queryLoop(IDX_QUERIES, warm, (i) => {
        const r = st.get(IDX.coverStarts[i], IDX.coverStarts[i] + COVER_WIDTH);
        return [r.n, r.sb];
      });
    },
  });
  return [
    {
      // Each run builds the index and drops it afterwards (untimed), on the shared table big.
      name: `CREATE INDEX, ${CI_ROWS / 1000}k rows (TEXT)`, ops: CI_ROWS, db: 'idx',
      timed(db) {
        const t0 = now();
        db.exec('CREATE INDEX big_k ON big(k)');
        const ms = now() - t0;
        const check = db.prepare(`SELECT k FROM big ORDER BY k LIMIT 1 OFFSET ${CI_ROWS / 2}`).get().k;
        db.exec('DROP INDEX big_k');
        return { ms, check };
      },
    },
    {
      name: `point lookup by indexed TEXT (${LOOKUPS / 1000}k)`, ops: LOOKUPS, db: 'idx',
      plan: { sql: 'SELECT * FROM ti WHERE k = ?', params: ['a'], indexes: ['ti_k'] },
      timed(db, warm) {
        const st = db.prepare('SELECT * FROM ti WHERE k = ?');
        const n = warm ? LOOKUPS / 10 : LOOKUPS;
        let acc = 0;
        const t0 = now();
        for (let i = 0; i < n; i++) acc += st.get(IDX.lookupKeys[i]).x;
        return { ms: now() - t0, ops: n, check: acc };
      },
    },
    {
      name: 'index range scan, BETWEEN (~100 rows)', db: 'idx',
      plan: { sql: RANGE_SQL, params: [1, 2], indexes: ['ti_x'] },
      timed(db, warm) {
        const st = db.prepare(RANGE_SQL);
        return queryLoop(IDX_QUERIES, warm, (i) => {
          const rows = st.all(IDX.rangeStarts[i], IDX.rangeStarts[i] + RANGE_WIDTH);
          return [rows.length, sumOf(rows, 'id'), sumOf(rows, 'b')];
        });
      },
    },
    cover(COVER_SQL, 'BETWEEN (~1000 entries)'),
    cover(COVER_GE_LE_SQL, '>= AND <= (~1000 entries)'),
    {
      name: '3-table join on indexed keys (~30 rows)', db: 'idx',
      plan: { sql: JOIN_SQL, params: [1], indexes: ['orders_cid', 'items_oid'] },
      timed(db, warm) {
        const st = db.prepare(JOIN_SQL);
        return queryLoop(IDX_QUERIES, warm, (i) => {
          const rows = st.all(IDX.customerIds[i]);
          return [rows.length, sumOf(rows, 'oid'), sumOf(rows, 'price')];
        });
      },
    },
    {
      name: 'ORDER BY indexed col LIMIT 10', db: 'idx', plan: { sql: ORDER_SQL, params: [], indexes: ['ti_x'] },
      timed(db, warm) {
        const st = db.prepare(ORDER_SQL);
        return queryLoop(IDX_QUERIES, warm, () => st.all().map((r) => r.id).join(','));
      },
    },
    {
      name: `insert ${UNIQUE_ROWS / 1000}k rows, 2 UNIQUE, 1 txn`, ops: UNIQUE_ROWS, fresh: true,
      timed(db, warm) {
        db.exec('CREATE TABLE tu(id INTEGER PRIMARY KEY, email TEXT UNIQUE, code INTEGER UNIQUE, v REAL)');
        const ins = db.prepare('INSERT INTO tu(email, code, v) VALUES (?, ?, ?)');
        const n = warm ? UNIQUE_ROWS / 10 : UNIQUE_ROWS;
        const t0 = now();
        insertRows(db, ins, IDX.uniq, n);
        const ms = now() - t0;
        return { ms, check: db.prepare('SELECT count(*) AS n, sum(code) AS sc, max(id) AS mx FROM tu').get() };
      },
    },
  ];
}

// Each workload: { name, ops, modes, fresh: true → timed() gets a fresh db each run; else a populated shared db (db:
// 'idx' → the index workloads' one);
// plan: the query shown with EXPLAIN QUERY PLAN and the indexes it should use }. timed() returns { ms, check } and,
// when the count of ops varies per run, ops.
const WORKLOADS = [
  {
    name: `insert ${ROWS / 1000}k rows, 1 txn`, ops: ROWS, fresh: true,
    timed(db, warm) {
      db.exec(SCHEMA);
      const ins = db.prepare('INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)');
      const n = warm ? ROWS / 10 : ROWS;
      const t0 = now();
      insertRows(db, ins, ROW_DATA, n);
      const ms = now() - t0;
      return { ms, check: db.prepare('SELECT count(*) AS n, sum(x) AS sx FROM t').get() };
    },
  },
  {
    name: `point lookup by rowid (${LOOKUPS / 1000}k)`, ops: LOOKUPS,
    timed(db) {
      const st = db.prepare('SELECT * FROM t WHERE id = ?');
      let acc = 0;
      const t0 = now();
      for (const id of LOOKUP_IDS) acc += st.get(id).x;
      return { ms: now() - t0, check: acc };
    },
  },
  {
    name: 'scan: count/sum/avg', ops: SCAN_QUERIES,
    timed(db, warm) {
      const st = db.prepare('SELECT count(*) AS n, sum(x) AS sx, avg(y) AS ay FROM t');
      let r;
      const t0 = now();
      for (let i = 0; i < (warm ? 1 : SCAN_QUERIES); i++) r = st.get();
      return { ms: now() - t0, check: { n: r.n, sx: r.sx, ay: r.ay.toFixed(6) } };
    },
  },
  {
    name: 'WHERE x>? ORDER BY y LIMIT 100', ops: SCAN_QUERIES,
    timed(db, warm) {
      const st = db.prepare('SELECT id, x, y FROM t WHERE x > ? ORDER BY y LIMIT 100');
      let rows;
      const t0 = now();
      for (let i = 0; i < (warm ? 1 : SCAN_QUERIES); i++) rows = st.all(SORT_THRESHOLD);
      // ties in y can legitimately order differently; compare the y column only
      return { ms: now() - t0, check: rows.map((r) => r.y).join(',') };
    },
  },
  {
    name: `GROUP BY (${GROUPS} groups)`, ops: SCAN_QUERIES,
    timed(db, warm) {
      const st = db.prepare('SELECT g, count(*) AS n, sum(x) AS sx, avg(y) AS ay FROM t GROUP BY g');
      let rows;
      const t0 = now();
      for (let i = 0; i < (warm ? 1 : SCAN_QUERIES); i++) rows = st.all();
      const digest = rows.length + ':' + rows.reduce((a, r) => a + r.g * 3 + r.n * 5 + r.sx, 0);
      return { ms: now() - t0, check: digest };
    },
  },
  {
    // One statement over every row, then back: the rows keep their values for the other workloads.
    name: 'UPDATE every row (x2)', ops: 2 * ROWS,
    timed(db, warm) {
      const up = db.prepare('UPDATE t SET x = x + 1');
      const down = db.prepare('UPDATE t SET x = x - 1');
      const t0 = now();
      const n = up.run().changes + down.run().changes;
      const ms = now() - t0;
      if (warm) return { ms, check: n };
      return { ms, check: { n, sx: db.prepare('SELECT sum(x) AS sx FROM t').get().sx } };
    },
  },
  {
    name: `point UPDATE by rowid (${LOOKUPS / 1000}k x2), 1 txn`, ops: 2 * LOOKUPS,
    timed(db) {
      const up = db.prepare('UPDATE t SET x = x + ? WHERE id = ?');
      const t0 = now();
      const n = pointUpdates(db, up, LOOKUP_IDS);
      return { ms: now() - t0, check: n };
    },
  },
  ...olapWorkloads(now, SCAN_QUERIES),
  {
    // What an app, a CLI or a serverless function pays per start: open the populated file, read its schema and one
    // row, close.
    name: `open a file + first query (x${OPENS})`, ops: OPENS, modes: ['file'],
    timed(db, warm, ctx) {
      const n = warm ? OPENS / 10 : OPENS;
      let acc = 0;
      const t0 = now();
      for (let i = 0; i < n; i++) {
        const conn = ctx.engine.open(ctx.file);
        acc += conn.prepare('SELECT x FROM t WHERE id = ?').get(i + 1).x;
        conn.close();
      }
      return { ms: now() - t0, check: warm ? null : acc };
    },
  },
  ...indexWorkloads(),
  autocommit('FULL', 'fsync per commit'),
  autocommit('NORMAL', 'no fsync'),
];

function runOnce(engine, mode, wl, shared, warm) {
  if (!wl.fresh) return wl.timed(shared.db, warm, { engine, file: shared.file });
  const file = freshPath(mode, engine.name);
  const db = engine.open(file);
  try { return wl.timed(db, warm); } finally { db.close(); removeDb(file); }
}

// V8 collects garbage for the whole process: what one engine's run allocates (sql.js and the wasm build the most)
// starts incremental marking of the heap (~145 MB with every engine's shared data), which runs on through the next
// engine's run, in its thread and in concurrent markers beside it; in the rotation below that next engine is always the
// same one (sql.js's successor lost 30-50% of its UNIQUE-insert rate, whichever engine it was). A full collection
// before every timed run, outside its timing, starts each one on a settled heap (~50-130 ms a run); an engine still
// pays for the collections its own garbage causes within its run.  The old generation must also be swept before the
// run starts, and a full collection alone does not do that: with concurrent sweeping on, V8's sweeper threads go on
// into the run (a 5 ms UPDATE right after it took 12-25 ms); with it off, V8 (Node 20) leaves the pages unswept, and
// the first scavenge after the flag is back on sweeps the whole ~145 MB heap in its pause, inside whichever run first
// fills the young generation (30-100 ms: Lode's file inserts, whose JS side allocates a little more per row than
// better-sqlite3's and so triggered that scavenge where better-sqlite3 did not, came out at 0.72-0.77x where the
// subset gave ~1.1x).  So the settle is a full collection with concurrent sweeping off, then a young-generation
// collection with it on: that one finds sweeping unfinished and no sweeper task running, and sweeps everything itself,
// in its own untimed pause.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
function settleHeap() {
  v8.setFlagsFromString('--no-concurrent-sweeping');
  collectGarbage();
  v8.setFlagsFromString('--concurrent-sweeping');
  collectGarbage({ type: 'minor' });
}

// The engines take turns run by run (in a rotating order), so a burst of load from other processes on this
// machine hits every engine alike instead of one engine's whole series.
function runWorkload(engines, mode, wl, shared) {
  const rates = Object.fromEntries(engines.map((e) => [e.name, []]));
  const checks = {};
  const errors = {};  // an engine that cannot run the workload (SQL it lacks) drops out of it
  for (let run = 0; run <= RUNS; run++) {  // run 0 is the warm-up
    for (let k = 0; k < engines.length; k++) {
      const e = engines[(run + k) % engines.length];
      if (errors[e.name]) continue;
      let res;
      try {
        if (run > 0) settleHeap();
        res = runOnce(e, mode, wl, shared[e.name][wl.db || 'main'], run === 0);
      } catch (err) {
        errors[e.name] = String(err.message || err).split('\n')[0].slice(0, 160);
        continue;
      }
      if (run > 0) rates[e.name].push((res.ops ?? wl.ops) / (res.ms / 1000));
      if (res.check !== null) checks[e.name] = res.check;
    }
  }
  const out = {};
  for (const e of engines) {
    out[e.name] = errors[e.name] ? { opsPerSec: null, error: errors[e.name] }
      : { opsPerSec: median(rates[e.name]), check: checks[e.name] };
  }
  return out;
}

// EXPLAIN QUERY PLAN rows (id, parent, detail) drawn as sqlite3's shell draws them.
function drawPlan(rows) {
  const kids = new Map();
  for (const r of rows) {
    if (!kids.has(r.parent)) kids.set(r.parent, []);
    kids.get(r.parent).push(r);
  }
  const out = ['QUERY PLAN'];
  const walk = (parent, prefix) => {
    const list = kids.get(parent) || [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      out.push(`${prefix}${last ? '`--' : '|--'}${r.detail}`);
      walk(r.id, prefix + (last ? '   ' : '|  '));
    });
  };
  walk(0, '');
  return out.join('\n');
}

// The plans of the workloads that have a query, per engine (where the engine can show one), and whether Lode's
// names every index the workload means to exercise.
function collectPlans(shared, engines) {
  const plans = [];
  for (const wl of WORKLOADS) {
    if (!wl.plan) continue;
    const per = {};
    for (const e of engines) {
      if (e.name === 'lode-wasm' || e.name === 'sql.js') continue;
      try {
        const st = shared[e.name][wl.db || 'main'].db.prepare(`EXPLAIN QUERY PLAN ${wl.plan.sql}`);
        per[e.name] = drawPlan(st.all(...wl.plan.params));
      } catch (err) {
        per[e.name] = `(no plan: ${err.message})`;
      }
    }
    const lode = per.lode || '';
    const uses = wl.plan.indexes.every((ix) => new RegExp(`USING (COVERING )?INDEX ${ix}\\b`).test(lode));
    plans.push({ workload: wl.name, sql: wl.plan.sql, indexes: wl.plan.indexes, uses, per });
  }
  return plans;
}

function fmtOps(v) {
  if (v == null) return '—';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (v >= 10) return v.toFixed(0);
  return v.toFixed(2);
}
function fmtRatio(a, b) {
  if (a == null || b == null) return '—';
  const r = a / b;
  return r >= 10 ? `${r.toFixed(0)}x` : `${r.toFixed(2)}x`;
}

function machineInfo() {
  let cpu = 'unknown';
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch { /* not Linux */ }
  const nproc = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const pkgVersion = (name) =>
    JSON.parse(fs.readFileSync(path.join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
  const bs = new BetterSqlite3(':memory:');
  const sqliteVersion = bs.prepare('SELECT sqlite_version() AS v').get().v;
  bs.close();
  let fsType = '';
  try {
    const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' '));
    let best = null;
    for (const m of mounts) if (m[1] && tmpDir.startsWith(m[1]) && (!best || m[1].length > best[1].length)) best = m;
    if (best) fsType = `${best[2]} on ${best[1]}`;
  } catch { /* ignore */ }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu, nproc, node: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    lode: lodeVersion, betterSqlite3: `${pkgVersion('better-sqlite3')} (SQLite ${sqliteVersion})`,
    turso: pkgVersion('@tursodatabase/database'), tmpDir, fsType,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

const unsupported = [];  // "mode / workload: engine: error" for each engine that could not run a workload

async function main() {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-bench-'));
  const started = now();
  const results = [];  // { workload, mode, perEngine: {name: {opsPerSec, check}} }
  const mismatches = [];
  unsupported.length = 0;
  let plans = [];
  let vector = null;
  let api = null;
  let rss = null;
  try {
    for (const mode of MODES) {
      const engines = ENGINES.filter((e) => mode === 'memory' || !e.memoryOnly);
      const shared = {};
      for (const e of engines) {
        shared[e.name] = {};
        for (const [which, fill] of [['main', populate], ['idx', populateIndex], ['olap', populateOlap]]) {
          const file = freshPath(mode, e.name);
          const db = e.open(file);
          fill(db);
          shared[e.name][which] = { db, file };
        }
      }
      if (mode === 'memory') plans = collectPlans(shared, engines);
      for (const wl of WORKLOADS) {
        if (wl.modes && !wl.modes.includes(mode)) continue;
        if (ONLY && !ONLY.test(wl.name)) continue;
        const perEngine = runWorkload(engines, mode, wl, shared);
        for (const e of engines) {
          process.stderr.write(`  ${mode.padEnd(6)} ${wl.name.padEnd(34)} ${e.name.padEnd(14)} ` +
            `${fmtOps(perEngine[e.name].opsPerSec).padStart(8)} ops/s\n`);
          if (perEngine[e.name].error) unsupported.push(`${mode} / ${wl.name}: ${e.name}: ${perEngine[e.name].error}`);
        }
        const ref = JSON.stringify(perEngine['better-sqlite3'].check);
        for (const e of engines) {
          if (perEngine[e.name].error) continue;
          const got = JSON.stringify(perEngine[e.name].check);
          if (got !== ref) mismatches.push(`${mode} / ${wl.name}: ${e.name} gave ${got.slice(0, 200)}, ` +
            `better-sqlite3 gave ${ref.slice(0, 200)}`);
        }
        results.push({ workload: wl.name, mode, perEngine });
      }
      for (const e of engines) {
        for (const { db, file } of Object.values(shared[e.name])) { db.close(); removeDb(file); }
      }
    }
    if (!argv.includes('--no-api') && !SUBSET) api = await runApiBench({ runs: RUNS });
    if (!argv.includes('--no-vector') && !SUBSET) vector = runVectorBench({ runs: RUNS, wasmSync });
    if (!argv.includes('--no-rss') && !SUBSET) rss = runRssBench();
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const info = machineInfo();
    if (results.length) report(results, mismatches, plans, info, (now() - started) / 1000, vector, api, rss);
  }
}

function report(results, mismatches, plans, info, seconds, vector, api, rss) {
  const header = ['workload', 'db', 'lode', 'lode-wasm', 'better-sqlite3', 'turso', 'sql.js',
    'lode/bs3', 'lode/turso', 'wasm/bs3', 'wasm/sql.js'];
  const rows = results.map(({ workload, mode, perEngine }) => {
    const v = (n) => perEngine[n]?.opsPerSec;
    return [workload, mode === 'memory' ? ':memory:' : 'file', fmtOps(v('lode')), fmtOps(v('lode-wasm')),
      fmtOps(v('better-sqlite3')), fmtOps(v('turso')), fmtOps(v('sql.js')), fmtRatio(v('lode'), v('better-sqlite3')),
      fmtRatio(v('lode'), v('turso')), fmtRatio(v('lode-wasm'), v('better-sqlite3')),
      fmtRatio(v('lode-wasm'), v('sql.js'))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
    .join(' | ') + ' |';
  const sep = '|' + widths.map((w, i) => (i < 2 ? '-'.repeat(w + 1) + '-' : '-'.repeat(w + 1) + ':')).join('|') + '|';
  const table = [line(header), sep, ...rows.map(line)].join('\n');

  const notes = [
    `Median of ${RUNS} timed runs after 1 shorter warm-up run, engines taking turns run by run, ` +
      'a full garbage collection (untimed) before each timed run; ops/s (higher is better). An op is one inserted row ' +
      `(insert, autocommit), one updated row (UPDATE), one lookup, or one query (scan, sort, GROUP BY: each query reads all ${ROWS} rows).`,
    'Ratios are ops/s of Lode divided by ops/s of the other engine: > 1 means Lode is faster.',
    'All engines run in this one Node process through synchronous APIs: lodedb/compat (native addon), ' +
      'lodedb/wasm SyncDatabase (wasm build; in Node its files are real files through node:fs, without locks), better-sqlite3, ' +
      'Turso through its sync entry point @tursodatabase/database/compat (not the promise API), and sql.js ' +
      '(SQLite compiled to wasm by the sql.js project, :memory: only, rows from its getAsObject()).',
    'File databases: a fresh file in a temp dir; all three native engines in WAL mode with synchronous=FULL ' +
      '(the Lode and Turso defaults; better-sqlite3 is switched to WAL, and to FULL because its build makes WAL ' +
      'default to NORMAL). The insert workloads use a fresh db per run; the read workloads share one db ' +
      'populated once per engine.',
    `Page cache: every engine gets PRAGMA cache_size = ${CACHE_SIZE} right after it opens a database ` +
      `(better-sqlite3's build default, SQLITE_DEFAULT_CACHE_SIZE=-16000; Lode's default is SQLite's -2000). ` +
      'Read back: ' + Object.entries(CACHE_SIZE_SEEN).map(([n, v]) => `${n} ${v}`).join(', ') + '.',
    `Autocommit workloads (${AUTOCOMMIT_ROWS} single-row INSERTs, each its own transaction, file db only): with ` +
      'synchronous=FULL every commit fsyncs the WAL, so this row measures fsync latency of the disk ' +
      `(${info.fsType || 'unknown fs'}) more than the engine; synchronous=NORMAL (set on every engine) skips ` +
      'that fsync and shows the per-commit CPU and write cost.',
    `Index workloads: table ti (${IDX_ROWS} rows; indexes ti_x(x), ti_ab(a, b), ti_k(k) on a TEXT key), big ` +
      `(${CI_ROWS} rows), customers/orders/items (${CUSTOMERS}/${ORDERS}/${ORDERS * ITEMS_PER_ORDER} rows, indexes ` +
      'orders(cid), items(oid)), keys in random order, no ANALYZE. CREATE INDEX: one op = one row indexed; each run ' +
      `builds big_k on big(k) and drops it untimed (${CI_ROWS / 1000}k rows rather than 1M: 1M took 3-5 s per run ` +
      'in Lode and Turso). The query workloads: one op = one query, up to ' +
      `${IDX_QUERIES} per run, fewer when an engine's run passes ${QUERY_BUDGET_MS} ms (a plan that scans), at ` +
      `least ${MIN_QUERIES}; the result check compares the first ${MIN_QUERIES}. UNIQUE insert: one op = one row ` +
      'into a fresh table with two UNIQUE columns (TEXT and INTEGER), rowids from NewRowid.',
  ];
  notes.push(olapNote(), `Open: one op = open the populated file, read one row by rowid, close (${OPENS} per ` +
    'run); the file is also open in the engine\'s shared connection, as a second process would find it.');
  const checks = mismatches.length
    ? ['Result mismatches against better-sqlite3:', ...mismatches.map((m) => `- ${m}`)]
    : ['Result check: every engine returned the same results as better-sqlite3 for every workload it ran.'];
  if (unsupported.length) checks.push('', 'Workloads an engine could not run (shown as —):',
    ...unsupported.map((u) => `- ${u}`));

  const planLines = ['## Query plans of the index workloads (EXPLAIN QUERY PLAN, :memory:)', ''];
  for (const pl of plans) {
    planLines.push(`### ${pl.workload}`, '',
      `\`${pl.sql}\` — meant to use ${pl.indexes.join(', ')}; Lode's plan ` +
        (pl.uses ? 'does.' : '**does not**.'), '');
    for (const [name, text] of Object.entries(pl.per)) planLines.push(`${name}:`, '```', text, '```');
    planLines.push('');
  }
  const planMisses = plans.filter((pl) => !pl.uses).map((pl) => pl.workload);

  console.log('\n' + table + '\n');
  if (api) console.log('\n' + apiMarkdown(api));
  if (rss) console.log('\n' + rssMarkdown(rss) + '\n');
  for (const n of notes) console.log('* ' + n);
  console.log(checks.join('\n'));
  console.log(planMisses.length ? `Lode's plan does not use the intended index for: ${planMisses.join('; ')}`
    : 'Lode\'s plans use the intended index for every index workload.');
  console.log(`\n${info.date}  ${info.cpu} x${info.nproc}  node ${info.node}  lode ${info.lode}  ` +
    `better-sqlite3 ${info.betterSqlite3}  @tursodatabase/database ${info.turso}  (${seconds.toFixed(0)} s)`);

  if (argv.includes('--no-write') || SUBSET) return;
  const md = [
    '# Lode benchmarks',
    '',
    'Generated by `npm run bench` (`node bench/run.mjs`).',
    '',
    table,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    ...checks,
    '',
    planMisses.length ? `Lode's plan does not use the intended index for: ${planMisses.join('; ')}.`
      : 'Lode\'s plans use the intended index for every index workload.',
    '',
    '## Machine and versions',
    '',
    `- Date: ${info.date} (run took ${seconds.toFixed(0)} s)`,
    `- CPU: ${info.cpu}; nproc: ${info.nproc}`,
    `- OS: ${info.platform}; temp dir filesystem: ${info.fsType || 'unknown'}`,
    `- Load average (1/5/15 min) at the end of the run: ${info.load} — other processes share the cores`,
    `- Node: ${info.node}`,
    `- lodedb: ${info.lode}`,
    `- better-sqlite3: ${info.betterSqlite3}`,
    `- @tursodatabase/database: ${info.turso}`,
    '',
  ];
  const extra = path.join(here, 'results-notes.md');
  if (fs.existsSync(extra)) md.push(fs.readFileSync(extra, 'utf8'));
  if (api) md.push(apiMarkdown(api), '');
  if (rss) md.push(rssMarkdown(rss), '');
  if (vector) md.push(vectorMarkdown(vector), '');
  md.push(...planLines);
  fs.writeFileSync(path.join(here, 'results.md'), md.join('\n'));
  console.log(`wrote ${path.join(here, 'results.md')}`);
}

await main();
