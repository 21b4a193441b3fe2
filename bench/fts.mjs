// Full-text search speed (not a test): the same generated corpus indexed and queried by Lode's fts index,
// Turso's fts index (@tursodatabase/database, experimental index_method) and SQLite FTS5 (better-sqlite3),
// in one run.  Lode runs twice: through its promise API (lodedb, the face Turso's is measured through) and
// through lodedb/compat, synchronous as better-sqlite3 is, so that the FTS5 column compares engines and not
// APIs (the promise API's rows also carry their values under 0..n-1, which costs on queries of many rows).
// FTS_BENCH_DOCS sets the number of documents (default 100000); FTS_BENCH_ENGINES picks engines (comma list of
// lode, lode-compat, turso, fts5; default all four).  Timings are medians of FTS_BENCH_REPS runs (default 5).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { connect as tursoConnect } from '@tursodatabase/database';
import { connect } from 'lodedb';
import LodeCompat from 'lodedb/compat';

const N = Number(process.env.FTS_BENCH_DOCS || 100000);
const REPS = Number(process.env.FTS_BENCH_REPS || 5);
const ENGINES = (process.env.FTS_BENCH_ENGINES || 'lode,lode-compat,turso,fts5').split(',');
let s = 12345;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const vocab = [];
for (let i = 0; i < 5000; i++) vocab.push('w' + i.toString(36) + (i % 7 === 0 ? 'tion' : ''));
vocab.push('database', 'search', 'engine', 'rollback');
const word = () => vocab[Math.floor(Math.pow(rand(), 2.5) * vocab.length)];
const doc = (n) => Array.from({ length: n }, word).join(' ');
const docs = [];
for (let i = 1; i <= N + 100; i++) docs.push([i, doc(4), doc(40)]);

// The questions: [name, fts_match/fts_score form, FTS5 form].  The phrase is one the corpus holds.
const ph = docs[0][2].split(' ').slice(0, 2).join(' ');
const QUERIES = [
  ['rare term', "SELECT id FROM d WHERE fts_match(title, body, 'rollback')", "SELECT rowid FROM f WHERE f MATCH 'rollback'"],
  ['common term', "SELECT id FROM d WHERE fts_match(title, body, 'w1')", "SELECT rowid FROM f WHERE f MATCH 'w1'"],
  ['two terms AND', "SELECT id FROM d WHERE fts_match(title, body, 'w1 AND w2')", "SELECT rowid FROM f WHERE f MATCH 'w1 AND w2'"],
  [`phrase "${ph}"`, `SELECT id FROM d WHERE fts_match(title, body, '"${ph}"')`, `SELECT rowid FROM f WHERE f MATCH '"${ph}"'`],
  ['phrase "w1 w2"', "SELECT id FROM d WHERE fts_match(title, body, '\"w1 w2\"')", "SELECT rowid FROM f WHERE f MATCH '\"w1 w2\"'"],
  ['prefix w1*', "SELECT id FROM d WHERE fts_match(title, body, 'w1*')", "SELECT rowid FROM f WHERE f MATCH 'w1*'"],
  ['top-10 by score, common term', "SELECT id FROM d WHERE fts_match(title, body, 'w1') ORDER BY fts_score(title, body, 'w1') DESC LIMIT 10",
    "SELECT rowid FROM f WHERE f MATCH 'w1' ORDER BY rank LIMIT 10"],
  ['top-10 by score, rare term', "SELECT id FROM d WHERE fts_match(title, body, 'rollback') ORDER BY fts_score(title, body, 'rollback') DESC LIMIT 10",
    "SELECT rowid FROM f WHERE f MATCH 'rollback' ORDER BY rank LIMIT 10"],
];

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dirSize = (dir) => fs.readdirSync(dir, { recursive: true }).reduce((n, f) => {
  const st = fs.statSync(path.join(dir, f));
  return n + (st.isFile() ? st.size : 0);
}, 0);

