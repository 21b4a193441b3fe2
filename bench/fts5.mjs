// FTS5 speed (not a test, not part of npm test): the same generated corpus in an fts5 table, Lode (native
// addon, better-sqlite3-compatible API) vs better-sqlite3 (SQLite 3.5x), in one process.  Workloads: build
// (inserts of FTS5_BENCH_DOCS documents in one transaction), point queries (a rare term), phrase queries
// (two adjacent words a document holds; a rare word next to a frequent one), AND of a rare and a frequent
// term, and the top 10 by bm25 of a frequent term.  Query times are medians of FTS5_BENCH_REPS rounds
// (default 5), each round running every query of its kind once.
// Usage: node bench/fts5.mjs   (FTS5_BENCH_DOCS, default 100000)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import LodeDatabase from '../js/compat.mjs';

const N = Number(process.env.FTS5_BENCH_DOCS || 100000);
const REPS = Number(process.env.FTS5_BENCH_REPS || 5);
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const vocab = Array.from({ length: 20000 }, (_, i) => 'w' + i.toString(36));
const word = () => vocab[Math.floor(Math.pow(rand(), 3) * vocab.length)];
const docs = Array.from({ length: N }, (_, i) => [i + 1, Array.from({ length: 6 }, word).join(' '),
  Array.from({ length: 60 }, word).join(' ')]);
const rare = Array.from({ length: 50 }, (_, i) => vocab[19000 + i * 13]);
const phrases = Array.from({ length: 50 }, (_, i) => docs[(i * 7919) % N][2].split(' ').slice(10, 12).join(' '));
const QUERIES = {
  'point (rare term)': rare.map((w) => `SELECT rowid FROM f WHERE f MATCH '${w}'`),
  'phrase (two adjacent words)': phrases.map((p) => `SELECT rowid FROM f WHERE f MATCH '"${p}"'`),
  'phrase (rare word, frequent word)': rare.map((w) => `SELECT rowid FROM f WHERE f MATCH '"${w} w0"'`),
  'AND (rare term, frequent term)': rare.map((w) => `SELECT rowid FROM f WHERE f MATCH '${w} AND w1'`),
  'top-10 by bm25 (frequent term)': ['w1', 'w2', 'w3', 'w5', 'w8'].map((w) => `SELECT rowid FROM f WHERE f MATCH '${w}' ORDER BY rank LIMIT 10`),
};

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(name, Ctor) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fts5-bench-${name}-`));
  const db = new Ctor(path.join(dir, 'b.db'));
  db.exec('PRAGMA journal_mode = WAL; CREATE VIRTUAL TABLE f USING fts5(title, body)');
  const ins = db.prepare('INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)');
  let t = now();
  db.exec('BEGIN');
  for (const d of docs) ins.run(...d);
  db.exec('COMMIT');
  const out = { [`build (${N} docs, one transaction)`]: `${(now() - t).toFixed(0)} ms` };
  for (const [kind, qs] of Object.entries(QUERIES)) {
    const stmts = qs.map((q) => db.prepare(q));
    let rows = 0;
    const times = [];
    for (let r = 0; r < REPS; r++) {
      t = now();
      rows = 0;
      for (const s of stmts) rows += s.all().length;
      times.push((now() - t) / stmts.length);
    }
    out[kind] = `${median(times).toFixed(3)} ms (${rows} rows)`;
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

const lode = run('lode', LodeDatabase), sqlite = run('sqlite', BetterSqlite3);
console.log(`| ${N} documents | Lode | better-sqlite3 |\n|---|---|---|`);
for (const k of Object.keys(lode)) console.log(`| ${k} | ${lode[k]} | ${sqlite[k]} |`);
