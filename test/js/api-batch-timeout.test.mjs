// api-batch-timeout.test.mjs — the parts of @tursodatabase/database's API
// that better-sqlite3 lacks: db.batch(), db.transactionAsync() and query
// timeouts (connect option defaultQueryTimeout, a trailing { queryTimeout }
// argument, exec(sql, { queryTimeout })).  Each scenario runs on Lode's
// promise entries and on @tursodatabase/database 0.7.2, and the results are
// compared; errors differ on purpose (Lode's are SqliteError with SQLite's
// codes and messages, Turso's are GenericFailure).  batch() is also checked
// on the synchronous entries.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect as tursoConnect } from '@tursodatabase/database';
import { promiseEntries, syncEntries, tick } from './entries.mjs';
import {
  SCHEMA, SLOW, batchScenario, bigTable, transactionAsyncScenario, transactionAsyncWaitScenario,
} from '../browser/api-scenarios.mjs';

describe('JS API: batch() and transactionAsync() match @tursodatabase/database', function () {
  this.timeout(60_000);
  let want;
  before(async () => {
    const turso = await tursoConnect(':memory:');
    want = { batch: await batchScenario(turso) };
    await turso.close();
    const turso2 = await tursoConnect(':memory:');
    want.txn = await transactionAsyncScenario(turso2);
    await turso2.close();
  });

  it('Turso gives what the scenarios expect', () => {
    assert.equal(want.batch.failed, 'rejected');
    assert.deepEqual(want.batch.rows.map((r) => r.v), ['a', 'b', 'c', 'c', 'y', 'z']);
    assert.deepEqual(want.txn.rows, ['a', 'a2']);
    assert.equal(want.txn.noHandle, 'TypeError');
  });

  for (const [name, load, opts] of promiseEntries) {
    describe(name, () => {
      let connect;
      before(async function () {
        if (opts.skip) this.skip();
        ({ connect } = await load());
      });

      it('batch(): the same results, atomic with a mode, statement by statement without', async () => {
        const db = await connect(':memory:');
        try {
          assert.deepEqual(await batchScenario(db), want.batch);
        } finally {
          await db.close();
        }
      });

      it('batch(): an error is a SqliteError with SQLite\'s code and message', async () => {
        const db = await connect(':memory:');
        await db.exec(SCHEMA);
        await assert.rejects(db.batch(['INSERT INTO t(v) VALUES (NULL)'], 'deferred'), {
          name: 'SqliteError', code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: t.v',
        });
        await assert.rejects(db.batch('SELECT 1'), {
          name: 'TypeError', message: 'Expected first argument to be an array of statements',
        });
        assert.equal(db.inTransaction, false);
        await db.close();
      });

      it('transactionAsync(): the same results as Turso; the handle closes with the transaction', async () => {
        const db = await connect(':memory:');
        try {
          assert.deepEqual(await transactionAsyncScenario(db), want.txn);
        } finally {
          await db.close();
        }
      });

      it('transactionAsync(): other callers wait for the commit; the body\'s own calls run inside', async () => {
        const db = await connect(':memory:');
        assert.deepEqual(await transactionAsyncWaitScenario(db, tick),
          { outside: ['in', 'in2'], changes: 1, rows: ['in', 'in2', 'out'] });
        await db.close();
      });
    });
  }

  for (const [name, load, opts] of syncEntries) {
    it(`${name}: batch() runs synchronously with the same results`, async function () {
      if (opts.skip) this.skip();
      const Database = await load();
      const db = new Database(':memory:');
      // the promise scenario, on a synchronous database
      const asPromises = {
        exec: async (sql) => db.exec(sql),
        batch: async (s, o) => db.batch(s, o),
        all: async (sql) => db.prepare(sql).all(),
        get inTransaction() { return db.inTransaction; },
      };
      assert.ok(Array.isArray(db.batch(['SELECT 1'])));
      assert.deepEqual(await batchScenario(asPromises), want.batch);
      db.close();
    });
  }
});