// An engine behind one async face: exec(sql), all(sql) → rows, insertMany(rows).
async function lodeLike(name, open) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fts-bench-${name}-`));
  const db = await open(path.join(dir, 'b.db'));
  const ins = () => db.prepare('INSERT INTO d VALUES (?, ?, ?)');
  return {
    dir,
    exec: (sql) => db.exec(sql),
    all: (sql) => db.prepare(sql).all(),
    prep: (sql) => { const st = db.prepare(sql); return () => st.all(); },
    insert: async (rows) => { const st = ins(); for (const r of rows) await st.run(...r); },
    create: "CREATE TABLE d(id INTEGER PRIMARY KEY, title TEXT, body TEXT)",
    index: 'CREATE INDEX d_fts ON d USING fts (title, body)',
    close: () => db.close(),
  };
}

// A synchronous engine (better-sqlite3's face) behind the same async face.
function syncLike(name, open) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fts-bench-${name}-`));
  const db = open(path.join(dir, 'b.db'));
  return {
    dir,
    exec: async (sql) => db.exec(sql),
    prep: (sql) => { const st = db.prepare(sql); return async () => st.all(); },
    insert: async (rows) => { const st = db.prepare('INSERT INTO d VALUES (?, ?, ?)'); for (const r of rows) st.run(...r); },
    create: 'CREATE TABLE d(id INTEGER PRIMARY KEY, title TEXT, body TEXT)',
    close: async () => db.close(),
  };
}

function lodeCompat() {
  const e = syncLike('lode-compat', (f) => new LodeCompat(f));
  e.index = 'CREATE INDEX d_fts ON d USING fts (title, body)';
  return e;
}

function fts5() {
  const e = syncLike('fts5', (f) => {
    const db = new Database(f);
    db.pragma('journal_mode = WAL');
    return db;
  });
  return {
    ...e,
    // An external-content FTS5 table over d, as Lode's and Turso's indexes are over their table.
    index: "CREATE VIRTUAL TABLE f USING fts5(title, body, content='d', content_rowid='id', tokenize='unicode61');" +
      "INSERT INTO f(f) VALUES ('rebuild');" +
      "CREATE TRIGGER d_ai AFTER INSERT ON d BEGIN INSERT INTO f(rowid, title, body) VALUES (new.id, new.title, new.body); END;",
  };
}

const results = {};
const row = (k, eng, v) => { (results[k] ||= {})[eng] = v; };
for (const eng of ENGINES) {
  const e = eng === 'fts5' ? fts5()
    : eng === 'lode-compat' ? lodeCompat()
    : eng === 'turso' ? await lodeLike(eng, (f) => tursoConnect(f, { experimental: ['index_method'] }))
      : await lodeLike(eng, (f) => connect(f));
  if (eng.startsWith('lode')) await e.exec('PRAGMA cache_size = -262144');
  await e.exec(e.create);
  let t = performance.now();
  await e.exec('BEGIN');
  await e.insert(docs.slice(0, N));
  await e.exec('COMMIT');
  row('load rows (no index)', eng, (performance.now() - t).toFixed(0) + ' ms');
  t = performance.now();
  const cpu = process.cpuUsage();
  await e.exec(e.index);
  const used = process.cpuUsage(cpu);
  // CPU time too: every engine runs in this process, and on a shared machine wall time mostly measures the load.
  row(`build index over ${N} rows`, eng,
    `${(performance.now() - t).toFixed(0)} ms (cpu ${((used.user + used.system) / 1000).toFixed(0)} ms)`);
  for (const [name, sql, sql5] of QUERIES) {
    const run = e.prep(eng === 'fts5' ? sql5 : sql);
    let rows = 0;
    const times = [];
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      rows = (await run()).length;
      times.push(performance.now() - t0);
    }
    row(name, eng, `${median(times).toFixed(2)} ms (${rows})`);
  }
  t = performance.now();
  const cpu2 = process.cpuUsage();
  await e.exec('BEGIN');
  await e.insert(docs.slice(N));
  await e.exec('COMMIT');
  const used2 = process.cpuUsage(cpu2);
  row('100 inserts, one transaction', eng,
    `${(performance.now() - t).toFixed(0)} ms (cpu ${((used2.user + used2.system) / 1000).toFixed(0)} ms)`);
  t = performance.now();
  await e.close();
  row('size on disk (db, wal, segments)', eng, (dirSize(e.dir) / 1e6).toFixed(1) + ' MB');
  fs.rmSync(e.dir, { recursive: true, force: true });
}
const cols = ENGINES;
console.log(`| ${N} documents | ${cols.join(' | ')} |`);
console.log(`|---|${cols.map(() => '---').join('|')}|`);
for (const [k, v] of Object.entries(results)) console.log(`| ${k} | ${cols.map((c) => v[c] ?? '–').join(' | ')} |`);
