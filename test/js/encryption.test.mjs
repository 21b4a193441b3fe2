// Encryption at rest in Turso's format: files written by Lode open in
// @tursodatabase/database with the same cipher and key (and the reverse,
// including a WAL Turso has not checkpointed), the plaintext never reaches
// the disk, and wrong keys, wrong ciphers, missing keys and changed bytes
// are errors, never rows.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from 'lodedb/compat';

const CIPHERS = {
  aes128gcm: 16, aes256gcm: 32, aegis256: 32, aegis256x2: 32, aegis256x4: 32,
  aegis128l: 16, aegis128x2: 16, aegis128x4: 16,
};
const keyFor = (cipher, seed = 1) =>
  Array.from({ length: CIPHERS[cipher] }, (_, i) => ((i * 37 + seed * 11) & 0xff).toString(16).padStart(2, '0')).join('');
const SECRET = 'SECRET-PLAINTEXT-MARKER';

let turso = null;
try {
  turso = await import('@tursodatabase/database');
} catch {
  turso = null;
}

// Turso's JS binding may not know every cipher its engine has (0.7.2 lacks
// aegis256x4): such a cipher is skipped for the Turso half only.
async function tursoConnect(ctx, file, cipher, hexkey) {
  if (!turso) ctx.skip();
  try {
    return await turso.connect(file, { encryption: { cipher, hexkey } });
  } catch (e) {
    if (/Missing field|[Uu]nknown cipher|not supported/.test(e.message)) ctx.skip();
    throw e;
  }
}

function lodeRows(file, cipher, hexkey) {
  const db = new Database(file, { encryption: { cipher, hexkey } });
  try {
    return db.prepare('SELECT id, v FROM t ORDER BY id').all();
  } finally {
    db.close();
  }
}

function fill(db, n) {
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX tv ON t(v);');
  const ins = db.prepare('INSERT INTO t(id, v) VALUES (?, ?)');
  db.exec('BEGIN');
  for (let i = 1; i <= n; i++) ins.run(i, i === 7 ? SECRET : 'row' + i + 'x'.repeat(i % 50));
  db.exec('COMMIT');
}

function expected(n) {
  return Array.from({ length: n }, (_, k) => ({ id: k + 1, v: k + 1 === 7 ? SECRET : 'row' + (k + 1) + 'x'.repeat((k + 1) % 50) }));
}

// Recomputes the WAL's frame checksums (SQLite's: cumulative Fibonacci-style
// sums over 32-bit words), as someone changing the file on purpose would:
// then only the cipher's tag can notice the change.
function resumWal(wal, pageSize) {
  const big = wal.readUInt32BE(0) === 0x377f0683;
  const word = (i) => (big ? wal.readUInt32BE(i) : wal.readUInt32LE(i));
  const sum = (off, n, s) => {
    for (let i = off; i < off + n; i += 8) {
      s[0] = (s[0] + word(i) + s[1]) >>> 0;
      s[1] = (s[1] + word(i + 4) + s[0]) >>> 0;
    }
  };
  const s = [wal.readUInt32BE(24), wal.readUInt32BE(28)];
  for (let f = 32; f + 24 + pageSize <= wal.length; f += 24 + pageSize) {
    sum(f, 8, s);
    sum(f + 24, pageSize, s);
    wal.writeUInt32BE(s[0], f + 16);
    wal.writeUInt32BE(s[1], f + 20);
  }
}

