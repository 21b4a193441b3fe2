// cdc.mjs — insert and update throughput with change data capture off, id
// and full, on Lode and on @tursodatabase/database, in memory.  Not a timed
// test: `node bench/cdc.mjs [rows]` prints a table (rows per second of the
// process's CPU time, which a busy shared machine disturbs less than the
// clock) and the bytes the records of full mode add.
import { connect as lodeConnect } from '../js/index.mjs';
import { connect as tursoConnect } from '@tursodatabase/database';

const N = Number(process.argv[2] || 20000);
const MODES = ['off', 'id', 'full'];

// Seconds of CPU time (user + system) the process has used.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function run(connect, mode) {
  const db = await connect(':memory:');
  await db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, payload BLOB)');
  if (mode !== 'off') await db.exec(`PRAGMA capture_data_changes_conn('${mode}')`);
  const payload = Buffer.alloc(64, 7);
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  let t0 = cpu();
  await db.exec('BEGIN');
  for (let i = 1; i <= N; i++) await ins.run(i, `name ${i}`, i / 3, payload);
  await db.exec('COMMIT');
  const insertRate = N / (cpu() - t0);
  const upd = db.prepare('UPDATE t SET score = score + 1 WHERE id = ?');
  t0 = cpu();
  await db.exec('BEGIN');
  for (let i = 1; i <= N; i++) await upd.run(i);
  await db.exec('COMMIT');
  const updateRate = N / (cpu() - t0);
  let bytes = 0;
  if (mode !== 'off') {
    const r = await db.prepare('SELECT sum(coalesce(length("before"), 0) + coalesce(length("after"), 0) '
      + '+ coalesce(length(updates), 0)) AS b FROM turso_cdc').get();
    bytes = r.b ?? 0;
  }
  await db.close();
  return { insertRate, updateRate, bytes };
}

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${Math.round(x / 1e3)}k` : `${Math.round(x)}`);
console.log(`| mode | lode insert/s | turso insert/s | lode update/s | turso update/s | record bytes (lode) |`);
console.log(`|------|--------------:|---------------:|--------------:|---------------:|--------------------:|`);
// One untimed round each, so the first timed mode does not pay for warming up.
await run(lodeConnect, 'off');
await run(tursoConnect, 'off');
for (const mode of MODES) {
  const lode = await run(lodeConnect, mode);
  const turso = await run(tursoConnect, mode);
  console.log(`| ${mode} | ${fmt(lode.insertRate)} | ${fmt(turso.insertRate)} | ${fmt(lode.updateRate)} | `
    + `${fmt(turso.updateRate)} | ${fmt(lode.bytes)} |`);
}
