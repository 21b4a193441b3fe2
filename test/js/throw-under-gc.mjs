// throw-under-gc.mjs — run by api-memory.test.mjs in its own node with a
// 1 MB young generation: statements left to the garbage collector while every
// iteration fails twice (a constraint, a missing table) and once in a user
// function, so collections run the addon's finalizers between its failures.
// Prints the number of errors caught, of the expected class each.
// Usage: node --max-semi-space-size=1 throw-under-gc.mjs N
const { default: Database } = await import('lodedb/compat');
const db = new Database(':memory:');
db.exec('CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (1)');
db.function('fail', () => {
  throw new RangeError('from a user function');
});
const insert = db.prepare('INSERT INTO t VALUES (1)');
const failing = db.prepare('SELECT fail()');
const n = Number(process.argv[2]);
let caught = 0;
const expect = (fn, cls, code) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof cls) || (code && e.code !== code)) throw e;
    caught++;
  }
};
for (let i = 0; i < n; i++) {
  if (db.prepare(`SELECT ? + ${i % 64} AS v`).get(i).v !== i + (i % 64)) throw new Error('wrong row');
  expect(() => insert.run(), Database.SqliteError, 'SQLITE_CONSTRAINT_UNIQUE');
  expect(() => db.prepare(`SELECT * FROM missing${i % 8}`), Database.SqliteError, 'SQLITE_ERROR');
  expect(() => failing.get(), RangeError);
}
console.log(caught);