function errorOf(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

describe('encryption at rest', function () {
  this.timeout(60000);
  let dir;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'lode-crypt-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const cipher of Object.keys(CIPHERS)) {
    it(`${cipher}: Lode writes (also with an un-checkpointed WAL), Lode and Turso read; no plaintext on disk`, async function () {
      const file = join(dir, `lode-${cipher}.db`), hexkey = keyFor(cipher);
      const db = new Database(file);
      db.exec(`PRAGMA cipher = '${cipher}'; PRAGMA hexkey = '${hexkey}'; PRAGMA wal_autocheckpoint = 0;`);
      fill(db, 300);
      // Un-checkpointed frames are encrypted too.
      for (const f of [file, file + '-wal']) if (existsSync(f)) assert.ok(!readFileSync(f).includes(SECRET), f);
      // A copy taken while Lode is open: the rows live only in its WAL.
      const live = join(dir, `lode-${cipher}-live.db`);
      copyFileSync(file, live);
      copyFileSync(file + '-wal', live + '-wal');
      assert.ok(readFileSync(live + '-wal').length > 32 + 4096 * 2);
      db.close();
      const bytes = readFileSync(file);
      assert.equal(bytes.subarray(0, 5).toString(), 'Turso');
      assert.ok(!bytes.includes(SECRET));
      assert.deepEqual(lodeRows(file, cipher, hexkey), expected(300));
      const t = await tursoConnect(this, file, cipher, hexkey);
      assert.deepEqual(await t.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(300));
      assert.deepEqual(await t.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }]);
      t.close();
      const tl = await tursoConnect(this, live, cipher, hexkey);
      assert.deepEqual(await tl.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(300));
      tl.close();
    });

    it(`${cipher}: Turso writes (with an un-checkpointed WAL), Lode reads`, async function () {
      const file = join(dir, `turso-${cipher}.db`), hexkey = keyFor(cipher, 2);
      const t = await tursoConnect(this, file, cipher, hexkey);
      await t.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX tv ON t(v);');
      const ins = t.prepare('INSERT INTO t(id, v) VALUES (?, ?)');
      await t.exec('BEGIN');
      for (let i = 1; i <= 300; i++) await ins.run(i, i === 7 ? SECRET : 'row' + i + 'x'.repeat(i % 50));
      await t.exec('COMMIT');
      await t.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      await t.exec("UPDATE t SET v = v || '!' WHERE id % 3 = 0");
      // A copy taken while Turso is open: its last commit lives only in the WAL.
      const copy = join(dir, `turso-${cipher}-copy.db`);
      copyFileSync(file, copy);
      if (existsSync(file + '-wal')) copyFileSync(file + '-wal', copy + '-wal');
      t.close();
      const want = expected(300).map((r) => (r.id % 3 === 0 ? { id: r.id, v: r.v + '!' } : r));
      assert.deepEqual(lodeRows(copy, cipher, hexkey), want);
      assert.deepEqual(lodeRows(file, cipher, hexkey), want);
      const db = new Database(file, { encryption: { cipher, hexkey } });
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      db.close();
    });
  }

  it('no key, a wrong key, a wrong cipher: "file is not a database"; a bad key: a clear error', function () {
    const file = join(dir, 'keys.db'), hexkey = keyFor('aegis256');
    const db = new Database(file, { encryption: { cipher: 'aegis256', hexkey } });
    fill(db, 20);
    db.close();
    const attempts = [
      () => new Database(file).prepare('SELECT count(*) FROM t').get(),
      () => lodeRows(file, 'aegis256', keyFor('aegis256', 9)),
      () => lodeRows(file, 'aegis256x2', hexkey),
      () => lodeRows(file, 'aes256gcm', hexkey),
    ];
    for (const f of attempts) {
      const e = errorOf(f);
      assert.ok(e, 'expected an error');
      assert.equal(e.code, 'SQLITE_NOTADB');
      assert.equal(e.message, 'file is not a database');
    }
    for (const [cipher, key, re] of [['aegis256', 'abcd', /hexkey/], ['aegis256', 'zz'.repeat(32), /hexkey/],
      ['aegis128l', keyFor('aegis256'), /hexkey/], ['rot13', hexkey, /cipher/]]) {
      const e = errorOf(() => lodeRows(join(dir, 'new-' + cipher + key.length + '.db'), cipher, key));
      assert.ok(e, `${cipher}/${key}: expected an error`);
      assert.equal(e.code, 'SQLITE_ERROR');
      assert.match(e.message, re);
    }
    // A truncated file: page 1 cut short is not a database, a later page cut off is corrupt.
    const whole = readFileSync(file);
    for (const size of [100, 4000, 4096 + 10, whole.length - 4096]) {
      const cut = join(dir, `cut-${size}.db`);
      writeFileSync(cut, whole.subarray(0, size));
      const e = errorOf(() => {
        const d = new Database(cut, { encryption: { cipher: 'aegis256', hexkey } });
        try {
          d.prepare('SELECT id, v FROM t ORDER BY id').all();
          // the index's page is only read by integrity_check, which throws on an unreadable page 1 only
          const check = d.pragma('integrity_check', { simple: true });
          if (check !== 'ok') throw Object.assign(new Error(check), { code: 'SQLITE_CORRUPT' });
        } finally {
          d.close();
        }
      });
      assert.ok(e, `cut to ${size}: expected an error`);
      assert.ok(['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes(e.code), `cut to ${size}: ${e.code}`);
    }
    const p = new Database(join(dir, 'pragma-bad.db'));
    assert.throws(() => p.exec("PRAGMA cipher = 'nosuch'"), /unknown cipher: nosuch/);
    assert.throws(() => p.exec("PRAGMA hexkey = 'xyz'"), /invalid hexkey/);
    p.close();
  });

  it('a cipher cannot be set on a database that already has data', function () {
    const file = join(dir, 'plain.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    db.exec("PRAGMA cipher = 'aegis256'");
    assert.throws(() => db.exec(`PRAGMA hexkey = '${keyFor('aegis256')}'`), /already has data/);
    db.close();
    assert.deepEqual(new Database(file).prepare('SELECT x FROM t').all(), [{ x: 1 }]);
  });

  it('every changed byte of the database file or a WAL frame is an error, never other rows', function () {
    const file = join(dir, 'mut.db'), hexkey = keyFor('aegis128l');
    const db = new Database(file, { encryption: { cipher: 'aegis128l', hexkey } });
    fill(db, 120);
    db.close();
    const good = readFileSync(file);
    const want = JSON.stringify(expected(120));
    const target = join(dir, 'mut-copy.db');
    let detected = 0;
    const positions = [];
    for (let pos = 0; pos < good.length; pos += 61) positions.push(pos);
    for (const pos of positions) {
      const bad = Buffer.from(good);
      bad[pos] ^= 0x20;
      writeFileSync(target, bad);
      rmSync(target + '-wal', { force: true });
      let rows = null, e = null, check = null;
      try {
        const d = new Database(target, { encryption: { cipher: 'aegis128l', hexkey } });
        try {
          rows = JSON.stringify(d.prepare('SELECT id, v FROM t ORDER BY id').all());
          // integrity_check reads every page, and reports the ones it cannot read as rows.
          check = d.pragma('integrity_check', { simple: true });
        } finally {
          d.close();
        }
      } catch (err) {
        e = err;
      }
      if (e) {
        assert.ok(['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes(e.code), `byte ${pos}: ${e.code} ${e.message}`);
        detected++;
      } else {
        // A page only the index uses: the rows are right, integrity_check names it.
        assert.equal(rows, want, `byte ${pos} changed the rows`);
        assert.notEqual(check, 'ok', `byte ${pos}: the change went unnoticed`);
        detected++;
      }
    }
    assert.equal(detected, positions.length);

    // Every WAL frame, one byte changed and the checksums made to fit.
    const wfile = join(dir, 'wal.db');
    const w = new Database(wfile, { encryption: { cipher: 'aegis128l', hexkey } });
    w.exec('PRAGMA wal_autocheckpoint = 0');
    fill(w, 40);
    const wal = readFileSync(wfile + '-wal');
    const walCopy = join(dir, 'wal-copy.db');
    const dbBytes = readFileSync(wfile);
    w.close();
    const pageSize = 4096, frame = 24 + pageSize, frames = (wal.length - 32) / frame;
    let walDetected = 0, newest = 0;
    const pgnoOf = (f) => wal.readUInt32BE(32 + f * frame);
    for (let f = 0; f < frames; f++) {
      // A frame a later one of the same page supersedes is never read.
      let later = false;
      for (let g = f + 1; g < frames; g++) if (pgnoOf(g) === pgnoOf(f)) later = true;
      if (later) continue;
      newest++;
      const bad = Buffer.from(wal);
      bad[32 + f * frame + 24 + 100 + f] ^= 1;
      resumWal(bad, pageSize);
      writeFileSync(walCopy, dbBytes); // a close checkpoints: start from the same file every time
      writeFileSync(walCopy + '-wal', bad);
      let check = null;
      const e = errorOf(() => {
        const d = new Database(walCopy, { encryption: { cipher: 'aegis128l', hexkey } });
        try {
          assert.deepEqual(d.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(40));
          check = d.pragma('integrity_check', { simple: true });
        } finally {
          d.close();
        }
      });
      if (e) assert.ok(['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes(e.code), `frame ${f}: ${e.code} ${e.message}`);
      else assert.notEqual(check, 'ok', `WAL frame ${f}: the change went unnoticed`);
      walDetected++;
    }
    assert.ok(newest >= 3);
    assert.equal(walDetected, newest);
  });

  it('VACUUM INTO a file: URI with cipher and hexkey encrypts a copy; VACUUM INTO a plain name decrypts one', async function () {
    const plain = join(dir, 'vac-plain.db'), enc = join(dir, 'vac-enc.db'), back = join(dir, 'vac-back.db');
    const hexkey = keyFor('aegis256x2');
    const db = new Database(plain);
    fill(db, 200);
    db.exec(`VACUUM INTO 'file:${enc}?cipher=aegis256x2&hexkey=${hexkey}'`);
    assert.throws(() => db.exec(`VACUUM INTO 'file:${enc}-2?cipher=aegis256x2&hexkey=00'`), /hexkey/);
    db.close();
    assert.ok(!readFileSync(enc).includes(SECRET));
    assert.deepEqual(lodeRows(enc, 'aegis256x2', hexkey), expected(200));
    const e = new Database(enc, { encryption: { cipher: 'aegis256x2', hexkey } });
    e.exec('VACUUM'); // in place: pages keep their nonce and tag room
    assert.equal(e.pragma('integrity_check', { simple: true }), 'ok');
    e.exec(`VACUUM INTO '${back}'`);
    e.close();
    assert.ok(readFileSync(back).includes(SECRET));
    const b = new Database(back);
    assert.deepEqual(b.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(200));
    assert.equal(b.pragma('integrity_check', { simple: true }), 'ok');
    b.close();
    const t = await tursoConnect(this, enc, 'aegis256x2', hexkey);
    assert.deepEqual(await t.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(200));
    t.close();
  });

  it('wasm: the encryption option and the pragmas (portable ciphers, nonces from crypto.getRandomValues)', async function () {
    const root = new URL('../..', import.meta.url).pathname;
    if (!existsSync(join(root, 'dist/wasm/lode.mjs')) && !process.env.CI) this.skip();
    const { Database: WasmDatabase } = await import('lodedb/wasm');
    for (const cipher of Object.keys(CIPHERS)) {
      const hexkey = keyFor(cipher), name = join(dir, `w-${cipher}.db`);
      const db = new WasmDatabase(name, { encryption: { cipher, hexkey } });
      await db.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('${SECRET}'), ('b')`);
      assert.deepEqual(await db.prepare('PRAGMA cipher').all(), [{ cipher }]);
      db.close();
      const again = new WasmDatabase(name, { encryption: { cipher, hexkey } });
      assert.deepEqual(await again.prepare('SELECT v FROM t ORDER BY id').all(), [{ v: SECRET }, { v: 'b' }]);
      again.close();
      // The native build (AES-NI where the CPU has it) reads what wasm's portable code wrote.
      assert.ok(!readFileSync(name).includes(SECRET));
      const native = new Database(name, { encryption: { cipher, hexkey } });
      assert.deepEqual(native.prepare('SELECT v FROM t ORDER BY id').all(), [{ v: SECRET }, { v: 'b' }]);
      native.close();
      const wrong = new WasmDatabase(name, { encryption: { cipher, hexkey: keyFor(cipher, 5) } });
      await assert.rejects(async () => wrong.prepare('SELECT v FROM t').all(), /file is not a database/);
    }
  });

  it('PRAGMA rekey rewrites every page under a new key; the old key no longer opens the file', async function () {
    const file = join(dir, 'rekey.db'), k1 = keyFor('aegis128x2', 3), k2 = keyFor('aegis128x2', 4);
    const db = new Database(file, { encryption: { cipher: 'aegis128x2', hexkey: k1 } });
    fill(db, 150);
    db.exec(`PRAGMA rekey = '${k2}'`);
    assert.deepEqual(db.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(150));
    assert.throws(() => db.exec("PRAGMA rekey = '00'"), /hexkey/);
    db.close();
    assert.equal(errorOf(() => lodeRows(file, 'aegis128x2', k1)).code, 'SQLITE_NOTADB');
    assert.deepEqual(lodeRows(file, 'aegis128x2', k2), expected(150));
    const plain = new Database(join(dir, 'rekey-plain.db'));
    plain.exec('CREATE TABLE t(x)');
    assert.throws(() => plain.exec(`PRAGMA rekey = '${k2}'`), /not encrypted/);
    plain.close();
    const t = await tursoConnect(this, file, 'aegis128x2', k2);
    assert.deepEqual(await t.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(150));
    t.close();
  });

  it('a memory database takes a cipher and key too (its pages live in its cache alone)', function () {
    const db = new Database(':memory:', { encryption: { cipher: 'aes256gcm', hexkey: keyFor('aes256gcm') } });
    fill(db, 50);
    assert.deepEqual(db.prepare('SELECT id, v FROM t ORDER BY id').all(), expected(50));
    db.close();
  });
});
