// api-scenarios.mjs — scenarios of the promise API's members that
// @tursodatabase/database has and better-sqlite3 lacks (batch(),
// transactionAsync(), query timeouts) plus expand(), written once for every
// place they run: test/js/api-batch-timeout.test.mjs runs them on Node's
// entries and on Turso, and the browser page (test/browser/opfs.mjs, phase
// api) runs them through the worker proxy, whose results the browser test
// compares with Node's.  Each takes connect() and returns plain data
// (structured-cloneable, JSON-able).

export const SCHEMA = 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)';
// Runs for minutes unless interrupted, on Turso too (which has no recursive CTE).
export const FILL = 'INSERT INTO big SELECT a.value FROM (SELECT 1 AS value UNION ALL SELECT 2 UNION ALL SELECT 3 '
  + 'UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8) AS a';
export const SLOW = 'SELECT count(*) AS n FROM big AS a, big AS b, big AS c, big AS d';

// What an error is, as data.
export const errorOf = (e) => ({ name: e?.name, code: e?.code, message: e?.message });
const outcome = (p) => p.then(() => 'resolved', () => 'rejected');

export async function batchScenario(db) {
  await db.exec(SCHEMA);
  const out = {};
  out.plain = await db.batch([
    "INSERT INTO t(v) VALUES ('a')",
    { sql: 'INSERT INTO t(v) VALUES (?)', args: ['b'] },
    { sql: 'INSERT INTO t(v) VALUES (:v), (:v)', args: { v: 'c' } },
    { sql: 'SELECT id, v FROM t WHERE v = ?', args: ['b'] },
    'UPDATE t SET v = v',
  ]);
  out.raw = await db.batch(['SELECT count(*) AS n, max(v) AS m FROM t'], { raw: true });
  // With a mode the batch is atomic: the failing statement undoes the first one.
  out.failed = await outcome(db.batch(["INSERT INTO t(v) VALUES ('x')", 'INSERT INTO t(v) VALUES (NULL)'], 'immediate'));
  // Without one, the statements before the failure stay.
  out.partial = await outcome(db.batch(["INSERT INTO t(v) VALUES ('y')", 'INSERT INTO t(v) VALUES (NULL)']));
  out.write = await db.batch(["INSERT INTO t(v) VALUES ('z')"], { mode: 'write' });
  out.rows = await db.all('SELECT v FROM t ORDER BY id');
  out.inTransaction = db.inTransaction;
  return out;
}

// Lode's errors of batch(), which differ from Turso's on purpose.
export async function batchErrorScenario(db) {
  await db.exec(SCHEMA);
  const out = {};
  out.constraint = await db.batch(['INSERT INTO t(v) VALUES (NULL)'], 'deferred').then(() => 'resolved', errorOf);
  out.notArray = await db.batch('SELECT 1').then(() => 'resolved', errorOf);
  out.inTransaction = db.inTransaction;
  return out;
}

export async function transactionAsyncScenario(db) {
  await db.exec(SCHEMA);
  const out = {};
  let handle;
  const add = db.transactionAsync(async (txn, v) => {
    handle = txn;
    out.openInside = txn.open;
    await txn.run('INSERT INTO t(v) VALUES (?)', v);
    await txn.batch([{ sql: 'INSERT INTO t(v) VALUES (?)', args: [`${v}2`] }]);
    out.seen = (await txn.all('SELECT v FROM t ORDER BY id')).map((r) => r.v);
    return 'done';
  });
  out.result = await add.immediate('a');
  out.openAfter = handle.open;
  out.afterEnd = await handle.run('SELECT 1').then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
  out.rolledBack = await db.transactionAsync(async (txn) => {
    await txn.run("INSERT INTO t(v) VALUES ('lost')");
    throw new Error('boom');
  })().then(() => 'resolved', (e) => e.message);
  out.noHandle = (() => {
    try {
      db.transactionAsync(async () => {});
      return 'accepted';
    } catch (e) {
      return e.name;
    }
  })();
  out.rows = (await db.all('SELECT v FROM t ORDER BY id')).map((r) => r.v);
  out.inTransaction = db.inTransaction;
  return out;
}

// Calls through the Database made while a transactionAsync() body is pending
// wait for its commit; the body's calls through its handle run inside.
// wait() lets other tasks run.
export async function transactionAsyncWaitScenario(db, wait) {
  await db.exec(SCHEMA);
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const txn = db.transactionAsync(async (tx) => {
    await tx.run("INSERT INTO t(v) VALUES ('in')");
    await gate;
    await tx.run("INSERT INTO t(v) VALUES ('in2')");
  })();
  await wait();
  const outside = db.all('SELECT v FROM t ORDER BY id');
  const write = db.run("INSERT INTO t(v) VALUES ('out')");
  await wait();
  release();
  await txn;
  return {
    outside: (await outside).map((r) => r.v),
    changes: (await write).changes,
    rows: (await db.all('SELECT v FROM t ORDER BY id')).map((r) => r.v),
  };
}

