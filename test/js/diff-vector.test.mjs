// Vector search against @tursodatabase/database (the dev dependency, 0.7.2),
// on the native addon and on the wasm build: every example of Turso's manual
// (vector chapter), then seeded random vectors (dims 1–4096; dense, sparse,
// float8, float1bit; special values) through every function.  Blobs and
// vector_extract text must be identical; distances equal within 1e-6
// relative to the scale of the computation: the result itself for l2, 1 for
// cos and jaccard (bounded results of a cancellation), and sum |a_i b_i| for
// dot (Turso sums f32 dot products in f32, so its own error is relative to
// that sum, not to a result that cancels).  Where Lode departs from Turso on
// purpose (errors for empty vectors and NaN/Infinity, the dimensions of a
// sparse vector_concat) the test checks Lode's documented behaviour instead.
// VECTOR_SEED / VECTOR_COUNT override the seed and the number of random
// vector pairs; failures print the seed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { connect as tursoConnect } from '@tursodatabase/database';
import { prng } from '../diff/lib.mjs';

const root = new URL('../..', import.meta.url).pathname;
const wasmBuilt = fs.existsSync(path.join(root, 'dist/wasm/lode.mjs'));
const SEED = Number(process.env.VECTOR_SEED || 20240611);
const COUNT = Number(process.env.VECTOR_COUNT || 400);

// the wasm build runs a quarter of the pairs: same C code, slower to drive
const entries = [
  ['lodedb (native)', () => import('lodedb'), false, COUNT],
  ['lodedb/wasm', () => import('lodedb/wasm'), !wasmBuilt && !process.env.CI, Math.ceil(COUNT / 4)],
];

const hex = (v) => (v instanceof Uint8Array ? 'x' + Buffer.from(v).toString('hex') : v);
const f32 = Math.fround;

async function rows(db, sql, args = []) {
  return (await db.prepare(sql).raw().all(...args)).map((r) => r.map(hex));
}

async function outcome(db, sql, args = []) {
  try {
    return { rows: await rows(db, sql, args) };
  } catch (e) {
    return { error: e.message, code: e.code };
  }
}

/** Fails with the first difference of two long strings (not all of them). */
function same(a, b, what) {
  if (a === b) return;
  let i = 0;
  while (i < Math.min(String(a).length, String(b).length) && String(a)[i] === String(b)[i]) i++;
  const cut = (x) => JSON.stringify(String(x).slice(Math.max(0, i - 40), i + 40));
  assert.fail(`${what}: differs at ${i}: lode ${cut(a)} turso ${cut(b)}`);
}

/** |a - b| <= 1e-6 * max(|b|, scale); NULLs equal only NULLs. */
function close(a, b, scale) {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(b), scale);
}

// ---- random vectors ------------------------------------------------------

