// bench/wasm-hot.mjs — a quick look at the wasm build's weakest workloads of bench/run.mjs: lodedb/wasm's
// SyncDatabase against sql.js, and the native addon against better-sqlite3 (the ratio the wasm build's is to be
// read against: the same engine and the same SQLite, native), :memory: only, the same rows and SQL as run.mjs, plus
// bench/api.mjs's all() and iterate() over 10k rows. It exists to measure one change to the wasm build or its JS
// glue in a minute instead of the full
// bench's several; profile a run with `node --cpu-prof bench/wasm-hot.mjs --engines wasm --only Q6` (a build
// with LODE_WASM_PROFILE=1 sh wasm/build.sh keeps the wasm function names in the profile).
//
// Times are the process's CPU time (user + system), not wall-clock time: on a machine shared with other jobs a
// process that waits for a core is not charged for the wait (--wall measures wall-clock time instead). Each
// workload reports its best timed run: interference from other jobs only ever slows a run down.
//
// --build DIR (repeatable) adds the wasm build in DIR (sh wasm/build.sh DIR, e.g. with other LODE_WASM_CFLAGS) as
// one more engine in the same process, so that two builds are compared run by run under the same load.
// --build DIR@FILE drives that build with the createWasmDriver of FILE (a copy of js/wasm-driver.mjs kept in js/,
// for its imports) instead: two versions of the JS driver compared the same way.
//
// Findings and a before/after table: bench/wasm-hot.md.
//
// --profile N samples the timed runs only (node:inspector's CPU profiler around each timed() call) and prints, per
// workload and engine, the N functions with the most self time (a build made with LODE_WASM_PROFILE=1 names the
// wasm functions). The profiler's overhead slows every engine down: do not read rates from such a run.
//
// Usage: node bench/wasm-hot.mjs [--runs N] [--only REGEX] [--engines wasm,sql.js,native,bs3] [--build DIR[@FILE]]...
//        [--wall]
//        [--profile N]
import inspector from 'node:inspector';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as core from '../js/core.mjs';
import { makeError } from '../js/errors.mjs';
import { createWasmDriver } from '../js/wasm-driver.mjs';
import { insertRows, pointUpdates, tRows, uniqueRows, X_RANGE, xorshift } from './data.mjs';
import { olapWorkloads, populateOlap } from './olap.mjs';
import { loadSqlJs, SqlJsDatabase } from './sqljs.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const RUNS = Number(arg('--runs', 5));
const ONLY = arg('--only') ? new RegExp(arg('--only'), 'i') : null;
const WANT = arg('--engines', 'wasm,sql.js,native,bs3').split(',');
const BUILDS = argv.flatMap((a, i) => (a === '--build' ? [argv[i + 1]] : []));
const ROWS = 100_000;
const LOOKUPS = 20_000;
const SCAN = 10_000; // rows of all() and iterate(), as in bench/api.mjs
const UNIQUE_ROWS = ROWS / 2;
const CI_ROWS = 200_000; // rows of big, which CREATE INDEX indexes (as in run.mjs)
const PROFILE_TOP = Number(arg('--profile', 0));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const now = argv.includes('--wall') ? () => Number(process.hrtime.bigint()) / 1e6 : cpuMs;

const ROW_DATA = tRows(ROWS);
const LOOKUP_IDS = Array.from({ length: LOOKUPS }, (_, i) => ((i * 7919) % ROWS) + 1);
const UNIQ = uniqueRows(UNIQUE_ROWS);
const SCHEMA = 'CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT)';
// run.mjs's table big: TEXT keys in random order.
const BIG = (() => {
  const next = xorshift(0x9e3779b9);
  return Array.from({ length: CI_ROWS }, (_, i) => [i + 1, `${next().toString(36)}-${i}`, next() % X_RANGE]);
})();

// run.mjs gives every engine this page cache (better-sqlite3's build default).
const withCache = (db) => {
  db.exec('PRAGMA cache_size = -16000');
  return db;
};

