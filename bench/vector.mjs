// bench/vector.mjs — brute-force nearest neighbours: top-10 by cosine and by L2 distance over ROWS float32 vectors
// of DIMS dimensions stored in a table, `SELECT id FROM items ORDER BY vector_distance_…(emb, ?) LIMIT 10` with the
// query vector bound as a blob, in Lode (native addon and wasm) and Turso (@tursodatabase/database/compat) in one
// process. better-sqlite3 has no vector functions and sits this one out.
//
// Reported: queries/s (median of RUNS timed runs of QUERIES queries each, after one warm-up query; the engines take
// turns run by run), the ratio to
// Turso, and the scan rate in GB/s of vector data (ROWS * DIMS * 4 bytes per query) next to this machine's memory
// read bandwidth, measured here as memcmp (Buffer.compare) of two equal buffers as large as the vector data; and the
// CPU time of a query (process.cpuUsage, median of the runs), which other processes on a loaded machine do not
// inflate as they do wall time.
//
// `node bench/vector.mjs [--rows N] [--dims N] [--runs N]` runs it alone and replaces the vector section of
// bench/results.md; bench/run.mjs runs it too (runVectorBench) unless given --no-vector.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database as TursoDatabase } from '@tursodatabase/database/compat';
import LodeDatabase from '../js/compat.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const QUERIES = 3;
export const VECTOR_BEGIN = '<!-- vector bench: begin -->';
export const VECTOR_END = '<!-- vector bench: end -->';

function now() { return Number(process.hrtime.bigint()) / 1e6; }
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function makeVectors(rows, dims) {
  const data = new Float32Array(rows * dims);
  let s = 0x9e3779b9;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    data[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return data;
}

// Lode's :memory: database is a file in a memory VFS behind the page cache; the cache (default 2000 pages) must
// hold the table, or every query copies each page from the VFS into the cache again.
function lodeWithCache(db, rows, dims) {
  db.exec(`PRAGMA cache_size = -${Math.ceil((rows * (dims * 4 + 64)) / 1024) + 16384}`);
  return db;
}

function fill(db, data, rows, dims) {
  db.exec('CREATE TABLE items(id INTEGER PRIMARY KEY, emb BLOB)');
  const ins = db.prepare('INSERT INTO items(id, emb) VALUES (?, ?)');
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) ins.run(i + 1, Buffer.from(data.buffer, i * dims * 4, dims * 4));
  db.exec('COMMIT');
}

/** Memory read bandwidth in GB/s: memcmp of two equal buffers of `bytes` each, best of 3. */
function memoryBandwidth(bytes) {
  const a = Buffer.alloc(bytes, 7), b = Buffer.alloc(bytes, 7);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = now();
    if (Buffer.compare(a, b) !== 0) throw new Error('unequal');
    best = Math.min(best, now() - t);
  }
  return (2 * bytes) / (best / 1000) / 1e9;
}

export function runVectorBench({ rows = 100_000, dims = 768, runs = 5, wasmSync = null, log = console.error } = {}) {
  const data = makeVectors(rows + 8, dims);
  const queries = Array.from({ length: 8 }, (_, i) => Buffer.from(data.buffer, (rows + i) * dims * 4, dims * 4));
  const engines = [
    { name: 'lode', open: () => lodeWithCache(new LodeDatabase(':memory:'), rows, dims) },
    { name: 'lode-wasm', open: () => lodeWithCache(new wasmSync(':memory:'), rows, dims), skip: !wasmSync },
    { name: 'turso', open: () => new TursoDatabase(':memory:') },
  ].filter((e) => !e.skip);
  const dbs = {};
  for (const e of engines) {
    const t = now();
    dbs[e.name] = e.open();
    fill(dbs[e.name], data, rows, dims);
    log(`  vector  load ${rows} x ${dims}  ${e.name.padEnd(10)} ${((now() - t) / 1000).toFixed(1)} s`);
  }
  const results = [];
  const mismatches = [];
  for (const metric of ['cos', 'l2']) {
    const sql = `SELECT id FROM items ORDER BY vector_distance_${metric}(emb, ?) LIMIT 10`;
    const per = {};
    const stmts = {}, times = {}, cpus = {}, ids = {};
    for (const e of engines) {
      stmts[e.name] = dbs[e.name].prepare(sql).pluck();
      stmts[e.name].all(queries[0]);  // warm-up
      times[e.name] = [];
      cpus[e.name] = [];
    }
    // engines take turns run by run, so that load from other processes falls on all of them alike
    for (let r = 0; r < runs; r++) {
      for (const e of engines) {
        const t = now(), c = process.cpuUsage();
        for (let q = 0; q < QUERIES; q++) {
          const got = stmts[e.name].all(queries[(r * QUERIES + q) % queries.length]);
          if (r === 0 && q === 0) ids[e.name] = got;
        }
        times[e.name].push((now() - t) / QUERIES);
        const dc = process.cpuUsage(c);
        cpus[e.name].push((dc.user + dc.system) / 1000 / QUERIES);
      }
    }
    for (const e of engines) {
      const ms = median(times[e.name]);
      const cpuMs = median(cpus[e.name]);
      per[e.name] = { qps: 1000 / ms, gbps: (rows * dims * 4) / (ms / 1000) / 1e9, cpuMs, ids: ids[e.name] };
      log(`  vector  top-10 ${metric.padEnd(3)} ${e.name.padEnd(10)} ${ms.toFixed(1)} ms/query  ` +
        `${per[e.name].gbps.toFixed(2)} GB/s  cpu ${cpuMs.toFixed(1)} ms/query`);
    }
    for (const e of engines) {
      if (JSON.stringify(per[e.name].ids) !== JSON.stringify(per.turso.ids))
        mismatches.push(`${metric}: ${e.name} found ${per[e.name].ids}, turso ${per.turso.ids}`);
    }
    results.push({ metric, per });
  }
  for (const db of Object.values(dbs)) db.close();
  const bandwidth = memoryBandwidth(rows * dims * 4);
  return { rows, dims, runs, results, mismatches, bandwidth, load: os.loadavg().map((x) => x.toFixed(2)).join(' / ') };
}

