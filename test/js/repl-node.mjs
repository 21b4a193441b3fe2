// One replicating process of replication-cluster.test.mjs, driven over IPC:
// the parent sends { id, op, ... } and gets { id, ok, value } or
// { id, ok: false, error } back; a running write loop also sends
// { acked: key } for every transaction whose promise resolved (with sync
// 'replicated': once the stream stored it).
import { connect } from '../../js/index.mjs';
import { replicate } from '../../js/replication.mjs';

let db = null;
let rep = null;
let writing = false;
let writer = null;

async function tables() {
  const out = {};
  for (const { name } of await db.all("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"))
    out[name] = await db.all(`SELECT * FROM "${name}" ORDER BY rowid`);
  return out;
}

// Random transactions: a keyed row in t (never deleted, so every acked key
// must survive), and churn in u.
async function writeLoop(prefix) {
  let k = 0;
  while (writing) {
    const key = `${prefix}-${k++}`;
    try {
      await db.transaction(async () => {
        await db.run('INSERT INTO t(k, v, n) VALUES (?, randomblob(?), ?)', key, 50 + (k % 7) * 300, k);
        await db.run('INSERT INTO u(x) VALUES (?)', k);
        if (k % 3 === 0) await db.run('DELETE FROM u WHERE rowid IN (SELECT rowid FROM u ORDER BY random() LIMIT 1)');
        if (k % 4 === 0) await db.run('UPDATE t SET n = n + 1 WHERE rowid = (SELECT max(rowid) FROM t) - 1');
      })();
      process.send({ acked: key });
    } catch (e) {
      process.send({ failed: key, error: String(e?.message ?? e) });
      if (rep?.role !== 'primary') break;
    }
  }
}

const ops = {
  async open({ path, options }) {
    db = await connect(path);
    rep = await replicate(db, options);
    return rep.role;
  },
  async schema() {
    await db.exec('CREATE TABLE IF NOT EXISTS t(k TEXT PRIMARY KEY, v BLOB, n INT); CREATE TABLE IF NOT EXISTS u(x)');
  },
  async startWriting({ prefix }) {
    writing = true;
    writer = writeLoop(prefix);
  },
  async stopWriting() {
    writing = false;
    await writer;
  },
  // Commits locally; the promise (which waits for the stream) is not awaited.
  async writeDetached({ key }) {
    db.run('INSERT INTO t(k, v, n) VALUES (?, x\'00\', 0)', key).then(
      () => process.send({ acked: key }),
      (e) => process.send({ failed: key, error: String(e?.message ?? e) }),
    );
  },
  async count() {
    return (await db.get('SELECT count(*) AS n FROM t')).n;
  },
  async keys() {
    return (await db.all('SELECT k FROM t')).map((r) => r.k);
  },
  async state() {
    return { role: rep.role, lag: rep.lag, metrics: rep.metrics, unpublished: rep.unpublished };
  },
  async synced() {
    await rep.synced();
  },
  async tables() {
    return tables();
  },
  async close() {
    writing = false;
    await writer;
    await rep?.close();
    await db?.close();
  },
};

process.on('message', async (m) => {
  if (!m || m.id === undefined) return;
  try {
    const value = await ops[m.op](m);
    process.send({ id: m.id, ok: true, value });
  } catch (e) {
    process.send({ id: m.id, ok: false, error: String(e?.message ?? e) });
  }
});
process.send({ ready: true });