function populate(db) {
  db.exec(SCHEMA);
  const ins = db.prepare('INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)');
  db.exec('BEGIN');
  for (const r of ROW_DATA) ins.run(...r);
  db.exec('COMMIT');
}

function populateBig(db) {
  db.exec('CREATE TABLE big(id INTEGER PRIMARY KEY, k TEXT, x INTEGER)');
  const ins = db.prepare('INSERT INTO big(id, k, x) VALUES (?, ?, ?)');
  insertRows(db, ins, BIG, BIG.length);
}

const POPULATE = { main: populate, olap: populateOlap, big: populateBig };

const engines = [];
if (WANT.includes('wasm')) {
  const { SyncDatabase } = await import('../js/wasm.mjs');
  engines.push({ name: 'wasm', open: () => new SyncDatabase(':memory:') });
}
if (WANT.includes('sql.js') && await loadSqlJs()) engines.push({ name: 'sql.js', open: () => new SqlJsDatabase() });
if (WANT.includes('native')) {
  try {
    const { default: Native } = await import('../js/compat.mjs');
    engines.push({ name: 'native', open: () => new Native(':memory:') });
  } catch (e) {
    console.error(`native addon unavailable (${e.message.split('\n')[0]})`);
  }
}

if (WANT.includes('bs3')) {
  try {
    const { default: Bs3 } = await import('better-sqlite3');
    engines.push({ name: 'bs3', open: () => new Bs3(':memory:') });
  } catch (e) {
    console.error(`better-sqlite3 unavailable (${e.message.split('\n')[0]})`);
  }
}

for (const build of BUILDS) {
  const [dir, driverFile] = build.split('@');
  const { default: factory } = await import(pathToFileURL(path.resolve(dir, 'lode.mjs')).href);
  const makeDriver = driverFile
    ? (await import(pathToFileURL(path.resolve(driverFile)).href)).createWasmDriver : createWasmDriver;
  const driver = makeDriver(await factory({}), makeError);
  class Db extends core.Database {
    constructor(file) {
      super(driver, file, {}, false);
    }
  }
  const name = path.basename(path.resolve(dir)) + (driverFile ? `@${path.basename(driverFile, '.mjs')}` : '');
  engines.push({ name, open: () => new Db(':memory:') });
}

const olap = Object.fromEntries(olapWorkloads(now, 2).map((w) => [w.name, w]));
const fromOlap = (name, short) => ({ ...olap[name], name: short, db: olap[name].db });

