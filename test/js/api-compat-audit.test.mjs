// api-compat-audit.test.mjs — members of better-sqlite3's documented API
// that the audit of lodedb/compat (docs/js-api.md) found missing:
// db.unsafeMode(), stmt.busy and Database.SqliteError.  Each scenario runs
// on better-sqlite3 and on the synchronous entries, and the results must be
// equal.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { syncEntries } from './entries.mjs';

const outcome = (fn) => {
  try {
    const v = fn();
    return v === undefined ? 'ok' : v;
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
};

function unsafeScenario(Database) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t(x); CREATE TABLE u(y); INSERT INTO t VALUES (1), (2)');
  const out = {};
  const st = db.prepare('SELECT x FROM t ORDER BY x');
  out.busyBefore = st.busy;
  const it = st.iterate();
  out.first = it.next().value;
  out.busyDuring = st.busy;
  out.safeRun = outcome(() => db.prepare('INSERT INTO u VALUES (0)').run().changes);
  out.safeExec = outcome(() => db.exec('INSERT INTO u VALUES (0)') && 'ok');
  out.returnsThis = db.unsafeMode() === db && db.unsafeMode(true) === db;
  out.unsafeRun = outcome(() => db.prepare('INSERT INTO u VALUES (1)').run().changes);
  out.unsafeExec = outcome(() => db.exec('INSERT INTO u VALUES (2)') && 'ok');
  out.unsafePragma = outcome(() => db.pragma('user_version', { simple: true }));
  out.unsafeTransaction = outcome(() => db.transaction(() => db.prepare('INSERT INTO u VALUES (3)').run().changes)());
  out.unsafeFunction = outcome(() => db.function('f', () => 1) && 'ok');
  out.unsafeClose = outcome(() => db.close() && 'ok');
  out.rest = [...it];
  out.busyAfter = st.busy;
  out.notBoolean = outcome(() => db.unsafeMode('yes'));
  db.unsafeMode(false);
  const it2 = st.iterate();
  it2.next();
  out.safeAgain = outcome(() => db.prepare('INSERT INTO u VALUES (4)').run().changes);
  it2.return();
  out.u = db.prepare('SELECT y FROM u ORDER BY rowid').pluck().all();
  out.open = db.open;
  db.close();
  return out;
}

describe('JS API: better-sqlite3 members found missing by the audit (unsafeMode, busy, Database.SqliteError)', () => {
  let want;
  before(() => {
    want = unsafeScenario(BetterSqlite3);
  });

  it('better-sqlite3 gives what the scenario expects', () => {
    assert.equal(want.busyDuring, true);
    assert.match(want.safeRun, /busy executing a query/);
    assert.equal(want.unsafeRun, 1);
    assert.match(want.unsafeClose, /busy executing a query/);
    assert.deepEqual(want.u, [1, 2, 3]);
  });

  for (const [name, load, opts] of syncEntries) {
    describe(name, () => {
      let Database;
      before(async function () {
        if (opts.skip) this.skip();
        Database = await load();
      });

      it('unsafeMode() lets statements run while an iterator is open; busy tells an open iterator', () => {
        assert.deepEqual(unsafeScenario(Database), want);
      });

      it('Database.SqliteError is the error class, as in better-sqlite3', async () => {
        assert.equal(typeof BetterSqlite3.SqliteError, 'function');
        assert.equal(typeof Database.SqliteError, 'function');
        const db = new Database(':memory:');
        assert.throws(() => db.exec('SELEC 1'), Database.SqliteError);
        db.close();
      });
    });
  }
});
