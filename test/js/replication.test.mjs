// lodedb/replication against a real JetStream server (Debian's nats-server,
// started here on a free loopback port with a temporary store; skipped with
// a message where it is not installed): replicas converge to the primary's
// committed state, refuse writes naming the primary, apply a commit larger
// than max_payload whole, and an 'auto' replica takes over when the primary
// leaves.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../js/index.mjs';

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
});