// { name, ops, fresh (a new db per run), db ('main' | 'olap'), timed(db, warm) → { ms, check } }
const WORKLOADS = [
  {
    name: 'insert 100k, 1 txn', ops: ROWS, fresh: true,
    timed(db, warm) {
      db.exec(SCHEMA);
      const ins = db.prepare('INSERT INTO t(id, x, y, g, s) VALUES (?, ?, ?, ?, ?)');
      const n = warm ? ROWS / 10 : ROWS;
      const t0 = now();
      insertRows(db, ins, ROW_DATA, n);
      return { ms: now() - t0, check: db.prepare('SELECT count(*) AS n, sum(x) AS sx FROM t').get().sx };
    },
  },
  {
    name: 'point lookup 20k', ops: LOOKUPS, db: 'main',
    timed(db) {
      const st = db.prepare('SELECT * FROM t WHERE id = ?');
      let acc = 0;
      const t0 = now();
      for (const id of LOOKUP_IDS) acc += st.get(id).x;
      return { ms: now() - t0, check: acc };
    },
  },
  {
    // bench/api.mjs's all() and iterate() workloads: rows made by the driver.
    name: 'all() 10k rows', ops: 10 * SCAN, db: 'main',
    timed(db) {
      const st = db.prepare(`SELECT id, x, y, s FROM t WHERE id <= ${SCAN}`);
      let acc = 0;
      const t0 = now();
      for (let i = 0; i < 10; i++) for (const r of st.all()) acc += r.x;
      return { ms: now() - t0, check: acc };
    },
  },
  {
    name: 'iterate() 10k rows', ops: 10 * SCAN, db: 'main',
    timed(db) {
      const st = db.prepare(`SELECT id, x, y, s FROM t WHERE id <= ${SCAN}`);
      let acc = 0;
      const t0 = now();
      for (let i = 0; i < 10; i++) for (const r of st.iterate()) acc += r.x;
      return { ms: now() - t0, check: acc };
    },
  },
  {
    name: 'scan count/sum/avg', ops: 2, db: 'main',
    timed(db) {
      const st = db.prepare('SELECT count(*) AS n, sum(x) AS sx, avg(y) AS ay FROM t');
      let r;
      const t0 = now();
      for (let i = 0; i < 2; i++) r = st.get();
      return { ms: now() - t0, check: r.sx };
    },
  },
  {
    name: 'GROUP BY (1000 groups)', ops: 2, db: 'main',
    timed(db) {
      const st = db.prepare('SELECT g, count(*) AS n, sum(x) AS sx, avg(y) AS ay FROM t GROUP BY g');
      let rows;
      const t0 = now();
      for (let i = 0; i < 2; i++) rows = st.all();
      return { ms: now() - t0, check: rows.reduce((a, r) => a + r.sx, 0) };
    },
  },
  {
    name: 'WHERE x>? ORDER BY y LIMIT', ops: 2, db: 'main',
    timed(db) {
      const st = db.prepare('SELECT id, x, y FROM t WHERE x > ? ORDER BY y LIMIT 100');
      let rows;
      const t0 = now();
      for (let i = 0; i < 2; i++) rows = st.all(X_RANGE / 2);
      return { ms: now() - t0, check: rows.map((r) => r.y).join(',') };
    },
  },
  {
    name: 'UPDATE all x2', ops: 2 * ROWS, db: 'main',
    timed(db) {
      const up = db.prepare('UPDATE t SET x = x + 1');
      const down = db.prepare('UPDATE t SET x = x - 1');
      const t0 = now();
      const n = up.run().changes + down.run().changes;
      return { ms: now() - t0, check: n };
    },
  },
  {
    name: 'point UPDATE 20k x2', ops: 2 * LOOKUPS, db: 'main',
    timed(db) {
      const up = db.prepare('UPDATE t SET x = x + ? WHERE id = ?');
      const t0 = now();
      const n = pointUpdates(db, up, LOOKUP_IDS);
      return { ms: now() - t0, check: n };
    },
  },
  fromOlap("LIKE '%…%' scan", 'LIKE scan'),
  fromOlap('window: running sum per group', 'window'),
  fromOlap('JSON: json_extract filter + sum', 'JSON'),
  fromOlap('TPC-H Q1 (pricing summary)', 'Q1'),
  fromOlap('TPC-H Q6 (forecast revenue)', 'Q6'),
  {
    name: 'UNIQUE insert 50k', ops: UNIQUE_ROWS, fresh: true,
    timed(db, warm) {
      db.exec('CREATE TABLE tu(id INTEGER PRIMARY KEY, email TEXT UNIQUE, code INTEGER UNIQUE, v REAL)');
      const ins = db.prepare('INSERT INTO tu(email, code, v) VALUES (?, ?, ?)');
      const n = warm ? UNIQUE_ROWS / 10 : UNIQUE_ROWS;
      const t0 = now();
      insertRows(db, ins, UNIQ, n);
      return { ms: now() - t0, check: db.prepare('SELECT sum(code) AS sc FROM tu').get().sc };
    },
  },
  {
    // Builds the index and drops it afterwards (untimed), as run.mjs does.
    name: 'CREATE INDEX 200k TEXT', ops: CI_ROWS, db: 'big',
    timed(db) {
      const t0 = now();
      db.exec('CREATE INDEX big_k ON big(k)');
      const ms = now() - t0;
      const check = db.prepare(`SELECT k FROM big ORDER BY k LIMIT 1 OFFSET ${CI_ROWS / 2}`).get().k;
      db.exec('DROP INDEX big_k');
      return { ms, check };
    },
  },
].filter((w) => !ONLY || ONLY.test(w.name));

