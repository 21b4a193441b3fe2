// api-large.test.mjs — large values and many rows through every entry: a
// 10 MB BLOB and a 10 MB string round-trip byte for byte (promise entries),
// and 1M rows inserted in one transaction read back by aggregate (sync
// entries; the promise ones add only a promise per call, covered by api.test's
// 100k rows).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { promiseEntries, syncEntries } from './entries.mjs';

const MB10 = 10 * 1024 * 1024;

for (const [name, load, opts] of promiseEntries) {
  describe(`${name}: large values`, function () {
    this.timeout(120_000);
    let mod;
    before(async function () {
      if (opts.skip) this.skip();
      mod = await load();
    });

    it('a 10 MB BLOB and a 10 MB string round-trip unchanged', async () => {
      const db = await mod.connect(':memory:');
      try {
        const blob = crypto.randomBytes(MB10);
        const text = 'é✓𝄞a'.repeat(MB10 / 10);
        await db.exec('CREATE TABLE big(b BLOB, t TEXT)');
        await db.prepare('INSERT INTO big VALUES (?, ?)').run(blob, text);
        const row = await db.prepare('SELECT b, t, length(b) AS lb, length(t) AS lt FROM big').get();
        assert.equal(row.lb, MB10);
        assert.equal(row.lt, [...text].length);
        assert.equal(Buffer.compare(Buffer.from(row.b), blob), 0);
        assert.equal(row.t, text);
      } finally {
        await db.close();
      }
    });
  });
}

for (const [name, load, opts] of syncEntries) {
  describe(`${name}: many rows`, function () {
    this.timeout(300_000);
    let Database;
    before(async function () {
      if (opts.skip) this.skip();
      Database = await load();
    });

    it('1M rows in one transaction', () => {
      const db = new Database(':memory:');
      try {
        db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, s TEXT)');
        const ins = db.prepare('INSERT INTO t(x, s) VALUES (?, ?)');
        db.transaction(() => {
          for (let i = 0; i < 1_000_000; i++) ins.run(i, `r${i % 1000}`);
        })();
        assert.deepEqual(db.prepare('SELECT count(*) AS n, sum(x) AS sx, count(DISTINCT s) AS ds, max(id) AS m FROM t').get(),
          { n: 1_000_000, sx: 499_999_500_000, ds: 1000, m: 1_000_000 });
      } finally {
        db.close();
      }
    });
  });
}
