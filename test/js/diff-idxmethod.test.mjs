// Index methods against @tursodatabase/database with experimental:
// ['index_method']: the same seeded random sparse vectors, inserted,
// updated and deleted in both, then toy_vector_sparse_ivf queries
// (SELECT id, vector_distance_jaccard(e, ?) AS d FROM t ORDER BY d LIMIT k)
// give the same rows in the same order, with distances equal within 1e-6.
// Lode plans them through the method (EXPLAIN QUERY PLAN says so, as
// Turso's does).  Each engine works on its own file: the two toy methods
// keep their indexes in stores of different layouts (docs/index-methods.md).
// IDXM_SEED overrides the seed; failures print it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect as tursoConnect } from '@tursodatabase/database';
import { connect } from 'lodedb';
import { prng } from '../diff/lib.mjs';

const SEED = Number(process.env.IDXM_SEED || 160016);
const DIMS = 24;

function sparse(rand) {
  const v = [];
  for (let i = 0; i < DIMS; i++) v.push(rand() < 0.2 ? Math.round(rand() * 1000) / 100 + 0.01 : 0);
  if (v.every((x) => x === 0)) v[Math.floor(rand() * DIMS)] = 1.25;
  return `[${v.join(',')}]`;
}

describe('index methods: toy_vector_sparse_ivf against Turso', function () {
  this.timeout(120000);
  let dir, lode, turso;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-idxm-'));
    lode = await connect(path.join(dir, 'lode.db'), { experimental: ['index_method'] });
    turso = await tursoConnect(path.join(dir, 'turso.db'), { experimental: ['index_method'] });
  });

  after(async function () {
    if (lode) await lode.close();
    if (turso) await turso.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const both = async (sql, ...args) => {
    await lode.prepare(sql).run(...args);
    await turso.prepare(sql).run(...args);
  };

  it(`gives Turso's results on random data and changes (seed ${SEED})`, async function () {
    const rand = prng(SEED);
    await both('CREATE TABLE t(id INTEGER PRIMARY KEY, e BLOB, note TEXT)');
    // The index comes first: Turso 0.7.2 also writes the rows already there into its stores as plain index
    // entries, which its queries then read as a corrupt index (test_idxmethod.c covers Lode's build of a full table).
    await both('CREATE INDEX t_idx ON t USING toy_vector_sparse_ivf (e)');
    for (let i = 1; i <= 240; i++) {
      await both('INSERT INTO t VALUES (?, vector32_sparse(?), ?)', i, sparse(rand), `n${i}`);
    }
    for (let i = 0; i < 80; i++) {
      const id = 1 + Math.floor(rand() * 260);
      const r = rand();
      if (r < 0.3) await both('DELETE FROM t WHERE id = ?', id);
      else if (r < 0.6) await both('UPDATE t SET e = vector32_sparse(?) WHERE id = ?', sparse(rand), id);
      else if (r < 0.8) await both('UPDATE t SET note = ? WHERE id = ?', `u${i}`, id);
      else await both('INSERT OR REPLACE INTO t VALUES (?, vector32_sparse(?), ?)', id, sparse(rand), `r${i}`);
    }
    const sql = 'SELECT id, note, vector_distance_jaccard(e, vector32_sparse(?)) AS d FROM t ORDER BY d LIMIT ?';
    const plan = await lode.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[1]', 5);
    assert.equal(plan.map((r) => r.detail).join(';'), 'QUERY INDEX METHOD toy_vector_sparse_ivf');
    for (let q = 0; q < 40; q++) {
      const v = sparse(rand), k = 1 + Math.floor(rand() * 12);
      const a = await lode.prepare(sql).raw().all(v, k);
      const b = await turso.prepare(sql).raw().all(v, k);
      const what = `seed ${SEED}, query ${q} ${v} LIMIT ${k}`;
      assert.deepEqual(a.map((r) => [r[0], r[1]]), b.map((r) => [r[0], r[1]]), what);
      for (let i = 0; i < a.length; i++) {
        assert.ok(Math.abs(a[i][2] - b[i][2]) <= 1e-6, `${what}: distance of row ${i}`);
      }
    }
    assert.equal((await lode.prepare('PRAGMA integrity_check').raw().all())[0][0], 'ok');
  });
});
