// lodedb/replication against a real JetStream server (Debian's nats-server,
// started here on a free loopback port with a temporary store; skipped with
// a message where it is not installed): replicas converge to the primary's
// committed state, refuse writes naming the primary, apply a commit larger
// than max_payload whole, and an 'auto' replica takes over when the primary
// leaves; the primary ships each commit when the engine tells it (no poll),
// and with sync 'replicated' every promise write path resolves only after
// the stream stored its commit; snapshots bootstrap new and trimmed-behind
// replicas.  The multi-process cluster suite is replication-cluster.test.mjs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../js/index.mjs';
import CompatDatabase from '../../js/compat.mjs';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

const haveNats = spawnSync('nats-server', ['--version']).status === 0;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(cond, ms = 10000) {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function tables(db) {
  const out = {};
  for (const { name } of await db.all("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"))
    out[name] = await db.all(`SELECT * FROM "${name}" ORDER BY rowid`);
  return out;
}

(haveNats ? describe : describe.skip)('replication through NATS JetStream' + (haveNats ? '' : ' (nats-server not installed)'), function () {
  this.timeout(60000);
  let dir, server, servers, replicate;
  const open = [];

  before(async () => {
    ({ replicate } = await import('../../js/replication.mjs'));
    dir = mkdtempSync(join(tmpdir(), 'lode-repl-'));
    const port = await freePort();
    server = spawn('nats-server', ['-js', '-sd', join(dir, 'js'), '-a', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
    });
    servers = `nats://127.0.0.1:${port}`;
    await until(
      () =>
        new Promise((resolve) => {
          const c = netConnect(port, '127.0.0.1', () => {
            c.end();
            resolve(true);
          });
          c.on('error', () => resolve(false));
        }),
    );
  });

  after(async () => {
    for (const x of open.reverse()) await x.close().catch(() => {});
    server?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function node(name, role, extra = {}) {
    const db = await connect(join(dir, name));
    const rep = await replicate(db, { servers, stream: 's1', role, leaseMs: 1000, id: name, ...extra });
    open.push(db, rep);
    return { db, rep };
  }

  // The stream's last sequence, asked of the server by a client of our own.
  async function streamState(stream) {
    const nc = await natsConnect({ servers });
    try {
      const jsm = await jetstreamManager(nc);
      return (await jsm.streams.info(`LODE_${stream}`)).state;
    } finally {
      await nc.close();
    }
  }

  it('replicas converge to the primary, refuse writes and take over when it leaves', async () => {
    const p = await node('p.db', 'primary', { sync: 'replicated' });
    await p.db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE TABLE u(k, v)');
    for (let i = 0; i < 40; i++) {
      await p.db.run('INSERT INTO t(b) VALUES (randomblob(?))', (i * 37) % 900);
      if (i % 3 === 0) await p.db.run('UPDATE u SET v = v + 1');
      if (i % 5 === 0) await p.db.run('INSERT INTO u VALUES (?, 0)', i);
    }
    const r1 = await node('r1.db', 'auto');
    const r2 = await node('r2.db', 'replica');
    // A commit far above max_payload goes as chunks and is applied whole.
    await p.db.run('INSERT INTO t(b) VALUES (zeroblob(3000000))');
    await r1.rep.synced();
    await r2.rep.synced();
    assert.equal(r1.rep.role, 'replica');
    assert.equal(r1.rep.lag, 0);
    assert.deepEqual(await tables(r1.db), await tables(p.db));
    assert.deepEqual(await tables(r2.db), await tables(p.db));
    assert.ok(r1.rep.metrics.appliedCommits >= 40);
    await assert.rejects(r1.db.run('INSERT INTO u VALUES (1, 1)'), (e) => {
      assert.equal(e.code, 'SQLITE_READONLY');
      assert.match(e.message, /primary is p\.db/);
      return true;
    });
    await p.rep.close();
    await until(() => r1.rep.role === 'primary');
    assert.equal(r2.rep.role, 'replica');
    await r1.db.run('INSERT INTO u VALUES (99, 99)');
    await r1.rep.synced();
    await r2.rep.synced();
    assert.deepEqual(await tables(r2.db), await tables(r1.db));
    assert.deepEqual(await r2.db.get('SELECT v FROM u WHERE k = 99'), { v: 99 });
  });

  it('with sync replicated every promise write path resolves after the stream stored its commit, without polling', async () => {
    const p = await node('h.db', 'primary', { stream: 'hook', sync: 'replicated', pollMs: 1e9 });
    let last = (await streamState('hook')).last_seq;
    const stored = async (what) => {
      const now = (await streamState('hook')).last_seq;
      assert.ok(now > last, `${what}: the stream holds the commit when the call resolves`);
      last = now;
    };
    await p.db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b)');
    await stored('exec');
    await p.db.run('INSERT INTO t(b) VALUES (1)');
    await stored('db.run');
    const ins = p.db.prepare('INSERT INTO t(b) VALUES (?)');
    await ins.run(2);
    await stored('statement run');
    assert.deepEqual(await p.db.prepare('INSERT INTO t(b) VALUES (3) RETURNING b').all(), [{ b: 3 }]);
    await stored('statement all of INSERT … RETURNING');
    await p.db.transaction(async () => {
      await ins.run(4);
      await p.db.run('INSERT INTO t(b) VALUES (5)');
    })();
    await stored('transaction');
    await p.db.exec("INSERT INTO t(b) VALUES (6); UPDATE t SET b = b * 10 WHERE b = 6; INSERT INTO t(b) VALUES (7)");
    await stored('batch');
    // A read commits nothing and does not wait.
    const before = p.rep.metrics.publishedCommits;
    assert.equal((await p.db.all('SELECT b FROM t ORDER BY a')).map((r) => r.b).join(), '1,2,3,4,5,60,7');
    assert.equal(p.rep.metrics.publishedCommits, before);
    const r = await node('h-r.db', 'replica', { stream: 'hook' });
    await r.rep.synced();
    assert.deepEqual(await tables(r.db), await tables(p.db));
  });

  it('with sync local the engine tells the primary of each commit, also from lodedb/compat', async () => {
    const cdb = new CompatDatabase(join(dir, 'c.db'));
    const rep = await replicate(cdb, { servers, stream: 'compat', role: 'primary', pollMs: 1e9, id: 'c' });
    open.push(rep);
    const r = await node('c-r.db', 'replica', { stream: 'compat' });
    cdb.exec('CREATE TABLE t(a)');
    const ins = cdb.prepare('INSERT INTO t VALUES (?)');
    cdb.transaction(() => {
      for (let i = 0; i < 10; i++) ins.run(i);
    })();
    ins.run(99);
    // Nothing above awaited: the commits were read when made and go out by themselves.
    await until(async () => (await r.db.get('SELECT count(*) AS n FROM t').catch(() => ({ n: 0 }))).n === 11, 5000);
    assert.equal(rep.metrics.publishedCommits, 3);
    cdb.close();
  });

  it('a snapshot bootstraps a new replica and one behind the trimmed stream; the primary snapshots when due', async () => {
    const p = await node('s.db', 'primary', { stream: 'snap', sync: 'replicated', snapshotKeep: 0 });
    const old = await node('s-old.db', 'replica', { stream: 'snap' });
    await p.db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b)');
    for (let i = 0; i < 30; i++) await p.db.run('INSERT INTO t(b) VALUES (randomblob(?))', 100 + i * 50);
    await old.rep.synced();
    await old.rep.close();
    for (let i = 0; i < 30; i++) await p.db.run('UPDATE t SET b = zeroblob(?) WHERE a = ?', i * 7, i + 1);
    await p.db.run('DELETE FROM t WHERE a % 3 = 0');
    const seq = await p.rep.snapshot();
    assert.equal(p.rep.metrics.snapshotsWritten, 1);
    const state = await streamState('snap');
    assert.equal(state.first_seq, seq + 1, 'the stream is trimmed behind the snapshot');
    assert.equal(state.messages, 0);
    await p.db.run('INSERT INTO t(b) VALUES (12345)');

    const fresh = await node('s-new.db', 'replica', { stream: 'snap' });
    await fresh.rep.synced();
    assert.equal(fresh.rep.metrics.snapshotsApplied, 1);
    assert.equal(fresh.rep.metrics.appliedCommits, 1, 'only the commit after the snapshot came from the stream');
    assert.deepEqual(await tables(fresh.db), await tables(p.db));
    assert.deepEqual(await fresh.db.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.ok(fresh.rep.snapshotAge !== null && fresh.rep.snapshotAge >= 0);

    // The replica closed before the trim: its next message is gone.
    const back = await node('s-old.db', 'replica', { stream: 'snap' });
    await back.rep.synced();
    assert.equal(back.rep.metrics.snapshotsApplied, 1);
    assert.deepEqual(await tables(back.db), await tables(p.db));

    // Due by size: the primary writes the next one by itself.
    const q = await node('s2.db', 'primary', { stream: 'snap2', sync: 'replicated', snapshotBytes: 20000 });
    await q.db.exec('CREATE TABLE t(b)');
    for (let i = 0; i < 10; i++) await q.db.run('INSERT INTO t VALUES (zeroblob(4000))');
    await until(() => q.rep.metrics.snapshotsWritten >= 1, 5000);
    assert.ok(q.rep.snapshotAge !== null);
  });
});