function generator(seed) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const dims = () => {
    const r = rnd();
    if (r < 0.4) return 1 + Math.floor(rnd() * 16);
    if (r < 0.85) return 17 + Math.floor(rnd() * 300);
    return 317 + Math.floor(rnd() * 3780);
  };
  const specials = [0, -0, 1e-45, -1e-45, 1.17549435e-38, 3.4028234e38, -3.4028234e38, 1, -1, 0.1, 1e-7, 1e30,
    123456789, 16777217, 2 ** -126, 2 ** 100, 0.5, 1e-40];
  // moderate values: distances stay far from f32 overflow in Turso's sums
  const moderate = () => {
    const r = rnd();
    if (r < 0.5) return f32(rnd() * 2 - 1);
    if (r < 0.7) return f32((rnd() - 0.5) * 2 * 10 ** Math.floor(rnd() * 6 - 3));
    if (r < 0.8) return Math.floor(rnd() * 21) - 10;
    return f32(rnd());
  };
  const special = () => (rnd() < 0.5 ? pick(specials) : f32((rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 76 - 38)));
  // how a number is written: plain, exponent, leading '+', bare '.5'
  const write = (x, wide) => {
    if (Object.is(x, -0)) return '-0';
    const r = rnd();
    if (wide) return String(x);
    if (r < 0.5) return String(x);
    if (r < 0.7) return x.toExponential(rnd() < 0.5 ? 8 : 12);
    if (r < 0.8) return x.toPrecision(9);
    if (r < 0.9 && x > 0 && x < 1) return String(x).replace(/^0\./, '.');
    return (x >= 0 ? '+' : '') + String(x);
  };
  const text = (xs, wide) => {
    const sep = pick([',', ', ', ' ,', ' , ', ',\n']);
    return pick(['', ' ', '\t']) + '[' + pick(['', ' ']) + xs.map((x) => write(x, wide)).join(sep) + pick(['', ' ']) + ']' + pick(['', ' ', '\n']);
  };
  return function pair() {
    const n = dims();
    const kind = pick(['moderate', 'moderate', 'moderate', 'sparse', 'special', 'wide']);
    const value = kind === 'special' ? special : moderate;
    const sparsify = (x) => (kind === 'sparse' && rnd() < 0.8 ? 0 : x);
    const a = Array.from({ length: n }, () => sparsify(value()));
    const b = Array.from({ length: n }, () => sparsify(value()));
    if (kind === 'wide') for (let i = 0; i < n; i++) a[i] = b[i] = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
    const s = Math.floor(rnd() * n);
    const e = s + 1 + Math.floor(rnd() * (n - s));
    return { kind, n, a, b, ta: text(a, kind === 'wide'), tb: text(b, kind === 'wide'), s, e };
  };
}

const TYPES = ['vector32', 'vector64', 'vector32_sparse', 'vector8', 'vector1bit'];
const METRICS = ['cos', 'l2', 'dot', 'jaccard'];

/** The expressions run for one pair; distances only on moderate values. */
function expressions(p) {
  const ex = [];
  // float8 keeps max - min in f32: Lode refuses values that overflow it
  const hi = Math.max(...p.a.map(f32)), lo = Math.min(...p.a.map(f32));
  const f8ok = Number.isFinite(f32(hi - lo));
  for (const t of TYPES) {
    if (t === 'vector8' && !f8ok) continue;
    ex.push({ sql: `${t}(?1)`, kind: 'exact' }, { sql: `vector_extract(${t}(?1))`, kind: 'exact' });
    if (p.kind === 'special' || p.kind === 'wide') continue;
    if (p.kind === 'sparse' && t !== 'vector32_sparse') continue;
    for (const m of METRICS) {
      if (t === 'vector1bit' && m === 'l2') continue;
      ex.push({ sql: `vector_distance_${m}(${t}(?1), ${t}(?2))`, kind: m, type: t });
    }
  }
  for (const t of ['vector32', 'vector64', 'vector32_sparse']) {
    if (t !== 'vector32_sparse') ex.push({ sql: `vector_concat(${t}(?1), ${t}(?2))`, kind: 'exact' });
    ex.push({ sql: `vector_slice(${t}(?1), ${p.s}, ${p.e})`, kind: 'exact' });
  }
  // Turso's sparse concat keeps the second vector's indexes as they were;
  // Lode shifts them, which is what Turso's dense concat gives once sparse
  ex.push({ sql: 'vector_concat(vector32_sparse(?1), vector32_sparse(?2))', kind: 'sparse-concat' },
    { sql: 'vector32_sparse(vector_concat(vector32(?1), vector32(?2)))', kind: 'exact' });
  for (const [outer, inner] of [['vector32', 'vector64'], ['vector64', 'vector32'], ['vector32_sparse', 'vector32'],
    ['vector32', 'vector32_sparse'], ['vector32', 'vector8'], ['vector8', 'vector32'], ['vector1bit', 'vector64'],
    ['vector32', 'vector1bit'], ['vector64', 'vector8']].filter(([o, i]) => f8ok || (o !== 'vector8' && i !== 'vector8')))
    ex.push({ sql: `${outer}(${inner}(?1))`, kind: 'exact' });
  if (p.kind === 'moderate') ex.push({ sql: 'vector_distance_cos(?1, ?2)', kind: 'cos', type: 'vector32' });
  return ex;
}

