// The SQL suite's core cases on an encrypted database: every
// test/diff/*.sql script runs through the lode shell twice on a database
// file at the same path — once plaintext, once opened with a file: URI that
// encrypts it — and must print the same thing.  The cases whose output
// encryption changes legitimately are named below with the reason.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, normalize, requireLode, root, runMerged } from '../diff/lib.mjs';

const CIPHER = 'aegis256', HEXKEY = 'a5'.repeat(32);
const caseDir = join(root, 'test', 'diff');
const cases = readdirSync(caseDir).filter((f) => f.endsWith('.sql')).sort();
// Cases that print page counts or root page numbers: an encrypted page keeps
// 48 bytes for its nonce and tag, so the same rows take more pages.
const SKIP = new Map([
  ['autovacuum.sql', 'prints page_count and freelist_count'],
  ['vacuum.sql', 'prints root page numbers'],
]);

function removeDb(file) {
  for (const f of [file, file + '-wal', file + '-journal', file + '-shm']) rmSync(f, { force: true });
}

describe('the SQL cases on an encrypted database (test/diff/*.sql, aegis256)', function () {
  this.timeout(120000);
  let dir;
  before(() => {
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-crypt-core-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const file of cases) {
    it(file, function () {
      if (SKIP.has(file)) this.skip();
      const sql = readFileSync(join(caseDir, file), 'utf8');
      const db = join(dir, 'case.db');
      removeDb(db);
      const plain = runMerged(LODE, ['-m', 'list', db], sql);
      removeDb(db);
      const enc = runMerged(LODE, ['-m', 'list', `file:${db}?cipher=${CIPHER}&hexkey=${HEXKEY}`], sql);
      assert.ok(!enc.signal, `${file}: lode killed by ${enc.signal}`);
      if (existsSync(db) && readFileSync(db).length > 0) {
        assert.equal(readFileSync(db).subarray(0, 5).toString(), 'Turso', `${file}: the file is not encrypted`);
      }
      removeDb(db);
      const a = normalize(plain.output).split('\n'), b = normalize(enc.output).split('\n');
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      assert.ok(i === a.length && i === b.length,
        `${file}: outputs part at line ${i + 1}\n  plaintext: ${JSON.stringify(a.slice(i, i + 3))}\n`
        + `  encrypted: ${JSON.stringify(b.slice(i, i + 3))}`);
      assert.equal(enc.status, plain.status, `${file}: exit status`);
    });
  }
});
