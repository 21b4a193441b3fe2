// bench/crypt.mjs — encrypted databases, Lode against Turso (@tursodatabase/database), cipher by cipher.
//
// One command: `npm run --silent bench:crypt` (builds the addon if it is missing, then runs this file).
// Prints the machine's state (load average, CPU, AES-NI), then one table of ratios Lode/Turso per cipher for
// two write and two read workloads, one of Lode's cipher overhead (each encrypted run paired with a plaintext
// run of Lode right after it), and below them the ops/s behind them.
//
// Files on disk (a temporary folder), synchronous APIs (lodedb/compat, @tursodatabase/database/compat).
// Workloads: insert (ROWS rows in one transaction), commit (one small transaction per op, synchronous = OFF
// so that the disk's sync does not hide the cipher), point read and full scan through a fresh connection
// with a 100-page cache (--cache N), so that pages are read and decrypted again.
//
// Fairness on a shared machine: every run measures the two engines on the same cipher back to back, in
// alternating order, and a ratio is taken within that pair; the table shows the median of the paired ratios
// and their range, so that load that changes over the minutes of a run moves both sides of a ratio alike.
//
// Clock: CPU time of the process by default, which a loaded machine disturbs far less than the wall clock
// (with synchronous = OFF and files in the page cache there is little I/O to wait for); --clock wall for
// the wall clock on a quiet machine.
//
// Usage: node bench/crypt.mjs [--rows N] [--runs N] [--ciphers a,b,...] [--clock cpu|wall] [--cache PAGES]
//                             [--lode-locking exclusive|normal]
// (a benchmark, not a timed test)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database as TursoDatabase } from '@tursodatabase/database/compat';
import LodeDatabase from '../js/compat.mjs';

const argv = process.argv.slice(2);
const argOf = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const ROWS = Number(argOf('--rows', 20000)), RUNS = Number(argOf('--runs', 5)), COMMITS = 300, READS = 20000, SCANS = 20;
const KEY_BYTES = {
  none: 0, aegis256: 32, aegis256x2: 32, aegis256x4: 32, aegis128l: 16, aegis128x2: 16, aegis128x4: 16,
  aes256gcm: 32, aes128gcm: 16,
};
const CLOCK = argOf('--clock', 'cpu'), CACHE = Number(argOf('--cache', 100));
const CIPHERS = argOf('--ciphers', Object.keys(KEY_BYTES).join(',')).split(',');
const WORK = ['insert', 'commit', 'point', 'scan']; // writes, then reads
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-crypt-bench-'));

// Like with like: a Turso connection locks its file for its whole life (a second process cannot open it:
// "File is locked by another process"; PRAGMA locking_mode reads back "exclusive") and always writes a WAL.
// Lode's defaults are SQLite's WAL locking, a lock taken and dropped around every transaction so that other
// processes (sqlite3 among them) can share the file; on this VM each lock or unlock is a system call of ~1.5 us, twice
// the engine's own work for a cached point read. So Lode runs here as Turso always does, WAL with the file
// held (PRAGMA locking_mode = EXCLUSIVE); --lode-locking normal measures Lode's defaults instead.
const LODE_LOCKING = argOf('--lode-locking', 'exclusive');
function openDb(engine, file, cipher) {
  const opts = cipher === 'none' ? {} : { encryption: { cipher, hexkey: 'ab'.repeat(KEY_BYTES[cipher]) } };
  if (engine !== 'lode') return new TursoDatabase(file, opts);
  const db = new LodeDatabase(file, opts);
  if (LODE_LOCKING === 'exclusive') {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = WAL');
  }
  return db;
}

// Seconds of the process's CPU time (user + system, every thread: both engines run the work in the calling
// thread) or of the wall clock.
function clock() {
  if (CLOCK === 'wall') return Number(process.hrtime.bigint()) / 1e9;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function time(fn, ops) {
  const t = clock();
  fn();
  return ops / Math.max(clock() - t, 1e-6);
}

// Turso keeps a cache of 200 pages at least (PRAGMA cache_size reads back 200 after 100): each engine then
// reads with the cache the other one really has, so that both decrypt pages as often.
const effectiveCache = {};
const cacheFor = () => Math.max(CACHE, ...Object.values(effectiveCache));

function once(engine, cipher, run) {
  const file = path.join(dir, `${engine}-${cipher}-${run}.db`);
  let db = openDb(engine, file, cipher);
  db.exec('PRAGMA synchronous = OFF');
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT)');
  const ins = db.prepare('INSERT INTO t(a, b) VALUES (?, ?)');
  const r = {};
  r.insert = time(() => {
    db.exec('BEGIN');
    for (let i = 0; i < ROWS; i++) ins.run(i * 7 % 1000, 'payload-' + i + '-'.repeat(i % 40));
    db.exec('COMMIT');
  }, ROWS);
  r.commit = time(() => {
    for (let i = 0; i < COMMITS; i++) ins.run(i, 'c' + i);
  }, COMMITS);
  db.close();
  db = openDb(engine, file, cipher);
  db.exec(`PRAGMA cache_size = ${cacheFor(engine)}`);
  const got = Number(Object.values(db.prepare('PRAGMA cache_size').get())[0]);
  if (got !== cacheFor(engine)) effectiveCache[engine] = got;
  const get = db.prepare('SELECT b FROM t WHERE id = ?');
  r.point = time(() => {
    for (let i = 0; i < READS; i++) get.get(1 + (i * 7919) % ROWS);
  }, READS);
  const scan = db.prepare('SELECT count(*), sum(length(b)) FROM t');
  const n = scan.get();
  if (Number(Object.values(n)[0]) !== ROWS + COMMITS) throw new Error(`${engine} ${cipher}: wrong row count`);
  r.scan = time(() => {
    for (let i = 0; i < SCANS; i++) scan.get();
  }, SCANS);
  db.close();
  for (const f of fs.readdirSync(dir)) if (f.startsWith(path.basename(file))) fs.rmSync(path.join(dir, f));
  return r;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let aesni = 'unknown';
  try {
    aesni = /\baes\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8')) ? 'yes' : 'no';
  } catch {}
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  return `${cpu}, ${os.cpus().length} cores, AES-NI ${aesni}, load average ${load}, Node ${process.version}`;
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const fmt = (x) => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));