/** sum |a_i b_i| of the values as the type stores them (dot's scale). */
function dotScale(p, type) {
  const conv = type === 'vector64' ? (x) => x : f32;
  let s = 0;
  for (let i = 0; i < p.n; i++) s += Math.abs(conv(p.a[i]) * conv(p.b[i]));
  return type === 'vector8' || type === 'vector1bit' ? Math.max(s, p.n) : s;
}

for (const [name, load, skip, count] of entries) {
  describe(`vector search vs Turso: ${name}`, function () {
    this.timeout(300000);
    let lode;
    let turso;

    before(async function () {
      if (skip) this.skip();
      lode = await (await load()).connect(':memory:');
      turso = await tursoConnect(':memory:');
    });
    after(async () => {
      await lode?.close();
      await turso?.close();
    });

    it("runs every example of Turso's manual (vector chapter) with Turso's output", async () => {
      const setup = [
        'CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT, content TEXT, embedding BLOB)',
        "INSERT INTO documents (name, content, embedding) VALUES ('Doc 1', 'Machine learning basics', vector32('[0.2, 0.5, 0.1, 0.8]')), ('Doc 2', 'Database fundamentals', vector32('[0.1, 0.3, 0.9, 0.2]')), ('Doc 3', 'Neural networks guide', vector32('[0.3, 0.6, 0.2, 0.7]'))",
      ];
      for (const s of setup) {
        await lode.exec(s);
        await turso.exec(s);
      }
      const examples = [
        "SELECT vector32('[1.0, 2.0, 3.0]')",
        "SELECT vector32_sparse('[0.0, 1.5, 0.0, 2.3, 0.0]')",
        "SELECT vector64('[1.0, 2.0, 3.0]')",
        "SELECT vector8('[1.0, 2.0, 3.0, 4.0]')",
        "SELECT vector_extract(vector1bit('[1, -1, 1, 1, -1, 0, 0.5]'))",
        'SELECT vector_extract(embedding) FROM documents',
        "SELECT name, vector_distance_cos(embedding, vector32('[0.1, 0.5, 0.3, 0.2]')) AS distance FROM documents ORDER BY distance LIMIT 10",
        "SELECT name, vector_distance_l2(embedding, vector32('[0.1, 0.5, 0.3, 0.2]')) AS distance FROM documents ORDER BY distance LIMIT 10",
        "SELECT name, vector_distance_dot(embedding, vector32('[0.1, 0.5, 0.3, 0.2]')) AS distance FROM documents ORDER BY distance LIMIT 10",
        "SELECT name, vector_distance_jaccard(vector32_sparse(vector_extract(embedding)), vector32_sparse('[0.0, 1.0, 0.0, 2.0]')) AS distance FROM documents ORDER BY distance LIMIT 10",
        "SELECT vector_concat(vector32('[1.0, 2.0]'), vector32('[3.0, 4.0]'))",
        "SELECT vector_extract(vector_concat(vector32('[1.0, 2.0]'), vector32('[3.0, 4.0]')))",
        "SELECT vector_slice(vector32('[1.0, 2.0, 3.0, 4.0, 5.0]'), 1, 4)",
        "SELECT vector_extract(vector_slice(vector32('[1.0, 2.0, 3.0, 4.0, 5.0]'), 1, 4))",
        "SELECT name, content, vector_distance_cos(embedding, vector32('[0.25, 0.55, 0.15, 0.75]')) AS similarity FROM documents ORDER BY similarity LIMIT 5",
      ];
      assert.deepEqual(await rows(lode, examples[4]), [['[1,-1,1,1,-1,-1,1]']]);
      for (const sql of examples) {
        const mine = await rows(lode, sql);
        const theirs = await rows(turso, sql);
        assert.equal(mine.length, theirs.length, sql);
        mine.forEach((row, i) => row.forEach((v, j) => {
          if (typeof v === 'number') assert.ok(close(v, theirs[i][j], 1), `${sql}: ${v} vs ${theirs[i][j]}`);
          else assert.equal(v, theirs[i][j], sql);
        }));
      }
    });

    it(`gives Turso's blobs, texts and distances on ${count} random vector pairs (seed ${SEED})`, async () => {
      const pair = generator(SEED);
      let checked = 0;
      for (let k = 0; k < count; k++) {
        const p = pair();
        const ex = expressions(p);
        const sql = 'SELECT ' + ex.map((e) => e.sql).join(', ');
        const where = `seed ${SEED} pair ${k} (${p.kind}, ${p.n} dims)`;
        const mine = await outcome(lode, sql, [p.ta, p.tb]);
        const theirs = await outcome(turso, sql, [p.ta, p.tb]);
        assert.ok(mine.rows, `${where}: ${mine.error}`);
        assert.ok(theirs.rows, `${where}: Turso: ${theirs.error}`);
        ex.forEach((e, j) => {
          const m = mine.rows[0][j];
          const t = theirs.rows[0][j];
          const what = `${where}: ${e.sql}`;
          if (e.kind === 'exact') same(m, t, what);
          else if (e.kind === 'sparse-concat') same(m, theirs.rows[0][j + 1], what);
          else if (e.kind === 'l2') assert.ok(close(m, t, 0), `${what}: ${m} vs ${t}`);
          else if (e.kind === 'dot') assert.ok(close(m, t, dotScale(p, e.type)), `${what}: ${m} vs ${t}`);
          else assert.ok(close(m, t, 1), `${what}: ${m} vs ${t}`);
          checked++;
        });
      }
      assert.ok(checked > count * 20);
    });

    it('finds the same top-10 neighbours as Turso with ORDER BY distance LIMIT', async () => {
      const rnd = prng(SEED + 1);
      const dims = 48;
      const vec = () => '[' + Array.from({ length: dims }, () => f32(rnd() * 2 - 1)).join(',') + ']';
      for (const db of [lode, turso]) await db.exec('CREATE TABLE items(id INTEGER PRIMARY KEY, emb BLOB)');
      for (let i = 0; i < 500; i++) {
        const v = vec();
        for (const db of [lode, turso]) await db.prepare('INSERT INTO items(emb) VALUES (vector32(?))').run(v);
      }
      for (const m of ['cos', 'l2', 'dot']) {
        const q = vec();
        const sql = `SELECT id FROM items ORDER BY vector_distance_${m}(emb, vector32(?)) LIMIT 10`;
        const mine = (await rows(lode, sql, [q])).map((r) => r[0]);
        const theirs = (await rows(turso, sql, [q])).map((r) => r[0]);
        assert.deepEqual(mine, theirs, m);
        assert.equal(mine.length, 10);
      }
    });

    it('reports what both refuse as SQLITE_ERROR naming the function', async () => {
      const refused = [
        "SELECT vector32('[1,2')", "SELECT vector32('1,2')", "SELECT vector32('[1,,2]')", "SELECT vector32('[1,2,]')",
        "SELECT vector32('[nan]')", "SELECT vector32('[inf]')", "SELECT vector32('[1e39]')", "SELECT vector32('[0x10]')",
        "SELECT vector32('[1 2]')", "SELECT vector32('[1]x')", "SELECT vector32(x'00')", "SELECT vector32(12)",
        "SELECT vector_extract(x'0000803f0000')", "SELECT vector_extract(x'000080')", "SELECT vector_extract('[1]')",
        "SELECT vector_distance_cos(vector32('[1]'), vector64('[1]'))",
        "SELECT vector_distance_l2(vector32('[1]'), vector32('[1,2]'))",
        "SELECT vector_distance_l2(vector1bit('[1,-2,3]'), vector1bit('[1,2,-3]'))",
        "SELECT vector_concat(vector32('[1]'), vector64('[1]'))", "SELECT vector_concat(vector8('[1]'), vector8('[2]'))",
        "SELECT vector_slice(vector1bit('[1,-1,1]'), 0, 2)", "SELECT vector_slice(vector32('[1,2,3]'), 2, 1)",
        "SELECT vector_slice(vector32('[1,2,3]'), -1, 2)", "SELECT vector_slice(vector32('[1,2,3]'), 0, 4)",
        "SELECT vector_slice(vector32('[1,2,3]'), 0.5, 2)", "SELECT vector1bit('[]')",
      ];
      for (const sql of refused) {
        const mine = await outcome(lode, sql);
        const theirs = await outcome(turso, sql);
        assert.ok(theirs.error, `Turso accepts ${sql}`);
        assert.equal(mine.code, 'SQLITE_ERROR', `${sql}: ${JSON.stringify(mine)}`);
        const fn = sql.match(/^SELECT (vector[a-z0-9_]*)/)[1];
        assert.match(mine.error, new RegExp(`^${fn}: `), sql);
      }
    });

    it('builds empty dense vectors as Turso does', async () => {
      const built = [
        "SELECT vector_extract(vector32('[]'))", "SELECT vector_extract(vector64('[]'))", "SELECT vector_extract(x'')",
        "SELECT hex(vector32('[]'))", "SELECT hex(vector64('[]'))",
        "SELECT vector_extract(vector_concat(vector32('[]'), vector32('[1]')))",
      ];
      for (const sql of built) assert.deepEqual(await outcome(lode, sql), await outcome(turso, sql), sql);
    });

    it('refuses empty vectors and NaN/Infinity where Turso gives a value', async () => {
      const refused = [
        "SELECT vector32_sparse('[]')", "SELECT vector8('[]')", "SELECT vector_slice(vector32('[1,2,3]'), 1, 1)",
        "SELECT vector_distance_cos(vector32('[]'), vector32('[]'))",
        "SELECT vector32(x'0000c07f')", "SELECT vector_distance_cos(x'0000c07f', x'0000803f')",
        "SELECT vector_distance_l2(x'0000807f', x'0000803f')", "SELECT vector_distance_jaccard(x'0000c07f', x'0000803f')",
        "SELECT vector_concat(x'0000c07f', x'0000803f')", "SELECT vector8('[-3e38, 3e38]')",
      ];
      for (const sql of refused) {
        const mine = await outcome(lode, sql);
        assert.equal(mine.code, 'SQLITE_ERROR', `${sql}: ${JSON.stringify(mine)}`);
        assert.match(mine.error, /empty vectors are not supported|finite numbers|float32 range/, sql);
        assert.ok((await outcome(turso, sql)).rows, `Turso now refuses ${sql}: update the docs`);
      }
      // vector_extract shows what a blob holds, as Turso does
      assert.deepEqual(await rows(lode, "SELECT vector_extract(x'0000c07f0000807f')"), [['[NaN,inf]']]);
    });

    it('treats zero vectors in cosine distance as Turso does', async () => {
      const cases = [
        ["vector32('[0,0]')", "vector32('[1,1]')"], ["vector32('[0,0]')", "vector32('[0,0]')"],
        ["vector64('[0,0]')", "vector64('[0,1]')"], ["vector64('[0,0]')", "vector64('[0,0]')"],
        ["vector32_sparse('[0,0]')", "vector32_sparse('[1,0]')"], ["vector8('[0,0]')", "vector8('[1,2]')"],
      ];
      const seen = [];
      for (const [a, b] of cases) {
        const sql = `SELECT vector_distance_cos(${a}, ${b})`;
        const mine = (await rows(lode, sql))[0][0];
        assert.equal(mine, (await rows(turso, sql))[0][0], sql);
        seen.push(mine);
      }
      assert.deepEqual(seen, [1, 0, 1, 0, null, null]);
    });

    it('returns NULL for NULL arguments', async () => {
      assert.deepEqual(await rows(lode, "SELECT vector32(NULL), vector_extract(NULL), vector_distance_cos(NULL, '[1]')"),
        [[null, null, null]]);
    });
  });
}

