// bench/crypt.mjs — encryption at rest: each cipher against a plaintext database, in Lode and in Turso.
//
// Files on disk (a temporary folder), synchronous APIs (lodedb/compat, @tursodatabase/database/compat).
// Workloads: insert (rows in one transaction), commit (one small transaction per op, synchronous=OFF so the
// disk's sync does not hide the cipher), point read and full scan after the page cache is dropped (a fresh
// connection with a small cache, so pages are decrypted again).  Reported: ops/s medians of RUNS runs, the
// overhead of each cipher against the same engine's plaintext, and Lode/Turso for the same cipher.
//
// Usage: node bench/crypt.mjs [--rows N] [--runs N]    (prints a markdown table; not a timed test)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database as TursoDatabase } from '@tursodatabase/database/compat';
import LodeDatabase from '../js/compat.mjs';

const argv = process.argv.slice(2);
const argOf = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const ROWS = argOf('--rows', 20000), RUNS = argOf('--runs', 3), COMMITS = 300, READS = 5000;
const CIPHERS = {
  none: 0, aegis256: 32, aegis256x2: 32, aegis256x4: 32, aegis128l: 16, aegis128x2: 16, aegis128x4: 16,
  aes256gcm: 32, aes128gcm: 16,
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-crypt-bench-'));

function openDb(engine, file, cipher) {
  const opts = cipher === 'none' ? {} : { encryption: { cipher, hexkey: 'ab'.repeat(CIPHERS[cipher]) } };
  return engine === 'lode' ? new LodeDatabase(file, opts) : new TursoDatabase(file, opts);
}

function time(fn, ops) {
  const t = process.hrtime.bigint();
  fn();
  return ops / (Number(process.hrtime.bigint() - t) / 1e9);
}

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
  db.exec('PRAGMA cache_size = 100');
  const get = db.prepare('SELECT b FROM t WHERE id = ?');
  r.point = time(() => {
    for (let i = 0; i < READS; i++) get.get(1 + (i * 7919) % ROWS);
  }, READS);
  const scan = db.prepare('SELECT count(*), sum(length(b)) FROM t');
  r.scan = time(() => {
    for (let i = 0; i < 5; i++) scan.get();
  }, 5);
  db.close();
  return r;
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const results = {};
for (const engine of ['lode', 'turso']) {
  for (const cipher of Object.keys(CIPHERS)) {
    const runs = [];
    try {
      once(engine, cipher, 'warm');
      for (let i = 0; i < RUNS; i++) runs.push(once(engine, cipher, i));
    } catch (e) {
      console.error(`${engine} ${cipher}: ${e.message}`);
      continue;
    }
    results[`${engine}/${cipher}`] = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((x) => x[k]))]));
  }
}
fs.rmSync(dir, { recursive: true, force: true });

const W = ['insert', 'commit', 'point', 'scan'];
const fmt = (x) => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));
console.log(`rows ${ROWS}, runs ${RUNS} (median ops/s; overhead = 1 - encrypted/plaintext of the same engine)\n`);
console.log('| engine/cipher | ' + W.map((w) => `${w} ops/s | overhead`).join(' | ') + ' | Lode/Turso (insert, point, scan) |');
console.log('|---|' + W.map(() => '---:|---:').join('|') + '|---|');
for (const [name, r] of Object.entries(results)) {
  const [engine, cipher] = name.split('/');
  const base = results[`${engine}/none`];
  const cells = W.map((w) => `${fmt(r[w])} | ${base ? ((1 - r[w] / base[w]) * 100).toFixed(0) + '%' : ''}`);
  const t = results[`turso/${cipher}`];
  const vs = engine === 'lode' && t ? ['insert', 'point', 'scan'].map((w) => (r[w] / t[w]).toFixed(2) + 'x').join(', ') : '';
  console.log(`| ${name} | ${cells.join(' | ')} | ${vs} |`);
}
