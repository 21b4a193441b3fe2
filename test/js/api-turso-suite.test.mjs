// api-turso-suite.test.mjs — what running @tursodatabase/database's own tests
// against lodedb found missing: a statement prepared on a Database not yet
// connected is prepared at its first use, so an error in its SQL rejects
// that call instead of throwing from prepare(); a row holds its values under
// column numbers too (not enumerable), so row[i] reads a column whose name
// another shares.  Each scenario runs on @tursodatabase/database and on
// lodedb and the outcomes must be equal.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { promiseEntries } from './entries.mjs';

const outcome = async (fn) => {
  try {
    const v = await fn();
    return v === undefined ? 'ok' : v;
  } catch (e) {
    // Turso's errors are plain Errors (docs/js-api.md): compare the message.
    return /no such table: t\b/.test(e.message) ? 'no such table: t' : e.message;
  }
};

async function deferredScenario({ Database }) {
  const db = new Database(':memory:');
  const out = {};
  let stmt;
  out.prepare = await outcome(() => { stmt = db.prepare('SELECT * FROM t'); });
  out.first = stmt ? await outcome(() => stmt.all()) : null;
  out.again = await outcome(() => db.prepare('SELECT * FROM t'));
  out.rows = await db.prepare('SELECT 1 AS x').all();
  await db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (7)');
  out.later = stmt ? await outcome(() => stmt.all()) : null;
  db.close();
  return out;
}

describe('@tursodatabase/database suite behaviours in lodedb', function () {
  this.timeout(60000);

  it('prepare() before connect() reports an SQL error at the first use of the statement', async () => {
    const expected = await deferredScenario(await import('@tursodatabase/database'));
    const actual = await deferredScenario(await import('lodedb'));
    // Turso keeps the failed statement failing; Lode prepares it again at
    // each use until it succeeds.
    assert.equal(expected.later, 'no such table: t');
    assert.deepEqual(actual.later, [{ x: 7 }]);
    delete expected.later;
    delete actual.later;
    assert.deepEqual(actual, expected);
    assert.equal(actual.prepare, 'ok');
    assert.equal(actual.first, 'no such table: t');
    assert.deepEqual(actual.rows, [{ x: 1 }]);
    const { Database } = await import('lodedb');
    const db = new Database(':memory:');
    assert.equal(db.prepare('SELECT * FROM t').source, 'SELECT * FROM t');
    db.close();
  });

  it('a connected or closed Database still reports at prepare()', async () => {
    const { connect, Database } = await import('lodedb');
    const db = await connect(':memory:');
    assert.throws(() => db.prepare('SELECT * FROM t'), { name: 'SqliteError', message: 'no such table: t' });
    await db.close();
    assert.throws(() => db.prepare('SELECT 1'), { name: 'TypeError', message: 'The database connection is not open' });
    const never = new Database(':memory:');
    await never.close();
    assert.throws(() => never.prepare('SELECT 1'), TypeError);
  });

  // What a row shows of itself: values by number and by name, and what
  // keys, JSON and the property list see.
  const describeRow = (row) => [row[0], row[1], row[2], row[3], Object.keys(row), JSON.stringify(row),
    Object.getOwnPropertyNames(row), Object.getOwnPropertyDescriptor(row, 1) ?? null];
  const SHARED = 'SELECT a.p, b.p, 3 AS n FROM a JOIN b';
  const WIDE = `SELECT ${Array.from({ length: 70 }, (_, i) => `${i} AS c${i}`).join(', ')}`;

  async function indexedRowsScenario({ connect }) {
    const db = await connect(':memory:');
    await db.exec("CREATE TABLE a(p); CREATE TABLE b(p); INSERT INTO a VALUES ('x'); INSERT INTO b VALUES ('y')");
    const iterated = [];
    for await (const r of db.prepare(SHARED).iterate()) iterated.push(describeRow(r));
    const wide = await db.prepare(WIDE).get();
    const out = {
      get: describeRow(await db.prepare(SHARED).get()),
      all: (await db.prepare(SHARED).all()).map(describeRow),
      dbAll: (await db.all(SHARED)).map(describeRow),
      iterated,
      wide: [wide[0], wide[69], Object.keys(wide).length, Object.keys(wide)[69]],
      raw: await db.prepare(SHARED).raw().get(),
      pluck: await db.prepare(SHARED).pluck().get(),
    };
    await db.close();
    return out;
  }

  it('a row holds its values under column numbers too, not enumerable (row[i] where names repeat)', async () => {
    const expected = await indexedRowsScenario(await import('@tursodatabase/database'));
    assert.deepEqual(expected.get.slice(0, 3), ['x', 'y', 3]);
    for (const [name, load, { skip }] of promiseEntries) {
      if (skip) continue;
      assert.deepEqual(await indexedRowsScenario(await load()), expected, name);
    }
  });

  it("lodedb/compat's rows have names only, as better-sqlite3's", async () => {
    const { default: Compat } = await import('lodedb/compat');
    const rows = [BetterSqlite3, Compat].map((Database) => {
      const db = new Database(':memory:');
      db.exec("CREATE TABLE a(p); CREATE TABLE b(p); INSERT INTO a VALUES ('x'); INSERT INTO b VALUES ('y')");
      const r = describeRow(db.prepare(SHARED).get());
      db.close();
      return r;
    });
    assert.deepEqual(rows[1], rows[0]);
    assert.equal(rows[1][0], undefined);
  });
});