describe('vector kernels: native (AVX-512/AVX2/SSE2) and wasm (SIMD128) agree to the bit', function () {
  this.timeout(120000);
  it('gives identical dense distances on random vectors of every length up to 300', async function () {
    if (!wasmBuilt && !process.env.CI) this.skip();
    const native = await (await import('lodedb')).connect(':memory:');
    const wasm = await (await import('lodedb/wasm')).connect(':memory:');
    const rnd = prng(SEED + 2);
    const sql = ['vector32', 'vector64'].flatMap((t) => ['cos', 'l2', 'dot'].map((m) =>
      `vector_distance_${m}(${t}(?1), ${t}(?2))`)).join(', ');
    for (let n = 1; n <= 300; n++) {
      const v = () => '[' + Array.from({ length: n }, () => (rnd() * 2 - 1) * 10 ** Math.floor(rnd() * 6 - 3)).join(',') + ']';
      const args = [v(), v()];
      const a = await native.prepare(`SELECT ${sql}`).raw().get(...args);
      const b = await wasm.prepare(`SELECT ${sql}`).raw().get(...args);
      a.forEach((x, i) => assert.ok(Object.is(x, b[i]), `n=${n} column ${i}: ${x} vs ${b[i]}`));
    }
    await native.close();
    await wasm.close();
  });

  it('gives a scan against a bound query vector the distances to the same vector in a column', async function () {
    if (!wasmBuilt && !process.env.CI) this.skip();
    const native = await (await import('lodedb')).connect(':memory:');
    const wasm = await (await import('lodedb/wasm')).connect(':memory:');
    const rnd = prng(SEED + 3);
    // scales whose f32 squares overflow or underflow take the kernels' exact double sums
    const scales = [1, 1e-3, 1e3, 1e21, 1e-22];
    for (const dims of [3, 65, 768]) {
      const vec = (scale) => {
        const a = new Float32Array(dims);
        for (let i = 0; i < dims; i++) a[i] = (rnd() * 2 - 1) * scale;
        return Buffer.from(a.buffer);
      };
      const out = [];
      for (const db of [native, wasm]) {
        await db.exec('DROP TABLE IF EXISTS items; DROP TABLE IF EXISTS q; ' +
          'CREATE TABLE items(id INTEGER PRIMARY KEY, emb BLOB); CREATE TABLE q(v BLOB)');
      }
      const embs = scales.flatMap((s) => Array.from({ length: 8 }, () => vec(s)));
      for (const qs of scales) {
        const query = vec(qs);
        for (const db of [native, wasm]) {
          await db.exec('DELETE FROM items; DELETE FROM q');
          for (const e of embs) await db.prepare('INSERT INTO items(emb) VALUES (?)').run(e);
          await db.prepare('INSERT INTO q VALUES (?)').run(query);
          // ?1 is constant for the run (decoded once, its sum of squares summed once); q.v is a column
          const got = await db.prepare('SELECT ' + ['cos', 'l2', 'dot'].map((m) =>
            `vector_distance_${m}(emb, ?1), vector_distance_${m}(?1, emb), vector_distance_${m}(emb, q.v)`).join(', ') +
            ' FROM items, q ORDER BY items.id').raw().all(query);
          for (const r of got) for (let m = 0; m < 3; m++) {
            assert.ok(Object.is(r[3 * m], r[3 * m + 2]) && Object.is(r[3 * m + 1], r[3 * m + 2]),
              `dims ${dims} query scale ${qs}: ${r.slice(3 * m, 3 * m + 3)}`);
          }
          out.push(got);
        }
        assert.deepEqual(out[out.length - 2], out[out.length - 1], `native and wasm, dims ${dims} scale ${qs}`);
      }
    }
    await native.close();
    await wasm.close();
  });
});
