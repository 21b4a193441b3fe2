// bench/replication.mjs — lodedb/replication through a local NATS JetStream
// server (Debian's nats-server, started here on a free loopback port):
// commits per second on the primary and replica lag (p50/p99, from the
// primary's commit to a replica in the same process having applied it; the
// writer yields to the event loop between commits, as a server would) for
// 1-row and 100-row transactions with sync 'local' and 'replicated'; then the
// time a new replica takes to bootstrap from a snapshot of a database of
// --mb megabytes (default 64; LODE_REPL_BENCH_GB=1 makes it 1024), a Node
// replica and, when out/lode was built with libnats, a shell replica
// (`lode --replicate`), with the peak resident memory of each side: the
// snapshot is streamed from the primary's file and applied as it arrives.
//   node bench/replication.mjs [--commits N] [--mb M] [--only-bootstrap]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../js/index.mjs';
import { replicate } from '../js/replication.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const COMMITS = arg('commits', 400);
const MB = process.env.LODE_REPL_BENCH_GB === '1' ? 1024 : arg('mb', 64);
const ONLY_BOOT = process.argv.includes('--only-bootstrap');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function listening(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const c = netConnect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error('nats-server did not start');
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const dir = mkdtempSync(join(tmpdir(), 'lode-bench-repl-'));
const port = await freePort();
const server = spawn('nats-server', ['-js', '-sd', join(dir, 'js'), '-a', '127.0.0.1', '-p', String(port)], {
  stdio: 'ignore',
});
const servers = `nats://127.0.0.1:${port}`;
const rows = [];

try {
  await listening(port);
  for (const sync of ONLY_BOOT ? [] : ['local', 'replicated']) {
    for (const size of [1, 100]) {
      const stream = `b_${sync}_${size}`;
      const pdb = await connect(join(dir, `${stream}-p.db`));
      const p = await replicate(pdb, { servers, stream, role: 'primary', sync, id: 'p', snapshots: false });
      const rdb = await connect(join(dir, `${stream}-r.db`));
      const r = await replicate(rdb, { servers, stream, role: 'replica', id: 'r' });
      await pdb.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT)');
      await p.synced();
      await r.synced();
      // Lag: when the replica's applied count reaches a commit's number.
      const committedAt = [];
      const lags = [];
      const base = r.metrics.appliedCommits;
      const watch = setInterval(() => {
        const n = r.metrics.appliedCommits - base;
        for (let i = lags.length; i < n && i < committedAt.length; i++) lags.push(performance.now() - committedAt[i]);
      }, 1);
      const ins = pdb.prepare('INSERT INTO t(a, b) VALUES (?, ?)');
      const t0 = performance.now();
      for (let c = 0; c < COMMITS; c++) {
        if (size === 1) await ins.run(c, 'x'.repeat(40));
        else
          await pdb.transaction(async () => {
            for (let i = 0; i < size; i++) await ins.run(c * size + i, 'x'.repeat(40));
          })();
        committedAt.push(performance.now());
        // As a server between requests: timers and sockets get their turn.
        await new Promise(setImmediate);
      }
      const secs = (performance.now() - t0) / 1000;
      await p.synced();
      await r.synced();
      const t1 = performance.now();
      while (lags.length < COMMITS && performance.now() - t1 < 10000) await sleep(5);
      clearInterval(watch);
      rows.push({
        sync,
        rows: size,
        'commits/s': Math.round(COMMITS / secs),
        'lag p50 ms': pct(lags, 50)?.toFixed(2),
        'lag p99 ms': pct(lags, 99)?.toFixed(2),
        measured: lags.length,
      });
      await r.close();
      await p.close();
      await rdb.close();
      await pdb.close();
    }
  }
  if (rows.length) console.table(rows);

  // Bootstrap from a snapshot.  The database is written before replication
  // starts (the primary ships only what is committed after), then the
  // primary writes one snapshot and trims the stream behind it.
  {
    const db = await connect(join(dir, 'boot-p.db'));
    await db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)');
    const chunk = 1024 * 1024;
    for (let i = 0; i < MB; i += 16)
      await db.transaction(async () => {
        for (let j = i; j < Math.min(MB, i + 16); j++) await db.run('INSERT INTO t(b) VALUES (randomblob(?))', chunk - 200);
      })();
    await db.close();
  }
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const pdb = await connect(join(dir, 'boot-p.db'));
  const p = await replicate(pdb, { servers, stream: 'boot', role: 'primary', id: 'p', snapshotKeep: 0 });
  const rss0 = process.memoryUsage().rss;
  peak = rss0;
  let t = performance.now();
  await p.snapshot();
  const snapMs = performance.now() - t;
  const snapPeak = peak - rss0;
  const rdb = await connect(join(dir, 'boot-r.db'));
  const rss1 = process.memoryUsage().rss;
  peak = rss1;
  t = performance.now();
  const r = await replicate(rdb, { servers, stream: 'boot', role: 'replica', id: 'r' });
  await r.synced();
  const bootMs = performance.now() - t;
  const bootPeak = peak - rss1;
  clearInterval(sample);
  const count = (await rdb.get('SELECT count(*) AS n FROM t')).n;
  const out = [{ side: 'Node primary: snapshot write', 'database MB': MB, ms: Math.round(snapMs),
    'peak RSS growth MB': Math.round(snapPeak / 1048576) }];
  out.push({ side: 'Node replica: bootstrap', 'database MB': MB, ms: Math.round(bootMs),
    'peak RSS growth MB': Math.round(bootPeak / 1048576), rows: count, 'snapshots applied': r.metrics.snapshotsApplied });
  const lode = 'out/lode';
  if (existsSync(lode)) {
    t = performance.now();
    const sh = spawnSync('/usr/bin/time', ['-f', '%M', lode, '--replicate', `${servers}/boot?role=replica&id=sh`,
      join(dir, 'boot-sh.db'), 'SELECT count(*) FROM t'], { encoding: 'utf8' });
    const shMs = performance.now() - t;
    if (sh.status === 0)
      out.push({ side: 'shell replica: bootstrap (whole process)', 'database MB': MB, ms: Math.round(shMs),
        'peak RSS growth MB': `${Math.round(Number(sh.stderr.trim().split('\n').pop()) / 1024)} (max RSS)`,
        rows: Number(sh.stdout.trim()) });
    else if (!/not available in this build/.test(sh.stderr)) out.push({ side: `shell replica failed: ${sh.stderr.trim()}` });
  }
  console.table(out);
  await r.close();
  await p.close();
  await rdb.close();
  await pdb.close();
} finally {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
