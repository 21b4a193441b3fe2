// lodedb/wasm in a browser page, in headless Chromium: the engine runs in a
// Dedicated Worker with its files in OPFS, on a page that is not
// cross-origin isolated.  The page (test/browser/opfs.mjs) creates a table,
// inserts and reads back, then reloads itself and reads the rows again; a
// second Chromium on the same profile (and the same origin: OPFS is per
// origin, port included) reads them once more.  Results come back as POSTs
// to this test's server.  A third run of the page (phase api) runs the
// scenarios of test/browser/api-scenarios.mjs through the page's worker
// proxy; its results must equal those of the native promise API.  Chromium is driven without a library: spawned on
// a URL, then ended with SIGTERM (its profile is flushed on exit).
//
// Needs /usr/bin/chromium (CHROMIUM=path for another) and dist/wasm: skipped
// without them, a failure under CI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { skipWasm, tick } from './entries.mjs';
import * as scenarios from '../browser/api-scenarios.mjs';

const root = new URL('../..', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MIME = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const WAIT_MS = 60_000;

// Static files of the repository on 127.0.0.1 (a secure context), and POST /result.
function serve(onResult) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        res.end();
        onResult(JSON.parse(body));
      });
      return;
    }
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) {
      res.statusCode = 403;
      res.end();
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', MIME[path.extname(file)] || 'application/octet-stream');
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('browser: lodedb/wasm in a page, engine in a worker, files in OPFS (headless Chromium)', function () {
  this.timeout(3 * WAIT_MS);
  let server, base, profile;
  const results = [];
  const waiters = [];

  function nextResult(phase) {
    const found = results.findIndex((r) => r.phase === phase);
    if (found >= 0) return Promise.resolve(results.splice(found, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${phase} result within ${WAIT_MS} ms`)), WAIT_MS);
      waiters.push({ phase, resolve: (r) => { clearTimeout(timer); resolve(r); } });
    });
  }

  // Runs Chromium on the page until the result of `until` arrives, then ends it.
  async function withChromium(query, until) {
    const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, `${base}/test/browser/opfs.html?${query}`],
      { stdio: 'ignore', detached: true });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      return await Promise.race([nextResult(until),
        exited.then(() => { throw new Error('chromium exited before the page reported'); })]);
    } finally {
      // The whole process group: Chromium's helpers too, which would go on writing to the profile.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
      await exited;
    }
  }

  before(async function () {
    if (skipWasm) this.skip();
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing (tools/setup.sh installs chromium)`);
      this.skip();
    }
    server = await serve((r) => {
      const w = waiters.findIndex((x) => x.phase === r.phase);
      if (w >= 0) waiters.splice(w, 1)[0].resolve(r);
      else results.push(r);
    });
    base = `http://127.0.0.1:${server.address().port}`;
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-chromium-'));
  });
  after(() => {
    server?.close();
    // Chromium's helper processes may still write to the profile for a moment after it exits.
    try {
      if (profile) fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (e) {
      console.warn(`    (could not remove the Chromium profile ${profile}: ${e.code})`);
    }
  });

  const file = `lode-test-${process.pid}.db`;
  let written, reloaded;

  it('creates a table, inserts and reads back, then reads the rows again after a page reload', async () => {
    const q = `phase=write&file=${file}`;
    const child = withChromium(q, 'verify');
    written = await nextResult('write');
    reloaded = await child;
    assert.equal(written.ok, true, written.error);
    assert.deepEqual(written.rows, { n: 101, mx: 'row 99 ✓' });
    assert.equal(reloaded.ok, true, reloaded.error);
    assert.equal(reloaded.count, 101);
    assert.deepEqual(reloaded.row7, { v: 'row 7 ✓', b: [7, 248] });
    assert.deepEqual(reloaded.iterated, [1, 2, 3]);
    assert.equal(reloaded.integrity, 'ok');
  });

  it('runs without cross-origin isolation (no SharedArrayBuffer needed)', function () {
    if (!written) this.skip();
    assert.equal(written.crossOriginIsolated, false);
    assert.match(written.version, /^\d+\.\d+/);
  });

  it("reports SQL errors as SqliteError and keeps ':memory:' databases in memory", function () {
    if (!written) this.skip();
    assert.deepEqual({ name: written.syntax.name, code: written.syntax.code }, { name: 'SqliteError', code: 'SQLITE_ERROR' });
    assert.match(written.syntax.message, /syntax error/);
    assert.equal(written.memory, 'in memory');
  });

  it('the rows survive a browser restart on the same profile', async function () {
    if (!reloaded) this.skip();
    const again = await withChromium(`phase=verify&file=${file}`, 'verify');
    assert.equal(again.ok, true, again.error);
    assert.equal(again.count, 101);
  });

  it('the single-file bundle (wasm inlined, its own worker) does the same from one file', async function () {
    const bundle = path.join(root, 'dist/wasm/lodedb.bundle.mjs');
    if (!fs.existsSync(bundle)) {
      if (process.env.CI) throw new Error(`${bundle} is missing (sh wasm/build.sh makes it)`);
      this.skip();
    }
    const other = `bundle-${file}`;
    const child = withChromium(`phase=write&file=${other}&lib=bundle`, 'verify');
    const w = await nextResult('write');
    const v = await child;
    assert.equal(w.ok, true, w.error);
    assert.equal(w.lib, 'bundle');
    assert.deepEqual(w.rows, { n: 101, mx: 'row 99 ✓' });
    assert.equal(w.crossOriginIsolated, false);
    assert.equal(v.ok, true, v.error);
    assert.equal(v.lib, 'bundle');
    assert.equal(v.count, 101);
    assert.deepEqual(v.row7, { v: 'row 7 ✓', b: [7, 248] });
  });

  it('batch, transactionAsync, expand, stmt.busy, changes(), query timeouts and backup() behave in a page as in Node', async () => {
    const lode = await import('lodedb');
    const on = async (scenario, ...args) => {
      const db = await lode.connect(':memory:');
      try {
        return await scenario(db, ...args);
      } finally {
        await db.close();
      }
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-browser-api-'));
    let want;
    try {
      want = JSON.parse(JSON.stringify({
        batch: await on(scenarios.batchScenario),
        batchErrors: await on(scenarios.batchErrorScenario),
        txn: await on(scenarios.transactionAsyncScenario),
        txnWait: await on(scenarios.transactionAsyncWaitScenario, tick),
        expand: await on(scenarios.expandScenario),
        busyChanges: await on(scenarios.busyChangesScenario),
        timeouts: await scenarios.timeoutScenario(lode.connect, path.join(dir, 'timeouts.db')),
        backup: await scenarios.backupScenario(lode.connect, path.join(dir, 'backup.db')),
      }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // what Node gives is what the scenarios are meant to show
    const INTERRUPTED = { name: 'SqliteError', code: 'SQLITE_INTERRUPT', message: 'interrupted' };
    assert.deepEqual(want.batch.rows.map((r) => r.v), ['a', 'b', 'c', 'c', 'y', 'z']);
    assert.deepEqual(want.batchErrors.constraint,
      { name: 'SqliteError', code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: t.v' });
    assert.deepEqual(want.txn.rows, ['a', 'a2']);
    assert.equal(want.txn.noHandle, 'TypeError');
    assert.deepEqual(want.txnWait, { outside: ['in', 'in2'], changes: 1, rows: ['in', 'in2', 'out'] });
    assert.deepEqual(want.expand.get, { a: { id: 1, x: 'ax' }, b: { x: 'bx' }, $: { next: 2 } });
    assert.deepEqual(want.busyChanges, {
      busy: [false, ['a', true], ['b', true], false],
      records: [['insert', 't', 'a'], ['commit', null, null], ['insert', 't', 'b'], ['commit', null, null]],
    });
    assert.deepEqual(want.timeouts.default, { get: INTERRUPTED, all: INTERRUPTED, iterate: INTERRUPTED });
    assert.deepEqual(want.timeouts.call, { stmt: INTERRUPTED, db: INTERRUPTED, exec: INTERRUPTED, negative: 'TypeError' });

    assert.deepEqual(want.backup.result, { totalPages: 6, remainingPages: 0 });
    assert.deepEqual(want.backup.seen, { totalPages: 6, remainingPages: 6 });
    assert.deepEqual(want.backup.rows, [{ id: 1, n: 1 }, { id: 2, n: 1 }, { id: 3, n: 20000 }]);
    assert.equal(want.backup.integrity, 'ok');
    assert.equal(want.backup.memory.name, 'TypeError');
    assert.equal(want.backup.uri.name, 'TypeError');

    const got = await withChromium(`phase=api&file=${file}`, 'api');
    assert.equal(got.ok, true, got.error);
    const { phase, ok, lib, ...results } = got;
    assert.deepEqual(results, want);
  });
});
