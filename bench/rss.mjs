// bench/rss.mjs — peak resident memory of each engine over one fixed workload, each engine in a process of its own
// (maxRSS is a process's high-water mark, so engines cannot share one): a :memory: database gets 100k rows in one
// transaction, then a full scan with aggregates, a GROUP BY, a full sort and a window query, with the same page
// cache size on every engine. Reports the peak and its growth over the process after it loaded the engine and
// opened the database. `node bench/rss.mjs` prints the table; run.mjs calls runRssBench().
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROWS = 100_000;
const here = fileURLToPath(import.meta.url);

async function openEngine(name) {
  if (name === 'lode') return new (await import('../js/compat.mjs')).default(':memory:');
  if (name === 'lode-wasm') return new (await import('../js/wasm.mjs')).SyncDatabase(':memory:');
  if (name === 'better-sqlite3') return new (await import('better-sqlite3')).default(':memory:');
  if (name === 'turso') return new (await import('@tursodatabase/database/compat')).Database(':memory:');
  throw new Error(`unknown engine ${name}`);
}

// The process's peak RSS in MiB: Linux's VmHWM belongs to the process image (a new one at exec), whereas
// getrusage's maxRSS survives exec and so starts at the spawning process's size.
function mib() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;  // KiB
}

// The child: runs the workload on one engine and prints {base, peak} in MiB.
async function child(name) {
  const db = await openEngine(name);
  db.exec('PRAGMA cache_size = -16000');
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, g INTEGER, s TEXT)');
  const base = mib();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  let seed = 0x2545f491;
  const next = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };
  db.exec('BEGIN');
  for (let i = 0; i < ROWS; i++) {
    const x = next() % 1_000_000;
    ins.run(i + 1, x, (next() % 1_000_000) / 1000, x % 1000, `row-${i}-${x.toString(36)}`);
  }
  db.exec('COMMIT');
  db.prepare('SELECT count(*), sum(x), avg(y) FROM t').get();
  db.prepare('SELECT g, count(*), sum(x) FROM t GROUP BY g').all();
  let n = 0;
  for (const r of db.prepare('SELECT id, s FROM t ORDER BY s').iterate()) n += r.id > 0;
  db.prepare('SELECT max(rs) FROM (SELECT sum(x) OVER (PARTITION BY g ORDER BY id) AS rs FROM t)').get();
  db.close();
  process.stdout.write(JSON.stringify({ base, peak: mib(), rows: n }));
}

// One child per engine; an engine that cannot load or run reports its error instead.
export function runRssBench(engines = ['lode', 'lode-wasm', 'better-sqlite3', 'turso']) {
  const out = {};
  for (const name of engines) {
    try {
      out[name] = JSON.parse(execFileSync(process.execPath, [here, '--child', name], { encoding: 'utf8' }));
    } catch (e) {
      out[name] = { error: String(e.message).split('\n')[0] };
    }
  }
  return out;
}

export function rssMarkdown(r) {
  const lines = ['## Peak RSS (bench/rss.mjs)', '',
    `One process per engine: ${ROWS / 1000}k rows into a :memory: table in one transaction, a full scan with ` +
      'aggregates, a GROUP BY, a full sort read through iterate() and a window query; cache_size -16000 on every ' +
      'engine. Peak = the process\'s peak RSS (VmHWM, Node included); growth = peak minus the peak after the ' +
      'engine loaded and opened the database.', '',
    '| engine | peak MiB | growth MiB | growth / better-sqlite3 |', '|---|--:|--:|--:|'];
  const ref = r['better-sqlite3'] && !r['better-sqlite3'].error ? r['better-sqlite3'].peak - r['better-sqlite3'].base : null;
  for (const [name, v] of Object.entries(r)) {
    if (v.error) {
      lines.push(`| ${name} | — | — | ${v.error.slice(0, 80)} |`);
      continue;
    }
    const growth = v.peak - v.base;
    lines.push(`| ${name} | ${v.peak.toFixed(1)} | ${growth.toFixed(1)} | ${ref ? (growth / ref).toFixed(2) + 'x' : '—'} |`);
  }
  return lines.join('\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else if (process.argv[1] === here) {
  console.log(rssMarkdown(runRssBench()));
}
