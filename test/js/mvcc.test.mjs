// mvcc.test.mjs — concurrent transactions through the JS API, several
// connections on one file opened with connect(path, { experimental: ['mvcc'] })
// as @tursodatabase/database takes it: the mode switch, snapshot reads,
// write-write conflicts in both orders (SQLITE_BUSY_SNAPSHOT, the transaction
// rolled back; never retried by a busy timeout), disjoint writers, COMMIT held back by an exclusive
// transaction (SQLITE_BUSY, still open, retried), deferred restarts, and
// interleaved transfers between accounts whose total never changes.
//
// The same tests run on @tursodatabase/database 0.7.2 as a reference for what
// the outcome is (which statement fails, what each snapshot sees); Turso
// reports its errors as GenericFailure rather than SQLite codes, so only Lode
// is held to the codes, and the tests where Turso 0.7.2 departs from its own
// manual (COMMIT during an exclusive transaction: it reports a write-write
// conflict and rolls back) run on Lode only.  On Lode
// the suite skips ("SKIP (no mvcc)") while the engine refuses the pragma.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const targets = [
  { name: 'lodedb', load: () => import('lodedb'), lode: true },
  { name: '@tursodatabase/database (reference)', load: () => import('@tursodatabase/database'), lode: false },
];

for (const target of targets) {
  describe(`MVCC concurrent transactions: ${target.name}`, function () {
    let mod;
    let tmp;
    let n = 0;
    let open = [];

    before(async function () {
      mod = await target.load();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-mvcc-'));
      const probe = await mod.connect(path.join(tmp, 'probe.db'), { experimental: ['mvcc'] });
      const mode = (await probe.prepare('PRAGMA journal_mode = experimental_mvcc').get()).journal_mode;
      await probe.close();
      if (mode !== 'mvcc' && mode !== 'experimental_mvcc') {
        console.log(`      SKIP (no mvcc): PRAGMA journal_mode = experimental_mvcc answered ${mode}`);
        this.skip();
      }
    });
    afterEach(async () => {
      for (const db of open) if (db.open) await db.close();
      open = [];
    });
    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    // A fresh file in MVCC mode with accounts 1..3 (Turso's MVCC has no indexes, so none here).
    async function setup(count = 3) {
      const file = path.join(tmp, `t${++n}.db`);
      const first = await mod.connect(file, { experimental: ['mvcc'] });
      open.push(first);
      await first.exec('PRAGMA journal_mode = experimental_mvcc');
      await first.exec('CREATE TABLE acct(id INTEGER PRIMARY KEY, bal INTEGER NOT NULL)');
      await first.exec('INSERT INTO acct VALUES (1, 100), (2, 200), (3, 300)');
      const conns = [first];
      while (conns.length < count) {
        const db = await mod.connect(file, { experimental: ['mvcc'] });
        open.push(db);
        conns.push(db);
      }
      return { file, conns };
    }
    const bal = async (db, id) => (await db.prepare('SELECT bal FROM acct WHERE id = ?').get(id))?.bal;
    const all = async (db) => (await db.prepare('SELECT id, bal FROM acct ORDER BY id').raw().all()).map((r) => r.join(':')).join(',');

    // A write-write conflict: Lode answers SQLITE_BUSY_SNAPSHOT; any error on the reference.
    async function conflict(p) {
      if (target.lode) await assert.rejects(p, (e) => e.code === 'SQLITE_BUSY_SNAPSHOT' && e.rawCode === 517);
      else await assert.rejects(p);
    }
    // SQLITE_BUSY with any extended code on Lode ("database is locked" on the reference).
    async function busy(p) {
      if (target.lode) await assert.rejects(p, (e) => e.code.startsWith('SQLITE_BUSY'));
      else await assert.rejects(p, /locked/);
    }

    it('the pragma reports mvcc on every connection, and the mode persists', async () => {
      const { file, conns: [a, b] } = await setup(2);
      for (const db of [a, b]) assert.equal((await db.prepare('PRAGMA journal_mode').get()).journal_mode, 'mvcc');
      await a.close();
      await b.close();
      const c = await mod.connect(file, { experimental: ['mvcc'] });
      open.push(c);
      assert.equal((await c.prepare('PRAGMA journal_mode').get()).journal_mode, 'mvcc');
      assert.equal(await all(c), '1:100,2:200,3:300');
    });

    it('works without the experimental option too (Lode gates nothing)', async function () {
      if (!target.lode) this.skip();
      const { file } = await setup(1);
      const d = await mod.connect(file);
      open.push(d);
      assert.equal((await d.prepare('PRAGMA journal_mode').get()).journal_mode, 'mvcc');
      await d.exec('BEGIN CONCURRENT');
      await d.exec('UPDATE acct SET bal = 1 WHERE id = 1');
      await d.exec('COMMIT');
      assert.equal(await bal(d, 1), 1);
    });

    it('BEGIN CONCURRENT reads a snapshot as of its BEGIN: repeatable, no dirty reads, no phantoms', async () => {
      const { conns: [a, b, c] } = await setup();
      await a.exec('BEGIN CONCURRENT');
      assert.equal(a.inTransaction, true);
      await b.exec('UPDATE acct SET bal = 101 WHERE id = 1'); // committed before a's first read
      assert.equal(await bal(a, 1), 100);
      await c.exec('BEGIN CONCURRENT');
      await c.exec('UPDATE acct SET bal = 0 WHERE id = 2');
      await c.exec('INSERT INTO acct VALUES (4, 400)');
      assert.equal(await all(a), '1:100,2:200,3:300'); // c's writes are not committed
      assert.equal(await all(b), '1:101,2:200,3:300');
      await c.exec('COMMIT');
      assert.equal(await all(a), '1:100,2:200,3:300'); // still a's snapshot
      assert.equal((await a.prepare('SELECT count(*) AS n FROM acct').get()).n, 3);
      await a.exec('UPDATE acct SET bal = bal + 5 WHERE id = 3');
      assert.equal(await bal(a, 3), 305); // its own write
      assert.equal(await bal(b, 3), 300);
      await a.exec('COMMIT');
      assert.equal(await all(b), '1:101,2:0,3:305,4:400');
    });

    it('write-write conflict with an active writer: the second writer is rolled back', async () => {
      const { conns: [a, b, c] } = await setup();
      await a.exec('BEGIN CONCURRENT');
      await b.exec('BEGIN CONCURRENT');
      await a.exec('UPDATE acct SET bal = 1 WHERE id = 1');
      await conflict(b.exec('UPDATE acct SET bal = 2 WHERE id = 1'));
      assert.equal(b.inTransaction, false);
      await assert.rejects(b.exec('ROLLBACK'), /cannot rollback - no transaction is active/);
      await a.exec('COMMIT');
      assert.equal(await bal(c, 1), 1);
    });

    it('write-write conflict with a writer that committed after BEGIN: at the write or at COMMIT', async () => {
      const { conns: [a, b, c] } = await setup();
      await a.exec('BEGIN CONCURRENT');
      await b.exec('BEGIN CONCURRENT');
      await b.exec('UPDATE acct SET bal = 2 WHERE id = 1');
      await b.exec('COMMIT');
      await conflict((async () => {
        await a.exec('UPDATE acct SET bal = 1 WHERE id = 1');
        await a.exec('COMMIT');
      })());
      assert.equal(a.inTransaction, false);
      assert.equal(await bal(c, 1), 2);
      // the retry from BEGIN CONCURRENT commits
      await a.exec('BEGIN CONCURRENT');
      await a.exec('UPDATE acct SET bal = bal + 1 WHERE id = 1');
      await a.exec('COMMIT');
      assert.equal(await bal(c, 1), 3);
    });

    it('a busy timeout never retries a conflicting write', async function () {
      if (!target.lode) this.skip();
      const { file, conns: [b, c] } = await setup(2);
      const a = await mod.connect(file, { experimental: ['mvcc'], timeout: 2000 });
      open.push(a);
      await a.exec('BEGIN CONCURRENT');
      await a.exec('UPDATE acct SET bal = 3 WHERE id = 3');
      await b.exec('BEGIN CONCURRENT');
      await b.exec('UPDATE acct SET bal = 2 WHERE id = 1');
      await b.exec('COMMIT');
      await conflict((async () => {
        await a.exec('UPDATE acct SET bal = 1 WHERE id = 1');
        await a.exec('COMMIT');
      })());
      assert.equal(a.inTransaction, false);
      assert.equal(await all(c), '1:2,2:200,3:300');
    });

    it('writers of disjoint rows all commit', async () => {
      const { conns } = await setup(3);
      for (const db of conns) await db.exec('BEGIN CONCURRENT');
      for (const [i, db] of conns.entries()) {
        await db.exec(`UPDATE acct SET bal = bal + ${i + 1} WHERE id = ${i + 1}`);
        await db.exec(`INSERT INTO acct VALUES (${10 + i}, ${i})`);
      }
      for (const db of [...conns].reverse()) await db.exec('COMMIT');
      assert.equal(await all(conns[0]), '1:101,2:202,3:303,10:0,11:1,12:2');
    });

    it('a rolled-back concurrent transaction leaves nothing', async () => {
      const { conns: [a, b] } = await setup(2);
      await a.exec('BEGIN CONCURRENT');
      await a.exec('UPDATE acct SET bal = 0');
      await a.exec('INSERT INTO acct VALUES (9, 9)');
      await a.exec('ROLLBACK');
      assert.equal(await all(b), '1:100,2:200,3:300');
    });

    it('COMMIT is SQLITE_BUSY while BEGIN IMMEDIATE is active, stays open and succeeds after', async function () {
      if (!target.lode) this.skip(); // Turso 0.7.2 rolls the transaction back, unlike its manual
      const { conns: [a, b, c] } = await setup();
      await a.exec('BEGIN CONCURRENT');
      await a.exec('UPDATE acct SET bal = 1 WHERE id = 1');
      await b.exec('BEGIN IMMEDIATE');
      await b.exec('UPDATE acct SET bal = 3 WHERE id = 3');
      await a.exec('UPDATE acct SET bal = 2 WHERE id = 2'); // writes go on during it
      await busy(a.exec('COMMIT'));
      assert.equal(a.inTransaction, true);
      await b.exec('COMMIT');
      await a.exec('COMMIT');
      assert.equal(await all(c), '1:1,2:2,3:3');
    });

    it('a deferred transaction that has read cannot write after another commit; one that has not read restarts', async () => {
      const { conns: [a, b, c] } = await setup();
      await a.exec('BEGIN DEFERRED');
      await b.exec('UPDATE acct SET bal = 1 WHERE id = 1');
      assert.equal(await bal(a, 1), 1); // not read before: starts from the newest state
      await b.exec('UPDATE acct SET bal = 2 WHERE id = 1');
      await busy(a.exec('UPDATE acct SET bal = 9 WHERE id = 3'));
      if (a.inTransaction) await a.exec('ROLLBACK');
      assert.equal(await all(c), '1:2,2:200,3:300');
    });

    it('interleaved transfers with retries keep the total', async () => {
      const { conns } = await setup(4);
      let seed = 12345;
      const rand = (k) => {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return (seed >>> 0) % k;
      };
      // Each connection runs transfers as steps (BEGIN, read, debit, credit, COMMIT), interleaved at random.
      const state = conns.map((db) => ({ db, step: 0, from: 0, to: 0, amt: 0 }));
      let committed = 0;
      let conflicts = 0;
      for (let i = 0; i < 600 && committed < 100; i++) {
        const s = state[rand(state.length)];
        try {
          if (s.step === 0) {
            s.from = 1 + rand(3);
            s.to = 1 + ((s.from + rand(2)) % 3);
            s.amt = 1 + rand(20);
            await s.db.exec('BEGIN CONCURRENT');
          } else if (s.step === 1) {
            await bal(s.db, s.from);
          } else if (s.step === 2) {
            await s.db.prepare('UPDATE acct SET bal = bal - ? WHERE id = ?').run(s.amt, s.from);
          } else if (s.step === 3) {
            await s.db.prepare('UPDATE acct SET bal = bal + ? WHERE id = ?').run(s.amt, s.to);
          } else {
            await s.db.exec('COMMIT');
            committed++;
          }
          s.step = (s.step + 1) % 5;
        } catch (e) {
          if (target.lode) assert.match(e.code, /^SQLITE_BUSY/);
          conflicts++;
          if (s.db.inTransaction) await s.db.exec('ROLLBACK');
          s.step = 0;
        }
      }
      for (const s of state) if (s.db.inTransaction) await s.db.exec('ROLLBACK');
      assert.ok(committed >= 20, `${committed} transfers committed`);
      assert.ok(conflicts > 0, 'some transfers conflicted');
      const total = (await conns[0].prepare('SELECT sum(bal) AS s FROM acct').get()).s;
      assert.equal(total, 600);
    });
  });
}