const before = machine();
const ops = {}; // `${engine}/${cipher}` → { work: [ops/s per run] }
const ratios = {}; // cipher → { work: [lode/turso per run] }
const overheads = {}; // cipher → { work: [1 - lode encrypted / lode plaintext, per pair of runs] }
// The first runs of a process pay for compiling the JS of both bindings and for growing the heap: without
// these rounds the first cipher of the list (plaintext) came out ~2x slower than the next ones on both engines.
for (let i = 0; i < 3; i++) for (const engine of ['lode', 'turso']) once(engine, 'none', 'warm');
for (const cipher of CIPHERS) {
  try {
    once('lode', cipher, 'warm');
    once('turso', cipher, 'warm');
  } catch (e) {
    console.error(`${cipher}: ${e.message} (left out)`);
    continue;
  }
  ratios[cipher] = Object.fromEntries(WORK.map((w) => [w, []]));
  for (const engine of ['lode', 'turso']) ops[`${engine}/${cipher}`] = Object.fromEntries(WORK.map((w) => [w, []]));
  if (cipher !== 'none') overheads[cipher] = Object.fromEntries(WORK.map((w) => [w, []]));
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 ? ['turso', 'lode'] : ['lode', 'turso'];
    const got = {};
    for (const engine of order) got[engine] = once(engine, cipher, run);
    for (const w of WORK) {
      ratios[cipher][w].push(got.lode[w] / got.turso[w]);
      for (const engine of order) ops[`${engine}/${cipher}`][w].push(got[engine][w]);
    }
    if (!overheads[cipher]) continue;
    // Lode's plaintext right after its encrypted run: a pair minutes of load cannot split.
    const plain = once('lode', 'none', `plain-${run}`);
    for (const w of WORK) overheads[cipher][w].push(1 - got.lode[w] / plain[w]);
  }
}
fs.rmSync(dir, { recursive: true, force: true });

console.log(`bench/crypt.mjs: ${ROWS} rows, ${RUNS} paired runs per cipher, ${CLOCK === 'wall' ? 'wall clock' : 'CPU time'}, reads with cache_size ${cacheFor()}${cacheFor() !== CACHE ? ` (${CACHE} asked; ${Object.entries(effectiveCache).map(([e, n]) => `${e} keeps ${n}`).join(', ')})` : ''}`);
console.log(`Lode: ${LODE_LOCKING === 'exclusive' ? 'WAL, locking_mode EXCLUSIVE (as Turso)' : 'its defaults (WAL, locking_mode NORMAL)'}; Turso: WAL, file locked while open`);
console.log(`machine at start: ${before}`);
console.log(`machine at end:   ${machine()}\n`);
console.log('Lode/Turso, median of paired runs (range); above 1 Lode is faster\n');
console.log('| cipher | insert (write) | commit (write) | point read | full scan |');
console.log('|---|---:|---:|---:|---:|');
for (const [cipher, r] of Object.entries(ratios)) {
  const cell = (xs) => `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  console.log(`| ${cipher} | ${WORK.map((w) => cell(r[w])).join(' | ')} |`);
}
console.log("\nLode's cipher overhead, 1 - encrypted/plaintext, each encrypted run paired with a plaintext run right after it;");
console.log('median of the pairs (range); the target is 15% at most for AEGIS\n');
console.log('| cipher | insert (write) | commit (write) | point read | full scan |');
console.log('|---|---:|---:|---:|---:|');
for (const [cipher, r] of Object.entries(overheads)) {
  const pct = (x) => `${(x * 100).toFixed(0)}%`;
  const cell = (xs) => `${pct(median(xs))} (${pct(Math.min(...xs))} to ${pct(Math.max(...xs))})`;
  console.log(`| ${cipher} | ${WORK.map((w) => cell(r[w])).join(' | ')} |`);
}
console.log('\nops/s, median of runs; overhead = 1 - encrypted/plaintext of the same engine (medians of different minutes)\n');
console.log('| engine/cipher | ' + WORK.map((w) => `${w} | ovh`).join(' | ') + ' |');
console.log('|---|' + WORK.map(() => '---:|---:').join('|') + '|');
for (const engine of ['lode', 'turso']) {
  for (const cipher of Object.keys(ratios)) {
    const r = ops[`${engine}/${cipher}`], base = ops[`${engine}/none`];
    const cells = WORK.map((w) => {
      const m = median(r[w]);
      return `${fmt(m)} | ${base ? ((1 - m / median(base[w])) * 100).toFixed(0) + '%' : ''}`;
    });
    console.log(`| ${engine}/${cipher} | ${cells.join(' | ')} |`);
  }
}