// expand(): rows as { table: { column: value } }, expressions under "$".
export async function expandScenario(db) {
  await db.exec("CREATE TABLE a(id INTEGER PRIMARY KEY, x TEXT); CREATE TABLE b(id INTEGER PRIMARY KEY, x TEXT);"
    + "INSERT INTO a VALUES (1, 'ax'); INSERT INTO b VALUES (1, 'bx')");
  const st = db.prepare('SELECT a.id, a.x, b.x, a.id + 1 AS next FROM a JOIN b USING (id)').expand();
  const out = { get: await st.get(), all: await st.all() };
  out.iterated = [];
  for await (const r of st.iterate()) out.iterated.push(r);
  out.off = await st.expand(false).get();
  return out;
}

export async function bigTable(db) {
  await db.exec('CREATE TABLE big(x)');
  await db.exec(FILL); // 8 rows, then ×9 three times: 5832
  for (let i = 0; i < 3; i++) await db.exec(FILL.replace('SELECT a.value FROM', 'SELECT a.value FROM big, '));
}

// Query timeouts: file is filled without one (filling may outlast a short one
// on a loaded machine), then opened with defaultQueryTimeout; a trailing
// { queryTimeout } limits one call.
export async function timeoutScenario(connect, file) {
  const out = {};
  const fill = await connect(file);
  await bigTable(fill);
  await fill.close();
  const db = await connect(file, { defaultQueryTimeout: 100 });
  out.default = {
    get: await db.get(SLOW).then(() => 'resolved', errorOf),
    all: await db.prepare(SLOW).all().then(() => 'resolved', errorOf),
    iterate: await (async () => {
      for await (const r of db.prepare(SLOW).iterate()) return `read ${r.n}`;
      return 'no rows';
    })().catch(errorOf),
  };
  out.after = await db.get('SELECT count(*) AS n FROM big');
  out.write = await db.exec(`CREATE TABLE sink(n); INSERT INTO sink VALUES (1); INSERT INTO sink ${SLOW}`)
    .then(() => 'resolved', errorOf);
  out.sink = await db.all('SELECT n FROM sink');
  out.inTransaction = db.inTransaction;
  await db.close();

  const mem = await connect(':memory:');
  await bigTable(mem);
  out.call = {
    stmt: await mem.prepare(SLOW).get(undefined, { queryTimeout: 50 }).then(() => 'resolved', errorOf),
    db: await mem.get(SLOW, undefined, { queryTimeout: 50 }).then(() => 'resolved', errorOf),
    exec: await mem.exec(SLOW, { queryTimeout: 50 }).then(() => 'resolved', errorOf),
    negative: await mem.get(SLOW, 1, { queryTimeout: -1 }).then(() => 'resolved', (e) => e.name),
  };
  const small = mem.prepare('SELECT count(*) AS n FROM big WHERE x = ?');
  out.small = [await small.get(3, { queryTimeout: 10_000 }), await small.get(3)];
  // a lone object still binds named parameters, as in Turso
  out.named = await mem.get('SELECT :queryTimeout AS q', { queryTimeout: 5 });
  await mem.close();
  out.badDefault = await Promise.resolve().then(() => connect(':memory:', { defaultQueryTimeout: 'soon' }))
    .then(() => 'resolved', (e) => e.name);
  return out;
}

// stmt.busy while an iterator is open, and db.changes() reading the change
// data capture records of two inserts.
export async function busyChangesScenario(db) {
  await db.exec(SCHEMA);
  await db.exec("PRAGMA capture_data_changes_conn('full')");
  await db.run("INSERT INTO t(v) VALUES ('a')");
  await db.run("INSERT INTO t(v) VALUES ('b')");
  const st = db.prepare('SELECT v FROM t ORDER BY id');
  const busy = [st.busy];
  for await (const r of st.iterate()) busy.push([r.v, st.busy]);
  busy.push(st.busy);
  const records = [];
  for await (const c of db.changes({ follow: false })) records.push([c.type, c.table, c.after?.v ?? null]);
  return { busy, records };
}

// backup(): a copy that opens as a database of its own; progress sees the
// page count first; the argument rules are better-sqlite3's.
export async function backupScenario(connect, dest) {
  const db = await connect(':memory:');
  await db.exec(SCHEMA);
  await db.exec("INSERT INTO t(v) VALUES ('a'), ('b'), (zeroblob(20000))");
  const seen = [];
  const out = {};
  out.result = await db.backup(dest, { progress: (s) => { seen.push(s); } });
  out.seen = seen[0];
  out.memory = await db.backup(':memory:').then(() => 'resolved', errorOf);
  out.uri = await db.backup(`file:${dest}`).then(() => 'resolved', errorOf);
  await db.exec("INSERT INTO t(v) VALUES ('after')");
  await db.close();
  const copy = await connect(dest);
  out.rows = await copy.all('SELECT id, length(v) AS n FROM t ORDER BY id');
  out.integrity = await copy.pragma('integrity_check', { simple: true });
  await copy.close();
  return out;
}
