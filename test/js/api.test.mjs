// api.test.mjs — the JS API, run once per entry: 'lodedb' (native addon) and
// 'lodedb/wasm' (the wasm build; skipped outside CI when dist/wasm is missing).
// Expected messages and codes are SQLite's (checked with sqlite3 3.40.1).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const wasmBuilt = fs.existsSync(path.join(root, 'dist/wasm/lode.mjs'));

const entries = [
  ['lodedb (native)', () => import('lodedb'), { blob: 'Buffer' }],
  ['lodedb/wasm', () => import('lodedb/wasm'), { blob: 'Uint8Array', skip: !wasmBuilt && !process.env.CI }],
];

const NOT_OPEN = { name: 'TypeError', message: 'The database connection is not open' };

for (const [name, load, opts] of entries) {
  describe(name, function () {
    let mod;
    let db;
    let tmp;

    before(async function () {
      if (opts.skip) this.skip();
      mod = await load();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-api-'));
    });
    beforeEach(async () => {
      db = await mod.connect(':memory:');
    });
    afterEach(async () => {
      await db?.close();
    });
    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe('connect', () => {
      it('opens an in-memory database', async () => {
        assert.equal(db.open, true);
        assert.equal(db.memory, true);
        assert.equal(db.name, ':memory:');
        assert.deepEqual(await db.prepare('SELECT 1 + 1 AS two').get(), { two: 2 });
      });

      it('a new database has an empty schema', async () => {
        assert.deepEqual(await db.prepare('SELECT count(*) AS n FROM sqlite_schema').get(), { n: 0 });
      });

      it('opens a file database', async () => {
        const file = path.join(tmp, 'open.db');
        const fdb = await mod.connect(file);
        assert.equal(fdb.memory, false);
        assert.equal(fdb.name, file);
        await fdb.exec('CREATE TABLE t(x)');
        assert.deepEqual(await fdb.prepare('SELECT count(*) AS n FROM t').get(), { n: 0 });
        await fdb.close();
        assert.equal(fdb.open, false);
      });

      it('keeps a file database across close and reopen', async () => {
        const file = path.join(tmp, 'persist.db');
        const a = await mod.connect(file);
        await a.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), ('two'), (3.5)");
        await a.close();
        const b = await mod.connect(file);
        assert.deepEqual(await b.prepare('SELECT x FROM t ORDER BY rowid').pluck().all(), [1, 'two', 3.5]);
        await b.close();
      });
    });

    describe('open options', () => {
      it('readonly: reads work, writes fail with SQLITE_READONLY', async () => {
        const file = path.join(tmp, 'ro.db');
        const w = await mod.connect(file);
        await w.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
        await w.close();
        const r = await mod.connect(file, { readonly: true });
        assert.equal(r.readonly, true);
        assert.deepEqual(await r.prepare('SELECT x FROM t').pluck().all(), [1]);
        await assert.rejects(r.exec('INSERT INTO t VALUES (2)'),
          { name: 'SqliteError', code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' });
        await r.close();
      });

      it('fileMustExist: a missing file is SQLITE_CANTOPEN', async () => {
        await assert.rejects(mod.connect(path.join(tmp, 'missing.db'), { fileMustExist: true }),
          { name: 'SqliteError', code: 'SQLITE_CANTOPEN', message: 'unable to open database file' });
      });
    });

    describe('values', () => {
      beforeEach(async () => {
        await db.exec('CREATE TABLE v(id INTEGER PRIMARY KEY, x)');
      });
      const roundTrip = async (value, stmtFn = (s) => s) => {
        const ins = await db.prepare('INSERT INTO v(x) VALUES (?)').run(value);
        return stmtFn(db.prepare('SELECT x, typeof(x) AS t FROM v WHERE id = ?')).get(ins.lastInsertRowid);
      };

      it('integer', async () => {
        assert.deepEqual(await roundTrip(42), { x: 42, t: 'integer' });
        assert.deepEqual(await roundTrip(-7), { x: -7, t: 'integer' });
      });

      it('big integer as BigInt with safeIntegers, RangeError without', async () => {
        const big = 2n ** 62n + 1n;
        assert.deepEqual(await roundTrip(big, (s) => s.safeIntegers()), { x: big, t: 'integer' });
        await assert.rejects(db.prepare('SELECT x FROM v').get(), { name: 'RangeError' });
        assert.equal(typeof (await db.prepare('SELECT 5 AS n').safeIntegers().get()).n, 'bigint');
      });

      it('real', async () => {
        assert.deepEqual(await roundTrip(3.25), { x: 3.25, t: 'real' });
        assert.deepEqual(await db.prepare('SELECT ? / 2 AS h').get(5), { h: 2 });
        assert.deepEqual(await db.prepare('SELECT ? / 2 AS h').get(5.5), { h: 2.75 });
      });

      it('text with unicode', async () => {
        const s = 'héllo wörld ✓ 🎉 日本';
        assert.deepEqual(await roundTrip(s), { x: s, t: 'text' });
        assert.deepEqual(await roundTrip(''), { x: '', t: 'text' });
      });

      // What TextEncoder does (and V8 for the addon): U+FFFD for a lone
      // surrogate, the next character kept.
      it('a lone UTF-16 surrogate becomes U+FFFD and keeps the next character, bound or in SQL text', async () => {
        const cases = [
          ['\ud800', '\ufffd', 'EFBFBD'],
          ['a\ud800b', 'a\ufffdb', '61EFBFBD62'],
          ['x\udc00yz', 'x\ufffdyz', '78EFBFBD797A'],
          ['\udc00\ud800!', '\ufffd\ufffd!', 'EFBFBDEFBFBD21'],
          ['\ud83d\ude00', '\ud83d\ude00', 'F09F9880'],
        ];
        for (const [s, text, hex] of cases) {
          assert.deepEqual(await db.prepare('SELECT ? AS v, hex(?) AS h, length(?) AS n').get(s, s, s),
            { v: text, h: hex, n: [...text].length }, JSON.stringify(s));
          assert.deepEqual(await db.prepare(`SELECT '${s}' AS v, hex('${s}') AS h`).get(), { v: text, h: hex });
          await db.exec(`INSERT INTO v(x) VALUES ('${s}')`);
          assert.equal(await db.prepare('SELECT x FROM v ORDER BY id DESC').pluck().get(), text);
        }
        const long = `${'y'.repeat(5000)}\ud800z`;
        assert.equal(await db.prepare('SELECT ? AS v').pluck().get(long), `${'y'.repeat(5000)}\ufffdz`);
        assert.equal(await db.prepare(`SELECT '${long}'`).pluck().get(), `${'y'.repeat(5000)}\ufffdz`);
        assert.deepEqual(await db.prepare('SELECT :a\ud800b AS v').get({ 'a\ufffdb': 1 }), { v: 1 });
      });

      it('a quote-escaped string ending in a lone surrogate stays one string literal', async () => {
        await db.exec("CREATE TABLE t(a); CREATE TABLE secrets(s); INSERT INTO secrets VALUES ('keep me')");
        const user = "\ud800'); DROP TABLE secrets; --";
        await db.exec(`INSERT INTO t VALUES ('${user.replaceAll("'", "''")}')`);
        assert.deepEqual(await db.prepare('SELECT a FROM t').pluck().all(), [`\ufffd${user.slice(1)}`]);
        assert.deepEqual(await db.prepare('SELECT s FROM secrets').pluck().all(), ['keep me']);
      });

      it('texts whose UTF-8 ends near 256 bytes bind whole', async () => {
        const s = db.prepare('SELECT ? AS v');
        for (let k = 248; k <= 258; k++) {
          for (const last of ['é', '€', '\ud83d\ude00', '\ud800']) {
            const text = 'a'.repeat(k) + last;
            assert.equal(await s.pluck().get(text), text.replace('\ud800', '\ufffd'), `${k} + ${JSON.stringify(last)}`);
          }
        }
      });

      it('a leading U+FEFF stays in the text', async () => {
        assert.equal(await db.prepare('SELECT char(65279) || ? AS v').pluck().get('\ufeffx'), '\ufeff\ufeffx');
        assert.equal(await db.prepare("SELECT '\ufeff' AS v").pluck().get(), '\ufeff');
      });

      it('a file name with a lone surrogate is the name with U+FFFD', async () => {
        const a = await mod.connect(path.join(tmp, 'f\ud800g.db'));
        await a.exec('CREATE TABLE named(x)');
        await a.close();
        const b = await mod.connect(path.join(tmp, 'f\ufffdg.db'), { fileMustExist: true });
        assert.deepEqual(await b.prepare('SELECT name FROM sqlite_schema').pluck().all(), ['named']);
        await b.close();
      });

      it('blob', async () => {
        const bytes = Uint8Array.from([0, 1, 2, 127, 128, 255]);
        const row = await roundTrip(Buffer.from(bytes));
        assert.equal(row.t, 'blob');
        assert.equal(row.x.constructor.name, opts.blob);
        assert.deepEqual([...row.x], [...bytes]);
        const empty = await roundTrip(new Uint8Array(0));
        assert.equal(empty.t, 'blob');
        assert.equal(empty.x.length, 0);
      });

      it('null, undefined and NaN bind as NULL', async () => {
        assert.deepEqual(await roundTrip(null), { x: null, t: 'null' });
        assert.deepEqual(await roundTrip(undefined), { x: null, t: 'null' });
        assert.deepEqual(await roundTrip(NaN), { x: null, t: 'null' });
      });

      it('booleans bind as 1/0', async () => {
        assert.deepEqual(await db.prepare('SELECT ? AS a, ? AS b').get(true, false), { a: 1, b: 0 });
      });

      it('rejects unbindable values and out-of-range BigInts', async () => {
        await assert.rejects(db.prepare('SELECT ?').get(Symbol('s')), TypeError);
        await assert.rejects(db.prepare('SELECT ?').get(2n ** 63n), RangeError);
      });
    });

    describe('parameters', () => {
      it('positional ? and numbered ?NNN', async () => {
        assert.deepEqual(await db.prepare('SELECT ? AS a, ? AS b').raw().get(1, 'x'), [1, 'x']);
        assert.deepEqual(await db.prepare('SELECT ? AS a, ? AS b').raw().get([1, 'x']), [1, 'x']);
        assert.deepEqual(await db.prepare('SELECT ?2 AS a, ?1 AS b').raw().get('one', 'two'), ['two', 'one']);
      });

      it('named :a @a $a from an object', async () => {
        assert.deepEqual(await db.prepare('SELECT :a AS x, @b AS y, $c AS z').get({ a: 1, b: 2, c: 3 }),
          { x: 1, y: 2, z: 3 });
        assert.deepEqual(await db.prepare('SELECT :a AS x, :a AS y').get({ a: 'same' }), { x: 'same', y: 'same' });
      });

      it('wrong number of values is a RangeError', async () => {
        const s = db.prepare('SELECT ?, ?');
        await assert.rejects(s.get(1), { name: 'RangeError', message: 'Too few parameter values were provided' });
        await assert.rejects(s.get(1, 2, 3),
          { name: 'RangeError', message: 'Too many parameter values were provided' });
        await assert.rejects(db.prepare('SELECT :a, :b').get({ a: 1 }),
          { name: 'RangeError', message: 'Missing named parameter "b"' });
      });

      it('bind() is permanent', async () => {
        const s = db.prepare('SELECT ? AS v').bind(9);
        assert.deepEqual(await s.get(), { v: 9 });
        assert.deepEqual(await s.get(), { v: 9 });
        await assert.rejects(s.get(1), TypeError);
      });
    });

    describe('statements', () => {
      beforeEach(async () => {
        await db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
      });

      it('run() reports changes and lastInsertRowid', async () => {
        const ins = db.prepare('INSERT INTO t(name) VALUES (?)');
        assert.deepEqual(await ins.run('a'), { changes: 1, lastInsertRowid: 1 });
        assert.deepEqual(await ins.run('b'), { changes: 1, lastInsertRowid: 2 });
        const upd = await db.prepare("UPDATE t SET name = name || '!'").run();
        assert.equal(upd.changes, 2);
        assert.equal((await db.prepare('SELECT * FROM t').run()).changes, 0);
        const big = await db.prepare('INSERT INTO t VALUES (?, ?)').safeIntegers().run(2n ** 60n, 'big');
        assert.equal(big.lastInsertRowid, 2n ** 60n);
      });

      it('exec() runs several statements', async () => {
        await db.exec("INSERT INTO t(name) VALUES ('x'); INSERT INTO t(name) VALUES ('y');\n-- done\n");
        assert.deepEqual(await db.prepare('SELECT name FROM t ORDER BY id').pluck().all(), ['x', 'y']);
      });

      it('raw() and pluck()', async () => {
        await db.exec("INSERT INTO t(name) VALUES ('x'), ('y')");
        const s = db.prepare('SELECT id, name FROM t ORDER BY id');
        assert.deepEqual(await s.raw().all(), [[1, 'x'], [2, 'y']]);
        assert.deepEqual(await s.pluck().all(), [1, 2]);
        assert.deepEqual(await s.raw(false).all(), [{ id: 1, name: 'x' }, { id: 2, name: 'y' }]);
        assert.equal(await db.prepare('SELECT name FROM t WHERE id = 5').get(), undefined);
      });

      it('iterate() yields rows and can stop early', async () => {
        await db.exec("INSERT INTO t(name) VALUES ('x'), ('y'), ('z')");
        const s = db.prepare('SELECT name FROM t ORDER BY id');
        const seen = [];
        for await (const row of s.iterate()) seen.push(row.name);
        assert.deepEqual(seen, ['x', 'y', 'z']);
        for await (const row of s.iterate()) {
          assert.equal(row.name, 'x');
          break;
        }
        assert.deepEqual(await s.pluck().all(), ['x', 'y', 'z']);
      });

      it('columns() and reader', async () => {
        const s = db.prepare('SELECT id, name AS n FROM t');
        assert.equal(s.reader, true);
        assert.deepEqual(s.columns().map((c) => [c.name, c.type]), [['id', 'INTEGER'], ['n', 'TEXT']]);
        assert.equal(db.prepare('DELETE FROM t').reader, false);
      });

      it('get() on a statement that returns no data is a TypeError', async () => {
        await assert.rejects(db.prepare("INSERT INTO t(name) VALUES ('q')").get(), TypeError);
      });

      it('prepare() of no statement is a RangeError', () => {
        for (const sql of ['', '  ', '-- only a comment\n', ';']) {
          assert.throws(() => db.prepare(sql),
            { name: 'RangeError', message: 'The supplied SQL string contains no statements' });
        }
      });

      it('prepare() takes one statement: a second one is a RangeError (as in better-sqlite3)', async () => {
        assert.throws(() => db.prepare('SELECT 1 AS a; SELECT 2'),
          { name: 'RangeError', message: 'The supplied SQL string contains more than one statement' });
        assert.deepEqual(await db.prepare('SELECT 1 AS a; -- done\n ;').get(), { a: 1 });
      });
    });

    describe('errors', () => {
      it('syntax error', () => {
        assert.throws(() => db.prepare('SELEC 1'), (e) => {
          assert.ok(e instanceof mod.SqliteError);
          assert.equal(e.name, 'SqliteError');
          assert.equal(e.code, 'SQLITE_ERROR');
          assert.equal(e.rawCode, 1);
          assert.equal(e.message, 'near "SELEC": syntax error');
          return true;
        });
      });

      it('no such table (prepare and exec)', async () => {
        assert.throws(() => db.prepare('SELECT * FROM nope'),
          { name: 'SqliteError', code: 'SQLITE_ERROR', message: 'no such table: nope' });
        await assert.rejects(db.exec('SELECT * FROM nope'),
          { name: 'SqliteError', code: 'SQLITE_ERROR', message: 'no such table: nope' });
      });

      it('constraints carry the extended code', async () => {
        await db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO t VALUES (1, 'a')");
        await assert.rejects(db.prepare("INSERT INTO t VALUES (1, 'b')").run(),
          { name: 'SqliteError', code: 'SQLITE_CONSTRAINT_PRIMARYKEY', rawCode: 1555,
            message: 'UNIQUE constraint failed: t.id' });
        await assert.rejects(db.prepare('INSERT INTO t VALUES (2, NULL)').run(),
          { code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: t.name' });
      });

      it('a failed statement leaves the table unchanged', async () => {
        await db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name); INSERT INTO t VALUES (1, 'a')");
        await assert.rejects(db.prepare("INSERT INTO t VALUES (2, 'b'), (1, 'dup'), (3, 'c')").run(),
          { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
        assert.deepEqual(await db.prepare('SELECT id FROM t').pluck().all(), [1]);
        assert.equal(db.inTransaction, false);
      });

      it('a closed database throws TypeError', async () => {
        const s = db.prepare('SELECT 1');
        await db.close();
        assert.throws(() => db.prepare('SELECT 1'), NOT_OPEN);
        await assert.rejects(db.exec('SELECT 1'), NOT_OPEN);
        await assert.rejects(s.get(), NOT_OPEN);
        db = null;
      });
    });

    describe('transactions', () => {
      beforeEach(async () => {
        await db.exec('CREATE TABLE t(x)');
      });

      it('BEGIN / COMMIT / ROLLBACK through inTransaction', async () => {
        assert.equal(db.inTransaction, false);
        await db.exec('BEGIN');
        assert.equal(db.inTransaction, true);
        await db.exec('INSERT INTO t VALUES (1)');
        await db.exec('COMMIT');
        assert.equal(db.inTransaction, false);
        await db.exec('BEGIN; INSERT INTO t VALUES (2)');
        assert.equal(db.inTransaction, true);
        await db.exec('ROLLBACK');
        assert.equal(db.inTransaction, false);
        assert.deepEqual(await db.prepare('SELECT x FROM t').pluck().all(), [1]);
      });

      it('transaction() commits, and rolls back on a throw', async () => {
        const ins = db.prepare('INSERT INTO t VALUES (?)');
        const many = db.transaction(async (xs) => {
          for (const x of xs) await ins.run(x);
        });
        await many([1, 2]);
        await assert.rejects(many.immediate([3, Symbol('bad')]), TypeError);
        assert.equal(db.inTransaction, false);
        assert.deepEqual(await db.prepare('SELECT x FROM t').pluck().all(), [1, 2]);
      });

      it('100k rows in one transaction', async function () {
        this.timeout(120_000);
        const ins = db.prepare('INSERT INTO t VALUES (?)');
        await db.exec('BEGIN');
        for (let i = 0; i < 100_000; i++) await ins.run(i);
        await db.exec('COMMIT');
        assert.deepEqual(await db.prepare('SELECT count(*) AS n, sum(x) AS s FROM t').get(),
          { n: 100_000, s: 4_999_950_000 });
      });
    });
  });
}

describe('lodedb/compat (synchronous)', () => {
  it('works like better-sqlite3', async () => {
    const { default: Database, SqliteError } = await import('lodedb/compat');
    const db = new Database(':memory:');
    assert.equal(db.exec('CREATE TABLE t(x)'), db);
    const ins = db.prepare('INSERT INTO t VALUES (?)');
    const insertMany = db.transaction((xs) => xs.forEach((x) => ins.run(x)));
    insertMany([1, 2, 3]);
    assert.deepEqual(db.prepare('SELECT x FROM t').pluck().all(), [1, 2, 3]);
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 3);
    assert.deepEqual([...db.prepare('SELECT x FROM t').pluck().iterate()], [1, 2, 3]);
    assert.equal(db.pragma('user_version', { simple: true }), 0);
    assert.throws(() => db.prepare('SELEC'), SqliteError);
    db.close();
    assert.throws(() => db.exec('SELECT 1'), NOT_OPEN);
  });
});
