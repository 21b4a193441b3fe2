// api-turso-suite.test.mjs — what running @tursodatabase/database's own tests
// against lodedb found missing: a statement prepared on a Database not yet
// connected is prepared at its first use, so an error in its SQL rejects
// that call instead of throwing from prepare().  The scenario runs on
// @tursodatabase/database and on lodedb and the outcomes must be equal.
import assert from 'node:assert/strict';

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
});
