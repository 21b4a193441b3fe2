// `lode --replicate nats://…/stream` (engine/shell/shell_repl.c, over libnats)
// against lodedb/replication on the same stream, with a real nats-server on
// loopback: a shell replica converges to a JS primary (also from the JS
// primary's snapshot, when the stream was trimmed) and refuses writes naming
// the primary; a JS replica converges to a shell primary (a commit above
// max_payload goes as chunks); a shell replica takes over when the JS
// primary leaves.  Skipped with a message without nats-server or a shell
// built with libnats.
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../js/index.mjs';

const LODE = process.env.LODE_SHELL ?? 'out/lode'; // LODE_SHELL: another build (a sanitized one)
const haveNats = spawnSync('nats-server', ['--version']).status === 0;
const shellHasNats =
  existsSync(LODE) &&
  !/not available in this build/.test(
    spawnSync(LODE, ['--replicate', 'nats://127.0.0.1:1/x', ':memory:', 'SELECT 1'], { encoding: 'utf8' }).stderr,
  );
const run = haveNats && shellHasNats;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(cond, ms = 15000) {
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

// A shell kept running with its stdin open; sql() sends statements and
// resolves with what it printed (stdout, stderr) once a marker row came back.
function shell(args) {
  const p = spawn(LODE, ['-m', 'list', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  let n = 0;
  return {
    p,
    get err() {
      return err;
    },
    async sql(text) {
      const mark = `--mark-${++n}--`;
      const o0 = out.length;
      const e0 = err.length;
      p.stdin.write(`${text}\nSELECT '${mark}';\n`);
      await until(() => out.includes(mark), 15000);
      return { out: out.slice(o0, out.indexOf(mark, o0)), err: err.slice(e0) };
    },
    async close() {
      if (p.exitCode !== null || p.signalCode !== null) return p.exitCode;
      p.stdin.end();
      return new Promise((resolve) => p.on('exit', (code) => resolve(code)));
    },
  };
}

(run ? describe : describe.skip)(
  'lode --replicate (the shell over libnats) with lodedb/replication' +
    (run ? '' : haveNats ? ' (the shell was built without libnats)' : ' (nats-server not installed)'),
  function () {
    this.timeout(90000);
    let dir, server, url, replicate;
    const open = [];

    before(async () => {
      ({ replicate } = await import('../../js/replication.mjs'));
      dir = mkdtempSync(join(tmpdir(), 'lode-repl-shell-'));
      const port = await freePort();
      server = spawn('nats-server', ['-js', '-sd', join(dir, 'js'), '-a', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      url = `nats://127.0.0.1:${port}`;
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

    async function node(name, stream, role, extra = {}) {
      const db = await connect(join(dir, name));
      const rep = await replicate(db, { servers: url, stream, role, leaseMs: 1000, id: name, ...extra });
      open.push(db, rep);
      return { db, rep };
    }

    it('a shell replica converges to a JS primary, refuses writes naming it, and takes over when it leaves', async () => {
      const p = await node('p.db', 'a', 'primary', { sync: 'replicated' });
      await p.db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE TABLE u(k, v)');
      for (let i = 0; i < 30; i++) {
        await p.db.run('INSERT INTO t(b) VALUES (randomblob(?))', (i * 37) % 900);
        if (i % 5 === 0) await p.db.run('INSERT INTO u VALUES (?, 0)', i);
      }
      const sh = shell(['--replicate', `${url}/a?lease=1000&id=shell-a`, join(dir, 'sa.db')]);
      open.push(sh);
      // A commit far above max_payload arrives in chunks, applied whole.
      await p.db.run('INSERT INTO t(b) VALUES (zeroblob(2500000))');
      await p.db.run('UPDATE u SET v = v + 1');
      const want = await p.db.get('SELECT count(*) AS n, sum(length(b)) AS s FROM t');
      await until(async () => (await sh.sql('SELECT count(*), sum(length(b)) FROM t;')).out.trim() === `${want.n}|${want.s}`);
      const r = await connect(join(dir, 'sa.db'));
      assert.deepEqual(await tables(r), await tables(p.db));
      await r.close();

      const w = await sh.sql('INSERT INTO u VALUES (1, 1);');
      assert.match(w.err, /attempt to write a readonly database: a replica of stream a, whose primary is p\.db/);
      assert.equal((await sh.sql('SELECT count(*) FROM u WHERE k = 1 AND v = 1;')).out.trim(), '0');

      // The JS primary leaves (its lease released): the shell takes over.
      await p.rep.close();
      const r2 = await node('pr.db', 'a', 'replica');
      await until(async () => !(await sh.sql('INSERT INTO u VALUES (77, 77);')).err, 20000);
      await sh.sql("INSERT INTO t(b) VALUES ('from the shell');");
      await until(async () => (await r2.db.get('SELECT count(*) AS n FROM t WHERE b = ?', 'from the shell')).n === 1);
      assert.deepEqual(await r2.db.get('SELECT v FROM u WHERE k = 77'), { v: 77 });
      // Status 1: the refused write above counts as an error of the session.
      assert.equal(await sh.close(), 1);
      assert.doesNotMatch(sh.err, /not stored/);
      const again = await connect(join(dir, 'sa.db'));
      assert.deepEqual(await tables(r2.db), await tables(again));
      await again.close();
    });

    it('a JS replica converges to a shell primary; role=primary is refused while another holds the lease', async () => {
      const db = join(dir, 'sp.db');
      const one = spawnSync(
        LODE,
        [
          '--replicate',
          `${url}/b?id=shell-b`,
          db,
          "CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t(b) VALUES ('x'), ('y'); " +
            'BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) ' +
            'INSERT INTO t(b) SELECT randomblob(300) FROM n; COMMIT; ' +
            'INSERT INTO t(b) VALUES (zeroblob(3000000)); DELETE FROM t WHERE a % 7 = 0;',
        ],
        { encoding: 'utf8', timeout: 30000 },
      );
      assert.equal(one.status, 0, one.stderr);
      const r = await node('sp-r.db', 'b', 'replica');
      await r.rep.synced();
      const local = await connect(db);
      assert.deepEqual(await tables(r.db), await tables(local));
      assert.equal((await r.db.get('SELECT count(*) AS n FROM t')).n, 46);
      await local.close();

      // Another shell session continues the same stream as primary.
      const two = spawnSync(LODE, ['--replicate', `${url}/b?role=primary&id=shell-b2`, db, "INSERT INTO t(b) VALUES ('z')"], {
        encoding: 'utf8',
        timeout: 30000,
      });
      assert.equal(two.status, 0, two.stderr);
      await r.rep.synced();
      assert.equal((await r.db.get("SELECT count(*) AS n FROM t WHERE b = 'z'")).n, 1);

      // With a JS primary holding the lease, role=primary is refused.
      const jp = await node('sp-p.db', 'c', 'primary');
      const three = spawnSync(LODE, ['--replicate', `${url}/c?role=primary`, join(dir, 'sc.db'), 'SELECT 1'], {
        encoding: 'utf8',
        timeout: 30000,
      });
      assert.notEqual(three.status, 0);
      assert.match(three.stderr, /stream c has a primary already \(sp-p\.db\)/);
      await jp.rep.close();
    });
    it('snapshots cross over: a shell replica bootstraps from a JS snapshot, a JS replica from a shell one', async () => {
      // JS primary, stream trimmed to nothing behind its snapshot: only the snapshot has the data.
      const p = await node('sn.db', 'd', 'primary', { sync: 'replicated', snapshotKeep: 0 });
      await p.db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b)');
      for (let i = 0; i < 40; i++) await p.db.run('INSERT INTO t(b) VALUES (randomblob(?))', 200 + i * 40);
      await p.rep.snapshot();
      await p.db.run("INSERT INTO t(b) VALUES ('after')");
      const sh = shell(['--replicate', `${url}/d?role=replica&id=shell-d`, join(dir, 'sn-r.db')]);
      open.push(sh);
      const want = await p.db.get('SELECT count(*) AS n, sum(length(b)) AS s FROM t');
      await until(async () => (await sh.sql('SELECT count(*), sum(length(b)) FROM t;')).out.trim() === `${want.n}|${want.s}`);
      assert.equal((await sh.sql('PRAGMA integrity_check;')).out.trim(), 'ok');
      await sh.close();
      await p.rep.close();

      // Shell primary writing snapshots (snapshot=1: due after every stored byte).
      const sp = shell(['--replicate', `${url}/e?role=primary&id=shell-e&snapshot=1`, join(dir, 'se.db')]);
      open.push(sp);
      await sp.sql('CREATE TABLE t(a INTEGER PRIMARY KEY, b);');
      for (let i = 0; i < 20; i++) await sp.sql(`INSERT INTO t(b) VALUES (randomblob(${500 + i * 300}));`);
      const { Objm } = await import('@nats-io/obj');
      const { jetstream } = await import('@nats-io/jetstream');
      const { connect: natsConnect } = await import('@nats-io/transport-node');
      const nc = await natsConnect({ servers: url });
      try {
        const os = await new Objm(jetstream(nc)).open('lode_e_snap');
        await until(async () => {
          const info = await os.info('snapshot').catch(() => null);
          return info && Number(info.metadata?.streamSeq) >= 22;
        });
      } finally {
        await nc.close();
      }
      const r = await node('se-r.db', 'e', 'replica');
      await r.rep.synced();
      assert.equal(r.rep.metrics.snapshotsApplied, 1, 'the new replica started from the shell\'s snapshot');
      const local = await connect(join(dir, 'se.db'));
      assert.deepEqual(await tables(r.db), await tables(local));
      assert.deepEqual(await r.db.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      await local.close();
      assert.equal(await sp.close(), 0);
    });
    it('a shell takes over from a SIGKILLed JS primary once its lease expires, and a JS replica from a SIGKILLed shell', async () => {
      // The JS primary in its own process (test/js/repl-node.mjs), writing with sync 'replicated'.
      const child = fork(new URL('./repl-node.mjs', import.meta.url).pathname, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const acked = [];
      const replies = new Map();
      let ready = false;
      child.on('message', (m) => {
        if (m.ready) ready = true;
        else if (m.acked) acked.push(m.acked);
        else if (m.id !== undefined) replies.get(m.id)?.(m);
      });
      let n = 0;
      const call = (op, args = {}) =>
        new Promise((resolve, reject) => {
          const id = ++n;
          replies.set(id, (m) => (m.ok ? resolve(m.value) : reject(new Error(m.error))));
          child.send({ id, op, ...args });
        });
      try {
        await until(() => ready);
        await call('open', {
          path: join(dir, 'kf.db'),
          options: { servers: url, stream: 'f', role: 'primary', sync: 'replicated', leaseMs: 1000, id: 'node-f' },
        });
        await call('schema');
        const sh = shell(['--replicate', `${url}/f?lease=1000&id=shell-f`, join(dir, 'kf-sh.db')]);
        open.push(sh);
        await call('startWriting', { prefix: 'a' });
        await until(() => acked.length >= 20);
        child.kill('SIGKILL');
        const t0 = Date.now();
        await until(async () => !(await sh.sql("INSERT INTO t(k, v, n) VALUES ('shell-1', x'00', 0);")).err, 20000);
        assert.ok(Date.now() - t0 >= 900, 'not before the lease expired');
        const have = new Set((await sh.sql('SELECT k FROM t;')).out.trim().split('\n'));
        for (const k of acked) assert.ok(have.has(k), `acknowledged commit ${k} survived`);

        // A JS replica (role auto) follows the shell, then takes over from it.
        const r = await node('kf-r.db', 'f', 'auto');
        await until(
          async () => (await r.db.get("SELECT count(*) AS n FROM t WHERE k = 'shell-1'").catch(() => ({ n: 0 }))).n === 1,
        );
        sh.p.kill('SIGKILL');
        await until(() => r.rep.role === 'primary', 20000);
        await r.db.run("INSERT INTO t(k, v, n) VALUES ('node-2', x'00', 0)");
        for (const k of [...acked, 'shell-1', 'node-2'])
          assert.equal((await r.db.get('SELECT count(*) AS n FROM t WHERE k = ?', k)).n, 1, k);
      } finally {
        child.kill('SIGKILL');
      }
    });
    it('a shell primary paused past its lease is deposed when it resumes: its later commits are never merged', async () => {
      const sh = shell(['--replicate', `${url}/g?role=primary&lease=1000&id=shell-g`, join(dir, 'g.db')]);
      open.push(sh);
      await sh.sql('CREATE TABLE t(k TEXT PRIMARY KEY);');
      for (let i = 0; i < 5; i++) await sh.sql(`INSERT INTO t VALUES ('before-${i}');`);
      const r = await node('g-r.db', 'g', 'auto');
      await until(async () => (await r.db.get('SELECT count(*) AS n FROM t').catch(() => ({ n: 0 }))).n === 5);
      sh.p.kill('SIGSTOP');
      await until(() => r.rep.role === 'primary', 20000);
      await r.db.run("INSERT INTO t VALUES ('new-primary')");
      sh.p.kill('SIGCONT');
      // Whatever the resumed shell commits locally is refused by the stream or by its own read-only connection.
      await sh.sql("INSERT INTO t VALUES ('after-resume');");
      await until(async () => /no longer the primary/.test((await sh.sql('SELECT 1;')).err + sh.err), 20000);
      const w = await sh.sql("INSERT INTO t VALUES ('deposed');");
      assert.match(w.err, /readonly/);
      await r.rep.synced();
      const keys = (await r.db.all('SELECT k FROM t ORDER BY k')).map((x) => x.k);
      assert.deepEqual(keys, ['before-0', 'before-1', 'before-2', 'before-3', 'before-4', 'new-primary']);
    });
  },
);