describe('JS API: query timeouts (defaultQueryTimeout, { queryTimeout })', function () {
  this.timeout(60_000);

  it('Turso interrupts the same statements (the option shapes are its own)', async () => {
    // (its defaultQueryTimeout is the same limit, set at connect: too short for bigTable on Turso)
    const db = await tursoConnect(':memory:');
    await bigTable(db);
    await assert.rejects(db.get(SLOW, undefined, { queryTimeout: 100 }), /interrupted/);
    await assert.rejects(db.prepare(SLOW).get(undefined, { queryTimeout: 100 }), /interrupted/);
    await assert.rejects(db.exec(SLOW, { queryTimeout: 100 }), /interrupted/);
    await db.close();
  });

  for (const [name, load, opts] of promiseEntries) {
    describe(name, () => {
      let connect;
      before(async function () {
        if (opts.skip) this.skip();
        ({ connect } = await load());
      });
      const INTERRUPTED = { name: 'SqliteError', code: 'SQLITE_INTERRUPT', message: 'interrupted' };
      // A file filled without a timeout (filling may outlast a short one on a loaded machine), then
      // opened with defaultQueryTimeout.
      let dir;
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-timeout-'));
      });
      after(() => dir && fs.rmSync(dir, { recursive: true, force: true })); // no dir when the entry was skipped
      async function filled(name, options) {
        const file = path.join(dir, name);
        const db = await connect(file);
        await bigTable(db);
        await db.close();
        return connect(file, options);
      }

      it('defaultQueryTimeout interrupts a long statement with SQLITE_INTERRUPT; the connection goes on', async () => {
        const db = await filled('default.db', { defaultQueryTimeout: 100 });
        await assert.rejects(db.get(SLOW), INTERRUPTED);
        await assert.rejects(db.prepare(SLOW).all(), INTERRUPTED);
        await assert.rejects(async () => {
          for await (const r of db.prepare(SLOW).iterate()) assert.fail(`read ${r.n}`);
        }, INTERRUPTED);
        assert.deepEqual(await db.get('SELECT count(*) AS n FROM big'), { n: 5832 });
        await db.close();
      });

      it('an interrupted write changes nothing', async () => {
        const db = await filled('write.db', { defaultQueryTimeout: 100 });
        await db.exec('CREATE TABLE sink(n)');
        await assert.rejects(db.run(`INSERT INTO sink ${SLOW.replace('count(*) AS n', 'a.x')}`), INTERRUPTED);
        await assert.rejects(db.exec(`INSERT INTO sink VALUES (1); INSERT INTO sink ${SLOW}`), INTERRUPTED);
        // exec's first statement committed on its own, as SQLite's exec does
        assert.deepEqual(await db.all('SELECT n FROM sink'), [{ n: 1 }]);
        assert.equal(db.inTransaction, false);
        await db.close();
      });

      it('a trailing { queryTimeout } limits one call; without it the call runs to the end', async () => {
        const db = await connect(':memory:');
        await bigTable(db);
        const st = db.prepare(SLOW);
        await assert.rejects(st.get(undefined, { queryTimeout: 50 }), INTERRUPTED);
        await assert.rejects(db.get(SLOW, undefined, { queryTimeout: 50 }), INTERRUPTED);
        await assert.rejects(db.exec(SLOW, { queryTimeout: 50 }), INTERRUPTED);
        // the option is not a bound value, and the default (none) comes back after the call
        const small = db.prepare('SELECT count(*) AS n FROM big WHERE x = ?');
        assert.deepEqual(await small.get(3, { queryTimeout: 10_000 }), { n: 729 });
        assert.deepEqual(await small.get(3), { n: 729 });
        // a lone object still binds named parameters, as in Turso
        assert.deepEqual(await db.get('SELECT :queryTimeout AS q', { queryTimeout: 5 }), { q: 5 });
        await assert.rejects(db.get(SLOW, 1, { queryTimeout: -1 }), { name: 'TypeError' });
        await db.close();
      });

      it('defaultQueryTimeout must be a non-negative integer', async () => {
        await assert.rejects(async () => connect(':memory:', { defaultQueryTimeout: 'soon' }), { name: 'TypeError' });
      });
    });
  }
});
