// rss-cycles.mjs — run by api-memory.test.mjs in its own `node --expose-gc`:
// N prepare/step/finalize cycles (prepare, get, close) on one connection, in
// batches with an event-loop turn between them (as a server does between
// requests), and prints {before, after} RSS in bytes: after the first 10k
// cycles and after all of them, each after garbage collection.
// Usage: node --expose-gc rss-cycles.mjs ENTRY N   (ENTRY: compat | promise)
const [entry, n] = [process.argv[2], Number(process.argv[3])];
const BATCH = 10_000;
const turn = () => new Promise((resolve) => setImmediate(resolve));
async function rss() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await turn();
  }
  return process.memoryUsage().rss;
}

let cycle;
if (entry === 'compat') {
  const { default: Database } = await import('lodedb/compat');
  const db = new Database(':memory:');
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  cycle = (i) => {
    const st = db.prepare('SELECT x, ? AS i FROM t WHERE id = 1');
    if (st.get(i).i !== i) throw new Error('wrong row');
    st.close();
  };
} else {
  const { connect } = await import('lodedb');
  const db = await connect(':memory:');
  await db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  cycle = async (i) => {
    const st = db.prepare('SELECT x, ? AS i FROM t WHERE id = 1');
    if ((await st.get(i)).i !== i) throw new Error('wrong row');
    st.close();
  };
}
for (let i = 0; i < BATCH; i++) await cycle(i);
const before = await rss();
for (let i = BATCH; i < n; i += BATCH) {
  for (let j = 0; j < BATCH; j++) await cycle(i + j);
  await turn();
}
console.log(JSON.stringify({ before, after: await rss() }));
