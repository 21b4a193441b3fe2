// bench/replication.mjs — lodedb/replication through a local NATS JetStream
// server (Debian's nats-server, started here on a free loopback port):
// commits per second on the primary and replica lag (p50/p99, from the
// primary's commit to a replica in the same process having applied it; the
// writer yields to the event loop between commits, as a server would) for
// 1-row and 100-row transactions with sync 'local' and 'replicated'; then the
// time a new replica takes to bootstrap from a snapshot of a database of
// --mb megabytes (default 64).
//   node bench/replication.mjs [--commits N] [--mb M]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
const MB = arg('mb', 64);
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
  for (const sync of ['local', 'replicated']) {
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
  console.table(rows);

  // Bootstrap from a snapshot.
  const pdb = await connect(join(dir, 'boot-p.db'));
  const p = await replicate(pdb, { servers, stream: 'boot', role: 'primary', id: 'p', snapshotKeep: 0 });
  await pdb.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)');
  const chunk = 1024 * 1024;
  await pdb.transaction(async () => {
    for (let i = 0; i < MB; i++) await pdb.run('INSERT INTO t(b) VALUES (randomblob(?))', chunk - 200);
  })();
  await p.synced();
  let t = performance.now();
  await p.snapshot();
  const snapMs = performance.now() - t;
  const rdb = await connect(join(dir, 'boot-r.db'));
  t = performance.now();
  const r = await replicate(rdb, { servers, stream: 'boot', role: 'replica', id: 'r' });
  await r.synced();
  const bootMs = performance.now() - t;
  console.table([{ 'database MB': MB, 'snapshot write ms': Math.round(snapMs), 'replica bootstrap ms': Math.round(bootMs),
    'snapshots applied': r.metrics.snapshotsApplied }]);
  await r.close();
  await p.close();
  await rdb.close();
  await pdb.close();
} finally {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
