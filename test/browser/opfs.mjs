// The page of test/js/browser.test.mjs: lodedb/wasm in a page (engine in a
// Dedicated Worker, files in OPFS).  ?phase=write creates a table, inserts
// and reads back, checks ':memory:', then reloads itself with
// ?phase=verify, which reads the rows back after the reload.  ?phase=api
// runs the scenarios of test/browser/api-scenarios.mjs (batch,
// transactionAsync, expand, stmt.busy and changes(), query timeouts) through the worker.  Each phase
// POSTs { phase, ok, ... } to /result on the test's server.
const params = new URLSearchParams(location.search);
const phase = params.get('phase');
const file = params.get('file');
// lib=bundle: the single-file build (dist/wasm/lodedb.bundle.mjs), which is
// also its own worker; otherwise the modules of js/.
const lib = params.get('lib') === 'bundle' ? 'bundle' : 'modules';

async function report(result) {
  document.getElementById('result').textContent = JSON.stringify(result);
  document.title = result.ok ? 'ok' : 'failed';
  await fetch('/result', { method: 'POST', body: JSON.stringify(result) });
}

async function write(lode) {
  const db = await lode.connect(file);
  await db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB)');
  const ins = db.prepare('INSERT INTO t(v, b) VALUES (?, ?)');
  await db.transaction(async (txn) => {
    const inTxn = txn.prepare('INSERT INTO t(v, b) VALUES (?, ?)');
    for (let i = 0; i < 100; i++) await inTxn.run(`row ${i} ✓`, new Uint8Array([i, 255 - i]));
  })();
  await ins.run('last', null);
  const rows = await db.prepare('SELECT count(*) AS n, max(v) AS mx FROM t').get();
  let syntax = null;
  try {
    await db.prepare('SELEC 1').all();
  } catch (e) {
    syntax = { name: e.name, code: e.code, message: e.message };
  }
  const mem = await lode.connect(':memory:');
  await mem.exec("CREATE TABLE m(x); INSERT INTO m VALUES ('in memory')");
  const memory = await mem.prepare('SELECT x FROM m').pluck().get();
  await mem.close();
  await db.close();
  return { rows, syntax, memory, crossOriginIsolated: self.crossOriginIsolated, version: lode.version };
}

async function verify(lode) {
  const db = await lode.connect(file);
  const count = await db.prepare('SELECT count(*) FROM t').pluck().get();
  const row7 = await db.get('SELECT v, b FROM t WHERE id = 8');
  const iterated = [];
  for await (const r of db.prepare('SELECT id FROM t WHERE id <= 3 ORDER BY id').pluck().iterate()) iterated.push(r);
  const integrity = await db.pragma('integrity_check', { simple: true });
  await db.close();
  return { count, row7: { v: row7.v, b: Array.from(row7.b) }, iterated, integrity };
}

// The same scenarios the Node tests run, through the page's proxy.
async function api(lode) {
  const s = await import('./api-scenarios.mjs');
  const on = async (scenario, ...args) => {
    const db = await lode.connect(':memory:');
    try {
      return await scenario(db, ...args);
    } finally {
      await db.close();
    }
  };
  const wait = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    batch: await on(s.batchScenario),
    batchErrors: await on(s.batchErrorScenario),
    txn: await on(s.transactionAsyncScenario),
    txnWait: await on(s.transactionAsyncWaitScenario, wait),
    expand: await on(s.expandScenario),
    busyChanges: await on(s.busyChangesScenario),
    timeouts: await s.timeoutScenario(lode.connect, `timeouts-${file}`),
    backup: await s.backupScenario(lode.connect, `backup-${file}`),
  };
}

try {
  const lode = await import(lib === 'bundle' ? '../../dist/wasm/lodedb.bundle.mjs' : '../../js/wasm.mjs');
  if (phase === 'api') {
    await report({ phase, ok: true, lib, ...(await api(lode)) });
  } else if (phase === 'write') {
    const r = await write(lode);
    await report({ phase, ok: true, lib, ...r });
    location.replace(`${location.pathname}?phase=verify&file=${encodeURIComponent(file)}&lib=${lib}`);
  } else {
    await report({ phase, ok: true, lib, ...(await verify(lode)) });
  }
} catch (e) {
  await report({ phase, ok: false, error: `${e.name}: ${e.message}\n${e.stack}` });
}
