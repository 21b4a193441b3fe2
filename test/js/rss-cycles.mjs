// rss-cycles.mjs — run by api-memory.test.mjs in its own `node --expose-gc`:
// N prepare/step/finalize cycles (prepare, get, close) on one connection, in
// batches with an event-loop turn between them (as a server does between
// requests), and prints {before, after} RSS in bytes: after the first 10k
// cycles and after all of them, each after garbage collection.
// With STYLE `noyield` the loop never gives the event loop a turn (awaits
// settle as microtasks only) and never closes its statements: what they hold
// must be freed by garbage collection alone, as better-sqlite3's are.  Its
// baseline is taken after 500k cycles: until then V8 is still sizing its
// heap (the promise entry's RSS rises ~10% between 100k and 500k cycles and
// is flat from there to 3M; a leak grows it by gigabytes).
// Usage: node --expose-gc rss-cycles.mjs ENTRY N [STYLE]   (ENTRY: compat | promise)
const [entry, n, style] = [process.argv[2], Number(process.argv[3]), process.argv[4] ?? 'turns'];
const noYield = style === 'noyield';
const BATCH = 10_000;
const turn = () => (noYield ? Promise.resolve() : new Promise((resolve) => setImmediate(resolve)));
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
    if (!noYield) st.close();
  };
} else {
  const { connect } = await import('lodedb');
  const db = await connect(':memory:');
  await db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  cycle = async (i) => {
    const st = db.prepare('SELECT x, ? AS i FROM t WHERE id = 1');
    if ((await st.get(i)).i !== i) throw new Error('wrong row');
    if (!noYield) st.close();
  };
}
const warm = noYield ? 50 * BATCH : BATCH;
for (let i = 0; i < warm; i++) await cycle(i);
const before = await rss();
for (let i = warm; i < n; i += BATCH) {
  for (let j = 0; j < BATCH; j++) await cycle(i + j);
  await turn();
}
console.log(JSON.stringify({ before, after: await rss() }));