const needs = new Set(WORKLOADS.filter((w) => !w.fresh).map((w) => w.db));
const shared = {};
for (const e of engines) {
  shared[e.name] = {};
  for (const which of needs) {
    const db = withCache(e.open());
    POPULATE[which](db);
    shared[e.name][which] = db;
  }
}

// --profile: self time by function, summed over the timed runs of one workload, per engine.
const session = PROFILE_TOP ? new inspector.Session() : null;
const selfTimes = {};
function post(method, params) {
  let out;
  session.post(method, params, (err, r) => {
    if (err) throw err;
    out = r;
  });
  return out; // a session on the main thread answers synchronously
}
if (session) {
  session.connect();
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: 200 });
}
function profiled(engine, fn) {
  post('Profiler.start');
  try {
    return fn();
  } finally {
    const { profile } = post('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = (selfTimes[engine] ??= new Map());
    profile.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      if (f.functionName === 'dispatch' && !f.url) return; // the inspector's own call (Profiler.stop)
      const key = `${f.functionName || '(anonymous)'} ${f.url ? path.basename(f.url) : ''}`.trim();
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
  }
}
function printProfiles(workload) {
  for (const [engine, self] of Object.entries(selfTimes)) {
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`-- ${workload}, ${engine}: self time of ${(total / 1000).toFixed(0)} ms`);
    for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, PROFILE_TOP))
      console.log(`${(100 * t / total).toFixed(1).padStart(6)}%  ${k}`);
    self.clear();
  }
}

const pad = (s, n) => String(s).padEnd(n);
const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(1));
const W = Math.max(10, ...engines.map((e) => e.name.length + 2));
const extra = engines.filter((e) => BUILDS.length && !['wasm', 'sql.js', 'native', 'bs3'].includes(e.name));
console.log(`${pad('workload', 28)}${engines.map((e) => pad(e.name, W)).join('')}wasm/sql.js  native/bs3  wasm/native` +
  `${extra.map((e) => `  ${e.name}/wasm`).join('')}`);
for (const wl of WORKLOADS) {
  const rates = Object.fromEntries(engines.map((e) => [e.name, []]));
  const checks = {};
  for (let run = 0; run <= RUNS; run++) {
    for (let k = 0; k < engines.length; k++) {
      const e = engines[(run + k) % engines.length];
      const db = wl.fresh ? withCache(e.open()) : shared[e.name][wl.db];
      const res = run > 0 && PROFILE_TOP ? profiled(e.name, () => wl.timed(db, false)) : wl.timed(db, run === 0);
      if (wl.fresh) db.close();
      if (run > 0) rates[e.name].push(wl.ops / (res.ms / 1000));
      checks[e.name] = JSON.stringify(res.check);
    }
  }
  const med = Object.fromEntries(engines.map((e) => [e.name, Math.max(...rates[e.name])]));
  const ratio = (a, b) => (med[a] && med[b] ? (med[a] / med[b]).toFixed(2) : '—');
  const differ = new Set(Object.values(checks)).size > 1 ? '  (results differ!)' : '';
  if (PROFILE_TOP) printProfiles(wl.name);
  console.log(`${pad(wl.name, 28)}${engines.map((e) => pad(fmt(med[e.name]), W)).join('')}` +
    `${pad(ratio('wasm', 'sql.js'), 13)}${pad(ratio('native', 'bs3'), 12)}${pad(ratio('wasm', 'native'), 11)}` +
    `${extra.map((e) => pad(`  ${ratio(e.name, 'wasm')}`, e.name.length + 7)).join('')}${differ}`);
}
for (const e of engines) for (const db of Object.values(shared[e.name])) db.close();
