// On-disk interoperability with SQLite (Debian's sqlite3 CLI) for auto-vacuum
// databases, in FULL and INCREMENTAL mode: Lode and sqlite3 take turns writing
// one file (rows with overflow chains, deletes, updates, tables and indexes
// created and dropped, incremental_vacuum, savepoints rolled back); after
// every turn both engines' PRAGMA integrity_check (which reads the pointer
// maps) must be ok and both must read the same rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, SQLITE3, normalize, prng, requireLode, requireSqlite3, runMerged } from '../diff/lib.mjs';

function shell(tool, file, sql) {
  const r = tool === 'lode' ? runMerged(LODE, ['-m', 'list', file], sql) : runMerged(SQLITE3, ['-batch', '-list', file], sql);
  return normalize(r.output);
}

// A batch of random writes over tables t0..t5 (each with an index on c).
function writes(rnd, live) {
  const int = (m) => Math.floor(rnd() * m);
  const out = [];
  const n = 3 + int(20);
  for (let i = 0; i < n; i++) {
    const t = int(6);
    if (!live.has(t)) {
      out.push(`CREATE TABLE t${t}(a INTEGER PRIMARY KEY, b, c); CREATE INDEX t${t}_c ON t${t}(c);`);
      live.add(t);
      continue;
    }
    const r = rnd();
    if (r < 0.4) {
      const size = [10, 300, 2000, 6000, 20000][int(5)];
      out.push(`INSERT INTO t${t}(b, c) SELECT randomblob(${size}), hex(randomblob(${1 + int(250)})) FROM generate_series(1, ${1 + int(25)});`);
    } else if (r < 0.55) out.push(`DELETE FROM t${t} WHERE a % ${2 + int(4)} = ${int(2)};`);
    else if (r < 0.65) out.push(`UPDATE t${t} SET b = randomblob(${[5, 700, 5000][int(3)]}) WHERE a % ${2 + int(5)} = 0;`);
    else if (r < 0.72 && live.size > 1) {
      out.push(`DROP TABLE t${t};`);
      live.delete(t);
    } else if (r < 0.8) out.push(`CREATE INDEX IF NOT EXISTS t${t}_b ON t${t}(b);`);
    else if (r < 0.86) out.push(`DROP INDEX IF EXISTS t${t}_b;`);
    else if (r < 0.93) out.push(`PRAGMA incremental_vacuum(${int(30)});`);
    else out.push(`SAVEPOINT s; DELETE FROM t${t}; CREATE TABLE tmp(x); INSERT INTO t${t}(b) VALUES (zeroblob(9000)); ROLLBACK TO s; RELEASE s;`);
  }
  return rnd() < 0.3 ? `BEGIN;\n${out.join('\n')}\nCOMMIT;` : out.join('\n');
}

function readBack(live) {
  const q = [...live].sort().map((t) => `SELECT 't${t}', count(*), sum(length(b)), total(a), max(c) FROM t${t};`);
  return `PRAGMA integrity_check; SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;\n${q.join('\n')}`;
}

function bothAgree(file, live, what) {
  const sql = readBack(live);
  const a = shell('sqlite3', file, sql);
  const b = shell('lode', file, sql);
  assert.ok(a.startsWith('ok\n'), `${what}: sqlite3 integrity_check:\n${a.slice(0, 600)}`);
  assert.equal(b, a, `${what}: lode reads otherwise than sqlite3`);
}

describe('interop with sqlite3: auto-vacuum databases', function () {
  this.timeout(180000);
  let dir;
  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-autovac-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const mode of ['FULL', 'INCREMENTAL']) {
    for (const creator of ['lode', 'sqlite3']) {
      it(`${mode}: a file ${creator} creates, written in turns by both engines`, function () {
        const file = join(dir, `${mode}-${creator}.db`);
        const rnd = prng(mode.length * 7 + creator.length);
        const live = new Set([0]);
        const pageSize = creator === 'lode' ? 1024 : 4096; // small pages: several pointer-map pages
        assert.equal(shell(creator, file, `PRAGMA page_size = ${pageSize}; PRAGMA auto_vacuum = ${mode};` +
          ' CREATE TABLE t0(a INTEGER PRIMARY KEY, b, c); CREATE INDEX t0_c ON t0(c);'), '');
        assert.equal(shell('sqlite3', file, 'PRAGMA auto_vacuum;'), mode === 'FULL' ? '1\n' : '2\n');
        for (let turn = 0; turn < 12; turn++) {
          const tool = turn % 3 === 2 ? 'sqlite3' : 'lode';
          const sql = writes(rnd, live);
          assert.equal(shell(tool, file, sql), '', `${tool} turn ${turn}`);
          bothAgree(file, live, `after ${tool}'s turn ${turn}`);
          if (mode === 'FULL') assert.equal(shell('sqlite3', file, 'PRAGMA freelist_count;'), '0\n');
        }
      });
    }
  }

  it('a hot rollback journal sqlite3 left in an auto-vacuum file is rolled back, then Lode writes in WAL mode', function () {
    const file = join(dir, 'hot.db');
    const copy = join(dir, 'hot-copy.db');
    assert.equal(shell('sqlite3', file, 'PRAGMA page_size=1024; PRAGMA auto_vacuum=1; CREATE TABLE t(a, b);' +
      ' INSERT INTO t SELECT value, randomblob(300) FROM generate_series(1, 200);'), '');
    // With a 2-page cache sqlite3 spills changed pages into the file mid-transaction:
    // the copies taken then are a torn file and its hot journal.
    assert.equal(shell('sqlite3', file, `PRAGMA cache_size=2;\nBEGIN;\nUPDATE t SET b=randomblob(310);\n` +
      `INSERT INTO t SELECT a+1000, b FROM t;\n.system cp ${file} ${copy}\n.system cp ${file}-journal ${copy}-journal\nROLLBACK;\n`), '');
    assert.equal(shell('lode', copy, 'PRAGMA integrity_check; SELECT count(*), max(length(b)) FROM t;' +
      ' INSERT INTO t SELECT a+5000, zeroblob(2000) FROM t WHERE a%3=0; DELETE FROM t WHERE a%5=0; PRAGMA journal_mode;'),
    'ok\n200|300\nwal\n');
    assert.equal(shell('sqlite3', copy, 'PRAGMA integrity_check; SELECT count(*) FROM t; PRAGMA freelist_count; PRAGMA journal_mode;'),
      'ok\n213\n0\nwal\n');
  });

  it('the reproduction: Lode writes to sqlite3\'s auto-vacuum file, sqlite3 finds no corruption', function () {
    const file = join(dir, 'repro.db');
    assert.equal(shell('sqlite3', file, "PRAGMA auto_vacuum=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES(1,'x');"), '');
    assert.equal(shell('lode', file, 'PRAGMA integrity_check;'), 'ok\n');
    assert.equal(shell('lode', file, 'INSERT INTO t(b) VALUES(zeroblob(5000)); CREATE TABLE z(q); DELETE FROM t WHERE a=1;'), '');
    assert.equal(shell('sqlite3', file, 'PRAGMA integrity_check; SELECT a, length(b) FROM t; PRAGMA page_count;'), 'ok\n2|5000\n5\n');
  });
});