export function vectorMarkdown(r) {
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const names = Object.keys(r.results[0].per);
  const header = ['query', ...names.flatMap((n) => [`${n} q/s`, `${n} GB/s`]), 'lode/turso',
    ...(names.includes('lode-wasm') ? ['wasm/turso'] : [])];
  const rows = r.results.map(({ metric, per }) => [
    `top-10 by vector_distance_${metric}`,
    ...names.flatMap((n) => [fmt(per[n].qps), fmt(per[n].gbps)]),
    `${(per.lode.qps / per.turso.qps).toFixed(2)}x`,
    ...(per['lode-wasm'] ? [`${(per['lode-wasm'].qps / per.turso.qps).toFixed(2)}x`] : []),
  ]);
  const line = (c) => '| ' + c.join(' | ') + ' |';
  return [
    VECTOR_BEGIN,
    '## Vector search (brute-force top-k)',
    '',
    'Generated by `node bench/vector.mjs` (also run by `npm run bench`).',
    '',
    line(header),
    '|' + header.map((_, i) => (i ? '---:' : '---')).join('|') + '|',
    ...rows.map(line),
    '',
    `- ${r.rows} rows of ${r.dims} float32 dimensions (${((r.rows * r.dims * 4) / 1e6).toFixed(0)} MB of vectors) in ` +
      '`items(id INTEGER PRIMARY KEY, emb BLOB)`, :memory:; `SELECT id FROM items ORDER BY vector_distance_…(emb, ?) ' +
      'LIMIT 10` with the query vector bound as a blob; Lode with a page cache as large as the table (`PRAGMA ' +
      'cache_size`: its :memory: database sits in a memory VFS behind the cache). q/s: median of ' +
      `${r.runs} runs of ${QUERIES} queries; GB/s: vector bytes scanned per second.`,
    `- CPU time per query (median): ${r.results.map(({ metric, per }) => `${metric}: ` +
      names.map((n) => `${n} ${per[n].cpuMs.toFixed(1)} ms`).join(', ') + ` (lode/turso ${(per.turso.cpuMs / per.lode.cpuMs).toFixed(2)}x` +
      (per['lode-wasm'] ? `, wasm/turso ${(per.turso.cpuMs / per['lode-wasm'].cpuMs).toFixed(2)}x)` : ')')).join('; ')}.`,
    `- Memory read bandwidth of this machine (memcmp of two equal ${((r.rows * r.dims * 4) / 1e6).toFixed(0)} MB ` +
      `buffers): ${r.bandwidth.toFixed(1)} GB/s.`,
    `- Load average (1/5/15 min) at the end: ${r.load} on ${os.cpus().length} cores; other processes share them, ` +
      'so absolute numbers move from run to run (the engines take turns run by run, which keeps ratios steadier).',
    r.mismatches.length ? `- Result mismatches: ${r.mismatches.join('; ')}`
      : '- Result check: every engine returned the same 10 ids as Turso for each query checked.',
    VECTOR_END,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  const argOf = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
  let wasmSync = null;
  try {
    ({ SyncDatabase: wasmSync } = await import('../js/wasm.mjs'));
  } catch (e) {
    console.error(`lodedb/wasm unavailable (${e.message}); skipping the wasm column`);
  }
  const r = runVectorBench({ rows: argOf('--rows', 100_000), dims: argOf('--dims', 768), runs: argOf('--runs', 5), wasmSync });
  const md = vectorMarkdown(r);
  console.log('\n' + md);
  if (!argv.includes('--no-write')) {
    const file = path.join(here, 'results.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Lode benchmarks\n';
    const a = old.indexOf(VECTOR_BEGIN), b = old.indexOf(VECTOR_END);
    const next = a >= 0 && b > a ? old.slice(0, a) + md + old.slice(b + VECTOR_END.length) : old.trimEnd() + '\n\n' + md + '\n';
    fs.writeFileSync(file, next);
    console.log(`wrote ${file}`);
  }
}
