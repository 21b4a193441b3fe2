// api-verbose.test.mjs — the verbose option of the synchronous entries: the
// function is called with each statement's text as it starts to run, its
// parameters replaced by the bound values, as better-sqlite3 calls it.  The
// scenario runs on better-sqlite3 and on each entry; the calls must match.
// (Integral numbers are left out of the bound values: Lode binds them as
// INTEGER, better-sqlite3 as REAL, so their text differs on purpose.)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { syncEntries } from './entries.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

function scenario(Database) {
  const log = [];
  const db = new Database(':memory:', { verbose: (...args) => log.push(args) });
  db.exec("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x;y') ;  -- a comment\n  INSERT INTO t VALUES (2, 2);");
  const ins = db.prepare('INSERT INTO t VALUES (?, :x)');
  ins.run(5.5, { x: "it's" });
  ins.run(6.5, { x: Buffer.from('ab') });
  ins.run(7.25, { x: null });
  db.prepare('SELECT * FROM t WHERE a > ? AND b <> \'?\' -- ?').all(0.5);
  db.prepare('SELECT * FROM t WHERE a > $min').get({ min: 1.5 });
  for (const r of db.prepare('SELECT 1 UNION SELECT 2').iterate()) log.push(['row', r]);
  db.pragma('user_version');
  db.transaction(() => ins.run(8.5, { x: 1e-7 }))();
  try {
    db.exec('SELECT * FROM nope');
  } catch (e) {
    log.push(['error', e.message]);
  }
  try {
    db.prepare('INSERT INTO t VALUES (?, ?)').run(1.5, 2.5, 3.5);
  } catch (e) {
    log.push(['error', e.message]);
  }
  const bound = db.prepare('SELECT ?, @n').bind('x', { n: 0.1 + 0.2 });
  bound.get();
  bound.all();
  db.exec("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT ';'; END; -- the end\n");
  db.close();
  return log;
}

describe('JS API: the verbose option (sync entries vs better-sqlite3)', () => {
  let want;
  before(() => {
    want = scenario(BetterSqlite3);
  });

  for (const [entry, load, { skip }] of syncEntries) {
    describe(entry, () => {
      let Database;
      before(async function () {
        if (skip) this.skip();
        Database = await load();
      });

      it('is called with each statement as it runs, parameters replaced by their values', () => {
        assert.deepEqual(scenario(Database), want);
      });

      it('must be a function', () => {
        assert.throws(() => new Database(':memory:', { verbose: 'yes' }),
          { name: 'TypeError', message: 'Expected the "verbose" option to be a function' });
        assert.equal(new Database(':memory:', { verbose: null }).prepare('SELECT 1 AS x').get().x, 1);
      });
    });
  }
});
