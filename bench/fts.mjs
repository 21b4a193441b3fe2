// Full-text search speed (not a test): index build over N generated documents and queries through the
// fts index vs the same question asked with LIKE over a scan.  FTS_BENCH_DOCS sets N (default 100000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'lodedb';

const N = Number(process.env.FTS_BENCH_DOCS || 100000);
let s = 12345;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const vocab = [];
for (let i = 0; i < 5000; i++) vocab.push('w' + i.toString(36) + (i % 7 === 0 ? 'tion' : ''));
vocab.push('database', 'search', 'engine', 'rollback');
const word = () => vocab[Math.floor(Math.pow(rand(), 2.5) * vocab.length)];
const doc = (n) => Array.from({ length: n }, word).join(' ');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-fts-bench-'));
const db = await connect(path.join(dir, 'b.db'));
await db.exec('PRAGMA cache_size = -262144; CREATE TABLE d(id INTEGER PRIMARY KEY, title TEXT, body TEXT)');
const ins = db.prepare('INSERT INTO d VALUES (?, ?, ?)');
let t = performance.now();
await db.exec('BEGIN');
for (let i = 1; i <= N; i++) await ins.run(i, doc(4), doc(40));
await db.exec('COMMIT');
const load = performance.now() - t;
t = performance.now();
await db.exec('CREATE INDEX d_fts ON d USING fts (title, body)');
const build = performance.now() - t;
const size = fs.statSync(path.join(dir, 'b.db')).size;
const time = async (sql, reps = 5) => {
  const st = db.prepare(sql);
  let rows = 0;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) rows = (await st.all()).length;
  return [((performance.now() - t0) / reps).toFixed(1), rows];
};
const out = [];
out.push(['load rows (no index)', load.toFixed(0) + ' ms']);
out.push(['CREATE INDEX … USING fts', build.toFixed(0) + ' ms']);
out.push(['file size with index', (size / 1e6).toFixed(1) + ' MB']);
for (const [name, sql] of [
  ['rare term, fts_match', "SELECT id FROM d WHERE fts_match(title, body, 'rollback')"],
  ['rare term, LIKE scan', "SELECT id FROM d WHERE title LIKE '%rollback%' OR body LIKE '%rollback%'"],
  ['common term, fts_match', "SELECT id FROM d WHERE fts_match(title, body, 'w1')"],
  ['two terms AND, fts_match', "SELECT id FROM d WHERE fts_match(title, body, 'w1 AND w2')"],
  ['phrase, fts_match', "SELECT id FROM d WHERE fts_match(title, body, '\"w1 w2\"')"],
  ['top-10 by score, common term', "SELECT id FROM d ORDER BY fts_score(title, body, 'w1') DESC LIMIT 10"],
  ['top-10 by score, rare term', "SELECT id FROM d ORDER BY fts_score(title, body, 'rollback') DESC LIMIT 10"],
  ['prefix w1*, fts_match', "SELECT id FROM d WHERE fts_match(title, body, 'w1*')"],
]) {
  const [ms, rows] = await time(sql);
  out.push([`${name} (${rows} rows)`, ms + ' ms']);
}
t = performance.now();
await db.exec('BEGIN');
for (let i = N + 1; i <= N + 1000; i++) await ins.run(i, doc(4), doc(40));
await db.exec('COMMIT');
out.push(['1000 inserts with the index', (performance.now() - t).toFixed(0) + ' ms']);
for (const [k, v] of out) console.log(k.padEnd(44), v);
await db.close();
fs.rmSync(dir, { recursive: true, force: true });
